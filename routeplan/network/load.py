"""Load a network: a local OSM file, a saved GraphML file, or a download.

:func:`load_network` reads a local OSM file (.osm, .osm.bz2, .osm.pbf, via pyosmium,
:mod:`~routeplan.network.osmfile`), downloads an area with osmnx
(:mod:`~routeplan.network.download`), or reloads a GraphML file saved by
:meth:`Network.save <routeplan.network.Network.save>` (so that later runs are offline,
:mod:`~routeplan.network.graphml`). OSM data is turned into the routable graph by
:mod:`~routeplan.network.build`; closures (:mod:`~routeplan.network.closures`) are
applied last.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..config import NetworkSettings
from ..errors import InputDataError, NetworkError, Problem
from .build import build_graph
from .closures import apply_closures
from .download import download
from .graphml import read_graphml
from .model import BBox, Network, NetworkReport, Place, Progress, fingerprint, settings_dict
from .osmfile import OsmData, is_osm_file, read_osm, read_places

if TYPE_CHECKING:
    from .elevation import Dem

__all__ = ["DemSource", "Source", "check_network_file", "load_network"]

#: What :func:`load_network` loads from.
Source = str | os.PathLike[str] | Place | BBox | tuple[float, float, float, float] | Any

#: One elevation raster or several.
DemSource = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]


def load_network(
    source: Source,
    *,
    settings: NetworkSettings = NetworkSettings(),  # noqa: B008 (frozen)
    dem: DemSource | None = None,
    closures: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> Network:
    """Load a routable road network with walking and motorbike travel times.

    Parameters
    ----------
    source
        A local OSM file (``.osm``, ``.osm.bz2``, ``.osm.pbf``), a ``.graphml`` file
        saved by :meth:`Network.save`, or an area to download with osmnx: a
        :class:`Place`, a :class:`BBox` / ``(west, south, east, north)`` tuple, or a
        shapely (Multi)Polygon in lon/lat.
    settings
        Speeds and repair thresholds.
    dem
        Elevation raster(s) (GeoTIFF, SRTM ``.hgt`` or ``.hgt.zip``) for slope-aware
        walking times; without it, node ``ele`` tags are used when present.
    closures
        Closed or flooded ways for this run: a CSV/TXT of OSM way ids, or a
        GeoJSON/GeoPackage of lines drawn over the closed roads.
    progress
        Called with (message, fraction 0..1) as the work advances.

    Returns
    -------
    Network

    Raises
    ------
    InputDataError
        Missing or unreadable files, a bad closures file.
    NetworkError
        The download failed, or nothing routable was left.

    """
    say: Progress = progress or (lambda message, fraction: None)
    if isinstance(source, str | os.PathLike):
        path = _existing(Path(source))
        if path.name.lower().endswith(".graphml"):
            return _reload(path, settings, dem, closures, say)
        data, name, places = _read_file(path, say)
    else:
        data, name = download(source, say)
        places = {}
    say("building the routable graph", 0.3)
    report = NetworkReport(source=name, settings=settings_dict(settings))
    dems = _read_dems(dem, data, report) if dem is not None else []
    graph = build_graph(data, settings, dems, report, say)
    if closures is not None:
        say("applying closures", 0.9)
        apply_closures(graph, closures, settings, report)
    if graph.number_of_edges() == 0:
        raise NetworkError(
            f"{name}: no routable ways left (of {report.ways_read} read); is this the right area?"
        )
    say("network ready", 1.0)
    return Network(graph, report, fingerprint(graph), places)


def check_network_file(path: str | os.PathLike[str]) -> list[Problem]:
    """Return why ``path`` cannot be a network file (missing, a folder, a wrong type), if so.

    Cheap (nothing is read), so that a wrong file is reported before any slow work.
    """
    path = Path(path)
    if not path.exists():
        fix = "check the path, or download an area with --place / --bbox"
        return [Problem("network file not found", fix, file=str(path), code="map_not_found")]
    if path.is_dir():
        fix = "give the .osm, .osm.bz2, .osm.pbf or .graphml file inside it"
        return [
            Problem("this is a folder, not a network file", fix, file=str(path), code="map_folder")
        ]
    if not (is_osm_file(path) or path.name.lower().endswith(".graphml")):
        return [
            Problem(
                f"unknown network file type {''.join(path.suffixes) or path.name!r}",
                "give an .osm, .osm.bz2, .osm.pbf or .graphml file",
                file=str(path),
                code="map_type_unknown",
                params={"suffix": "".join(path.suffixes) or path.name},
            )
        ]
    return []


def _existing(path: Path) -> Path:
    problems = check_network_file(path)
    if problems:
        raise InputDataError(problems)
    return path


def _reload(
    path: Path,
    settings: NetworkSettings,
    dem: DemSource | None,
    closures: str | os.PathLike[str] | None,
    say: Progress,
) -> Network:
    """Load a saved GraphML; a DEM is not applied (warned), closures are."""
    say(f"reading {path.name}", 0.0)
    net = read_graphml(path, settings)
    if dem is not None:
        net.report.problems.append(
            Problem(
                "a DEM is applied when the network is built from OSM, not to a saved GraphML",
                "rebuild from the .osm/.pbf file with --dem",
                file=path.name,
                severity="warning",
            )
        )
    if closures is not None:
        say("applying closures", 0.9)
        apply_closures(net.graph, closures, settings, net.report)
        net.fingerprint = fingerprint(net.graph)
    say("network ready", 1.0)
    return net


def _read_file(path: Path, say: Progress) -> tuple[OsmData, str, dict[str, tuple[float, float]]]:
    """Read the ways of a local OSM file; return them, the file's name and its places."""
    say(f"reading {path.name}", 0.0)
    data = read_osm(path, progress=say)
    return data, path.name, read_places(path)


def _read_dems(dem: DemSource, data: OsmData, report: NetworkReport) -> list[Dem]:
    """Read the DEM tile(s) around the nodes of ``data``."""
    from .elevation import read_dem

    paths = [dem] if isinstance(dem, str | os.PathLike) else list(dem)
    if data.coords:
        xy = np.array(list(data.coords.values()))
        bounds = (
            float(xy[:, 0].min()),
            float(xy[:, 1].min()),
            float(xy[:, 0].max()),
            float(xy[:, 1].max()),
        )
    else:
        bounds = None
    dems = [read_dem(p, bounds=bounds) for p in paths]
    report.elevation_source = ", ".join(d.name for d in dems)
    report.dem_voids_filled = sum(d.voids_filled for d in dems)
    return dems
