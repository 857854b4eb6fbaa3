"""The network's data types."""

from __future__ import annotations

import pytest

from routeplan.errors import InputDataError
from routeplan.network import BBox


def test_bad_bbox() -> None:
    with pytest.raises(InputDataError, match="longitude first"):
        BBox(108.0, 16.2, 108.1, 16.1)
