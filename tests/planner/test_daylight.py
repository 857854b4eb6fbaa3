"""The daylight rule on a real matrix: a round using a trip on an unpaved way is home by dusk.

The hand-made network (``helpers_matrix.track_shortcut``) is a paved square whose south
side is a track: from the volunteer's home near its west end to P1 on the paved east
side the track is the fastest way, to P2 on the paved west side it is not. P1 and P2
are both on paved ways, so neither needs daylight by itself (the rule before trips
were flagged); only the trip to P1 passes along the track.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import geopandas as gpd
from helpers_matrix import SETTINGS, at, track_shortcut
from shapely.geometry import Point

from routeplan.config import PlannerSettings, Settings
from routeplan.matrix import TravelMatrix, build_matrix, points_frame
from routeplan.planner import Plan, build_problem, plan

WEEK = dt.date(2026, 12, 7)  # a Monday in December; Da Nang (the helpers' origin)
MON = 0
HOUSES = {"P1": (1020.0, 500.0), "P2": (-20.0, 950.0)}


def _registers(houses: dict[str, tuple[float, float]], shift: tuple[int, int, int]) -> Any:
    households = gpd.GeoDataFrame(
        {
            "household_id": list(houses),
            "services": [("vneid",)] * len(houses),
            "priority": [False] * len(houses),
            "language": [""] * len(houses),
            "windows": [()] * len(houses),
            "remote": [False] * len(houses),
        },
        geometry=[Point(*at(*xy)) for xy in houses.values()],
        crs="EPSG:4326",
    )
    volunteers = gpd.GeoDataFrame(
        {
            "volunteer_id": ["A"],
            "capacity": [20],
            "windows": [(shift,)],
            "mode": ["motorbike"],
            "skills": [frozenset()],
            "languages": [frozenset()],
        },
        geometry=[Point(*at(-20.0, 30.0))],
        crs="EPSG:4326",
    )
    return households, volunteers


def _case(
    houses: dict[str, tuple[float, float]], shift: tuple[int, int, int]
) -> tuple[Any, Any, dict[str, TravelMatrix]]:
    households, volunteers = _registers(houses, shift)
    frame = points_frame(households, volunteers)
    m = build_matrix(track_shortcut().network(), frame, mode="motorbike", settings=SETTINGS)
    return households, volunteers, {"motorbike": m}


def _settings() -> Settings:
    return Settings(planner=PlannerSettings(workers=1, route_solutions=50, time_limit_s=60.0))


def _without_trip_flags(mats: dict[str, TravelMatrix]) -> dict[str, TravelMatrix]:
    """The same matrices as the planner saw them before trips were flagged."""
    return {k: dataclasses.replace(m, unpaved=None) for k, m in mats.items()}


def _round_of(p: Plan, hid: str) -> Any:
    (r,) = [r for r in p.routes if any(s.household_id == hid for s in r.stops)]
    return r


EVENING = (MON, 17 * 60, 19 * 60 + 30)  # across dusk (about 17:39)


def test_a_round_passing_along_a_track_is_home_by_dusk_and_the_old_rule_was_not() -> None:
    households, volunteers, mats = _case({"P1": HOUSES["P1"]}, EVENING)
    m = mats["motorbike"]
    assert m.unpaved is not None and m.unpaved[m.index("A"), m.index("P1")]
    assert not m.snaps.loc["P1", "unpaved"]  # P1 itself is on a paved way
    new = plan(households, volunteers, mats, settings=_settings(), week_start=WEEK)
    dusk = new.stats["dusk_s"][MON]
    assert 17 * 3600 + 20 * 60 < dusk < 17 * 3600 + 50 * 60
    assert _round_of(new, "P1").end_s <= dusk
    # the rule per household alone let the volunteer leave as late as the shift allows,
    # riding the track back in the dark
    old = plan(
        households, volunteers, _without_trip_flags(mats), settings=_settings(), week_start=WEEK
    )
    assert _round_of(old, "P1").end_s > dusk
    # and the plan check, reading the same per-trip flags, refuses that plan
    problem = build_problem(households, volunteers, mats, settings=_settings(), week_start=WEEK)
    errors = problem.check(old)
    assert any("unpaved way" in e and "after dusk" in e for e in errors), errors
    assert problem.check(new) == []


def test_a_round_after_dusk_keeps_to_paved_trips_and_a_track_only_visit_rolls_over() -> None:
    night = (MON, 18 * 60, 20 * 60)  # all after dusk
    households, volunteers, mats = _case(HOUSES, night)
    p = plan(households, volunteers, mats, settings=_settings(), week_start=WEEK)
    # P2 is reached on paved ways: visited after dusk; the trips between home and P1 are
    # fastest along the track, so P1 waits for a daytime round
    assert [s.household_id for r in p.routes for s in r.stops] == ["P2"]
    assert [(u.household_id, u.reason) for u in p.rollover] == [("P1", "daylight")]
    old = plan(
        households, volunteers, _without_trip_flags(mats), settings=_settings(), week_start=WEEK
    )
    assert sorted(s.household_id for r in old.routes for s in r.stops) == ["P1", "P2"]


def test_without_the_daylight_rule_trips_are_not_held_to_dusk() -> None:
    households, volunteers, mats = _case({"P1": HOUSES["P1"]}, EVENING)
    settings = Settings(planner=PlannerSettings(workers=1, route_solutions=50, daylight=False))
    p = plan(households, volunteers, mats, settings=settings, week_start=WEEK)
    assert _round_of(p, "P1").end_s > 17 * 3600 + 50 * 60  # as late as the shift allows
