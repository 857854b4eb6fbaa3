"""Step 2: one volunteer's week as a small multi-day routing problem (OR-Tools routing).

:func:`make_sub` cuts a volunteer's week out of the problem (:class:`Sub`, picklable
for worker processes); :func:`route_volunteer` solves it into rounds
(:class:`SubResult`): vehicles are the volunteer's shifts, each starting and ending at
home within its hours, and every household may be dropped (rolled over to next week)
at a priority-weighted penalty. :func:`route_all` does this for many volunteers on a
pool of workers.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from ortools.constraint_solver import pywrapcp

from ._costs import DROP_PRIORITY_S, DROP_S
from ._search import int_matrix, run_search, search_parameters

if TYPE_CHECKING:  # pragma: no cover
    from ..problem import RoutingProblem

__all__ = ["Sub", "SubResult", "make_sub", "route_all", "route_subs", "route_volunteer"]

_WEEK_S = 7 * 86400
# Guided local search for the volunteers' weeks: the iterated local search found
# slightly shorter rounds (about 1%) but on some volunteers its ruin-and-recreate
# perturbations kept failing (a visit may only go into the shifts its hours meet), so
# it never reached its solution limit and ran on until the time limit: slower, and
# not reproducible. Guided local search always stops on the solution limit.
_SUB_METAHEURISTIC = "gls"


@dataclass(frozen=True)
class Sub:
    """One volunteer's week as a small routing problem (picklable for worker processes)."""

    v: int
    households: tuple[int, ...]
    travel: NDArray[np.int64]  # node 0 = home, node k = households[k - 1]
    service: tuple[int, ...]
    priority: tuple[bool, ...]
    intervals: tuple[tuple[tuple[int, int, int], ...], ...]  # per household (shift, lo, hi)
    shifts: tuple[tuple[int, int, int], ...]
    solutions: int
    time_limit_s: float
    metaheuristic: str
    daylight: tuple[bool, ...] = ()  # per household: the round must be home by dusk
    dusk: tuple[int, ...] = ()  # per shift: dusk (week s) when before its end, else -1
    unpaved: NDArray[np.bool_] | None = None  # as travel: the trip uses an unpaved way
    deadline: float = math.inf  # time.time() past which no search may run
    initial: tuple[tuple[int, tuple[int, ...]], ...] = ()  # warm start: (shift, households)
    proposal_iterations: int = 0  # > 0: start from PyVRP's rounds (:mod:`.hgs`) when valid


@dataclass(frozen=True)
class SubResult:
    """One volunteer's rounds: per used shift, the households with arrival times."""

    v: int
    rounds: tuple[tuple[int, int, int, tuple[tuple[int, int], ...]], ...]
    # (shift index, start (week s), end (week s), ((household, arrival week s), ...))
    dropped: tuple[int, ...]
    travel_s: int
    service_s: int
    penalty: int
    cut: bool = False  # the deadline, not the solution limit, stopped the search

    @property
    def cost(self) -> int:
        """Travel plus drop penalties."""
        return self.travel_s + self.penalty


def make_sub(
    problem: RoutingProblem,
    v: int,
    members: Sequence[int] | NDArray[Any],
    *,
    solutions: int,
    time_limit_s: float,
    deadline: float = math.inf,
    initial: SubResult | None = None,
    proposal_iterations: int = 0,
) -> Sub:
    """Return volunteer ``v``'s week with households ``members`` as a :class:`Sub`.

    With ``planner.seed`` set the households come in another (seeded) order, so that
    ties are broken another way. ``deadline`` (``time.time()``) stops every search;
    ``initial`` (rounds of another week of ``v``) is where the search starts from, its
    households not in ``members`` left out. ``proposal_iterations`` > 0: the search
    starts from PyVRP's rounds of that many iterations when valid (:mod:`.hgs`), PyVRP
    also searching on from ``initial``'s rounds when given (never proposing worse).
    """
    members = tuple(sorted(int(h) for h in members))
    seed = problem.settings.planner.seed
    if seed:  # another seed: another node order, so other ties broken another way
        rng = np.random.default_rng([seed, v])
        members = tuple(members[i] for i in rng.permutation(len(members)))
    nodes = [problem.n_households + v, *members]
    t = problem.travel_of(v)[np.ix_(nodes, nodes)]
    unpaved = problem.unpaved_of(v)
    return Sub(
        v=v,
        households=members,
        travel=t,
        service=tuple(int(problem.service_s[h]) for h in members),
        priority=tuple(bool(problem.priority[h]) for h in members),
        intervals=tuple(tuple(problem.visit_intervals(h, v)) for h in members),
        shifts=problem.shifts[v],
        solutions=solutions,
        time_limit_s=time_limit_s,
        metaheuristic=_SUB_METAHEURISTIC,
        daylight=tuple(problem.needs_daylight(h) for h in members),
        dusk=tuple(
            day * 86400 + problem.dusk_s[day] if problem.dusk_s[day] < b else -1
            for day, _, b in problem.shifts[v]
        ),
        unpaved=None if unpaved is None else unpaved[np.ix_(nodes, nodes)],
        deadline=deadline,
        initial=_warm_start(initial, set(members)),
        proposal_iterations=proposal_iterations,
    )


