"""One volunteer's page for the phone (``volunteers/<volunteer_id>.html``).

The stops of each round numbered in visit order, one layer and one tab per round,
the route along the roads, a popup per household (services, a button to call, when
they are at home, notes, buttons that open the place in the phone's map app) and
each round's stops listed under the map with big buttons.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..._labels import label
from ...planner import Route, Unassigned
from ...timewindows import format_clock
from ..rounds import round_shorts
from ..text import clean_text, format_duration
from .assets import VOLUNTEER_CSS
from .context import MapContext
from .coords import LatLon, bbox, bounds, centre, latlon
from .elements import draw, html_element, script_element
from .offline import new_map, offline_html, tiles
from .popups import actions, household_popup
from .record import RECORD_CSS, RECORD_JS, record_config, record_script
from .roads import RoadLine, roads_layer
from .style import DAY_COLOURS, date_text, esc, home_style, js, tel

__all__ = ["volunteer_page"]

_LATER = "#868e96"
"""Colour of the households rolled over to next week."""


def _stop_row(
    ctx: MapContext,
    hid: str,
    key: str,
    number: int,
    when: str,
    colour: str,
    on_map: bool,
    *,
    record: bool = False,
) -> str:
    """Return one household's row in the list under the map (escaped HTML)."""
    rec = ctx.bundle.households[hid]
    services = ", ".join(ctx.services(hid))
    flags = ctx.flags(hid)
    notes = clean_text(rec.get("notes", ""))
    small = [f"{esc(rec.get('village', ''))} · {esc(hid)}"]
    if services:
        small.append(esc(services))
    if flags:
        small.append(esc(" · ".join(flags)))
    if notes:
        small.append(f"{esc(ctx.t('notes'))}: {esc(notes)}")
    stop_attr = f' data-stop="{esc(key)}"' if on_map else ""
    when_html = f'<span class="rp-when">{esc(when)}</span> ' if when else ""
    li = f'<li data-hid="{esc(hid)}">' if record else "<li>"
    return (
        f'{li}<button class="rp-row"{stop_attr}><span class="rp-badge" '
        f'style="background:{colour}">{number}</span><span>{when_html}'
        f"<b>{esc(rec.get('head_name', '')) or esc(hid)}</b>"
        f"{''.join(f'<small>{s}</small>' for s in small)}</span></button>"
        f"{actions(ctx, hid)}</li>"
    )


def _header(ctx: MapContext, vid: str, name: str) -> str:
    """Return the page's header: name, id, mode, week and the coordinator to call."""
    t, lang = ctx.t, ctx.lang
    week = date_text(ctx.bundle.plan.week_start)
    mode = clean_text(ctx.bundle.volunteers[vid].get("mode", ""))
    meta = [esc(vid)]
    if mode in ("motorbike", "walking"):
        meta.append(esc(t(f"mode_{mode}")))
    if week:
        meta.append(esc(label("week_of", lang).format(d=week)))
    coordinator = clean_text(ctx.bundle.settings.output.coordinator)
    coord_html = ""
    if coordinator:
        uri = tel(m.group(0)) if (m := re.search(r"\+?\d[\d .-]{6,}\d", coordinator)) else ""
        inner = f'<a href="{esc(uri)}">{esc(coordinator)}</a>' if uri else esc(coordinator)
        coord_html = f"<div>{esc(t('coordinator'))}: {inner}</div>"
    return (
        f'<header class="rp-head"><h1>{esc(label("volunteer_title", lang).format(name=name))}'
        f"</h1><div>{' · '.join(meta)}</div>{coord_html}"
        '<div id="rp-offline" hidden></div></header>'
    )


