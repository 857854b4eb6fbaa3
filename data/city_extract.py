"""One city extract of many communes for ``data/make_city.py --extract``.

Each commune's roads are the ways of its generated valley (or the demo) cropped to a
box around its households and volunteers (a way leaving the box is cut where it
leaves; of the pieces, the largest connected part is kept), moved to its own cell of
a grid, with node and way ids made unique (commune ``i``'s ids are ``i * 10,000,000``
plus the source id). The cells are the communes' boundaries: rectangles sharing their
edges with their neighbours. Between
neighbours in a row an inter-commune road (``highway=unclassified``) joins the
easternmost road node of one to the westernmost of the next, so that ways cross the
boundaries as they do in a real extract. Each commune gets one service point, its
people's committee, on the road node nearest the centre of its households.

Files written: ``city.osm``, ``boundaries.geojson``, and ``households.csv``,
``volunteers.csv``, ``service_points.csv`` with an ``area`` column (the commune's
name; household and volunteer ids prefixed ``CNN-`` so that they are unique in the
city).
"""

from __future__ import annotations

import itertools
import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

Tags = list[tuple[str, str]]
Node = tuple[float, float, Tags]  # lon, lat, tags
Way = tuple[int, list[int], Tags]

PAD_DEG = 0.004
"""Roads kept around a commune's households and volunteers (about 400 m)."""
GAP_DEG = 0.003
"""Room between a commune's roads and its cell's edge (about 300 m)."""
ORIGIN = (107.90, 16.00)
"""South-west corner of the city (lon, lat); synthetic, near Da Nang."""
ID_STEP = 10_000_000
CONNECTOR_IDS = 900_000_000


@dataclass
class Rows:
    """A commune's register rows: households and volunteers (columns and rows)."""

    hcols: list[str]
    households: list[dict[str, str]]
    vcols: list[str]
    volunteers: list[dict[str, str]]


def read_osm(path: Path) -> tuple[dict[int, Node], list[Way]]:
    """Nodes and ways of a (small, uncompressed) OSM XML file."""
    nodes: dict[int, Node] = {}
    ways: list[Way] = []
    for _, el in ET.iterparse(path):
        tags = [(t.get("k", ""), t.get("v", "")) for t in el.findall("tag")]
        if el.tag == "node":
            nodes[int(el.get("id", 0))] = (float(el.get("lon", 0)), float(el.get("lat", 0)), tags)
            el.clear()
        elif el.tag == "way":
            refs = [int(n.get("ref", 0)) for n in el.findall("nd")]
            ways.append((int(el.get("id", 0)), refs, tags))
            el.clear()
    return nodes, ways


def _box(rows: Rows) -> tuple[float, float, float, float]:
    pts = [
        (float(r["longitude"]), float(r["latitude"]))
        for r in (*rows.households, *rows.volunteers)
        if r.get("latitude") and r.get("longitude")
    ]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs) - PAD_DEG, min(ys) - PAD_DEG, max(xs) + PAD_DEG, max(ys) + PAD_DEG


def crop(
    nodes: dict[int, Node], ways: list[Way], box: tuple[float, float, float, float]
) -> tuple[dict[int, Node], list[tuple[list[int], Tags]]]:
    """The roads inside ``box``: each way's runs of consecutive nodes inside, and places."""
    w, s, e, n = box

    def inside(ref: int) -> bool:
        lon, lat, _ = nodes[ref]
        return w <= lon <= e and s <= lat <= n

    runs: list[tuple[list[int], Tags]] = []
    for _, refs, tags in ways:
        if not any(k == "highway" for k, _ in tags):
            continue
        run: list[int] = []
        for ref in [*refs, None]:
            if ref is not None and ref in nodes and inside(ref):
                run.append(ref)
                continue
            if len(run) >= 2:
                runs.append((run, tags))
            run = []
    runs = _largest_part(runs)
    used = {ref for run, _ in runs for ref in run}
    places = {k for k, (_, _, t) in nodes.items() if any(a == "place" for a, _ in t) and inside(k)}
    return {k: nodes[k] for k in used | places}, runs


def _largest_part(runs: list[tuple[list[int], Tags]]) -> list[tuple[list[int], Tags]]:
    """The runs of the largest connected part (cropping leaves pieces of road cut off)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for run, _ in runs:
        for a, b in itertools.pairwise(run):
            parent[find(a)] = find(b)
    sizes: dict[int, int] = {}
    for x in list(parent):
        sizes[find(x)] = sizes.get(find(x), 0) + 1
    big = max(sizes, key=lambda r: sizes[r])
    return [(run, tags) for run, tags in runs if find(run[0]) == big]


@dataclass
class _Part:
    name: str
    rows: Rows
    nodes: dict[int, Node]
    runs: list[tuple[list[int], Tags]]
    box: tuple[float, float, float, float]


def _layout(parts: Sequence[_Part]) -> tuple[int, float, float]:
    """Columns of the grid and the cell's width and height (degrees)."""
    cols = max(1, math.ceil(math.sqrt(len(parts))))
    width = max(p.box[2] - p.box[0] for p in parts) + 2 * GAP_DEG
    height = max(p.box[3] - p.box[1] for p in parts) + 2 * GAP_DEG
    return cols, width, height


