"""Travel-time matrix: snapping, times against networkx, modes, paths and the cache."""

from __future__ import annotations

import itertools
import logging
import math
import types
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
from shapely.geometry import LineString, Point

from routeplan import matrix as mx
from routeplan.config import NetworkSettings
from routeplan.errors import InputDataError
from routeplan.matrix import UNREACHABLE, build_matrix, points_frame

LON0, LAT0 = 108.05, 16.12
M_LAT = 111_195.0  # metres per degree of latitude (the matrix's sphere)
M_LON = M_LAT * math.cos(math.radians(LAT0))
WALK = 1.25  # m/s, 4.5 km/h: the default walk_kmh
SETTINGS = NetworkSettings()


def at(x_m: float, y_m: float) -> tuple[float, float]:
    """Lon/lat of a spot x_m east and y_m north of the origin."""
    return (LON0 + x_m / M_LON, LAT0 + y_m / M_LAT)


class Ways:
    """A hand-made osmnx-form graph: nodes in metres, ways with speeds per direction."""

    def __init__(self) -> None:
        self.g = nx.MultiDiGraph(crs="epsg:4326")
        self.osmid = 0

    def node(self, n: int, x_m: float, y_m: float) -> None:
        lon, lat = at(x_m, y_m)
        self.g.add_node(n, x=lon, y=lat)

    def way(
        self,
        u: int,
        v: int,
        *,
        walk: float = WALK,
        back_walk: float | None = None,
        ride: float | None = None,
        oneway: bool = False,
        bends: tuple = (),
        walk_oneway: bool = False,
    ) -> None:
        """Add u-v; ``walk``/``ride`` in m/s (``ride=None``: cannot be ridden)."""
        self.osmid += 1
        xy = [self._xy(u), *bends, self._xy(v)]
        length = sum(math.dist(a, b) for a, b in itertools.pairwise(xy))
        lonlat = [at(*p) for p in xy]
        for a, b, line, w, forward in (
            (u, v, lonlat, walk, True),
            (v, u, lonlat[::-1], back_walk or walk, False),
        ):
            if not forward and oneway and walk_oneway:
                continue
            r = math.inf if ride is None or (oneway and not forward) else length / ride
            attrs = {
                "osmid": self.osmid,
                "highway": "residential" if ride else "path",
                "length": length,
                "walk_s": length / w,
                "ride_s": r,
                "reversed": not forward,
            }
            if bends:
                attrs["geometry"] = LineString(line)
            self.g.add_edge(a, b, **attrs)

    def _xy(self, n: int) -> tuple[float, float]:
        d = self.g.nodes[n]
        return ((d["x"] - LON0) * M_LON, (d["y"] - LAT0) * M_LAT)

    def network(self) -> types.SimpleNamespace:
        from routeplan.network import fingerprint

        return types.SimpleNamespace(graph=self.g, fingerprint=fingerprint(self.g))


def pts(**where: tuple[float, float]) -> gpd.GeoDataFrame:
    """Points frame from id=(x_m, y_m)."""
    return gpd.GeoDataFrame(
        {"point_id": list(where), "kind": ["household"] * len(where)},
        geometry=[Point(*at(*xy)) for xy in where.values()],
        crs="EPSG:4326",
    )


def cell(m: mx.TravelMatrix, a: str, b: str) -> int:
    return int(m.seconds[m.index(a), m.index(b)])


# --- hand graphs -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def grid() -> Ways:
    """A 5x5 grid, 200 m apart, sloped: walking north is slower than south."""
    w = Ways()
    for i in range(5):
        for j in range(5):
            w.node(10 * i + j, 200 * i, 200 * j)
    for i in range(5):
        for j in range(5):
            if i < 4:
                w.way(10 * i + j, 10 * (i + 1) + j, ride=8.0 if j % 2 == 0 else None)
            if j < 4:
                w.way(
                    10 * i + j,
                    10 * i + j + 1,
                    walk=0.8,
                    back_walk=1.5,
                    ride=6.0 if i == 2 else None,
                )
    return w


