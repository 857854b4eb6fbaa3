"""The campaign: project file, visit log, next week's inputs and progress."""

from __future__ import annotations

import csv
import datetime as dt
import multiprocessing
import sqlite3
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from routeplan import campaign
from routeplan.campaign import (
    init_project,
    load_plan,
    next_week_inputs,
    progress_report,
    read_registers,
    record_outcomes,
    save_plan,
    write_progress,
)
from routeplan.config import PlannerSettings, Settings
from routeplan.errors import InputDataError
from routeplan.planner import Plan, Route, Stop

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "data" / "templates"
HAMLETS = ("Phò Nam", "Trường Định", "Nam Yên")
WEEK1 = dt.date(2026, 11, 30)  # a Monday
TODAY = dt.date(2027, 1, 31)
SETTINGS = Settings(planner=PlannerSettings(time_limit_s=1.0, seed=1))
HEADER = [
    "household_id",
    "date",
    "volunteer_id",
    "outcome",
    "services_done",
    "people_supported",
    "follow_up",
    "service_point_trip",
    "notes",
]


# --- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def registers(demo_dir: Path) -> Any:
    """60 households of 3 hamlets (20 each) and the 8 volunteers living nearest them."""
    import types

    import geopandas as gpd

    from routeplan.registers import read_households, read_service_points, read_volunteers

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hh = read_households(demo_dir / "households.csv", settings=SETTINGS)
        vol = read_volunteers(demo_dir / "volunteers.csv", settings=SETTINGS)
        sp = read_service_points(demo_dir / "service_points.csv")
    hh = hh[hh["village"].isin(HAMLETS)].groupby("village").head(20).reset_index(drop=True)
    centre = gpd.GeoSeries([hh.geometry.union_all().centroid], crs=4326).to_crs(32649).iloc[0]
    dist = vol.geometry.to_crs(32649).distance(centre)
    vol = vol.loc[dist.nsmallest(8).index].reset_index(drop=True)
    return types.SimpleNamespace(households=hh, volunteers=vol, service_points=sp)


@pytest.fixture
def project(tmp_path: Path, registers: Any) -> Path:
    path = tmp_path / "hoabac.gpkg"
    init_project(
        path,
        households=registers.households,
        volunteers=registers.volunteers,
        service_points=registers.service_points,
        today=WEEK1 - dt.timedelta(days=3),
    )
    return path


def _hand_plan(registers: Any, week: dt.date) -> Plan:
    """Each volunteer visits their households on Saturday from 08:00, 30 min apart."""
    hids = list(registers.households["household_id"])
    vids = list(registers.volunteers["volunteer_id"])
    routes, assignment = [], {}
    for v, vid in enumerate(vids):
        mine = hids[v :: len(vids)]
        stops = tuple(Stop(h, k + 1, 8 * 3600 + k * 1800, 1200, 600) for k, h in enumerate(mine))
        routes.append(
            Route(
                vid,
                5,
                "motorbike",
                7 * 3600 + 3000,
                8 * 3600 + len(mine) * 1800,
                stops,
                600 * len(mine),
                1200 * len(mine),
            )
        )
        assignment |= {h: vid for h in mine}
    return Plan(routes=routes, assignment=assignment, week_start=week)


def _write_outcomes(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, HEADER)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in HEADER})
    return path


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (and the header pragmas) for before/after comparisons."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        out = {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
        out["pragmas"] = [
            conn.execute("PRAGMA user_version").fetchone(),
            conn.execute("PRAGMA application_id").fetchone(),
        ]
        return out
    finally:
        conn.close()


def _services(registers: Any) -> dict[str, tuple[str, ...]]:
    return dict(
        zip(registers.households["household_id"], registers.households["services"], strict=True)
    )


# --- the project file --------------------------------------------------------------------


