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

Every file is written atomically (see :mod:`routeplan._io`).
"""

from __future__ import annotations

import csv
import logging
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._io import atomic_path, atomic_write, write_bytes
from ..config import Settings
from ..planner import Plan, Route
from ..timewindows import format_clock
from .legs import Coord, route_coords
from .text import day_name, round_date, safe_file_name, service_labels

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from ..matrix import TravelMatrix

__all__ = [
    "GPX_NS",
    "safe_cell",
    "write_csv",
    "write_exports",
    "write_gpx",
    "write_plan_tables",
]

log = logging.getLogger(__name__)

GPX_NS = "http://www.topografix.com/GPX/1/1"
"""XML namespace of GPX 1.1."""

_CREATOR = "routeplan"

ProgressFn = Callable[[str, float], None]



# --- CSV ------------------------------------------------------------------------------

_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Return ``value`` made safe for a spreadsheet cell.

    Text that Excel or LibreOffice would read as a formula (starting with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe so it
    stays text. Numbers, and text that is just a negative number (``-12.5``), are
    left as they are.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return "" if isinstance(value, float) and math.isnan(value) else value
    text = str(value)
    if text.startswith(_DANGEROUS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv(target: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """Write ``rows`` as an Excel-friendly CSV (UTF-8 with BOM), injection-safe, atomically."""
    with atomic_write(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
    return Path(target)


# --- the tables behind every export ---------------------------------------------------


def _records(frame: Any, key: str) -> dict[str, dict[str, Any]]:
    if frame is None or len(frame) == 0:
        return {}
    return {str(r[key]): r for r in frame.to_dict("records")}


def _xy(geom: Any) -> Coord:
    return (float(geom.x), float(geom.y))


class _Tables:
    """The plan joined with the registers, ready for every output format."""

    def __init__(
        self,
        plan: Plan,
        households: gpd.GeoDataFrame,
        volunteers: gpd.GeoDataFrame,
        matrix_by_mode: Mapping[str, TravelMatrix],
        settings: Settings,
    ) -> None:
        self.plan = plan
        self.settings = settings
        self.language = settings.output.language
        self.households = _records(households, "household_id")
        self.volunteers = _records(volunteers, "volunteer_id")
        self.matrix_by_mode = matrix_by_mode
        self.hh_xy = {hid: _xy(r["geometry"]) for hid, r in self.households.items()}
        self.routes = sorted(plan.routes, key=lambda r: (r.volunteer_id, r.day))
        missing = sorted({s.household_id for r in plan.routes for s in r.stops} - set(self.hh_xy))
        missing_v = sorted({r.volunteer_id for r in plan.routes} - set(self.volunteers))
        if missing or missing_v:
            from ..errors import InputDataError, Problem

            problems = [
                Problem(
                    f"household {h!r} is in the plan but not in the households",
                    "pass the households the plan was made from",
                )
                for h in missing
            ]
            problems += [
                Problem(
                    f"volunteer {v!r} is in the plan but not in the volunteers",
                    "pass the volunteers the plan was made from",
                )
                for v in missing_v
            ]
            raise InputDataError(problems, subject="plan")

    def services(self, hid: str) -> str:
        codes = self.households.get(hid, {}).get("services", ()) or ()
        return "; ".join(service_labels(codes, self.settings, self.language))

    def line(self, route: Route) -> list[Coord]:
        matrix = self.matrix_by_mode.get(route.mode)
        home = _xy(self.volunteers[route.volunteer_id]["geometry"])
        return route_coords(route, matrix, home, self.hh_xy)

    def date_text(self, day: int) -> str:
        date = round_date(self.plan.week_start, day)
        return date.isoformat() if date else ""

    def stop_rows(self) -> list[dict[str, Any]]:
        rows = []
        for route in self.routes:
            vol = self.volunteers[route.volunteer_id]
            for stop in route.stops:
                hh = self.households[stop.household_id]
                lon, lat = self.hh_xy[stop.household_id]
                rows.append(
                    {
                        "volunteer_id": route.volunteer_id,
                        "volunteer_name": str(vol.get("name", "")),
                        "day": route.day,
                        "day_name": day_name(route.day, self.language),
                        "date": self.date_text(route.day),
                        "order": stop.order,
                        "arrival": format_clock(stop.arrival_s),
                        "departure": format_clock(stop.departure_s),
                        "arrival_s": stop.arrival_s,
                        "service_min": round(stop.service_s / 60),
                        "travel_min": round(stop.travel_s / 60),
                        "household_id": stop.household_id,
                        "head_name": str(hh.get("head_name", "")),
                        "village": str(hh.get("village", "")),
                        "phone": str(hh.get("phone", "")),
                        "services": self.services(stop.household_id),
                        "mode": route.mode,
                        "lon": round(lon, 7),
                        "lat": round(lat, 7),
                    }
                )
        return rows

    def household_rows(self) -> list[dict[str, Any]]:
        visits: dict[str, tuple[Route, int, int]] = {}
        for route in self.routes:
            for stop in route.stops:
                visits[stop.household_id] = (route, stop.order, stop.arrival_s)
        unassigned = {u.household_id: u for u in self.plan.unassigned}
        rollover = {u.household_id: u for u in self.plan.rollover}
        rows = []
        for hid, hh in self.households.items():
            vid = self.plan.assignment.get(hid, "")
            status, reason, detail = "not_planned", "", ""
            day: int | None = None
            order: int | None = None
            arrival = ""
            if hid in visits:
                route, order, arrival_s = visits[hid]
                status, vid, day, arrival = (
                    "visit",
                    route.volunteer_id,
                    route.day,
                    format_clock(arrival_s),
                )
            elif hid in unassigned:
                gone = unassigned[hid]
                status, reason, detail = "unassigned", gone.reason, gone.detail
            elif hid in rollover:
                status, reason, detail = "rollover", rollover[hid].reason, rollover[hid].detail
            elif vid:
                status = "assigned"
            rows.append(
                {
                    "household_id": hid,
                    "head_name": str(hh.get("head_name", "")),
                    "village": str(hh.get("village", "")),
                    "phone": str(hh.get("phone", "")),
                    "services": self.services(hid),
                    "service_codes": ";".join(hh.get("services", ()) or ()),
                    "priority": bool(hh.get("priority", False)),
                    "location_quality": str(hh.get("location_quality", "")),
                    "status": status,
                    "volunteer_id": vid,
                    "volunteer_name": str(self.volunteers.get(vid, {}).get("name", ""))
                    if vid
                    else "",
                    "day": day,
                    "day_name": day_name(day, self.language) if day is not None else "",
                    "date": self.date_text(day) if day is not None else "",
                    "order": order,
                    "arrival": arrival,
                    "reason": reason,
                    "detail": detail,
                    "geometry": hh["geometry"],
                }
            )
        return rows


# --- GeoPackage and GeoJSON ---------------------------------------------------------


def _frames(tables: _Tables, service_points: gpd.GeoDataFrame | None) -> dict[str, Any]:
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import LineString, Point

    def frame(rows: list[dict[str, Any]], columns: list[str], geoms: list[Any]) -> Any:
        df = pd.DataFrame(rows, columns=columns)
        return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"))

    hh_rows = tables.household_rows()
    hh_cols = [k for k in (hh_rows[0] if hh_rows else {"household_id": 0}) if k != "geometry"]
    households = frame(
        [{k: v for k, v in r.items() if k != "geometry"} for r in hh_rows],
        hh_cols,
        [r["geometry"] for r in hh_rows],
    )
    for col in ("day", "order"):
        if col in households:
            households[col] = households[col].astype("Int64")

    stop_rows = tables.stop_rows()
    stop_cols = list(stop_rows[0]) if stop_rows else ["volunteer_id", "order"]
    stops = frame(stop_rows, stop_cols, [Point(r["lon"], r["lat"]) for r in stop_rows])

    route_rows, route_geoms = [], []
    for route in tables.routes:
        vol = tables.volunteers[route.volunteer_id]
        route_rows.append(
            {
                "volunteer_id": route.volunteer_id,
                "volunteer_name": str(vol.get("name", "")),
                "day": route.day,
                "day_name": day_name(route.day, tables.language),
                "date": tables.date_text(route.day),
                "mode": route.mode,
                "start": format_clock(route.start_s),
                "end": format_clock(route.end_s),
                "stops": len(route.stops),
                "travel_min": round(route.travel_s / 60),
                "service_min": round(route.service_s / 60),
                "households": " ".join(s.household_id for s in route.stops),
            }
        )
        route_geoms.append(LineString(tables.line(route)))
    route_cols = list(route_rows[0]) if route_rows else ["volunteer_id", "day"]
    routes = frame(route_rows, route_cols, route_geoms)

    if service_points is not None and len(service_points):
        keep = [c for c in ("point_id", "name") if c in service_points.columns]
        sp = gpd.GeoDataFrame(
            service_points[keep].copy(),
            geometry=service_points.geometry.to_crs("EPSG:4326").values,
            crs="EPSG:4326",
        )
        for col in keep:
            sp[col] = sp[col].astype(str)
    else:
        sp = frame([], ["point_id", "name"], [])
    return {"households": households, "stops": stops, "routes": routes, "service_points": sp}


_GEOM_TYPE = {
    "households": "Point",
    "stops": "Point",
    "routes": "LineString",
    "service_points": "Point",
}


def write_geopackage(frames: Mapping[str, Any], target: str | Path) -> Path:
    """Write ``frames`` (layer name -> GeoDataFrame) as one GeoPackage, atomically."""
    import pyogrio

    with atomic_path(target) as tmp:
        for name, frame in frames.items():
            pyogrio.write_dataframe(
                frame,
                tmp,
                layer=name,
                driver="GPKG",
                geometry_type=_GEOM_TYPE.get(name, "Unknown"),
                append=tmp.exists(),
            )
    return Path(target)


def write_geojson(frame: Any, target: str | Path, *, geometry_type: str = "Unknown") -> Path:
    """Write one GeoDataFrame as GeoJSON (RFC 7946), atomically."""
    import pyogrio

    with atomic_path(target) as tmp:
        pyogrio.write_dataframe(
            frame,
            tmp,
            driver="GeoJSON",
            layer=Path(target).stem,
            geometry_type=geometry_type,
            RFC7946="YES",
        )
    return Path(target)


# --- GPX ------------------------------------------------------------------------------


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{GPX_NS}}}{tag}", attrib)
    if text is not None:
        el.text = _xml_text(text)
    return el


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Drop characters XML 1.0 cannot hold (ElementTree escapes ``<``, ``&`` itself)."""
    return _XML_BAD.sub("", text)


