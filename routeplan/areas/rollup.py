"""The roll-up report across areas: ``areas.csv`` (UTF-8 for Excel) and ``areas.html``.

One row per area: its status (planned, skipped because unchanged, failed with the
reason), households, volunteers, visits this week, households rolled over to next
week, households left unassigned, volunteers short by the 1+20 rule, and the coverage
headline (median minutes from a household to its nearest service point, and the share
beyond ``coverage.far_min``) and the warnings of an area planned, then a total row.
The HTML page is one file with no script and no external resource, so it opens
offline.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._io import write_text
from .run import AreaResult

__all__ = ["ROLLUP_COLUMNS", "rollup_rows", "write_rollup"]

ROLLUP_COLUMNS = (
    "area",
    "status",
    "households",
    "volunteers",
    "assigned",
    "visits",
    "rolled_over",
    "unassigned",
    "volunteers_short",
    "median_min",
    "share_far",
    "seconds",
    "error",
    "warnings",
)
"""Columns of ``areas.csv``, in order."""

_SUMMED = ("households", "volunteers", "assigned", "visits", "rolled_over", "unassigned")


def rollup_rows(results: Sequence[AreaResult]) -> list[dict[str, Any]]:
    """Return one row per area and a last ``"All areas"`` row of totals."""
    rows: list[dict[str, Any]] = []
    for r in results:
        f = r.figures
        row: dict[str, Any] = {c: f.get(c, "") for c in ROLLUP_COLUMNS}
        row.update({"area": r.name, "status": r.status, "seconds": r.seconds, "error": r.error})
        row["warnings"] = "\n".join(str(p) for p in r.problems if p.severity == "warning")
        rows.append(row)
    total: dict[str, Any] = {c: "" for c in ROLLUP_COLUMNS}
    total["area"] = "All areas"
    ok = [r for r in rows if r["status"] != "failed"]
    failed = len(rows) - len(ok)
    total["status"] = f"{len(ok)} planned or unchanged, {failed} failed"
    for c in (*_SUMMED, "volunteers_short"):
        total[c] = sum(int(r[c]) for r in ok if r[c] != "")
    total["seconds"] = round(sum(float(r["seconds"] or 0) for r in rows), 1)
    rows.append(total)
    return rows


def _csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=ROLLUP_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff" + buf.getvalue()  # BOM: Excel reads the Vietnamese names right


_HEAD = {
    "area": "Area",
    "status": "Status",
    "households": "Households",
    "volunteers": "Volunteers",
    "assigned": "With a volunteer",
    "visits": "Visits this week",
    "rolled_over": "Rolled over",
    "unassigned": "Unassigned",
    "volunteers_short": "Volunteers short (1+20)",
    "median_min": "Median min to a service point",
    "share_far": "Share far",
    "seconds": "Seconds",
    "error": "Why it failed",
    "warnings": "Warnings",
}

_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;font-size:14px}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}
th{background:#f0f0f0}td.t,th.t{text-align:left}td.e{text-align:left;white-space:pre-line;min-width:16em;max-width:36em;overflow-wrap:anywhere}
tr.failed td{background:#fde8e8}tr.short td.s{background:#fff3cd;font-weight:bold}
tr.total td{font-weight:bold;border-top:2px solid #444}
p{max-width:60em;font-size:14px}.scroll{overflow-x:auto}
"""


def _cell(column: str, value: Any) -> str:
    if column == "share_far" and isinstance(value, float):
        value = f"{value:.0%}"
    elif isinstance(value, int):
        value = f"{value:,}"
    cls = ' class="t"' if column in ("area", "status") else ""
    if column in ("error", "warnings"):
        cls = ' class="e"'
    if column == "volunteers_short":
        cls = ' class="s"'
    return f"<td{cls}>{html.escape(str(value))}</td>"


def _html(rows: list[dict[str, Any]], title: str) -> str:
    text = ("area", "status", "error", "warnings")
    head = "".join(
        ('<th class="t">' if c in text else "<th>") + f"{html.escape(_HEAD[c])}</th>"
        for c in ROLLUP_COLUMNS
    )
    body = []
    for k, row in enumerate(rows):
        classes = []
        if row["status"] == "failed":
            classes.append("failed")
        if row["volunteers_short"] not in ("", 0):
            classes.append("short")
        if k == len(rows) - 1:
            classes.append("total")
        cls = f' class="{" ".join(classes)}"' if classes else ""
        cells = "".join(_cell(c, row[c]) for c in ROLLUP_COLUMNS)
        body.append(f"<tr{cls}>{cells}</tr>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        '<div class="scroll">'  # on a phone the table scrolls sideways, not the page
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        "<p>All areas: the totals of the areas planned or unchanged; a failed area's "
        "households and volunteers are counted once it is fixed and planned.</p>"
        "<p>Volunteers short: volunteers the 1+20 rule asks for (one per planner.capacity "
        "households, 20 unless the settings say otherwise, rounded up) beyond those in "
        "the area's register; the total adds the areas' "
        "shortfalls (a volunteer to spare in one area does not cover another).</p>"
        "<p>Median min to a service point and share far: the headline of the coverage "
        "report (routeplan coverage) in its travel mode: median minutes from a household "
        "to its nearest service point, and the share of households beyond the report's "
        "far limit or with no way there. They are read from the travel times the plan "
        "computed, not from a separate coverage run: the same two figures, without the "
        "report's other mode, bands, hamlet table and what-ifs; run routeplan coverage "
        "on an area for those. Empty without service points, or when no volunteer of "
        "the area travels in the report's mode.</p>"
        "</body></html>\n"
    )


def write_rollup(
    results: Sequence[AreaResult], out_dir: str | Path, *, title: str = "Areas"
) -> list[Path]:
    """Write ``areas.csv`` and ``areas.html`` into ``out_dir``; return their paths."""
    rows = rollup_rows(results)
    out = Path(out_dir)
    return [
        write_text(out / "areas.csv", _csv(rows)),
        write_text(out / "areas.html", _html(rows, title)),
    ]
