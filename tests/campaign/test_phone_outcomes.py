"""Outcomes recorded on the phone page, sent as a file, imported with ``routeplan record``.

Chromium at phone size (390x844), offline, from ``file://``: record on several stops,
reload, record more, send (the downloaded file is caught); the file imports, progress
counts exactly those visits, and the same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import zlib
from pathlib import Path
from typing import Any

import pytest
from helpers_campaign import SETTINGS, WEEK1, _dump, _hand_plan

from routeplan.campaign import progress_report, record_outcomes
from routeplan.cli import main
from routeplan.errors import InputDataError
from routeplan.render import bundle
from routeplan.render.maps import write_maps

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SATURDAY = dt.datetime.combine(WEEK1 + dt.timedelta(days=5), dt.time(9, 30))


@pytest.fixture
def phone_page(tmp_path: Path, registers: Any) -> Any:
    """The phone page of the first volunteer of a hand-made plan of the project's week."""
    import types

    plan = _hand_plan(registers, WEEK1)
    checked = bundle(
        plan, registers.households, registers.volunteers, service_points=registers.service_points
    )
    write_maps(checked, tmp_path / "maps")
    route = plan.routes[0]
    return types.SimpleNamespace(
        path=tmp_path / "maps" / "volunteers" / f"{route.volunteer_id}.html",
        vid=route.volunteer_id,
        hids=[s.household_id for s in route.stops],
        services=dict(
            zip(registers.households["household_id"], registers.households["services"], strict=True)
        ),
    )


def _record(page: Any, hid: str, outcome: str, **more: Any) -> None:
    rec = page.locator(f"details.rp-rec[data-hid='{hid}']")
    rec.locator("summary").click()
    rec.locator(f"input[type=radio][value='{outcome}']").check()
    for code in more.get("services", ()):
        rec.locator(f"input[name=svc][value='{code}']").check()
    if "people" in more:
        rec.locator("input[name=people]").fill(str(more["people"]))
    if "bring" in more:
        rec.locator("input[name=bring]").fill(more["bring"])
        rec.locator("input[name=trip]").check()
    if "notes" in more:
        rec.locator("textarea[name=notes]").fill(more["notes"])
    rec.locator("button[data-act=save]").click()
    assert rec.locator("summary").inner_text().startswith("✓")


@pytest.mark.browser
def test_record_on_the_phone_reload_send_and_import(
    phone_page: Any, project: Path, browser: Any, tmp_path: Path
) -> None:
    hids, vid = phone_page.hids, phone_page.vid
    first_svc = phone_page.services[hids[0]][0]
    with browser.open(phone_page.path, viewport=(390, 844), scale=2, now=SATURDAY) as view:
        page = view.page
        assert view.errors == []
        total = page.locator("#rp-total")
        assert total.inner_text() == f"Đã ghi 0/{len(hids)} · còn {len(hids)} hộ"
        _record(page, hids[0], "done", services=[first_svc], people=3, notes='Bà nói "cảm ơn", vui')
        _record(page, hids[1], "not_at_home")
        view.screenshot(ARTIFACTS / "phone_record.png", full_page=False)
        page.reload()
        page.wait_for_timeout(300)
        # kept across the reload, and the page says what is left to do
        assert total.inner_text() == f"Đã ghi 2/{len(hids)} · còn {len(hids) - 2} hộ"
        assert page.locator("nav.rp-days button[aria-pressed=true] .rp-cnt").inner_text() == (
            f"2/{len(hids)}"
        )
        first = page.locator(f"details.rp-rec[data-hid='{hids[0]}']")
        assert first.locator("summary").inner_text().startswith("✓ Xong")
        first.locator("summary").click()
        assert first.locator("input[name=people]").input_value() == "3"
        first.locator("summary").click()
        # a partial send, then more visits, then the full send
        with page.expect_download() as got:
            page.locator("#rp-send-btn").click()
        partial = tmp_path / "partial.csv"
        got.value.save_as(partial)
        _record(page, hids[2], "follow_up", people=1, bring="Giấy khai sinh của bé")
        _record(page, hids[3], "refused")
        with page.expect_download() as got:
            page.locator("#rp-send-btn").click()
        full = tmp_path / got.value.suggested_filename
        got.value.save_as(full)
        assert page.locator(".rp-copy textarea").input_value().count("\n") == 2 + 4
        view.screenshot(ARTIFACTS / "phone_sent.png", full_page=True)
        assert view.errors == [] and view.dialogs == []
    assert full.name == f"outcomes_{vid}_{WEEK1.isoformat()}.csv"

    # what the phone wrote: who, which week, how many rows, a checksum of the rest
    raw = full.read_bytes().removeprefix(b"\xef\xbb\xbf")
    head, body = raw.split(b"\n", 1)
    assert head.decode() == f"#routeplan-outcomes,{vid},{WEEK1.isoformat()},4,crc32:" + (
        f"{zlib.crc32(body):08x}"
    )

    today = WEEK1 + dt.timedelta(days=6)
    part = record_outcomes(project, partial, settings=SETTINGS, today=today)
    assert (part.added, part.volunteer_id, part.week) == (2, vid, WEEK1.isoformat())
    assert f"from {vid}'s phone, week of {WEEK1.isoformat()}" in part.summary()
    result = record_outcomes(project, full, settings=SETTINGS, today=today)
    assert (result.rows, result.added, result.corrected, result.unchanged) == (4, 2, 0, 2)
    t = progress_report(project, settings=SETTINGS).totals
    assert t["visits"] == 4 and t["visited"] == 3 and t["not_at_home"] == 1
    assert t["people_supported"] == 4 and t["done_" + first_svc] == 1
    before = _dump(project)
    again = record_outcomes(project, full, settings=SETTINGS, today=today)
    assert again.already_imported and _dump(project) == before


