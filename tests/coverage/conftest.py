"""Fixtures of the coverage tests: the hand-made commune's registers and matrices, and the
demo commune's inputs and report (made once per session: choosing a site takes a while).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import pytest
from helpers_coverage import LAT0, LON0, FakeMatrix, FakeNetwork, fake_matrix
from helpers_coverage import gdf as _gdf

from routeplan import coverage as cv
from routeplan.config import Settings


@pytest.fixture
def households() -> gpd.GeoDataFrame:
    rows = []
    for hid, village, elderly, lang, quality in [
        ("H1", "Alpha", False, "", "gps"),
        ("H2", "Alpha", False, "", "gps"),
        ("H3", "Alpha", True, "", "gps"),
        ("H4", "Bến Đá", False, "", "village"),
        ("H5", "Bến Đá", False, "co_tu", "gps"),
        ("H6", "Bến Đá", True, "", "gps"),
    ]:
        rows.append(
            {
                "household_id": hid,
                "village": village,
                "elderly": elderly,
                "disability": False,
                "remote": False,
                "language": lang,
                "priority": elderly or bool(lang),
                "location_quality": quality,
                "services": ("vneid",),
            }
        )
    return _gdf(rows, "household_id")


@pytest.fixture
def points() -> gpd.GeoDataFrame:
    return _gdf(
        [
            {"point_id": "P1", "name": "Old People's Committee"},
            {"point_id": "P2", "name": "Ward centre"},
        ],
        "point_id",
    )


@pytest.fixture
def volunteers() -> gpd.GeoDataFrame:
    return _gdf(
        [
            {"volunteer_id": "V1", "mode": "motorbike", "capacity": 20},
            {"volunteer_id": "V2", "mode": "walking", "capacity": 20},
        ],
        "volunteer_id",
    )


@pytest.fixture
def matrices() -> dict[str, FakeMatrix]:
    return {m: fake_matrix(m) for m in ("motorbike", "walking")}


@pytest.fixture
def report(households, points, matrices, volunteers) -> cv.CoverageReport:
    return cv.assess(households, points, matrices, volunteers=volunteers)


@pytest.fixture
def network() -> FakeNetwork:
    g = nx.MultiDiGraph(crs="epsg:4326")
    km = 1 / (111.32 * math.cos(math.radians(LAT0)))
    for i in range(31):
        g.add_node(i, x=LON0 + i * km, y=LAT0)
    g.add_node(99, x=LON0 + 5 * km, y=LAT0 + 0.01, place="hamlet", name="Alpha")
    for i in range(30):
        for a, b in ((i, i + 1), (i + 1, i)):
            # 60 km/h by motorbike, 4 km/h on foot (uphill eastwards is slower)
            g.add_edge(
                a,
                b,
                length=1000.0,
                highway="tertiary",
                ride_s=60.0,
                walk_s=900.0 if b > a else 800.0,
            )
    return FakeNetwork(g)


@pytest.fixture(scope="session")
def demo_inputs(demo_dir: Path) -> dict[str, Any]:
    from routeplan.network import load_network, read_places
    from routeplan.registers import read_households, read_service_points, read_volunteers

    settings = Settings()
    network = load_network(demo_dir / "hoabac.osm", settings=settings.network)
    places = read_places(demo_dir / "hoabac.osm")
    return {
        "network": network,
        "places": places,
        "settings": settings,
        "households": read_households(
            demo_dir / "households.csv", settings=settings, places=places
        ),
        "volunteers": read_volunteers(demo_dir / "volunteers.csv", settings=settings),
        "service_points": read_service_points(demo_dir / "service_points.csv"),
    }


@pytest.fixture(scope="session")
def demo_report(demo_inputs) -> cv.CoverageReport:
    d = demo_inputs
    return cv.assess_coverage(
        d["households"],
        d["service_points"],
        d["network"],
        settings=d["settings"],
        volunteers=d["volunteers"],
        options=cv.CoverageOptions(
            places=d["places"],
            add=["Tà Lang", "giàn bí"],
            candidates="hamlets",
            choose=1,
        ),
    )
