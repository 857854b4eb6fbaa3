"""The on-disk matrix cache: one ``.npz`` per network, points, mode and settings.

Format ``routeplan-matrix-3``: arrays ``key``, ``ids``, ``seconds``, ``unpaved`` (the
per-trip flags of :attr:`TravelMatrix.unpaved <routeplan.matrix.TravelMatrix.unpaved>`,
packed eight to a byte) and the columns of
:attr:`TravelMatrix.snaps <routeplan.matrix.TravelMatrix.snaps>` (its ``unpaved``
column as ``snap_unpaved``). A file whose key or
ids differ from the inputs, or that cannot be read, is ignored (with a warning).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from .._io import atomic_write
from ..config import NetworkSettings
from ._common import BoolArray, FloatArray, Int32Array, log
from .prepare import RoutableNetwork

__all__ = ["CACHE_FORMAT", "cache_key", "cache_path", "read_cache", "write_cache"]

CACHE_FORMAT: Final = "routeplan-matrix-3"  # 2: snaps have ``unpaved``; 3: trips have it


def cache_key(
    network: RoutableNetwork,
    ids: Sequence[str],
    lonlat: FloatArray,
    mode: str,
    settings: NetworkSettings,
) -> str:
    """Hash of everything the matrix depends on: network, point ids and places, mode, settings."""
    relevant: dict[str, Any] = {"walk_kmh": settings.walk_kmh, "max_snap_m": settings.max_snap_m}
    if mode == "motorbike":
        relevant["switch_s"] = settings.switch_s
    h = hashlib.sha256()
    h.update(json.dumps([CACHE_FORMAT, network.fingerprint, mode, relevant]).encode())
    h.update("\x1f".join(ids).encode("utf-8"))
    h.update(np.round(lonlat, 7).astype(np.float64).tobytes())
    return h.hexdigest()


def cache_path(cache_dir: str | Path, mode: str, key: str) -> Path:
    """Return the cache file of the matrix with ``key``."""
    return Path(cache_dir) / f"matrix-{mode}-{key[:24]}.npz"


def read_cache(
    path: Path, key: str, ids: Sequence[str]
) -> tuple[Int32Array, pd.DataFrame, BoolArray] | None:
    """Return the cached seconds, snaps and unpaved trips (``None``: absent, stale, unreadable)."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["key"]) != key or list(data["ids"]) != list(ids):
                raise ValueError("the file belongs to other inputs")
            seconds = np.asarray(data["seconds"], dtype=np.int32)
            n = len(ids)
            if seconds.shape != (n, n):
                raise ValueError(f"matrix shape {seconds.shape} is not ({n}, {n})")
            packed = np.asarray(data["unpaved"], dtype=np.uint8)
            if packed.shape != ((n * n + 7) // 8,):
                raise ValueError(f"{packed.size} bytes of unpaved trips for {n} points")
            unpaved = np.unpackbits(packed, count=n * n).astype(bool).reshape(n, n)
            snaps = pd.DataFrame(
                {
                    "snap_m": np.asarray(data["snap_m"], dtype=np.float64),
                    "access_s": np.asarray(data["access_s"], dtype=np.int64),
                    "no_mapped_access": np.asarray(data["no_mapped_access"], dtype=bool),
                    "reachable": np.asarray(data["reachable"], dtype=bool),
                    "reason": [str(r) for r in data["reason"]],
                    "snap_lon": np.asarray(data["snap_lon"], dtype=np.float64),
                    "snap_lat": np.asarray(data["snap_lat"], dtype=np.float64),
                    "unpaved": np.asarray(data["snap_unpaved"], dtype=bool),
                },
                index=pd.Index(list(ids), name="point_id"),
            )
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        log.warning("ignoring the unreadable travel-time cache %s (%s); computing again", path, exc)
        return None
    return seconds, snaps, unpaved


def write_cache(
    path: Path,
    key: str,
    ids: Sequence[str],
    seconds: Int32Array,
    snaps: pd.DataFrame,
    unpaved: BoolArray,
) -> None:
    """Write the matrix to ``path`` atomically; a failure is logged, not raised."""
    try:
        with atomic_write(path, "wb", encoding=None) as fh:
            np.savez(
                fh,
                key=np.array(key),
                ids=np.array(list(ids), dtype=str),
                seconds=seconds,
                unpaved=np.packbits(unpaved, axis=None),
                snap_m=snaps["snap_m"].to_numpy(),
                access_s=snaps["access_s"].to_numpy(),
                no_mapped_access=snaps["no_mapped_access"].to_numpy(),
                reachable=snaps["reachable"].to_numpy(),
                reason=np.array(list(snaps["reason"]), dtype=str),
                snap_lon=snaps["snap_lon"].to_numpy(),
                snap_lat=snaps["snap_lat"].to_numpy(),
                snap_unpaved=snaps["unpaved"].to_numpy(),
            )
    except OSError as exc:
        log.warning("could not write the travel-time cache %s (%s)", path, exc)
