"""The planner on small communes whose best plan is known or checked by brute force."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from conftest import DEMO
from shapely.geometry import Point

import routeplan
from routeplan.config import PlannerSettings, Settings
from routeplan.errors import InfeasibleError, InputDataError
from routeplan.planner import UNREACHABLE, Plan, build_problem, plan, read_previous

DEMO_NETWORK = DEMO / "hoabac.osm"

SAT, SUN, THU = 5, 6, 3


@dataclass
class FakeMatrix:
    """Stand-in for routeplan.matrix.TravelMatrix: ids, seconds, index()."""

    ids: tuple[str, ...]
    seconds: np.ndarray
    mode: str = "motorbike"

    def index(self, point_id: str) -> int:
        return self.ids.index(point_id)


def hh(
    hid: str,
    x: float,
    y: float = 0.0,
    *,
    services: tuple[str, ...] = ("vneid",),
    priority: bool = False,
    language: str = "",
    windows: tuple[Any, ...] = (),
) -> dict[str, Any]:
    return {
        "household_id": hid,
        "x": x,
        "y": y,
        "services": services,
        "priority": priority,
        "language": language,
        "windows": windows,
    }


def vol(
    vid: str,
    x: float,
    y: float = 0.0,
    *,
    capacity: int = 20,
    windows: tuple[Any, ...] = ((SAT, 7 * 60, 17 * 60),),
    mode: str = "motorbike",
    skills: frozenset[str] = frozenset(),
    languages: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    return {
        "volunteer_id": vid,
        "x": x,
        "y": y,
        "capacity": capacity,
        "windows": windows,
        "mode": mode,
        "skills": skills,
        "languages": languages,
    }


def registers(
    households: list[dict[str, Any]], volunteers: list[dict[str, Any]]
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    h = gpd.GeoDataFrame(
        [{k: v for k, v in r.items() if k not in "xy"} for r in households],
        geometry=[Point(r["x"], r["y"]) for r in households],
        crs="EPSG:4326",
    )
    v = gpd.GeoDataFrame(
        [{k: v for k, v in r.items() if k not in "xy"} for r in volunteers],
        geometry=[Point(r["x"], r["y"]) for r in volunteers],
        crs="EPSG:4326",
    )
    return h, v


def matrices(
    households: list[dict[str, Any]],
    volunteers: list[dict[str, Any]],
    *,
    minute: float = 60.0,
    blocked: tuple[str, ...] = (),
) -> dict[str, FakeMatrix]:
    """Manhattan distance in "minutes" (walking three times slower)."""
    ids = tuple(
        [r["household_id"] for r in households] + [f"home:{r['volunteer_id']}" for r in volunteers]
    )
    xy = np.array([[r["x"], r["y"]] for r in (*households, *volunteers)], dtype=float)
    d = np.abs(xy[:, None, :] - xy[None, :, :]).sum(axis=2)
    out = {}
    for mode, factor in (("motorbike", 1.0), ("walking", 3.0)):
        sec = np.rint(d * minute * factor).astype(np.int32)
        for b in blocked:
            i = ids.index(b)
            sec[i, :] = UNREACHABLE
            sec[:, i] = UNREACHABLE
            sec[i, i] = 0
        out[mode] = FakeMatrix(ids, sec, mode)
    return out


def settings(**planner: Any) -> Settings:
    base = {"workers": 1, "route_solutions": 100, "improve_rounds": 5, "time_limit_s": 60.0}
    return Settings(planner=PlannerSettings(**{**base, **planner}))


def run(
    households: list[dict[str, Any]],
    volunteers: list[dict[str, Any]],
    *,
    previous: dict[str, str] | None = None,
    blocked: tuple[str, ...] = (),
    **planner: Any,
) -> Plan:
    h, v = registers(households, volunteers)
    return plan(
        h,
        v,
        matrices(households, volunteers, blocked=blocked),
        settings=settings(**planner),
        previous=previous,
    )


def reasons(items: list[Any]) -> dict[str, str]:
    return {u.household_id: u.reason for u in items}


# --- 1+20 capacity ----------------------------------------------------------------------


def test_capacity_is_never_exceeded_and_the_rest_is_reported() -> None:
    households = [hh(f"H{i}", i) for i in range(7)]
    volunteers = [vol("A", 0, capacity=2), vol("B", 3, capacity=2), vol("C", 6, capacity=2)]
    p = run(households, volunteers)
    load = {v: list(p.assignment.values()).count(v) for v in "ABC"}
    assert load == {"A": 2, "B": 2, "C": 2}
    assert len(p.unassigned) == 1
    assert p.unassigned[0].reason == "capacity"
    assert "đủ số hộ" in p.unassigned[0].detail  # Vietnamese by default


def test_priority_households_are_kept_when_capacity_is_short() -> None:
    households = [hh("near1", 1), hh("near2", 2), hh("far_elder", 9, priority=True)]
    p = run(households, [vol("A", 0, capacity=2)])
    assert "far_elder" in p.assignment
    assert len(p.unassigned) == 1 and p.unassigned[0].household_id in {"near1", "near2"}


def test_households_go_to_the_nearest_volunteers() -> None:
    households = [hh("a1", 1), hh("a2", 2), hh("b1", 19), hh("b2", 18)]
    p = run(households, [vol("A", 0), vol("B", 20)])
    assert p.assignment == {"a1": "A", "a2": "A", "b1": "B", "b2": "B"}


# --- skills, language, reach -------------------------------------------------------------


def test_skill_households_go_to_a_skilled_volunteer() -> None:
    households = [hh("sig", 9, services=("digital_signature",)), hh("plain", -2)]
    volunteers = [vol("near", 0), vol("skilled", 10, skills=frozenset({"digital_signature"}))]
    p = run(households, volunteers)
    assert p.assignment["sig"] == "skilled"
    assert p.assignment["plain"] == "near"


def test_no_skilled_volunteer_means_unassigned_with_reason() -> None:
    p = run([hh("sig", 1, services=("digital_signature", "vneid"))], [vol("A", 0)])
    assert reasons(p.unassigned) == {"sig": "skill"}
    assert "digital_signature" in p.unassigned[0].detail


def test_language_is_a_strong_preference_by_default() -> None:
    households = [hh("ct", 1, language="co_tu")]
    volunteers = [vol("near", 0), vol("speaker", 8, languages=frozenset({"co_tu"}))]
    assert run(households, volunteers).assignment == {"ct": "speaker"}
    # without any speaker it is still served
    assert run(households, [vol("near", 0)]).assignment == {"ct": "near"}


def test_hard_language_rule_leaves_household_unassigned_with_reason() -> None:
    p = run([hh("ct", 1, language="co_tu")], [vol("near", 0)], language_hard=True)
    assert reasons(p.unassigned) == {"ct": "language"}


def test_unreachable_household_is_reported() -> None:
    p = run([hh("island", 3), hh("ok", 1)], [vol("A", 0)], blocked=("island",))
    assert reasons(p.unassigned) == {"island": "unreachable"}
    assert p.assignment == {"ok": "A"}


# --- weekly rounds ------------------------------------------------------------------------


def test_route_is_the_optimal_tour_checked_by_brute_force() -> None:
    rng = np.random.default_rng(3)
    pts = rng.integers(0, 30, size=(7, 2))
    households = [hh(f"H{i}", float(x), float(y)) for i, (x, y) in enumerate(pts)]
    volunteers = [vol("A", 15, 15, windows=((SAT, 0, 24 * 60),))]
    p = run(households, volunteers)
    assert len(p.routes) == 1 and len(p.routes[0].stops) == 7
    d = matrices(households, volunteers)["motorbike"].seconds.astype(int)
    home = 7
    best = min(
        d[home, o[0]] + sum(d[a, b] for a, b in itertools.pairwise(o)) + d[o[-1], home]
        for o in itertools.permutations(range(7))
    )
    assert p.routes[0].travel_s == best


def test_visits_are_split_over_shifts_and_respect_household_hours() -> None:
    households = [hh(f"H{i}", 1 + i % 3) for i in range(6)]
    households.append(hh("sunday_only", 2, windows=((SUN, 9 * 60, 10 * 60),)))
    volunteers = [vol("A", 0, windows=((SAT, 8 * 60, 10 * 60), (SUN, 8 * 60, 10 * 60)))]
    p = run(households, volunteers)
    assert p.rollover == []
    days = {s.household_id: r.day for r in p.routes for s in r.stops}
    assert days["sunday_only"] == SUN
    stop = next(s for r in p.routes for s in r.stops if s.household_id == "sunday_only")
    assert stop.arrival_s >= 9 * 3600 and stop.departure_s <= 10 * 3600
    for r in p.routes:  # each round inside its hours, from home and back
        assert 8 * 3600 <= r.start_s <= r.end_s <= 10 * 3600
        assert r.duration_s >= r.travel_s + r.service_s


def test_what_does_not_fit_rolls_over_priority_first() -> None:
    # one hour on Saturday; each visit 20 min + travel: only two fit
    households = [hh("p1", 1, priority=True), hh("o1", 1), hh("o2", 1), hh("p2", 2, priority=True)]
    p = run(households, [vol("A", 0, windows=((SAT, 8 * 60, 9 * 60),))])
    visited = {s.household_id for r in p.routes for s in r.stops}
    assert visited == {"p1", "p2"}
    assert reasons(p.rollover) == {"o1": "time", "o2": "time"}
    assert set(p.assignment) == {"p1", "p2", "o1", "o2"}  # still looked after by A


def _best_week_by_brute_force(
    households: list[dict[str, Any]], volunteers: list[dict[str, Any]]
) -> tuple[int, int, int]:
    """(priority rolled over, visits, travel) of the best plan, trying every plan.

    One Saturday shift per volunteer, households with no hours of their own, 20 min
    visits; a plan's cost is the planner's: travel, plus 100,000 s per ordinary and
    10,000,000 s per priority household rolled over.
    """
    d = matrices(households, volunteers)["motorbike"].seconds.astype(int)
    H = len(households)
    prio = [bool(h["priority"]) for h in households]

    def week(v: int, members: tuple[int, ...]) -> tuple[int, int, int, int]:
        (_, a, b), home = volunteers[v]["windows"][0], H + v
        best = (sum(10_000_000 if prio[h] else 100_000 for h in members), 0, 0, 0)
        for k in range(1, len(members) + 1):
            for order in itertools.permutations(members, k):
                legs = [d[home, order[0]], *(d[x, y] for x, y in itertools.pairwise(order))]
                travel = sum(legs) + d[order[-1], home]
                if a * 60 + travel + 1200 * k > b * 60:
                    continue
                left = [h for h in members if h not in order]
                pen = sum(10_000_000 if prio[h] else 100_000 for h in left)
                cost = travel + pen
                if cost < best[0]:
                    best = (cost, sum(prio[h] for h in left), k, travel)
        return best

    best: tuple[int, int, int, int] | None = None
    for owners in itertools.product(range(len(volunteers)), repeat=H):
        if any(owners.count(v) > volunteers[v]["capacity"] for v in range(len(volunteers))):
            continue
        weeks = [
            week(v, tuple(h for h in range(H) if owners[h] == v)) for v in range(len(volunteers))
        ]
        total = (
            sum(w[0] for w in weeks),
            sum(w[1] for w in weeks),
            sum(w[2] for w in weeks),
            sum(w[3] for w in weeks),
        )
        best = total if best is None or total < best else best
    assert best is not None
    return best[1], best[2], best[3]


def test_priority_households_win_the_hours_checked_by_brute_force() -> None:
    # A lives among three priority households, B among three ordinary ones; each has
    # one hour on Saturday, enough for two 20-minute visits with the travel. Counting
    # households, A takes the three priority ones and one of them would roll over
    # while B visits ordinary households; the best plan gives one to B instead.
    households = [
        hh("p1", 1, priority=True),
        hh("p2", 2, priority=True),
        hh("p3", 3, priority=True),
        hh("o1", 9),
        hh("o2", 10),
        hh("o3", 11),
    ]
    one_hour = ((SAT, 8 * 60, 9 * 60),)
    volunteers = [
        vol("A", 0, capacity=3, windows=one_hour),
        vol("B", 12, capacity=3, windows=one_hour),
    ]
    # without the improvement loop: the assignment itself must get this right
    p = run(households, volunteers, improve_rounds=0)
    prio_rolled, visits, travel = _best_week_by_brute_force(households, volunteers)
    assert prio_rolled == 0 and visits == 4
    visited = {s.household_id for r in p.routes for s in r.stops}
    assert {"p1", "p2", "p3"} <= visited
    assert p.visits == visits
    assert p.travel_s == travel
    assert {u.household_id for u in p.rollover} == {"o1", "o2", "o3"} - visited


def test_reasons_follow_the_output_language_and_codes_stay() -> None:
    from string import Formatter

    from routeplan._labels import LABELS

    households = [hh("ok", 1), hh("island", 3), hh("sig", 2, services=("digital_signature",))]
    volunteers = [vol("A", 0, capacity=1)]
    previous = {"ok": "Z", "gone": "A"}
    texts = {}
    for lang in ("vi", "en"):
        h, v = registers(households, volunteers)
        s = dataclasses.replace(
            settings(), output=dataclasses.replace(Settings().output, language=lang)
        )
        p = plan(
            h,
            v,
            matrices(households, volunteers, blocked=("island",)),
            settings=s,
            previous=previous,
        )
        texts[lang] = p
    vi, en = texts["vi"], texts["en"]
    assert (
        reasons(vi.unassigned)
        == reasons(en.unassigned)
        == {"island": "unreachable", "sig": "skill"}
    )
    assert [c.code for c in vi.changes] == [c.code for c in en.changes]
    by_id = {u.household_id: u.detail for u in en.unassigned}
    assert "no volunteer can get there and back" in by_id["island"]
    assert "digital_signature" in by_id["sig"]
    by_id = {u.household_id: u.detail for u in vi.unassigned}
    assert "không tình nguyện viên nào" in by_id["island"]
    assert "digital_signature" in by_id["sig"]
    assert {c.household_id: c.reason for c in en.changes}["gone"].endswith("household register")
    assert "không còn" in {c.household_id: c.reason for c in vi.changes}["gone"]
    # every reason has the same fields in both languages
    prefixes = ("why_", "unserved_", "unassigned_", "rollover_", "change_")
    for key, (vi_text, en_text) in LABELS.items():
        if key.startswith(prefixes):
            fields = [{f for _, f, _, _ in Formatter().parse(t) if f} for t in (vi_text, en_text)]
            assert fields[0] == fields[1], key


def test_household_hours_outside_every_shift_is_unassigned_window() -> None:
    p = run([hh("night", 1, windows=((THU, 20 * 60, 21 * 60),))], [vol("A", 0)])
    assert reasons(p.unassigned) == {"night": "window"}


def test_walkers_use_the_walking_matrix() -> None:
    p = run([hh("H", 5)], [vol("W", 0, mode="walking")])
    assert p.routes[0].mode == "walking"
    assert p.routes[0].travel_s == 2 * 5 * 60 * 3


# --- stability ------------------------------------------------------------------------------


def test_previous_assignment_is_kept_even_if_another_volunteer_is_nearer() -> None:
    households = [hh("H1", 1), hh("H2", 9)]
    volunteers = [vol("A", 0), vol("B", 10)]
    p = run(households, volunteers, previous={"H1": "B", "H2": "A"})
    assert p.assignment == {"H1": "B", "H2": "A"}
    assert p.changes == []


def test_every_change_is_reported_with_its_reason() -> None:
    households = [
        hh("gone_vol", 1),
        hh("cap1", 2),
        hh("cap2", 3),
        hh("sig", 4, services=("digital_signature",)),
        hh("new", 5),
    ]
    volunteers = [vol("A", 0, capacity=1), vol("B", 6, skills=frozenset({"digital_signature"}))]
    previous = {"gone_vol": "Z", "cap1": "A", "cap2": "A", "sig": "A", "left": "A"}
    p = run(households, volunteers, previous=previous)
    codes = {c.household_id: c.code for c in p.changes}
    assert codes["gone_vol"] == "volunteer_gone"
    assert codes["sig"] == "skill"
    assert codes["left"] == "household_gone"
    moved = [h for h in ("cap1", "cap2") if h in codes]
    assert len(moved) == 1 and codes[moved[0]] == "capacity"
    assert "new" not in codes
    assert all(c.reason for c in p.changes)


# --- fairness, reproducibility, reports ----------------------------------------------------


def test_balance_weight_narrows_the_workload_spread() -> None:
    households = [hh(f"H{i}", 2 + i * 0.2) for i in range(8)]
    volunteers = [vol("A", 0), vol("B", 6)]
    loose = run(households, volunteers)
    fair = run(households, volunteers, balance_weight=5.0)
    spread = [max(p.workload_s().values()) - min(p.workload_s().values()) for p in (loose, fair)]
    assert spread[1] < spread[0]
    lo, med, hi = fair.workload_spread()
    assert lo <= med <= hi


def test_same_inputs_give_the_same_plan_also_in_parallel() -> None:
    rng = np.random.default_rng(7)
    households = [
        hh(f"H{i:02d}", float(x), float(y), priority=bool(i % 5 == 0))
        for i, (x, y) in enumerate(rng.integers(0, 40, size=(40, 2)))
    ]
    volunteers = [
        vol(
            f"V{k}",
            float(x),
            float(y),
            capacity=6,
            windows=((SAT, 8 * 60, 10 * 60), (SUN, 14 * 60, 16 * 60)),
        )
        for k, (x, y) in enumerate(rng.integers(0, 40, size=(8, 2)))
    ]
    a = run(households, volunteers)
    b = run(households, volunteers, workers=2)
    assert a.stops_frame().equals(b.stops_frame())
    assert a.assignment == b.assignment
    assert a.travel_s == b.travel_s


def test_summary_and_frames_show_what_a_coordinator_needs() -> None:
    households = [
        hh("H1", 1),
        hh("H2", 2, priority=True),
        hh("sig", 3, services=("pension", "digital_signature")),
    ]
    p = run(households, [vol("A", 0)])
    text = p.summary()
    assert "A" in text and "median" in text and "unassigned" in text
    assert "1 skill" in text
    frame = p.stops_frame()
    assert list(frame["household_id"]) and set(frame["household_id"]) == {"H1", "H2"}
    assert frame["order"].tolist() == sorted(frame["order"].tolist())
    assign = p.assignments_frame()
    assert dict(zip(assign["household_id"], assign["status"], strict=True)) == {
        "H1": "scheduled",
        "H2": "scheduled",
        "sig": "unassigned",
    }


def test_assignment_csv_round_trips_as_previous(tmp_path: Any) -> None:
    p = run([hh("H1", 1), hh("H2", 2)], [vol("A", 0)])
    path = tmp_path / "assignment.csv"
    p.assignments_frame().to_csv(path, index=False)
    assert read_previous(path) == p.assignment


# --- nonsense inputs -------------------------------------------------------------------------


def test_no_volunteers_is_a_clear_error() -> None:
    households = [hh("H1", 1)]
    h, v = registers(households, [vol("A", 0)])
    with pytest.raises(InfeasibleError, match="no volunteers"):
        plan(h, v.iloc[0:0], matrices(households, [vol("A", 0)]))


def test_missing_matrix_or_home_is_an_input_error() -> None:
    households = [hh("H1", 1)]
    volunteers = [vol("A", 0, mode="walking"), vol("B", 1)]
    h, v = registers(households, volunteers)
    mats = matrices(households, volunteers)
    with pytest.raises(InputDataError, match="no travel matrix for mode 'walking'"):
        plan(h, v, {"motorbike": mats["motorbike"]})
    no_home = dataclasses.replace(mats["motorbike"], ids=("H1", "home:A", "elsewhere"))
    with pytest.raises(InputDataError, match="home of volunteer B"):
        plan(h, v, {"motorbike": no_home, "walking": mats["walking"]})


def test_problem_check_catches_a_broken_plan() -> None:
    households = [hh("H1", 1), hh("H2", 2)]
    volunteers = [vol("A", 0, capacity=1), vol("B", 3, capacity=1)]
    h, v = registers(households, volunteers)
    mats = matrices(households, volunteers)
    good = plan(h, v, mats, settings=settings())
    problem = build_problem(h, v, mats, settings=settings())
    assert problem.check(good) == []
    bad = dataclasses.replace(good, assignment={"H1": "A", "H2": "A"})
    assert any("capacity" in e for e in problem.check(bad))


def test_routeplan_plan_is_the_function_after_the_submodule_is_imported() -> None:
    import routeplan.planner as module

    households, volunteers = [hh("H1", 1)], [vol("A", 0)]
    h, v = registers(households, volunteers)
    result = routeplan.plan(h, v, matrices(households, volunteers), settings=settings())
    assert result.assignment == {"H1": "A"}
    assert module.Plan is Plan


def test_extra_service_time_of_a_follow_up_lengthens_the_visit() -> None:
    households, volunteers = [hh("H1", 1), hh("H2", 2)], [vol("A", 0)]
    h, v = registers(households, volunteers)
    h["extra_service_s"] = [1800, 0]
    result = routeplan.plan(h, v, matrices(households, volunteers), settings=settings())
    stops = {s.household_id: s for r in result.routes for s in r.stops}
    assert stops["H1"].service_s == stops["H2"].service_s + 1800


def test_household_too_far_for_any_shift_is_unassigned_far() -> None:
    p = run([hh("far", 200)], [vol("A", 0, windows=((SAT, 8 * 60, 10 * 60),))])
    assert reasons(p.unassigned) == {"far": "far"}


def test_cli_plan_writes_the_three_files(
    tmp_path: Any, fixtures_dir: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from routeplan.cli import main

    reg = fixtures_dir / "registers"
    out = tmp_path / "out"
    code = main(
        [
            "-q",
            "plan",
            "--households",
            str(reg / "households.csv"),
            "--volunteers",
            str(reg / "volunteers.csv"),
            "--network",
            str(DEMO_NETWORK),
            "--time-limit",
            "5",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    written = {p.name for p in out.iterdir()}
    assert {
        "plan_stops.csv",
        "assignment.csv",
        "unassigned.csv",
        "plan.gpkg",
        "map_overview.html",
        "route_sheets_all.pdf",
    } <= written
    text = capsys.readouterr().out
    assert "Weekly workload per volunteer" in text
    previous = read_previous(out / "assignment.csv")
    assert set(previous.values()) <= {"TN-01", "TN-02"}
    # next week, with this week's assignment as previous: nobody moves
    code = main(
        [
            "-q",
            "plan",
            "--households",
            str(reg / "households.csv"),
            "--volunteers",
            str(reg / "volunteers.csv"),
            "--network",
            str(DEMO_NETWORK),
            "--no-maps",
            "--previous",
            str(out / "assignment.csv"),
            "--out",
            str(tmp_path / "week2"),
        ]
    )
    assert code == 0
    assert read_previous(tmp_path / "week2" / "assignment.csv") == previous
    assert not (tmp_path / "week2" / "changes.csv").exists()


def test_cli_plan_needs_registers_or_a_project(capsys: pytest.CaptureFixture[str]) -> None:
    from routeplan.cli import main

    assert main(["plan", "--households", "x.csv"]) == 2
    assert "--project with --week" in capsys.readouterr().err


# --- plans a coordinator would sign: daylight, neighbours, far from the map, time ------------

MON = 0
WEEK = __import__("datetime").date(2026, 12, 7)  # a Monday in December


def _in_da_nang(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Move the hand-made points to Da Nang (x, y units become ~100 m steps)."""
    out = frame.copy()
    out["geometry"] = [Point(108.0 + p.x * 0.001, 16.0 + p.y * 0.001) for p in frame.geometry]
    return out.set_geometry("geometry")


