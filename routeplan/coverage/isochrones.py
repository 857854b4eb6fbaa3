"""Areas from which a service point is within each band's limit, drawn along the roads."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..config import CoverageSettings, Settings
from ._common import edge_line
from .bands import MODES, band_labels

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = ["isochrones"]


def _edge_seconds(data: Mapping[str, Any], mode: str) -> float:
    walk = float(data.get("walk_s", math.inf))
    if mode == "walking":
        return walk
    ride = float(data.get("ride_s", math.inf))
    return ride if math.isfinite(ride) else walk


def _local_xy(lon: Any, lat: Any, lat0: float) -> tuple[Any, Any]:
    k = 111_320.0
    return (np.asarray(lon) * k * math.cos(math.radians(lat0)), np.asarray(lat) * 110_574.0)


@dataclass(frozen=True, eq=False)
class _Roads:
    """The network as arrays: edges (ends, data, lines in metres) and the target nodes."""

    n_nodes: int
    targets: np.ndarray[Any, Any]
    edges: list[tuple[Any, Any, Any, Mapping[str, Any]]]
    u_idx: np.ndarray[Any, Any]
    v_idx: np.ndarray[Any, Any]
    lines_m: np.ndarray[Any, Any]
    utm: Any


def _roads(network: Any, service_points: gpd.GeoDataFrame) -> _Roads:
    """Index the network's nodes and edges; the targets are the nodes nearest the points."""
    import geopandas as gpd
    from scipy.spatial import cKDTree

    graph = network.graph
    nodes = list(graph.nodes)
    pos = {n: i for i, n in enumerate(nodes)}
    lon = np.array([float(graph.nodes[n]["x"]) for n in nodes])
    lat = np.array([float(graph.nodes[n]["y"]) for n in nodes])
    lat0 = float(np.mean(lat)) if len(lat) else 0.0
    x, y = _local_xy(lon, lat, lat0)
    tree = cKDTree(np.column_stack([x, y]))
    px, py = _local_xy(service_points.geometry.x, service_points.geometry.y, lat0)
    _, targets = tree.query(np.column_stack([px, py]))
    targets = np.unique(np.atleast_1d(targets))
    edges = list(graph.edges(keys=True, data=True))
    u_idx = np.array([pos[u] for u, _, _, _ in edges], dtype=np.int64)
    v_idx = np.array([pos[v] for _, v, _, _ in edges], dtype=np.int64)
    utm = (
        gpd.GeoSeries(gpd.points_from_xy(lon[:1], lat[:1]), crs="EPSG:4326").estimate_utm_crs()
        if len(lon)
        else "EPSG:3857"
    )
    lines = [edge_line(graph, u, v, data) for u, v, _, data in edges]
    lines_m = gpd.GeoSeries(lines, crs="EPSG:4326").to_crs(utm).values
    return _Roads(len(nodes), targets, edges, u_idx, v_idx, lines_m, utm)


def _seconds_to_targets(
    roads: _Roads, w: np.ndarray[Any, Any], ok: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """Seconds from every node to the nearest target, edges costing ``w`` (where ``ok``)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    n = roads.n_nodes
    # backwards: from node v to node u costs the edge u -> v
    raw = pd.DataFrame({"a": roads.v_idx[ok], "b": roads.u_idx[ok], "w": np.maximum(w[ok], 1e-3)})
    frame = raw.groupby(["a", "b"], as_index=False)["w"].min()
    g = csr_matrix((frame["w"], (frame["a"], frame["b"])), shape=(n, n))
    t: np.ndarray[Any, Any] = dijkstra(g, directed=True, indices=roads.targets, min_only=True)
    return t


def _pieces_within(
    roads: _Roads,
    w: np.ndarray[Any, Any],
    ok: np.ndarray[Any, Any],
    t: np.ndarray[Any, Any],
    lim: float,
) -> list[Any]:
    """Return the roads (metres) travelled within ``lim`` seconds, partly travelled ones cut."""
    from shapely.ops import substring

    tu, tv = t[roads.u_idx], t[roads.v_idx]
    with np.errstate(invalid="ignore", divide="ignore"):
        a = np.nan_to_num(np.clip((lim - tu) / w, 0.0, 1.0), nan=0.0)
        b = np.nan_to_num(np.clip((lim - tv) / w, 0.0, 1.0), nan=0.0)
    full = ok & (a + b >= 1.0)
    part = ok & ~full & ((a > 0) | (b > 0))
    pieces = list(roads.lines_m[full])
    for i in np.flatnonzero(part):
        if a[i] > 0:
            pieces.append(substring(roads.lines_m[i], 0.0, float(a[i]), normalized=True))
        if b[i] > 0:
            pieces.append(substring(roads.lines_m[i], 1.0 - float(b[i]), 1.0, normalized=True))
    return pieces


def _mode_rings(roads: _Roads, mode: str, cov: CoverageSettings) -> list[dict[str, Any]]:
    """Return the band rings of one mode: ``mode``, ``band``, ``minutes``, geometry (metres)."""
    import shapely

    labels = band_labels(cov.bands_min)
    w = np.array([_edge_seconds(d, mode) for _, _, _, d in roads.edges])
    ok = np.isfinite(w)
    t = _seconds_to_targets(roads, w, ok)
    rows: list[dict[str, Any]] = []
    previous = None
    for limit, label in zip(cov.bands_min, labels, strict=False):
        pieces = _pieces_within(roads, w, ok, t, limit * 60.0)
        if not pieces:
            continue
        # buffering each piece, then the union, is much faster than buffering the union
        lines_in = shapely.simplify(np.asarray(pieces, dtype=object), 5.0)
        area = shapely.union_all(shapely.buffer(lines_in, cov.isochrone_buffer_m, quad_segs=2))
        area = area.simplify(cov.isochrone_buffer_m / 5)
        ring = area if previous is None else area.difference(previous)
        previous = area if previous is None else previous.union(area)
        if not ring.is_empty:
            rows.append({"mode": mode, "band": label, "minutes": limit, "geometry": ring})
    return rows


def isochrones(
    network: Any,
    service_points: gpd.GeoDataFrame,
    *,
    settings: Settings | None = None,
    modes: Sequence[str] = MODES,
) -> gpd.GeoDataFrame:
    """Areas from which a service point is within each band's limit, per mode.

    Travel times run from every network node *to* the nearest service point (the
    network is searched backwards, so one-way streets and uphill walking count the
    right way). For each limit, the roads travelled within it (partly travelled roads
    cut where the time runs out) are buffered by ``isochrone_buffer_m``; each band is
    the ring between its limit and the previous one. Riding uses the motorbike time
    where a motorbike can go and walking time elsewhere (the park-and-walk penalty of
    the matrix is left out), so the areas are a drawing aid: the households' own times
    come from the matrix.

    Returns
    -------
    geopandas.GeoDataFrame
        ``mode``, ``band`` (label), ``minutes`` (the band's upper limit), geometry
        (EPSG:4326); the "over" band is not drawn.

    """
    import geopandas as gpd

    settings = settings or Settings()
    roads = _roads(network, service_points)
    rows: list[dict[str, Any]] = []
    for mode in modes:
        rows.extend(_mode_rings(roads, mode, settings.coverage))
    out = gpd.GeoDataFrame(
        rows, columns=["mode", "band", "minutes", "geometry"], geometry="geometry", crs=roads.utm
    )
    return out.to_crs("EPSG:4326")
