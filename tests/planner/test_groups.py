"""Households given to groups: capacity, skills and hours, so that groups can serve them."""

from __future__ import annotations

import types

import numpy as np
import pytest
from helpers_decompose import demo_part

from routeplan.planner.decompose import make_groups, plan_in_groups
from routeplan.planner.planning import plan_whole

SKILL = "digital_signature"


@pytest.fixture(scope="module")
def part() -> types.SimpleNamespace:
    return demo_part()


def _group_of(part: types.SimpleNamespace, groups: object, vid: str) -> int:
    row = list(part.volunteers["volunteer_id"]).index(vid)
    return int(groups.volunteer_group[row])  # type: ignore[attr-defined]


def test_households_needing_a_skill_go_to_the_group_of_a_volunteer_who_has_it(
    part: types.SimpleNamespace,
) -> None:
    skilled = [
        str(v)
        for v, s in zip(part.volunteers["volunteer_id"], part.volunteers["skills"], strict=True)
        if SKILL in s
    ]
    assert len(skilled) == 1  # the demo's eastern part: one volunteer signs digitally
    needing = [h for h, svc in enumerate(part.households["services"]) if SKILL in svc]
    groups = make_groups(part.households, part.volunteers, per_group=3, settings=part.settings)
    own = _group_of(part, groups, skilled[0])
    nearest_elsewhere = [h for h in needing if groups.household_group[h] != own]
    assert len(needing) >= 5
    assert nearest_elsewhere == []
    # and no group has more households than its volunteers can take
    load = np.bincount(groups.household_group, minlength=groups.n_groups)
    caps = np.bincount(groups.volunteer_group, weights=part.volunteers["capacity"])
    assert (load <= caps).all()


def test_planning_in_groups_leaves_out_no_household_the_whole_area_can_serve(
    part: types.SimpleNamespace,
) -> None:
    groups = make_groups(part.households, part.volunteers, per_group=3, settings=part.settings)
    result = plan_in_groups(
        part.households, part.volunteers, part.matrices, settings=part.settings, groups=groups
    )
    whole = plan_whole(part.households, part.volunteers, part.matrices, settings=part.settings)
    assert len(whole.unassigned) == 0  # 160 households, 180 places: the whole area serves all
    # before, the households needing a digital signature in groups without the one
    # volunteer who can were left out: "no volunteer has the skill digital_signature"
    assert [(u.household_id, u.reason) for u in result.unassigned] == []
    served = set(result.assignment) | {u.household_id for u in result.unassigned}
    assert served == set(part.households["household_id"])


def test_a_crowd_around_one_home_fills_every_group_even_the_farthest() -> None:
    """More groups than a household's nearest few: full groups pass households on."""
    crowd = demo_part(n_volunteers=12, n_households=180, around=0)
    vol = crowd.volunteers.assign(capacity=15)  # 12 x 15 = 180 places for 180 households
    groups = make_groups(crowd.households, vol, per_group=1, settings=crowd.settings)
    load = np.bincount(groups.household_group, minlength=groups.n_groups)
    assert groups.n_groups == 12
    # before, the groups beyond each household's 8 nearest got none: 30 households were
    # left in full groups
    assert load.tolist() == [15] * 12
