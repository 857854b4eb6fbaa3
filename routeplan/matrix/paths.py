"""Paths for drawing (:meth:`TravelMatrix.path <routeplan.matrix.TravelMatrix.path>`).

Recomputed on the full split graph of the mode for one source at a time, when first
asked for; a trip the matrix keeps on paved ways (:mod:`~routeplan.matrix.paved`) on
the split graph without its unpaved ways.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import shapely
from scipy.sparse import csr_matrix

from ._common import FloatArray, IntArray
from .compute import predecessors
from .graph import Edges, Pieces, layered
from .paved import paved_only
from .prepare import Prepared
from .snap import Snap

__all__ = ["Routes"]

_Graph = tuple[Prepared, Snap, Pieces, csr_matrix, IntArray, IntArray, IntArray]
_Built = tuple[Prepared, Snap, Pieces]


class Routes:
    """Everything :meth:`TravelMatrix.path` needs; built lazily on first use.

    ``build`` returns the prepared network, the snapped points and the split graph.
    """

    def __init__(
        self,
        build: Callable[[], tuple[Prepared, Snap, Pieces]],
        mode: str,
        switch_s: float,
        lonlat: FloatArray,
    ) -> None:
        self._build = build
        self._mode = mode
        self._switch_s = switch_s
        self._lonlat = lonlat
        self._built: _Built | None = None
        self._ready: dict[bool, _Graph] = {}
        self._pred: dict[tuple[bool, int], IntArray] = {}
        self._pieces: dict[int, FloatArray] = {}

    def point_lonlat(self, i: int) -> tuple[float, float]:
        """Where point ``i`` is (lon, lat)."""
        return (float(self._lonlat[i, 0]), float(self._lonlat[i, 1]))

    def _split(self) -> _Built:
        if self._built is None:
            self._built = self._build()
        return self._built

    def _graph(self, paved: bool = False) -> _Graph:
        """Return the routing graph (``paved``: without unpaved ways) and its parts."""
        prep, snap, pieces = self._split()
        if paved not in self._ready:
            walk, ride = pieces.walk, pieces.ride
            if paved:
                _, closed = paved_only(prep, pieces)
                walk, ride = closed.walk, closed.ride
            base = pieces.n - len(snap.seg)
            points = np.arange(base, pieces.n)
            graph, sources, targets, ref = layered(
                Edges(pieces.src, pieces.dst, walk, ride),
                pieces.n,
                points,
                self._mode,
                self._switch_s,
            )
            self._ready[paved] = (prep, snap, pieces, graph, sources, targets, ref)
        return self._ready[paved]

    def _nodes(self, i: int, j: int, paved: bool) -> list[int]:
        """Return the routing graph's nodes from point ``i`` to point ``j`` (``[]``: none)."""
        _, _, _, graph, sources, targets, _ = self._graph(paved)
        if (paved, i) not in self._pred:
            self._pred[paved, i] = predecessors(graph, int(sources[i]))
        pred = self._pred[paved, i]
        node, start = int(targets[j]), int(sources[i])
        nodes = [node]
        while node != start:
            node = int(pred[node])
            if node < 0:
                return []
            nodes.append(node)
        nodes.reverse()
        return nodes

    def path(self, i: int, j: int, *, paved: bool = False) -> list[tuple[float, float]]:
        """Return the (lon, lat) line from point ``i`` to point ``j`` (``[]``: no trip).

        ``paved``: along paved ways only when they go there (else along any).
        """
        paved = paved and bool(self._split()[0].seg_unpaved.any())
        nodes = self._nodes(i, j, paved) if paved else []
        if not nodes:
            paved = False
            nodes = self._nodes(i, j, paved)
        if not nodes:
            return []
        prep, snap, pieces, graph, _, _, ref = self._graph(paved)
        xy: list[FloatArray] = [snap.snap_xy[i : i + 1]]
        for a, b in itertools.pairwise(nodes):
            row = graph.indices[graph.indptr[a] : graph.indptr[a + 1]]
            k = int(graph.indptr[a] + np.searchsorted(row, b))
            piece = int(ref[k])
            if piece < 0:  # getting on or off the motorbike: no distance
                continue
            if piece not in self._pieces:  # legs share roads: each piece is cut once
                e = int(pieces.edge[piece])
                line = prep.seg_geom[prep.seg[e]]
                if not prep.fwd[e]:
                    line = shapely.reverse(line)
                self._pieces[piece] = _substring(
                    line, float(pieces.f0[piece]), float(pieces.f1[piece])
                )
            xy.append(self._pieces[piece])
        xy.append(snap.snap_xy[j : j + 1])
        coords = prep.proj.inverse(np.concatenate(xy))
        out = [self.point_lonlat(i)]
        for lon, lat in coords:
            if abs(lon - out[-1][0]) > 1e-9 or abs(lat - out[-1][1]) > 1e-9:
                out.append((float(lon), float(lat)))
        end = self.point_lonlat(j)
        if end != out[-1]:
            out.append(end)
        return out


def _substring(line: Any, f0: float, f1: float) -> FloatArray:
    """Coordinates of the part of ``line`` between fractions ``f0 <= f1``."""
    coords: FloatArray = np.asarray(shapely.get_coordinates(line), dtype=np.float64)
    length = float(shapely.length(line))
    if length == 0 or (f0 <= 0 and f1 >= 1):
        return coords
    cum = np.r_[0.0, np.cumsum(np.hypot(*np.diff(coords, axis=0).T))] / length
    inner = coords[(cum > f0) & (cum < f1)]
    ends = shapely.get_coordinates(
        shapely.line_interpolate_point(line, np.array([f0, f1]), normalized=True)
    )
    return np.concatenate([ends[:1], inner, ends[1:]])
