"""HTML maps for the coordinator and for each volunteer's phone.

:func:`write_maps` writes, into one output folder:

``map_overview.html``
    For the coordinator: every volunteer's households in their own colour and
    marker style, one layer per volunteer that can be switched on and off, each
    round drawn along the roads and paths travelled, the service points, hamlet
    names, the households nobody could take (red crosses, also listed in a panel),
    a legend and a summary table (households, rounds and hours per volunteer, with
    a link to each volunteer's page).
``volunteers/<volunteer_id>.html``
    For one volunteer's phone: the stops of each round numbered in visit order, one
    layer per day, the route along the roads, a popup per household (services
    needed, a button to call, when they are at home, notes, and buttons that open
    the place in the phone's map app) and the day's stops listed under the map with
    big buttons.

Both work without a connection: Leaflet is read from the ``xstatic-leaflet`` package
and inlined into the page (no CDN, no other scripts or style sheets), and the road
network is drawn from the data as a light vector layer. OpenStreetMap tiles show
beneath it when the phone is online.

Everything taken from the registers (names, notes, villages) is escaped: it is shown
as text, never run as markup. Coordinates are rounded to 5 decimals (about 1 m).
"""

from __future__ import annotations

import base64
import colorsys
import datetime as dt
import html
import json
import logging
import re
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._io import write_text
from .._labels import label
from ..config import Settings
from ..errors import InputDataError, Problem
from ..network import WALK_ONLY, each_way_once
from ..planner import Plan, Route
from ..timewindows import format_clock
from .legs import route_coords
from .text import clean_text, day_name, format_duration, round_date, safe_file_name, service_labels

if TYPE_CHECKING:  # pragma: no cover
    import folium
    import geopandas as gpd

    from ..matrix import TravelMatrix

__all__ = [
    "DAY_COLOURS",
    "MarkerStyle",
    "offline_html",
    "offline_map",
    "volunteer_style",
    "write_maps",
]

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, float], None]
LatLon = list[float]

DECIMALS = 5
"""Decimals kept in coordinates (1e-5 degree is about 1.1 m)."""

ROAD_TOLERANCE_DEG = 4e-5
"""Simplification tolerance of the offline road layer (about 4 m)."""

ROUTE_TOLERANCE_DEG = 1.5e-5
"""Simplification tolerance of the drawn routes (about 1.5 m)."""

DAY_COLOURS = ("#1f5fbf", "#d9480f", "#2b8a3e", "#7048b8", "#c2255c", "#8a5a00", "#0b7285")
"""Colour of each day's round on a volunteer's page, Monday first."""

_FOOT = frozenset(WALK_ONLY)

_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
_TILES_ATTR = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


# --- small helpers -------------------------------------------------------------------


