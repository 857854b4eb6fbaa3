"""A city register with an area column: every problem of an area names the city file's row.

The coordinator edits one register for the whole city; each area is planned from its
own split file. What they see: each bad row of the city file named by its row there
(not the split file's), with the area, all collected in one run; warnings of the
areas that are planned named the same way; the other areas still planned; and an
Excel city register read as the single-area commands read one.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from helpers_areas import read_rows as _rows
from helpers_areas import write_rows as _write_rows

from routeplan.areas import ClusterOptions, areas_from_register, plan_areas, read_boundaries
from routeplan.cli import main

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "data"))

from make_city import make_city  # noqa: E402 - the script lives in data/


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("city")
    make_city(root, communes=3, tiny=True, tiny_households=12, extract=True)
    return root


@pytest.fixture
def city(made: Path, tmp_path: Path) -> Path:
    """The city with its registers' rows in reverse: an area's rows are not the split's."""
    target = tmp_path / "city"
    shutil.copytree(made, target)
    for name in ("households.csv", "volunteers.csv"):
        _write_rows(target / name, _rows(target / name)[::-1])
    return target


def _areas_cli(city: Path, out: Path, tmp_path: Path, households: Path | None = None) -> int:
    settings = tmp_path / "settings.toml"
    settings.write_text("[planner]\nroute_solutions = 30\nimprove_rounds = 1\nworkers = 1\n")
    args = ["-q", "areas", "--households", str(households or city / "households.csv")]
    args += ["--volunteers", str(city / "volunteers.csv")]
    args += ["--service-points", str(city / "service_points.csv")]
    args += ["--network", str(city / "city.osm"), "--boundaries", str(city / "boundaries.geojson")]
    args += ["--threads", "--no-maps", "--time-limit", "10", "--settings", str(settings)]
    return main([*args, "--out", str(out)])


