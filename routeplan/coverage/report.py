"""The report's files: ``coverage.html`` with its map and tables, CSV and GeoPackage."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .._io import atomic_path, write_text
from .map import coverage_map
from .results import what_ifs
from .tables import CSS, MODE_NAME, hamlet_frame, headers, html_table

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from .results import CoverageReport

__all__ = ["write_coverage"]

_SECTION_TITLES = {"whatif": "What-if: new service points", "best": "Best new service points"}
_CSV_NAMES = {"whatif": "coverage_whatif.csv", "best": "coverage_best_points.csv"}


def _intro(report: CoverageReport) -> str:
    lines = "".join(f"<li>{html.escape(x)}</li>" for x in report.summary().splitlines())
    return f'<div class="rp-page"><h1>Coverage of the service points</h1><ul>{lines}</ul></div>'


def _need_section(report: CoverageReport) -> list[str]:
    """Volunteers needed per hamlet, and the households no volunteer reaches."""
    s = report.settings
    need = report.need
    parts = ["<h2>Volunteers needed</h2>"]
    parts.append(
        f"<p>By the 1+{s.planner.capacity} rule: <b>{need.by_rule}</b>. By workload "
        f"({need.workload_h:.0f} hours for one visit to every household, "
        f"{s.coverage.volunteer_hours:g} hours per volunteer, from "
        f"{'the plan' if need.source == 'plan' else 'an estimate'}): "
        f"<b>{need.by_workload}</b>."
        + (
            f" Volunteers in the register: {need.volunteers}."
            if need.volunteers is not None
            else ""
        )
        + "</p>"
    )
    parts.append(html_table(need.per_hamlet, s))
    if need.volunteers is not None:
        parts.append(
            f"<h2>Households no volunteer reaches within {s.coverage.reach_min} "
            f"minutes ({len(need.unreachable)})</h2>"
        )
        if len(need.unreachable):
            parts.append(html_table(need.unreachable, s))
    return parts


def _what_if_sections(report: CoverageReport) -> list[str]:
    """Each what-if's points and before/after table, then the candidates of the choice."""
    s = report.settings
    parts = []
    for key, w in what_ifs(report):
        parts.append(f"<h2>{html.escape(_SECTION_TITLES[key])} ({MODE_NAME[report.mode]})</h2>")
        parts.append(html_table(w.added[["point_id", "name", "placed"]], s, caption="Points added"))
        parts.append(html_table(w.comparison, s, caption="Before and after"))
    if report.choice is not None:
        c = report.choice
        parts.append(
            html_table(
                c.candidates[["point_id", "name", "placed", "covers", "chosen"]],
                s,
                caption=f"Candidates ({c.objective}; best {c.k}; "
                f"{'proven optimal' if c.optimal else 'best found in the time limit'})",
            )
        )
    return parts


def _sections(report: CoverageReport) -> str:
    s = report.settings
    parts = ['<div class="rp-page">']
    for mode in report.modes:
        parts.append(
            f"<h2>Hamlets: travel time {MODE_NAME[mode]} to the nearest service point</h2>"
        )
        parts.append(html_table(hamlet_frame(report, mode), s))
    parts.extend(_need_section(report))
    parts.extend(_what_if_sections(report))
    parts.append("</div>")
    return "".join(parts)


def _gpkg_frames(report: CoverageReport) -> dict[str, gpd.GeoDataFrame]:
    import geopandas as gpd

    hh = report.baseline.households.copy()
    for title, w in what_ifs(report):
        for mode in report.modes:
            hh[f"{title}_{mode}_min"] = w.after.households[f"{mode}_min"].values
            hh[f"{title}_{mode}_band"] = w.after.households[f"{mode}_band"].values
    frames: dict[str, gpd.GeoDataFrame] = {
        "households": hh,
        "service_points": report.baseline.service_points,
    }
    if report.baseline.isochrones is not None and len(report.baseline.isochrones):
        iso = report.baseline.isochrones.copy()
        iso["geometry"] = [
            g if g.geom_type == "MultiPolygon" else __import__("shapely").MultiPolygon([g])
            for g in iso.geometry
        ]
        frames["isochrones"] = gpd.GeoDataFrame(iso, geometry="geometry", crs="EPSG:4326")
    return frames


