"""Closures: ways closed or flooded for one run, removed from the built graph.

Give them as a CSV/TXT of OSM way ids (one per line, or a column ``way_id``,
``osm_id``, ``osmid``, ``way`` or ``id``; ``way/123`` is understood), or as a
GeoJSON/GeoPackage/Shapefile of lines drawn over the closed roads in a GIS. A line
closes every edge it runs along or across, but not the side roads that merely meet it.
"""

from __future__ import annotations

import logging
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..config import NetworkSettings
from ..errors import InputDataError, Problem
from .model import NetworkReport

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx

__all__ = ["apply_closures"]

log = logging.getLogger(__name__)

_WAY_ID = re.compile(r"(?:^|[/\s,;])(?:w|way[/:\s]?)?\s*(\d{1,15})\s*$", re.IGNORECASE)


def apply_closures(
    graph: nx.MultiDiGraph,
    closures: str | os.PathLike[str],
    settings: NetworkSettings,
    report: NetworkReport,
) -> None:
    """Remove the closed ways from ``graph``, counting them (and any problem) in ``report``.

    Raises
    ------
    InputDataError
        The file is missing, of an unknown type, unreadable, or has a bad way id.

    """
    path = Path(closures)
    if not path.exists():
        raise InputDataError([Problem("closures file not found", "check the path", file=str(path))])
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ""):
        _close_by_ids(graph, path, report)
    elif suffix in (".geojson", ".json", ".gpkg", ".shp"):
        _close_by_lines(graph, path, settings, report)
    else:
        raise InputDataError(
            [
                Problem(
                    f"unknown closures file type {path.suffix!r}",
                    "give a CSV/TXT of OSM way ids or a GeoJSON/GeoPackage of lines",
                    file=path.name,
                )
            ]
        )
    graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0])
    for p in report.problems:
        if p.severity == "warning":
            log.warning("%s", p)


def _close_by_ids(graph: nx.MultiDiGraph, path: Path, report: NetworkReport) -> None:
    ids = _closure_ids(path)
    by_way: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for u, v, k, osmid in graph.edges(keys=True, data="osmid"):
        by_way[int(osmid)].append((u, v, k))
    closed = set()
    for way_id, row in ids:
        if way_id in closed:
            continue
        if way_id not in by_way:
            report.problems.append(
                Problem(
                    f"way {way_id} is not in the network",
                    "check the way id on "
                    "openstreetmap.org (a way outside the area or not a road is ignored)",
                    file=path.name,
                    row=row,
                    severity="warning",
                )
            )
            continue
        closed.add(way_id)
        remove = by_way.pop(way_id)
        graph.remove_edges_from(remove)
        report.closed_edges += len(remove)
    report.closed_way_ids = sorted(set(report.closed_way_ids) | closed)


def _closure_ids(path: Path) -> list[tuple[int, str]]:
    """Way ids from a CSV/TXT: one per line, or a column named way_id/osmid/id."""
    import csv

    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    problems: list[Problem] = []
    out: list[tuple[int, str]] = []
    col: int | None = None
    first = next((ln for ln in lines if ln.strip()), "")
    rows = list(csv.reader(lines)) if "," in first or ";" in first else [[ln] for ln in lines]
    if rows and rows[0]:
        header = [c.strip().lower() for c in rows[0]]
        for name in ("way_id", "osm_id", "osmid", "way", "id"):
            if name in header:
                col = header.index(name)
                break
    for i, row in enumerate(rows, start=1):
        if col is not None and i == 1:
            continue
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        cell = row[col if col is not None else 0].strip() if len(row) > (col or 0) else ""
        m = _WAY_ID.search(cell.rstrip("/"))
        if not m:
            problems.append(
                Problem(
                    f"{cell!r} is not an OSM way id",
                    "write one way id per line, e.g. 123456789 or way/123456789",
                    file=path.name,
                    row=f"row {i}",
                )
            )
            continue
        out.append((int(m.group(1)), f"row {i}"))
    if problems:
        raise InputDataError(problems, subject=path.name)
    return out


def _close_by_lines(
    graph: nx.MultiDiGraph, path: Path, settings: NetworkSettings, report: NetworkReport
) -> None:
    lines = _read_lines(path)
    if lines.empty:
        report.problems.append(
            Problem(
                "the closures file has no lines",
                "draw the closed roads as lines",
                file=path.name,
                severity="warning",
            )
        )
        return
    edges = list(graph.edges(keys=True, data=True))
    hit = _edges_hit(graph, edges, lines, settings.closure_tolerance_m)
    closed: set[int] = set()
    remove = []
    for i in np.nonzero(hit)[0]:
        u, v, k, d = edges[i]
        remove.append((u, v, k))
        closed.add(int(d["osmid"]))
    graph.remove_edges_from(remove)
    report.closed_way_ids = sorted(set(report.closed_way_ids) | closed)
    report.closed_edges += len(remove)
    if not remove:
        report.problems.append(
            Problem(
                "no road lies along or across the closure lines",
                "check that the lines are drawn over the roads",
                file=path.name,
                severity="warning",
            )
        )


def _read_lines(path: Path) -> gpd.GeoDataFrame:
    """Read the non-empty geometries of a closures file (lon/lat when it has no CRS)."""
    import geopandas as gpd

    try:
        lines = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several kinds
        raise InputDataError(
            [
                Problem(
                    f"cannot read the closures file ({exc})",
                    "save it as GeoJSON or GeoPackage",
                    file=path.name,
                )
            ]
        ) from None
    if lines.crs is None:
        lines = lines.set_crs("EPSG:4326")
    return lines[lines.geometry.notna() & ~lines.geometry.is_empty]


def _edges_hit(
    graph: nx.MultiDiGraph,
    edges: list[tuple[int, int, int, dict[str, Any]]],
    lines: gpd.GeoDataFrame,
    tol: float,
) -> npt.NDArray[np.bool_]:
    """Which of ``edges`` lie along or across ``lines`` (within ``tol`` metres)."""
    import geopandas as gpd
    import shapely
    from shapely.geometry import LineString

    utm = lines.to_crs("EPSG:4326").estimate_utm_crs()
    zone = lines.to_crs(utm).geometry.buffer(tol).union_all()
    geoms = []
    for u, v, _, d in edges:
        gm = d.get("geometry")
        if gm is None:
            nu, nv = graph.nodes[u], graph.nodes[v]
            gm = LineString([(nu["x"], nu["y"]), (nv["x"], nv["y"])])
        geoms.append(gm)
    proj = np.asarray(gpd.GeoSeries(geoms, crs="EPSG:4326").to_crs(utm).values)
    # ignore the ends of each edge, so a line along one road does not close the side
    # roads that meet it; a short edge counts by its midpoint
    ends = shapely.union(
        shapely.buffer(shapely.get_point(proj, 0), 2 * tol),
        shapely.buffer(shapely.get_point(proj, -1), 2 * tol),
    )
    middle = shapely.difference(proj, ends)
    mid_pt = shapely.line_interpolate_point(proj, 0.5, normalized=True)
    test = np.where(shapely.is_empty(middle), mid_pt, middle)
    hit: npt.NDArray[np.bool_] = np.asarray(shapely.intersects(test, zone), dtype=bool)
    return hit