def test_project_is_a_geopackage_that_gdal_reads(project: Path, registers: Any) -> None:
    import pyogrio

    layers = {name: geom for name, geom in pyogrio.list_layers(project)}
    assert layers["households"] == "Point"
    assert layers["volunteers"] == "Point"
    assert layers["service_points"] == "Point"
    for table in ("visits", "plans", "plan_stops", "plan_households", "register_log"):
        assert layers[table] is None  # attribute tables, listed by QGIS as tables
    frame = pyogrio.read_dataframe(project, layer="households")  # warnings are errors here
    assert list(frame["household_id"]) == list(registers.households["household_id"])
    assert frame.crs.to_epsg() == 4326
    assert np.allclose(frame.geometry.x, registers.households.geometry.x)
    conn = sqlite3.connect(project)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 10400
    assert conn.execute("SELECT value FROM routeplan_meta WHERE key = 'schema_version'").fetchone()[
        0
    ] == str(campaign.SCHEMA_VERSION)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_registers_read_back_in_the_contract_form(project: Path, registers: Any) -> None:
    reg = read_registers(project)
    hh, src = reg.households, registers.households
    assert list(hh["household_id"]) == list(src["household_id"])
    assert list(hh["services"]) == list(src["services"])
    assert list(hh["windows"]) == list(src["windows"])
    assert list(hh["priority"]) == list(src["priority"])
    vol = reg.volunteers
    assert list(vol["windows"]) == list(registers.volunteers["windows"])
    assert list(vol["skills"]) == list(registers.volunteers["skills"])
    assert all(isinstance(s, frozenset) for s in vol["languages"])


def test_reinit_adds_updates_and_marks_inactive_without_deleting(
    project: Path, registers: Any
) -> None:
    import geopandas as gpd

    hh = registers.households.copy()
    gone = list(hh["household_id"][:2])
    hh = hh.iloc[2:].reset_index(drop=True)
    changed = hh.loc[0, "household_id"]
    hh.at[0, "services"] = ("vneid", "sim")
    new = registers.households.iloc[[5]].copy()
    new["household_id"] = "HB-9999"
    hh = gpd.GeoDataFrame(pd_concat([hh, new]), crs=4326)
    update = init_project(project, households=hh, today=dt.date(2026, 12, 1))
    assert update.added["households"] == ("HB-9999",)
    assert update.updated["households"] == (changed,)
    assert set(update.inactive["households"]) == set(gone)
    assert update.unchanged["households"] == len(hh) - 2
    assert "volunteers" not in update.unchanged  # not given: left alone
    every = read_registers(project, active_only=False).households
    assert set(gone) <= set(every["household_id"])  # kept, marked inactive with the date
    left = every[every["household_id"].isin(gone)]
    assert not left["active"].any() and set(left["inactive_since"]) == {"2026-12-01"}
    active = read_registers(project).households
    assert not set(gone) & set(active["household_id"])
    assert active.set_index("household_id").loc[changed, "services"] == ("vneid", "sim")
    log = (
        sqlite3.connect(project)
        .execute("SELECT item_id, change FROM register_log WHERE changed_on = '2026-12-01'")
        .fetchall()
    )
    assert (changed, "updated") in log and ("HB-9999", "added") in log
    # back in the list: reactivated
    again = init_project(project, households=registers.households, today=dt.date(2026, 12, 2))
    assert set(again.reactivated["households"]) == set(gone)
    assert again.inactive["households"] == ("HB-9999",)


def pd_concat(frames: list[Any]) -> Any:
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def test_a_new_project_needs_every_register(tmp_path: Path, registers: Any) -> None:
    with pytest.raises(InputDataError, match="service_points"):
        init_project(
            tmp_path / "p.gpkg", households=registers.households, volunteers=registers.volunteers
        )
    assert (
        not (tmp_path / "p.gpkg").exists()
        or sqlite3.connect(tmp_path / "p.gpkg")
        .execute("SELECT count(*) FROM sqlite_master")
        .fetchone()[0]
        == 0
    )


def test_other_files_are_not_taken_for_a_project(tmp_path: Path) -> None:
    with pytest.raises(InputDataError, match="not found"):
        read_registers(tmp_path / "missing.gpkg")
    other = tmp_path / "other.gpkg"
    other.write_text("hello")
    with pytest.raises(InputDataError, match="not an SQLite"):
        read_registers(other)


# --- recording outcomes -------------------------------------------------------------------


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
    real = campaign._insert_visit
    calls = []

    def crashing(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) > 5:
            raise OSError("disk unplugged")
        real(*args, **kwargs)

    monkeypatch.setattr(campaign, "_insert_visit", crashing)
    with pytest.raises(OSError, match="unplugged"):
        record_outcomes(project, second, settings=SETTINGS, today=TODAY)
    assert len(calls) == 6  # five rows were written before the crash
    assert _dump(project) == before
    assert project.read_bytes() == raw_before
    assert not Path(str(project) + "-journal").exists()
    monkeypatch.setattr(campaign, "_insert_visit", real)
    assert record_outcomes(project, second, settings=SETTINGS, today=TODAY).added == 17


