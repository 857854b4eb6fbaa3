"""The road network drawn as a light vector layer, so that the maps read offline.

:func:`road_lines` merges the network's ways (each way once) into long lines,
simplified and rounded, roads apart from footpaths; :func:`roads_layer` draws those
near an area as thin grey lines (footpaths dashed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...network import WALK_ONLY, each_way_once
from .coords import ROAD_TOLERANCE_DEG, BBox, LatLon, simplified_line
from .elements import draw

__all__ = ["RoadLine", "road_lines", "roads_layer"]

_FOOT = frozenset(WALK_ONLY)

_STYLES = {
    "road": {
        "color": "#7b8794",
        "weight": 2,
        "opacity": 0.8,
        "interactive": False,
        "className": "rp-roads",
    },
    "path": {
        "color": "#9c8b6e",
        "weight": 1.5,
        "opacity": 0.9,
        "dashArray": "4 4",
        "interactive": False,
        "className": "rp-roads",
    },
}


@dataclass(frozen=True)
class RoadLine:
    """One merged line of the network, ready to draw.

    Attributes
    ----------
    kind
        ``"road"`` or ``"path"`` (a way for walking only).
    bbox
        ``(min lon, min lat, max lon, max lat)``.
    coords
        ``[lat, lon]`` points, rounded.

    """

    kind: str
    bbox: BBox
    coords: list[LatLon]


def _way_geometry(nodes: Any, u: Any, v: Any, data: Any) -> Any:
    """Return the line of one way (its geometry, else straight), ``None`` when there is none."""
    from shapely import LineString

    geom = data.get("geometry")
    if geom is None:
        try:
            geom = LineString([(nodes[u]["x"], nodes[u]["y"]), (nodes[v]["x"], nodes[v]["y"])])
        except KeyError:
            return None
    if geom.is_empty or geom.length == 0:
        return None
    return geom


def _merged(kind: str, lines: list[Any]) -> list[RoadLine]:
    from shapely import MultiLineString, line_merge

    merged = line_merge(MultiLineString(lines))
    out: list[RoadLine] = []
    for g in list(getattr(merged, "geoms", [merged])):
        coords = simplified_line(g.coords, ROAD_TOLERANCE_DEG)
        if len(coords) < 2:
            continue
        lats = [c[0] for c in coords]
        lons = [c[1] for c in coords]
        out.append(RoadLine(kind, (min(lons), min(lats), max(lons), max(lats)), coords))
    return out


def road_lines(network: Any) -> list[RoadLine]:
    """Return the network's ways merged into long lines, simplified and rounded.

    ``network`` is a :class:`routeplan.network.Network` or anything with an
    osmnx-form ``graph`` (or the graph itself).
    """
    graph = getattr(network, "graph", network)
    if graph is None:
        return []
    parts: dict[str, list[Any]] = {"road": [], "path": []}
    nodes = graph.nodes
    for u, v, data in each_way_once(graph):
        hw = data.get("highway", "")
        if isinstance(hw, list):
            hw = hw[0] if hw else ""
        geom = _way_geometry(nodes, u, v, data)
        if geom is not None:
            parts["path" if hw in _FOOT else "road"].append(geom)
    out: list[RoadLine] = []
    for kind, lines in parts.items():
        if lines:
            out.extend(_merged(kind, lines))
    return out


def _touches(line: RoadLine, bbox: BBox | None) -> bool:
    if bbox is None:
        return True
    return not (
        line.bbox[2] < bbox[0]
        or line.bbox[0] > bbox[2]
        or line.bbox[3] < bbox[1]
        or line.bbox[1] > bbox[3]
    )


def roads_layer(lines: Sequence[RoadLine], name: str, bbox: BBox | None = None) -> Any:
    """Return a folium layer drawing ``lines`` (those touching ``bbox``) as thin grey lines."""
    import folium

    group = folium.FeatureGroup(name=name, overlay=True, control=True, show=True)
    items = []
    for kind in ("road", "path"):
        chosen = [ln.coords for ln in lines if ln.kind == kind and _touches(ln, bbox)]
        if chosen:  # one multi-part line per kind: one SVG path, light to draw
            items.append({"k": "line", "s": kind, "c": chosen})
    draw(_STYLES, items).add_to(group)
    return group