def _plan_in_da_nang(
    households: list[dict[str, Any]],
    volunteers: list[dict[str, Any]],
    *,
    mats: dict[str, Any] | None = None,
    **planner: Any,
) -> Plan:
    h, v = registers(households, volunteers)
    h, v = _in_da_nang(h), _in_da_nang(v)
    return plan(
        h,
        v,
        mats or matrices(households, volunteers),
        settings=settings(**planner),
        week_start=WEEK,
    )


def test_a_round_to_a_remote_household_is_home_by_civil_dusk() -> None:
    households = [{**hh("R1", 10), "remote": True}, {**hh("N1", 12), "remote": False}]
    volunteers = [vol("A", 0, windows=((MON, 16 * 60, 20 * 60),))]
    p = _plan_in_da_nang(households, volunteers)
    dusk = p.stats["dusk_s"][MON]
    assert 17 * 3600 + 20 * 60 < dusk < 17 * 3600 + 50 * 60  # civil dusk, Da Nang, December
    (r,) = [r for r in p.routes if any(s.household_id == "R1" for s in r.stops)]
    assert r.end_s <= dusk
    # without the rule the volunteer leaves as late as the shift allows: home after dusk
    late = _plan_in_da_nang(households, volunteers, daylight=False)
    assert max(r.end_s for r in late.routes) > dusk


