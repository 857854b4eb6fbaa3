"""The legend under a sheet's map: home, stop, route, way home, and roads when drawn."""

from __future__ import annotations

import functools
from collections.abc import Callable

from . import marks
from .layout import BODY_PT, MARGIN, PAGE_W, ROAD_MAJOR, ROAD_MINOR, ROUTE
from .pen import Pen

__all__ = ["draw_legend"]

_Symbol = Callable[[float, float], None]


def _items(pen: Pen, roads: bool) -> list[tuple[str, float, _Symbol]]:
    """Return the legend's entries: (label key, symbol width, draw symbol at (x, mid))."""
    items: list[tuple[str, float, _Symbol]] = [
        ("legend_home", 5.0, lambda x, m: marks.house(pen, x + 2.2, m + 0.3, 2.0)),
        ("col_household", 7.0, functools.partial(marks.stop_sample, pen)),
    ]
    lines = [("legend_route", ROUTE, 0.8, 0.0), ("legend_return", ROUTE, 0.8, 2.0)]
    if roads:
        lines += [("legend_road", ROAD_MAJOR, 0.5, 0.0), ("legend_foot", ROAD_MINOR, 0.3, 1.0)]
    for key, color, width, dash in lines:
        items.append(
            (
                key,
                9.5,
                functools.partial(marks.line_sample, pen, color=color, width=width, dash=dash),
            )
        )
    return items


def draw_legend(pen: Pen, y: float, *, roads: bool, draw: bool = True) -> float:
    """Draw the map's legend from ``y`` down, wrapping if needed; return the y below it.

    ``roads`` adds the road and path styles (when the map shows the network); with
    ``draw=False`` nothing is drawn (to measure the legend's height).
    """
    pdf = pen.pdf
    x = MARGIN
    pen.font(BODY_PT)
    for key, sym_w, symbol in _items(pen, roads):
        text = pen.t(key)
        w = sym_w + pdf.get_string_width(text) + 2.5
        if x + w > PAGE_W - MARGIN:
            x, y = MARGIN, y + 6.0
        if draw:
            symbol(x, y + 2.6)
            pen.font(BODY_PT)
            pdf.set_xy(x + sym_w + 1.5, y)
            pdf.cell(w - sym_w, 5.6, text)
        x += w + 3.5
    return y + 6.0
