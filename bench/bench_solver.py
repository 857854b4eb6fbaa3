"""Solver quality: routeplan's OR-Tools configuration against best-known solutions and PyVRP.

Parts (each appends JSON lines to --results, then ``--report`` prints the tables):

cvrp     CVRPLIB X instances (../shared/bench/cvrplib): gap to the best-known cost of
         ``routeplan.planner.solve.solve_cvrp`` and of PyVRP at the same time limit.
solomon  Solomon VRPTW instances (../shared/bench/solomon): gap to the best-known
         distance (distance-only objective).
demo     The demo commune through the real pipeline: ``routeplan.plan`` against PyVRP
         on the same multi-depot problem (see the mapping in ``demo_pyvrp``).
andorra  The same on the real Andorra extract (``bench_plan.andorra_case``: the demo's
         households and volunteers placed near its ways).

``--solver both`` runs routeplan, PyVRP on the whole week and PyVRP on routeplan's
assignment at routeplan's wall time; ``--solver same`` the first and the last only.

Examples::

    .venv/bin/python bench/bench_solver.py cvrp --solver ortools      # all 13, 30/60 s
    .venv/bin/python bench/bench_solver.py cvrp --quick               # 3 instances, 10 s
    .venv/bin/python bench/bench_solver.py solomon --time-limit 30
    .venv/bin/python bench/bench_solver.py demo --time-limit 60
    .venv/bin/python bench/bench_solver.py andorra --time-limit 120 --solver same
    .venv/bin/python bench/bench_solver.py --report
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench"
RESULTS = ROOT / "bench" / "solver_results.jsonl"
sys.path.insert(0, str(ROOT))

QUICK_CVRP = ["X-n101-k25", "X-n214-k11", "X-n303-k21"]


def _record(path: Path, row: dict[str, Any]) -> None:
    row = {**row, "cores": len(os.sched_getaffinity(0))}
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")
    print(json.dumps(row), flush=True)


# --- CVRP --------------------------------------------------------------------------------


def cvrp_instances(quick: bool) -> list[tuple[str, int]]:
    with open(SHARED / "cvrplib" / "bks.csv", encoding="utf-8") as fh:
        bks = {r["instance"]: int(r["bks_cost"]) for r in csv.DictReader(fh)}
    names = QUICK_CVRP if quick else sorted(bks, key=lambda n: int(n.split("-n")[1].split("-")[0]))
    return [(n, bks[n]) for n in names]


def cvrp_time_limit(name: str, given: float | None, quick: bool) -> float:
    if given is not None:
        return given
    if quick:
        return 10.0
    n = int(name.split("-n")[1].split("-")[0]) - 1
    return 30.0 if n <= 300 else 60.0


def fleet(name: str) -> int:
    k = int(name.split("-k")[1])
    return k + max(3, k // 5)


def run_cvrp(args: argparse.Namespace) -> None:
    import vrplib

    for name, bks in cvrp_instances(args.quick):
        tl = cvrp_time_limit(name, args.time_limit, args.quick)
        inst = vrplib.read_instance(str(SHARED / "cvrplib" / f"{name}.vrp"))
        dist = np.rint(inst["edge_weight"]).astype(np.int64)  # CVRPLIB rounds to nearest
        if args.solver in ("ortools", "both"):
            from routeplan.planner.solve import SearchOptions, solve_cvrp

            t0 = time.monotonic()
            routes, cost = solve_cvrp(
                dist,
                inst["demand"],
                int(inst["capacity"]),
                num_vehicles=fleet(name),
                search=SearchOptions(time_limit_s=tl, seed=args.seed),
            )
            _record(
                args.results,
                {
                    "part": "cvrp",
                    "solver": "ortools",
                    "instance": name,
                    "time_limit_s": tl,
                    "wall_s": round(time.monotonic() - t0, 1),
                    "cost": cost,
                    "bks": bks,
                    "gap": (cost - bks) / bks,
                    "routes": len(routes),
                },
            )
        if args.solver in ("pyvrp", "both"):
            import pyvrp
            from pyvrp.stop import MaxRuntime

            data = pyvrp.read(str(SHARED / "cvrplib" / f"{name}.vrp"), round_func="round")
            vt = data.vehicle_type(0).replace(num_available=fleet(name))
            data = data.replace(vehicle_types=[vt])
            t0 = time.monotonic()
            res = pyvrp.solve(data, stop=MaxRuntime(tl), seed=args.seed, display=False)
            cost = int(res.cost()) if res.is_feasible() else None
            _record(
                args.results,
                {
                    "part": "cvrp",
                    "solver": "pyvrp",
                    "instance": name,
                    "time_limit_s": tl,
                    "wall_s": round(time.monotonic() - t0, 1),
                    "cost": cost,
                    "bks": bks,
                    "gap": None if cost is None else (cost - bks) / bks,
                    "routes": res.best.num_routes(),
                },
            )


# --- Solomon ------------------------------------------------------------------------------


def read_solomon(path: Path) -> dict[str, Any]:
    lines = [ln.split() for ln in path.read_text().splitlines() if ln.strip()]
    k = next(i for i, ln in enumerate(lines) if ln and ln[0] == "NUMBER")
    vehicles, capacity = int(lines[k + 1][0]), int(lines[k + 1][1])
    rows = np.array([[float(x) for x in ln] for ln in lines if ln[0].isdigit() and len(ln) == 7])
    xy = rows[:, 1:3]
    dist = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    return {
        "vehicles": vehicles,
        "capacity": capacity,
        "dist": dist,
        "demand": rows[:, 3].astype(int),
        "tw": rows[:, 4:6],
        "service": rows[:, 6],
    }


def run_solomon(args: argparse.Namespace) -> None:
    with open(SHARED / "solomon" / "bks.csv", encoding="utf-8") as fh:
        bks = {r["instance"]: float(r["bks_distance"]) for r in csv.DictReader(fh)}
    names = ["C101", "R101", "RC101"] if args.quick else sorted(bks)
    tl = args.time_limit or (10.0 if args.quick else 30.0)
    for name in names:
        inst = read_solomon(SHARED / "solomon" / f"{name}.txt")
        if args.solver in ("ortools", "both"):
            from routeplan.planner.solve import SearchOptions, solve_vrptw

            t0 = time.monotonic()
            routes, cost = solve_vrptw(
                inst["dist"],
                inst["demand"],
                inst["capacity"],
                inst["tw"],
                inst["service"],
                num_vehicles=inst["vehicles"],
                search=SearchOptions(time_limit_s=tl, seed=args.seed),
            )
            _record(
                args.results,
                {
                    "part": "solomon",
                    "solver": "ortools",
                    "instance": name,
                    "time_limit_s": tl,
                    "wall_s": round(time.monotonic() - t0, 1),
                    "cost": round(cost, 2),
                    "bks": bks[name],
                    "gap": (cost - bks[name]) / bks[name],
                    "routes": len(routes),
                },
            )
        if args.solver in ("pyvrp", "both"):
            cost, nroutes = solomon_pyvrp(inst, tl, args.seed)
            _record(
                args.results,
                {
                    "part": "solomon",
                    "solver": "pyvrp",
                    "instance": name,
                    "time_limit_s": tl,
                    "cost": None if cost is None else round(cost, 2),
                    "bks": bks[name],
                    "gap": None if cost is None else (cost - bks[name]) / bks[name],
                    "routes": nroutes,
                },
            )


def _visits(route: Any) -> list[int]:
    """Client numbers (0-based, in the order they were added) a PyVRP route visits."""
    return [a.idx for a in route if a.is_client()]


def solomon_pyvrp(inst: dict[str, Any], tl: float, seed: int) -> tuple[float | None, int]:
    import pyvrp
    from pyvrp.stop import MaxRuntime

    scale = 1000
    m = pyvrp.Model()
    tw, svc = inst["tw"], inst["service"]
    depot = m.add_depot(
        m.add_location(0, 0), tw_early=int(tw[0, 0] * scale), tw_late=int(tw[0, 1] * scale)
    )
    m.add_vehicle_type(
        inst["vehicles"],
        capacity=inst["capacity"],
        tw_early=int(tw[0, 0] * scale),
        tw_late=int(tw[0, 1] * scale),
    )
    n = len(inst["dist"])
    locs = [depot]
    for i in range(1, n):
        loc = m.add_location(i, 0)
        m.add_client(
            loc,
            delivery=int(inst["demand"][i]),
            service_duration=int(svc[i] * scale),
            tw_early=int(np.ceil(tw[i, 0] * scale)),
            tw_late=int(tw[i, 1] * scale),
        )
        locs.append(loc)
    d = inst["dist"]
    for i, j in itertools.product(range(n), range(n)):
        if i != j:
            m.add_edge(
                m.locations[i],
                m.locations[j],
                distance=round(d[i, j] * scale),
                duration=int(np.floor(d[i, j] * scale)),
            )
    res = m.solve(stop=MaxRuntime(tl), seed=seed, display=False)
    if not res.is_feasible():
        return None, 0
    cost = 0.0
    for r in res.best.routes():
        path = [0, *(c + 1 for c in _visits(r)), 0]
        cost += float(sum(d[a, b] for a, b in itertools.pairwise(path)))
    return cost, res.best.num_routes()


# --- the demo commune ---------------------------------------------------------------------


def run_demo(args: argparse.Namespace) -> None:
    from _demo import demo_case
    from bench_plan import andorra_case

    from routeplan.config import PlannerSettings, Settings
    from routeplan.planner import build_problem, plan

    tl = args.time_limit or 60.0
    cache = ROOT / "bench" / ".cache"
    t0 = time.monotonic()
    hh, vo, mats, _ = (demo_case if args.part == "demo" else andorra_case)(cache)
    t_inputs = time.monotonic() - t0
    # PyVRP has no dusk rule: the comparison plans without it, like for like
    settings = Settings(planner=PlannerSettings(time_limit_s=tl, seed=args.seed, daylight=False))
    if args.solver in ("ortools", "both", "same"):
        t0 = time.monotonic()
        p = plan(hh, vo, mats, settings=settings)
        wall = time.monotonic() - t0
        problem = build_problem(hh, vo, mats, settings=settings)
        lo, med, hi = p.workload_spread()
        _record(
            args.results,
            {
                "part": args.part,
                "solver": "routeplan",
                "time_limit_s": tl,
                "wall_s": round(wall, 1),
                "inputs_s": round(t_inputs, 1),
                "travel_h": round(p.travel_s / 3600, 2),
                "scheduled": p.visits,
                "rollover": len(p.rollover),
                "priority_rolled": sum(
                    1
                    for u in p.rollover
                    if u.household_id in set(hh.loc[hh["priority"], "household_id"])
                ),
                "unassigned": len(p.unassigned),
                "work_h": [round(lo, 2), round(med, 2), round(hi, 2)],
                "language_mismatch": p.stats.get("language_mismatch"),
                "steps_s": p.stats.get("time_s"),
                "rescue": p.stats.get("rescue"),
                "improve": p.stats.get("improve"),
                "hit_time_limit": p.stats.get("hit_time_limit"),
                "final_routing": p.stats.get("final_routing"),
                "cpu_s": round(_cpu_s(), 1),
                "load": os.getloadavg()[0],
            },
        )
    if args.solver in ("pyvrp", "both"):
        problem = build_problem(hh, vo, mats, settings=settings)
        _record(args.results, {**demo_pyvrp(problem, tl, args.seed, hh), "part": args.part})
    if args.solver in ("both", "same"):
        # like for like: PyVRP plans each volunteer's week for routeplan's assignment
        # (so every rule the assignment holds is held) in routeplan's wall time
        row = demo_pyvrp_same_assignment(problem, p, wall, args.seed, workers=p.stats["workers"])
        _record(args.results, {**row, "part": args.part, "load": os.getloadavg()[0]})


def _cpu_s() -> float:
    """CPU seconds of this process and its finished child processes (the solver pool)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _add_household(
    clients: list[Any],
    groups: list[Any],
    location: int,
    priority: bool,
    svc: int,
    windows: Any,
) -> int:
    """Add a household's PyVRP clients, one per window; return how many were added.

    Each client is optional with routeplan's drop penalty as its prize (100 000 s, or
    10 000 000 s for a priority household) on the week-long time axis; the clients of a
    household with several windows form a client group (at most one visited).
    """
    import pyvrp

    prize = 10_000_000 if priority else 100_000
    wins = windows or ((None, 0, 7 * 86400),)
    members = []
    for d, s0, e0 in wins:
        early = s0 if d is None else d * 86400 + s0
        late = e0 if d is None else d * 86400 + e0 - svc
        members.append(len(clients))
        clients.append(
            pyvrp.Client(
                location,
                delivery=[1],
                service_duration=svc,
                tw_early=early,
                tw_late=max(early, late),
                prize=prize,
                required=False,
                group=len(groups) if len(wins) > 1 else None,
            )
        )
    if len(wins) > 1:
        groups.append(pyvrp.ClientGroup(members, required=False))
    return len(wins)


