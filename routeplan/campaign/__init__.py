"""The campaign: a project file that remembers registers, weekly plans and the visit log.

The "1+20" model is not one trip: volunteers go back week after week until every
household's services are done. A *project file* keeps what a coordinator needs for
that in one SQLite file that is also a GeoPackage, so QGIS opens it as it is:

``households``, ``volunteers``, ``service_points``
    The registers as point layers (EPSG:4326). A household or volunteer that leaves
    the list is never deleted: it is marked ``active = 0`` with ``inactive_since``.
``register_log``
    Every register change (added, updated, inactive, reactivated) with its date.
``plans``, ``plan_households``, ``plan_routes``, ``plan_stops``, ``plan_changes``
    Each week's plan, keyed by ``week_start`` (a Monday).
``visits``, ``imports``
    The visit log: one row per household visit, as ticked on the printed route sheet
    and typed into an outcomes CSV (see ``data/templates/outcomes.csv``), and one row
    per imported file with its content hash.

Every write is one SQLite transaction started with ``BEGIN IMMEDIATE`` (rollback
journal, busy timeout): a crash or a rejected import leaves the file as it was, and two
coordinators importing at the same time wait for each other instead of corrupting it.
``PRAGMA user_version`` stays the GeoPackage version (10400) that GDAL and QGIS check;
the project schema version is ``routeplan_meta.schema_version`` (:data:`SCHEMA_VERSION`).

The main entries are :func:`init_project` (create or update the registers),
:func:`record_outcomes` (import a week's outcomes), :func:`next_week_inputs` (what to
plan next), :func:`save_plan` / :func:`load_plan` and :func:`progress_report` /
:func:`write_progress` (running totals per hamlet and per volunteer).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import hashlib
import html
import io
import json
import logging
import re
import sqlite3
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from .._io import write_text
from .._labels import LABELS, label
from ..config import Settings
from ..errors import InputDataError, Problem, RouteplanError
from ..planner import Change, Plan, Route, Stop, Unassigned
from ..render.text import service_labels
from ..timewindows import Window, fold, format_clock, format_windows, merge_windows, slug

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "OUTCOMES",
    "SCHEMA_VERSION",
    "Carryover",
    "ImportResult",
    "ProgressReport",
    "RegisterUpdate",
    "Registers",
    "WeekPlan",
    "init_project",
    "load_plan",
    "next_week_inputs",
    "parse_date",
    "parse_outcome",
    "plan_week",
    "progress_html",
    "progress_report",
    "project_network",
    "read_registers",
    "record_outcomes",
    "save_plan",
    "weeks",
    "write_progress",
]

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, float], None]
PathLike = str | Path

SCHEMA_VERSION = 1
"""Version of the project schema, kept in ``routeplan_meta``; bumped on every change."""

BUSY_TIMEOUT_S = 60.0
"""How long a writer waits for another coordinator's write to finish."""

GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_USER_VERSION = 10400  # GeoPackage 1.4.0

OUTCOMES = ("done", "not_at_home", "refused", "follow_up")
"""Outcome codes of a visit, as on the printed route sheet's tick boxes."""

_OUTCOME_WORDS: dict[str, str] = {
    "done": "done",
    "xong": "done",
    "da xong": "done",
    "hoan thanh": "done",
    "completed": "done",
    "complete": "done",
    "ok": "done",
    "not_at_home": "not_at_home",
    "not at home": "not_at_home",
    "absent": "not_at_home",
    "vang nha": "not_at_home",
    "vang": "not_at_home",
    "khong co nha": "not_at_home",
    "khong o nha": "not_at_home",
    "nobody home": "not_at_home",
    "refused": "refused",
    "tu choi": "refused",
    "declined": "refused",
    "khong dong y": "refused",
    "follow_up": "follow_up",
    "follow up": "follow_up",
    "followup": "follow_up",
    "hen lai": "follow_up",
    "hen lai mang giay to": "follow_up",
    "quay lai": "follow_up",
    "come back": "follow_up",
    "come back with papers": "follow_up",
}

_SERVICE_ALIASES: dict[str, str] = {
    "cks": "digital_signature",
    "chu_ky_so": "digital_signature",
    "dinh_danh": "vneid",
    "dinh_danh_dien_tu": "vneid",
    "vneid_muc_2": "vneid",
    "luong_huu": "pension",
    "tro_cap": "pension",
    "bhyt": "health_insurance",
    "bhxh": "social_insurance",
    "khai_sinh": "birth_registration",
    "cu_tru": "residence",
    "thue": "tax",
    "sim_chinh_chu": "sim",
    "sim_card": "sim",
}

_COLUMNS: dict[str, tuple[str, ...]] = {
    "household_id": ("household_id", "household", "ma_ho", "ma_ho_gia_dinh", "ho"),
    "date": ("date", "visit_date", "ngay", "ngay_tham"),
    "volunteer_id": ("volunteer_id", "volunteer", "ma_tnv", "tnv", "tinh_nguyen_vien"),
    "outcome": ("outcome", "result", "ket_qua"),
    "services_done": ("services_done", "services", "dich_vu_da_lam", "viec_da_lam", "da_lam"),
    "people_supported": ("people_supported", "people", "so_nguoi", "so_nguoi_duoc_ho_tro"),
    "follow_up": ("follow_up", "hen_lai", "viec_hen_lai"),
    "service_point_trip": ("service_point_trip", "can_den_diem_phuc_vu", "diem_phuc_vu"),
    "notes": ("notes", "note", "ghi_chu"),
}
_REQUIRED = ("household_id", "date", "volunteer_id", "outcome")

_TRUE = {"1", "yes", "y", "true", "x", "co", "can", "v", "có"}
_FALSE = {"", "0", "no", "n", "false", "khong", "không", "-"}

_DAY_PARTS = ((0, 720), (720, 1020), (1020, 1440))
"""Morning (before 12:00), afternoon (12:00-17:00) and evening (after 17:00), in minutes."""
_WHOLE_WEEK: tuple[Window, ...] = tuple((d, 0, 1440) for d in range(7))

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)

# --- schema -------------------------------------------------------------------------

_GPKG_DDL = (
    """CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
        srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
        organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
        definition TEXT NOT NULL, description TEXT)""",
    """CREATE TABLE IF NOT EXISTS gpkg_contents (
        table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
        identifier TEXT UNIQUE, description TEXT DEFAULT '',
        last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id)
            REFERENCES gpkg_spatial_ref_sys(srs_id))""",
    """CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
        table_name TEXT NOT NULL, column_name TEXT NOT NULL,
        geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
        z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT uk_gc_table_name UNIQUE (table_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""",
)

_ACTIVE = "active BOOLEAN NOT NULL DEFAULT 1, added_on DATE, updated_on DATE, inactive_since DATE"

# (table, kind, description, columns) ; kind is "features" or "attributes".
_TABLES: tuple[tuple[str, str, str, str], ...] = (
    (
        "households",
        "features",
        "Household register (inactive ones kept)",
        "household_id TEXT NOT NULL UNIQUE, head_name TEXT, village TEXT, phone TEXT, "
        "services TEXT, elderly BOOLEAN, disability BOOLEAN, remote BOOLEAN, language TEXT, "
        "priority BOOLEAN, availability TEXT, windows TEXT, notes TEXT, "
        "location_quality TEXT, source_row TEXT, " + _ACTIVE,
    ),
    (
        "volunteers",
        "features",
        "Volunteer register (homes; inactive ones kept)",
        "volunteer_id TEXT NOT NULL UNIQUE, name TEXT, phone TEXT, capacity INTEGER, "
        "availability TEXT, windows TEXT, mode TEXT, skills TEXT, languages TEXT, "
        "source_row TEXT, " + _ACTIVE,
    ),
    (
        "service_points",
        "features",
        "Service points",
        "point_id TEXT NOT NULL UNIQUE, name TEXT, source_row TEXT, " + _ACTIVE,
    ),
    (
        "register_log",
        "attributes",
        "Changes to the registers",
        "changed_on DATE NOT NULL, register TEXT NOT NULL, item_id TEXT NOT NULL, "
        "change TEXT NOT NULL, detail TEXT",
    ),
    (
        "plans",
        "attributes",
        "Weekly plans",
        "week_start DATE NOT NULL UNIQUE, created_at DATETIME NOT NULL, "
        "routeplan_version TEXT, households INTEGER, visits INTEGER, unassigned INTEGER, "
        "rollover INTEGER, stats TEXT, volunteers TEXT",
    ),
    (
        "plan_households",
        "attributes",
        "Each week's households: volunteer, status, to-do",
        "week_start DATE NOT NULL, household_id TEXT NOT NULL, volunteer_id TEXT, "
        "status TEXT NOT NULL, reason TEXT, detail TEXT, services TEXT, windows TEXT, "
        "retry BOOLEAN, follow_up TEXT, service_point_trip BOOLEAN, "
        "UNIQUE (week_start, household_id)",
    ),
    (
        "plan_routes",
        "attributes",
        "Each week's rounds",
        "week_start DATE NOT NULL, route_no INTEGER NOT NULL, volunteer_id TEXT NOT NULL, "
        "day INTEGER NOT NULL, mode TEXT, start_s INTEGER, end_s INTEGER, travel_s INTEGER, "
        "service_s INTEGER, UNIQUE (week_start, route_no)",
    ),
    (
        "plan_stops",
        "attributes",
        "Each week's stops in visit order",
        "week_start DATE NOT NULL, route_no INTEGER NOT NULL, volunteer_id TEXT NOT NULL, "
        "day INTEGER NOT NULL, stop_order INTEGER NOT NULL, household_id TEXT NOT NULL, "
        "arrival_s INTEGER, service_s INTEGER, travel_s INTEGER, "
        "UNIQUE (week_start, route_no, stop_order)",
    ),
    (
        "plan_changes",
        "attributes",
        "Households that changed volunteer",
        "week_start DATE NOT NULL, household_id TEXT NOT NULL, old_volunteer TEXT, "
        "new_volunteer TEXT, reason TEXT",
    ),
    (
        "visits",
        "attributes",
        "Visit log: one row per visit as ticked on the route sheet",
        "household_id TEXT NOT NULL, visit_date DATE NOT NULL, volunteer_id TEXT NOT NULL, "
        "outcome TEXT NOT NULL, services_done TEXT NOT NULL DEFAULT '', "
        "services_listed TEXT NOT NULL DEFAULT '', people_supported INTEGER, "
        "follow_up TEXT NOT NULL DEFAULT '', service_point_trip BOOLEAN NOT NULL DEFAULT 0, "
        "notes TEXT NOT NULL DEFAULT '', import_id INTEGER, source_row TEXT, "
        "recorded_at DATETIME, UNIQUE (household_id, visit_date, volunteer_id)",
    ),
    (
        "imports",
        "attributes",
        "Imported outcome files",
        "file_name TEXT, content_hash TEXT NOT NULL UNIQUE, imported_at DATETIME NOT NULL, "
        "rows INTEGER, added INTEGER, corrected INTEGER, unchanged INTEGER",
    ),
)
_FEATURES = {t for t, kind, _, _ in _TABLES if kind == "features"}
_INDEXES = (
    "CREATE INDEX IF NOT EXISTS visits_household ON visits (household_id, visit_date)",
    "CREATE INDEX IF NOT EXISTS plan_stops_household ON plan_stops (household_id)",
    "CREATE INDEX IF NOT EXISTS plan_households_household ON plan_households (household_id)",
)
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


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"


