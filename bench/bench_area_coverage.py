"""What a full coverage report per area would add to ``routeplan areas``.

The roll-up's coverage headline (median minutes to the nearest service point, share
far) is read from the travel times each area's plan computed. This measures the
alternative, :func:`routeplan.pipeline.run_coverage` and
:func:`routeplan.coverage.write_coverage` for every area after its plan, in the same
process, one area after the other: the seconds of each, the ratio (coverage / plan)
and whether the two headlines agree. Appends one JSON line to --results.

    .venv/bin/python bench/bench_area_coverage.py --communes 20 --scale 0.25
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

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "area_coverage_results.jsonl"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "data"))


def main() -> int:
    """Command line."""
    from make_city import make_city  # type: ignore[import-not-found]

    from routeplan.areas import areas_from_folders, plan_area
    from routeplan.config import Settings
    from routeplan.coverage import TOTAL, write_coverage
    from routeplan.pipeline import InputFiles, run_coverage

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=20)
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    s = Settings()
    planner = dataclasses.replace(s.planner, time_limit_s=args.time_limit, workers=1)
    settings = dataclasses.replace(s, planner=planner)
    load = os.getloadavg()[0]
    plan_s = cov_s = 0.0
    same = 0
    with tempfile.TemporaryDirectory(prefix="bench-cov-") as tmp:
        make_city(Path(tmp) / "city", communes=args.communes, scale=args.scale)
        areas = areas_from_folders(Path(tmp) / "city")
        for area in areas:
            assert area.network is not None
            files = InputFiles(
                households=area.households,
                volunteers=area.volunteers,
                network=area.network,
                service_points=area.service_points,
            )
            out = Path(tmp) / "out" / area.slug
            t0 = time.perf_counter()
            figures = plan_area(files, out, settings=settings, what=("tables", "exports"))
            t1 = time.perf_counter()
            report = run_coverage(files, settings=settings, cache_dir=out / ".cache")
            write_coverage(report, out / "coverage")
            t2 = time.perf_counter()
            plan_s, cov_s = plan_s + t1 - t0, cov_s + t2 - t1
            total = report.table().loc[TOTAL]
            same += figures["median_min"] == round(float(total["median_min"]), 1) and figures[
                "share_far"
            ] == round(float(total["share_far"]), 3)
    row = {
        "communes": len(areas),
        "scale": args.scale,
        "plan_s": round(plan_s, 1),
        "coverage_s": round(cov_s, 1),
        "coverage_over_plan": round(cov_s / plan_s, 2),
        "headlines_equal": same,
        "load_start": round(load, 1),
        "load_end": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(row))
    with args.results.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
