"""Travel-time matrix: snapped points -> many-to-many travel times in whole seconds.

:func:`build_matrix` takes the routable :class:`~routeplan.network.Network` and the
points of a plan (households, volunteers' homes, service points; see
:func:`points_frame`) and returns a :class:`TravelMatrix` of int32 seconds, where
``seconds[i, j]`` is the trip from point ``i`` to point ``j`` and :data:`UNREACHABLE`
marks trips that cannot be made.

Snapping
--------
Each point is snapped to the nearest *way* the mode can use (not merely the nearest
junction; on foot, not onto a road closed to walkers): it is projected onto the
geometry of the closest such edge, in a local equirectangular projection
centred on the network (metres; within 0.5 % over a district). The walk from the point
to that spot, the *access leg*, is walked at ``walk_kmh`` on the flat (the slope of a
yard or a field is unknown) and is part of every trip to and from the point. A point
farther than ``max_snap_m`` from every way is still snapped but flagged
``no_mapped_access``: its location or the map is wrong. A point whose way is not
connected both ways to the part of the network holding most points cannot be visited:
it is flagged ``reachable = False`` with the reason, and its row and column are
:data:`UNREACHABLE`.

Travel modes
------------
``"walking"`` uses the edges' ``walk_s`` (slope-aware and direction-dependent).

``"motorbike"`` is *walk to the motorbike, ride, park, walk to the door*: the graph has
three layers, a walk layer before riding, a ride layer (``ride_s``, only on rideable
edges) and a walk layer after parking. Getting on is free and parking costs
``switch_s``; both happen at any junction touching a rideable way, or at a point on
one. So a volunteer rides as far as the road allows and walks the footpath up to a
house (ride + ``switch_s`` + walk), and a trip between neighbours may be walked
entirely. A trip rides at most once. The approximation: every trip finds the
motorbike where its walk first meets a rideable road, that is, where the volunteer
left it when walking to the previous stop; a trip that walks away from it leaves it
behind without penalty.

How it is computed
------------------
Every snapped point becomes a node splitting its edge (both directions of a two-way
way share the node; several points on one edge are chained in order; a one-way edge's
halves stay one-way; times are split in proportion to the distance along the way).
Only the strongly connected part holding most points is kept. The network without
the points is then reduced exactly (dead ends cut, chains of two-neighbour junctions
contracted): the junctions left are the *hubs* (hundreds, where the network has thousands),
and what lies between them is chains and dead-end branches. A trip either stays in
its branch or leaves it through a first hub and arrives through a last one, so the
many-to-many times come from three cheap parts, all with
:func:`scipy.sparse.csgraph.dijkstra`: Dijkstra from each point within its own
branch only (forwards and backwards, hubs being dead ends), Dijkstra over the small
hub graph from each distinct first hub, and a vectorised minimum over each point's
few ways out and in. This is exact (the tests compare it with networkx over the whole
split graph) and, with ~1,400 points, tens of times faster than a Dijkstra per point
(see ``bench/README.md``). Paths for drawing (:meth:`TravelMatrix.path`) are
recomputed on the full graph for one source at a time, when first asked for.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import math
import time
import weakref
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final, Protocol

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csgraph, csr_matrix

from .._io import atomic_write
from ..config import NetworkSettings, Settings
from ..errors import InputDataError, NetworkError, Problem

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = [
    "KINDS",
    "MODES",
    "UNREACHABLE",
    "RoutableNetwork",
    "TravelMatrix",
    "build_matrix",
    "find_home",
    "home_point_id",
    "points_frame",
    "service_point_id",
]

log = logging.getLogger(__name__)

UNREACHABLE: Final[int] = 2**31 - 1
"""``TravelMatrix.seconds`` value of a trip that cannot be made (the largest int32)."""

MODES: Final = ("walking", "motorbike")
"""Travel modes a matrix can be built for."""

KINDS: Final = ("household", "home", "service_point")
"""Kinds of point in a points frame."""

HOME_PREFIX: Final = "home:"
SERVICE_POINT_PREFIX: Final = "sp:"


def home_point_id(volunteer_id: str) -> str:
    """Return the matrix point id of volunteer ``volunteer_id``'s home (``home:<id>``)."""
    return f"{HOME_PREFIX}{volunteer_id}"


def service_point_id(point_id: str) -> str:
    """Return the matrix point id of service point ``point_id`` (``sp:<id>``)."""
    return f"{SERVICE_POINT_PREFIX}{point_id}"


def find_home(ids: Iterable[str], volunteer_id: str) -> str | None:
    """Return the id under which ``volunteer_id``'s home is among ``ids``, or ``None``.

    The one lookup of a home in a matrix: ``home:<volunteer_id>`` (as the coverage
    report and :func:`home_point_id` name it) first, then the bare volunteer id (as
    :func:`points_frame` names it).
    """
    ids = ids if isinstance(ids, set | frozenset | dict) else set(ids)
    for candidate in (home_point_id(volunteer_id), volunteer_id):
        if candidate in ids:
            return candidate
    return None

_CACHE_FORMAT: Final = "routeplan-matrix-1"
_EARTH_M: Final = 6_371_008.8
_BATCH_CELLS: Final = 4_000_000  # distances per dijkstra call (32 MB of float64)
_GROUP_NODES: Final = 1_000  # nodes of the branches run together (see _local)

Progress = Callable[[str, float], None]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]


class RoutableNetwork(Protocol):
    """What the matrix needs from a :class:`routeplan.network.Network`."""

    @property
    def graph(self) -> Any:  # networkx.MultiDiGraph in osmnx form
        """The road graph with ``walk_s`` and ``ride_s`` on every edge."""

    @property
    def fingerprint(self) -> str:
        """A stable hash of the graph content."""


