"""OSM ways -> the routable graph, with travel times on every directed edge.

Real extracts are messy; the network is repaired rather than refused, and every
repair is counted in a :class:`~routeplan.network.NetworkReport`:

- ways whose nodes are missing from the extract are clipped to the nodes present,
  split where nodes are missing;
- ways with an empty or unknown ``highway`` value are mapped to the closest known
  class (``trail`` -> ``path``) or dropped; non-roads (``proposed``, ``construction``,
  ``platform``...) are dropped;
- rideable ways without a usable ``maxspeed`` take the class speed;
- repeated consecutive nodes (zero-length self-loops) are removed, and a closed way
  is split in two so that no edge starts and ends at the same node;
- disconnected parts with fewer than ``min_island_nodes`` OSM nodes are removed.

The graph is simplified within each way (a way between two junctions becomes one
edge carrying its ``geometry``) so that every edge keeps a single ``highway`` class,
``surface`` and ``osmid``. :func:`build_graph` runs the steps in order: collect the
runs of each way, the nodes with their heights, the segments between nodes, the
walking times per segment (:mod:`~routeplan.network.travel`), the edges between
junctions, the islands (:mod:`~routeplan.network.repair`) and the graph itself.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import __version__
from .._geo import haversine_m
from ..config import NetworkSettings
from ._flat import BoolArray, Edges, FloatArray, Nodes, Segments
from .access import CUSTOM_FILTER_CLASSES, Rule, classify, way_rule
from .elevation import parse_ele, sample_dems
from .model import NetworkReport, Progress
from .osmfile import OsmData, RawWay
from .repair import clip_way, find_islands
from .travel import edge_ride_s, edge_walk_s, segment_fords, segment_profile, segment_walk_s

if TYPE_CHECKING:
    import networkx as nx
    from shapely.geometry.base import BaseGeometry

    from .elevation import Dem

__all__ = ["build_graph", "empty_graph"]


@dataclass
class Runs:
    """Pieces of way of two or more nodes, each with its way and the way's rule."""

    refs: list[list[int]] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    ways: list[RawWay] = field(default_factory=list)


@dataclass(frozen=True)
class EdgeValues:
    """Per edge: metres, seconds walked forwards and backwards, ford nodes passed.

    ``geoms`` holds the LineStrings of the edges that bend, by edge number.
    """

    length: FloatArray
    walk_fwd: FloatArray
    walk_bwd: FloatArray
    fords: FloatArray
    geoms: dict[int, BaseGeometry]


def build_graph(
    data: OsmData, settings: NetworkSettings, dems: list[Dem], report: NetworkReport, say: Progress
) -> nx.MultiDiGraph:
    """Build the routable graph of ``data``, recording every repair in ``report``."""
    report.ways_read = len({w.id for w in data.ways})
    runs = collect_runs(data, settings, report)
    if not runs.refs:
        return empty_graph()
    nodes = graph_nodes(runs, data, dems, report)
    segs = flatten(runs, nodes)
    profile = segment_profile(segs, nodes.ele)
    flat_run = np.array([r.flat for r in runs.rules])
    seg_walk = segment_walk_s(segs, nodes, profile, flat_run, dems, settings.walk_kmh)
    seg_fords = segment_fords(segs, nodes.ford)
    edges = cut_at_junctions(segs, len(nodes.ids))
    in_graph, keep = find_islands(edges, nodes, settings.min_island_nodes, report)
    say("assembling the graph", 0.7)
    length, walk_fwd, walk_bwd, fords = (
        _per_edge(segs, edges, arr) for arr in (segs.seg_len, *seg_walk, seg_fords)
    )
    values = EdgeValues(length, walk_fwd, walk_bwd, fords, _geometries(segs, edges, nodes))
    g = empty_graph()
    _add_nodes(g, nodes, in_graph)
    _add_edges(g, runs, nodes, edges, values, keep, settings)
    g.remove_nodes_from([n for n in list(g.nodes) if g.degree(n) == 0])
    _record_heights(g, report)
    return g


def empty_graph() -> nx.MultiDiGraph:
    """Return an empty graph in osmnx form (lon/lat)."""
    import networkx as nx

    return nx.MultiDiGraph(crs="epsg:4326", created_with=f"routeplan {__version__}")


# --- the steps ---------------------------------------------------------------------