# --- GeoPackage geometry blobs ------------------------------------------------------


def _gpkg_blob(geom: Any) -> bytes | None:
    """Encode a shapely geometry as GeoPackage binary (header + little-endian WKB)."""
    if geom is None:
        return None
    import shapely

    if geom.is_empty:
        return (
            b"GP"
            + bytes((0, 0x11))
            + struct.pack("<i", 4326)
            + bytes(shapely.to_wkb(geom, byte_order=1))
        )
    wkb = bytes(shapely.to_wkb(geom, byte_order=1, output_dimension=2))
    return b"GP" + bytes((0, 0x01)) + struct.pack("<i", 4326) + wkb


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _geom(blob: bytes | None) -> Any:
    """Decode GeoPackage binary (any envelope, either byte order) to a shapely geometry."""
    if blob is None or len(blob) < 8 or blob[:2] != b"GP":
        return None
    import shapely

    size = _ENVELOPE_BYTES.get((blob[3] >> 1) & 0x07, 0)
    return shapely.from_wkb(bytes(blob[8 + size :]))


def _st(fn: Callable[[Any], float]) -> Callable[[bytes | None], float | None]:
    def wrapped(blob: bytes | None) -> float | None:
        g = _geom(blob)
        return None if g is None or g.is_empty else float(fn(g))

    return wrapped


def _st_is_empty(blob: bytes | None) -> int:
    return int(blob is None or len(blob) < 4 or bool(blob[3] & 0x10))


def _add_sql_functions(conn: sqlite3.Connection) -> None:
    # GDAL's spatial-index triggers call these; a user may add an index in QGIS.
    conn.create_function("ST_IsEmpty", 1, _st_is_empty, deterministic=True)
    conn.create_function("ST_MinX", 1, _st(lambda g: g.bounds[0]), deterministic=True)
    conn.create_function("ST_MinY", 1, _st(lambda g: g.bounds[1]), deterministic=True)
    conn.create_function("ST_MaxX", 1, _st(lambda g: g.bounds[2]), deterministic=True)
    conn.create_function("ST_MaxY", 1, _st(lambda g: g.bounds[3]), deterministic=True)


# --- connections and transactions ---------------------------------------------------


def _not_a_project(path: Path, why: str) -> InputDataError:
    return InputDataError(
        [
            Problem(
                why,
                "give the project file made by `routeplan init`, or "
                "make one with `routeplan init PROJECT.gpkg --households "
                "... --volunteers ... --service-points ...`",
                file=path.name,
            )
        ],
        subject=path.name,
    )


@contextlib.contextmanager
def _transaction(
    path: PathLike, *, write: bool, create: bool = False
) -> Iterator[sqlite3.Connection]:
    """Open the project and run the block in one transaction (``BEGIN IMMEDIATE`` to write).

    On any exception the transaction is rolled back, so the file is as it was.
    """
    path = Path(path)
    if not create and not path.is_file():
        raise _not_a_project(path, "project file not found")
    if path.is_file() and path.stat().st_size:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise _not_a_project(path, "not an SQLite/GeoPackage file")
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        _add_sql_functions(conn)
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.DatabaseError as exc:
            raise _not_a_project(path, f"not an SQLite/GeoPackage file ({exc})") from None
        try:
            if not create:
                _check_schema(conn, path)
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.close()


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    try:
        row = conn.execute("SELECT value FROM routeplan_meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else str(row[0])


def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO routeplan_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def _check_schema(conn: sqlite3.Connection, path: Path) -> None:
    version = _meta(conn, "schema_version")
    if version is None:
        raise _not_a_project(path, "this file is not a routeplan project (no routeplan_meta)")
    if int(version) > SCHEMA_VERSION:
        raise RouteplanError(
            f"{path.name} was written by a newer routeplan (project schema {version}, this "
            f"routeplan reads up to {SCHEMA_VERSION}): upgrade routeplan."
        )
    # Older schemas would be migrated here, one version at a time, in this transaction.


def _create_schema(conn: sqlite3.Connection) -> bool:
    """Create the GeoPackage and project tables if missing; return True if new."""
    new = _meta(conn, "schema_version") is None
    if (
        new
        and conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
        > 0
        and conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'gpkg_contents'"
        ).fetchone()[0]
    ):
        raise InputDataError(
            [
                Problem(
                    "this GeoPackage already holds other layers and is not a routeplan project",
                    "choose a new file name for the project",
                )
            ]
        )
    conn.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
    for ddl in _GPKG_DDL:
        conn.execute(ddl)
    conn.executemany(
        "INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian"),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic"),
            ("WGS 84 geodetic", 4326, "EPSG", 4326, _WGS84_WKT, "longitude/latitude"),
        ],
    )
    conn.execute(
        "CREATE TABLE IF NOT EXISTS routeplan_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT)"
    )
    for table, kind, description, columns in _TABLES:
        geom = "geom POINT, " if kind == "features" else ""
        conn.execute(
            f'CREATE TABLE IF NOT EXISTS "{table}" '
            f"(fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {geom}{columns})"
        )
        conn.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
            "description, last_change, srs_id) VALUES (?, ?, ?, ?, ?, ?)",
            (table, kind, table, description, _now(), 4326 if kind == "features" else None),
        )
        if kind == "features":
            conn.execute(
                "INSERT OR IGNORE INTO gpkg_geometry_columns VALUES "
                "(?, 'geom', 'POINT', 4326, 0, 0)",
                (table,),
            )
    for ddl in _INDEXES:
        conn.execute(ddl)
    if new:
        _set_meta(conn, "schema_version", str(SCHEMA_VERSION))
        _set_meta(conn, "created_at", _now())
        _set_meta(conn, "created_by", f"routeplan {__version__}")
    return new


def _touch(conn: sqlite3.Connection, table: str) -> None:
    if table in _FEATURES:
        conn.execute(
            f"UPDATE gpkg_contents SET last_change = ?, min_x = (SELECT min(ST_MinX(geom)) "
            f'FROM "{table}"), min_y = (SELECT min(ST_MinY(geom)) FROM "{table}"), '
            f'max_x = (SELECT max(ST_MaxX(geom)) FROM "{table}"), '
            f'max_y = (SELECT max(ST_MaxY(geom)) FROM "{table}") WHERE table_name = ?',
            (_now(), table),
        )
    else:
        conn.execute(
            "UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (_now(), table)
        )


# --- registers ----------------------------------------------------------------------


def _join(values: Iterable[str]) -> str:
    return ";".join(values)


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(p for p in (text or "").split(";") if p)


def _windows_json(windows: Any) -> str:
    return json.dumps([list(map(int, w)) for w in (windows or ())])


def _windows_from(text: str | None) -> tuple[Window, ...]:
    return tuple((int(d), int(s), int(e)) for d, s, e in json.loads(text or "[]"))


def _cell(column: str, value: Any) -> Any:
    """Turn one register value of the contract into an SQLite value."""
    if column in ("services", "skills", "languages"):
        if value is None or (isinstance(value, float) and value != value):
            return ""
        if isinstance(value, str):
            return value
        items = sorted(value) if isinstance(value, frozenset | set) else list(value)
        return _join(str(v) for v in items)
    if column == "windows":
        return _windows_json(value)
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
        row["geom"] = _gpkg_blob(rec.get("geometry"))
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
        return "\n".join(lines)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bytes) or isinstance(b, bytes):
        ga, gb = _geom(a), _geom(b)
        if ga is None or gb is None:
            return ga is None and gb is None
        return bool(ga.equals_exact(gb, 1e-7))
    return bool(a == b)


def _update_register(
    conn: sqlite3.Connection,
    register: str,
    frame: gpd.GeoDataFrame,
    today: str,
    out: dict[str, dict[str, list[str]]],
) -> int:
    key, columns = _REGISTERS[register]
    rows = _register_rows(frame, register)
    cols = (*columns, "geom")
    existing = {
        r[0]: r for r in conn.execute(f'SELECT {key}, active, {", ".join(cols)} FROM "{register}"')
    }
    seen: set[str] = set()
    unchanged = 0
    for row in rows:
        item = row[key]
        seen.add(item)
        old = existing.get(item)
        if old is None:
            conn.execute(
                f'INSERT INTO "{register}" ({key}, {", ".join(cols)}, active, added_on, '
                f"updated_on) VALUES ({', '.join('?' * (len(cols) + 1))}, 1, ?, ?)",
                (item, *(row[c] for c in cols), today, today),
            )
            conn.execute(
                "INSERT INTO register_log (changed_on, register, item_id, change, "
                "detail) VALUES (?, ?, ?, 'added', '')",
                (today, register, item),
            )
            out["added"].setdefault(register, []).append(item)
            continue
        old_values = dict(zip(cols, old[2:], strict=True))
        changed = [c for c in cols if c not in _NOT_COMPARED and not _same(old_values[c], row[c])]
        if not old[1]:
            out["reactivated"].setdefault(register, []).append(item)
            conn.execute(
                "INSERT INTO register_log (changed_on, register, item_id, change, "
                "detail) VALUES (?, ?, ?, 'reactivated', '')",
                (today, register, item),
            )
        elif changed:
            out["updated"].setdefault(register, []).append(item)
        else:
            unchanged += 1
        if changed:
            detail = "; ".join(
                f"{c}: {'moved' if c == 'geom' else repr(old_values[c])} -> "
                f"{'' if c == 'geom' else repr(row[c])}".rstrip(" ->")
                for c in changed
            )
            conn.execute(
                "INSERT INTO register_log (changed_on, register, item_id, change, "
                "detail) VALUES (?, ?, ?, 'updated', ?)",
                (today, register, item, detail),
            )
        if changed or not old[1]:
            conn.execute(
                f'UPDATE "{register}" SET {", ".join(f"{c} = ?" for c in cols)}, active = 1, '
                f"inactive_since = NULL, updated_on = ? WHERE {key} = ?",
                (*(row[c] for c in cols), today, item),
            )
        elif old_values.get("source_row") != row.get("source_row"):
            conn.execute(
                f'UPDATE "{register}" SET source_row = ? WHERE {key} = ?', (row["source_row"], item)
            )
    for item, old in existing.items():
        if item not in seen and old[1]:
            conn.execute(
                f'UPDATE "{register}" SET active = 0, inactive_since = ?, '
                f"updated_on = ? WHERE {key} = ?",
                (today, today, item),
            )
            conn.execute(
                "INSERT INTO register_log (changed_on, register, item_id, change, "
                "detail) VALUES (?, ?, ?, 'inactive', 'no longer in the list')",
                (today, register, item),
            )
            out["inactive"].setdefault(register, []).append(item)
    _touch(conn, register)
    return unchanged


