"""Isochrones: the areas within each band follow the roads."""

from __future__ import annotations

import math

from helpers_coverage import LAT0, LON0
from shapely.geometry import Point

from routeplan import coverage as cv


def test_isochrones_follow_the_roads(network, points) -> None:
    sp = points.iloc[[0]].copy()
    sp["geometry"] = [Point(LON0, LAT0)]
    iso = cv.isochrones(network, sp, modes=["motorbike", "walking"])
    moto = iso[iso["mode"] == "motorbike"].set_index("band")
    km = 1 / (111.32 * math.cos(math.radians(LAT0)))
    at = lambda k: Point(LON0 + k * km, LAT0)  # noqa: E731
    assert moto.loc["0-15 min"].geometry.contains(at(10))
    assert not moto.loc["0-15 min"].geometry.contains(at(20))
    assert moto.loc["15-30 min"].geometry.contains(at(20))  # a ring, not the whole disc
    assert not moto.loc["15-30 min"].geometry.contains(at(5))
    walk = iso[iso["mode"] == "walking"].set_index("band")
    # walking westwards to the point: 800 s/km -> 15 min is 1.125 km
    assert walk.loc["0-15 min"].geometry.contains(at(1))
    assert not walk.loc["0-15 min"].geometry.contains(at(1.5))
    assert iso.crs.to_epsg() == 4326