# --- the result -------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TravelMatrix:
    """Travel times between points, in whole seconds, for one travel mode.

    Attributes
    ----------
    ids
        The ``point_id`` of each row and column, in the order of the points given.
    seconds
        int32 array of shape (n, n): ``seconds[i, j]`` is the trip from ``ids[i]`` to
        ``ids[j]``, both access legs included; the diagonal is 0 and a trip that
        cannot be made is :data:`UNREACHABLE`. Points at the same spot (within
        10 cm) are 0 s apart.
    snaps
        DataFrame indexed by ``point_id``: ``snap_m`` (distance to the nearest way),
        ``access_s`` (the access leg, walked), ``no_mapped_access`` (``snap_m`` over
        ``max_snap_m``), ``reachable`` (connected both ways to the other points),
        ``reason`` (why a point is flagged, ``""`` otherwise), and ``snap_lon``,
        ``snap_lat`` (where the access leg meets the way).
    mode
        ``"walking"`` or ``"motorbike"``.

    """

    UNREACHABLE: ClassVar[int] = UNREACHABLE

    ids: tuple[str, ...]
    seconds: np.ndarray[Any, np.dtype[np.int32]]
    snaps: pd.DataFrame
    mode: str
    _routes: _Routes | None = field(default=None, repr=False)
    _pos: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._pos.update({p: k for k, p in enumerate(self.ids)})

    def __repr__(self) -> str:
        bad = int((~self.snaps["reachable"]).sum()) if len(self.snaps) else 0
        return f"TravelMatrix(mode={self.mode!r}, points={len(self.ids)}, unreachable={bad})"

    def __len__(self) -> int:
        return len(self.ids)

    def index(self, point_id: str) -> int:
        """Return the row (and column) of ``point_id``.

        Raises
        ------
        KeyError
            If the point is not in the matrix.

        """
        try:
            return self._pos[point_id]
        except KeyError:
            raise KeyError(f"point {point_id!r} is not in the travel-time matrix") from None

    def path(self, i: int, j: int) -> list[tuple[float, float]]:
        """Return the (lon, lat) line of the trip from point ``i`` to point ``j``.

        The line starts at point ``i``, walks its access leg to the way, follows the
        roads' geometry and ends with point ``j``'s access leg at point ``j``. It is
        ``[]`` when the trip cannot be made and one position when ``i == j``.
        """
        n = len(self.ids)
        if not (0 <= i < n and 0 <= j < n):
            raise IndexError(f"point index out of range 0..{n - 1}: ({i}, {j})")
        if self._routes is None:
            raise ValueError("this matrix has no network to draw paths on")
        if i == j:
            return [self._routes.point_lonlat(i)]
        if int(self.seconds[i, j]) == UNREACHABLE:
            return []
        return self._routes.path(i, j)


# --- points ----------------------------------------------------------------------------