def init_project(
    path: PathLike,
    *,
    households: gpd.GeoDataFrame | None = None,
    volunteers: gpd.GeoDataFrame | None = None,
    service_points: gpd.GeoDataFrame | None = None,
    network: PathLike | None = None,
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
    network
        The road network file used to plan (its path is remembered; the file is not
        copied into the project).
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
    with _transaction(path, write=True, create=True) as conn:
        created = _create_schema(conn)
        missing = [k for k, v in given.items() if v is None]
        if created and missing:
            raise InputDataError(
                [
                    Problem(
                        f"a new project needs every register; missing: {', '.join(missing)}",
                        "give --households, --volunteers and --service-points",
                        file=path.name,
                    )
                ]
            )
        for k, (register, frame) in enumerate(given.items()):
            if frame is None:
                continue
            if progress:
                progress(f"storing {register.replace('_', ' ')}", k / 3)
            unchanged[register] = _update_register(conn, register, frame, today_s, out)
        if network is not None:
            _set_meta(conn, "network", str(Path(network).resolve()))
        _set_meta(conn, "registers_updated", today_s)
    if progress:
        progress("project saved", 1.0)
    result = RegisterUpdate(
        path=path,
        created=created,
        **{k: {r: tuple(ids) for r, ids in v.items()} for k, v in out.items()},
        unchanged=unchanged,
    )
    log.info("%s", result.summary())
    return result


def project_network(path: PathLike) -> Path | None:
    """Return the road network file remembered by :func:`init_project`, if any."""
    with _transaction(path, write=False) as conn:
        value = _meta(conn, "network")
    return Path(value) if value else None


def _frame(rows: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    import geopandas as gpd

    geoms = [r.pop("geom") for r in rows]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")


def _read_households(conn: sqlite3.Connection, active_only: bool) -> gpd.GeoDataFrame:
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
                "services": _split(r[4]),
                "elderly": bool(r[5]),
                "disability": bool(r[6]),
                "remote": bool(r[7]),
                "language": r[8] or "",
                "priority": bool(r[9]),
                "windows": _windows_from(r[10]),
                "availability": r[11] or "",
                "notes": r[12] or "",
                "location_quality": r[13] or "gps",
                "source_row": r[14] or "",
                "active": bool(r[15]),
                "inactive_since": r[16],
                "geom": _geom(r[17]),
            }
        )
    return _frame(rows)


def _read_volunteers(conn: sqlite3.Connection, active_only: bool) -> gpd.GeoDataFrame:
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
                "windows": _windows_from(r[4]),
                "availability": r[5] or "",
                "mode": r[6] or "motorbike",
                "skills": frozenset(_split(r[7])),
                "languages": frozenset(_split(r[8])),
                "source_row": r[9] or "",
                "active": bool(r[10]),
                "inactive_since": r[11],
                "geom": _geom(r[12]),
            }
        )
    return _frame(rows)


def _read_service_points(conn: sqlite3.Connection, active_only: bool) -> gpd.GeoDataFrame:
    where = "WHERE active = 1" if active_only else ""
    rows = [
        {
            "point_id": r[0],
            "name": r[1] or "",
            "source_row": r[2] or "",
            "active": bool(r[3]),
            "inactive_since": r[4],
            "geom": _geom(r[5]),
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
    with _transaction(path, write=False) as conn:
        return Registers(
            _read_households(conn, active_only),
            _read_volunteers(conn, active_only),
            _read_service_points(conn, active_only),
        )


# --- dates, outcomes, service codes --------------------------------------------------

_DATE_FORMATS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})"), ("d", "m", "y")),
)


