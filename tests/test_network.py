"""The road network: repairs of messy OSM, travel times per mode, GraphML, closures."""

from __future__ import annotations

import bz2
import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import shapely

from routeplan.cli import main
from routeplan.config import NetworkSettings, load_settings
from routeplan.errors import InputDataError
from routeplan.network import (
    BBox,
    Network,
    Place,
    load_network,
    read_places,
    tobler_s_per_m,
)


@pytest.fixture(scope="session")
def messy_path(fixtures_dir: Path) -> Path:
    return fixtures_dir / "osm" / "messy.osm"


@pytest.fixture(scope="session")
def messy(messy_path: Path) -> Network:
    return load_network(messy_path)


def edges_of(net: Network, osmid: int) -> list[tuple[int, int, dict[str, Any]]]:
    return [(u, v, d) for u, v, d in net.graph.edges(data=True) if d["osmid"] == osmid]


def edge(net: Network, u: int, v: int, osmid: int) -> dict[str, Any]:
    found = [d for a, b, d in edges_of(net, osmid) if (a, b) == (u, v)]
    assert len(found) == 1, (u, v, osmid, found)
    return found[0]


# --- repairs -----------------------------------------------------------------------


def test_clipped_way_is_split_where_nodes_are_missing(messy: Network) -> None:
    r = messy.report
    assert r.clipped_way_ids == [12, 13]
    assert r.missing_nodes == 3
    # way 12 lost nodes 900001-2 in the middle: both ends survive as separate pieces
    pieces = {(u, v) for u, v, d in edges_of(messy, 12) if not d["reversed"]}
    assert pieces == {(103, 113), (133, 143)}
    # way 13 kept a single node: nothing of it is left
    assert edges_of(messy, 13) == []


def test_untagged_and_unknown_highways_are_dropped_or_mapped(messy: Network) -> None:
    r = messy.report
    assert r.untagged_dropped == 1 and edges_of(messy, 14) == []
    assert r.unknown_mapped == {"trail -> path": 1, "residental -> residential": 1}
    assert {d["highway"] for _, _, d in edges_of(messy, 15)} == {"path"}
    assert {d["highway"] for _, _, d in edges_of(messy, 16)} == {"residential"}
    assert r.unknown_dropped == {"xyzzy": 1} and edges_of(messy, 17) == []
    assert r.not_routable_dropped == {"construction": 1} and edges_of(messy, 18) == []


def test_missing_maxspeed_takes_the_class_speed(messy: Network) -> None:
    s = NetworkSettings()
    d = edge(messy, 120, 121, 2)  # residential, no maxspeed
    assert d["ride_s"] == pytest.approx(d["length"] / (s.motorbike_kmh["residential"] / 3.6))
    d = edge(messy, 100, 101, 1)  # secondary, maxspeed 50 > class speed 40
    assert d["ride_s"] == pytest.approx(d["length"] / (40 / 3.6))
    d = edge(messy, 124, 134, 25)  # trunk 50 km/h class, maxspeed 60
    assert d["ride_s"] == pytest.approx(d["length"] / (50 / 3.6))
    assert messy.report.maxspeed_defaulted == 13


def test_self_loops_and_islands_are_removed(messy: Network) -> None:
    r = messy.report
    assert r.self_loops_removed == 2  # way 19 repeats node 130; way 20 goes 133 -> 133
    assert all(u != v for u, v in messy.graph.edges())
    assert edges_of(messy, 20) == []
    assert len(edges_of(messy, 19)) == 4
    assert len(r.islands) == 1
    island = r.islands[0]
    assert island.nodes == 3
    assert (island.lon, island.lat) == pytest.approx((108.0505, 16.1003))
    assert 500 not in messy.graph and 502 not in messy.graph
    assert "islands removed: 1 (3 OSM nodes" in messy.summary()


def test_closed_ways_become_two_edges_not_a_loop(messy: Network) -> None:
    ring = edges_of(messy, 28)
    assert len(ring) == 4 and all(u != v for u, v, _ in ring)
    km = sum(d["length"] for _, _, d in ring if not d["reversed"])
    assert km == pytest.approx(308.4 + 496.9, abs=1)
    square = edges_of(messy, 22)  # area=yes pedestrian square: walkable outline
    assert square and all(math.isinf(d["ride_s"]) for _, _, d in square)
    assert messy.report.area_ways == 1


# --- travel-time rules -------------------------------------------------------------


