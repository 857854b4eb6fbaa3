"""Closures: ways closed by id or by lines drawn in a GIS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers_network import edges_of

from routeplan.errors import InputDataError
from routeplan.network import Network, load_network


def test_closures_by_way_id(messy_path: Path, tmp_path: Path) -> None:
    ids = tmp_path / "closed.csv"
    ids.write_text("way_id,reason\n4,landslide\nway/27,flooded ford\n999,typo\n")
    net = load_network(messy_path, closures=ids)
    assert edges_of(net, 4) == [] and edges_of(net, 27) == []
    assert net.report.closed_way_ids == [4, 27]
    assert net.report.closed_edges == 10
    (problem,) = net.report.problems
    assert "way 999 is not in the network" in str(problem) and problem.row == "row 4"
    assert "closures: 2 ways closed (4, 27)" in net.summary()


def test_closures_bad_id_is_an_input_error(messy_path: Path, tmp_path: Path) -> None:
    ids = tmp_path / "closed.txt"
    ids.write_text("4\nroad to Ta Lang\n")
    with pytest.raises(InputDataError, match=r"row 2.*not an OSM way id"):
        load_network(messy_path, closures=ids)


def test_closures_by_line_drawn_in_gis(messy_path: Path, messy: Network, tmp_path: Path) -> None:
    # a line across the residential road of way 2 between nodes 121 and 122, and a
    # line along the secondary road from node 102 to 103 (not touching side roads)
    lines = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"why": "landslide"},
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[108.003, 16.1035], [108.003, 16.1045]],
                },
            },
            {
                "type": "Feature",
                "properties": {"why": "flood"},
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[108.0041, 16.10002], [108.0059, 16.10002]],
                },
            },
        ],
    }
    path = tmp_path / "closed.geojson"
    path.write_text(json.dumps(lines))
    net = load_network(messy_path, closures=path)
    assert not net.graph.has_edge(121, 122) and not net.graph.has_edge(122, 121)
    assert not net.graph.has_edge(102, 103)
    assert net.report.closed_edges == 4
    # side roads meeting the closed stretch stay open
    for u, v in ((102, 112), (103, 113), (122, 132), (121, 131), (120, 121)):
        assert net.graph.has_edge(u, v), (u, v)
    assert net.fingerprint != messy.fingerprint