def _import_in_process(project: str, outcomes: str) -> tuple[bool, int]:
    result = record_outcomes(project, outcomes, settings=SETTINGS, today=TODAY)
    return result.already_imported, result.added


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


# --- next week ---------------------------------------------------------------------------


def test_retry_windows_avoid_the_failed_time() -> None:
    sat, sun = 5, 6
    # any time; failed Saturday 08:30 -> not in the morning, any day
    windows, how = campaign._retry_windows((), [(sat, 510)], ((sat, 420, 1020),), 30)
    assert how == "time_of_day"
    assert windows and all(not (s < 720 and e > 0) for _, s, e in windows)
    # the volunteer is only free Saturday mornings and Sunday mornings -> another day
    windows, how = campaign._retry_windows((), [(sat, 510)], ((sat, 420, 660), (sun, 420, 660)), 30)
    assert how == "day" and all(d != sat for d, _, _ in windows)
    # nothing else fits: keep the windows
    windows, how = campaign._retry_windows(((sat, 420, 660),), [(sat, 510)], ((sat, 420, 660),), 30)
    assert how == "" and windows == ((sat, 420, 660),)
    # the time of the failed visit is unknown: another day
    windows, how = campaign._retry_windows((), [(sat, None)], None, 30)
    assert how == "day" and {d for d, _, _ in windows} == {0, 1, 2, 3, 4, 6}


def test_next_week_from_hand_made_plan_and_outcomes(
    project: Path, registers: Any, tmp_path: Path
) -> None:
    plan = _hand_plan(registers, WEEK1)
    save_plan(project, plan)
    assert load_plan(project, WEEK1).assignment == plan.assignment
    assert [len(r.stops) for r in load_plan(project, WEEK1).routes] == [
        len(r.stops) for r in plan.routes
    ]
    hids = list(registers.households["household_id"])
    svc = _services(registers)
    sat = "05/12/2026"
    rows = [
        {
            "household_id": hids[0],
            "date": sat,
            "volunteer_id": plan.assignment[hids[0]],
            "outcome": "done",
        },
        {
            "household_id": hids[1],
            "date": sat,
            "volunteer_id": plan.assignment[hids[1]],
            "outcome": "not_at_home",
        },
        {
            "household_id": hids[2],
            "date": sat,
            "volunteer_id": plan.assignment[hids[2]],
            "outcome": "follow_up",
            "follow_up": "mang giấy khai sinh",
            "service_point_trip": "yes",
        },
        {
            "household_id": hids[3],
            "date": sat,
            "volunteer_id": plan.assignment[hids[3]],
            "outcome": "refused",
        },
    ]
    partial = next(h for h in hids[4:] if len(svc[h]) > 1)
    rows.append(
        {
            "household_id": partial,
            "date": sat,
            "volunteer_id": plan.assignment[partial],
            "outcome": "done",
            "services_done": svc[partial][0],
        }
    )
    record_outcomes(
        project, _write_outcomes(tmp_path / "w1.csv", rows), settings=SETTINGS, today=TODAY
    )
    week2 = WEEK1 + dt.timedelta(days=7)
    hh, vol, previous, extras = next_week_inputs(project, week2, settings=SETTINGS)
    ids = set(hh["household_id"])
    assert hids[0] not in ids and extras.complete == (hids[0],)
    assert hids[3] not in ids and extras.refused == (hids[3],)
    assert len(hh) == len(hids) - 2 and len(vol) == len(registers.volunteers)
    row = hh.set_index("household_id")
    # not at home on Saturday morning: another part of the day, said in the notes
    assert row.loc[hids[1], "retry"] and extras.retries[hids[1]] in ("time_of_day", "day")
    assert all(not (d == 5 and s < 720) for d, s, _ in row.loc[hids[1], "windows"])
    assert "vắng nhà" in row.loc[hids[1], "notes"]
    # follow-up: the visit, what to bring, the service-point trip
    assert extras.follow_ups[hids[2]] == "mang giấy khai sinh"
    assert extras.service_point_trips == (hids[2],)
    assert row.loc[hids[2], "service_point_trip"] and row.loc[hids[2], "extra_service_s"] > 0
    assert "mang giấy khai sinh" in row.loc[hids[2], "notes"]
    # partly done: the rest stays to do
    assert row.loc[partial, "services"] == tuple(svc[partial][1:])
    # everyone keeps their volunteer
    assert previous == {h: v for h, v in plan.assignment.items() if h in ids}
    with pytest.raises(InputDataError, match="Monday"):
        next_week_inputs(project, week2 + dt.timedelta(days=1))