def test_oneway_applies_to_riding_only(messy: Network) -> None:
    fwd, bwd = edge(messy, 140, 141, 10), edge(messy, 141, 140, 10)
    assert math.isfinite(fwd["ride_s"]) and math.isinf(bwd["ride_s"])
    assert fwd["walk_s"] == bwd["walk_s"] < math.inf
    # oneway=-1: riding only against the node order
    assert math.isinf(edge(messy, 133, 132, 11)["ride_s"])
    assert math.isfinite(edge(messy, 132, 133, 11)["ride_s"])


def test_footways_steps_and_paths_cannot_be_ridden(messy: Network) -> None:
    for osmid in (6, 7, 8, 15, 23):
        es = edges_of(messy, osmid)
        assert es and all(
            math.isinf(d["ride_s"]) and math.isfinite(d["walk_s"]) for _, _, d in es
        ), osmid
    # ... unless a path says motorcycle=yes
    assert all(math.isfinite(d["ride_s"]) for _, _, d in edges_of(messy, 9))


def test_steps_are_walked_slower(messy: Network) -> None:
    steps = edge(messy, 121, 131, 7)
    foot = edge(messy, 101, 111, 6)
    assert steps["length"] == pytest.approx(foot["length"])
    assert steps["walk_s"] == pytest.approx(2 * foot["walk_s"])  # steps_walk_factor 0.5


def test_unpaved_tracks_are_slower(messy: Network) -> None:
    dirt = edge(messy, 104, 114, 4)  # track, no surface
    concrete = edge(messy, 102, 112, 5)  # track, surface=concrete
    assert dirt["length"] == pytest.approx(concrete["length"])
    assert dirt["ride_s"] == pytest.approx(concrete["ride_s"] / 0.6)


def test_access_private_and_foot_no(messy: Network) -> None:
    private = edges_of(messy, 24)
    assert private and all(
        math.isinf(d["ride_s"]) and math.isfinite(d["walk_s"]) for _, _, d in private
    )
    trunk = edges_of(messy, 25)
    assert trunk and all(
        math.isfinite(d["ride_s"]) and math.isinf(d["walk_s"]) for _, _, d in trunk
    )


def test_walking_access_follows_the_osm_tags(fixtures_dir: Path) -> None:
    net = load_network(fixtures_dir / "osm" / "walk_access.osm")

    def modes(osmid: int) -> tuple[list[bool], list[bool]]:
        found = edges_of(net, osmid)
        assert found, osmid
        return (
            [math.isfinite(d["walk_s"]) for _, _, d in found],
            [math.isfinite(d["ride_s"]) for _, _, d in found],
        )

    # closed to walkers: foot=no, access=no or motorroad=yes without foot=yes, motorway
    for osmid in (101, 102, 104, 109):
        walk, ride = modes(osmid)
        assert not any(walk) and any(ride), osmid
    # walked both ways: foot=yes beats access=no and motorroad; oneway, tunnel,
    # sidewalk=no and access=private do not stop walkers
    for osmid in (103, 105, 106, 107, 108, 110, 111):
        walk, _ = modes(osmid)
        assert walk == [True, True], osmid
    oneway = {d["reversed"]: math.isfinite(d["ride_s"]) for _, _, d in edges_of(net, 106)}
    assert oneway == {False: True, True: False}  # ridden one way only
    assert not any(modes(103)[1]) and not any(modes(111)[1])  # access=no: no motorbikes
    assert net.report.no_foot_ways == 3
    assert "3 closed to walkers" in net.summary()


def test_fords_cost_time(messy: Network) -> None:
    s = NetworkSettings()
    path = edge(messy, 104, 212, 26)  # passes the ford node 210
    flat = path["length"] * tobler_s_per_m(0.0, s.walk_kmh)
    assert path["walk_s"] == pytest.approx(flat + s.ford_walk_s)
    track = edge(messy, 144, 221, 27)  # the way itself is a ford
    ride = track["length"] / (15 * 0.6 / 3.6)
    assert track["ride_s"] == pytest.approx(ride + s.ford_ride_s)
    assert messy.report.fords == 2


def test_graph_is_in_osmnx_form(messy: Network) -> None:
    g = messy.graph
    assert g.graph["crs"] == "epsg:4326"
    assert g.is_directed() and g.is_multigraph()
    for _, d in g.nodes(data=True):
        assert isinstance(d["x"], float) and isinstance(d["y"], float)
    for u, v, d in g.edges(data=True):
        assert isinstance(d["osmid"], int) and isinstance(d["highway"], str)
        assert isinstance(d["walk_s"], float) and isinstance(d["ride_s"], float)
        assert d["length"] > 0
        if "geometry" in d:
            xy = list(d["geometry"].coords)
            assert xy[0] == (g.nodes[u]["x"], g.nodes[u]["y"])
            assert xy[-1] == (g.nodes[v]["x"], g.nodes[v]["y"])
    # the secondary road bends at node 200 and keeps it in its geometry
    bend = edge(messy, 101, 102, 1)
    assert len(bend["geometry"].coords) == 3
    assert edge(messy, 101, 100, 1)["name"] == "ĐT602"


