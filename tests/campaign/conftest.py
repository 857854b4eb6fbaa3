"""Fixtures of the campaign tests: the demo's registers, a project made from them."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path
from typing import Any

import pytest
from helpers_campaign import HAMLETS, SETTINGS, WEEK1

from routeplan.campaign import init_project


@pytest.fixture(scope="module")
def registers(demo_dir: Path) -> Any:
    """60 households of 3 hamlets (20 each) and the 8 volunteers living nearest them."""
    import types

    import geopandas as gpd

    from routeplan.registers import read_households, read_service_points, read_volunteers

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hh = read_households(demo_dir / "households.csv", settings=SETTINGS)
        vol = read_volunteers(demo_dir / "volunteers.csv", settings=SETTINGS)
        sp = read_service_points(demo_dir / "service_points.csv")
    hh = hh[hh["village"].isin(HAMLETS)].groupby("village").head(20).reset_index(drop=True)
    centre = gpd.GeoSeries([hh.geometry.union_all().centroid], crs=4326).to_crs(32649).iloc[0]
    dist = vol.geometry.to_crs(32649).distance(centre)
    vol = vol.loc[dist.nsmallest(8).index].reset_index(drop=True)
    return types.SimpleNamespace(households=hh, volunteers=vol, service_points=sp)


@pytest.fixture
def project(tmp_path: Path, registers: Any) -> Path:
    path = tmp_path / "hoabac.gpkg"
    init_project(
        path,
        households=registers.households,
        volunteers=registers.volunteers,
        service_points=registers.service_points,
        today=WEEK1 - dt.timedelta(days=3),
    )
    return path


@pytest.fixture(scope="module")
def demo_network(demo_dir: Path) -> Any:
    from routeplan.network import load_network

    return load_network(demo_dir / "hoabac.osm")