def _write_hamlet_tables(report: CoverageReport, out: Path) -> list[Path]:
    """Write ``coverage_hamlets.csv`` and ``coverage_hamlets.html``."""
    from ..render.export import write_csv

    s = report.settings
    tables = pd.concat(
        [hamlet_frame(report, m).assign(mode=m) for m in report.modes], ignore_index=True
    )
    cols = ["mode", *[c for c in tables.columns if c != "mode"]]
    tables = tables[cols]
    written = [
        write_csv(
            out / "coverage_hamlets.csv",
            headers(cols, s),
            tables.itertuples(index=False, name=None),
        )
    ]
    body = "".join(
        f"<h2>Travel time {MODE_NAME[m]}</h2>" + html_table(hamlet_frame(report, m), s)
        for m in report.modes
    )
    written.append(
        write_text(
            out / "coverage_hamlets.html",
            (
                '<!DOCTYPE html><html><head><meta charset="utf-8">'
                "<title>Coverage per hamlet</title>"
                f'<style>{CSS}</style></head><body><div class="rp-page">'
                f"<h1>Coverage per hamlet</h1>{body}</div></body></html>"
            ),
        )
    )
    return written


def _write_gpkg(report: CoverageReport, target: Path) -> Path:
    """Write the GeoPackage's layers into ``target`` at once (no half-written file)."""
    import pyogrio

    frames = _gpkg_frames(report)
    with atomic_path(target) as tmp:
        for name, frame in frames.items():
            pyogrio.write_dataframe(frame, tmp, layer=name, driver="GPKG", append=tmp.exists())
    return target


def _write_other_csvs(report: CoverageReport, out: Path) -> list[Path]:
    """Write the before/after tables of the what-ifs and the unreachable households."""
    from ..render.export import write_csv

    s = report.settings
    written: list[Path] = []
    for name, w in what_ifs(report):
        cols = list(w.comparison.columns)
        written.append(
            write_csv(
                out / _CSV_NAMES[name],
                headers(cols, s),
                w.comparison.itertuples(index=False, name=None),
            )
        )
    if report.need.volunteers is not None:
        cols = list(report.need.unreachable.columns)
        written.append(
            write_csv(
                out / "coverage_unreachable.csv",
                headers(cols, s),
                report.need.unreachable.itertuples(index=False, name=None),
            )
        )
    return written


def write_coverage(report: CoverageReport, out_dir: str | Path) -> list[Path]:
    """Write the coverage report into ``out_dir``; return the paths written.

    Files
    -----
    ``coverage.html``
        The report: summary, offline map (households coloured by band, areas per band,
        service points, hamlet summaries, what-if layers) and every table.
    ``coverage_hamlets.html``, ``coverage_hamlets.csv``
        The per-hamlet table for each mode (CSV: UTF-8 with BOM, opens in Excel).
    ``coverage.gpkg``
        Layers ``households`` (times and bands, what-if times too), ``service_points``
        and ``isochrones``.
    ``coverage_whatif.csv``
        Before/after per hamlet, when a what-if or a choice was made.
    ``coverage_unreachable.csv``
        Households no volunteer reaches in time, when volunteers were given.
    """
    from ..render.maps import offline_html

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    page = offline_html(coverage_map(report), before=_intro(report), after=_sections(report))
    written = [write_text(out / "coverage.html", page)]
    written.extend(_write_hamlet_tables(report, out))
    written.append(_write_gpkg(report, out / "coverage.gpkg"))
    written.extend(_write_other_csvs(report, out))
    return written
