"""The coordinator's app on the demo commune: page load times, and re-plan vs full plan.

    .venv/bin/python bench/bench_app.py [--repeat 5] [--solutions 100]

1. What the coordinator waits for after one manual move, in the same run, on the same
   project and network (the network is loaded once; matrices come from the cache after
   the first plan), each path end to end and by parts:

   - full: ``routeplan.pipeline.replan_week(full=True)`` (``planner.plan`` with the
     lock) then ``write_outputs`` (every file), into a copy of the week's folder;
   - partial: ``replan_week(full=False)`` (``planner.replan``: only the volunteers the
     move touches are routed again, then improved among themselves) then
     ``write_changed_outputs`` (those volunteers' files and the files listing
     everyone; ``route_sheets_all.pdf`` joined from the volunteers' sheets), into the
     week's folder as the app does.

   The writes are split by their progress messages into bundle + tables, exports,
   maps and sheets (the full write's sheets part is the "render the whole PDF again"
   alternative to joining). The travel of the partial re-plan without its improvement
   (``planner.improve_rounds = 0``, from the same stored plan) is measured too.
2. Page load times: uvicorn on 127.0.0.1 serving the demo project with that plan;
   headless Chromium (Debian's) loads each page (navigation to the ``load`` event,
   iframes included), median of ``--repeat`` loads after one warm-up.

The load average (``os.getloadavg``) is printed at the start and the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

WEEK = dt.date(2026, 12, 7)
PARTS = ("exports:", "maps:", "route sheets:")


def _settings(solutions: int, **planner):  # type: ignore[no-untyped-def]
    from routeplan.config import PlannerSettings, Settings

    return Settings(planner=PlannerSettings(time_limit_s=120, route_solutions=solutions, **planner))


class _Parts:
    """A progress callback timing the parts of a write by their messages' prefixes."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.marks: dict[str, float] = {}

    def __call__(self, message: str, fraction: float) -> None:
        for prefix in PARTS:
            if message.startswith(prefix) and prefix not in self.marks:
                self.marks[prefix] = time.perf_counter()

    def split(self, end: float) -> dict[str, float]:
        names = ("tables", "exports", "maps", "sheets")
        times = [self.start, *(self.marks.get(p, end) for p in PARTS), end]
        return {n: times[i + 1] - times[i] for i, n in enumerate(names)}


def _timed(work: Callable[[], object]) -> tuple[object, float]:
    t = time.perf_counter()
    out = work()
    return out, time.perf_counter() - t


def _write(write, week, settings, out: Path) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from routeplan.pipeline import week_inputs

    parts = _Parts()
    files = write(week.plan, week_inputs(week, settings), out, progress=parts)
    end = time.perf_counter()
    return {"total": end - parts.start, "files": float(len(files)), **parts.split(end)}


