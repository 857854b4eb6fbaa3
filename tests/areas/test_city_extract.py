"""A city cut from one OSM extract by boundary polygons: make_city --extract, routeplan areas.

Three tiny communes side by side in one extract, a road crossing the boundary between
the first two, registers for the whole city with an area column. What a coordinator
sees: every area planned on its own part of the map, the road across the border
kept, a household beside the border planned, and a household outside its area's
boundary (or inside two) named with its row in the city register and the fix.
"""

from __future__ import annotations

import json
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from helpers_areas import read_rows as _rows
from helpers_areas import write_rows as _write_rows

from routeplan.areas import (
    areas_from_register,
    boundary_problems,
    cut_networks,
    read_boundaries,
)
from routeplan.cli import main
from routeplan.network import load_network

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "data"))

from make_city import make_city  # noqa: E402 - the script lives in data/

ROAD = "Đường liên xã"  # the road make_city lays between neighbouring communes


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("city")
    make_city(root, communes=3, tiny=True, tiny_households=12, extract=True)
    return root


def _copy(city: Path, tmp_path: Path) -> Path:
    target = tmp_path / "city"
    shutil.copytree(city, target)
    return target


def _run(city: Path, out: Path, tmp_path: Path) -> int:
    settings = tmp_path / "settings.toml"
    settings.write_text("[planner]\nroute_solutions = 30\nimprove_rounds = 1\nworkers = 1\n")
    args = ["-q", "areas", "--households", str(city / "households.csv")]
    args += ["--volunteers", str(city / "volunteers.csv")]
    args += ["--service-points", str(city / "service_points.csv")]
    args += ["--network", str(city / "city.osm"), "--boundaries", str(city / "boundaries.geojson")]
    args += ["--threads", "--no-maps", "--time-limit", "10", "--settings", str(settings)]
    return main([*args, "--out", str(out)])


def _crossing(city: Path) -> tuple[Any, str, str]:
    """The inter-commune road's line and the two areas it joins."""
    extract = load_network(city / "city.osm")
    polygons = read_boundaries(city / "boundaries.geojson")
    import shapely

    lines = [
        d.get("geometry")
        or shapely.LineString(
            [(extract.graph.nodes[n]["x"], extract.graph.nodes[n]["y"]) for n in (u, v)]
        )
        for u, v, d in extract.graph.edges(data=True)
        if d.get("name") == ROAD
    ]
    assert lines, "the extract has the road between communes"
    line = lines[0]
    joined = sorted(n for n, p in polygons.items() if p.intersects(line))
    return line, joined[0], joined[1]


def test_make_city_writes_one_extract_boundaries_and_a_city_register(city: Path) -> None:
    assert sorted(p.name for p in city.iterdir()) == [
        "boundaries.geojson",
        "city.osm",
        "households.csv",
        "service_points.csv",
        "volunteers.csv",
    ]
    ids = [(el.tag, el.get("id")) for el in ET.parse(city / "city.osm").getroot()]
    nodes = [i for tag, i in ids if tag == "node"]
    ways = [i for tag, i in ids if tag == "way"]
    assert len(set(nodes)) == len(nodes) and len(set(ways)) == len(ways)  # ids unique
    features = json.loads((city / "boundaries.geojson").read_text(encoding="utf-8"))["features"]
    names = [f["properties"]["area"] for f in features]
    households = _rows(city / "households.csv")
    assert sorted({r["area"] for r in households}) == sorted(names) and len(names) == 3
    assert len(households) == 36
    assert len({r["household_id"] for r in households}) == 36  # unique across the city
    assert sorted(r["area"] for r in _rows(city / "service_points.csv")) == sorted(names)
    _, west, east = _crossing(city)  # a road crosses the boundary of two communes
    assert (west, east) == (names[0], names[1])