def _warm_start(
    initial: SubResult | None, members: set[int]
) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """Return ``initial``'s rounds as (shift, households), keeping ``members`` only."""
    if initial is None:
        return ()
    out = []
    for shift, _, _, stops in initial.rounds:
        seq = tuple(h for h, _ in stops if h in members)
        if seq:
            out.append((shift, seq))
    return tuple(out)


def route_all(
    problem: RoutingProblem,
    assign: NDArray[np.int64],
    vols: Sequence[int],
    pool: Executor,
    *,
    solutions: int,
    time_limit_s: float,
    deadline: float = math.inf,
    initial: dict[int, SubResult] | None = None,
) -> dict[int, SubResult]:
    """Plan the weeks of volunteers ``vols`` for ``assign`` on ``pool``; by volunteer.

    ``initial`` gives weeks to start from (warm start), by volunteer.
    """
    subs = [
        make_sub(
            problem,
            v,
            np.flatnonzero(assign == v),
            solutions=solutions,
            time_limit_s=time_limit_s,
            deadline=deadline,
            initial=(initial or {}).get(v),
        )
        for v in vols
    ]
    return route_subs(subs, pool)


def route_subs(subs: Sequence[Sub], pool: Executor) -> dict[int, SubResult]:
    """Solve the weeks ``subs`` on ``pool`` (largest first); by volunteer."""
    # largest first, so that the workers finish together
    order = sorted(range(len(subs)), key=lambda i: -len(subs[i].households))
    results = list(pool.map(route_volunteer, [subs[i] for i in order]))
    return {subs[i].v: r for i, r in zip(order, results, strict=True)}


def route_volunteer(sub: Sub) -> SubResult:
    """Solve one volunteer's multi-day routing problem with the OR-Tools routing library.

    Vehicles are the volunteer's shifts, each starting and ending at home within its
    hours; every household may be dropped at a (priority-weighted) penalty.

    Priority first: if the search leaves a priority household out while it visits an
    ordinary one, the week is planned again starting from the rounds of the priority
    households alone (planned first, on their own), and the cheaper of the two weeks
    is kept. A local search rarely finds the big reshuffle that makes room for a long
    priority visit by leaving several short ordinary ones out; starting from the
    priority rounds it does not need to.
    """
    first = _route_volunteer_once(sub, initial=_proposed(sub) or _given(sub), fallback=_given(sub))
    dropped = set(first.dropped)
    pos = {h: i for i, h in enumerate(sub.households)}
    if not any(sub.priority[pos[h]] for h in dropped) or all(
        sub.priority[i] for i, h in enumerate(sub.households) if h not in dropped
    ):
        return first
    if time.time() >= sub.deadline:
        return first
    seed_rounds = _route_volunteer_once(_priority_only(sub))
    second = _route_volunteer_once(sub, initial=seed_rounds)
    best = second if second.cost < first.cost else first
    return dataclasses.replace(best, cut=first.cut or second.cut)


def _given(sub: Sub) -> SubResult | None:
    """Return the warm start of ``sub`` as a :class:`SubResult` (rounds only), or ``None``."""
    return _as_start(sub, sub.initial)


