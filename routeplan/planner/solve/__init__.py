"""Solve routing problems with OR-Tools: the only package that imports ``ortools``.

Two layers live here:

* generic entries used by ``bench/``: :func:`solve_cvrp` (capacitated VRP, one depot)
  and :func:`solve_vrptw` (VRP with time windows), searching as
  :class:`SearchOptions` says (:mod:`.cvrp`);
* the planner's three steps (see :func:`solve_problem`, :mod:`.steps`): (1) give
  households to volunteers by a min-cost flow (the "1+20" capacity, skills, language,
  stability and priority all become arc costs and arc bounds of one exact network
  problem; :mod:`.assign`), (2) plan each volunteer's week as a small multi-day routing
  problem (vehicles = the volunteer's shifts; :mod:`.route`), then give priority
  households that did not fit to volunteers with room (the flow again, with learnt
  limits; :mod:`.rescue`) and (3) move households between neighbouring volunteers when
  the re-planned rounds cost less (:mod:`.improve`). Every step stops on a count
  (solutions, moves), so the same inputs give the same plan; the time limit is a
  safety net.

Also :func:`choose_sites` (:mod:`.sites`): where to open new service points, with
CP-SAT, for :mod:`routeplan.coverage`.

The routing searches share their configuration (:mod:`._search`);
``bench/bench_solver.py`` measures it.
"""

from __future__ import annotations

from .cvrp import SearchOptions, solve_cvrp, solve_vrptw
from .replan import replan_problem
from .sites import choose_sites
from .steps import solve_problem

__all__ = [
    "SearchOptions",
    "choose_sites",
    "replan_problem",
    "solve_cvrp",
    "solve_problem",
    "solve_vrptw",
]
