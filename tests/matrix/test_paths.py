"""Paths for drawing: along the roads, through the parking spot."""

from __future__ import annotations

import itertools
import math

import pytest
from helpers_matrix import LAT0, LON0, M_LAT, M_LON, SETTINGS, WALK, Ways, at, pts

from routeplan.matrix import build_matrix


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