def parse_date(text: str) -> dt.date:
    """Read a date as Vietnamese coordinators type it.

    ``2026-11-30`` (ISO) and ``30/11/2026`` (day first, also with ``-`` or ``.``) are
    read; a time after the date (as Excel adds) is ignored.

    Raises
    ------
    ValueError
        With a message saying what is wrong (two-digit year, no such day, ...).

    Examples
    --------
    >>> parse_date("05/12/2026"), parse_date("2026-12-05")
    (datetime.date(2026, 12, 5), datetime.date(2026, 12, 5))

    """
    value = text.strip().split(" ")[0].split("T")[0]
    for pattern, order in _DATE_FORMATS:
        m = pattern.fullmatch(value)
        if m:
            parts = dict(zip(order, map(int, m.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError as exc:
                raise ValueError(f"date {text!r} does not exist ({exc})") from None
    if re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}", value):
        raise ValueError(f"date {text!r} has a two-digit year")
    raise ValueError(f"date {text!r} is not a date")


def parse_outcome(text: str) -> str:
    """Return the outcome code of ``text`` (English or Vietnamese, any accents and case).

    Raises
    ------
    ValueError
        If the text is no outcome; the message suggests the closest one.

    Examples
    --------
    >>> parse_outcome("Vắng nhà"), parse_outcome("hẹn lại"), parse_outcome("Xong")
    ('not_at_home', 'follow_up', 'done')

    """
    key = re.sub(r"[\s_\-]+", " ", fold(text)).strip()
    if key in _OUTCOME_WORDS:
        return _OUTCOME_WORDS[key]
    if key.replace(" ", "_") in OUTCOMES:
        return key.replace(" ", "_")
    match = difflib.get_close_matches(key, list(_OUTCOME_WORDS), n=1, cutoff=0.5)
    hint = f"did you mean {match[0]!r} ({_OUTCOME_WORDS[match[0]]})? " if match else ""
    raise ValueError(
        f"{hint}write one of done / not_at_home / refused / follow_up "
        "(or xong / vắng nhà / từ chối / hẹn lại)"
    )


def _service_lookup(settings: Settings) -> dict[str, str]:
    lookup = {k: v for k, v in _SERVICE_ALIASES.items() if v in settings.services}
    for code, st in settings.services.items():
        for name in (code, st.label_vi, st.label_en):
            if slug(name):
                lookup[slug(name)] = code
    return lookup


def _flag(text: str) -> bool | None:
    key = fold(text).strip()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


# --- the visit log --------------------------------------------------------------------


@dataclass(frozen=True)
class _Visit:
    """One normalised row of an outcomes file (what is hashed and stored)."""

    household_id: str
    visit_date: str
    volunteer_id: str
    outcome: str
    services_listed: tuple[str, ...]
    people_supported: int | None
    follow_up: str
    service_point_trip: bool
    notes: str
    source_row: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.household_id, self.visit_date, self.volunteer_id)

    def content(self) -> tuple[Any, ...]:
        return (
            *self.key,
            self.outcome,
            list(self.services_listed),
            self.people_supported,
            self.follow_up,
            self.service_point_trip,
            self.notes,
        )


@dataclass(frozen=True)
class ImportResult:
    """What :func:`record_outcomes` did with an outcomes file."""

    file: str
    rows: int
    added: int
    corrected: int
    unchanged: int
    already_imported: bool
    warnings: tuple[Problem, ...] = ()
    import_id: int | None = None

    def summary(self) -> str:
        """One or two lines for the coordinator."""
        if self.already_imported:
            return f"{self.file}: already imported ({self.rows} rows); nothing changed"
        text = (
            f"{self.file}: {self.rows} rows: {self.added} visits recorded, "
            f"{self.corrected} corrected, {self.unchanged} already there"
        )
        if self.warnings:
            text += f"; {len(self.warnings)} warnings"
        return text


def _header_key(name: str) -> str:
    return slug(name)


def _read_outcomes_csv(
    path: Path, problems: list[Problem]
) -> tuple[list[dict[str, str]], list[str]]:
    """Return the non-blank rows (column -> text) and their ``row N`` labels."""
    file = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputDataError(
            [Problem("file not found", "check the path", file=file)], subject=file
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(
            Problem(
                "the file is not UTF-8 text",
                "in Excel use Save As > 'CSV UTF-8 (Comma delimited)'",
                file=file,
            )
        )
        return [], []
    lines = text.splitlines()
    first = lines[0] if lines else ""
    delimiter = (
        ";"
        if first.count(";") > first.count(",")
        else ("\t" if first.count("\t") > first.count(",") else ",")
    )
    grid = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not grid or not any(c.strip() for c in grid[0]):
        problems.append(Problem("the file is empty", "use data/templates/outcomes.csv", file=file))
        return [], []
    aliases = {_header_key(a): col for col, names in _COLUMNS.items() for a in names}
    columns: list[str | None] = []
    for k, name in enumerate(grid[0]):
        col = aliases.get(_header_key(name))
        if col is None and name.strip():
            match = difflib.get_close_matches(_header_key(name), list(aliases), n=1, cutoff=0.6)
            fix = (
                f"did you mean {aliases[match[0]]!r}?"
                if match
                else f"known columns: {', '.join(_COLUMNS)}"
            )
            problems.append(
                Problem(
                    f"unknown column {name!r} (column {k + 1}) is ignored",
                    fix,
                    file=file,
                    severity="warning",
                )
            )
        if col in columns:
            problems.append(
                Problem(f"column {col!r} appears twice", "keep one of them", file=file, column=name)
            )
        columns.append(col)
    for col in _REQUIRED:
        if col not in columns:
            problems.append(
                Problem(
                    f"required column {col!r} is missing",
                    "start from data/templates/outcomes.csv",
                    file=file,
                )
            )
    rows: list[dict[str, str]] = []
    labels: list[str] = []
    for n, cells in enumerate(grid[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append(
            {
                col: (cells[k].strip() if k < len(cells) else "")
                for k, col in enumerate(columns)
                if col
            }
        )
        labels.append(f"row {n}")
    return rows, labels


def _closest_id(value: str, known: Iterable[str]) -> str:
    match = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else "check the id against the register"


def _parse_outcome_rows(
    rows: list[dict[str, str]],
    labels: list[str],
    file: str,
    households: Mapping[str, tuple[tuple[str, ...], bool]],
    volunteers: Mapping[str, bool],
    settings: Settings,
    today: dt.date,
    problems: list[Problem],
) -> list[_Visit]:
    lookup = _service_lookup(settings)
    visits: list[_Visit] = []
    first_row: dict[tuple[str, str, str], str] = {}
    future: list[str] = []

    def bad(row: str, column: str, message: str, fix: str, severity: str = "error") -> None:
        problems.append(
            Problem(
                message,
                fix,
                file=file,
                row=row,
                column=column,
                severity="warning" if severity == "warning" else "error",
            )
        )

    for raw, row in zip(rows, labels, strict=True):
        ok = True
        hid = raw.get("household_id", "")
        if not hid:
            bad(row, "household_id", "household_id is empty", "copy it from the route sheet")
            ok = False
        elif hid not in households:
            bad(row, "household_id", f"unknown household {hid!r}", _closest_id(hid, households))
            ok = False
        elif not households[hid][1]:
            bad(
                row,
                "household_id",
                f"household {hid!r} is marked inactive (left the list)",
                "check the id; the visit is recorded anyway",
                "warning",
            )
        vid = raw.get("volunteer_id", "")
        if not vid:
            bad(row, "volunteer_id", "volunteer_id is empty", "write who made the visit")
            ok = False
        elif vid not in volunteers:
            bad(row, "volunteer_id", f"unknown volunteer {vid!r}", _closest_id(vid, volunteers))
            ok = False
        elif not volunteers[vid]:
            bad(
                row,
                "volunteer_id",
                f"volunteer {vid!r} is marked inactive (left the list)",
                "check the id; the visit is recorded anyway",
                "warning",
            )
        date: dt.date | None = None
        try:
            date = parse_date(raw.get("date", ""))
            if date > today:
                future.append(row)
        except ValueError as exc:
            bad(
                row,
                "date",
                str(exc),
                "write the date as DD/MM/YYYY (30/11/2026) or YYYY-MM-DD (2026-11-30)",
            )
            ok = False
        outcome = ""
        try:
            outcome = parse_outcome(raw.get("outcome", ""))
        except ValueError as exc:
            bad(row, "outcome", f"unknown outcome {raw.get('outcome', '')!r}", str(exc))
            ok = False
        services: list[str] = []
        for part in re.split(r"[;,|+\n]+", raw.get("services_done", "")):
            if not part.strip():
                continue
            code = lookup.get(slug(part))
            if code is None:
                match = difflib.get_close_matches(slug(part), list(lookup), n=1, cutoff=0.5)
                fix = (
                    f"did you mean {lookup[match[0]]!r}?"
                    if match
                    else f"known codes: {', '.join(settings.services)}"
                )
                bad(row, "services_done", f"unknown service {part.strip()!r}", fix)
                ok = False
            elif code not in services:
                services.append(code)
        if services and outcome in ("not_at_home", "refused"):
            bad(
                row,
                "services_done",
                f"outcome is {outcome} but services are listed as done",
                "tick 'done' or 'follow_up', or clear services_done",
            )
            ok = False
        if hid in households and services:
            extra = [s for s in services if s not in households[hid][0]]
            if extra:
                bad(
                    row,
                    "services_done",
                    f"{', '.join(extra)} done although household {hid} did not need it",
                    "counted anyway; add the service to the household register if it is right",
                    "warning",
                )
        people: int | None = None
        text = raw.get("people_supported", "")
        if text:
            try:
                people = int(float(text)) if float(text).is_integer() else -1
            except ValueError:
                people = -1
            if people < 0:
                bad(
                    row,
                    "people_supported",
                    f"people_supported {text!r} is not a whole number",
                    "write how many people were helped (0, 1, 2, ...)",
                )
                ok = False
            elif people > 30:
                bad(
                    row,
                    "people_supported",
                    f"{people} people supported in one household",
                    "check the number",
                    "warning",
                )
        trip = False
        text = raw.get("service_point_trip", "")
        flag = _flag(text)
        if flag is None:
            bad(
                row,
                "service_point_trip",
                f"{text!r} is not yes or no",
                "write yes/có or no/không (or leave empty)",
            )
            ok = False
        else:
            trip = flag
        follow = raw.get("follow_up", "")
        if outcome == "follow_up" and not follow:
            bad(
                row,
                "follow_up",
                "outcome is follow_up but nothing is written to follow up",
                "write what to bring or do next time",
                "warning",
            )
        if not ok or date is None:
            continue
        visit = _Visit(
            hid,
            date.isoformat(),
            vid,
            outcome,
            tuple(services),
            people,
            follow,
            trip,
            raw.get("notes", ""),
            row,
        )
        if visit.key in first_row:
            bad(
                row,
                "household_id",
                f"the visit of {hid} by {vid} on {visit.visit_date} is "
                f"also in {first_row[visit.key]}",
                "keep one row per visit",
            )
            continue
        first_row[visit.key] = row
        visits.append(visit)
    if future:
        shown = ", ".join(r.removeprefix("row ") for r in future[:12])
        more = f" and {len(future) - 12} more" if len(future) > 12 else ""
        problems.append(
            Problem(
                f"{len(future)} dates after today ({today.isoformat()}): rows {shown}{more}",
                "check the year and whether day and month are swapped (write DD/MM/YYYY)",
                file=file,
                column="date",
                severity="warning",
            )
        )
    return visits


def _content_hash(visits: Sequence[_Visit]) -> str:
    payload = json.dumps(
        sorted(v.content() for v in visits), ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _done_so_far(conn: sqlite3.Connection, household_id: str, before: str) -> set[str]:
    done: set[str] = set()
    for (services,) in conn.execute(
        "SELECT services_done FROM visits WHERE household_id = ? AND visit_date < ?",
        (household_id, before),
    ):
        done.update(_split(services))
    return done


def _insert_visit(
    conn: sqlite3.Connection,
    visit: _Visit,
    services_done: tuple[str, ...],
    import_id: int,
    now: str,
) -> None:
    conn.execute(
        "INSERT INTO visits (household_id, visit_date, volunteer_id, outcome, services_done, "
        "services_listed, people_supported, follow_up, service_point_trip, notes, import_id, "
        "source_row, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (household_id, visit_date, volunteer_id) DO UPDATE SET "
        "outcome = excluded.outcome, services_done = excluded.services_done, "
        "services_listed = excluded.services_listed, "
        "people_supported = excluded.people_supported, follow_up = excluded.follow_up, "
        "service_point_trip = excluded.service_point_trip, notes = excluded.notes, "
        "import_id = excluded.import_id, source_row = excluded.source_row, "
        "recorded_at = excluded.recorded_at",
        (
            visit.household_id,
            visit.visit_date,
            visit.volunteer_id,
            visit.outcome,
            _join(services_done),
            _join(visit.services_listed),
            visit.people_supported,
            visit.follow_up,
            int(visit.service_point_trip),
            visit.notes,
            import_id,
            visit.source_row,
            now,
        ),
    )


def record_outcomes(
    path: PathLike,
    outcomes: PathLike,
    *,
    settings: Settings | None = None,
    today: dt.date | None = None,
    progress: ProgressFn | None = None,
) -> ImportResult:
    """Import a week's visit outcomes into the project, all or nothing.

    The CSV mirrors the route sheet's tick boxes (see ``data/templates/outcomes.csv``):
    ``household_id``, ``date``, ``volunteer_id``, ``outcome`` and optionally
    ``services_done`` (codes or names, ``;`` between), ``people_supported``,
    ``follow_up``, ``service_point_trip`` (yes/no) and ``notes``.

    A ``done`` row that lists no services means every service the household still
    needed was done. A file imported before (same normalised rows) changes nothing;
    a row whose household, date and volunteer are already recorded is left alone if
    it is the same, or replaces the earlier row if it differs (a correction).

    Parameters
    ----------
    path
        The project file.
    outcomes
        The outcomes CSV (UTF-8, ``,`` or ``;`` between columns).
    settings
        Supplies the service catalogue.
    today
        Dates after this are warned about (default: today).
    progress
        Optional ``progress(message, fraction)`` callback.

    Returns
    -------
    ImportResult
        Counts of rows added, corrected and already there, and the warnings.

    Raises
    ------
    InputDataError
        Listing every bad row with its row number and a fix; nothing is imported.

    """
    settings = settings or Settings()
    outcomes = Path(outcomes)
    file = outcomes.name
    problems: list[Problem] = []
    rows, labels = _read_outcomes_csv(outcomes, problems)
    if any(p.severity == "error" for p in problems):
        raise InputDataError(problems, subject=file)
    with _transaction(path, write=True) as conn:
        households = {
            r[0]: (_split(r[1]), bool(r[2]))
            for r in conn.execute("SELECT household_id, services, active FROM households")
        }
        volunteers = {
            r[0]: bool(r[1]) for r in conn.execute("SELECT volunteer_id, active FROM volunteers")
        }
        visits = _parse_outcome_rows(
            rows, labels, file, households, volunteers, settings, today or dt.date.today(), problems
        )
        if any(p.severity == "error" for p in problems):
            raise InputDataError(problems, subject=file)
        warnings = tuple(problems)
        digest = _content_hash(visits)
        if conn.execute("SELECT 1 FROM imports WHERE content_hash = ?", (digest,)).fetchone():
            log.info("%s was imported before; nothing to do", file)
            return ImportResult(file, len(visits), 0, 0, 0, True, warnings)
        now = _now()
        cur = conn.execute(
            "INSERT INTO imports (file_name, content_hash, imported_at, rows) VALUES (?, ?, ?, ?)",
            (file, digest, now, len(visits)),
        )
        import_id = int(cur.lastrowid or 0)
        added = corrected = unchanged = 0
        ordered = sorted(visits, key=lambda v: (v.visit_date, v.household_id))
        for k, visit in enumerate(ordered):
            old = conn.execute(
                "SELECT outcome, services_listed, people_supported, follow_up, "
                "service_point_trip, notes FROM visits WHERE household_id = ? AND "
                "visit_date = ? AND volunteer_id = ?",
                visit.key,
            ).fetchone()
            if old is not None and (
                old[0],
                _split(old[1]),
                old[2],
                old[3],
                bool(old[4]),
                old[5],
            ) == (
                visit.outcome,
                visit.services_listed,
                visit.people_supported,
                visit.follow_up,
                visit.service_point_trip,
                visit.notes,
            ):
                unchanged += 1
                continue
            services = visit.services_listed
            if visit.outcome == "done" and not services:
                done = _done_so_far(conn, visit.household_id, visit.visit_date)
                services = tuple(s for s in households[visit.household_id][0] if s not in done)
            _insert_visit(conn, visit, services, import_id, now)
            if old is None:
                added += 1
            else:
                corrected += 1
                log.warning(
                    "%s: %s corrects the visit of %s on %s",
                    file,
                    visit.source_row,
                    visit.household_id,
                    visit.visit_date,
                )
            if progress and k % 50 == 0:
                progress(f"recording {file}", k / max(len(ordered), 1))
        conn.execute(
            "UPDATE imports SET added = ?, corrected = ?, unchanged = ? WHERE fid = ?",
            (added, corrected, unchanged, import_id),
        )
        _touch(conn, "visits")
        _touch(conn, "imports")
    if progress:
        progress(f"recorded {file}", 1.0)
    return ImportResult(file, len(visits), added, corrected, unchanged, False, warnings, import_id)


# --- household state from the visit log ------------------------------------------------


@dataclass
class _State:
    """What the visit log says about one household."""

    needed: tuple[str, ...]
    done: set[str] = field(default_factory=set)
    extra: set[str] = field(default_factory=set)
    visits: int = 0
    contact: bool = False
    last_outcome: str = ""
    last_date: str = ""
    follow_up: str = ""
    follow_pending: bool = False
    service_point_trip: bool = False
    people: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (date, volunteer) not at home

    @property
    def remaining(self) -> tuple[str, ...]:
        return tuple(s for s in self.needed if s not in self.done)

    @property
    def complete(self) -> bool:
        return self.visits > 0 and self.last_outcome != "not_at_home" and not self.remaining

    @property
    def status(self) -> str:
        if self.complete:
            return "complete"
        if self.last_outcome == "refused":
            return "refused"
        if self.contact:
            return "in_progress"
        if self.visits:
            return "not_at_home"
        return "not_visited"


def _states(
    conn: sqlite3.Connection, households: gpd.GeoDataFrame, before: str | None
) -> dict[str, _State]:
    states = {
        str(h): _State(tuple(s))
        for h, s in zip(households["household_id"], households["services"], strict=True)
    }
    query = (
        "SELECT household_id, visit_date, volunteer_id, outcome, services_done, "
        "people_supported, follow_up, service_point_trip FROM visits"
    )
    args: tuple[str, ...] = ()
    if before is not None:
        query += " WHERE visit_date < ?"
        args = (before,)
    for hid, date, vid, outcome, services, people, follow, trip in conn.execute(
        query + " ORDER BY visit_date, fid", args
    ):
        st = states.get(hid)
        if st is None:
            continue
        st.visits += 1
        done = set(_split(services))
        st.done |= done & set(st.needed)
        st.extra |= done - set(st.needed)
        st.last_outcome, st.last_date = outcome, date
        if outcome == "not_at_home":
            st.failed.append((date, vid))
        else:
            st.contact = True
            st.failed = []
        if outcome != "not_at_home":  # a pending follow-up survives a failed visit
            st.follow_pending = outcome == "follow_up"
            st.follow_up = follow if st.follow_pending else ""
            st.service_point_trip = bool(trip) and st.follow_pending
        if people is not None:
            st.people = max(st.people, int(people))
    return states


# --- planning next week -----------------------------------------------------------------


def _subtract(windows: Iterable[Window], cuts: Iterable[Window]) -> tuple[Window, ...]:
    out: list[Window] = []
    cut_by_day: dict[int, list[tuple[int, int]]] = {}
    for d, s, e in cuts:
        cut_by_day.setdefault(d, []).append((s, e))
    for d, s, e in merge_windows(windows):
        pieces = [(s, e)]
        for cs, ce in sorted(cut_by_day.get(d, ())):
            nxt = []
            for ps, pe in pieces:
                if ce <= ps or cs >= pe:
                    nxt.append((ps, pe))
                    continue
                if cs > ps:
                    nxt.append((ps, cs))
                if ce < pe:
                    nxt.append((ce, pe))
            pieces = nxt
        out.extend((d, ps, pe) for ps, pe in pieces if pe > ps)
    return merge_windows(out)


def _overlap_minutes(a: Iterable[Window], b: Iterable[Window]) -> int:
    total = 0
    b_list = list(b)
    for d, s, e in a:
        for d2, s2, e2 in b_list:
            if d == d2:
                total += max(0, min(e, e2) - max(s, s2))
    return total


def _part_of_day(minute: int) -> tuple[int, int]:
    for start, end in _DAY_PARTS:
        if start <= minute < end:
            return (start, end)
    return _DAY_PARTS[-1]


def _retry_windows(
    windows: tuple[Window, ...],
    failed: Sequence[tuple[int, int | None]],
    volunteer: tuple[Window, ...] | None,
    need_min: int,
) -> tuple[tuple[Window, ...], str]:
    """Windows avoiding the times of failed visits, and how (``""`` if unchanged).

    ``failed`` holds (weekday, minute of the planned arrival or None). Tried in turn:
    another part of the day (morning / afternoon / evening) on any day, another day,
    another part of the failed day; the first that leaves at least ``need_min`` minutes
    the volunteer is also free wins.
    """
    base = windows or _WHOLE_WEEK
    parts = {_part_of_day(m) for _, m in failed if m is not None}
    days = {d for d, _ in failed}
    candidates: list[tuple[str, list[Window]]] = []
    if parts:
        candidates.append(("time_of_day", [(d, s, e) for d in range(7) for s, e in parts]))
    candidates.append(("day", [(d, 0, 1440) for d in days]))
    if parts:
        candidates.append(
            ("time_on_day", [(d, *_part_of_day(m)) for d, m in failed if m is not None])
        )
    for how, cuts in candidates:
        cand = _subtract(base, cuts)
        room = (
            _overlap_minutes(cand, volunteer)
            if volunteer is not None
            else (sum(e - s for _, s, e in cand))
        )
        if cand and room >= need_min:
            return cand, how
    return windows, ""


_RETRY_NOTE = {  # how the retry differs -> label key of the note
    "time_of_day": "carry_time_of_day",
    "day": "carry_day",
    "time_on_day": "carry_time_on_day",
    "": "carry_phone_ahead",
}


@dataclass(frozen=True)
class Carryover:
    """What the visit log carries into next week's plan (see :func:`next_week_inputs`).

    Attributes
    ----------
    week_start
        The Monday of the week being planned.
    previous_week
        The latest earlier week with a stored plan, or ``None``.
    service_points
        Active service points (for the matrix and the maps).
    complete
        Households whose services are all done: they leave the rounds.
    refused
        Households that refused at their last visit: not planned again.
    retries
        Household -> how the visit time was changed after "not at home"
        (``time_of_day``, ``day``, ``time_on_day`` or ``""`` when no other time fits).
    follow_ups
        Household -> what to follow up.
    service_point_trips
        Households whose follow-up needs a trip to a service point first.
    replanned
        Volunteer -> why their households are free to move (availability, capacity or
        mode reduced since their last plan).
    volunteers_left
        Volunteers of the previous plan now inactive; their households are re-assigned.

    """

    week_start: dt.date
    previous_week: dt.date | None
    service_points: gpd.GeoDataFrame = field(repr=False, compare=False)
    complete: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    retries: Mapping[str, str] = field(default_factory=dict)
    follow_ups: Mapping[str, str] = field(default_factory=dict)
    service_point_trips: tuple[str, ...] = ()
    replanned: Mapping[str, str] = field(default_factory=dict)
    volunteers_left: tuple[str, ...] = ()

    def summary(self) -> str:
        """Say in a few lines what carries over into the week."""
        lines = [
            f"Week of {self.week_start.isoformat()}"
            + (f" (after {self.previous_week.isoformat()})" if self.previous_week else "")
        ]
        lines.append(
            f"  {len(self.complete)} households done (leave the rounds), "
            f"{len(self.refused)} refused"
        )
        lines.append(
            f"  {len(self.retries)} not at home last time (retried at another "
            f"time), {len(self.follow_ups)} follow-ups "
            f"({len(self.service_point_trips)} need a service-point trip first)"
        )
        if self.replanned:
            lines.append(f"  volunteers re-planned: {', '.join(sorted(self.replanned))}")
        if self.volunteers_left:
            lines.append(f"  volunteers no longer in the list: {', '.join(self.volunteers_left)}")
        return "\n".join(lines)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _check_monday(week_start: dt.date) -> None:
    if week_start.weekday() != 0:
        raise InputDataError(
            [
                Problem(
                    f"week {week_start.isoformat()} is a {week_start.strftime('%A')}, not a Monday",
                    f"give the Monday of that week: {_monday(week_start).isoformat()}",
                )
            ]
        )


def _previous_plans(conn: sqlite3.Connection, before: str) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT week_start FROM plans WHERE week_start < ? ORDER BY week_start DESC", (before,)
        )
    ]


def _failed_slots(
    conn: sqlite3.Connection, household_id: str, failed: Sequence[tuple[str, str]]
) -> list[tuple[int, int | None]]:
    slots: list[tuple[int, int | None]] = []
    for date_s, _vid in failed:
        date = dt.date.fromisoformat(date_s)
        row = conn.execute(
            "SELECT arrival_s FROM plan_stops WHERE household_id = ? AND day = ? AND "
            "week_start = ? ORDER BY arrival_s LIMIT 1",
            (household_id, date.weekday(), _monday(date).isoformat()),
        ).fetchone()
        slots.append((date.weekday(), None if row is None else int(row[0]) // 60))
    return slots


def _reduced(old: Mapping[str, Any], vol: Mapping[str, Any]) -> str:
    reasons = []
    lost = _subtract(_windows_from(json.dumps(old.get("windows", []))), vol["windows"])
    if lost:
        reasons.append(f"no longer free {format_windows(lost)}")
    if int(vol["capacity"]) < int(old.get("capacity", 0)):
        reasons.append(f"capacity {old.get('capacity')} -> {vol['capacity']}")
    if old.get("mode") and old.get("mode") != vol["mode"]:
        reasons.append(f"now {vol['mode']}")
    return "; ".join(reasons)


def next_week_inputs(
    path: PathLike,
    week_start: dt.date,
    *,
    settings: Settings | None = None,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict[str, str], Carryover]:
    """Return what to plan for ``week_start`` from the registers and the visit log.

    Only visits dated before ``week_start`` count. Households whose services are all
    done, and those that refused, leave the rounds. The others keep their volunteer
    (``previous``) and carry what is left to do:

    * ``services`` is what is still to do (the register's services minus those done);
    * after "not at home" the household's ``windows`` avoid the time of the failed
      visit: another part of the day (morning / afternoon / evening), else another
      day, as long as the volunteer is free then; ``availability`` shows the new
      windows and ``notes`` starts with a line saying so;
    * after "follow up" ``notes`` starts with what to follow up, and
      ``service_point_trip`` says a trip to a service point is needed first (the
      visit then takes ``extra_service_s`` longer: the time of the trip is not known
      here, so 30 minutes are added);
    * households of a volunteer whose availability, capacity or mode shrank since their
      last plan, or who left the list, are given no ``previous`` volunteer, so the
      planner is free to re-assign them.

    Parameters
    ----------
    path
        The project file.
    week_start
        The Monday of the week to plan.
    settings
        ``settings.output.language`` chooses the language of the notes.

    Returns
    -------
    households : geopandas.GeoDataFrame
        The register's columns (``docs/ARCHITECTURE.md``) plus ``services_needed``,
        ``services_done`` (tuples), ``visits`` (int), ``last_outcome``, ``retry``
        (bool), ``follow_up`` (str), ``service_point_trip`` (bool) and
        ``extra_service_s`` (int).
    volunteers : geopandas.GeoDataFrame
        The active volunteers in the register's columns.
    previous : dict of str to str
        Household -> volunteer of the latest earlier plan (for stability).
    extras : Carryover
        What changed and why, and the service points.

    Raises
    ------
    InputDataError
        If ``week_start`` is not a Monday.

    """
    settings = settings or Settings()
    lang = settings.output.language
    _check_monday(week_start)
    week = week_start.isoformat()
    with _transaction(path, write=False) as conn:
        households = _read_households(conn, True)
        volunteers = _read_volunteers(conn, True)
        service_points = _read_service_points(conn, True)
        states = _states(conn, households, week)
        plans = _previous_plans(conn, week)
        previous: dict[str, str] = {}
        snapshots: dict[str, dict[str, Any]] = {}
        for wk in reversed(plans):  # oldest first; later plans override
            for hid, vid in conn.execute(
                "SELECT household_id, volunteer_id FROM plan_households WHERE "
                "week_start = ? AND volunteer_id IS NOT NULL",
                (wk,),
            ):
                previous[hid] = vid
            row = conn.execute(
                "SELECT volunteers FROM plans WHERE week_start = ?", (wk,)
            ).fetchone()
            snapshots.update(json.loads(row[0] or "{}"))
        vols = {str(r["volunteer_id"]): r for r in volunteers.to_dict("records")}
        replanned = {
            vid: why
            for vid, old in snapshots.items()
            if vid in vols and (why := _reduced(old, vols[vid]))
        }
        left = tuple(sorted({v for v in previous.values() if v not in vols}))
        keep = []
        complete, refused = [], []
        retries: dict[str, str] = {}
        follow_ups: dict[str, str] = {}
        trips = []
        extra_cols: dict[str, list[Any]] = {
            c: []
            for c in (
                "services_needed",
                "services_done",
                "visits",
                "last_outcome",
                "retry",
                "follow_up",
                "service_point_trip",
                "extra_service_s",
            )
        }
        new_windows, new_avail, new_notes, new_services = [], [], [], []
        for rec in households.to_dict("records"):
            hid = str(rec["household_id"])
            st = states[hid]
            if st.complete:
                complete.append(hid)
                continue
            if st.status == "refused":
                refused.append(hid)
                continue
            keep.append(True)
            remaining = st.remaining
            windows: tuple[Window, ...] = tuple(rec["windows"])
            notes: list[str] = []
            retry = bool(st.failed)
            if retry:
                vid = previous.get(hid)
                vwin = tuple(vols[vid]["windows"]) if vid in vols else None
                need = (
                    sum(settings.services[s].minutes for s in remaining if s in settings.services)
                    or 15
                )
                slots = _failed_slots(conn, hid, st.failed)
                windows, how = _retry_windows(windows, slots, vwin, need)
                retries[hid] = how
                d, m = slots[-1]
                when = format_windows([(d, 0, 1)], language=lang).split(" ")[0]
                if m is not None:
                    when += " " + format_clock(m * 60)
                notes.append(label(_RETRY_NOTE[how], lang).format(when=when))
            if st.follow_pending:
                follow_ups[hid] = st.follow_up
                if st.follow_up:
                    notes.append(
                        label("carry_follow_up", lang).format(text=st.follow_up.rstrip("."))
                    )
                if st.service_point_trip:
                    trips.append(hid)
                    notes.append(label("carry_trip", lang))
            if rec["notes"]:
                notes.append(str(rec["notes"]))
            new_windows.append(windows)
            new_avail.append(
                format_windows(windows, language=lang)
                if windows != tuple(rec["windows"])
                else rec["availability"]
            )
            new_notes.append(" ".join(notes))
            new_services.append(remaining)
            extra_cols["services_needed"].append(tuple(rec["services"]))
            extra_cols["services_done"].append(tuple(s for s in rec["services"] if s in st.done))
            extra_cols["visits"].append(st.visits)
            extra_cols["last_outcome"].append(st.last_outcome)
            extra_cols["retry"].append(retry)
            extra_cols["follow_up"].append(st.follow_up)
            extra_cols["service_point_trip"].append(st.service_point_trip)
            extra_cols["extra_service_s"].append(1800 if st.service_point_trip else 0)
        mask = ~households["household_id"].isin(set(complete) | set(refused))
        out = households.loc[mask].drop(columns=["active", "inactive_since"])
        out = out.reset_index(drop=True)
        for col, values in (
            ("services", new_services),
            ("windows", new_windows),
            ("availability", new_avail),
            ("notes", new_notes),
        ):
            out[col] = _objects(values) if col in ("services", "windows") else values
        for col, values in extra_cols.items():
            out[col] = _objects(values) if col.startswith("services_") else values
        prev = {
            hid: vid
            for hid, vid in previous.items()
            if vid in vols and vid not in replanned and hid in set(out["household_id"])
        }
        extras = Carryover(
            week_start=week_start,
            previous_week=dt.date.fromisoformat(plans[0]) if plans else None,
            service_points=service_points.drop(columns=["active", "inactive_since"]),
            complete=tuple(complete),
            refused=tuple(refused),
            retries=retries,
            follow_ups=follow_ups,
            service_point_trips=tuple(trips),
            replanned=replanned,
            volunteers_left=left,
        )
    vol_out = volunteers.drop(columns=["active", "inactive_since"]).reset_index(drop=True)
    log.info("%s", extras.summary())
    return out, vol_out, prev, extras


def _objects(values: Sequence[Any]) -> Any:
    import numpy as np

    arr = np.empty(len(values), dtype=object)
    for k, v in enumerate(values):
        arr[k] = v
    return arr


# --- storing plans ----------------------------------------------------------------------


def save_plan(path: PathLike, plan: Plan, *, households: gpd.GeoDataFrame | None = None) -> None:
    """Store ``plan`` as the plan of its week, replacing an earlier plan of that week.

    Parameters
    ----------
    path
        The project file.
    plan
        The plan; ``plan.week_start`` says which week it is.
    households
        The households frame given to the planner (from :func:`next_week_inputs`):
        what was to do, the windows and the follow-ups are stored with the plan.

    Raises
    ------
    InputDataError
        If the plan has no ``week_start``.

    """
    if plan.week_start is None:
        raise InputDataError(
            [Problem("the plan has no week_start", "plan with week_start=<the Monday of the week>")]
        )
    week = plan.week_start.isoformat()
    info: dict[str, dict[str, Any]] = {}
    if households is not None:
        for rec in households.to_dict("records"):
            info[str(rec["household_id"])] = rec
    status: dict[str, tuple[str, str | None, str, str]] = {}
    for u in plan.unassigned:
        status[u.household_id] = ("unassigned", None, u.reason, u.detail)
    for hid, vid in plan.assignment.items():
        status[hid] = ("assigned", vid, "", "")
    for u in plan.rollover:
        status[u.household_id] = (
            "rollover",
            plan.assignment.get(u.household_id),
            u.reason,
            u.detail,
        )
    for route in plan.routes:
        for stop in route.stops:
            status[stop.household_id] = ("visit", route.volunteer_id, "", "")
    with _transaction(path, write=True) as conn:
        for table in ("plan_households", "plan_routes", "plan_stops", "plan_changes", "plans"):
            conn.execute(f'DELETE FROM "{table}" WHERE week_start = ?', (week,))
        snapshot = {
            r[0]: {"windows": json.loads(r[1] or "[]"), "capacity": r[2], "mode": r[3]}
            for r in conn.execute(
                "SELECT volunteer_id, windows, capacity, mode FROM volunteers WHERE active = 1"
            )
        }
        conn.execute(
            "INSERT INTO plans (week_start, created_at, routeplan_version, households, visits, "
            "unassigned, rollover, stats, volunteers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                week,
                _now(),
                __version__,
                len(status),
                sum(len(r.stops) for r in plan.routes),
                len(plan.unassigned),
                len(plan.rollover),
                json.dumps(plan.stats, default=str, ensure_ascii=False),
                json.dumps(snapshot, ensure_ascii=False),
            ),
        )
        for hid, (state, volunteer, reason, detail) in sorted(status.items()):
            rec = info.get(hid, {})
            conn.execute(
                "INSERT INTO plan_households (week_start, household_id, volunteer_id, status, "
                "reason, detail, services, windows, retry, follow_up, service_point_trip) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    week,
                    hid,
                    volunteer,
                    state,
                    reason,
                    detail,
                    _join(rec.get("services", ())),
                    _windows_json(rec.get("windows", ())),
                    int(bool(rec.get("retry", False))),
                    str(rec.get("follow_up", "") or ""),
                    int(bool(rec.get("service_point_trip", False))),
                ),
            )
        for no, route in enumerate(plan.routes, start=1):
            conn.execute(
                "INSERT INTO plan_routes (week_start, route_no, volunteer_id, day, mode, "
                "start_s, end_s, travel_s, service_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    week,
                    no,
                    route.volunteer_id,
                    route.day,
                    route.mode,
                    route.start_s,
                    route.end_s,
                    route.travel_s,
                    route.service_s,
                ),
            )
            conn.executemany(
                "INSERT INTO plan_stops (week_start, route_no, volunteer_id, day, stop_order, "
                "household_id, arrival_s, service_s, travel_s) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        week,
                        no,
                        route.volunteer_id,
                        route.day,
                        s.order,
                        s.household_id,
                        s.arrival_s,
                        s.service_s,
                        s.travel_s,
                    )
                    for s in route.stops
                ],
            )
        conn.executemany(
            "INSERT INTO plan_changes (week_start, household_id, old_volunteer, new_volunteer, "
            "reason) VALUES (?, ?, ?, ?, ?)",
            [(week, c.household_id, c.old, c.new, c.reason) for c in plan.changes],
        )
        for table in ("plans", "plan_households", "plan_routes", "plan_stops", "plan_changes"):
            _touch(conn, table)


