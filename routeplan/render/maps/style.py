"""How the pages look and write: marker styles and colours, escaping, small formats.

Everything taken from the registers goes through :func:`esc` (HTML text) or
:func:`js` (JSON inside a ``<script>``): it is shown as text, never run as markup.
"""

from __future__ import annotations

import colorsys
import datetime as dt
import html
import json
import re
from dataclasses import dataclass
from typing import Any

from ..text import clean_text

__all__ = [
    "DAY_COLOURS",
    "HUES",
    "MarkerStyle",
    "date_text",
    "esc",
    "home_style",
    "hours",
    "js",
    "map_links",
    "tel",
    "volunteer_style",
]

DAY_COLOURS = ("#1f5fbf", "#d9480f", "#2b8a3e", "#7048b8", "#c2255c", "#8a5a00", "#0b7285")
"""Colour of each day's round on a volunteer's page, Monday first."""

HUES = 24
"""Hues of the volunteer colours; each block of this many volunteers has its own shape."""


# --- escaping and small formats -------------------------------------------------------


def esc(value: Any) -> str:
    """Return ``value`` as HTML text: markup in the data is shown, never run.

    Braces become character references too, so that text such as ``{{ x }}`` can
    never be taken for a template by folium's Jinja rendering.
    """
    return html.escape(clean_text(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def js(obj: Any) -> str:
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


def tel(phone: str) -> str:
    """Return a ``tel:`` URI for ``phone`` (digits and a leading +), or ``""``."""
    digits = re.sub(r"[^\d+]", "", phone)
    digits = digits[:1] + digits[1:].replace("+", "")
    return f"tel:{digits}" if sum(c.isdigit() for c in digits) >= 3 else ""


def map_links(lon: float, lat: float) -> tuple[str, str]:
    """Return a ``geo:`` URI (the phone's map app) and an https Google Maps link."""
    la, lo = f"{lat:.6f}", f"{lon:.6f}"
    return (
        f"geo:{la},{lo}?q={la},{lo}",
        f"https://www.google.com/maps/search/?api=1&query={la}%2C{lo}",
    )


def hours(seconds: float, language: str) -> str:
    """Return ``seconds`` as hours with one decimal (a decimal comma in Vietnamese)."""
    text = f"{seconds / 3600:.1f}"
    return text.replace(".", ",") if language == "vi" else text


def date_text(date: dt.date | None) -> str:
    """Return ``date`` as ``dd/mm/yyyy``, ``""`` for ``None``."""
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


def volunteer_style(index: int) -> MarkerStyle:
    """Return the marker style of the ``index``-th volunteer (0-based).

    Hues step by 7/24 of the circle so that neighbours in the list look different,
    lightness alternates, and each block of 24 volunteers has its own marker shape
    and line dash, so 70 volunteers stay distinguishable.
    """
    k = index % HUES
    hue = ((k * 7) % HUES) / HUES
    light = 0.38 if k % 2 == 0 else 0.5
    r, g, b = colorsys.hls_to_rgb(hue, light, 0.85)
    colour = f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
    block = (index // HUES) % 3
    shape = ("dot", "ring", "halo")[block]
    dash = (None, "9 5", "3 5")[block]
    return MarkerStyle(colour, shape, dash)


def home_style(colour: str) -> dict[str, Any]:
    """Return the ``RP.draw`` style of a volunteer's home marker (a small house)."""
    return {"className": "rp-home", "size": 22, "html": f'<div style="background:{colour}"></div>'}
