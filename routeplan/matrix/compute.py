"""Many-to-many travel times between the snapped points, with scipy's csgraph Dijkstra.

How it is computed
------------------
The network without the points is reduced exactly (dead ends cut, chains of
two-neighbour junctions contracted, :mod:`~routeplan.matrix.hubs`): the junctions
left are the *hubs*, and what lies between them is chains and dead-end branches. A
trip either stays in its branch or leaves it through a first hub and arrives through a
last one, so the many-to-many times come from three cheap parts, all with
:func:`scipy.sparse.csgraph.dijkstra`: Dijkstra from each point within its own branch
only (forwards and backwards, hubs being dead ends), Dijkstra over the small hub
graph from each distinct first hub, and a vectorised minimum over each point's few
ways out and in. This is exact (the tests compare it with networkx over the whole
split graph) and, with ~1,400 points, tens of times faster than a Dijkstra per point
(see ``bench/README.md``).

Dijkstra runs go through ``_dijkstra`` and keep at most ``_BATCH_CELLS`` distances at
a time; both are looked up here at call time, so tests can replace them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from scipy.sparse import csgraph, csr_matrix

from ._common import BoolArray, FloatArray, IntArray, log
from .graph import Edges, Pieces, layered, merge_parallel, usable
from .hubs import hub_graph
from .prepare import Prepared

__all__ = ["core_times", "predecessors"]

_BATCH_CELLS: Final = 4_000_000  # distances per dijkstra call (32 MB of float64)
_GROUP_NODES: Final = 1_000  # nodes of the branches run together (see _local)


def _dijkstra(graph: csr_matrix, *, indices: Any, return_predecessors: bool = False) -> Any:
    """Scipy's Dijkstra (a seam for tests)."""
    return csgraph.dijkstra(
        graph, directed=True, indices=indices, return_predecessors=return_predecessors
    )


def predecessors(graph: csr_matrix, source: int) -> IntArray:
    """Return each node's predecessor on the shortest paths from ``source`` (< 0: none)."""
    _, pred = _dijkstra(graph, indices=source, return_predecessors=True)
    return np.asarray(pred, dtype=np.int64)


@dataclass(frozen=True)
class _Ways:
    """Ways out of (or into) the points: point, hub node, seconds; one entry each."""

    pt: IntArray
    hub: IntArray
    cost: FloatArray


def core_times(
    prep: Prepared,
    pieces: Pieces,
    reach_idx: IntArray,
    in_part: BoolArray,
    mode: str,
    switch_s: float,
    report: Callable[[float], None],
) -> FloatArray:
    """Shortest times between the points ``reach_idx`` (without their access legs).

    The junctions surviving the reduction of the network *without* the points are the
    *hubs*; what is left between them is short chains and dead-end branches, each
    touching at most a couple of hubs. A trip either stays within its branch
    (*local*), or leaves it at a first hub and re-enters the target's branch at a last
    hub. So:

    1. on the split graph (a node per point), with hubs as dead ends, one Dijkstra per
       point finds its local trips and its times to the first hubs; one per point on
       the reversed graph finds the times from the last hubs (these runs stay within
       the point's branch);
    2. on the reduced hub graph (a few hundred nodes), one Dijkstra per distinct first
       hub gives the hub-to-hub times;
    3. each trip is the best of its local time and of (to a first hub + hub to hub +
       from a last hub), minimised with vectorised gathers.

    Exact: a shortest trip through any hub splits at its first and last hub. For the
    motorbike every graph has the three layers of :func:`~routeplan.matrix.graph.layered`,
    a hub standing for its three states (walking before riding, riding, walking after
    parking).
    """
    m = len(reach_idx)
    out = np.full((m, m), np.inf)
    if m == 0:
        return out
    split, sources, targets, rider = _mode_graph(prep, pieces, reach_idx, in_part, mode, switch_s)
    hubs = hub_graph(prep, in_part, pieces.n, rider, mode, switch_s)
    leave, enter, in_branches = _local(split, hubs.to_hub >= 0, sources, targets, out)
    if mode == "motorbike":  # leaving riding or parked is no better than leaving on foot
        leave = _undominated(leave, pieces.n)  # for the same time
    s_hub, t_hub = hubs.to_hub[leave.hub], hubs.to_hub[enter.hub]
    if not len(s_hub) or not len(t_hub):
        return out
    # hub to hub, from each distinct first hub to each distinct last hub
    rows, s_row = np.unique(s_hub, return_inverse=True)
    cols, t_col = np.unique(t_hub, return_inverse=True)
    log.debug(
        "matrix %s: %d points; split graph %d nodes (%d in their branches), hub graph "
        "%d nodes; Dijkstra from %d hub nodes",
        mode,
        m,
        split.shape[0],
        in_branches,
        hubs.graph.shape[0],
        len(rows),
    )
    core = _batched(hubs.graph, rows, cols, report).T.copy()  # (cols, rows)
    # to each point from the last hubs, then from each point
    to_point = np.full((m, len(rows)), np.inf)
    _best_via(to_point, enter.pt, t_col, enter.cost, core)
    _best_via(out, leave.pt, s_row, leave.cost, np.ascontiguousarray(to_point.T))
    return out


