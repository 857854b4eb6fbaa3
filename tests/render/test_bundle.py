"""The plan joined with its registers, checked once for every writer."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from shapely.geometry import Point

from routeplan.errors import InputDataError
from routeplan.render import PlanBundle, Visit, bundle


def _bundle(p: Any, **changes: Any) -> PlanBundle:
    parts = {**vars(p), **changes}
    return bundle(
        parts["plan"],
        parts["households"],
        parts["volunteers"],
        service_points=parts["service_points"],
        matrices=parts["matrices"],
    )


def test_joins_the_plan_with_the_registers(small_plan: Any) -> None:
    p = small_plan
    b = _bundle(p)
    assert list(b.households) == list(p.households.household_id)
    assert list(b.volunteers) == ["TN-01", "TN-02", "TN-03"]
    assert [(r.volunteer_id, r.day) for r in b.routes] == [
        ("TN-01", 0),
        ("TN-01", 2),
        ("TN-02", 1),
        ("TN-02", 3),
    ]
    first = b.routes[0]
    assert b.visits["HB-0003"] == Visit(first, 3, first.stops[2].arrival_s)
    assert set(b.rollover) == {"HB-0012"} and set(b.unassigned) == {"HB-0013"}
    assert b.xy["HB-0001"] == (p.households.geometry[0].x, p.households.geometry[0].y)
    assert [r.day for r in b.routes_of("TN-02")] == [1, 3]
    assert b.routes_of("TN-03") == []
    assert b.services("HB-0002") == ["Hồ sơ trợ cấp xã hội", "Bảo hiểm y tế"]
    assert str(b.date(2)) == "2025-05-14"
    assert [r["point_id"] for r in b.service_points] == ["SP-01"]
    assert b.language == "vi"


def test_rounds_are_drawn_from_home_and_back(small_plan: Any) -> None:
    p = small_plan
    route = _bundle(p).routes[0]
    home = _bundle(p).home("TN-01")
    along = _bundle(p).line(route)
    assert along[0] == home and along[-1] == home
    assert len(along) > len(route.stops) + 2  # along the roads
    straight = _bundle(p, matrices={}).line(route)
    assert len(straight) == len(route.stops) + 2
    legs = _bundle(p, matrices={}).legs(route)
    assert len(legs) == len(route.stops) + 1


def test_a_volunteer_without_a_home_gets_straight_lines(small_plan: Any) -> None:
    p = small_plan
    volunteers = p.volunteers.copy()
    volunteers.loc[0, "geometry"] = Point()
    b = _bundle(p, volunteers=volunteers)
    route = b.routes[0]
    assert b.home("TN-01") is None
    assert b.line(route) == [b.xy[s.household_id] for s in route.stops]
    assert len(b.legs(route)) == len(route.stops) - 1


def test_without_service_points(small_plan: Any) -> None:
    assert _bundle(small_plan, service_points=None).service_points == ()


@pytest.mark.parametrize(
    "where",
    ["stops", "assignment", "rollover", "unassigned"],
)
def test_every_household_the_plan_names_must_be_registered(small_plan: Any, where: str) -> None:
    p = small_plan
    hid = {"stops": "HB-0002", "assignment": "HB-0002", "rollover": "HB-0012"}.get(where, "HB-0013")
    if where == "assignment":  # only in the assignment: drop it from the round too
        routes = [
            dataclasses.replace(r, stops=tuple(s for s in r.stops if s.household_id != hid))
            for r in p.plan.routes
        ]
        plan = dataclasses.replace(p.plan, routes=routes)
    else:
        plan = p.plan
    households = p.households[p.households.household_id != hid]
    with pytest.raises(InputDataError) as err:
        _bundle(p, plan=plan, households=households)
    assert [e.message for e in err.value.errors] == [
        f"household {hid!r} is in the plan but not in the households"
    ]
    assert err.value.errors[0].fix == "pass the households the plan was made from"
    assert err.value.subject == "plan"


def test_every_missing_name_is_listed(small_plan: Any) -> None:
    p = small_plan
    plan = dataclasses.replace(
        p.plan, assignment={**p.plan.assignment, "HB-9999": "TN-09", "HB-0001": "TN-08"}
    )
    with pytest.raises(InputDataError) as err:
        _bundle(p, plan=plan, households=p.households.iloc[1:], volunteers=p.volunteers.iloc[1:])
    assert [e.message for e in err.value.errors] == [
        "household 'HB-0001' is in the plan but not in the households",
        "household 'HB-9999' is in the plan but not in the households",
        "volunteer 'TN-01' is in the plan but not in the volunteers",
        "volunteer 'TN-08' is in the plan but not in the volunteers",
        "volunteer 'TN-09' is in the plan but not in the volunteers",
    ]
