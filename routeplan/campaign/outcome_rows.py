"""Reading an outcomes file: the route sheet's ticks as checked visits.

The file (see ``data/templates/outcomes.csv``) is read by the project's one table
reader (:func:`routeplan.registers.read_cells`: CSV in any common encoding and
delimiter, or XLSX); the header names are matched here, and every row is checked
against the registers (:func:`parse_visits`) with a row number and a fix for each
problem. Dates (:func:`parse_date`) and outcomes (:func:`parse_outcome`) are read as
Vietnamese coordinators type them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import Problem
from ..timewindows import fold, slug

__all__ = [
    "OUTCOMES",
    "PHONE_MARK",
    "Known",
    "OutcomeRows",
    "PhoneFile",
    "Visit",
    "parse_date",
    "parse_outcome",
    "parse_visits",
    "read_outcome_rows",
]

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
    "recorded_at": ("recorded_at", "ghi_luc", "thoi_diem_ghi"),
}
_REQUIRED = ("household_id", "date", "volunteer_id", "outcome")

_TRUE = {"1", "yes", "y", "true", "x", "co", "can", "v", "có"}
_FALSE = {"", "0", "no", "n", "false", "khong", "không", "-"}

_DATE_FORMATS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})"), ("d", "m", "y")),
)


class _BadValue(ValueError):
    """A cell that cannot be read; ``code`` and ``params`` as in :class:`Problem`."""

    def __init__(self, message: str, code: str, **params: str) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


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
                msg = f"date {text!r} does not exist ({exc})"
                raise _BadValue(msg, "date_no_such_day", text=text) from None
    if re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}", value):
        raise _BadValue(f"date {text!r} has a two-digit year", "date_short_year", text=text)
    raise _BadValue(f"date {text!r} is not a date", "date_bad", text=text)


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
    raise _BadValue(
        f"{hint}write one of done / not_at_home / refused / follow_up "
        "(or xong / vắng nhà / từ chối / hẹn lại)",
        "outcome_unknown",
        near=_OUTCOME_WORDS[match[0]] if match else "",
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


# --- the file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
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
        """Household, date and volunteer: what identifies a visit."""
        return (self.household_id, self.visit_date, self.volunteer_id)

    def content(self) -> tuple[Any, ...]:
        """Return the values that make the visit (not the row it came from)."""
        return (
            *self.key,
            self.outcome,
            list(self.services_listed),
            self.people_supported,
            self.follow_up,
            self.service_point_trip,
            self.notes,
        )


PHONE_MARK = "#routeplan-outcomes"
"""First cell of the first line of a file sent from a volunteer's phone page."""


@dataclass(frozen=True)
class PhoneFile:
    """The first line of a file sent from a phone page: who, which week, and a checksum.

    The line is ``#routeplan-outcomes,<volunteer>,<week Monday>,<rows>,crc32:<8 hex>``;
    the CRC-32 is of the UTF-8 bytes after that line, so a file cut short or changed
    on the way is caught.
    """

    volunteer_id: str
    week: str
    rows: int
    checksum: str


@dataclass(frozen=True)
class OutcomeRows:
    """The non-blank rows of an outcomes file: column -> text, and ``row N`` labels."""

    file: str
    rows: list[dict[str, str]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    phone: PhoneFile | None = None


def _header_key(name: str) -> str:
    return slug(name)


def _header_columns(header: list[str], file: str, problems: list[Problem]) -> list[str | None]:
    """Match each header cell to an outcome column (``None``: ignored) and report."""
    aliases = {_header_key(a): col for col, names in _COLUMNS.items() for a in names}
    columns: list[str | None] = []
    for k, name in enumerate(header):
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
                    code="outcome_column_unknown",
                    params={
                        "name": name,
                        "k": k + 1,
                        "near": aliases[match[0]] if match else "",
                        "known": ", ".join(_COLUMNS),
                    },
                )
            )
        if col in columns:
            problems.append(
                Problem(
                    f"column {col!r} appears twice",
                    "keep one of them",
                    file=file,
                    column=name,
                    code="column_twice",
                    params={"column": col},
                )
            )
        columns.append(col)
    for col in _REQUIRED:
        if col not in columns:
            problems.append(
                Problem(
                    f"required column {col!r} is missing",
                    "start from data/templates/outcomes.csv",
                    file=file,
                    code="outcome_column_missing",
                    params={"column": col},
                )
            )
    return columns


