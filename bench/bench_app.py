"""The coordinator's app on the demo commune: page load times, and re-plan vs full plan.

    .venv/bin/python bench/bench_app.py [--repeat 5] [--solutions 100]

1. Re-planning after one manual move against a full plan, in the same run, both through
   ``routeplan.pipeline.replan_week`` on the same project and network (the network is
   loaded once; matrices come from the cache after the first plan): ``full=True``
   (``planner.plan`` with the lock) and ``full=False`` (``planner.replan``: only the
   volunteers the move touches are routed again). Planning only: writing the outputs
   is the same for both and measured apart (``write_outputs``).
2. Page load times: uvicorn on 127.0.0.1 serving the demo project with that plan;
   headless Chromium (Debian's) loads each page (navigation to the ``load`` event,
   iframes included), median of ``--repeat`` loads after one warm-up.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

WEEK = dt.date(2026, 12, 7)


def _settings(solutions: int):  # type: ignore[no-untyped-def]
    from routeplan.config import PlannerSettings, Settings

    return Settings(planner=PlannerSettings(time_limit_s=120, route_solutions=solutions))


def bench_replan(folder: Path, settings) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from routeplan.campaign import change_adjustments, load_plan
    from routeplan.network import load_network
    from routeplan.pipeline import replan_week, week_inputs, write_outputs

    project = folder / "demo.gpkg"
    net = load_network(folder / "demo-files" / "uploads" / "network.osm")
    cache = folder / "demo-files" / "cache"
    t = time.perf_counter()
    week = replan_week(project, WEEK, full=True, settings=settings, network=net, cache_dir=cache)
    first = time.perf_counter() - t
    t = time.perf_counter()
    write_outputs(
        week.plan, week_inputs(week, settings), folder / "demo-files" / "out" / "2026-12-07"
    )
    outputs = time.perf_counter() - t
    plan = load_plan(project, WEEK)
    hid, old = sorted(plan.assignment.items())[0]
    new = next(v for v in sorted(set(plan.assignment.values())) if v != old)
    change_adjustments(project, WEEK, lambda a: dataclasses.replace(a, locks={**a.locks, hid: new}))
    t = time.perf_counter()
    part = replan_week(project, WEEK, full=False, settings=settings, network=net, cache_dir=cache)
    partial = time.perf_counter() - t
    t = time.perf_counter()
    whole = replan_week(project, WEEK, full=True, settings=settings, network=net, cache_dir=cache)
    full = time.perf_counter() - t
    assert part.plan.assignment[hid] == new and whole.plan.assignment[hid] == new
    # keep the partial plan's files for the pages (the map shows the stored plan)
    return {
        "first_plan_s": first,
        "full_s": full,
        "partial_s": partial,
        "outputs_s": outputs,
        "rerouted": len(part.plan.stats.get("rerouted", [])),
        "volunteers": len(set(part.plan.assignment.values())),
        "travel_full_h": whole.plan.travel_s / 3600,
        "travel_partial_h": part.plan.travel_s / 3600,
    }


def bench_pages(folder: Path, settings, repeat: int) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    from helpers_app import AppServer, Browser, free_port

    from routeplan.app import AppConfig

    pages = [
        ("projects", "/"),
        ("project", "/p/demo"),
        ("week (map, 70 volunteers)", f"/p/demo/week/{WEEK}"),
        ("volunteer rounds + QR", f"/p/demo/week/{WEEK}/v/TN-01"),
        ("outcomes + dashboard", "/p/demo/outcomes"),
        ("coverage form", "/p/demo/coverage"),
    ]
    out = []
    config = AppConfig(folder=folder, settings=settings, port=free_port())
    with AppServer(config) as srv, Browser() as browser:
        s = browser.session(srv.url)
        for label, path in pages:
            s.go(path)  # warm-up
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                s.go(path)
                times.append(time.perf_counter() - t)
            out.append((label, statistics.median(times)))
        s.context.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--solutions", type=int, default=100)
    args = parser.parse_args()
    from routeplan.app import demo_folder

    settings = _settings(args.solutions)
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        folder = Path(tmp)
        demo_folder(folder, settings=settings)
        r = bench_replan(folder, settings)
        pages = bench_pages(folder, settings, args.repeat)
    print(f"route_solutions={args.solutions}")
    print("| plan | seconds | volunteers routed | travel h |")
    print("|---|---|---|---|")
    print(f"| first full plan (matrices built) | {r['first_plan_s']:.1f} | {r['volunteers']} | |")
    print(
        f"| full re-plan after one move | {r['full_s']:.1f} | {r['volunteers']} | "
        f"{r['travel_full_h']:.1f} |"
    )
    print(
        f"| re-plan after one move (partial) | {r['partial_s']:.1f} | {r['rerouted']} | "
        f"{r['travel_partial_h']:.1f} |"
    )
    print(f"| speed-up partial vs full | {r['full_s'] / r['partial_s']:.1f}x | | |")
    print(f"| write_outputs (all files) | {r['outputs_s']:.1f} | | |")
    print()
    print("| page | load s (median) |")
    print("|---|---|")
    for label, secs in pages:
        print(f"| {label} | {secs:.2f} |")


if __name__ == "__main__":
    main()
