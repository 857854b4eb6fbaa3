"""A large register through the pipeline: travel times in blocks, a plan in groups, outputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_decompose import demo_part

from routeplan.areas import area_figures
from routeplan.matrix.blocked import BlockedMatrix
from routeplan.pipeline import Inputs, build_matrices, make_plan, write_outputs
from routeplan.planner import build_problem
from routeplan.planner import decompose as dec
from routeplan.planner import groups as groups_module


def test_a_large_register_is_planned_in_blocks_and_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    part = demo_part()
    monkeypatch.setattr(dec, "DECOMPOSE_ABOVE", 100)  # the demo part counts as large
    monkeypatch.setattr(groups_module, "GROUP_VOLUNTEERS", 3)
    matrices = build_matrices(
        part.network,
        part.households,
        part.volunteers,
        part.service_points,
        settings=part.settings,
        cache_dir=tmp_path / "cache",
    )
    assert all(isinstance(m, BlockedMatrix) for m in matrices.values())
    assert {len(m.blocks) for m in matrices.values()} == {3}
    inputs = Inputs(
        part.households, part.volunteers, part.service_points, part.network, matrices, part.settings
    )
    result = make_plan(inputs)
    assert result.stats["groups"] == 3
    # the plan keeps every rule of the whole area, checked on one dense matrix
    whole = build_problem(part.households, part.volunteers, part.matrices, settings=part.settings)
    assert whole.check(result) == []
    paths = write_outputs(result, inputs, tmp_path / "out", what=("tables", "exports"))
    names = {p.name for p in paths}
    assert {"assignment.csv", "plan_stops.csv", "plan.gpkg"} <= names
    # rounds are drawn along the roads, not as straight lines: the GPX tracks have many points
    gpx = next(p for p in paths if p.suffix == ".gpx")
    assert gpx.read_text(encoding="utf-8").count("<trkpt") > 4 * len(result.routes[0].stops)
    # last week's volunteer keeps a household across a group border
    bm = next(iter(matrices.values()))
    hid = next(h for h in part.households["household_id"] if len(bm.blocks_of(h)) > 1)
    other = bm.blocks_of(hid)[1]
    vid = next(v for v in part.volunteers["volunteer_id"] if bm.owner.get(str(v)) == other)
    again = make_plan(inputs, previous={hid: vid})
    assert again.assignment[hid] == vid
    figures = area_figures(result, inputs)
    assert figures["households"] == len(part.households)
    assert figures["visits"] == result.visits
    assert figures["median_min"] is not None and figures["median_min"] > 0


def test_a_register_too_large_for_its_volunteers_is_refused_before_any_travel_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from routeplan.errors import InputDataError
    from routeplan.matrix import blocked

    part = demo_part()
    monkeypatch.setattr(dec, "DECOMPOSE_ABOVE", 100)
    monkeypatch.setattr(blocked, "MAX_BLOCK_POINTS", 60)

    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("a travel-time matrix was built")

    monkeypatch.setattr(blocked, "build_matrix", no_work)
    with pytest.raises(InputDataError) as err:
        build_matrices(part.network, part.households, part.volunteers, settings=part.settings)
    text = str(err.value)
    assert "160 households and 9 volunteers" in text
    assert "over the limit of 60 points per travel-time block" in text
    assert "the 1+20 rule asks for 8 volunteers" in text
    assert "add volunteers" in text and "routeplan areas" in text