def _pyvrp_week(job: tuple[Any, ...]) -> tuple[int, list[int], int]:
    """One volunteer's week as a PyVRP problem; return (travel, visited, service)."""
    import pyvrp
    from pyvrp.stop import MaxRuntime

    t, shifts, members, service, priority, windows, runtime, seed = job
    nodes = [-1, *members]
    locations = [pyvrp.Location(0, 0) for _ in nodes]
    vehicle_types = [
        pyvrp.VehicleType(
            1,
            capacity=[len(members)],
            start_depot=0,
            end_depot=0,
            tw_early=day * 86400 + a,
            tw_late=day * 86400 + b,
        )
        for day, a, b in shifts
    ]
    clients: list[Any] = []
    groups: list[Any] = []
    owner: list[int] = []
    for k, h in enumerate(members):
        added = _add_household(clients, groups, k + 1, priority[k], int(service[k]), windows[k])
        owner += [h] * added
    data = pyvrp.ProblemData(locations, clients, [pyvrp.Depot(0)], vehicle_types, [t], [t], groups)
    res = pyvrp.solve(data, stop=MaxRuntime(runtime), seed=seed, display=False)
    if not res.is_feasible():
        return 0, [], 0
    travel = service = 0
    visited: list[int] = []
    for r in res.best.routes():
        travel += int(r.distance())
        service += int(r.service_duration())
        visited += [owner[c] for c in _visits(r)]
    return travel, visited, service


