"""The page skeleton: a folium map that works without a connection.

:func:`offline_map` makes a map with Leaflet inlined and no CDN resources;
:func:`offline_html` renders its page and checks it loads nothing from the internet.
The coverage report draws its map with these too. :func:`new_map` is the map of
this package's pages (with the ``RP`` script) and :func:`tiles` adds the
OpenStreetMap tiles that show beneath the drawn roads when online.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .assets import assets_html, leaflet
from .elements import html_element, raw_element, script_element
from .style import esc

if TYPE_CHECKING:  # pragma: no cover
    import folium

__all__ = ["new_map", "offline_html", "offline_map", "tiles"]

_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
_TILES_ATTR = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


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

    fig = Figure(title=esc(title) if title else None)
    if body_before:
        html_element(body_before).add_to(fig)
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
        script_element(lambda name: f"L.control.scale({{imperial: false}}).addTo({name});").add_to(
            m
        )
    js, css = leaflet()
    fig.header.add_child(
        raw_element(f"<style>{css}</style>\n<script>{js}</script>\n{head}"),
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


def new_map(
    title: str,
    centre: tuple[float, float],
    *,
    height: str = "100%",
    extra_css: str = "",
    extra_js: str = "",
    body_before: str = "",
) -> tuple[Any, Any]:
    """Return the ``(figure, map)`` of a page of this package: offline, ``RP`` ready."""
    m = offline_map(
        centre,
        title=title,
        height=height,
        head=assets_html(extra_css, extra_js),
        body_before=body_before,
        zoom_snap=0.25,
    )
    return m.get_root(), m


def tiles(m: Any, name: str) -> Any:
    """Add the OpenStreetMap tiles to ``m`` as a layer called ``name`` and return them."""
    import folium

    layer = folium.TileLayer(
        tiles=_TILES_URL,
        attr=_TILES_ATTR,
        name=name,
        overlay=True,
        control=True,
        max_zoom=19,
        max_native_zoom=19,
    )
    layer.add_to(m)
    return layer
