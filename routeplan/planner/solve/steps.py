"""The planner's solve: :func:`solve_problem` runs the steps and :func:`to_plan` reads the result.

Steps: (1) give households to volunteers (:mod:`.assign`), (2) plan each volunteer's
week (:mod:`.route`), then give priority households that did not fit to volunteers
with room (:mod:`.rescue`), and (3) move households between neighbouring volunteers
when the re-planned rounds cost less (:mod:`.improve`).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..problem import RoutingProblem
from ..result import Flag, Plan, Route, Stop, Unassigned
from ._pool import count_workers, open_pool
from .assign import assign_households, count_splits, keep_neighbours_together
from .improve import ImproveOptions, improve
from .rescue import rescue_priority
from .route import SubResult, make_sub, route_all, route_subs, route_volunteer

__all__ = ["solve_problem", "to_plan"]

log = logging.getLogger("routeplan.planner.solve")  # the name it had as one module

_BATCH = 16  # moves re-planned together (fixed: the plan must not depend on the cores)
_AUTO_MOVES_PER_VOLUNTEER = 2  # improvement budget when planner.improve_moves is 0
_RESERVE_S = 1.5  # seconds kept after the deadline for reading and checking the plan
_RESERVE_SHARE = 0.15  # ... at most this share of a short time limit
# A week that still leaves a household out is where the final routing's search pays (a
# visit placed saves a drop penalty, and such tight weeks converge slowest): a second
# pass searches it this many times ``planner.route_iterations`` (bench/README.md).
_TIGHT_WEEK_ITERATIONS = 5


def solve_problem(
    problem: RoutingProblem,
    *,
    progress: Callable[[str, float], None] | None = None,
    started: float | None = None,
) -> Plan:
    """Plan a week for ``problem`` in three steps (assign, route, improve).

    Stops reproducibly when the per-volunteer solution and iteration limits and the
    improvement's move budget (``planner.improve_moves``, or two moves per volunteer)
    are used up. ``planner.time_limit_s`` (wall clock, from ``started``) is one
    deadline passed to every search: past it each volunteer's week takes its first
    solution and no more moves are tried, so the plan is done within the limit;
    ``stats["hit_time_limit"]`` says when the clock, not the counts, stopped any part
    of the search (then the plan depends on the machine's speed), ``stats["cut"]``
    which part.

    Parameters
    ----------
    problem
        Built by :func:`routeplan.planner.build_problem`.
    progress
        Optional ``progress(message, fraction)`` callback.
    started
        ``time.time()`` when planning began (default: now).

    Returns
    -------
    Plan
        Without ``changes`` and ``week_start`` (:func:`routeplan.planner.plan` adds them).

    """
    t0 = time.time()
    ps = problem.settings.planner

    def report(message: str, fraction: float) -> None:
        if progress is not None:
            progress(message, fraction)

    report("assigning households to volunteers", 0.0)
    assign, arcs = assign_households(problem)
    assign = keep_neighbours_together(problem, assign)
    vols = [v for v in range(problem.n_volunteers) if (assign == v).any()]
    budget = _Budget.of(problem, len(vols), start=t0 if started is None else started)
    report(f"planning the rounds of {len(vols)} volunteers ({budget.workers} processes)", 0.1)
    run = _Run(problem, budget, assign, times=[t0, time.time()])
    with open_pool(budget.workers) as pool:
        run.steps(arcs, vols, pool, report)
    plan = to_plan(problem, run.assign, run.results)
    plan.stats.update(
        {
            "time_s": run.step_times(),
            "rescue": run.stats["rescue"],
            "improve": run.stats["improve"],
            "final_routing": run.stats["final_routing"],
            "improve_moves": budget.moves,
            "workers": budget.workers,
            "route_solutions": ps.route_solutions,
            "route_iterations": ps.route_iterations,
            "time_limit_s": ps.time_limit_s,
            "cut": sorted(k for k, v in run.cut.items() if v),
            "hit_time_limit": any(run.cut.values()),
        }
    )
    report("plan done", 1.0)
    log.info("planned %d visits in %.1f s", plan.visits, run.times[-1] - t0)
    return plan


@dataclass
class _Run:
    """The steps after the assignment, what they made and how long they took."""

    problem: RoutingProblem
    budget: _Budget
    assign: NDArray[np.int64]
    times: list[float]  # time.time() at the start, after assigning and after each step
    results: dict[int, SubResult] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    cut: dict[str, bool] = field(default_factory=dict)

    def steps(
        self,
        arcs: Any,
        vols: list[int],
        pool: Executor,
        report: Callable[[str, float], None],
    ) -> None:
        """Route every week, rescue priority households, improve, polish, route finally."""
        problem, budget = self.problem, self.budget
        ps = problem.settings.planner
        limit, deadline = budget.per_sub, budget.deadline
        results = route_all(
            problem,
            self.assign,
            vols,
            pool,
            solutions=ps.route_solutions,
            time_limit_s=limit,
            deadline=deadline,
        )
        self.cut["route"] = any(r.cut for r in results.values())
        self.times.append(time.time())
        report("giving priority households that did not fit to volunteers with time", 0.5)
        assign, results, rstats = rescue_priority(
            problem,
            self.assign,
            arcs,
            results,
            pool,
            solutions=ps.route_solutions,
            time_limit_s=limit,
            deadline=deadline,
        )
        self.cut["rescue"] = bool(rstats.pop("cut", 0))
        self.times.append(time.time())
        report("improving: moving households between neighbouring volunteers", 0.6)
        route_s = self.times[2] - self.times[1]
        options = budget.improve_options(problem, route_s=route_s, n_vols=len(vols))
        if ps.route_iterations > 0:  # leave the final routing's first pass its time
            options = dataclasses.replace(options, deadline=options.deadline - 2 * route_s)
        assign, results, istats = improve(problem, assign, results, pool, options, report)
        self.cut["improve"] = bool(istats["cut_by_time"])
        self.cut["polish"] = _polish(problem, assign, results, pool, istats, budget)
        self.times.append(time.time())
        report("final routing of every volunteer's week", 0.95)
        better, self.cut["final"] = _final_routing(problem, assign, results, pool, budget)
        self.times.append(time.time())
        self.assign, self.results = assign, results
        self.stats.update(rescue=rstats, improve=istats, final_routing={"better": better})

    def step_times(self) -> dict[str, float]:
        """Seconds of each step (rounded)."""
        names = ("assign", "route", "rescue", "improve", "final")
        t = self.times
        out = {name: round(t[i + 1] - t[i], 2) for i, name in enumerate(names) if i + 1 < len(t)}
        out["total"] = round(t[-1] - t[0], 2)
        return out


@dataclass(frozen=True)
class _Budget:
    """How many processes, how long per volunteer's week, how many moves, until when.

    ``deadline`` is a ``time.time()``: the searches end by it.
    """

    workers: int
    per_sub: float
    moves: int
    deadline: float

    @classmethod
    def of(cls, problem: RoutingProblem, n_vols: int, *, start: float) -> _Budget:
        """Return the budget of planning ``n_vols`` volunteers' weeks from ``start``."""
        ps = problem.settings.planner
        workers = min(count_workers(ps.workers), max(1, n_vols // 4))
        # Every sub-solve stops on its solution limit and the improvement loop on its move
        # budget, so the same inputs give the same plan; the time limits are a safety net.
        per_sub = max(1.0, 0.5 * ps.time_limit_s * workers / max(1, n_vols))
        moves = ps.improve_moves if ps.improve_moves > 0 else _AUTO_MOVES_PER_VOLUNTEER * n_vols
        # what is left after the searches: reading the plan, checking it, closing the pool
        reserve = min(_RESERVE_S, _RESERVE_SHARE * ps.time_limit_s)
        return cls(workers, per_sub, moves, start + ps.time_limit_s - reserve)

    def improve_options(
        self, problem: RoutingProblem, *, route_s: float, n_vols: int
    ) -> ImproveOptions:
        """Return the improvement's options; planning all weeks took ``route_s`` seconds."""
        ps = problem.settings.planner
        # re-plans inside the loop explore fewer solutions: they only judge a move, and
        # start from the current rounds
        solutions = max(15, ps.route_solutions // 8)  # warm-started: fewer needed
        return ImproveOptions(
            deadline=self.deadline,
            rounds=ps.improve_rounds,
            moves=self.moves,
            solutions=solutions,
            time_limit_s=self.per_sub,
            batch=_BATCH,
            workers=self.workers,
            sub_seconds=route_s * self.workers / max(1, n_vols) * solutions / ps.route_solutions,
        )


def _polish(
    problem: RoutingProblem,
    assign: NDArray[np.int64],
    results: dict[int, SubResult],
    pool: Executor,
    istats: dict[str, int],
    budget: _Budget,
) -> bool:
    """Plan again, harder, every week that still leaves a priority household out.

    The improvement loop's re-plans are quick ones; a better week replaces the one in
    ``results`` and is counted in ``istats["polished"]``. Returns whether the
    deadline cut it.
    """
    ps = problem.settings.planner
    deadline = budget.deadline
    polish = [v for v in sorted(results) if any(problem.priority[h] for h in results[v].dropped)]
    if polish and time.time() >= deadline:
        return True
    subs = [
        make_sub(
            problem,
            v,
            np.flatnonzero(assign == v),
            solutions=2 * ps.route_solutions,
            time_limit_s=budget.per_sub,
            deadline=deadline,
            initial=results[v],
        )
        for v in polish
    ]
    cut = False
    for v, r in zip(polish, pool.map(route_volunteer, subs), strict=True):
        cut |= r.cut
        if r.cost < results[v].cost:
            results[v] = dataclasses.replace(r, cut=False)
            istats["polished"] = istats.get("polished", 0) + 1
    return cut


def tight_weeks(
    results: dict[int, SubResult], iterations: int, visitable: Callable[[int, int], bool]
) -> dict[int, int]:
    """Return the final routing's second pass: PyVRP's iterations by volunteer.

    The weeks of ``results`` that still leave out a household their volunteer could
    visit (``visitable(h, v)``: some shift's hours allow it; a household no shift
    allows is left out whatever the search), each ``_TIGHT_WEEK_ITERATIONS`` times
    ``iterations``: an iteration count (reproducible).
    """
    more = iterations * _TIGHT_WEEK_ITERATIONS
    return {v: more for v in sorted(results) if any(visitable(h, v) for h in results[v].dropped)}


def _final_routing(
    problem: RoutingProblem,
    assign: NDArray[np.int64],
    results: dict[int, SubResult],
    pool: Executor,
    budget: _Budget,
) -> tuple[int, bool]:
    """Route every volunteer's final households once more, from PyVRP's rounds.

    PyVRP's hybrid genetic search (``planner.route_iterations`` iterations) proposes
    each week's rounds, the routing model checks them against every rule
    (:mod:`.hgs`); a week that costs less replaces the one in ``results``. Then the
    weeks still leaving a household out, where the search pays, search on from their
    rounds (:func:`tight_weeks`); under a deadline this second pass is what the clock
    cuts. Returns how many weeks got better and whether the deadline cut the step.
    """
    iterations = problem.settings.planner.route_iterations
    if iterations <= 0 or not results:
        return 0, False
    better: set[int] = set()
    first = dict.fromkeys(sorted(results), iterations)
    cut = _final_pass(problem, assign, results, pool, budget, first, better)
    second = tight_weeks(results, iterations, lambda h, v: bool(problem.visit_intervals(h, v)))
    if second and not cut:
        cut = _final_pass(problem, assign, results, pool, budget, second, better)
    return len(better), cut


def _final_pass(
    problem: RoutingProblem,
    assign: NDArray[np.int64],
    results: dict[int, SubResult],
    pool: Executor,
    budget: _Budget,
    iterations: dict[int, int],
    better: set[int],
) -> bool:
    """Route the weeks ``iterations`` (by volunteer) from PyVRP's rounds; whether cut.

    A week that costs less replaces the one in ``results`` and goes into ``better``.
    """
    if time.time() >= budget.deadline:
        return True
    vols = sorted(iterations)
    subs = [
        make_sub(
            problem,
            v,
            np.flatnonzero(assign == v),
            solutions=1,  # the proposal as it is: the routing model only checks it
            time_limit_s=budget.per_sub,
            deadline=budget.deadline,
            initial=results[v],
            proposal_iterations=iterations[v],
        )
        for v in vols
    ]
    out = route_subs(subs, pool)
    cut = False
    for v in vols:
        cut |= out[v].cut
        if out[v].cost < results[v].cost:
            results[v] = dataclasses.replace(out[v], cut=False)
            better.add(v)
    return cut


def to_plan(
    problem: RoutingProblem, assign: NDArray[np.int64], results: dict[int, SubResult]
) -> Plan:
    """Return the :class:`~routeplan.planner.Plan` of ``assign`` and the volunteers' rounds."""
    H = problem.n_households
    hid = problem.household_ids
    routes: list[Route] = []
    rollover: list[Unassigned] = []
    for v in sorted(results):
        routes += _routes_of(problem, results[v])
        vid = problem.volunteer_ids[v]
        for h in results[v].dropped:
            code = _rollover_reason(problem, h, v)
            detail = problem.reason_text(f"rollover_{code}", hid=hid[h], vid=vid)
            rollover.append(Unassigned(hid[h], code, detail))
    unassigned: list[Unassigned] = []
    for h in (int(x) for x in np.flatnonzero(assign < 0)):
        if problem.eligible[h].any():
            n = int(problem.eligible[h].sum())
            detail = problem.reason_text("unassigned_capacity", hid=hid[h], n=n)
            unassigned.append(Unassigned(hid[h], "capacity", detail))
        else:
            code, detail = problem.why_unserved(h)
            unassigned.append(Unassigned(hid[h], code, detail))
    assignment = {hid[h]: problem.volunteer_ids[int(assign[h])] for h in range(H) if assign[h] >= 0}
    mismatch = int(
        sum(1 for h in range(H) if assign[h] >= 0 and not problem.language_ok[h, int(assign[h])])
    )
    flags = [
        Flag(hid[h], problem.map_flag[h], problem.map_detail[h])
        for h in range(H)
        if problem.map_flag and problem.map_flag[h]
    ]
    plan = Plan(
        routes=sorted(routes, key=lambda r: (r.volunteer_id, r.day, r.start_s)),
        assignment=assignment,
        unassigned=unassigned,
        rollover=sorted(rollover, key=lambda u: u.household_id),
        flags=flags,
    )
    splits, joinable = count_splits(problem, assign)
    plan.stats.update(
        {
            "travel_s": plan.travel_s,
            "workload_s": plan.workload_s(),
            "language_mismatch": mismatch,
            "neighbour_pairs": len(problem.neighbours),
            "neighbour_splits": splits,
            "neighbour_splits_joinable": joinable,
            "daylight_households": int(problem.daylight.sum()) if len(problem.daylight) else 0,
            "dusk_s": list(problem.dusk_s),
            "far_from_map": len(flags),
        }
    )
    return plan


def _rollover_reason(problem: RoutingProblem, h: int, v: int) -> str:
    """Why ``v``'s rounds left ``h`` out: its own hours, daylight, or ``v``'s time.

    Daylight also when the trip from ``v``'s home to ``h``, or back, uses an unpaved way
    (a round using it is home by dusk).
    """
    if problem.hours_cut(h, v):
        return "window"
    if problem.needs_daylight(h):
        return "daylight"
    unpaved = problem.unpaved_of(v)
    home = problem.n_households + v
    if (
        unpaved is not None
        and min(problem.dusk_s) < 86400
        and (unpaved[home, h] or unpaved[h, home])
    ):
        return "daylight"
    return "time"


def _routes_of(problem: RoutingProblem, r: SubResult) -> list[Route]:
    """Volunteer ``r.v``'s rounds as :class:`~routeplan.planner.Route` (times of the day)."""
    H, v = problem.n_households, r.v
    hid = problem.household_ids
    vid, t = problem.volunteer_ids[v], problem.travel_of(v)
    routes: list[Route] = []
    for shift, start, end, stops in r.rounds:
        day = problem.shifts[v][shift][0]
        base = day * 86400
        prev = H + v
        out: list[Stop] = []
        for k, (h, arrival) in enumerate(stops, start=1):
            out.append(Stop(hid[h], k, arrival - base, int(problem.service_s[h]), int(t[prev, h])))
            prev = h
        travel = sum(s.travel_s for s in out) + int(t[prev, H + v])
        routes.append(
            Route(
                vid,
                day,
                problem.modes[v],
                start - base,
                end - base,
                tuple(out),
                travel,
                sum(s.service_s for s in out),
            )
        )
    return routes
