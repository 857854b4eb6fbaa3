"""The report's offline map: households by band, areas per band, points, hamlets, roads."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._common import edge_line
from .bands import TOTAL, band_colours
from .results import WHAT_IF_TITLES, what_ifs
from .tables import CSS, MODE_NAME, fmt_cell, hamlet_frame, headers

if TYPE_CHECKING:  # pragma: no cover
    import folium
    import geopandas as gpd

    from .results import CoverageReport, WhatIf

__all__ = ["coverage_map", "road_lines"]


def _points_geojson(frame: gpd.GeoDataFrame, columns: Sequence[str]) -> dict[str, Any]:
    feats = []
    for rec, geom in zip(frame[list(columns)].to_dict("records"), frame.geometry, strict=True):
        props = {
            k: (
                None
                if isinstance(v, float) and math.isnan(v)
                else round(v, 1)
                if isinstance(v, float)
                else bool(v)
                if isinstance(v, np.bool_)
                else v
            )
            for k, v in rec.items()
        }
        feats.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [round(geom.x, 6), round(geom.y, 6)]},
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def _household_layer(
    folium: Any,
    frame: gpd.GeoDataFrame,
    mode: str,
    colours: Mapping[str, str],
    name: str,
    show: bool,
) -> Any:
    cols = ["household_id", "village", f"{mode}_min", f"{mode}_band"]
    data = _points_geojson(frame, cols)
    for f in data["features"]:
        f["properties"]["colour"] = colours[f["properties"][f"{mode}_band"]]
    return folium.GeoJson(
        data,
        name=name,
        show=show,
        marker=folium.CircleMarker(radius=4, weight=1, fill=True, fill_opacity=0.9),
        style_function=lambda f: {"fillColor": f["properties"]["colour"], "color": "#333"},
        tooltip=folium.GeoJsonTooltip(
            fields=cols, aliases=["Household", "Hamlet", "Minutes", "Band"]
        ),
    )


def _iso_layer(
    folium: Any,
    iso: gpd.GeoDataFrame | None,
    mode: str,
    colours: Mapping[str, str],
    name: str,
    show: bool,
) -> Any:
    group = folium.FeatureGroup(name=name, show=show)
    if iso is None:
        return group
    sub = iso[iso["mode"] == mode]
    for rec in sub.sort_values("minutes", ascending=False).to_dict("records"):
        folium.GeoJson(
            rec["geometry"].__geo_interface__,
            style_function=lambda _f, c=colours[rec["band"]]: {
                "fillColor": c,
                "color": c,
                "weight": 1,
                "fillOpacity": 0.25,
            },
            tooltip=f"{rec['band']} {MODE_NAME[mode]} to a service point",
        ).add_to(group)
    return group


def coverage_map(report: CoverageReport) -> folium.Map:
    """Return the report's map: households by band, areas per band, points, hamlets.

    Works offline: no tiles (the roads of the network are drawn instead) and Leaflet
    is inlined (:func:`routeplan.render.maps.offline_map`).
    """
    import folium

    base = report.baseline
    colours = dict(zip(report.bands, band_colours(len(report.bands) - 1), strict=True))
    m = _base_map(report)
    if report.roads is not None and len(report.roads):
        _roads_layer(folium, report.roads).add_to(m)
    mode = report.mode
    shown = ((mode, True), *((other, False) for other in report.modes[1:]))
    for layer, frame, title in (
        (_iso_layer, base.isochrones, "Areas per band"),
        (_household_layer, base.households, "Households"),
    ):  # the headline mode's layer shown, the other modes' switched off
        for each, show in shown:
            layer(folium, frame, each, colours, f"{title} {MODE_NAME[each]}", show).add_to(m)
    for key, w in what_ifs(report):
        _scenario_layers(folium, m, WHAT_IF_TITLES[key], w, mode, colours)
    _service_point_layer(folium, base.service_points).add_to(m)
    _hamlet_layer(folium, report).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    legend = "".join(
        f'<div><i style="background:{c}"></i>{html.escape(lab)}</div>' for lab, c in colours.items()
    )
    _legend(
        f"<b>{html.escape(MODE_NAME[mode].capitalize())} to the nearest service point</b>{legend}"
    ).add_to(m)
    return m


def _base_map(report: CoverageReport) -> folium.Map:
    """Return an offline map without tiles, fitted to the households and every point."""
    from ..render.maps import offline_map

    base = report.baseline
    pts = [base.households.geometry, base.service_points.geometry]
    for _, w in what_ifs(report):
        pts.append(w.added.geometry)
    b = pd.concat(pts).total_bounds
    m = offline_map(
        ((float(b[0]) + float(b[2])) / 2, (float(b[1]) + float(b[3])) / 2),
        title="Coverage",
        zoom_start=12,
        height="620px",
        head=f"<style>{CSS}</style>",
        scale=True,
        prefer_canvas=True,
    )
    m.fit_bounds([[float(b[1]), float(b[0])], [float(b[3]), float(b[2])]])
    return m


def _roads_layer(folium: Any, roads: gpd.GeoDataFrame) -> Any:
    """Return the layer of roads and paths, main roads thicker."""
    return folium.GeoJson(
        roads.__geo_interface__,
        name="Roads and paths",
        style_function=lambda f: {
            "color": "#888",
            "weight": 2
            if f["properties"]["highway"] in ("primary", "secondary", "tertiary", "trunk")
            else 1,
            "opacity": 0.7,
        },
    )


def _scenario_layers(
    folium: Any, m: folium.Map, title: str, w: WhatIf, mode: str, colours: Mapping[str, str]
) -> None:
    """Add a what-if's areas, households and new points to ``m`` (switched off but points)."""
    _iso_layer(
        folium,
        w.after.isochrones,
        mode,
        colours,
        f"{title}: areas per band {MODE_NAME[mode]}",
        False,
    ).add_to(m)
    _household_layer(
        folium,
        w.after.households,
        mode,
        colours,
        f"{title}: households {MODE_NAME[mode]}",
        False,
    ).add_to(m)
    group = folium.FeatureGroup(name=f"{title}: new points", show=title == "What-if")
    for rec, g in zip(w.added.to_dict("records"), w.added.geometry, strict=True):
        _point_marker(folium, g, "#e7298a", f"{title}: {rec['name']}").add_to(group)
    group.add_to(m)


