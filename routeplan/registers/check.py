"""Checking several registers at once, and how they fit together, without raising."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sized
from dataclasses import dataclass

import geopandas as gpd

from .._memory import too_many_points
from ..config import Settings
from ..errors import Problem
from ._common import Bounds, Parsed, PathLike, rows_text
from .columns import ID_COLUMN, Kind
from .coordinates import AREA_MARGIN_KM, OUTLIER_KM, LocationChecks
from .households import parse_households
from .service_points import parse_service_points
from .volunteers import parse_volunteers

__all__ = ["ValidationReport", "check_files", "validate_files"]


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`check_files`.

    Parameters
    ----------
    rows
        File name -> number of rows read (``None`` when the file could not be read), in
        the order households, volunteers, service points.
    problems
        Every problem of every file, then those across files (``file=None``).

    """

    rows: Mapping[str, int | None]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)

    def summary(self) -> str:
        """Return a report for people: one line per file, then its problems."""
        lines = []
        groups = [
            (name, n, [p for p in self.problems if p.file == name]) for name, n in self.rows.items()
        ]
        groups.append(("across files", None, [p for p in self.problems if p.file is None]))
        for name, n, probs in groups:
            errors = sum(p.severity == "error" for p in probs)
            warnings = len(probs) - errors
            if name == "across files" and not probs:
                continue
            head = f"{name}: " + (f"{n:,} row{'s' * (n != 1)}, " if n is not None else "")
            counts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
            counts += [f"{warnings} warning{'s' * (warnings != 1)}"] if warnings else []
            lines.append(
                head
                + ("OK" if not errors else "")
                + (", " if not errors and warnings else "")
                + ", ".join(counts)
            )
            for p in probs:
                loc = " ".join(x for x in (p.row, f"[{p.column}]" if p.column else "") if x)
                loc = f"{loc}: " if loc else ""
                tag = "warning: " if p.severity == "warning" else ""
                fix = f" Fix: {p.fix}" if p.fix else ""
                lines.append(f"  - {loc}{tag}{p.message.rstrip('.')}.{fix}")
        return "\n".join(lines)


def _row_number(p: Problem) -> int:
    if p.row is None:
        return 0
    m = re.search(r"\d+", p.row)
    return int(m.group()) if m else 0


def check_files(
    households: PathLike | None = None,
    volunteers: PathLike | None = None,
    service_points: PathLike | None = None,
    *,
    settings: Settings | None = None,
    places: Mapping[str, tuple[float, float]] | None = None,
    area: Bounds | None = None,
    outlier_km: float = OUTLIER_KM,
    area_margin_km: float = AREA_MARGIN_KM,
) -> ValidationReport:
    """Check the given registers and how they fit together, without raising.

    Across files it warns about households needing a skill no volunteer has, languages
    spoken by households but by no volunteer, less total capacity than households, and
    ids used in two registers.

    Returns
    -------
    ValidationReport
        Row counts and every problem found (see :func:`validate_files`).

    """
    settings = settings or Settings()
    checks = LocationChecks(area, outlier_km, area_margin_km)
    parsed: list[Parsed] = []
    if households is not None:
        parsed.append(parse_households(households, settings, places, checks))
    if volunteers is not None:
        parsed.append(parse_volunteers(volunteers, settings, checks))
    if service_points is not None:
        parsed.append(parse_service_points(service_points, checks))
    problems: list[Problem] = []
    for p in parsed:
        problems += sorted(p.problems, key=_row_number)
    by_kind = {p.kind: p for p in parsed}
    problems += _cross_checks(by_kind, settings)
    problems += _size_check(parsed, settings)
    return ValidationReport({p.file: p.rows for p in parsed}, tuple(problems))


def _size_check(parsed: list[Parsed], settings: Settings) -> list[Problem]:
    """Warn when the registers hold more points than one plan's matrix fits in memory."""
    n = sum(p.rows or 0 for p in parsed)
    too_many = too_many_points(n, settings.network.matrix_memory_gb)
    if too_many is None:
        return []
    message, fix = too_many
    return [Problem(message + "; `routeplan plan` will refuse them", fix, severity="warning")]


def validate_files(
    households: PathLike | None = None,
    volunteers: PathLike | None = None,
    service_points: PathLike | None = None,
    *,
    settings: Settings | None = None,
    places: Mapping[str, tuple[float, float]] | None = None,
    area: Bounds | None = None,
) -> list[Problem]:
    """Return every problem in the given registers and across them, without raising.

    Parameters
    ----------
    households, volunteers, service_points
        Paths of the registers to check (any may be omitted).
    settings, places, area
        As for :func:`read_households`.

    Returns
    -------
    list of Problem
        Errors and warnings, file by file in row order, then the checks across files
        (``file=None``): households needing a skill that no volunteer has, or a language
        no volunteer speaks (warnings). Empty when all is well.

    """
    return list(
        check_files(
            households, volunteers, service_points, settings=settings, places=places, area=area
        ).problems
    )


