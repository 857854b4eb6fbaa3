"""The four map layers of the exports, written as one GeoPackage and as GeoJSON files.

:func:`layer_frames` builds the layers ``households``, ``stops``, ``routes`` and
``service_points`` (GeoDataFrames in EPSG:4326) from the rows of
:mod:`~routeplan.render.export.tables`; :func:`write_geopackage` and
:func:`write_geojson` write them atomically with pyogrio.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..._io import atomic_path
from ..bundle import PlanBundle
from .tables import household_rows, route_rows, stop_rows

__all__ = ["GEOM_TYPE", "layer_frames", "write_geojson", "write_geopackage"]

GEOM_TYPE = {
    "households": "Point",
    "stops": "Point",
    "routes": "LineString",
    "service_points": "Point",
}
"""Geometry type of each layer."""


def _frame(rows: list[dict[str, Any]], columns: list[str], geoms: list[Any]) -> Any:
    import geopandas as gpd
    import pandas as pd

    df = pd.DataFrame(rows, columns=columns)
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"))


def _households(bundle: PlanBundle) -> Any:
    hh_rows = household_rows(bundle)
    hh_cols = [k for k in (hh_rows[0] if hh_rows else {"household_id": 0}) if k != "geometry"]
    households = _frame(
        [{k: v for k, v in r.items() if k != "geometry"} for r in hh_rows],
        hh_cols,
        [r["geometry"] for r in hh_rows],
    )
    for col in ("day", "order"):
        if col in households:
            households[col] = households[col].astype("Int64")
    return households


def _stops(bundle: PlanBundle) -> Any:
    from shapely.geometry import Point

    rows = stop_rows(bundle)
    cols = list(rows[0]) if rows else ["volunteer_id", "order"]
    return _frame(rows, cols, [Point(r["lon"], r["lat"]) for r in rows])


def _routes(bundle: PlanBundle) -> Any:
    from shapely.geometry import LineString

    rows = route_rows(bundle)
    cols = list(rows[0]) if rows else ["volunteer_id", "day"]
    return _frame(rows, cols, [LineString(bundle.line(r)) for r in bundle.routes])


def _service_points(bundle: PlanBundle) -> Any:
    points = bundle.service_points
    if not points:
        return _frame([], ["point_id", "name"], [])
    keep: list[str] = [c for c in ("point_id", "name") if c in points[0]]
    sp = _frame([{c: p[c] for c in keep} for p in points], keep, [p["geometry"] for p in points])
    for col in keep:
        sp[col] = sp[col].astype(str)
    return sp


def layer_frames(bundle: PlanBundle) -> dict[str, Any]:
    """Return the layers ``households``, ``stops``, ``routes``, ``service_points``.

    Rounds are drawn along the roads travelled (:meth:`PlanBundle.line`).
    """
    return {
        "households": _households(bundle),
        "stops": _stops(bundle),
        "routes": _routes(bundle),
        "service_points": _service_points(bundle),
    }


def write_geopackage(frames: Mapping[str, Any], target: str | Path) -> Path:
    """Write ``frames`` (layer name -> GeoDataFrame) as one GeoPackage, atomically."""
    import pyogrio

    with atomic_path(target) as tmp:
        for name, frame in frames.items():
            pyogrio.write_dataframe(
                frame,
                tmp,
                layer=name,
                driver="GPKG",
                geometry_type=GEOM_TYPE.get(name, "Unknown"),
                append=tmp.exists(),
            )
    return Path(target)


def write_geojson(frame: Any, target: str | Path, *, geometry_type: str = "Unknown") -> Path:
    """Write one GeoDataFrame as GeoJSON (RFC 7946), atomically."""
    import pyogrio

    with atomic_path(target) as tmp:
        pyogrio.write_dataframe(
            frame,
            tmp,
            driver="GeoJSON",
            layer=Path(target).stem,
            geometry_type=geometry_type,
            RFC7946="YES",
        )
    return Path(target)