def _proposed(sub: Sub) -> SubResult | None:
    """Return PyVRP's rounds for ``sub`` (:mod:`.hgs`) as a start, when asked and found."""
    if sub.proposal_iterations <= 0 or time.time() >= sub.deadline:
        return None
    from .hgs import propose_rounds

    return _as_start(sub, propose_rounds(sub, iterations=sub.proposal_iterations))


def _as_start(sub: Sub, rounds: tuple[tuple[int, tuple[int, ...]], ...]) -> SubResult | None:
    """Return ``rounds`` ((shift, households)) as a :class:`SubResult` to start from."""
    if not rounds:
        return None
    out = tuple((shift, 0, 0, tuple((h, 0) for h in seq)) for shift, seq in rounds)
    return SubResult(sub.v, out, (), 0, 0, 0)


def _priority_only(sub: Sub) -> Sub:
    """Return ``sub`` with its priority households alone."""
    keep = [i for i in range(len(sub.households)) if sub.priority[i]]
    nodes = [0, *(i + 1 for i in keep)]
    return dataclasses.replace(
        sub,
        households=tuple(sub.households[i] for i in keep),
        travel=sub.travel[np.ix_(nodes, nodes)],
        service=tuple(sub.service[i] for i in keep),
        priority=tuple(True for _ in keep),
        intervals=tuple(sub.intervals[i] for i in keep),
        daylight=tuple(sub.daylight[i] for i in keep) if sub.daylight else (),
        unpaved=None if sub.unpaved is None else sub.unpaved[np.ix_(nodes, nodes)],
        initial=(),
        proposal_iterations=0,
    )


def _route_volunteer_once(
    sub: Sub, *, initial: SubResult | None = None, fallback: SubResult | None = None
) -> SubResult:
    """Solve ``sub`` once, from ``initial``'s rounds if given (see :func:`route_volunteer`).

    When the routing model refuses ``initial`` (a rule broken) the search starts from
    ``fallback``'s rounds, or afresh.
    """
    n = len(sub.households)
    if n == 0 or not sub.shifts:
        return _nothing_visited(sub)
    model = _Model.build(sub)
    # One household: the first solution is optimal (the same trip on any day), and
    # guided local search, finding no other solution, would run on to its time limit.
    meta = "greedy" if n == 1 else sub.metaheuristic
    left = sub.deadline - time.time()
    limit = min(sub.time_limit_s, left)
    late = limit <= 0.05  # past the deadline: the first solution only, at once
    params = search_parameters(
        n_nodes=n + 1,
        time_limit_s=max(0.05, limit) if not late else 5.0,
        solution_limit=1 if late else sub.solutions,
        first_solution="PARALLEL_CHEAPEST_INSERTION",
        metaheuristic="greedy" if late else meta,
    )
    # OR-Tools caps each LNS neighbour's completion search at 100 ms of wall time; on a
    # loaded machine that cap, not the solution limit, would decide the plan
    params.lns_time_limit.FromSeconds(max(1, int(sub.time_limit_s)))
    t0 = time.time()
    solution = model.search(params, meta, [x for x in (initial, fallback) if x is not None])
    cut = late or time.time() - t0 >= 0.95 * limit
    if solution is None:  # cannot happen (all may be dropped), but never crash on it
        return dataclasses.replace(_nothing_visited(sub), cut=cut)
    return dataclasses.replace(model.read(solution), cut=cut)


def _nothing_visited(sub: Sub) -> SubResult:
    pen = sum(DROP_PRIORITY_S if p else DROP_S for p in sub.priority)
    return SubResult(sub.v, (), sub.households, 0, 0, pen)


