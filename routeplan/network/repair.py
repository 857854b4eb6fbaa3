"""Repairs of messy extracts: ways clipped at the extract's edge, islands.

- A way whose nodes are missing from the extract is clipped to the nodes present,
  and split where nodes are missing; repeated consecutive nodes (zero-length
  self-loops) are dropped.
- Disconnected parts with fewer than ``min_island_nodes`` OSM nodes are removed and
  listed as :class:`~routeplan.network.Island` (unless every part is that small).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

import numpy as np

from ._flat import BoolArray, Edges, IntArray, Nodes
from .model import Island, NetworkReport

__all__ = ["clip_way", "find_islands"]

log = logging.getLogger(__name__)


def clip_way(
    refs: Iterable[int], coords: Mapping[int, object]
) -> tuple[list[list[int]], int, bool]:
    """Cut a way's node list where nodes are missing from ``coords``.

    Returns
    -------
    tuple
        The pieces (some may have fewer than two nodes), the number of missing node
        references, and whether a node repeated right after itself was dropped.

    """
    pieces: list[list[int]] = [[]]
    looped = False
    missing = 0
    for ref in refs:
        if ref in coords:
            if pieces[-1] and pieces[-1][-1] == ref:
                looped = True  # a segment from a node to itself
                continue
            pieces[-1].append(ref)
        else:
            missing += 1
            if pieces[-1]:
                pieces.append([])
    return pieces, missing, looped


def find_islands(
    edges: Edges, nodes: Nodes, min_island_nodes: int, report: NetworkReport
) -> tuple[BoolArray, BoolArray]:
    """Find the small disconnected parts and list them in ``report.islands``.

    Returns
    -------
    tuple
        Which nodes are on an edge, and which edges to keep (outside small parts).

    """
    n_nodes = len(nodes.ids)
    label, in_graph, comp_nodes = _components(edges, n_nodes)
    real = comp_nodes > 0
    small = (comp_nodes < min_island_nodes) & real
    if small.any() and not small[real].all():
        for c in np.nonzero(small)[0]:
            members = np.nonzero(in_graph & (label == c))[0]
            report.islands.append(
                Island(
                    int(comp_nodes[c]),
                    round(float(nodes.lon[members].mean()), 6),
                    round(float(nodes.lat[members].mean()), 6),
                )
            )
        report.islands.sort(key=lambda i: (-i.nodes, i.lon, i.lat))
    elif small.any():
        log.warning(
            "every part of the network is smaller than min_island_nodes=%d; keeping them all",
            min_island_nodes,
        )
        small[:] = False
    keep: BoolArray = ~small[label[edges.u]]
    return in_graph, keep


def _components(edges: Edges, n_nodes: int) -> tuple[IntArray, BoolArray, IntArray]:
    """Component label of each node, which nodes are on an edge, OSM nodes per component.

    OSM nodes inside an edge's geometry count towards its component.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    e_u, e_v = edges.u, edges.v
    adj = coo_matrix((np.ones(len(edges)), (e_u, e_v)), shape=(n_nodes, n_nodes))
    n_comp, label = connected_components(adj, directed=False)
    in_graph = np.zeros(n_nodes, dtype=bool)
    in_graph[e_u] = True
    in_graph[e_v] = True
    comp_nodes = np.bincount(label[in_graph], minlength=n_comp)
    comp_nodes += np.bincount(
        label[e_u], weights=np.maximum(edges.b - edges.a - 1, 0), minlength=n_comp
    ).astype(np.int64)
    return label, in_graph, comp_nodes
