"""The points frame and the checks of the points given to build_matrix."""

from __future__ import annotations

import geopandas as gpd
import pytest
from helpers_matrix import SETTINGS, Ways, at, pts
from shapely.geometry import Point

from routeplan.errors import InputDataError
from routeplan.matrix import build_matrix, points_frame


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
    assert "'X-1'" in text and "'HB-2'" in text and "2 errors:" in text


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
