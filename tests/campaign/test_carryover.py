"""Next week's inputs from the visit log: retries, follow-ups, re-planned volunteers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from helpers_campaign import SETTINGS, TODAY, WEEK1, _hand_plan, _services, _write_outcomes

from routeplan.campaign import (
    carryover,
    init_project,
    load_plan,
    next_week_inputs,
    record_outcomes,
    save_plan,
)
from routeplan.errors import InputDataError


def test_retry_windows_avoid_the_failed_time() -> None:
    sat, sun = 5, 6
    # any time; failed Saturday 08:30 -> not in the morning, any day
    windows, how = carryover._retry_windows((), [(sat, 510)], ((sat, 420, 1020),), 30)
    assert how == "time_of_day"
    assert windows and all(not (s < 720 and e > 0) for _, s, e in windows)
    # the volunteer is only free Saturday mornings and Sunday mornings -> another day
    windows, how = carryover._retry_windows(
        (), [(sat, 510)], ((sat, 420, 660), (sun, 420, 660)), 30
    )
    assert how == "day" and all(d != sat for d, _, _ in windows)
    # nothing else fits: keep the windows
    windows, how = carryover._retry_windows(
        ((sat, 420, 660),), [(sat, 510)], ((sat, 420, 660),), 30
    )
    assert how == "" and windows == ((sat, 420, 660),)
    # the time of the failed visit is unknown: another day
    windows, how = carryover._retry_windows((), [(sat, None)], None, 30)
    assert how == "day" and {d for d, _, _ in windows} == {0, 1, 2, 3, 4, 6}


def test_a_retry_window_leaves_room_for_the_visit_and_the_travel() -> None:
    # HB-0144: any time; not at home Saturday 08:30; its volunteer is free Saturday
    # 07:00-11:00 and 16:00-17:00; a 60-minute visit 10 minutes from home. 16:00-17:00
    # overlaps for 60 minutes, but going, visiting and coming back takes 80: the retry
    # must not move it there (it became unassigned in week 2), it keeps its windows.
    sat = 5
    volunteer = ((sat, 420, 660), (sat, 960, 1020))
    windows, how = carryover._retry_windows((), [(sat, 510)], volunteer, 60, travel_min=10)
    assert how == "" and windows == ()
    # an evening that really fits (16:00-18:00) is taken, and the visit fits in it
    volunteer = ((sat, 420, 660), (sat, 960, 1080))
    windows, how = carryover._retry_windows((), [(sat, 510)], volunteer, 60, travel_min=10)
    assert how == "time_of_day"
    fits = [(s, e) for d, s, e in windows if d == sat and min(e, 1070) - max(s, 970) >= 60]
    assert fits


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
