"""The synthetic demo commune in data/demo: reproducible, routable and plausible."""

from __future__ import annotations

import collections
import csv
import importlib.util
import math
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from routeplan import demo
from routeplan.config import DEFAULT_SERVICES, NetworkSettings
from routeplan.errors import RouteplanError

ROOT = Path(__file__).resolve().parents[1]
HAMLETS = (
    "Tà Lang",
    "Giàn Bí",
    "Phò Nam",
    "Nam Yên",
    "Nam Mỹ",
    "Lộc Mỹ",
    "Trường Định",
    "Quan Nam",
)
MOUNTAIN = ("Tà Lang", "Giàn Bí")


@dataclass
class Osm:
    bounds: dict[str, float]
    nodes: dict[int, tuple[float, float]]  # id -> (lon, lat)
    node_tags: dict[int, dict[str, str]]
    ways: list[tuple[list[int], dict[str, str]]]

    def highways(self) -> list[tuple[list[int], dict[str, str]]]:
        return [(n, t) for n, t in self.ways if "highway" in t]


def _xy(lon: float, lat: float) -> tuple[float, float]:
    return (lon - 108.0) * 111_320 * math.cos(math.radians(16.13)), (lat - 16.13) * 110_574


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def make_demo() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_demo", ROOT / "data" / "make_demo.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_demo"] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["make_demo"]
    return module


