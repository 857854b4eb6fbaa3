"""The coordinator's overview map (``map_overview.html``).

Every volunteer's households in their own colour and marker style, one layer per
volunteer, each round drawn along the roads, the service points, hamlet names, the
households nobody could take (red crosses, also listed in a panel), a legend and a
summary table with a link to each volunteer's page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..._labels import label
from ...planner import Route
from ..text import clean_text, safe_file_name
from .context import MapContext
from .coords import LatLon, bounds, centre, latlon
from .elements import draw, script_element
from .offline import new_map, offline_html, tiles
from .popups import household_popup
from .roads import RoadLine, roads_layer
from .style import HUES, MarkerStyle, date_text, esc, home_style, hours, js, volunteer_style

__all__ = ["overview"]

_Row = tuple[str, str, MarkerStyle, int, int, int]
"""A summary row: volunteer id, name, style, households, rounds, seconds of work."""


def _hamlets(
    ctx: MapContext, places: Mapping[str, tuple[float, float]] | None
) -> list[tuple[str, float, float]]:
    """Return ``(name, lon, lat)`` of each hamlet: given places, else the households' median."""
    if places:
        return [(clean_text(n), float(x), float(y)) for n, (x, y) in places.items()]
    b = ctx.bundle
    by_village: dict[str, list[tuple[float, float]]] = {}
    for hid, rec in b.households.items():
        village = clean_text(rec.get("village", ""))
        if village and hid in b.xy:
            by_village.setdefault(village, []).append(b.xy[hid])
    return [(v, *centre(pts)) for v, pts in sorted(by_village.items())]


def _households_of(ctx: MapContext) -> dict[str, list[str]]:
    """Return each volunteer's households (assigned, and visited but not in the assignment)."""
    b = ctx.bundle
    hids_by_vid: dict[str, list[str]] = {}
    for hid, vid in b.plan.assignment.items():
        if hid not in b.unassigned:
            hids_by_vid.setdefault(vid, []).append(hid)
    for route in b.routes:  # households visited but missing from `assignment`
        for s in route.stops:
            if s.household_id not in b.plan.assignment:
                hids_by_vid.setdefault(route.volunteer_id, []).append(s.household_id)
    return hids_by_vid


def _volunteer_styles(style: MarkerStyle) -> dict[str, dict[str, Any]]:
    return {
        "r": {
            "color": style.colour,
            "weight": 4,
            "opacity": 0.85,
            "className": "rp-route",
            **({"dashArray": style.dash} if style.dash else {}),
        },
        "h": style.circle(),
        "l": {
            **style.circle(),
            "fillOpacity": 0.35,
            "dashArray": "2 3",
            "className": "rp-hh rp-later",
        },
        "home": {**home_style(style.colour), "className": "rp-home rp-home-s"},
    }


def _volunteer_items(
    ctx: MapContext, vid: str, name: str, routes: Sequence[Route], hids: Sequence[str]
) -> list[dict[str, Any]]:
    """Return what a volunteer's layer draws: rounds, home, households."""
    b, t = ctx.bundle, ctx.t
    items: list[dict[str, Any]] = []
    for route in routes:
        line = ctx.route_line(route)
        if len(line) >= 2:
            tip = f"{esc(name)} · {esc(ctx.day_text(route.day))}"
            items.append({"k": "line", "s": "r", "c": line, "t": tip})
    home = b.home(vid)
    if home is not None:
        items.append(
            {"k": "div", "s": "home", "c": latlon(*home), "t": f"{esc(t('home'))}: {esc(name)}"}
        )
    for hid in hids:
        if hid not in b.xy:
            continue
        items.append(
            {
                "k": "circle",
                "s": "l" if hid not in b.visits else "h",
                "c": latlon(*b.xy[hid]),
                "id": hid,
                "p": household_popup(ctx, hid),
                "t": f"{esc(b.households[hid].get('head_name', ''))} · {esc(name)}",
            }
        )
    return items


