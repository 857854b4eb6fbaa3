"""Exports for coordinators and phones: GeoPackage, GeoJSON, CSV (GPX: test_gpx.py)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import Point

from routeplan.errors import InputDataError
from routeplan.render import bundle
from routeplan.render.export import csv as export_csv
from routeplan.render.export import safe_cell, write_exports
from routeplan.timewindows import format_clock

LAYERS = ("households", "stops", "routes", "service_points")


def _bundle(p: Any, **changes: Any) -> Any:
    """The plan bundle of namespace ``p`` (plan, registers, matrices), some parts changed."""
    parts = {**vars(p), **changes}
    return bundle(
        parts["plan"],
        parts["households"],
        parts["volunteers"],
        service_points=parts["service_points"],
        matrices=parts["matrices"],
        settings=parts.get("settings"),
    )


@pytest.fixture(scope="session")
def exported(small_plan: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    p = small_plan
    write_exports(_bundle(p), out)
    return out


def plan_stops(plan: Any) -> list[tuple[str, int, int, str, int]]:
    """(volunteer, day, order, household, arrival_s) of every stop, in file order."""
    return [
        (r.volunteer_id, r.day, s.order, s.household_id, s.arrival_s)
        for r in sorted(plan.routes, key=lambda r: (r.volunteer_id, r.day))
        for s in r.stops
    ]


def test_writes_every_file(small_plan: Any, tmp_path: Path) -> None:
    p = small_plan
    paths = write_exports(_bundle(p), tmp_path)
    names = sorted(str(x.relative_to(tmp_path)) for x in paths)
    assert names == sorted(
        [
            "plan.gpkg",
            "plan_households.geojson",
            "plan_stops.geojson",
            "plan_routes.geojson",
            "plan_service_points.geojson",
            "plan_stops.csv",
            "gpx/TN-01.gpx",
            "gpx/TN-02.gpx",
        ]
    )
    assert (
        sorted(str(x.relative_to(tmp_path)) for x in tmp_path.rglob("*") if x.is_file()) == names
    ), "stray (temporary) files left behind"


def test_geopackage_layers_match_the_plan(exported: Path, small_plan: Any) -> None:
    gpkg = exported / "plan.gpkg"
    assert [name for name, _ in pyogrio.list_layers(gpkg)] == list(LAYERS)
    p = small_plan
    stops = gpd.read_file(gpkg, layer="stops")
    assert stops.crs.to_epsg() == 4326
    got = list(
        zip(
            stops.volunteer_id,
            stops.day,
            stops.order,
            stops.household_id,
            stops.arrival_s,
            strict=True,
        )
    )
    assert got == plan_stops(p.plan)
    assert list(stops.arrival) == [format_clock(s[4]) for s in plan_stops(p.plan)]
    assert list(stops.date[:4]) == ["2025-05-12"] * 4
    hh_xy = {r.household_id: r.geometry for r in p.households.itertuples()}
    assert all(
        g.distance(hh_xy[h]) < 1e-9 for g, h in zip(stops.geometry, stops.household_id, strict=True)
    )
    assert "Nguyễn Thị Ánh" in set(stops.head_name)

    households = gpd.read_file(gpkg, layer="households")
    assert sorted(households.household_id) == sorted(p.households.household_id)
    by_id = households.set_index("household_id")
    assert by_id.loc["HB-0003", "head_name"] == '=HYPERLINK("http://evil.example","x")'
    assert by_id.loc["HB-0003", "volunteer_id"] == "TN-01"
    assert (by_id.loc["HB-0003", "day"], by_id.loc["HB-0003", "order"]) == (0, 3)
    assert by_id.loc["HB-0012", "status"] == "rollover"
    assert by_id.loc["HB-0012", "reason"] == "time"
    assert by_id.loc["HB-0012", "volunteer_id"] == "TN-01"
    assert by_id.loc["HB-0013", "status"] == "unassigned"
    assert by_id.loc["HB-0013", "reason"] == "unreachable"
    assert by_id.loc["HB-0013", "detail"] == "Không có đường đến nhà"
    assert (by_id.status == "visit").sum() == len(plan_stops(p.plan))

    sp = gpd.read_file(gpkg, layer="service_points")
    assert list(sp.point_id) == ["SP-01"] and list(sp.name) == ["UBND xã Hòa Bắc"]


def test_routes_follow_the_roads_from_home_and_back(exported: Path, small_plan: Any) -> None:
    p = small_plan
    routes = gpd.read_file(exported / "plan.gpkg", layer="routes")
    assert list(zip(routes.volunteer_id, routes.day, strict=True)) == [
        ("TN-01", 0),
        ("TN-01", 2),
        ("TN-02", 1),
        ("TN-02", 3),
    ]
    homes = {r.volunteer_id: r.geometry for r in p.volunteers.itertuples()}
    hh_xy = {r.household_id: r.geometry for r in p.households.itertuples()}
    for row, route in zip(
        routes.itertuples(),
        sorted(p.plan.routes, key=lambda r: (r.volunteer_id, r.day)),
        strict=True,
    ):
        coords = list(row.geometry.coords)
        assert Point(coords[0]).equals(homes[row.volunteer_id])
        assert Point(coords[-1]).equals(homes[row.volunteer_id])
        assert len(coords) > len(route.stops) + 2, "route drawn as straight lines"
        assert row.stops == len(route.stops) and row.start == format_clock(route.start_s)
        for stop in route.stops:
            assert row.geometry.distance(hh_xy[stop.household_id]) < 1e-9


def test_geojson_has_the_same_layers(exported: Path) -> None:
    for layer in LAYERS:
        from_json = gpd.read_file(exported / f"plan_{layer}.geojson")
        from_gpkg = gpd.read_file(exported / "plan.gpkg", layer=layer)
        assert len(from_json) == len(from_gpkg)
        assert list(from_json.columns) == list(from_gpkg.columns)
        assert from_json.geometry.geom_equals_exact(from_gpkg.geometry, 1e-7).all()
    text = (exported / "plan_stops.geojson").read_text(encoding="utf-8")
    assert "Nguyễn Thị Ánh" in text  # UTF-8, not \\u escapes


def test_csv_opens_in_excel_and_cannot_inject(exported: Path, small_plan: Any) -> None:
    raw = (exported / "plan_stops.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark: Excel would garble Vietnamese"
    with open(exported / "plan_stops.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [
        (r["volunteer_id"], int(r["day"]), int(r["order"]), r["household_id"]) for r in rows
    ] == [s[:4] for s in plan_stops(small_plan.plan)]
    names = {r["household_id"]: r["head_name"] for r in rows}
    assert names["HB-0001"] == "Nguyễn Thị Ánh"
    assert names["HB-0002"] == "Bh'riu Thị Hoa"
    assert names["HB-0003"] == '\'=HYPERLINK("http://evil.example","x")'
    assert names["HB-0004"] == "<b>x</b> & Co"
    assert names["HB-0011"] == "-5"  # a plain negative number stays a number
    assert rows[0]["phone"] == "'+84 905 123 456"
    assert rows[0]["services"] == "Định danh điện tử VNeID"
    assert float(rows[0]["lon"]) == pytest.approx(108.0312)
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+84905", "'+84905"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-12.5", "-12.5"),
        ("-3", "-3"),
        (-4, -4),
        (-0.25, -0.25),
        ("Tà Lang", "Tà Lang"),
        (None, ""),
        (True, "true"),
    ],
)
def test_safe_cell(value: Any, expected: Any) -> None:
    assert safe_cell(value) == expected


def test_without_matrix_routes_are_straight(small_plan: Any, tmp_path: Path) -> None:
    p = small_plan
    write_exports(_bundle(p, service_points=None, matrices={}), tmp_path)
    routes = gpd.read_file(tmp_path / "plan.gpkg", layer="routes")
    assert [len(g.coords) for g in routes.geometry] == [
        len(r.stops) + 2 for r in sorted(p.plan.routes, key=lambda r: (r.volunteer_id, r.day))
    ]
    assert len(gpd.read_file(tmp_path / "plan.gpkg", layer="service_points")) == 0


def test_plan_and_registers_must_agree(small_plan: Any, tmp_path: Path) -> None:
    p = small_plan
    with pytest.raises(InputDataError, match="HB-0002"):
        write_exports(
            _bundle(p, households=p.households.drop(index=1), service_points=None), tmp_path
        )
    assert not list(tmp_path.iterdir())


def test_failed_geopackage_leaves_the_old_one(
    small_plan: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = small_plan
    target = tmp_path / "plan.gpkg"
    target.write_bytes(b"last week's plan")
    real = pyogrio.write_dataframe
    calls = []

    def failing(df: Any, path: Any, **kwargs: Any) -> None:
        calls.append(kwargs.get("layer"))
        if len(calls) == 3:  # two layers written, then the disk fills up
            raise OSError("disk full")
        real(df, path, **kwargs)

    monkeypatch.setattr(pyogrio, "write_dataframe", failing)
    with pytest.raises(OSError, match="disk full"):
        write_exports(_bundle(p, service_points=None), tmp_path)
    assert target.read_bytes() == b"last week's plan"
    assert [x.name for x in tmp_path.iterdir()] == ["plan.gpkg"]


def test_failed_csv_leaves_no_partial_file(
    small_plan: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = small_plan
    real = export_csv.safe_cell
    seen = []

    def failing(value: Any) -> Any:
        seen.append(value)
        if len(seen) > 40:
            raise RuntimeError("bad cell")
        return real(value)

    monkeypatch.setattr(export_csv, "safe_cell", failing)
    with pytest.raises(RuntimeError, match="bad cell"):
        write_exports(_bundle(p, service_points=None), tmp_path)
    assert not (tmp_path / "plan_stops.csv").exists()
    assert not [x for x in tmp_path.iterdir() if x.name.startswith(".")]


def test_demo_commune_exports(demo_outputs_plan: Any, tmp_path: Path) -> None:
    p = demo_outputs_plan
    write_exports(_bundle(p), tmp_path)
    stops = gpd.read_file(tmp_path / "plan.gpkg", layer="stops")
    assert list(
        zip(
            stops.volunteer_id,
            stops.day,
            stops.order,
            stops.household_id,
            stops.arrival_s,
            strict=True,
        )
    ) == plan_stops(p.plan)
    routes = gpd.read_file(tmp_path / "plan.gpkg", layer="routes")
    homes = p.volunteers.set_index("volunteer_id").geometry
    ordered = sorted(p.plan.routes, key=lambda r: (r.volunteer_id, r.day))
    for line, route in zip(routes.geometry, ordered, strict=True):
        coords = list(line.coords)
        assert Point(coords[0]).distance(homes[route.volunteer_id]) < 1e-6
        assert Point(coords[-1]).distance(homes[route.volunteer_id]) < 1e-6
        assert len(coords) > 2 * (len(route.stops) + 1), "route not drawn along the roads"
    households = gpd.read_file(tmp_path / "plan.gpkg", layer="households")
    assert len(households) == len(p.households)
    gpx = sorted(x.stem for x in (tmp_path / "gpx").glob("*.gpx"))
    assert gpx == sorted({r.volunteer_id for r in p.plan.routes})


def test_plan_tables_show_travel_against_the_median_and_far_households(
    small_plan: Any, tmp_path: Path
) -> None:
    import dataclasses

    from routeplan.planner import Flag
    from routeplan.render import write_plan_tables

    p = small_plan.plan
    hid = next(iter(p.assignment))
    flagged = dataclasses.replace(
        p, flags=[Flag(hid, "far_from_map", "1200 m from the nearest mapped way: map the path")]
    )
    names = {x.name for x in write_plan_tables(flagged, tmp_path)}
    assert {"travel.csv", "flags.csv"} <= names
    with open(tmp_path / "travel.csv", encoding="utf-8-sig") as fh:
        travel = list(csv.DictReader(fh))
    assert {r["volunteer_id"] for r in travel} == set(p.assignment.values())
    ratios = sorted(float(r["travel_vs_median"]) for r in travel)
    mid = (ratios[(len(ratios) - 1) // 2] + ratios[len(ratios) // 2]) / 2
    assert mid == pytest.approx(1.0, abs=0.01)  # against the median
    with open(tmp_path / "flags.csv", encoding="utf-8-sig") as fh:
        flags = list(csv.DictReader(fh))
    assert [(r["household_id"], r["flag"]) for r in flags] == [(hid, "far_from_map")]
    assert "map the path" in flags[0]["flag_detail"]
