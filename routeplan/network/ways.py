"""Each piece of way once, whichever directions it can be travelled in.

The routable graph holds both directions of a two-way way as separate edges (osmnx
form). Everything that counts or draws ways (the network summary, the maps, the route
sheets, the coverage map) takes them from :func:`each_way_once`, so a kilometre of
road is counted, and drawn, once.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["each_way_once", "way_key"]


def _hashable(value: Any) -> Hashable:
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(sorted(str(v) for v in value))
    return value if isinstance(value, Hashable) else str(value)


def way_key(u: Any, v: Any, data: dict[str, Any]) -> tuple[Hashable, ...]:
    """Return the key both directions of one piece of way share.

    The end nodes in either order, the OSM way id and the length to the decimetre:
    two different ways between the same nodes keep different keys.
    """
    a, b = sorted((u, v), key=str)
    return (a, b, _hashable(data.get("osmid")), round(float(data.get("length") or 0.0), 1))


def each_way_once(graph: nx.MultiDiGraph) -> list[tuple[Any, Any, dict[str, Any]]]:
    """Return ``(u, v, data)`` for every piece of way once, in the graph's edge order.

    The edge as mapped is preferred over the one osmnx adds for the other direction
    (``reversed``), so a one-way way and the forward half of a two-way way keep the
    direction they were drawn in.
    """
    chosen: dict[tuple[Hashable, ...], tuple[Any, Any, dict[str, Any]]] = {}
    for u, v, data in graph.edges(data=True):
        key = way_key(u, v, data)
        prev = chosen.get(key)
        if prev is None or (prev[2].get("reversed", False) and not data.get("reversed", False)):
            chosen[key] = (u, v, data)
    return list(chosen.values())