@dataclass
class _Page:
    """What the rounds add to the page: layers, tabs and the lists under the map."""

    ctx: MapContext
    folium_map: Any
    home: tuple[float, float] | None
    day_layers: dict[str, str] = field(default_factory=dict)
    day_dates: dict[str, str] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)
    tabs: list[str] = field(default_factory=list)

    def _number(
        self, hid: str, key: str, number: int, popup: str, week_label: str = ""
    ) -> dict[str, Any]:
        """Return the numbered marker of a stop (on the map: the household has a location).

        ``week_label`` (day and order, ``"T2·3"``) replaces the number in the whole
        week's view, where every day's rounds are shown at once.
        """
        xy = self.ctx.bundle.xy[hid]
        item = {"k": "num", "s": "n", "n": number, "c": latlon(*xy), "id": key, "p": popup}
        if week_label:
            item["w"] = week_label
        return item

    def add_round(self, i: int, route: Route, title: str, short: str) -> None:
        """Add round ``i`` (a layer, a tab and its list of stops) titled ``title``.

        ``short`` names the round on its markers in the whole week's view (``"T2"``).
        """
        import folium

        ctx, t, lang = self.ctx, self.ctx.t, self.ctx.lang
        colour = DAY_COLOURS[i % len(DAY_COLOURS)]
        day = str(i)
        n = len(route.stops)
        group = folium.FeatureGroup(
            name=f'<span class="rp-sw" style="background:{colour};border-color:{colour}"></span>'
            f"{esc(title)} · {esc(label('households_n', lang).format(n=n))}",
            overlay=True,
            control=True,
        )
        styles = {
            "r": {"color": colour, "weight": 5, "opacity": 0.8, "className": "rp-route"},
            "n": {"className": "rp-num", "size": 30, "color": colour},
            "home": home_style("#1c2b40"),
            "foot": {"color": colour, "weight": 3, "opacity": 0.9, "dashArray": "6 6"},
        }
        items: list[dict[str, Any]] = []
        line = ctx.route_line(route)
        if len(line) >= 2:
            items.append({"k": "line", "s": "r", "c": line})
        if self.home is not None:
            items.append({"k": "div", "s": "home", "c": latlon(*self.home), "t": esc(t("home"))})
        rows = []
        for stop in route.stops:
            hid, key = stop.household_id, f"{day}-{stop.order}"
            on_map = hid in ctx.bundle.xy
            if on_map:
                popup = household_popup(
                    ctx, hid, number=stop.order, colour=colour, for_volunteer=True
                )
                wk = f"{short}\u00b7{stop.order}"
                items.append(self._number(hid, key, int(stop.order), popup, wk))
                if off := ctx.bundle.off_map_leg(hid, route.mode):  # no mapped path
                    items.append(
                        {
                            "k": "line",
                            "s": "foot",
                            "c": [latlon(*p) for p in off],
                            "t": esc(t("leg_no_mapped_path")),
                        }
                    )
            when = format_clock(stop.arrival_s)
            rows.append(_stop_row(ctx, hid, key, stop.order, when, colour, on_map, record=True))
        draw(styles, items).add_to(group)
        group.add_to(self.folium_map)
        self.day_layers[day] = group.get_name()
        if (date := ctx.bundle.date(route.day)) is not None:
            self.day_dates.setdefault(date.isoformat(), day)
        travel = format_duration(route.travel_s, lang)
        self.sections.append(
            f'<section class="rp-day" data-round="{day}">'
            f'<h2 style="border-color:{colour}">{esc(title)}</h2>'
            f'<div class="rp-meta">{esc(t("leave_home"))} {format_clock(route.start_s)} · '
            f"{esc(t('back_home'))} {format_clock(route.end_s)} · "
            f"{esc(label('households_n', lang).format(n=n))} · {esc(t('travel'))} "
            f"{esc(travel)}</div>"
            f'<ol class="rp-list">{"".join(rows)}</ol></section>'
        )
        self.tabs.append(f'<button data-round="{day}" aria-pressed="false">{esc(title)}</button>')

    def add_later(self, later: Sequence[Unassigned]) -> None:
        """Add the households rolled over to next week (a layer, a tab and their list)."""
        import folium

        ctx, t = self.ctx, self.ctx.t
        group = folium.FeatureGroup(name=esc(t("rollover")), overlay=True, control=True)
        items = []
        rows = []
        for k, u in enumerate(later, 1):
            hid, key = u.household_id, f"later-{k}"
            on_map = hid in ctx.bundle.xy
            if on_map:
                items.append(
                    self._number(hid, key, k, household_popup(ctx, hid, for_volunteer=True))
                )
            rows.append(_stop_row(ctx, hid, key, k, "", _LATER, on_map))
        draw({"n": {"className": "rp-num rp-later", "size": 30, "color": _LATER}}, items).add_to(
            group
        )
        group.add_to(self.folium_map)
        self.day_layers["later"] = group.get_name()
        self.sections.append(
            f'<section class="rp-day" data-round="later"><h2 style="border-color:{_LATER}">'
            f'{esc(t("rollover"))}</h2><div class="rp-meta">{esc(t("rollover_hint"))}</div>'
            f'<ol class="rp-list">{"".join(rows)}</ol></section>'
        )
        self.tabs.append(
            f'<button data-round="later" aria-pressed="false">{esc(t("rollover"))}</button>'
        )


