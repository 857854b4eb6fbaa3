"""Travel times against networkx and a plain Dijkstra over the whole split graph."""

from __future__ import annotations

import itertools
import math
import types
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
from helpers_matrix import SETTINGS, WALK, Ways, cell, pts
from shapely.geometry import Point

from routeplan.matrix import UNREACHABLE, build_matrix, compute
from routeplan.matrix.graph import Edges, layered, split
from routeplan.matrix.points import check_points
from routeplan.matrix.prepare import prepare
from routeplan.matrix.snap import snap


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
    lonlat = check_points(points)[2]
    prep = prepare(network)
    pieces = split(prep, snap(prep, lonlat, mode))
    base = pieces.n - len(lonlat)
    graph, sources, targets, _ = layered(
        Edges(
            pieces.src,
            pieces.dst,
            pieces.walk,
            pieces.ride if mode == "motorbike" else np.full(len(pieces.src), np.inf),
        ),
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
        monkeypatch.setattr(compute, "_BATCH_CELLS", cells)
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
