"""Hand-made road graphs and points for the matrix tests (metres east and north of an origin)."""

from __future__ import annotations

import itertools
import math
import types

import geopandas as gpd
import networkx as nx
from shapely.geometry import LineString, Point

from routeplan.config import NetworkSettings
from routeplan.matrix import TravelMatrix

LON0, LAT0 = 108.05, 16.12
M_LAT = 111_195.0  # metres per degree of latitude (the matrix's sphere)
M_LON = M_LAT * math.cos(math.radians(LAT0))
WALK = 1.25  # m/s, 4.5 km/h: the default walk_kmh
SETTINGS = NetworkSettings()


def at(x_m: float, y_m: float) -> tuple[float, float]:
    """Lon/lat of a spot x_m east and y_m north of the origin."""
    return (LON0 + x_m / M_LON, LAT0 + y_m / M_LAT)


class Ways:
    """A hand-made osmnx-form graph: nodes in metres, ways with speeds per direction."""

    def __init__(self) -> None:
        self.g = nx.MultiDiGraph(crs="epsg:4326")
        self.osmid = 0

    def node(self, n: int, x_m: float, y_m: float) -> None:
        lon, lat = at(x_m, y_m)
        self.g.add_node(n, x=lon, y=lat)

    def way(
        self,
        u: int,
        v: int,
        *,
        walk: float = WALK,
        back_walk: float | None = None,
        ride: float | None = None,
        oneway: bool = False,
        bends: tuple = (),
        walk_oneway: bool = False,
    ) -> None:
        """Add u-v; ``walk``/``ride`` in m/s (``ride=None``: cannot be ridden)."""
        self.osmid += 1
        xy = [self._xy(u), *bends, self._xy(v)]
        length = sum(math.dist(a, b) for a, b in itertools.pairwise(xy))
        lonlat = [at(*p) for p in xy]
        for a, b, line, w, forward in (
            (u, v, lonlat, walk, True),
            (v, u, lonlat[::-1], back_walk or walk, False),
        ):
            if not forward and oneway and walk_oneway:
                continue
            r = math.inf if ride is None or (oneway and not forward) else length / ride
            attrs = {
                "osmid": self.osmid,
                "highway": "residential" if ride else "path",
                "length": length,
                "walk_s": length / w,
                "ride_s": r,
                "reversed": not forward,
            }
            if bends:
                attrs["geometry"] = LineString(line)
            self.g.add_edge(a, b, **attrs)

    def _xy(self, n: int) -> tuple[float, float]:
        d = self.g.nodes[n]
        return ((d["x"] - LON0) * M_LON, (d["y"] - LAT0) * M_LAT)

    def network(self) -> types.SimpleNamespace:
        from routeplan.network import fingerprint

        return types.SimpleNamespace(graph=self.g, fingerprint=fingerprint(self.g))


def pts(**where: tuple[float, float]) -> gpd.GeoDataFrame:
    """Points frame from id=(x_m, y_m)."""
    return gpd.GeoDataFrame(
        {"point_id": list(where), "kind": ["household"] * len(where)},
        geometry=[Point(*at(*xy)) for xy in where.values()],
        crs="EPSG:4326",
    )


def cell(m: TravelMatrix, a: str, b: str) -> int:
    return int(m.seconds[m.index(a), m.index(b)])


def track_shortcut(track_s: float = 125.0) -> Ways:
    """A paved square (0,0)-(0,1000)-(1000,1000)-(1000,0) whose south side is a track.

    Ridden at 10 m/s on the paved sides; the track (1 km) takes ``track_s`` seconds by
    motorbike. From near (0, 0) to (1000, 500) the track saves 1 km of paved road.
    """
    w = Ways()
    for n, xy in enumerate(((0, 0), (0, 1000), (1000, 1000), (1000, 0))):
        w.node(n, *xy)
    w.way(0, 1, ride=10.0)
    w.way(1, 2, ride=10.0)
    w.way(2, 3, ride=10.0)
    w.way(0, 3, ride=1000.0 / track_s)
    for u, v in ((0, 3), (3, 0)):
        w.g.edges[u, v, 0]["highway"] = "track"
    return w