def _volunteer_layers(ctx: MapContext, m: Any) -> tuple[list[_Row], dict[str, str]]:
    """Add one layer per volunteer with households or rounds to ``m``.

    Returns the summary rows (every volunteer) and the layers' JS names by volunteer.
    """
    import folium

    b = ctx.bundle
    rows: list[_Row] = []
    volunteer_layers: dict[str, str] = {}
    routes_by_vid: dict[str, list[Route]] = {}
    for route in b.routes:
        routes_by_vid.setdefault(route.volunteer_id, []).append(route)
    hids_by_vid = _households_of(ctx)
    for vid, vol in b.volunteers.items():
        style = ctx.style[vid]
        name = clean_text(vol.get("name", "")) or vid
        routes = routes_by_vid.get(vid, [])
        hids = sorted(set(hids_by_vid.get(vid, [])))
        rows.append((vid, name, style, len(hids), len(routes), sum(r.duration_s for r in routes)))
        if not hids and not routes:
            continue
        layer_name = f"{style.swatch()}{esc(name)} ({esc(vid)}) · {len(hids)}"
        group = folium.FeatureGroup(name=layer_name, overlay=True, control=True)
        draw(_volunteer_styles(style), _volunteer_items(ctx, vid, name, routes, hids)).add_to(group)
        group.add_to(m)
        volunteer_layers[vid] = group.get_name()
    return rows, volunteer_layers


def _hamlet_layer(ctx: MapContext, places: Mapping[str, tuple[float, float]] | None) -> Any:
    """Return the layer of hamlet names (above the households; they let clicks through)."""
    import folium

    hamlets = folium.FeatureGroup(name=ctx.t("layer_hamlets"), overlay=True, control=True)
    draw(
        {"h": {"className": "rp-hamlet", "size": 0, "interactive": False, "z": 2000}},
        [
            {"k": "div", "s": "h", "c": latlon(x, y), "h": f"<span>{esc(n)}</span>"}
            for n, x, y in _hamlets(ctx, places)
        ],
    ).add_to(hamlets)
    return hamlets


def _service_point_layer(ctx: MapContext) -> Any:
    import folium

    t = ctx.t
    sp_group = folium.FeatureGroup(name=t("layer_service_points"), overlay=True, control=True)
    sp_items = []
    for rec in ctx.bundle.service_points:
        geom = rec.get("geometry")
        if geom is None or geom.is_empty:
            continue
        text = esc(rec.get("name", "")) or esc(rec.get("point_id", ""))
        sp_items.append(
            {
                "k": "div",
                "s": "sp",
                "c": latlon(geom.x, geom.y),
                "p": f'<div class="rp-pop"><h3>{text}</h3>'
                f'<div class="rp-sub">{esc(t("service_point"))}</div></div>',
                "t": text,
            }
        )
    draw({"sp": {"className": "rp-sp", "size": 20, "html": "<div></div>"}}, sp_items).add_to(
        sp_group
    )
    return sp_group


def _unassigned_layer(ctx: MapContext) -> Any:
    import folium

    b = ctx.bundle
    un_group = folium.FeatureGroup(name=ctx.t("layer_unassigned"), overlay=True, control=True)
    un_items = []
    for u in b.plan.unassigned:
        if u.household_id in b.xy:
            un_items.append(
                {
                    "k": "div",
                    "s": "x",
                    "c": latlon(*b.xy[u.household_id]),
                    "id": u.household_id,
                    "p": household_popup(ctx, u.household_id),
                    "t": esc(b.households[u.household_id].get("head_name", "")),
                }
            )
    draw({"x": {"className": "rp-cross", "size": 24, "html": ""}}, un_items).add_to(un_group)
    return un_group


