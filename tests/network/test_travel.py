"""Travel times: Tobler's walking on slopes, steps, fords, settings."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from helpers_network import edge

from routeplan.config import NetworkSettings, load_settings
from routeplan.network import Network, load_network, tobler_s_per_m


def test_steps_are_walked_slower(messy: Network) -> None:
    steps = edge(messy, 121, 131, 7)
    foot = edge(messy, 101, 111, 6)
    assert steps["length"] == pytest.approx(foot["length"])
    assert steps["walk_s"] == pytest.approx(2 * foot["walk_s"])  # steps_walk_factor 0.5


def test_fords_cost_time(messy: Network) -> None:
    s = NetworkSettings()
    path = edge(messy, 104, 212, 26)  # passes the ford node 210
    flat = path["length"] * tobler_s_per_m(0.0, s.walk_kmh)
    assert path["walk_s"] == pytest.approx(flat + s.ford_walk_s)
    track = edge(messy, 144, 221, 27)  # the way itself is a ford
    ride = track["length"] / (15 * 0.6 / 3.6)
    assert track["ride_s"] == pytest.approx(ride + s.ford_ride_s)
    assert messy.report.fords == 2


def test_settings_change_speeds(messy_path: Path, tmp_path: Path) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text("[network.motorbike_kmh]\nresidential = 50\n\n[network]\nwalk_kmh = 3.0\n")
    net = load_network(messy_path, settings=load_settings(toml).network)
    d = edge(net, 120, 121, 2)
    assert d["ride_s"] == pytest.approx(d["length"] / (50 / 3.6))
    assert d["walk_s"] == pytest.approx(d["length"] * tobler_s_per_m(0.0, 3.0))


def test_tobler_uphill_is_slower_than_downhill(fixtures_dir: Path) -> None:
    net = load_network(fixtures_dir / "osm" / "slope.osm")
    up, down = edge(net, 1, 3, 1), edge(net, 3, 1, 1)
    assert up["length"] == pytest.approx(1000, rel=0.01)
    # about 10 % up: 4.5 km/h * exp(-3.5 * (0.10 + 0.05 - 0.05)); down: 4.5 km/h * exp(0)
    slope = 100 / up["length"]
    assert up["walk_s"] == pytest.approx(up["length"] / (4.5 / 3.6 * math.exp(-3.5 * slope)))
    assert down["walk_s"] == pytest.approx(
        down["length"] / (4.5 / 3.6 * math.exp(-3.5 * (abs(-slope + 0.05) - 0.05)))
    )
    assert up["walk_s"] > 1.4 * down["walk_s"]
    assert up["ride_s"] == down["ride_s"]
    # the middle node had no ele tag: it was interpolated, so the grade is steady
    assert net.report.elevation_source == "OSM ele tags"
    assert (net.report.elevation_min, net.report.elevation_max) == (100.0, 200.0)


def test_tobler_function() -> None:
    flat = tobler_s_per_m(0.0, 4.5)
    assert flat == pytest.approx(3.6 / 4.5)
    assert tobler_s_per_m(-0.05, 4.5) < flat  # fastest on a gentle descent
    assert tobler_s_per_m(0.3, 4.5) > tobler_s_per_m(-0.3, 4.5) > flat