def _phone_file(path: Path, first: list[str], problems: list[Problem]) -> PhoneFile | None:
    """Read and check the phone page's first line (``None`` if the line is malformed)."""
    file = path.name
    again = (
        "send the file again from the phone page (or delete its first line to import it "
        "as an ordinary outcomes file)"
    )
    cells = [c.strip() for c in first]
    m = re.fullmatch(r"crc32:([0-9a-f]{8})", cells[4]) if len(cells) >= 5 else None
    if m is None or not cells[3].isdigit():
        problems.append(
            Problem(
                f"the first line {','.join(cells)!r} is damaged",
                again,
                file=file,
                code="phone_line_damaged",
                params={"line": ",".join(cells)},
            )
        )
        return None
    phone = PhoneFile(cells[1], cells[2], int(cells[3]), m.group(1))
    raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    body = raw.split(b"\n", 1)[1] if b"\n" in raw else b""
    if f"{zlib.crc32(body):08x}" != phone.checksum:
        problems.append(
            Problem(
                f"the file from {phone.volunteer_id}'s phone (week {phone.week}) was cut short "
                "or changed after the phone wrote it (its checksum does not match)",
                again,
                file=file,
                code="phone_checksum",
                params={"volunteer": phone.volunteer_id, "week": phone.week},
            )
        )
    return phone


def read_outcome_rows(path: Path, problems: list[Problem]) -> OutcomeRows:
    """Read an outcomes file (CSV or XLSX) into its non-blank rows.

    Problems of the file (not found, unreadable, empty, unknown, doubled or missing
    columns, a legacy encoding) are added to ``problems``. A file sent from a phone
    page starts with a line naming the volunteer, the week and a checksum
    (:class:`PhoneFile`); a file whose checksum fails is an error.
    """
    from ..registers import read_cells  # registers loads geopandas

    file = path.name
    grid, found = read_cells(path, _COLUMNS)
    problems.extend(found)
    if grid is None:
        return OutcomeRows(file)
    phone = None
    first_row = 1
    if grid and grid[0] and grid[0][0].strip() == PHONE_MARK:
        phone = _phone_file(path, grid[0], problems)
        grid = grid[1:]
        first_row = 2
    if not grid or not any(c.strip() for c in grid[0]):
        problems.append(
            Problem(
                "the file is empty",
                "use data/templates/outcomes.csv",
                file=file,
                code="outcome_file_empty",
            )
        )
        return OutcomeRows(file, phone=phone)
    columns = _header_columns(grid[0], file, problems)
    out = OutcomeRows(file, phone=phone)
    for n, cells in enumerate(grid[1:], start=first_row + 1):
        if not any(c.strip() for c in cells):
            continue
        out.rows.append(
            {
                col: (cells[k].strip() if k < len(cells) else "")
                for k, col in enumerate(columns)
                if col
            }
        )
        out.labels.append(f"row {n}")
    if phone is not None and phone.rows != len(out.rows):
        problems.append(
            Problem(
                f"the phone wrote {phone.rows} visits but the file holds {len(out.rows)}",
                "send the file again from the phone page",
                file=file,
                code="phone_rows",
                params={"wrote": phone.rows, "holds": len(out.rows)},
            )
        )
    return out


# --- checking the rows -------------------------------------------------------------------


@dataclass(frozen=True)
class Known:
    """What the registers say about the ids an outcomes file may name."""

    services: Mapping[str, tuple[str, ...]]
    """Household -> the services it needs."""
    households: Mapping[str, bool]
    """Household -> active."""
    volunteers: Mapping[str, bool]
    """Volunteer -> active."""


def _closest_id(value: str, known: Iterable[str]) -> tuple[str, str]:
    """Return the fix for an unknown id, and the closest known id ("" if none)."""
    match = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    if match:
        return f"did you mean {match[0]!r}?", match[0]
    return "check the id against the register", ""


