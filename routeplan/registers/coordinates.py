"""Checking the locations of a register: numbers, ranges, swaps and far-away points.

:func:`read_locations` reads latitude and longitude (or a ``"lat, lon"`` column, or the
geometry of a GeoJSON/GeoPackage) and reports every location that cannot be right: not
a number, half given, projected metres, latitude and longitude swapped, out of range,
``0, 0``, or far outside the area being planned (or from the file's other points).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._geo import haversine_m
from ..errors import Severity
from ._common import Bounds, Problems, positions
from .tables import Table
from .values import numbers

__all__ = [
    "AREA_MARGIN_KM",
    "KM_PER_DEG",
    "OUTLIER_KM",
    "LocationChecks",
    "read_locations",
]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]

OUTLIER_KM = 30.0
"""Default distance from the median of a file's points beyond which a point is 'far'."""
AREA_MARGIN_KM = 2.0
"""Default tolerance around the ``area`` bounds."""
KM_PER_DEG = 111.32

_FIX_NUMBER = "write decimal degrees with a dot, e.g. 16.1234 (latitude), 108.0123 (longitude)"


@dataclass(frozen=True)
class LocationChecks:
    """How far a register's points may be from where they are expected.

    Parameters
    ----------
    area
        ``(min lon, min lat, max lon, max lat)`` of the area being planned; points more
        than ``area_margin_km`` outside it are far. Without it, points farther than
        ``outlier_km`` from the median of the file's points are.
    outlier_km, area_margin_km
        Distances of the two checks above.

    """

    area: Bounds | None = None
    outlier_km: float = OUTLIER_KM
    area_margin_km: float = AREA_MARGIN_KM


def _check_area(area: Bounds | None) -> Bounds | None:
    if area is None:
        return None
    minx, miny, maxx, maxy = (float(v) for v in area)
    if not (
        minx < maxx and miny < maxy and minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90
    ):
        raise ValueError(f"area must be (min lon, min lat, max lon, max lat), got {area!r}")
    return (minx, miny, maxx, maxy)


def _km_outside(lon: FloatArray, lat: FloatArray, area: Bounds) -> FloatArray:
    minx, miny, maxx, maxy = area
    dx = np.maximum.reduce([minx - lon, np.zeros_like(lon), lon - maxx])
    dy = np.maximum.reduce([miny - lat, np.zeros_like(lat), lat - maxy])
    coslat = np.cos(np.radians(np.clip(lat, -89.9, 89.9)))
    return np.asarray(np.hypot(dx * KM_PER_DEG * coslat, dy * KM_PER_DEG), dtype=float)


def _split_coordinates(table: Table) -> None:
    """Fill latitude/longitude from a single ``"lat, lon"`` column where they are empty."""
    coords = table.frame["coordinates"]
    parts = coords.str.extract(r"^\s*([+-]?\d+(?:\.\d+)?)\s*[,; ]\s*([+-]?\d+(?:\.\d+)?)\s*$")
    for canon, k in (("latitude", 0), ("longitude", 1)):
        empty = table.frame[canon] == ""
        table.frame.loc[empty, canon] = parts[k][empty].fillna(coords[empty])