def demo_pyvrp_same_assignment(
    problem: Any, plan_: Any, wall: float, seed: int, *, workers: int
) -> dict[str, Any]:
    """PyVRP routing routeplan's assignment: one PyVRP problem per volunteer.

    Each volunteer's households (as routeplan assigned them, so the 1+20 capacity,
    skills, language and stability are what routeplan made of them) with the
    volunteer's shifts as vehicles from and to home, the same travel matrix, service
    times, household hours and drop penalties (as prizes). The volunteers' problems
    share routeplan's wall time in proportion to their households and run in as
    many processes as routeplan used.
    """
    from concurrent.futures import ProcessPoolExecutor

    vidx = {vid: i for i, vid in enumerate(problem.volunteer_ids)}
    hidx = {hid: i for i, hid in enumerate(problem.household_ids)}
    members: dict[int, list[int]] = {}
    for hid, vid in sorted(plan_.assignment.items()):
        members.setdefault(vidx[vid], []).append(hidx[hid])
    n = sum(len(m) for m in members.values())
    H, big = problem.n_households, 10_000_000
    jobs = [
        (
            np.minimum(problem.travel_of(v)[np.ix_([H + v, *m], [H + v, *m])], big).astype(
                np.int64
            ),
            problem.shifts[v],
            m,
            [int(problem.service_s[h]) for h in m],
            [bool(problem.priority[h]) for h in m],
            [problem.hh_windows[h] for h in m],
            max(0.05, wall * workers * len(m) / n),
            seed,
        )
        for v, m in sorted(members.items(), key=lambda kv: -len(kv[1]))
    ]
    t0 = time.monotonic()
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        out = list(pool.map(_pyvrp_week, jobs))
    took = time.monotonic() - t0
    visited = {h for _, vis, _ in out for h in vis}
    hours = sorted((tr + sv) / 3600 for (tr, _, sv) in out) or [0.0]
    travel = sum(tr for tr, _, _ in out)
    return {
        "part": "demo",
        "solver": "pyvrp_same_assignment",
        "time_limit_s": round(wall, 1),
        "wall_s": round(took, 1),
        "travel_h": round(travel / 3600, 2),
        "scheduled": len(visited),
        "rollover": n - len(visited),
        "priority_rolled": int(
            sum(
                1
                for h in hidx.values()
                if h not in visited
                and problem.priority[h]
                and problem.household_ids[h] in plan_.assignment
            )
        ),
        "work_h": [round(hours[0], 2), round(float(np.median(hours)), 2), round(hours[-1], 2)],
        "routeplan_travel_h": round(plan_.travel_s / 3600, 2),
        "gap_routeplan_vs_pyvrp": round((plan_.travel_s - travel) / travel, 4),
    }


