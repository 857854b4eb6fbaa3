"""The points of a matrix: the points frame, its checks, and the ids of homes and service points.

:func:`find_home` and :func:`home_point_id` are the project's one way of naming and
finding a volunteer's home among the points of a matrix.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
import shapely

from ..errors import InputDataError, Problem
from ._common import FloatArray

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = [
    "HOME_PREFIX",
    "KINDS",
    "SERVICE_POINT_PREFIX",
    "check_points",
    "find_home",
    "home_point_id",
    "points_frame",
    "service_point_id",
]

KINDS: Final = ("household", "home", "service_point")
"""Kinds of point in a points frame."""

HOME_PREFIX: Final = "home:"
SERVICE_POINT_PREFIX: Final = "sp:"


def home_point_id(volunteer_id: str) -> str:
    """Return the matrix point id of volunteer ``volunteer_id``'s home (``home:<id>``)."""
    return f"{HOME_PREFIX}{volunteer_id}"


def service_point_id(point_id: str) -> str:
    """Return the matrix point id of service point ``point_id`` (``sp:<id>``)."""
    return f"{SERVICE_POINT_PREFIX}{point_id}"


def find_home(ids: Iterable[str], volunteer_id: str) -> str | None:
    """Return the id under which ``volunteer_id``'s home is among ``ids``, or ``None``.

    The one lookup of a home in a matrix: ``home:<volunteer_id>`` (as the coverage
    report and :func:`home_point_id` name it) first, then the bare volunteer id (as
    :func:`points_frame` names it).
    """
    ids = ids if isinstance(ids, set | frozenset | dict) else set(ids)
    for candidate in (home_point_id(volunteer_id), volunteer_id):
        if candidate in ids:
            return candidate
    return None


def points_frame(
    households: gpd.GeoDataFrame,
    volunteers: gpd.GeoDataFrame | None = None,
    service_points: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Return the points to build a matrix over, from the register GeoDataFrames.

    Households keep their ``household_id`` (kind ``"household"``), volunteers their
    ``volunteer_id`` at their home (kind ``"home"``) and service points their
    ``point_id`` (kind ``"service_point"``), in that order: the ids are unique across
    all three. (Homes are found by :func:`find_home`, which also accepts
    ``home:<volunteer_id>``, the name the coverage report gives them.)

    Raises
    ------
    InputDataError
        If an id is used twice, naming every clash.

    """
    import geopandas as gpd

    parts: list[pd.DataFrame] = []
    for frame, column, kind in (
        (households, "household_id", "household"),
        (volunteers, "volunteer_id", "home"),
        (service_points, "point_id", "service_point"),
    ):
        if frame is None or len(frame) == 0:
            continue
        if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
            frame = frame.to_crs("EPSG:4326")
        parts.append(
            pd.DataFrame(
                {
                    "point_id": frame[column].astype(str).to_numpy(),
                    "kind": kind,
                    "geometry": frame.geometry.to_numpy(),
                }
            )
        )
    if not parts:
        return gpd.GeoDataFrame(
            {"point_id": pd.Series([], dtype=str), "kind": pd.Series([], dtype=str)},
            geometry=gpd.GeoSeries([], crs="EPSG:4326"),
            crs="EPSG:4326",
        )
    points = pd.concat(parts, ignore_index=True)
    _check_unique(points)
    return gpd.GeoDataFrame(points, geometry="geometry", crs="EPSG:4326")


def _check_unique(points: pd.DataFrame) -> None:
    """Raise naming every id used by more than one of the points (and their kinds)."""
    dup = points[points["point_id"].duplicated(keep=False)]
    if not len(dup):
        return
    problems = []
    for pid, group in dup.groupby("point_id", sort=True):
        kinds = " and ".join(
            f"{k} ({n}x)" if n > 1 else str(k)
            for k, n in group["kind"].value_counts(sort=False).items()
        )
        problems.append(
            Problem(
                f"id {pid!r} is used by more than one point: {kinds}",
                "give every household, volunteer and service point its own id",
            )
        )
    raise InputDataError(problems, subject="points")


def check_points(points: Any) -> tuple[list[str], list[str], FloatArray]:
    """Validate a points frame; return ids, kinds and (n, 2) lon/lat.

    Raises
    ------
    InputDataError
        Listing every problem: missing columns, empty or duplicate ids, unknown
        kinds, missing locations and locations that are not longitude/latitude.

    """
    missing = [c for c in ("point_id", "kind") if c not in getattr(points, "columns", ())]
    geometry = getattr(points, "geometry", None) if hasattr(points, "crs") else None
    if missing or geometry is None:
        what = ", ".join(missing + ([] if geometry is not None else ["geometry"]))
        raise InputDataError(
            [
                Problem(
                    f"missing column(s) {what}",
                    "build the points with routeplan.matrix.points_frame",
                )
            ],
            subject="points",
        )
    if points.crs is not None and not points.crs.equals("EPSG:4326"):
        points = points.to_crs("EPSG:4326")
    ids = [str(p) for p in points["point_id"].astype(str).tolist()]
    kinds = [str(k) for k in points["kind"].astype(str).tolist()]
    problems = _id_problems(ids, kinds)
    xy = _lonlat(np.asarray(points.geometry.to_numpy(), dtype=object))
    problems += _location_problems(ids, xy)
    if problems:
        raise InputDataError(problems, subject="points")
    return ids, kinds, xy


def _id_problems(ids: list[str], kinds: list[str]) -> list[Problem]:
    """Empty and duplicate ids and unknown kinds, point by point."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for row, (pid, kind) in enumerate(zip(ids, kinds, strict=True)):
        where = f"point {row + 1}"
        if not pid or pid == "nan":
            problems.append(Problem("empty point_id", "give every point an id", row=where))
        elif pid in seen:
            problems.append(
                Problem(
                    f"duplicate point_id {pid!r} (also point {seen[pid] + 1})",
                    "give every point its own id",
                    row=where,
                )
            )
        else:
            seen[pid] = row
        if kind not in KINDS:
            problems.append(
                Problem(
                    f"kind {kind!r} is not one of {', '.join(KINDS)}", "correct the kind", row=where
                )
            )
    return problems


def _lonlat(geoms: np.ndarray[Any, np.dtype[np.object_]]) -> FloatArray:
    """(n, 2) coordinates of the Point geometries, NaN for anything else or empty."""
    is_point = shapely.get_type_id(geoms) == 0
    xy = np.full((len(geoms), 2), np.nan)
    ok = is_point & ~shapely.is_empty(geoms)
    if ok.any():
        xy[ok] = shapely.get_coordinates(geoms[ok])[:, :2]
    return xy


def _location_problems(ids: list[str], xy: FloatArray) -> list[Problem]:
    """Points without a location, then points whose location is not a lon/lat."""
    problems = [
        Problem(f"no location for point {ids[k]!r}", "give it a Point", row=f"point {k + 1}")
        for k in np.flatnonzero(~np.isfinite(xy).all(axis=1)).tolist()
    ]
    bad = np.isfinite(xy).all(axis=1) & ((np.abs(xy[:, 0]) > 180) | (np.abs(xy[:, 1]) > 90))
    for k in np.flatnonzero(bad).tolist():
        problems.append(
            Problem(
                f"point {ids[k]!r} at ({xy[k, 0]}, {xy[k, 1]}) is not a longitude/latitude",
                "give the points in EPSG:4326",
                row=f"point {k + 1}",
            )
        )
    return problems
