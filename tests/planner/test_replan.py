"""Re-planning after a change: greedy placement of freed households, then a short improvement.

Volunteer A is away this week. Their household F1 is nearest B's home and F2 nearest
C's home, so the greedy step gives F1 to B and F2 to C; but B's round already passes
one street from F2, while C would ride out and back for it. The improvement among the
re-routed volunteers (B and C) moves F2 to B. Distances are Manhattan "minutes".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from routeplan.config import PlannerSettings, Settings
from routeplan.demo import demo_files
from routeplan.pipeline import InputFiles, load_inputs
from routeplan.planner import Plan, plan, replan

SAT = 5
HOUSEHOLDS = {
    "B1": (5, 0),
    "B2": (8, 0),
    "B3": (10, 0),
    "C1": (14, 8),
    "C2": (13, 9),
    "F1": (1, 1),  # round trip from B's home 4, from C's 38: B
    "F2": (10, 1),  # round trip from B's home 22, from C's 20: C, but one minute off B's round
}
HOMES = {"A": (9, 3), "B": (0, 0), "C": (13, 8)}
BASE = {"B1": "B", "B2": "B", "B3": "B", "C1": "C", "C2": "C", "F1": "A", "F2": "A"}


class _Matrix:
    """Manhattan minutes between the households and the homes (``home:<id>``)."""

    def __init__(self, mode: str) -> None:
        points = {**HOUSEHOLDS, **{f"home:{v}": xy for v, xy in HOMES.items()}}
        self.ids = tuple(points)
        xy = np.array(list(points.values()), dtype=float)
        self.seconds = (60 * np.abs(xy[:, None] - xy[None]).sum(axis=2)).astype(np.int32)
        self.mode = mode

    def index(self, point_id: str) -> int:
        return self.ids.index(point_id)


def _frame(rows: list[dict[str, Any]], points: dict[str, tuple[int, int]], key: str) -> Any:
    return gpd.GeoDataFrame(rows, geometry=[Point(*points[r[key]]) for r in rows], crs="EPSG:4326")


def _replan(**planner: Any) -> Plan:
    households = _frame(
        [
            {"household_id": h, "services": ("vneid",), "priority": False, "language": ""}
            for h in HOUSEHOLDS
        ],
        HOUSEHOLDS,
        "household_id",
    )
    here = [v for v in HOMES if v != "A"]  # A is away
    volunteers = _frame(
        [
            {
                "volunteer_id": v,
                "capacity": 20,
                "windows": ((SAT, 7 * 60, 17 * 60),),
                "mode": "motorbike",
                "skills": frozenset(),
                "languages": frozenset(),
            }
            for v in here
        ],
        HOMES,
        "volunteer_id",
    )
    settings = Settings(
        planner=PlannerSettings(
            **{"workers": 1, "route_solutions": 50, "time_limit_s": 60.0, **planner}
        )
    )
    matrices = {"motorbike": _Matrix("motorbike")}
    base = Plan(routes=[], assignment=dict(BASE))
    return replan(households, volunteers, matrices, base, settings=settings)


def test_greedy_placement_is_improved_among_the_rerouted_volunteers() -> None:
    greedy = _replan(improve_rounds=0)  # no improvement: what the greedy step does
    assert greedy.assignment["F1"] == "B" and greedy.assignment["F2"] == "C"
    better = _replan()
    assert better.stats["replan"] == "partial"
    assert sorted(better.stats["rerouted"]) == ["B", "C"]
    assert better.assignment["F2"] == "B"  # rides with B's round, one minute off it
    assert better.stats["improve"]["accepted"] >= 1
    assert better.travel_s < greedy.travel_s
    assert set(better.assignment) == set(HOUSEHOLDS)  # nobody is lost on the way


def test_the_improvement_stops_on_counts_and_repeats_exactly() -> None:
    one = _replan(improve_moves=1)
    assert one.stats["improve"]["tried"] == 1  # the budget, not the clock, stops it
    assert one.stats["improve"]["cut_by_time"] == 0
    again = _replan(improve_moves=1)
    assert one.routes == again.routes and one.assignment == again.assignment


def test_a_replan_with_fair_travel_moves_nothing_of_the_volunteers_it_keeps(
    tmp_path: Path,
) -> None:
    # the demo's first 120 households and 6 volunteers; a lock gives one household to
    # another volunteer, so only those two are routed again. Fair travel (the default)
    # then exchanges rounds only among them (it once offered a round to a kept volunteer
    # and failed with a KeyError)
    files = demo_files()
    pd.read_csv(files["households"]).head(120).to_csv(tmp_path / "h.csv", index=False)
    pd.read_csv(files["volunteers"]).head(6).to_csv(tmp_path / "v.csv", index=False)
    settings = Settings(planner=PlannerSettings(seed=1, travel_spread_weight=1.0, workers=1))
    inputs = load_inputs(
        InputFiles(tmp_path / "h.csv", files["network"], tmp_path / "v.csv"),
        settings=settings,
    )
    week = plan(inputs.households, inputs.volunteers, inputs.matrices, settings=settings)
    h0 = sorted(week.assignment)[0]
    other = next(v for v in inputs.volunteers["volunteer_id"] if v != week.assignment[h0])
    new = replan(
        inputs.households,
        inputs.volunteers,
        inputs.matrices,
        week,
        settings=settings,
        fixed={h0: other},
    )
    assert new.stats["replan"] == "partial"
    rerouted = set(new.stats["rerouted"])
    assert rerouted == {week.assignment[h0], other}
    assert new.assignment[h0] == other
    kept = {h: v for h, v in week.assignment.items() if v not in rerouted}
    assert {h: new.assignment.get(h) for h in kept} == kept
    assert set(new.assignment) | {u.household_id for u in new.unassigned} == set(
        week.assignment
    ) | {u.household_id for u in week.unassigned}