def test_a_remote_household_with_only_evening_hours_is_unassigned_for_daylight() -> None:
    households = [{**hh("R1", 10), "remote": True}]
    volunteers = [vol("A", 0, windows=((MON, 17 * 60 + 30, 20 * 60),))]
    p = _plan_in_da_nang(households, volunteers)
    assert [(u.household_id, u.reason) for u in p.unassigned] == [("R1", "daylight")]
    assert "trời sáng" in p.unassigned[0].detail  # "daylight", in the default Vietnamese
    h, v = registers(households, volunteers)
    problem = build_problem(
        _in_da_nang(h), _in_da_nang(v), matrices(households, volunteers), week_start=WEEK
    )
    assert problem.why_not(0, 0) is not None and problem.why_not(0, 0)[0] == "daylight"


def test_neighbours_a_few_metres_apart_go_to_one_volunteer() -> None:
    # by the travel times N1 is nearer A and N2 nearer B, but they are ~20 m apart
    households = [hh("N1", 4), hh("N2", 6), hh("A1", 1), hh("B1", 9)]
    volunteers = [vol("A", 0), vol("B", 10)]
    h, v = registers(households, volunteers)
    h, v = _in_da_nang(h), _in_da_nang(v)
    h.loc[h["household_id"] == "N2", "geometry"] = Point(108.0041, 16.0001)
    mats = matrices(households, volunteers)
    together = plan(h, v, mats, settings=settings(), week_start=WEEK)
    assert together.assignment["N1"] == together.assignment["N2"]
    assert together.stats["neighbour_pairs"] == 1 and together.stats["neighbour_splits"] == 0
    assert together.assignment["A1"] == "A" and together.assignment["B1"] == "B"