@dataclass(frozen=True)
class _Model:
    """The routing model of one :class:`Sub` (node 0 is home, node ``i + 1`` household ``i``)."""

    sub: Sub
    manager: Any
    routing: Any
    tdim: Any  # the "time" dimension: seconds of the week
    travel: NDArray[np.int64]  # legs capped at a week (unreachable: longer than any shift)
    svc: NDArray[np.int64]  # service seconds per node

    @classmethod
    def build(cls, sub: Sub) -> _Model:
        """Vehicles = shifts (from home and back within its hours), visits may be dropped."""
        n, k = len(sub.households), len(sub.shifts)
        manager = pywrapcp.RoutingIndexManager(n + 1, k, 0)
        routing = pywrapcp.RoutingModel(manager)
        travel = np.minimum(sub.travel, _WEEK_S)  # unreachable legs: longer than any shift
        arc = routing.RegisterTransitMatrix(int_matrix(travel))
        routing.SetArcCostEvaluatorOfAllVehicles(arc)
        svc = np.array([0, *sub.service], dtype=np.int64)
        time_cb = routing.RegisterTransitMatrix(int_matrix(travel + svc[:, None]))
        routing.AddDimension(time_cb, _WEEK_S, _WEEK_S, False, "time")
        tdim = routing.GetDimensionOrDie("time")
        for s, (day, a, b) in enumerate(sub.shifts):
            lo, hi = day * 86400 + a, day * 86400 + b
            tdim.CumulVar(routing.Start(s)).SetRange(lo, hi)
            tdim.CumulVar(routing.End(s)).SetRange(lo, hi)
            routing.AddVariableMaximizedByFinalizer(tdim.CumulVar(routing.Start(s)))
            routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(routing.End(s)))
        model = cls(sub, manager, routing, tdim, travel, svc)
        for i in range(n):
            model.add_visit(i)
        model.unpaved_by_dusk()
        return model

    def add_visit(self, i: int) -> None:
        """Household ``i``: droppable, arriving within its intervals on their shifts only."""
        sub, routing = self.sub, self.routing
        idx = self.manager.NodeToIndex(i + 1)
        ivs = sorted(sub.intervals[i], key=lambda x: x[1])
        routing.AddDisjunction([idx], DROP_PRIORITY_S if sub.priority[i] else DROP_S)
        if not ivs:
            routing.ActiveVar(idx).SetValue(0)  # cannot be visited: dropped
            return
        cum = self.tdim.CumulVar(idx)
        cum.SetRange(ivs[0][1], max(x[2] for x in ivs))
        # On shift s the path already keeps the arrival in [S + out, E - back - service];
        # only the household's own hours can cut holes into that, and only those are
        # removed (RemoveInterval costs time linear in the values removed).
        out_s, back_s = int(self.travel[0, i + 1]), int(self.travel[i + 1, 0])
        for shift in sorted({x[0] for x in ivs}):
            day, a, b = sub.shifts[shift]
            lo_s = day * 86400 + a + out_s
            hi_s = day * 86400 + b - back_s - sub.service[i]
            cursor = lo_s
            for _, lo, hi in (x for x in ivs if x[0] == shift):
                if lo > cursor:
                    cum.RemoveInterval(cursor, lo - 1)
                cursor = max(cursor, hi + 1)
            if cursor <= hi_s:
                cum.RemoveInterval(cursor, hi_s)
        # (SetAllowedVehiclesForIndex takes an absl::Span the Python wrapper cannot build)
        routing.VehicleVar(idx).SetValues([-1, *sorted({x[0] for x in ivs})])
        if sub.daylight and sub.daylight[i]:
            self.home_by_dusk(idx, sorted({x[0] for x in ivs}))

    def home_by_dusk(self, idx: int, shifts: list[int]) -> None:
        """Make a round through ``idx`` on one of ``shifts`` end by that shift's dusk."""
        solver, routing = self.routing.solver(), self.routing
        for s in shifts:
            dusk = self.sub.dusk[s] if self.sub.dusk else -1
            if dusk < 0:
                continue
            end = self.tdim.CumulVar(routing.End(s))
            # vehicle(idx) != s, or the round is home by dusk
            solver.Add(
                solver.IsDifferentCstVar(routing.VehicleVar(idx), s)
                + solver.IsLessOrEqualCstVar(end, dusk)
                >= 1
            )

    def unpaved_by_dusk(self) -> None:
        """Make a round that uses a trip on an unpaved way end by its shift's dusk.

        The dimension ``unpaved`` counts a round's trips on unpaved ways; on each
        shift ending after dusk, that count is 0 or the round is home by dusk.
        """
        sub, routing = self.sub, self.routing
        late = [(s, d) for s, d in enumerate(sub.dusk) if d >= 0]
        if sub.unpaved is None or not late or not sub.unpaved.any():
            return
        legs = routing.RegisterTransitMatrix(int_matrix(sub.unpaved.astype(np.int64)))
        routing.AddDimension(legs, 0, len(sub.households) + 1, True, "unpaved")
        count = routing.GetDimensionOrDie("unpaved")
        solver = routing.solver()
        for s, dusk in late:
            solver.Add(
                solver.IsEqualCstVar(count.CumulVar(routing.End(s)), 0)
                + solver.IsLessOrEqualCstVar(self.tdim.CumulVar(routing.End(s)), dusk)
                >= 1
            )

    def search(self, params: Any, meta: str, starts: Sequence[SubResult]) -> Any:
        """Search from the first of ``starts`` the model accepts, else afresh; ``None``: nothing.

        A start breaking a rule of the model (its hours, dusk, ...) is not accepted.
        """
        solution = None
        pos = {h: i for i, h in enumerate(self.sub.households)}
        if starts:
            self.routing.CloseModelWithParameters(params)
        for start in starts:
            if not self.allows(start):
                continue
            routes: list[list[int]] = [[] for _ in range(len(self.sub.shifts))]
            for shift, _, _, seq in start.rounds:
                routes[shift] = [self.manager.NodeToIndex(pos[h] + 1) for h, _ in seq]
            given = self.routing.ReadAssignmentFromRoutes(routes, True)
            if given is not None:
                solution = self.routing.SolveFromAssignmentWithParameters(given, params)
                break
        if solution is None:
            solution = run_search(self.routing, params, meta)
        return solution

    def allows(self, start: SubResult) -> bool:
        """Whether every household of ``start`` is on a shift its intervals allow."""
        pos = {h: i for i, h in enumerate(self.sub.households)}
        return all(
            h in pos and any(x[0] == shift for x in self.sub.intervals[pos[h]])
            for shift, _, _, seq in start.rounds
            for h, _ in seq
        )

    def read(self, solution: Any) -> SubResult:
        """Return the rounds of ``solution``, each on its earliest schedule."""
        sub, routing = self.sub, self.routing
        n = len(sub.households)
        rounds = []
        visited: set[int] = set()
        total_travel = total_service = 0
        for s in range(len(sub.shifts)):
            idx = solution.Value(routing.NextVar(routing.Start(s)))
            nodes: list[int] = []
            while not routing.IsEnd(idx):
                nodes.append(self.manager.IndexToNode(idx))
                idx = solution.Value(routing.NextVar(idx))
            if not nodes:
                continue
            # earliest schedule from the (latest) start the solver chose
            start = int(solution.Value(self.tdim.CumulVar(routing.Start(s))))
            round_, travel_s, service_s = self.schedule(s, start, nodes)
            rounds.append(round_)
            visited.update(node - 1 for node in nodes)
            total_travel += travel_s
            total_service += service_s
        dropped = tuple(sub.households[i] for i in range(n) if i not in visited)
        pen = sum(
            DROP_PRIORITY_S if sub.priority[i] else DROP_S for i in range(n) if i not in visited
        )
        return SubResult(sub.v, tuple(rounds), dropped, total_travel, total_service, pen)

    def schedule(
        self, s: int, start: int, nodes: list[int]
    ) -> tuple[tuple[int, int, int, tuple[tuple[int, int], ...]], int, int]:
        """Return shift ``s``'s round through ``nodes`` from ``start``, its travel and service.

        Each visit starts on arrival, or when the household's interval opens.
        """
        sub, travel, svc = self.sub, self.travel, self.svc
        clock, prev = start, 0
        stops: list[tuple[int, int]] = []
        total_travel = total_service = 0
        for node in nodes:
            arrive = clock + int(travel[prev, node])
            for sh, lo, hi in sorted(sub.intervals[node - 1], key=lambda x: x[1]):
                if sh == s and arrive <= hi:
                    arrive = max(arrive, lo)
                    break
            stops.append((sub.households[node - 1], arrive))
            total_travel += int(travel[prev, node])
            total_service += int(svc[node])
            clock, prev = arrive + int(svc[node]), node
        total_travel += int(travel[prev, 0])
        return (s, start, clock + int(travel[prev, 0]), tuple(stops)), total_travel, total_service
