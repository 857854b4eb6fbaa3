"""The road network: OpenStreetMap -> a routable graph with travel times per mode.

:func:`load_network` reads a local OSM file (.osm, .osm.bz2, .osm.pbf, via pyosmium),
downloads an area with osmnx, or reloads a GraphML file saved by :meth:`Network.save`
(so that later runs are offline). Real extracts are messy; the network is repaired
rather than refused, and every repair is counted in a :class:`NetworkReport`:

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
``surface`` and ``osmid``.

Travel-time model
-----------------
Every directed edge carries ``walk_s`` and ``ride_s`` in seconds.

``ride_s`` (motorbike): length / speed, where speed is ``motorbike_kmh[highway]``,
multiplied by ``unpaved_factor`` on unpaved surfaces (and on tracks with no surface
or ``tracktype`` above grade1), and capped by ``maxspeed``. Classes absent from
``motorbike_kmh`` (footway, steps, path, pedestrian, bridleway, cycleway) cannot be
ridden (``math.inf``); a ``path`` tagged ``motorcycle=yes`` or ``motor_vehicle=yes``
is ridden at the track speed. ``access=no/private`` (and ``motorcycle=no``...) forbid
riding; ``oneway`` forbids riding against the way. A ford adds ``ford_ride_s``.

``walk_s``: Tobler's hiking function (W. Tobler, *Three presentations on geographical
analysis and modeling*, NCGIA technical report 93-1, 1993), speed =
``walk_kmh * exp(-3.5 * (|s + 0.05| - 0.05))`` for slope ``s`` = rise / run, i.e.
``walk_kmh`` on the flat, fastest on a gentle 5 % descent and much slower uphill.
The two directions of a sloped edge therefore differ. Slopes come from node
elevations (``ele`` tags, or a DEM sampled every ~30 m along the road so a road over
a ridge is not flat; bridges and tunnels are graded straight between their ends) and
are capped at 100 %. Steps multiply the speed by ``steps_walk_factor``; a ford adds
``ford_walk_s``. Walking is allowed both ways on every way, oneway or not (tunnels,
bridges and roads without ``sidewalk`` tags included), except where ``foot=no`` (or
``private``...), and, unless ``foot=yes`` (or ``designated``...) says otherwise, on
motorways and on ways tagged ``access=no`` or ``motorroad=yes``. ``access=private``
alone does not stop walkers (a volunteer visiting a household up its private drive).
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import logging
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .. import __version__
from .._geo import haversine_m
from .._io import write_with
from ..config import NetworkSettings
from ..errors import InputDataError, NetworkError, Problem
from .osmfile import OsmData, RawWay, is_osm_file, read_osm
from .osmfile import read_places as _read_places
from .ways import each_way_once, way_key

if TYPE_CHECKING:
    import networkx as nx
    from shapely.geometry.base import BaseGeometry

    from .elevation import Dem

__all__ = [
    "CUSTOM_FILTER_CLASSES",
    "BBox",
    "Island",
    "Network",
    "NetworkReport",
    "Place",
    "each_way_once",
    "load_network",
    "read_places",
]

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]
FloatArray = npt.NDArray[np.float64]

DEM_STEP_M = 30.0  # sample a DEM this often along roads
MAX_SLOPE = 1.0  # slopes beyond 100 % are DEM noise

#: Classes that can be walked but never ridden (unless tagged otherwise, see module doc).
WALK_ONLY = ("footway", "path", "steps", "pedestrian", "bridleway", "cycleway")

#: Every ``highway`` class kept, for the download filter (plus ``motorbike_kmh`` keys).
CUSTOM_FILTER_CLASSES = (
    "motorway",
    "trunk",
    "primary",
    "secondary",
    "tertiary",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "track",
    "road",
    "motorway_link",
    "trunk_link",
    "primary_link",
    "secondary_link",
    "tertiary_link",
    *WALK_ONLY,
)

#: ``highway`` values that are not ways anyone travels on: dropped and counted.
NOT_ROUTABLE = frozenset(
    {
        "proposed",
        "construction",
        "abandoned",
        "disused",
        "razed",
        "planned",
        "platform",
        "bus_stop",
        "elevator",
        "services",
        "rest_area",
        "raceway",
        "bus_guideway",
        "busway",
        "corridor",
        "escalator",
        "no",
        "emergency_bay",
        "street_lamp",
        "traffic_signals",
        "turning_circle",
        "via_ferrata",
        "ladder",
        "stop",
        "give_way",
        "milestone",
        "speed_camera",
    }
)

#: Unknown ``highway`` values seen in the wild and the class they mean.
ALIASES = {
    "trail": "path",
    "footpath": "path",
    "foot": "footway",
    "walkway": "footway",
    "sidewalk": "footway",
    "crossing": "footway",
    "stairs": "steps",
    "stair": "steps",
    "staircase": "steps",
    "yes": "road",
    "unknown": "road",
    "minor": "unclassified",
    "byway": "track",
    "unsurfaced": "track",
    "dirt_road": "track",
    "dirt": "track",
    "farm": "track",
    "alley": "service",
    "driveway": "service",
    "lane": "residential",
}

UNPAVED = frozenset(
    {
        "unpaved",
        "compacted",
        "gravel",
        "fine_gravel",
        "pebblestone",
        "ground",
        "dirt",
        "earth",
        "grass",
        "mud",
        "sand",
        "rock",
        "rocks",
        "stone",
        "clay",
        "soil",
        "woodchips",
        "grass_paver",
        "unhewn_cobblestone",
        "salt",
        "ice",
        "snow",
    }
)
PAVED = frozenset(
    {
        "paved",
        "asphalt",
        "concrete",
        "concrete:plates",
        "concrete:lanes",
        "paving_stones",
        "sett",
        "cobblestone",
        "metal",
        "wood",
        "bricks",
        "chipseal",
    }
)
NO = frozenset({"no", "private", "agricultural", "forestry", "military", "discouraged"})
YES = frozenset({"yes", "designated", "permissive", "destination", "customers", "official"})
ONEWAY_FWD = frozenset({"yes", "true", "1"})
ONEWAY_BWD = frozenset({"-1", "reverse"})

#: Way tags kept from downloads (osmnx ``useful_tags_way``).
WAY_TAGS = (
    "highway",
    "name",
    "ref",
    "surface",
    "tracktype",
    "smoothness",
    "maxspeed",
    "oneway",
    "oneway:motorcycle",
    "junction",
    "access",
    "foot",
    "motorroad",
    "motorcycle",
    "motor_vehicle",
    "vehicle",
    "ford",
    "bridge",
    "tunnel",
    "area",
    "service",
    "layer",
)


# --- public data types -----------------------------------------------------------


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
        import networkx as nx

        g = self.graph
        h = nx.MultiDiGraph()
        h.graph.update(
            {
                "crs": g.graph.get("crs", "epsg:4326"),
                "created_with": f"routeplan {__version__}",
                "routeplan_report": self.report.to_json(),
                "routeplan_fingerprint": self.fingerprint,
                "routeplan_places": json.dumps(self.places, ensure_ascii=False),
            }
        )
        h.add_nodes_from(g.nodes(data=True))
        for u, v, k, d in g.edges(keys=True, data=True):
            attrs = dict(d)
            if "geometry" in attrs:
                attrs["geometry"] = _to_wkt(attrs["geometry"])
            h.add_edge(u, v, key=k, **attrs)
        return write_with(path, lambda tmp: nx.write_graphml(h, tmp))

    def summary(self) -> str:
        """Return a few lines a coordinator can read: size, km by class, repairs, heights."""
        return _summary(self)

    def km_by_class(self) -> dict[str, float]:
        """Kilometres of way per ``highway`` class (each way counted once, not per direction)."""
        km: dict[str, float] = defaultdict(float)
        for _, _, d in each_way_once(self.graph):
            km[d["highway"]] += d["length"] / 1000.0
        return dict(sorted(km.items(), key=lambda kv: -kv[1]))


def read_places(path: str | os.PathLike[str]) -> dict[str, tuple[float, float]]:
    """Place names (village, hamlet, town, ...) -> (lon, lat) from a local OSM file.

    See :func:`routeplan.network.osmfile.read_places` for the rules on duplicate names.
    """
    return _read_places(path)


# --- loading ---------------------------------------------------------------------

Source = str | os.PathLike[str] | Place | BBox | tuple[float, float, float, float] | Any


def load_network(
    source: Source,
    *,
    settings: NetworkSettings = NetworkSettings(),  # noqa: B008 (frozen)
    dem: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
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
        path = Path(source)
        if not path.exists():
            raise InputDataError(
                [
                    Problem(
                        "network file not found",
                        "check the path, or download an area with --place / --bbox",
                        file=str(path),
                    )
                ]
            )
        if path.name.lower().endswith(".graphml"):
            say(f"reading {path.name}", 0.0)
            net = _load_graphml(path, settings)
            if dem is not None:
                net.report.problems.append(
                    Problem(
                        "a DEM is applied when the network is built from OSM, not to a saved "
                        "GraphML",
                        "rebuild from the .osm/.pbf file with --dem",
                        file=path.name,
                        severity="warning",
                    )
                )
            if closures is not None:
                say("applying closures", 0.9)
                _apply_closures(net.graph, closures, settings, net.report)
                net.fingerprint = fingerprint(net.graph)
            say("network ready", 1.0)
            return net
        if not is_osm_file(path):
            raise InputDataError(
                [
                    Problem(
                        f"unknown network file type {path.suffix!r}",
                        "give an .osm, .osm.bz2, .osm.pbf or .graphml file",
                        file=path.name,
                    )
                ]
            )
        say(f"reading {path.name}", 0.0)
        data = read_osm(path, progress=say)
        name = path.name
        places = _read_places(path)
    else:
        data, name = _download(source, say)
        places = {}
    say("building the routable graph", 0.3)
    report = NetworkReport(source=name, settings=_settings_dict(settings))
    dems = _read_dems(dem, data, report) if dem is not None else []
    graph = _build(data, settings, dems, report, say)
    if closures is not None:
        say("applying closures", 0.9)
        _apply_closures(graph, closures, settings, report)
    if graph.number_of_edges() == 0:
        raise NetworkError(
            f"{name}: no routable ways left (of {report.ways_read} read); is this the right area?"
        )
    say("network ready", 1.0)
    return Network(graph, report, fingerprint(graph), places)


def _settings_dict(settings: NetworkSettings) -> dict[str, Any]:
    out = (
        asdict(settings)
        if not isinstance(settings.motorbike_kmh, Mapping)
        else {f.name: getattr(settings, f.name) for f in fields(settings)}
    )
    out["motorbike_kmh"] = dict(settings.motorbike_kmh)
    return out


def _read_dems(
    dem: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    data: OsmData,
    report: NetworkReport,
) -> list[Dem]:
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


# --- downloads -------------------------------------------------------------------


def custom_filter(settings: NetworkSettings = NetworkSettings()) -> str:  # noqa: B008
    """Return the Overpass way filter for downloads: every class a volunteer travels on."""
    classes = sorted(set(CUSTOM_FILTER_CLASSES) | set(settings.motorbike_kmh))
    return f'["highway"~"^({"|".join(classes)})$"]'


def _download(source: Any, say: Progress) -> tuple[OsmData, str]:
    import osmnx as ox
    from shapely.geometry import MultiPolygon, Polygon

    if isinstance(source, tuple | list) and len(source) == 4:
        source = BBox(*(float(v) for v in source))
    kwargs: dict[str, Any] = {
        "network_type": "all",
        "simplify": False,
        "retain_all": True,
        "truncate_by_edge": True,
        "custom_filter": custom_filter(),
    }
    saved = {
        k: getattr(ox.settings, k) for k in ("useful_tags_way", "useful_tags_node", "all_oneway")
    }
    try:
        # keep the tags travel times need; all_oneway keeps each way's node order and
        # its original oneway tag, so oneway is decided here per mode
        ox.settings.useful_tags_way = list(WAY_TAGS)
        ox.settings.useful_tags_node = ["ele", "ford", "highway"]
        ox.settings.all_oneway = True
        if isinstance(source, Place):
            say(f"downloading {source.name} from OpenStreetMap", 0.05)
            graph = ox.graph_from_place(source.name, **kwargs)
            name = source.name
        elif isinstance(source, BBox):
            say("downloading the bounding box from OpenStreetMap", 0.05)
            graph = ox.graph_from_bbox(
                (source.west, source.south, source.east, source.north), **kwargs
            )
            name = f"bbox {source.west},{source.south},{source.east},{source.north}"
        elif isinstance(source, Polygon | MultiPolygon):
            say("downloading the polygon from OpenStreetMap", 0.05)
            graph = ox.graph_from_polygon(source, **kwargs)
            name = "polygon"
        else:
            raise TypeError(
                f"cannot load a network from {type(source).__name__}: give a path, "
                "Place, BBox or polygon"
            )
    except (
        ox._errors.InsufficientResponseError,
        ox._errors.ResponseStatusCodeError,
        ValueError,
        OSError,
    ) as exc:
        if isinstance(exc, InputDataError):
            raise
        raise NetworkError(
            f"could not download the road network ({exc}). Check the place "
            "name and the internet connection, or give a local .osm.pbf "
            "extract (e.g. from download.geofabrik.de)"
        ) from exc
    finally:
        for k, v in saved.items():
            setattr(ox.settings, k, v)
    return _osmdata_from_osmnx(graph), name


def _osmdata_from_osmnx(graph: nx.MultiDiGraph) -> OsmData:
    """Turn an unsimplified osmnx graph (``all_oneway``) back into ways and nodes."""
    data = OsmData()
    for n, d in graph.nodes(data=True):
        data.coords[int(n)] = (float(d["x"]), float(d["y"]))
        tags = {k: str(d[k]) for k in ("ele", "ford") if k in d}
        if tags:
            data.node_tags[int(n)] = tags
    segs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    tags_of: dict[int, dict[str, str]] = {}
    for u, v, d in graph.edges(data=True):
        osmid = int(d["osmid"])
        if str(d.get("oneway", "")) in ("-1", "reverse", "T"):
            u, v = v, u  # osmnx reversed these ways' node order; restore it
        segs[osmid].append((int(u), int(v)))
        if osmid not in tags_of:
            tags_of[osmid] = {k: str(d[k]) for k in WAY_TAGS if k in d and d[k] is not None}
    for osmid, pairs in segs.items():
        for refs in _chain(pairs):
            data.ways.append(RawWay(osmid, refs, tags_of[osmid]))
    return data


def _chain(pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Join directed segments of one way into runs of nodes."""
    succ: dict[int, list[int]] = defaultdict(list)
    indeg: Counter[int] = Counter()
    for u, v in reversed(pairs):
        succ[u].append(v)
        indeg[v] += 1
    starts = [u for u, _ in pairs if len(succ[u]) > indeg[u]]
    runs = []
    for start in [*starts, *(u for u, _ in pairs)]:
        while succ[start]:
            run = [start]
            while succ[run[-1]]:
                run.append(succ[run[-1]].pop())
            runs.append(run)
    return runs


