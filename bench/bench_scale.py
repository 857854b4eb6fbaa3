"""Scaling: one area from a commune to a city, through the real pipeline.

Each size is the demo registers copied and jittered k times on the demo network
(``bench/make_scaled.py``), planned in a fresh process the way ``routeplan plan
--no-maps --time-limit 600`` plans it (``load_inputs``, ``make_plan``,
``write_outputs`` of the tables and exports, an empty matrix cache). Recorded per
size: wall seconds, peak memory of the whole process tree (sampled every 0.2 s with
psutil: the planner and its solver processes), the matrix cache on disk, visits,
travel per visit, households left out. Each run appends a JSON line to --results.

Examples::

    .venv/bin/python bench/bench_scale.py 1 2 4        # 1,350/70, 2,700/140, 5,400/280
    .venv/bin/python bench/bench_scale.py 20000:1000   # households:volunteers
    .venv/bin/python bench/bench_scale.py 100000:70
    .venv/bin/python bench/bench_scale.py --report
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "scale_results.jsonl"
sys.path.insert(0, str(ROOT))


def _size(spec: str) -> tuple[int, int]:
    """``"4"`` (copies of the demo) or ``"20000:1000"`` -> (households, volunteers)."""
    if ":" in spec:
        h, v = spec.split(":")
        return int(h), int(v)
    return 1350 * int(spec), 70 * int(spec)


def child(households: int, volunteers: int, time_limit: float, work: Path) -> dict[str, Any]:
    """Plan one size in this process; return the figures."""
    from make_scaled import make_scaled  # type: ignore[import-not-found]

    from routeplan.config import Settings
    from routeplan.demo import demo_files
    from routeplan.errors import RouteplanError
    from routeplan.pipeline import InputFiles, load_inputs, make_plan, write_outputs

    copies = -(-households // 1350)
    vcopies = -(-volunteers // 70)
    paths = make_scaled(
        work, copies, volunteer_copies=vcopies, households=households, volunteers=volunteers
    )
    demo = demo_files()
    settings = _time_limit(Settings(), time_limit)
    import os

    t0 = time.perf_counter()
    out: dict[str, Any] = {
        "households": households,
        "volunteers": volunteers,
        "load_start": round(os.getloadavg()[0], 1),
    }
    try:
        files = InputFiles(
            households=paths["households"],
            volunteers=paths["volunteers"],
            network=demo["network"],
            service_points=demo["service_points"],
        )
        inputs = load_inputs(files, settings=settings, cache_dir=work / ".cache")
        t1 = time.perf_counter()
        result = make_plan(inputs)
        t2 = time.perf_counter()
        write_outputs(result, inputs, work / "out", what=("tables", "exports"))
    except RouteplanError as exc:
        out.update({"refused": str(exc), "wall_s": round(time.perf_counter() - t0, 1)})
        return out
    t3 = time.perf_counter()
    cache = sum(p.stat().st_size for p in (work / ".cache").glob("*"))
    visits = result.visits
    out.update(
        {
            "wall_s": round(t3 - t0, 1),
            "inputs_s": round(t1 - t0, 1),
            "plan_s": round(t2 - t1, 1),
            "write_s": round(t3 - t2, 1),
            "cache_mb": round(cache / 2**20, 1),
            "visits": visits,
            "assigned": len(result.assignment),
            "unassigned": len(result.unassigned),
            "rollover": len(result.rollover),
            "travel_per_visit_s": round(result.travel_s / max(1, visits), 1),
            "groups": result.stats.get("groups", 1),
            "hit_time_limit": bool(result.stats.get("hit_time_limit")),
            "border": result.stats.get("border", {}),
            "load_end": round(os.getloadavg()[0], 1),
            "cpu_s": _cpu_s(),
        }
    )
    return out


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (the solver's processes)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return round(own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime, 1)


def _time_limit(settings: Any, seconds: float) -> Any:
    import dataclasses

    return dataclasses.replace(
        settings, planner=dataclasses.replace(settings.planner, time_limit_s=seconds)
    )


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        p = psutil.Process(pid)
        procs = [p, *p.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for q in procs:
        with contextlib.suppress(psutil.Error):
            total += q.memory_info().rss
    return total


def run(spec: str, time_limit: float, results: Path) -> dict[str, Any]:
    """Run one size in a child process, watching its memory; append the figures."""
    households, volunteers = _size(spec)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        cmd = [
            sys.executable,
            __file__,
            "--child",
            f"{households}:{volunteers}",
            "--time-limit",
            str(time_limit),
            "--work",
            tmp,
        ]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        peak = [0]

        def watch() -> None:
            while proc.poll() is None:
                peak[0] = max(peak[0], _tree_rss(proc.pid))
                time.sleep(0.2)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        stdout, _ = proc.communicate()
        watcher.join()
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    row = json.loads(lines[-1]) if lines else {"households": households, "error": stdout[-500:]}
    row.update({"peak_mb": round(peak[0] / 2**20), "time_limit": time_limit, "when": time.time()})
    with results.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return row


def report(results: Path) -> None:
    """Print the last run of each size as a Markdown table."""
    rows: dict[tuple[int, int], dict[str, Any]] = {}
    for line in results.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        rows[(r["households"], r.get("volunteers", 0))] = r
    base = rows.get((1350, 70))
    print(
        "| households / volunteers | wall s | x 1,350/70 | CPU s | plan s | peak MB | cache MB | "
        "groups | visits | travel/visit s | unassigned | rollover | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (h, v), r in sorted(rows.items()):
        load = f"{r.get('load_start', '')}-{r.get('load_end', '')}"
        if "refused" in r:
            print(f"| {h:,} / {v:,} | {r['wall_s']} | | | | {r['peak_mb']} | | | refused | | | | |")
            continue
        ratio = f"{r['wall_s'] / base['wall_s']:.1f}x" if base else ""
        print(
            f"| {h:,} / {v:,} | {r['wall_s']} | {ratio} | {r.get('cpu_s', '')} | {r['plan_s']} | "
            f"{r['peak_mb']} | {r['cache_mb']} | {r['groups']} | {r['visits']:,} | "
            f"{r['travel_per_visit_s']} | {r['unassigned']:,} | {r['rollover']:,} | {load} |"
        )
    for r in rows.values():
        if "refused" in r:
            print(f"\n{r['households']:,} / {r['volunteers']:,} refused: {r['refused']}")


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", help="copies of the demo, or HOUSEHOLDS:VOLUNTEERS")
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--report", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT / "bench"))
        h, v = _size(args.child)
        print(json.dumps(child(h, v, args.time_limit, args.work), ensure_ascii=False))
        return 0
    for spec in args.sizes:
        row = run(spec, args.time_limit, args.results)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.report or not args.sizes:
        report(args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
