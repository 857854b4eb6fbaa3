"""HTML maps: offline, escaped, and drawing what the plan says (checked in Chromium)."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from routeplan.config import OutputSettings, Settings
from routeplan.errors import InputDataError
from routeplan.planner import Plan
from routeplan.render import bundle
from routeplan.render.maps import volunteer_style, write_maps

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
HOSTILE = "<script>alert(1)</script>"
HOSTILE_NOTE = "<img src=x onerror=alert(2)> ${alert(3)} `x` </script>"
HOSTILE_VOLUNTEER = '"><svg onload=alert(4)>'
TEMPLATE_TEXT = "{{ 7*7 }} {% raw %} {# x"  # folium renders with Jinja: must stay text


def _write(sp, out: Path, *, settings=None, **kwargs):  # type: ignore[no-untyped-def]
    checked = bundle(
        sp.plan,
        sp.households,
        sp.volunteers,
        service_points=sp.service_points,
        matrices=sp.matrices,
        settings=settings,
    )
    return write_maps(checked, out, network=sp.network, **kwargs)


@pytest.fixture(scope="module")
def maps(small_plan, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The small plan's maps, with hostile text in one household and one volunteer."""
    import types

    households = small_plan.households.copy()
    households.loc[0, "head_name"] = HOSTILE
    households.loc[1, "notes"] = HOSTILE_NOTE
    households.loc[6, "notes"] = TEMPLATE_TEXT
    volunteers = small_plan.volunteers.copy()
    volunteers.loc[1, "name"] = HOSTILE_VOLUNTEER
    sp = types.SimpleNamespace(
        **{**vars(small_plan), "households": households, "volunteers": volunteers}
    )
    out = tmp_path_factory.mktemp("maps")
    paths = _write(sp, out)
    return types.SimpleNamespace(
        sp=sp,
        out=out,
        paths=paths,
        overview=out / "map_overview.html",
        page=lambda vid: out / "volunteers" / f"{vid}.html",
    )


def test_writes_overview_and_a_page_per_volunteer(maps) -> None:  # type: ignore[no-untyped-def]
    names = [p.relative_to(maps.out).as_posix() for p in maps.paths]
    assert names == [
        "map_overview.html",
        "volunteers/TN-01.html",
        "volunteers/TN-02.html",
        "volunteers/TN-03.html",
    ]
    assert all(p.stat().st_size > 0 for p in maps.paths)
    assert not list(maps.out.rglob("*.tmp*"))  # written atomically, nothing left over
    assert "Không có lượt đi thăm nào" in maps.page("TN-03").read_text(encoding="utf-8")


def test_pages_load_nothing_from_the_internet(maps) -> None:  # type: ignore[no-untyped-def]
    for path in maps.paths:
        page = path.read_text(encoding="utf-8")
        tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", page, flags=re.I)
        external = [
            t
            for t in tags
            if re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", t, flags=re.I)
        ]
        assert external == [], path.name
        for cdn in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "fontawesome"):
            assert cdn not in page, (path.name, cdn)
        assert "L.version" in page or 't.version="1.9' in page  # Leaflet itself is inlined
        assert 'name="viewport"' in page


def test_household_text_is_escaped_in_the_files(maps) -> None:  # type: ignore[no-untyped-def]
    for path in (maps.overview, maps.page("TN-01"), maps.page("TN-02")):
        page = path.read_text(encoding="utf-8")
        for raw in (HOSTILE, "<img src=x", "<svg onload"):
            assert raw not in page, (path.name, raw)
        # the only </script> are the page's own: hostile text cannot close a script
        assert page.count("</script>") == page.count("<script>")


def test_coordinates_are_rounded(maps) -> None:  # type: ignore[no-untyped-def]
    page = maps.overview.read_text(encoding="utf-8")
    payloads = re.findall(r"RP\.draw\(\w+,\{.*?\},(\[.*?\])\);\n", page)
    assert payloads
    coords = [json.loads(p) for p in payloads]
    numbers = re.findall(r"-?\d+\.\d+", json.dumps([[i["c"] for i in c] for c in coords]))
    assert numbers and all(len(n.split(".")[1]) <= 5 for n in numbers)


