"""The visit log: importing a week's outcomes into the project, all or nothing.

:func:`record_outcomes` reads and checks the file (:mod:`.outcome_rows`), then in one
transaction records each visit (:func:`_insert_visit`), counting corrections and rows
already there; a file imported before (same normalised rows, by content hash) changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..errors import InputDataError, Problem
from .outcome_rows import Known, OutcomeRows, Visit, parse_visits, read_outcome_rows
from .store import (
    PathLike,
    ProgressFn,
    check_writable,
    join_codes,
    now,
    split_codes,
    touch,
    transaction,
)

__all__ = ["ImportResult", "record_outcomes"]

log = logging.getLogger(__name__)


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
    volunteer_id: str = ""
    """The volunteer whose phone sent the file ("" for an ordinary outcomes file)."""
    week: str = ""
    """The Monday of the week the phone page was made for ("" for an ordinary file)."""

    def summary(self) -> str:
        """One or two lines for the coordinator."""
        week = f", week of {self.week}" if self.week else ""
        who = f" (from {self.volunteer_id}'s phone{week})" if self.volunteer_id else ""
        if self.already_imported:
            return f"{self.file}{who}: already imported ({self.rows} rows); nothing changed"
        text = (
            f"{self.file}{who}: {self.rows} rows: {self.added} visits recorded, "
            f"{self.corrected} corrected, {self.unchanged} already there"
        )
        if self.warnings:
            text += f"; {len(self.warnings)} warnings"
        return text


def _content_hash(visits: Sequence[Visit]) -> str:
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
        done.update(split_codes(services))
    return done


def _insert_visit(
    conn: sqlite3.Connection,
    visit: Visit,
    services_done: tuple[str, ...],
    import_id: int,
    recorded_at: str,
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
            join_codes(services_done),
            join_codes(visit.services_listed),
            visit.people_supported,
            visit.follow_up,
            int(visit.service_point_trip),
            visit.notes,
            import_id,
            visit.source_row,
            recorded_at,
        ),
    )


def _known(conn: sqlite3.Connection) -> Known:
    rows = conn.execute("SELECT household_id, services, active FROM households").fetchall()
    volunteers = {
        r[0]: bool(r[1]) for r in conn.execute("SELECT volunteer_id, active FROM volunteers")
    }
    return Known(
        {r[0]: split_codes(r[1]) for r in rows}, {r[0]: bool(r[2]) for r in rows}, volunteers
    )


def _is_recorded(conn: sqlite3.Connection, visit: Visit) -> bool | None:
    """Whether the visit is recorded as it is (``None``: not recorded at all)."""
    old = conn.execute(
        "SELECT outcome, services_listed, people_supported, follow_up, "
        "service_point_trip, notes FROM visits WHERE household_id = ? AND "
        "visit_date = ? AND volunteer_id = ?",
        visit.key,
    ).fetchone()
    if old is None:
        return None
    return (old[0], split_codes(old[1]), old[2], old[3], bool(old[4]), old[5]) == (
        visit.outcome,
        visit.services_listed,
        visit.people_supported,
        visit.follow_up,
        visit.service_point_trip,
        visit.notes,
    )


@dataclass
class _Counts:
    added: int = 0
    corrected: int = 0
    unchanged: int = 0


def _record_visits(
    conn: sqlite3.Connection,
    visits: Sequence[Visit],
    known: Known,
    *,
    file: str,
    digest: str,
    progress: ProgressFn | None,
) -> tuple[int, _Counts]:
    """Record the file in ``imports`` and its visits in ``visits``; return its id and counts."""
    recorded_at = now()
    cur = conn.execute(
        "INSERT INTO imports (file_name, content_hash, imported_at, rows) VALUES (?, ?, ?, ?)",
        (file, digest, recorded_at, len(visits)),
    )
    import_id = int(cur.lastrowid or 0)
    counts = _Counts()
    ordered = sorted(visits, key=lambda v: (v.visit_date, v.household_id))
    for k, visit in enumerate(ordered):
        same = _is_recorded(conn, visit)
        if same:
            counts.unchanged += 1
            continue
        services = visit.services_listed
        if visit.outcome == "done" and not services:
            done = _done_so_far(conn, visit.household_id, visit.visit_date)
            services = tuple(s for s in known.services[visit.household_id] if s not in done)
        _insert_visit(conn, visit, services, import_id, recorded_at)
        if same is None:
            counts.added += 1
        else:
            counts.corrected += 1
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
        (counts.added, counts.corrected, counts.unchanged, import_id),
    )
    touch(conn, "visits")
    touch(conn, "imports")
    return import_id, counts


def _raise_on_errors(problems: list[Problem], file: str) -> None:
    if any(p.severity == "error" for p in problems):
        raise InputDataError(problems, subject=file)


def record_outcomes(
    path: PathLike,
    outcomes: PathLike,
    *,
    settings: Settings | None = None,
    today: dt.date | None = None,
    progress: ProgressFn | None = None,
) -> ImportResult:
    """Import a week's visit outcomes into the project, all or nothing.

    The file mirrors the route sheet's tick boxes (see ``data/templates/outcomes.csv``):
    ``household_id``, ``date``, ``volunteer_id``, ``outcome`` and optionally
    ``services_done`` (codes or names, ``;`` between), ``people_supported``,
    ``follow_up``, ``service_point_trip`` (yes/no), ``notes`` and ``recorded_at``.
    A file sent from a volunteer's phone page starts with a line naming the
    volunteer, the week and a checksum; the volunteer and week are in the result,
    and a file cut short or changed on the way is refused.

    A ``done`` row that lists no services means every service the household still
    needed was done. A file imported before (same normalised rows) changes nothing;
    a row whose household, date and volunteer are already recorded is left alone if
    it is the same, or replaces the earlier row if it differs (a correction).

    Parameters
    ----------
    path
        The project file.
    outcomes
        The outcomes file: CSV (``,``, ``;`` or tabs between columns; UTF-8, or a
        legacy encoding with a warning) or XLSX, read by
        :func:`routeplan.registers.read_cells`.
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
    check_writable(path)
    table = read_outcome_rows(outcomes, problems)
    _raise_on_errors(problems, file)
    who = (table.phone.volunteer_id, table.phone.week) if table.phone else ("", "")
    with transaction(path, write=True, what=f"record {file}") as conn:
        known = _known(conn)
        visits = _checked_visits(table, known, settings, today, problems, file)
        warnings = tuple(problems)
        digest = _content_hash(visits)
        if conn.execute("SELECT 1 FROM imports WHERE content_hash = ?", (digest,)).fetchone():
            log.info("%s was imported before; nothing to do", file)
            return ImportResult(file, len(visits), 0, 0, 0, True, warnings, None, *who)
        import_id, n = _record_visits(
            conn, visits, known, file=file, digest=digest, progress=progress
        )
    if progress:
        progress(f"recorded {file}", 1.0)
    return ImportResult(
        file, len(visits), n.added, n.corrected, n.unchanged, False, warnings, import_id, *who
    )


def _checked_visits(
    table: OutcomeRows,
    known: Known,
    settings: Settings,
    today: dt.date | None,
    problems: list[Problem],
    file: str,
) -> list[Visit]:
    """Return the file's visits checked against the project; raise on any error found."""
    visits = parse_visits(
        table,
        known,
        settings=settings,
        today=today or dt.date.today(),
        problems=problems,
    )
    _raise_on_errors(problems, file)
    return visits