@dataclass(frozen=True, eq=False)
class WeekPlan:
    """A week planned from the project file by :func:`plan_week`, with its inputs.

    The registers and matrices are what the output writers (maps, sheets, exports)
    take along with the plan.
    """

    plan: Plan
    households: gpd.GeoDataFrame = field(repr=False)
    volunteers: gpd.GeoDataFrame = field(repr=False)
    service_points: gpd.GeoDataFrame = field(repr=False, compare=False)
    matrices: Mapping[str, Any] = field(repr=False)
    network: Any = field(repr=False)
    carryover: Carryover


def plan_week(
    path: PathLike,
    week_start: dt.date,
    *,
    settings: Settings | None = None,
    network: Any = None,
    cache_dir: PathLike | None = None,
    progress: ProgressFn | None = None,
) -> WeekPlan:
    """Plan ``week_start`` from the project file and store the plan in it.

    :func:`next_week_inputs`, then the travel matrices over this week's households,
    the volunteers' homes and the service points, then :func:`routeplan.planner.plan`
    with the previous assignment, then :func:`save_plan` (an earlier plan of the same
    week is replaced).

    Parameters
    ----------
    path
        The project file.
    week_start
        The Monday of the week to plan.
    settings
        All settings.
    network
        A loaded :class:`~routeplan.network.Network` or a network file; default: the
        file given to ``routeplan init --network``.
    cache_dir
        Folder of cached travel matrices.
    progress
        Optional ``progress(message, fraction)`` callback.

    Raises
    ------
    InputDataError
        If ``week_start`` is not a Monday, or no network is given or remembered.

    """
    from ..matrix import build_matrix, points_frame
    from ..network import load_network
    from ..planner import plan as make_plan

    settings = settings or Settings()
    households, volunteers, previous, carry = next_week_inputs(path, week_start, settings=settings)
    if network is None or isinstance(network, str | Path):
        source = network or project_network(path)
        if source is None:
            raise InputDataError(
                [
                    Problem(
                        "the project does not say which road network to plan with",
                        "give --network OSM, or run `routeplan init PROJECT --network OSM` once",
                    )
                ]
            )
        network = load_network(source, settings=settings.network, progress=progress)
    points = points_frame(households, volunteers, carry.service_points)
    matrices: dict[str, Any] = {
        mode: build_matrix(
            network, points, mode=mode, settings=settings, cache_dir=cache_dir, progress=progress
        )
        for mode in sorted(set(volunteers["mode"]))
    }
    result = make_plan(
        households,
        volunteers,
        matrices,
        settings=settings,
        previous=previous,
        week_start=week_start,
        progress=progress,
    )
    save_plan(path, result, households=households)
    return WeekPlan(result, households, volunteers, carry.service_points, matrices, network, carry)