# --- building --------------------------------------------------------------------


@dataclass
class _Rule:
    """How one way may be travelled."""

    cls: str
    ride_fwd: bool
    ride_bwd: bool
    walk_fwd: bool
    walk_bwd: bool
    ride_kmh: float
    walk_factor: float
    ford: bool
    flat: bool  # bridge or tunnel: grade straight between its ends


def _classify(value: str, known: frozenset[str], report: NetworkReport) -> str | None:
    raw = value.split(";")[0].strip()
    hw = raw.lower()
    if not hw:
        report.untagged_dropped += 1
        return None
    if hw in known:
        if hw != raw:
            report.unknown_mapped[f"{raw} -> {hw}"] = (
                report.unknown_mapped.get(f"{raw} -> {hw}", 0) + 1
            )
        return hw
    if hw in NOT_ROUTABLE:
        report.not_routable_dropped[hw] = report.not_routable_dropped.get(hw, 0) + 1
        return None
    target = ALIASES.get(hw)
    if target is None:
        close = difflib.get_close_matches(hw, sorted(known), n=1, cutoff=0.8)
        target = close[0] if close else None
    if target is None:
        report.unknown_dropped[raw] = report.unknown_dropped.get(raw, 0) + 1
        return None
    key = f"{raw} -> {target}"
    report.unknown_mapped[key] = report.unknown_mapped.get(key, 0) + 1
    return target