def _ll(lon: float, lat: float) -> dict[str, str]:
    return {"lat": f"{lat:.7f}", "lon": f"{lon:.7f}"}


def gpx_document(tables: _Tables, volunteer_id: str) -> bytes:
    """Return the GPX 1.1 document of one volunteer's week as UTF-8 bytes."""
    ET.register_namespace("", GPX_NS)
    routes = [r for r in tables.routes if r.volunteer_id == volunteer_id]
    vol = tables.volunteers[volunteer_id]
    name = str(vol.get("name", "")) or volunteer_id
    root = ET.Element(f"{{{GPX_NS}}}gpx", {"version": "1.1", "creator": _CREATOR})
    meta = _sub(root, "metadata")
    _sub(meta, "name", f"{name} ({volunteer_id})")
    week = f" {tables.plan.week_start.isoformat()}" if tables.plan.week_start else ""
    _sub(meta, "desc", f"routeplan{week}")
    for route in routes:
        day = day_name(route.day, tables.language)
        date = round_date(tables.plan.week_start, route.day)
        when = f"{day} {date:%d/%m/%Y}" if date else day
        for stop in route.stops:
            hh = tables.households[stop.household_id]
            lon, lat = tables.hh_xy[stop.household_id]
            wpt = _sub(root, "wpt", **_ll(lon, lat))
            _sub(wpt, "name", f"{stop.order}. {hh.get('head_name', '')}")
            _sub(wpt, "cmt", f"{when} {format_clock(stop.arrival_s)} · {stop.household_id}")
            _sub(wpt, "desc", tables.services(stop.household_id))
            _sub(wpt, "type", when)
    for route in routes:
        day = day_name(route.day, tables.language)
        trk = _sub(root, "trk")
        _sub(trk, "name", f"{day}: {name}")
        _sub(
            trk,
            "desc",
            f"{format_clock(route.start_s)}-{format_clock(route.end_s)}, {len(route.stops)} stops",
        )
        _sub(trk, "number", str(route.day + 1))
        seg = _sub(trk, "trkseg")
        for lon, lat in tables.line(route):
            _sub(seg, "trkpt", **_ll(lon, lat))
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def write_gpx(tables: _Tables, volunteer_id: str, target: str | Path) -> Path:
    """Write one volunteer's GPX file atomically."""
    return write_bytes(target, gpx_document(tables, volunteer_id))


