"""Reading OSM files: named places."""

from __future__ import annotations

from pathlib import Path

import pytest

from routeplan.network import read_places


def test_read_places(messy_path: Path) -> None:
    places = read_places(messy_path)
    assert places["Tà Lang"] == pytest.approx((108.003, 16.109))
    assert places["Giàn Bí"] == places["Gian Bi"] == pytest.approx((108.007, 16.101))


@pytest.mark.shared
def test_andorra_places(andorra_pbf: Path) -> None:
    places = read_places(andorra_pbf)
    assert len(places) >= 40
    lon, lat = places["Encamp"]
    assert 1.5 < lon < 1.6 and 42.5 < lat < 42.6
