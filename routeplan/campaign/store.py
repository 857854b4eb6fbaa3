"""The project file: one SQLite file that is also a GeoPackage.

Schema (the GeoPackage tables and the project's own), connections and transactions
(``BEGIN IMMEDIATE``, busy timeout, rollback on any exception), the project metadata
(``routeplan_meta``, with :data:`SCHEMA_VERSION`), GeoPackage geometry blobs and the
text encodings of the values the other submodules store (``;``-joined codes, windows
as JSON).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import socket
import sqlite3
import struct
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import InputDataError, Problem, RouteplanError
from ..timewindows import Window

__all__ = [
    "BUSY_TIMEOUT_S",
    "GPKG_APPLICATION_ID",
    "GPKG_USER_VERSION",
    "LOCK_INFO_SUFFIX",
    "SCHEMA_VERSION",
    "PathLike",
    "ProgressFn",
    "ProjectFileError",
    "backup",
    "blob_geometry",
    "check_writable",
    "create_schema",
    "gpkg_blob",
    "join_codes",
    "lock_info",
    "meta",
    "now",
    "set_meta",
    "split_codes",
    "touch",
    "transaction",
    "windows_from",
    "windows_json",
]

ProgressFn = Callable[[str, float], None]
PathLike = str | Path

SCHEMA_VERSION = 1
"""Version of the project schema, kept in ``routeplan_meta``; bumped on every change."""

BUSY_TIMEOUT_S = 60.0
"""How long a writer waits for another coordinator's write to finish."""

GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_USER_VERSION = 10400  # GeoPackage 1.4.0

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


def now() -> str:
    """Return the current UTC time as GeoPackage writes it (``...T12:34:56.78Z``)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"


# --- GeoPackage geometry blobs ------------------------------------------------------


def gpkg_blob(geom: Any) -> bytes | None:
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


def blob_geometry(blob: bytes | None) -> Any:
    """Decode GeoPackage binary (any envelope, either byte order) to a shapely geometry."""
    if blob is None or len(blob) < 8 or blob[:2] != b"GP":
        return None
    import shapely

    size = _ENVELOPE_BYTES.get((blob[3] >> 1) & 0x07, 0)
    return shapely.from_wkb(bytes(blob[8 + size :]))


def _st(fn: Callable[[Any], float]) -> Callable[[bytes | None], float | None]:
    def wrapped(blob: bytes | None) -> float | None:
        g = blob_geometry(blob)
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


class ProjectFileError(RouteplanError):
    """The project file cannot be opened or written: read-only, disk full, locked."""


LOCK_INFO_SUFFIX = ".writer"
"""Beside ``PROJECT.gpkg`` while a routeplan writes it: ``PROJECT.gpkg.writer`` (JSON:
host, pid, what, since), so that a second writer can say who holds the lock."""


def _writable(path: Path) -> str:
    """Return why ``path`` (and its folder, for the journal) cannot be written, or ``""``."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only"
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # a new project's folder is made: its parent must be writable
    if not os.access(folder, os.W_OK):
        return (
            f"its folder {folder} is read-only (SQLite writes a journal file "
            f"{path.name}-journal beside it during every change)"
        )
    return ""


def check_writable(path: PathLike) -> None:
    """Raise :class:`ProjectFileError` if the project (or its folder) cannot be written.

    Called before any heavy work (reading registers, planning), so that a read-only
    project is said at once, with the fix.
    """
    path = Path(path)
    why = _writable(path)
    if why:
        raise ProjectFileError(
            f"{path}: cannot write the project: {why}. Nothing was changed.\n"
            "Fix: copy the project to a folder you can write to (not a read-only USB stick, "
            "CD or e-mail attachment preview) and run the command on the copy, or make it "
            "writable (file properties: untick read-only; `chmod u+w`)."
        )


def lock_info(path: PathLike) -> dict[str, Any] | None:
    """Return who is writing the project (``host``, ``pid``, ``what``, ``since``), if known.

    ``None`` when no routeplan says it is writing it (or that routeplan has died: its
    record is then stale and ignored).
    """
    info_path = Path(str(path) + LOCK_INFO_SUFFIX)
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict):
        return None
    if info.get("host") == socket.gethostname():
        try:
            os.kill(int(info.get("pid", 0)), 0)
        except ProcessLookupError:
            return None  # that routeplan died; SQLite released its lock
        except (OSError, ValueError):
            pass
    return info


