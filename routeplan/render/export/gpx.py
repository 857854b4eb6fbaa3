"""GPX 1.1 for OsmAnd and Organic Maps: one file per volunteer.

The volunteer's households are waypoints in visit order (services as the
description, day and time as the comment) and each round is a track along the roads.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ..._io import write_bytes
from ..._labels import label
from ...timewindows import format_clock
from ..bundle import PlanBundle
from ..rounds import round_shorts, rounds_per_day
from ..text import day_name
from .tables import services_text

__all__ = ["GPX_NS", "gpx_document", "write_gpx"]

GPX_NS = "http://www.topografix.com/GPX/1/1"
"""XML namespace of GPX 1.1."""

_CREATOR = "routeplan"

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Drop characters XML 1.0 cannot hold (ElementTree escapes ``<``, ``&`` itself)."""
    return _XML_BAD.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{GPX_NS}}}{tag}", attrib)
    if text is not None:
        el.text = _xml_text(text)
    return el


def _ll(lon: float, lat: float) -> dict[str, str]:
    return {"lat": f"{lat:.7f}", "lon": f"{lon:.7f}"}


def _waypoints(root: ET.Element, bundle: PlanBundle, volunteer_id: str) -> None:
    routes = list(bundle.routes_of(volunteer_id))
    # OsmAnd shows the whole week at once: day and order make each name unique
    for route, short in zip(routes, round_shorts(routes, bundle.language), strict=True):
        day = day_name(route.day, bundle.language)
        date = bundle.date(route.day)
        when = f"{day} {date:%d/%m/%Y}" if date else day
        for stop in route.stops:
            hh = bundle.households[stop.household_id]
            lon, lat = bundle.xy[stop.household_id]
            wpt = _sub(root, "wpt", **_ll(lon, lat))
            _sub(wpt, "name", f"{short}\u00b7{stop.order}. {hh.get('head_name', '')}")
            _sub(wpt, "cmt", f"{when} {format_clock(stop.arrival_s)} · {stop.household_id}")
            _sub(wpt, "desc", services_text(bundle, stop.household_id))
            _sub(wpt, "type", when)


def _tracks(root: ET.Element, bundle: PlanBundle, volunteer_id: str, name: str) -> None:
    routes = list(bundle.routes_of(volunteer_id))
    per_day = rounds_per_day(routes)
    lang = bundle.language
    for route, short in zip(routes, round_shorts(routes, lang), strict=True):
        day = day_name(route.day, lang)
        if per_day[route.day] > 1:  # two rounds a day: named as their waypoints (T7a, T7b)
            day = f"{short} · {day} {format_clock(route.start_s)}"
        trk = _sub(root, "trk")
        _sub(trk, "name", f"{day}: {name}")
        stops = label("households_n", lang).format(n=len(route.stops))
        _sub(trk, "desc", f"{format_clock(route.start_s)}-{format_clock(route.end_s)}, {stops}")
        _sub(trk, "number", str(route.day + 1))
        seg = _sub(trk, "trkseg")
        for lon, lat in bundle.line(route):
            _sub(seg, "trkpt", **_ll(lon, lat))


def gpx_document(bundle: PlanBundle, volunteer_id: str) -> bytes:
    """Return the GPX 1.1 document of one volunteer's week as UTF-8 bytes."""
    ET.register_namespace("", GPX_NS)
    vol = bundle.volunteers[volunteer_id]
    name = str(vol.get("name", "")) or volunteer_id
    root = ET.Element(f"{{{GPX_NS}}}gpx", {"version": "1.1", "creator": _CREATOR})
    meta = _sub(root, "metadata")
    _sub(meta, "name", f"{name} ({volunteer_id})")
    week = f" {bundle.plan.week_start.isoformat()}" if bundle.plan.week_start else ""
    _sub(meta, "desc", f"routeplan{week}")
    _waypoints(root, bundle, volunteer_id)
    _tracks(root, bundle, volunteer_id, name)
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def write_gpx(bundle: PlanBundle, volunteer_id: str, target: str | Path) -> Path:
    """Write one volunteer's GPX file atomically."""
    return write_bytes(target, gpx_document(bundle, volunteer_id))
