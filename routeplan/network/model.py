"""The network's data types: areas to download, the built :class:`Network` and its report.

Also :func:`fingerprint`, the stable hash of a graph that keys travel-time caches, and
:func:`settings_dict`, the network settings as stored in a :class:`NetworkReport`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..config import NetworkSettings
from ..errors import InputDataError, Problem
from .report import km_by_class, summary

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "BBox",
    "Island",
    "Network",
    "NetworkReport",
    "Place",
    "Progress",
    "fingerprint",
    "settings_dict",
]

#: Called with (message, fraction 0..1) as the work advances.
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Place:
    """An area to download from OpenStreetMap by name (geocoded by Nominatim)."""

    name: str


@dataclass(frozen=True)
class BBox:
    """An area to download, as (west, south, east, north) in degrees."""

    west: float
    south: float
    east: float
    north: float

    def __post_init__(self) -> None:
        problems = []
        if not (-180 <= self.west < self.east <= 180):
            problems.append(
                Problem(
                    f"west {self.west} must be less than east {self.east}, both in -180..180",
                    "give the box as W,S,E,N",
                )
            )
        if not (-90 <= self.south < self.north <= 90):
            problems.append(
                Problem(
                    f"south {self.south} must be less than north {self.north}, both in -90..90",
                    "give the box as W,S,E,N (longitude first)",
                )
            )
        if problems:
            raise InputDataError(problems, subject="bounding box")


@dataclass(frozen=True)
class Island:
    """A disconnected part of the network that was removed."""

    nodes: int
    lon: float
    lat: float


@dataclass
class NetworkReport:
    """What was read, repaired and removed while building a :class:`Network`.

    Counts are of OSM ways unless they say otherwise. Everything here is plain data
    (saved with the GraphML file and restored on reload).
    """

    source: str = ""
    ways_read: int = 0
    ways_used: int = 0
    clipped_ways: int = 0
    clipped_way_ids: list[int] = field(default_factory=list)
    missing_nodes: int = 0
    untagged_dropped: int = 0
    unknown_mapped: dict[str, int] = field(default_factory=dict)  # "trail -> path": n
    unknown_dropped: dict[str, int] = field(default_factory=dict)
    not_routable_dropped: dict[str, int] = field(default_factory=dict)
    maxspeed_defaulted: int = 0
    self_loops_removed: int = 0
    oneway_ways: int = 0
    area_ways: int = 0
    no_motorbike_ways: int = 0  # access=no/private, motorcycle=no...
    no_foot_ways: int = 0
    fords: int = 0
    islands: list[Island] = field(default_factory=list)
    elevation_source: str = "none"
    nodes_with_elevation: int = 0
    nodes_without_elevation: int = 0
    bad_ele_tags: int = 0
    dem_voids_filled: int = 0
    elevation_min: float | None = None
    elevation_max: float | None = None
    closed_way_ids: list[int] = field(default_factory=list)
    closed_edges: int = 0
    settings: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def island_nodes(self) -> int:
        """OSM nodes in all removed islands."""
        return sum(i.nodes for i in self.islands)

    def to_json(self) -> str:
        """Return the report as JSON (saved in the GraphML file)."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> NetworkReport:
        """Rebuild a report saved by :meth:`to_json`; unknown keys are ignored."""
        raw = json.loads(text)
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in raw.items() if k in known}
        data["islands"] = [Island(**i) for i in data.get("islands", [])]
        data["problems"] = [Problem(**p) for p in data.get("problems", [])]
        return cls(**data)


@dataclass
class Network:
    """A routable road network in osmnx form with travel times per mode.

    Attributes
    ----------
    graph
        ``networkx.MultiDiGraph``; ``graph.graph["crs"] == "epsg:4326"``. Nodes have
        ``x``, ``y`` (lon, lat) and ``elevation`` (m) when known. Edges have ``osmid``
        (int), ``highway`` (str), ``length`` (m), ``walk_s`` and ``ride_s`` (float
        seconds, ``math.inf`` where that mode cannot pass), ``reversed`` (against the
        way's node order), ``geometry`` (LineString, only when the edge bends),
        ``name`` and ``surface`` when tagged.
    report
        What was repaired and removed.
    fingerprint
        Stable hash of nodes and edge weights, a cache key for travel-time matrices.
    places
        Named places of the OSM file (village, hamlet...) -> (lon, lat), see
        :func:`read_places`; kept in the GraphML file. Empty for downloads.

    """

    graph: nx.MultiDiGraph
    report: NetworkReport
    fingerprint: str
    places: dict[str, tuple[float, float]] = field(default_factory=dict)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the network as GraphML (atomically); reload with :func:`load_network`."""
        from .graphml import write_graphml  # graphml builds Networks: imported here

        return write_graphml(self, path)

    def summary(self) -> str:
        """Return a few lines a coordinator can read: size, km by class, repairs, heights."""
        return summary(self)

    def km_by_class(self) -> dict[str, float]:
        """Kilometres of way per ``highway`` class (each way counted once, not per direction)."""
        return km_by_class(self.graph)


def settings_dict(settings: NetworkSettings) -> dict[str, Any]:
    """Return the network settings as plain data, as kept in :attr:`NetworkReport.settings`."""
    out = (
        asdict(settings)
        if not isinstance(settings.motorbike_kmh, Mapping)
        else {f.name: getattr(settings, f.name) for f in fields(settings)}
    )
    out["motorbike_kmh"] = dict(settings.motorbike_kmh)
    return out


def fingerprint(graph: nx.MultiDiGraph) -> str:
    """Stable hash of the nodes (id, x, y) and edges (u, v, key, osmid, length, times)."""
    h = hashlib.sha256()
    nodes = sorted(graph.nodes(data=True), key=lambda nd: nd[0])
    h.update(np.array([n for n, _ in nodes], dtype=np.int64).tobytes())
    h.update(np.array([(d["x"], d["y"]) for _, d in nodes], dtype=np.float64).tobytes())
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    h.update(
        np.array([(u, v, k, int(d["osmid"])) for u, v, k, d in edges], dtype=np.int64).tobytes()
    )
    h.update(
        np.array(
            [(d["length"], d["walk_s"], d["ride_s"]) for _, _, _, d in edges], dtype=np.float64
        ).tobytes()
    )
    return h.hexdigest()[:16]
