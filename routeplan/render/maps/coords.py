"""Coordinates as the pages carry them: ``[lat, lon]``, rounded, lines simplified.

Coordinates are rounded to :data:`DECIMALS` (about 1 m); lines are simplified by a
tolerance in degrees and consecutive duplicates dropped.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence

__all__ = [
    "DECIMALS",
    "ROAD_TOLERANCE_DEG",
    "ROUTE_TOLERANCE_DEG",
    "BBox",
    "LatLon",
    "bbox",
    "bounds",
    "centre",
    "latlon",
    "simplified_line",
]

LatLon = list[float]
"""``[lat, lon]``, Leaflet's order."""

BBox = tuple[float, float, float, float]
"""``(min lon, min lat, max lon, max lat)``."""

DECIMALS = 5
"""Decimals kept in coordinates (1e-5 degree is about 1.1 m)."""

ROAD_TOLERANCE_DEG = 4e-5
"""Simplification tolerance of the offline road layer (about 4 m)."""

ROUTE_TOLERANCE_DEG = 1.5e-5
"""Simplification tolerance of the drawn routes (about 1.5 m)."""


def latlon(lon: float, lat: float) -> LatLon:
    """Return ``[lat, lon]`` rounded to :data:`DECIMALS`."""
    return [round(float(lat), DECIMALS), round(float(lon), DECIMALS)]


def simplified_line(coords: Iterable[tuple[float, float]], tolerance: float) -> list[LatLon]:
    """Return a lon/lat line as rounded ``[lat, lon]`` pairs, simplified and deduplicated."""
    pts = [(float(x), float(y)) for x, y in coords]
    if len(pts) > 2 and tolerance > 0:
        from shapely import LineString

        simple = LineString(pts).simplify(tolerance, preserve_topology=False)
        if not simple.is_empty and len(simple.coords) >= 2:
            pts = [(float(c[0]), float(c[1])) for c in simple.coords]
    out: list[LatLon] = []
    for x, y in pts:
        p = latlon(x, y)
        if not out or out[-1] != p:
            out.append(p)
    return out


def bounds(points: Iterable[tuple[float, float]]) -> list[LatLon] | None:
    """Return the Leaflet bounds ``[[south, west], [north, east]]`` of lon/lat points."""
    pts = list(points)
    if not pts:
        return None
    lons = [p[0] for p in pts]
    lats = [p[1] for p in pts]
    return [latlon(min(lons), min(lats)), latlon(max(lons), max(lats))]


def bbox(points: Iterable[tuple[float, float]], margin: float) -> BBox:
    """Return the :data:`BBox` of lon/lat points, widened by ``margin`` degrees."""
    pts = list(points)
    lons = [p[0] for p in pts]
    lats = [p[1] for p in pts]
    return (min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin)


def centre(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Return the median ``(lon, lat)`` of the points (central Vietnam when none)."""
    if not points:
        return (108.0, 16.1)
    return (statistics.median(p[0] for p in points), statistics.median(p[1] for p in points))