def points_frame(
    households: gpd.GeoDataFrame,
    volunteers: gpd.GeoDataFrame | None = None,
    service_points: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Return the points to build a matrix over, from the register GeoDataFrames.

    Households keep their ``household_id`` (kind ``"household"``), volunteers their
    ``volunteer_id`` at their home (kind ``"home"``) and service points their
    ``point_id`` (kind ``"service_point"``), in that order: the ids are unique across
    all three. (Homes are found by :func:`find_home`, which also accepts
    ``home:<volunteer_id>``, the name the coverage report gives them.)

    Raises
    ------
    InputDataError
        If an id is used twice, naming every clash.

    """
    import geopandas as gpd

    parts: list[pd.DataFrame] = []
    for frame, column, kind in (
        (households, "household_id", "household"),
        (volunteers, "volunteer_id", "home"),
        (service_points, "point_id", "service_point"),
    ):
        if frame is None or len(frame) == 0:
            continue
        if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
            frame = frame.to_crs("EPSG:4326")
        parts.append(
            pd.DataFrame(
                {
                    "point_id": frame[column].astype(str).to_numpy(),
                    "kind": kind,
                    "geometry": frame.geometry.to_numpy(),
                }
            )
        )
    if not parts:
        return gpd.GeoDataFrame(
            {"point_id": pd.Series([], dtype=str), "kind": pd.Series([], dtype=str)},
            geometry=gpd.GeoSeries([], crs="EPSG:4326"),
            crs="EPSG:4326",
        )
    points = pd.concat(parts, ignore_index=True)
    dup = points[points["point_id"].duplicated(keep=False)]
    if len(dup):
        problems = []
        for pid, group in dup.groupby("point_id", sort=True):
            kinds = " and ".join(
                f"{k} ({n}x)" if n > 1 else str(k)
                for k, n in group["kind"].value_counts(sort=False).items()
            )
            problems.append(
                Problem(
                    f"id {pid!r} is used by more than one point: {kinds}",
                    "give every household, volunteer and service point its own id",
                )
            )
        raise InputDataError(problems, subject="points")
    return gpd.GeoDataFrame(points, geometry="geometry", crs="EPSG:4326")


def _check_points(points: Any) -> tuple[list[str], list[str], FloatArray]:
    """Validate the points frame; return ids, kinds and (n, 2) lon/lat."""
    problems: list[Problem] = []
    missing = [c for c in ("point_id", "kind") if c not in getattr(points, "columns", ())]
    geometry = getattr(points, "geometry", None) if hasattr(points, "crs") else None
    if missing or geometry is None:
        what = ", ".join(missing + ([] if geometry is not None else ["geometry"]))
        raise InputDataError(
            [
                Problem(
                    f"missing column(s) {what}",
                    "build the points with routeplan.matrix.points_frame",
                )
            ],
            subject="points",
        )
    if points.crs is not None and not points.crs.equals("EPSG:4326"):
        points = points.to_crs("EPSG:4326")
    ids = [str(p) for p in points["point_id"].astype(str).tolist()]
    kinds = [str(k) for k in points["kind"].astype(str).tolist()]
    seen: dict[str, int] = {}
    for row, (pid, kind) in enumerate(zip(ids, kinds, strict=True)):
        where = f"point {row + 1}"
        if not pid or pid == "nan":
            problems.append(Problem("empty point_id", "give every point an id", row=where))
        elif pid in seen:
            problems.append(
                Problem(
                    f"duplicate point_id {pid!r} (also point {seen[pid] + 1})",
                    "give every point its own id",
                    row=where,
                )
            )
        else:
            seen[pid] = row
        if kind not in KINDS:
            problems.append(
                Problem(
                    f"kind {kind!r} is not one of {', '.join(KINDS)}", "correct the kind", row=where
                )
            )
    geoms = np.asarray(points.geometry.to_numpy(), dtype=object)
    is_point = shapely.get_type_id(geoms) == 0
    xy = np.full((len(ids), 2), np.nan)
    ok = is_point & ~shapely.is_empty(geoms)
    if ok.any():
        xy[ok] = shapely.get_coordinates(geoms[ok])[:, :2]
    for k in np.flatnonzero(~ok | ~np.isfinite(xy).all(axis=1)).tolist():
        problems.append(
            Problem(f"no location for point {ids[k]!r}", "give it a Point", row=f"point {k + 1}")
        )
    bad = np.isfinite(xy).all(axis=1) & ((np.abs(xy[:, 0]) > 180) | (np.abs(xy[:, 1]) > 90))
    for k in np.flatnonzero(bad).tolist():
        problems.append(
            Problem(
                f"point {ids[k]!r} at ({xy[k, 0]}, {xy[k, 1]}) is not a longitude/latitude",
                "give the points in EPSG:4326",
                row=f"point {k + 1}",
            )
        )
    if problems:
        raise InputDataError(problems, subject="points")
    return ids, kinds, xy


# --- the prepared network (once per graph) ---------------------------------------------


@dataclass(frozen=True)
class _Projection:
    """Local equirectangular projection centred on the network (metres)."""

    lon0: float
    lat0: float

    @property
    def kx(self) -> float:
        return math.radians(1.0) * _EARTH_M * math.cos(math.radians(self.lat0))

    @property
    def ky(self) -> float:
        return math.radians(1.0) * _EARTH_M

    def forward(self, lonlat: FloatArray) -> FloatArray:
        out = np.empty_like(lonlat, dtype=np.float64)
        out[:, 0] = (lonlat[:, 0] - self.lon0) * self.kx
        out[:, 1] = (lonlat[:, 1] - self.lat0) * self.ky
        return out

    def inverse(self, xy: FloatArray) -> FloatArray:
        out = np.empty_like(xy, dtype=np.float64)
        out[:, 0] = xy[:, 0] / self.kx + self.lon0
        out[:, 1] = xy[:, 1] / self.ky + self.lat0
        return out


@dataclass(frozen=True)
class _Prepared:
    """A graph turned into arrays, with its ways (segments) in a spatial index.

    A *segment* is one physical piece of way; a two-way way's two directed edges share
    it. ``fwd[e]`` says whether edge ``e`` runs along its segment's canonical direction.
    """

    fingerprint: str
    proj: _Projection
    n_nodes: int
    eu: IntArray
    ev: IntArray
    walk: FloatArray
    ride: FloatArray  # NaN when the graph has no ride_s
    osmid: tuple[Any, ...]
    seg: IntArray
    fwd: BoolArray
    seg_geom: np.ndarray[Any, np.dtype[np.object_]]  # projected, canonical direction
    seg_len: FloatArray
    seg_ptr: IntArray  # edges of segment s: seg_order[seg_ptr[s]:seg_ptr[s + 1]]
    seg_order: IntArray
    tree: shapely.STRtree


_PREPARED: weakref.WeakKeyDictionary[Any, _Prepared] = weakref.WeakKeyDictionary()


def _weights(values: list[Any]) -> FloatArray:
    out = np.array(values, dtype=np.float64)
    out[np.isnan(out)] = np.inf
    return out


def _prepare(network: RoutableNetwork) -> _Prepared:
    """Turn the network's graph into arrays (cached per graph object and fingerprint)."""
    graph = network.graph
    try:
        cached = _PREPARED.get(graph)
    except TypeError:  # pragma: no cover - a graph that cannot be weakly referenced
        cached = None
    if cached is not None and cached.fingerprint == network.fingerprint:
        return cached
    if graph.number_of_edges() == 0:
        raise NetworkError("the network has no ways to snap the points to")
    index: dict[Any, int] = {}
    lonlat = np.empty((graph.number_of_nodes(), 2))
    for k, (node, data) in enumerate(graph.nodes(data=True)):
        index[node] = k
        lonlat[k] = (data["x"], data["y"])
    eu, ev, walk, ride, osmid, geoms = [], [], [], [], [], []
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
    if no_walk:
        raise NetworkError(
            f"{no_walk} of {len(eu)} edges have no walk_s travel time: load the "
            "network with routeplan.load_network"
        )
    u_arr, v_arr = np.array(eu, dtype=np.int64), np.array(ev, dtype=np.int64)
    lon0, lat0 = (lonlat.min(axis=0) + lonlat.max(axis=0)) / 2
    proj = _Projection(float(lon0), float(lat0))
    xy = proj.forward(lonlat)
    geom_arr = np.empty(len(geoms), dtype=object)
    geom_arr[:] = geoms
    straight = np.array([g is None for g in geoms])
    if straight.any():
        ends = np.stack([xy[u_arr[straight]], xy[v_arr[straight]]], axis=1).reshape(-1, 2)
        geom_arr[straight] = shapely.linestrings(
            ends, indices=np.repeat(np.arange(int(straight.sum())), 2)
        )
    if (~straight).any():
        geom_arr[~straight] = shapely.transform(geom_arr[~straight], proj.forward)
    norm = shapely.normalize(geom_arr)
    codes, _ = pd.factorize(shapely.to_wkb(norm))
    seg = codes.astype(np.int64)
    first = np.unique(seg, return_index=True)[1]
    seg_geom = norm[first]
    fwd = shapely.equals_exact(geom_arr, norm, tolerance=0.0)
    order = np.argsort(seg, kind="stable")
    ptr = np.zeros(len(first) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(seg, minlength=len(first)))
    prepared = _Prepared(
        fingerprint=network.fingerprint,
        proj=proj,
        n_nodes=len(index),
        eu=u_arr,
        ev=v_arr,
        walk=_weights(walk),
        ride=_weights(ride) if not no_ride else np.full(len(eu), np.nan),
        osmid=tuple(osmid),
        seg=seg,
        fwd=np.asarray(fwd, dtype=bool),
        seg_geom=seg_geom,
        seg_len=np.asarray(shapely.length(seg_geom), dtype=np.float64),
        seg_ptr=ptr,
        seg_order=order.astype(np.int64),
        tree=shapely.STRtree(seg_geom),
    )
    with contextlib.suppress(TypeError):  # a graph that cannot be weakly referenced
        _PREPARED[graph] = prepared
    return prepared


# --- snapping ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Snap:
    """Where each point meets the network."""

    lonlat: FloatArray  # the points
    seg: IntArray  # nearest segment
    t: FloatArray  # fraction along the segment (canonical direction)
    snap_m: FloatArray
    snap_xy: FloatArray  # projected position on the way


def _snap(prep: _Prepared, lonlat: FloatArray, mode: str | None = None) -> _Snap:
    """Snap every point to the nearest way ``mode`` can use (vectorised STRtree query)."""
    n = len(lonlat)
    if n == 0:
        empty = np.empty(0)
        return _Snap(lonlat, np.empty(0, dtype=np.int64), empty, empty, np.empty((0, 2)))
    pts = shapely.points(prep.proj.forward(lonlat))
    tree, ways = prep.tree, None
    if mode is not None:
        ok = np.isfinite(prep.walk) | ((mode == "motorbike") & np.isfinite(prep.ride))
        usable = np.zeros(len(prep.seg_geom), dtype=bool)
        usable[prep.seg[ok]] = True
        if usable.any() and not usable.all():  # a tree of the usable ways only
            ways = np.flatnonzero(usable)
            tree = shapely.STRtree(prep.seg_geom[ways])
    hits, dist = tree.query_nearest(pts, return_distance=True, all_matches=False)
    if ways is not None:
        hits[1] = ways[hits[1]]
    seg = np.empty(n, dtype=np.int64)
    snap_m = np.empty(n)
    seg[hits[0]] = hits[1]
    snap_m[hits[0]] = dist
    lines = prep.seg_geom[seg]
    loc = shapely.line_locate_point(lines, pts)
    length = prep.seg_len[seg]
    t = np.divide(loc, length, out=np.zeros(n), where=length > 0).clip(0.0, 1.0)
    snap_xy = shapely.get_coordinates(shapely.line_interpolate_point(lines, loc))
    return _Snap(lonlat, seg, t, snap_m, snap_xy)


# --- the split graph ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Pieces:
    """Directed edges of the graph with a node inserted at every snapped point.

    Nodes ``0..n_nodes-1`` are the graph's, ``n_nodes + i`` is point ``i``'s spot on
    its way. Each piece is part ``f0..f1`` (fractions in the edge's direction) of
    graph edge ``edge``.
    """

    n: int
    src: IntArray
    dst: IntArray
    walk: FloatArray
    ride: FloatArray
    edge: IntArray
    f0: FloatArray
    f1: FloatArray


def _split(prep: _Prepared, snap: _Snap) -> _Pieces:
    """Insert each snapped point into every directed edge of its way, in order."""
    n_pts = len(snap.seg)
    base = prep.n_nodes
    counts = prep.seg_ptr[snap.seg + 1] - prep.seg_ptr[snap.seg]
    rep = np.repeat(np.arange(n_pts), counts)
    offs = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    e = prep.seg_order[prep.seg_ptr[snap.seg[rep]] + offs]
    f = np.where(prep.fwd[e], snap.t[rep], 1.0 - snap.t[rep])
    order = np.lexsort((np.where(prep.fwd[e], rep, -rep), f, e))  # ties: each way in turn
    e, f, p = e[order], f[order], rep[order]
    first = np.r_[True, e[1:] != e[:-1]] if len(e) else np.zeros(0, dtype=bool)
    last = np.r_[e[1:] != e[:-1], True] if len(e) else np.zeros(0, dtype=bool)
    prev_node = np.where(first, prep.eu[e], base + np.r_[0, p[:-1]] if len(p) else p)
    prev_f = np.where(first, 0.0, np.r_[0.0, f[:-1]] if len(f) else f)
    whole = np.ones(len(prep.eu), dtype=bool)
    whole[e] = False
    we = np.flatnonzero(whole)
    el = e[last]
    src = np.concatenate([prep.eu[we], prev_node, base + p[last]])
    dst = np.concatenate([prep.ev[we], base + p, prep.ev[el]])
    edge = np.concatenate([we, e, el])
    f0 = np.concatenate([np.zeros(len(we)), prev_f, f[last]])
    f1 = np.concatenate([np.ones(len(we)), f, np.ones(len(el))])
    share = f1 - f0
    walk, ride = prep.walk[edge], prep.ride[edge]
    # inf * 0 would warn (and give nan): scale finite weights only
    walk = np.where(np.isfinite(walk), np.nan_to_num(walk, posinf=0.0) * share, np.inf)
    ride = np.where(np.isfinite(ride), np.nan_to_num(ride, posinf=0.0) * share, np.inf)
    return _Pieces(base + n_pts, src, dst, walk, ride, edge, f0, f1)


def _merge_parallel(
    src: IntArray, dst: IntArray, *weights: FloatArray
) -> tuple[IntArray, IntArray, list[FloatArray]]:
    """Merge parallel edges, keeping the smallest of each weight; drop self-loops."""
    keep = src != dst
    src, dst = src[keep], dst[keep]
    ws = [w[keep] for w in weights]
    if not len(src):
        return src, dst, ws
    order = np.lexsort((dst, src))
    s, d = src[order], dst[order]
    starts = np.flatnonzero(np.r_[True, (s[1:] != s[:-1]) | (d[1:] != d[:-1])])
    return s[starts], d[starts], [np.minimum.reduceat(w[order], starts) for w in ws]


def _neighbour_counts(src: IntArray, dst: IntArray, n: int) -> IntArray:
    """Distinct neighbours of each node, ignoring direction."""
    key = np.unique(np.minimum(src, dst) * n + np.maximum(src, dst))
    return np.bincount(key // n, minlength=n) + np.bincount(key % n, minlength=n)


def _contract(
    src: IntArray, dst: IntArray, walk: FloatArray, ride: FloatArray, n: int, through: BoolArray
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    """Replace chains through the ``through`` nodes (two neighbours each) by single edges.

    Pointer jumping over edges: each edge entering a through node continues along
    the node's other edge; doubling sums the weights in log(chain length) steps.
    """
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
    total_w, total_r, last = walk.copy(), ride.copy(), np.arange(m)
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
    s, d, (w, r) = _merge_parallel(src[sel], dst[last[sel]], total_w[sel], total_r[sel])
    return s, d, w, r


def _reduce(
    src: IntArray, dst: IntArray, walk: FloatArray, ride: FloatArray, n: int, protected: BoolArray
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    """Shrink the graph without changing any shortest time between protected nodes.

    Cuts unprotected nodes that no shortest path can pass through (one neighbour, no
    way in or no way out) and contracts chains of two-neighbour nodes. In the ride
    layer a chain is contracted only where riding is no slower than walking, so that
    getting on or off the motorbike inside it never helps.
    """
    while True:
        while True:
            indeg = np.bincount(dst, minlength=n)
            outdeg = np.bincount(src, minlength=n)
            nb = _neighbour_counts(src, dst, n)
            present = (indeg + outdeg) > 0
            cut = present & ~protected & ((nb <= 1) | (indeg == 0) | (outdeg == 0))
            if not cut.any():
                break
            keep = ~(cut[src] | cut[dst])
            src, dst, walk, ride = src[keep], dst[keep], walk[keep], ride[keep]
        rideable = np.isfinite(ride)
        kind = np.where(rideable, np.where(ride <= walk, 1, 2), 0)
        touches = np.zeros((3, n), dtype=bool)
        for k in range(3):
            touches[k, src[kind == k]] = True
            touches[k, dst[kind == k]] = True
        same = (touches[0] ^ touches[1]) & ~touches[2]
        through = present & ~protected & (nb == 2) & same
        if not through.any():
            return src, dst, walk, ride
        src, dst, walk, ride = _contract(src, dst, walk, ride, n, through)


def _layered(
    src: IntArray,
    dst: IntArray,
    walk: FloatArray,
    ride: FloatArray,
    n: int,
    points: IntArray,
    mode: str,
    switch_s: float,
    ref: IntArray | None = None,
    riders: IntArray | None = None,
) -> tuple[csr_matrix, IntArray, IntArray, IntArray]:
    """Build the routing graph of ``mode``: CSR, source nodes, target nodes, piece per entry.

    ``"walking"`` is one layer. ``"motorbike"`` has three: walk to the motorbike
    (``0..n-1``), ride (``n..2n-1``) and walk after parking (``2n..3n-1``).
    """
    ref = np.arange(len(src)) if ref is None else ref
    if mode == "walking":
        ok = np.isfinite(walk)
        parts = [(src[ok], dst[ok], walk[ok], ref[ok])]
        size, sources, targets = n, points, points
    else:
        ok_w, ok_r = np.isfinite(walk), np.isfinite(ride)
        ride_nodes = np.unique(np.concatenate([src[ok_r], dst[ok_r]]) if riders is None else riders)
        none = np.full(len(ride_nodes), -1)
        parts = [
            (src[ok_w], dst[ok_w], walk[ok_w], ref[ok_w]),
            (src[ok_r] + n, dst[ok_r] + n, ride[ok_r], ref[ok_r]),
            (src[ok_w] + 2 * n, dst[ok_w] + 2 * n, walk[ok_w], ref[ok_w]),
            (ride_nodes, ride_nodes + n, np.zeros(len(ride_nodes)), none),
            (ride_nodes + n, ride_nodes + 2 * n, np.full(len(ride_nodes), float(switch_s)), none),
            (points, points + 2 * n, np.zeros(len(points)), np.full(len(points), -1)),
        ]
        size, sources, targets = 3 * n, points, points + 2 * n
    s = np.concatenate([p[0] for p in parts]).astype(np.int64)
    d = np.concatenate([p[1] for p in parts]).astype(np.int64)
    w = np.concatenate([p[2] for p in parts]).astype(np.float64)
    r = np.concatenate([p[3] for p in parts]).astype(np.int64)
    order = np.lexsort((w, d, s))
    s, d, w, r = s[order], d[order], w[order], r[order]
    if len(s):
        first = np.r_[True, (s[1:] != s[:-1]) | (d[1:] != d[:-1])]
        s, d, w, r = s[first], d[first], w[first], r[first]
    indptr = np.zeros(size + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(np.bincount(s, minlength=size))
    graph = csr_matrix((w, d, indptr), shape=(size, size))
    return graph, sources, targets, r


def _usable(pieces: _Pieces, mode: str) -> BoolArray:
    ok = np.isfinite(pieces.walk)
    if mode == "motorbike":
        ok |= np.isfinite(pieces.ride)
    return ok


def _components(
    pieces: _Pieces, mode: str, n_pts: int
) -> tuple[BoolArray, BoolArray, list[str], csr_matrix]:
    """Find the strongly connected part holding most points.

    Returns the node mask of that part, the points in it, a reason per point
    (``""`` when in it) and the union graph (every usable piece, one layer).
    """
    base = pieces.n - n_pts
    ok = _usable(pieces, mode)
    s, d = pieces.src[ok], pieces.dst[ok]
    union = csr_matrix((np.ones(len(s)), (s, d)), shape=(pieces.n, pieces.n))
    _, labels = csgraph.connected_components(union, directed=True, connection="strong")
    point_labels = labels[base:]
    if n_pts == 0:
        return np.zeros(pieces.n, dtype=bool), np.zeros(0, dtype=bool), [], union
    sizes = np.bincount(labels)
    votes = np.bincount(point_labels, minlength=len(sizes))
    main = int(np.lexsort((sizes, votes))[-1])
    in_main = point_labels == main
    reasons = [""] * n_pts
    if not in_main.all():
        start = base + int(np.flatnonzero(in_main)[0])
        ahead = np.zeros(pieces.n, dtype=bool)
        ahead[
            csgraph.breadth_first_order(union, start, directed=True, return_predecessors=False)
        ] = True
        back = np.zeros(pieces.n, dtype=bool)
        back[
            csgraph.breadth_first_order(
                union.T.tocsr(), start, directed=True, return_predecessors=False
            )
        ] = True
        for i in np.flatnonzero(~in_main):
            node = base + int(i)
            if ahead[node]:
                reasons[i] = (
                    "can be reached but there is no way back to the other points (a one-way way?)"
                )
            elif back[node]:
                reasons[i] = "cannot be reached from the other points, only left (a one-way way?)"
            else:
                reasons[i] = (
                    "its nearest way is not connected to the ways of the other "
                    "points (an island in the map)"
                )
    return labels == main, in_main, reasons, union


# --- routing helpers kept by the matrix (paths on demand) --------------------------------


class _Routes:
    """Everything :meth:`TravelMatrix.path` needs; built lazily on first use."""

    def __init__(
        self,
        build: Callable[[], tuple[_Prepared, _Snap, _Pieces]],
        mode: str,
        switch_s: float,
        lonlat: FloatArray,
    ) -> None:
        self._build = build
        self._mode = mode
        self._switch_s = switch_s
        self._lonlat = lonlat
        self._ready: (
            tuple[_Prepared, _Snap, _Pieces, csr_matrix, IntArray, IntArray, IntArray] | None
        ) = None
        self._pred: dict[int, IntArray] = {}

    def point_lonlat(self, i: int) -> tuple[float, float]:
        return (float(self._lonlat[i, 0]), float(self._lonlat[i, 1]))

    def _graph(self) -> tuple[_Prepared, _Snap, _Pieces, csr_matrix, IntArray, IntArray, IntArray]:
        if self._ready is None:
            prep, snap, pieces = self._build()
            base = pieces.n - len(snap.seg)
            points = np.arange(base, pieces.n)
            graph, sources, targets, ref = _layered(
                pieces.src,
                pieces.dst,
                pieces.walk,
                pieces.ride,
                pieces.n,
                points,
                self._mode,
                self._switch_s,
            )
            self._ready = (prep, snap, pieces, graph, sources, targets, ref)
        return self._ready

    def path(self, i: int, j: int) -> list[tuple[float, float]]:
        prep, snap, pieces, graph, sources, targets, ref = self._graph()
        if i not in self._pred:
            _, pred = _dijkstra(graph, indices=int(sources[i]), return_predecessors=True)
            self._pred[i] = np.asarray(pred, dtype=np.int64)
        pred = self._pred[i]
        node, start = int(targets[j]), int(sources[i])
        nodes = [node]
        while node != start:
            node = int(pred[node])
            if node < 0:
                return []
            nodes.append(node)
        nodes.reverse()
        xy: list[FloatArray] = [snap.snap_xy[i : i + 1]]
        for a, b in itertools.pairwise(nodes):
            row = graph.indices[graph.indptr[a] : graph.indptr[a + 1]]
            k = int(graph.indptr[a] + np.searchsorted(row, b))
            piece = int(ref[k])
            if piece < 0:  # getting on or off the motorbike: no distance
                continue
            e = int(pieces.edge[piece])
            line = prep.seg_geom[prep.seg[e]]
            if not prep.fwd[e]:
                line = shapely.reverse(line)
            part = _substring(line, float(pieces.f0[piece]), float(pieces.f1[piece]))
            xy.append(part)
        xy.append(snap.snap_xy[j : j + 1])
        coords = prep.proj.inverse(np.concatenate(xy))
        out = [self.point_lonlat(i)]
        for lon, lat in coords:
            if abs(lon - out[-1][0]) > 1e-9 or abs(lat - out[-1][1]) > 1e-9:
                out.append((float(lon), float(lat)))
        end = self.point_lonlat(j)
        if end != out[-1]:
            out.append(end)
        return out


def _substring(line: Any, f0: float, f1: float) -> FloatArray:
    """Coordinates of the part of ``line`` between fractions ``f0 <= f1``."""
    coords: FloatArray = np.asarray(shapely.get_coordinates(line), dtype=np.float64)
    length = float(shapely.length(line))
    if length == 0 or (f0 <= 0 and f1 >= 1):
        return coords
    cum = np.r_[0.0, np.cumsum(np.hypot(*np.diff(coords, axis=0).T))] / length
    inner = coords[(cum > f0) & (cum < f1)]
    ends = shapely.get_coordinates(
        shapely.line_interpolate_point(line, np.array([f0, f1]), normalized=True)
    )
    return np.concatenate([ends[:1], inner, ends[1:]])


def _dijkstra(graph: csr_matrix, *, indices: Any, return_predecessors: bool = False) -> Any:
    """Scipy's Dijkstra (a seam for tests)."""
    return csgraph.dijkstra(
        graph, directed=True, indices=indices, return_predecessors=return_predecessors
    )


# --- cache --------------------------------------------------------------------------------


def _cache_key(
    network: RoutableNetwork,
    ids: Sequence[str],
    lonlat: FloatArray,
    mode: str,
    settings: NetworkSettings,
) -> str:
    relevant: dict[str, Any] = {"walk_kmh": settings.walk_kmh, "max_snap_m": settings.max_snap_m}
    if mode == "motorbike":
        relevant["switch_s"] = settings.switch_s
    h = hashlib.sha256()
    h.update(json.dumps([_CACHE_FORMAT, network.fingerprint, mode, relevant]).encode())
    h.update("\x1f".join(ids).encode("utf-8"))
    h.update(np.round(lonlat, 7).astype(np.float64).tobytes())
    return h.hexdigest()


def _cache_path(cache_dir: str | Path, mode: str, key: str) -> Path:
    return Path(cache_dir) / f"matrix-{mode}-{key[:24]}.npz"


def _read_cache(
    path: Path, key: str, ids: Sequence[str]
) -> tuple[np.ndarray[Any, np.dtype[np.int32]], pd.DataFrame] | None:
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["key"]) != key or list(data["ids"]) != list(ids):
                raise ValueError("the file belongs to other inputs")
            seconds = np.asarray(data["seconds"], dtype=np.int32)
            n = len(ids)
            if seconds.shape != (n, n):
                raise ValueError(f"matrix shape {seconds.shape} is not ({n}, {n})")
            snaps = pd.DataFrame(
                {
                    "snap_m": np.asarray(data["snap_m"], dtype=np.float64),
                    "access_s": np.asarray(data["access_s"], dtype=np.int64),
                    "no_mapped_access": np.asarray(data["no_mapped_access"], dtype=bool),
                    "reachable": np.asarray(data["reachable"], dtype=bool),
                    "reason": [str(r) for r in data["reason"]],
                    "snap_lon": np.asarray(data["snap_lon"], dtype=np.float64),
                    "snap_lat": np.asarray(data["snap_lat"], dtype=np.float64),
                },
                index=pd.Index(list(ids), name="point_id"),
            )
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        log.warning("ignoring the unreadable travel-time cache %s (%s); computing again", path, exc)
        return None
    return seconds, snaps


def _write_cache(
    path: Path,
    key: str,
    ids: Sequence[str],
    seconds: np.ndarray[Any, np.dtype[np.int32]],
    snaps: pd.DataFrame,
) -> None:
    try:
        with atomic_write(path, "wb", encoding=None) as fh:
            np.savez(
                fh,
                key=np.array(key),
                ids=np.array(list(ids), dtype=str),
                seconds=seconds,
                snap_m=snaps["snap_m"].to_numpy(),
                access_s=snaps["access_s"].to_numpy(),
                no_mapped_access=snaps["no_mapped_access"].to_numpy(),
                reachable=snaps["reachable"].to_numpy(),
                reason=np.array(list(snaps["reason"]), dtype=str),
                snap_lon=snaps["snap_lon"].to_numpy(),
                snap_lat=snaps["snap_lat"].to_numpy(),
            )
    except OSError as exc:
        log.warning("could not write the travel-time cache %s (%s)", path, exc)


# --- the entry point ----------------------------------------------------------------------


def build_matrix(
    network: RoutableNetwork,
    points: gpd.GeoDataFrame,
    *,
    mode: str,
    settings: NetworkSettings | Settings | None = None,
    cache_dir: str | Path | None = None,
    progress: Progress | None = None,
) -> TravelMatrix:
    """Compute the travel times between every pair of points.

    Parameters
    ----------
    network
        The road network (:func:`routeplan.load_network`).
    points
        GeoDataFrame with ``point_id`` (unique), ``kind`` (``"household"``, ``"home"``
        or ``"service_point"``) and Point geometry; see :func:`points_frame`.
    mode
        ``"walking"`` or ``"motorbike"`` (ride where possible, walk the rest).
    settings
        ``walk_kmh`` (access legs), ``switch_s`` (parking) and ``max_snap_m`` (flag);
        a whole :class:`~routeplan.config.Settings` is accepted too.
    cache_dir
        Folder of cached matrices. A matrix is reused when the network
        (fingerprint), the points (ids and locations), the mode and these settings
        are all the same; anything else computes it again.
    progress
        Called with (message, fraction 0..1) as the work advances.

    Returns
    -------
    TravelMatrix

    Raises
    ------
    InputDataError
        The points are invalid (every problem listed) or the mode is unknown.
    NetworkError
        The network has no ways, or no travel times for the mode.

    """
    say: Progress = progress or (lambda message, fraction: None)
    if isinstance(settings, Settings):
        settings = settings.network
    settings = settings or NetworkSettings()
    if mode not in MODES:
        raise InputDataError(
            [Problem(f"unknown travel mode {mode!r}", f"use one of {', '.join(MODES)}")]
        )
    ids, _, lonlat = _check_points(points)
    n = len(ids)
    speed = settings.walk_kmh / 3.6
    switch_s = float(settings.switch_s)

    def build_graph() -> tuple[_Prepared, _Snap, _Pieces]:
        prep = _prepare(network)
        if mode == "motorbike" and np.isnan(prep.ride).all():
            raise NetworkError(
                "the network has no ride_s motorbike times: load it with routeplan.load_network"
            )
        snap = _snap(prep, lonlat, mode)
        return prep, snap, _split(prep, snap)

    key = path = None
    if cache_dir is not None:
        key = _cache_key(network, ids, lonlat, mode, settings)
        path = _cache_path(cache_dir, mode, key)
        hit = _read_cache(path, key, ids)
        if hit is not None:
            log.info("travel times (%s, %d points) read from %s", mode, n, path)
            say("travel-time matrix read from the cache", 1.0)
            return TravelMatrix(
                ids=tuple(ids),
                seconds=hit[0],
                snaps=hit[1],
                mode=mode,
                _routes=_Routes(build_graph, mode, switch_s, lonlat),
            )
    t0 = time.perf_counter()
    say("snapping the points to the ways", 0.0)
    prep, snap, pieces = build_graph()
    built = (prep, snap, pieces)
    say("reducing the network", 0.1)
    in_part, reachable, reasons, _ = _components(pieces, mode, n)
    reach_idx = np.flatnonzero(reachable)
    dist = _core_times(
        prep,
        pieces,
        reach_idx,
        in_part,
        mode,
        switch_s,
        lambda f: say("travel times", 0.15 + 0.8 * f),
    )
    access = snap.snap_m / speed
    seconds = np.full((n, n), UNREACHABLE, dtype=np.int32)
    total = dist  # in place: the times are large
    total += access[reach_idx, None]
    total += access[None, reach_idx]
    finite = np.isfinite(total)
    np.rint(total, out=total)
    np.minimum(total, UNREACHABLE - 1, out=total)
    total[~finite] = UNREACHABLE
    if len(reach_idx) == n:
        seconds[:] = total
    else:
        seconds[np.ix_(reach_idx, reach_idx)] = total
    _same_spot(seconds, snap, reachable, prep.proj)
    np.fill_diagonal(seconds, 0)
    no_access = snap.snap_m > settings.max_snap_m
    for i in np.flatnonzero(no_access):
        far = (
            f"{snap.snap_m[i]:.0f} m from the nearest mapped way (over max_snap_m "
            f"{settings.max_snap_m:g} m): check the location, or map the path to it"
        )
        reasons[i] = f"{far}; {reasons[i]}" if reasons[i] else far
    snap_lonlat = prep.proj.inverse(snap.snap_xy) if n else np.empty((0, 2))
    snaps = pd.DataFrame(
        {
            "snap_m": snap.snap_m,
            "access_s": np.rint(access).astype(np.int64),
            "no_mapped_access": no_access,
            "reachable": reachable,
            "reason": reasons,
            "snap_lon": snap_lonlat[:, 0],
            "snap_lat": snap_lonlat[:, 1],
        },
        index=pd.Index(list(ids), name="point_id"),
    )
    unreached = int((~finite).sum() - (~finite).diagonal().sum()) if n else 0
    log.info(
        "travel times (%s): %d points, %d not reachable, %d with no mapped access, "
        "%d more pairs without a trip; %.2f s",
        mode,
        n,
        int((~reachable).sum()),
        int(no_access.sum()),
        unreached,
        time.perf_counter() - t0,
    )
    if path is not None and key is not None:
        _write_cache(path, key, ids, seconds, snaps)
    say("travel-time matrix ready", 1.0)
    return TravelMatrix(
        ids=tuple(ids),
        seconds=seconds,
        snaps=snaps,
        mode=mode,
        _routes=_Routes(lambda: built, mode, switch_s, lonlat),
    )


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


def _core_times(
    prep: _Prepared,
    pieces: _Pieces,
    reach_idx: IntArray,
    in_part: BoolArray,
    mode: str,
    switch_s: float,
    report: Callable[[float], None],
) -> FloatArray:
    """Shortest times between the points ``reach_idx`` (without their access legs).

    The junctions surviving the reduction of the network *without* the points (dead
    ends cut, chains of two-neighbour junctions contracted) are the *hubs*; what is
    left between them is short chains and dead-end branches, each touching at most a
    couple of hubs. A trip either stays within its branch (*local*), or leaves it at
    a first hub and re-enters the target's branch at a last hub. So:

    1. on the split graph (a node per point), with hubs as dead ends, one Dijkstra per
       point finds its local trips and its times to the first hubs; one per point on
       the reversed graph finds the times from the last hubs (these runs stay within
       the point's branch);
    2. on the reduced hub graph (a few hundred nodes), one Dijkstra per distinct first
       hub gives the hub-to-hub times;
    3. each trip is the best of its local time and of (to a first hub + hub to hub +
       from a last hub), minimised with vectorised gathers.

    Exact: a shortest trip through any hub splits at its first and last hub. For the
    motorbike every graph has the three layers of :func:`_layered`, a hub standing for
    its three states (walking before riding, riding, walking after parking).
    """
    m = len(reach_idx)
    out = np.full((m, m), np.inf)
    if m == 0:
        return out
    bike = mode == "motorbike"
    n, base = pieces.n, prep.n_nodes

    # 1. the split graph of the mode, the strongly connected part only
    keep = in_part[pieces.src] & in_part[pieces.dst] & _usable(pieces, mode)
    src, dst, (walk, ride) = _merge_parallel(
        pieces.src[keep],
        pieces.dst[keep],
        pieces.walk[keep],
        pieces.ride[keep] if bike else np.full(int(keep.sum()), np.inf),
    )
    pt_nodes = base + reach_idx
    split, sources, targets, _ = _layered(src, dst, walk, ride, n, pt_nodes, mode, switch_s)
    rider = np.zeros(n, dtype=bool)
    if bike:
        rideable = np.isfinite(ride)
        rider[src[rideable]] = rider[dst[rideable]] = True

    # 2. the hubs, and the hub graph
    j = in_part[prep.eu] & in_part[prep.ev]
    j &= np.isfinite(prep.walk) | (bike & np.isfinite(prep.ride))
    hs, hd, (hw, hr) = _merge_parallel(
        prep.eu[j],
        prep.ev[j],
        prep.walk[j],
        np.where(np.isnan(prep.ride[j]), np.inf, prep.ride[j])
        if bike
        else np.full(int(j.sum()), np.inf),
    )
    hs, hd, hw, hr = _reduce(hs, hd, hw, hr, n, np.zeros(n, dtype=bool))
    is_hub = np.zeros(n, dtype=bool)
    is_hub[hs] = is_hub[hd] = True
    n_hubs = int(is_hub.sum())
    hub_id = np.full(n, -1, dtype=np.int64)
    hub_id[is_hub] = np.arange(n_hubs)
    hubs, _, _, _ = _layered(
        hub_id[hs],
        hub_id[hd],
        hw,
        hr,
        n_hubs,
        np.empty(0, dtype=np.int64),
        mode,
        switch_s,
        riders=hub_id[is_hub & rider],
    )
    layers = 3 if bike else 1
    # split-graph node -> hub-graph node (-1 for the others), layer by layer
    to_hub = np.concatenate([np.where(is_hub, hub_id + k * n_hubs, -1) for k in range(layers)])

    # 3. within the branches: hubs are dead ends, forwards and backwards
    s_pt, s_hub, s_cost, t_pt, t_hub, t_cost, in_branches = _local(
        split, to_hub >= 0, sources, targets, out
    )
    if bike:  # leaving riding or parked is no better than leaving on foot for the same time
        s_pt, s_hub, s_cost = _undominated(s_pt, s_hub, s_cost, n)
    s_hub, t_hub = to_hub[s_hub], to_hub[t_hub]
    if not len(s_hub) or not len(t_hub):
        return out

    # 4. hub to hub, from each distinct first hub to each distinct last hub
    rows, s_row = np.unique(s_hub, return_inverse=True)
    cols, t_col = np.unique(t_hub, return_inverse=True)
    log.debug(
        "matrix %s: %d points; split graph %d nodes (%d in their branches), hub graph "
        "%d nodes; Dijkstra from %d hub nodes",
        mode,
        m,
        split.shape[0],
        in_branches,
        hubs.shape[0],
        len(rows),
    )
    core = _batched(hubs, rows, cols, report).T.copy()  # (cols, rows)

    # 5. to each point from the last hubs, then from each point
    to_point = np.full((m, len(rows)), np.inf)
    _best_via(to_point, t_pt, t_col, t_cost, core)
    _best_via(out, s_pt, s_row, s_cost, np.ascontiguousarray(to_point.T))
    return out


def _undominated(
    pt: IntArray, node: IntArray, cost: FloatArray, n: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """Drop the ways out of a point that reach a hub riding or parked no sooner than on foot.

    From a hub on foot (state 0) a trip can do all that it can riding (getting on is
    free) or parked (walk on), so reaching a hub in state 1 or 2 helps only when sooner.
    """
    state, junction = node // n, node % n
    _, group = np.unique(pt * n + junction, return_inverse=True)
    on_foot = np.full(int(group.max()) + 1 if len(group) else 0, np.inf)
    walked = state == 0
    np.minimum.at(on_foot, group[walked], cost[walked])
    keep = walked | (cost < on_foot[group])
    return pt[keep], node[keep], cost[keep]


def _without_rows(graph: csr_matrix, drop: BoolArray) -> csr_matrix:
    """``graph`` without the edges leaving the ``drop`` nodes."""
    counts = np.diff(graph.indptr)
    keep = ~np.repeat(drop, counts)
    indptr = np.zeros(graph.shape[0] + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(np.where(drop, 0, counts))
    return csr_matrix((graph.data[keep], graph.indices[keep], indptr), shape=graph.shape)


def _local(
    graph: csr_matrix, hub: BoolArray, sources: IntArray, targets: IntArray, out: FloatArray
) -> tuple[IntArray, IntArray, FloatArray, IntArray, IntArray, FloatArray, int]:
    """Dijkstra from each point within its branch, hubs being dead ends.

    A *branch* is a connected part of the graph without its hubs, plus the hubs it
    touches. Each point's trips within its branch go into ``out``; returned are the
    times from each point to the hubs around (first hubs: point, hub node, seconds),
    those from the hubs around to each point (last hubs, likewise), and the number of
    nodes in the branches holding points. Branches are run together in groups of
    about ``_GROUP_NODES`` nodes, each group on its own small graph.
    """
    coo = graph.tocoo()
    row, col = coo.row.astype(np.int64), coo.col.astype(np.int64)
    size = graph.shape[0]
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
    node_group = np.where(hub, -1, group_of[label])
    point_group = node_group[sources]
    found: list[list[Any]] = [[], [], [], [], [], []]
    total = 0
    for g in np.unique(point_group).tolist():
        mine = node_group == g
        touch = mine[row] | mine[col]
        near = np.zeros(size, dtype=bool)
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
        s_pt.astype(np.int64),
        s_hub.astype(np.int64),
        s_cost,
        t_pt.astype(np.int64),
        t_hub.astype(np.int64),
        t_cost,
        total,
    )


def _same_spot(
    seconds: np.ndarray[Any, np.dtype[np.int32]],
    snap: _Snap,
    reachable: BoolArray,
    proj: _Projection,
) -> None:
    """Set the trips between reachable points at the same spot (10 cm) to 0 s."""
    if len(snap.seg) < 2:
        return
    cells = np.rint(proj.forward(snap.lonlat) * 10).astype(np.int64)
    _, inverse, counts = np.unique(cells, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    for group in np.flatnonzero(counts > 1):
        members = np.flatnonzero((inverse == group) & reachable)
        if len(members) > 1:
            seconds[np.ix_(members, members)] = 0
