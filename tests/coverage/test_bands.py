"""Bands: their edges, labels, custom bands."""

from __future__ import annotations

import pytest

from routeplan import coverage as cv
from routeplan.config import CoverageSettings, Settings


def test_band_edges_are_inclusive_upper_limits() -> None:
    idx = cv.band_index([0, 15, 15.01, 30, 60, 61, float("nan")], (15, 30, 60))
    assert idx.tolist() == [0, 0, 1, 1, 2, 3, 4]
    assert cv.band_labels((15, 30, 60)) == [
        "0-15 min",
        "15-30 min",
        "30-60 min",
        "over 60 min",
        "no access",
    ]


def test_custom_bands(households, points, matrices) -> None:
    settings = Settings(coverage=CoverageSettings(bands_min=(5, 45)))
    t = cv.assess(households, points, matrices, settings=settings).table()
    assert t.loc[cv.TOTAL, ["0-5 min", "5-45 min", "over 45 min", "no access"]].tolist() == [
        1,
        4,
        0,
        1,
    ]


def test_bad_bands_are_refused() -> None:
    with pytest.raises(ValueError, match="bands_min"):
        CoverageSettings(bands_min=(30, 15))
