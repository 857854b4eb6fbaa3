"""Where the households are, as the planner needs it: far from the map, unpaved, neighbours.

:func:`map_flags` reads the travel matrices' ``snaps`` (one row per point: ``snap_m``,
``no_mapped_access``, ``reachable``, ``reason``, ``unpaved``): a household far from
every mapped way, or snapped onto a piece of the network not connected to the others,
is flagged with the fix (map the path to it). :func:`neighbour_pairs` finds the
households a few tens of metres apart, which the planner keeps with one volunteer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["FAR_FROM_MAP", "SEPARATE_NETWORK", "centroid", "map_flags", "neighbour_pairs"]

FAR_FROM_MAP = "far_from_map"
"""Flag: the household is more than ``network.max_snap_m`` from every mapped way."""
SEPARATE_NETWORK = "separate_network"
"""Flag: the household was snapped onto a piece of the network cut off from the others."""


def map_flags(
    matrices: Mapping[str, Any], hids: Sequence[str], language: str = "en"
) -> tuple[tuple[str, ...], tuple[str, ...], NDArray[np.bool_]]:
    """Return per household its map flag, the sentence with the fix, and "reached by unpaved".

    ``far_from_map`` when any travel mode's matrix says it is farther than
    ``max_snap_m`` from every way, ``separate_network`` when it is cut off in every
    mode's network; matrices without ``snaps`` (hand-made ones) flag nothing.
    """
    from .._labels import label

    H = len(hids)
    flag = [""] * H
    detail = [""] * H
    unpaved = np.zeros(H, dtype=bool)
    far = np.zeros(H, dtype=bool)
    cut = np.ones(H, dtype=bool)  # on a separate piece in every mode's network
    snap_m = np.zeros(H)
    why = [""] * H
    seen = False
    for mode in sorted(matrices):
        snaps = getattr(matrices[mode], "snaps", None)
        if snaps is None or len(snaps) == 0:
            continue
        seen = True
        rows = snaps.reindex(list(hids))
        present = rows["snap_m"].notna().to_numpy()
        if "unpaved" in rows:
            unpaved |= rows["unpaved"].fillna(False).to_numpy(dtype=bool) & present
        far |= rows["no_mapped_access"].fillna(False).to_numpy(dtype=bool) & present
        cut &= ~rows["reachable"].fillna(True).to_numpy(dtype=bool) & present
        snap_m = np.maximum(snap_m, rows["snap_m"].fillna(0).to_numpy(dtype=np.float64))
        for h in np.flatnonzero(~rows["reachable"].fillna(True).to_numpy(dtype=bool)):
            why[h] = why[h] or str(rows["reason"].iloc[h])
    if not seen:
        cut[:] = False
    for h in np.flatnonzero(far | cut):
        code = FAR_FROM_MAP if far[h] else SEPARATE_NETWORK
        flag[h] = code
        detail[h] = label(f"flag_{code}", language).format(m=float(snap_m[h]), why=why[h])
    return tuple(flag), tuple(detail), unpaved


def centroid(households: Any) -> tuple[float, float] | None:
    """Return the households' mean (lon, lat), or ``None`` without lon/lat geometry."""
    if "geometry" not in getattr(households, "columns", ()) or len(households) == 0:
        return None
    geom = households.geometry
    xs = np.asarray(geom.x, dtype=np.float64)
    ys = np.asarray(geom.y, dtype=np.float64)
    ok = np.isfinite(xs) & np.isfinite(ys)
    if not ok.any():
        return None
    lon, lat = float(xs[ok].mean()), float(ys[ok].mean())
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):  # not lon/lat (hand-made tests)
        return None
    return lon, lat


def neighbour_pairs(households: Any, within_m: float) -> NDArray[np.int64]:
    """Return the ``(P, 2)`` pairs of households closer than ``within_m`` metres (i < j)."""
    empty = np.zeros((0, 2), dtype=np.int64)
    where = centroid(households)
    if within_m <= 0 or where is None:
        return empty
    from scipy.spatial import cKDTree

    geom = households.geometry
    kx = 111_195.0 * math.cos(math.radians(where[1]))
    xy = np.column_stack([np.asarray(geom.x) * kx, np.asarray(geom.y) * 111_195.0])
    ok = np.isfinite(xy).all(axis=1)
    idx = np.flatnonzero(ok)
    pairs = cKDTree(xy[idx]).query_pairs(within_m, output_type="ndarray")
    if len(pairs) == 0:
        return empty
    out = np.sort(idx[pairs], axis=1).astype(np.int64)
    return out[np.lexsort((out[:, 1], out[:, 0]))]