def test_neighbours_stay_apart_when_capacity_forbids_and_the_split_is_counted() -> None:
    households = [hh("N1", 4), hh("N2", 6), hh("A1", 1), hh("B1", 9), hh("B2", 8)]
    volunteers = [vol("A", 0, capacity=2), vol("B", 10, capacity=3)]
    h, v = registers(households, volunteers)
    h, v = _in_da_nang(h), _in_da_nang(v)
    # N1, N2 and A1 are all within ~20 m: three neighbours, but A takes only two
    h.loc[h["household_id"] == "N2", "geometry"] = Point(108.0041, 16.0001)
    h.loc[h["household_id"] == "A1", "geometry"] = Point(108.0040, 16.0001)
    p = plan(h, v, matrices(households, volunteers), settings=settings(), week_start=WEEK)
    assert sorted(Counter(p.assignment.values()).values()) == [2, 3]  # both full
    assert p.stats["neighbour_splits"] >= 1
    assert "Neighbours split" in p.summary()


@dataclass
class SnapMatrix(FakeMatrix):
    """A FakeMatrix with the ``snaps`` table of a real one."""

    snaps: Any = None


def test_a_household_far_from_the_map_is_flagged_with_the_fix() -> None:
    import pandas as pd

    households = [hh("F1", 3), hh("H2", 4)]
    volunteers = [vol("A", 0)]
    base = matrices(households, volunteers)
    ids = base["motorbike"].ids
    snaps = pd.DataFrame(
        {
            "snap_m": [1200.0 if i == "F1" else 5.0 for i in ids],
            "access_s": [960 if i == "F1" else 4 for i in ids],
            "no_mapped_access": [i == "F1" for i in ids],
            "reachable": [True] * len(ids),
            "reason": ["1200 m from the nearest mapped way" if i == "F1" else "" for i in ids],
            "snap_lon": [108.0] * len(ids),
            "snap_lat": [16.0] * len(ids),
            "unpaved": [False] * len(ids),
        },
        index=pd.Index(list(ids), name="point_id"),
    )
    mats = {m: SnapMatrix(x.ids, x.seconds, x.mode, snaps) for m, x in base.items()}
    p = _plan_in_da_nang(households, volunteers, mats=mats)
    assert [(f.household_id, f.code) for f in p.flags] == [("F1", "far_from_map")]
    assert "map the path" in p.flags[0].detail or "vẽ đường" in p.flags[0].detail
    frame = p.assignments_frame().set_index("household_id")
    assert frame.loc["F1", "flag"] == "far_from_map" and frame.loc["H2", "flag"] == ""
    stops = p.stops_frame().set_index("household_id")
    assert "far_from_map" in stops.loc["F1", "flags"]
    assert "Far from the map: 1 households" in p.summary()


