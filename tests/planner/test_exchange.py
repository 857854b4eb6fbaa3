"""Fair travel: a long rider's far round exchanged with a full volunteer living nearer to it."""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
from helpers_coverage import FakeMatrix
from shapely.geometry import Point

from routeplan.config import PlannerSettings, Settings
from routeplan.planner import RoutingProblem, build_problem
from routeplan.planner.solve._pool import Serial
from routeplan.planner.solve.improve import ImproveOptions, improve
from routeplan.planner.solve.route import SubResult, route_all

SAT, SUN = 5, 6
# Manhattan minutes: A lives at the commune centre (0, 0), B in the valley (30, 0);
# the far hamlet F lies 15 min beyond B, the near hamlet N next to B's home
FAR = [(44.0, 0.0), (45.0, 1.0), (46.0, 0.0), (45.0, -1.0)]
NEAR = [(29.0, 3.0), (30.0, 4.0), (31.0, 3.0), (30.0, 2.0)]
HOMES = [(0.0, 0.0), (30.0, 0.0)]


def commune(*, far_language: str = "", **planner: Any) -> RoutingProblem:
    """Eight households, two volunteers of four (A speaks ``co_tu``), motorbike."""
    xy = FAR + NEAR
    hh = gpd.GeoDataFrame(
        [
            {
                "household_id": f"H{i}",
                "services": ("vneid",),
                "language": far_language if i < len(FAR) else "",
            }
            for i in range(len(xy))
        ],
        geometry=[Point(x, y) for x, y in xy],
        crs="EPSG:4326",
    )
    vo = gpd.GeoDataFrame(
        [
            {
                "volunteer_id": vid,
                "capacity": 4,
                "windows": ((SAT, 7 * 60, 12 * 60), (SUN, 7 * 60, 12 * 60)),
                "mode": "motorbike",
                "skills": frozenset(),
                "languages": frozenset({"co_tu"}) if vid == "A" else frozenset(),
            }
            for vid in ("A", "B")
        ],
        geometry=[Point(x, y) for x, y in HOMES],
        crs="EPSG:4326",
    )
    pts = np.array([*xy, *HOMES], dtype=float)
    sec = np.rint(np.abs(pts[:, None, :] - pts[None, :, :]).sum(axis=2) * 60).astype(np.int32)
    ids = tuple([*hh["household_id"], "home:A", "home:B"])
    base = {"workers": 1, "daylight": False, "travel_spread_weight": 1.0}
    settings = Settings(planner=PlannerSettings(**{**base, **planner}))
    return build_problem(
        hh, vo, {"motorbike": FakeMatrix(ids, sec, "motorbike")}, settings=settings
    )


def spread(problem: RoutingProblem) -> tuple[dict[str, str], dict[int, SubResult]]:
    """A rides to the far hamlet, B stays home; then the improvement's fair-travel step."""
    assign = np.array([0] * len(FAR) + [1] * len(NEAR), dtype=np.int64)
    pool = Serial()
    results = route_all(problem, assign, [0, 1], pool, solutions=30, time_limit_s=10.0)
    assert results[0].travel_s > 3 * results[1].travel_s  # A is the long rider
    options = ImproveOptions(
        deadline=math.inf,
        rounds=0,  # no single moves: the exchange alone
        moves=0,
        solutions=15,
        time_limit_s=10.0,
        batch=16,
        workers=1,
        sub_seconds=0.1,
    )
    assign, results, _ = improve(problem, assign, results, pool, options, lambda *_: None)
    who = {problem.household_ids[h]: problem.volunteer_ids[int(v)] for h, v in enumerate(assign)}
    return who, results


def test_a_long_riders_far_round_goes_to_the_full_volunteer_living_nearer() -> None:
    problem = commune()
    who, results = spread(problem)
    # B (full) takes the far hamlet and gives A the near one: nobody over four
    assert [who[f"H{i}"] for i in range(8)] == ["B"] * 4 + ["A"] * 4
    longest = max(r.travel_s for r in results.values())
    assert longest <= 75 * 60  # A rode 96 min; now 72 min to N, B 36 min to F
    assert not any(r.dropped for r in results.values())  # every household still visited
    assert sum(r.travel_s for r in results.values()) <= 110 * 60  # no more travel (108)


def test_an_exchange_never_gives_a_household_to_a_volunteer_who_may_not_serve_it() -> None:
    # the far hamlet speaks Co Tu and only A does: with language_hard B may not take it
    problem = commune(far_language="co_tu", language_hard=True)
    who, results = spread(problem)
    assert [who[f"H{i}"] for i in range(4)] == ["A"] * 4
    assert not any(r.dropped for r in results.values())
