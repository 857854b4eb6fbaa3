"""How many points routeplan can plan at once: the memory of the dense travel-time matrix.

A plan needs the travel time between every pair of points (households, volunteers'
homes and service points), so memory grows with the square of their number. Building
one matrix peaks at about 31 bytes per pair (float64 Dijkstra rows, the float32 times
on paved ways, the int32 result and the one-byte unpaved flags, measured on the demo
commune); :data:`BYTES_PER_PAIR` rounds that up for the
planner's copies. The registers check (``validate``) warns and the matrix step refuses,
before any slow work, when the points would not fit.
"""

from __future__ import annotations

import math
import os

__all__ = ["BYTES_PER_PAIR", "matrix_bytes", "max_points", "memory_limit", "too_many_points"]

BYTES_PER_PAIR = 32
"""Bytes of memory a plan needs per pair of points (one matrix being built)."""

_FALLBACK_BYTES = 8 * 10**9  # when the machine's memory cannot be read (Windows)


def matrix_bytes(n: int) -> int:
    """Return the memory the travel-time matrix of ``n`` points needs, in bytes."""
    return BYTES_PER_PAIR * n * n


def memory_limit(setting_gb: float = 0.0) -> tuple[int, str]:
    """Return the bytes the matrix may take and where that limit comes from.

    ``setting_gb`` (``network.matrix_memory_gb``) when it is positive, else half of
    this machine's physical memory.
    """
    if setting_gb > 0:
        return int(setting_gb * 10**9), "network.matrix_memory_gb"
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return _FALLBACK_BYTES, "the default limit (set network.matrix_memory_gb)"
    return total // 2, "half of this machine's memory"


def max_points(limit_bytes: int) -> int:
    """Return the most points whose matrix fits in ``limit_bytes``."""
    return math.isqrt(limit_bytes // BYTES_PER_PAIR)


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1e9:,.1f} GB" if n_bytes >= 10**8 else f"{n_bytes / 1e6:,.2f} MB"


def too_many_points(
    n: int, setting_gb: float = 0.0, *, slack: float = 1.0
) -> tuple[str, str] | None:
    """Return (message, fix) when ``n`` points are too many to plan at once, else ``None``.

    ``slack`` > 1 accepts up to that many times the points that fit (for a rough count
    that can only be too high, such as the lines of a CSV).
    """
    limit, source = memory_limit(setting_gb)
    need = matrix_bytes(n)
    if n <= slack * max_points(limit):
        return None
    return (
        f"{n:,} points (households, volunteers' homes and service points) are too many to "
        f"plan at once: their travel-time matrix needs about {_size(need)} of memory, "
        f"more than the {_size(limit)} allowed ({source}); at most about "
        f"{max_points(limit):,} points fit",
        "plan it in several areas (split the households and volunteers by commune or by "
        "groups of hamlets, one plan each), or on a machine with more memory raise "
        "network.matrix_memory_gb in the --settings file",
    )
