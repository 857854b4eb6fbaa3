"""What a route sheet shows, taken from the checked plan: one :class:`Sheet` per round.

The pages are drawn from these records alone; nothing here knows about fpdf2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..._labels import LABELS, label
from ...timewindows import format_clock
from ..legs import Coord
from ..text import clean_text

if TYPE_CHECKING:  # pragma: no cover
    from ...planner import Route, Stop
    from ..bundle import PlanBundle

__all__ = ["Sheet", "StopRow", "flags", "sheets_by_volunteer"]


@dataclass(frozen=True)
class StopRow:
    """One stop of a round as the table prints it (text already cleaned)."""

    order: int
    arrival: str
    head_name: str
    household_id: str
    hamlet: str
    services: tuple[str, ...]
    phone: str
    note: str
    flags: str
    xy: Coord


@dataclass(frozen=True)
class Sheet:
    """One volunteer's round on one day: the header, the map and the table of stops."""

    volunteer_id: str
    volunteer_name: str
    volunteer_phone: str
    day: int
    date: str
    route: Route
    home: Coord | None
    rows: tuple[StopRow, ...]
    legs: tuple[tuple[Coord, ...], ...]


def flags(household: Mapping[str, Any], language: str) -> str:
    """Return what to know before knocking: elderly, disability, remote, language, rough place."""
    keys = ("elderly", "disability", "remote")
    words = [label(k, language) for k in keys if household.get(k) is True]
    slug = str(household.get("language") or "")
    if slug:
        key = f"language_{slug}"
        words.append(label(key, language) if key in LABELS else slug)
    if household.get("location_quality") == "village":
        words.append(label("location_village", language))
    return " · ".join(words)


def _with_map_flag(words: str, bundle: PlanBundle, household_id: str) -> str:
    """Return ``words`` with the plan's "far from the map" flag of the household added."""
    code = bundle.map_flag(household_id)
    if not code:
        return words
    flag = label(f"flag_short_{code}", bundle.language)
    return f"{words} · {flag}" if words else flag


def _stop_row(bundle: PlanBundle, stop: Stop) -> StopRow:
    h = bundle.households[stop.household_id]
    return StopRow(
        order=stop.order,
        arrival=format_clock(stop.arrival_s),
        head_name=clean_text(h.get("head_name")),
        household_id=clean_text(stop.household_id),
        hamlet=clean_text(h.get("village")),
        services=tuple(clean_text(s) for s in bundle.services(stop.household_id)),
        phone=clean_text(h.get("phone")),
        note=clean_text(h.get("notes")),
        flags=_with_map_flag(flags(h, bundle.language), bundle, stop.household_id),
        xy=bundle.xy[stop.household_id],
    )


def _sheet(bundle: PlanBundle, route: Route) -> Sheet:
    vol = bundle.volunteers[route.volunteer_id]
    date = bundle.date(route.day)
    return Sheet(
        volunteer_id=clean_text(route.volunteer_id),
        volunteer_name=clean_text(vol.get("name")),
        volunteer_phone=clean_text(vol.get("phone")),
        day=route.day,
        date=f"{date:%d/%m/%Y}" if date else "",
        route=route,
        home=bundle.home(route.volunteer_id),
        rows=tuple(_stop_row(bundle, stop) for stop in route.stops),
        legs=tuple(tuple(leg) for leg in bundle.legs(route)),
    )


def sheets_by_volunteer(bundle: PlanBundle) -> dict[str, list[Sheet]]:
    """Return every round's sheet by volunteer id, each volunteer's by day.

    Rounds of one volunteer on one day keep their order in the plan.
    """
    out: dict[str, list[Sheet]] = {}
    for route in sorted(bundle.plan.routes, key=lambda r: (str(r.volunteer_id), r.day)):
        out.setdefault(route.volunteer_id, []).append(_sheet(bundle, route))
    return out
