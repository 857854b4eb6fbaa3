"""The progress report: counts, files, languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers_campaign import SETTINGS, TODAY, WEEK1, _hand_plan, _services, _write_outcomes

from routeplan.campaign import progress_report, record_outcomes, save_plan, write_progress
from routeplan.config import Settings


def test_progress_counts_and_files(project: Path, registers: Any, tmp_path: Path) -> None:
    save_plan(project, _hand_plan(registers, WEEK1))
    hids = list(registers.households["household_id"])
    svc = _services(registers)
    village = dict(zip(hids, registers.households["village"], strict=True))
    rows = [
        {
            "household_id": h,
            "date": "05/12/2026",
            "volunteer_id": "TN-05",
            "outcome": "done",
            "people_supported": "3",
        }
        for h in hids[:10]
    ]
    rows += [
        {"household_id": h, "date": "05/12/2026", "volunteer_id": "TN-05", "outcome": "not_at_home"}
        for h in hids[10:13]
    ]
    # a second visit to a done household with people counted again: counted once
    rows.append(
        {
            "household_id": hids[0],
            "date": "06/12/2026",
            "volunteer_id": "TN-05",
            "outcome": "done",
            "people_supported": "2",
        }
    )
    record_outcomes(
        project, _write_outcomes(tmp_path / "o.csv", rows), settings=SETTINGS, today=TODAY
    )
    report = progress_report(project, settings=SETTINGS)
    t = report.totals
    assert t["households"] == 60 and t["visited"] == 10 and t["complete"] == 10
    assert t["people_supported"] == 30 and t["visits"] == 14
    assert t["not_at_home"] == 3 and t["not_reached"] == 50
    for code in report.services:
        assert t["done_" + code] == sum(code in svc[h] for h in hids[:10])
    by_hamlet = report.by_hamlet.set_index("hamlet")
    first = village[hids[0]]
    assert by_hamlet.loc[first, "complete"] == sum(village[h] == first for h in hids[:10])
    assert by_hamlet.iloc[:-1]["households"].sum() == 60
    assert len(report.not_reached) == 50
    why = report.not_reached.set_index("household_id")["why"]
    assert "vắng nhà 1 lần" in why[hids[10]] and "kế hoạch tuần 2026-11-30" in why[hids[20]]
    vol = report.by_volunteer.set_index("volunteer_id")
    assert vol.loc["TN-05", "visits"] == 14 and vol.loc["TN-05", "people_supported"] == 30
    assert "30" in report.headline()
    paths = write_progress(report, tmp_path / "out")
    names = sorted(p.name for p in paths)
    assert names == [
        "progress.html",
        "progress_hamlets.csv",
        "progress_not_reached.csv",
        "progress_volunteers.csv",
    ]
    raw = (tmp_path / "out" / "progress_hamlets.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "Thôn".encode() in raw
    page = (tmp_path / "out" / "progress.html").read_text(encoding="utf-8")
    assert (
        "<svg" in page
        and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
        and "https://" not in page
    )
    assert html_escaped(first) in page


def html_escaped(text: str) -> str:
    import html

    return html.escape(text)


def test_progress_in_english(project: Path) -> None:
    settings = Settings(output=dataclasses_replace(Settings().output, language="en"))
    report = progress_report(project, settings=settings)
    assert report.totals["visits"] == 0
    assert "Supported 0 people" in report.summary()
    assert "Hamlet" in report.summary()


def dataclasses_replace(obj: Any, **kwargs: Any) -> Any:
    import dataclasses

    return dataclasses.replace(obj, **kwargs)
