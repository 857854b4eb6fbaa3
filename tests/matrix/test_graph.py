"""The split graph, the motorbike's layers and the strongly connected part."""

from __future__ import annotations

import numpy as np
from helpers_matrix import SETTINGS, WALK, Ways, cell, pts

from routeplan.matrix import UNREACHABLE, build_matrix


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
