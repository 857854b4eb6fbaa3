"""Step 2b: give priority households that did not fit to volunteers with spare hours.

:func:`rescue_priority` limits the priority households of volunteers whose rounds left
one out, solves the assignment flow again under these limits and re-plans the
volunteers whose households changed, while :func:`objective` (what the planner
minimises) goes down.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import Executor
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from ._costs import STAY_S, UNASSIGNED_PRIORITY_S, UNASSIGNED_S
from .assign import Arcs, solve_flow
from .route import SubResult, route_all

if TYPE_CHECKING:  # pragma: no cover
    from ..problem import RoutingProblem

__all__ = ["objective", "rescue_priority"]

_PASSES = 3  # rescue passes at most
_RESCUE_MOVE_S = 3600  # cost of moving a household in the priority rescue flow


def objective(
    problem: RoutingProblem, assign: NDArray[np.int64], results: dict[int, SubResult]
) -> float:
    """Return what the planner minimises.

    Travel, roll-over and unassigned penalties, language mismatches and households
    moved away from last week's volunteer.
    """
    ps = problem.settings.planner
    total = float(sum(r.cost for r in results.values()))
    un = assign < 0
    total += float(np.where(problem.priority[un], UNASSIGNED_PRIORITY_S, UNASSIGNED_S).sum())
    served = np.flatnonzero(~un)
    total += float(ps.language_penalty_s) * int(
        (~problem.language_ok[served, assign[served]]).sum()
    )
    vidx = {vid: i for i, vid in enumerate(problem.volunteer_ids)}
    for h, hid in enumerate(problem.household_ids):
        old = vidx.get(problem.previous.get(hid, ""), -1)
        if old >= 0 and assign[h] != old:
            total += STAY_S
    return total


def rescue_priority(
    problem: RoutingProblem,
    assign: NDArray[np.int64],
    arcs: Arcs,
    results: dict[int, SubResult],
    pool: Executor,
    *,
    solutions: int,
    time_limit_s: float,
    deadline: float = math.inf,
) -> tuple[NDArray[np.int64], dict[int, SubResult], dict[str, int]]:
    """Step 2b: give priority households that did not fit to volunteers with spare hours.

    The assignment counts households, not hours: a volunteer near a cluster of remote
    or elderly households may get 20 priority households whose visits do not fit into
    their week while a neighbour visits ordinary households. A volunteer whose rounds
    left a priority household out may keep only as many priority households as their
    rounds held; the flow is solved again under these limits (the rest go, through a
    chain of exchanges if need be, to volunteers whose rounds have room, ordinary
    households moving the other way) and the volunteers whose households changed are
    re-planned. The new plan is kept only if it costs less (roll-overs, travel,
    language, stability); repeated while it helps, at most three times, and not
    past ``deadline`` (``time.time()``; ``stats["cut"]`` then says so).
    """
    V = problem.n_volunteers
    cap = np.full(V, -1, dtype=np.int64)
    stats = {"passes": 0, "moved": 0, "volunteers_replanned": 0}
    best = objective(problem, assign, results)
    for _ in range(_PASSES):
        short = [v for v, r in results.items() if any(problem.priority[h] for h in r.dropped)]
        if not short:
            break
        if time.time() >= deadline:
            stats["cut"] = 1
            break
        for v in short:
            members = np.flatnonzero(assign == v)
            kept = int(problem.priority[members].sum()) - sum(
                1 for h in results[v].dropped if problem.priority[h]
            )
            cap[v] = kept if cap[v] < 0 else min(int(cap[v]), kept)
        # moving a household away from its volunteer costs a little, so the flow
        # changes only what the limits need (no reshuffle among equal-cost plans)
        stay = np.where(assign[arcs.hh] == arcs.vv, 0, _RESCUE_MOVE_S)
        new = solve_flow(problem, arcs.hh, arcs.vv, arcs.cost + stay, priority_cap=cap)
        changed = [
            v
            for v in range(V)
            if not np.array_equal(np.flatnonzero(new == v), np.flatnonzero(assign == v))
        ]
        if not changed:
            break
        stats["passes"] += 1
        trial = {v: r for v, r in results.items() if v not in changed}
        trial.update(
            route_all(
                problem,
                new,
                [v for v in changed if (new == v).any()],
                pool,
                solutions=solutions,
                time_limit_s=time_limit_s,
                deadline=deadline,
                initial=results,
            )
        )
        if any(r.cut for v, r in trial.items() if v in changed):
            stats["cut"] = 1
        cost = objective(problem, new, trial)
        if cost >= best:
            break
        stats["moved"] += int((new != assign).sum())
        stats["volunteers_replanned"] += len(changed)
        assign, results, best = new, trial, cost
    return assign, results, stats