def _esc(value: Any) -> str:
    """Return ``value`` as HTML text: markup in the data is shown, never run.

    Braces become character references too, so that text such as ``{{ x }}`` can
    never be taken for a template by folium's Jinja rendering.
    """
    return html.escape(clean_text(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def _js(obj: Any) -> str:
    """Return ``obj`` as JSON that is safe inside an HTML ``<script>`` element."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # a "{" that starts "{{", "{%" or "{#" can only be inside a string: escape it
    text = re.sub(r"\{(?=[{%#])", r"\\u007b", text)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _ll(lon: float, lat: float) -> LatLon:
    return [round(float(lat), DECIMALS), round(float(lon), DECIMALS)]


def _line(coords: Iterable[tuple[float, float]], tolerance: float) -> list[LatLon]:
    """Return a lon/lat line as rounded ``[lat, lon]`` pairs, simplified and deduplicated."""
    pts = [(float(x), float(y)) for x, y in coords]
    if len(pts) > 2 and tolerance > 0:
        from shapely import LineString

        simple = LineString(pts).simplify(tolerance, preserve_topology=False)
        if not simple.is_empty and len(simple.coords) >= 2:
            pts = [(float(c[0]), float(c[1])) for c in simple.coords]
    out: list[LatLon] = []
    for x, y in pts:
        p = _ll(x, y)
        if not out or out[-1] != p:
            out.append(p)
    return out


def _tel(phone: str) -> str:
    """Return a ``tel:`` URI for ``phone`` (digits and a leading +), or ``""``."""
    digits = re.sub(r"[^\d+]", "", phone)
    digits = digits[:1] + digits[1:].replace("+", "")
    return f"tel:{digits}" if sum(c.isdigit() for c in digits) >= 3 else ""


def _map_links(lon: float, lat: float) -> tuple[str, str]:
    """Return a ``geo:`` URI (the phone's map app) and an https Google Maps link."""
    la, lo = f"{lat:.6f}", f"{lon:.6f}"
    return (
        f"geo:{la},{lo}?q={la},{lo}",
        f"https://www.google.com/maps/search/?api=1&query={la}%2C{lo}",
    )


def _hours(seconds: float, language: str) -> str:
    text = f"{seconds / 3600:.1f}"
    return text.replace(".", ",") if language == "vi" else text


def _date_text(date: dt.date | None) -> str:
    return date.strftime("%d/%m/%Y") if date else ""


# --- colours and marker styles ---------------------------------------------------------


@dataclass(frozen=True)
class MarkerStyle:
    """How one volunteer's households and route look on the overview map.

    Parameters
    ----------
    colour
        Fill and line colour (``#rrggbb``).
    shape
        ``"dot"`` (filled, dark outline), ``"ring"`` (white centre, thick coloured
        outline) or ``"halo"`` (filled, white outline); with 24 hues this gives 72
        looks that stay apart.
    dash
        Leaflet ``dashArray`` of the route line (``None`` for a solid line).

    """

    colour: str
    shape: str
    dash: str | None

    def circle(self) -> dict[str, Any]:
        """Return Leaflet ``circleMarker`` options for a household of this style."""
        if self.shape == "ring":
            return {
                "radius": 6,
                "color": self.colour,
                "weight": 3.5,
                "fillColor": "#ffffff",
                "fillOpacity": 1.0,
                "className": "rp-hh",
            }
        if self.shape == "halo":
            return {
                "radius": 6.5,
                "color": "#ffffff",
                "weight": 2.5,
                "fillColor": self.colour,
                "fillOpacity": 1.0,
                "className": "rp-hh",
            }
        return {
            "radius": 6,
            "color": "#222222",
            "weight": 1.2,
            "fillColor": self.colour,
            "fillOpacity": 0.95,
            "className": "rp-hh",
        }

    def swatch(self) -> str:
        """Return a small HTML sample of the marker (for the legend and layer list)."""
        c = self.circle()
        return (
            f'<span class="rp-sw" style="background:{c["fillColor"]};'
            f'border-color:{c["color"]}"></span>'
        )


_HUES = 24


def volunteer_style(index: int) -> MarkerStyle:
    """Return the marker style of the ``index``-th volunteer (0-based).

    Hues step by 7/24 of the circle so that neighbours in the list look different,
    lightness alternates, and each block of 24 volunteers has its own marker shape
    and line dash, so 70 volunteers stay distinguishable.
    """
    k = index % _HUES
    hue = ((k * 7) % _HUES) / _HUES
    light = 0.38 if k % 2 == 0 else 0.5
    r, g, b = colorsys.hls_to_rgb(hue, light, 0.85)
    colour = f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
    block = (index // _HUES) % 3
    shape = ("dot", "ring", "halo")[block]
    dash = (None, "9 5", "3 5")[block]
    return MarkerStyle(colour, shape, dash)


# --- Leaflet, inlined ------------------------------------------------------------------


@lru_cache(maxsize=1)
def _leaflet() -> tuple[str, str]:
    """Return Leaflet's JavaScript and CSS from ``xstatic-leaflet``, ready to inline.

    The CSS's images (the layer-switcher icon) become ``data:`` URIs so the page
    needs no other file.
    """
    from xstatic.pkg import leaflet as xleaflet

    base = Path(xleaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", js)
    if "</script" in js.lower():  # pragma: no cover - guards a future Leaflet release
        raise RuntimeError("leaflet.js contains '</script' and cannot be inlined")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        path = base / match.group(1)
        if not path.is_file():  # pragma: no cover
            return match.group(0)
        return "url(data:image/png;base64," + base64.b64encode(path.read_bytes()).decode() + ")"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)
    return js, css


_CSS = """
.leaflet-container{font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
 "DejaVu Sans",sans-serif}
.rp-sw{display:inline-block;width:12px;height:12px;border-radius:50%;border:2px solid #222;
 vertical-align:-2px;margin-right:4px;box-sizing:border-box}
.rp-panel{background:#fff;padding:6px 10px;max-width:min(420px,80vw);max-height:60vh;
 overflow:auto;font-size:14px}
.rp-panel summary{cursor:pointer;font-weight:600;padding:4px 0;min-height:28px;
 line-height:28px}
.rp-panel table{border-collapse:collapse;width:100%}
.rp-panel td,.rp-panel th{padding:2px 6px;border-bottom:1px solid #eee;text-align:left;
 white-space:nowrap}
.rp-panel td.n,.rp-panel th.n{text-align:right}
.rp-panel button.rp-link{background:none;border:0;padding:0;color:#0645ad;cursor:pointer;
 font:inherit;text-align:left}
.rp-panel .rp-btns{margin:4px 0}
.rp-panel .rp-btns button{font:inherit;padding:4px 10px;margin-right:6px}
.rp-panel ul{margin:4px 0;padding:0;list-style:none}
.rp-panel li{margin:3px 0;white-space:normal}
.rp-legend div{margin:3px 0;white-space:nowrap}
.rp-offline{background:#fff3bf;font-size:13px;cursor:pointer;max-width:60vw}
.rp-pop,.rp-row span,.rp-panel li{overflow-wrap:anywhere}
.rp-cross{position:relative}
.rp-cross::before,.rp-cross::after{content:"";position:absolute;left:50%;top:50%;width:22px;
 height:6px;margin:-3px 0 0 -11px;background:#e03131;border:1.5px solid #fff;
 border-radius:2px;box-shadow:0 0 2px #000}
.rp-cross::before{transform:rotate(45deg)}.rp-cross::after{transform:rotate(-45deg)}
.rp-home div{width:16px;height:14px;margin:8px 0 0 3px;border:2px solid #fff;
 box-shadow:0 0 2px #000;box-sizing:border-box}
.rp-home div::before{content:"";position:absolute;left:1px;top:-1px;border:10px solid
 transparent;border-bottom:9px solid #222;border-top:0}
.rp-home-s div{transform:scale(.7);transform-origin:50% 60%}
.rp-far .rp-home-s{display:none}
.rp-summary{max-width:min(540px,92vw)}
.rp-sp div{width:20px;height:20px;border-radius:4px;background:#0b3d91;border:3px solid
 #fff;box-shadow:0 0 3px #000;box-sizing:border-box;color:#fff;font:bold 11px/14px
 sans-serif;text-align:center}
.rp-hamlet span{position:absolute;transform:translate(-50%,-50%);white-space:nowrap;
 font-weight:700;font-size:13px;color:#333;text-shadow:0 0 3px #fff,0 0 3px #fff,
 0 0 3px #fff;pointer-events:none;letter-spacing:.02em}
.rp-num span{display:block;width:30px;height:30px;border-radius:50%;color:#fff;
 border:2.5px solid #fff;box-shadow:0 0 3px rgba(0,0,0,.8);box-sizing:border-box;
 font:bold 15px/25px sans-serif;text-align:center}
.rp-num.rp-later span{background:#868e96!important}
.rp-pop{font-size:15px;line-height:1.4}
.rp-pop h3{margin:0 0 2px;font-size:17px}
.rp-pop .rp-sub{color:#555;margin-bottom:4px}
.rp-pop ul{margin:2px 0 4px;padding-left:18px}
.rp-pop .rp-flag{display:inline-block;background:#fff3bf;border-radius:3px;padding:0 4px;
 margin:1px 2px 1px 0;font-size:13px}
.rp-pop .rp-warn{color:#c92a2a;font-weight:600}
.rp-acts{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
a.rp-btn,button.rp-btn{display:inline-flex;align-items:center;justify-content:center;
 min-height:44px;min-width:44px;padding:0 12px;border-radius:8px;background:#1f5fbf;
 color:#fff!important;text-decoration:none;font-weight:600;font-size:15px;border:0;
 box-sizing:border-box}
a.rp-btn.rp-alt{background:#e9ecef;color:#1c2b40!important}
.leaflet-popup-content{margin:10px 12px}
@media (max-width:600px){.rp-popup-open .leaflet-top,.rp-popup-open .leaflet-bottom{
 opacity:0;pointer-events:none}
 .leaflet-bottom .rp-panel{max-width:calc(50vw - 24px)}
 .leaflet-bottom.leaflet-left .leaflet-control-scale{margin-bottom:26px}}
"""

_VOLUNTEER_CSS = """
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",
 sans-serif;color:#1c2b40;background:#f4f6f8}
.rp-head{background:#1c2b40;color:#fff;padding:8px 12px}
.rp-head h1{font-size:19px;margin:0}
.rp-head div{font-size:14px;opacity:.9}
.rp-head a{color:#fff}
#rp-offline{color:#ffe066;font-size:13px}
.folium-map{border-bottom:1px solid #ccc}
.rp-days{display:flex;gap:6px;overflow-x:auto;padding:8px;background:#fff;position:sticky;
 top:0;z-index:1000;border-bottom:1px solid #ddd}
.rp-days button{flex:0 0 auto;min-height:44px;padding:0 14px;border-radius:22px;
 border:2px solid #adb5bd;background:#fff;font:inherit;font-weight:600;color:#1c2b40}
.rp-days button[aria-pressed=true]{background:#1c2b40;border-color:#1c2b40;color:#fff}
.rp-day{padding:4px 8px 12px}
.rp-day h2{font-size:18px;margin:10px 4px 2px;padding-left:8px;border-left:6px solid}
.rp-day .rp-meta{margin:0 4px 6px 18px;color:#495057;font-size:14px}
.rp-list{list-style:none;margin:0;padding:0}
.rp-list li{background:#fff;border-radius:10px;margin:8px 0;padding:8px;
 box-shadow:0 1px 2px rgba(0,0,0,.15)}
.rp-row{display:flex;gap:10px;align-items:flex-start;width:100%;background:none;border:0;
 padding:0;font:inherit;color:inherit;text-align:left;cursor:pointer}
.rp-badge{flex:0 0 36px;height:36px;border-radius:50%;color:#fff;font-weight:700;
 font-size:17px;line-height:36px;text-align:center}
.rp-row b{font-size:17px}
.rp-row .rp-when{font-weight:700}
.rp-row small{display:block;color:#495057;font-size:14px}
.rp-list .rp-acts{margin:8px 0 0 46px}
.rp-home-row{color:#495057;font-size:14px;margin:4px 8px}
.rp-empty{padding:16px;font-size:17px}
"""

_JS = r"""
var RP = (function () {
  var byId = {};
  var nums = [];
  function icon(st, html, off) {
    // off: a pixel offset so that stops at the same place fan out instead of hiding
    var s = st.size || 0, dx = off ? off[0] : 0, dy = off ? off[1] : 0;
    return L.divIcon({className: st.className || '', html: html, iconSize: [s, s],
      iconAnchor: [s / 2 - dx, s / 2 - dy], popupAnchor: [dx, dy - s / 2],
      tooltipAnchor: [s / 2 + dx, dy]});
  }
  function draw(layer, styles, items) {
    items.forEach(function (it) {
      var st = styles[it.s] || {}, m;
      if (it.k === 'line') {
        m = L.polyline(it.c, st);
      } else if (it.k === 'circle') {
        m = L.circleMarker(it.c, st);
      } else {
        var h = it.k === 'num'
          ? '<span style="background:' + st.color + '">' + it.n + '</span>'
          : (it.h || st.html || '');
        m = L.marker(it.c, {icon: icon(st, h), interactive: st.interactive !== false,
          keyboard: false, riseOnHover: true, zIndexOffset: st.z || 0});
        if (it.k === 'num') { m._rp = {st: st, html: h}; nums.push(m); }
      }
      if (it.p) { m.bindPopup(it.p, {maxWidth: 320, minWidth: 220, autoPanPadding: [16, 16]}); }
      if (it.t) { m.bindTooltip(it.t, {direction: 'top', sticky: it.k === 'line'}); }
      if (it.id) { byId[it.id] = {marker: m, layer: layer}; }
      m.addTo(layer);
    });
  }
  function panel(map, position, html, cls) {
    var c = L.control({position: position});
    c.onAdd = function () {
      var d = L.DomUtil.create('div', 'rp-panel leaflet-bar ' + (cls || ''));
      d.innerHTML = html;
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.disableScrollPropagation(d);
      return d;
    };
    c.addTo(map);
    return c.getContainer();
  }
  function offlineNote(map, tiles, html, targetId) {
    var shown = false;
    tiles.on('tileerror', function () {
      if (shown) { return; }
      shown = true;
      var t = targetId && document.getElementById(targetId);
      if (t) { t.innerHTML = html; t.hidden = false; return; }
      var d = panel(map, 'bottomleft', html, 'rp-offline');
      function hide() { if (d.parentNode) { d.parentNode.removeChild(d); } }
      d.addEventListener('click', hide);
      setTimeout(hide, 15000);
    });
  }
  function open(map, id, zoom) {
    var e = byId[id];
    if (!e) { return; }
    if (!map.hasLayer(e.layer)) { map.addLayer(e.layer); }
    map.setView(e.marker.getLatLng(), Math.max(map.getZoom(), zoom || 16));
    e.marker.openPopup();
  }
  function wide() { return window.innerWidth >= 800; }
  function declutter(map) {
    // numbered stops closer than a marker's width fan out around their middle, so
    // every number can be read and tapped at every zoom
    var groups = [];
    nums.forEach(function (m) {
      if (!map.hasLayer(m)) { return; }
      var p = map.latLngToLayerPoint(m.getLatLng()), g = null;
      for (var i = 0; i < groups.length && !g; i++) {
        if (groups[i].p.distanceTo(p) < 28) { g = groups[i]; }
      }
      if (g) { g.ms.push([m, p]); } else { groups.push({p: p, ms: [[m, p]]}); }
    });
    groups.forEach(function (g) {
      var n = g.ms.length, r = n < 2 ? 0 : Math.max(18, 34 / (2 * Math.sin(Math.PI / n)));
      var cx = 0, cy = 0;
      g.ms.forEach(function (e) { cx += e[1].x / n; cy += e[1].y / n; });
      g.ms.forEach(function (e, j) {
        var a = 2 * Math.PI * j / n - Math.PI / 2, off = null;
        if (n > 1) { off = [cx + r * Math.cos(a) - e[1].x, cy + r * Math.sin(a) - e[1].y]; }
        e[0].setIcon(icon(e[0]._rp.st, e[0]._rp.html, off));
      });
    });
  }
  function stopBounds(layers) {
    var bb = L.latLngBounds([]);
    nums.forEach(function (m) {
      layers.forEach(function (l) { if (l.hasLayer(m)) { bb.extend(m.getLatLng()); } });
    });
    return bb;
  }
  function init(map) {
    // on a small screen the controls step back while a popup is open
    map.on('popupopen', function () { map.getContainer().classList.add('rp-popup-open'); });
    map.on('popupclose', function () { map.getContainer().classList.remove('rp-popup-open'); });
    // small details (homes on the overview) only when zoomed in
    function zoomed() { map.getContainer().classList.toggle('rp-far', map.getZoom() < 14); }
    map.on('zoomend', zoomed);
    zoomed();
    map.on('zoomend overlayadd overlayremove layeradd', function () { declutter(map); });
  }
  return {draw: draw, panel: panel, offlineNote: offlineNote, open: open, byId: byId,
          wide: wide, init: init, declutter: declutter, stopBounds: stopBounds};
})();
"""


def _assets_html(extra_css: str = "") -> str:
    """Return this module's own style sheet and script (``RP``), to follow Leaflet's."""
    return f"<style>{_CSS}{extra_css}</style>\n<script>{_JS}</script>\n"


@lru_cache(maxsize=1)
def _element_classes() -> tuple[type[Any], type[Any], type[Any]]:
    """Return the folium element classes used here (defined lazily: folium is heavy).

    Their text goes into the page as it is: unlike branca's ``MacroElement``, which
    compiles every rendered piece again as a Jinja template (slow for big data, and
    it would evaluate ``{{ ... }}`` typed into a register), these never pass data
    through Jinja.
    """
    from branca.element import Element

    class Raw(Element):
        """Text put into the page verbatim."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self._name = "RoutePlanRaw"
            self.text = text

        def render(self, **kwargs: Any) -> str:
            return str(self.text)

    class Script(Element):
        """JavaScript built from the parent layer's variable name."""

        def __init__(self, build: Callable[[str], str]) -> None:
            super().__init__()
            self._name = "RoutePlanScript"
            self.build = build

        def render(self, **kwargs: Any) -> str:
            parent: Any = self._parent
            root: Any = self.get_root()
            root.script.add_child(Raw(self.build(parent.get_name())), name=self.get_name())
            return ""

    class Html(Element):
        """Trusted HTML put into the page body where the element is added."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self._name = "RoutePlanHtml"
            self.text = text

        def render(self, **kwargs: Any) -> str:
            root: Any = self.get_root()
            root.html.add_child(Raw(self.text), name=self.get_name())
            return ""

    return Raw, Script, Html


def _raw_element(text: str) -> Any:
    return _element_classes()[0](text)


def _script_element(build: Callable[[str], str]) -> Any:
    """Return a folium element whose script is ``build(parent_js_name)``."""
    return _element_classes()[1](build)


def _html_element(text: str) -> Any:
    """Return a folium element that puts ``text`` (trusted HTML) into the page body."""
    return _element_classes()[2](text)


def _draw(styles: Mapping[str, Mapping[str, Any]], items: Sequence[Mapping[str, Any]]) -> Any:
    payload = f"{_js(styles)},{_js(list(items))}"
    return _script_element(lambda parent: f"RP.draw({parent},{payload});")


# --- the road network, drawn offline ----------------------------------------------------


_BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class _RoadLine:
    kind: str  # "road" or "path"
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
    coords: list[LatLon]


def _road_lines(network: Any) -> list[_RoadLine]:
    """Return the network's ways merged into long lines, simplified and rounded."""
    graph = getattr(network, "graph", network)
    if graph is None:
        return []
    from shapely import LineString, MultiLineString, line_merge

    parts: dict[str, list[Any]] = {"road": [], "path": []}
    nodes = graph.nodes
    for u, v, data in each_way_once(graph):
        hw = data.get("highway", "")
        if isinstance(hw, list):
            hw = hw[0] if hw else ""
        geom = data.get("geometry")
        if geom is None:
            try:
                geom = LineString([(nodes[u]["x"], nodes[u]["y"]), (nodes[v]["x"], nodes[v]["y"])])
            except KeyError:
                continue
        if geom.is_empty or geom.length == 0:
            continue
        parts["path" if hw in _FOOT else "road"].append(geom)
    out: list[_RoadLine] = []
    for kind, lines in parts.items():
        if not lines:
            continue
        merged = line_merge(MultiLineString(lines))
        geoms = list(getattr(merged, "geoms", [merged]))
        for g in geoms:
            coords = _line(g.coords, ROAD_TOLERANCE_DEG)
            if len(coords) < 2:
                continue
            lats = [c[0] for c in coords]
            lons = [c[1] for c in coords]
            out.append(_RoadLine(kind, (min(lons), min(lats), max(lons), max(lats)), coords))
    return out


def _roads_layer(
    lines: Sequence[_RoadLine], name: str, bbox: tuple[float, float, float, float] | None = None
) -> Any:
    """Return a folium layer drawing ``lines`` (those touching ``bbox``) as thin grey lines."""
    import folium

    group = folium.FeatureGroup(name=name, overlay=True, control=True, show=True)
    styles = {
        "road": {
            "color": "#7b8794",
            "weight": 2,
            "opacity": 0.8,
            "interactive": False,
            "className": "rp-roads",
        },
        "path": {
            "color": "#9c8b6e",
            "weight": 1.5,
            "opacity": 0.9,
            "dashArray": "4 4",
            "interactive": False,
            "className": "rp-roads",
        },
    }
    items = []
    for kind in ("road", "path"):
        chosen = [
            ln.coords
            for ln in lines
            if ln.kind == kind
            and (
                bbox is None
                or not (
                    ln.bbox[2] < bbox[0]
                    or ln.bbox[0] > bbox[2]
                    or ln.bbox[3] < bbox[1]
                    or ln.bbox[1] > bbox[3]
                )
            )
        ]
        if chosen:  # one multi-part line per kind: one SVG path, light to draw
            items.append({"k": "line", "s": kind, "c": chosen})
    _draw(styles, items).add_to(group)
    return group


# --- the plan joined with the registers ------------------------------------------------


class _Data:
    """The plan and the registers, joined once for both kinds of page."""

    def __init__(
        self,
        plan: Plan,
        households: gpd.GeoDataFrame,
        volunteers: gpd.GeoDataFrame,
        service_points: gpd.GeoDataFrame | None,
        matrix_by_mode: Mapping[str, TravelMatrix],
        settings: Settings,
    ) -> None:
        self.plan = plan
        self.settings = settings
        self.lang = settings.output.language
        self.hh: dict[str, dict[str, Any]] = {}
        for rec in households.to_dict("records"):
            self.hh[clean_text(rec["household_id"])] = rec
        self.vol: dict[str, dict[str, Any]] = {}
        for rec in volunteers.to_dict("records"):
            self.vol[clean_text(rec["volunteer_id"])] = rec
        self.sp: list[dict[str, Any]] = (
            [] if service_points is None else list(service_points.to_dict("records"))
        )
        self.matrix_by_mode = matrix_by_mode
        self.routes = sorted(plan.routes, key=lambda r: (r.volunteer_id, r.day, r.start_s))
        self._check()
        self.xy = {
            hid: (float(r["geometry"].x), float(r["geometry"].y))
            for hid, r in self.hh.items()
            if r.get("geometry") is not None and not r["geometry"].is_empty
        }
        self.visit: dict[str, tuple[Route, int, int]] = {}
        for route in self.routes:
            for stop in route.stops:
                self.visit[stop.household_id] = (route, stop.order, stop.arrival_s)
        self.rollover = {u.household_id: u for u in plan.rollover}
        self.unassigned = {u.household_id: u for u in plan.unassigned}
        order = list(self.vol)
        self.style = {vid: volunteer_style(k) for k, vid in enumerate(order)}
        self._lines: dict[int, list[LatLon]] = {}

    def _check(self) -> None:
        problems: list[Problem] = []
        hids = {s.household_id for r in self.plan.routes for s in r.stops}
        hids |= set(self.plan.assignment) | {u.household_id for u in self.plan.unassigned}
        hids |= {u.household_id for u in self.plan.rollover}
        for hid in sorted(hids - set(self.hh)):
            problems.append(
                Problem(
                    f"household {hid!r} is in the plan but not in the households",
                    "pass the households the plan was made from",
                )
            )
        vids = {r.volunteer_id for r in self.plan.routes} | set(self.plan.assignment.values())
        for vid in sorted(vids - set(self.vol)):
            problems.append(
                Problem(
                    f"volunteer {vid!r} is in the plan but not in the volunteers",
                    "pass the volunteers the plan was made from",
                )
            )
        if problems:
            raise InputDataError(problems, subject="plan")

    def t(self, key: str) -> str:
        return label(key, self.lang)

    def home(self, vid: str) -> tuple[float, float] | None:
        geom = self.vol[vid].get("geometry")
        if geom is None or geom.is_empty:
            return None
        return (float(geom.x), float(geom.y))

    def route_line(self, route: Route) -> list[LatLon]:
        key = id(route)
        if key not in self._lines:  # both pages draw it; matrix.path is not free
            self._lines[key] = self._route_line(route)
        return self._lines[key]

    def _route_line(self, route: Route) -> list[LatLon]:
        home = self.home(route.volunteer_id)
        matrix = self.matrix_by_mode.get(route.mode)
        stop_xy = self.xy
        if home is None:  # no home: draw from the first stop to the last
            pts = [stop_xy[s.household_id] for s in route.stops if s.household_id in stop_xy]
            return _line(pts, ROUTE_TOLERANCE_DEG)
        coords = route_coords(route, matrix, home, stop_xy)
        return _line(coords, ROUTE_TOLERANCE_DEG)

    def services(self, hid: str) -> list[str]:
        codes = self.hh[hid].get("services", ()) or ()
        if isinstance(codes, str):
            codes = tuple(c for c in re.split(r"[;,]", codes) if c.strip())
        return [clean_text(s) for s in service_labels(codes, self.settings, self.lang)]

    def flags(self, hid: str) -> list[str]:
        rec = self.hh[hid]
        out = [self.t(k) for k in ("elderly", "disability", "remote") if bool(rec.get(k, False))]
        lang = clean_text(rec.get("language", ""))
        if lang:
            key = f"language_{lang}"
            out.append(self.t(key) if key in _label_keys() else lang)
        return out

    def day_text(self, day: int) -> str:
        date = round_date(self.plan.week_start, day)
        name = day_name(day, self.lang)
        return f"{name} {date.strftime('%d/%m')}" if date else name

    def household_popup(
        self,
        hid: str,
        *,
        number: int | None = None,
        colour: str | None = None,
        for_volunteer: bool = False,
    ) -> str:
        """Return the escaped HTML of a household's popup."""
        rec = self.hh[hid]
        t = self.t
        name = _esc(rec.get("head_name", "")) or _esc(hid)
        badge = ""
        if number is not None and colour:
            badge = (
                f'<span class="rp-badge" style="background:{colour};display:inline-block;'
                f'width:26px;height:26px;line-height:26px;font-size:14px;margin-right:6px">'
                f"{number}</span>"
            )
        parts = [
            f'<div class="rp-pop"><h3>{badge}{name}</h3>',
            f'<div class="rp-sub">{_esc(rec.get("village", ""))} · {_esc(hid)}</div>',
        ]
        if hid in self.visit:
            route, order, arrival = self.visit[hid]
            who = (
                ""
                if for_volunteer
                else (f"{_esc(self.vol[route.volunteer_id].get('name', ''))} · ")
            )
            parts.append(
                f"<div><b>{who}{_esc(self.day_text(route.day))}, "
                f"{_esc(label('arrive_at', self.lang).format(t=format_clock(arrival)))}"
                f" (#{order})</b></div>"
            )
        elif hid in self.rollover:
            u = self.rollover[hid]
            vid = self.plan.assignment.get(hid, "")
            who = _esc(self.vol.get(vid, {}).get("name", vid))
            parts.append(
                f'<div class="rp-warn">{_esc(t("rollover"))}'
                f"{': ' + who if who and not for_volunteer else ''}"
                f"{' (' + _esc(u.detail) + ')' if u.detail else ''}</div>"
            )
        elif hid in self.unassigned:
            u = self.unassigned[hid]
            parts.append(
                f'<div class="rp-warn">{_esc(t("unassigned"))}: {_esc(u.detail or u.reason)}</div>'
            )
        services = self.services(hid)
        if services:
            items = "".join(f"<li>{_esc(s)}</li>" for s in services)
            parts.append(f"<div><b>{_esc(t('services'))}:</b><ul>{items}</ul></div>")
        avail = clean_text(rec.get("availability", "")) or t("any_time")
        parts.append(f"<div><b>{_esc(t('availability'))}:</b> {_esc(avail)}</div>")
        notes = clean_text(rec.get("notes", ""))
        if notes:
            parts.append(f"<div><b>{_esc(t('notes'))}:</b> {_esc(notes)}</div>")
        flags = self.flags(hid)
        if clean_text(rec.get("location_quality", "")) == "village":
            flags.append(t("location_village"))
        if flags:
            parts.append(
                "<div>"
                + "".join(f'<span class="rp-flag">{_esc(f)}</span>' for f in flags)
                + "</div>"
            )
        parts.append(self.actions(hid))
        parts.append("</div>")
        return "".join(parts)

    def actions(self, hid: str) -> str:
        """Return the call and map buttons of a household (escaped HTML)."""
        rec = self.hh[hid]
        acts = []
        phone = clean_text(rec.get("phone", ""))
        tel = _tel(phone)
        if tel:
            acts.append(
                f'<a class="rp-btn" href="{_esc(tel)}">{_esc(self.t("call"))} {_esc(phone)}</a>'
            )
        if hid in self.xy:
            geo, web = _map_links(*self.xy[hid])
            acts.append(
                f'<a class="rp-btn rp-alt" href="{_esc(geo)}">{_esc(self.t("open_map_app"))}</a>'
            )
            acts.append(
                f'<a class="rp-btn rp-alt" href="{_esc(web)}" target="_blank" '
                f'rel="noopener">Google Maps</a>'
            )
        return f'<div class="rp-acts">{"".join(acts)}</div>' if acts else ""


@lru_cache(maxsize=1)
def _label_keys() -> frozenset[str]:
    from .._labels import LABELS

    return frozenset(LABELS)


# --- the page skeleton -----------------------------------------------------------------


def offline_map(
    centre: tuple[float, float],
    *,
    title: str = "",
    zoom_start: int = 14,
    height: str = "100%",
    head: str = "",
    body_before: str = "",
    scale: bool = False,
    **options: Any,
) -> folium.Map:
    """Return a folium map that works without a connection.

    Leaflet's script and style sheet are read from the ``xstatic-leaflet`` package and
    inlined into the page's head; folium's CDN resources (jQuery, Bootstrap, Leaflet
    from a CDN, ...) are dropped, so only Leaflet's own API is available: use
    tooltips, Leaflet popups and controls, not folium's jQuery-based plugins. The map
    has no background tiles; add them (they show when online) or draw the roads.

    Parameters
    ----------
    centre
        ``(lon, lat)`` shown first (fit the bounds afterwards to show more).
    title
        The page's title (escaped).
    zoom_start
        Leaflet zoom level shown first.
    height
        CSS height of the map (``"100%"``: the whole window; ``"620px"``; ``"55vh"``).
    head
        Trusted HTML (style sheets, scripts) put into the head after Leaflet.
    body_before
        Trusted HTML put into the body before the map.
    scale
        Add a metric scale bar (bottom left).
    **options
        More :class:`folium.Map` options (``control_scale``, ``prefer_canvas``, ...).

    Returns
    -------
    folium.Map
        The map; :func:`offline_html` renders its page.

    """
    import folium
    from branca.element import Figure

    fig = Figure(title=_esc(title) if title else None)
    if body_before:
        _html_element(body_before).add_to(fig)
    m = folium.Map(
        location=[centre[1], centre[0]],
        zoom_start=zoom_start,
        tiles=None,
        height=height,
        **{"control_scale": False, "max_zoom": 19, **options},
    )
    m.default_js = []  # everything Leaflet needs is inlined below; no CDN at all
    m.default_css = []
    fig.add_child(m)
    if scale:
        _script_element(lambda name: f"L.control.scale({{imperial: false}}).addTo({name});").add_to(
            m
        )
    js, css = _leaflet()
    fig.header.add_child(
        _raw_element(f"<style>{css}</style>\n<script>{js}</script>\n{head}"),
        name="routeplan_leaflet",
    )
    return m


def offline_html(m: folium.Map, *, before: str = "", after: str = "") -> str:
    """Return the page of ``m`` (from :func:`offline_map`) as self-contained HTML.

    Parameters
    ----------
    m
        The map, or any element of its page.
    before, after
        Trusted HTML put at the start and at the end of the page's body.

    Raises
    ------
    RuntimeError
        If the page would still load a script or style sheet from the internet.

    """
    page: str = m.get_root().render()
    bad = re.findall(
        r"<(?:script|link)\b[^>]*(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//",
        page,
        flags=re.IGNORECASE,
    )
    if bad:  # pragma: no cover - would mean folium added a CDN resource we did not remove
        raise RuntimeError(f"map page would load from the internet: {bad[:3]}")
    if before:
        page = page.replace("<body>", "<body>" + before, 1)
    if after:
        start = page.index("<body>")
        end = page.index("</body>", start)
        page = page[:end] + after + page[end:]
    return page


def _new_map(
    title: str,
    centre: tuple[float, float],
    *,
    height: str = "100%",
    extra_css: str = "",
    body_before: str = "",
) -> tuple[Any, Any]:
    """Return the ``(figure, map)`` of a page of this module: offline, ``RP`` ready."""
    m = offline_map(
        centre,
        title=title,
        height=height,
        head=_assets_html(extra_css),
        body_before=body_before,
        zoom_snap=0.25,
    )
    return m.get_root(), m


def _tiles(m: Any, name: str) -> Any:
    import folium

    tiles = folium.TileLayer(
        tiles=_TILES_URL,
        attr=_TILES_ATTR,
        name=name,
        overlay=True,
        control=True,
        max_zoom=19,
        max_native_zoom=19,
    )
    tiles.add_to(m)
    return tiles


def _bounds(points: Iterable[tuple[float, float]]) -> list[LatLon] | None:
    pts = list(points)
    if not pts:
        return None
    lons = [p[0] for p in pts]
    lats = [p[1] for p in pts]
    return [_ll(min(lons), min(lats)), _ll(max(lons), max(lats))]


def _bbox(points: Iterable[tuple[float, float]], margin: float) -> _BBox:
    pts = list(points)
    lons = [p[0] for p in pts]
    lats = [p[1] for p in pts]
    return (min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin)


def _home_style(colour: str) -> dict[str, Any]:
    return {"className": "rp-home", "size": 22, "html": f'<div style="background:{colour}"></div>'}


def _centre(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    if not points:
        return (108.0, 16.1)
    return (statistics.median(p[0] for p in points), statistics.median(p[1] for p in points))


# --- overview ----------------------------------------------------------------------------


def _hamlets(
    data: _Data, places: Mapping[str, tuple[float, float]] | None
) -> list[tuple[str, float, float]]:
    """Return ``(name, lon, lat)`` of each hamlet: given places, else the households' median."""
    if places:
        return [(clean_text(n), float(x), float(y)) for n, (x, y) in places.items()]
    by_village: dict[str, list[tuple[float, float]]] = {}
    for hid, rec in data.hh.items():
        village = clean_text(rec.get("village", ""))
        if village and hid in data.xy:
            by_village.setdefault(village, []).append(data.xy[hid])
    return [
        (v, statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts))
        for v, pts in sorted(by_village.items())
    ]


def _overview(
    data: _Data, roads: Sequence[_RoadLine], places: Mapping[str, tuple[float, float]] | None
) -> str:
    import folium

    t, lang = data.t, data.lang
    week = _date_text(data.plan.week_start)
    title = t("overview_title") + (f" · {label('week_of', lang).format(d=week)}" if week else "")
    pts = list(data.xy.values()) + [h for v in data.vol if (h := data.home(v))]
    fig, m = _new_map(title, _centre(pts))
    tiles = _tiles(m, t("layer_tiles"))
    if roads:
        _roads_layer(roads, t("layer_roads")).add_to(m)

    # one layer per volunteer
    rows = []
    volunteer_layers: dict[str, str] = {}
    routes_by_vid: dict[str, list[Route]] = {}
    for route in data.routes:
        routes_by_vid.setdefault(route.volunteer_id, []).append(route)
    hids_by_vid: dict[str, list[str]] = {}
    for hid, vid in data.plan.assignment.items():
        if hid not in data.unassigned:
            hids_by_vid.setdefault(vid, []).append(hid)
    for route in data.routes:  # households visited but missing from `assignment`
        for s in route.stops:
            if s.household_id not in data.plan.assignment:
                hids_by_vid.setdefault(route.volunteer_id, []).append(s.household_id)
    for vid, vol in data.vol.items():
        style = data.style[vid]
        name = clean_text(vol.get("name", "")) or vid
        routes = routes_by_vid.get(vid, [])
        hids = sorted(set(hids_by_vid.get(vid, [])))
        hours = sum(r.duration_s for r in routes)
        rows.append((vid, name, style, len(hids), len(routes), hours))
        if not hids and not routes:
            continue
        layer_name = f"{style.swatch()}{_esc(name)} ({_esc(vid)}) · {len(hids)}"
        group = folium.FeatureGroup(name=layer_name, overlay=True, control=True)
        styles: dict[str, dict[str, Any]] = {
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
            "home": {**_home_style(style.colour), "className": "rp-home rp-home-s"},
        }
        items: list[dict[str, Any]] = []
        for route in routes:
            line = data.route_line(route)
            if len(line) >= 2:
                tip = f"{_esc(name)} · {_esc(data.day_text(route.day))}"
                items.append({"k": "line", "s": "r", "c": line, "t": tip})
        home = data.home(vid)
        if home is not None:
            items.append(
                {"k": "div", "s": "home", "c": _ll(*home), "t": f"{_esc(t('home'))}: {_esc(name)}"}
            )
        for hid in hids:
            if hid not in data.xy:
                continue
            items.append(
                {
                    "k": "circle",
                    "s": "l" if hid not in data.visit else "h",
                    "c": _ll(*data.xy[hid]),
                    "id": hid,
                    "p": data.household_popup(hid),
                    "t": f"{_esc(data.hh[hid].get('head_name', ''))} · {_esc(name)}",
                }
            )
        _draw(styles, items).add_to(group)
        group.add_to(m)
        volunteer_layers[vid] = group.get_name()

    # hamlet names above the households (they let clicks through)
    hamlets = folium.FeatureGroup(name=t("layer_hamlets"), overlay=True, control=True)
    _draw(
        {"h": {"className": "rp-hamlet", "size": 0, "interactive": False, "z": 2000}},
        [
            {"k": "div", "s": "h", "c": _ll(x, y), "h": f"<span>{_esc(n)}</span>"}
            for n, x, y in _hamlets(data, places)
        ],
    ).add_to(hamlets)
    hamlets.add_to(m)

    # service points and unassigned households on top
    sp_group = folium.FeatureGroup(name=t("layer_service_points"), overlay=True, control=True)
    sp_items = []
    for rec in data.sp:
        geom = rec.get("geometry")
        if geom is None or geom.is_empty:
            continue
        text = _esc(rec.get("name", "")) or _esc(rec.get("point_id", ""))
        sp_items.append(
            {
                "k": "div",
                "s": "sp",
                "c": _ll(geom.x, geom.y),
                "p": f'<div class="rp-pop"><h3>{text}</h3>'
                f'<div class="rp-sub">{_esc(t("service_point"))}</div></div>',
                "t": text,
            }
        )
    _draw({"sp": {"className": "rp-sp", "size": 20, "html": "<div></div>"}}, sp_items).add_to(
        sp_group
    )
    sp_group.add_to(m)

    un_group = folium.FeatureGroup(name=t("layer_unassigned"), overlay=True, control=True)
    un_items = []
    for u in data.plan.unassigned:
        if u.household_id in data.xy:
            un_items.append(
                {
                    "k": "div",
                    "s": "x",
                    "c": _ll(*data.xy[u.household_id]),
                    "id": u.household_id,
                    "p": data.household_popup(u.household_id),
                    "t": _esc(data.hh[u.household_id].get("head_name", "")),
                }
            )
    _draw({"x": {"className": "rp-cross", "size": 24, "html": ""}}, un_items).add_to(un_group)
    un_group.add_to(m)

    folium.LayerControl(position="topright", collapsed=True).add_to(m)

    summary = _summary_html(data, rows, title)
    legend = _legend_html(data)
    unassigned = _unassigned_html(data)
    bounds = _bounds(pts) or [[16.0, 108.0], [16.2, 108.2]]
    layer_map = "{" + ",".join(f"{_js(v)}:{n}" for v, n in volunteer_layers.items()) + "}"
    tiles_name = tiles.get_name()
    offline = _js(f"<small>{_esc(t('offline_note'))}</small>")

    def controller(map_name: str) -> str:
        return f"""
(function () {{
  var map = {map_name}, layers = {layer_map};
  RP.init(map);
  L.control.scale({{imperial: false}}).addTo(map);
  RP.offlineNote(map, {tiles_name}, {offline});
  var sum = RP.panel(map, 'topleft', {_js(summary)}, 'rp-summary');
  RP.panel(map, 'bottomleft', {_js(legend)}, 'rp-legend');
  {f"RP.panel(map, 'bottomright', {_js(unassigned)}, 'rp-unassigned-list');" if unassigned else ""}
  var left = 30;
  if (RP.wide()) {{
    sum.querySelector('details').open = true;
    left = Math.min(sum.offsetWidth + 30, map.getSize().x / 2);
  }}
  map.fitBounds({_js(bounds)}, {{paddingTopLeft: [left, 30], paddingBottomRight: [30, 30]}});
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

    _script_element(controller).add_to(m)
    return offline_html(fig)


def _summary_html(
    data: _Data, rows: Sequence[tuple[str, str, MarkerStyle, int, int, int]], title: str
) -> str:
    t, lang = data.t, data.lang
    body = []
    for vid, name, style, n_hh, n_routes, secs in rows:
        page = f"volunteers/{safe_file_name(vid)}.html"
        body.append(
            f'<tr><td>{style.swatch()}<button class="rp-link" data-vid="{_esc(vid)}">'
            f"{_esc(name)}</button> <small>{_esc(vid)}</small></td>"
            f'<td class="n">{n_hh}</td><td class="n">{n_routes}</td>'
            f'<td class="n">{_hours(secs, lang)}</td>'
            f'<td><a href="{_esc(page)}">{_esc(t("open_page"))}</a></td></tr>'
        )
    total_hh = sum(r[3] for r in rows)
    total_routes = sum(r[4] for r in rows)
    total_s = sum(r[5] for r in rows)
    body.append(
        f'<tr><th>{_esc(t("total"))}</th><th class="n">{total_hh}</th>'
        f'<th class="n">{total_routes}</th><th class="n">{_hours(total_s, lang)}</th>'
        "<th></th></tr>"
    )
    n_un, n_roll = len(data.plan.unassigned), len(data.plan.rollover)
    extra = []
    if n_un:
        extra.append(_esc(label("unassigned_n", lang).format(n=n_un)))
    if n_roll:
        extra.append(_esc(label("rollover_n", lang).format(n=n_roll)))
    return (
        f"<details><summary>{_esc(title)}</summary>"
        f"<div>{' · '.join(extra)}</div>"
        f'<div class="rp-btns"><button data-all="show">{_esc(t("show_all"))}</button>'
        f'<button data-all="hide">{_esc(t("hide_all"))}</button></div>'
        f"<table><tr><th>{_esc(t('col_volunteer'))}</th>"
        f'<th class="n">{_esc(t("col_households"))}</th>'
        f'<th class="n">{_esc(t("col_rounds"))}</th>'
        f'<th class="n">{_esc(t("col_hours_week"))}</th><th></th></tr>'
        f"{''.join(body)}</table></details>"
    )


def _legend_html(data: _Data) -> str:
    t = data.t
    s0, s1, s2 = volunteer_style(0), volunteer_style(_HUES), volunteer_style(2 * _HUES)
    later = '<span class="rp-sw" style="background:#fff;border:2px dashed #555"></span>'
    return (
        f"<details><summary>{_esc(t('legend'))}</summary>"
        f"<div>{s0.swatch()}{s1.swatch()}{s2.swatch()}{_esc(t('legend_household'))}</div>"
        f'<div><svg width="30" height="10"><path d="M0 5H30" stroke="{s0.colour}" '
        f'stroke-width="4"/></svg> {_esc(t("legend_route"))}</div>'
        f"<div>{later}{_esc(t('rollover'))}</div>"
        f'<div><span style="display:inline-block;width:24px;height:18px;position:relative" '
        f'class="rp-cross"></span> {_esc(t("unassigned"))}</div>'
        f'<div><span class="rp-sp" style="display:inline-block;vertical-align:middle">'
        f"<div></div></span> {_esc(t('service_point'))}</div>"
        f'<div><span class="rp-home" style="display:inline-block;position:relative;'
        f'width:22px;height:22px;vertical-align:middle"><div style="background:{s0.colour}">'
        f"</div></span> {_esc(t('legend_home'))}</div>"
        f'<div><svg width="30" height="10"><path d="M0 5H30" stroke="#7b8794" '
        f'stroke-width="2"/></svg> {_esc(t("legend_road"))}</div>'
        f'<div><svg width="30" height="10"><path d="M0 5H30" stroke="#9c8b6e" '
        f'stroke-width="1.5" stroke-dasharray="4 4"/></svg> {_esc(t("legend_foot"))}</div>'
        "</details>"
    )


def _unassigned_html(data: _Data) -> str:
    t = data.t
    if not data.plan.unassigned and not data.plan.rollover:
        return ""

    def items(entries: Sequence[Any]) -> str:
        out = []
        for u in entries:
            rec = data.hh[u.household_id]
            what = (
                f"<b>{_esc(rec.get('head_name', ''))}</b> ({_esc(u.household_id)}, "
                f"{_esc(rec.get('village', ''))}): {_esc(u.detail or u.reason)}"
            )
            if u.household_id in data.xy:
                what = f'<button class="rp-link" data-hid="{_esc(u.household_id)}">{what}</button>'
            out.append(f"<li>{what}</li>")
        return "".join(out)

    parts = []
    if data.plan.unassigned:
        parts.append(f"<b>{_esc(t('unassigned'))}</b><ul>{items(data.plan.unassigned)}</ul>")
    if data.plan.rollover:
        parts.append(f"<b>{_esc(t('rollover'))}</b><ul>{items(data.plan.rollover)}</ul>")
    n = len(data.plan.unassigned) + len(data.plan.rollover)
    head = _esc(label("not_visited_n", data.lang).format(n=n))
    return f"<details><summary>{head}</summary>{''.join(parts)}</details>"


# --- one volunteer's page -----------------------------------------------------------------


def _volunteer_page(data: _Data, vid: str, roads: Sequence[_RoadLine]) -> str:
    import folium

    t, lang = data.t, data.lang
    vol = data.vol[vid]
    name = clean_text(vol.get("name", "")) or vid
    routes = [r for r in data.routes if r.volunteer_id == vid and r.stops]
    later = [u for u in data.plan.rollover if data.plan.assignment.get(u.household_id) == vid]
    home = data.home(vid)
    pts = [data.xy[s.household_id] for r in routes for s in r.stops if s.household_id in data.xy]
    pts += [data.xy[u.household_id] for u in later if u.household_id in data.xy]
    if home is not None:
        pts.append(home)

    week = _date_text(data.plan.week_start)
    mode = clean_text(vol.get("mode", ""))
    meta = [_esc(vid)]
    if mode in ("motorbike", "walking"):
        meta.append(_esc(t(f"mode_{mode}")))
    if week:
        meta.append(_esc(label("week_of", lang).format(d=week)))
    coordinator = clean_text(data.settings.output.coordinator)
    coord_html = ""
    if coordinator:
        tel = _tel(m.group(0)) if (m := re.search(r"\+?\d[\d .-]{6,}\d", coordinator)) else ""
        inner = f'<a href="{_esc(tel)}">{_esc(coordinator)}</a>' if tel else _esc(coordinator)
        coord_html = f"<div>{_esc(t('coordinator'))}: {inner}</div>"
    head = (
        f'<header class="rp-head"><h1>{_esc(label("volunteer_title", lang).format(name=name))}'
        f"</h1><div>{' · '.join(meta)}</div>{coord_html}"
        '<div id="rp-offline" hidden></div></header>'
    )

    title = f"{name} ({vid})"
    fig, m_ = _new_map(
        title, _centre(pts), height="55vh", extra_css=_VOLUNTEER_CSS, body_before=head
    )
    tiles = _tiles(m_, t("layer_tiles"))
    if roads and pts:
        _roads_layer(roads, t("layer_roads"), _bbox(pts, 0.01)).add_to(m_)

    day_layers: dict[str, str] = {}
    day_dates: dict[str, str] = {}
    sections = []
    tabs = [f'<button data-round="all" aria-pressed="true">{_esc(t("all_days"))}</button>']
    per_day: dict[int, int] = {}
    for route in routes:
        per_day[route.day] = per_day.get(route.day, 0) + 1
    for i, route in enumerate(routes):
        # one layer, tab and list per round; a day may have two (morning, afternoon)
        colour = DAY_COLOURS[i % len(DAY_COLOURS)]
        day = str(i)
        day_title = data.day_text(route.day)
        if per_day[route.day] > 1:
            day_title += f" · {format_clock(route.start_s)}"
        n = len(route.stops)
        group = folium.FeatureGroup(
            name=f'<span class="rp-sw" style="background:{colour};border-color:{colour}"></span>'
            f"{_esc(day_title)} · {_esc(label('households_n', lang).format(n=n))}",
            overlay=True,
            control=True,
        )
        styles = {
            "r": {"color": colour, "weight": 5, "opacity": 0.8, "className": "rp-route"},
            "n": {"className": "rp-num", "size": 30, "color": colour},
            "home": _home_style("#1c2b40"),
        }
        items: list[dict[str, Any]] = []
        line = data.route_line(route)
        if len(line) >= 2:
            items.append({"k": "line", "s": "r", "c": line})
        if home is not None:
            items.append({"k": "div", "s": "home", "c": _ll(*home), "t": _esc(t("home"))})
        rows = []
        for stop in route.stops:
            hid = stop.household_id
            key = f"{day}-{stop.order}"
            if hid in data.xy:
                items.append(
                    {
                        "k": "num",
                        "s": "n",
                        "n": int(stop.order),
                        "c": _ll(*data.xy[hid]),
                        "id": key,
                        "p": data.household_popup(
                            hid, number=stop.order, colour=colour, for_volunteer=True
                        ),
                    }
                )
            rows.append(
                _stop_row(
                    data, hid, key, stop.order, format_clock(stop.arrival_s), colour, hid in data.xy
                )
            )
        _draw(styles, items).add_to(group)
        group.add_to(m_)
        day_layers[day] = group.get_name()
        if (date := round_date(data.plan.week_start, route.day)) is not None:
            day_dates.setdefault(date.isoformat(), day)
        travel = format_duration(route.travel_s, lang)
        sections.append(
            f'<section class="rp-day" data-round="{day}">'
            f'<h2 style="border-color:{colour}">{_esc(day_title)}</h2>'
            f'<div class="rp-meta">{_esc(t("leave_home"))} {format_clock(route.start_s)} · '
            f"{_esc(t('back_home'))} {format_clock(route.end_s)} · "
            f"{_esc(label('households_n', lang).format(n=n))} · {_esc(t('travel'))} "
            f"{_esc(travel)}</div>"
            f'<ol class="rp-list">{"".join(rows)}</ol></section>'
        )
        tabs.append(f'<button data-round="{day}" aria-pressed="false">{_esc(day_title)}</button>')
    if later:
        group = folium.FeatureGroup(name=_esc(t("rollover")), overlay=True, control=True)
        items = []
        rows = []
        for k, u in enumerate(later, 1):
            hid = u.household_id
            key = f"later-{k}"
            if hid in data.xy:
                items.append(
                    {
                        "k": "num",
                        "s": "n",
                        "n": k,
                        "c": _ll(*data.xy[hid]),
                        "id": key,
                        "p": data.household_popup(hid, for_volunteer=True),
                    }
                )
            rows.append(_stop_row(data, hid, key, k, "", "#868e96", hid in data.xy))
        _draw(
            {"n": {"className": "rp-num rp-later", "size": 30, "color": "#868e96"}}, items
        ).add_to(group)
        group.add_to(m_)
        day_layers["later"] = group.get_name()
        sections.append(
            f'<section class="rp-day" data-round="later"><h2 style="border-color:#868e96">'
            f'{_esc(t("rollover"))}</h2><div class="rp-meta">{_esc(t("rollover_hint"))}</div>'
            f'<ol class="rp-list">{"".join(rows)}</ol></section>'
        )
        tabs.append(
            f'<button data-round="later" aria-pressed="false">{_esc(t("rollover"))}</button>'
        )
    folium.LayerControl(position="topright", collapsed=True).add_to(m_)

    if routes or later:
        below = f'<nav class="rp-days">{"".join(tabs)}</nav>{"".join(sections)}'
    else:
        below = f'<p class="rp-empty">{_esc(t("no_rounds"))}</p>'
    _html_element(f'<main id="rp-list">{below}</main>').add_to(fig)

    bounds = _bounds(pts)
    first_day = "0" if routes else None
    layer_map = "{" + ",".join(f"{_js(d)}:{n}" for d, n in day_layers.items()) + "}"
    offline = _js(f"<small>{_esc(t('offline_note'))}</small>")
    tiles_name = tiles.get_name()

    def controller(map_name: str) -> str:
        fit = (
            f"map.fitBounds({_js(bounds)}, {{paddingTopLeft: [44, 40], "
            f"paddingBottomRight: [30, 40], maxZoom: 17}});"
            if bounds
            else ""
        )
        return f"""
(function () {{
  var map = {map_name}, layers = {layer_map};
  RP.init(map);
  L.control.scale({{imperial: false}}).addTo(map);
  {fit}
  RP.offlineNote(map, {tiles_name}, {offline}, 'rp-offline');
  var list = document.getElementById('rp-list');
  function show(day) {{
    var shown = [];
    Object.keys(layers).forEach(function (k) {{
      var on = day === 'all' ? k !== 'later' : k === day;
      if (on) {{ map.addLayer(layers[k]); shown.push(layers[k]); }}
      else {{ map.removeLayer(layers[k]); }}
    }});
    // fit the stops (the way from home may run off the screen: the volunteer knows it)
    var bb = RP.stopBounds(shown);
    list.querySelectorAll('section.rp-day').forEach(function (s) {{
      var d = s.getAttribute('data-round');
      s.hidden = !(day === 'all' ? d !== 'later' : d === day);
    }});
    list.querySelectorAll('nav button').forEach(function (b) {{
      b.setAttribute('aria-pressed', String(b.getAttribute('data-round') === day));
    }});
    if (bb.isValid()) {{
      map.fitBounds(bb, {{paddingTopLeft: [50, 50], paddingBottomRight: [40, 64], maxZoom: 17}});
    }}
    RP.declutter(map);
  }}
  if (layers.later) {{ map.removeLayer(layers.later); }}
  // on the day of a round (or before the next one this week) show that day first
  var dates = {_js(day_dates)}, now = new Date();
  var today = now.getFullYear() + '-' + String(now.getMonth() + 1).padStart(2, '0') + '-'
    + String(now.getDate()).padStart(2, '0');
  // and otherwise the week's first round: one day at a time is easier to follow
  var sorted = Object.keys(dates).sort();
  var next = sorted.filter(function (d) {{ return d >= today; }})[0];
  var pick = next && sorted[0] <= today ? dates[next]
    : (sorted.length ? dates[sorted[0]] : {_js(first_day)});
  if (pick !== null && layers[pick]) {{ show(pick); }}
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

    _script_element(controller).add_to(m_)
    return offline_html(fig)


def _stop_row(
    data: _Data, hid: str, key: str, number: int, when: str, colour: str, on_map: bool
) -> str:
    rec = data.hh[hid]
    services = ", ".join(data.services(hid))
    flags = data.flags(hid)
    notes = clean_text(rec.get("notes", ""))
    small = [f"{_esc(rec.get('village', ''))} · {_esc(hid)}"]
    if services:
        small.append(_esc(services))
    if flags:
        small.append(_esc(" · ".join(flags)))
    if notes:
        small.append(f"{_esc(data.t('notes'))}: {_esc(notes)}")
    stop_attr = f' data-stop="{_esc(key)}"' if on_map else ""
    when_html = f'<span class="rp-when">{_esc(when)}</span> ' if when else ""
    return (
        f'<li><button class="rp-row"{stop_attr}><span class="rp-badge" '
        f'style="background:{colour}">{number}</span><span>{when_html}'
        f"<b>{_esc(rec.get('head_name', '')) or _esc(hid)}</b>"
        f"{''.join(f'<small>{s}</small>' for s in small)}</span></button>"
        f"{data.actions(hid)}</li>"
    )


# --- entry point ------------------------------------------------------------------------


def write_maps(
    plan: Plan,
    households: gpd.GeoDataFrame,
    volunteers: gpd.GeoDataFrame,
    service_points: gpd.GeoDataFrame | None,
    matrix_by_mode: Mapping[str, TravelMatrix],
    out_dir: str | Path,
    *,
    network: Any = None,
    settings: Settings | None = None,
    places: Mapping[str, tuple[float, float]] | None = None,
    progress: ProgressFn | None = None,
) -> list[Path]:
    """Write the coordinator's overview map and one phone page per volunteer.

    Parameters
    ----------
    plan
        The plan to draw.
    households, volunteers, service_points
        The registers the plan was made from (``service_points`` may be ``None``).
    matrix_by_mode
        Travel matrices by mode; each round is drawn along ``matrix.path`` (the roads
        travelled), or as straight lines when its mode has no matrix.
    out_dir
        Output folder, created when missing.
    network
        The :class:`routeplan.network.Network` (or anything with an osmnx-form
        ``graph``): its roads and paths are drawn as a light vector layer so that
        the maps are readable offline. Without it only the tiles (online) show.
    settings
        ``settings.output.language`` chooses Vietnamese (default) or English words;
        ``settings.services`` names the services.
    places
        Hamlet names to label, ``{name: (lon, lat)}``; by default each household
        village is labelled at the median position of its households.
    progress
        Optional ``progress(message, fraction)`` callback.

    Returns
    -------
    list of pathlib.Path
        ``map_overview.html`` first, then ``volunteers/<volunteer_id>.html`` for
        every volunteer in ``volunteers`` (a volunteer without rounds gets a page
        saying so).

    Raises
    ------
    InputDataError
        If the plan names households or volunteers missing from the registers.

    """
    settings = settings or Settings()
    out = Path(out_dir)
    data = _Data(plan, households, volunteers, service_points, matrix_by_mode, settings)
    if progress:
        progress("maps: simplifying the road network", 0.0)
    roads = _road_lines(network) if network is not None else []
    if progress:
        progress("maps: overview", 0.05)
    paths = [write_text(out / "map_overview.html", _overview(data, roads, places))]
    vids = list(data.vol)
    for k, vid in enumerate(vids):
        if progress:
            progress(f"maps: volunteer {vid}", 0.1 + 0.9 * k / max(len(vids), 1))
        page = _volunteer_page(data, vid, roads)
        paths.append(write_text(out / "volunteers" / f"{safe_file_name(vid)}.html", page))
    if progress:
        progress("maps: done", 1.0)
    log.info("wrote %d map pages into %s", len(paths), out)
    return paths