def test_record_command_names_the_phone_and_refuses_a_damaged_file(
    project: Path, registers: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hid = registers.households["household_id"][0]
    vid = registers.volunteers["volunteer_id"][0]
    body = (
        "household_id,date,volunteer_id,outcome,services_done,people_supported,follow_up,"
        f"service_point_trip,notes,recorded_at\n{hid},{WEEK1.isoformat()},{vid},not_at_home,"
        f",,,no,,{WEEK1.isoformat()} 17:20\n"
    ).encode()
    head = f"#routeplan-outcomes,{vid},{WEEK1.isoformat()},1,crc32:{zlib.crc32(body):08x}\n"
    good = tmp_path / "good.csv"
    good.write_bytes(b"\xef\xbb\xbf" + head.encode() + body)
    assert main(["-q", "record", str(project), str(good)]) == 0
    out = capsys.readouterr().out
    assert f"from {vid}'s phone, week of {WEEK1.isoformat()}" in out and "1 visits recorded" in out
    cut = tmp_path / "cut.csv"
    cut.write_bytes(head.encode() + body.replace(b"not_at_home", b"done"))
    with pytest.raises(InputDataError, match="checksum does not match"):
        record_outcomes(project, cut, settings=SETTINGS, today=WEEK1 + dt.timedelta(days=6))


_SHARE = """
window.__shared = [];
navigator.canShare = function (d) { return !!(d && d.files && d.files.length); };
navigator.share = function (d) {
  return d.files[0].text().then(function (t) { window.__shared.push([d.files[0].name, t]); });
};
"""


@pytest.mark.browser
def test_served_page_keeps_outcomes_and_hands_the_file_to_the_share_sheet(
    phone_page: Any, project: Path, browser: Any, tmp_path: Path
) -> None:
    """Served by a web server (as the coordinator's app will), on a phone that can share."""
    import functools
    import http.server
    import threading

    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(phone_page.path.parent)
    )
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{phone_page.path.name}"
    hids = phone_page.hids
    try:
        with browser.open(
            phone_page.path, url=url, viewport=(390, 844), now=SATURDAY, init_script=_SHARE
        ) as view:
            page = view.page
            _record(page, hids[0], "done")
            page.reload()
            page.wait_for_timeout(300)
            _record(page, hids[1], "follow_up", bring="Sổ hộ khẩu")
            assert page.locator("#rp-total").inner_text().startswith("Đã ghi 2/")
            page.locator("#rp-send-btn").click()
            page.wait_for_function("window.__shared.length === 1")
            name, text = page.evaluate("window.__shared[0]")
            assert view.errors == []
    finally:
        server.shutdown()
        server.server_close()
    sent = tmp_path / name
    sent.write_text(text, encoding="utf-8")
    result = record_outcomes(project, sent, settings=SETTINGS, today=WEEK1 + dt.timedelta(days=6))
    assert (result.added, result.volunteer_id) == (2, phone_page.vid)
    t = progress_report(project, settings=SETTINGS).totals
    assert t["visits"] == 2 and t["visited"] == 2
    # what to bring and the trip to a service point came through, with the phone's time
    import sqlite3

    conn = sqlite3.connect(project)
    try:
        row = conn.execute(
            "SELECT outcome, follow_up, service_point_trip, source_row FROM visits "
            "WHERE household_id = ?",
            (hids[1],),
        ).fetchone()
    finally:
        conn.close()
    assert row[:3] == ("follow_up", "Sổ hộ khẩu", 1)
    assert f"recorded {SATURDAY:%Y-%m-%d %H:%M}" in row[3]