def test_hours_equal_to_the_volunteers_roll_over_for_time_not_window() -> None:
    shift = ((SAT, 8 * 60, 9 * 60),)
    households = [hh(f"H{i}", 1 + i * 0.1, windows=shift) for i in range(6)]
    p = run(households, [vol("A", 0, windows=shift)])
    assert p.rollover, "six 20-minute visits cannot fit into one hour"
    assert {u.reason for u in p.rollover} == {"time"}
    narrow = [*households, hh("late", 1.5, windows=((SAT, 8 * 60 + 45, 9 * 60),))]
    q = run(narrow, [vol("A", 0, windows=shift)])
    assert "window" not in {u.reason for u in q.rollover if u.household_id != "late"}


def test_the_plan_says_when_the_clock_cut_the_search_and_keeps_its_rules() -> None:
    rng = np.random.default_rng(3)
    households = [
        hh(f"H{i:02d}", float(x), float(y)) for i, (x, y) in enumerate(rng.integers(0, 30, (30, 2)))
    ]
    volunteers = [vol(f"V{k}", float(5 * k), 3.0, capacity=8) for k in range(5)]
    cut = run(households, volunteers, time_limit_s=0.01)
    assert cut.stats["hit_time_limit"] is True and "route" in cut.stats["cut"]
    assert "time limit" in cut.summary()
    assert len(cut.assignment) + len(cut.unassigned) == 30  # still every household, checked
    full = run(households, volunteers)
    assert full.stats["hit_time_limit"] is False and full.stats["cut"] == []
