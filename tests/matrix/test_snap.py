"""Snapping points to the ways: access legs, closed roads, long edges, far points, one spot."""

from __future__ import annotations

import math

import pytest
from helpers_matrix import SETTINGS, WALK, Ways, cell, pts

from routeplan.matrix import build_matrix


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
