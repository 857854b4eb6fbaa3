"""The volunteers' digests: what decides whose files a re-plan writes again."""

from __future__ import annotations

import dataclasses
from typing import Any

from routeplan.render import bundle
from routeplan.render.digest import volunteer_digests


def _digests(ns: Any, *, households: Any = None, plan: Any = None) -> dict[str, str]:
    checked = bundle(
        plan or ns.plan,
        ns.households if households is None else households,
        ns.volunteers,
        service_points=ns.service_points,
        matrices=ns.matrices,
    )
    return volunteer_digests(checked, shared="network x")


def test_a_corrected_name_changes_only_its_volunteers_files(small_plan: Any) -> None:
    before = _digests(small_plan)
    assert _digests(small_plan) == before  # the same plan: nothing to write again
    hid = small_plan.plan.routes[2].stops[0].household_id  # one of TN-02's households
    fixed = small_plan.households.copy()
    fixed.loc[fixed.household_id == hid, "head_name"] = "Nguyễn Thị Ánh (sửa)"
    after = _digests(small_plan, households=fixed)
    assert {v for v in before if before[v] != after[v]} == {"TN-02"}


def test_a_household_nobody_visits_changes_no_volunteers_files(small_plan: Any) -> None:
    nobody = small_plan.plan.unassigned[0].household_id
    fixed = small_plan.households.copy()
    fixed.loc[fixed.household_id == nobody, "notes"] = "đã chuyển đi"
    assert _digests(small_plan, households=fixed) == _digests(small_plan)


def test_a_round_moved_to_another_day_changes_its_volunteers_files(small_plan: Any) -> None:
    routes = list(small_plan.plan.routes)
    routes[0] = dataclasses.replace(routes[0], day=4)  # TN-01's Monday round on Friday
    moved = dataclasses.replace(small_plan.plan, routes=routes)
    before, after = _digests(small_plan), _digests(small_plan, plan=moved)
    assert {v for v in before if before[v] != after[v]} == {"TN-01"}
