"""The demo commune's inputs as the benchmarks plan them (shared by bench_plan and bench_solver).

``demo_case(cache)`` reads ``data/demo`` with the default settings: the Hoa Bac network,
the households (placed at their hamlets where they have no coordinates) and volunteers,
and a travel matrix per volunteer mode over the households and homes (cached in
``cache``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"


def demo_case(cache: Path) -> tuple[Any, Any, Any, Any]:
    """Return the demo's households, volunteers, matrices (mode -> TravelMatrix), network."""
    from routeplan.config import Settings
    from routeplan.matrix import build_matrix, points_frame
    from routeplan.network import load_network, read_places
    from routeplan.registers import read_households, read_volunteers

    s = Settings()
    net = load_network(DEMO / "hoabac.osm", settings=s.network)
    hh = read_households(
        DEMO / "households.csv", settings=s, places=read_places(DEMO / "hoabac.osm")
    )
    vo = read_volunteers(DEMO / "volunteers.csv", settings=s)
    frame = points_frame(hh, vo)
    mats = {
        m: build_matrix(net, frame, mode=m, settings=s.network, cache_dir=cache)
        for m in sorted(set(vo["mode"]))
    }
    return hh, vo, mats, net
