"""GPX 1.1 for OsmAnd and Organic Maps, one file per volunteer."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from routeplan.render import bundle
from routeplan.render.export import GPX_NS, write_gpx
from routeplan.timewindows import format_clock

NS = {"g": GPX_NS}


@pytest.fixture(scope="module")
def exported(small_plan: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with ``gpx/<volunteer_id>.gpx`` of the small plan's volunteers with rounds."""
    out = tmp_path_factory.mktemp("gpx")
    p = small_plan
    checked = bundle(
        p.plan, p.households, p.volunteers, service_points=p.service_points, matrices=p.matrices
    )
    for vid in ("TN-01", "TN-02"):
        assert write_gpx(checked, vid, out / "gpx" / f"{vid}.gpx") == out / "gpx" / f"{vid}.gpx"
    return out


def test_gpx_is_gpx_1_1_in_visit_order(exported: Path, small_plan: Any) -> None:
    p = small_plan
    hh = p.households.set_index("household_id")
    for vid in ("TN-01", "TN-02"):
        root = ET.parse(exported / "gpx" / f"{vid}.gpx").getroot()
        assert root.tag == f"{{{GPX_NS}}}gpx"
        assert root.get("version") == "1.1" and root.get("creator")
        # GPX 1.1 wants metadata, then waypoints, then routes, then tracks
        kinds = [child.tag.split("}")[1] for child in root]
        assert kinds == sorted(kinds, key=["metadata", "wpt", "rte", "trk"].index)
        routes = sorted((r for r in p.plan.routes if r.volunteer_id == vid), key=lambda r: r.day)
        stops = [s for r in routes for s in r.stops]
        wpts = root.findall("g:wpt", NS)
        days = {0: "T2", 1: "T3", 2: "T4", 3: "T5", 4: "T6", 5: "T7", 6: "CN"}
        assert [w.findtext("g:name", namespaces=NS) for w in wpts] == [
            f"{days[r.day]}·{s.order}. {hh.loc[s.household_id, 'head_name']}"
            for r in routes
            for s in r.stops
        ]
        for w, s in zip(wpts, stops, strict=True):
            point = hh.loc[s.household_id, "geometry"]
            assert float(w.get("lat", "")) == pytest.approx(point.y, abs=1e-7)
            assert float(w.get("lon", "")) == pytest.approx(point.x, abs=1e-7)
            assert [c.tag.split("}")[1] for c in w] == ["name", "cmt", "desc", "type"]
            assert format_clock(s.arrival_s) in (w.findtext("g:cmt", namespaces=NS) or "")
        tracks = root.findall("g:trk", NS)
        assert len(tracks) == len(routes)
        home = p.volunteers.set_index("volunteer_id").loc[vid, "geometry"]
        for trk in tracks:
            pts = trk.findall("g:trkseg/g:trkpt", NS)
            assert len(pts) > 4
            assert float(pts[0].get("lat", "")) == pytest.approx(home.y, abs=1e-7)
            assert float(pts[-1].get("lon", "")) == pytest.approx(home.x, abs=1e-7)
    text = (exported / "gpx" / "TN-01.gpx").read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "&lt;b&gt;x&lt;/b&gt; &amp; Co" in text
    root = ET.parse(exported / "gpx" / "TN-01.gpx").getroot()
    descs = [w.findtext("g:desc", namespaces=NS) for w in root.findall("g:wpt", NS)]
    assert descs[1] == "Hồ sơ trợ cấp xã hội; Bảo hiểm y tế"


def test_names_are_unique_across_the_week_and_in_the_output_language(
    small_plan: Any, tmp_path: Path
) -> None:
    import dataclasses

    p = small_plan
    # TN-01's rounds all on Monday: two (or more) rounds on one day
    routes = [
        dataclasses.replace(r, day=0) if r.volunteer_id == "TN-01" else r for r in p.plan.routes
    ]
    plan = dataclasses.replace(p.plan, routes=routes)
    mine = [r for r in routes if r.volunteer_id == "TN-01"]
    assert len(mine) >= 2
    checked = bundle(
        plan, p.households, p.volunteers, service_points=p.service_points, matrices=p.matrices
    )
    root = ET.parse(write_gpx(checked, "TN-01", tmp_path / "TN-01.gpx")).getroot()
    names = [w.findtext("g:name", namespaces=NS) or "" for w in root.findall("g:wpt", NS)]
    assert len(names) == sum(len(r.stops) for r in mine)
    assert len({n.split(". ")[0] for n in names}) == len(names)  # "T2a·1", "T2b·1", ...
    assert names[0].startswith("T2a·1. ")
    tracks = [t.findtext("g:name", namespaces=NS) for t in root.findall("g:trk", NS)]
    assert len(set(tracks)) == len(tracks) == len(mine)
    desc = root.findall("g:trk", NS)[0].findtext("g:desc", namespaces=NS) or ""
    assert desc.endswith(f"{len(mine[0].stops)} hộ") and "stops" not in desc
