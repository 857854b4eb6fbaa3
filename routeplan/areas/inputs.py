"""The areas of a multi-area run: a folder per area, or registers with an area column.

Each :class:`Area` is a commune or ward with its own households, volunteers and map.
The map is the area's own file (an OSM file or GraphML in its folder), or the area's
part of one large extract, cut by the area's boundary polygon
(:func:`routeplan.areas.cut_networks`). :func:`area_key` is the hash a rerun compares
to skip an area whose inputs and settings have not changed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._io import write_text
from ..config import Settings
from ..errors import InputDataError, Problem

__all__ = [
    "Area",
    "area_key",
    "areas_from_folders",
    "areas_from_register",
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
    register, register_rows
        For an area split from a register with an area column: that register, and
        the row (spreadsheet numbering) of each of ``households``' rows in it, so that
        problems name the row the user typed.
    problems
        Problems found before its run (a household outside its boundary): its run
        fails with them.

    """

    name: str
    households: Path
    volunteers: Path
    network: Path | None = None
    service_points: Path | None = None
    register: Path | None = None
    register_rows: tuple[int, ...] = ()
    problems: tuple[Problem, ...] = ()

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
) -> tuple[list[str], dict[str, list[tuple[int, list[str]]]]]:
    """Read a CSV register as text; group its (row number, cells) by ``column``.

    The area column itself is left out of the header and cells returned (the area's
    folder says it). Every row without an area is listed in the error.
    """
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
    groups: dict[str, list[tuple[int, list[str]]]] = {}
    problems = [
        Problem(f"row {i + 2}: no area", f"fill in the {column!r} column", file=str(path))
        for i, r in enumerate(body)
        if any(c.strip() for c in r) and (len(r) <= k or not r[k].strip())
    ]
    if problems:
        raise InputDataError(problems, subject=f"{what} register")
    for i, r in enumerate(body):
        if any(c.strip() for c in r):
            groups.setdefault(r[k].strip(), []).append((i + 2, r[:k] + r[k + 1 :]))
    return header[:k] + header[k + 1 :], groups


def _csv_text(header: list[str], rows: list[tuple[int, list[str]]]) -> str:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(cells for _, cells in rows)
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
    ``volunteers.csv`` (kept as typed, less the area column). Every area named in
    either register becomes an area; one with households but no volunteers is planned
    (and fails) on its own. ``service_points`` are split the same way when they have
    the column, else shared. Each area remembers the register's row of each of its
    households, so that a problem found later (a household outside its boundary)
    names the row as typed.

    Raises
    ------
    InputDataError
        A register lacks the column, or rows have no area (every row named).

    """
    work = Path(work_dir)
    hh_header, hh = _split_table(Path(households), column, "household")
    vol_header, vol = _split_table(Path(volunteers), column, "volunteer")
    sp_header: list[str] = []
    sp: dict[str, list[tuple[int, list[str]]]] = {}
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
        rows = tuple(n for n, _ in hh.get(name, []))
        net = Path(network) if network else None
        areas.append(Area(name, hpath, vpath, net, spath, Path(households), rows))
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
        "settings": repr(settings),  # frozen dataclasses: the repr is every value
        "extra": dict(extra or {}),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