def test_settings_change_speeds(messy_path: Path, tmp_path: Path) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text("[network.motorbike_kmh]\nresidential = 50\n\n[network]\nwalk_kmh = 3.0\n")
    net = load_network(messy_path, settings=load_settings(toml).network)
    d = edge(net, 120, 121, 2)
    assert d["ride_s"] == pytest.approx(d["length"] / (50 / 3.6))
    assert d["walk_s"] == pytest.approx(d["length"] * tobler_s_per_m(0.0, 3.0))


# --- slopes ------------------------------------------------------------------------


def test_tobler_uphill_is_slower_than_downhill(fixtures_dir: Path) -> None:
    net = load_network(fixtures_dir / "osm" / "slope.osm")
    up, down = edge(net, 1, 3, 1), edge(net, 3, 1, 1)
    assert up["length"] == pytest.approx(1000, rel=0.01)
    # about 10 % up: 4.5 km/h * exp(-3.5 * (0.10 + 0.05 - 0.05)); down: 4.5 km/h * exp(0)
    slope = 100 / up["length"]
    assert up["walk_s"] == pytest.approx(up["length"] / (4.5 / 3.6 * math.exp(-3.5 * slope)))
    assert down["walk_s"] == pytest.approx(
        down["length"] / (4.5 / 3.6 * math.exp(-3.5 * (abs(-slope + 0.05) - 0.05)))
    )
    assert up["walk_s"] > 1.4 * down["walk_s"]
    assert up["ride_s"] == down["ride_s"]
    # the middle node had no ele tag: it was interpolated, so the grade is steady
    assert net.report.elevation_source == "OSM ele tags"
    assert (net.report.elevation_min, net.report.elevation_max) == (100.0, 200.0)


def test_tobler_function() -> None:
    flat = tobler_s_per_m(0.0, 4.5)
    assert flat == pytest.approx(3.6 / 4.5)
    assert tobler_s_per_m(-0.05, 4.5) < flat  # fastest on a gentle descent
    assert tobler_s_per_m(0.3, 4.5) > tobler_s_per_m(-0.3, 4.5) > flat


# --- file formats, GraphML, downloads ------------------------------------------------


def test_bz2_file_loads_the_same(messy_path: Path, messy: Network, tmp_path: Path) -> None:
    packed = tmp_path / "messy.osm.bz2"
    packed.write_bytes(bz2.compress(messy_path.read_bytes()))
    assert load_network(packed).fingerprint == messy.fingerprint


def test_graphml_round_trip(messy: Network, tmp_path: Path) -> None:
    path = messy.save(tmp_path / "out" / "net.graphml")
    back = load_network(path)
    assert back.fingerprint == messy.fingerprint
    assert back.report == messy.report
    assert list(back.graph.nodes(data=True)) == list(messy.graph.nodes(data=True))
    a = list(messy.graph.edges(keys=True, data=True))
    b = list(back.graph.edges(keys=True, data=True))
    assert len(a) == len(b)
    for (u1, v1, k1, d1), (u2, v2, k2, d2) in zip(a, b, strict=True):
        assert (u1, v1, k1) == (u2, v2, k2)
        assert d1.keys() == d2.keys()
        for key in d1:
            if key == "geometry":
                assert shapely.equals_exact(d1[key], d2[key], tolerance=0)
            else:
                assert d1[key] == d2[key] and type(d1[key]) is type(d2[key]), key
    assert back.summary() == messy.summary()
    assert not list(tmp_path.joinpath("out").glob(".*.tmp*"))  # written atomically


def test_graphml_with_other_settings_warns(messy: Network, tmp_path: Path) -> None:
    path = messy.save(tmp_path / "net.graphml")
    back = load_network(path, settings=NetworkSettings(walk_kmh=3.0))
    assert any("other network settings" in p.message for p in back.report.problems)


def test_foreign_graphml_is_refused(tmp_path: Path) -> None:
    import networkx as nx

    nx.write_graphml(nx.path_graph(3), tmp_path / "x.graphml")
    with pytest.raises(InputDataError, match="not saved by routeplan"):
        load_network(tmp_path / "x.graphml")


