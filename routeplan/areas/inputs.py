"""The areas of a multi-area run: a folder per area, or registers with an area column.

Each :class:`Area` is a commune or ward with its own households, volunteers and map.
The map is the area's own file (an OSM file or GraphML in its folder), or the area's
part of one large extract, cut by the area's boundary polygon
(:func:`cut_networks`). :func:`area_key` is the hash a rerun compares to skip an area
whose inputs and settings have not changed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._io import write_text
from ..config import Settings
from ..errors import InputDataError, Problem

if TYPE_CHECKING:  # pragma: no cover
    from ..network import Network

__all__ = [
    "Area",
    "area_key",
    "areas_from_folders",
    "areas_from_register",
    "cut_networks",
    "slug",
]

_TABLES = (".csv", ".xlsx", ".geojson", ".gpkg")
_NETWORKS = (".osm.pbf", ".osm.bz2", ".osm", ".graphml")


@dataclass(frozen=True)
class Area:
    """One area's files.

    Attributes
    ----------
    name
        The area's name as given (folder name or area column value).
    households, volunteers
        Its registers.
    network
        Its map (OSM file or GraphML); ``None`` until cut from a shared extract.
    service_points
        Its service points (optional).

    """

    name: str
    households: Path
    volunteers: Path
    network: Path | None = None
    service_points: Path | None = None

    @property
    def slug(self) -> str:
        """The area's name as a folder name."""
        return slug(self.name)


def slug(name: str) -> str:
    """Return ``name`` safe as a folder name (letters, digits, ``-``, ``_``; accents kept)."""
    out = re.sub(r"[^\w.-]+", "_", name.strip(), flags=re.UNICODE).strip("._")
    return out or "area"


def _one(folder: Path, stem: str, suffixes: Sequence[str]) -> Path | None:
    for suffix in suffixes:
        hit = folder / f"{stem}{suffix}"
        if hit.exists():
            return hit
    return None


def _network_in(folder: Path) -> Path | None:
    for suffix in _NETWORKS:
        hits = sorted(folder.glob(f"*{suffix}"))
        if hits:
            return hits[0]
    return None


def areas_from_folders(root: str | Path, *, network: str | Path | None = None) -> list[Area]:
    """Return an :class:`Area` per sub-folder of ``root`` holding the registers.

    A sub-folder holds ``households`` and ``volunteers`` (``.csv``, ``.xlsx``,
    ``.geojson`` or ``.gpkg``), optionally ``service_points`` and its own map (the
    first ``*.osm.pbf``, ``*.osm.bz2``, ``*.osm`` or ``*.graphml``). Without its own
    map an area uses ``network`` (cut later by boundaries, if given).

    Raises
    ------
    InputDataError
        Naming every sub-folder that lacks a register or a map.

    """
    root = Path(root)
    if not root.is_dir():
        raise InputDataError([Problem("areas folder not found", "check the path", file=str(root))])
    areas: list[Area] = []
    problems: list[Problem] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        hh = _one(folder, "households", _TABLES)
        vol = _one(folder, "volunteers", _TABLES)
        net = _network_in(folder) or (Path(network) if network is not None else None)
        missing = [w for w, p in (("households", hh), ("volunteers", vol)) if p is None]
        if net is None:
            missing.append("map")
        if missing:
            problems.append(
                Problem(
                    f"area {folder.name!r} has no {' and no '.join(missing)} file",
                    "add households.csv and volunteers.csv (and an .osm file, or give --network)",
                    file=str(folder),
                )
            )
            continue
        assert hh is not None and vol is not None
        sp = _one(folder, "service_points", _TABLES)
        areas.append(Area(folder.name, hh, vol, net, sp))
    if problems:
        raise InputDataError(problems, subject="areas")
    if not areas:
        raise InputDataError(
            [Problem("no area folders found", "make one folder per area", file=str(root))],
            subject="areas",
        )
    return areas


