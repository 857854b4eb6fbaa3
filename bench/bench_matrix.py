"""Benchmark the travel-time matrix against a networkx loop and plain scipy.

    .venv/bin/python bench/bench_matrix.py              # demo commune + Andorra
    .venv/bin/python bench/bench_matrix.py --only demo  # or --only andorra

For each network and mode: wall time and peak traced memory of ``build_matrix``
(snapping included, from a network already in memory), against (a) a networkx
``single_source_dijkstra_path_length`` loop over the same points on the same graph
(the split graph with a node per point; three layers for the motorbike) and (b)
scipy's plain ``csgraph.dijkstra`` from every point on that graph, without any
reduction; ``cells off`` counts the matrix cells more than rounding away from (b) plus
the access legs (points at one spot, 0 s apart by design, are the only expected ones).
Then a warm re-run (network from GraphML + matrix from the cache) against osmnx
parsing the same data as XML. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import gc
import math
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
from scipy.sparse import csgraph
from shapely.geometry import Point

from routeplan import matrix as mx
from routeplan.config import Settings
from routeplan.matrix.graph import Edges, layered, split
from routeplan.matrix.points import check_points
from routeplan.matrix.prepare import forget_prepared, prepare
from routeplan.matrix.snap import snap
from routeplan.network import load_network, read_places

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
ANDORRA = ROOT.parent / "shared" / "data" / "andorra" / "andorra.osm.pbf"
SEED = 20250512


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Smallest wall time of ``repeat`` runs (the machine is shared) and the last result."""
    times, out = [], None
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def peak_mb(fn: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def demo_points() -> gpd.GeoDataFrame:
    from routeplan.registers import read_households, read_service_points, read_volunteers

    s = Settings()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return mx.points_frame(
            read_households(DEMO / "households.csv", settings=s),
            read_volunteers(DEMO / "volunteers.csv", settings=s),
            read_service_points(DEMO / "service_points.csv"),
        )


def andorra_points(network: Any, places: dict[str, tuple[float, float]]) -> gpd.GeoDataFrame:
    """1,350 households and 70 homes near the ways around villages, 2 service points."""
    rng = np.random.default_rng(SEED)
    g = network.graph
    mid, length, lines = [], [], []
    for u, v, d in g.edges(data=True):
        if d.get("reversed"):
            continue
        line = d.get("geometry")
        if line is None:
            from shapely.geometry import LineString

            line = LineString(
                [(g.nodes[u]["x"], g.nodes[u]["y"]), (g.nodes[v]["x"], g.nodes[v]["y"])]
            )
        lines.append(line)
        c = line.interpolate(0.5, normalized=True)
        mid.append((c.x, c.y))
        length.append(d["length"])
    mid_a, length_a = np.array(mid), np.array(length)
    centres = np.array(list(places.values()))
    kx = 111_195 * math.cos(math.radians(float(mid_a[:, 1].mean())))
    near = np.zeros(len(mid_a), dtype=bool)
    for lon, lat in centres:  # ways within 1.5 km of a town, village or hamlet
        near |= np.hypot((mid_a[:, 0] - lon) * kx, (mid_a[:, 1] - lat) * 111_195) < 1500
    weights = np.where(near, length_a, 0.02 * length_a)
    weights /= weights.sum()
    locs = []
    for k in rng.choice(len(lines), size=1420, p=weights):
        p = lines[k].interpolate(float(rng.random()), normalized=True)
        dx, dy = rng.normal(0, 25, size=2)
        locs.append(Point(p.x + dx / kx, p.y + dy / 111_195))
    ids = [f"HH-{k:04d}" for k in range(1350)] + [f"TN-{k:02d}" for k in range(70)]
    kinds = ["household"] * 1350 + ["home"] * 70
    big = sorted(places.items())[:2]
    ids += [f"SP-{k}" for k in range(len(big))]
    kinds += ["service_point"] * len(big)
    locs += [Point(*xy) for _, xy in big]
    return gpd.GeoDataFrame({"point_id": ids, "kind": kinds}, geometry=locs, crs="EPSG:4326")


def split_graph(network: Any, points: gpd.GeoDataFrame, mode: str) -> tuple[Any, Any, Any]:
    """The full split graph (a node per point, no reduction): CSR, sources, targets."""
    lonlat = check_points(points)[2]
    prep = prepare(network)
    pieces = split(prep, snap(prep, lonlat, mode))
    base = pieces.n - len(lonlat)
    graph, sources, targets, _ = layered(
        Edges(pieces.src, pieces.dst, pieces.walk, pieces.ride),
        pieces.n,
        np.arange(base, pieces.n),
        mode,
        float(Settings().network.switch_s),
    )
    return graph, sources, targets


def differing_cells(m: Any, reference: Any, walk_kmh: float) -> int:
    """Cells between reachable points more than rounding away from plain Dijkstra + access."""
    ok = m.snaps["reachable"].to_numpy()
    access = m.snaps["snap_m"].to_numpy()[ok] / (walk_kmh / 3.6)
    want = reference[np.ix_(ok, ok)] + access[:, None] + access[None, :]
    np.fill_diagonal(want, 0)
    got = m.seconds[np.ix_(ok, ok)].astype(np.float64)
    got[got == mx.UNREACHABLE] = np.inf
    both = np.isfinite(want) & np.isfinite(got)
    return int((np.isfinite(want) != np.isfinite(got)).sum()) + int(
        (np.abs(got[both] - want[both]) > 0.5 + 1e-6).sum()
    )


def run(
    name: str,
    network: Any,
    points: gpd.GeoDataFrame,
    osm_xml: Path,
    source: Path,
    repeat: int,
    rows: list[list[str]],
) -> None:
    settings = Settings().network
    n = len(points)
    for mode in mx.MODES:

        def cold(mode: str = mode) -> Any:
            forget_prepared()
            return mx.build_matrix(network, points, mode=mode, settings=settings)

        def again(mode: str = mode) -> Any:
            return mx.build_matrix(network, points, mode=mode, settings=settings)

        t_cold, m = best(cold, repeat)
        t_warm, _ = best(again, repeat)
        mem = peak_mb(cold)
        graph, sources, targets = split_graph(network, points, mode)
        g_nx = nx.from_scipy_sparse_array(graph, create_using=nx.DiGraph)
        tset = {int(t) for t in targets}

        def nx_loop(g_nx: Any = g_nx, sources: Any = sources, tset: Any = tset) -> None:
            for s in sources:
                lengths = nx.single_source_dijkstra_path_length(g_nx, int(s), weight="weight")
                _ = [lengths.get(t, math.inf) for t in tset]

        def plain(graph: Any = graph, sources: Any = sources, targets: Any = targets) -> Any:
            return csgraph.dijkstra(graph, directed=True, indices=sources)[:, targets]

        t_nx, _ = best(nx_loop, 1)
        t_sp, reference = best(plain, 1)
        ok = int(m.snaps["reachable"].sum())
        off = differing_cells(m, reference, settings.walk_kmh)
        rows.append(
            [
                name,
                mode,
                f"{n}",
                f"{graph.shape[0]:,}",
                f"{ok}",
                f"{t_cold:.2f}",
                f"{t_warm:.2f}",
                f"{mem:.0f}",
                f"{t_nx:.1f}",
                f"{t_nx / t_cold:.0f}x",
                f"{t_sp:.2f}",
                f"{off}",
            ]
        )
        print(
            f"  {name} {mode}: {t_cold:.2f} s (nx {t_nx:.1f} s, scipy plain {t_sp:.2f} s)",
            file=sys.stderr,
        )

    with tempfile.TemporaryDirectory() as tmp:
        graphml, cache = Path(tmp) / "net.graphml", Path(tmp) / "cache"
        network.save(graphml)
        for mode in mx.MODES:
            mx.build_matrix(network, points, mode=mode, settings=settings, cache_dir=cache)

        def warm() -> None:
            net = load_network(graphml, settings=settings)
            for mode in mx.MODES:
                mx.build_matrix(net, points, mode=mode, settings=settings, cache_dir=cache)

        t_rerun, _ = best(warm, repeat)
        t_build, _ = best(lambda: load_network(source, settings=settings), 1)
        import osmnx as ox

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_ox, _ = best(lambda: ox.graph_from_xml(osm_xml, simplify=True, retain_all=True), 1)
        rows.append(
            [
                name,
                "re-run",
                f"{n}",
                "",
                "",
                "",
                f"{t_rerun:.2f}",
                "",
                "",
                "",
                f"build {t_build:.2f} / osmnx XML {t_ox:.2f}",
                "",
            ]
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["demo", "andorra"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows: list[list[str]] = []
    if args.only in (None, "demo"):
        net = load_network(DEMO / "hoabac.osm")
        run("demo", net, demo_points(), DEMO / "hoabac.osm", DEMO / "hoabac.osm", args.repeat, rows)
    if args.only in (None, "andorra"):
        if not ANDORRA.exists():
            print(f"{ANDORRA} is absent: skipping Andorra", file=sys.stderr)
        else:
            import osmium

            with tempfile.TemporaryDirectory() as tmp:
                xml = Path(tmp) / "andorra.osm"
                writer = osmium.SimpleWriter(str(xml))
                for obj in osmium.FileProcessor(str(ANDORRA)):
                    writer.add(obj)
                writer.close()
                net = load_network(ANDORRA)
                points = andorra_points(net, read_places(ANDORRA))
                run("andorra", net, points, xml, ANDORRA, args.repeat, rows)
    head = [
        "network",
        "mode",
        "points",
        "graph nodes",
        "reachable",
        "build_matrix s",
        "again s",
        "peak MB",
        "networkx loop s",
        "speed-up",
        "scipy plain s",
        "cells off",
    ]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