def test_missing_and_unknown_files(tmp_path: Path) -> None:
    with pytest.raises(InputDataError, match="not found"):
        load_network(tmp_path / "nothere.osm.pbf")
    (tmp_path / "roads.shp").write_text("")
    with pytest.raises(InputDataError, match="unknown network file type"):
        load_network(tmp_path / "roads.shp")


def _without_ways(src: Path, dst: Path, drop: set[str]) -> Path:
    tree = ET.parse(src)
    root = tree.getroot()
    for way in root.findall("way"):
        if way.get("id") in drop:
            root.remove(way)
    tree.write(dst, encoding="utf-8")
    return dst


def _rounded(net: Network) -> set[tuple[Any, ...]]:
    return {
        (
            u,
            v,
            d["osmid"],
            d["highway"],
            round(d["length"], 3),
            round(d["walk_s"], 3),
            round(d["ride_s"], 3),
        )
        for u, v, d in net.graph.edges(data=True)
    }


def test_download_by_bbox_uses_our_filter_and_agrees_with_the_file(
    messy_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import osmnx as ox
    from osmnx import _osm_xml, _overpass

    # Overpass never returns ways without their nodes: drop the clipped ways
    clean = _without_ways(messy_path, tmp_path / "clean.osm", {"12", "13"})
    calls: list[tuple[Any, ...]] = []

    def fake_download(polygon: Any, network_type: str, custom_filter: str) -> Any:
        calls.append((polygon.bounds, network_type, custom_filter))
        yield _osm_xml._overpass_json_from_xml(clean, "utf-8")

    monkeypatch.setattr(_overpass, "_download_overpass_network", fake_download)
    tags_before = list(ox.settings.useful_tags_way)
    net = load_network(BBox(107.99, 16.09, 108.07, 16.12))
    assert len(calls) == 1
    bounds, network_type, custom_filter = calls[0]
    assert network_type == "all"
    for cls in (
        "track",
        "path",
        "footway",
        "steps",
        "bridleway",
        "service",
        "unclassified",
        "residential",
        "primary",
        "trunk_link",
    ):
        assert (
            f"|{cls}|" in custom_filter
            or f"({cls}|" in custom_filter
            or f"|{cls})" in custom_filter
        )
    assert custom_filter.startswith('["highway"~"^(')
    assert bounds[0] < 107.99 and bounds[2] > 108.07  # osmnx's 500 m buffer
    assert ox.settings.useful_tags_way == tags_before  # osmnx settings restored
    assert not ox.settings.all_oneway
    assert _rounded(net) == _rounded(load_network(clean))
    assert net.report.source.startswith("bbox ")


def test_download_by_place_passes_the_arguments(
    fixtures_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import osmnx as ox

    seen: dict[str, Any] = {}

    def fake_graph_from_place(query: str, **kwargs: Any) -> Any:
        seen["query"] = query
        seen.update(kwargs)
        # what osmnx builds from the download, with the settings load_network set
        return ox.graph_from_xml(
            fixtures_dir / "osm" / "slope.osm", simplify=False, retain_all=True
        )

    monkeypatch.setattr(ox, "graph_from_place", fake_graph_from_place)
    net = load_network(Place("Hòa Bắc, Đà Nẵng, Việt Nam"))
    assert seen["query"] == "Hòa Bắc, Đà Nẵng, Việt Nam"
    assert seen["simplify"] is False and seen["retain_all"] is True
    assert seen["truncate_by_edge"] is True
    assert "track" in seen["custom_filter"] and seen["network_type"] == "all"
    up, down = edge(net, 1, 3, 1), edge(net, 3, 1, 1)  # ele tags came through osmnx
    assert up["walk_s"] > down["walk_s"]


def test_bad_bbox() -> None:
    with pytest.raises(InputDataError, match="longitude first"):
        BBox(108.0, 16.2, 108.1, 16.1)


# --- closures ----------------------------------------------------------------------


def test_closures_by_way_id(messy_path: Path, tmp_path: Path) -> None:
    ids = tmp_path / "closed.csv"
    ids.write_text("way_id,reason\n4,landslide\nway/27,flooded ford\n999,typo\n")
    net = load_network(messy_path, closures=ids)
    assert edges_of(net, 4) == [] and edges_of(net, 27) == []
    assert net.report.closed_way_ids == [4, 27]
    assert net.report.closed_edges == 10
    (problem,) = net.report.problems
    assert "way 999 is not in the network" in str(problem) and problem.row == "row 4"
    assert "closures: 2 ways closed (4, 27)" in net.summary()


def test_closures_bad_id_is_an_input_error(messy_path: Path, tmp_path: Path) -> None:
    ids = tmp_path / "closed.txt"
    ids.write_text("4\nroad to Ta Lang\n")
    with pytest.raises(InputDataError, match=r"row 2.*not an OSM way id"):
        load_network(messy_path, closures=ids)


def test_closures_by_line_drawn_in_gis(messy_path: Path, messy: Network, tmp_path: Path) -> None:
    # a line across the residential road of way 2 between nodes 121 and 122, and a
    # line along the secondary road from node 102 to 103 (not touching side roads)
    lines = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"why": "landslide"},
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[108.003, 16.1035], [108.003, 16.1045]],
                },
            },
            {
                "type": "Feature",
                "properties": {"why": "flood"},
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[108.0041, 16.10002], [108.0059, 16.10002]],
                },
            },
        ],
    }
    path = tmp_path / "closed.geojson"
    path.write_text(json.dumps(lines))
    net = load_network(messy_path, closures=path)
    assert not net.graph.has_edge(121, 122) and not net.graph.has_edge(122, 121)
    assert not net.graph.has_edge(102, 103)
    assert net.report.closed_edges == 4
    # side roads meeting the closed stretch stay open
    for u, v in ((102, 112), (103, 113), (122, 132), (121, 131), (120, 121)):
        assert net.graph.has_edge(u, v), (u, v)
    assert net.fingerprint != messy.fingerprint


