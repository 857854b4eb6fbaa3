"""Many areas on Dask: the per-area speed-up with 1 and 2 workers, and memory per worker.

Makes the synthetic city (``data/make_city.py``: 20 communes from the demo generator,
``--scale`` of their households) once, then plans every commune with
``routeplan.areas.plan_areas`` on a local cluster of 1 worker process, then of 2
(``force=True``: nothing skipped), in the same run, ``--rounds`` times in turn (1, 2,
1, 2, ...: on a shared machine the load drifts, and alternating spreads the drift
over both). Recorded: wall seconds of all areas, the speed-up (1 worker / 2 workers,
per round and over all rounds), the sum of the areas' own seconds, the CPU seconds the
areas used and the cores that makes over the wall time (``cores_used``), each worker's
peak memory (its process's ``ru_maxrss``) and the load average at the start and end
of each run. Then a rerun with nothing changed (every area skipped). Appends a JSON
line per run to --results.

Examples::

    .venv/bin/python bench/bench_areas.py                 # 20 communes, scale 0.4
    .venv/bin/python bench/bench_areas.py --scale 0.25 --rounds 2
    .venv/bin/python bench/bench_areas.py --communes 24 --scale 1
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "areas_results.jsonl"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "data"))


def _run(areas: Any, out: Path, workers: int, settings: Any, force: bool) -> dict[str, Any]:
    from routeplan.areas import ClusterOptions, plan_areas

    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    results = plan_areas(
        areas,
        out,
        settings=settings,
        cluster=ClusterOptions(workers=workers, processes=True),
        what=("tables", "exports"),
        force=force,
    )
    wall = time.perf_counter() - t0
    per_worker: dict[str, float] = {}
    for r in results:
        if r.worker and r.peak_mb is not None:
            per_worker[r.worker] = max(per_worker.get(r.worker, 0.0), r.peak_mb)
    return {
        "workers": workers,
        "areas": len(results),
        "planned": sum(r.status == "planned" for r in results),
        "skipped": sum(r.status == "skipped" for r in results),
        "failed": sum(r.status == "failed" for r in results),
        "wall_s": round(wall, 1),
        "area_s_sum": round(sum(r.seconds for r in results), 1),
        "area_cpu_s_sum": round(sum(r.cpu_seconds for r in results), 1),
        "cores_used": round(sum(r.cpu_seconds for r in results) / wall, 2),
        "households": sum(int(r.figures.get("households", 0)) for r in results),
        "visits": sum(int(r.figures.get("visits", 0)) for r in results),
        "worker_peak_mb": sorted(per_worker.values()),
        "load_start": round(load, 1),
        "load_end": round(os.getloadavg()[0], 1),
    }


def main() -> int:
    """Command line."""
    from make_city import make_city  # type: ignore[import-not-found]

    from routeplan.areas import areas_from_folders
    from routeplan.config import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=20)
    parser.add_argument("--scale", type=float, default=0.4)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--rounds", type=int, default=1, help="1-then-2-worker rounds")
    args = parser.parse_args()
    s = Settings()
    settings = dataclasses.replace(
        s, planner=dataclasses.replace(s.planner, time_limit_s=args.time_limit)
    )
    with tempfile.TemporaryDirectory(prefix="bench-areas-") as tmp:
        city = Path(tmp) / "city"
        made = make_city(city, communes=args.communes, scale=args.scale)
        areas = areas_from_folders(city)
        rows = []
        runs = [(1, True), (2, True)] * max(1, args.rounds) + [(2, False)]
        for k, (workers, force) in enumerate(runs):
            row = _run(areas, Path(tmp) / "out", workers, settings, force)
            row.update({"communes": len(made), "scale": args.scale, "rerun": not force})
            row["round"] = k // 2 + 1 if force else 0
            rows.append(row)
            print(json.dumps(row), flush=True)
            with args.results.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(row) + "\n")
    one = [r["wall_s"] for r in rows if r["workers"] == 1]
    two = [r["wall_s"] for r in rows if r["workers"] == 2 and not r["rerun"]]
    for k, (a, b) in enumerate(zip(one, two, strict=True)):
        print(f"round {k + 1}: speed-up with 2 workers {a / b:.2f}x ({a} s -> {b} s)")
    print(f"all rounds: {sum(one) / sum(two):.2f}x ({sum(one):.1f} s -> {sum(two):.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