def test_volunteer_page_has_call_and_map_links(maps) -> None:  # type: ignore[no-untyped-def]
    page = maps.page("TN-01").read_text(encoding="utf-8")
    assert 'href="tel:+84905123456"' in page
    lon, lat = maps.sp.households.geometry.iloc[1].x, maps.sp.households.geometry.iloc[1].y
    assert f'href="geo:{lat:.6f},{lon:.6f}?q={lat:.6f},{lon:.6f}"' in page
    assert f"https://www.google.com/maps/search/?api=1&amp;query={lat:.6f}%2C{lon:.6f}" in page


def test_english_labels(small_plan, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(output=OutputSettings(language="en"))
    _write(small_plan, tmp_path, settings=settings)
    page = (tmp_path / "volunteers" / "TN-01.html").read_text(encoding="utf-8")
    assert "Monday" in page and "Social pension claim" in page and "Call" in page
    assert "Thứ Hai" not in page


def test_missing_household_is_reported(small_plan, tmp_path) -> None:  # type: ignore[no-untyped-def]
    plan = dataclasses.replace(
        small_plan.plan, assignment={**small_plan.plan.assignment, "HB-9999": "TN-01"}
    )
    with pytest.raises(InputDataError, match="HB-9999"):
        _write(type(small_plan)(**{**vars(small_plan), "plan": plan}), tmp_path)


def test_seventy_volunteer_styles_are_distinct() -> None:
    styles = [volunteer_style(k) for k in range(70)]
    assert len({(s.colour, s.shape) for s in styles}) == 70
    assert volunteer_style(0).colour != volunteer_style(1).colour


def test_empty_plan_still_writes_pages(small_plan, tmp_path) -> None:  # type: ignore[no-untyped-def]
    empty = type(small_plan)(**{**vars(small_plan), "plan": Plan(routes=[], assignment={})})
    paths = _write(empty, tmp_path)
    assert len(paths) == 4


# --- in a real browser, offline ----------------------------------------------------------


def _expected(plan: Plan) -> dict[str, int]:
    visited = {s.household_id for r in plan.routes for s in r.stops}
    later = {u.household_id for u in plan.rollover}
    return {
        "households": len(visited | later),
        "routes": len(plan.routes),
        "unassigned": len(plan.unassigned),
    }


def _popup(view) -> str:  # type: ignore[no-untyped-def]
    """Return the text of the open popup (once the previous one has faded out)."""
    view.page.wait_for_function("document.querySelectorAll('.leaflet-popup-content').length === 1")
    return str(view.page.locator(".leaflet-popup-content").inner_text())


@pytest.mark.browser
def test_overview_in_chromium_offline(maps, browser) -> None:  # type: ignore[no-untyped-def]
    want = _expected(maps.sp.plan)
    with browser.open(maps.overview, viewport=(1280, 800)) as view:
        assert view.errors == []
        assert view.dialogs == []  # no injected script ran
        assert all(u.startswith("https://tile.openstreetmap.org/") for u in view.blocked)
        assert view.count(".leaflet-overlay-pane path.rp-hh") == want["households"]
        assert view.count(".leaflet-overlay-pane path.rp-route") == want["routes"]
        assert view.count(".leaflet-marker-pane .rp-cross") == want["unassigned"]
        assert view.count(".leaflet-marker-pane .rp-sp") == len(maps.sp.service_points)
        assert view.count(".leaflet-marker-pane .rp-hamlet") == 4
        assert view.count(".leaflet-overlay-pane path.rp-roads") >= 1  # roads drawn offline
        # the layer list: tiles, roads, hamlets, two volunteers with households, points, crosses
        assert view.count(".leaflet-control-layers-overlays input") == 7
        layer_names = view.page.locator(".leaflet-control-layers-overlays").inner_text()
        assert HOSTILE_VOLUNTEER in layer_names  # shown as text
        view.screenshot(ARTIFACTS / "overview.png")

        # the hostile household's popup shows its name as text
        view.page.evaluate("RP.byId['HB-0001'].marker.openPopup()")
        popup = _popup(view)
        assert HOSTILE in popup and "Nguyễn Văn An" in popup
        view.page.evaluate("RP.byId['HB-0002'].marker.openPopup()")
        assert HOSTILE_NOTE.strip() in _popup(view)
        view.page.evaluate("RP.byId['HB-0007'].marker.openPopup()")
        assert TEMPLATE_TEXT in _popup(view)

        # the summary's "hide all" switches every volunteer layer off; a name shows one
        view.page.get_by_role("button", name="Ẩn tất cả").click()
        assert view.count(".leaflet-overlay-pane path.rp-hh") == 0
        view.page.locator(".rp-summary button[data-vid='TN-01']").click()
        assert view.count(".leaflet-overlay-pane path.rp-route") == 2
        # the list of households not visited opens the household's popup
        view.page.locator(".rp-unassigned-list summary").click()
        view.page.locator(".rp-unassigned-list button[data-hid='HB-0013']").click()
        assert "Y Bhăm" in _popup(view)
        assert view.errors == [] and view.dialogs == []


@pytest.mark.browser
def test_volunteer_page_on_a_phone_offline(maps, browser) -> None:  # type: ignore[no-untyped-def]
    plan = maps.sp.plan
    routes = [r for r in plan.routes if r.volunteer_id == "TN-01"]
    n_stops = sum(len(r.stops) for r in routes)
    with browser.open(maps.page("TN-01"), viewport=(390, 844), scale=2) as view:
        assert view.errors == [] and view.dialogs == []
        page = view.page
        # an old plan opens on the week's first round; "all week" shows every stop
        assert (
            page.locator("nav.rp-days button[aria-pressed=true]")
            .inner_text()
            .startswith("Thứ Hai 12/05")
        )
        assert view.count(".leaflet-marker-pane .rp-num") == len(routes[0].stops)
        assert view.visible("section.rp-day") == 1
        page.locator("nav.rp-days button", has_text="Cả tuần").click()
        assert view.count(".leaflet-marker-pane .rp-num") == n_stops
        assert view.count(".leaflet-overlay-pane path.rp-route") == len(routes)
        assert view.visible("section.rp-day") == len(routes)
        assert view.count(".leaflet-overlay-pane path.rp-roads") >= 1
        assert view.visible("#rp-offline") == 1  # says why there is no background map
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no side-scroll
        # list rows are big enough to tap
        for box in [b.bounding_box() for b in page.locator(".rp-day:not([hidden]) a.rp-btn").all()]:
            assert box is not None and box["height"] >= 44
        view.screenshot(ARTIFACTS / "volunteer_phone.png")

        # tap stop 1 of Monday on the map: its popup has the name, services and a call button
        page.locator(".leaflet-marker-pane .rp-num").first.click()
        assert HOSTILE in _popup(view)
        popup = page.locator(".leaflet-popup-content")
        assert "Định danh điện tử VNeID" in popup.inner_text()
        assert popup.locator("a[href^='tel:']").count() == 1
        assert popup.locator("a[href^='geo:']").count() == 1
        view.screenshot(ARTIFACTS / "volunteer_phone_popup.png")

        # the Wednesday tab shows only Wednesday's stops, on the map and in the list
        page.locator("nav.rp-days button", has_text="Thứ Tư").click()
        wed = next(r for r in routes if r.day == 2)
        assert view.count(".leaflet-marker-pane .rp-num") == len(wed.stops)
        assert view.visible("section.rp-day") == 1
        # tapping a row opens that household on the map
        page.locator("section.rp-day[data-round='1'] button.rp-row").nth(1).click()
        page.wait_for_timeout(300)
        assert "Trần Văn Đức" in _popup(view)
        view.screenshot(ARTIFACTS / "volunteer_phone_wednesday.png", full_page=True)
        assert view.errors == [] and view.dialogs == []


@pytest.mark.browser
def test_hostile_volunteer_page_is_inert(maps, browser) -> None:  # type: ignore[no-untyped-def]
    with browser.open(maps.page("TN-02"), viewport=(390, 844)) as view:
        assert view.errors == [] and view.dialogs == []
        assert HOSTILE_VOLUNTEER in view.page.locator("header h1").inner_text()
        view.page.locator("button.rp-row").first.click()
        assert TEMPLATE_TEXT in _popup(view)  # HB-0007, the first stop of TN-02
        assert view.dialogs == []


@pytest.mark.browser
def test_volunteer_page_opens_on_the_day_of_the_round(maps, browser) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    # Tuesday 13 May 2025: TN-01's next round is on Wednesday the 14th
    with browser.open(
        maps.page("TN-01"), viewport=(390, 844), now=dt.datetime(2025, 5, 13, 7, 0)
    ) as view:
        pressed = view.page.locator("nav.rp-days button[aria-pressed=true]").inner_text()
        assert pressed.startswith("Thứ Tư")
        assert view.visible("section.rp-day") == 1
        assert view.errors == []


# --- the real pipeline on part of the demo commune ------------------------------------------


@pytest.fixture(scope="module")
def demo_maps(demo_dir, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Registers -> network -> matrix -> plan -> maps for 3 demo volunteers' households."""
    import datetime as dt
    import types

    from routeplan.config import PlannerSettings
    from routeplan.matrix import build_matrix, points_frame
    from routeplan.network import load_network
    from routeplan.planner import plan as make_plan
    from routeplan.registers import read_households, read_service_points, read_volunteers

    settings = Settings(planner=PlannerSettings(time_limit_s=3.0, seed=1))
    volunteers = read_volunteers(demo_dir / "volunteers.csv", settings=settings).iloc[:3]
    households = read_households(demo_dir / "households.csv", settings=settings)
    homes = volunteers.geometry
    near = households.geometry.apply(lambda g: min(g.distance(h) for h in homes))
    households = households.loc[near.nsmallest(45).index].reset_index(drop=True)
    points_sp = read_service_points(demo_dir / "service_points.csv")
    network = load_network(demo_dir / "hoabac.osm", settings=settings.network)
    points = points_frame(households, volunteers, points_sp)
    matrices = {
        m: build_matrix(network, points, mode=m, settings=settings)
        for m in ("motorbike", "walking")
    }
    plan = make_plan(
        households, volunteers, matrices, settings=settings, week_start=dt.date(2025, 5, 12)
    )
    out = tmp_path_factory.mktemp("demo_maps")
    checked = bundle(
        plan,
        households,
        volunteers,
        service_points=points_sp,
        matrices=matrices,
        settings=settings,
    )
    paths = write_maps(checked, out, network=network)
    return types.SimpleNamespace(plan=plan, paths=paths, out=out, volunteers=volunteers)


def test_demo_pipeline_maps(demo_maps) -> None:  # type: ignore[no-untyped-def]
    assert len(demo_maps.paths) == 1 + len(demo_maps.volunteers)
    assert demo_maps.plan.routes, "the demo plan should have rounds"
    for path in demo_maps.paths:
        assert path.stat().st_size < 1_500_000


@pytest.mark.browser
def test_demo_pipeline_maps_in_chromium(demo_maps, browser) -> None:  # type: ignore[no-untyped-def]
    plan = demo_maps.plan
    want = _expected(plan)
    with browser.open(demo_maps.out / "map_overview.html") as view:
        assert view.errors == []
        assert view.count(".leaflet-overlay-pane path.rp-hh") == want["households"]
        assert view.count(".leaflet-overlay-pane path.rp-route") == want["routes"]
        assert view.count(".leaflet-marker-pane .rp-cross") == want["unassigned"]
    vid = plan.routes[0].volunteer_id
    routes = [r for r in plan.routes if r.volunteer_id == vid]
    with browser.open(demo_maps.out / "volunteers" / f"{vid}.html", viewport=(390, 844)) as view:
        assert view.errors == []
        view.page.locator("nav.rp-days button", has_text="Cả tuần").click()
        assert view.count(".leaflet-marker-pane .rp-num") == sum(len(r.stops) for r in routes)
        # each round follows the roads: far more points than stops
        n_points = view.page.evaluate(
            "Array.from(document.querySelectorAll('path.rp-route'))"
            ".map(p => (p.getAttribute('d').match(/L/g) || []).length)"
        )
        assert all(n > len(r.stops) + 1 for n, r in zip(n_points, routes, strict=False))


def test_without_network_or_matrices(small_plan, tmp_path) -> None:  # type: ignore[no-untyped-def]
    calls: list[tuple[str, float]] = []
    paths = write_maps(
        bundle(small_plan.plan, small_plan.households, small_plan.volunteers),
        tmp_path,
        progress=lambda message, fraction: calls.append((message, fraction)),
    )
    page = paths[0].read_text(encoding="utf-8")
    assert "rp-roads" not in page  # no road layer to draw
    assert page.count('"k":"line"') == len(small_plan.plan.routes)  # straight lines instead
    assert calls[-1][1] == 1.0
    assert all(0.0 <= f <= 1.0 for _, f in calls)


@pytest.mark.browser
def test_a_household_far_from_the_map_is_flagged_with_a_dashed_last_leg(
    small_plan, tmp_path, browser
) -> None:  # type: ignore[no-untyped-def]
    import copy
    import types

    import pandas as pd

    from routeplan.planner import Flag

    route = next(r for r in small_plan.plan.routes if r.volunteer_id == "TN-01")
    hid = route.stops[0].household_id
    detail = "1200 m from the nearest mapped way: map the path to it"
    plan = dataclasses.replace(small_plan.plan, flags=[Flag(hid, "far_from_map", detail)])
    lon, lat = small_plan.households.set_index("household_id").geometry[hid].coords[0]
    matrices = {}
    for mode, m in small_plan.matrices.items():
        m = copy.copy(m)
        m.snaps = pd.DataFrame(
            {
                "snap_m": [1200.0],
                "no_mapped_access": [True],
                "snap_lon": [lon + 0.004],
                "snap_lat": [lat + 0.004],
            },
            index=pd.Index([hid], name="point_id"),
        )
        matrices[mode] = m
    sp = types.SimpleNamespace(**{**vars(small_plan), "plan": plan, "matrices": matrices})
    _write(sp, tmp_path)
    with browser.open(tmp_path / "volunteers" / "TN-01.html", viewport=(390, 844), scale=2) as view:
        assert view.errors == []
        page = view.page
        assert "xa đường trên bản đồ" in page.locator("section.rp-day").first.inner_text()
        dashed = page.locator(".leaflet-overlay-pane path[stroke-dasharray='6 6']")
        assert dashed.count() == 1
        view.screenshot(ARTIFACTS / "volunteer_far_from_map.png")


def test_phone_page_fits_home_closes_popups_and_names_the_weeks_stops(maps, browser) -> None:  # type: ignore[no-untyped-def]
    def inside(box, frame) -> bool:  # type: ignore[no-untyped-def]
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        return bool(
            frame["x"] <= cx <= frame["x"] + frame["width"]
            and frame["y"] <= cy <= frame["y"] + frame["height"]
        )

    routes = [r for r in maps.sp.plan.routes if r.volunteer_id == "TN-01"]
    with browser.open(maps.page("TN-01"), viewport=(390, 844)) as view:
        page = view.page
        frame = page.locator(".folium-map").bounding_box()
        # the volunteer's home, where the round starts, is on the opening view
        assert inside(page.locator(".leaflet-marker-pane .rp-home").first.bounding_box(), frame)
        page.locator(".leaflet-marker-pane .rp-num").first.click()
        assert view.count(".leaflet-popup") == 1
        page.locator("nav.rp-days button[data-round=all]").click()
        page.wait_for_timeout(300)
        assert view.count(".leaflet-popup") == 0  # not left open, cut off, over the week
        assert inside(page.locator(".leaflet-marker-pane .rp-home").first.bounding_box(), frame)
        labels = page.locator(".leaflet-marker-pane .rp-num").all_inner_texts()
        days = {0: "T2", 1: "T3", 2: "T4", 3: "T5", 4: "T6", 5: "T7", 6: "CN"}
        assert sorted(labels) == sorted(f"{days[r.day]}·{s.order}" for r in routes for s in r.stops)
        # back on one day the markers are numbered again
        page.locator("nav.rp-days button[data-round='0']").click()
        assert page.locator(".leaflet-marker-pane .rp-num").first.inner_text() == "1"
        # day buttons wider than the screen fade at the edge they scroll to
        page.set_viewport_size({"width": 220, "height": 844})
        page.wait_for_timeout(200)
        nav = page.locator("nav.rp-days")
        assert page.evaluate("n => n.scrollWidth > n.clientWidth", nav.element_handle())
        assert "rp-more-r" in (nav.get_attribute("class") or "")
        nav.evaluate("n => { n.scrollLeft = n.scrollWidth; n.dispatchEvent(new Event('scroll')); }")
        page.wait_for_timeout(100)
        classes = nav.get_attribute("class") or ""
        assert "rp-more-l" in classes and "rp-more-r" not in classes
        assert view.errors == []
