"""The final routing (PyVRP proposes, the routing model checks) and the fair-travel term."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import geopandas as gpd
import numpy as np
from helpers_coverage import FakeMatrix
from shapely.geometry import Point

from routeplan.config import PlannerSettings, Settings
from routeplan.planner import Plan, plan
from routeplan.planner.solve._costs import DROP_PRIORITY_S, DROP_S
from routeplan.planner.solve.hgs import propose_rounds
from routeplan.planner.solve.route import Sub, SubResult, route_volunteer
from routeplan.planner.solve.steps import tight_weeks

SAT, SUN = 5, 6
DAY = 86400


def week(
    xy: list[tuple[float, float]],
    homes: list[tuple[float, float]],
    *,
    capacity: int = 20,
    windows: tuple[Any, ...] = ((SAT, 8 * 60, 11 * 60), (SUN, 14 * 60, 17 * 60)),
    **planner: Any,
) -> Plan:
    """Plan households at ``xy`` for volunteers at ``homes`` (Manhattan minutes, motorbike)."""
    hh = gpd.GeoDataFrame(
        [{"household_id": f"H{i:02d}", "services": ("vneid",)} for i in range(len(xy))],
        geometry=[Point(x, y) for x, y in xy],
        crs="EPSG:4326",
    )
    vo = gpd.GeoDataFrame(
        [
            {
                "volunteer_id": f"V{k}",
                "capacity": capacity,
                "windows": windows,
                "mode": "motorbike",
                "skills": frozenset(),
                "languages": frozenset(),
            }
            for k in range(len(homes))
        ],
        geometry=[Point(x, y) for x, y in homes],
        crs="EPSG:4326",
    )
    pts = np.array([*xy, *homes], dtype=float)
    sec = np.rint(np.abs(pts[:, None, :] - pts[None, :, :]).sum(axis=2) * 60).astype(np.int32)
    ids = tuple([*hh["household_id"], *(f"home:{v}" for v in vo["volunteer_id"])])
    base = {"workers": 1, "improve_rounds": 5, "time_limit_s": 120.0, "daylight": False}
    settings = Settings(planner=PlannerSettings(**{**base, **planner}))
    return plan(hh, vo, {"motorbike": FakeMatrix(ids, sec, "motorbike")}, settings=settings)


def cost(p: Plan) -> int:
    """Travel plus what the rounds left out would cost (as the planner counts it)."""
    return p.travel_s + DROP_S * len(p.rollover)


def scattered(n: int, k: int, seed: int) -> tuple[list[Any], list[Any]]:
    rng = np.random.default_rng(seed)
    return [tuple(map(float, p)) for p in rng.integers(0, 40, size=(n, 2))], [
        tuple(map(float, p)) for p in rng.integers(0, 40, size=(k, 2))
    ]


def test_final_routing_never_costs_more_and_stops_on_counts() -> None:
    xy, homes = scattered(48, 4, seed=3)
    without = week(xy, homes, capacity=12, route_iterations=0, route_solutions=5)
    with_it = week(xy, homes, capacity=12, route_solutions=5)
    assert cost(with_it) <= cost(without)
    assert with_it.assignment == without.assignment  # the last step only re-routes
    assert with_it.stats["final_routing"]["better"] >= 0
    assert not with_it.stats["hit_time_limit"]
    again = week(xy, homes, capacity=12, route_solutions=5)
    assert again.stops_frame().equals(with_it.stops_frame())


def test_a_week_leaving_a_household_out_gets_the_longer_final_search() -> None:
    full = SubResult(0, ((0, 0, 0, ((1, 0),)),), (), 600, 900, 0)
    tight = dataclasses.replace(full, dropped=(2,), penalty=DROP_S)
    # the second pass: the weeks still leaving out a household they could visit, five
    # times as long; a household no shift allows (here 2 for volunteer 2) does not count
    weeks = {0: full, 1: tight, 2: dataclasses.replace(tight, v=2)}
    assert tight_weeks(weeks, 200, lambda h, v: True) == {1: 1000, 2: 1000}
    assert tight_weeks(weeks, 200, lambda h, v: v != 2) == {1: 1000}
    # a plan whose weeks leave households out: never costs more, stops on its counts
    xy, homes = scattered(36, 3, seed=4)
    without = week(xy, homes, capacity=12, route_iterations=0, route_solutions=5)
    with_it = week(xy, homes, capacity=12, route_solutions=5)
    assert with_it.rollover  # the longer search ran
    assert cost(with_it) <= cost(without)
    assert not with_it.stats["hit_time_limit"]
    again = week(xy, homes, capacity=12, route_solutions=5)
    assert again.stops_frame().equals(with_it.stops_frame())


def _evening_sub() -> Sub:
    """One evening shift 16:00-20:00 on Saturday, dusk at 18:00, a daylight household."""
    # node 0 home; households 1..4 in a line, 10 min apart; household 1 needs daylight
    pos = np.array([0, 10, 20, 30, 40]) * 60
    travel = np.abs(pos[:, None] - pos[None, :]).astype(np.int64)
    shift = (SAT, 16 * 3600, 20 * 3600)
    dusk = SAT * DAY + 18 * 3600
    service = (1800,) * 4
    intervals = []
    for i in range(4):
        lo = SAT * DAY + shift[1] + int(travel[0, i + 1])
        end = dusk if i == 0 else SAT * DAY + shift[2]
        intervals.append(((0, lo, end - int(travel[i + 1, 0]) - service[i]),))
    return Sub(
        v=0,
        households=(0, 1, 2, 3),
        travel=travel,
        service=service,
        priority=(False,) * 4,
        intervals=tuple(intervals),
        shifts=(shift,),
        solutions=1,
        time_limit_s=10.0,
        metaheuristic="gls",
        daylight=(True, False, False, False),
        dusk=(dusk,),
        proposal_iterations=100,
    )


def test_a_proposed_round_with_a_daylight_household_is_home_by_dusk() -> None:
    sub = _evening_sub()
    # all four fit the shift (4 x 30 min visits, 80 min riding) but not by dusk
    rounds = propose_rounds(sub, iterations=100)
    res = route_volunteer(sub)
    for _, _, end, stops in res.rounds:
        if any(h == 0 for h, _ in stops):
            assert end <= SAT * DAY + 18 * 3600
    assert rounds  # PyVRP found a week
    assert len(res.dropped) >= 1  # one cannot visit all four and be home by dusk
    assert res.penalty == DROP_S * len(res.dropped) < DROP_PRIORITY_S


def test_travel_spread_weight_shortens_the_longest_ride() -> None:
    # 40 households, 4 volunteers of 12: without the weight one volunteer rides 2.5 h
    xy, homes = scattered(40, 4, seed=3)
    plain = week(xy, homes, capacity=12, travel_spread_weight=0.0)
    fair = week(xy, homes, capacity=12, travel_spread_weight=2.0)

    def longest(p: Plan) -> int:
        per: dict[str, int] = {}
        for r in p.routes:
            per[r.volunteer_id] = per.get(r.volunteer_id, 0) + r.travel_s
        return max(per.values())

    assert longest(fair) < longest(plain)
    assert fair.visits >= plain.visits
    assert fair.travel_s <= 1.02 * plain.travel_s


def _scattered_sub(own_hours: bool) -> Sub:
    """18 households, a Saturday morning and a Sunday afternoon shift.

    ``own_hours``: each household has hours of its own (its arrival intervals start an
    hour late), so PyVRP sees one client per interval, grouped.
    """
    rng = np.random.default_rng(1)
    n = 18
    pts = rng.integers(0, 40, size=(n + 1, 2))
    travel = (np.abs(pts[:, None] - pts[None]).sum(axis=2) * 60).astype(np.int64)
    shifts = ((SAT, 8 * 3600, 11 * 3600), (SUN, 14 * 3600, 17 * 3600))
    service = (900,) * n
    late = 3600 if own_hours else 0
    intervals = tuple(
        tuple(
            (s, d * DAY + a + out + late, d * DAY + b - out - service[i])
            for s, (d, a, b) in enumerate(shifts)
            for out in (int(travel[0, i + 1]),)
        )
        for i in range(n)
    )
    return Sub(
        v=0,
        households=tuple(range(n)),
        travel=travel,
        service=service,
        priority=(False,) * n,
        intervals=intervals,
        shifts=shifts,
        solutions=1,
        time_limit_s=10.0,
        metaheuristic="gls",
    )


def _cost(sub: Sub, rounds: tuple[tuple[int, tuple[int, ...]], ...]) -> int:
    """Travel of ``rounds`` plus the drop penalty of the households they leave out."""
    travel, seen = 0, set()
    for _, seq in rounds:
        nodes = [0, *(h + 1 for h in seq), 0]
        travel += sum(int(sub.travel[a, b]) for a, b in itertools.pairwise(nodes))
        seen |= set(seq)
    return travel + DROP_S * (len(sub.households) - len(seen))


def test_a_proposal_from_the_current_rounds_never_costs_more_than_them() -> None:
    for own_hours in (False, True):
        sub = _scattered_sub(own_hours)
        current = propose_rounds(sub, iterations=3000)  # a good week to start from
        assert current
        cold = propose_rounds(sub, iterations=1)
        warm_sub = dataclasses.replace(sub, initial=current)
        warm = propose_rounds(warm_sub, iterations=1)
        assert _cost(sub, warm) <= _cost(sub, current)
        assert _cost(sub, warm) <= _cost(sub, cold)
        assert propose_rounds(warm_sub, iterations=1) == warm  # same seed, same proposal
        assert _cost(sub, current) < _cost(sub, cold)  # without it one iteration is worse
