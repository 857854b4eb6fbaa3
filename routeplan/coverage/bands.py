"""Travel-time bands: their labels, which band a time falls into, and their colours."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["MODES", "NO_ACCESS", "TOTAL", "band_colours", "band_index", "band_labels"]

MODES: tuple[str, ...] = ("motorbike", "walking")
"""The travel modes assessed, the headline one (``CoverageSettings.mode``) first."""

NO_ACCESS = "no access"
"""Band of a household with no route to any service point."""

TOTAL = "All hamlets"
"""Village name of the table's total row."""


_BAND_COLOURS = ("#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fdae61", "#f46d43", "#d73027")
_NO_ACCESS_COLOUR = "#6a3d9a"


def band_labels(bands_min: Sequence[int]) -> list[str]:
    """Return the labels of the bands: ``["0-15 min", ..., "over 60 min", "no access"]``."""
    labels, low = [], 0
    for high in bands_min:
        labels.append(f"{low}-{high} min")
        low = high
    return [*labels, f"over {bands_min[-1]} min", NO_ACCESS]


def band_index(minutes: Any, bands_min: Sequence[int]) -> np.ndarray[Any, Any]:
    """Return the band number of each time: 0 for up to ``bands_min[0]`` (inclusive), ...

    ``NaN`` (no route) gets the last number, ``len(bands_min) + 1``.
    """
    t = np.asarray(minutes, dtype=float)
    idx = np.searchsorted(np.asarray(bands_min, dtype=float), t, side="left")
    return np.where(np.isnan(t), len(bands_min) + 1, idx).astype(np.int64)


def band_colours(n_bands: int) -> list[str]:
    """Green to red for ``n_bands`` time bands (the last being "over"), then no access."""
    pick = np.linspace(0, len(_BAND_COLOURS) - 1, n_bands).round().astype(int)
    return [_BAND_COLOURS[i] for i in pick] + [_NO_ACCESS_COLOUR]
