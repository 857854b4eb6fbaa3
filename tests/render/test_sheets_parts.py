"""The parts of a route sheet: what it shows, the map's roads and markers, text wrapping."""

from __future__ import annotations

import math
from typing import Any

from routeplan.planner import Plan, Route, Stop
from routeplan.render.bundle import bundle
from routeplan.render.sheets.model import flags, sheets_by_volunteer
from routeplan.render.sheets.projection import Projection, free_spot
from routeplan.render.sheets.roads import Roads, road_kind, road_map
from routeplan.render.sheets.writer import SheetWriter


def _round(vid: str, day: int, start: int, hids: list[str]) -> Route:
    stops = tuple(Stop(h, k + 1, start + 600 * (k + 1), 300, 300) for k, h in enumerate(hids))
    return Route(vid, day, "walking", start, start + 3600, stops, 1200, 900)


def test_sheets_by_volunteer_then_day_keeping_the_plan_order(small_plan: Any) -> None:
    p = small_plan
    ids = list(p.households.household_id)
    later = _round("TN-02", 1, 10 * 3600, ids[:2])
    earlier = _round("TN-02", 1, 8 * 3600, ids[2:4])
    monday = _round("TN-02", 0, 9 * 3600, ids[4:5])
    first = _round("TN-01", 3, 9 * 3600, ids[5:6])
    plan = Plan(routes=[later, earlier, monday, first], assignment={})
    sheets = sheets_by_volunteer(bundle(plan, p.households, p.volunteers))
    assert list(sheets) == ["TN-01", "TN-02"]
    assert [s.route for s in sheets["TN-02"]] == [monday, later, earlier]
    (sheet,) = sheets["TN-01"]
    assert sheet.volunteer_name == "Nguyễn Văn An" and sheet.date == ""
    assert [r.household_id for r in sheet.rows] == ids[5:6]
    assert len(sheet.legs) == 2  # home -> stop -> home


def test_flags_say_what_to_know_before_knocking() -> None:
    household = {"elderly": True, "disability": True, "language": "co_tu"}
    assert flags(household, "en").count(" · ") == 2
    assert flags({"location_quality": "village"}, "vi")
    assert flags({"elderly": "yes", "language": ""}, "en") == ""


def test_road_kinds_and_lookup_by_box(small_plan: Any) -> None:
    assert road_kind("path") == "foot"
    assert road_kind(["tertiary", "residential"]) == "major"
    assert road_kind([]) == road_kind("residential") == "minor"
    assert road_map(None) is None
    roads = road_map(small_plan.network)
    assert isinstance(roads, Roads) and roads.lines
    assert {kind for kind, _ in roads.within((-180, -90, 180, 90))} == {"foot", "major", "minor"}
    assert not list(roads.within((0.0, 0.0, 0.1, 0.1)))


def test_projection_fits_the_box_and_markers_keep_apart() -> None:
    pts = [(108.03, 16.12), (108.05, 16.14)]
    proj = Projection(pts, (10.0, 20.0, 190.0, 100.0))
    for lon, lat in pts:
        x, y = proj(lon, lat)
        assert 10 < x < 200 and 20 < y < 120
    x0, y0, x1, y1 = proj.lonlat_box()
    assert x0 < 108.03 and x1 > 108.05 and y0 < 16.12 and y1 > 16.14
    inner = (0.0, 0.0, 100.0, 100.0)
    placed = [(50.0, 50.0)]
    assert free_spot(20.0, 20.0, placed, 6.4, inner, 3.0) == (20.0, 20.0)
    x, y = free_spot(50.0, 50.0, placed, 6.4, inner, 3.0)
    assert math.hypot(x - 50, y - 50) >= 6.4


def test_pen_wraps_words_and_cuts_the_too_long() -> None:
    writer = SheetWriter("en", "", None, "test")
    try:
        pen = writer.pen
        lines = pen.wrap("Hồ Thị Lệ Thủy " + "x" * 60, "B", 11, 40.0)
        assert lines[0] == "Hồ Thị Lệ Thủy"
        assert "".join(lines[1:]) == "x" * 60 and len(lines) > 2
        assert all(pen.width(line, "B", 11) <= 40.0 for line in lines)
        # shrinks a big number to fit, but never under 11 pt (a longer text wraps)
        assert 11 < pen.fit("10", 6.4, 14, style="B") < 14
        assert pen.fit("0905 123 456 789 000", 20.0) == 11
        assert pen.t("outcome_done") == "Done"
    finally:
        writer.close()
