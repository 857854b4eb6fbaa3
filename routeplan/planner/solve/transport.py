"""Items to capacitated places by one exact min-cost flow (OR-Tools graph).

What :func:`routeplan.planner.groups.make_groups` gives households to groups with: each
item (household) goes to one of the places (a group, or the part of a group able to
serve it) its arcs allow, at the least total cost, no place taking more than its
capacity, and a place's capacity counting against its parent's (a group's part against
the group). An item may instead go nowhere, at its ``drop_cost``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

__all__ = ["min_cost_transport"]


def min_cost_transport(
    item: NDArray[np.int64],
    place: NDArray[np.int64],
    cost: NDArray[np.int64],
    *,
    capacity: NDArray[np.int64],
    parent: NDArray[np.int64],
    drop_cost: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Return the place of each item (``-1``: none) of the cheapest transport.

    Parameters
    ----------
    item, place, cost
        The arcs: item ``item[a]`` may go to place ``place[a]`` at ``cost[a]`` (ints).
    capacity
        ``(P,)`` the most items each place takes.
    parent
        ``(P,)`` the place whose capacity a place's items also count against (a
        parent's index is lower than its children's and its own parent is ``-1``).
    drop_cost
        ``(N,)`` the cost of an item going nowhere.

    """
    n, p = len(drop_cost), len(capacity)
    # nodes: 0 source, 1..n items, n+1..n+p places, n+p+1 nowhere, n+p+2 sink
    nowhere, sink = n + p + 1, n + p + 2
    up = np.where(parent >= 0, n + 1 + parent, sink)
    starts = np.concatenate(
        [np.zeros(n), 1 + item, 1 + np.arange(n), n + 1 + np.arange(p), [nowhere]]
    )
    ends = np.concatenate([1 + np.arange(n), n + 1 + place, np.full(n, nowhere), up, [sink]])
    caps = np.concatenate([np.ones(n), np.ones(len(item)), np.ones(n), capacity, [n]])
    costs = np.concatenate([np.zeros(n), cost, drop_cost, np.zeros(p + 1)])
    mcf = min_cost_flow.SimpleMinCostFlow()
    arcs = mcf.add_arcs_with_capacity_and_unit_cost(
        starts.astype(np.int64),
        ends.astype(np.int64),
        caps.astype(np.int64),
        costs.astype(np.int64),
    )
    supplies = np.zeros(n + p + 3, dtype=np.int64)
    supplies[0], supplies[sink] = n, -n
    mcf.set_nodes_supplies(np.arange(n + p + 3), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:  # pragma: no cover - going nowhere is always possible
        raise RuntimeError(f"min-cost flow failed with status {status}")
    used = mcf.flows(arcs)[n : n + len(item)] > 0
    out = np.full(n, -1, dtype=np.int64)
    out[item[used]] = place[used]
    return out