def _maxspeed(value: str | None) -> float | None:
    if not value:
        return None
    m = re.match(r"\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$", value.split(";")[0])
    if not m:
        return None
    kmh = float(m.group(1)) * (1.609344 if m.group(2) == "mph" else 1.0)
    return kmh if kmh > 0 else None


def _first(tags: Mapping[str, str], keys: Iterable[str]) -> str | None:
    for k in keys:
        if k in tags:
            return tags[k].strip().lower()
    return None


def _rule(
    cls: str, tags: Mapping[str, str], settings: NetworkSettings, report: NetworkReport
) -> _Rule:
    kmh_table = settings.motorbike_kmh
    motor = _first(tags, ("motorcycle", "motor_vehicle", "vehicle", "access"))
    if cls in kmh_table and cls not in WALK_ONLY:
        kmh: float | None = kmh_table[cls]
    elif cls == "path" and _first(tags, ("motorcycle", "motor_vehicle")) in YES:
        kmh = kmh_table.get("track", 15.0)
    else:
        kmh = None
    rideable = kmh is not None
    if rideable and motor in NO:
        rideable = False
        report.no_motorbike_ways += 1
    foot = _first(tags, ("foot",))
    # without an explicit foot permission, access=no and motorroad=yes close a way to
    # walkers as well (OSM), and so does being a motorway
    closed = _first(tags, ("access",)) == "no" or _first(tags, ("motorroad",)) == "yes"
    walkable = foot not in NO and (
        foot in YES or not (closed or cls in ("motorway", "motorway_link"))
    )
    if foot in NO or (closed and not walkable):
        report.no_foot_ways += 1
    ride_fwd = ride_bwd = rideable
    oneway = tags.get("oneway", "").strip().lower()
    if rideable and tags.get("oneway:motorcycle", "").strip().lower() != "no":
        roundabout = tags.get("junction", "") in ("roundabout", "circular") and oneway != "no"
        if oneway in ONEWAY_FWD or roundabout:
            ride_bwd = False
            report.oneway_ways += 1
        elif oneway in ONEWAY_BWD:
            ride_fwd = False
            report.oneway_ways += 1
    speed = 0.0
    if rideable and kmh is not None:
        surface = tags.get("surface", "").strip().lower()
        tracktype = tags.get("tracktype", "").strip().lower()
        unpaved = surface in UNPAVED or (
            surface not in PAVED
            and (
                tracktype in ("grade2", "grade3", "grade4", "grade5")
                or (not surface and not tracktype and cls in ("track", "path"))
            )
        )
        speed = kmh * (settings.unpaved_factor if unpaved else 1.0)
        cap = _maxspeed(tags.get("maxspeed"))
        if cap is None:
            report.maxspeed_defaulted += 1
        else:
            speed = min(speed, cap)
    ford = tags.get("ford", "no").strip().lower() not in ("no", "")
    if ford:
        report.fords += 1
    if tags.get("area", "").strip().lower() == "yes":
        report.area_ways += 1
    return _Rule(
        cls=cls,
        ride_fwd=ride_fwd,
        ride_bwd=ride_bwd,
        walk_fwd=walkable,
        walk_bwd=walkable,
        ride_kmh=speed,
        walk_factor=settings.steps_walk_factor if cls == "steps" else 1.0,
        ford=ford,
        flat=tags.get("bridge", "no") not in ("no", "")
        or tags.get("tunnel", "no") not in ("no", ""),
    )


