"""Snapping points to the ways, their access legs and the per-point report.

Each point is snapped to the nearest *way* the mode can use (not merely the nearest
junction; on foot, not onto a road closed to walkers): it is projected onto the
geometry of the closest such edge. The walk from the point to that spot, the *access
leg*, is walked at ``walk_kmh`` on the flat and is part of every trip to and from the
point. A point farther than ``max_snap_m`` from every way is still snapped but flagged
``no_mapped_access`` (:func:`snaps_frame`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from ._common import BoolArray, FloatArray, Int32Array, IntArray
from .prepare import Prepared, Projection

__all__ = ["Snap", "same_spot", "snap", "snaps_frame"]


@dataclass(frozen=True)
class Snap:
    """Where each point meets the network."""

    lonlat: FloatArray  # the points
    seg: IntArray  # nearest segment
    t: FloatArray  # fraction along the segment (canonical direction)
    snap_m: FloatArray
    snap_xy: FloatArray  # projected position on the way


def snap(prep: Prepared, lonlat: FloatArray, mode: str | None = None) -> Snap:
    """Snap every point to the nearest way ``mode`` can use (vectorised STRtree query)."""
    n = len(lonlat)
    if n == 0:
        empty = np.empty(0)
        return Snap(lonlat, np.empty(0, dtype=np.int64), empty, empty, np.empty((0, 2)))
    pts = shapely.points(prep.proj.forward(lonlat))
    tree, ways = prep.tree, None
    if mode is not None:
        ok = np.isfinite(prep.walk) | ((mode == "motorbike") & np.isfinite(prep.ride))
        usable = np.zeros(len(prep.seg_geom), dtype=bool)
        usable[prep.seg[ok]] = True
        if usable.any() and not usable.all():  # a tree of the usable ways only
            ways = np.flatnonzero(usable)
            tree = shapely.STRtree(prep.seg_geom[ways])
    hits, dist = tree.query_nearest(pts, return_distance=True, all_matches=False)
    if ways is not None:
        hits[1] = ways[hits[1]]
    seg = np.empty(n, dtype=np.int64)
    snap_m = np.empty(n)
    seg[hits[0]] = hits[1]
    snap_m[hits[0]] = dist
    lines = prep.seg_geom[seg]
    loc = shapely.line_locate_point(lines, pts)
    length = prep.seg_len[seg]
    t = np.divide(loc, length, out=np.zeros(n), where=length > 0).clip(0.0, 1.0)
    snap_xy = shapely.get_coordinates(shapely.line_interpolate_point(lines, loc))
    return Snap(lonlat, seg, t, snap_m, snap_xy)


def snaps_frame(
    ids: Sequence[str],
    snapped: Snap,
    proj: Projection,
    access: FloatArray,
    reachable: BoolArray,
    reasons: list[str],
    max_snap_m: float,
    unpaved: BoolArray | None = None,
) -> pd.DataFrame:
    """Return :attr:`TravelMatrix.snaps <routeplan.matrix.TravelMatrix.snaps>`.

    ``access`` is the access leg of each point in seconds, ``reasons`` why each point
    is not reachable (``""`` when it is): a point farther than ``max_snap_m`` from the
    ways gets that said first. ``unpaved`` says, per point, whether the way it is
    snapped to is unpaved (a track or path, or an unpaved surface).
    """
    no_access = snapped.snap_m > max_snap_m
    reasons = list(reasons)
    for i in np.flatnonzero(no_access):
        far = (
            f"{snapped.snap_m[i]:.0f} m from the nearest mapped way (over max_snap_m "
            f"{max_snap_m:g} m): check the location, or map the path to it"
        )
        reasons[i] = f"{far}; {reasons[i]}" if reasons[i] else far
    snap_lonlat = proj.inverse(snapped.snap_xy) if len(ids) else np.empty((0, 2))
    return pd.DataFrame(
        {
            "snap_m": snapped.snap_m,
            "access_s": np.rint(access).astype(np.int64),
            "no_mapped_access": no_access,
            "reachable": reachable,
            "reason": reasons,
            "snap_lon": snap_lonlat[:, 0],
            "snap_lat": snap_lonlat[:, 1],
            "unpaved": np.zeros(len(ids), dtype=bool) if unpaved is None else unpaved,
        },
        index=pd.Index(list(ids), name="point_id"),
    )


def same_spot(seconds: Int32Array, snapped: Snap, reachable: BoolArray, proj: Projection) -> None:
    """Set the trips between reachable points at the same spot (10 cm) to 0 s."""
    if len(snapped.seg) < 2:
        return
    cells = np.rint(proj.forward(snapped.lonlat) * 10).astype(np.int64)
    _, inverse, counts = np.unique(cells, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    for group in np.flatnonzero(counts > 1):
        members = np.flatnonzero((inverse == group) & reachable)
        if len(members) > 1:
            seconds[np.ix_(members, members)] = 0
