"""What a coordinator reads about a network: size, km by class, repairs, heights."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

from .ways import each_way_once, way_key

if TYPE_CHECKING:
    import networkx as nx

    from .model import Network, NetworkReport

__all__ = ["km_by_class", "summary"]


def km_by_class(graph: nx.MultiDiGraph) -> dict[str, float]:
    """Kilometres of way per ``highway`` class, largest first (each way counted once)."""
    km: dict[str, float] = defaultdict(float)
    for _, _, d in each_way_once(graph):
        km[d["highway"]] += d["length"] / 1000.0
    return dict(sorted(km.items(), key=lambda kv: -kv[1]))


def summary(net: Network) -> str:
    """Return the lines of :meth:`Network.summary <routeplan.network.Network.summary>`."""
    r = net.report
    lines = _overview(net)
    repairs = _repairs(r)
    lines.append("  repaired: " + ("; ".join(repairs) if repairs else "nothing"))
    rules = _way_rules(r)
    if rules:
        lines.append("  ways: " + ", ".join(rules))
    lines.append(_islands(r))
    lines.append(_elevation(r))
    if r.closed_way_ids or r.closed_edges:
        lines.append(
            f"  closures: {_n(len(r.closed_way_ids), 'way')} closed "
            f"({', '.join(map(str, r.closed_way_ids[:10]))}"
            f"{', ...' if len(r.closed_way_ids) > 10 else ''})"
        )
    for p in r.problems:
        lines.append(f"  warning: {p}")
    lines.append(f"  fingerprint: {net.fingerprint}")
    return "\n".join(lines)


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _overview(net: Network) -> list[str]:
    """Source, size, km by class, km rideable and km on foot only."""
    g, r = net.graph, net.report
    km = km_by_class(g)
    total = sum(km.values())
    ride_km = walk_km = 0.0
    rideable = {way_key(u, v, d) for u, v, d in g.edges(data=True) if math.isfinite(d["ride_s"])}
    for u, v, d in each_way_once(g):
        if way_key(u, v, d) in rideable:
            ride_km += d["length"] / 1000
        else:
            walk_km += d["length"] / 1000
    return [
        f"Road network from {r.source}",
        f"  {g.number_of_nodes():,} nodes, {g.number_of_edges():,} directed edges, "
        f"{total:,.1f} km of ways ({r.ways_used:,} of {r.ways_read:,} OSM ways used)",
        "  by class: " + ", ".join(f"{k} {v:,.1f} km" for k, v in km.items()),
        f"  motorbike: {ride_km:,.1f} km rideable; {walk_km:,.1f} km on foot only",
    ]


def _repairs(r: NetworkReport) -> list[str]:
    repairs = []
    if r.clipped_ways:
        repairs.append(
            f"{_n(r.clipped_ways, 'way')} clipped at the extract's edge "
            f"({_n(r.missing_nodes, 'missing node')})"
        )
    if r.untagged_dropped:
        repairs.append(f"{_n(r.untagged_dropped, 'way')} with an empty highway tag dropped")
    for k, n in sorted(r.unknown_mapped.items()):
        repairs.append(f"{n} highway={k}")
    for k, n in sorted(r.unknown_dropped.items()):
        repairs.append(f"{n} unknown highway={k} dropped")
    if r.not_routable_dropped:
        repairs.append(
            "not roads dropped: "
            + ", ".join(f"{n} {k}" for k, n in sorted(r.not_routable_dropped.items()))
        )
    if r.maxspeed_defaulted:
        repairs.append(
            f"{_n(r.maxspeed_defaulted, 'rideable way')} without maxspeed: class speed used"
        )
    if r.self_loops_removed:
        repairs.append(f"{_n(r.self_loops_removed, 'self-loop')} removed")
    return repairs


def _way_rules(r: NetworkReport) -> list[str]:
    rules = []
    if r.oneway_ways:
        rules.append(f"{r.oneway_ways} oneway")
    if r.no_motorbike_ways:
        rules.append(f"{r.no_motorbike_ways} closed to motorbikes (access)")
    if r.no_foot_ways:
        rules.append(f"{r.no_foot_ways} closed to walkers (foot=no, access=no, motorroad)")
    if r.area_ways:
        its = "its" if r.area_ways == 1 else "their"
        rules.append(f"{_n(r.area_ways, 'area')} kept as {its} outline")
    if r.fords:
        rules.append(_n(r.fords, "ford"))
    return rules


def _islands(r: NetworkReport) -> str:
    if not r.islands:
        return "  islands removed: none"
    big = r.islands[0]
    return (
        f"  islands removed: {len(r.islands)} ({_n(r.island_nodes, 'OSM node')}; "
        f"largest {big.nodes} nodes near {big.lon:.5f}, {big.lat:.5f})"
    )


def _elevation(r: NetworkReport) -> str:
    if r.elevation_min is None or r.elevation_max is None:
        return "  elevation: unknown (walking times assume flat ground; give --dem)"
    extra = f", {r.dem_voids_filled:,} void cells filled" if r.dem_voids_filled else ""
    missing = f", {r.nodes_without_elevation:,} nodes without" if r.nodes_without_elevation else ""
    return (
        f"  elevation: {r.elevation_min:,.0f}-{r.elevation_max:,.0f} m from "
        f"{r.elevation_source}{extra}{missing}"
    )