@dataclass
class _RowCheck:
    """Checks the cells of one row, noting each problem with the row's label."""

    file: str
    known: Known
    lookup: Mapping[str, str]
    settings: Settings
    problems: list[Problem]
    row: str
    raw: Mapping[str, str]
    ok: bool = True

    def bad(
        self,
        column: str,
        message: str,
        fix: str,
        severity: str = "error",
        *,
        code: str | None = None,
        **params: Any,
    ) -> None:
        """Note a problem of this row; an error also makes the row unusable.

        ``code`` and ``params``: see :class:`~routeplan.errors.Problem`.
        """
        self.problems.append(
            Problem(
                message,
                fix,
                file=self.file,
                row=self.row,
                column=column,
                severity="warning" if severity == "warning" else "error",
                code=code,
                params=params or None,
            )
        )
        if severity != "warning":
            self.ok = False

    def known_id(self, noun: str, active: Mapping[str, bool], empty_fix: str) -> str:
        """Read the household or volunteer id (unknown: an error; inactive: a warning)."""
        column = f"{noun}_id"
        value = self.raw.get(column, "")
        if not value:
            self.bad(column, f"{column} is empty", empty_fix, code=f"outcome_{column}_empty")
        elif value not in active:
            fix, near = _closest_id(value, active)
            self.bad(
                column,
                f"unknown {noun} {value!r}",
                fix,
                code="outcome_id_unknown",
                noun=noun,
                value=value,
                near=near,
            )
        elif not active[value]:
            self.bad(
                column,
                f"{noun} {value!r} is marked inactive (left the list)",
                "check the id; the visit is recorded anyway",
                "warning",
                code="outcome_id_inactive",
                noun=noun,
                value=value,
            )
        return value

    def date(self) -> dt.date | None:
        """Read the date of the visit (``None`` if it cannot be read)."""
        try:
            return parse_date(self.raw.get("date", ""))
        except ValueError as exc:
            self.bad(
                "date",
                str(exc),
                "write the date as DD/MM/YYYY (30/11/2026) or YYYY-MM-DD (2026-11-30)",
                code=getattr(exc, "code", None),
                **getattr(exc, "params", {}),
            )
            return None

    def outcome(self) -> str:
        """Read the outcome code (``""`` if it cannot be read)."""
        try:
            return parse_outcome(self.raw.get("outcome", ""))
        except ValueError as exc:
            self.bad(
                "outcome",
                f"unknown outcome {self.raw.get('outcome', '')!r}",
                str(exc),
                code=getattr(exc, "code", None),
                value=self.raw.get("outcome", ""),
                **getattr(exc, "params", {}),
            )
            return ""

    def services(self, hid: str, outcome: str) -> list[str]:
        """Read the service codes listed as done, each once, in the order written."""
        services: list[str] = []
        for part in re.split(r"[;,|+\n]+", self.raw.get("services_done", "")):
            if not part.strip():
                continue
            code = self.lookup.get(slug(part))
            if code is None:
                match = difflib.get_close_matches(slug(part), list(self.lookup), n=1, cutoff=0.5)
                fix = (
                    f"did you mean {self.lookup[match[0]]!r}?"
                    if match
                    else f"known codes: {', '.join(self.settings.services)}"
                )
                self.bad(
                    "services_done",
                    f"unknown service {part.strip()!r}",
                    fix,
                    code="outcome_service_unknown",
                    item=part.strip(),
                    near=self.lookup[match[0]] if match else "",
                    known=", ".join(self.settings.services),
                )
            elif code not in services:
                services.append(code)
        if services and outcome in ("not_at_home", "refused"):
            self.bad(
                "services_done",
                f"outcome is {outcome} but services are listed as done",
                "tick 'done' or 'follow_up', or clear services_done",
                code="services_not_done",
                outcome=outcome,
            )
        needed = self.known.services
        if hid in needed and services:
            extra = [s for s in services if s not in needed[hid]]
            if extra:
                self.bad(
                    "services_done",
                    f"{', '.join(extra)} done although household {hid} did not need it",
                    "counted anyway; add the service to the household register if it is right",
                    "warning",
                    code="services_not_needed",
                    services=", ".join(extra),
                    household=hid,
                )
        return services

    def people(self) -> int | None:
        """How many people were supported (``None`` if not written)."""
        people: int | None = None
        text = self.raw.get("people_supported", "")
        if text:
            try:
                people = int(float(text)) if float(text).is_integer() else -1
            except ValueError:
                people = -1
            if people < 0:
                self.bad(
                    "people_supported",
                    f"people_supported {text!r} is not a whole number",
                    "write how many people were helped (0, 1, 2, ...)",
                    code="people_not_whole",
                    value=text,
                )
            elif people > 30:
                self.bad(
                    "people_supported",
                    f"{people} people supported in one household",
                    "check the number",
                    "warning",
                    code="people_many",
                    value=str(people),
                )
        return people

    def trip(self) -> bool:
        """Whether a trip to a service point is needed first."""
        text = self.raw.get("service_point_trip", "")
        flag = _flag(text)
        if flag is None:
            self.bad(
                "service_point_trip",
                f"{text!r} is not yes or no",
                "write yes/có or no/không (or leave empty)",
                code="trip_not_yes_no",
                value=text,
            )
            return False
        return flag

    def follow_up(self, outcome: str) -> str:
        """Read what to follow up (a follow-up that says nothing is a warning)."""
        follow = self.raw.get("follow_up", "")
        if outcome == "follow_up" and not follow:
            self.bad(
                "follow_up",
                "outcome is follow_up but nothing is written to follow up",
                "write what to bring or do next time",
                "warning",
                code="follow_up_empty",
            )
        return follow

    def visit(self, hid: str, vid: str, date: dt.date | None) -> Visit | None:
        """Check the rest of the row; return its visit, or ``None`` after an error."""
        outcome = self.outcome()
        services = self.services(hid, outcome)
        people = self.people()
        trip = self.trip()
        follow = self.follow_up(outcome)
        if not self.ok or date is None:
            return None
        return Visit(
            hid,
            date.isoformat(),
            vid,
            outcome,
            tuple(services),
            people,
            follow,
            trip,
            self.raw.get("notes", ""),
            # when the phone recorded it: kept with the row it came from
            f"{self.row} (recorded {at})" if (at := self.raw.get("recorded_at", "")) else self.row,
        )