def test_a_volunteer_with_less_time_is_replanned(project: Path, registers: Any) -> None:
    import geopandas as gpd

    plan = _hand_plan(registers, WEEK1)
    save_plan(project, plan)
    vol = registers.volunteers.copy()
    busy = vol.loc[0, "volunteer_id"]
    vol.at[0, "windows"] = tuple(w for w in vol.loc[0, "windows"] if w[0] != 5)  # no Saturday
    vol.at[0, "availability"] = "less"
    gone = vol.loc[1, "volunteer_id"]
    vol = gpd.GeoDataFrame(vol.drop(index=1).reset_index(drop=True), crs=4326)
    init_project(project, volunteers=vol, today=WEEK1 + dt.timedelta(days=5))
    _, vols, previous, extras = next_week_inputs(project, WEEK1 + dt.timedelta(days=7))
    assert busy in extras.replanned and "no longer free" in extras.replanned[busy]
    assert extras.volunteers_left == (gone,)
    assert busy not in previous.values() and gone not in previous.values()
    assert len(previous) == len(plan.assignment) - sum(
        v in (busy, gone) for v in plan.assignment.values()
    )
    assert gone not in set(vols["volunteer_id"])


# --- progress --------------------------------------------------------------------------------


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


# --- the command line -----------------------------------------------------------------------