# --- entry point ----------------------------------------------------------------------

STOP_COLUMNS = (
    "volunteer_id",
    "volunteer_name",
    "day",
    "day_name",
    "date",
    "order",
    "arrival",
    "departure",
    "household_id",
    "head_name",
    "village",
    "phone",
    "services",
    "service_min",
    "travel_min",
    "mode",
    "lat",
    "lon",
)
"""Columns of ``plan_stops.csv``, in order."""


def write_exports(
    plan: Plan,
    households: gpd.GeoDataFrame,
    volunteers: gpd.GeoDataFrame,
    service_points: gpd.GeoDataFrame | None,
    matrix_by_mode: Mapping[str, TravelMatrix],
    out_dir: str | Path,
    *,
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
) -> list[Path]:
    """Write the plan as GeoPackage, GeoJSON, CSV and per-volunteer GPX files.

    Parameters
    ----------
    plan
        The plan to export.
    households, volunteers, service_points
        The registers the plan was made from (``service_points`` may be ``None``).
    matrix_by_mode
        Travel matrices by mode, used to draw the routes along the roads; a route
        whose mode has no matrix is drawn as straight lines between stops.
    out_dir
        Output folder, created when missing.
    settings
        Names of services and days (``settings.output.language``).
    progress
        Optional ``progress(message, fraction)`` callback.

    Returns
    -------
    list of pathlib.Path
        Every file written: ``plan.gpkg``, ``plan_households.geojson``,
        ``plan_stops.geojson``, ``plan_routes.geojson``, ``plan_service_points.geojson``,
        ``plan_stops.csv`` and ``gpx/<volunteer_id>.gpx`` for each volunteer with a round.

    Raises
    ------
    InputDataError
        If the plan names households or volunteers missing from the registers.

    """
    settings = settings or Settings()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = _Tables(plan, households, volunteers, matrix_by_mode, settings)
    written: list[Path] = []

    def report(message: str, fraction: float) -> None:
        if progress is not None:
            progress(message, fraction)

    report("exports: tables", 0.0)
    frames = _frames(tables, service_points)
    report("exports: GeoPackage", 0.2)
    written.append(write_geopackage(frames, out / "plan.gpkg"))
    report("exports: GeoJSON", 0.5)
    for name, frame in frames.items():
        written.append(
            write_geojson(frame, out / f"plan_{name}.geojson", geometry_type=_GEOM_TYPE[name])
        )
    report("exports: CSV", 0.7)
    rows = tables.stop_rows()
    written.append(
        write_csv(
            out / "plan_stops.csv", STOP_COLUMNS, ([r[c] for c in STOP_COLUMNS] for r in rows)
        )
    )
    vids = sorted({r.volunteer_id for r in tables.routes})
    for k, vid in enumerate(vids):
        report("exports: GPX", 0.8 + 0.2 * k / max(len(vids), 1))
        written.append(write_gpx(tables, vid, out / "gpx" / f"{safe_file_name(vid)}.gpx"))
    report("exports: done", 1.0)
    log.info("wrote %d export files to %s", len(written), out)
    return written


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
