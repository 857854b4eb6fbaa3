"""The roads and paths drawn around a round: the network's ways as lon/lat lines.

Each way is taken once (:func:`routeplan.network.each_way_once`) and sorted into
``"major"`` roads, ``"minor"`` roads and ``"foot"`` paths, the three styles of the map.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...network import WALK_ONLY, each_way_once

__all__ = ["Roads", "road_kind", "road_map"]

_FOOT = frozenset(WALK_ONLY)
_MAJOR = frozenset(
    {
        "motorway",
        "trunk",
        "primary",
        "secondary",
        "tertiary",
        "motorway_link",
        "trunk_link",
        "primary_link",
        "secondary_link",
        "tertiary_link",
    }
)


def road_kind(highway: Any) -> str:
    """Return how a way with OSM tag ``highway`` is drawn: ``"foot"``, ``"major"``, ``"minor"``."""
    if isinstance(highway, list | tuple):
        highway = highway[0] if highway else ""
    hw = str(highway)
    if hw in _FOOT:
        return "foot"
    if hw in _MAJOR:
        return "major"
    return "minor"


class Roads:
    """The network's roads as lon/lat lines, found quickly by bounding box."""

    def __init__(self, graph: Any) -> None:
        import numpy as np

        lines: list[Any] = []
        kinds: list[str] = []
        nodes = graph.nodes
        for u, v, data in each_way_once(graph):
            geom = data.get("geometry")
            if geom is not None:
                coords = np.asarray(geom.coords, dtype=float)[:, :2]
            else:
                coords = np.array(
                    [[nodes[u]["x"], nodes[u]["y"]], [nodes[v]["x"], nodes[v]["y"]]], dtype=float
                )
            lines.append(coords)
            kinds.append(road_kind(data.get("highway", "")))
        self.lines = lines
        self.kinds = kinds
        if lines:
            self.bounds = np.array(
                [[c[:, 0].min(), c[:, 1].min(), c[:, 0].max(), c[:, 1].max()] for c in lines]
            )
        else:
            self.bounds = np.zeros((0, 4))

    def within(self, box: tuple[float, float, float, float]) -> Iterable[tuple[str, Any]]:
        """Yield ``(kind, lonlat array)`` of every road whose bounds meet ``box``."""
        import numpy as np

        if not self.lines:
            return
        x0, y0, x1, y1 = box
        b = self.bounds
        hit = np.nonzero((b[:, 0] <= x1) & (b[:, 2] >= x0) & (b[:, 1] <= y1) & (b[:, 3] >= y0))[0]
        for i in hit:
            yield self.kinds[i], self.lines[i]


def road_map(network: Any) -> Roads | None:
    """Return the roads of ``network`` (a Network, or an osmnx-form graph), ``None`` without."""
    graph = getattr(network, "graph", network)
    return Roads(graph) if graph is not None else None