@dataclass(frozen=True)
class _Controller:
    """The overview's script: panels, fitting the map, showing and hiding volunteers."""

    layer_map: str  # JS object of the volunteer layers' names
    tiles_name: str
    offline: str  # JSON of the offline note
    summary: str
    legend: str
    unassigned: str
    bounds: list[LatLon]

    def __call__(self, map_name: str) -> str:
        """Return the script for the map whose JS variable is ``map_name``."""
        unassigned = (
            f"RP.panel(map, 'bottomright', {js(self.unassigned)}, 'rp-unassigned-list');"
            if self.unassigned
            else ""
        )
        return f"""
(function () {{
  var map = {map_name}, layers = {self.layer_map};
  RP.init(map);
  L.control.scale({{imperial: false}}).addTo(map);
  RP.offlineNote(map, {self.tiles_name}, {self.offline});
  var sum = RP.panel(map, 'topleft', {js(self.summary)}, 'rp-summary');
  RP.panel(map, 'bottomleft', {js(self.legend)}, 'rp-legend');
  {unassigned}
  var left = 30;
  if (RP.wide()) {{
    sum.querySelector('details').open = true;
    left = Math.min(sum.offsetWidth + 30, map.getSize().x / 2);
  }}
  map.fitBounds({js(self.bounds)}, {{paddingTopLeft: [left, 30], paddingBottomRight: [30, 30]}});
  sum.addEventListener('click', function (ev) {{
    var b = ev.target.closest('button');
    if (!b) {{ return; }}
    var all = b.getAttribute('data-all'), vid = b.getAttribute('data-vid');
    Object.keys(layers).forEach(function (k) {{
      var on = all === 'show' || (vid !== null && k === vid);
      if (on) {{ map.addLayer(layers[k]); }} else {{ map.removeLayer(layers[k]); }}
    }});
    if (vid !== null && layers[vid]) {{
      var bb = layers[vid].getBounds();
      if (bb.isValid()) {{ map.fitBounds(bb, {{padding: [30, 30], maxZoom: 17}}); }}
    }}
  }});
  document.body.addEventListener('click', function (ev) {{
    var b = ev.target.closest('[data-hid]');
    if (b) {{ RP.open(map, b.getAttribute('data-hid'), 16); }}
  }});
}})();
"""


def overview(
    ctx: MapContext, roads: Sequence[RoadLine], places: Mapping[str, tuple[float, float]] | None
) -> str:
    """Return the overview page as self-contained HTML.

    ``roads`` are drawn as a light layer; ``places`` (``{name: (lon, lat)}``) name the
    hamlets, by default each village at the median position of its households.
    """
    import folium

    b, t, lang = ctx.bundle, ctx.t, ctx.lang
    week = date_text(b.plan.week_start)
    title = t("overview_title") + (f" · {label('week_of', lang).format(d=week)}" if week else "")
    pts = list(b.xy.values()) + [h for v in b.volunteers if (h := b.home(v))]
    fig, m = new_map(title, centre(pts))
    tile_layer = tiles(m, t("layer_tiles"))
    if roads:
        roads_layer(roads, t("layer_roads")).add_to(m)
    rows, volunteer_layers = _volunteer_layers(ctx, m)
    _hamlet_layer(ctx, places).add_to(m)
    # service points and unassigned households on top
    _service_point_layer(ctx).add_to(m)
    _unassigned_layer(ctx).add_to(m)
    folium.LayerControl(position="topright", collapsed=True).add_to(m)

    controller = _Controller(
        layer_map="{" + ",".join(f"{js(v)}:{n}" for v, n in volunteer_layers.items()) + "}",
        tiles_name=tile_layer.get_name(),
        offline=js(f"<small>{esc(t('offline_note'))}</small>"),
        summary=_summary_html(ctx, rows, title),
        legend=_legend_html(ctx),
        unassigned=_unassigned_html(ctx),
        bounds=bounds(pts) or [[16.0, 108.0], [16.2, 108.2]],
    )
    script_element(controller).add_to(m)
    return offline_html(fig)


