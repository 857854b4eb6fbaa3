"""Pages of the demo's route sheets for one fixed plan: fewer is better, none wasted.

The demo's plan changes a little from run to run (the solver may stop on its time
limit), so this reads the visits of a finished demo (``plan_stops.csv`` of
``routeplan demo --out DIR``) and writes the sheets of exactly that plan with the
code in the working tree; run it with an older checkout first on ``PYTHONPATH`` to
compare two versions of the sheets on the same plan::

    routeplan demo --out demo-output
    PYTHONPATH=. .venv/bin/python bench/sheet_pages.py demo-output/plan_stops.csv [OUT_DIR]

It prints the rounds, the pages, the continuation pages (rounds longer than a page)
and how many rounds print the way home ("Về nhà") under their last stop.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _clock(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 3600 + int(m) * 60


def plan_from_stops(path: Path):  # type: ignore[no-untyped-def]
    """Return the :class:`~routeplan.planner.Plan` of a ``plan_stops.csv`` (no matrices)."""
    import datetime as dt

    from routeplan.planner import Plan, Route, Stop

    rounds: dict[tuple[str, int, str], list[dict[str, str]]] = {}
    week = None
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["date"]:
                date = dt.date.fromisoformat(row["date"])
                week = date - dt.timedelta(days=date.weekday())
            # a new round starts at order 1 (two rounds a day)
            key = (row["volunteer_id"], int(row["day"]), row["mode"])
            if row["order"] == "1":
                key = (*key[:2], f"{row['mode']}#{sum(k[:2] == key[:2] for k in rounds)}")
            else:
                key = next(k for k in reversed(rounds) if k[:2] == key[:2])
            rounds.setdefault(key, []).append(row)
    routes, assignment = [], {}
    for (vid, day, mode), rows in rounds.items():
        stops = tuple(
            Stop(
                r["household_id"],
                int(r["order"]),
                _clock(r["arrival"]),
                int(r["service_min"]) * 60,
                int(r["travel_min"]) * 60,
            )
            for r in rows
        )
        start = stops[0].arrival_s - stops[0].travel_s
        end = _clock(rows[-1]["departure"]) + 600
        travel = sum(s.travel_s for s in stops)
        service = sum(s.service_s for s in stops)
        routes.append(Route(vid, day, mode.split("#")[0], start, end, stops, travel, service))
        assignment |= {s.household_id: vid for s in stops}
    return Plan(routes=routes, assignment=assignment, week_start=week)


def count(pdf: Path) -> dict[str, int]:
    """Return the rounds, pages, continuation pages and way-home rows of a sheets PDF."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    firsts = sum(bool(re.search(r"(trang|page) 1\s*$", p.strip())) for p in pages)
    home = len(re.findall(r"^\s*\d\d:\d\d\s+(Về nhà|Home)\s*$", text, re.M))
    return {
        "rounds": firsts,
        "pages": len(pages),
        "continuation": len(pages) - firsts,
        "home_rows": home,
    }


def main(argv: list[str]) -> int:
    """Write the sheets of the plan in ``argv[0]`` and print what they hold."""
    from routeplan.config import OutputSettings, Settings
    from routeplan.registers import read_households, read_volunteers
    from routeplan.render import bundle
    from routeplan.render.sheets import write_sheets

    demo = ROOT / "data" / "demo"
    settings = Settings(output=OutputSettings(coordinator="Lê Thị Hồng Nhung 0905 000 123"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hh = read_households(demo / "households.csv", settings=settings)
        vol = read_volunteers(demo / "volunteers.csv", settings=settings)
    plan = plan_from_stops(Path(argv[0]))
    checked = bundle(plan, hh, vol, settings=settings)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(argv[1]) if len(argv) > 1 else Path(tmp)  # keep the sheets there
        write_sheets(checked, out)
        counts = count(out / "route_sheets_all.pdf")
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
