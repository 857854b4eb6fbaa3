"""Many areas in one run on a local Dask cluster: tiny communes, one broken, reruns, roll-up."""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from routeplan.areas import (
    Area,
    ClusterOptions,
    areas_from_folders,
    areas_from_register,
    cut_networks,
    plan_areas,
    write_rollup,
)
from routeplan.cli import main
from routeplan.config import Settings
from routeplan.errors import InputDataError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "data"))

from make_city import make_city  # noqa: E402 - the script lives in data/

THREADS = ClusterOptions(workers=2, processes=False)  # a local cluster, no processes: fast


def _settings() -> Settings:
    s = Settings()
    return dataclasses.replace(
        s,
        planner=dataclasses.replace(
            s.planner,
            time_limit_s=10.0,
            route_solutions=30,
            improve_rounds=1,
            workers=1,
            capacity=5,  # the rule's households per volunteer: some tiny communes are short
        ),
    )


def _names(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.is_dir())


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three tiny communes from the demo, and a fourth whose volunteer register is broken."""
    root = tmp_path_factory.mktemp("city")
    make_city(root, communes=3, tiny=True, tiny_households=12)
    first = sorted(root.iterdir())[0]
    broken = root / "04-Broken"
    shutil.copytree(first, broken)
    text = (broken / "volunteers.csv").read_text(encoding="utf-8-sig").splitlines()
    cells = text[1].split(",")
    cells[3] = "96.5"  # latitude out of range
    text[1] = ",".join(cells)
    (broken / "volunteers.csv").write_text("\n".join(text) + "\n", encoding="utf-8-sig")
    return root


@pytest.fixture(scope="module")
def first_run(city: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Any]]:
    out = tmp_path_factory.mktemp("out")
    areas = areas_from_folders(city)
    results = plan_areas(areas, out, settings=_settings(), cluster=THREADS, what=("tables",))
    write_rollup(results, out)
    return out, results


def test_every_area_is_planned_and_a_broken_one_is_reported(
    city: Path, first_run: tuple[Path, list[Any]]
) -> None:
    out, results = first_run
    status = {r.name: r.status for r in results}
    a, b, c, broken_name = _names(city)
    assert broken_name == "04-Broken"
    assert status == {a: "planned", b: "planned", c: "planned", broken_name: "failed"}
    broken = next(r for r in results if r.status == "failed")
    assert "volunteers.csv" in broken.error and "latitude" in broken.error
    for r in results:
        if r.status == "planned":
            assert (out / r.name / "assignment.csv").exists()
            assert r.figures["households"] == 12
            assert r.figures["visits"] + r.figures["rolled_over"] + r.figures["unassigned"] == 12


def test_the_rollup_lists_each_area_and_the_totals(
    city: Path, first_run: tuple[Path, list[Any]]
) -> None:
    out, _ = first_run
    rows = _rows(out / "areas.csv")
    assert [r["area"] for r in rows] == [*_names(city), "All areas"]
    total = rows[-1]
    planned = [r for r in rows[:-1] if r["status"] == "planned"]
    assert int(total["households"]) == 36
    assert int(total["visits"]) == sum(int(r["visits"]) for r in planned)
    assert "1 failed" in total["status"]
    assert rows[3]["error"] and not rows[0]["error"]
    assert all(float(r["median_min"]) > 0 for r in planned)  # the coverage headline
    for r in planned:  # the 1+20 rule, here 1+5: ceil(households / 5) - volunteers
        need = math.ceil(int(r["households"]) / 5)
        assert int(r["volunteers_short"]) == max(0, need - int(r["volunteers"]))
    assert [int(r["volunteers_short"]) for r in planned] == [0, 0, 1]
    assert int(total["volunteers_short"]) == 1  # the areas' shortfalls added up
    assert int(total["rolled_over"]) == sum(int(r["rolled_over"]) for r in planned)
    page = (out / "areas.html").read_text(encoding="utf-8")
    assert "<script" not in page and "http" not in page  # one file, works offline
    assert "04-Broken" in page and "Volunteers short (1+20)" in page


def _coverage_headline(folder: Path) -> tuple[Any, float, float]:
    """The area's files, and the headline ``routeplan coverage`` gives for them."""
    from routeplan.coverage import TOTAL
    from routeplan.pipeline import InputFiles, run_coverage

    files = InputFiles(
        households=folder / "households.csv",
        volunteers=folder / "volunteers.csv",
        network=folder / "map.osm",
        service_points=folder / "service_points.csv",
    )
    total = run_coverage(files, settings=_settings()).table().loc[TOTAL]
    return files, round(float(total["median_min"]), 1), round(float(total["share_far"]), 3)