def _profiles(problem: Any, big: int) -> tuple[list[Any], list[Any]]:
    """Return the routing profiles (mode, skills) of the volunteers and their matrices.

    A profile's matrix has its mode's travel times, and ``big`` into the households
    needing a skill it lacks (and on unreachable legs).
    """
    H, V = problem.n_households, problem.n_volunteers
    keys = sorted(
        {(problem.modes[v], problem.skills[v]) for v in range(V)},
        key=lambda k: (k[0], sorted(k[1])),
    )
    matrices = []
    for mode, skills in keys:
        t = np.minimum(problem.travel[mode], big).astype(np.int64)
        bad = np.array([not problem.needs[h] <= skills for h in range(H)] + [False] * V)
        t[:, bad] = big
        np.fill_diagonal(t, 0)
        matrices.append(t)
    return keys, matrices


def _shift_vehicles(problem: Any, keys: list[Any]) -> list[Any]:
    """Return a PyVRP vehicle type per volunteer shift, from and to the volunteer's home."""
    import pyvrp

    vehicle_types = []
    for v in range(problem.n_volunteers):
        prof = keys.index((problem.modes[v], problem.skills[v]))
        for day, a, b in problem.shifts[v]:
            vehicle_types.append(
                pyvrp.VehicleType(
                    1,
                    capacity=[20],
                    start_depot=v,
                    end_depot=v,
                    tw_early=day * 86400 + a,
                    tw_late=day * 86400 + b,
                    profile=prof,
                    name=f"{problem.volunteer_ids[v]}:{day}",
                )
            )
    return vehicle_types