def test_bad_rows_in_two_areas_are_named_by_the_city_registers_rows(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hh_file, vol_file = city / "households.csv", city / "volunteers.csv"
    rows, vols = _rows(hh_file), _rows(vol_file)
    first, second, third = sorted({r["area"] for r in rows})
    of = {a: [k for k, r in enumerate(rows) if r["area"] == a] for a in (first, second, third)}
    bad_lat, twin = of[first][-1], of[second][-1]  # the last rows of their areas
    rows[bad_lat]["latitude"] = "96.5"
    original = of[second][0]
    rows[twin]["household_id"] = rows[original]["household_id"]  # a duplicate id
    no_service = of[third][-1]
    rows[no_service]["services"] = ""  # a warning: the area still plans
    far = of[third][0]  # inside its boundary, but far from every mapped way: a flag
    w, s, _, _ = read_boundaries(city / "boundaries.geojson")[third].bounds
    rows[far]["longitude"], rows[far]["latitude"] = f"{w + 0.002:.6f}", f"{s + 0.002:.6f}"
    _write_rows(hh_file, rows)
    bad_vol = next(k for k, v in enumerate(vols) if v["area"] == first)
    vols[bad_vol]["capacity"] = "-3"
    _write_rows(vol_file, vols)

    code = _areas_cli(city, tmp_path / "out", tmp_path)
    printed = capsys.readouterr().out
    assert code == 1, printed
    # every bad row named by its row in the file the coordinator edits, under its area
    assert f"area '{first}'" in printed and f"area '{second}'" in printed
    assert f"{hh_file}, row {bad_lat + 2} [latitude]: latitude 96.5" in printed
    assert f"{vol_file}, row {bad_vol + 2} [capacity]" in printed  # both of the first area's
    dup = rows[twin]["household_id"]
    assert f"{hh_file}, row {twin + 2} [household_id]: duplicate household_id {dup!r}" in printed
    assert f"(also row {original + 2})" in printed
    # the warning of the area that is planned, with its city row
    assert f"{third}: planned: 12 households" in printed
    warned = f"warning: {hh_file}, row {no_service + 2} [services]: no services listed"
    assert warned in printed
    flagged = f"warning: {hh_file}, row {far + 2}: household {rows[far]['household_id']}: "
    assert flagged in printed and "m from the nearest mapped way" in printed
    assert ".inputs" not in printed  # never the split files' names
    report = {r["area"]: r for r in _rows(tmp_path / "out" / "areas.csv")}
    assert f"row {bad_lat + 2}" in report[first]["error"]
    assert f"row {bad_vol + 2}" in report[first]["error"]
    assert f"row {twin + 2}" in report[second]["error"]
    assert report[third]["status"] == "planned"
    assert warned.removeprefix("warning: ") in report[third]["warnings"]
    html = (tmp_path / "out" / "areas.html").read_text(encoding="utf-8")
    assert f"row {far + 2}: household {rows[far]['household_id']}" in html
    # a rerun skips the unchanged area and still says its warnings
    assert _areas_cli(city, tmp_path / "out", tmp_path) == 1
    again = capsys.readouterr().out
    assert f"{third}: skipped" in again and warned in again and flagged in again


def test_the_results_carry_the_problems_with_the_city_row(city: Path, tmp_path: Path) -> None:
    hh_file = city / "households.csv"
    rows = _rows(hh_file)
    first, second, _ = sorted({r["area"] for r in rows})
    k = [i for i, r in enumerate(rows) if r["area"] == second][-1]
    rows[k]["phone"] = "12"  # a warning
    rows[k]["elderly"] = "maybe"  # an error
    _write_rows(hh_file, rows)
    areas = areas_from_register(
        hh_file, city / "volunteers.csv", tmp_path / "w", network=city / "city.osm"
    )
    picked = [a for a in areas if a.name in (first, second)]
    results = plan_areas(
        picked,
        tmp_path / "out",
        cluster=ClusterOptions(workers=1, processes=False),
        what=(),
        settings=_quick(),
    )
    by = {r.name: r for r in results}
    assert by[first].status == "planned"
    failed = by[second]
    assert failed.status == "failed"
    named = {(p.file, p.row, p.column) for p in failed.problems}
    assert (str(hh_file), f"row {k + 2}", "elderly") in named
    assert all(p.file in (str(hh_file), str(city / "volunteers.csv")) for p in failed.problems)


def _quick() -> object:
    import dataclasses

    from routeplan.config import Settings

    s = Settings()
    return dataclasses.replace(
        s,
        planner=dataclasses.replace(
            s.planner, time_limit_s=10.0, route_solutions=30, improve_rounds=1, workers=1
        ),
    )


def test_an_area_in_one_register_only_is_named_with_its_rows(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vols = _rows(city / "volunteers.csv")
    first = sorted({v["area"] for v in vols})[0]
    moved = [k for k, v in enumerate(vols) if v["area"] == first]
    for k in moved:
        vols[k]["area"] = first + "x"  # misspelt: the area has households, no volunteers
    _write_rows(city / "volunteers.csv", vols)
    areas = areas_from_register(city / "households.csv", city / "volunteers.csv", tmp_path / "w")
    by = {a.name: a for a in areas}
    assert [p.message for p in by[first].problems] == [
        f"area {first!r} has households (rows "
        + ", ".join(
            str(k + 2) for k, r in enumerate(_rows(city / "households.csv")) if r["area"] == first
        )
        + f") but no volunteers in {city / 'volunteers.csv'}"
    ]
    assert f"write {first!r}" in by[first + "x"].problems[0].fix  # the spelling to use


def test_an_excel_city_register_is_split_like_a_csv_one(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    rows = _rows(city / "households.csv")
    first = sorted({r["area"] for r in rows})[0]
    bad = [k for k, r in enumerate(rows) if r["area"] == first][-1]
    rows[bad]["latitude"] = "96.5"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Danh sách hộ gia đình"])  # a title above the header, as offices type it
    ws.append(list(rows[0]))
    for r in rows:
        ws.append([r[c] for c in rows[0]])
    xlsx = city / "households.xlsx"
    wb.save(xlsx)
    areas = areas_from_register(xlsx, city / "volunteers.csv", tmp_path / "w")
    assert sorted(a.name for a in areas) == sorted({r["area"] for r in rows})
    assert all(len(_rows(a.households)) == 12 for a in areas)

    code = _areas_cli(city, tmp_path / "out", tmp_path, households=xlsx)
    printed = capsys.readouterr().out
    assert code == 1, printed
    # the title is row 1 and the header row 2 of the workbook: the row Excel shows
    assert f"{xlsx}, row {bad + 3} [latitude]: latitude 96.5" in printed
    assert printed.count(": planned: 12 households") == 2  # the other two areas


def test_a_geopackage_city_register_names_its_features(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import geopandas as gpd

    rows = _rows(city / "households.csv")
    first = sorted({r["area"] for r in rows})[0]
    bad = [k for k, r in enumerate(rows) if r["area"] == first][-1]
    rows[bad]["elderly"] = "maybe"
    frame = gpd.GeoDataFrame(
        [{c: v for c, v in r.items() if c not in ("latitude", "longitude")} for r in rows],
        geometry=gpd.points_from_xy(
            [float(r["longitude"] or "nan") for r in rows],
            [float(r["latitude"] or "nan") for r in rows],
        ),
        crs="EPSG:4326",
    )
    gpkg = city / "households.gpkg"
    frame.to_file(gpkg, layer="households", driver="GPKG")
    areas = areas_from_register(gpkg, city / "volunteers.csv", tmp_path / "w")
    assert all(a.households.suffix == ".geojson" for a in areas)
    assert all(len(gpd.read_file(a.households)) == 12 for a in areas)

    code = _areas_cli(city, tmp_path / "out", tmp_path, households=gpkg)
    printed = capsys.readouterr().out
    assert code == 1, printed
    assert f"{gpkg}, feature {bad + 1} [elderly]" in printed
    assert printed.count(": planned: 12 households") == 2  # the other two areas