def collect_runs(data: OsmData, settings: NetworkSettings, report: NetworkReport) -> Runs:
    """Classify the ways, clip them to the nodes present and drop repeated nodes."""
    known = frozenset(CUSTOM_FILTER_CLASSES) | frozenset(settings.motorbike_kmh)
    runs = Runs()
    used: set[int] = set()
    clipped: set[int] = set()
    for way in data.ways:
        cls = classify(way.tags.get("highway", ""), known, report)
        if cls is None:
            continue
        rule = way_rule(cls, way.tags, settings, report)
        if not (rule.walk_fwd or rule.ride_fwd or rule.walk_bwd or rule.ride_bwd):
            continue
        pieces, missing, looped = clip_way(way.refs, data.coords)
        report.missing_nodes += missing
        if missing:
            clipped.add(way.id)
        for piece in pieces:
            if len(piece) >= 2:
                runs.refs.append(piece)
                runs.rules.append(rule)
                runs.ways.append(way)
                used.add(way.id)
        report.self_loops_removed += looped
    report.clipped_way_ids = sorted(clipped)
    report.clipped_ways = len(clipped)
    report.ways_used = len(used)
    return runs


def graph_nodes(runs: Runs, data: OsmData, dems: list[Dem], report: NetworkReport) -> Nodes:
    """Return the runs' nodes, their heights (DEM first, then ``ele`` tags) and fords."""
    coords = data.coords
    node_ids = np.array(sorted({r for run in runs.refs for r in run}), dtype=np.int64)
    index = {int(n): i for i, n in enumerate(node_ids)}
    lon = np.array([coords[int(n)][0] for n in node_ids])
    lat = np.array([coords[int(n)][1] for n in node_ids])
    ele = np.full(len(node_ids), np.nan)
    for n, tags in data.node_tags.items():
        i = index.get(n)
        if i is not None and "ele" in tags:
            val = parse_ele(tags["ele"])
            if val is None:
                report.bad_ele_tags += 1
            else:
                ele[i] = val
    if dems:
        sampled = sample_dems(dems, lon, lat)
        ele = np.where(np.isnan(sampled), ele, sampled)
    elif np.isfinite(ele).any():
        report.elevation_source = "OSM ele tags"
    ford_node = np.zeros(len(node_ids), dtype=bool)
    for n, tags in data.node_tags.items():
        i = index.get(n)
        if i is not None and tags.get("ford", "no") not in ("no", ""):
            ford_node[i] = True
            report.fords += 1
    return Nodes(node_ids, index, lon, lat, ele, ford_node)


def flatten(runs: Runs, nodes: Nodes) -> Segments:
    """Lay the runs end to end and measure the segments between consecutive nodes."""
    index, lon, lat = nodes.index, nodes.lon, nodes.lat
    run_len = np.array([len(r) for r in runs.refs])
    flat_idx = np.fromiter(
        (index[r] for run in runs.refs for r in run), dtype=np.intp, count=int(run_len.sum())
    )
    run_start = np.concatenate([[0], np.cumsum(run_len)[:-1]])
    is_last = np.zeros(len(flat_idx), dtype=bool)
    is_last[run_start + run_len - 1] = True
    seg_a = np.nonzero(~is_last)[0]  # segment k goes flat_idx[seg_a[k]] -> next
    a_idx, b_idx = flat_idx[seg_a], flat_idx[seg_a + 1]
    return Segments(
        flat_idx=flat_idx,
        run_start=run_start,
        run_len=run_len,
        seg_a=seg_a,
        a_idx=a_idx,
        b_idx=b_idx,
        seg_len=haversine_m(lon[a_idx], lat[a_idx], lon[b_idx], lat[b_idx]),
        seg_run=np.repeat(np.arange(len(runs.refs)), run_len - 1),
        run_seg_start=run_start - np.arange(len(runs.refs)),  # first segment of each run
    )


def cut_at_junctions(segs: Segments, n_nodes: int) -> Edges:
    """Cut the runs into edges at junctions and run ends; split closed loops in two."""
    flat_idx, run_start, run_len = segs.flat_idx, segs.run_start, segs.run_len
    occurrences = np.bincount(flat_idx, minlength=n_nodes)
    cut = occurrences[flat_idx] >= 2
    cut[run_start] = True
    cut[run_start + run_len - 1] = True
    edges: list[tuple[int, int, int]] = []  # (run, first pos, last pos) within run
    for r, (s0, n) in enumerate(zip(run_start, run_len, strict=True)):
        stops = np.nonzero(cut[s0 : s0 + n])[0]
        for a, b in itertools.pairwise(stops):
            if flat_idx[s0 + a] == flat_idx[s0 + b]:
                mid = (a + b) // 2
                edges.append((r, int(a), int(mid)))
                edges.append((r, int(mid), int(b)))
            else:
                edges.append((r, int(a), int(b)))
    e_run = np.array([e[0] for e in edges], dtype=np.intp)
    e_a = np.array([e[1] for e in edges], dtype=np.intp)
    e_b = np.array([e[2] for e in edges], dtype=np.intp)
    return Edges(
        run=e_run,
        a=e_a,
        b=e_b,
        u=flat_idx[run_start[e_run] + e_a],
        v=flat_idx[run_start[e_run] + e_b],
    )