def _write_lock_info(path: Path, what: str) -> Path | None:
    info_path = Path(str(path) + LOCK_INFO_SUFFIX)
    record = {"host": socket.gethostname(), "pid": os.getpid(), "what": what, "since": now()}
    try:
        info_path.write_text(json.dumps(record), encoding="utf-8")
    except OSError:  # best effort: a full disk must not hide the real error
        return None
    return info_path


def _remove_lock_info(info_path: Path) -> None:
    # only our own: the next writer may have taken the lock and written its record
    with contextlib.suppress(OSError, ValueError):
        if json.loads(info_path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            info_path.unlink()


def _locked(path: Path) -> ProjectFileError:
    info = lock_info(path)
    if info is not None:
        who = (
            f"routeplan ({info.get('what') or 'a command'}, process {info.get('pid')} on "
            f"{info.get('host')}, since {info.get('since')})"
        )
    else:
        who = (
            "another program: another routeplan (init, record, plan --project) or QGIS "
            "editing a layer of it"
        )
    return ProjectFileError(
        f"{path}: the project is busy: {who} is writing it, and it did not finish within "
        f"{int(BUSY_TIMEOUT_S)} s. Nothing was changed.\n"
        "Fix: wait for it to finish (in QGIS: save or stop editing the layer) and run the "
        "command again."
    )


def _is_locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _translate(path: Path, exc: sqlite3.Error) -> RouteplanError | None:
    """Return the clear error for a failed SQLite write, or None if it is something else."""
    text = str(exc).lower()
    if _is_locked(exc):
        return _locked(path)
    if "readonly" in text or "read-only" in text:
        return ProjectFileError(
            f"{path}: cannot write the project: {exc}. Nothing was changed.\n"
            "Fix: copy the project to a folder you can write to and run the command on "
            "the copy, or make the file and its folder writable."
        )
    if "full" in text or "disk i/o" in text:
        return ProjectFileError(
            f"{path}: the disk is full ({exc}). Nothing was changed: the project is as it "
            "was before this command.\n"
            f"Fix: free some space on the disk holding {path.resolve().parent} (or move "
            "the project to another disk) and run the command again."
        )
    return None


def _rollback(conn: sqlite3.Connection) -> None:
    # SQLite may have rolled back already (disk full, I/O error): never hide the cause
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _new_file(path: Path) -> bool:
    return not path.exists() or (path.is_file() and path.stat().st_size == 0)


@contextlib.contextmanager
def transaction(
    path: PathLike, *, write: bool, create: bool = False, what: str = ""
) -> Iterator[sqlite3.Connection]:
    """Open the project and run the block in one transaction (``BEGIN IMMEDIATE`` to write).

    On any exception the transaction is rolled back, so the file is as it was. A new
    project (``create``) is built in a temporary file beside it and renamed into place
    when complete, so a failure never leaves a 0-byte or half-made project. While a
    write runs, ``PROJECT.gpkg.writer`` says who holds the lock (see :func:`lock_info`);
    ``what`` names the command there. A lock held past :data:`BUSY_TIMEOUT_S`, a
    read-only file and a full disk raise :class:`ProjectFileError` saying so.
    """
    path = Path(path)
    if not create and not path.is_file():
        raise _not_a_project(path, "project file not found")
    if path.is_file() and path.stat().st_size:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise _not_a_project(path, "not an SQLite/GeoPackage file")
    if write:
        check_writable(path)
    target = path
    if create and _new_file(path):
        # SQLite creates it (with the usual permissions, not mkstemp's 0600)
        target = path.with_name(f".{path.name}.{secrets.token_hex(6)}.new")
    try:
        with _connected(path, target, write=write, create=create, what=what) as conn:
            yield conn
        if target != path:
            os.replace(target, path)
    finally:
        if target != path:
            with contextlib.suppress(OSError):
                target.unlink()
            with contextlib.suppress(OSError):
                Path(str(target) + "-journal").unlink()


@contextlib.contextmanager
def _connected(
    path: Path, target: Path, *, write: bool, create: bool, what: str
) -> Iterator[sqlite3.Connection]:
    """One connection to ``target`` (``path`` itself, or the new file being made)."""
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    info_path: Path | None = None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        _add_sql_functions(conn)
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            if not create:
                _check_schema(conn, path)
        except sqlite3.DatabaseError as exc:
            _rollback(conn)
            clear = _translate(path, exc) if isinstance(exc, sqlite3.OperationalError) else None
            if clear is not None:
                raise clear from None
            raise _not_a_project(path, f"not an SQLite/GeoPackage file ({exc})") from None
        except BaseException:
            _rollback(conn)
            raise
        if write:
            info_path = _write_lock_info(path, what)
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            _rollback(conn)
            clear = _translate(path, exc)
            if clear is not None:
                raise clear from exc
            raise
        except BaseException:
            _rollback(conn)
            raise
    finally:
        conn.close()
        if info_path is not None:
            _remove_lock_info(info_path)


def backup(path: PathLike, dest: PathLike) -> Path:
    """Copy the project safely to ``dest`` (SQLite's online backup) and return ``dest``.

    Unlike copying the file, this works while another routeplan (or QGIS) writes the
    project, and after a crash mid-write: the journal left beside the file
    (``PROJECT.gpkg-journal``) is rolled back first, so the copy is the project as last
    saved. ``dest`` is written atomically (never a half-written copy).
    """
    from .._io import atomic_path

    path, dest = Path(path), Path(dest)
    if path.resolve() == dest.resolve():
        raise ProjectFileError(f"{dest}: the copy must be another file than the project")
    with transaction(path, write=False) as conn:
        try:
            with atomic_path(dest) as tmp:
                out = sqlite3.connect(tmp)
                try:
                    conn.backup(out)
                finally:
                    out.close()
        except sqlite3.OperationalError as exc:
            clear = _translate(dest, exc)
            raise (clear or exc) from exc
    return dest


def meta(conn: sqlite3.Connection, key: str) -> str | None:
    """Return the project metadata ``key`` (``None`` if unset or not a project)."""
    try:
        row = conn.execute("SELECT value FROM routeplan_meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else str(row[0])


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Set the project metadata ``key`` to ``value``."""
    conn.execute(
        "INSERT INTO routeplan_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def _check_schema(conn: sqlite3.Connection, path: Path) -> None:
    version = meta(conn, "schema_version")
    if version is None:
        raise _not_a_project(path, "this file is not a routeplan project (no routeplan_meta)")
    if int(version) > SCHEMA_VERSION:
        raise RouteplanError(
            f"{path.name} was written by a newer routeplan (project schema {version}, this "
            f"routeplan reads up to {SCHEMA_VERSION}): upgrade routeplan."
        )
    # Older schemas would be migrated here, one version at a time, in this transaction.


def create_schema(conn: sqlite3.Connection) -> bool:
    """Create the GeoPackage and project tables if missing; return True if new."""
    new = meta(conn, "schema_version") is None
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
            (table, kind, table, description, now(), 4326 if kind == "features" else None),
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
        set_meta(conn, "schema_version", str(SCHEMA_VERSION))
        set_meta(conn, "created_at", now())
        set_meta(conn, "created_by", f"routeplan {__version__}")
    return new


def touch(conn: sqlite3.Connection, table: str) -> None:
    """Record a change of ``table`` in ``gpkg_contents`` (and its extent, for a layer)."""
    if table in _FEATURES:
        conn.execute(
            f"UPDATE gpkg_contents SET last_change = ?, min_x = (SELECT min(ST_MinX(geom)) "
            f'FROM "{table}"), min_y = (SELECT min(ST_MinY(geom)) FROM "{table}"), '
            f'max_x = (SELECT max(ST_MaxX(geom)) FROM "{table}"), '
            f'max_y = (SELECT max(ST_MaxY(geom)) FROM "{table}") WHERE table_name = ?',
            (now(), table),
        )
    else:
        conn.execute(
            "UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (now(), table)
        )


# --- value encodings ----------------------------------------------------------------


def join_codes(values: Iterable[str]) -> str:
    """Join codes (services, skills, languages) as stored: ``a;b;c``."""
    return ";".join(values)


def split_codes(text: str | None) -> tuple[str, ...]:
    """Split codes stored by :func:`join_codes` (``None`` and ``""`` give ``()``)."""
    return tuple(p for p in (text or "").split(";") if p)


def windows_json(windows: Any) -> str:
    """Encode time windows ``(day, start, end)`` as stored: a JSON list of lists."""
    return json.dumps([list(map(int, w)) for w in (windows or ())])


def windows_from(text: str | None) -> tuple[Window, ...]:
    """Decode time windows stored by :func:`windows_json`."""
    return tuple((int(d), int(s), int(e)) for d, s, e in json.loads(text or "[]"))