def test_the_rollup_headline_is_the_coverage_reports_headline(
    city: Path, first_run: tuple[Path, list[Any]]
) -> None:
    _, results = first_run
    for r in (r for r in results if r.status == "planned"):
        _, median, far = _coverage_headline(city / r.name)
        assert (r.figures["median_min"], r.figures["share_far"]) == (median, far)


def test_an_area_whose_volunteers_walk_has_the_headline_in_the_reports_mode(
    city: Path, tmp_path: Path
) -> None:
    from routeplan.areas import plan_area

    folder = tmp_path / "walkers"
    shutil.copytree(city / _names(city)[0], folder)
    volunteers = _rows(folder / "volunteers.csv")
    for v in volunteers:
        v["mode"] = "walking"  # the plan has walking times only; the headline is by motorbike
    with (folder / "volunteers.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(volunteers[0]))
        writer.writeheader()
        writer.writerows(volunteers)
    files, median, far = _coverage_headline(folder)
    figures = plan_area(files, tmp_path / "out", settings=_settings(), what=("tables",))
    assert (figures["median_min"], figures["share_far"]) == (median, far)


def test_a_rerun_skips_areas_whose_inputs_have_not_changed(
    city: Path, first_run: tuple[Path, list[Any]], tmp_path: Path
) -> None:
    out, _ = first_run
    target = tmp_path / "city"
    shutil.copytree(city, target)
    # same contents in another place: still unchanged (the key is the files' contents)
    a, b, c, broken = _names(city)
    areas = areas_from_folders(target)
    again = plan_areas(areas, out, settings=_settings(), cluster=THREADS, what=("tables",))
    assert {r.name: r.status for r in again} == {
        a: "skipped",
        b: "skipped",
        c: "skipped",
        broken: "failed",  # a failed area is tried again
    }
    # one register changed: only that area is planned again
    hh = target / b / "households.csv"
    lines = hh.read_text(encoding="utf-8-sig").splitlines()
    hh.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8-sig")
    shutil.rmtree(target / broken)
    areas = areas_from_folders(target)
    third = plan_areas(areas, out, settings=_settings(), cluster=THREADS, what=("tables",))
    assert {r.name: r.status for r in third} == {a: "skipped", b: "planned", c: "skipped"}
    assert next(r for r in third if r.status == "planned").figures["households"] == 11
    done = json.loads((out / b / "area.json").read_text(encoding="utf-8"))
    assert done["figures"]["households"] == 11


def test_folders_without_registers_or_map_are_named(tmp_path: Path) -> None:
    (tmp_path / "A").mkdir()
    (tmp_path / "A" / "households.csv").write_text("household_id\n", encoding="utf-8")
    (tmp_path / "B").mkdir()
    with pytest.raises(InputDataError) as err:
        areas_from_folders(tmp_path)
    text = str(err.value)
    assert "'A' has no volunteers and no map" in text
    assert "'B' has no households and no volunteers and no map" in text


def _register_with_areas(tmp_path: Path) -> tuple[Path, Path]:
    """The demo's first 10 households and 2 volunteers west and east of 108.05 E."""
    demo = ROOT / "data" / "demo"
    out = []
    for name, per_area in (("households", 10), ("volunteers", 2)):
        rows = _rows(demo / f"{name}.csv")
        rows = [r for r in rows if r["latitude"]]
        west = [r for r in rows if float(r["longitude"]) < 108.05][:per_area]
        east = [r for r in rows if float(r["longitude"]) >= 108.05][:per_area]
        for r in west:
            r["area"] = "Tây"
        for r in east:
            r["area"] = "Đông"
        path = tmp_path / f"{name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=[*rows[0].keys()])
            writer.writeheader()
            writer.writerows(west + east)
        out.append(path)
    return out[0], out[1]


def test_a_register_with_an_area_column_is_cut_from_one_extract(tmp_path: Path) -> None:
    import shapely

    from routeplan.network import load_network

    households, volunteers = _register_with_areas(tmp_path)
    boundaries = tmp_path / "areas.geojson"
    boxes = {"Tây": (107.90, 16.05, 108.05, 16.25), "Đông": (108.05, 16.05, 108.20, 16.25)}
    features = [
        {
            "type": "Feature",
            "properties": {"area": name},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
            },
        }
        for name, (w, s, e, n) in boxes.items()
    ]
    boundaries.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    network = ROOT / "data" / "demo" / "hoabac.osm"
    areas = areas_from_register(households, volunteers, tmp_path / "work", network=network)
    assert [a.name for a in areas] == ["Tây", "Đông"]
    assert len(_rows(areas[0].households)) == 10
    extract = load_network(network)
    cut = cut_networks(areas, extract, boundaries, tmp_path / "work", margin_m=0)
    for area in cut:
        assert area.network is not None and area.network.suffix == ".graphml"
        part = load_network(area.network)
        box = shapely.box(*boxes[area.name])
        g = part.graph
        for u, v, d in g.edges(data=True):  # only roads reaching into the area
            line = d.get("geometry") or shapely.LineString(
                [(g.nodes[n]["x"], g.nodes[n]["y"]) for n in (u, v)]
            )
            assert box.intersects(line)
        assert 0 < part.graph.number_of_nodes() < extract.graph.number_of_nodes()
    results = plan_areas(cut, tmp_path / "out", settings=_settings(), cluster=THREADS, what=())
    assert [(r.name, r.status) for r in results] == [("Tây", "planned"), ("Đông", "planned")]
    assert all(r.figures["households"] == 10 for r in results)


