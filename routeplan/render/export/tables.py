"""The rows behind every export: one per stop, per household and per round.

Each row is a dictionary of column name to value, in the column order of the
files; :mod:`~routeplan.render.export.layers` makes the GeoPackage and GeoJSON
layers of them and :func:`~routeplan.render.export.write_exports` the CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...timewindows import format_clock
from ..bundle import PlanBundle
from ..text import day_name

__all__ = [
    "STOP_COLUMNS",
    "date_text",
    "household_rows",
    "route_rows",
    "services_text",
    "stop_rows",
]

Row = dict[str, Any]

STOP_COLUMNS = (
    "volunteer_id",
    "volunteer_name",
    "day",
    "day_name",
    "date",
    "order",
    "arrival",
    "departure",
    "household_id",
    "head_name",
    "village",
    "phone",
    "services",
    "service_min",
    "travel_min",
    "mode",
    "lat",
    "lon",
    "flag",
)
"""Columns of ``plan_stops.csv``, in order (``flag``: ``far_from_map`` ..., see ``Flag``)."""


def services_text(bundle: PlanBundle, household_id: str) -> str:
    """Return the names of the services a household needs, joined by ``"; "``."""
    return "; ".join(bundle.services(household_id))


def date_text(bundle: PlanBundle, day: int) -> str:
    """Return the ISO date of weekday ``day`` in the plan's week, ``""`` without a week."""
    date = bundle.date(day)
    return date.isoformat() if date else ""


def stop_rows(bundle: PlanBundle) -> list[Row]:
    """Return one row per visit, round by round in visit order."""
    language = bundle.language
    rows = []
    for route in bundle.routes:
        vol = bundle.volunteers[route.volunteer_id]
        for stop in route.stops:
            hh = bundle.households[stop.household_id]
            lon, lat = bundle.xy[stop.household_id]
            rows.append(
                {
                    "volunteer_id": route.volunteer_id,
                    "volunteer_name": str(vol.get("name", "")),
                    "day": route.day,
                    "day_name": day_name(route.day, language),
                    "date": date_text(bundle, route.day),
                    "order": stop.order,
                    "arrival": format_clock(stop.arrival_s),
                    "departure": format_clock(stop.departure_s),
                    "arrival_s": stop.arrival_s,
                    "service_min": round(stop.service_s / 60),
                    "travel_min": round(stop.travel_s / 60),
                    "household_id": stop.household_id,
                    "head_name": str(hh.get("head_name", "")),
                    "village": str(hh.get("village", "")),
                    "phone": str(hh.get("phone", "")),
                    "services": services_text(bundle, stop.household_id),
                    "mode": route.mode,
                    "lon": round(lon, 7),
                    "lat": round(lat, 7),
                    "flag": bundle.map_flag(stop.household_id),
                }
            )
    return rows


@dataclass(frozen=True)
class _Status:
    """What the plan does with one household this week."""

    status: str = "not_planned"
    volunteer_id: str = ""
    day: int | None = None
    order: int | None = None
    arrival: str = ""
    reason: str = ""
    detail: str = ""


def _status(bundle: PlanBundle, household_id: str) -> _Status:
    vid = bundle.plan.assignment.get(household_id, "")
    if household_id in bundle.visits:
        visit = bundle.visits[household_id]
        return _Status(
            "visit",
            visit.route.volunteer_id,
            visit.route.day,
            visit.order,
            format_clock(visit.arrival_s),
        )
    if household_id in bundle.unassigned:
        gone = bundle.unassigned[household_id]
        return _Status("unassigned", vid, reason=gone.reason, detail=gone.detail)
    if household_id in bundle.rollover:
        later = bundle.rollover[household_id]
        return _Status("rollover", vid, reason=later.reason, detail=later.detail)
    return _Status("assigned" if vid else "not_planned", vid)


def household_rows(bundle: PlanBundle) -> list[Row]:
    """Return one row per household of the register, with what the plan does with it.

    ``status`` is ``visit``, ``assigned``, ``rollover``, ``unassigned`` or
    ``not_planned``; the last column is the household's ``geometry``.
    """
    language = bundle.language
    rows = []
    for hid, hh in bundle.households.items():
        st = _status(bundle, hid)
        vid, day = st.volunteer_id, st.day
        rows.append(
            {
                "household_id": hid,
                "head_name": str(hh.get("head_name", "")),
                "village": str(hh.get("village", "")),
                "phone": str(hh.get("phone", "")),
                "services": services_text(bundle, hid),
                "service_codes": ";".join(hh.get("services", ()) or ()),
                "priority": bool(hh.get("priority", False)),
                "location_quality": str(hh.get("location_quality", "")),
                "status": st.status,
                "volunteer_id": vid,
                "volunteer_name": str(bundle.volunteers.get(vid, {}).get("name", ""))
                if vid
                else "",
                "day": day,
                "day_name": day_name(day, language) if day is not None else "",
                "date": date_text(bundle, day) if day is not None else "",
                "order": st.order,
                "arrival": st.arrival,
                "reason": st.reason,
                "detail": st.detail,
                "geometry": hh["geometry"],
            }
        )
    return rows


def route_rows(bundle: PlanBundle) -> list[Row]:
    """Return one row per round (without its line), in :attr:`PlanBundle.routes` order."""
    rows = []
    for route in bundle.routes:
        vol = bundle.volunteers[route.volunteer_id]
        rows.append(
            {
                "volunteer_id": route.volunteer_id,
                "volunteer_name": str(vol.get("name", "")),
                "day": route.day,
                "day_name": day_name(route.day, bundle.language),
                "date": date_text(bundle, route.day),
                "mode": route.mode,
                "start": format_clock(route.start_s),
                "end": format_clock(route.end_s),
                "stops": len(route.stops),
                "travel_min": round(route.travel_s / 60),
                "service_min": round(route.service_s / 60),
                "households": " ".join(s.household_id for s in route.stops),
            }
        )
    return rows
