"""GraphML: save and reload with the same graph, report, places and fingerprint."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely

from routeplan.config import NetworkSettings
from routeplan.errors import InputDataError
from routeplan.network import Network, load_network


def test_graphml_round_trip(messy: Network, tmp_path: Path) -> None:
    path = messy.save(tmp_path / "out" / "net.graphml")
    back = load_network(path)
    assert back.fingerprint == messy.fingerprint
    assert back.report == messy.report
    assert list(back.graph.nodes(data=True)) == list(messy.graph.nodes(data=True))
    a = list(messy.graph.edges(keys=True, data=True))
    b = list(back.graph.edges(keys=True, data=True))
    assert len(a) == len(b)
    for (u1, v1, k1, d1), (u2, v2, k2, d2) in zip(a, b, strict=True):
        assert (u1, v1, k1) == (u2, v2, k2)
        assert d1.keys() == d2.keys()
        for key in d1:
            if key == "geometry":
                assert shapely.equals_exact(d1[key], d2[key], tolerance=0)
            else:
                assert d1[key] == d2[key] and type(d1[key]) is type(d2[key]), key
    assert back.summary() == messy.summary()
    assert not list(tmp_path.joinpath("out").glob(".*.tmp*"))  # written atomically


def test_graphml_with_other_settings_warns(messy: Network, tmp_path: Path) -> None:
    path = messy.save(tmp_path / "net.graphml")
    back = load_network(path, settings=NetworkSettings(walk_kmh=3.0))
    assert any("other network settings" in p.message for p in back.report.problems)


def test_foreign_graphml_is_refused(tmp_path: Path) -> None:
    import networkx as nx

    nx.write_graphml(nx.path_graph(3), tmp_path / "x.graphml")
    with pytest.raises(InputDataError, match="not saved by routeplan"):
        load_network(tmp_path / "x.graphml")


def test_places_travel_with_the_network(messy: Network, tmp_path: Path) -> None:
    assert messy.places["Tà Lang"] == pytest.approx((108.003, 16.109))
    back = load_network(messy.save(tmp_path / "net.graphml"))
    assert back.places == messy.places
