"""Downloads through osmnx (its download functions faked): our filter, same network."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from helpers_network import edge

from routeplan.network import BBox, Network, Place, load_network


def _without_ways(src: Path, dst: Path, drop: set[str]) -> Path:
    tree = ET.parse(src)
    root = tree.getroot()
    for way in root.findall("way"):
        if way.get("id") in drop:
            root.remove(way)
    tree.write(dst, encoding="utf-8")
    return dst


def _rounded(net: Network) -> set[tuple[Any, ...]]:
    return {
        (
            u,
            v,
            d["osmid"],
            d["highway"],
            round(d["length"], 3),
            round(d["walk_s"], 3),
            round(d["ride_s"], 3),
        )
        for u, v, d in net.graph.edges(data=True)
    }


def test_download_by_bbox_uses_our_filter_and_agrees_with_the_file(
    messy_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import osmnx as ox
    from osmnx import _osm_xml, _overpass

    # Overpass never returns ways without their nodes: drop the clipped ways
    clean = _without_ways(messy_path, tmp_path / "clean.osm", {"12", "13"})
    calls: list[tuple[Any, ...]] = []

    def fake_download(polygon: Any, network_type: str, custom_filter: str) -> Any:
        calls.append((polygon.bounds, network_type, custom_filter))
        yield _osm_xml._overpass_json_from_xml(clean, "utf-8")

    monkeypatch.setattr(_overpass, "_download_overpass_network", fake_download)
    tags_before = list(ox.settings.useful_tags_way)
    net = load_network(BBox(107.99, 16.09, 108.07, 16.12))
    assert len(calls) == 1
    bounds, network_type, custom_filter = calls[0]
    assert network_type == "all"
    for cls in (
        "track",
        "path",
        "footway",
        "steps",
        "bridleway",
        "service",
        "unclassified",
        "residential",
        "primary",
        "trunk_link",
    ):
        assert (
            f"|{cls}|" in custom_filter
            or f"({cls}|" in custom_filter
            or f"|{cls})" in custom_filter
        )
    assert custom_filter.startswith('["highway"~"^(')
    assert bounds[0] < 107.99 and bounds[2] > 108.07  # osmnx's 500 m buffer
    assert ox.settings.useful_tags_way == tags_before  # osmnx settings restored
    assert not ox.settings.all_oneway
    assert _rounded(net) == _rounded(load_network(clean))
    assert net.report.source.startswith("bbox ")


def test_download_by_place_passes_the_arguments(
    fixtures_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import osmnx as ox

    seen: dict[str, Any] = {}

    def fake_graph_from_place(query: str, **kwargs: Any) -> Any:
        seen["query"] = query
        seen.update(kwargs)
        # what osmnx builds from the download, with the settings load_network set
        return ox.graph_from_xml(
            fixtures_dir / "osm" / "slope.osm", simplify=False, retain_all=True
        )

    monkeypatch.setattr(ox, "graph_from_place", fake_graph_from_place)
    net = load_network(Place("Hòa Bắc, Đà Nẵng, Việt Nam"))
    assert seen["query"] == "Hòa Bắc, Đà Nẵng, Việt Nam"
    assert seen["simplify"] is False and seen["retain_all"] is True
    assert seen["truncate_by_edge"] is True
    assert "track" in seen["custom_filter"] and seen["network_type"] == "all"
    up, down = edge(net, 1, 3, 1), edge(net, 3, 1, 1)  # ele tags came through osmnx
    assert up["walk_s"] > down["walk_s"]
