"""The one pipeline every entry point calls: files in, plan, outputs, project weeks, coverage."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from routeplan.campaign import RoadFiles
from routeplan.config import PlannerSettings, Settings
from routeplan.errors import InputDataError
from routeplan.pipeline import (
    InputFiles,
    NewSites,
    WeekOptions,
    load_inputs,
    make_plan,
    plan_week,
    replan_week,
    run_coverage,
    update_project,
    write_outputs,
)

SETTINGS = Settings(planner=PlannerSettings(time_limit_s=60, route_solutions=30, improve_rounds=2))


@pytest.fixture(scope="module")
def small_commune(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> InputFiles:
    """A corner of the demo commune: 60 households, 3 volunteers, the demo map."""
    folder = tmp_path_factory.mktemp("small")
    hh = pd.read_csv(demo_dir / "households.csv", dtype=str, keep_default_na=False)
    vol = pd.read_csv(demo_dir / "volunteers.csv", dtype=str, keep_default_na=False)
    hh.iloc[:60].to_csv(folder / "households.csv", index=False)
    vol.iloc[:3].to_csv(folder / "volunteers.csv", index=False)
    return InputFiles(
        households=folder / "households.csv",
        volunteers=folder / "volunteers.csv",
        service_points=demo_dir / "service_points.csv",
        network=demo_dir / "hoabac.osm",
    )


def test_every_missing_file_is_named_before_any_work(tmp_path: Path) -> None:
    files = InputFiles(
        households=tmp_path / "hh.csv",
        volunteers=tmp_path / "vol.csv",
        service_points=tmp_path / "sp.csv",
        network=tmp_path / "map.osm.pbf",
        dem=[tmp_path / "a.hgt"],
        closures=tmp_path / "closed.csv",
    )
    with pytest.raises(InputDataError) as err:
        load_inputs(files)
    text = str(err.value)
    for name in ("hh.csv", "vol.csv", "sp.csv", "map.osm.pbf", "a.hgt", "closed.csv"):
        assert name in text
    assert len(err.value.problems) == 6


def test_problems_of_every_register_come_together(fixtures_dir: Path, demo_dir: Path) -> None:
    files = InputFiles(
        households=fixtures_dir / "registers" / "households_broken.csv",
        volunteers=fixtures_dir / "registers" / "volunteers_broken.csv",
        service_points=fixtures_dir / "registers" / "service_points_broken.csv",
        network=demo_dir / "hoabac.osm",
    )
    with pytest.raises(InputDataError) as err:
        load_inputs(files)
    named = {p.file for p in err.value.problems if p.severity == "error"}
    assert {str(files.households), str(files.volunteers), str(files.service_points)} <= named


def test_plan_and_outputs_from_files(small_commune: InputFiles, tmp_path: Path) -> None:
    inputs = load_inputs(small_commune, settings=SETTINGS)
    assert set(inputs.matrices) == set(inputs.volunteers["mode"])
    plan = make_plan(inputs, week_start=dt.date(2026, 12, 7))
    visited = {s.household_id for r in plan.routes for s in r.stops}
    missed = {u.household_id for u in plan.unassigned + plan.rollover}
    assert visited | missed == set(inputs.households["household_id"])  # nobody dropped
    paths = write_outputs(plan, inputs, tmp_path, what=["tables", "exports"])
    names = {p.name for p in paths}
    assert {"assignment.csv", "unassigned.csv", "plan_stops.csv", "plan.gpkg"} <= names
    stops = pd.read_csv(tmp_path / "plan_stops.csv", dtype=str, encoding="utf-8-sig")
    assert len(stops) == len(visited)


def test_unknown_output_is_refused_before_writing(
    small_commune: InputFiles, tmp_path: Path
) -> None:
    inputs = load_inputs(small_commune, settings=SETTINGS)
    plan = make_plan(inputs)
    with pytest.raises(InputDataError, match="unknown output 'pdf'"):
        write_outputs(plan, inputs, tmp_path / "out", what=["tables", "pdf"])
    assert not (tmp_path / "out").exists()


def _project(files: InputFiles, project: Path, closures: Path | None = None) -> Path:
    """Make ``project`` from the registers of ``files``, remembering its roads."""
    assert isinstance(files.network, Path)
    roads = RoadFiles(files.network, closures=closures)
    update_project(
        project,
        households=files.households,
        volunteers=files.volunteers,
        service_points=files.service_points,
        roads=roads,
        settings=SETTINGS,
    )
    return project


def test_a_project_week_goes_through_the_same_stages(
    small_commune: InputFiles, tmp_path: Path
) -> None:
    project = _project(small_commune, tmp_path / "p.gpkg")
    week = plan_week(project, dt.date(2026, 12, 7), WeekOptions(settings=SETTINGS))  # remembered
    inputs = load_inputs(small_commune, settings=SETTINGS)
    direct = make_plan(inputs, week_start=dt.date(2026, 12, 7))
    assert week.plan.assignment == direct.assignment  # same registers, same plan
    with pytest.raises(InputDataError, match="closures file not found"):
        nope = WeekOptions(settings=SETTINGS, closures=tmp_path / "nope.csv")
        plan_week(project, dt.date(2026, 12, 14), nope)


def test_a_replan_keeps_the_closures_the_project_remembers(
    small_commune: InputFiles, tmp_path: Path
) -> None:
    from routeplan.campaign import project_roads
    from routeplan.network import load_network

    graph = load_network(small_commune.network).graph
    way = sorted(d["osmid"] for _, _, d in graph.edges(data=True) if d["highway"] != "path")[0]
    closed = tmp_path / "closed.csv"
    closed.write_text(f"way_id,reason\n{way},flooded\n")
    project = _project(small_commune, tmp_path / "p.gpkg", closed)
    assert project_roads(project).closures == closed.resolve()
    week = dt.date(2026, 12, 7)
    options = WeekOptions(settings=SETTINGS)  # the roads the project remembers
    planned = plan_week(project, week, options)
    again = replan_week(project, week, options)  # as the app's "plan again" does
    for done in (planned, again):
        assert done.network.report.closed_way_ids == [way]
        assert not [d for _, _, d in done.network.graph.edges(data=True) if d["osmid"] == way]
        assert "closures: 1 way closed" in done.network.summary()
    update_project(project, roads=RoadFiles(forget_closures=True), settings=SETTINGS)
    assert project_roads(project).closures is None  # the road is open again
    assert project_roads(project).network == Path(str(small_commune.network)).resolve()


def test_coverage_reads_the_registers_like_the_plan(small_commune: InputFiles) -> None:
    settings = dataclasses.replace(SETTINGS)
    report = run_coverage(small_commune, settings=settings, new_sites=NewSites(add=("Tà Lang",)))
    assert "60 households" in report.summary()
    with pytest.raises(InputDataError, match="no service points given"):
        run_coverage(dataclasses.replace(small_commune, service_points=None))
