"""Three simulated weeks with the real planner: plan, record, plan again."""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from helpers_campaign import SETTINGS, TODAY, WEEK1, _services, _write_outcomes

from routeplan import campaign
from routeplan.campaign import (
    carryover,
    init_project,
    load_plan,
    next_week_inputs,
    progress_report,
    record_outcomes,
)
from routeplan.pipeline import WeekOptions, plan_week
from routeplan.planner import Plan


def _plan_week(project: Path, week: dt.date, network: Any) -> campaign.WeekPlan:
    with warnings.catch_warnings():
        # matrix.py multiplies inf by 0 for walk-only edges (reported to its owner)
        warnings.filterwarnings("ignore", "invalid value encountered in multiply", RuntimeWarning)
        return plan_week(project, week, WeekOptions(settings=SETTINGS, network=network))


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


@dataclass
class _Expected:
    """What the simulation expects the project to know, week after week."""

    needed: dict[str, tuple[str, ...]]
    done: dict[str, set[str]]
    people: dict[str, int] = field(default_factory=dict)
    refused: set[str] = field(default_factory=set)
    met: set[str] = field(default_factory=set)
    visits: int = 0
    last_plan: Plan | None = None
    failed_at: dict[str, tuple[int, int]] = field(default_factory=dict)  # household -> (day, min)

    def complete(self) -> set[str]:
        needed, done = self.needed, self.done
        return {h for h in needed if h in self.met and done[h] >= set(needed[h])}


def _check_inputs(expected: _Expected, inputs: Any) -> None:
    """What next_week_inputs says before planning the week."""
    hh, _, previous, extras = inputs
    needed, done, refused = expected.needed, expected.done, expected.refused
    last_plan, failed_at = expected.last_plan, expected.failed_at
    ids = set(hh["household_id"])
    complete = expected.complete()
    # completed and refused households leave the rounds; the rest stay with what is left
    assert ids == set(needed) - complete - refused
    assert set(extras.complete) == complete and set(extras.refused) == refused
    for rec in hh.to_dict("records"):
        assert set(rec["services"]) == set(needed[rec["household_id"]]) - done[rec["household_id"]]
    if last_plan is not None:
        # retries: another time than the failed visit, when possible
        for hid, how in extras.retries.items():
            windows = hh.set_index("household_id").loc[hid, "windows"]
            day, minute = failed_at[hid]
            part = carryover._part_of_day(minute)
            if how == "time_of_day":
                assert not any(s < part[1] and e > part[0] for _, s, e in windows)
            elif how == "day":
                assert all(d != day for d, _, _ in windows)
        # everyone keeps the volunteer of last week
        assert previous == {h: v for h, v in last_plan.assignment.items() if h in ids}


def _check_plan(
    expected: _Expected, project: Path, week: dt.date, planned: Any, inputs: Any
) -> None:
    """What the week planned from those inputs holds."""
    hh, _, previous, extras = inputs
    last_plan, failed_at = expected.last_plan, expected.failed_at
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
                    part = carryover._part_of_day(failed_at[s.household_id][1])
                    assert not part[0] <= s.arrival_s // 60 < part[1]
    assert sum(len(r.stops) for r in plan.routes) > 0.8 * len(hh)


def _expect(expected: _Expected, plan: Plan, rows: list[dict[str, Any]]) -> None:
    """What the simulation expects after the week's outcomes are recorded."""
    needed, done, people = expected.needed, expected.done, expected.people
    refused, met, failed_at = expected.refused, expected.met, expected.failed_at
    arrival = {s.household_id: (r.day, s.arrival_s // 60) for r in plan.routes for s in r.stops}
    for row in rows:
        hid, outcome = row["household_id"], campaign.parse_outcome(row["outcome"])
        expected.visits += 1
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


def _check_report(expected: _Expected, project: Path) -> None:
    """What the progress report says after the three weeks."""
    needed, done, people = expected.needed, expected.done, expected.people
    refused, met, visits = expected.refused, expected.met, expected.visits
    report = progress_report(project, settings=SETTINGS)
    t = report.totals
    complete = expected.complete()
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
    expected = _Expected(needed, {h: set() for h in needed})
    for w in range(3):
        week = WEEK1 + dt.timedelta(days=7 * w)
        inputs = next_week_inputs(project, week, settings=SETTINGS)
        hh = inputs[0]
        _check_inputs(expected, inputs)
        planned = _plan_week(project, week, demo_network)  # the same inputs, planned, saved
        _check_plan(expected, project, week, planned, inputs)
        plan = planned.plan
        rows = _simulate_outcomes(plan, hh, rng, week)
        outcomes = _write_outcomes(tmp_path / f"week{w + 1}.csv", rows)
        result = record_outcomes(project, outcomes, settings=SETTINGS, today=TODAY)
        assert result.added == len(rows) and not result.already_imported
        assert record_outcomes(
            project, outcomes, settings=SETTINGS, today=TODAY
        ).already_imported  # a second import counts nothing twice
        # what the simulation expects
        _expect(expected, plan, rows)
        expected.last_plan = plan
    _check_report(expected, project)
