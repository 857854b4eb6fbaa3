"""GraphML files: save a :class:`~routeplan.network.Network` and load it back, offline.

The graph attributes carry what is not in the graph itself: the
:class:`~routeplan.network.NetworkReport` (as JSON), the fingerprint, the named
places and the routeplan version. Edge geometries are written as WKT with every digit,
so a reloaded network has the same fingerprint and the same travel times.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .. import __version__
from .._io import write_with
from ..config import NetworkSettings
from ..errors import InputDataError, Problem
from .model import Network, NetworkReport, fingerprint, settings_dict

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

__all__ = ["from_wkt", "read_graphml", "to_wkt", "write_graphml"]

log = logging.getLogger(__name__)


def write_graphml(net: Network, path: str | os.PathLike[str]) -> Path:
    """Write ``net`` as GraphML (atomically), see :meth:`Network.save`."""
    import networkx as nx

    g = net.graph
    h = nx.MultiDiGraph()
    h.graph.update(
        {
            "crs": g.graph.get("crs", "epsg:4326"),
            "created_with": f"routeplan {__version__}",
            "routeplan_report": net.report.to_json(),
            "routeplan_fingerprint": net.fingerprint,
            "routeplan_places": json.dumps(net.places, ensure_ascii=False),
        }
    )
    h.add_nodes_from(g.nodes(data=True))
    for u, v, k, d in g.edges(keys=True, data=True):
        attrs = dict(d)
        if "geometry" in attrs:
            attrs["geometry"] = to_wkt(attrs["geometry"])
        h.add_edge(u, v, key=k, **attrs)
    return write_with(path, lambda tmp: nx.write_graphml(h, tmp))


def read_graphml(path: Path, settings: NetworkSettings) -> Network:
    """Load a network saved by :func:`write_graphml`; warn if ``settings`` differ from its own."""
    import networkx as nx

    try:
        g = nx.read_graphml(path, node_type=int, force_multigraph=True)
    except Exception as exc:  # ElementTree / networkx raise several kinds
        raise InputDataError(
            [
                Problem(
                    f"cannot read this GraphML file ({exc})",
                    "rebuild it with `routeplan network ... --out`",
                    file=path.name,
                    code="graphml_unreadable",
                    params={"detail": str(exc)},
                )
            ]
        ) from None
    if "routeplan_report" not in g.graph:
        raise InputDataError(
            [
                Problem(
                    "this GraphML was not saved by routeplan (no travel times)",
                    "build it with `routeplan network FILE.osm.pbf --out graph.graphml`",
                    file=path.name,
                    code="graphml_foreign",
                )
            ]
        )
    report = NetworkReport.from_json(g.graph.pop("routeplan_report"))
    stored = g.graph.pop("routeplan_fingerprint", None)
    places = {
        str(k): (float(v[0]), float(v[1]))
        for k, v in json.loads(g.graph.pop("routeplan_places", "{}")).items()
    }
    with_geom = [d for _, _, d in g.edges(data=True) if "geometry" in d]
    for d, geom in zip(with_geom, from_wkt([d["geometry"] for d in with_geom]), strict=True):
        d["geometry"] = geom
    if report.settings and report.settings != settings_dict(settings):
        report.problems.append(
            Problem(
                "the network was built with other network settings; its travel times are "
                "those of the old settings",
                "rebuild it from the OSM file",
                file=path.name,
                severity="warning",
            )
        )
    fp = fingerprint(g)
    if stored is not None and stored != fp:
        log.warning("%s: fingerprint changed on reload (%s != %s)", path.name, stored, fp)
    return Network(g, report, fp, places)


def to_wkt(geom: BaseGeometry) -> str:
    """WKT with every digit (shapely's writer rounds or is slow)."""
    if geom.geom_type != "LineString":
        return str(geom.wkt)
    return "LINESTRING (" + ", ".join(f"{x!r} {y!r}" for x, y in geom.coords) + ")"


def from_wkt(texts: list[str]) -> list[BaseGeometry]:
    """Parse our WKT LineStrings fast (GEOS' WKT reader is slow); others via shapely."""
    import shapely

    head = "LINESTRING ("
    ours = [i for i, t in enumerate(texts) if t.startswith(head) and t.endswith(")")]
    out: list[BaseGeometry] = list(
        shapely.from_wkt(
            [t if not (t.startswith(head) and t.endswith(")")) else "POINT EMPTY" for t in texts]
        )
    )
    if ours:
        bodies = [texts[i][len(head) : -1] for i in ours]
        counts = np.array([b.count(",") + 1 for b in bodies])
        xy = np.array(" ".join(bodies).replace(",", " ").split(), dtype=np.float64)
        lines = shapely.linestrings(
            xy.reshape(-1, 2), indices=np.repeat(np.arange(len(bodies)), counts)
        )
        for i, line in zip(ours, lines, strict=True):
            out[i] = line
    return out
