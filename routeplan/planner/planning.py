"""The planner's entry point :func:`plan`: build the problem, solve it, check the result.

(The module is not named ``plan``: a submodule of that name would shadow the function
as the attribute ``routeplan.planner.plan``, which ``routeplan.plan`` maps to.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from ..config import Settings
from ..errors import RouteplanError
from .previous import changes_since
from .problem import MatrixLike, build_problem
from .result import Plan

__all__ = ["ProgressFn", "plan", "plan_whole"]

ProgressFn = Callable[[str, float], None]


def plan(
    households: Any,
    volunteers: Any,
    matrices: Mapping[str, MatrixLike],
    *,
    settings: Settings | None = None,
    previous: Mapping[str, str] | None = None,
    week_start: dt.date | None = None,
    progress: ProgressFn | None = None,
) -> Plan:
    """Plan a week of visits: who looks after whom, and each volunteer's day rounds.

    Parameters
    ----------
    households, volunteers
        Registers as read by :func:`routeplan.read_households` and
        :func:`routeplan.read_volunteers`.
    matrices
        :class:`~routeplan.matrix.TravelMatrix` per mode (``"motorbike"``,
        ``"walking"``) over the households and homes (``home:<volunteer_id>``).
    settings
        Settings (``settings.planner`` and ``settings.services`` matter here).
    previous
        Last week's assignment (household id -> volunteer id): households stay with
        their volunteer unless that has become impossible; every change is reported
        in ``Plan.changes`` with its reason.
    week_start
        Monday of the planned week (only used to date the rounds).
    progress
        Optional ``progress(message, fraction)`` callback.

    Returns
    -------
    Plan
        The plan; households not served are in ``unassigned`` / ``rollover`` with reasons.

    Raises
    ------
    InfeasibleError
        If there is nothing to plan with (no volunteers).
    InputDataError
        If the inputs do not fit together (see :func:`build_problem`).

    Notes
    -----
    A large register (over ``DECOMPOSE_ABOVE`` households, or matrices in blocks) is
    planned in groups of nearby volunteers, then across the groups' borders
    (:mod:`routeplan.planner.decompose`).

    """
    from .decompose import plan_in_groups, wants_groups

    if wants_groups(households, matrices):
        return plan_in_groups(
            households,
            volunteers,
            matrices,
            settings=settings,
            previous=previous,
            week_start=week_start,
            progress=progress,
        )
    return plan_whole(
        households,
        volunteers,
        matrices,
        settings=settings,
        previous=previous,
        week_start=week_start,
        progress=progress,
    )


def plan_whole(
    households: Any,
    volunteers: Any,
    matrices: Mapping[str, MatrixLike],
    *,
    settings: Settings | None = None,
    previous: Mapping[str, str] | None = None,
    week_start: dt.date | None = None,
    progress: ProgressFn | None = None,
) -> Plan:
    """Plan a week as one problem (what :func:`plan` does for an area of usual size)."""
    from .solve import solve_problem

    settings = settings or Settings()
    problem = build_problem(households, volunteers, matrices, settings=settings, previous=previous)
    result = solve_problem(problem, progress=progress)
    result.week_start = week_start
    result.changes = changes_since(problem, result.assignment)
    errors = problem.check(result)
    if errors:  # a solver bug, never the user's fault: say so loudly
        raise RouteplanError(
            "internal error: the plan breaks its own rules:\n  - " + "\n  - ".join(errors[:20])
        )
    return result