# --- across files -----------------------------------------------------------------------------


def _n(items: Sized, one: str, many: str) -> str:
    return f"{len(items):,} {one if len(items) == 1 else many}"


def _skill_gaps(
    h: gpd.GeoDataFrame, v: gpd.GeoDataFrame, hh_file: str, vol_file: str, settings: Settings
) -> list[Problem]:
    """Households needing a service whose skill no volunteer has."""
    out: list[Problem] = []
    have = frozenset().union(*v["skills"].tolist()) if len(v) else frozenset()
    need: dict[str, list[str]] = {}
    for row, codes in zip(h["source_row"].tolist(), h["services"].tolist(), strict=True):
        for code in codes:
            skill = settings.services[code].skill
            if skill and skill not in have:
                need.setdefault(skill, []).append(row)
    for skill, rows in need.items():
        rows = list(dict.fromkeys(rows))
        out.append(
            Problem(
                f"{_n(rows, 'household needs', 'households need')} a service that takes "
                f"the skill {skill!r} "
                f"({rows_text(rows)} of {hh_file}), but no volunteer in {vol_file} has it",
                f"add {skill} to the skills of volunteers who can do it; until then these "
                "services cannot be planned",
                severity="warning",
            )
        )
    return out


def _language_gaps(
    h: gpd.GeoDataFrame, v: gpd.GeoDataFrame, hh_file: str, vol_file: str, settings: Settings
) -> list[Problem]:
    """Households speaking a language no volunteer speaks."""
    out: list[Problem] = []
    speak = frozenset().union(*v["languages"].tolist()) if len(v) else frozenset()
    lang_rows: dict[str, list[str]] = {}
    for row, lang in zip(h["source_row"].tolist(), h["language"].tolist(), strict=True):
        if lang and lang not in speak:
            lang_rows.setdefault(lang, []).append(row)
    for lang, rows in lang_rows.items():
        then = (
            "these households cannot be planned (planner.language_hard is on)"
            if settings.planner.language_hard
            else "they will be visited by volunteers who do not speak it"
        )
        out.append(
            Problem(
                f"{_n(rows, 'household speaks', 'households speak')} {lang!r} "
                f"({rows_text(rows)} of {hh_file}), "
                f"but no volunteer in {vol_file} does",
                f"add {lang} to the languages of volunteers who speak it; otherwise {then}",
                severity="warning",
            )
        )
    return out


def _capacity_gap(h: gpd.GeoDataFrame, v: gpd.GeoDataFrame) -> list[Problem]:
    """Less capacity in all than there are households."""
    total = int(v["capacity"].sum())
    if total >= len(h):
        return []
    return [
        Problem(
            f"the volunteers can look after {total:,} households in all (capacity) but "
            f"there are {len(h):,}",
            "recruit volunteers or raise some capacities; the "
            "households left over will be reported as unassigned",
            severity="warning",
        )
    ]


def _shared_ids(registers: list[Parsed | None]) -> list[Problem]:
    """Ids used in two registers."""
    out: list[Problem] = []
    frames = [
        (p.file, p.frame[ID_COLUMN[p.kind]])
        for p in registers
        if p is not None and p.frame is not None
    ]
    for a in range(len(frames)):
        for b in range(a + 1, len(frames)):
            both = sorted(set(frames[a][1].tolist()) & set(frames[b][1].tolist()) - {""})
            if both:
                shown = ", ".join(repr(x) for x in both[:8]) + (" ..." if len(both) > 8 else "")
                out.append(
                    Problem(
                        f"ids used in both {frames[a][0]} and {frames[b][0]}: {shown}",
                        "give households, volunteers and service points different ids (e.g. "
                        "HB-0001, TN-01, DV-1) so that maps and sheets are unambiguous",
                        severity="warning",
                    )
                )
    return out


def _cross_checks(by_kind: Mapping[Kind, Parsed], settings: Settings) -> list[Problem]:
    hh = by_kind.get("households")
    vol = by_kind.get("volunteers")
    sp = by_kind.get("service_points")
    out: list[Problem] = []
    if hh is not None and hh.frame is not None and vol is not None and vol.frame is not None:
        h, v = hh.frame, vol.frame
        out += _skill_gaps(h, v, hh.file, vol.file, settings)
        out += _language_gaps(h, v, hh.file, vol.file, settings)
        out += _capacity_gap(h, v)
    return out + _shared_ids([hh, vol, sp])