def split_with_points(
    g: nx.MultiDiGraph, placed: dict[str, tuple[int, int, float]]
) -> nx.MultiDiGraph:
    """Insert each point as a node on edge u-v (both directions) at fraction f from u."""
    h = g.copy()
    by_edge: dict[tuple[int, int], list[tuple[float, str]]] = {}
    for pid, (u, v, f) in placed.items():
        by_edge.setdefault((u, v), []).append((f, pid))
        by_edge.setdefault((v, u), []).append((1 - f, pid))
    for (u, v), items in by_edge.items():
        if not h.has_edge(u, v):
            continue
        data = dict(h.get_edge_data(u, v)[0])
        h.remove_edge(u, v, 0)
        chain = [(0.0, u), *sorted(items), (1.0, v)]
        for (f0, a), (f1, b) in itertools.pairwise(chain):
            h.add_edge(a, b, walk_s=data["walk_s"] * (f1 - f0))
    return h


def test_walking_times_match_networkx_on_the_split_graph(grid: Ways) -> None:
    rng = np.random.default_rng(7)
    edges = [(u, v) for u, v, d in grid.g.edges(data=True) if not d["reversed"]]
    placed, where, offsets = {}, {}, {}
    for k in range(24):
        u, v = edges[int(rng.integers(len(edges)))]
        f = float(rng.uniform(0.3, 0.7))
        off = float(rng.uniform(0, 40))
        (x0, y0), (x1, y1) = grid._xy(u), grid._xy(v)
        nx_, ny_ = (-(y1 - y0) / 200, (x1 - x0) / 200)  # unit normal
        placed[f"P{k}"] = (u, v, f)
        where[f"P{k}"] = (x0 + f * (x1 - x0) + off * nx_, y0 + f * (y1 - y0) + off * ny_)
        offsets[f"P{k}"] = off
    m = build_matrix(grid.network(), pts(**where), mode="walking", settings=SETTINGS)
    h = split_with_points(grid.g, placed)
    assert m.seconds.dtype == np.int32 and m.seconds.shape == (24, 24)
    np.testing.assert_allclose(m.snaps["snap_m"], [offsets[p] for p in m.ids], atol=0.05)
    for a in m.ids:
        lengths = nx.single_source_dijkstra_path_length(h, a, weight="walk_s")
        for b in m.ids:
            want = 0 if a == b else lengths[b] + (offsets[a] + offsets[b]) / WALK
            assert abs(cell(m, a, b) - want) <= 1, (a, b)
    assert (m.seconds != m.seconds.T).any()  # slopes make trips asymmetric


def plain_dijkstra_seconds(network: types.SimpleNamespace, points: gpd.GeoDataFrame, mode: str):  # type: ignore[no-untyped-def]
    """The matrix by brute force: networkx from every point over the whole split graph."""
    lonlat = mx._check_points(points)[2]
    prep = mx._prepare(network)
    pieces = mx._split(prep, mx._snap(prep, lonlat, mode))
    base = pieces.n - len(lonlat)
    graph, sources, targets, _ = mx._layered(
        pieces.src,
        pieces.dst,
        pieces.walk,
        pieces.ride if mode == "motorbike" else np.full(len(pieces.src), np.inf),
        pieces.n,
        np.arange(base, pieces.n),
        mode,
        float(SETTINGS.switch_s),
    )
    g = nx.DiGraph()
    rows = np.repeat(np.arange(graph.shape[0]), np.diff(graph.indptr))
    g.add_weighted_edges_from(
        zip(rows.tolist(), graph.indices.tolist(), graph.data.tolist(), strict=True)
    )
    want = np.full((len(lonlat), len(lonlat)), np.inf)
    for i, s in enumerate(sources.tolist()):
        lengths = nx.single_source_dijkstra_path_length(g, s) if s in g else {}
        want[i] = [lengths.get(int(t), np.inf) for t in targets]
    return want


