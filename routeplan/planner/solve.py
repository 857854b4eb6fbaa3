"""Solve routing problems with OR-Tools: the only module that imports ``ortools``.

Two layers live here:

* generic entries used by the planner and by ``bench/``: :func:`solve_cvrp`
  (capacitated VRP, one depot) and :func:`solve_vrptw` (VRP with time windows);
* the planner's three steps (see :func:`solve_problem`): (1) give households to
  volunteers by a min-cost flow (the "1+20" capacity, skills, language, stability and
  priority all become arc costs and arc bounds of one exact network problem), (2) plan
  each volunteer's week as a small multi-day routing problem (vehicles = the
  volunteer's shifts), then give priority households that did not fit to volunteers
  with room (the flow again, with learnt limits) and (3) move households between
  neighbouring volunteers when the re-planned rounds cost less. Every step stops on
  a count (solutions, moves), so the same inputs give the same plan; the time limit
  is a safety net.

OR-Tools configuration: the routing library's best results on the classic benchmarks
come from a savings or cheapest-insertion first solution improved by iterated local
search with SISR ruin-and-recreate (Christiaens and Vanden Berghe, 2020) and simulated
annealing acceptance, with the local-search neighbourhoods restricted to each node's
nearest neighbours on large instances; matrices are handed over as C++ tables
(``RegisterTransitMatrix``), never as Python callbacks. ``bench/bench_solver.py``
measures it.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.graph.python import min_cost_flow

if TYPE_CHECKING:  # pragma: no cover
    from . import Plan, Problem

__all__ = ["choose_sites", "solve_cvrp", "solve_problem", "solve_vrptw"]

log = logging.getLogger(__name__)

_FIRST = routing_enums_pb2.FirstSolutionStrategy
_META = routing_enums_pb2.LocalSearchMetaheuristic


def _search_parameters(
    *,
    n_nodes: int,
    time_limit_s: float | None,
    solution_limit: int | None = None,
    first_solution: str = "SAVINGS",
    metaheuristic: str = "ils",
    neighbours: int | None = None,
) -> Any:
    """Return OR-Tools routing search parameters.

    Parameters
    ----------
    n_nodes
        Number of nodes, to size the neighbourhoods.
    time_limit_s
        Wall-clock limit, or ``None`` for none (then give ``solution_limit``).
    solution_limit
        Stop after this many solutions (deterministic stop).
    first_solution
        Name of an OR-Tools ``FirstSolutionStrategy``.
    metaheuristic
        ``"ils"`` (iterated local search with SISR ruin-and-recreate and simulated
        annealing acceptance), ``"gls"`` (guided local search) or ``"greedy"``.
    neighbours
        Restrict local-search operators to this many nearest neighbours per node
        (``None``: all; restricting them hurts the routing library's ILS badly).

    """
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(_FIRST, first_solution)
    if metaheuristic == "gls":
        params.local_search_metaheuristic = _META.GUIDED_LOCAL_SEARCH
    elif metaheuristic == "ils":
        params.local_search_metaheuristic = _META.GREEDY_DESCENT
        params.use_iterated_local_search = True
        ils = params.iterated_local_search_parameters
        rr = ils.ruin_recreate_parameters
        del rr.ruin_strategies[:]
        sisr = rr.ruin_strategies.add().sisr
        sisr.max_removed_sequence_size = 20
        sisr.avg_num_removed_visits = 20
        sisr.bypass_factor = 0.01
        rr.recreate_strategy.heuristic = _FIRST.LOCAL_CHEAPEST_INSERTION
        ils.improve_perturbed_solution = True
        sa = ils.reference_solution_acceptance_strategy.simulated_annealing
        sa.cooling_schedule_strategy = 1  # EXPONENTIAL
        sa.automatic_temperatures = True
    elif metaheuristic == "greedy":
        params.local_search_metaheuristic = _META.GREEDY_DESCENT
    else:
        raise ValueError(f"unknown metaheuristic {metaheuristic!r}: use ils, gls or greedy")
    if neighbours is not None and neighbours < n_nodes:
        params.ls_operator_neighbors_ratio = neighbours / n_nodes
        params.ls_operator_min_neighbors = min(neighbours, n_nodes)
    if time_limit_s is not None:
        params.time_limit.FromMilliseconds(max(1, int(time_limit_s * 1000)))
    if solution_limit is not None:
        params.solution_limit = int(solution_limit)
    return params


def _solve(routing: Any, params: Any, metaheuristic: str) -> Any:
    """Run the search; iterated local search has its own entry point in OR-Tools."""
    if metaheuristic == "ils":
        return routing.SolveWithIteratedLocalSearch(params)
    return routing.SolveWithParameters(params)


def _routes_from(routing: Any, manager: Any, solution: Any, num_vehicles: int) -> list[list[int]]:
    routes: list[list[int]] = []
    for v in range(num_vehicles):
        idx = routing.Start(v)
        route: list[int] = []
        idx = solution.Value(routing.NextVar(idx))
        while not routing.IsEnd(idx):
            route.append(int(manager.IndexToNode(idx)))
            idx = solution.Value(routing.NextVar(idx))
        if route:
            routes.append(route)
    return routes


def _int_matrix(values: NDArray[Any]) -> list[list[int]]:
    return [[int(x) for x in row] for row in values]


def _solve_capacitated(
    routing: Any,
    manager: Any,
    dem: Any,
    capacity: int,
    num_vehicles: int,
    *,
    time_limit_s: float,
    solution_limit: int | None,
    first_solution: str,
    metaheuristic: str,
) -> list[list[int]]:
    """Add the vehicles' load capacity, search, and return the routes (benchmark entries).

    Raises
    ------
    ValueError
        If OR-Tools finds no solution within the limits.

    """
    demand_cb = routing.RegisterUnaryTransitVector([0, *(int(x) for x in dem[1:])])
    routing.AddDimensionWithVehicleCapacity(
        demand_cb, 0, [int(capacity)] * num_vehicles, True, "load"
    )
    params = _search_parameters(
        n_nodes=len(dem),
        time_limit_s=time_limit_s,
        solution_limit=solution_limit,
        first_solution=first_solution,
        metaheuristic=metaheuristic,
    )
    solution = _solve(routing, params, metaheuristic)
    if solution is None:
        raise ValueError("OR-Tools found no solution within the limit")
    return _routes_from(routing, manager, solution, num_vehicles)


def solve_cvrp(
    distance: ArrayLike,
    demands: Sequence[int] | ArrayLike,
    capacity: int,
    *,
    num_vehicles: int,
    time_limit_s: float,
    seed: int = 0,
    metaheuristic: str = "ils",
    first_solution: str = "SAVINGS",
    solution_limit: int | None = None,
) -> tuple[list[list[int]], int]:
    """Solve a capacitated vehicle-routing problem with one depot (node 0).

    Parameters
    ----------
    distance
        Integer travel costs, shape ``(n, n)``; node 0 is the depot.
    demands
        Demand of each node (the depot's is ignored).
    capacity
        Vehicle capacity.
    num_vehicles
        Vehicles available (unused ones cost nothing).
    time_limit_s
        Wall-clock limit of the search.
    seed
        Accepted for symmetry with other solvers; the OR-Tools routing search is
        deterministic for a given stop criterion, so it changes nothing.
    metaheuristic, first_solution
        See :func:`_search_parameters`.
    solution_limit
        Stop after this many solutions as well (deterministic stop).

    Returns
    -------
    routes
        One list of customer nodes per used vehicle, depot excluded.
    cost
        Total distance of the routes.

    Raises
    ------
    ValueError
        If the inputs are inconsistent or no solution is found within the limit.

    """
    del seed
    dist = np.asarray(distance, dtype=np.int64)
    dem = np.asarray(demands, dtype=np.int64)
    n = dist.shape[0]
    if dist.shape != (n, n) or dem.shape != (n,):
        raise ValueError("distance must be (n, n) and demands (n,)")
    if (dem[1:] > capacity).any():
        raise ValueError("a demand exceeds the vehicle capacity")
    manager = pywrapcp.RoutingIndexManager(n, num_vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    transit = routing.RegisterTransitMatrix(_int_matrix(dist))
    routing.SetArcCostEvaluatorOfAllVehicles(transit)
    routes = _solve_capacitated(
        routing,
        manager,
        dem,
        capacity,
        num_vehicles,
        time_limit_s=time_limit_s,
        solution_limit=solution_limit,
        first_solution=first_solution,
        metaheuristic=metaheuristic,
    )
    cost = sum(
        int(dist[0, r[0]])
        + sum(int(dist[a, b]) for a, b in itertools.pairwise(r))
        + int(dist[r[-1], 0])
        for r in routes
    )
    return routes, cost


def solve_vrptw(
    distance: ArrayLike,
    demands: Sequence[int] | ArrayLike,
    capacity: int,
    windows: ArrayLike,
    service: Sequence[float] | ArrayLike,
    *,
    num_vehicles: int,
    time_limit_s: float,
    seed: int = 0,
    scale: int = 1000,
    metaheuristic: str = "ils",
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION",
    solution_limit: int | None = None,
) -> tuple[list[list[int]], float]:
    """Solve a VRP with time windows, one depot (node 0), travel time = distance.

    Parameters
    ----------
    distance
        Travel distances (floats allowed), shape ``(n, n)``; time equals distance.
    demands
        Demand of each node (the depot's is ignored).
    capacity
        Vehicle capacity.
    windows
        ``(n, 2)`` earliest and latest start of service; row 0 is the depot's horizon.
    service
        Service duration at each node.
    num_vehicles
        Vehicles available.
    time_limit_s
        Wall-clock limit of the search.
    seed
        Accepted for symmetry with other solvers (the search is deterministic).
    scale
        Distances and times are multiplied by this and rounded to integers for OR-Tools.
    metaheuristic, first_solution, solution_limit
        See :func:`solve_cvrp`.

    Returns
    -------
    routes
        Customer nodes per used vehicle, depot excluded.
    cost
        Total distance in the input's (unscaled) units.

    """
    del seed
    dist = np.asarray(distance, dtype=np.float64)
    dem = np.asarray(demands, dtype=np.int64)
    tw = np.asarray(windows, dtype=np.float64)
    svc = np.asarray(service, dtype=np.float64)
    n = dist.shape[0]
    idist = np.rint(dist * scale).astype(np.int64)
    # time from i to j: service at i, then travel (rounded down so that no feasible
    # schedule of the unscaled problem is lost to rounding)
    itime = np.floor(dist * scale).astype(np.int64) + np.rint(svc * scale).astype(np.int64)[:, None]
    np.fill_diagonal(itime, 0)
    manager = pywrapcp.RoutingIndexManager(n, num_vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    cost_cb = routing.RegisterTransitMatrix(_int_matrix(idist))
    routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)
    time_cb = routing.RegisterTransitMatrix(_int_matrix(itime))
    horizon = math.ceil(tw[0, 1] * scale)
    routing.AddDimension(time_cb, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for node in range(1, n):
        idx = manager.NodeToIndex(node)
        time_dim.CumulVar(idx).SetRange(
            math.ceil(tw[node, 0] * scale), math.floor(tw[node, 1] * scale)
        )
    for v in range(num_vehicles):
        time_dim.CumulVar(routing.Start(v)).SetRange(int(tw[0, 0] * scale), horizon)
        time_dim.CumulVar(routing.End(v)).SetRange(int(tw[0, 0] * scale), horizon)
    routes = _solve_capacitated(
        routing,
        manager,
        dem,
        capacity,
        num_vehicles,
        time_limit_s=time_limit_s,
        solution_limit=solution_limit,
        first_solution=first_solution,
        metaheuristic=metaheuristic,
    )
    cost = 0.0
    for r in routes:
        path = [0, *r, 0]
        cost += float(sum(dist[a, b] for a, b in itertools.pairwise(path)))
    return routes, cost


# --- the planner ----------------------------------------------------------------------
#
# Costs are in seconds of travel. Dropping a visit (rolling it over to next week) costs
# far more than any detour, a priority visit far more again; keeping a household with
# last week's volunteer is worth more than any travel saving but less than covering a
# household; a language mismatch costs ``planner.language_penalty_s``.

_DROP_S = 100_000
_DROP_PRIORITY_S = 10_000_000
_STAY_S = 500_000
_UNASSIGNED_S = 1_000_000_000
_UNASSIGNED_PRIORITY_S = 4_000_000_000
_PRIORITY_OVER_S = _DROP_PRIORITY_S - _DROP_S
_WEEK_S = 7 * 86400
_RESCUE_MOVE_S = 3600  # cost of moving a household in the priority rescue flow
# Guided local search for the volunteers' weeks: the iterated local search found
# slightly shorter rounds (about 1%) but on some volunteers its ruin-and-recreate
# perturbations kept failing (a visit may only go into the shifts its hours meet), so
# it never reached its solution limit and ran on until the time limit: slower, and
# not reproducible. Guided local search always stops on the solution limit.
_SUB_METAHEURISTIC = "gls"
_BATCH = 16  # moves re-planned together (fixed: the plan must not depend on the cores)
_AUTO_MOVES_PER_VOLUNTEER = 2  # improvement budget when planner.improve_moves is 0


@dataclass(frozen=True)
class _Sub:
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


@dataclass(frozen=True)
class _SubResult:
    """One volunteer's rounds: per used shift, the households with arrival times."""

    v: int
    rounds: tuple[tuple[int, int, int, tuple[tuple[int, int], ...]], ...]
    # (shift index, start (week s), end (week s), ((household, arrival week s), ...))
    dropped: tuple[int, ...]
    travel_s: int
    service_s: int
    penalty: int

    @property
    def cost(self) -> int:
        """Travel plus drop penalties."""
        return self.travel_s + self.penalty


def _route_volunteer(sub: _Sub) -> _SubResult:
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
    first = _route_volunteer_once(sub)
    dropped = set(first.dropped)
    pos = {h: i for i, h in enumerate(sub.households)}
    if not any(sub.priority[pos[h]] for h in dropped) or all(
        sub.priority[i] for i, h in enumerate(sub.households) if h not in dropped
    ):
        return first
    keep = [i for i in range(len(sub.households)) if sub.priority[i]]
    nodes = [0, *(i + 1 for i in keep)]
    only = _Sub(
        v=sub.v,
        households=tuple(sub.households[i] for i in keep),
        travel=sub.travel[np.ix_(nodes, nodes)],
        service=tuple(sub.service[i] for i in keep),
        priority=tuple(True for _ in keep),
        intervals=tuple(sub.intervals[i] for i in keep),
        shifts=sub.shifts,
        solutions=sub.solutions,
        time_limit_s=sub.time_limit_s,
        metaheuristic=sub.metaheuristic,
    )
    seed_rounds = _route_volunteer_once(only)
    second = _route_volunteer_once(sub, initial=seed_rounds)
    return second if second.cost < first.cost else first


def _route_volunteer_once(sub: _Sub, *, initial: _SubResult | None = None) -> _SubResult:
    """Solve ``sub`` once, from ``initial``'s rounds if given (see :func:`_route_volunteer`)."""
    n = len(sub.households)
    if n == 0 or not sub.shifts:
        pen = sum(_DROP_PRIORITY_S if p else _DROP_S for p in sub.priority)
        return _SubResult(sub.v, (), sub.households, 0, 0, pen)
    k = len(sub.shifts)
    manager = pywrapcp.RoutingIndexManager(n + 1, k, 0)
    routing = pywrapcp.RoutingModel(manager)
    travel = np.minimum(sub.travel, _WEEK_S)  # unreachable legs: longer than any shift
    arc = routing.RegisterTransitMatrix(_int_matrix(travel))
    routing.SetArcCostEvaluatorOfAllVehicles(arc)
    svc = np.array([0, *sub.service], dtype=np.int64)
    time_cb = routing.RegisterTransitMatrix(_int_matrix(travel + svc[:, None]))
    routing.AddDimension(time_cb, _WEEK_S, _WEEK_S, False, "time")
    tdim = routing.GetDimensionOrDie("time")
    for s, (day, a, b) in enumerate(sub.shifts):
        lo, hi = day * 86400 + a, day * 86400 + b
        tdim.CumulVar(routing.Start(s)).SetRange(lo, hi)
        tdim.CumulVar(routing.End(s)).SetRange(lo, hi)
        routing.AddVariableMaximizedByFinalizer(tdim.CumulVar(routing.Start(s)))
        routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(routing.End(s)))
    for i in range(n):
        idx = manager.NodeToIndex(i + 1)
        ivs = sorted(sub.intervals[i], key=lambda x: x[1])
        routing.AddDisjunction([idx], _DROP_PRIORITY_S if sub.priority[i] else _DROP_S)
        if not ivs:
            routing.ActiveVar(idx).SetValue(0)  # cannot be visited: dropped
            continue
        cum = tdim.CumulVar(idx)
        cum.SetRange(ivs[0][1], max(x[2] for x in ivs))
        # On shift s the path already keeps the arrival in [S + out, E - back - service];
        # only the household's own hours can cut holes into that, and only those are
        # removed (RemoveInterval costs time linear in the values removed).
        out_s, back_s = int(travel[0, i + 1]), int(travel[i + 1, 0])
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
    # One household: the first solution is optimal (the same trip on any day), and
    # guided local search, finding no other solution, would run on to its time limit.
    meta = "greedy" if n == 1 else sub.metaheuristic
    params = _search_parameters(
        n_nodes=n + 1,
        time_limit_s=sub.time_limit_s,
        solution_limit=sub.solutions,
        first_solution="PARALLEL_CHEAPEST_INSERTION",
        metaheuristic=meta,
    )
    solution = None
    if initial is not None:
        pos = {h: i for i, h in enumerate(sub.households)}
        routes: list[list[int]] = [[] for _ in range(k)]
        for shift, _, _, seq in initial.rounds:
            routes[shift] = [manager.NodeToIndex(pos[h] + 1) for h, _ in seq]
        routing.CloseModelWithParameters(params)
        given = routing.ReadAssignmentFromRoutes(routes, True)
        if given is not None:
            solution = routing.SolveFromAssignmentWithParameters(given, params)
    if solution is None:
        solution = _solve(routing, params, meta)
    if solution is None:  # cannot happen (all may be dropped), but never crash on it
        pen = sum(_DROP_PRIORITY_S if p else _DROP_S for p in sub.priority)
        return _SubResult(sub.v, (), sub.households, 0, 0, pen)
    rounds = []
    visited: set[int] = set()
    total_travel = total_service = 0
    for s in range(k):
        idx = solution.Value(routing.NextVar(routing.Start(s)))
        nodes: list[int] = []
        while not routing.IsEnd(idx):
            nodes.append(manager.IndexToNode(idx))
            idx = solution.Value(routing.NextVar(idx))
        if not nodes:
            continue
        # earliest schedule from the (latest) start the solver chose
        start = int(solution.Value(tdim.CumulVar(routing.Start(s))))
        clock, prev = start, 0
        stops: list[tuple[int, int]] = []
        for node in nodes:
            arrive = clock + int(travel[prev, node])
            for sh, lo, hi in sorted(sub.intervals[node - 1], key=lambda x: x[1]):
                if sh == s and arrive <= hi:
                    arrive = max(arrive, lo)
                    break
            stops.append((sub.households[node - 1], arrive))
            visited.add(node - 1)
            total_travel += int(travel[prev, node])
            total_service += int(svc[node])
            clock, prev = arrive + int(svc[node]), node
        total_travel += int(travel[prev, 0])
        rounds.append((s, start, clock + int(travel[prev, 0]), tuple(stops)))
    dropped = tuple(sub.households[i] for i in range(n) if i not in visited)
    pen = sum(
        _DROP_PRIORITY_S if sub.priority[i] else _DROP_S for i in range(n) if i not in visited
    )
    return _SubResult(sub.v, tuple(rounds), dropped, total_travel, total_service, pen)


class _Serial(Executor):
    """An executor that runs tasks in the calling process (one worker, or tiny problems)."""

    def map(
        self,
        fn: Callable[..., Any],
        *iterables: Any,
        timeout: float | None = None,
        chunksize: int = 1,
        buffersize: int | None = None,
    ) -> Any:
        del timeout, chunksize, buffersize
        return [fn(*args) for args in zip(*iterables, strict=False)]


def _mp_context() -> Any:
    """Fork where the OS has it (no re-import of the caller's script), else spawn."""
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods():
        return get_context("fork")
    return get_context("spawn")  # pragma: no cover - Windows, macOS defaults


def _workers(setting: int) -> int:
    if setting > 0:
        return setting
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _make_sub(
    problem: Problem,
    v: int,
    members: Sequence[int] | NDArray[Any],
    *,
    solutions: int,
    time_limit_s: float,
) -> _Sub:
    members = tuple(sorted(int(h) for h in members))
    seed = problem.settings.planner.seed
    if seed:  # another seed: another node order, so other ties broken another way
        rng = np.random.default_rng([seed, v])
        members = tuple(members[i] for i in rng.permutation(len(members)))
    nodes = [problem.n_households + v, *members]
    t = problem.travel_of(v)[np.ix_(nodes, nodes)]
    return _Sub(
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
    )


@dataclass(frozen=True)
class _Arcs:
    """The household -> volunteer arcs of the assignment flow and their costs."""

    hh: NDArray[np.int64]
    vv: NDArray[np.int64]
    cost: NDArray[np.int64]


def _assign(problem: Problem) -> tuple[NDArray[np.int64], _Arcs]:
    """Step 1: give households to volunteers by an exact min-cost flow.

    Source -> household (1) -> eligible volunteer (cost) -> sink (capacity); a
    household may instead go to an "unassigned" node at a cost far above any other, so
    the most households (priority ones first) are covered. The cost of a pair is the
    round trip from the volunteer's home, then (two more passes) half that plus the
    round trip from the medoid of the volunteer's current households, which favours
    compact groups; plus the language penalty and minus the stability bonus.
    Returns the assignment (volunteer per household, -1 for none) and the arcs of the
    last pass (for :func:`_rescue_priority`).
    """
    H, V = problem.n_households, problem.n_volunteers
    ps = problem.settings.planner
    home_rt = np.zeros((H, V), dtype=np.float64)
    for v in range(V):
        t = problem.travel_of(v)
        home_rt[:, v] = t[H + v, :H] + t[:H, H + v]
    extra = np.where(problem.language_ok, 0, ps.language_penalty_s).astype(np.float64)
    prev_v = np.full(H, -1, dtype=np.int64)
    vidx = {vid: i for i, vid in enumerate(problem.volunteer_ids)}
    for h, hid in enumerate(problem.household_ids):
        old = problem.previous.get(hid)
        if old in vidx:
            prev_v[h] = vidx[old]
    stay = np.zeros((H, V), dtype=np.float64)
    has_prev = prev_v >= 0
    stay[np.flatnonzero(has_prev), prev_v[has_prev]] = -_STAY_S
    hh, vv = np.nonzero(problem.eligible)
    assign = np.full(H, -1, dtype=np.int64)
    cost = home_rt
    for rnd in range(3):
        if rnd > 0:
            med_rt = np.zeros((H, V), dtype=np.float64)
            for v in range(V):
                members = np.flatnonzero(assign == v)
                t = problem.travel_of(v)
                if len(members) == 0:
                    med_rt[:, v] = home_rt[:, v]
                    continue
                sub = t[np.ix_(members, members)].astype(np.float64)
                m = members[int(np.argmin((sub + sub.T).sum(axis=1)))]
                med_rt[:, v] = t[m, :H] + t[:H, m]
            cost = 0.5 * home_rt + med_rt
        total = cost + extra + stay + _STAY_S
        arc_cost = np.rint(np.minimum(total[hh, vv], 1e9)).astype(np.int64)
        assign = _flow(problem, hh, vv, arc_cost)
    return assign, _Arcs(hh, vv, arc_cost)


def _flow(
    problem: Problem,
    hh: NDArray[np.int64],
    vv: NDArray[np.int64],
    arc_cost: NDArray[np.int64],
    *,
    priority_cap: NDArray[np.int64] | None = None,
) -> NDArray[np.int64]:
    """Solve the assignment flow; return the volunteer of each household (-1: none).

    Nodes: source, households, volunteers, "unassigned", sink. With ``priority_cap``
    (per volunteer, -1 = no limit) a limited volunteer's priority households pass
    through a node of their own: up to the cap for free, beyond it at
    ``_PRIORITY_OVER_S`` each (what rolling over a priority visit instead of an
    ordinary one costs in the rounds), so the flow gives the rest to volunteers with
    spare hours and, where that takes a chain of exchanges, finds the cheapest chain.
    """
    H, V = problem.n_households, problem.n_volunteers
    src, drop, sink = 0, H + V + 1, H + V + 2
    limited = (
        np.flatnonzero(priority_cap >= 0) if priority_cap is not None else np.zeros(0, np.int64)
    )
    pnode = np.full(V, -1, dtype=np.int64)
    pnode[limited] = H + V + 3 + np.arange(len(limited))
    to_v = H + 1 + vv
    if len(limited):
        via = problem.priority[hh] & (pnode[vv] >= 0)
        to_v = np.where(via, pnode[vv], to_v)
    n_nodes = H + V + 3 + len(limited)
    starts = np.concatenate(
        [
            np.zeros(H, dtype=np.int64),
            1 + hh,
            1 + np.arange(H),
            H + 1 + np.arange(V),
            [drop],
            pnode[limited],
            pnode[limited],
        ]
    )
    ends = np.concatenate(
        [
            1 + np.arange(H),
            to_v,
            np.full(H, drop),
            np.full(V, sink),
            [sink],
            H + 1 + limited,
            H + 1 + limited,
        ]
    )
    caps = np.concatenate(
        [
            np.ones(H, dtype=np.int64),
            np.ones(len(hh), dtype=np.int64),
            np.ones(H, dtype=np.int64),
            problem.capacity.astype(np.int64),
            [H],
            priority_cap[limited] if priority_cap is not None else np.zeros(0, np.int64),
            np.full(len(limited), H, dtype=np.int64),
        ]
    )
    drop_cost = np.where(problem.priority, _UNASSIGNED_PRIORITY_S, _UNASSIGNED_S)
    costs = np.concatenate(
        [
            np.zeros(H, dtype=np.int64),
            arc_cost,
            drop_cost.astype(np.int64),
            np.zeros(V + 1, dtype=np.int64),
            np.zeros(len(limited), dtype=np.int64),
            np.full(len(limited), _PRIORITY_OVER_S, dtype=np.int64),
        ]
    )
    mcf = min_cost_flow.SimpleMinCostFlow()
    arcs = mcf.add_arcs_with_capacity_and_unit_cost(starts, ends, caps, costs)
    supplies = np.zeros(n_nodes, dtype=np.int64)
    supplies[src], supplies[sink] = H, -H
    mcf.set_nodes_supplies(np.arange(n_nodes), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:  # pragma: no cover - the network always has a solution
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flows = mcf.flows(arcs)
    assign = np.full(H, -1, dtype=np.int64)
    used = flows[H : H + len(hh)] > 0
    assign[hh[used]] = vv[used]
    return assign


def _route_all(
    problem: Problem,
    assign: NDArray[np.int64],
    vols: Sequence[int],
    pool: Executor,
    *,
    solutions: int,
    time_limit_s: float,
) -> dict[int, _SubResult]:
    subs = [
        _make_sub(
            problem, v, np.flatnonzero(assign == v), solutions=solutions, time_limit_s=time_limit_s
        )
        for v in vols
    ]
    # largest first, so that the workers finish together
    order = sorted(range(len(subs)), key=lambda i: -len(subs[i].households))
    results = list(pool.map(_route_volunteer, [subs[i] for i in order]))
    return {subs[i].v: r for i, r in zip(order, results, strict=True)}


def _objective(
    problem: Problem, assign: NDArray[np.int64], results: dict[int, _SubResult]
) -> float:
    """Return what the planner minimises.

    Travel, roll-over and unassigned penalties, language mismatches and households
    moved away from last week's volunteer.
    """
    ps = problem.settings.planner
    total = float(sum(r.cost for r in results.values()))
    un = assign < 0
    total += float(np.where(problem.priority[un], _UNASSIGNED_PRIORITY_S, _UNASSIGNED_S).sum())
    served = np.flatnonzero(~un)
    total += float(ps.language_penalty_s) * int(
        (~problem.language_ok[served, assign[served]]).sum()
    )
    vidx = {vid: i for i, vid in enumerate(problem.volunteer_ids)}
    for h, hid in enumerate(problem.household_ids):
        old = vidx.get(problem.previous.get(hid, ""), -1)
        if old >= 0 and assign[h] != old:
            total += _STAY_S
    return total


def _rescue_priority(
    problem: Problem,
    assign: NDArray[np.int64],
    arcs: _Arcs,
    results: dict[int, _SubResult],
    pool: Executor,
    *,
    solutions: int,
    time_limit_s: float,
    passes: int = 3,
) -> tuple[NDArray[np.int64], dict[int, _SubResult], dict[str, int]]:
    """Step 2b: give priority households that did not fit to volunteers with spare hours.

    The assignment counts households, not hours: a volunteer near a cluster of remote
    or elderly households may get 20 priority households whose visits do not fit into
    their week while a neighbour visits ordinary households. A volunteer whose rounds
    left a priority household out may keep only as many priority households as their
    rounds held; the flow is solved again under these limits (the rest go, through a
    chain of exchanges if need be, to volunteers whose rounds have room, ordinary
    households moving the other way) and the volunteers whose households changed are
    re-planned. The new plan is kept only if it costs less (roll-overs, travel,
    language, stability); repeated while it helps, at most ``passes`` times.
    """
    V = problem.n_volunteers
    cap = np.full(V, -1, dtype=np.int64)
    stats = {"passes": 0, "moved": 0, "volunteers_replanned": 0}
    best = _objective(problem, assign, results)
    for _ in range(passes):
        short = [v for v, r in results.items() if any(problem.priority[h] for h in r.dropped)]
        if not short:
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
        new = _flow(problem, arcs.hh, arcs.vv, arcs.cost + stay, priority_cap=cap)
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
            _route_all(
                problem,
                new,
                [v for v in changed if (new == v).any()],
                pool,
                solutions=solutions,
                time_limit_s=time_limit_s,
            )
        )
        cost = _objective(problem, new, trial)
        if cost >= best:
            break
        stats["moved"] += int((new != assign).sum())
        stats["volunteers_replanned"] += len(changed)
        assign, results, best = new, trial, cost
    return assign, results, stats


def _removal_gain(problem: Problem, res: _SubResult, H: int) -> dict[int, float]:
    """Travel saved by taking each household out of its rounds (penalty if dropped)."""
    t = problem.travel_of(res.v)
    home = H + res.v
    gain: dict[int, float] = {}
    for _, _, _, stops in res.rounds:
        seq = [home, *(h for h, _ in stops), home]
        for i in range(1, len(seq) - 1):
            a, h, b = seq[i - 1], seq[i], seq[i + 1]
            gain[h] = float(t[a, h] + t[h, b] - t[a, b])
    for h in res.dropped:
        gain[h] = float(_DROP_PRIORITY_S if problem.priority[h] else _DROP_S)
    return gain


def _insertion_costs(problem: Problem, res: _SubResult, H: int) -> NDArray[np.float64]:
    """Cheapest insertion of every household into volunteer ``res.v``'s rounds (travel)."""
    v = res.v
    t = problem.travel_of(v).astype(np.float64)
    home = H + v
    a_list: list[int] = []
    b_list: list[int] = []
    for _, _, _, stops in res.rounds:
        seq = [home, *(h for h, _ in stops), home]
        a_list += seq[:-1]
        b_list += seq[1:]
    if len(res.rounds) < len(problem.shifts[v]):
        a_list.append(home)
        b_list.append(home)
    a = np.array(a_list)
    b = np.array(b_list)
    ins = t[a][:, :H] + t[:H, b].T - t[a, b][:, None]
    return np.asarray(ins.min(axis=0), dtype=np.float64)


def _balance(problem: Problem, results: dict[int, _SubResult], target: float) -> float:
    bw = problem.settings.planner.balance_weight
    if bw <= 0:
        return 0.0
    return bw * sum(max(0.0, r.travel_s + r.service_s - target) for r in results.values())


def _improve(
    problem: Problem,
    assign: NDArray[np.int64],
    results: dict[int, _SubResult],
    pool: Executor,
    *,
    deadline: float,
    rounds: int,
    moves: int,
    solutions: int,
    time_limit_s: float,
    batch: int,
    workers: int,
    sub_seconds: float,
    report: Callable[[str, float], None],
) -> tuple[NDArray[np.int64], dict[int, _SubResult], dict[str, int]]:
    """Step 3: move or swap households between neighbouring volunteers while it pays.

    Candidates are ranked by an insertion estimate; the best ones touching distinct
    volunteers are re-planned together (in parallel) and kept only if the two
    volunteers' rounds really cost less (travel, drop penalties, language and the
    balance term).
    """
    H, V = problem.n_households, problem.n_volunteers
    ps = problem.settings.planner
    assign = assign.copy()
    lang_cost = np.where(problem.language_ok, 0.0, float(ps.language_penalty_s))
    vidx = {vid: i for i, vid in enumerate(problem.volunteer_ids)}
    pinned = np.zeros(H, dtype=bool)
    for h, hid in enumerate(problem.household_ids):
        old = problem.previous.get(hid)
        if old in vidx and assign[h] == vidx[old]:
            pinned[h] = True
    work = [r.travel_s + r.service_s for r in results.values()]
    target = float(np.mean(work)) if work else 0.0
    version = np.zeros(V, dtype=np.int64)
    tried: dict[tuple[int, int, int], tuple[int, int]] = {}
    stats = {"rounds": 0, "tried": 0, "accepted": 0, "cut_by_time": 0}

    def cost_of(v: int, res: _SubResult, members: Sequence[int] | NDArray[Any]) -> float:
        lang = float(sum(lang_cost[h, v] for h in members))
        return res.cost + lang

    for rnd in range(rounds):
        if stats["tried"] >= moves:
            break
        if time.monotonic() >= deadline:
            stats["cut_by_time"] = 1
            break
        stats["rounds"] += 1
        load = np.bincount(assign[assign >= 0], minlength=V)
        gain = np.zeros(H, dtype=np.float64)
        for r in results.values():
            for h, g in _removal_gain(problem, r, H).items():
                gain[h] = g
        ins = np.full((H, V), np.inf)
        for v, r in results.items():
            ins[:, v] = _insertion_costs(problem, r, H)
        ins[~problem.eligible] = np.inf
        ins += lang_cost
        candidates: list[tuple[float, int, int, int]] = []  # (delta, h, v, h2 or -1)
        movable = np.flatnonzero((assign >= 0) & ~pinned)
        bw = ps.balance_weight
        work_v = np.zeros(V, dtype=np.float64)
        for v, r in results.items():
            work_v[v] = r.travel_s + r.service_s
        for h_ in movable:
            h = int(h_)
            u = int(assign[h])
            row = ins[h].copy()
            row[u] = np.inf
            best = np.argsort(row, kind="stable")[:3]
            for v in best:
                v = int(v)
                if not np.isfinite(row[v]):
                    break
                base = row[v] - gain[h] - lang_cost[h, u]
                if bw > 0:  # estimated change of the balance term
                    moved = float(problem.service_s[h]) + min(gain[h], 1e6)
                    add = float(problem.service_s[h]) + row[v]
                    base += bw * (
                        max(0.0, work_v[v] + add - target)
                        - max(0.0, work_v[v] - target)
                        + max(0.0, work_v[u] - moved - target)
                        - max(0.0, work_v[u] - target)
                    )
                if load[v] < problem.capacity[v]:
                    candidates.append((float(base), int(h), v, -1))
                    continue
                mem = np.flatnonzero((assign == v) & ~pinned & problem.eligible[:, u])
                if len(mem) == 0:
                    continue
                d2 = ins[mem, u] - gain[mem] - lang_cost[mem, v]
                k = int(np.argmin(d2))
                candidates.append((float(base + d2[k]), int(h), v, int(mem[k])))
        candidates = [c for c in candidates if c[0] < 0]
        candidates.sort()
        chosen: list[tuple[float, int, int, int]] = []
        busy: set[int] = set()
        for c in candidates:
            _, h, v, h2 = c
            u = int(assign[h])
            key = (h, v, h2)
            if u in busy or v in busy or tried.get(key) == (version[u], version[v]):
                continue
            tried[key] = (int(version[u]), int(version[v]))
            chosen.append(c)
            busy |= {u, v}
            if len(chosen) >= min(batch, moves - stats["tried"]):
                break
        if not chosen:
            break
        # safety net: keep the round inside the time left (each move re-plans two
        # volunteers); only then does the plan depend on the machine's speed
        left = deadline - time.monotonic()
        fit = int(left * workers / max(1e-3, 2 * sub_seconds))
        if fit < 1:
            break
        if fit < len(chosen):
            stats["cut_by_time"] = 1
            chosen = chosen[:fit]
        report(
            f"improving: round {rnd + 1}, trying {len(chosen)} moves",
            0.6 + 0.35 * min(1.0, stats["tried"] / max(1, moves)),
        )
        trial = []
        subs = []
        for _, h, v, h2 in chosen:
            u = int(assign[h])
            mu = [int(x) for x in np.flatnonzero(assign == u) if x != h] + ([h2] if h2 >= 0 else [])
            mv = [int(x) for x in np.flatnonzero(assign == v) if x != h2] + [h]
            trial.append((h, u, v, h2, mu, mv))
            subs.append(_make_sub(problem, u, mu, solutions=solutions, time_limit_s=time_limit_s))
            subs.append(_make_sub(problem, v, mv, solutions=solutions, time_limit_s=time_limit_s))
        t_round = time.monotonic()
        out = list(pool.map(_route_volunteer, subs))
        sub_seconds = (time.monotonic() - t_round) * workers / len(subs)
        stats["tried"] += len(chosen)
        for i, (h, u, v, h2, mu, mv) in enumerate(trial):
            ru, rv = out[2 * i], out[2 * i + 1]
            before = (
                cost_of(u, results[u], np.flatnonzero(assign == u))
                + cost_of(v, results[v], np.flatnonzero(assign == v))
                + _balance(problem, {u: results[u], v: results[v]}, target)
            )
            after = (
                cost_of(u, ru, mu) + cost_of(v, rv, mv) + _balance(problem, {u: ru, v: rv}, target)
            )
            if after < before:
                assign[h] = v
                if h2 >= 0:
                    assign[h2] = u
                results[u], results[v] = ru, rv
                version[u] += 1
                version[v] += 1
                stats["accepted"] += 1
    return assign, results, stats


def solve_problem(
    problem: Problem, *, progress: Callable[[str, float], None] | None = None
) -> Plan:
    """Plan a week for ``problem`` in three steps (assign, route, improve).

    Stops reproducibly when the per-volunteer solution limits and the improvement's
    move budget (``planner.improve_moves``, or two moves per volunteer) are used up;
    ``planner.time_limit_s`` (wall clock) is a safety net, and ``stats`` says when it
    cut the search short (``hit_time_limit``, ``improve["cut_by_time"]``).

    Parameters
    ----------
    problem
        Built by :func:`routeplan.planner.build_problem`.
    progress
        Optional ``progress(message, fraction)`` callback.

    Returns
    -------
    Plan
        Without ``changes`` and ``week_start`` (:func:`routeplan.planner.plan` adds them).

    """
    t0 = time.monotonic()
    ps = problem.settings.planner
    deadline = t0 + ps.time_limit_s

    def report(message: str, fraction: float) -> None:
        if progress is not None:
            progress(message, fraction)

    report("assigning households to volunteers", 0.0)
    assign, arcs = _assign(problem)
    t1 = time.monotonic()
    vols = [v for v in range(problem.n_volunteers) if (assign == v).any()]
    workers = min(_workers(ps.workers), max(1, len(vols) // 4))
    # Every sub-solve stops on its solution limit and the improvement loop on its move
    # budget, so the same inputs give the same plan; the time limits are a safety net.
    per_sub = max(1.0, 0.5 * ps.time_limit_s * workers / max(1, len(vols)))
    moves = ps.improve_moves if ps.improve_moves > 0 else _AUTO_MOVES_PER_VOLUNTEER * len(vols)
    report(f"planning the rounds of {len(vols)} volunteers ({workers} processes)", 0.1)
    pool: Executor
    pool = (
        ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context())
        if workers > 1
        else _Serial()
    )
    with pool:
        results = _route_all(
            problem, assign, vols, pool, solutions=ps.route_solutions, time_limit_s=per_sub
        )
        t2 = time.monotonic()
        report("giving priority households that did not fit to volunteers with time", 0.5)
        assign, results, rstats = _rescue_priority(
            problem,
            assign,
            arcs,
            results,
            pool,
            solutions=ps.route_solutions,
            time_limit_s=per_sub,
        )
        t2b = time.monotonic()
        report("improving: moving households between neighbouring volunteers", 0.6)
        # re-plans inside the loop explore fewer solutions: they only judge a move
        solutions = max(30, ps.route_solutions // 4)
        sub_seconds = (t2 - t1) * workers / max(1, len(vols)) * solutions / ps.route_solutions
        assign, results, istats = _improve(
            problem,
            assign,
            results,
            pool,
            deadline=deadline,
            rounds=ps.improve_rounds,
            moves=moves,
            solutions=solutions,
            time_limit_s=per_sub,
            batch=_BATCH,
            workers=workers,
            sub_seconds=sub_seconds,
            report=report,
        )
        # the loop's re-plans are quick ones: plan again, harder, every week that
        # still leaves a priority household out, and keep what is better
        polish = [
            v for v in sorted(results) if any(problem.priority[h] for h in results[v].dropped)
        ]
        subs = [
            _make_sub(
                problem,
                v,
                np.flatnonzero(assign == v),
                solutions=2 * ps.route_solutions,
                time_limit_s=per_sub,
            )
            for v in polish
        ]
        for v, r in zip(polish, pool.map(_route_volunteer, subs), strict=True):
            if r.cost < results[v].cost:
                results[v] = r
                istats["polished"] = istats.get("polished", 0) + 1
    t3 = time.monotonic()
    plan = _to_plan(problem, assign, results)
    plan.stats.update(
        {
            "time_s": {
                "assign": round(t1 - t0, 2),
                "route": round(t2 - t1, 2),
                "rescue": round(t2b - t2, 2),
                "improve": round(t3 - t2b, 2),
                "total": round(t3 - t0, 2),
            },
            "rescue": rstats,
            "improve": istats,
            "improve_moves": moves,
            "workers": workers,
            "route_solutions": ps.route_solutions,
            "hit_time_limit": t3 >= deadline,
        }
    )
    report("plan done", 1.0)
    log.info("planned %d visits in %.1f s", plan.visits, t3 - t0)
    return plan


def _to_plan(problem: Problem, assign: NDArray[np.int64], results: dict[int, _SubResult]) -> Plan:
    from . import Plan, Route, Stop, Unassigned

    H = problem.n_households
    hid = problem.household_ids
    routes: list[Route] = []
    rollover: list[Unassigned] = []
    for v in sorted(results):
        r = results[v]
        vid, t = problem.volunteer_ids[v], problem.travel_of(v)
        for shift, start, end, stops in r.rounds:
            day = problem.shifts[v][shift][0]
            base = day * 86400
            prev = H + v
            out: list[Stop] = []
            for k, (h, arrival) in enumerate(stops, start=1):
                out.append(
                    Stop(hid[h], k, arrival - base, int(problem.service_s[h]), int(t[prev, h]))
                )
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
        for h in r.dropped:
            if problem.hh_windows[h]:
                detail = problem.reason_text("rollover_window", hid=hid[h], vid=vid)
                rollover.append(Unassigned(hid[h], "window", detail))
            else:
                detail = problem.reason_text("rollover_time", hid=hid[h], vid=vid)
                rollover.append(Unassigned(hid[h], "time", detail))
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
    plan = Plan(
        routes=sorted(routes, key=lambda r: (r.volunteer_id, r.day, r.start_s)),
        assignment=assignment,
        unassigned=unassigned,
        rollover=sorted(rollover, key=lambda u: u.household_id),
    )
    plan.stats.update(
        {"travel_s": plan.travel_s, "workload_s": plan.workload_s(), "language_mismatch": mismatch}
    )
    return plan


def choose_sites(
    times: Any,
    weights: Sequence[int],
    k: int,
    *,
    existing: Sequence[int] = (),
    threshold_s: int,
    objective: str = "coverage",
    time_limit_s: float = 10.0,
    seed: int = 0,
) -> tuple[list[int], bool]:
    """Choose ``k`` new service points among candidate sites (used by ``coverage``).

    Parameters
    ----------
    times
        ``(households, sites)`` integer seconds from each household to each site
        (existing points and candidates), ``2**31 - 1`` where there is no route.
    weights
        Non-negative integer weight of each household (priority households count more).
    k
        How many new sites to open among the columns not in ``existing``.
    existing
        Columns of the service points that are already open.
    threshold_s
        A household is covered when its nearest open site is at most this far.
    objective
        ``"coverage"``: maximise the weight of covered households, then minimise the
        total travel time to the nearest open site (maximal covering). ``"median"``:
        minimise the weighted total travel time (p-median).
    time_limit_s
        Time limit of CP-SAT; the best solution found by then is returned.
    seed
        Random seed (one search worker, so the same inputs give the same answer).

    Returns
    -------
    tuple of (list of int, bool)
        The chosen candidate columns (sorted) and whether the choice is proven optimal.

    Raises
    ------
    InfeasibleError
        If the solver finds no solution at all.

    """
    import numpy as np
    from ortools.sat.python import cp_model

    from ..errors import InfeasibleError

    t = np.asarray(times, dtype=np.int64)
    w = np.asarray(weights, dtype=np.int64)
    n, m = t.shape
    if len(w) != n or (w < 0).any():
        raise ValueError("weights must be one non-negative integer per household")
    if objective not in ("coverage", "median"):
        raise ValueError("objective must be 'coverage' or 'median'")
    fixed = sorted({int(j) for j in existing})
    candidates = [j for j in range(m) if j not in set(fixed)]
    k = min(int(k), len(candidates))
    if k <= 0:
        return [], True
    unreachable = 2**31 - 1
    ok = t < unreachable
    # Beyond the nearest existing site nothing can be chosen: keep only the sites that
    # could serve a household better than what it already has.
    best_fixed = t[:, fixed].min(axis=1) if fixed else np.full(n, unreachable, np.int64)
    model = cp_model.CpModel()
    open_ = {j: model.new_bool_var(f"x{j}") for j in candidates}
    model.add(sum(open_.values()) == k)
    big = int(np.where(ok, t, 0).max(axis=1).sum()) + n + 1
    covered_terms: list[Any] = []
    time_terms: list[Any] = []
    for i in range(n):
        better = [j for j in candidates if ok[i, j] and t[i, j] < best_fixed[i]]
        if not better:
            continue
        choice = [model.new_bool_var(f"z{i}_{j}") for j in better]
        keep = model.new_bool_var(f"z{i}_fixed") if best_fixed[i] < unreachable else None
        if keep is not None:
            model.add_exactly_one([*choice, keep])
        else:
            model.add(sum(choice) <= 1)
        for j, z in zip(better, choice, strict=True):
            model.add_implication(z, open_[j])
            covered = t[i, j] <= threshold_s
            if objective == "coverage":
                if covered:
                    covered_terms.append(int(w[i]) * z)
                time_terms.append(int(t[i, j]) * z)
            else:
                time_terms.append(int(w[i] * t[i, j]) * z)
        if keep is not None:
            if objective == "coverage":
                if best_fixed[i] <= threshold_s:
                    covered_terms.append(int(w[i]) * keep)
                time_terms.append(int(best_fixed[i]) * keep)
            else:
                time_terms.append(int(w[i] * best_fixed[i]) * keep)
        else:
            # no existing site reaches it: not being assigned costs as if the
            # household were at the farthest reachable time (never preferred)
            worst = int(t[i, better].max()) + 1
            unassigned = 1 - sum(choice)
            time_terms.append((worst * (int(w[i]) if objective == "median" else 1)) * unassigned)
    if objective == "coverage":
        model.maximize(big * sum(covered_terms) - sum(time_terms))
    else:
        model.minimize(sum(time_terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = int(seed)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise InfeasibleError(
            f"no choice of {k} new service points found ({solver.status_name(status)})"
        )
    chosen = sorted(j for j, x in open_.items() if solver.boolean_value(x))
    return chosen, status == cp_model.OPTIMAL