@pytest.fixture(scope="module")
def regenerated(make_demo: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    paths: dict[str, Path] = make_demo.generate(tmp_path_factory.mktemp("demo"))
    return paths


@pytest.fixture(scope="module")
def osm(demo_dir: Path) -> Osm:
    root = ET.parse(demo_dir / "hoabac.osm").getroot()
    b = root.find("bounds")
    assert b is not None
    bounds = {k: float(v) for k, v in b.attrib.items()}
    nodes, node_tags = {}, {}
    for n in root.iter("node"):
        nid = int(n.attrib["id"])
        nodes[nid] = (float(n.attrib["lon"]), float(n.attrib["lat"]))
        node_tags[nid] = {t.attrib["k"]: t.attrib["v"] for t in n.iter("tag")}
    ways = [
        (
            [int(nd.attrib["ref"]) for nd in w.iter("nd")],
            {t.attrib["k"]: t.attrib["v"] for t in w.iter("tag")},
        )
        for w in root.iter("way")
    ]
    return Osm(bounds, nodes, node_tags, ways)


@pytest.fixture(scope="module")
def households(demo_dir: Path) -> list[dict[str, str]]:
    return _read_csv(demo_dir / "households.csv")


@pytest.fixture(scope="module")
def volunteers(demo_dir: Path) -> list[dict[str, str]]:
    return _read_csv(demo_dir / "volunteers.csv")


def test_committed_demo_is_what_the_generator_makes(
    regenerated: dict[str, Path], demo_dir: Path
) -> None:
    def text(path: Path) -> bytes:  # git may change line ends on checkout (core.autocrlf)
        return path.read_bytes().replace(b"\r\n", b"\n")

    stale = [p.name for p in regenerated.values() if text(p) != text(demo_dir / p.name)]
    assert not stale, f"data/demo is out of date ({stale}): run `python data/make_demo.py`"


def test_demo_files_finds_the_shipped_files() -> None:
    files = demo.demo_files()
    assert set(files) == {"network", "households", "volunteers", "service_points"}
    assert all(p.is_file() and p.is_absolute() for p in files.values())
    assert demo.demo_dir() == files["network"].parent


def test_missing_demo_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(demo, "_default_dir", lambda: tmp_path / "nowhere")
    with pytest.raises(RouteplanError, match=r"make_demo\.py"):
        demo.demo_dir()
    (tmp_path / "partial").mkdir()
    (tmp_path / "partial" / "hoabac.osm").write_text("<osm/>")
    monkeypatch.setattr(demo, "_default_dir", lambda: tmp_path / "partial")
    with pytest.raises(RouteplanError, match=r"households\.csv, volunteers\.csv, service_points"):
        demo.demo_files()


def test_osmnx_reads_one_connected_road_network(demo_dir: Path, osm: Osm) -> None:
    import networkx as nx
    import osmnx as ox

    graph = ox.graph_from_xml(demo_dir / "hoabac.osm", simplify=False, retain_all=True)
    roads = graph.edge_subgraph(
        [e for e, hw in nx.get_edge_attributes(graph, "highway").items() if hw]
    )
    # every road can be driven or walked to and from every other (one-way streets included)
    assert nx.is_strongly_connected(roads)
    hamlets = {t["name"]: nid for nid, t in osm.node_tags.items() if t.get("place") == "hamlet"}
    assert set(hamlets) == set(HAMLETS)
    assert set(hamlets.values()) <= set(roads.nodes)
    # what lies outside the road network is the river, streams and points of interest
    road_nodes = {n for ns, _ in osm.highways() for n in ns}
    assert len(roads) == len(road_nodes)
    water = {n for ns, t in osm.ways if "waterway" in t for n in ns}
    assert not water & road_nodes
    others = set(graph.nodes) - road_nodes - water
    assert all("amenity" in osm.node_tags[n] or "place" in osm.node_tags[n] for n in others)


def test_network_is_tagged_like_openstreetmap(osm: Osm) -> None:
    assert 5_000 <= len(osm.nodes) <= 15_000
    kinds = collections.Counter(t["highway"] for _, t in osm.highways())
    for hw in (
        "secondary",
        "tertiary",
        "unclassified",
        "residential",
        "track",
        "path",
        "footway",
        "steps",
    ):
        assert kinds[hw] > 0, hw
    tags = [t for _, t in osm.highways()]
    assert any(t.get("name") == "ĐT601" and t.get("surface") == "asphalt" for t in tags)
    assert all(
        t.get("surface") in {"dirt", "gravel", "ground"} and "tracktype" in t
        for t in tags
        if t["highway"] == "track"
    )
    assert any(t.get("bridge") == "yes" and t.get("layer") == "1" for t in tags)
    assert any(t.get("ford") == "yes" for t in tags)
    assert 1 <= sum(t.get("oneway") == "yes" for t in tags) <= 3
    assert 1 <= sum("maxspeed" in t for t in tags) < len(tags) / 10
    assert any(t.get("waterway") == "river" for _, t in osm.ways)
    ele = [float(t["ele"]) for t in osm.node_tags.values()]
    assert len(ele) == len(osm.nodes)
    assert min(ele) >= 0 and 550 <= max(ele) <= 800
    townhalls = [t["name"] for t in osm.node_tags.values() if t.get("amenity") == "townhall"]
    assert len(townhalls) == 2
    b = osm.bounds
    assert all(
        b["minlon"] <= x <= b["maxlon"] and b["minlat"] <= y <= b["maxlat"]
        for x, y in osm.nodes.values()
    )


def test_household_register(demo_dir: Path, households: list[dict[str, str]], osm: Osm) -> None:
    raw = (demo_dir / "households.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "saved as Excel does (UTF-8 with BOM)"
    assert list(households[0]) == [
        "household_id",
        "head_name",
        "village",
        "latitude",
        "longitude",
        "phone",
        "services",
        "elderly",
        "disability",
        "remote",
        "language",
        "availability",
        "notes",
    ]
    assert 1_300 <= len(households) <= 1_400
    ids = [h["household_id"] for h in households]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"HB-\d{4}", i) for i in ids)
    assert {h["village"] for h in households} == set(HAMLETS)
    village_only = [h for h in households if not h["latitude"]]
    assert 1 <= len(village_only) <= 10 and all(not h["longitude"] for h in village_only)
    b = osm.bounds
    for h in households:
        if h["latitude"]:
            assert b["minlat"] < float(h["latitude"]) < b["maxlat"], h
            assert b["minlon"] < float(h["longitude"]) < b["maxlon"], h
        codes = h["services"].split(";")
        assert 1 <= len(codes) <= 3 and set(codes) <= set(DEFAULT_SERVICES), h
        assert h["phone"] == "" or re.fullmatch(r"0[3789]\d{8}", h["phone"]), h
        assert {h["elderly"], h["disability"], h["remote"]} <= {"0", "1"}
    share = collections.Counter(c for h in households for c in h["services"].split(";"))
    assert share["digital_signature"] < share["vneid"] / 4
    elderly = sum(h["elderly"] == "1" for h in households) / len(households)
    assert 0.22 <= elderly <= 0.33
    assert any(re.search("[ăâđêôơư]", h["head_name"]) for h in households)


