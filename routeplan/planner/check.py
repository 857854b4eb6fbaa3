"""Hold a plan against every hard rule of its problem (:func:`check_plan`).

The daylight rule reads the same per-trip data the routing model used
(:meth:`RoutingProblem.unpaved_of <routeplan.planner.RoutingProblem.unpaved_of>`): a
round with a trip on an unpaved way, or visiting a household needing daylight, ends
by dusk.

:func:`routeplan.planner.plan` runs this on every plan before returning it: a broken
rule is a solver bug, never the user's fault.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from typing import TYPE_CHECKING

from ..timewindows import format_clock

if TYPE_CHECKING:  # pragma: no cover
    from .problem import RoutingProblem
    from .result import Plan, Route, Stop

__all__ = ["check_plan"]


def check_plan(problem: RoutingProblem, result: Plan) -> list[str]:
    """Return every way ``result`` breaks a hard rule of ``problem`` (empty if none).

    See :meth:`routeplan.planner.RoutingProblem.check` for the rules.
    """
    hidx = {hid: i for i, hid in enumerate(problem.household_ids)}
    vidx = {vid: i for i, vid in enumerate(problem.volunteer_ids)}
    errors = _check_assignment(problem, result, hidx, vidx)
    visited: Counter[str] = Counter()
    for r in result.routes:
        errors += _check_route(problem, result, r, hidx, vidx, visited)
    for hid, n in visited.items():
        if n > 1:
            errors.append(f"{hid} visited {n} times")
    rolled = {u.household_id for u in result.rollover}
    for hid in result.assignment:
        if (hid in rolled) == (visited[hid] > 0):
            errors.append(f"{hid} must be either visited or rolled over")
    return errors


def _check_assignment(
    problem: RoutingProblem, result: Plan, hidx: dict[str, int], vidx: dict[str, int]
) -> list[str]:
    """Each household assigned or unassigned once, capacities, and who may serve whom."""
    errors: list[str] = []
    un = [u.household_id for u in result.unassigned]
    seen = Counter([*result.assignment, *un])
    for hid in problem.household_ids:
        if seen[hid] != 1:
            errors.append(f"{hid} is assigned/unassigned {seen[hid]} times")
    for hid in seen:
        if hid not in hidx:
            errors.append(f"{hid} is not in the register")
    load = Counter(result.assignment.values())
    for vid, n in load.items():
        if vid not in vidx:
            errors.append(f"unknown volunteer {vid}")
        elif n > problem.capacity[vidx[vid]]:
            errors.append(f"{vid} has {n} households, capacity {problem.capacity[vidx[vid]]}")
    for hid, vid in result.assignment.items():
        if hid in hidx and vid in vidx:
            why = problem.why_not(hidx[hid], vidx[vid])
            if why is not None and why[0] not in ("window", "far", "daylight"):
                errors.append(f"{hid} -> {vid}: {why[1]}")
    return errors


def _check_route(
    problem: RoutingProblem,
    result: Plan,
    r: Route,
    hidx: dict[str, int],
    vidx: dict[str, int],
    visited: Counter[str],
) -> list[str]:
    """Check one round: volunteer, mode, hours, then its stops (counted in ``visited``)."""
    v = vidx.get(r.volunteer_id)
    if v is None:
        return [f"route of unknown volunteer {r.volunteer_id}"]
    errors: list[str] = []
    if r.mode != problem.modes[v]:
        errors.append(f"{r.volunteer_id}: route mode {r.mode} != {problem.modes[v]}")
    if not any(d == r.day and a <= r.start_s and r.end_s <= b for d, a, b in problem.shifts[v]):
        errors.append(
            f"{r.volunteer_id} day {r.day}: round {format_clock(r.start_s)}-"
            f"{format_clock(r.end_s)} is outside their hours"
        )
    t = problem.travel_of(v)
    prev, clock, travel, service = problem.n_households + v, r.start_s, 0, 0
    for k, s in enumerate(r.stops, start=1):
        visited[s.household_id] += 1
        h = hidx.get(s.household_id)
        if h is None:
            errors.append(f"route visits unknown household {s.household_id}")
            break
        leg = int(t[prev, h])
        errors += _check_stop(problem, result, r, s, k=k, h=h, leg=leg, clock=clock)
        travel += leg
        service += s.service_s
        clock, prev = s.departure_s, h
    back = int(t[prev, problem.n_households + v])
    travel += back
    if r.stops and r.end_s < clock + back:
        errors.append(f"{r.volunteer_id} day {r.day}: comes home before the last visit ends")
    if r.travel_s != travel or r.service_s != service:
        errors.append(f"{r.volunteer_id} day {r.day}: travel/service totals wrong")
    return errors + _check_dusk(problem, r, v, hidx)


def _check_dusk(problem: RoutingProblem, r: Route, v: int, hidx: dict[str, int]) -> list[str]:
    """Check that a round needing daylight, or with a trip on an unpaved way, ends by dusk."""
    dusk = problem.dusk_s[r.day]
    if r.end_s <= dusk:
        return []
    stops = [hidx[s.household_id] for s in r.stops if s.household_id in hidx]
    if any(problem.needs_daylight(h) for h in stops):
        return [
            f"{r.volunteer_id} day {r.day}: round needing daylight ends at "
            f"{format_clock(r.end_s)}, after dusk ({format_clock(dusk)})"
        ]
    unpaved = problem.unpaved_of(v)
    home = problem.n_households + v
    legs = list(pairwise([home, *stops, home])) if stops else []
    on = [(a, b) for a, b in legs if unpaved is not None and unpaved[a, b]]
    if not on:
        return []
    a, b = on[0]
    names = [*problem.household_ids, *(f"home of {x}" for x in problem.volunteer_ids)]
    return [
        f"{r.volunteer_id} day {r.day}: round on an unpaved way ({names[a]} to {names[b]}) "
        f"ends at {format_clock(r.end_s)}, after dusk ({format_clock(dusk)})"
    ]


def _check_stop(
    problem: RoutingProblem,
    result: Plan,
    r: Route,
    s: Stop,
    *,
    k: int,
    h: int,
    leg: int,
    clock: int,
) -> list[str]:
    """Check the ``k``-th stop of ``r``, household ``h``, reached by ``leg`` after ``clock``."""
    errors: list[str] = []
    if result.assignment.get(s.household_id) != r.volunteer_id:
        errors.append(
            f"{s.household_id} visited by {r.volunteer_id} but assigned "
            f"to {result.assignment.get(s.household_id)}"
        )
    if s.order != k or s.travel_s != leg or s.service_s != problem.service_s[h]:
        errors.append(f"{s.household_id}: order/travel/service inconsistent")
    if s.arrival_s < clock + leg:
        errors.append(f"{s.household_id}: arrives before it can get there")
    if problem.hh_windows[h] and not any(
        d == r.day and hs <= s.arrival_s and s.departure_s <= he
        for d, hs, he in problem.hh_windows[h]
    ):
        errors.append(
            f"{s.household_id}: visit {format_clock(s.arrival_s)} outside its availability"
        )
    return errors
