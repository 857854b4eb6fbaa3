"""The network turned into arrays once per graph: nodes, edges, ways and their spatial index.

A *segment* is one physical piece of way; a two-way way's two directed edges share
it. Geometry is in a local equirectangular projection centred on the network
(:class:`Projection`, metres; within 0.5 % over a district).
"""

from __future__ import annotations

import contextlib
import math
import weakref
from dataclasses import dataclass
from typing import Any, Final, Protocol

import numpy as np
import pandas as pd
import shapely

from ..errors import NetworkError
from ..network import is_unpaved
from ._common import BoolArray, FloatArray, IntArray

__all__ = ["Prepared", "Projection", "RoutableNetwork", "forget_prepared", "prepare"]

_EARTH_M: Final = 6_371_008.8

ObjectArray = np.ndarray[Any, np.dtype[np.object_]]


class RoutableNetwork(Protocol):
    """What the matrix needs from a :class:`routeplan.network.Network`."""

    @property
    def graph(self) -> Any:  # networkx.MultiDiGraph in osmnx form
        """The road graph with ``walk_s`` and ``ride_s`` on every edge."""

    @property
    def fingerprint(self) -> str:
        """A stable hash of the graph content."""


@dataclass(frozen=True)
class Projection:
    """Local equirectangular projection centred on the network (metres)."""

    lon0: float
    lat0: float

    @property
    def kx(self) -> float:
        """Metres per degree of longitude at ``lat0``."""
        return math.radians(1.0) * _EARTH_M * math.cos(math.radians(self.lat0))

    @property
    def ky(self) -> float:
        """Metres per degree of latitude."""
        return math.radians(1.0) * _EARTH_M

    def forward(self, lonlat: FloatArray) -> FloatArray:
        """Project (n, 2) lon/lat to (n, 2) metres."""
        out = np.empty_like(lonlat, dtype=np.float64)
        out[:, 0] = (lonlat[:, 0] - self.lon0) * self.kx
        out[:, 1] = (lonlat[:, 1] - self.lat0) * self.ky
        return out

    def inverse(self, xy: FloatArray) -> FloatArray:
        """Turn (n, 2) metres back into (n, 2) lon/lat."""
        out = np.empty_like(xy, dtype=np.float64)
        out[:, 0] = xy[:, 0] / self.kx + self.lon0
        out[:, 1] = xy[:, 1] / self.ky + self.lat0
        return out


@dataclass(frozen=True)
class Prepared:
    """A graph turned into arrays, with its ways (segments) in a spatial index.

    ``fwd[e]`` says whether edge ``e`` runs along its segment's canonical direction.
    """

    fingerprint: str
    proj: Projection
    n_nodes: int
    eu: IntArray
    ev: IntArray
    walk: FloatArray
    ride: FloatArray  # NaN when the graph has no ride_s
    osmid: tuple[Any, ...]
    seg: IntArray
    fwd: BoolArray
    seg_unpaved: BoolArray  # the way is a track or path, or has an unpaved surface
    seg_geom: ObjectArray  # projected, canonical direction
    seg_len: FloatArray
    seg_ptr: IntArray  # edges of segment s: seg_order[seg_ptr[s]:seg_ptr[s + 1]]
    seg_order: IntArray
    tree: shapely.STRtree


@dataclass(frozen=True)
class _Edges:
    """The directed edges of a graph as read from it, in its edge order."""

    eu: IntArray
    ev: IntArray
    walk: FloatArray
    ride: FloatArray  # NaN everywhere when an edge has no ride_s
    osmid: tuple[Any, ...]
    geoms: list[Any]  # shapely LineString, or None for a straight edge
    unpaved: BoolArray  # a track or path (unless paved), or an unpaved surface


@dataclass(frozen=True)
class _Segments:
    """The physical ways under the edges (see :class:`Prepared`)."""

    seg: IntArray
    fwd: BoolArray
    geom: ObjectArray
    ptr: IntArray
    order: IntArray


_PREPARED: weakref.WeakKeyDictionary[Any, Prepared] = weakref.WeakKeyDictionary()


def forget_prepared() -> None:
    """Drop the arrays prepared for every graph (benchmarks time a cold start with it)."""
    _PREPARED.clear()


