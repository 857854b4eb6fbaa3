"""Fixtures of the matrix tests: the hand-made grid and the demo commune's network."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_matrix import Ways


@pytest.fixture(scope="module")
def grid() -> Ways:
    """A 5x5 grid, 200 m apart, sloped: walking north is slower than south."""
    w = Ways()
    for i in range(5):
        for j in range(5):
            w.node(10 * i + j, 200 * i, 200 * j)
    for i in range(5):
        for j in range(5):
            if i < 4:
                w.way(10 * i + j, 10 * (i + 1) + j, ride=8.0 if j % 2 == 0 else None)
            if j < 4:
                w.way(
                    10 * i + j,
                    10 * i + j + 1,
                    walk=0.8,
                    back_walk=1.5,
                    ride=6.0 if i == 2 else None,
                )
    return w


@pytest.fixture(scope="session")
def demo_network(demo_dir: Path):  # type: ignore[no-untyped-def]
    from routeplan.network import load_network

    return load_network(demo_dir / "hoabac.osm")
