"""Re-plan a week after a few changes, re-routing only the volunteers they touch.

A coordinator moves a household by hand, marks a volunteer away or lowers a capacity;
:func:`replan_problem` starts from the stored plan (``base``) instead of from scratch:

1. every household keeps its volunteer of ``base`` while that volunteer can still serve
   it; locked households (``problem.fixed``) go to their volunteer;
2. a volunteer over capacity gives back the unlocked households farthest from home;
3. households left without a volunteer go, priority ones first, to the eligible
   volunteer with room whose home is nearest (round trip);
4. only the volunteers whose households changed are routed again; the others keep
   their rounds of ``base`` as they were;
5. a short improvement among those volunteers only (:func:`improve_rerouted`): the
   greedy step 3 looks at homes, not rounds, so a household may fit another
   re-routed volunteer's round better. It moves or swaps households between them while
   the re-planned rounds cost less, stopped on counts (rounds, moves, solutions), so
   the same inputs give the same plan.

The result passes the same hard-rule check as a full plan
(:meth:`~routeplan.planner.RoutingProblem.check`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor

import numpy as np
from numpy.typing import NDArray

from ..problem import RoutingProblem
from ..result import Plan
from ._pool import count_workers, open_pool
from .improve import ImproveOptions, improve
from .route import SubResult, make_sub, route_volunteer
from .steps import to_plan

__all__ = ["IMPROVE_MOVES_PER_VOLUNTEER", "IMPROVE_ROUNDS", "improve_rerouted", "replan_problem"]

log = logging.getLogger(__name__)

IMPROVE_ROUNDS = 3
"""Rounds of the improvement after a re-plan, at most (and at most ``planner.improve_rounds``)."""
IMPROVE_MOVES_PER_VOLUNTEER = 4
"""Moves tried per re-routed volunteer (``planner.improve_moves`` instead when set)."""
_BATCH = 16  # moves re-planned together (fixed: the plan must not depend on the cores)


def _start(problem: RoutingProblem, base: Plan) -> NDArray[np.int64]:
    """Step 1: each household's volunteer of ``base`` (or its lock) while still eligible."""
    hidx = {hid: i for i, hid in enumerate(problem.household_ids)}
    vidx = {vid: i for i, vid in enumerate(problem.volunteer_ids)}
    assign = np.full(problem.n_households, -1, dtype=np.int64)
    for hid, vid in {**base.assignment, **problem.fixed}.items():
        h, v = hidx.get(hid), vidx.get(vid)
        if h is not None and v is not None and problem.eligible[h, v]:
            assign[h] = v
    return assign


def _home_round_trips(problem: RoutingProblem) -> NDArray[np.float64]:
    H, V = problem.n_households, problem.n_volunteers
    rt = np.zeros((H, V), dtype=np.float64)
    for v in range(V):
        t = problem.travel_of(v)
        rt[:, v] = t[H + v, :H].astype(np.float64) + t[:H, H + v]
    return rt


def _trim_to_capacity(
    problem: RoutingProblem, assign: NDArray[np.int64], rt: NDArray[np.float64]
) -> None:
    """Step 2: a volunteer over capacity gives back the unlocked households farthest away."""
    locked = np.zeros(problem.n_households, dtype=bool)
    for h, hid in enumerate(problem.household_ids):
        locked[h] = hid in problem.fixed
    for v in range(problem.n_volunteers):
        members = np.flatnonzero(assign == v)
        extra = len(members) - int(problem.capacity[v])
        if extra <= 0:
            continue
        free = members[~locked[members]]
        order = free[np.argsort(-rt[free, v], kind="stable")]
        assign[order[:extra]] = -1


def _fill(problem: RoutingProblem, assign: NDArray[np.int64], rt: NDArray[np.float64]) -> None:
    """Step 3: give each household without a volunteer to the nearest eligible one with room."""
    load = np.bincount(assign[assign >= 0], minlength=problem.n_volunteers)
    waiting = np.flatnonzero(assign < 0)
    waiting = waiting[np.argsort(~problem.priority[waiting], kind="stable")]
    for h in (int(x) for x in waiting):
        options = np.flatnonzero(problem.eligible[h] & (load < problem.capacity))
        if len(options) == 0:
            continue
        v = int(options[np.argmin(rt[h, options])])
        assign[h] = v
        load[v] += 1


