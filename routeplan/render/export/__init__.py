"""Files for coordinators and for phones: GeoPackage, GeoJSON, CSV and GPX.

:func:`write_exports` writes, into one output folder:

``plan.gpkg``
    A GeoPackage with four layers: ``households`` (every household with its
    volunteer, day, visit order and, when not visited, the reason), ``stops`` (one
    point per visit in order, with arrival times), ``routes`` (one line per round,
    along the roads travelled) and ``service_points``. Opens in QGIS.
``plan_<layer>.geojson``
    The same four layers as GeoJSON, one file each.
``plan_stops.csv``
    The stops as a spreadsheet: UTF-8 with a byte-order mark so that Excel shows
    Vietnamese correctly, and safe to open (a cell that Excel would run as a formula
    is prefixed with an apostrophe).
``gpx/<volunteer_id>.gpx``
    GPX 1.1 for OsmAnd and Organic Maps: the volunteer's households as waypoints in
    visit order and each day's round as a track along the roads.

Every file is written atomically (see :mod:`routeplan._io`). The submodules:

:mod:`~routeplan.render.export.tables`
    The rows of every export (stops, households, rounds) and :data:`STOP_COLUMNS`.
:mod:`~routeplan.render.export.layers`
    The four layers as GeoDataFrames; the GeoPackage and GeoJSON writers.
:mod:`~routeplan.render.export.csv`
    :func:`safe_cell`, :func:`write_csv` and :func:`write_plan_tables`.
:mod:`~routeplan.render.export.gpx`
    :func:`write_gpx` and :func:`gpx_document`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from pathlib import Path

from ..bundle import PlanBundle
from ..text import remove_stale, safe_file_name
from .csv import safe_cell, write_csv, write_plan_tables
from .gpx import GPX_NS, gpx_document, write_gpx
from .layers import GEOM_TYPE, layer_frames, write_geojson, write_geopackage
from .tables import STOP_COLUMNS, stop_rows

__all__ = [
    "GPX_NS",
    "STOP_COLUMNS",
    "gpx_document",
    "safe_cell",
    "write_csv",
    "write_exports",
    "write_geojson",
    "write_geopackage",
    "write_gpx",
    "write_plan_tables",
]

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, float], None]


def write_exports(
    bundle: PlanBundle,
    out_dir: str | Path,
    *,
    volunteers: Collection[str] | None = None,
    progress: ProgressFn | None = None,
) -> list[Path]:
    """Write the plan as GeoPackage, GeoJSON, CSV and per-volunteer GPX files.

    Parameters
    ----------
    bundle
        The plan with its registers (:func:`routeplan.render.bundle`). Rounds are
        drawn along the roads of its travel matrices; a round whose mode has no
        matrix is drawn as straight lines between the stops.
    out_dir
        Output folder, created when missing.
    volunteers
        Write the GPX files of these volunteers only (the files listing everyone are
        always written); a volunteer of them without a round loses a GPX file left
        from an earlier plan. Default: every volunteer with a round.
    progress
        Optional ``progress(message, fraction)`` callback.

    Returns
    -------
    list of pathlib.Path
        Every file written: ``plan.gpkg``, ``plan_households.geojson``,
        ``plan_stops.geojson``, ``plan_routes.geojson``, ``plan_service_points.geojson``,
        ``plan_stops.csv`` and ``gpx/<volunteer_id>.gpx`` for each volunteer with a round
        (of ``volunteers``).

    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def report(message: str, fraction: float) -> None:
        if progress is not None:
            progress(message, fraction)

    report("exports: tables", 0.0)
    frames = layer_frames(bundle)
    report("exports: GeoPackage", 0.2)
    written.append(write_geopackage(frames, out / "plan.gpkg"))
    report("exports: GeoJSON", 0.5)
    for name, frame in frames.items():
        written.append(
            write_geojson(frame, out / f"plan_{name}.geojson", geometry_type=GEOM_TYPE[name])
        )
    report("exports: CSV", 0.7)
    rows = stop_rows(bundle)
    written.append(
        write_csv(
            out / "plan_stops.csv", STOP_COLUMNS, ([r[c] for c in STOP_COLUMNS] for r in rows)
        )
    )
    vids = sorted({r.volunteer_id for r in bundle.routes})
    if volunteers is not None:
        remove_stale(out / "gpx", set(volunteers) - set(vids), ".gpx")
        vids = [v for v in vids if v in volunteers]
    for k, vid in enumerate(vids):
        report("exports: GPX", 0.8 + 0.2 * k / max(len(vids), 1))
        written.append(write_gpx(bundle, vid, out / "gpx" / f"{safe_file_name(vid)}.gpx"))
    report("exports: done", 1.0)
    log.info("wrote %d export files to %s", len(written), out)
    return written
