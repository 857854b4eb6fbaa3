"""The points of a coverage run: what the travel-time matrices are built over.

Households keep their ``household_id``; service points, what-if points and candidate
sites are named ``sp:<point_id>`` (:func:`routeplan.matrix.service_point_id`) and
volunteers' homes ``home:<volunteer_id>`` (:func:`routeplan.matrix.home_point_id`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from ..matrix import home_point_id, service_point_id

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = ["coverage_points", "home_ids", "with_added"]


def coverage_points(
    households: gpd.GeoDataFrame,
    service_points: gpd.GeoDataFrame,
    *,
    volunteers: gpd.GeoDataFrame | None = None,
    extra: Sequence[gpd.GeoDataFrame] = (),
) -> gpd.GeoDataFrame:
    """Return the points to build the travel-time matrices over (``matrix`` contract).

    Households keep their ``household_id``; service points (and every frame in
    ``extra``: what-if points, candidate sites) become ``sp:<point_id>``; volunteers'
    homes ``home:<volunteer_id>``.
    """
    import geopandas as gpd

    parts = [
        pd.DataFrame(
            {
                "point_id": households["household_id"].astype(str),
                "kind": "household",
                "geometry": households.geometry.values,
            }
        )
    ]
    for frame in (service_points, *extra):
        parts.append(
            pd.DataFrame(
                {
                    "point_id": [service_point_id(p) for p in frame["point_id"]],
                    "kind": "service_point",
                    "geometry": frame.geometry.values,
                }
            )
        )
    if volunteers is not None and len(volunteers):
        parts.append(
            pd.DataFrame(
                {
                    "point_id": home_ids(volunteers),
                    "kind": "home",
                    "geometry": volunteers.geometry.values,
                }
            )
        )
    points = pd.concat(parts, ignore_index=True).drop_duplicates("point_id")
    return gpd.GeoDataFrame(points, geometry="geometry", crs="EPSG:4326")


def home_ids(volunteers: gpd.GeoDataFrame | None) -> list[str]:
    """Return the matrix ids of the volunteers' homes (none without volunteers)."""
    return (
        [home_point_id(v) for v in volunteers["volunteer_id"]]
        if volunteers is not None and len(volunteers)
        else []
    )


def with_added(points: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``points`` and ``new`` as one frame, ``added`` telling them apart."""
    import geopandas as gpd

    old = points[["point_id", "name", "geometry"]].copy()
    old["added"] = False
    add = new[["point_id", "name", "geometry"]].copy()
    add["added"] = True
    return gpd.GeoDataFrame(
        pd.concat([old, add], ignore_index=True), geometry="geometry", crs="EPSG:4326"
    )