def _future_dates(rows: list[str], today: dt.date, file: str) -> Problem:
    shown = ", ".join(r.removeprefix("row ") for r in rows[:12])
    more = f" and {len(rows) - 12} more" if len(rows) > 12 else ""
    return Problem(
        f"{len(rows)} dates after today ({today.isoformat()}): rows {shown}{more}",
        "check the year and whether day and month are swapped (write DD/MM/YYYY)",
        file=file,
        column="date",
        code="dates_future",
        params={"n": len(rows), "today": today.isoformat(), "rows": shown, "more": len(rows) - 12},
        severity="warning",
    )


def parse_visits(
    table: OutcomeRows,
    known: Known,
    *,
    settings: Settings,
    today: dt.date,
    problems: list[Problem],
) -> list[Visit]:
    """Check every row of an outcomes file; return the visits of the rows without errors.

    Each problem (an unknown id, date, outcome or service, services listed for a visit
    that met nobody, a row repeated, ...) is added to ``problems`` with its row number,
    column and a fix; dates after ``today`` make one warning.
    """
    lookup = _service_lookup(settings)
    visits: list[Visit] = []
    first_row: dict[tuple[str, str, str], str] = {}
    future: list[str] = []
    for raw, row in zip(table.rows, table.labels, strict=True):
        check = _RowCheck(table.file, known, lookup, settings, problems, row, raw)
        hid = check.known_id("household", known.households, "copy it from the route sheet")
        vid = check.known_id("volunteer", known.volunteers, "write who made the visit")
        if table.phone is not None and vid and vid != table.phone.volunteer_id:
            check.bad(
                "volunteer_id",
                f"{vid} in a file sent from {table.phone.volunteer_id}'s phone",
                "send the file again from the phone page",
                code="phone_other_volunteer",
                value=vid,
                volunteer=table.phone.volunteer_id,
            )
        date = check.date()
        if date is not None and date > today:
            future.append(row)
        visit = check.visit(hid, vid, date)
        if visit is None:
            continue
        if visit.key in first_row:
            check.bad(
                "household_id",
                f"the visit of {hid} by {vid} on {visit.visit_date} is "
                f"also in {first_row[visit.key]}",
                "keep one row per visit",
                code="visit_twice",
                household=hid,
                volunteer=vid,
                date=visit.visit_date,
                other=first_row[visit.key],
            )

            continue
        first_row[visit.key] = row
        visits.append(visit)
    if future:
        problems.append(_future_dates(future, today, table.file))
    return visits
