"""The weekly plans stored in the project file.

:func:`save_plan` stores a week's plan (replacing an earlier plan of that week) with
what each household was to do, a snapshot of the volunteers (for the carry-over's
"less time than last week") and the rounds; :func:`load_plan` reads it back,
:func:`weeks` lists the weeks stored. :class:`WeekPlan` is a week planned from the
project with its inputs, as :func:`routeplan.pipeline.plan_week` returns it.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import InputDataError, Problem
from ..planner import Change, Plan, Route, Stop, Unassigned
from .store import PathLike, join_codes, now, touch, transaction, windows_json

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from .carryover import Carryover

__all__ = ["WeekPlan", "load_plan", "save_plan", "weeks"]

_PLAN_TABLES = ("plans", "plan_households", "plan_routes", "plan_stops", "plan_changes")

_Status = tuple[str, str | None, str, str]
"""A household's state in a plan: (status, volunteer, reason, detail)."""


def _statuses(plan: Plan) -> dict[str, _Status]:
    """Each household of the plan: visited, assigned, rolled over or unassigned."""
    status: dict[str, _Status] = {}
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
    return status


def _insert_plan(
    conn: sqlite3.Connection, week: str, plan: Plan, status: Mapping[str, _Status]
) -> None:
    """Write the ``plans`` row, with a snapshot of the active volunteers."""
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
            now(),
            __version__,
            len(status),
            sum(len(r.stops) for r in plan.routes),
            len(plan.unassigned),
            len(plan.rollover),
            json.dumps(plan.stats, default=str, ensure_ascii=False),
            json.dumps(snapshot, ensure_ascii=False),
        ),
    )


def _insert_households(
    conn: sqlite3.Connection,
    week: str,
    status: Mapping[str, _Status],
    info: Mapping[str, Mapping[str, Any]],
) -> None:
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
                join_codes(rec.get("services", ())),
                windows_json(rec.get("windows", ())),
                int(bool(rec.get("retry", False))),
                str(rec.get("follow_up", "") or ""),
                int(bool(rec.get("service_point_trip", False))),
            ),
        )


def _insert_routes(conn: sqlite3.Connection, week: str, plan: Plan) -> None:
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
    status = _statuses(plan)
    with transaction(path, write=True, what=f"storing the plan of {week}") as conn:
        for table in ("plan_households", "plan_routes", "plan_stops", "plan_changes", "plans"):
            conn.execute(f'DELETE FROM "{table}" WHERE week_start = ?', (week,))
        _insert_plan(conn, week, plan, status)
        _insert_households(conn, week, status, info)
        _insert_routes(conn, week, plan)
        conn.executemany(
            "INSERT INTO plan_changes (week_start, household_id, old_volunteer, new_volunteer, "
            "reason) VALUES (?, ?, ?, ?, ?)",
            [(week, c.household_id, c.old, c.new, c.reason) for c in plan.changes],
        )
        for table in _PLAN_TABLES:
            touch(conn, table)


@dataclass(frozen=True, eq=False)
class WeekPlan:
    """A week planned from the project file, with its inputs.

    :func:`routeplan.pipeline.plan_week` returns it. The registers and matrices are
    what the output writers (maps, sheets, exports) take along with the plan.
    """

    plan: Plan
    households: gpd.GeoDataFrame = field(repr=False)
    volunteers: gpd.GeoDataFrame = field(repr=False)
    service_points: gpd.GeoDataFrame = field(repr=False, compare=False)
    matrices: Mapping[str, Any] = field(repr=False)
    network: Any = field(repr=False)
    carryover: Carryover


def weeks(path: PathLike) -> list[dt.date]:
    """Return the weeks with a stored plan, oldest first."""
    with transaction(path, write=False) as conn:
        return [
            dt.date.fromisoformat(r[0])
            for r in conn.execute("SELECT week_start FROM plans ORDER BY week_start")
        ]


def _stored_routes(conn: sqlite3.Connection, week: str) -> list[Route]:
    stops: dict[int, list[Stop]] = {}
    for no, order, hid, arr, svc, trv in conn.execute(
        "SELECT route_no, stop_order, household_id, arrival_s, service_s, travel_s "
        "FROM plan_stops WHERE week_start = ? ORDER BY route_no, stop_order",
        (week,),
    ):
        stops.setdefault(no, []).append(Stop(hid, order, arr, svc, trv))
    return [
        Route(vid, day, mode, start, end, tuple(stops.get(no, ())), trv, svc)
        for no, vid, day, mode, start, end, trv, svc in conn.execute(
            "SELECT route_no, volunteer_id, day, mode, start_s, end_s, travel_s, "
            "service_s FROM plan_routes WHERE week_start = ? ORDER BY route_no",
            (week,),
        )
    ]


def _stored_households(
    conn: sqlite3.Connection, week: str
) -> tuple[dict[str, str], list[Unassigned], list[Unassigned]]:
    """Read the assignment, the unassigned and the rolled-over households of a plan."""
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
    return assignment, unassigned, rollover


def load_plan(path: PathLike, week_start: dt.date) -> Plan:
    """Return the plan stored for ``week_start``.

    Raises
    ------
    InputDataError
        If no plan is stored for that week (the message lists the weeks that are).

    """
    week = week_start.isoformat()
    with transaction(path, write=False) as conn:
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
        routes = _stored_routes(conn, week)
        assignment, unassigned, rollover = _stored_households(conn, week)
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