def improve_rerouted(
    problem: RoutingProblem,
    assign: NDArray[np.int64],
    results: dict[int, SubResult],
    rerouted: Sequence[int],
    pool: Executor,
    *,
    report: Callable[[str, float], None] = lambda message, fraction: None,
) -> dict[str, int]:
    """Step 5: move or swap households among the ``rerouted`` volunteers while it pays.

    :func:`routeplan.planner.solve.improve.improve` on those volunteers alone: the
    households of every other volunteer are neither moved nor moved to. ``assign`` and
    ``results`` are updated in place. The budget is counted: at most
    :data:`IMPROVE_ROUNDS` rounds (and ``planner.improve_rounds``), and
    :data:`IMPROVE_MOVES_PER_VOLUNTEER` moves per volunteer (``planner.improve_moves``
    when set); ``planner.time_limit_s`` is only a safety net. Returns the figures of
    :func:`~routeplan.planner.solve.improve.improve`.
    """
    ps = problem.settings.planner
    stats = {"rounds": 0, "tried": 0, "accepted": 0, "cut_by_time": 0}
    rounds = min(IMPROVE_ROUNDS, ps.improve_rounds)
    if len(rerouted) < 2 or rounds == 0:
        return stats
    moves = ps.improve_moves or IMPROVE_MOVES_PER_VOLUNTEER * len(rerouted)
    mine = np.isin(assign, np.asarray(rerouted, dtype=np.int64))
    part = np.where(mine, assign, -1)  # the others' households: not movable, no room
    solutions = max(15, ps.route_solutions // 8)  # warm-started: fewer needed
    options = ImproveOptions(
        deadline=time.time() + ps.time_limit_s,
        rounds=rounds,
        moves=moves,
        solutions=solutions,
        time_limit_s=max(1.0, ps.time_limit_s / max(1, len(rerouted))),
        batch=_BATCH,
        workers=count_workers(ps.workers),
        sub_seconds=0.05,
    )
    sub = {v: results[v] for v in rerouted}
    part, sub, stats = improve(problem, part, sub, pool, options, report)
    assign[mine] = part[mine]
    results.update(sub)
    return stats


def _changed(problem: RoutingProblem, base: Plan, assign: NDArray[np.int64]) -> list[int]:
    """Return the volunteers (indices) whose households differ from ``base``'s."""
    before: dict[str, set[str]] = {}
    for hid, vid in base.assignment.items():
        before.setdefault(vid, set()).add(hid)
    hids = problem.household_ids
    return [
        v
        for v, vid in enumerate(problem.volunteer_ids)
        if {hids[h] for h in np.flatnonzero(assign == v)} != before.get(vid, set())
    ]


def _keep_rounds(plan: Plan, base: Plan, kept: set[str]) -> None:
    """Add to ``plan`` the rounds and rollovers of ``base``'s volunteers in ``kept``."""
    plan.routes = sorted(
        plan.routes + [r for r in base.routes if r.volunteer_id in kept],
        key=lambda r: (r.volunteer_id, r.day, r.start_s),
    )
    plan.rollover = sorted(
        plan.rollover + [u for u in base.rollover if plan.assignment.get(u.household_id) in kept],
        key=lambda u: u.household_id,
    )


def replan_problem(
    problem: RoutingProblem,
    base: Plan,
    *,
    progress: Callable[[str, float], None] | None = None,
) -> Plan:
    """Re-plan ``base`` for ``problem``, re-routing only the volunteers whose households changed.

    Parameters
    ----------
    problem
        Built by :func:`routeplan.planner.build_problem` from this week's registers
        (volunteers away left out, capacities as changed) with the locks as ``fixed``.
    base
        The plan to start from (the week's stored plan).
    progress
        Optional ``progress(message, fraction)`` callback.

    Returns
    -------
    Plan
        Without ``changes`` and ``week_start`` (:func:`routeplan.planner.replan` adds
        them); ``stats["rerouted"]`` names the volunteers routed again.

    """

    def report(message: str, fraction: float) -> None:
        if progress is not None:
            progress(message, fraction)

    report("keeping the households with their volunteers", 0.0)
    rt = _home_round_trips(problem)
    assign = _start(problem, base)
    _trim_to_capacity(problem, assign, rt)
    _fill(problem, assign, rt)
    changed = _changed(problem, base, assign)
    ps = problem.settings.planner
    report(f"planning the rounds of {len(changed)} volunteers again", 0.2)
    results: dict[int, SubResult] = {}
    subs = [
        make_sub(  # PyVRP proposes the rounds, as in a full plan's last step
            problem,
            v,
            np.flatnonzero(assign == v),
            solutions=ps.route_solutions,
            time_limit_s=max(1.0, ps.time_limit_s / max(1, len(changed))),
            proposal_iterations=ps.route_iterations,
        )
        for v in changed
    ]
    with open_pool(min(count_workers(ps.workers), max(1, len(subs)))) as pool:
        for sub, r in zip(subs, pool.map(route_volunteer, subs), strict=True):
            results[sub.v] = r
        report("improving the rounds planned again", 0.6)
        istats = improve_rerouted(problem, assign, results, changed, pool, report=report)
    plan = to_plan(problem, assign, results)
    rerouted = {problem.volunteer_ids[v] for v in changed}
    _keep_rounds(plan, base, set(problem.volunteer_ids) - rerouted)
    plan.stats.update(
        {
            "travel_s": plan.travel_s,
            "workload_s": plan.workload_s(),
            "rerouted": sorted(rerouted),
            "replan": "partial",
            "improve": istats,
        }
    )
    report("plan done", 1.0)
    log.info("re-planned %d of %d volunteers", len(changed), problem.n_volunteers)
    return plan
