"""What the submodules of :mod:`routeplan.matrix` share: array types and the logger."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["BoolArray", "FloatArray", "Int32Array", "IntArray", "Progress", "log"]

Progress = Callable[[str, float], None]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]
Int32Array = np.ndarray[Any, np.dtype[np.int32]]

log = logging.getLogger("routeplan.matrix")
"""The package's one logger: its records keep the name ``routeplan.matrix``."""
