"""The planner's entry point :func:`plan`: build the problem, solve it, check the result.

(The module is not named ``plan``: a submodule of that name would shadow the function
as the attribute ``routeplan.planner.plan``, which ``routeplan.plan`` maps to.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypedDict

from ..config import Settings
from ..errors import RouteplanError
from .previous import changes_since
from .problem import MatrixLike, RoutingProblem, build_problem
from .result import Plan

__all__ = ["ProgressFn", "plan", "plan_whole", "replan"]

ProgressFn = Callable[[str, float], None]


class _Week(TypedDict):
    """What :func:`plan` passes on to the planner that plans the week."""

    settings: Settings | None
    previous: Mapping[str, str] | None
    week_start: dt.date | None
    progress: ProgressFn | None


def plan(
    households: Any,
    volunteers: Any,
    matrices: Mapping[str, MatrixLike],
    *,
    settings: Settings | None = None,
    previous: Mapping[str, str] | None = None,
    week_start: dt.date | None = None,
    progress: ProgressFn | None = None,
    fixed: Mapping[str, str] | None = None,
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
        Monday of the planned week: dates the rounds and the dusk of the daylight rule.
    progress
        Optional ``progress(message, fraction)`` callback.
    fixed
        Households locked to a volunteer (household id -> volunteer id), e.g. moved
        by hand in the app: the plan keeps each with its volunteer when that volunteer
        can serve it (see :func:`~routeplan.planner.build_problem`).

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

    week = _Week(settings=settings, previous=previous, week_start=week_start, progress=progress)
    if not fixed and wants_groups(households, matrices):  # locks: one problem
        return plan_in_groups(households, volunteers, matrices, **week)
    return plan_whole(households, volunteers, matrices, fixed=fixed, **week)


def plan_whole(
    households: Any,
    volunteers: Any,
    matrices: Mapping[str, MatrixLike],
    *,
    settings: Settings | None = None,
    previous: Mapping[str, str] | None = None,
    week_start: dt.date | None = None,
    progress: ProgressFn | None = None,
    fixed: Mapping[str, str] | None = None,
) -> Plan:
    """Plan a week as one problem (what :func:`plan` does for an area of usual size).

    Takes what :func:`plan` takes; every plan is checked against every hard rule.
    """
    import time

    from .solve import solve_problem

    started = time.time()  # planner.time_limit_s counts from here
    problem = _problem(households, volunteers, matrices, settings, previous, week_start, fixed)
    result = _dated(solve_problem(problem, progress=progress, started=started), problem, week_start)
    errors = problem.check(result)
    if errors:  # a solver bug, never the user's fault: say so loudly
        raise RouteplanError(
            "internal error: the plan breaks its own rules:\n  - " + "\n  - ".join(errors[:20])
        )
    return result


def replan(
    households: Any,
    volunteers: Any,
    matrices: Mapping[str, MatrixLike],
    base: Plan,
    *,
    settings: Settings | None = None,
    fixed: Mapping[str, str] | None = None,
    previous: Mapping[str, str] | None = None,
    progress: ProgressFn | None = None,
) -> Plan:
    """Re-plan the week of ``base`` after a few changes; re-route only what changed.

    Households stay with their volunteer of ``base`` unless that volunteer is gone
    (not in ``volunteers``, e.g. away this week), over a lowered capacity, or a lock in
    ``fixed`` moves them; those households go to the nearest volunteer with room, and
    only the volunteers whose households changed are routed again. If the kept rounds
    no longer fit the registers (they changed since ``base``), the week is planned in
    full with :func:`plan` instead (``stats["replan"]`` says which was done).

    Parameters
    ----------
    households, volunteers, matrices, settings
        As for :func:`plan`.
    base
        The plan to start from (the week's stored plan).
    fixed
        Locked households (household id -> volunteer id).
    previous
        The earlier week's assignment, for ``Plan.changes``.
    progress
        Optional ``progress(message, fraction)`` callback.

    """
    from .solve import replan_problem

    week = base.week_start
    problem = _problem(households, volunteers, matrices, settings, previous, week, fixed)
    result = replan_problem(problem, base, progress=progress)
    if problem.check(result):  # the kept rounds no longer fit: plan the week in full
        week_args = _Week(settings=settings, previous=previous, week_start=week, progress=progress)
        result = plan(households, volunteers, matrices, fixed=fixed, **week_args)
        result.stats["replan"] = "full"
        return result
    return _dated(result, problem, week)


def _problem(
    households: Any,
    volunteers: Any,
    matrices: Mapping[str, MatrixLike],
    settings: Settings | None,
    previous: Mapping[str, str] | None,
    week_start: dt.date | None,
    fixed: Mapping[str, str] | None,
) -> RoutingProblem:
    """Return the week's problem (:func:`build_problem`; default settings if ``None``)."""
    return build_problem(
        households,
        volunteers,
        matrices,
        settings=settings or Settings(),
        previous=previous,
        week_start=week_start,
        fixed=fixed,
    )


def _dated(result: Plan, problem: RoutingProblem, week_start: dt.date | None) -> Plan:
    """Return ``result`` with its week and its changes since last week's assignment."""
    result.week_start = week_start
    result.changes = changes_since(problem, result.assignment)
    return result
