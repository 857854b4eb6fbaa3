"""The entry point: :func:`build_matrix`, from a network and points to a :class:`TravelMatrix`.

The steps: check the points, read the cache, or else snap the points and split their
ways (:mod:`~routeplan.matrix.graph`), keep the strongly connected part, compute the
times between its points (:mod:`~routeplan.matrix.compute`), add the access legs, round
to whole seconds, report each point (:func:`~routeplan.matrix.snap.snaps_frame`) and
write the cache.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._memory import too_many_points
from ..config import NetworkSettings, Settings
from ..errors import InputDataError, Problem
from ._common import BoolArray, FloatArray, Int32Array, IntArray, Progress, log
from .cache import cache_key, cache_path, read_cache, write_cache
from .compute import core_times
from .graph import Pieces, components, split_network
from .paths import Routes
from .paved import paved_times, unpaved_trips
from .points import check_points
from .prepare import Prepared, RoutableNetwork
from .snap import Snap, same_spot, snaps_frame
from .travel_matrix import MODES, UNREACHABLE, TravelMatrix

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = ["build_matrix"]

_Built = tuple[Prepared, Snap, Pieces]
_Result = tuple[_Built, Int32Array, pd.DataFrame, BoolArray]


def build_matrix(
    network: RoutableNetwork,
    points: gpd.GeoDataFrame,
    *,
    mode: str,
    settings: NetworkSettings | Settings | None = None,
    cache_dir: str | Path | None = None,
    progress: Progress | None = None,
) -> TravelMatrix:
    """Compute the travel times between every pair of points.

    Parameters
    ----------
    network
        The road network (:func:`routeplan.load_network`).
    points
        GeoDataFrame with ``point_id`` (unique), ``kind`` (``"household"``, ``"home"``
        or ``"service_point"``) and Point geometry; see :func:`points_frame`.
    mode
        ``"walking"`` or ``"motorbike"`` (ride where possible, walk the rest).
    settings
        ``walk_kmh`` (access legs), ``switch_s`` (parking) and ``max_snap_m`` (flag);
        a whole :class:`~routeplan.config.Settings` is accepted too.
    cache_dir
        Folder of cached matrices. A matrix is reused when the network
        (fingerprint), the points (ids and locations), the mode and these settings
        are all the same; anything else computes it again.
    progress
        Called with (message, fraction 0..1) as the work advances.

    Returns
    -------
    TravelMatrix

    Raises
    ------
    InputDataError
        The points are invalid (every problem listed), the mode is unknown, or the
        points are too many for the memory (``network.matrix_memory_gb``).
    NetworkError
        The network has no ways, or no travel times for the mode.

    """
    say: Progress = progress or (lambda message, fraction: None)
    settings = _network_settings(settings)
    if mode not in MODES:
        raise InputDataError(
            [Problem(f"unknown travel mode {mode!r}", f"use one of {', '.join(MODES)}")]
        )
    ids, _, lonlat = check_points(points)
    too_many = too_many_points(len(ids), settings.matrix_memory_gb)
    if too_many is not None:  # refuse before any slow work, not with numpy's MemoryError
        raise InputDataError([Problem(*too_many)], subject="travel-time matrix")
    build = functools.partial(split_network, network, lonlat, mode)
    switch_s = float(settings.switch_s)
    key = path = None
    if cache_dir is not None:
        key = cache_key(network, ids, lonlat, mode, settings)
        path = cache_path(cache_dir, mode, key)
        hit = read_cache(path, key, ids)
        if hit is not None:
            log.info("travel times (%s, %d points) read from %s", mode, len(ids), path)
            say("travel-time matrix read from the cache", 1.0)
            routes = Routes(build, mode, switch_s, lonlat)
            return TravelMatrix(
                ids=tuple(ids),
                seconds=hit[0],
                snaps=hit[1],
                mode=mode,
                unpaved=hit[2],
                _routes=routes,
            )
    built, seconds, snaps, unpaved = _compute(build, ids, mode, settings, say)
    if path is not None and key is not None:
        write_cache(path, key, ids, seconds, snaps, unpaved)
    say("travel-time matrix ready", 1.0)
    routes = Routes(lambda: built, mode, switch_s, lonlat)
    return TravelMatrix(
        ids=tuple(ids), seconds=seconds, snaps=snaps, mode=mode, unpaved=unpaved, _routes=routes
    )


def _network_settings(settings: NetworkSettings | Settings | None) -> NetworkSettings:
    """Return the network part of ``settings`` (the defaults when ``None``)."""
    if isinstance(settings, Settings):
        settings = settings.network
    return settings or NetworkSettings()


def _compute(
    build: Callable[[], _Built],
    ids: list[str],
    mode: str,
    settings: NetworkSettings,
    say: Progress,
) -> _Result:
    """Snap, split, route and report: the split network, seconds, snaps, unpaved trips.

    The points are routed twice when the network has unpaved ways: on paved ways alone
    first (kept as float32), then on all ways (:mod:`~routeplan.matrix.paved`).
    """
    t0 = time.perf_counter()
    n = len(ids)
    say("snapping the points to the ways", 0.0)
    built = build()
    prep, snapped, pieces = built
    say("reducing the network", 0.1)
    in_part, reachable, reasons, _ = components(pieces, mode, n)
    reach_idx = np.flatnonzero(reachable)
    route = (reach_idx, in_part, mode, float(settings.switch_s))
    paved = paved_times(
        prep, pieces, *route, lambda f: say("travel times on paved ways", 0.15 + 0.4 * f)
    )
    start = 0.15 if paved is None else 0.55
    dist = core_times(
        prep, pieces, *route, lambda f: say("travel times", start + (0.95 - start) * f)
    )
    unpaved = unpaved_trips(dist, paved, reach_idx, n)
    del paved
    access = snapped.snap_m / (settings.walk_kmh / 3.6)
    seconds, unreached = _whole_seconds(dist, access, reach_idx, n)
    same_spot(seconds, snapped, reachable, prep.proj)
    np.fill_diagonal(seconds, 0)
    unpaved[seconds == 0] = False  # the same spot: no way travelled
    snaps = snaps_frame(
        ids,
        snapped,
        prep.proj,
        access,
        reachable,
        reasons,
        settings.max_snap_m,
        unpaved=prep.seg_unpaved[snapped.seg] if n else None,
    )
    log.info(
        "travel times (%s): %d points, %d not reachable, %d with no mapped access, "
        "%d more pairs without a trip, %d trips on unpaved ways; %.2f s",
        mode,
        n,
        int((~reachable).sum()),
        int(snaps["no_mapped_access"].sum()),
        unreached,
        int(unpaved.sum()),
        time.perf_counter() - t0,
    )
    return built, seconds, snaps, unpaved


def _whole_seconds(
    dist: FloatArray, access: FloatArray, reach_idx: IntArray, n: int
) -> tuple[Int32Array, int]:
    """Add the access legs to the times between the points ``reach_idx`` and round them.

    Returns the (n, n) int32 seconds (:data:`UNREACHABLE` for the other points and
    trips that cannot be made) and the number of pairs of those points without a trip.
    ``dist`` is overwritten.
    """
    seconds = np.full((n, n), UNREACHABLE, dtype=np.int32)
    total = dist  # in place: the times are large
    total += access[reach_idx, None]
    total += access[None, reach_idx]
    finite = np.isfinite(total)
    np.rint(total, out=total)
    np.minimum(total, UNREACHABLE - 1, out=total)
    total[~finite] = UNREACHABLE
    if len(reach_idx) == n:
        seconds[:] = total
    else:
        seconds[np.ix_(reach_idx, reach_idx)] = total
    unreached = int((~finite).sum() - (~finite).diagonal().sum()) if n else 0
    return seconds, unreached
