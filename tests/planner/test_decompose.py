"""A large area planned in groups: groups, their plans, the border step, the dispatch."""

from __future__ import annotations

import types
from typing import Any

import numpy as np
import pytest
from helpers_decompose import demo_part

import routeplan
from routeplan.planner import build_problem
from routeplan.planner import decompose as dec
from routeplan.planner import groups as groups_module
from routeplan.planner.decompose import Groups, make_groups, plan_in_groups


@pytest.fixture(scope="module")
def part() -> types.SimpleNamespace:
    return demo_part()


def _whole_check(part: types.SimpleNamespace, result: Any, volunteers: Any = None) -> list[str]:
    """Every hard rule of the whole area's problem, held against the merged plan."""
    vol = part.volunteers if volunteers is None else volunteers
    problem = build_problem(part.households, vol, part.matrices, settings=part.settings)
    return problem.check(result)


def test_groups_are_small_compact_and_within_their_volunteers_capacity(
    part: types.SimpleNamespace,
) -> None:
    groups = make_groups(part.households, part.volunteers, per_group=3)
    sizes = np.bincount(groups.volunteer_group)
    assert groups.n_groups == 3
    assert sizes.max() <= 3
    # every household is in exactly one group, and no group has more than its volunteers take
    load = np.bincount(groups.household_group, minlength=groups.n_groups)
    assert load.sum() == len(part.households)
    caps = np.bincount(groups.volunteer_group, weights=part.volunteers["capacity"])
    assert (load <= caps).all()
    # compact: the homes of a group are nearer each other than to the other groups' homes
    x = part.volunteers.geometry.x.to_numpy()
    spans = [np.ptp(x[groups.volunteers_of(g)]) for g in range(groups.n_groups)]
    assert max(spans) < np.ptp(x)


def test_a_household_stays_in_the_group_of_last_weeks_volunteer(
    part: types.SimpleNamespace,
) -> None:
    groups = make_groups(part.households, part.volunteers, per_group=3)
    hid = str(part.households["household_id"].iloc[0])
    own = int(groups.household_group[0])
    other = next(g for g in range(groups.n_groups) if g != own)
    vid = str(part.volunteers["volunteer_id"].iloc[int(groups.volunteers_of(other)[0])])
    again = make_groups(part.households, part.volunteers, per_group=3, previous={hid: vid})
    assert int(again.household_group[0]) == other


def test_the_merged_plan_keeps_every_rule_of_the_whole_area(part: types.SimpleNamespace) -> None:
    groups = make_groups(part.households, part.volunteers, per_group=3)
    result = plan_in_groups(
        part.households, part.volunteers, part.matrices, settings=part.settings, groups=groups
    )
    assert _whole_check(part, result) == []
    served = set(result.assignment) | {u.household_id for u in result.unassigned}
    assert served == set(part.households["household_id"])  # nobody dropped, nobody twice
    assert result.stats["groups"] == 3
    # each volunteer only visits households of their own group (or moved to it at the border)
    vgroup = dict(zip(part.volunteers["volunteer_id"], groups.volunteer_group, strict=True))
    hrow = {h: i for i, h in enumerate(part.households["household_id"])}
    for hid, vid in result.assignment.items():
        h = hrow[hid]
        assert vgroup[vid] == groups.household_group[h] or vgroup[vid] in groups.borders[h]


def test_households_a_full_group_cannot_take_go_across_the_border(
    part: types.SimpleNamespace,
) -> None:
    groups = make_groups(part.households, part.volunteers, per_group=3)
    full = int(np.argmax(np.bincount(groups.household_group)))
    vol = part.volunteers.copy()
    vol.loc[groups.volunteers_of(full), "capacity"] = 10  # room for 30 of its households
    others = [g for g in range(groups.n_groups) if g != full]
    borders = tuple(
        tuple(others) if g == full else () for g in groups.household_group.tolist()
    )  # every household of the full group borders the others
    groups = Groups(groups.volunteer_group, groups.household_group, borders)
    result = plan_in_groups(
        part.households, vol, part.matrices, settings=part.settings, groups=groups
    )
    assert _whole_check(part, result, vol) == []
    assert result.stats["border"]["moved"] > 0
    vgroup = dict(zip(vol["volunteer_id"], groups.volunteer_group, strict=True))
    moved = [
        hid
        for h, hid in enumerate(part.households["household_id"])
        if groups.household_group[h] == full
        and hid in result.assignment
        and vgroup[result.assignment[hid]] != full
    ]
    assert len(moved) == result.stats["border"]["moved"]


def test_plan_dispatches_a_large_area_to_the_groups(
    part: types.SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dec, "DECOMPOSE_ABOVE", 100)
    monkeypatch.setattr(groups_module, "GROUP_VOLUNTEERS", 4)
    result = routeplan.plan(part.households, part.volunteers, part.matrices, settings=part.settings)
    assert result.stats["groups"] == 3
    assert _whole_check(part, result) == []
    assert result.visits > 0.8 * len(part.households)


def test_groups_planned_two_at_a_time_give_the_same_plan(part: types.SimpleNamespace) -> None:
    import dataclasses

    groups = make_groups(part.households, part.volunteers, per_group=3)
    plans = []
    for workers in (1, 2):  # one group after the other, or two forked processes
        settings = dataclasses.replace(
            part.settings, planner=dataclasses.replace(part.settings.planner, workers=workers)
        )
        plans.append(
            plan_in_groups(
                part.households, part.volunteers, part.matrices, settings=settings, groups=groups
            )
        )
    assert plans[0].assignment == plans[1].assignment
    assert plans[0].stops_frame().equals(plans[1].stops_frame())
    assert plans[0].stats["border"] == plans[1].stats["border"]
