"""Cutting one large extract into the areas' maps by their boundaries: :func:`cut_networks`.

Each area's map is the roads of the extract that reach into its boundary polygon grown
by a margin. A road that crosses the boundary is kept whole to its next junction
outside (the node outside stays, so the road is routable to its end), and pieces of
road that only touch the margin without joining the area's own roads are left out
(nobody could drive from the area onto them). Every household of an area is checked
against the polygons: one outside every boundary, inside another area's, or inside
two (the boundaries overlap) makes its area fail with the household's row and the fix,
so that no household is planned on a map cut for somewhere else, and none is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import InputDataError, Problem
from .inputs import Area

if TYPE_CHECKING:  # pragma: no cover
    from ..network import Network

__all__ = ["boundary_problems", "cut_networks", "read_boundaries"]

_M_PER_DEG = 111_000.0  # a margin in degrees, not a measure


def read_boundaries(path: str | Path) -> dict[str, Any]:
    """Return area name -> polygon (lon/lat) from a GeoJSON or GeoPackage of boundaries.

    Raises
    ------
    InputDataError
        The file has no ``area`` or ``name`` column.

    """
    import geopandas as gpd

    frame = gpd.read_file(path)
    if frame.crs is not None:
        frame = frame.to_crs(4326)
    cols = {c.lower(): c for c in frame.columns}
    name_col = next((cols[c] for c in ("area", "name") if c in cols), None)
    if name_col is None:
        raise InputDataError(
            [Problem("no 'area' or 'name' column", "name each boundary polygon", file=str(path))],
            subject="area boundaries",
        )
    return {str(n): g for n, g in zip(frame[name_col], frame.geometry, strict=True)}


def boundary_problems(
    area: Area, polygons: dict[str, Any], boundaries: str, settings: Settings | None = None
) -> list[Problem]:
    """Return a problem per household of ``area`` not inside its own boundary only.

    A household outside every polygon, inside another area's only, or inside two
    (overlapping boundaries) is named by its row in the register as the user gave it
    (:meth:`Area.in_register` for a register split by its area column). Households
    without usable coordinates are not checked here (the area's own run reports them).
    """
    import shapely

    from ..registers.coordinates import LocationChecks
    from ..registers.households import parse_households

    parsed = parse_households(area.households, settings or Settings(), None, LocationChecks())
    if parsed.frame is None or len(parsed.frame) == 0:
        return []
    frame = parsed.frame
    ok = ~(frame.geometry.is_empty | frame.geometry.isna())
    ok &= frame.geometry.x.notna() & frame.geometry.y.notna()  # a location blanked as wrong
    names = list(polygons)
    pts = frame.geometry[ok].to_numpy()
    inside = [shapely.covers(polygons[n], pts) for n in names]
    where = "its area column" if area.register is not None else "its folder"
    file = str(area.households)
    problems: list[Problem] = []
    for k, (hid, label, pt) in enumerate(
        zip(frame["household_id"][ok], frame["source_row"][ok], pts, strict=True)
    ):
        hits = [n for n, col in zip(names, inside, strict=True) if col[k]]
        if hits == [area.name]:
            continue
        at = f"household {hid} at {pt.y:.6f}, {pt.x:.6f}"
        if not hits:
            message = f"{at} is outside every area boundary"
            fix = (
                f"check its latitude and longitude, or widen the polygon of area {area.name!r} "
                f"in {boundaries} to include it"
            )
        elif len(hits) > 1:
            message = f"{at} is inside the boundaries of {' and '.join(map(repr, hits))}"
            fix = f"the polygons overlap here: correct {boundaries} so each place is in one area"
        else:
            message = f"{at} of area {area.name!r} ({where}) is inside area {hits[0]!r}"
            fix = f"move it to area {hits[0]!r}, or correct its latitude and longitude"
        problems.append(area.in_register(Problem(message, fix, file=file, row=str(label))))
    return problems


def cut_networks(
    areas: Sequence[Area],
    extract: Network,
    boundaries: str | Path,
    work_dir: str | Path,
    *,
    margin_m: float = 500.0,
    settings: Settings | None = None,
) -> list[Area]:
    """Give each area without its own map its part of ``extract``, cut by its boundary.

    The part is every road segment (junction to junction) that reaches into the area's
    polygon grown by ``margin_m``, both of its ends kept, less the pieces not joined to
    a road inside the polygon itself; it is written as
    ``work_dir/<area>/network.graphml``. An area with a household outside its own
    boundary only (see :func:`boundary_problems`) is returned with those problems: its
    run fails naming them, and the other areas run.

    Raises
    ------
    InputDataError
        Naming every area the boundaries file has no polygon for.

    """
    polygons = read_boundaries(Path(boundaries))
    missing = [a.name for a in areas if a.name not in polygons]
    if missing:
        raise InputDataError(
            [
                Problem(
                    f"no boundary for area {m!r}",
                    "add its polygon (with an 'area' or 'name' value) to the boundaries file",
                    file=str(boundaries),
                )
                for m in missing
            ],
            subject="area boundaries",
        )
    from dataclasses import replace

    from ..network import Network, fingerprint

    edges, lines = _edge_lines(extract)
    out: list[Area] = []
    for area in areas:
        sub = _cut(extract, edges, lines, polygons[area.name], margin_m)
        grown = polygons[area.name].buffer(margin_m / _M_PER_DEG)
        places = {k: v for k, v in extract.places.items() if grown.covers(_point(v))}
        net = Network(sub, extract.report, fingerprint(sub), places)
        path = net.save(Path(work_dir) / area.slug / "network.graphml")
        problems = boundary_problems(area, polygons, str(boundaries), settings)
        out.append(replace(area, network=path, problems=(*area.problems, *problems)))
    return out


def _point(lon_lat: Any) -> Any:
    import shapely

    return shapely.Point(*lon_lat)


def _edge_lines(extract: Network) -> tuple[list[tuple[Any, Any, Any]], Any]:
    """Return the extract's edges and their lines (geometry, else junction to junction)."""
    import numpy as np
    import shapely

    g = extract.graph
    edges: list[tuple[Any, Any, Any]] = []
    lines: list[Any] = []
    for u, v, k, d in g.edges(keys=True, data=True):
        edges.append((u, v, k))
        geom = d.get("geometry")
        if geom is None:
            a, b = g.nodes[u], g.nodes[v]
            geom = shapely.LineString([(a["x"], a["y"]), (b["x"], b["y"])])
        lines.append(geom)
    return edges, np.asarray(lines, dtype=object)


def _cut(
    extract: Network, edges: list[tuple[Any, Any, Any]], lines: Any, poly: Any, margin_m: float
) -> Any:
    """Return the part of the extract reaching into ``poly`` (grown) and joined to it."""
    import networkx as nx
    import shapely

    grown = poly.buffer(margin_m / _M_PER_DEG)
    shapely.prepare(grown)
    reach = shapely.intersects(grown, lines)
    kept = [e for e, hit in zip(edges, reach, strict=True) if hit]
    sub = extract.graph.edge_subgraph(kept).copy()
    shapely.prepare(poly)
    inner = shapely.intersects(poly, lines[reach]) if len(kept) else []
    touching = {n for (u, v, _), hit in zip(kept, inner, strict=True) if hit for n in (u, v)}
    drop = [n for part in nx.weakly_connected_components(sub) if not part & touching for n in part]
    sub.remove_nodes_from(drop)
    sub.graph.update(extract.graph.graph)
    return sub