def test_cli_init_record_progress(
    tmp_path: Path, demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from routeplan.cli import main

    project = tmp_path / "p.gpkg"
    args = [
        "init",
        str(project),
        "--households",
        str(TEMPLATES / "households.csv"),
        "--volunteers",
        str(TEMPLATES / "volunteers.csv"),
        "--service-points",
        str(TEMPLATES / "service_points.csv"),
        "--network",
        str(demo_dir / "hoabac.osm"),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["-q", *args]) == 0
    assert "households: 3 added" in capsys.readouterr().out
    assert campaign.project_network(project) == (demo_dir / "hoabac.osm").resolve()
    assert main(["-q", "record", str(project), str(TEMPLATES / "outcomes.csv")]) == 0
    assert "4 visits recorded" in capsys.readouterr().out
    assert main(["-q", "record", str(project), str(TEMPLATES / "outcomes.csv")]) == 0
    assert "already imported" in capsys.readouterr().out
    bad = _write_outcomes(
        tmp_path / "bad.csv",
        [
            {
                "household_id": "HB-0009",
                "date": "05/12/2026",
                "volunteer_id": "TN-01",
                "outcome": "xong",
            }
        ],
    )
    assert main(["-q", "record", str(project), str(bad)]) == 2
    assert "row 2" in capsys.readouterr().err
    assert main(["-q", "progress", str(project), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "Đã hỗ trợ 5 người ở 3/3 hộ" in out and "progress.html" in out
    assert (tmp_path / "out" / "progress.html").is_file()


# --- three simulated weeks with the real planner -------------------------------------------


@pytest.fixture(scope="module")
def demo_network(demo_dir: Path) -> Any:
    from routeplan.network import load_network

    return load_network(demo_dir / "hoabac.osm")


def _plan_week(project: Path, week: dt.date, network: Any) -> campaign.WeekPlan:
    with warnings.catch_warnings():
        # matrix.py multiplies inf by 0 for walk-only edges (reported to its owner)
        warnings.filterwarnings("ignore", "invalid value encountered in multiply", RuntimeWarning)
        return campaign.plan_week(project, week, settings=SETTINGS, network=network)


def _simulate_outcomes(
    plan: Plan, hh: Any, rng: np.random.Generator, week: dt.date
) -> list[dict[str, Any]]:
    todo = dict(zip(hh["household_id"], hh["services"], strict=True))
    rows = []
    for route in plan.routes:
        date = week + dt.timedelta(days=route.day)
        for stop in route.stops:
            hid = stop.household_id
            roll = rng.random()
            row: dict[str, Any] = {
                "household_id": hid,
                "volunteer_id": route.volunteer_id,
                "date": date.strftime("%d/%m/%Y") if rng.random() < 0.5 else date.isoformat(),
            }
            services = list(todo[hid])
            if roll < 0.55:
                row["outcome"] = "xong" if rng.random() < 0.5 else "done"
                if rng.random() < 0.5:
                    row["services_done"] = ";".join(services)
                row["people_supported"] = str(int(rng.integers(1, 5)))
            elif roll < 0.75:
                row["outcome"] = "vắng nhà"
            elif roll < 0.95:
                row["outcome"] = "hẹn lại"
                row["services_done"] = ";".join(services[: len(services) - 1])
                row["people_supported"] = str(int(rng.integers(1, 4)))
                row["follow_up"] = "mang quyết định lương hưu"
                row["service_point_trip"] = "có" if rng.random() < 0.5 else "không"
            else:
                row["outcome"] = "từ chối"
            rows.append(row)
    return rows


def test_three_weeks_plan_record_plan_again(
    tmp_path: Path, registers: Any, demo_network: Any
) -> None:
    project = tmp_path / "campaign.gpkg"
    init_project(
        project,
        households=registers.households,
        volunteers=registers.volunteers,
        service_points=registers.service_points,
        today=WEEK1,
    )
    rng = np.random.default_rng(20261130)
    needed = _services(registers)
    done: dict[str, set[str]] = {h: set() for h in needed}
    people: dict[str, int] = {}
    refused: set[str] = set()
    met: set[str] = set()
    visits = 0
    last_plan: Plan | None = None
    failed_at: dict[str, tuple[int, int]] = {}  # household -> (day, arrival minute)
    for w in range(3):
        week = WEEK1 + dt.timedelta(days=7 * w)
        hh, _, previous, extras = next_week_inputs(project, week, settings=SETTINGS)
        ids = set(hh["household_id"])
        complete = {h for h in needed if h in met and done[h] >= set(needed[h])}
        # completed and refused households leave the rounds; the rest stay with what is left
        assert ids == set(needed) - complete - refused
        assert set(extras.complete) == complete and set(extras.refused) == refused
        for rec in hh.to_dict("records"):
            assert (
                set(rec["services"]) == set(needed[rec["household_id"]]) - done[rec["household_id"]]
            )
        if last_plan is not None:
            # retries: another time than the failed visit, when possible
            for hid, how in extras.retries.items():
                windows = hh.set_index("household_id").loc[hid, "windows"]
                day, minute = failed_at[hid]
                part = campaign._part_of_day(minute)
                if how == "time_of_day":
                    assert not any(s < part[1] and e > part[0] for _, s, e in windows)
                elif how == "day":
                    assert all(d != day for d, _, _ in windows)
            # everyone keeps the volunteer of last week
            assert previous == {h: v for h, v in last_plan.assignment.items() if h in ids}
        planned = _plan_week(project, week, demo_network)  # the same inputs, planned, saved
        plan = planned.plan
        assert planned.carryover == extras and planned.households.equals(hh)
        assert load_plan(project, week).assignment == plan.assignment
        if last_plan is not None:
            kept = sum(plan.assignment.get(h) == v for h, v in previous.items())
            assert kept == len(previous)  # nothing forces a change here
            assert not plan.changes
            # retries and follow-ups are in this week's rounds (or said why not)
            routed = {s.household_id for r in plan.routes for s in r.stops}
            carried = set(extras.retries) | set(extras.follow_ups)
            assert carried and carried <= set(plan.assignment)
            late = {u.household_id for u in plan.rollover}
            assert carried <= routed | late
            for r in plan.routes:
                for s in r.stops:
                    if extras.retries.get(s.household_id) == "time_of_day":
                        part = campaign._part_of_day(failed_at[s.household_id][1])
                        assert not part[0] <= s.arrival_s // 60 < part[1]
        assert sum(len(r.stops) for r in plan.routes) > 0.8 * len(hh)
        rows = _simulate_outcomes(plan, hh, rng, week)
        outcomes = _write_outcomes(tmp_path / f"week{w + 1}.csv", rows)
        result = record_outcomes(project, outcomes, settings=SETTINGS, today=TODAY)
        assert result.added == len(rows) and not result.already_imported
        assert record_outcomes(
            project, outcomes, settings=SETTINGS, today=TODAY
        ).already_imported  # a second import counts nothing twice
        # what the simulation expects
        arrival = {s.household_id: (r.day, s.arrival_s // 60) for r in plan.routes for s in r.stops}
        for row in rows:
            hid, outcome = row["household_id"], campaign.parse_outcome(row["outcome"])
            visits += 1
            if outcome == "not_at_home":
                failed_at[hid] = arrival[hid]
                continue
            failed_at.pop(hid, None)
            met.add(hid)
            if outcome == "refused":
                refused.add(hid)
                continue
            refused.discard(hid)
            listed = [s for s in row.get("services_done", "").split(";") if s]
            if outcome == "done" and not listed:
                listed = list(set(needed[hid]) - done[hid])
            done[hid] |= set(listed)
            people[hid] = max(people.get(hid, 0), int(row.get("people_supported") or 0))
        last_plan = plan
    report = progress_report(project, settings=SETTINGS)
    t = report.totals
    complete = {h for h in needed if h in met and done[h] >= set(needed[h])}
    assert t["visits"] == visits
    assert t["visited"] == len(met)
    assert t["complete"] == len(complete) > 0
    assert t["refused"] == len(refused - complete)
    assert t["people_supported"] == sum(people.values())
    for code in report.services:
        assert t["done_" + code] == sum(code in done[h] for h in needed)
    assert t["not_reached"] == len(set(needed) - met)
    assert report.by_hamlet.iloc[:-1]["visits"].sum() == visits
    assert report.by_volunteer.iloc[:-1]["visits"].sum() == visits
    assert len(campaign.weeks(project)) == 3


def test_an_import_waits_for_another_coordinators_write(
    project: Path, registers: Any, tmp_path: Path
) -> None:
    import threading

    outcomes = _write_outcomes(
        tmp_path / "w.csv",
        [
            {"household_id": h, "date": "05/12/2026", "volunteer_id": "TN-05", "outcome": "done"}
            for h in registers.households["household_id"][:10]
        ],
    )
    other = sqlite3.connect(project, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # someone else is writing
    other.execute("INSERT INTO routeplan_meta VALUES ('note', 'written meanwhile')")
    results: list[Any] = []
    worker = threading.Thread(
        target=lambda: results.append(
            record_outcomes(project, outcomes, settings=SETTINGS, today=TODAY)
        )
    )
    worker.start()
    worker.join(0.5)
    assert worker.is_alive() and not results  # waiting for the lock, not failing
    other.execute("COMMIT")
    other.close()
    worker.join(60)
    assert results and results[0].added == 10
    conn = sqlite3.connect(project)
    assert conn.execute("SELECT value FROM routeplan_meta WHERE key = 'note'").fetchone()
    assert conn.execute("SELECT count(*) FROM visits").fetchone()[0] == 10


def test_updates_work_after_qgis_adds_a_spatial_index(project: Path, registers: Any) -> None:
    # the triggers GDAL (and so QGIS) creates with a spatial index call ST_* functions
    conn = sqlite3.connect(project)
    conn.executescript("""
        CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT,
          extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL);
        CREATE VIRTUAL TABLE rtree_households_geom USING rtree(id, minx, maxx, miny, maxy);
        CREATE TRIGGER rtree_households_geom_insert AFTER INSERT ON households
        WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN
          INSERT OR REPLACE INTO rtree_households_geom VALUES (NEW.fid, ST_MinX(NEW.geom),
            ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
        CREATE TRIGGER rtree_households_geom_update6 AFTER UPDATE OF geom ON households
        WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN
          UPDATE rtree_households_geom SET minx = ST_MinX(NEW.geom), maxx = ST_MaxX(NEW.geom),
            miny = ST_MinY(NEW.geom), maxy = ST_MaxY(NEW.geom) WHERE id = NEW.fid; END;
        INSERT INTO rtree_households_geom SELECT fid, 0, 0, 0, 0 FROM households;
    """)
    conn.close()
    from shapely.geometry import Point

    hh = registers.households.copy()
    hh.at[0, "geometry"] = Point(108.05, 16.13)
    new = hh.iloc[[1]].copy()
    new["household_id"] = "HB-7777"
    hh = pd_concat([hh, new])
    import geopandas as gpd

    update = init_project(project, households=gpd.GeoDataFrame(hh, crs=4326))
    assert update.updated["households"] == (hh["household_id"][0],)
    assert update.added["households"] == ("HB-7777",)
    conn = sqlite3.connect(project)
    fid = conn.execute(
        "SELECT fid FROM households WHERE household_id = ?", (hh["household_id"][0],)
    ).fetchone()[0]
    box = conn.execute(
        "SELECT minx, miny FROM rtree_households_geom WHERE id = ?", (fid,)
    ).fetchone()
    assert box == pytest.approx((108.05, 16.13), abs=1e-4)
    assert conn.execute("SELECT count(*) FROM rtree_households_geom").fetchone()[0] == 61


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