def demo_pyvrp(problem: Any, tl: float, seed: int, hh: Any) -> dict[str, Any]:
    """The same week as a PyVRP problem.

    Mapping: locations are the households and the volunteers' homes, with routeplan's
    travel matrix as both distance and duration; one depot per home; one vehicle type
    per volunteer shift (start and end at the home, time window = the shift on a
    week-long time axis, capacity 20 visits); one client per household window
    (service time = its services' minutes, optional with a prize = routeplan's drop
    penalty, 100 000 s or 10 000 000 s for priority households; a household with
    hours on several days is a client group of one client per window, at most one
    visited). Skills and modes are routing profiles: a vehicle's profile has the
    travel times of its mode and makes households needing a skill it lacks (and
    unreachable legs) cost 10^7 s. What PyVRP cannot express: the 1+20 capacity across
    a volunteer's several shifts (here 20 per shift, looser), the soft language
    preference (ignored) and stability. So PyVRP solves a relaxation of routeplan's
    problem: its travel time is a bound to compare with, not a competitor held to the
    same rules.
    """
    import pyvrp
    from pyvrp.stop import MaxRuntime

    H, V = problem.n_households, problem.n_volunteers
    big = 10_000_000
    locations = [
        pyvrp.Location(int(x * 1e5), int(y * 1e5))
        for x, y in zip(hh.geometry.x, hh.geometry.y, strict=True)
    ]
    locations += [pyvrp.Location(0, 0) for _ in range(V)]
    depots = [pyvrp.Depot(H + v) for v in range(V)]
    keys, matrices = _profiles(problem, big)
    vehicle_types = _shift_vehicles(problem, keys)
    clients: list[Any] = []
    groups: list[Any] = []
    owner: list[int] = []
    for h in range(H):
        svc = int(problem.service_s[h])
        added = _add_household(clients, groups, h, problem.priority[h], svc, problem.hh_windows[h])
        owner += [h] * added
    data = pyvrp.ProblemData(locations, clients, depots, vehicle_types, matrices, matrices, groups)
    t0 = time.monotonic()
    res = pyvrp.solve(data, stop=MaxRuntime(tl), seed=seed, display=False)
    wall = time.monotonic() - t0
    sol = res.best
    travel = 0
    visited: set[int] = set()
    per_v: dict[str, float] = {}
    count_v: dict[str, int] = {}
    for r in sol.routes():
        travel += int(r.distance())
        vis = [owner[c] for c in _visits(r)]
        visited.update(vis)
        vid = vehicle_types[r.vehicle_type()].name.split(":")[0]
        per_v[vid] = per_v.get(vid, 0) + (r.distance() + r.service_duration()) / 3600
        count_v[vid] = count_v.get(vid, 0) + len(vis)
    hours = sorted(per_v.values()) or [0.0]
    return {
        "part": "demo",
        "solver": "pyvrp",
        "time_limit_s": tl,
        "wall_s": round(wall, 1),
        "feasible": res.is_feasible(),
        "travel_h": round(travel / 3600, 2),
        "scheduled": len(visited),
        "rollover": H - len(visited),
        "priority_rolled": int(
            sum(1 for h in range(H) if h not in visited and problem.priority[h])
        ),
        "work_h": [round(hours[0], 2), round(float(np.median(hours)), 2), round(hours[-1], 2)],
        "volunteers_over_capacity": sum(1 for n in count_v.values() if n > 20),
        "max_visits_per_volunteer": max(count_v.values(), default=0),
    }


