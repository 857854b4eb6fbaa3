"""The registers in the project file: stored, brought up to date, read back.

:func:`init_project` creates the project or updates its registers (households,
volunteers, service points): new ids are added, changed ones updated, missing ones
marked inactive, and every change is written to ``register_log``.
:func:`read_registers` (and :func:`households_frame` and its siblings, inside an open
transaction) read them back in the contract's columns.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputDataError, Problem
from .roads import RoadFiles, remember_roads, roads_summary
from .store import (
    PathLike,
    ProgressFn,
    blob_geometry,
    create_schema,
    gpkg_blob,
    join_codes,
    set_meta,
    split_codes,
    touch,
    transaction,
    windows_from,
    windows_json,
)

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = [
    "RegisterUpdate",
    "Registers",
    "households_frame",
    "init_project",
    "read_registers",
    "service_points_frame",
    "volunteers_frame",
]

log = logging.getLogger(__name__)

_REGISTERS = {
    "households": (
        "household_id",
        (
            "head_name",
            "village",
            "phone",
            "services",
            "elderly",
            "disability",
            "remote",
            "language",
            "priority",
            "availability",
            "windows",
            "notes",
            "location_quality",
            "source_row",
        ),
    ),
    "volunteers": (
        "volunteer_id",
        (
            "name",
            "phone",
            "capacity",
            "availability",
            "windows",
            "mode",
            "skills",
            "languages",
            "source_row",
        ),
    ),
    "service_points": ("point_id", ("name", "source_row")),
}
_NOT_COMPARED = {"source_row"}


def _cell(column: str, value: Any) -> Any:
    """Turn one register value of the contract into an SQLite value."""
    if column in ("services", "skills", "languages"):
        if value is None or (isinstance(value, float) and value != value):
            return ""
        if isinstance(value, str):
            return value
        items = sorted(value) if isinstance(value, frozenset | set) else list(value)
        return join_codes(str(v) for v in items)
    if column == "windows":
        return windows_json(value)
    if column in ("elderly", "disability", "remote", "priority"):
        return int(bool(value))
    if column == "capacity":
        return int(value)
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _register_rows(frame: gpd.GeoDataFrame, register: str) -> list[dict[str, Any]]:
    key, columns = _REGISTERS[register]
    rows = []
    for rec in frame.to_dict("records"):
        row: dict[str, Any] = {key: str(rec[key])}
        for col in columns:
            row[col] = _cell(col, rec.get(col))
        row["geom"] = gpkg_blob(rec.get("geometry"))
        rows.append(row)
    return rows


@dataclass(frozen=True)
class RegisterUpdate:
    """What :func:`init_project` changed in each register.

    Each mapping is register name (``households``, ``volunteers``, ``service_points``)
    to the ids concerned.
    """

    path: Path
    created: bool
    added: Mapping[str, tuple[str, ...]]
    updated: Mapping[str, tuple[str, ...]]
    inactive: Mapping[str, tuple[str, ...]]
    reactivated: Mapping[str, tuple[str, ...]]
    unchanged: Mapping[str, int]
    warnings: tuple[Problem, ...] = ()
    """What the registers read were warned about (the update went ahead)."""
    roads: RoadFiles = field(default_factory=RoadFiles)
    """The road files remembered by this update (absolute paths; ``None``: unchanged)."""

    def summary(self) -> str:
        """Say what changed, one line per register."""
        lines = [f"{'Created' if self.created else 'Updated'} {self.path}"]
        for reg in self.unchanged:
            parts = [f"{len(self.added.get(reg, ()))} added"]
            for word, ids in (
                ("updated", self.updated),
                ("marked inactive", self.inactive),
                ("back in the list", self.reactivated),
            ):
                if ids.get(reg):
                    parts.append(f"{len(ids[reg])} {word}")
            parts.append(f"{self.unchanged[reg]} unchanged")
            lines.append(f"  {reg.replace('_', ' ')}: {', '.join(parts)}")
        return "\n".join(lines + roads_summary(self.roads))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bytes) or isinstance(b, bytes):
        ga, gb = blob_geometry(a), blob_geometry(b)
        if ga is None or gb is None:
            return ga is None and gb is None
        return bool(ga.equals_exact(gb, 1e-7))
    return bool(a == b)


@dataclass(frozen=True)
class _Sync:
    """One register being brought up to date, and where its changes are noted."""

    conn: sqlite3.Connection
    register: str
    today: str
    out: dict[str, dict[str, list[str]]]

    @property
    def key(self) -> str:
        return _REGISTERS[self.register][0]

    @property
    def cols(self) -> tuple[str, ...]:
        return (*_REGISTERS[self.register][1], "geom")

    def note(self, kind: str, item: str) -> None:
        """Count ``item`` as ``kind`` (added, updated, inactive, reactivated)."""
        self.out[kind].setdefault(self.register, []).append(item)

    def log_change(self, item: str, change: str, detail: str = "") -> None:
        """Write one line of ``register_log``."""
        self.conn.execute(
            "INSERT INTO register_log (changed_on, register, item_id, change, "
            "detail) VALUES (?, ?, ?, ?, ?)",
            (self.today, self.register, item, change, detail),
        )


def _add_item(sync: _Sync, item: str, row: Mapping[str, Any]) -> None:
    cols = sync.cols
    sync.conn.execute(
        f'INSERT INTO "{sync.register}" ({sync.key}, {", ".join(cols)}, active, added_on, '
        f"updated_on) VALUES ({', '.join('?' * (len(cols) + 1))}, 1, ?, ?)",
        (item, *(row[c] for c in cols), sync.today, sync.today),
    )
    sync.log_change(item, "added")
    sync.note("added", item)


def _change_detail(
    changed: list[str], old_values: Mapping[str, Any], row: Mapping[str, Any]
) -> str:
    return "; ".join(
        f"{c}: {'moved' if c == 'geom' else repr(old_values[c])} -> "
        f"{'' if c == 'geom' else repr(row[c])}".rstrip(" ->")
        for c in changed
    )


def _placed_at_same_village(old: Mapping[str, Any], row: Mapping[str, Any]) -> bool:
    """Whether a household without coordinates was and is placed at the same village.

    Its point is a guess (the village's place on the map, or the middle of its other
    households, which moves as they change): a new guess is no move of the household.
    """
    guessed = old.get("location_quality") == "village" == row.get("location_quality")
    return guessed and old.get("village") == row.get("village")


def _refresh_item(sync: _Sync, item: str, row: Mapping[str, Any], old: tuple[Any, ...]) -> int:
    """Update a known item (reactivated, updated or unchanged); return 1 if unchanged."""
    cols, key, register = sync.cols, sync.key, sync.register
    old_values = dict(zip(cols, old[2:], strict=True))
    skip = set(_NOT_COMPARED)
    if _placed_at_same_village(old_values, row):
        skip.add("geom")  # its place was guessed, not moved: keep the stored one
    changed = [c for c in cols if c not in skip and not _same(old_values[c], row[c])]
    unchanged = 0
    if not old[1]:
        sync.note("reactivated", item)
        sync.log_change(item, "reactivated")
    elif changed:
        sync.note("updated", item)
    else:
        unchanged = 1
    if changed:
        sync.log_change(item, "updated", _change_detail(changed, old_values, row))
    if changed or not old[1]:
        sync.conn.execute(
            f'UPDATE "{register}" SET {", ".join(f"{c} = ?" for c in cols)}, active = 1, '
            f"inactive_since = NULL, updated_on = ? WHERE {key} = ?",
            (*(row[c] for c in cols), sync.today, item),
        )
    elif old_values.get("source_row") != row.get("source_row"):
        sync.conn.execute(
            f'UPDATE "{register}" SET source_row = ? WHERE {key} = ?', (row["source_row"], item)
        )
    return unchanged


def _inactivate(sync: _Sync, item: str) -> None:
    sync.conn.execute(
        f'UPDATE "{sync.register}" SET active = 0, inactive_since = ?, '
        f"updated_on = ? WHERE {sync.key} = ?",
        (sync.today, sync.today, item),
    )
    sync.log_change(item, "inactive", "no longer in the list")
    sync.note("inactive", item)


def _update_register(sync: _Sync, frame: gpd.GeoDataFrame) -> int:
    """Bring one register up to date with ``frame``; return how many items are unchanged."""
    rows = _register_rows(frame, sync.register)
    existing = {
        r[0]: r
        for r in sync.conn.execute(
            f'SELECT {sync.key}, active, {", ".join(sync.cols)} FROM "{sync.register}"'
        )
    }
    seen: set[str] = set()
    unchanged = 0
    for row in rows:
        item = row[sync.key]
        seen.add(item)
        old = existing.get(item)
        if old is None:
            _add_item(sync, item, row)
        else:
            unchanged += _refresh_item(sync, item, row, old)
    for item, old in existing.items():
        if item not in seen and old[1]:
            _inactivate(sync, item)
    touch(sync.conn, sync.register)
    return unchanged


def _missing_registers(path: Path, missing: list[str]) -> InputDataError:
    return InputDataError(
        [
            Problem(
                f"a new project needs every register; missing: {', '.join(missing)}",
                "give --households, --volunteers and --service-points",
                file=path.name,
            )
        ]
    )


def _store_registers(
    conn: sqlite3.Connection,
    path: Path,
    given: Mapping[str, Any],
    noted: tuple[str, dict[str, dict[str, list[str]]]],
    unchanged: dict[str, int],
    progress: ProgressFn | None,
) -> bool:
    """Store each register given; return whether the project file is new.

    ``noted`` is (today's date, where the changes are noted); ``unchanged`` gets each
    register's count of rows left as they were.
    """
    today_s, out = noted
    created = create_schema(conn)
    missing = [k for k, v in given.items() if v is None]
    if created and missing:
        raise _missing_registers(path, missing)
    for k, (register, frame) in enumerate(given.items()):
        if frame is None:
            continue
        if progress:
            progress(f"storing {register.replace('_', ' ')}", k / 3)
        unchanged[register] = _update_register(_Sync(conn, register, today_s, out), frame)
    return created


def init_project(
    path: PathLike,
    *,
    households: gpd.GeoDataFrame | None = None,
    volunteers: gpd.GeoDataFrame | None = None,
    service_points: gpd.GeoDataFrame | None = None,
    roads: RoadFiles | None = None,
    today: dt.date | None = None,
    progress: ProgressFn | None = None,
) -> RegisterUpdate:
    """Create the project file, or bring its registers up to date.

    Registers are matched by id: new ids are added, changed ones updated (and the
    change written to ``register_log``), and ids missing from the new list are marked
    inactive with today's date; nothing is ever deleted. A register not given is left
    as it is. Everything happens in one transaction.

    Parameters
    ----------
    path
        The project file (``.gpkg``); created if missing.
    households, volunteers, service_points
        Registers as read by :mod:`routeplan.registers` (see ``docs/ARCHITECTURE.md``).
        All three are needed to create a project.
    roads
        The road network, elevation and closures files to plan with
        (:class:`RoadFiles`: their paths are remembered, the files are not copied into
        the project; one not given is left as it was).
    today
        Date written as ``added_on`` / ``inactive_since`` (default: today).
    progress
        Optional ``progress(message, fraction)`` callback.

    Returns
    -------
    RegisterUpdate
        What was added, updated, marked inactive or reactivated.

    Raises
    ------
    InputDataError
        If a new project lacks a register, or the file is some other GeoPackage.

    """
    path = Path(path)
    today_s = (today or dt.date.today()).isoformat()
    given = {"households": households, "volunteers": volunteers, "service_points": service_points}
    out: dict[str, dict[str, list[str]]] = {
        "added": {},
        "updated": {},
        "inactive": {},
        "reactivated": {},
    }
    unchanged: dict[str, int] = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    with transaction(path, write=True, create=True, what="init (registers)") as conn:
        created = _store_registers(conn, path, given, (today_s, out), unchanged, progress)
        remembered = remember_roads(conn, roads) if roads is not None else RoadFiles()
        set_meta(conn, "registers_updated", today_s)
    if progress:
        progress("project saved", 1.0)
    ids = {k: {r: tuple(found) for r, found in v.items()} for k, v in out.items()}
    result = RegisterUpdate(
        path=path,
        created=created,
        added=ids["added"],
        updated=ids["updated"],
        inactive=ids["inactive"],
        reactivated=ids["reactivated"],
        unchanged=unchanged,
        roads=remembered,
    )

    log.info("%s", result.summary())
    return result


def _frame(rows: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    import geopandas as gpd

    geoms = [r.pop("geom") for r in rows]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")


def households_frame(conn: sqlite3.Connection, active_only: bool) -> gpd.GeoDataFrame:
    """Read the households register (the active ones only if ``active_only``).

    The contract's columns, plus ``active`` and ``inactive_since``.
    """
    where = "WHERE active = 1" if active_only else ""
    cur = conn.execute(
        "SELECT household_id, head_name, village, phone, services, elderly, disability, "
        "remote, language, priority, windows, availability, notes, location_quality, "
        f"source_row, active, inactive_since, geom FROM households {where} ORDER BY fid"
    )
    rows = []
    for r in cur:
        rows.append(
            {
                "household_id": r[0],
                "head_name": r[1] or "",
                "village": r[2] or "",
                "phone": r[3] or "",
                "services": split_codes(r[4]),
                "elderly": bool(r[5]),
                "disability": bool(r[6]),
                "remote": bool(r[7]),
                "language": r[8] or "",
                "priority": bool(r[9]),
                "windows": windows_from(r[10]),
                "availability": r[11] or "",
                "notes": r[12] or "",
                "location_quality": r[13] or "gps",
                "source_row": r[14] or "",
                "active": bool(r[15]),
                "inactive_since": r[16],
                "geom": blob_geometry(r[17]),
            }
        )
    return _frame(rows)


def volunteers_frame(conn: sqlite3.Connection, active_only: bool) -> gpd.GeoDataFrame:
    """Read the volunteers register (the active ones only if ``active_only``).

    The contract's columns, plus ``active`` and ``inactive_since``.
    """
    where = "WHERE active = 1" if active_only else ""
    cur = conn.execute(
        "SELECT volunteer_id, name, phone, capacity, windows, availability, mode, skills, "
        f"languages, source_row, active, inactive_since, geom FROM volunteers {where} "
        "ORDER BY fid"
    )
    rows = []
    for r in cur:
        rows.append(
            {
                "volunteer_id": r[0],
                "name": r[1] or "",
                "phone": r[2] or "",
                "capacity": int(r[3]),
                "windows": windows_from(r[4]),
                "availability": r[5] or "",
                "mode": r[6] or "motorbike",
                "skills": frozenset(split_codes(r[7])),
                "languages": frozenset(split_codes(r[8])),
                "source_row": r[9] or "",
                "active": bool(r[10]),
                "inactive_since": r[11],
                "geom": blob_geometry(r[12]),
            }
        )
    return _frame(rows)


def service_points_frame(conn: sqlite3.Connection, active_only: bool) -> gpd.GeoDataFrame:
    """Read the service points register (the active ones only if ``active_only``).

    The contract's columns, plus ``active`` and ``inactive_since``.
    """
    where = "WHERE active = 1" if active_only else ""
    rows = [
        {
            "point_id": r[0],
            "name": r[1] or "",
            "source_row": r[2] or "",
            "active": bool(r[3]),
            "inactive_since": r[4],
            "geom": blob_geometry(r[5]),
        }
        for r in conn.execute(
            "SELECT point_id, name, source_row, active, inactive_since, "
            f"geom FROM service_points {where} ORDER BY fid"
        )
    ]
    return _frame(rows)


@dataclass(frozen=True)
class Registers:
    """The registers stored in a project (GeoDataFrames in the contract's columns).

    Each frame has two more columns: ``active`` (bool) and ``inactive_since``
    (ISO date or ``None``).
    """

    households: gpd.GeoDataFrame
    volunteers: gpd.GeoDataFrame
    service_points: gpd.GeoDataFrame


def read_registers(path: PathLike, *, active_only: bool = True) -> Registers:
    """Read the registers stored in the project file.

    Parameters
    ----------
    path
        The project file.
    active_only
        Leave out households, volunteers and service points marked inactive.

    """
    with transaction(path, write=False) as conn:
        return Registers(
            households_frame(conn, active_only),
            volunteers_frame(conn, active_only),
            service_points_frame(conn, active_only),
        )
