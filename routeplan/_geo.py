"""Small geodesy helpers shared by the stages (numpy only, cheap to import)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["EARTH_RADIUS_M", "haversine_m"]

EARTH_RADIUS_M = 6_371_009.0
"""Mean Earth radius in metres (the value osmnx uses, so edge lengths agree)."""


def haversine_m(
    lon0: npt.ArrayLike, lat0: npt.ArrayLike, lon1: npt.ArrayLike, lat1: npt.ArrayLike
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Great-circle distance in metres between lon/lat points (arrays broadcast)."""
    p0, p1 = np.radians(np.asarray(lat0, float)), np.radians(np.asarray(lat1, float))
    dlam = np.radians(np.asarray(lon1, float) - np.asarray(lon0, float))
    a = np.sin((p1 - p0) / 2) ** 2 + np.cos(p0) * np.cos(p1) * np.sin(dlam / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0, 1))), dtype=float)
