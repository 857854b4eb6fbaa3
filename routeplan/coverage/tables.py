"""The report's tables: column headers, cell formats, HTML tables and their style."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..config import Settings
from .bands import TOTAL

if TYPE_CHECKING:  # pragma: no cover
    from .results import CoverageReport

__all__ = ["CSS", "MODE_NAME", "fmt_cell", "hamlet_frame", "headers", "html_table"]

MODE_NAME = {"motorbike": "by motorbike", "walking": "on foot"}
"""How each mode reads in a heading: ``"by motorbike"``, ``"on foot"``."""

_COLUMN_NAMES = {
    "village": "Hamlet",
    "households": "Households",
    "elderly": "Elderly",
    "co_tu": "Co Tu speakers",
    "priority": "Priority (any)",
    "median_min": "Median (min)",
    "worst_min": "Worst (min)",
    "far": "Beyond {far} min",
    "share_far": "Share beyond {far} min",
    "no_mapped_access": "No mapped access",
    "village_location": "Village-level location",
    "by_rule": "Volunteers (1+{cap} rule)",
    "workload_h": "Workload (h)",
    "by_workload": "Volunteers (workload)",
    "median_before": "Median before (min)",
    "median_after": "Median after (min)",
    "worst_before": "Worst before (min)",
    "worst_after": "Worst after (min)",
    "far_before": "Beyond {far} min before",
    "far_after": "Beyond {far} min after",
    "faster": "Households in a faster band",
    "household_id": "Household",
    "best_min": "Nearest volunteer (min)",
    "volunteer_id": "Nearest volunteer",
    "point_id": "Point",
    "name": "Name",
    "placed": "Placed at",
    "covers": "Households within {far} min",
    "chosen": "Chosen",
    "mode": "Mode",
}


def headers(columns: Sequence[str], settings: Settings) -> list[str]:
    """Return the headers people read for ``columns`` (thresholds filled in)."""
    fmt = {"far": settings.coverage.far_min, "cap": settings.planner.capacity}
    return [_COLUMN_NAMES.get(c, c).format(**fmt) for c in columns]


def hamlet_frame(report: CoverageReport, mode: str | None = None) -> pd.DataFrame:
    """Return the per-hamlet table of ``mode`` with the volunteers needed."""
    table = report.table(mode).reset_index()
    need = report.need.per_hamlet.set_index("village")
    total = pd.Series(
        {
            "by_rule": report.need.by_rule,
            "workload_h": report.need.workload_h,
            "by_workload": report.need.by_workload,
        }
    )
    for col in ("by_rule", "workload_h", "by_workload"):
        table[col] = [
            total[col] if v == TOTAL else need[col].get(v, np.nan) for v in table["village"]
        ]
    return table


def fmt_cell(column: str, value: Any) -> str:
    """Return ``value`` of ``column`` as shown in a table (``-`` for no value)."""
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        if column.startswith("share"):
            return f"{value:.0%}"
        return f"{value:.1f}" if column.endswith("_h") else f"{value:.0f}"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else ""
    return str(value)


def html_table(frame: pd.DataFrame, settings: Settings, *, caption: str = "") -> str:
    """Return ``frame`` as an HTML table (the total row in bold)."""
    cols = list(frame.columns)
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers(cols, settings))
    body = []
    for rec in frame.to_dict("records"):
        cls = ' class="total"' if rec.get("village") == TOTAL else ""
        cells = "".join(f"<td>{html.escape(fmt_cell(c, rec[c]))}</td>" for c in cols)
        body.append(f"<tr{cls}>{cells}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'<table class="rp">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 0; color: #222; }
.rp-page { max-width: 1200px; margin: 0 auto; padding: 0 12px 24px; }
.rp-page h1 { font-size: 1.4em; } .rp-page h2 { font-size: 1.15em; margin-top: 1.4em; }
table.rp { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
table.rp th, table.rp td { border: 1px solid #bbb; padding: 2px 6px; text-align: right; }
table.rp td:first-child, table.rp th:first-child { text-align: left; }
table.rp caption { text-align: left; font-weight: bold; padding: 4px 0; }
table.rp tr.total td { font-weight: bold; background: #f2f2f2; }
.rp-legend { background: white; padding: 6px 8px; border: 1px solid #999;
  font-size: 12px; line-height: 18px; }
.rp-legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px;
  vertical-align: middle; }
"""
"""Style of the report's pages, tables and map legend."""