@dataclass(frozen=True)
class _Controller:
    """The page's script: the tabs, fitting the map to a round, opening a stop."""

    layer_map: str  # JS object of the rounds' layers' names
    tiles_name: str
    offline: str  # JSON of the offline note
    bounds: list[LatLon] | None
    day_dates: dict[str, str]
    first_day: str | None
    home: LatLon | None = None
    record: dict[str, Any] = field(default_factory=dict)

    def __call__(self, map_name: str) -> str:
        """Return the script for the map whose JS variable is ``map_name``."""
        fit = (
            f"map.fitBounds({js(self.bounds)}, {{paddingTopLeft: [44, 40], "
            f"paddingBottomRight: [30, 40], maxZoom: 17}});"
            if self.bounds
            else ""
        )
        return f"""
(function () {{
  var map = {map_name}, layers = {self.layer_map}, home = {js(self.home)};
  RP.init(map);
  L.control.scale({{imperial: false}}).addTo(map);
  {fit}
  RP.offlineNote(map, {self.tiles_name}, {self.offline}, 'rp-offline');
  var list = document.getElementById('rp-list');
  function show(day) {{
    var shown = [];
    Object.keys(layers).forEach(function (k) {{
      var on = day === 'all' ? k !== 'later' : k === day;
      if (on) {{ map.addLayer(layers[k]); shown.push(layers[k]); }}
      else {{ map.removeLayer(layers[k]); }}
    }});
    // an open popup would stay open, cut off, over the other view
    map.closePopup();
    RP.weekLabels(day === 'all');
    // fit the stops and the volunteer's home (where every round starts)
    var bb = RP.stopBounds(shown);
    if (home && bb.isValid()) {{ bb.extend(home); }}
    list.querySelectorAll('section.rp-day').forEach(function (s) {{
      var d = s.getAttribute('data-round');
      s.hidden = !(day === 'all' ? d !== 'later' : d === day);
    }});
    list.querySelectorAll('nav button').forEach(function (b) {{
      var on = b.getAttribute('data-round') === day;
      b.setAttribute('aria-pressed', String(on));
      if (on && b.scrollIntoView) {{ b.scrollIntoView({{block: 'nearest', inline: 'nearest'}}); }}
    }});
    if (bb.isValid()) {{
      map.fitBounds(bb, {{paddingTopLeft: [50, 50], paddingBottomRight: [40, 64], maxZoom: 17}});
    }}
    RP.declutter(map);
  }}
  if (layers.later) {{ map.removeLayer(layers.later); }}
  // on the day of a round (or before the next one this week) show that day first
  var dates = {js(self.day_dates)}, now = new Date();
  var today = now.getFullYear() + '-' + String(now.getMonth() + 1).padStart(2, '0') + '-'
    + String(now.getDate()).padStart(2, '0');
  // and otherwise the week's first round: one day at a time is easier to follow
  var sorted = Object.keys(dates).sort();
  var next = sorted.filter(function (d) {{ return d >= today; }})[0];
  var pick = next && sorted[0] <= today ? dates[next]
    : (sorted.length ? dates[sorted[0]] : {js(self.first_day)});
  if (pick !== null && layers[pick]) {{ show(pick); }} else {{ show('all'); }}
  RP.scrollHint(list.querySelector('nav.rp-days'));
  {record_script(self.record) if self.record else ""}
  list.addEventListener('click', function (ev) {{
    var tab = ev.target.closest('nav button');
    if (tab) {{ show(tab.getAttribute('data-round')); return; }}
    var row = ev.target.closest('button.rp-row');
    if (row && row.getAttribute('data-stop')) {{
      RP.open(map, row.getAttribute('data-stop'), 17);
      map.getContainer().scrollIntoView({{behavior: 'smooth', block: 'start'}});
    }}
  }});
}})();
"""