# --- places, command line ------------------------------------------------------------


def test_read_places(messy_path: Path) -> None:
    places = read_places(messy_path)
    assert places["Tà Lang"] == pytest.approx((108.003, 16.109))
    assert places["Giàn Bí"] == places["Gian Bi"] == pytest.approx((108.007, 16.101))


def test_cli_network_prints_summary_and_saves(
    messy_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "g.graphml"
    assert main(["-q", "network", str(messy_path), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "29 nodes" in text and "2 ways clipped" in text and "saved" in text
    assert main(["-q", "network", str(out)]) == 0
    assert "29 nodes" in capsys.readouterr().out
    assert main(["-q", "network", "--bbox", "1,2,3"]) == 2
    assert main(["-q", "network"]) == 2


# --- real data ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def andorra(andorra_pbf: Path, andorra_dem: Path) -> Network:
    return load_network(andorra_pbf, dem=andorra_dem)


@pytest.mark.shared
def test_andorra_loads_with_dem(andorra: Network) -> None:
    r = andorra.report
    g = andorra.graph
    assert g.number_of_nodes() > 2000 and g.number_of_edges() > 5000
    # this extract happens to carry every node its highways reference
    assert r.clipped_ways == 0 and r.missing_nodes == 0
    assert len(r.islands) >= 5 and all(i.nodes < 10 for i in r.islands)
    assert r.not_routable_dropped == {"construction": 2}
    assert r.dem_voids_filled > 0 and r.elevation_source == "N42E001.hgt.zip"
    assert r.elevation_min is not None and r.elevation_max is not None
    assert 600 < r.elevation_min < 1000 and 2500 < r.elevation_max < 3100
    assert r.nodes_without_elevation == 0
    km = andorra.km_by_class()
    assert km["primary"] > 100 and km["path"] > 200
    text = andorra.summary()
    assert "islands removed: " in text and "void cells filled" in text
    # mountain roads: walking up is slower than down on most long, steep edges
    steep = [
        (d["walk_s"], g.edges[v, u, k]["walk_s"])
        for u, v, k, d in g.edges(keys=True, data=True)
        if not d["reversed"]
        and g.has_edge(v, u, k)
        and d["length"] > 500
        and abs(g.nodes[v]["elevation"] - g.nodes[u]["elevation"]) > 100
    ]
    assert len(steep) > 20
    assert all(a != b for a, b in steep)


@pytest.mark.shared
def test_andorra_places(andorra_pbf: Path) -> None:
    places = read_places(andorra_pbf)
    assert len(places) >= 40
    lon, lat = places["Encamp"]
    assert 1.5 < lon < 1.6 and 42.5 < lat < 42.6


def test_places_travel_with_the_network(messy: Network, tmp_path: Path) -> None:
    assert messy.places["Tà Lang"] == pytest.approx((108.003, 16.109))
    back = load_network(messy.save(tmp_path / "net.graphml"))
    assert back.places == messy.places
