"""Excel-friendly CSV: UTF-8 with a byte-order mark, injection-safe, written atomically.

:func:`write_csv` writes any table; :func:`write_plan_tables` the plan's decision
tables (``assignment.csv``, ``unassigned.csv``, ``changes.csv``).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..._io import atomic_write, escape_cell
from ...planner import Plan

__all__ = ["safe_cell", "write_csv", "write_plan_tables"]


def safe_cell(value: Any) -> Any:
    """Return ``value`` made safe for a spreadsheet cell.

    Text that Excel or LibreOffice would read as a formula (starting with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe so it
    stays text. Numbers, and text that is just a negative number (``-12.5``), are
    left as they are. routeplan reads such cells back without the apostrophe
    (:func:`routeplan.registers.read_cells`, :func:`routeplan.planner.read_previous`).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return "" if isinstance(value, float) and math.isnan(value) else value
    return escape_cell(str(value))


def write_csv(target: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """Write ``rows`` as an Excel-friendly CSV (UTF-8 with BOM), injection-safe, atomically."""
    with atomic_write(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
    return Path(target)


def write_plan_tables(plan: Plan, out_dir: str | Path) -> list[Path]:
    """Write the plan's decision tables as Excel-friendly CSV files.

    ``assignment.csv`` (household, volunteer, status, day: pass it as ``--previous``
    next week), ``unassigned.csv`` (every household not visited this week, with its
    reason), ``travel.csv`` (each volunteer's weekly travel against the median, and
    rounds that travel longer than they visit), when households are far from the map
    ``flags.csv`` (with the fix) and, when households changed volunteer, ``changes.csv``.

    Returns
    -------
    list of pathlib.Path
        The files written.

    """
    out = Path(out_dir)
    table = plan.assignments_frame()
    assigned = table[table["status"] != "unassigned"]
    cols = ["household_id", "volunteer_id", "status", "day"]
    written = [write_csv(out / "assignment.csv", cols, assigned[cols].itertuples(index=False))]
    missed = table[table["status"] != "scheduled"]
    cols = ["household_id", "volunteer_id", "status", "reason", "detail"]
    written.append(write_csv(out / "unassigned.csv", cols, missed[cols].itertuples(index=False)))
    written.append(write_csv(out / "travel.csv", *_travel_table(plan)))
    if plan.flags:
        flagged = table[table["flag"] != ""]
        cols = ["household_id", "volunteer_id", "status", "flag", "flag_detail"]
        written.append(write_csv(out / "flags.csv", cols, flagged[cols].itertuples(index=False)))
    if plan.changes:
        written.append(
            write_csv(
                out / "changes.csv",
                ["household_id", "old", "new", "code", "reason"],
                (
                    (c.household_id, c.old or "", c.new or "", c.code, c.reason)
                    for c in plan.changes
                ),
            )
        )
    return written


def _travel_table(plan: Plan) -> tuple[list[str], list[list[Any]]]:
    """Each volunteer's travel, its ratio to the median, rounds travelling more than visiting."""
    travel = plan.travel_by_volunteer()
    median = plan.travel_spread()[1] * 3600
    work = plan.workload_s()
    households: dict[str, int] = {}
    for vid in plan.assignment.values():
        households[vid] = households.get(vid, 0) + 1
    rows = []
    for vid in sorted(travel):
        routes = [r for r in plan.routes if r.volunteer_id == vid]
        rows.append(
            [
                vid,
                households.get(vid, 0),
                len(routes),
                round(travel[vid] / 3600, 2),
                round(travel[vid] / median, 2) if median > 0 else "",
                round(work.get(vid, 0) / 3600, 2),
                sum(1 for r in routes if r.travel_over_visits),
            ]
        )
    header = [
        "volunteer_id",
        "households",
        "rounds",
        "travel_h",
        "travel_vs_median",
        "work_h",
        "rounds_travel_over_visits",
    ]
    return header, rows
