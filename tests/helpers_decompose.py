"""A small part of the demo commune, real network and matrices, for the decomposition tests."""

from __future__ import annotations

import dataclasses
import types
from pathlib import Path
from typing import Any

from routeplan.config import Settings

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


def quick_settings(**planner: Any) -> Settings:
    """Settings that stop the solver on small counts (a test is about rules, not quality)."""
    s = Settings()
    values = {"time_limit_s": 20.0, "route_solutions": 40, "improve_rounds": 1, "workers": 1}
    values.update(planner)
    return dataclasses.replace(s, planner=dataclasses.replace(s.planner, **values))


def demo_part(
    n_volunteers: int = 9, n_households: int = 160, *, around: int | None = None
) -> types.SimpleNamespace:
    """The first ``n_volunteers`` of the demo's eastern volunteers and their nearest households.

    With ``around``, the households nearest that volunteer's home (a row of the
    volunteers kept) instead: a crowd around one home.

    A namespace with ``households``, ``volunteers``, ``service_points``, ``network``,
    ``matrices`` (dense, over all of them) and ``settings``.
    """
    from routeplan.network import load_network
    from routeplan.pipeline import build_matrices
    from routeplan.registers import read_households, read_service_points, read_volunteers

    settings = quick_settings()
    network = load_network(DEMO / "hoabac.osm")
    households = read_households(DEMO / "households.csv", settings=settings)
    volunteers = read_volunteers(DEMO / "volunteers.csv", settings=settings)
    service_points = read_service_points(DEMO / "service_points.csv")
    volunteers = (
        volunteers.assign(lon=volunteers.geometry.x)
        .sort_values("lon", ascending=False)
        .iloc[:n_volunteers]
        .drop(columns="lon")
        .reset_index(drop=True)
    )
    utm = households.estimate_utm_crs()
    homes_m = volunteers.to_crs(utm).geometry
    if around is not None:
        homes_m = homes_m.iloc[[around]]
    dist = households.to_crs(utm).geometry.apply(lambda g: homes_m.distance(g).min())
    households = households.loc[dist.nsmallest(n_households).index].reset_index(drop=True)
    matrices = build_matrices(network, households, volunteers, service_points, settings=settings)
    return types.SimpleNamespace(
        households=households,
        volunteers=volunteers,
        service_points=service_points,
        network=network,
        matrices=matrices,
        settings=settings,
    )
