"""What every page brings along: Leaflet (inlined from xstatic), the style sheet, ``RP``.

Leaflet's script and style sheet are read from the ``xstatic-leaflet`` package
(:func:`leaflet`), with its images as ``data:`` URIs, so a page needs no other file.
:data:`CSS` and :data:`VOLUNTEER_CSS` style the pages and :data:`JS` is the ``RP``
script that draws the layers (``RP.draw``), the panels and the popups.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

__all__ = ["CSS", "JS", "VOLUNTEER_CSS", "assets_html", "leaflet"]


@lru_cache(maxsize=1)
def leaflet() -> tuple[str, str]:
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


CSS = """
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
.rp-num span.rp-wk{position:absolute;left:50%;top:0;transform:translateX(-50%);width:auto;
 min-width:30px;padding:0 5px;border-radius:15px;white-space:nowrap;font-size:13px}
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

VOLUNTEER_CSS = """
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
.rp-days.rp-more-r{-webkit-mask-image:linear-gradient(90deg,#000 calc(100% - 56px),
 rgba(0,0,0,.15));mask-image:linear-gradient(90deg,#000 calc(100% - 56px),rgba(0,0,0,.15))}
.rp-days.rp-more-l{-webkit-mask-image:linear-gradient(270deg,#000 calc(100% - 56px),
 rgba(0,0,0,.15));mask-image:linear-gradient(270deg,#000 calc(100% - 56px),rgba(0,0,0,.15))}
.rp-days.rp-more-l.rp-more-r{-webkit-mask-image:linear-gradient(90deg,rgba(0,0,0,.15),#000 56px,
 #000 calc(100% - 56px),rgba(0,0,0,.15));mask-image:linear-gradient(90deg,rgba(0,0,0,.15),
 #000 56px,#000 calc(100% - 56px),rgba(0,0,0,.15))}
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

JS = r"""
var RP = (function () {
  var byId = {};
  var nums = [];
  var week = false;  // the whole week's markers say day and order: wider
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
        if (it.k === 'num') {
          m._rp = {st: st, html: h, day: h, week: it.w
            ? '<span class="rp-wk" style="background:' + st.color + '">' + it.w + '</span>' : h};
          nums.push(m);
        }
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
        if (groups[i].p.distanceTo(p) < (week ? 44 : 28)) { g = groups[i]; }
      }
      if (g) { g.ms.push([m, p]); } else { groups.push({p: p, ms: [[m, p]]}); }
    });
    groups.forEach(function (g) {
      var n = g.ms.length, w = week ? 50 : 34;
      var r = n < 2 ? 0 : Math.max(w / 2 + 1, w / (2 * Math.sin(Math.PI / n)));
      var cx = 0, cy = 0;
      g.ms.forEach(function (e) { cx += e[1].x / n; cy += e[1].y / n; });
      g.ms.forEach(function (e, j) {
        var a = 2 * Math.PI * j / n - Math.PI / 2, off = null;
        if (n > 1) { off = [cx + r * Math.cos(a) - e[1].x, cy + r * Math.sin(a) - e[1].y]; }
        e[0].setIcon(icon(e[0]._rp.st, e[0]._rp.html, off));
      });
    });
  }
  function weekLabels(on) {
    // the whole week shows every day's "1": there the markers say day and order
    week = on;
    nums.forEach(function (m) { m._rp.html = on ? m._rp.week : m._rp.day; });
  }
  function scrollHint(nav) {
    // a row of buttons wider than the screen fades at the edge it scrolls to
    if (!nav) { return; }
    function hint() {
      var more = nav.scrollWidth - nav.clientWidth;
      nav.classList.toggle('rp-more-r', more > 2 && nav.scrollLeft < more - 2);
      nav.classList.toggle('rp-more-l', more > 2 && nav.scrollLeft > 2);
    }
    nav.addEventListener('scroll', hint, {passive: true});
    window.addEventListener('resize', hint);
    hint();
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
          wide: wide, init: init, declutter: declutter, stopBounds: stopBounds,
          weekLabels: weekLabels, scrollHint: scrollHint};
})();
"""


def assets_html(extra_css: str = "", extra_js: str = "") -> str:
    """Return the pages' own style sheet and script (``RP``), to follow Leaflet's."""
    return f"<style>{CSS}{extra_css}</style>\n<script>{JS}{extra_js}</script>\n"
