"""Shared helpers of the campaign tests: the small project, outcome files, dumps."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from routeplan.campaign import record_outcomes
from routeplan.config import PlannerSettings, Settings
from routeplan.planner import Plan, Route, Stop

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "data" / "templates"
HAMLETS = ("Phò Nam", "Trường Định", "Nam Yên")
WEEK1 = dt.date(2026, 11, 30)  # a Monday
TODAY = dt.date(2027, 1, 31)
# stops on counts; no daylight rule: these weeks move retried visits to evening hours on
# purpose, and the rule would (rightly) give some of them to another volunteer
SETTINGS = Settings(planner=PlannerSettings(time_limit_s=60.0, seed=1, daylight=False))
HEADER = [
    "household_id",
    "date",
    "volunteer_id",
    "outcome",
    "services_done",
    "people_supported",
    "follow_up",
    "service_point_trip",
    "notes",
]


def _hand_plan(registers: Any, week: dt.date) -> Plan:
    """Each volunteer visits their households on Saturday from 08:00, 30 min apart."""
    hids = list(registers.households["household_id"])
    vids = list(registers.volunteers["volunteer_id"])
    routes, assignment = [], {}
    for v, vid in enumerate(vids):
        mine = hids[v :: len(vids)]
        stops = tuple(Stop(h, k + 1, 8 * 3600 + k * 1800, 1200, 600) for k, h in enumerate(mine))
        routes.append(
            Route(
                vid,
                5,
                "motorbike",
                7 * 3600 + 3000,
                8 * 3600 + len(mine) * 1800,
                stops,
                600 * len(mine),
                1200 * len(mine),
            )
        )
        assignment |= {h: vid for h in mine}
    return Plan(routes=routes, assignment=assignment, week_start=week)


def _write_outcomes(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, HEADER)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in HEADER})
    return path


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (and the header pragmas) for before/after comparisons."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        out = {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
        out["pragmas"] = [
            conn.execute("PRAGMA user_version").fetchone(),
            conn.execute("PRAGMA application_id").fetchone(),
        ]
        return out
    finally:
        conn.close()


def _services(registers: Any) -> dict[str, tuple[str, ...]]:
    return dict(
        zip(registers.households["household_id"], registers.households["services"], strict=True)
    )


def _import_in_process(project: str, outcomes: str) -> tuple[bool, int]:
    result = record_outcomes(project, outcomes, settings=SETTINGS, today=TODAY)
    return result.already_imported, result.added


def pd_concat(frames: list[Any]) -> Any:
    import pandas as pd

    return pd.concat(frames, ignore_index=True)
