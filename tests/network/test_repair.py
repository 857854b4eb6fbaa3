"""Repairs of messy OSM: clipped ways, self-loops, islands."""

from __future__ import annotations

import pytest
from helpers_network import edges_of

from routeplan.network import Network


def test_clipped_way_is_split_where_nodes_are_missing(messy: Network) -> None:
    r = messy.report
    assert r.clipped_way_ids == [12, 13]
    assert r.missing_nodes == 3
    # way 12 lost nodes 900001-2 in the middle: both ends survive as separate pieces
    pieces = {(u, v) for u, v, d in edges_of(messy, 12) if not d["reversed"]}
    assert pieces == {(103, 113), (133, 143)}
    # way 13 kept a single node: nothing of it is left
    assert edges_of(messy, 13) == []


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
