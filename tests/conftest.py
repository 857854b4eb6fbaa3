"""Shared fixtures. Expensive ones (the demo network and matrix) are session-scoped."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO = ROOT / "data" / "demo"
SHARED = ROOT.parent / "shared"
ANDORRA = SHARED / "data" / "andorra"


def needs_shared(*parts: str) -> Path:
    """Return ``../shared/<parts>``, skipping the test with a reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the real-data tests need ../shared beside the repo")
    return path


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO


@pytest.fixture(scope="session")
def andorra_pbf() -> Path:
    return needs_shared("data", "andorra", "andorra.osm.pbf")


@pytest.fixture(scope="session")
def andorra_dem() -> Path:
    return needs_shared("data", "andorra", "N42E001.hgt.zip")