def _degrees(table: Table, out: Problems) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Read lon and lat (the geometry first); report cells that are not numbers.

    Returns lon, lat (NaN where empty or unreadable) and where either cell is unreadable.
    """
    rows = table.rows
    _split_coordinates(table)
    lat, bad_lat = numbers(table.frame["latitude"])
    lon, bad_lon = numbers(table.frame["longitude"])
    if table.lon is not None and table.lat is not None:
        has_geom = np.isfinite(table.lon)
        lon = np.where(has_geom, table.lon, lon)
        lat = np.where(has_geom, table.lat, lat)
        bad_lat &= ~has_geom
        bad_lon &= ~has_geom
    for mask, col, values in (
        (bad_lat, "latitude", table.frame["latitude"]),
        (bad_lon, "longitude", table.frame["longitude"]),
    ):
        for i in positions(mask):
            out.add(
                f"{col} {values.iat[i]!r} is not a number",
                _FIX_NUMBER,
                row=rows[i],
                column=col,
                code="coordinate_not_number",
                params={"column": col, "value": values.iat[i]},
            )
    return lon, lat, bad_lat | bad_lon


def _report_half(
    lon: FloatArray, lat: FloatArray, bad: BoolArray, rows: list[str], out: Problems
) -> None:
    """Report rows where only one of latitude and longitude is given."""
    half = np.isfinite(lat) ^ np.isfinite(lon)
    for i in positions(half & ~bad):
        empty = "longitude" if np.isfinite(lat[i]) else "latitude"
        out.add(
            f"{empty} is empty but the other coordinate is given",
            "give both latitude and longitude, or neither",
            row=rows[i],
            column=empty,
            code="coordinate_half",
            params={"column": empty},
        )


def _check_ranges(
    lon: FloatArray, lat: FloatArray, usable: BoolArray, rows: list[str], out: Problems
) -> BoolArray:
    """Report projected, swapped, out-of-range and ``0, 0`` points; return those left."""
    with np.errstate(invalid="ignore"):
        alat, alon = np.abs(lat), np.abs(lon)
        projected = usable & ((alat > 180) | (alon > 360))
        swapped = usable & ~projected & (alat > 90) & (alon <= 90)
        out_range = usable & ~projected & ~swapped & ((alat > 90) | (alon > 180))
        zero = usable & (lat == 0) & (lon == 0)
    for i in positions(projected):
        out.add(
            f"location {lat[i]:g}, {lon[i]:g} is not in degrees (projected metres?)",
            "export the coordinates as WGS 84 latitude/longitude (EPSG:4326) in decimal degrees",
            row=rows[i],
            column="latitude",
            code="location_projected",
            params={"lat": f"{lat[i]:g}", "lon": f"{lon[i]:g}"},
        )
    for i in positions(swapped):
        out.add(
            f"latitude {lat[i]:g} is outside -90..90 (are latitude and longitude swapped?)",
            f"swap the two values: latitude {lon[i]:g}, longitude {lat[i]:g}",
            row=rows[i],
            column="latitude",
            code="latitude_swapped",
            params={"lat": f"{lat[i]:g}", "lon": f"{lon[i]:g}"},
        )
    for i in positions(out_range):
        col = "latitude" if alat[i] > 90 else "longitude"
        rng = "-90..90" if col == "latitude" else "-180..180"
        out.add(
            f"{col} {lat[i] if col == 'latitude' else lon[i]:g} is outside {rng}",
            "check the coordinates; write decimal degrees, e.g. 16.1234",
            row=rows[i],
            column=col,
            code="coordinate_range",
            params={
                "column": col,
                "value": f"{lat[i] if col == 'latitude' else lon[i]:g}",
                "range": rng,
            },
        )
    for i in positions(zero):
        out.add(
            "location is 0, 0 (an empty cell turned into 0?)",
            "fill in the real latitude and longitude, or leave both cells empty",
            row=rows[i],
            column="latitude",
            code="location_zero",
        )

    kept: BoolArray = usable & ~(projected | swapped | out_range | zero)
    return kept


@dataclass(frozen=True)
class _Distances:
    """How far the usable points are from where they are expected."""

    km: FloatArray  # as given
    km_swapped: FloatArray  # with latitude and longitude swapped
    limit: float
    where: str  # "outside the area being planned (...)", "from the middle of ..."
    where_params: dict[str, str] | None = None  # the same for the words of other languages


def _distances(
    lon: FloatArray,
    lat: FloatArray,
    idx: np.ndarray[Any, np.dtype[np.intp]],
    area: Bounds | None,
    *,
    noun: str,
    checks: LocationChecks,
) -> _Distances:
    """How far each point of ``idx`` is (as given and swapped), the limit, and from what."""
    if area is not None:
        dist = _km_outside(lon[idx], lat[idx], area)
        dist_sw = _km_outside(lat[idx], lon[idx], area)
        limit = checks.area_margin_km
        where = (
            "outside the area being planned (longitude {0:.4f}..{2:.4f}, latitude "
            "{1:.4f}..{3:.4f})".format(*area)
        )
        box = ["lon0", "lat0", "lon1", "lat1"]
        where_params = {"where": "area", **{k: f"{v:.4f}" for k, v in zip(box, area, strict=True)}}
    elif len(idx) >= 3:
        mlon, mlat = float(np.median(lon[idx])), float(np.median(lat[idx]))
        dist = haversine_m(lon[idx], lat[idx], mlon, mlat) / 1000.0
        dist_sw = haversine_m(lat[idx], lon[idx], mlon, mlat) / 1000.0
        limit = checks.outlier_km
        where = f"from the middle of the other {noun}s ({mlat:.4f}, {mlon:.4f})"
        where_params = {"where": "middle", "mlat": f"{mlat:.4f}", "mlon": f"{mlon:.4f}"}
    else:
        dist = dist_sw = np.zeros(0)
        limit, where = 0.0, ""
        where_params = {}
    return _Distances(dist, dist_sw, limit, where, where_params)


def _check_far(
    lon: FloatArray,
    lat: FloatArray,
    usable: BoolArray,
    rows: list[str],
    out: Problems,
    *,
    far_from: _Distances,
    noun: str,
    far: Severity,
) -> None:
    """Report points far away; blank them (in place) if swapped or if ``far`` is an error."""
    dist, dist_sw, limit, where = far_from.km, far_from.km_swapped, far_from.limit, far_from.where
    idx = np.flatnonzero(usable)
    for k in positions(dist > limit):
        i = int(idx[k])
        params = {
            **(far_from.where_params or {}),
            "lat": f"{lat[i]:.6g}",
            "lon": f"{lon[i]:.6g}",
            "km": f"{dist[k]:,.0f}",
            "noun": noun,
        }
        if dist_sw[k] <= limit:
            out.add(
                f"location {lat[i]:.6g}, {lon[i]:.6g} is {dist[k]:,.0f} km {where} "
                "(are latitude and longitude swapped?)",
                f"swap the two values: latitude {lon[i]:.6g}, longitude {lat[i]:.6g}",
                row=rows[i],
                column="latitude",
                code="location_far_swapped",
                params=params,
            )
        else:
            out.add(
                f"location {lat[i]:.6g}, {lon[i]:.6g} is {dist[k]:,.0f} km {where}",
                "check the latitude and longitude (a mistyped digit?); if the place is "
                f"right, this {noun} is outside the area being planned",
                row=rows[i],
                column="latitude",
                severity=far,
                code="location_far",
                params=params,
            )

        if far == "error" or dist_sw[k] <= limit:
            lon[i] = lat[i] = np.nan


def read_locations(
    table: Table, out: Problems, *, noun: str, checks: LocationChecks, far: Severity
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Validate the locations of a register.

    Parameters
    ----------
    table
        The register (its ``latitude``, ``longitude`` and ``coordinates`` columns, and
        the geometry if it came from a GeoJSON or GeoPackage).
    out
        Collects the problems.
    noun
        What a row is (``"household"``), for the messages.
    checks
        The area and distances of the far-away check.
    far
        Severity of a point far away (that is not merely swapped): an ``"error"`` also
        blanks the point.

    Returns
    -------
    lon, lat, missing
        Longitude and latitude (NaN where unusable) and where both were left empty.

    Raises
    ------
    ValueError
        If ``checks.area`` is not ``(min lon, min lat, max lon, max lat)``.

    """
    area = _check_area(checks.area)
    rows = table.rows
    if not (table.has("latitude") and table.has("longitude")):
        nan = np.full(len(rows), np.nan)
        return nan, nan.copy(), np.zeros(len(rows), dtype=bool)
    lon, lat, bad = _degrees(table, out)
    usable = np.isfinite(lat) & np.isfinite(lon)
    missing = ~np.isfinite(lat) & ~np.isfinite(lon) & ~bad
    _report_half(lon, lat, bad, rows, out)
    usable = _check_ranges(lon, lat, usable, rows, out)
    lon = np.where(usable, lon, np.nan)
    lat = np.where(usable, lat, np.nan)
    # points far from the area being planned (or from the file's own points)
    far_from = _distances(lon, lat, np.flatnonzero(usable), area, noun=noun, checks=checks)
    _check_far(lon, lat, usable, rows, out, far_from=far_from, noun=noun, far=far)
    return lon, lat, missing