def weeks(path: PathLike) -> list[dt.date]:
    """Return the weeks with a stored plan, oldest first."""
    with _transaction(path, write=False) as conn:
        return [
            dt.date.fromisoformat(r[0])
            for r in conn.execute("SELECT week_start FROM plans ORDER BY week_start")
        ]


def load_plan(path: PathLike, week_start: dt.date) -> Plan:
    """Return the plan stored for ``week_start``.

    Raises
    ------
    InputDataError
        If no plan is stored for that week (the message lists the weeks that are).

    """
    week = week_start.isoformat()
    with _transaction(path, write=False) as conn:
        row = conn.execute("SELECT stats FROM plans WHERE week_start = ?", (week,)).fetchone()
        if row is None:
            known = [r[0] for r in conn.execute("SELECT week_start FROM plans ORDER BY 1")]
            raise InputDataError(
                [
                    Problem(
                        f"no plan stored for the week of {week}",
                        f"plan it first; stored weeks: {', '.join(known) or 'none'}",
                    )
                ]
            )
        stops: dict[int, list[Stop]] = {}
        for no, order, hid, arr, svc, trv in conn.execute(
            "SELECT route_no, stop_order, household_id, arrival_s, service_s, travel_s "
            "FROM plan_stops WHERE week_start = ? ORDER BY route_no, stop_order",
            (week,),
        ):
            stops.setdefault(no, []).append(Stop(hid, order, arr, svc, trv))
        routes = [
            Route(vid, day, mode, start, end, tuple(stops.get(no, ())), trv, svc)
            for no, vid, day, mode, start, end, trv, svc in conn.execute(
                "SELECT route_no, volunteer_id, day, mode, start_s, end_s, travel_s, "
                "service_s FROM plan_routes WHERE week_start = ? ORDER BY route_no",
                (week,),
            )
        ]
        assignment: dict[str, str] = {}
        unassigned, rollover = [], []
        for hid, vid, state, reason, detail in conn.execute(
            "SELECT household_id, volunteer_id, status, reason, detail FROM "
            "plan_households WHERE week_start = ? ORDER BY fid",
            (week,),
        ):
            if vid is not None:
                assignment[hid] = vid
            if state == "unassigned":
                unassigned.append(Unassigned(hid, reason or "", detail or ""))
            elif state == "rollover":
                rollover.append(Unassigned(hid, reason or "", detail or ""))
        changes = [
            Change(*r)
            for r in conn.execute(
                "SELECT household_id, old_volunteer, new_volunteer, reason FROM plan_changes "
                "WHERE week_start = ? ORDER BY fid",
                (week,),
            )
        ]
    return Plan(
        routes=routes,
        assignment=assignment,
        unassigned=unassigned,
        rollover=rollover,
        changes=changes,
        week_start=week_start,
        stats=json.loads(row[0] or "{}"),
    )