@pytest.fixture(scope="module")
def branchy(grid: Ways) -> Ways:
    """The grid with a dead-end tree (a one-way ride in it) and a loop on a stalk."""
    w = Ways()
    w.g, w.osmid = grid.g.copy(), grid.osmid
    for n, (x, y) in {
        100: (1000, 800),
        101: (1250, 800),
        102: (1000, 1050),
        103: (1150, 1100),
        110: (-250, 0),
        111: (-450, 100),
        112: (-450, -100),
    }.items():
        w.node(n, x, y)
    w.way(44, 100, ride=9.0)
    w.way(100, 101, walk=1.0)  # footpath
    w.way(100, 102, ride=7.0, oneway=True)  # ridden out only
    w.way(102, 103, back_walk=0.7)
    w.way(0, 110, ride=5.0)
    w.way(110, 111, ride=5.0)
    w.way(111, 112)
    w.way(112, 110, ride=4.0)
    return w


@pytest.mark.parametrize(
    ("mode", "cells"),
    [("walking", None), ("motorbike", None), ("motorbike", 100)],
)
def test_times_match_a_plain_dijkstra_over_the_whole_split_graph(
    branchy: Ways, mode: str, cells: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if cells is not None:  # tiny Dijkstra batches: the same times
        monkeypatch.setattr(mx, "_BATCH_CELLS", cells)
    rng = np.random.default_rng(11)
    spots = rng.uniform([-500, -150], [1300, 1150], size=(60, 2))
    points = pts(**{f"P{k}": (float(x), float(y)) for k, (x, y) in enumerate(spots)})
    m = build_matrix(branchy.network(), points, mode=mode, settings=SETTINGS)
    want = plain_dijkstra_seconds(branchy.network(), points, mode)
    access = m.snaps["snap_m"].to_numpy() / WALK
    want = want + access[:, None] + access[None, :]
    np.fill_diagonal(want, 0)
    got = m.seconds.astype(np.float64)
    got[got == UNREACHABLE] = np.inf
    assert m.snaps["reachable"].all()
    assert np.isfinite(want).all()
    assert np.abs(got - want).max() <= 0.5 + 1e-6


def test_points_at_one_spot_of_a_way_are_their_access_legs_apart() -> None:
    w = Ways()
    w.node(1, 0, 0)
    w.node(2, 1000, 0)
    w.way(1, 2)
    m = build_matrix(
        w.network(), pts(north=(400, 10), south=(400, -20)), mode="walking", settings=SETTINGS
    )
    assert cell(m, "north", "south") == round(30 / WALK) == cell(m, "south", "north")


def test_walkers_are_snapped_past_a_road_closed_to_them() -> None:
    w = Ways()
    for n, (x, y) in {1: (0, 0), 2: (1000, 0), 3: (0, 60), 4: (1000, 60)}.items():
        w.node(n, x, y)
    w.way(1, 2, walk=1e-9, ride=15.0)  # a trunk road with foot=no (walk_s = inf below)
    w.way(3, 4)  # the lane behind the houses
    w.way(1, 3, ride=10.0)
    w.way(2, 4, ride=10.0)
    for _, _, d in w.g.edges(data=True):
        if d["osmid"] == 1:
            d["walk_s"] = math.inf
    points = pts(a=(200, 20), b=(700, 20))
    walk = build_matrix(w.network(), points, mode="walking", settings=SETTINGS)
    bike = build_matrix(w.network(), points, mode="motorbike", settings=SETTINGS)
    assert walk.snaps["reachable"].all()
    assert list(walk.snaps["snap_m"].round(3)) == [40.0, 40.0]  # onto the lane
    assert cell(walk, "a", "b") == round((40 + 500 + 40) / WALK)
    assert list(bike.snaps["snap_m"].round(3)) == [20.0, 20.0]  # onto the road


def test_edge_snapping_beats_node_snapping_on_a_long_edge() -> None:
    w = Ways()
    w.node(1, 0, 0)
    w.node(2, 2000, 0)
    w.way(1, 2)
    m = build_matrix(
        w.network(), pts(mid=(1000, 15), end=(2000, 0)), mode="walking", settings=SETTINGS
    )
    assert m.snaps.loc["mid", "snap_m"] == pytest.approx(15, abs=0.01)
    assert m.snaps.loc["mid", "access_s"] == 12
    assert cell(m, "mid", "end") == round((15 + 1000) / WALK)
    assert not m.snaps["no_mapped_access"].any()


def test_one_way_edge_is_respected_and_both_ends_reported() -> None:
    w = Ways()
    for n, (x, y) in {1: (0, 0), 2: (1000, 0), 3: (1000, 500), 4: (0, 500)}.items():
        w.node(n, x, y)
    w.way(1, 2, oneway=True, walk_oneway=True)  # a one-way lane (even on foot)
    w.way(2, 3)
    w.way(3, 4)
    w.way(4, 1)
    m = build_matrix(w.network(), pts(a=(200, 0), b=(800, 0)), mode="walking", settings=SETTINGS)
    assert cell(m, "a", "b") == round(600 / WALK)
    assert cell(m, "b", "a") == round((200 + 500 + 1000 + 500 + 200) / WALK)


def test_a_snapped_point_on_a_one_way_dead_end_is_reported() -> None:
    w = Ways()
    for n, x in {1: 0, 2: 500, 3: 1000}.items():
        w.node(n, x, 0)
    w.way(1, 2)
    w.way(2, 3, oneway=True, walk_oneway=True)  # leads out, never back
    m = build_matrix(
        w.network(), pts(home=(100, 0), stuck=(900, 0)), mode="walking", settings=SETTINGS
    )
    assert not m.snaps.loc["stuck", "reachable"]
    assert "no way back" in m.snaps.loc["stuck", "reason"]
    assert cell(m, "home", "stuck") == UNREACHABLE == cell(m, "stuck", "home")
    assert m.snaps.loc["home", "reachable"]


def test_motorbike_rides_then_walks_up_the_footpath() -> None:
    w = Ways()
    w.node(1, 0, 0)
    w.node(2, 1000, 0)
    w.node(3, 1000, 200)
    w.way(1, 2, ride=10.0)  # road: 100 s by motorbike, 800 s on foot
    w.way(2, 3)  # footpath up to the house: 160 s
    net = w.network()
    points = pts(home=(0, 0), house=(1000, 200))
    bike = build_matrix(net, points, mode="motorbike", settings=SETTINGS)
    walk = build_matrix(net, points, mode="walking", settings=SETTINGS)
    assert cell(bike, "home", "house") == 100 + SETTINGS.switch_s + 160
    assert cell(bike, "house", "home") == 160 + 100 + SETTINGS.switch_s
    assert cell(walk, "home", "house") == 800 + 160
    assert bike.mode == "motorbike" and walk.mode == "walking"


def test_motorbike_walks_a_short_hop_rather_than_parking() -> None:
    w = Ways()
    w.node(1, 0, 0)
    w.node(2, 1000, 0)
    w.way(1, 2, ride=10.0)
    points = pts(a=(500, 0), b=(520, 0))
    bike = build_matrix(w.network(), points, mode="motorbike", settings=SETTINGS)
    assert cell(bike, "a", "b") == 16  # 20 m on foot beats 2 s ride + 60 s parking


def test_motorbike_is_never_slower_than_walking_on_the_grid(grid: Ways) -> None:
    rng = np.random.default_rng(3)
    points = pts(
        **{
            f"P{k}": (float(x), float(y))
            for k, (x, y) in enumerate(rng.uniform(-30, 830, size=(30, 2)))
        }
    )
    bike = build_matrix(grid.network(), points, mode="motorbike", settings=SETTINGS)
    walk = build_matrix(grid.network(), points, mode="walking", settings=SETTINGS)
    assert (bike.seconds <= walk.seconds).all()
    assert (bike.seconds < walk.seconds).sum() > 100


def test_an_island_is_unreachable_and_reported_by_id() -> None:
    w = Ways()
    for n, (x, y) in {1: (0, 0), 2: (500, 0), 3: (0, 3000), 4: (300, 3000)}.items():
        w.node(n, x, y)
    w.way(1, 2)
    w.way(3, 4)  # an island
    points = pts(a=(100, 0), b=(400, 0), island=(150, 3010))
    m = build_matrix(w.network(), points, mode="walking", settings=SETTINGS)
    assert list(m.snaps.index[~m.snaps["reachable"]]) == ["island"]
    assert "not connected" in m.snaps.loc["island", "reason"]
    i = m.index("island")
    assert (np.delete(m.seconds[i], i) == UNREACHABLE).all()
    assert (np.delete(m.seconds[:, i], i) == UNREACHABLE).all()
    assert m.seconds[i, i] == 0
    assert cell(m, "a", "b") == round(300 / WALK)
    assert m.path(m.index("a"), i) == []


def test_a_point_far_from_every_way_is_flagged_but_kept() -> None:
    w = Ways()
    w.node(1, 0, 0)
    w.node(2, 500, 0)
    w.way(1, 2)
    m = build_matrix(
        w.network(), pts(near=(100, 5), far=(250, 400)), mode="walking", settings=SETTINGS
    )
    assert list(m.ids) == ["near", "far"]
    assert m.snaps.loc["far", "no_mapped_access"] and m.snaps.loc["far", "reachable"]
    assert "400 m from the nearest mapped way" in m.snaps.loc["far", "reason"]
    assert not m.snaps.loc["near", "no_mapped_access"]
    assert m.snaps.loc["near", "reason"] == ""
    assert cell(m, "near", "far") == round((5 + 150 + 400) / WALK)


def test_several_points_on_one_edge_and_at_one_spot() -> None:
    w = Ways()
    w.node(1, 0, 0)
    w.node(2, 1000, 0)
    w.way(1, 2)
    m = build_matrix(
        w.network(),
        pts(c=(700, 0), a=(100, 0), b=(400, 0), b2=(400, 0)),
        mode="walking",
        settings=SETTINGS,
    )
    assert cell(m, "a", "c") == round(600 / WALK)
    assert cell(m, "c", "a") == round(600 / WALK)
    assert cell(m, "b", "b2") == 0 == cell(m, "b2", "b")


def test_path_follows_the_roads_from_point_to_point() -> None:
    w = Ways()
    w.node(1, 0, 0)
    w.node(2, 1000, 0)
    w.node(3, 1000, 600)
    w.way(1, 2, bends=((300, 100), (600, -100)))
    w.way(2, 3)
    points = pts(a=(150, 80), b=(990, 400))
    m = build_matrix(w.network(), points, mode="walking", settings=SETTINGS)
    line = m.path(0, 1)
    assert line[0] == pytest.approx(at(150, 80))
    assert line[-1] == pytest.approx(at(990, 400))
    xy = [((lon - LON0) * M_LON, (lat - LAT0) * M_LAT) for lon, lat in line]
    assert any(abs(x - 600) < 0.01 and abs(y + 100) < 0.01 for x, y in xy)  # the bend
    assert any(abs(x - 1000) < 0.01 and abs(y) < 0.01 for x, y in xy)  # the junction
    walked = sum(math.dist(p, q) for p, q in itertools.pairwise(xy))
    assert walked / WALK == pytest.approx(m.seconds[0, 1], abs=1.5)
    back = m.path(1, 0)
    assert back[0] == pytest.approx(at(990, 400)) and back[-1] == pytest.approx(at(150, 80))
    assert m.path(0, 0) == [pytest.approx(at(150, 80))]


def test_path_on_the_motorbike_goes_through_the_parking_spot() -> None:
    w = Ways()
    w.node(1, 0, 0)
    w.node(2, 1000, 0)
    w.node(3, 1000, 200)
    w.way(1, 2, ride=10.0)
    w.way(2, 3)
    m = build_matrix(
        w.network(), pts(home=(0, 0), house=(1000, 200)), mode="motorbike", settings=SETTINGS
    )
    line = m.path(0, 1)
    assert line[0] == pytest.approx(at(0, 0)) and line[-1] == pytest.approx(at(1000, 200))
    assert pytest.approx(at(1000, 0)) in line


# --- points frame and validation ---------------------------------------------------------


def _frame(col: str, ids: list[str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {col: ids}, geometry=[Point(*at(10 * k, 0)) for k in range(len(ids))], crs="EPSG:4326"
    )


def test_points_frame_builds_ids_and_kinds() -> None:
    frame = points_frame(
        _frame("household_id", ["HB-1", "HB-2"]),
        _frame("volunteer_id", ["TN-01"]),
        _frame("point_id", ["SP-01"]),
    )
    assert list(frame["point_id"]) == ["HB-1", "HB-2", "TN-01", "SP-01"]
    assert list(frame["kind"]) == ["household", "household", "home", "service_point"]
    assert frame.crs.to_epsg() == 4326


def test_points_frame_names_clashing_ids() -> None:
    with pytest.raises(InputDataError) as err:
        points_frame(
            _frame("household_id", ["X-1", "HB-2"]),
            _frame("volunteer_id", ["X-1"]),
            _frame("point_id", ["HB-2"]),
        )
    text = str(err.value)
    assert "'X-1'" in text and "'HB-2'" in text and "2 problems" in text


def test_bad_points_are_all_listed() -> None:
    w = Ways()
    w.node(1, 0, 0)
    w.node(2, 100, 0)
    w.way(1, 2)
    bad = gpd.GeoDataFrame(
        {"point_id": ["a", "a", "c"], "kind": ["household", "home", "shop"]},
        geometry=[Point(*at(0, 0)), None, Point(*at(0, 0))],
        crs="EPSG:4326",
    )
    with pytest.raises(InputDataError) as err:
        build_matrix(w.network(), bad, mode="walking", settings=SETTINGS)
    text = str(err.value)
    assert "duplicate point_id 'a'" in text and "'shop'" in text and "no location" in text
    with pytest.raises(InputDataError, match="unknown travel mode"):
        build_matrix(w.network(), pts(a=(0, 0)), mode="bicycle", settings=SETTINGS)


# --- cache -----------------------------------------------------------------------------


def test_cache_hit_skips_the_work_and_any_change_misses(
    grid: Ways, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls = []
    real = mx._dijkstra

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(mx, "_dijkstra", counting)
    net = grid.network()
    points = pts(a=(10, 10), b=(390, 610), c=(800, 5))
    first = build_matrix(net, points, mode="walking", settings=SETTINGS, cache_dir=tmp_path)
    assert calls and len(list(tmp_path.glob("*.npz"))) == 1
    calls.clear()
    again = build_matrix(net, points, mode="walking", settings=SETTINGS, cache_dir=tmp_path)
    assert not calls
    np.testing.assert_array_equal(again.seconds, first.seconds)
    assert again.snaps.equals(first.snaps) and again.ids == first.ids
    assert again.path(0, 2) == first.path(0, 2)  # paths still work from a cached matrix

    moved = pts(a=(10, 10), b=(390, 611), c=(800, 5))
    renamed = pts(a=(10, 10), b2=(390, 610), c=(800, 5))
    for kwargs in (
        {"points": moved},
        {"points": renamed},
        {"mode": "motorbike"},
        {"settings": NetworkSettings(walk_kmh=4.0)},
    ):
        calls.clear()
        args = {"points": points, "mode": "walking", "settings": SETTINGS} | kwargs
        build_matrix(net, args.pop("points"), cache_dir=tmp_path, **args)
        assert calls, kwargs
    calls.clear()
    changed = grid.g.copy()
    u, v, k = next(iter(changed.edges(keys=True)))
    changed.edges[u, v, k]["walk_s"] += 1
    from routeplan.network import fingerprint

    other = types.SimpleNamespace(graph=changed, fingerprint=fingerprint(changed))
    build_matrix(other, points, mode="walking", settings=SETTINGS, cache_dir=tmp_path)
    assert calls

    for f in tmp_path.glob("*.npz"):
        f.write_bytes(b"not a zip file")
    calls.clear()
    with caplog.at_level(logging.WARNING, logger="routeplan.matrix"):
        fresh = build_matrix(net, points, mode="walking", settings=SETTINGS, cache_dir=tmp_path)
    assert calls and "ignoring the unreadable travel-time cache" in caplog.text
    np.testing.assert_array_equal(fresh.seconds, first.seconds)


# --- real data -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_network(demo_dir: Path):  # type: ignore[no-untyped-def]
    from routeplan.network import load_network

    return load_network(demo_dir / "hoabac.osm")


def _nodes_vs_networkx(network, n: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    """Points placed exactly on junctions: times must be networkx's node-to-node times."""
    g = network.graph
    main = max(
        nx.strongly_connected_components(
            g.edge_subgraph(
                [(u, v, k) for u, v, k, w in g.edges(keys=True, data="walk_s") if math.isfinite(w)]
            )
        ),
        key=len,
    )
    rng = np.random.default_rng(seed)
    nodes = [int(x) for x in rng.choice(sorted(main), size=n, replace=False)]
    points = gpd.GeoDataFrame(
        {"point_id": [f"N{x}" for x in nodes], "kind": "household"},
        geometry=[Point(g.nodes[x]["x"], g.nodes[x]["y"]) for x in nodes],
        crs="EPSG:4326",
    )
    m = build_matrix(network, points, mode="walking", settings=SETTINGS)
    assert m.snaps["snap_m"].max() < 0.01 and m.snaps["reachable"].all()
    for a in nodes:
        lengths = nx.single_source_dijkstra_path_length(g, a, weight="walk_s")
        want = np.array([lengths[b] for b in nodes])
        got = m.seconds[m.index(f"N{a}")]
        assert np.abs(got - want).max() <= 1


def test_demo_times_match_networkx(demo_network) -> None:  # type: ignore[no-untyped-def]
    _nodes_vs_networkx(demo_network, 40, seed=1)


@pytest.mark.shared
def test_andorra_times_match_networkx(andorra_pbf: Path) -> None:
    from routeplan.network import load_network

    _nodes_vs_networkx(load_network(andorra_pbf), 30, seed=2)


def test_demo_registers_matrix(demo_network, demo_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from routeplan.config import Settings
    from routeplan.registers import read_households, read_service_points, read_volunteers

    s = Settings()
    points = points_frame(
        read_households(demo_dir / "households.csv", settings=s),
        read_volunteers(demo_dir / "volunteers.csv", settings=s),
        read_service_points(demo_dir / "service_points.csv"),
    )
    walk = build_matrix(demo_network, points, mode="walking", settings=s)
    bike = build_matrix(demo_network, points, mode="motorbike", settings=s)
    assert len(walk) == len(points) == 1422
    assert (bike.seconds <= walk.seconds).all()
    assert walk.snaps["reachable"].all()
    far = walk.seconds[walk.index("SP-01"), walk.index("SP-02")]
    assert 3600 < far < UNREACHABLE
    hh = walk.index("HB-0001")
    line = bike.path(hh, bike.index("SP-01"))
    assert len(line) > 10
