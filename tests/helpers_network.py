"""Helpers of the network tests: the edges of one OSM way."""

from __future__ import annotations

from typing import Any

from routeplan.network import Network


def edges_of(net: Network, osmid: int) -> list[tuple[int, int, dict[str, Any]]]:
    return [(u, v, d) for u, v, d in net.graph.edges(data=True) if d["osmid"] == osmid]


def edge(net: Network, u: int, v: int, osmid: int) -> dict[str, Any]:
    found = [d for a, b, d in edges_of(net, osmid) if (a, b) == (u, v)]
    assert len(found) == 1, (u, v, osmid, found)
    return found[0]
