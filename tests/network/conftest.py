"""Fixtures of the network tests: the messy OSM extract and its network."""

from __future__ import annotations

from pathlib import Path

import pytest

from routeplan.network import Network, load_network


@pytest.fixture(scope="session")
def messy_path(fixtures_dir: Path) -> Path:
    return fixtures_dir / "osm" / "messy.osm"


@pytest.fixture(scope="session")
def messy(messy_path: Path) -> Network:
    return load_network(messy_path)
