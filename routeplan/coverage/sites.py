"""Service-point what-ifs: where new points would go, and which candidates help most.

:func:`resolve_sites` turns what a planner typed (``--add``: coordinates or a hamlet's
name) into points; :func:`hamlet_sites` offers every hamlet's centre and
:func:`read_candidates` reads candidate sites from a file; :func:`best_sites` picks the
best ``k`` of them (maximal covering or p-median, solved by
:func:`routeplan.planner.solve.choose_sites`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..config import CoverageSettings
from ..errors import InputDataError, Problem
from ..matrix import service_point_id
from ._common import fold_name, matrix_rows
from .results import Assessment, SiteChoice
from .times import CoverageInputs, what_if

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = ["best_sites", "hamlet_places", "hamlet_sites", "read_candidates", "resolve_sites"]


def hamlet_places(network: Any) -> dict[str, tuple[float, float]]:
    """Return ``{name: (lon, lat)}`` of the hamlets' place nodes the network knows.

    Looks at ``network.places`` (a GeoDataFrame with ``name`` or a mapping) if the
    network has one, else at graph nodes tagged ``place``; empty if neither.
    """
    out: dict[str, tuple[float, float]] = {}
    places = getattr(network, "places", None)
    if isinstance(places, Mapping):
        for name, xy in places.items():
            if hasattr(xy, "x"):
                out[str(name)] = (float(xy.x), float(xy.y))
            else:
                out[str(name)] = (float(xy[0]), float(xy[1]))
        return out
    if places is not None and hasattr(places, "geometry") and "name" in places:
        for name, geom in zip(places["name"], places.geometry, strict=True):
            if name and geom is not None:
                out[str(name)] = (float(geom.x), float(geom.y))
        return out
    graph = getattr(network, "graph", None)
    if graph is not None:
        for _, data in graph.nodes(data=True):
            if data.get("place") and data.get("name"):
                out.setdefault(str(data["name"]), (float(data["x"]), float(data["y"])))
    return out


def _village_centre(
    households: gpd.GeoDataFrame, village: str, places: Mapping[str, tuple[float, float]]
) -> tuple[float, float, str]:
    """Return (lon, lat, how) of a hamlet: its place node, else its households' median."""
    folded = {fold_name(k): v for k, v in places.items()}
    if fold_name(village) in folded:
        lon, lat = folded[fold_name(village)]
        return lon, lat, "place node"
    rows = households[households["village"].map(fold_name) == fold_name(village)]
    if "location_quality" in rows:
        gps = rows[rows["location_quality"] == "gps"]
        rows = gps if len(gps) else rows
    return (
        float(np.median(rows.geometry.x)),
        float(np.median(rows.geometry.y)),
        "households' median",
    )


_LATLON = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d+(?:\.\d+)?)\s*$")


def resolve_sites(
    specs: Sequence[str],
    households: gpd.GeoDataFrame,
    *,
    places: Mapping[str, tuple[float, float]] | None = None,
    prefix: str = "NEW",
) -> gpd.GeoDataFrame:
    """Turn what a planner typed into points: ``"16.10,107.95"`` or a hamlet's name.

    A hamlet (matched without regard to case or accents: ``"ta lang"`` finds
    ``"Tà Lang"``) is placed at its place node in ``places`` if there, else at the
    median of its households' locations.

    Returns
    -------
    geopandas.GeoDataFrame
        ``point_id`` (``NEW-1``, ...), ``name``, ``placed``, geometry (EPSG:4326).

    Raises
    ------
    InputDataError
        Listing every spec that is neither valid coordinates nor a known hamlet.

    """
    import geopandas as gpd

    places = dict(places or {})
    villages = sorted({str(v) for v in households["village"]} | set(places))
    by_fold = {fold_name(v): v for v in villages}
    rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for n, spec in enumerate(specs, start=1):
        m = _LATLON.match(str(spec))
        if m:
            site = _coordinates_site(spec, m, f"{prefix}-{n}")
        else:
            site = _hamlet_site(spec, f"{prefix}-{n}", households, places, villages, by_fold)
        if isinstance(site, Problem):
            problems.append(site)
        else:
            rows.append(site)
    if problems:
        raise InputDataError(problems, subject="new service points")
    return gpd.GeoDataFrame(
        rows,
        columns=["point_id", "name", "placed", "geometry"],
        geometry="geometry",
        crs="EPSG:4326",
    )


