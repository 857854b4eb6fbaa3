"""Loading: file types, missing files, the command line, a real extract with its DEM."""

from __future__ import annotations

import bz2
from pathlib import Path

import pytest

from routeplan.cli import main
from routeplan.errors import InputDataError
from routeplan.network import Network, load_network


def test_bz2_file_loads_the_same(messy_path: Path, messy: Network, tmp_path: Path) -> None:
    packed = tmp_path / "messy.osm.bz2"
    packed.write_bytes(bz2.compress(messy_path.read_bytes()))
    assert load_network(packed).fingerprint == messy.fingerprint


def test_missing_and_unknown_files(tmp_path: Path) -> None:
    with pytest.raises(InputDataError, match="not found"):
        load_network(tmp_path / "nothere.osm.pbf")
    (tmp_path / "roads.shp").write_text("")
    with pytest.raises(InputDataError, match="unknown network file type"):
        load_network(tmp_path / "roads.shp")


def test_cli_network_prints_summary_and_saves(
    messy_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "g.graphml"
    assert main(["-q", "network", str(messy_path), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "29 nodes" in text and "2 ways clipped" in text and "saved" in text
    assert main(["-q", "network", str(out)]) == 0
    assert "29 nodes" in capsys.readouterr().out
    assert main(["-q", "network", "--bbox", "1,2,3"]) == 2
    assert main(["-q", "network"]) == 2


@pytest.fixture(scope="session")
def andorra(andorra_pbf: Path, andorra_dem: Path) -> Network:
    return load_network(andorra_pbf, dem=andorra_dem)


@pytest.mark.shared
def test_andorra_loads_with_dem(andorra: Network) -> None:
    r = andorra.report
    g = andorra.graph
    assert g.number_of_nodes() > 2000 and g.number_of_edges() > 5000
    # this extract happens to carry every node its highways reference
    assert r.clipped_ways == 0 and r.missing_nodes == 0
    assert len(r.islands) >= 5 and all(i.nodes < 10 for i in r.islands)
    assert r.not_routable_dropped == {"construction": 2}
    assert r.dem_voids_filled > 0 and r.elevation_source == "N42E001.hgt.zip"
    assert r.elevation_min is not None and r.elevation_max is not None
    assert 600 < r.elevation_min < 1000 and 2500 < r.elevation_max < 3100
    assert r.nodes_without_elevation == 0
    km = andorra.km_by_class()
    assert km["primary"] > 100 and km["path"] > 200
    text = andorra.summary()
    assert "islands removed: " in text and "void cells filled" in text
    # mountain roads: walking up is slower than down on most long, steep edges
    steep = [
        (d["walk_s"], g.edges[v, u, k]["walk_s"])
        for u, v, k, d in g.edges(keys=True, data=True)
        if not d["reversed"]
        and g.has_edge(v, u, k)
        and d["length"] > 500
        and abs(g.nodes[v]["elevation"] - g.nodes[u]["elevation"]) > 100
    ]
    assert len(steep) > 20
    assert all(a != b for a, b in steep)
