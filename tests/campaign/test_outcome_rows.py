"""Reading and checking outcomes files: Vietnamese words and dates, bad rows, warnings."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers_campaign import SETTINGS, TODAY, _dump, _services, _write_outcomes

from routeplan.campaign import record_outcomes
from routeplan.errors import InputDataError


def test_record_reads_vietnamese_words_and_dates(
    project: Path, registers: Any, tmp_path: Path
) -> None:
    hids = list(registers.households["household_id"])
    vid = registers.volunteers["volunteer_id"][0]
    svc = _services(registers)
    f = _write_outcomes(
        tmp_path / "w1.csv",
        [
            {
                "household_id": hids[0],
                "date": "05/12/2026",
                "volunteer_id": vid,
                "outcome": "Xong",
                "people_supported": "3",
            },
            {
                "household_id": hids[1],
                "date": "2026-12-05",
                "volunteer_id": vid,
                "outcome": "vắng nhà",
            },
            {
                "household_id": hids[2],
                "date": "6/12/2026",
                "volunteer_id": vid,
                "outcome": "Hẹn lại",
                "services_done": svc[hids[2]][0],
                "people_supported": "2",
                "follow_up": "mang sổ hộ khẩu",
                "service_point_trip": "có",
            },
            {
                "household_id": hids[3],
                "date": "06.12.2026",
                "volunteer_id": vid,
                "outcome": "từ chối",
            },
        ],
    )
    result = record_outcomes(project, f, settings=SETTINGS, today=TODAY)
    assert (result.added, result.corrected, result.unchanged) == (4, 0, 0)
    rows = (
        sqlite3.connect(project)
        .execute(
            "SELECT household_id, visit_date, outcome, services_done, service_point_trip "
            "FROM visits ORDER BY household_id"
        )
        .fetchall()
    )
    assert rows[0] == (hids[0], "2026-12-05", "done", ";".join(svc[hids[0]]), 0)
    assert rows[1][1:3] == ("2026-12-05", "not_at_home")
    assert rows[2][1:] == ("2026-12-06", "follow_up", svc[hids[2]][0], 1)
    assert rows[3][2] == "refused"


def test_bad_rows_are_all_reported_and_nothing_is_imported(
    project: Path, registers: Any, tmp_path: Path
) -> None:
    hids = list(registers.households["household_id"])
    vid = registers.volunteers["volunteer_id"][0]
    before = _dump(project)
    f = _write_outcomes(
        tmp_path / "bad.csv",
        [
            {"household_id": hids[0], "date": "05/12/2026", "volunteer_id": vid, "outcome": "xong"},
            {
                "household_id": "HB-99999",
                "date": "05/12/2026",
                "volunteer_id": vid,
                "outcome": "xong",
            },
            {"household_id": hids[1], "date": "31/11/2026", "volunteer_id": vid, "outcome": "xong"},
            {
                "household_id": hids[2],
                "date": "05/12/2026",
                "volunteer_id": "TN-7",
                "outcome": "xong",
            },
            {
                "household_id": hids[3],
                "date": "05/12/2026",
                "volunteer_id": vid,
                "outcome": "vang nha roi",
            },
            {
                "household_id": hids[4],
                "date": "05/12/2026",
                "volunteer_id": vid,
                "outcome": "done",
                "services_done": "vneidd",
            },
            {"household_id": hids[5], "date": "05/12/26", "volunteer_id": vid, "outcome": "done"},
            {
                "household_id": hids[6],
                "date": "05/12/2026",
                "volunteer_id": vid,
                "outcome": "done",
                "people_supported": "ba",
            },
            {"household_id": hids[0], "date": "2026-12-05", "volunteer_id": vid, "outcome": "done"},
        ],
    )
    with pytest.raises(InputDataError) as info:
        record_outcomes(project, f, settings=SETTINGS, today=TODAY)
    text = str(info.value)
    errors = info.value.errors
    assert len(errors) == 8
    assert "row 3" in text and "unknown household 'HB-99999'" in text
    assert "row 4" in text and "does not exist" in text
    assert "row 5" in text and "unknown volunteer 'TN-7'" in text
    assert "row 6" in text and "unknown outcome" in text and "not_at_home" in text
    assert "row 7" in text and "did you mean 'vneid'" in text
    assert "row 8" in text and "two-digit year" in text
    assert "row 9" in text and "whole number" in text
    assert "row 10" in text and "also in row 2" in text
    assert _dump(project) == before


def test_a_service_the_household_did_not_need_is_a_warning(
    project: Path, registers: Any, tmp_path: Path
) -> None:
    hid = registers.households["household_id"][0]
    extra = next(
        c
        for c in SETTINGS.services
        if c not in _services(registers)[hid] and not SETTINGS.services[c].skill
    )
    f = _write_outcomes(
        tmp_path / "extra.csv",
        [
            {
                "household_id": hid,
                "date": "05/12/2026",
                "volunteer_id": "TN-05",
                "outcome": "done",
                "services_done": extra,
            }
        ],
    )
    result = record_outcomes(project, f, settings=SETTINGS, today=TODAY)
    assert result.added == 1
    assert len(result.warnings) == 1 and "did not need" in str(result.warnings[0])


def test_dates_after_today_are_one_warning(project: Path, registers: Any, tmp_path: Path) -> None:
    rows = [
        {"household_id": h, "date": "05/12/2026", "volunteer_id": "TN-05", "outcome": "done"}
        for h in registers.households["household_id"][:3]
    ]
    result = record_outcomes(
        project,
        _write_outcomes(tmp_path / "f.csv", rows),
        settings=SETTINGS,
        today=dt.date(2026, 12, 1),
    )
    assert result.added == 3
    assert len(result.warnings) == 1
    assert "3 dates after today (2026-12-01): rows 2, 3, 4" in str(result.warnings[0])