def test_co_tu_households_live_in_the_mountain_hamlets(households: list[dict[str, str]]) -> None:
    co_tu = [h for h in households if h["language"]]
    assert {h["language"] for h in co_tu} == {"Cơ Tu"}
    assert sum(h["village"] in MOUNTAIN for h in co_tu) / len(co_tu) >= 0.9
    mountain = [h for h in households if h["village"] in MOUNTAIN]
    assert sum(bool(h["language"]) for h in mountain) / len(mountain) >= 0.8
    remote = [h for h in households if h["remote"] == "1"]
    assert sum(h["village"] in MOUNTAIN for h in remote) / len(remote) >= 0.6


def test_every_house_is_near_a_mapped_way(households: list[dict[str, str]], osm: Osm) -> None:
    import shapely

    lines = [shapely.linestrings([_xy(*osm.nodes[n]) for n in ns]) for ns, _ in osm.highways()]
    tree = shapely.STRtree(lines)
    pts = shapely.points(
        [_xy(float(h["longitude"]), float(h["latitude"])) for h in households if h["latitude"]]
    )
    _, dist = tree.query_nearest(pts, return_distance=True, all_matches=False)
    assert dist.max() < NetworkSettings().max_snap_m
    assert (dist <= 60).mean() >= 0.9


def _hours(availability: str) -> float:
    total = 0.0
    for part in availability.split(";"):
        day, spans = part.split()
        assert day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
        for span in spans.split(","):
            a, b = (int(t[:2]) * 60 + int(t[3:]) for t in span.split("-"))
            total += (b - a) / 60
    return total


def test_volunteer_register(
    demo_dir: Path, volunteers: list[dict[str, str]], households: list[dict[str, str]]
) -> None:
    assert (demo_dir / "volunteers.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert list(volunteers[0]) == [
        "volunteer_id",
        "name",
        "phone",
        "latitude",
        "longitude",
        "capacity",
        "availability",
        "mode",
        "skills",
        "languages",
    ]
    assert len(volunteers) == 70
    assert [v["volunteer_id"] for v in volunteers] == [f"TN-{i:02d}" for i in range(1, 71)]
    assert sum(int(v["capacity"]) for v in volunteers) >= len(households)
    assert all(8 <= _hours(v["availability"]) <= 14 for v in volunteers)
    modes = collections.Counter(v["mode"] for v in volunteers)
    assert set(modes) == {"motorbike", "walking"} and modes["motorbike"] > modes["walking"]
    assert 5 <= sum(v["skills"] == "digital_signature" for v in volunteers) <= 15
    assert 3 <= sum(v["languages"] == "co_tu" for v in volunteers) <= 10


def test_service_points(demo_dir: Path) -> None:
    points = _read_csv(demo_dir / "service_points.csv")
    assert [p["point_id"] for p in points] == ["SP-01", "SP-02"]
    assert "Hòa Bắc" in points[0]["name"] and "Hải Vân" in points[1]["name"]
    assert float(points[1]["longitude"]) > float(points[0]["longitude"]) + 0.05


def test_demo_registers_load_through_the_readers(demo_dir: Path) -> None:
    from routeplan import registers
    from routeplan.config import Settings

    settings = Settings()
    hh = registers.read_households(demo_dir / "households.csv", settings=settings)
    assert len(hh) == 1_350 and hh["household_id"].is_unique
    assert (hh["location_quality"] == "gps").sum() == 1_345
    co_tu = hh[hh["language"] == "co_tu"]
    assert co_tu["village"].isin(MOUNTAIN).mean() >= 0.9
    assert hh["services"].map(len).between(1, 3).all()
    vol = registers.read_volunteers(demo_dir / "volunteers.csv", settings=settings)
    assert len(vol) == 70 and vol["windows"].map(len).min() >= 2
    assert vol["languages"].map(lambda s: "co_tu" in s).sum() == 6
    points = registers.read_service_points(demo_dir / "service_points.csv")
    assert list(points["point_id"]) == ["SP-01", "SP-02"]
