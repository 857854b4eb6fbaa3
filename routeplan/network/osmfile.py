"""Read local OpenStreetMap files (.osm, .osm.bz2, .osm.gz, .osm.pbf) with pyosmium.

Internal to :mod:`routeplan.network`. Only what routing needs reaches Python: ways
with a ``highway`` key (their tags and node references, with the location of every
node present in the file) and the few node tags that change travel times (``ele``,
``ford``). Untagged nodes stay in libosmium's location index, which is what makes
this fast. Node references missing from the file (ways clipped at the extract's
edge) come back as ``None`` locations for the network stage to repair.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputDataError, Problem

__all__ = ["OSM_SUFFIXES", "OsmData", "RawWay", "is_osm_file", "read_osm", "read_places"]

#: File name endings read by pyosmium.
OSM_SUFFIXES = (".osm", ".osm.bz2", ".osm.gz", ".osm.pbf", ".pbf", ".o5m", ".xml")

#: Node tags kept (they change travel times or give heights).
NODE_KEYS = ("ele", "ford")

#: ``place`` values read by :func:`read_places`, most important first.
PLACE_RANK = (
    "city",
    "town",
    "suburb",
    "village",
    "quarter",
    "hamlet",
    "neighbourhood",
    "isolated_dwelling",
    "locality",
    "farm",
    "allotments",
)


@dataclass
class RawWay:
    """One OSM way as read: id, node ids in order, and its tags."""

    id: int
    refs: list[int]
    tags: dict[str, str]


@dataclass
class OsmData:
    """What the network stage needs from an OSM file.

    ``coords`` holds (lon, lat) of every node referenced by a kept way that is present
    in the file; a reference absent from ``coords`` is a missing node.
    """

    ways: list[RawWay] = field(default_factory=list)
    coords: dict[int, tuple[float, float]] = field(default_factory=dict)
    node_tags: dict[int, dict[str, str]] = field(default_factory=dict)


def is_osm_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` has a file name ending pyosmium reads."""
    name = Path(path).name.lower()
    return name.endswith(OSM_SUFFIXES)


def _check(path: Path) -> None:
    if not path.exists():
        raise InputDataError(
            [Problem("OSM file not found", "check the path", file=str(path), code="osm_not_found")]
        )


def read_osm(
    path: str | os.PathLike[str], *, progress: Callable[[str, float], None] | None = None
) -> OsmData:
    """Read the ways with a ``highway`` key, their node locations and node tags.

    Raises
    ------
    InputDataError
        When the file is missing or not an OSM file pyosmium can parse.

    """
    import osmium
    import osmium.filter

    path = Path(path)
    _check(path)
    data = OsmData()
    coords = data.coords
    node_tags = data.node_tags
    ways = data.ways
    node_filter = osmium.filter.KeyFilter(*NODE_KEYS)
    node_filter.enable_for(osmium.osm.NODE)
    way_filter = osmium.filter.KeyFilter("highway")
    way_filter.enable_for(osmium.osm.WAY)
    fp = (
        osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
        .with_locations()
        .with_filter(node_filter)
        .with_filter(way_filter)
    )
    try:
        for obj in fp:
            if isinstance(obj, osmium.osm.Node):
                node_tags[obj.id] = {k: obj.tags[k] for k in NODE_KEYS if k in obj.tags}
                continue
            if not isinstance(obj, osmium.osm.Way):
                continue
            refs: list[int] = []
            for n in obj.nodes:
                refs.append(n.ref)
                loc = n.location
                if loc.valid():
                    coords[n.ref] = (loc.lon, loc.lat)
            ways.append(RawWay(obj.id, refs, {t.k: t.v for t in obj.tags}))
            if progress is not None and len(ways) % 20000 == 0:
                progress(f"read {len(ways):,} ways", 0.2)
    except RuntimeError as exc:
        raise InputDataError(
            [
                Problem(
                    f"cannot read this OSM file ({exc})",
                    "give an .osm, .osm.bz2 or .osm.pbf file "
                    "(e.g. an extract from download.geofabrik.de)",
                    file=path.name,
                    code="osm_unreadable",
                    params={"detail": str(exc)},
                )
            ]
        ) from None
    return data


def read_places(path: str | os.PathLike[str]) -> dict[str, tuple[float, float]]:
    """Named places (city, town, village, hamlet, ...) of a local OSM file.

    Parameters
    ----------
    path
        An .osm, .osm.bz2 or .osm.pbf file.

    Returns
    -------
    dict
        Place name -> (lon, lat). Nodes and closed ways (at the mean of their nodes)
        tagged ``place=*`` are read; besides ``name``, ``name:vi``, ``name:en``,
        ``alt_name`` and ``old_name`` (``;``-separated) also map to the place. When two
        places share a name, a ``name`` beats an alternative name, then the more
        important place wins (town before village before hamlet), then the first in
        the file.

    Raises
    ------
    InputDataError
        When the file is missing or unreadable.

    """
    import osmium
    import osmium.filter

    path = Path(path)
    _check(path)
    found: dict[str, tuple[int, int, tuple[float, float]]] = {}  # name -> (rank, alias, pt)
    rank = {p: i for i, p in enumerate(PLACE_RANK)}

    def add(tags: osmium.osm.TagList, point: tuple[float, float]) -> None:
        r = rank.get(tags.get("place") or "", len(PLACE_RANK))
        for alias, key in enumerate(("name", "name:vi", "name:en", "alt_name", "old_name")):
            for name in (tags.get(key) or "").split(";"):
                name = name.strip()
                if not name:
                    continue
                cand = (min(alias, 1), r, point)
                if name not in found or cand[:2] < found[name][:2]:
                    found[name] = cand

    fp = (
        osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
        .with_locations()
        .with_filter(osmium.filter.KeyFilter("place"))
    )
    try:
        for obj in fp:
            if isinstance(obj, osmium.osm.Node):
                if obj.location.valid():
                    add(obj.tags, (obj.location.lon, obj.location.lat))
            elif isinstance(obj, osmium.osm.Way) and obj.is_closed():
                refs = list(obj.nodes)[:-1]
                pts = [(n.lon, n.lat) for n in refs if n.location.valid()]
                if pts:
                    add(
                        obj.tags,
                        (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)),
                    )
    except RuntimeError as exc:
        raise InputDataError(
            [
                Problem(
                    f"cannot read this OSM file ({exc})",
                    "give an .osm, .osm.bz2 or .osm.pbf file",
                    file=path.name,
                    code="osm_unreadable",
                    params={"detail": str(exc)},
                )
            ]
        ) from None
    return {name: v[2] for name, v in found.items()}