def _summary_html(ctx: MapContext, rows: Sequence[_Row], title: str) -> str:
    t, lang = ctx.t, ctx.lang
    body = []
    for vid, name, style, n_hh, n_routes, secs in rows:
        page = f"volunteers/{safe_file_name(vid)}.html"
        body.append(
            f'<tr><td>{style.swatch()}<button class="rp-link" data-vid="{esc(vid)}">'
            f"{esc(name)}</button> <small>{esc(vid)}</small></td>"
            f'<td class="n">{n_hh}</td><td class="n">{n_routes}</td>'
            f'<td class="n">{hours(secs, lang)}</td>'
            f'<td><a href="{esc(page)}">{esc(t("open_page"))}</a></td></tr>'
        )
    total_hh = sum(r[3] for r in rows)
    total_routes = sum(r[4] for r in rows)
    total_s = sum(r[5] for r in rows)
    body.append(
        f'<tr><th>{esc(t("total"))}</th><th class="n">{total_hh}</th>'
        f'<th class="n">{total_routes}</th><th class="n">{hours(total_s, lang)}</th>'
        "<th></th></tr>"
    )
    n_un, n_roll = len(ctx.bundle.plan.unassigned), len(ctx.bundle.plan.rollover)
    extra = []
    if n_un:
        extra.append(esc(label("unassigned_n", lang).format(n=n_un)))
    if n_roll:
        extra.append(esc(label("rollover_n", lang).format(n=n_roll)))
    return (
        f"<details><summary>{esc(title)}</summary>"
        f"<div>{' · '.join(extra)}</div>"
        f'<div class="rp-btns"><button data-all="show">{esc(t("show_all"))}</button>'
        f'<button data-all="hide">{esc(t("hide_all"))}</button></div>'
        f"<table><tr><th>{esc(t('col_volunteer'))}</th>"
        f'<th class="n">{esc(t("col_households"))}</th>'
        f'<th class="n">{esc(t("col_rounds"))}</th>'
        f'<th class="n">{esc(t("col_hours_week"))}</th><th></th></tr>'
        f"{''.join(body)}</table></details>"
    )


def _legend_html(ctx: MapContext) -> str:
    t = ctx.t
    s0, s1, s2 = volunteer_style(0), volunteer_style(HUES), volunteer_style(2 * HUES)
    later = '<span class="rp-sw" style="background:#fff;border:2px dashed #555"></span>'
    return (
        f"<details><summary>{esc(t('legend'))}</summary>"
        f"<div>{s0.swatch()}{s1.swatch()}{s2.swatch()}{esc(t('legend_household'))}</div>"
        f'<div><svg width="30" height="10"><path d="M0 5H30" stroke="{s0.colour}" '
        f'stroke-width="4"/></svg> {esc(t("legend_route"))}</div>'
        f"<div>{later}{esc(t('rollover'))}</div>"
        f'<div><span style="display:inline-block;width:24px;height:18px;position:relative" '
        f'class="rp-cross"></span> {esc(t("unassigned"))}</div>'
        f'<div><span class="rp-sp" style="display:inline-block;vertical-align:middle">'
        f"<div></div></span> {esc(t('service_point'))}</div>"
        f'<div><span class="rp-home" style="display:inline-block;position:relative;'
        f'width:22px;height:22px;vertical-align:middle"><div style="background:{s0.colour}">'
        f"</div></span> {esc(t('legend_home'))}</div>"
        f'<div><svg width="30" height="10"><path d="M0 5H30" stroke="#7b8794" '
        f'stroke-width="2"/></svg> {esc(t("legend_road"))}</div>'
        f'<div><svg width="30" height="10"><path d="M0 5H30" stroke="#9c8b6e" '
        f'stroke-width="1.5" stroke-dasharray="4 4"/></svg> {esc(t("legend_foot"))}</div>'
        "</details>"
    )


def _unassigned_html(ctx: MapContext) -> str:
    t = ctx.t
    if not ctx.bundle.plan.unassigned and not ctx.bundle.plan.rollover:
        return ""

    def items(entries: Sequence[Any]) -> str:
        out = []
        for u in entries:
            rec = ctx.bundle.households[u.household_id]
            what = (
                f"<b>{esc(rec.get('head_name', ''))}</b> ({esc(u.household_id)}, "
                f"{esc(rec.get('village', ''))}): {esc(u.detail or u.reason)}"
            )
            if u.household_id in ctx.bundle.xy:
                what = f'<button class="rp-link" data-hid="{esc(u.household_id)}">{what}</button>'
            out.append(f"<li>{what}</li>")
        return "".join(out)

    parts = []
    if ctx.bundle.plan.unassigned:
        parts.append(f"<b>{esc(t('unassigned'))}</b><ul>{items(ctx.bundle.plan.unassigned)}</ul>")
    if ctx.bundle.plan.rollover:
        parts.append(f"<b>{esc(t('rollover'))}</b><ul>{items(ctx.bundle.plan.rollover)}</ul>")
    n = len(ctx.bundle.plan.unassigned) + len(ctx.bundle.plan.rollover)
    head = esc(label("not_visited_n", ctx.lang).format(n=n))
    return f"<details><summary>{head}</summary>{''.join(parts)}</details>"
