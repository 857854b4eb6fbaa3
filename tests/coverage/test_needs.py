"""Volunteers needed: by the 1+20 rule, by workload (estimated or from a plan), unreachable."""

from __future__ import annotations

import pytest

from routeplan import coverage as cv
from routeplan.config import CoverageSettings, Settings


def test_volunteers_by_rule_and_unreachable_households(report) -> None:
    need = report.need
    assert need.by_rule == 2  # ceil(3 / 20) per hamlet, two hamlets
    assert need.volunteers == 2
    # V1 (motorbike, km 5) reaches H5 (km 85) in 80 min > 60; H6 has no route at all
    assert sorted(need.unreachable["household_id"]) == ["H5", "H6"]
    h5 = need.unreachable.set_index("household_id").loc["H5"]
    assert h5["best_min"] == pytest.approx(80) and h5["volunteer_id"] == "V1"


def test_workload_follows_the_terrain(households, points, matrices, volunteers) -> None:
    easy = cv.assess(households, points, matrices, volunteers=volunteers).need
    slow = Settings(coverage=CoverageSettings(volunteer_hours=0.5))
    hard = cv.assess(households, points, matrices, volunteers=volunteers, settings=slow).need
    assert easy.source == "estimate" and easy.workload_h > 6 * 20 / 60  # service + travel
    assert hard.by_workload > easy.by_workload


def test_workload_from_a_plan(households, points, matrices, volunteers) -> None:
    from routeplan.planner import Plan, Route, Stop

    stops = (Stop("H1", 1, 0, 1200, 600), Stop("H2", 2, 0, 1200, 600))
    plan = Plan(
        routes=[Route("V1", 0, "motorbike", 0, 0, stops, 1800, 2400)],
        assignment={"H1": "V1", "H2": "V1"},
    )
    need = cv.assess(
        households, points, matrices, volunteers=volunteers, options=cv.CoverageOptions(plan=plan)
    ).need
    alpha = need.per_hamlet.set_index("village").loc["Alpha", "workload_h"]
    estimate = cv.assess(households, points, matrices, volunteers=volunteers).need
    h3 = estimate.per_hamlet.set_index("village").loc["Alpha", "workload_h"]
    assert need.source == "plan"
    # H1 + H2 from the plan (1,200 s service + 600 s travel each + 600 s home) + H3 estimated
    assert alpha > (2 * 1800 + 600) / 3600 and alpha < h3 + (2 * 1800 + 600) / 3600