def tobler_s_per_m(slope: npt.ArrayLike, walk_kmh: float) -> FloatArray:
    """Seconds per metre walked on ``slope`` (rise/run): Tobler, ``walk_kmh`` on the flat."""
    s = np.clip(np.asarray(slope, dtype=np.float64), -MAX_SLOPE, MAX_SLOPE)
    speed = walk_kmh / 3.6 * np.exp(-3.5 * (np.abs(s + 0.05) - 0.05))
    out: FloatArray = np.asarray(1.0 / speed, dtype=np.float64)
    return out


def _build(
    data: OsmData, settings: NetworkSettings, dems: list[Dem], report: NetworkReport, say: Progress
) -> nx.MultiDiGraph:
    import shapely

    from .elevation import parse_ele, sample_dems

    known = frozenset(CUSTOM_FILTER_CLASSES) | frozenset(settings.motorbike_kmh)
    coords = data.coords
    report.ways_read = len({w.id for w in data.ways})

    # 1. classify ways; clip them to the nodes present; drop repeated nodes
    runs: list[list[int]] = []
    run_rule: list[_Rule] = []
    run_way: list[RawWay] = []
    used: set[int] = set()
    clipped: set[int] = set()
    for way in data.ways:
        cls = _classify(way.tags.get("highway", ""), known, report)
        if cls is None:
            continue
        rule = _rule(cls, way.tags, settings, report)
        if not (rule.walk_fwd or rule.ride_fwd or rule.walk_bwd or rule.ride_bwd):
            continue
        pieces: list[list[int]] = [[]]
        looped = False
        for ref in way.refs:
            if ref in coords:
                if pieces[-1] and pieces[-1][-1] == ref:
                    looped = True  # a segment from a node to itself
                    continue
                pieces[-1].append(ref)
            else:
                report.missing_nodes += 1
                clipped.add(way.id)
                if pieces[-1]:
                    pieces.append([])
        for piece in pieces:
            if len(piece) >= 2:
                runs.append(piece)
                run_rule.append(rule)
                run_way.append(way)
                used.add(way.id)
        report.self_loops_removed += looped
    report.clipped_way_ids = sorted(clipped)
    report.clipped_ways = len(clipped)
    report.ways_used = len(used)
    if not runs:
        return _empty_graph()

    # 2. node elevations: DEM first, then ele tags
    node_ids = np.array(sorted({r for run in runs for r in run}), dtype=np.int64)
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

    # 3. flatten runs into segments
    run_len = np.array([len(r) for r in runs])
    flat_idx = np.fromiter(
        (index[r] for run in runs for r in run), dtype=np.intp, count=int(run_len.sum())
    )
    run_start = np.concatenate([[0], np.cumsum(run_len)[:-1]])
    is_last = np.zeros(len(flat_idx), dtype=bool)
    is_last[run_start + run_len - 1] = True
    seg_a = np.nonzero(~is_last)[0]  # segment k goes flat_idx[seg_a[k]] -> next
    a_idx, b_idx = flat_idx[seg_a], flat_idx[seg_a + 1]
    seg_len = haversine_m(lon[a_idx], lat[a_idx], lon[b_idx], lat[b_idx])
    seg_run = np.repeat(np.arange(len(runs)), run_len - 1)
    run_seg_start = run_start - np.arange(len(runs))  # first segment of each run

    # per-run elevation profile: interpolate along the way where nodes lack heights
    prof = ele[flat_idx]
    if np.isnan(prof).any() and np.isfinite(prof).any():
        cum = np.zeros(len(flat_idx))
        cum[seg_a + 1] = seg_len
        for s0, n in zip(run_start, run_len, strict=True):
            p = prof[s0 : s0 + n]
            known_p = np.isfinite(p)
            if known_p.any() and not known_p.all():
                d = np.cumsum(cum[s0 : s0 + n])  # distance along the way
                prof[s0 : s0 + n] = np.interp(d, d[known_p], p[known_p])
    z0, z1 = prof[seg_a], prof[seg_a + 1]
    no_z = np.isnan(z0) | np.isnan(z1)
    z0 = np.where(no_z, 0.0, z0)
    z1 = np.where(no_z, 0.0, z1)

    # 4. walking seconds per segment, both ways, along a DEM profile when given
    flat_run = np.array([r.flat for r in run_rule])
    n_sub = np.ones(len(seg_a), dtype=np.intp)
    if dems:
        n_sub = np.maximum(1, np.ceil(seg_len / DEM_STEP_M).astype(np.intp))
        n_sub[flat_run[seg_run] | no_z] = 1
    sub_seg = np.repeat(np.arange(len(seg_a)), n_sub)
    sub_first = np.concatenate([[0], np.cumsum(n_sub)[:-1]])
    t0 = (np.arange(len(sub_seg)) - sub_first[sub_seg]) / n_sub[sub_seg]
    t1 = t0 + 1.0 / n_sub[sub_seg]
    za = z0[sub_seg] + (z1 - z0)[sub_seg] * t0
    zb = z0[sub_seg] + (z1 - z0)[sub_seg] * t1
    if dems:
        inner = np.nonzero(t1 < 1.0 - 1e-9)[0]  # sub-segment ends that are not nodes
        if len(inner):
            s = sub_seg[inner]
            lo = lon[a_idx[s]] + (lon[b_idx[s]] - lon[a_idx[s]]) * t1[inner]
            la = lat[a_idx[s]] + (lat[b_idx[s]] - lat[a_idx[s]]) * t1[inner]
            z = sample_dems(dems, lo, la)
            ok = np.isfinite(z)
            zb[inner[ok]] = z[ok]
            za[inner[ok] + 1] = z[ok]
    sub_len = seg_len[sub_seg] / n_sub[sub_seg]
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = np.where(sub_len > 0, (zb - za) / np.maximum(sub_len, 1e-9), 0.0)
    walk_fwd_seg = (
        np.add.reduceat(sub_len * tobler_s_per_m(slope, settings.walk_kmh), sub_first)
        if len(sub_first)
        else np.zeros(0)
    )
    walk_bwd_seg = (
        np.add.reduceat(sub_len * tobler_s_per_m(-slope, settings.walk_kmh), sub_first)
        if len(sub_first)
        else np.zeros(0)
    )
    ford_seg = np.zeros(len(seg_a))
    pos = np.nonzero(ford_node[flat_idx])[0]
    if len(pos):
        run_of_pos = np.searchsorted(run_start, pos, side="right") - 1
        j = pos - run_start[run_of_pos]
        j = np.minimum(j, run_len[run_of_pos] - 2)
        np.add.at(ford_seg, run_seg_start[run_of_pos] + j, 1.0)

    # 5. cut runs into edges at junctions; split closed loops in two
    occurrences = np.bincount(flat_idx, minlength=len(node_ids))
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

    # 6. islands: connected parts with few OSM nodes
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    e_run = np.array([e[0] for e in edges], dtype=np.intp)
    e_a = np.array([e[1] for e in edges], dtype=np.intp)
    e_b = np.array([e[2] for e in edges], dtype=np.intp)
    e_u = flat_idx[run_start[e_run] + e_a]
    e_v = flat_idx[run_start[e_run] + e_b]
    n_nodes = len(node_ids)
    adj = coo_matrix((np.ones(len(edges)), (e_u, e_v)), shape=(n_nodes, n_nodes))
    n_comp, label = connected_components(adj, directed=False)
    in_graph = np.zeros(n_nodes, dtype=bool)
    in_graph[e_u] = True
    in_graph[e_v] = True
    comp_nodes = np.bincount(label[in_graph], minlength=n_comp)
    comp_nodes += np.bincount(
        label[e_u], weights=np.maximum(e_b - e_a - 1, 0), minlength=n_comp
    ).astype(np.int64)
    real = comp_nodes > 0
    small = (comp_nodes < settings.min_island_nodes) & real
    if small.any() and not small[real].all():
        for c in np.nonzero(small)[0]:
            members = np.nonzero(in_graph & (label == c))[0]
            report.islands.append(
                Island(
                    int(comp_nodes[c]),
                    round(float(lon[members].mean()), 6),
                    round(float(lat[members].mean()), 6),
                )
            )
        report.islands.sort(key=lambda i: (-i.nodes, i.lon, i.lat))
    elif small.any():
        log.warning(
            "every part of the network is smaller than min_island_nodes=%d; keeping them all",
            settings.min_island_nodes,
        )
        small[:] = False
    keep = ~small[label[e_u]]

    # 7. the graph
    say("assembling the graph", 0.7)
    seg_start_e = run_seg_start[e_run] + e_a
    seg_end_e = run_seg_start[e_run] + e_b  # exclusive
    c_len, c_wf, c_wb, c_ford = (
        np.concatenate([[0.0], np.cumsum(arr)])
        for arr in (seg_len, walk_fwd_seg, walk_bwd_seg, ford_seg)
    )
    e_len = c_len[seg_end_e] - c_len[seg_start_e]
    e_wf = c_wf[seg_end_e] - c_wf[seg_start_e]
    e_wb = c_wb[seg_end_e] - c_wb[seg_start_e]
    e_ford = c_ford[seg_end_e] - c_ford[seg_start_e]
    n_pts = e_b - e_a + 1
    bends = n_pts > 2
    bend_ix = np.nonzero(bends)[0]
    geoms: dict[int, BaseGeometry] = {}
    if len(bend_ix):
        starts = run_start[e_run[bend_ix]] + e_a[bend_ix]
        counts = n_pts[bend_ix]
        pos_ix = np.repeat(starts, counts) + (
            np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        )
        pts = flat_idx[pos_ix]
        lines = shapely.linestrings(
            lon[pts], lat[pts], indices=np.repeat(np.arange(len(bend_ix)), counts)
        )
        geoms = dict(zip(bend_ix.tolist(), lines, strict=True))

    g = _empty_graph()
    for ni in np.nonzero(in_graph)[0].tolist():
        attrs: dict[str, Any] = {"x": float(lon[ni]), "y": float(lat[ni])}
        if not np.isnan(ele[ni]):
            attrs["elevation"] = round(float(ele[ni]), 1)
        g.add_node(int(node_ids[ni]), **attrs)
    for k in np.nonzero(keep)[0]:
        rule = run_rule[e_run[k]]
        way = run_way[e_run[k]]
        length = float(e_len[k])
        fords = float(e_ford[k]) + (1.0 if rule.ford else 0.0)
        ride = (
            length / (rule.ride_kmh / 3.6) + fords * settings.ford_ride_s
            if rule.ride_kmh > 0
            else math.inf
        )
        base: dict[str, Any] = {"osmid": way.id, "highway": rule.cls}
        for tag in ("name", "surface"):
            if tag in way.tags:
                base[tag] = way.tags[tag]
        base["length"] = length
        u, v = int(node_ids[e_u[k]]), int(node_ids[e_v[k]])
        geom = geoms.get(int(k))
        for rev, walk_ok, ride_ok, walk in (
            (False, rule.walk_fwd, rule.ride_fwd, e_wf[k]),
            (True, rule.walk_bwd, rule.ride_bwd, e_wb[k]),
        ):
            if not (walk_ok or ride_ok):
                continue
            attrs = dict(base)
            attrs["walk_s"] = (
                float(walk) / rule.walk_factor + fords * settings.ford_walk_s
                if walk_ok
                else math.inf
            )
            attrs["ride_s"] = ride if ride_ok else math.inf
            attrs["reversed"] = rev
            if geom is not None:
                attrs["geometry"] = shapely.reverse(geom) if rev else geom
            if rev:
                g.add_edge(v, u, **attrs)
            else:
                g.add_edge(u, v, **attrs)
    g.remove_nodes_from([n for n in list(g.nodes) if g.degree(n) == 0])
    elevs = [d["elevation"] for _, d in g.nodes(data=True) if "elevation" in d]
    report.nodes_with_elevation = len(elevs)
    report.nodes_without_elevation = g.number_of_nodes() - len(elevs)
    if elevs:
        report.elevation_min = float(min(elevs))
        report.elevation_max = float(max(elevs))
    return g


