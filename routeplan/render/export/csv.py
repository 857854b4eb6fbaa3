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
    reason) and, when households changed volunteer, ``changes.csv``.

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
