"""Downloads: an area from OpenStreetMap through osmnx, turned back into OSM ways.

osmnx downloads the ways of :data:`~routeplan.network.CUSTOM_FILTER_CLASSES` by place
name, bounding box or polygon, unsimplified, with ``all_oneway`` so that each way keeps
its node order and its own ``oneway`` tag. The result is read back into the
:class:`~routeplan.network.osmfile.OsmData` a local file gives, so a download and an
extract of the same area build the same network.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from ..config import NetworkSettings
from ..errors import InputDataError, NetworkError
from .access import CUSTOM_FILTER_CLASSES, WAY_TAGS
from .model import BBox, Place
from .osmfile import OsmData, RawWay

if TYPE_CHECKING:
    import networkx as nx

    from .model import Progress

__all__ = ["custom_filter", "download", "osmdata_from_osmnx"]


def custom_filter(settings: NetworkSettings = NetworkSettings()) -> str:  # noqa: B008
    """Return the Overpass way filter for downloads: every class a volunteer travels on."""
    classes = sorted(set(CUSTOM_FILTER_CLASSES) | set(settings.motorbike_kmh))
    return f'["highway"~"^({"|".join(classes)})$"]'


def download(source: Any, say: Progress) -> tuple[OsmData, str]:
    """Download ``source`` (:class:`Place`, :class:`BBox` or W,S,E,N, polygon) with osmnx.

    Returns the ways and nodes, and a name for the source. osmnx's settings are
    restored afterwards.

    Raises
    ------
    NetworkError
        The download failed.
    TypeError
        ``source`` is none of the above.

    """
    import osmnx as ox

    if isinstance(source, tuple | list) and len(source) == 4:
        source = BBox(*(float(v) for v in source))
    saved = {
        k: getattr(ox.settings, k) for k in ("useful_tags_way", "useful_tags_node", "all_oneway")
    }
    try:
        # keep the tags travel times need; all_oneway keeps each way's node order and
        # its original oneway tag, so oneway is decided here per mode
        ox.settings.useful_tags_way = list(WAY_TAGS)
        ox.settings.useful_tags_node = ["ele", "ford", "highway"]
        ox.settings.all_oneway = True
        graph, name = _fetch(source, say)
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
    return osmdata_from_osmnx(graph), name


def _fetch(source: Any, say: Progress) -> tuple[nx.MultiDiGraph, str]:
    """Call osmnx for a place, a box or a polygon; return its graph and the source's name."""
    import osmnx as ox
    from shapely.geometry import MultiPolygon, Polygon

    kwargs: dict[str, Any] = {
        "network_type": "all",
        "simplify": False,
        "retain_all": True,
        "truncate_by_edge": True,
        "custom_filter": custom_filter(),
    }
    if isinstance(source, Place):
        say(f"downloading {source.name} from OpenStreetMap", 0.05)
        return ox.graph_from_place(source.name, **kwargs), source.name
    if isinstance(source, BBox):
        say("downloading the bounding box from OpenStreetMap", 0.05)
        graph = ox.graph_from_bbox((source.west, source.south, source.east, source.north), **kwargs)
        return graph, f"bbox {source.west},{source.south},{source.east},{source.north}"
    if isinstance(source, Polygon | MultiPolygon):
        say("downloading the polygon from OpenStreetMap", 0.05)
        return ox.graph_from_polygon(source, **kwargs), "polygon"
    raise TypeError(
        f"cannot load a network from {type(source).__name__}: give a path, Place, BBox or polygon"
    )


def osmdata_from_osmnx(graph: nx.MultiDiGraph) -> OsmData:
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