# --- report -----------------------------------------------------------------------------


def report(path: Path) -> None:
    rows = [json.loads(ln) for ln in path.read_text().splitlines() if ln.strip()]
    latest: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        latest[(r["part"], r.get("instance", "demo"), r["solver"])] = r
    for part, label in (("cvrp", "CVRPLIB X"), ("solomon", "Solomon VRPTW")):
        names = sorted({k[1] for k in latest if k[0] == part}, key=lambda n: (len(n), n))
        if not names:
            continue
        print(f"\n{label}\n")
        print("| instance | limit (s) | BKS | OR-Tools (routeplan) | gap | PyVRP | gap |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        gaps: dict[str, list[float]] = {"ortools": [], "pyvrp": []}
        for n in names:
            o = latest.get((part, n, "ortools"), {})
            p = latest.get((part, n, "pyvrp"), {})
            bks = o.get("bks", p.get("bks"))
            for s, r in (("ortools", o), ("pyvrp", p)):
                if r.get("gap") is not None:
                    gaps[s].append(r["gap"])

            def cell(r: dict[str, Any]) -> str:
                if not r:
                    return "| – | –"
                return (
                    f"| {r['cost']} | {100 * r['gap']:.2f}%"
                    if r.get("gap") is not None
                    else "| infeasible | –"
                )

            limit = o.get("time_limit_s", p.get("time_limit_s"))
            print(f"| {n} | {limit:g} | {bks} {cell(o)} {cell(p)} |")
        for s, g in gaps.items():
            if g:
                print(
                    f"\n{s}: mean gap {100 * np.mean(g):.2f}%, worst {100 * max(g):.2f}% "
                    f"over {len(g)} instances"
                )
    demo = [latest[k] for k in latest if k[0] in ("demo", "andorra")]
    if demo:
        print("\nDemo commune\n")
        for r in demo:
            print(json.dumps(r))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("part", nargs="?", choices=("cvrp", "solomon", "demo", "andorra"))
    ap.add_argument("--solver", choices=("ortools", "pyvrp", "both", "same"), default="both")
    ap.add_argument("--time-limit", type=float)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="a few instances, short limits")
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--report", action="store_true", help="print the tables and exit")
    args = ap.parse_args()
    if args.report or args.part is None:
        report(args.results)
        return
    run = {"cvrp": run_cvrp, "solomon": run_solomon, "demo": run_demo, "andorra": run_demo}
    run[args.part](args)


if __name__ == "__main__":
    main()