def _split_table(
    path: Path, column: str, what: str
) -> tuple[list[str], dict[str, list[list[str]]]]:
    """Read a CSV register as text and group its rows by ``column`` (every problem listed)."""
    import csv

    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise InputDataError([Problem(f"the {what} register is empty", "", file=str(path))])
    header, body = rows[0], rows[1:]
    names = [h.strip().lower() for h in header]
    if column.lower() not in names:
        raise InputDataError(
            [
                Problem(
                    f"no {column!r} column",
                    f"add a column {column!r} naming each row's area (commune or ward)",
                    file=str(path),
                )
            ]
        )
    k = names.index(column.lower())
    groups: dict[str, list[list[str]]] = {}
    problems = [
        Problem(f"row {i + 2}: no area", f"fill in the {column!r} column", file=str(path))
        for i, r in enumerate(body)
        if any(c.strip() for c in r) and (len(r) <= k or not r[k].strip())
    ]
    if problems:
        raise InputDataError(problems, subject=f"{what} register")
    for r in body:
        if any(c.strip() for c in r):
            groups.setdefault(r[k].strip(), []).append(r)
    return header, groups


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def areas_from_register(
    households: str | Path,
    volunteers: str | Path,
    work_dir: str | Path,
    *,
    column: str = "area",
    network: str | Path | None = None,
    service_points: str | Path | None = None,
) -> list[Area]:
    """Split CSV registers with an area column into an :class:`Area` per area.

    Each area's rows are written to ``work_dir/<area>/households.csv`` and
    ``volunteers.csv`` (kept as typed). Every area named in either register becomes an
    area; one with households but no volunteers is planned (and fails) on its own.
    ``service_points`` are split the same way when they have the column, else shared.

    Raises
    ------
    InputDataError
        A register lacks the column, or rows have no area (every row named).

    """
    work = Path(work_dir)
    hh_header, hh = _split_table(Path(households), column, "household")
    vol_header, vol = _split_table(Path(volunteers), column, "volunteer")
    sp_header: list[str] = []
    sp: dict[str, list[list[str]]] = {}
    if service_points is not None:
        try:
            sp_header, sp = _split_table(Path(service_points), column, "service point")
        except InputDataError:
            sp = {}
    areas: list[Area] = []
    for name in sorted(set(hh) | set(vol)):
        folder = work / slug(name)
        hpath, vpath = folder / "households.csv", folder / "volunteers.csv"
        write_text(hpath, _csv_text(hh_header, hh.get(name, [])))
        write_text(vpath, _csv_text(vol_header, vol.get(name, [])))
        spath: Path | None = Path(service_points) if service_points is not None else None
        if name in sp:
            spath = folder / "service_points.csv"
            write_text(spath, _csv_text(sp_header, sp[name]))
        areas.append(Area(name, hpath, vpath, Path(network) if network else None, spath))
    return areas


def _boundaries(path: Path) -> dict[str, Any]:
    """Area name -> polygon (lon/lat) from a GeoJSON or GeoPackage of boundaries."""
    import geopandas as gpd

    frame = gpd.read_file(path)
    if frame.crs is not None:
        frame = frame.to_crs(4326)
    cols = {c.lower(): c for c in frame.columns}
    name_col = next((cols[c] for c in ("area", "name") if c in cols), None)
    if name_col is None:
        raise InputDataError(
            [Problem("no 'area' or 'name' column", "name each boundary polygon", file=str(path))],
            subject="area boundaries",
        )
    return {str(n): g for n, g in zip(frame[name_col], frame.geometry, strict=True)}


def cut_networks(
    areas: Sequence[Area],
    extract: Network,
    boundaries: str | Path,
    work_dir: str | Path,
    *,
    margin_m: float = 500.0,
) -> list[Area]:
    """Give each area without its own map its part of ``extract``, cut by its boundary.

    The part is the ways with a junction inside the area's polygon grown by
    ``margin_m`` (roads just over the border stay usable), written as
    ``work_dir/<area>/network.graphml``.

    Raises
    ------
    InputDataError
        Naming every area the boundaries file has no polygon for.

    """
    from ..network import Network, fingerprint

    polygons = _boundaries(Path(boundaries))
    missing = [a.name for a in areas if a.name not in polygons]
    if missing:
        raise InputDataError(
            [
                Problem(
                    f"no boundary for area {m!r}",
                    "add its polygon (with an 'area' or 'name' value) to the boundaries file",
                    file=str(boundaries),
                )
                for m in missing
            ],
            subject="area boundaries",
        )
    import shapely

    g = extract.graph
    nodes = list(g.nodes)
    lon = [float(g.nodes[n]["x"]) for n in nodes]
    lat = [float(g.nodes[n]["y"]) for n in nodes]
    pts = shapely.points(lon, lat)
    out: list[Area] = []
    for area in areas:
        poly = polygons[area.name]
        grown = poly.buffer(margin_m / 111_000.0)  # degrees; a margin, not a measure
        inside = shapely.contains(grown, pts)
        sub = g.subgraph([n for n, ok in zip(nodes, inside, strict=True) if ok]).copy()
        places = {k: v for k, v in extract.places.items() if grown.contains(shapely.Point(*v))}
        net = Network(sub, extract.report, fingerprint(sub), places)
        path = net.save(Path(work_dir) / area.slug / "network.graphml")
        out.append(Area(area.name, area.households, area.volunteers, path, area.service_points))
    return out


def _file_hash(path: Path | None) -> str:
    if path is None:
        return ""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def area_key(area: Area, settings: Settings, extra: Mapping[str, Any] | None = None) -> str:
    """Return the hash of an area's input files' contents, the settings and the version.

    A rerun skips an area whose key is the one its last successful run stored.
    """
    from .. import __version__

    parts = {
        "version": __version__,
        "files": [
            _file_hash(p)
            for p in (area.households, area.volunteers, area.network, area.service_points)
        ],
        "settings": repr(settings),  # frozen dataclasses: the repr is every value
        "extra": dict(extra or {}),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