def test_an_area_without_a_boundary_is_named(tmp_path: Path) -> None:
    from routeplan.network import load_network

    households, volunteers = _register_with_areas(tmp_path)
    (tmp_path / "b.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "Tây"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[107, 16], [108, 16], [108, 17], [107, 16]]],
                        },
                    }
                ],
            }
        )
    )
    network = ROOT / "data" / "demo" / "hoabac.osm"
    areas = areas_from_register(households, volunteers, tmp_path / "w", network=network)
    with pytest.raises(InputDataError, match="no boundary for area 'Đông'"):
        cut_networks(areas, load_network(network), tmp_path / "b.geojson", tmp_path / "w")


def test_rows_without_an_area_are_named(tmp_path: Path) -> None:
    households, volunteers = _register_with_areas(tmp_path)
    lines = households.read_text(encoding="utf-8-sig").splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ","
    households.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    with pytest.raises(InputDataError, match="row 4: no area"):
        areas_from_register(households, volunteers, tmp_path / "w")


def test_cli_areas_plans_every_folder_and_says_which_failed(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text("[planner]\nroute_solutions = 30\nimprove_rounds = 1\nworkers = 1\n")
    only = tmp_path / "city"
    shutil.copytree(city, only, ignore=shutil.ignore_patterns("02-*", "03-*"))
    first = _names(only)[0]
    code = main(
        [
            "-q",
            "areas",
            "--folders",
            str(only),
            "--threads",
            "--no-maps",
            "--time-limit",
            "10",
            "--settings",
            str(settings),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 1  # one area failed
    assert f"{first}: planned: 12 households" in printed
    assert "04-Broken: failed" in printed and "latitude" in printed
    assert "1 areas planned or unchanged, 1 failed" in printed
    assert (tmp_path / "out" / "areas.html").exists()
    assert (tmp_path / "out" / first / "plan.gpkg").exists()


def test_an_area_object_names_its_folder() -> None:
    area = Area("Hòa Bắc / Hải Vân", Path("h.csv"), Path("v.csv"))
    assert area.slug == "Hòa_Bắc_Hải_Vân"


def test_the_rollup_page_shows_every_area_offline_in_a_browser(
    first_run: tuple[Path, list[Any]], browser: Any, tmp_path: Path
) -> None:
    out, results = first_run
    with browser.open(out / "areas.html", viewport=(1280, 600)) as view:
        assert view.errors == [] and view.blocked == []
        assert view.visible("tbody tr") == len(results) + 1  # and the total row
        failed = view.page.locator("tr.failed")
        assert failed.count() == 1 and "04-Broken" in failed.inner_text()
        colour = failed.locator("td").first.evaluate("e => getComputedStyle(e).backgroundColor")
        assert colour == "rgb(253, 232, 232)"  # the failed area stands out
        total = view.page.locator("tr.total").inner_text()
        assert "All areas" in total and "36" in total
        view.screenshot(tmp_path / "areas.png")
    with browser.open(out / "areas.html", viewport=(390, 844)) as phone:
        # on a phone the table scrolls sideways inside its box; the notes stay readable
        page_width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= 390
        box = phone.page.locator("div.scroll")
        assert box.evaluate("e => e.scrollWidth > e.clientWidth")
        phone.screenshot(tmp_path / "areas_phone.png")