def _mode_graph(
    prep: Prepared,
    pieces: Pieces,
    reach_idx: IntArray,
    in_part: BoolArray,
    mode: str,
    switch_s: float,
) -> tuple[csr_matrix, IntArray, IntArray, BoolArray]:
    """Build the split graph of ``mode`` over the strongly connected part only.

    Returns the graph, the source and target node of each point ``reach_idx``, and the
    nodes on a rideable piece (none when walking).
    """
    bike = mode == "motorbike"
    keep = in_part[pieces.src] & in_part[pieces.dst] & usable(pieces, mode)
    edges = merge_parallel(
        Edges(
            pieces.src[keep],
            pieces.dst[keep],
            pieces.walk[keep],
            pieces.ride[keep] if bike else np.full(int(keep.sum()), np.inf),
        )
    )
    split, sources, targets, _ = layered(edges, pieces.n, prep.n_nodes + reach_idx, mode, switch_s)
    rider = np.zeros(pieces.n, dtype=bool)
    if bike:
        rideable = np.isfinite(edges.ride)
        rider[edges.src[rideable]] = rider[edges.dst[rideable]] = True
    return split, sources, targets, rider


def _batched(
    graph: csr_matrix,
    sources: IntArray,
    columns: IntArray,
    report: Callable[[float], None] | None = None,
) -> FloatArray:
    """Dijkstra from ``sources``, keeping ``columns``, a bounded number of cells at a time."""
    out = np.empty((len(sources), len(columns)))
    batch = max(1, min(len(sources), _BATCH_CELLS // max(graph.shape[0], 1)))
    for k in range(0, len(sources), batch):
        if report is not None:
            report(k / max(len(sources), 1))
        out[k : k + batch] = _dijkstra(graph, indices=sources[k : k + batch])[:, columns]
    return out


def _ranks(groups: IntArray) -> IntArray:
    """Position of each entry among the entries of its group (0, 1, 2...)."""
    order = np.argsort(groups, kind="stable")
    g = groups[order]
    rank = np.empty(len(groups), dtype=np.int64)
    rank[order] = np.arange(len(g)) - np.searchsorted(g, g)
    return rank


def _best_via(
    out: FloatArray, pt: IntArray, via: IntArray, cost: FloatArray, table: FloatArray
) -> None:
    """``out[p] = min(out[p], cost + table[via])`` over the options (p, via, cost).

    Options are laid out densely by their rank within their point (points with fewer
    options get padding that costs ``inf``), so that each round is one gather and one
    in-place minimum over ``out``.
    """
    if not len(pt):
        return
    rank = _ranks(pt)
    rounds = int(rank.max()) + 1
    index = np.zeros((rounds, out.shape[0]), dtype=np.int64)
    extra = np.full((rounds, out.shape[0]), np.inf)
    index[rank, pt] = via
    extra[rank, pt] = cost
    vals = np.empty_like(out)
    for k in range(rounds):
        np.take(table, index[k], axis=0, out=vals)
        vals += extra[k][:, None]
        np.minimum(out, vals, out=out)


def _undominated(ways: _Ways, n: int) -> _Ways:
    """Drop the ways out of a point that reach a hub riding or parked no sooner than on foot.

    From a hub on foot (state 0) a trip can do all that it can riding (getting on is
    free) or parked (walk on), so reaching a hub in state 1 or 2 helps only when sooner.
    """
    pt, node, cost = ways.pt, ways.hub, ways.cost
    state, junction = node // n, node % n
    _, group = np.unique(pt * n + junction, return_inverse=True)
    on_foot = np.full(int(group.max()) + 1 if len(group) else 0, np.inf)
    walked = state == 0
    np.minimum.at(on_foot, group[walked], cost[walked])
    keep = walked | (cost < on_foot[group])
    return _Ways(pt[keep], node[keep], cost[keep])


def _without_rows(graph: csr_matrix, drop: BoolArray) -> csr_matrix:
    """``graph`` without the edges leaving the ``drop`` nodes."""
    counts = np.diff(graph.indptr)
    keep = ~np.repeat(drop, counts)
    indptr = np.zeros(graph.shape[0] + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(np.where(drop, 0, counts))
    return csr_matrix((graph.data[keep], graph.indices[keep], indptr), shape=graph.shape)


def _branch_groups(row: IntArray, col: IntArray, hub: BoolArray, sources: IntArray) -> IntArray:
    """Return the group of each node (-1: a hub or a branch without points).

    ``row -> col`` are the graph's edges. A *branch* is a connected part of the graph
    without its hubs. The branches holding points are grouped, smallest first, into
    groups of about ``_GROUP_NODES`` nodes.
    """
    size = len(hub)
    inner = ~hub[row] & ~hub[col]
    adj = csr_matrix((np.ones(int(inner.sum())), (row[inner], col[inner])), shape=(size, size))
    _, label = csgraph.connected_components(adj, directed=False)
    n_labels = int(label.max()) + 1
    branch_size = np.bincount(label[~hub], minlength=n_labels)
    held = np.unique(label[sources])
    order = held[np.argsort(branch_size[held], kind="stable")]
    cum = np.cumsum(branch_size[order])
    group_of = np.full(n_labels, -1, dtype=np.int64)
    group_of[order] = cum // max(_GROUP_NODES, int(branch_size[order].max()))
    return np.where(hub, -1, group_of[label])


def _local(
    graph: csr_matrix, hub: BoolArray, sources: IntArray, targets: IntArray, out: FloatArray
) -> tuple[_Ways, _Ways, int]:
    """Dijkstra from each point within its branch, hubs being dead ends.

    A branch here is a connected part of the graph without its hubs, plus the hubs it
    touches. Each point's trips within its branch go into ``out``; returned are the
    times from each point to the hubs around (first hubs), those from the hubs around
    to each point (last hubs), and the number of nodes in the branches holding points.
    Branches are run together in groups of about ``_GROUP_NODES`` nodes, each group on
    its own small graph.
    """
    coo = graph.tocoo()
    row, col = coo.row.astype(np.int64), coo.col.astype(np.int64)
    node_group = _branch_groups(row, col, hub, sources)
    point_group = node_group[sources]
    found: list[list[Any]] = [[], [], [], [], [], []]
    total = 0
    for g in np.unique(point_group).tolist():
        mine = node_group == g
        touch = mine[row] | mine[col]
        near = np.zeros(graph.shape[0], dtype=bool)
        near[row[touch]] = near[col[touch]] = True
        nodes = np.flatnonzero(mine | (near & hub))
        total += len(nodes)
        sub = graph[nodes][:, nodes].tocsr()
        forwards = _without_rows(sub, hub[nodes])
        backwards = _without_rows(sub.T.tocsr(), hub[nodes])
        at_hub = np.flatnonzero(hub[nodes])
        mates = np.flatnonzero(point_group == g)
        dst = np.searchsorted(nodes, targets[mates])
        batch = max(1, _BATCH_CELLS // len(nodes))
        for b in range(0, len(mates), batch):
            pts = mates[b : b + batch]
            leave = _dijkstra(forwards, indices=np.searchsorted(nodes, sources[pts]))
            out[np.ix_(pts, mates)] = leave[:, dst]
            enter = _dijkstra(backwards, indices=dst[b : b + batch])
            for k, dist in enumerate((leave, enter)):
                times = dist[:, at_hub]
                r, c = np.nonzero(np.isfinite(times))
                found[3 * k].append(pts[r])
                found[3 * k + 1].append(nodes[at_hub[c]])
                found[3 * k + 2].append(times[r, c])
    s_pt, s_hub, s_cost, t_pt, t_hub, t_cost = (
        np.concatenate(f) if f else np.empty(0) for f in found
    )
    return (
        _Ways(s_pt.astype(np.int64), s_hub.astype(np.int64), s_cost),
        _Ways(t_pt.astype(np.int64), t_hub.astype(np.int64), t_cost),
        total,
    )