def _titles(ctx: MapContext, routes: Sequence[Route]) -> list[str]:
    """Return each round's title: the day, and the start time when a day has two rounds."""
    per_day: dict[int, int] = {}
    for route in routes:
        per_day[route.day] = per_day.get(route.day, 0) + 1
    titles = []
    for route in routes:
        title = ctx.day_text(route.day)
        if per_day[route.day] > 1:
            title += f" · {format_clock(route.start_s)}"
        titles.append(title)
    return titles


def volunteer_page(ctx: MapContext, vid: str, roads: Sequence[RoadLine]) -> str:
    """Return the phone page of volunteer ``vid`` as self-contained HTML.

    ``roads`` near the volunteer's households are drawn as a light layer.
    """
    import folium

    b, t = ctx.bundle, ctx.t
    name = clean_text(b.volunteers[vid].get("name", "")) or vid
    routes = [r for r in b.routes if r.volunteer_id == vid and r.stops]
    later = [u for u in b.plan.rollover if b.plan.assignment.get(u.household_id) == vid]
    home = b.home(vid)
    pts = [b.xy[s.household_id] for r in routes for s in r.stops if s.household_id in b.xy]
    pts += [b.xy[u.household_id] for u in later if u.household_id in b.xy]
    if home is not None:
        pts.append(home)

    fig, m = new_map(
        f"{name} ({vid})",
        centre(pts),
        height="55vh",
        extra_css=VOLUNTEER_CSS + RECORD_CSS,
        extra_js=RECORD_JS,
        body_before=_header(ctx, vid, name),
    )
    tile_layer = tiles(m, t("layer_tiles"))
    if roads and pts:
        roads_layer(roads, t("layer_roads"), bbox(pts, 0.01)).add_to(m)
    page = _Page(ctx, m, home)
    page.tabs.append(f'<button data-round="all" aria-pressed="true">{esc(t("all_days"))}</button>')
    named = zip(routes, _titles(ctx, routes), round_shorts(routes, ctx.lang), strict=True)
    for i, (route, title, short) in enumerate(named):
        # one layer, tab and list per round; a day may have two (morning, afternoon)
        page.add_round(i, route, title, short)
    if later:
        page.add_later(later)
    folium.LayerControl(position="topright", collapsed=True).add_to(m)

    if routes or later:
        below = f'<nav class="rp-days">{"".join(page.tabs)}</nav>{"".join(page.sections)}'
    else:
        below = f'<p class="rp-empty">{esc(t("no_rounds"))}</p>'
    html_element(f'<main id="rp-list">{below}</main>').add_to(fig)

    controller = _Controller(
        layer_map="{" + ",".join(f"{js(d)}:{n}" for d, n in page.day_layers.items()) + "}",
        tiles_name=tile_layer.get_name(),
        offline=js(f"<small>{esc(t('offline_note'))}</small>"),
        bounds=bounds(pts),
        day_dates=page.day_dates,
        first_day="0" if routes else None,
        home=latlon(*home) if home is not None else None,
        record=record_config(ctx, vid, routes, [str(i) for i in range(len(routes))]),
    )
    script_element(controller).add_to(m)
    return offline_html(fig)
