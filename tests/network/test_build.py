"""The built graph: osmnx form, closed ways split, bends kept as geometry."""

from __future__ import annotations

import math

import pytest
from helpers_network import edge, edges_of

from routeplan.network import Network


def test_closed_ways_become_two_edges_not_a_loop(messy: Network) -> None:
    ring = edges_of(messy, 28)
    assert len(ring) == 4 and all(u != v for u, v, _ in ring)
    km = sum(d["length"] for _, _, d in ring if not d["reversed"])
    assert km == pytest.approx(308.4 + 496.9, abs=1)
    square = edges_of(messy, 22)  # area=yes pedestrian square: walkable outline
    assert square and all(math.isinf(d["ride_s"]) for _, _, d in square)
    assert messy.report.area_ways == 1


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
