"""Who may travel a way, and how fast: highway classes, access, oneway, speeds."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from helpers_network import edge, edges_of

from routeplan.config import NetworkSettings
from routeplan.network import Network, load_network


def test_untagged_and_unknown_highways_are_dropped_or_mapped(messy: Network) -> None:
    r = messy.report
    assert r.untagged_dropped == 1 and edges_of(messy, 14) == []
    assert r.unknown_mapped == {"trail -> path": 1, "residental -> residential": 1}
    assert {d["highway"] for _, _, d in edges_of(messy, 15)} == {"path"}
    assert {d["highway"] for _, _, d in edges_of(messy, 16)} == {"residential"}
    assert r.unknown_dropped == {"xyzzy": 1} and edges_of(messy, 17) == []
    assert r.not_routable_dropped == {"construction": 1} and edges_of(messy, 18) == []


def test_missing_maxspeed_takes_the_class_speed(messy: Network) -> None:
    s = NetworkSettings()
    d = edge(messy, 120, 121, 2)  # residential, no maxspeed
    assert d["ride_s"] == pytest.approx(d["length"] / (s.motorbike_kmh["residential"] / 3.6))
    d = edge(messy, 100, 101, 1)  # secondary, maxspeed 50 > class speed 40
    assert d["ride_s"] == pytest.approx(d["length"] / (40 / 3.6))
    d = edge(messy, 124, 134, 25)  # trunk 50 km/h class, maxspeed 60
    assert d["ride_s"] == pytest.approx(d["length"] / (50 / 3.6))
    assert messy.report.maxspeed_defaulted == 13


def test_oneway_applies_to_riding_only(messy: Network) -> None:
    fwd, bwd = edge(messy, 140, 141, 10), edge(messy, 141, 140, 10)
    assert math.isfinite(fwd["ride_s"]) and math.isinf(bwd["ride_s"])
    assert fwd["walk_s"] == bwd["walk_s"] < math.inf
    # oneway=-1: riding only against the node order
    assert math.isinf(edge(messy, 133, 132, 11)["ride_s"])
    assert math.isfinite(edge(messy, 132, 133, 11)["ride_s"])


def test_footways_steps_and_paths_cannot_be_ridden(messy: Network) -> None:
    for osmid in (6, 7, 8, 15, 23):
        es = edges_of(messy, osmid)
        assert es and all(
            math.isinf(d["ride_s"]) and math.isfinite(d["walk_s"]) for _, _, d in es
        ), osmid
    # ... unless a path says motorcycle=yes
    assert all(math.isfinite(d["ride_s"]) for _, _, d in edges_of(messy, 9))


def test_unpaved_tracks_are_slower(messy: Network) -> None:
    dirt = edge(messy, 104, 114, 4)  # track, no surface
    concrete = edge(messy, 102, 112, 5)  # track, surface=concrete
    assert dirt["length"] == pytest.approx(concrete["length"])
    assert dirt["ride_s"] == pytest.approx(concrete["ride_s"] / 0.6)


def test_access_private_and_foot_no(messy: Network) -> None:
    private = edges_of(messy, 24)
    assert private and all(
        math.isinf(d["ride_s"]) and math.isfinite(d["walk_s"]) for _, _, d in private
    )
    trunk = edges_of(messy, 25)
    assert trunk and all(
        math.isfinite(d["ride_s"]) and math.isinf(d["walk_s"]) for _, _, d in trunk
    )


def test_walking_access_follows_the_osm_tags(fixtures_dir: Path) -> None:
    net = load_network(fixtures_dir / "osm" / "walk_access.osm")

    def modes(osmid: int) -> tuple[list[bool], list[bool]]:
        found = edges_of(net, osmid)
        assert found, osmid
        return (
            [math.isfinite(d["walk_s"]) for _, _, d in found],
            [math.isfinite(d["ride_s"]) for _, _, d in found],
        )

    # closed to walkers: foot=no, access=no or motorroad=yes without foot=yes, motorway
    for osmid in (101, 102, 104, 109):
        walk, ride = modes(osmid)
        assert not any(walk) and any(ride), osmid
    # walked both ways: foot=yes beats access=no and motorroad; oneway, tunnel,
    # sidewalk=no and access=private do not stop walkers
    for osmid in (103, 105, 106, 107, 108, 110, 111):
        walk, _ = modes(osmid)
        assert walk == [True, True], osmid
    oneway = {d["reversed"]: math.isfinite(d["ride_s"]) for _, _, d in edges_of(net, 106)}
    assert oneway == {False: True, True: False}  # ridden one way only
    assert not any(modes(103)[1]) and not any(modes(111)[1])  # access=no: no motorbikes
    assert net.report.no_foot_ways == 3
    assert "3 closed to walkers" in net.summary()
