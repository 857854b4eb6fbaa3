"""The hand-made commune of the coverage tests: a valley on a line, a fake matrix and road.

Positions are km along the valley; motorbike 1 min/km, walking 4 min/km.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
from shapely.geometry import Point

UNREACHABLE = 2**31 - 1


@dataclass
class FakeMatrix:
    """Stand-in for routeplan.matrix.TravelMatrix (same attributes)."""

    ids: tuple[str, ...]
    seconds: np.ndarray
    mode: str
    snaps: pd.DataFrame = field(default_factory=pd.DataFrame)

    def index(self, point_id: str) -> int:
        return self.ids.index(point_id)


POS = {  # km along the valley
    "H1": 2,
    "H2": 10,
    "H3": 20,
    "H4": 40,
    "H5": 85,
    "H6": None,
    "sp:P1": 0,
    "sp:P2": 50,
    "sp:NEW-1": 85,
    "sp:C1": 20,
    "sp:C2": 85,
    "sp:C3": 100,
    "home:V1": 5,
    "home:V2": 45,
}
MIN_PER_KM = {"motorbike": 1, "walking": 4}
LON0, LAT0 = 107.9, 16.12


def fake_matrix(mode: str) -> FakeMatrix:
    ids = tuple(POS)
    n = len(ids)
    s = np.zeros((n, n), dtype=np.int32)
    for (i, a), (j, b) in itertools.product(enumerate(ids), repeat=2):
        if i == j:
            continue
        if POS[a] is None or POS[b] is None:
            s[i, j] = UNREACHABLE
            continue
        minutes = abs(POS[a] - POS[b]) * MIN_PER_KM[mode]
        # coming back from a service point is a minute longer (uphill)
        s[i, j] = 60 * minutes + (60 if a.startswith("sp:") else 0)
    snaps = pd.DataFrame(
        {
            "snap_m": 10.0,
            "access_s": 10,
            "no_mapped_access": False,
            "reachable": True,
            "reason": "",
        },
        index=pd.Index(ids, name="point_id"),
    )
    snaps.loc["H6", ["no_mapped_access", "reachable"]] = [True, False]
    return FakeMatrix(ids, s, mode, snaps)


def gdf(rows: list[dict[str, Any]], key: str) -> gpd.GeoDataFrame:
    for r in rows:
        x = POS.get(r[key], POS.get(f"sp:{r[key]}", POS.get(f"home:{r[key]}")))
        r["geometry"] = Point(LON0 + (x or 0) / 100, LAT0)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


@dataclass
class FakeNetwork:
    """Stand-in for routeplan.network.Network: a 30 km valley road, 1 node per km."""

    graph: nx.MultiDiGraph
