"""Pieces shared by the register readers: problems, the parsed result, small helpers."""

from __future__ import annotations

import difflib
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..errors import InputDataError, Problem, Severity
from .columns import Kind

__all__ = [
    "Bounds",
    "Parsed",
    "PathLike",
    "Problems",
    "closest",
    "log",
    "object_array",
    "points_frame",
    "positions",
    "rows_text",
]

log = logging.getLogger("routeplan.registers")
"""The one logger of the package (its name is what the CLI prints before a message)."""

Bounds = tuple[float, float, float, float]
"""``(min lon, min lat, max lon, max lat)`` of the area being planned."""

PathLike = str | os.PathLike[str]


def closest(word: str, options: Iterable[str], cutoff: float = 0.6) -> str | None:
    """Return the option most like ``word`` (``difflib``), or ``None`` if none is close."""
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=cutoff)
    return match[0] if match else None


def rows_text(rows: Sequence[str], limit: int = 12) -> str:
    """Name rows like ``"row 2"``, ``"feature 3"`` together: ``"rows 2, 5 and 3 more"``."""
    nums = [r.split(" ", 1)[-1] for r in rows]
    kind = (rows[0].split(" ", 1)[0] if rows else "row") + ("s" if len(rows) != 1 else "")
    shown = ", ".join(nums[:limit]) + (
        f" and {len(nums) - limit} more" if len(nums) > limit else ""
    )
    return f"{kind} {shown}"


def positions(mask: Any) -> list[int]:
    """Positions where ``mask`` is true, as Python ints."""
    return [int(i) for i in np.flatnonzero(np.asarray(mask))]


class Problems:
    """Collects the problems of one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []

    def add(
        self,
        message: str,
        fix: str = "",
        *,
        row: str | None = None,
        column: str | None = None,
        severity: Severity = "error",
        code: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        """Record a problem of this file (``code`` and ``params``: see :class:`Problem`)."""
        self.items.append(
            Problem(
                message,
                fix,
                file=self.file,
                row=row,
                column=column,
                severity=severity,
                code=code,
                params=params,
            )
        )

    @property
    def has_errors(self) -> bool:
        """Whether any problem recorded is an error."""
        return any(p.severity == "error" for p in self.items)


def points_frame(
    data: dict[str, Any],
    lon: np.ndarray[Any, np.dtype[np.float64]],
    lat: np.ndarray[Any, np.dtype[np.float64]],
) -> gpd.GeoDataFrame:
    """Return the columns ``data`` with points at ``lon``, ``lat`` in EPSG:4326."""
    frame = pd.DataFrame(data)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def object_array(values: Sequence[Any]) -> np.ndarray[Any, np.dtype[np.object_]]:
    """Return an object array holding each value (a tuple, a frozenset) as one cell."""
    arr = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        arr[i] = v
    return arr


@dataclass
class Parsed:
    """What a register check found: the rows as far as they could be read, and problems."""

    kind: Kind
    file: str
    problems: list[Problem]
    frame: gpd.GeoDataFrame | None = None  # all rows (geometry may be empty) or None

    @property
    def rows(self) -> int | None:
        """Number of rows read, ``None`` when the file could not be read."""
        return None if self.frame is None else len(self.frame)

    def result(self) -> gpd.GeoDataFrame:
        """Log the warnings and return the frame, or raise if there is an error."""
        errors = [p for p in self.problems if p.severity == "error"]
        if errors or self.frame is None:  # the warnings are in the error's list
            raise InputDataError(self.problems, subject=self.file)
        for p in self.problems:
            if p.severity == "warning":
                log.warning("%s", p)
        gdf = self.frame
        gdf.attrs["problems"] = tuple(self.problems)
        return gdf