def prepare(network: RoutableNetwork) -> Prepared:
    """Turn the network's graph into arrays (cached per graph object and fingerprint).

    Raises
    ------
    NetworkError
        The graph has no edges, or edges without ``walk_s``.

    """
    graph = network.graph
    try:
        cached = _PREPARED.get(graph)
    except TypeError:  # pragma: no cover - a graph that cannot be weakly referenced
        cached = None
    if cached is not None and cached.fingerprint == network.fingerprint:
        return cached
    if graph.number_of_edges() == 0:
        raise NetworkError("the network has no ways to snap the points to")
    lonlat = np.empty((graph.number_of_nodes(), 2))
    index: dict[Any, int] = {}
    for k, (node, data) in enumerate(graph.nodes(data=True)):
        index[node] = k
        lonlat[k] = (data["x"], data["y"])
    edges = _read_edges(graph, index)
    lon0, lat0 = (lonlat.min(axis=0) + lonlat.max(axis=0)) / 2
    proj = Projection(float(lon0), float(lat0))
    segs = _segments(edges, proj.forward(lonlat), proj)
    prepared = Prepared(
        fingerprint=network.fingerprint,
        proj=proj,
        n_nodes=len(index),
        eu=edges.eu,
        ev=edges.ev,
        walk=edges.walk,
        ride=edges.ride,
        osmid=edges.osmid,
        seg=segs.seg,
        fwd=segs.fwd,
        seg_unpaved=np.bincount(segs.seg, weights=edges.unpaved, minlength=len(segs.geom)) > 0,
        seg_geom=segs.geom,
        seg_len=np.asarray(shapely.length(segs.geom), dtype=np.float64),
        seg_ptr=segs.ptr,
        seg_order=segs.order,
        tree=shapely.STRtree(segs.geom),
    )
    with contextlib.suppress(TypeError):  # a graph that cannot be weakly referenced
        _PREPARED[graph] = prepared
    return prepared


def _weights(values: list[Any]) -> FloatArray:
    out = np.array(values, dtype=np.float64)
    out[np.isnan(out)] = np.inf
    return out


def _read_edges(graph: Any, index: dict[Any, int]) -> _Edges:
    """Read the edges' ends, travel times (missing: inf), osmid and geometry."""
    eu, ev, walk, ride, osmid, geoms = [], [], [], [], [], []
    unpaved: list[bool] = []
    no_walk = no_ride = 0
    for u, v, data in graph.edges(data=True):
        eu.append(index[u])
        ev.append(index[v])
        w = data.get("walk_s")
        r = data.get("ride_s")
        no_walk += w is None
        no_ride += r is None
        walk.append(math.nan if w is None else w)
        ride.append(math.nan if r is None else r)
        osmid.append(data.get("osmid"))
        geoms.append(data.get("geometry"))
        unpaved.append(is_unpaved(str(data.get("highway", "")), str(data.get("surface", ""))))
    if no_walk:
        raise NetworkError(
            f"{no_walk} of {len(eu)} edges have no walk_s travel time: load the "
            "network with routeplan.load_network"
        )
    return _Edges(
        eu=np.array(eu, dtype=np.int64),
        ev=np.array(ev, dtype=np.int64),
        walk=_weights(walk),
        ride=_weights(ride) if not no_ride else np.full(len(eu), np.nan),
        osmid=tuple(osmid),
        geoms=geoms,
        unpaved=np.array(unpaved, dtype=bool),
    )


def _segments(edges: _Edges, xy: FloatArray, proj: Projection) -> _Segments:
    """Group the edges by the physical way under them (``xy``: the projected nodes)."""
    geoms = edges.geoms
    geom_arr = np.empty(len(geoms), dtype=object)
    geom_arr[:] = geoms
    straight = np.array([g is None for g in geoms])
    if straight.any():
        ends = np.stack([xy[edges.eu[straight]], xy[edges.ev[straight]]], axis=1).reshape(-1, 2)
        geom_arr[straight] = shapely.linestrings(
            ends, indices=np.repeat(np.arange(int(straight.sum())), 2)
        )
    if (~straight).any():
        geom_arr[~straight] = shapely.transform(geom_arr[~straight], proj.forward)
    norm = shapely.normalize(geom_arr)
    codes, _ = pd.factorize(shapely.to_wkb(norm))
    seg = codes.astype(np.int64)
    first = np.unique(seg, return_index=True)[1]
    fwd = shapely.equals_exact(geom_arr, norm, tolerance=0.0)
    order = np.argsort(seg, kind="stable")
    ptr = np.zeros(len(first) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(seg, minlength=len(first)))
    return _Segments(
        seg=seg,
        fwd=np.asarray(fwd, dtype=bool),
        geom=norm[first],
        ptr=ptr,
        order=order.astype(np.int64),
    )
