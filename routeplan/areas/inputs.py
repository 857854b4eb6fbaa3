"""The areas of a multi-area run: a folder per area, or registers with an area column.

Each :class:`Area` is a commune or ward with its own households, volunteers and map.
The map is the area's own file (an OSM file or GraphML in its folder), or the area's
part of one large extract, cut by the area's boundary polygon
(:func:`routeplan.areas.cut_networks`). :func:`area_key` is the hash a rerun compares
to skip an area whose inputs and settings have not changed.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import InputDataError, Problem
from ..registers import Kind
from .split import Origin, Split, in_register

__all__ = [
    "Area",
    "area_key",
    "areas_from_folders",
    "areas_from_register",
    "slug",
]

log = logging.getLogger(__name__)

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
    origins
        For an area split from registers with an area column: where the rows of each
        of its files came from (:class:`~routeplan.areas.split.Origin`: the register
        and its row of each row), so that problems name the row the user typed
        (:meth:`in_register`).
    problems
        Problems found before its run (a household outside its boundary): its run
        fails with them.

    """

    name: str
    households: Path
    volunteers: Path
    network: Path | None = None
    service_points: Path | None = None
    origins: tuple[Origin, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def slug(self) -> str:
        """The area's name as a folder name."""
        return slug(self.name)

    @property
    def register(self) -> Path | None:
        """The households register this area was split from (``None``: its own file)."""
        return self.origins[0].register if self.origins else None

    def in_register(self, problem: Problem) -> Problem:
        """Return ``problem`` naming the register and its row the user typed.

        A problem of one of this area's split files names the register it came from
        and the register's rows (see :func:`~routeplan.areas.split.in_register`);
        an area with its own files returns it as it is.
        """
        return in_register(self.origins, problem)


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


def _split_all(
    households: Path, volunteers: Path, service_points: Path | None, column: str
) -> tuple[Split, Split, Split | None]:
    """Split the registers by ``column``; raise once with the problems of all of them."""
    from .split import split_register

    problems: list[Problem] = []
    splits: list[Split | None] = []
    given: list[tuple[Path | None, Kind, str]] = [
        (households, "households", "household"),
        (volunteers, "volunteers", "volunteer"),
        (service_points, "service_points", "service point"),
    ]
    for path, kind, what in given:
        if path is None:
            splits.append(None)
            continue
        try:
            splits.append(split_register(path, column, kind, what))
        except InputDataError as exc:
            if kind == "service_points" and not any(p.row for p in exc.problems):
                splits.append(None)  # no area column: shared by every area
                continue
            problems.extend(exc.problems)
            splits.append(None)
    if problems:
        raise InputDataError(problems, subject="registers")
    for split in splits:
        for p in split.warnings if split is not None else ():
            log.warning("%s", p)
    hh, vol, sp = splits
    assert hh is not None and vol is not None
    return hh, vol, sp


def _unmatched(name: str, hh: Split, vol: Split, column: str) -> list[Problem]:
    """Return a problem naming the rows of an area named in only one of the registers."""
    if hh.rows(name) and vol.rows(name):
        return []
    has, lacks = (hh, vol) if hh.rows(name) else (vol, hh)
    what, other = ("households", "volunteers") if has is hh else ("volunteers", "households")
    rows = [str(n) for n, _ in has.rows(name)]
    shown = ", ".join(rows[:12]) + (f" and {len(rows) - 12} more" if len(rows) > 12 else "")
    others = [a for a in lacks.groups if not has.rows(a)] or list(lacks.groups)
    near = next(iter(difflib.get_close_matches(name, others, n=1, cutoff=0.6)), None)
    fix = f"add the {other} of area {name!r} to {lacks.path} (column {column!r})" + (
        f", or if {name!r} is {near!r} spelt differently, write {near!r}" if near else ""
    )
    row_s = "row" if len(rows) == 1 else "rows"
    message = f"area {name!r} has {what} ({row_s} {shown}) but no {other} in {lacks.path}"
    return [Problem(message, fix, file=str(has.path))]


def areas_from_register(
    households: str | Path,
    volunteers: str | Path,
    work_dir: str | Path,
    *,
    column: str = "area",
    network: str | Path | None = None,
    service_points: str | Path | None = None,
) -> list[Area]:
    """Split registers with an area column into an :class:`Area` per area.

    The registers are read as the single-area commands read them (CSV, TSV, TXT or
    XLSX: :func:`routeplan.registers.read_cells`; GeoJSON or GeoPackage). Each area's
    rows are written to ``work_dir/<area>/households.csv`` and ``volunteers.csv``
    (``.geojson`` for a GeoJSON or GeoPackage register), kept as typed, less the area
    column. Every area named in either register becomes an area; one
    named in only one of them fails on its own, naming its rows. ``service_points``
    are split the same way when they have the column, else shared. Each area
    remembers the register's row of each of its rows (:attr:`Area.origins`), so that
    every problem found later (a household outside its boundary, a wrong value, a
    point far from the map) names the row the coordinator typed.

    Raises
    ------
    InputDataError
        A register cannot be read or lacks the column, or rows have no area (every
        row of every register named).

    """
    work = Path(work_dir)
    sp_path = Path(service_points) if service_points is not None else None
    hh, vol, sp = _split_all(Path(households), Path(volunteers), sp_path, column)
    areas: list[Area] = []
    for name in sorted(set(hh.groups) | set(vol.groups)):
        folder = work / slug(name)
        origins = [hh.write(folder, "households", name), vol.write(folder, "volunteers", name)]
        spath = sp_path
        if sp is not None and sp.rows(name):
            origins.append(sp.write(folder, "service_points", name))
            spath = origins[-1].split
        net = Path(network) if network else None
        problems = tuple(_unmatched(name, hh, vol, column))
        areas.append(
            Area(name, origins[0].split, origins[1].split, net, spath, tuple(origins), problems)
        )
    return areas


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
        "rows": [[str(o.register), list(o.rows)] for o in area.origins],  # as problems say
        "settings": repr(settings),  # frozen dataclasses: the repr is every value
        "extra": dict(extra or {}),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
