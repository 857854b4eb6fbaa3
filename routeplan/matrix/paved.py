"""Which trips use an unpaved way: the same points routed again on the paved ways alone.

A way is unpaved by the network's one rule, :func:`routeplan.network.is_unpaved` (a
track, path or bridleway not tagged paved, or any way with an unpaved ``surface``).
A trip *uses an unpaved way* when no trip on paved ways alone is as fast (within
:data:`PAVED_TOLERANCE_S`): :func:`paved_times` routes the points a second time with
every unpaved piece of way closed (the same exact computation,
:func:`~routeplan.matrix.compute.core_times`), and :func:`unpaved_trips` compares the
two. When a paved trip is as fast, the matrix's trip is that one, and
:meth:`TravelMatrix.path <routeplan.matrix.TravelMatrix.path>` draws it on the paved
ways, so the drawn path and the flag always agree. A point snapped onto an unpaved way
has every trip flagged (it cannot be reached on paved ways).

Memory: the paved times are kept as float32 (4 bytes a pair) while the ordinary times
are computed, and the flags are one byte a pair.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Final

import numpy as np

from ._common import BoolArray, FloatArray, IntArray
from .compute import core_times
from .graph import Pieces
from .prepare import Prepared

__all__ = ["PAVED_TOLERANCE_S", "paved_only", "paved_times", "unpaved_trips"]

PAVED_TOLERANCE_S: Final = 0.5
"""A paved trip at most this much slower (seconds) than the fastest counts as as fast."""

_ROWS: Final = 1024  # rows compared at a time (bounds the temporaries)

Float32Array = np.ndarray[tuple[int, ...], np.dtype[np.float32]]


def paved_only(prep: Prepared, pieces: Pieces) -> tuple[Prepared, Pieces]:
    """Return the network and its split graph with every unpaved piece of way closed."""
    edge_unpaved = prep.seg_unpaved[prep.seg]
    piece_unpaved = edge_unpaved[pieces.edge]
    closed = dataclasses.replace(
        prep,
        walk=np.where(edge_unpaved, np.inf, prep.walk),
        ride=np.where(edge_unpaved, np.inf, prep.ride),
    )
    split = dataclasses.replace(
        pieces,
        walk=np.where(piece_unpaved, np.inf, pieces.walk),
        ride=np.where(piece_unpaved, np.inf, pieces.ride),
    )
    return closed, split


def paved_times(
    prep: Prepared,
    pieces: Pieces,
    reach_idx: IntArray,
    in_part: BoolArray,
    mode: str,
    switch_s: float,
    report: Callable[[float], None],
) -> Float32Array | None:
    """Return the times between the points ``reach_idx`` on paved ways (``None``: all paved).

    As :func:`~routeplan.matrix.compute.core_times` (without the access legs), float32.
    """
    if not prep.seg_unpaved.any():
        return None
    closed, split = paved_only(prep, pieces)
    dist = core_times(closed, split, reach_idx, in_part, mode, switch_s, report)
    return dist.astype(np.float32)


def unpaved_trips(
    dist: FloatArray, paved: Float32Array | None, reach_idx: IntArray, n: int
) -> BoolArray:
    """Return the (n, n) flags: the trip ``i -> j`` uses an unpaved way.

    ``dist`` and ``paved`` are the times between the points ``reach_idx`` on all ways
    and on paved ways alone; a trip is flagged when the paved one is slower by more
    than :data:`PAVED_TOLERANCE_S` (or impossible) and the trip can be made.
    """
    m = len(reach_idx)
    if paved is None or not m:
        return np.zeros((n, n), dtype=bool)
    part = np.empty((m, m), dtype=bool)
    for k in range(0, m, _ROWS):
        rows = slice(k, k + _ROWS)
        np.less(dist[rows] + PAVED_TOLERANCE_S, paved[rows], out=part[rows])
    if m == n:
        return part
    out = np.zeros((n, n), dtype=bool)
    out[np.ix_(reach_idx, reach_idx)] = part
    return out
