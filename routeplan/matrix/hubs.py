"""The hub graph: the network without the points, reduced exactly to its junctions that matter.

:func:`reduce` cuts dead ends and contracts chains of two-neighbour junctions without
changing any shortest time; the junctions left are the *hubs* (hundreds, where the
network has thousands). :func:`hub_graph` builds the routing graph over them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from ._common import BoolArray, IntArray
from .graph import Edges, layered, merge_parallel
from .prepare import Prepared

__all__ = ["HubGraph", "hub_graph", "reduce"]


@dataclass(frozen=True)
class HubGraph:
    """The routing graph over the hubs and where the split graph's nodes are in it."""

    graph: csr_matrix
    to_hub: IntArray  # split-graph node -> hub-graph node (-1 for the others), layer by layer


def hub_graph(
    prep: Prepared, in_part: BoolArray, n: int, rider: BoolArray, mode: str, switch_s: float
) -> HubGraph:
    """Reduce the network (without the points) to its hubs and route ``mode`` over them.

    ``in_part`` marks the nodes of the strongly connected part kept, ``n`` is the number
    of nodes of the split graph and ``rider`` marks its nodes on a rideable piece.
    """
    bike = mode == "motorbike"
    j = in_part[prep.eu] & in_part[prep.ev]
    j &= np.isfinite(prep.walk) | (bike & np.isfinite(prep.ride))
    ride = (
        np.where(np.isnan(prep.ride[j]), np.inf, prep.ride[j])
        if bike
        else np.full(int(j.sum()), np.inf)
    )
    edges = merge_parallel(Edges(prep.eu[j], prep.ev[j], prep.walk[j], ride))
    edges = reduce(edges, n, np.zeros(n, dtype=bool))
    is_hub = np.zeros(n, dtype=bool)
    is_hub[edges.src] = is_hub[edges.dst] = True
    n_hubs = int(is_hub.sum())
    hub_id = np.full(n, -1, dtype=np.int64)
    hub_id[is_hub] = np.arange(n_hubs)
    graph, _, _, _ = layered(
        Edges(hub_id[edges.src], hub_id[edges.dst], edges.walk, edges.ride),
        n_hubs,
        np.empty(0, dtype=np.int64),
        mode,
        switch_s,
        riders=hub_id[is_hub & rider],
    )
    layers = 3 if bike else 1
    to_hub = np.concatenate([np.where(is_hub, hub_id + k * n_hubs, -1) for k in range(layers)])
    return HubGraph(graph, to_hub)


def _neighbour_counts(src: IntArray, dst: IntArray, n: int) -> IntArray:
    """Distinct neighbours of each node, ignoring direction."""
    key = np.unique(np.minimum(src, dst) * n + np.maximum(src, dst))
    return np.bincount(key // n, minlength=n) + np.bincount(key % n, minlength=n)


def _contract(edges: Edges, n: int, through: BoolArray) -> Edges:
    """Replace chains through the ``through`` nodes (two neighbours each) by single edges.

    Pointer jumping over edges: each edge entering a through node continues along
    the node's other edge; doubling sums the weights in log(chain length) steps.
    """
    src, dst = edges.src, edges.dst
    m = len(src)
    order = np.argsort(src, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(src, minlength=n))
    x = dst
    cnt = ptr[x + 1] - ptr[x]
    c1 = order[np.minimum(ptr[x], m - 1)]
    c2 = order[np.minimum(ptr[x] + 1, m - 1)]
    succ = np.where((cnt >= 1) & (dst[c1] != src), c1, -1)
    succ = np.where((succ < 0) & (cnt >= 2) & (dst[c2] != src), c2, succ)
    inner = through[x]
    jump = np.where(inner, succ, -1)
    dead = inner & (succ < 0)
    total_w, total_r, last = edges.walk.copy(), edges.ride.copy(), np.arange(m)
    for _ in range(64):
        act = np.flatnonzero(jump >= 0)
        if not len(act):
            break
        j = jump[act]
        total_w[act] = total_w[act] + total_w[j]
        total_r[act] = total_r[act] + total_r[j]
        last[act] = last[j]
        dead[act] = dead[act] | dead[j]
        jump[act] = jump[j]
    else:  # a ring of through nodes: no way in or out
        dead[jump >= 0] = True
    sel = ~through[src] & ~dead
    return merge_parallel(Edges(src[sel], dst[last[sel]], total_w[sel], total_r[sel]))


def reduce(edges: Edges, n: int, protected: BoolArray) -> Edges:
    """Shrink the graph without changing any shortest time between protected nodes.

    Cuts unprotected nodes that no shortest path can pass through (one neighbour, no
    way in or no way out) and contracts chains of two-neighbour nodes. In the ride
    layer a chain is contracted only where riding is no slower than walking, so that
    getting on or off the motorbike inside it never helps.
    """
    while True:
        while True:
            indeg = np.bincount(edges.dst, minlength=n)
            outdeg = np.bincount(edges.src, minlength=n)
            nb = _neighbour_counts(edges.src, edges.dst, n)
            present = (indeg + outdeg) > 0
            cut = present & ~protected & ((nb <= 1) | (indeg == 0) | (outdeg == 0))
            if not cut.any():
                break
            edges = edges[~(cut[edges.src] | cut[edges.dst])]
        src, dst, walk, ride = edges.src, edges.dst, edges.walk, edges.ride
        rideable = np.isfinite(ride)
        kind = np.where(rideable, np.where(ride <= walk, 1, 2), 0)
        touches = np.zeros((3, n), dtype=bool)
        for k in range(3):
            touches[k, src[kind == k]] = True
            touches[k, dst[kind == k]] = True
        same = (touches[0] ^ touches[1]) & ~touches[2]
        through = present & ~protected & (nb == 2) & same
        if not through.any():
            return edges
        edges = _contract(edges, n, through)