# --- progress ---------------------------------------------------------------------------

_SHARED_WORDS = {  # a progress word that is also a map's or a sheet's -> its label key
    "hamlet": "hamlet",
    "name": "volunteer",
    "households": "col_households",
    "not_at_home": "outcome_absent",
    "refused": "outcome_refused",
    "services": "services",
    "total": "total",
}


def _word(key: str, language: str) -> str:
    """Return the progress report's word for ``key`` (a column or a title) in ``language``."""
    return label(_SHARED_WORDS.get(key, f"progress_{key}"), language)


@dataclass(frozen=True)
class ProgressReport:
    """Running totals of the campaign (see :func:`progress_report`).

    Attributes
    ----------
    by_hamlet, by_volunteer
        One row per hamlet / volunteer and a last ``total`` row: ``households``,
        ``visits``, ``visited`` (met at least once), ``complete`` (every service done),
        ``in_progress``, ``people_supported``, ``not_reached`` (never met: the sum of
        ``not_at_home`` and ``not_visited``), ``refused``, ``services_left`` and one
        ``done_<code>`` column per service: households where it was done.
    not_reached
        One row per household not yet met (or refused), with ``why``.
    totals
        Campaign totals: ``households``, ``visited``, ``complete``, ``people_supported``,
        ``visits`` and ``done_<code>`` for every service.
    services
        The service codes reported, in catalogue order.

    """

    by_hamlet: pd.DataFrame
    by_volunteer: pd.DataFrame
    not_reached: pd.DataFrame
    totals: Mapping[str, int]
    services: tuple[str, ...]
    settings: Settings = field(repr=False)
    as_of: str = ""

    def headline(self) -> str:
        """One sentence: people supported, households done and each service completed."""
        lang = self.settings.output.language
        t = self.totals
        text = _word("headline", lang).format(**t)
        parts = []
        for code in self.services:
            parts.append(f"{_service_label(code, self.settings)}: {t.get('done_' + code, 0)}")
        return text + (". " + "; ".join(parts) if parts else "") + "."

    def summary(self) -> str:
        """Return the headline and the per-hamlet table, for the terminal."""
        lang = self.settings.output.language
        frame = _labelled(self.by_hamlet, self.settings)
        return f"{self.headline()}\n\n{frame.to_string(index=False)}\n" + (
            f"\n{len(self.not_reached)} {_word('not_reached_title', lang).lower()}"
            if len(self.not_reached)
            else ""
        )


def _service_label(code: str, settings: Settings) -> str:
    return service_labels([code], settings, settings.output.language)[0]