def _empty_graph() -> nx.MultiDiGraph:
    import networkx as nx

    return nx.MultiDiGraph(crs="epsg:4326", created_with=f"routeplan {__version__}")


# --- closures --------------------------------------------------------------------

_WAY_ID = re.compile(r"(?:^|[/\s,;])(?:w|way[/:\s]?)?\s*(\d{1,15})\s*$", re.IGNORECASE)


def _apply_closures(
    graph: nx.MultiDiGraph,
    closures: str | os.PathLike[str],
    settings: NetworkSettings,
    report: NetworkReport,
) -> None:
    path = Path(closures)
    if not path.exists():
        raise InputDataError([Problem("closures file not found", "check the path", file=str(path))])
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ""):
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
    import geopandas as gpd
    import shapely
    from shapely.geometry import LineString

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
    lines = lines[lines.geometry.notna() & ~lines.geometry.is_empty]
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
    utm = lines.to_crs("EPSG:4326").estimate_utm_crs()
    tol = settings.closure_tolerance_m
    zone = lines.to_crs(utm).geometry.buffer(tol).union_all()
    edges = list(graph.edges(keys=True, data=True))
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
    hit = shapely.intersects(test, zone)
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


# --- GraphML, fingerprint, summary -----------------------------------------------


def _load_graphml(path: Path, settings: NetworkSettings) -> Network:
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
    for d, geom in zip(with_geom, _from_wkt([d["geometry"] for d in with_geom]), strict=True):
        d["geometry"] = geom
    if report.settings and report.settings != _settings_dict(settings):
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