def test_a_city_cut_from_one_extract_is_planned_area_by_area(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shapely

    city = _copy(city, tmp_path)
    line, west, east = _crossing(city)
    polygons = read_boundaries(city / "boundaries.geojson")
    # a household of the east commune 30 m inside the border, beside the road across it
    at = line.intersection(polygons[east].boundary)
    rows = _rows(city / "households.csv")
    near = next(r for r in rows if r["area"] == east and "digital_signature" not in r["services"])
    near["longitude"], near["latitude"] = f"{at.x + 0.0003:.6f}", f"{at.y + 0.0001:.6f}"
    _write_rows(city / "households.csv", rows)
    out = tmp_path / "out"
    code = _run(city, out, tmp_path)
    printed = capsys.readouterr().out
    assert code == 0, printed
    names = sorted(polygons)
    for name in names:
        assert f"{name}: planned: 12 households" in printed
        part = load_network(out / ".inputs" / name / "network.graphml").graph
        grown = polygons[name].buffer(500 / 111_000)
        # only roads reaching into the area (and its 500 m margin), nobody else's
        for u, v, d in part.edges(data=True):
            seg = d.get("geometry") or shapely.LineString(
                [(part.nodes[n]["x"], part.nodes[n]["y"]) for n in (u, v)]
            )
            assert grown.intersects(seg)
        road = [d for _, _, d in part.edges(data=True) if d.get("name") == ROAD]
        if name in (west, east):
            assert road, f"{name} keeps the road across its border"
            ends = [
                n
                for u, v, d in part.edges(data=True)
                if d.get("name") == ROAD
                for n in (u, v)
                if not polygons[name].covers(shapely.Point(part.nodes[n]["x"], part.nodes[n]["y"]))
            ]
            assert ends, "the road's end over the border is kept, so it can be driven"
        else:
            assert not road
    stops = _rows(out / east / "plan_stops.csv")
    assignment = {r["household_id"]: r["status"] for r in _rows(out / east / "assignment.csv")}
    assert assignment[near["household_id"]] in ("scheduled", "rolled_over")
    flags = {r["household_id"]: r["flag"] for r in stops}
    if near["household_id"] in flags:
        assert flags[near["household_id"]] == ""  # on the map: not "far from map"
    report = _rows(out / "areas.csv")
    assert [r["area"] for r in report] == [*names, "All areas"]
    assert int(report[-1]["households"]) == 36  # every household of the city register


def test_households_outside_their_boundary_fail_their_area_with_the_row(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    city = _copy(city, tmp_path)
    polygons = read_boundaries(city / "boundaries.geojson")
    first, second, third = sorted(polygons)
    rows = _rows(city / "households.csv")
    k_out = next(k for k, r in enumerate(rows) if r["area"] == first and r["latitude"])
    rows[k_out]["latitude"] = f"{float(rows[k_out]['latitude']) - 0.2:.6f}"  # 22 km south
    k_in = next(k for k, r in enumerate(rows) if r["area"] == second and r["latitude"])
    inside_first = polygons[first].representative_point()
    rows[k_in]["latitude"] = f"{inside_first.y:.6f}"
    rows[k_in]["longitude"] = f"{inside_first.x:.6f}"
    _write_rows(city / "households.csv", rows)
    out = tmp_path / "out"
    code = _run(city, out, tmp_path)
    printed = capsys.readouterr().out
    assert code == 1  # some areas failed
    register = str(city / "households.csv")
    lost = rows[k_out]["household_id"]
    assert f"{register}, row {k_out + 2}: household {lost}" in printed
    assert "is outside every area boundary" in printed and "widen the polygon of area" in printed
    moved = rows[k_in]["household_id"]
    assert f"{register}, row {k_in + 2}: household {moved}" in printed
    assert f"of area '{second}' (its area column) is inside area '{first}'" in printed
    assert f"{third}: planned: 12 households" in printed  # the others still run
    report = {r["area"]: r for r in _rows(out / "areas.csv")}
    assert report[first]["status"] == "failed" and f"row {k_out + 2}" in report[first]["error"]
    assert report[second]["status"] == "failed" and report[third]["status"] == "planned"


def test_a_household_inside_two_overlapping_boundaries_is_named(city: Path, tmp_path: Path) -> None:
    city = _copy(city, tmp_path)
    features = json.loads((city / "boundaries.geojson").read_text(encoding="utf-8"))
    polygons = read_boundaries(city / "boundaries.geojson")
    first, second, _ = sorted(polygons)
    # the second commune's polygon drawn over the whole of the first's
    w, s, _, n = polygons[first].bounds
    ring = features["features"][1]["geometry"]["coordinates"][0]
    assert features["features"][1]["properties"]["area"] == second
    e = max(x for x, _ in ring)
    features["features"][1]["geometry"]["coordinates"] = [[[w, s], [e, s], [e, n], [w, n], [w, s]]]
    (city / "boundaries.geojson").write_text(json.dumps(features), encoding="utf-8")
    areas = areas_from_register(city / "households.csv", city / "volunteers.csv", tmp_path / "work")
    area = next(a for a in areas if a.name == first)
    problems = boundary_problems(
        area, read_boundaries(city / "boundaries.geojson"), "boundaries.geojson"
    )
    with_coordinates = [r for r in _rows(city / "households.csv") if r["area"] == first]
    with_coordinates = [r for r in with_coordinates if r["latitude"]]
    assert len(problems) == len(with_coordinates)  # every one of them, none dropped
    rows = _rows(city / "households.csv")
    first_row = next(k for k, r in enumerate(rows) if r["area"] == first and r["latitude"])
    p = problems[0]
    assert p.file == str(city / "households.csv") and p.row == f"row {first_row + 2}"
    assert f"inside the boundaries of '{first}' and '{second}'" in p.message
    assert "overlap" in p.fix
    cut = cut_networks(
        [area], load_network(city / "city.osm"), city / "boundaries.geojson", tmp_path / "w"
    )
    assert len(cut[0].problems) == len(problems)  # its run fails with them