def _labelled(frame: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    lang = settings.output.language
    names = {
        c: _service_label(c[5:], settings)
        if c.startswith("done_")
        else _word(c, lang)
        if c in _SHARED_WORDS or f"progress_{c}" in LABELS
        else c
        for c in frame.columns
    }
    return frame.rename(columns=names)


def progress_report(path: PathLike, *, settings: Settings | None = None) -> ProgressReport:
    """Count what the campaign has done so far, per hamlet and per volunteer.

    A household counts as *visited* once someone met it (any outcome but not at home),
    *complete* once every service of the register is done; *people supported* counts
    each household's largest figure (two visits to one family count its people once);
    a service counts once per household it was done for, also when the household had
    not asked for it. Households that left the register are not counted.

    Parameters
    ----------
    path
        The project file.
    settings
        The service catalogue (labels) and ``output.language``.

    """
    import pandas as pd

    settings = settings or Settings()
    lang = settings.output.language
    with _transaction(path, write=False) as conn:
        households = _read_households(conn, True)
        volunteers = _read_volunteers(conn, False)
        states = _states(conn, households, None)
        latest: dict[str, tuple[str, str | None, str, str, str]] = {}
        for wk, hid, vid, state, detail in conn.execute(
            "SELECT week_start, household_id, volunteer_id, status, detail FROM "
            "plan_households ORDER BY week_start"
        ):
            latest[hid] = (wk, vid, state, detail or "", "")
        by_vol_visits: dict[str, list[tuple[str, str, str, int | None]]] = {}
        for hid, vid, outcome, services, people in conn.execute(
            "SELECT household_id, volunteer_id, outcome, services_done, people_supported "
            "FROM visits ORDER BY visit_date, fid"
        ):
            by_vol_visits.setdefault(vid, []).append((hid, outcome, services, people))
        as_of = conn.execute("SELECT max(visit_date) FROM visits").fetchone()[0] or ""
    codes = [
        c
        for c in settings.services
        if any(c in st.needed or c in st.done or c in st.extra for st in states.values())
    ]
    codes += sorted({c for st in states.values() for c in st.extra} - set(codes))
    village = dict(zip(households["household_id"], households["village"], strict=True))

    def row_for(ids: Iterable[str]) -> dict[str, int]:
        sts = [states[h] for h in ids]
        out = {
            "households": len(sts),
            "visits": sum(s.visits for s in sts),
            "visited": sum(s.contact for s in sts),
            "complete": sum(s.complete for s in sts),
            "in_progress": sum(s.status == "in_progress" for s in sts),
            "people_supported": sum(s.people for s in sts),
            "not_reached": sum(not s.contact for s in sts),
            "not_at_home": sum(s.status == "not_at_home" for s in sts),
            "refused": sum(s.status == "refused" for s in sts),
            "not_visited": sum(s.status == "not_visited" for s in sts),
            "services_left": sum(len(s.remaining) for s in sts if s.status != "complete"),
        }
        for c in codes:
            out["done_" + c] = sum(c in s.done or c in s.extra for s in sts)
        return out

    hamlets: dict[str, list[str]] = {}
    for hid in households["household_id"]:
        hamlets.setdefault(str(village[hid]), []).append(str(hid))
    by_hamlet = pd.DataFrame(
        [{"hamlet": h, **row_for(ids)} for h, ids in hamlets.items()]
        + [{"hamlet": _word("total", lang), **row_for(states)}]
    )
    vol_names = dict(zip(volunteers["volunteer_id"], volunteers["name"], strict=True))
    assigned: dict[str, list[str]] = {}
    for hid, (_, vid, _, _, _) in latest.items():
        if vid is not None and hid in states:
            assigned.setdefault(vid, []).append(hid)
    vol_rows = []
    for vid in [*vol_names, *sorted(set(by_vol_visits) - set(vol_names))]:
        visits = by_vol_visits.get(vid, [])
        mine = assigned.get(vid, [])
        if not visits and not mine:
            continue
        met = {h for h, o, _, _ in visits if o != "not_at_home"}
        helped: dict[str, int] = {}
        done: dict[str, set[str]] = {}
        for h, _o, services, n in visits:
            if n is not None:
                helped[h] = max(helped.get(h, 0), int(n))
            for c in _split(services):
                done.setdefault(c, set()).add(h)
        row: dict[str, Any] = {
            "volunteer_id": vid,
            "name": vol_names.get(vid, ""),
            "households": len(mine),
            "visits": len(visits),
            "visited": len(met),
            "complete": sum(states[h].complete for h in mine),
            "in_progress": sum(states[h].status == "in_progress" for h in mine),
            "people_supported": sum(helped.values()),
            "not_reached": sum(not states[h].contact for h in mine),
            "not_at_home": sum(states[h].status == "not_at_home" for h in mine),
            "refused": sum(states[h].status == "refused" for h in mine),
            "not_visited": sum(states[h].status == "not_visited" for h in mine),
            "services_left": sum(len(states[h].remaining) for h in mine if not states[h].complete),
        }
        for c in codes:
            row["done_" + c] = len(done.get(c, ()))
        vol_rows.append(row)
    by_volunteer = pd.DataFrame(vol_rows, columns=["volunteer_id", "name", *by_hamlet.columns[1:]])
    if len(by_volunteer):
        total = {c: int(by_volunteer[c].sum()) for c in by_volunteer.columns[2:]}
        by_volunteer = pd.concat(
            [
                by_volunteer,
                pd.DataFrame([{"volunteer_id": _word("total", lang), "name": "", **total}]),
            ],
            ignore_index=True,
        )
    nr_rows = []
    for rec in households.to_dict("records"):
        hid = str(rec["household_id"])
        st = states[hid]
        if st.contact and st.status != "refused":
            continue
        wk, vid, state, detail, _ = latest.get(hid, ("", None, "", "", ""))
        if st.status == "refused":
            why = _word("why_refused", lang).format(date=st.last_date)
        elif st.status == "not_at_home":
            why = _word("why_not_at_home", lang).format(n=len(st.failed), date=st.last_date)
        elif state in ("rollover", "unassigned"):
            why = _word(f"why_{state}", lang).format(detail=detail)
        elif state:
            why = _word("why_planned", lang).format(week=wk)
        else:
            why = _word("why_not_planned", lang)
        nr_rows.append(
            {
                "household_id": hid,
                "head_name": rec["head_name"],
                "hamlet": rec["village"],
                "phone": rec["phone"],
                "volunteer": vid or "",
                "status": st.status
                if st.visits or not state
                else ("planned" if state in ("visit", "assigned") else state),
                "why": why,
                "services": _join(st.remaining),
            }
        )
    not_reached = pd.DataFrame(
        nr_rows,
        columns=[
            "household_id",
            "head_name",
            "hamlet",
            "phone",
            "volunteer",
            "status",
            "why",
            "services",
        ],
    )
    totals_row = by_hamlet.iloc[-1].to_dict()
    totals = {str(k): int(v) for k, v in totals_row.items() if k != "hamlet"}
    for c in codes:
        totals["needed_" + c] = sum(c in st.needed for st in states.values())
    return ProgressReport(
        by_hamlet, by_volunteer, not_reached, totals, tuple(codes), settings, as_of
    )


def _svg_bars(
    title: str,
    rows: Sequence[tuple[str, Sequence[tuple[float, str, str]], str]],
    *,
    width: int = 640,
) -> str:
    """Draw horizontal stacked bars as inline SVG.

    ``rows`` are ``(label, [(value, colour, tooltip), ...], text after the bar)``.
    """
    label_w, bar_h, gap, top = 190, 18, 8, 28
    biggest = max((sum(v for v, _, _ in parts) for _, parts, _ in rows), default=0) or 1
    scale = (width - label_w - 80) / biggest
    height = top + len(rows) * (bar_h + gap) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{html.escape(title)}" font-family="sans-serif" '
        'font-size="12">',
        f'<text x="0" y="16" font-weight="bold">{html.escape(title)}</text>',
    ]
    for k, (name, parts, note) in enumerate(rows):
        y = top + k * (bar_h + gap)
        out.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{html.escape(name)}</text>'
        )
        x = float(label_w)
        for value, colour, tip in parts:
            w = value * scale
            if w > 0:
                out.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                    f'fill="{colour}"><title>{html.escape(tip)}</title></rect>'
                )
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + 13}">{html.escape(note)}</text>')
    out.append("</svg>")
    return "".join(out)


_COLOURS = (
    ("complete", "#2e7d32"),
    ("in_progress", "#fbc02d"),
    ("refused", "#e57373"),
    ("not_reached", "#e0e0e0"),
)


def _table_html(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def progress_html(report: ProgressReport) -> str:
    """Return the progress report as one self-contained HTML page (inline SVG charts)."""
    settings = report.settings
    lang = settings.output.language
    t = report.totals
    service_rows = []
    for code in report.services:
        needed = t.get("needed_" + code, 0)
        done = t.get("done_" + code, 0)
        left = max(needed - done, 0)
        service_rows.append(
            (
                _service_label(code, settings),
                [(float(done), "#2e7d32", f"{done}"), (float(left), "#c8e6c9", f"{left}")],
                f"{done} / {needed}",
            )
        )
    hamlet_rows = [
        (
            str(r["hamlet"]),
            [(float(r[key]), colour, f"{_word(key, lang)}: {r[key]}") for key, colour in _COLOURS],
            f"{r['complete']} / {r['households']}",
        )
        for r in report.by_hamlet.iloc[:-1].to_dict("records")
    ]
    legend = " ".join(
        f'<span style="display:inline-block;width:12px;height:12px;background:{c}"></span> '
        f"{html.escape(_word(k, lang))}"
        for k, c in _COLOURS
    )
    style = (
        "body{font-family:sans-serif;margin:1.5em;max-width:1100px}"
        "table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}"
        "td,th{border:1px solid #bbb;padding:3px 6px;text-align:right}"
        "td:first-child,th:first-child{text-align:left}"
        "tr:last-child td{font-weight:bold}h1{font-size:1.4em}"
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(_word('title', lang))}</title><style>{style}</style></head><body>"
        f"<h1>{html.escape(_word('title', lang))}</h1>"
        f"<p>{html.escape(report.headline())}</p>"
        + (
            f"<p>{html.escape(_word('as_of', lang).format(date=report.as_of))}</p>"
            if report.as_of
            else ""
        )
        + _svg_bars(_word("chart_services", lang), service_rows)
        + f"<p>{legend}</p>"
        + _svg_bars(_word("chart_hamlets", lang), hamlet_rows)
        + f"<h2>{html.escape(_word('by_hamlet', lang))}</h2>"
        + _table_html(_labelled(report.by_hamlet, settings))
        + f"<h2>{html.escape(_word('by_volunteer', lang))}</h2>"
        + _table_html(_labelled(report.by_volunteer, settings))
        + f"<h2>{html.escape(_word('not_reached_title', lang))}</h2>"
        + _table_html(_labelled(report.not_reached, settings))
        + "</body></html>\n"
    )


def write_progress(report: ProgressReport, out_dir: PathLike) -> list[Path]:
    """Write the progress report into ``out_dir`` and return the paths written.

    ``progress_hamlets.csv``, ``progress_volunteers.csv``, ``progress_not_reached.csv``
    (UTF-8 with BOM for Excel, injection-safe) and ``progress.html`` (one page with
    inline SVG charts: opens offline).
    """
    from ..render.export import write_csv

    out = Path(out_dir)
    paths = []
    for name, frame in (
        ("progress_hamlets.csv", report.by_hamlet),
        ("progress_volunteers.csv", report.by_volunteer),
        ("progress_not_reached.csv", report.not_reached),
    ):
        labelled = _labelled(frame, report.settings)
        paths.append(
            write_csv(
                out / name, list(labelled.columns), labelled.itertuples(index=False, name=None)
            )
        )
    paths.append(write_text(out / "progress.html", progress_html(report)))
    return paths
