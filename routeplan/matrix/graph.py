"""The split graph (a node per snapped point) and the routing graph of each travel mode.

Every snapped point becomes a node splitting its edge (both directions of a two-way
way share the node; several points on one edge are chained in order; a one-way edge's
halves stay one-way; times are split in proportion to the distance along the way), see
:func:`split`. Only the strongly connected part holding most points is kept
(:func:`components`).

:func:`layered` builds the graph a mode is routed on. ``"walking"`` uses the edges'
``walk_s``. ``"motorbike"`` has three layers: a walk layer before riding, a ride layer
(``ride_s``, only on rideable edges) and a walk layer after parking. Getting on is free
and parking costs ``switch_s``; both happen at any junction touching a rideable way,
or at a point on one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csgraph, csr_matrix

from ..errors import NetworkError
from ._common import BoolArray, FloatArray, IntArray
from .prepare import Prepared, RoutableNetwork, prepare
from .snap import Snap, snap

__all__ = [
    "Edges",
    "Pieces",
    "components",
    "layered",
    "merge_parallel",
    "split",
    "split_network",
    "usable",
]


@dataclass(frozen=True)
class Edges:
    """Directed edges ``src -> dst`` with their walking and riding times (inf: not usable)."""

    src: IntArray
    dst: IntArray
    walk: FloatArray
    ride: FloatArray

    def __getitem__(self, keep: BoolArray | IntArray) -> Edges:
        """Return the edges selected by a mask or an index array."""
        return Edges(self.src[keep], self.dst[keep], self.walk[keep], self.ride[keep])


@dataclass(frozen=True)
class Pieces:
    """Directed edges of the graph with a node inserted at every snapped point.

    Nodes ``0..n_nodes-1`` are the graph's, ``n_nodes + i`` is point ``i``'s spot on
    its way. Each piece is part ``f0..f1`` (fractions in the edge's direction) of
    graph edge ``edge``.
    """

    n: int
    src: IntArray
    dst: IntArray
    walk: FloatArray
    ride: FloatArray
    edge: IntArray
    f0: FloatArray
    f1: FloatArray


def split_network(
    network: RoutableNetwork, lonlat: FloatArray, mode: str
) -> tuple[Prepared, Snap, Pieces]:
    """Prepare the network, snap the points for ``mode`` and split their ways at them.

    Raises
    ------
    NetworkError
        The motorbike is asked for on a network without ``ride_s`` times.

    """
    prep = prepare(network)
    if mode == "motorbike" and np.isnan(prep.ride).all():
        raise NetworkError(
            "the network has no ride_s motorbike times: load it with routeplan.load_network"
        )
    snapped = snap(prep, lonlat, mode)
    return prep, snapped, split(prep, snapped)


def split(prep: Prepared, snapped: Snap) -> Pieces:
    """Insert each snapped point into every directed edge of its way, in order."""
    n_pts = len(snapped.seg)
    base = prep.n_nodes
    counts = prep.seg_ptr[snapped.seg + 1] - prep.seg_ptr[snapped.seg]
    rep = np.repeat(np.arange(n_pts), counts)
    offs = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    e = prep.seg_order[prep.seg_ptr[snapped.seg[rep]] + offs]
    f = np.where(prep.fwd[e], snapped.t[rep], 1.0 - snapped.t[rep])
    order = np.lexsort((np.where(prep.fwd[e], rep, -rep), f, e))  # ties: each way in turn
    e, f, p = e[order], f[order], rep[order]
    first = np.r_[True, e[1:] != e[:-1]] if len(e) else np.zeros(0, dtype=bool)
    last = np.r_[e[1:] != e[:-1], True] if len(e) else np.zeros(0, dtype=bool)
    prev_node = np.where(first, prep.eu[e], base + np.r_[0, p[:-1]] if len(p) else p)
    prev_f = np.where(first, 0.0, np.r_[0.0, f[:-1]] if len(f) else f)
    whole = np.ones(len(prep.eu), dtype=bool)
    whole[e] = False
    we = np.flatnonzero(whole)
    el = e[last]
    src = np.concatenate([prep.eu[we], prev_node, base + p[last]])
    dst = np.concatenate([prep.ev[we], base + p, prep.ev[el]])
    edge = np.concatenate([we, e, el])
    f0 = np.concatenate([np.zeros(len(we)), prev_f, f[last]])
    f1 = np.concatenate([np.ones(len(we)), f, np.ones(len(el))])
    share = f1 - f0
    walk, ride = prep.walk[edge], prep.ride[edge]
    # inf * 0 would warn (and give nan): scale finite weights only
    walk = np.where(np.isfinite(walk), np.nan_to_num(walk, posinf=0.0) * share, np.inf)
    ride = np.where(np.isfinite(ride), np.nan_to_num(ride, posinf=0.0) * share, np.inf)
    return Pieces(base + n_pts, src, dst, walk, ride, edge, f0, f1)


def merge_parallel(edges: Edges) -> Edges:
    """Merge parallel edges, keeping the smallest of each time; drop self-loops."""
    edges = edges[edges.src != edges.dst]
    if not len(edges.src):
        return edges
    order = np.lexsort((edges.dst, edges.src))
    s, d = edges.src[order], edges.dst[order]
    starts = np.flatnonzero(np.r_[True, (s[1:] != s[:-1]) | (d[1:] != d[:-1])])
    return Edges(
        s[starts],
        d[starts],
        np.minimum.reduceat(edges.walk[order], starts),
        np.minimum.reduceat(edges.ride[order], starts),
    )


def layered(
    edges: Edges,
    n: int,
    points: IntArray,
    mode: str,
    switch_s: float,
    *,
    ref: IntArray | None = None,
    riders: IntArray | None = None,
) -> tuple[csr_matrix, IntArray, IntArray, IntArray]:
    """Build the routing graph of ``mode``: CSR, source nodes, target nodes, piece per entry.

    ``"walking"`` is one layer. ``"motorbike"`` has three: walk to the motorbike
    (``0..n-1``), ride (``n..2n-1``) and walk after parking (``2n..3n-1``). ``ref``
    numbers the edges (default: their position; -1 marks getting on or off), and
    ``riders`` are the nodes where one gets on and off (default: those on a rideable
    edge).
    """
    src, dst, walk, ride = edges.src, edges.dst, edges.walk, edges.ride
    ref = np.arange(len(src)) if ref is None else ref
    if mode == "walking":
        ok = np.isfinite(walk)
        parts = [(src[ok], dst[ok], walk[ok], ref[ok])]
        size, sources, targets = n, points, points
    else:
        ok_w, ok_r = np.isfinite(walk), np.isfinite(ride)
        ride_nodes = np.unique(np.concatenate([src[ok_r], dst[ok_r]]) if riders is None else riders)
        none = np.full(len(ride_nodes), -1)
        parts = [
            (src[ok_w], dst[ok_w], walk[ok_w], ref[ok_w]),
            (src[ok_r] + n, dst[ok_r] + n, ride[ok_r], ref[ok_r]),
            (src[ok_w] + 2 * n, dst[ok_w] + 2 * n, walk[ok_w], ref[ok_w]),
            (ride_nodes, ride_nodes + n, np.zeros(len(ride_nodes)), none),
            (ride_nodes + n, ride_nodes + 2 * n, np.full(len(ride_nodes), float(switch_s)), none),
            (points, points + 2 * n, np.zeros(len(points)), np.full(len(points), -1)),
        ]
        size, sources, targets = 3 * n, points, points + 2 * n
    s = np.concatenate([p[0] for p in parts]).astype(np.int64)
    d = np.concatenate([p[1] for p in parts]).astype(np.int64)
    w = np.concatenate([p[2] for p in parts]).astype(np.float64)
    r = np.concatenate([p[3] for p in parts]).astype(np.int64)
    order = np.lexsort((w, d, s))
    s, d, w, r = s[order], d[order], w[order], r[order]
    if len(s):
        first = np.r_[True, (s[1:] != s[:-1]) | (d[1:] != d[:-1])]
        s, d, w, r = s[first], d[first], w[first], r[first]
    indptr = np.zeros(size + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(np.bincount(s, minlength=size))
    graph = csr_matrix((w, d, indptr), shape=(size, size))
    return graph, sources, targets, r


def usable(pieces: Pieces, mode: str) -> BoolArray:
    """Return the pieces ``mode`` can travel: walkable ones, and rideable ones by motorbike."""
    ok = np.isfinite(pieces.walk)
    if mode == "motorbike":
        ok |= np.isfinite(pieces.ride)
    return ok


def components(
    pieces: Pieces, mode: str, n_pts: int
) -> tuple[BoolArray, BoolArray, list[str], csr_matrix]:
    """Find the strongly connected part holding most points.

    Returns the node mask of that part, the points in it, a reason per point
    (``""`` when in it) and the union graph (every usable piece, one layer).
    """
    base = pieces.n - n_pts
    ok = usable(pieces, mode)
    s, d = pieces.src[ok], pieces.dst[ok]
    union = csr_matrix((np.ones(len(s)), (s, d)), shape=(pieces.n, pieces.n))
    _, labels = csgraph.connected_components(union, directed=True, connection="strong")
    point_labels = labels[base:]
    if n_pts == 0:
        return np.zeros(pieces.n, dtype=bool), np.zeros(0, dtype=bool), [], union
    sizes = np.bincount(labels)
    votes = np.bincount(point_labels, minlength=len(sizes))
    main = int(np.lexsort((sizes, votes))[-1])
    in_main = point_labels == main
    reasons = [""] * n_pts
    if not in_main.all():
        _explain(reasons, union, base, in_main)
    return labels == main, in_main, reasons, union


def _explain(reasons: list[str], union: csr_matrix, base: int, in_main: BoolArray) -> None:
    """Say for each point outside the main part why (in ``reasons``)."""
    start = base + int(np.flatnonzero(in_main)[0])
    ahead = np.zeros(union.shape[0], dtype=bool)
    ahead[csgraph.breadth_first_order(union, start, directed=True, return_predecessors=False)] = (
        True
    )
    back = np.zeros(union.shape[0], dtype=bool)
    back[
        csgraph.breadth_first_order(
            union.T.tocsr(), start, directed=True, return_predecessors=False
        )
    ] = True
    for i in np.flatnonzero(~in_main):
        node = base + int(i)
        if ahead[node]:
            reasons[i] = (
                "can be reached but there is no way back to the other points (a one-way way?)"
            )
        elif back[node]:
            reasons[i] = "cannot be reached from the other points, only left (a one-way way?)"
        else:
            reasons[i] = (
                "its nearest way is not connected to the ways of the other "
                "points (an island in the map)"
            )
