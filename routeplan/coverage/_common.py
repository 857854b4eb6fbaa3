"""Small helpers the coverage submodules share: progress callbacks, names, matrix rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..timewindows import fold

if TYPE_CHECKING:  # pragma: no cover
    from ..matrix import TravelMatrix

__all__ = ["ProgressFn", "edge_line", "fold_name", "matrix_rows"]

ProgressFn = Callable[[str, float], None]
"""Progress callback: called with (message, fraction done)."""


def fold_name(text: str) -> str:
    """Lower-case ``text`` without accents (``"Tà Lang"`` -> ``"ta lang"``)."""
    return " ".join(fold(str(text)).split())


def matrix_rows(matrix: TravelMatrix, ids: Sequence[str]) -> np.ndarray[Any, Any]:
    """Return the row (and column) numbers of ``ids`` in ``matrix``."""
    return np.array([matrix.index(i) for i in ids], dtype=np.int64)


def edge_line(graph: Any, u: Any, v: Any, data: Mapping[str, Any]) -> Any:
    """Return the geometry of edge ``u -> v``: its own, else the straight line between them."""
    import shapely

    geom = data.get("geometry")
    if geom is None:
        geom = shapely.LineString(
            [
                (graph.nodes[u]["x"], graph.nodes[u]["y"]),
                (graph.nodes[v]["x"], graph.nodes[v]["y"]),
            ]
        )
    return geom