def _coordinates_site(spec: str, m: re.Match[str], point_id: str) -> dict[str, Any] | Problem:
    """Return the point at ``latitude,longitude`` typed as ``spec``, or what is wrong."""
    from shapely.geometry import Point

    lat, lon = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        hint = " (are latitude and longitude swapped?)" if abs(lon) <= 90 else ""
        return Problem(
            f"{spec!r} is not a latitude,longitude{hint}",
            "write it as latitude,longitude, e.g. 16.10,107.95",
            column="add",
        )
    return {
        "point_id": point_id,
        "name": f"{lat:.5f}, {lon:.5f}",
        "placed": "coordinates",
        "geometry": Point(lon, lat),
    }


def _hamlet_site(
    spec: str,
    point_id: str,
    households: gpd.GeoDataFrame,
    places: Mapping[str, tuple[float, float]],
    villages: Sequence[str],
    by_fold: Mapping[str, str],
) -> dict[str, Any] | Problem:
    """Return the centre of the hamlet named ``spec`` (``by_fold``: folded -> name), or why not."""
    from shapely.geometry import Point

    village = by_fold.get(fold_name(spec))
    if village is None:
        close = difflib.get_close_matches(fold_name(spec), list(by_fold), n=1, cutoff=0.5)
        fix = (
            f"did you mean {by_fold[close[0]]!r}?"
            if close
            else f"known hamlets: {', '.join(villages)}; or give latitude,longitude"
        )
        return Problem(
            f"{spec!r} is neither latitude,longitude nor a known hamlet", fix, column="add"
        )
    lon, lat, how = _village_centre(households, village, places)
    return {"point_id": point_id, "name": village, "placed": how, "geometry": Point(lon, lat)}


def hamlet_sites(
    households: gpd.GeoDataFrame, *, places: Mapping[str, tuple[float, float]] | None = None
) -> gpd.GeoDataFrame:
    """One candidate site per hamlet of the register, at its centre (see :func:`resolve_sites`)."""
    villages = sorted({str(v) for v in households["village"] if str(v)}, key=fold_name)
    sites = resolve_sites(villages, households, places=places, prefix="SITE")
    sites["point_id"] = [f"SITE-{i:02d}" for i in range(1, len(sites) + 1)]
    return sites


def read_candidates(path: str | Path) -> gpd.GeoDataFrame:
    """Read candidate sites from a file laid out like the service-point register."""
    from ..registers import read_service_points

    frame = read_service_points(path)
    frame = frame[["point_id", "name", "geometry"]].copy()
    frame["placed"] = "candidates file"
    return frame


def _weights(frame: pd.DataFrame, cov: CoverageSettings) -> np.ndarray[Any, Any]:
    return np.asarray(1 + cov.priority_weight * frame["priority"].astype(int), dtype=np.int64)


def best_sites(
    inputs: CoverageInputs,
    baseline: Assessment,
    candidates: gpd.GeoDataFrame,
    k: int,
    objective: str,
) -> SiteChoice:
    """Choose the best ``k`` of ``candidates`` as new service points, and assess them.

    ``objective`` is ``"coverage"`` (most households, priority ones weighted, within
    ``far_min``; then least travel) or ``"median"`` (least total travel time).
    """
    from ..planner.solve import choose_sites

    settings = inputs.settings
    service_points = inputs.service_points
    cov = settings.coverage
    m = inputs.matrices[cov.mode]
    ids = list(baseline.households["household_id"])
    sites = [str(p) for p in service_points["point_id"]] + [str(p) for p in candidates["point_id"]]
    site_rows = matrix_rows(m, [service_point_id(s) for s in sites])
    times = np.asarray(m.seconds)[np.ix_(matrix_rows(m, ids), site_rows)]
    n_old = len(service_points)
    chosen, optimal = choose_sites(
        times,
        _weights(baseline.households, cov).tolist(),
        k,
        existing=list(range(n_old)),
        threshold_s=cov.far_min * 60,
        objective=objective,
        time_limit_s=cov.choose_time_limit_s,
        seed=settings.planner.seed,
    )
    cand = candidates[["point_id", "name", "placed", "geometry"]].copy()
    cand["covers"] = (times[:, n_old:] <= cov.far_min * 60).sum(axis=0)
    cand["chosen"] = [j + n_old in set(chosen) for j in range(len(cand))]
    added = cand[cand["chosen"]][["point_id", "name", "placed", "geometry"]]
    return SiteChoice(
        candidates=cand,
        k=k,
        objective=objective,
        threshold_min=cov.far_min,
        optimal=optimal,
        whatif=what_if(inputs, baseline, added),
    )