def bench_replan(folder: Path, settings, solutions: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from routeplan.campaign import change_adjustments, load_plan, save_plan
    from routeplan.network import load_network
    from routeplan.pipeline import WeekOptions, replan_week, write_changed_outputs, write_outputs

    project = folder / "demo.gpkg"
    net = load_network(folder / "demo-files" / "uploads" / "network.osm")
    cache = folder / "demo-files" / "cache"
    out = folder / "demo-files" / "out" / WEEK.isoformat()

    def again(full: bool, with_settings=settings):  # type: ignore[no-untyped-def]
        options = WeekOptions(settings=with_settings, network=net, cache_dir=cache)
        return replan_week(project, WEEK, options, full=full)

    week, first = _timed(lambda: again(True))
    first_write = _write(write_outputs, week, settings, out)
    base = load_plan(project, WEEK)
    hid, old = sorted(base.assignment.items())[0]
    new = next(v for v in sorted(set(base.assignment.values())) if v != old)
    change_adjustments(project, WEEK, lambda a: dataclasses.replace(a, locks={**a.locks, hid: new}))
    shutil.copytree(out, folder / "full-copy")

    greedy, _ = _timed(lambda: again(False, _settings(solutions, improve_rounds=0)))
    save_plan(project, base, households=week.households)  # the same base for both
    part, partial = _timed(lambda: again(False))
    partial_write = _write(write_changed_outputs, part, settings, out)
    whole, full = _timed(lambda: again(True))
    full_write = _write(write_outputs, whole, settings, folder / "full-copy")
    assert part.plan.assignment[hid] == new and whole.plan.assignment[hid] == new
    save_plan(project, part.plan, households=part.households)  # the pages show the partial
    return {
        "first_plan_s": first,
        "first_write": first_write,
        "full_s": full,
        "full_write": full_write,
        "partial_s": partial,
        "partial_write": partial_write,
        "rerouted": len(part.plan.stats.get("rerouted", [])),
        "improve": part.plan.stats.get("improve", {}),
        "volunteers": len(set(part.plan.assignment.values())),
        "travel_full_h": whole.plan.travel_s / 3600,
        "travel_partial_h": part.plan.travel_s / 3600,
        "travel_greedy_h": greedy.plan.travel_s / 3600,
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


def _print_replan(r) -> None:  # type: ignore[no-untyped-def]
    fw, pw = r["full_write"], r["partial_write"]
    print("| what the coordinator waits for | seconds | volunteers routed | travel h |")
    print("|---|---|---|---|")
    print(f"| first full plan (matrices built) | {r['first_plan_s']:.1f} | {r['volunteers']} | |")
    print(
        f"| full re-plan after one move | {r['full_s']:.1f} | {r['volunteers']} | "
        f"{r['travel_full_h']:.2f} |"
    )
    print(
        f"| partial re-plan after one move | {r['partial_s']:.1f} | {r['rerouted']} | "
        f"{r['travel_partial_h']:.2f} |"
    )
    print(f"| (partial without its improvement) | | | {r['travel_greedy_h']:.2f} |")
    print(f"| full write (all {fw['files']:.0f} files) | {fw['total']:.1f} | | |")
    print(f"| partial write ({pw['files']:.0f} files) | {pw['total']:.1f} | | |")
    full_e2e = r["full_s"] + fw["total"]
    part_e2e = r["partial_s"] + pw["total"]
    print(f"| **full re-plan + full write** | **{full_e2e:.1f}** | | |")
    print(f"| **partial re-plan + partial write** | **{part_e2e:.1f}** | | |")
    print(f"| speed-up end to end | {full_e2e / part_e2e:.1f}x | | |")
    print(f"| speed-up re-plan alone | {r['full_s'] / r['partial_s']:.1f}x | | |")
    print(f"improvement after the partial re-plan: {r['improve']}")
    print()
    print("| write, by part (s) | bundle + tables | exports | maps | sheets |")
    print("|---|---|---|---|---|")
    for name, w in (("first full write", r["first_write"]), ("full", fw), ("partial", pw)):
        print(
            f"| {name} | {w['tables']:.1f} | {w['exports']:.1f} | {w['maps']:.1f} | "
            f"{w['sheets']:.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--solutions", type=int, default=100)
    args = parser.parse_args()
    from routeplan.app import demo_folder

    load_start = os.getloadavg()
    settings = _settings(args.solutions)
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        folder = Path(tmp)
        demo_folder(folder, settings=settings)
        r = bench_replan(folder, settings, args.solutions)
        pages = bench_pages(folder, settings, args.repeat)
    load_end = os.getloadavg()
    print(f"route_solutions={args.solutions}")
    print("load average (1, 5, 15 min) at the start:", ", ".join(f"{x:.1f}" for x in load_start))
    print("load average (1, 5, 15 min) at the end:  ", ", ".join(f"{x:.1f}" for x in load_end))
    _print_replan(r)
    print()
    print("| page | load s (median) |")
    print("|---|---|")
    for label, secs in pages:
        print(f"| {label} | {secs:.2f} |")


if __name__ == "__main__":
    main()
