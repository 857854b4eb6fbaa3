"""What every routing-library search here shares: its parameters and how it is run.

OR-Tools configuration: the routing library's best results on the classic benchmarks
come from a savings or cheapest-insertion first solution improved by iterated local
search with SISR ruin-and-recreate (Christiaens and Vanden Berghe, 2020) and simulated
annealing acceptance, with the local-search neighbourhoods restricted to each node's
nearest neighbours on large instances; matrices are handed over as C++ tables
(``RegisterTransitMatrix``), never as Python callbacks.
"""

from __future__ import annotations

from typing import Any

from numpy.typing import NDArray
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

__all__ = ["int_matrix", "run_search", "search_parameters"]

_FIRST = routing_enums_pb2.FirstSolutionStrategy
_META = routing_enums_pb2.LocalSearchMetaheuristic


def search_parameters(
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


def run_search(routing: Any, params: Any, metaheuristic: str) -> Any:
    """Run the search; iterated local search has its own entry point in OR-Tools."""
    if metaheuristic == "ils":
        return routing.SolveWithIteratedLocalSearch(params)
    return routing.SolveWithParameters(params)


def int_matrix(values: NDArray[Any]) -> list[list[int]]:
    """Return ``values`` as nested lists of Python ints (what ``RegisterTransitMatrix`` takes)."""
    return [[int(x) for x in row] for row in values]