def _to_wkt(geom: BaseGeometry) -> str:
    """WKT with every digit (shapely's writer rounds or is slow)."""
    if geom.geom_type != "LineString":
        return str(geom.wkt)
    return "LINESTRING (" + ", ".join(f"{x!r} {y!r}" for x, y in geom.coords) + ")"


def _from_wkt(texts: list[str]) -> list[BaseGeometry]:
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


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _summary(net: Network) -> str:
    g, r = net.graph, net.report
    km = net.km_by_class()
    total = sum(km.values())
    ride_km = walk_km = 0.0
    rideable = {way_key(u, v, d) for u, v, d in g.edges(data=True) if math.isfinite(d["ride_s"])}
    for u, v, d in each_way_once(g):
        if way_key(u, v, d) in rideable:
            ride_km += d["length"] / 1000
        else:
            walk_km += d["length"] / 1000
    lines = [
        f"Road network from {r.source}",
        f"  {g.number_of_nodes():,} nodes, {g.number_of_edges():,} directed edges, "
        f"{total:,.1f} km of ways ({r.ways_used:,} of {r.ways_read:,} OSM ways used)",
        "  by class: " + ", ".join(f"{k} {v:,.1f} km" for k, v in km.items()),
        f"  motorbike: {ride_km:,.1f} km rideable; {walk_km:,.1f} km on foot only",
    ]
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
    lines.append("  repaired: " + ("; ".join(repairs) if repairs else "nothing"))
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
    if rules:
        lines.append("  ways: " + ", ".join(rules))
    if r.islands:
        big = r.islands[0]
        lines.append(
            f"  islands removed: {len(r.islands)} ({_n(r.island_nodes, 'OSM node')}; "
            f"largest {big.nodes} nodes near {big.lon:.5f}, {big.lat:.5f})"
        )
    else:
        lines.append("  islands removed: none")
    if r.elevation_min is not None and r.elevation_max is not None:
        extra = f", {r.dem_voids_filled:,} void cells filled" if r.dem_voids_filled else ""
        missing = (
            f", {r.nodes_without_elevation:,} nodes without" if r.nodes_without_elevation else ""
        )
        lines.append(
            f"  elevation: {r.elevation_min:,.0f}-{r.elevation_max:,.0f} m from "
            f"{r.elevation_source}{extra}{missing}"
        )
    else:
        lines.append("  elevation: unknown (walking times assume flat ground; give --dem)")
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
