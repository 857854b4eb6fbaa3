"""Recording outcomes: the template, re-imports and corrections, crashes, concurrency."""

from __future__ import annotations

import multiprocessing
import sqlite3
import warnings
from pathlib import Path
from typing import Any

import pytest
from helpers_campaign import SETTINGS, TEMPLATES, TODAY, _dump, _import_in_process, _write_outcomes

from routeplan.campaign import init_project, outcomes, record_outcomes


def test_template_outcomes_import_into_the_template_project(tmp_path: Path) -> None:
    from routeplan.registers import read_households, read_service_points, read_volunteers

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        init_project(
            tmp_path / "t.gpkg",
            households=read_households(TEMPLATES / "households.csv"),
            volunteers=read_volunteers(TEMPLATES / "volunteers.csv"),
            service_points=read_service_points(TEMPLATES / "service_points.csv"),
        )
    result = record_outcomes(tmp_path / "t.gpkg", TEMPLATES / "outcomes.csv", today=TODAY)
    assert result.added == 4 and not result.warnings


def test_reimport_changes_nothing_and_a_changed_row_is_a_correction(
    project: Path, registers: Any, tmp_path: Path
) -> None:
    hids = list(registers.households["household_id"])
    rows = [
        {
            "household_id": h,
            "date": "05/12/2026",
            "volunteer_id": "TN-05",
            "outcome": "done",
            "people_supported": "2",
        }
        for h in hids[:5]
    ]
    f = _write_outcomes(tmp_path / "w.csv", rows)
    assert record_outcomes(project, f, settings=SETTINGS, today=TODAY).added == 5
    before = _dump(project)
    again = record_outcomes(project, f, settings=SETTINGS, today=TODAY)
    assert again.already_imported and "already imported" in again.summary()
    assert _dump(project) == before
    # the same rows in another order, typed otherwise: recognised as well
    shuffled = [dict(r, date="2026-12-05", outcome="Xong") for r in reversed(rows)]
    again = record_outcomes(
        project, _write_outcomes(tmp_path / "w2.csv", shuffled), settings=SETTINGS, today=TODAY
    )
    assert again.already_imported
    assert _dump(project) == before
    # last week's file plus one corrected and one new row
    rows[0]["people_supported"] = "4"
    rows.append(
        {
            "household_id": hids[9],
            "date": "06/12/2026",
            "volunteer_id": "TN-05",
            "outcome": "not_at_home",
        }
    )
    result = record_outcomes(
        project, _write_outcomes(tmp_path / "w3.csv", rows), settings=SETTINGS, today=TODAY
    )
    assert (result.added, result.corrected, result.unchanged) == (1, 1, 4)
    conn = sqlite3.connect(project)
    assert conn.execute("SELECT count(*) FROM visits").fetchone()[0] == 6
    assert (
        conn.execute(
            "SELECT people_supported FROM visits WHERE household_id = ?", (hids[0],)
        ).fetchone()[0]
        == 4
    )


def test_a_crash_in_the_middle_of_an_import_leaves_the_file_as_it_was(
    project: Path, registers: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hids = list(registers.households["household_id"])
    first = _write_outcomes(
        tmp_path / "w1.csv",
        [
            {"household_id": h, "date": "05/12/2026", "volunteer_id": "TN-05", "outcome": "done"}
            for h in hids[:3]
        ],
    )
    record_outcomes(project, first, settings=SETTINGS, today=TODAY)
    before = _dump(project)
    raw_before = project.read_bytes()
    second = _write_outcomes(
        tmp_path / "w2.csv",
        [
            {
                "household_id": h,
                "date": "12/12/2026",
                "volunteer_id": "TN-05",
                "outcome": "not_at_home",
            }
            for h in hids[3:20]
        ],
    )
    real = outcomes._insert_visit
    calls = []

    def crashing(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) > 5:
            raise OSError("disk unplugged")
        real(*args, **kwargs)

    monkeypatch.setattr(outcomes, "_insert_visit", crashing)
    with pytest.raises(OSError, match="unplugged"):
        record_outcomes(project, second, settings=SETTINGS, today=TODAY)
    assert len(calls) == 6  # five rows were written before the crash
    assert _dump(project) == before
    assert project.read_bytes() == raw_before
    assert not Path(str(project) + "-journal").exists()
    monkeypatch.setattr(outcomes, "_insert_visit", real)
    assert record_outcomes(project, second, settings=SETTINGS, today=TODAY).added == 17


def test_coordinators_importing_at_the_same_time(
    project: Path, registers: Any, tmp_path: Path
) -> None:
    hids = list(registers.households["household_id"])
    files = []
    for k, vid in enumerate(registers.volunteers["volunteer_id"][:2]):
        files.append(
            str(
                _write_outcomes(
                    tmp_path / f"{vid}.csv",
                    [
                        {
                            "household_id": h,
                            "date": "05/12/2026",
                            "volunteer_id": vid,
                            "outcome": "done",
                            "people_supported": "1",
                        }
                        for h in hids[k * 20 : (k + 1) * 20]
                    ],
                )
            )
        )
    jobs = [(str(project), f) for f in files] + [(str(project), files[0])]  # one twice
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(len(jobs)) as pool:
        results = pool.starmap(_import_in_process, jobs)
    assert sorted(results) == [(False, 20), (False, 20), (True, 0)]
    conn = sqlite3.connect(project)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM visits").fetchone()[0] == 40
    assert conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 2