def write_city(out: Path, communes: Sequence[tuple[str, Path, Rows]]) -> None:
    """Write the city extract, boundaries and registers of ``communes`` into ``out``.

    ``communes`` are (name, folder with the source ``hoabac.osm``, register rows).
    """
    parts = []
    for name, src, rows in communes:
        nodes, ways = read_osm(src / "hoabac.osm")
        box = _box(rows)
        kept, runs = crop(nodes, ways, box)
        parts.append(_Part(name, rows, kept, runs, box))
    cols, width, height = _layout(parts)
    osm_nodes: dict[int, Node] = {}
    osm_ways: list[Way] = []
    features, households, volunteers, points = [], [], [], []
    ends: list[tuple[int, int]] = []  # each commune's westernmost and easternmost road node
    for i, part in enumerate(parts):
        row, col = divmod(i, cols)
        west, south = ORIGIN[0] + col * width, ORIGIN[1] + row * height
        dx = west + width / 2 - (part.box[0] + part.box[2]) / 2
        dy = south + height / 2 - (part.box[1] + part.box[3]) / 2
        base = (i + 1) * ID_STEP
        for ref, (lon, lat, tags) in part.nodes.items():
            osm_nodes[base + ref] = (lon + dx, lat + dy, tags)
        for k, (run, tags) in enumerate(part.runs):
            osm_ways.append((base + k + 1, [base + r for r in run], tags))
        road = sorted({r for run, _ in part.runs for r in run}, key=lambda r: part.nodes[r][0])
        ends.append((base + road[0], base + road[-1]))
        ring = [[west, south], [west + width, south], [west + width, south + height]]
        ring += [[west, south + height], [west, south]]
        features.append(
            {
                "type": "Feature",
                "properties": {"area": part.name},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
        households += _moved(part.rows.households, part.name, i, dx, dy, "household_id")
        volunteers += _moved(part.rows.volunteers, part.name, i, dx, dy, "volunteer_id")
        points.append(_service_point(part, i, dx, dy, road))
    _connect(osm_nodes, osm_ways, ends, cols)
    _write_osm(out / "city.osm", osm_nodes, osm_ways)
    (out / "boundaries.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        encoding="utf-8",
    )
    _write_csv(out / "households.csv", [*parts[0].rows.hcols, "area"], households)
    _write_csv(out / "volunteers.csv", [*parts[0].rows.vcols, "area"], volunteers)
    _write_csv(
        out / "service_points.csv", ["point_id", "name", "latitude", "longitude", "area"], points
    )


def _moved(
    rows: list[dict[str, str]], area: str, i: int, dx: float, dy: float, id_col: str
) -> list[dict[str, str]]:
    out = []
    for r in rows:
        r = dict(r)
        r[id_col] = f"C{i + 1:02d}-{r[id_col]}"
        if r.get("latitude") and r.get("longitude"):
            r["latitude"] = f"{float(r['latitude']) + dy:.6f}"
            r["longitude"] = f"{float(r['longitude']) + dx:.6f}"
        r["area"] = area
        out.append(r)
    return out


def _service_point(part: _Part, i: int, dx: float, dy: float, road: list[int]) -> dict[str, str]:
    pts = [
        (float(r["longitude"]), float(r["latitude"]))
        for r in part.rows.households
        if r.get("latitude") and r.get("longitude")
    ]
    cx, cy = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
    best = min(road, key=lambda r: (part.nodes[r][0] - cx) ** 2 + (part.nodes[r][1] - cy) ** 2)
    lon, lat, _ = part.nodes[best]
    return {
        "point_id": f"SP-{i + 1:02d}",
        "name": f"Ủy ban nhân dân {part.name}",
        "latitude": f"{lat + dy:.6f}",
        "longitude": f"{lon + dx:.6f}",
        "area": part.name,
    }


def _connect(
    nodes: dict[int, Node], ways: list[Way], ends: list[tuple[int, int]], cols: int
) -> None:
    """Join each commune's easternmost road node to the westernmost of the next in its row."""
    next_id = CONNECTOR_IDS
    for i in range(len(ends) - 1):
        if (i + 1) % cols == 0:
            continue  # the last of a row
        a, b = ends[i][1], ends[i + 1][0]
        (ax, ay, _), (bx, by, _) = nodes[a], nodes[b]
        steps = max(1, round(math.hypot(bx - ax, by - ay) / 0.001))  # a node every ~100 m
        refs = [a]
        for k in range(1, steps):
            next_id += 1
            t = k / steps
            nodes[next_id] = (ax + t * (bx - ax), ay + t * (by - ay), [])
            refs.append(next_id)
        refs.append(b)
        next_id += 1
        tags = [("highway", "unclassified"), ("surface", "asphalt"), ("name", "Đường liên xã")]
        ways.append((next_id, refs, tags))


def _write_osm(path: Path, nodes: dict[int, Node], ways: list[Way]) -> None:
    xs = [n[0] for n in nodes.values()]
    ys = [n[1] for n in nodes.values()]
    lines = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        '<osm version="0.6" generator="routeplan data/make_city.py --extract (synthetic)">',
        f'  <bounds minlat="{min(ys):.7f}" minlon="{min(xs):.7f}" '
        f'maxlat="{max(ys):.7f}" maxlon="{max(xs):.7f}"/>',
    ]
    stamp = 'version="1" timestamp="2025-07-01T00:00:00Z"'
    for ref in sorted(nodes):
        lon, lat, tags = nodes[ref]
        head = f'  <node id="{ref}" {stamp} lat="{lat:.7f}" lon="{lon:.7f}"'
        lines.append(head + ("/>" if not tags else ">"))
        if tags:
            lines += [f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags]
            lines.append("  </node>")
    for ref, refs, tags in ways:
        lines.append(f'  <way id="{ref}" {stamp}>')
        lines += [f'    <nd ref="{r}"/>' for r in refs]
        lines += [f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags]
        lines.append("  </way>")
    lines.append("</osm>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
