"""A week's changes by hand (locks, volunteers away, capacities) and re-planning with them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import warnings
from pathlib import Path
from typing import Any

import pytest
from helpers_campaign import SETTINGS, WEEK1

from routeplan.campaign import (
    WeekAdjustments,
    change_adjustments,
    load_plan,
    week_adjustments,
)
from routeplan.errors import InputDataError
from routeplan.pipeline import WeekOptions, replan_week


def _lock(hid: str, vid: str) -> Any:
    def apply(a: WeekAdjustments) -> WeekAdjustments:
        return dataclasses.replace(a, locks={**a.locks, hid: vid})

    return apply


def test_changes_are_stored_per_week_and_none_is_lost_by_two_writers(project: Path) -> None:
    assert not week_adjustments(project, WEEK1)
    threads = [
        threading.Thread(target=change_adjustments, args=(project, WEEK1, _lock(f"H{i}", "V")))
        for i in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    locks = week_adjustments(project, WEEK1).locks
    assert set(locks) == {f"H{i}" for i in range(8)}  # every tab's change is there
    other = WEEK1 + dt.timedelta(days=7)
    assert not week_adjustments(project, other)


def test_a_capacity_out_of_range_is_refused_and_nothing_changes(project: Path) -> None:
    with pytest.raises(InputDataError, match="capacity of V1"):
        change_adjustments(project, WEEK1, lambda a: dataclasses.replace(a, capacity={"V1": 900}))
    assert not week_adjustments(project, WEEK1)


def _replan(project: Path, network: Any, *, full: bool) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        options = WeekOptions(settings=SETTINGS, network=network)
        return replan_week(project, WEEK1, options, full=full)


def test_replan_keeps_locks_and_reroutes_only_what_changed(
    project: Path, demo_network: Any
) -> None:
    first = _replan(project, demo_network, full=True).plan
    by_vol: dict[str, list[str]] = {}
    for hid, vid in sorted(first.assignment.items()):
        by_vol.setdefault(vid, []).append(hid)
    src, dst = sorted(by_vol)[:2]
    moved = by_vol[src][0]
    change_adjustments(project, WEEK1, _lock(moved, dst))

    again = _replan(project, demo_network, full=False).plan
    assert again.assignment[moved] == dst
    assert again.stats["replan"] == "partial"
    assert set(again.stats["rerouted"]) <= {src, dst} | set(again.assignment.values())
    assert src in again.stats["rerouted"] and dst in again.stats["rerouted"]
    untouched = set(by_vol) - set(again.stats["rerouted"])
    assert untouched  # some volunteers keep their rounds exactly
    for vid in untouched:
        assert [r for r in first.routes if r.volunteer_id == vid] == [
            r for r in again.routes if r.volunteer_id == vid
        ]
    assert load_plan(project, WEEK1).assignment[moved] == dst  # stored

    full = _replan(project, demo_network, full=True).plan
    assert full.assignment[moved] == dst  # a full plan keeps the lock too


def test_a_volunteer_away_gives_their_households_to_others(
    project: Path, demo_network: Any
) -> None:
    first = _replan(project, demo_network, full=True).plan
    away = max(set(first.assignment.values()), key=list(first.assignment.values()).count)
    theirs = [h for h, v in first.assignment.items() if v == away]
    change_adjustments(project, WEEK1, lambda a: dataclasses.replace(a, away=frozenset({away})))
    again = _replan(project, demo_network, full=False).plan
    assert away not in again.assignment.values()
    assert all(r.volunteer_id != away for r in again.routes)
    placed = [h for h in theirs if h in again.assignment]
    unplaced = {u.household_id for u in again.unassigned}
    assert set(theirs) <= set(placed) | unplaced  # never silently dropped
    assert placed  # the others had room for some