# --- the graph ---------------------------------------------------------------------


def _per_edge(segs: Segments, edges: Edges, values: FloatArray) -> FloatArray:
    """Sum per-segment ``values`` over the segments of each edge."""
    seg_start_e = segs.run_seg_start[edges.run] + edges.a
    seg_end_e = segs.run_seg_start[edges.run] + edges.b  # exclusive
    cum = np.concatenate([[0.0], np.cumsum(values)])
    out: FloatArray = cum[seg_end_e] - cum[seg_start_e]
    return out


def _geometries(segs: Segments, edges: Edges, nodes: Nodes) -> dict[int, BaseGeometry]:
    """LineStrings of the edges that bend (more than two nodes), by edge number."""
    import shapely

    n_pts = edges.b - edges.a + 1
    bends = n_pts > 2
    bend_ix = np.nonzero(bends)[0]
    if not len(bend_ix):
        return {}
    starts = segs.run_start[edges.run[bend_ix]] + edges.a[bend_ix]
    counts = n_pts[bend_ix]
    pos_ix = np.repeat(starts, counts) + (
        np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    )
    pts = segs.flat_idx[pos_ix]
    lines = shapely.linestrings(
        nodes.lon[pts], nodes.lat[pts], indices=np.repeat(np.arange(len(bend_ix)), counts)
    )
    return dict(zip(bend_ix.tolist(), lines, strict=True))


def _add_nodes(g: nx.MultiDiGraph, nodes: Nodes, in_graph: BoolArray) -> None:
    for ni in np.nonzero(in_graph)[0].tolist():
        attrs: dict[str, Any] = {"x": float(nodes.lon[ni]), "y": float(nodes.lat[ni])}
        if not np.isnan(nodes.ele[ni]):
            attrs["elevation"] = round(float(nodes.ele[ni]), 1)
        g.add_node(int(nodes.ids[ni]), **attrs)


def _add_edges(
    g: nx.MultiDiGraph,
    runs: Runs,
    nodes: Nodes,
    edges: Edges,
    values: EdgeValues,
    keep: BoolArray,
    settings: NetworkSettings,
) -> None:
    """Add both directions of each kept edge that some mode may travel."""
    import shapely

    for k in np.nonzero(keep)[0]:
        rule = runs.rules[edges.run[k]]
        way = runs.ways[edges.run[k]]
        length = float(values.length[k])
        fords = float(values.fords[k]) + (1.0 if rule.ford else 0.0)
        ride = edge_ride_s(length, fords, rule, settings)
        base: dict[str, Any] = {"osmid": way.id, "highway": rule.cls}
        for tag in ("name", "surface"):
            if tag in way.tags:
                base[tag] = way.tags[tag]
        base["length"] = length
        u, v = int(nodes.ids[edges.u[k]]), int(nodes.ids[edges.v[k]])
        geom = values.geoms.get(int(k))
        for rev, walk_ok, ride_ok, walk in (
            (False, rule.walk_fwd, rule.ride_fwd, values.walk_fwd[k]),
            (True, rule.walk_bwd, rule.ride_bwd, values.walk_bwd[k]),
        ):
            if not (walk_ok or ride_ok):
                continue
            attrs = dict(base)
            attrs["walk_s"] = edge_walk_s(walk, fords, rule, settings) if walk_ok else math.inf
            attrs["ride_s"] = ride if ride_ok else math.inf
            attrs["reversed"] = rev
            if geom is not None:
                attrs["geometry"] = shapely.reverse(geom) if rev else geom
            if rev:
                g.add_edge(v, u, **attrs)
            else:
                g.add_edge(u, v, **attrs)


def _record_heights(g: nx.MultiDiGraph, report: NetworkReport) -> None:
    elevs = [d["elevation"] for _, d in g.nodes(data=True) if "elevation" in d]
    report.nodes_with_elevation = len(elevs)
    report.nodes_without_elevation = g.number_of_nodes() - len(elevs)
    if elevs:
        report.elevation_min = float(min(elevs))
        report.elevation_max = float(max(elevs))
