"""Plan a week of visits: the problem, its result, and the entry point :func:`plan`.

:func:`plan` builds a :class:`RoutingProblem` from the registers and the travel matrices
(who may serve whom and why not, each volunteer's shifts, travel times between
households and homes), hands it to :mod:`routeplan.planner.solve` and checks the result
against every hard rule before returning it (:meth:`RoutingProblem.check`).

Submodules:

* :mod:`~routeplan.planner.result`: the result, :class:`Plan` with its :class:`Route`,
  :class:`Stop`, :class:`Unassigned` and :class:`Change` parts, summary and tables;
* :mod:`~routeplan.planner.problem`: the solver-independent :class:`RoutingProblem` and
  :func:`build_problem`;
* :mod:`~routeplan.planner.check`: the hard rules every plan must keep;
* :mod:`~routeplan.planner.previous`: :func:`read_previous` and the changes since the
  previous plan;
* :mod:`~routeplan.planner.planning`: :func:`plan` and :func:`replan` (after a few
  changes, re-routing only the volunteers they touch);
* :mod:`~routeplan.planner.solve`: the solver (OR-Tools; the only code importing it,
  imported when :func:`plan` first runs).
"""

from __future__ import annotations

from .planning import plan, replan
from .previous import read_previous
from .problem import UNREACHABLE, RoutingProblem, build_problem
from .result import DAY_NAMES, Change, Flag, Plan, Route, Stop, Unassigned

__all__ = [
    "DAY_NAMES",
    "UNREACHABLE",
    "Change",
    "Flag",
    "Plan",
    "Route",
    "RoutingProblem",
    "Stop",
    "Unassigned",
    "build_problem",
    "plan",
    "read_previous",
    "replan",
]