def _point_marker(folium: Any, g: Any, fill_color: str, tooltip: str) -> Any:
    """Return a big round marker of a service point at ``g`` (``tooltip``: plain text)."""
    return folium.CircleMarker(
        [g.y, g.x],
        radius=11,
        color="#000",
        weight=3,
        fill=True,
        fill_color=fill_color,
        fill_opacity=0.9,
        tooltip=html.escape(tooltip),
    )


def _service_point_layer(folium: Any, points: gpd.GeoDataFrame) -> Any:
    """Return the layer of the service points, in blue."""
    sp = folium.FeatureGroup(name="Service points")
    for rec, g in zip(points.to_dict("records"), points.geometry, strict=True):
        _point_marker(folium, g, "#1f78b4", f"{rec['point_id']}: {rec['name']}").add_to(sp)
    return sp


def _hamlet_layer(folium: Any, report: CoverageReport) -> Any:
    """Each hamlet's name at its households' median, its table row as the tooltip."""
    mode = report.mode
    hamlets = folium.FeatureGroup(name="Hamlet summaries")
    table = hamlet_frame(report)
    hh = report.baseline.households
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in table.to_dict("records")
    ]
    for rec in records:
        if rec["village"] == TOTAL:
            continue
        sub = hh[hh["village"] == rec["village"]]
        x, y = float(np.median(sub.geometry.x)), float(np.median(sub.geometry.y))
        rows = "".join(
            f"<tr><th>{html.escape(h)}</th><td>{html.escape(fmt_cell(c, rec[c]))}</td></tr>"
            for c, h in zip(rec, headers(list(rec), report.settings), strict=True)
            if c != "village"
        )
        popup = (
            f"<b>{html.escape(str(rec['village']))}</b> ({MODE_NAME[mode]})"
            f"<table class='rp'>{rows}</table>"
        )
        folium.Marker(
            [y, x],
            icon=folium.DivIcon(
                html=f'<div style="font:bold 12px sans-serif;color:#000;white-space:nowrap;'
                f'text-shadow:0 0 3px #fff">{html.escape(str(rec["village"]))}</div>'
            ),
            # a tooltip, not a folium Popup: Popup needs jQuery, which is not inlined
            tooltip=folium.Tooltip(popup),
        ).add_to(hamlets)
    return hamlets


def _legend(inner_html: str) -> Any:
    """Return a folium element adding ``inner_html`` (trusted) as a Leaflet control."""
    import json

    from branca.element import MacroElement
    from folium.template import Template

    class _Legend(MacroElement):  # type: ignore[misc,unused-ignore]
        _template = Template(
            "{% macro script(this, kwargs) %}"
            "(function(){var c=L.control({position:'bottomleft'});"
            "c.onAdd=function(){var d=L.DomUtil.create('div','rp-legend');"
            "d.innerHTML={{ this.payload }};return d;};"
            "c.addTo({{ this._parent.get_name() }});})();"
            "{% endmacro %}"
        )

        def __init__(self) -> None:
            super().__init__()  # type: ignore[no-untyped-call,unused-ignore]
            self._name = "CoverageLegend"
            self.payload = json.dumps(inner_html).replace("</", "<\\/")

    return _Legend()


def road_lines(network: Any) -> gpd.GeoDataFrame:
    """Return the network's ways once each (either direction), simplified, for the map."""
    import geopandas as gpd

    from ..network import each_way_once

    graph = network.graph
    rows = []
    for u, v, data in each_way_once(graph):
        geom = edge_line(graph, u, v, data)
        hw = data.get("highway", "")
        rows.append(
            {
                "highway": str(hw[0] if isinstance(hw, list) else hw),
                "geometry": geom.simplify(0.00005),
            }
        )
    return gpd.GeoDataFrame(
        rows, columns=["highway", "geometry"], geometry="geometry", crs="EPSG:4326"
    )
