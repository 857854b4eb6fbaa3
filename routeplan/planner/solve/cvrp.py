"""Generic routing entries, used by ``bench/`` and checked on the classic benchmarks.

:func:`solve_cvrp` solves a capacitated VRP with one depot, :func:`solve_vrptw` a VRP
with time windows; :class:`SearchOptions` says how long and how they search.
``bench/bench_solver.py`` measures them against best-known solutions and PyVRP.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from ortools.constraint_solver import pywrapcp

from ._search import int_matrix, run_search, search_parameters

__all__ = ["SearchOptions", "solve_cvrp", "solve_vrptw"]


@dataclass(frozen=True)
class SearchOptions:
    """How the benchmark entries search (:func:`solve_cvrp`, :func:`solve_vrptw`).

    Attributes
    ----------
    time_limit_s
        Wall-clock limit of the search.
    solution_limit
        Stop after this many solutions as well (deterministic stop).
    metaheuristic
        ``"ils"`` (iterated local search with SISR ruin-and-recreate and simulated
        annealing acceptance), ``"gls"`` (guided local search) or ``"greedy"``.
    first_solution
        Name of an OR-Tools ``FirstSolutionStrategy``; ``None`` for the entry's default
        (``SAVINGS`` for :func:`solve_cvrp`, ``PARALLEL_CHEAPEST_INSERTION`` for
        :func:`solve_vrptw`).
    seed
        Accepted for symmetry with other solvers; the OR-Tools routing search is
        deterministic for a given stop criterion, so it changes nothing.

    """

    time_limit_s: float
    solution_limit: int | None = None
    metaheuristic: str = "ils"
    first_solution: str | None = None
    seed: int = 0


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


def _solve_capacitated(
    routing: Any,
    manager: Any,
    dem: Any,
    capacity: int,
    num_vehicles: int,
    *,
    search: SearchOptions,
    first_solution: str,
) -> list[list[int]]:
    """Add the vehicles' load capacity, search, and return the routes.

    ``first_solution`` is the entry's default, used when ``search`` names none.

    Raises
    ------
    ValueError
        If OR-Tools finds no solution within the limits.

    """
    demand_cb = routing.RegisterUnaryTransitVector([0, *(int(x) for x in dem[1:])])
    routing.AddDimensionWithVehicleCapacity(
        demand_cb, 0, [int(capacity)] * num_vehicles, True, "load"
    )
    params = search_parameters(
        n_nodes=len(dem),
        time_limit_s=search.time_limit_s,
        solution_limit=search.solution_limit,
        first_solution=search.first_solution or first_solution,
        metaheuristic=search.metaheuristic,
    )
    solution = run_search(routing, params, search.metaheuristic)
    if solution is None:
        raise ValueError("OR-Tools found no solution within the limit")
    return _routes_from(routing, manager, solution, num_vehicles)


def solve_cvrp(
    distance: ArrayLike,
    demands: Sequence[int] | ArrayLike,
    capacity: int,
    *,
    num_vehicles: int,
    search: SearchOptions,
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
    search
        Time and solution limits, metaheuristic and first solution (default
        ``SAVINGS``).

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
    dist = np.asarray(distance, dtype=np.int64)
    dem = np.asarray(demands, dtype=np.int64)
    n = dist.shape[0]
    if dist.shape != (n, n) or dem.shape != (n,):
        raise ValueError("distance must be (n, n) and demands (n,)")
    if (dem[1:] > capacity).any():
        raise ValueError("a demand exceeds the vehicle capacity")
    manager = pywrapcp.RoutingIndexManager(n, num_vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    transit = routing.RegisterTransitMatrix(int_matrix(dist))
    routing.SetArcCostEvaluatorOfAllVehicles(transit)
    routes = _solve_capacitated(
        routing, manager, dem, capacity, num_vehicles, search=search, first_solution="SAVINGS"
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
    search: SearchOptions,
    scale: int = 1000,
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
    search
        Time and solution limits, metaheuristic and first solution (default
        ``PARALLEL_CHEAPEST_INSERTION``).
    scale
        Distances and times are multiplied by this and rounded to integers for OR-Tools.

    Returns
    -------
    routes
        Customer nodes per used vehicle, depot excluded.
    cost
        Total distance in the input's (unscaled) units.

    """
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
    cost_cb = routing.RegisterTransitMatrix(int_matrix(idist))
    routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)
    _add_time_windows(routing, manager, itime, tw, scale=scale, num_vehicles=num_vehicles)
    routes = _solve_capacitated(
        routing,
        manager,
        dem,
        capacity,
        num_vehicles,
        search=search,
        first_solution="PARALLEL_CHEAPEST_INSERTION",
    )
    cost = 0.0
    for r in routes:
        path = [0, *r, 0]
        cost += float(sum(dist[a, b] for a, b in itertools.pairwise(path)))
    return routes, cost


def _add_time_windows(
    routing: Any,
    manager: Any,
    itime: NDArray[np.int64],
    tw: NDArray[np.float64],
    *,
    scale: int,
    num_vehicles: int,
) -> None:
    """Add the "time" dimension: ``itime`` per arc, each node's window, the depot's horizon."""
    time_cb = routing.RegisterTransitMatrix(int_matrix(itime))
    horizon = math.ceil(tw[0, 1] * scale)
    routing.AddDimension(time_cb, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for node in range(1, len(itime)):
        idx = manager.NodeToIndex(node)
        time_dim.CumulVar(idx).SetRange(
            math.ceil(tw[node, 0] * scale), math.floor(tw[node, 1] * scale)
        )
    for v in range(num_vehicles):
        time_dim.CumulVar(routing.Start(v)).SetRange(int(tw[0, 0] * scale), horizon)
        time_dim.CumulVar(routing.End(v)).SetRange(int(tw[0, 0] * scale), horizon)
