"""The symbols of the map and its legend: house, arrowheads, scale bar, north arrow.

Each function draws one symbol with a :class:`~routeplan.render.sheets.pen.Pen` at a
place in page millimetres.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..legs import Coord
from .layout import BODY_PT, INK, RGB, ROUTE, WHITE
from .pen import Pen
from .projection import Projection

__all__ = ["arrow", "house", "line_sample", "north_arrow", "scale_bar", "stop_sample"]


def arrow(pen: Pen, leg: Sequence[Coord]) -> None:
    """Draw a small arrowhead halfway along ``leg`` showing the way travelled."""
    if len(leg) < 2:
        return
    lengths = [math.dist(leg[i], leg[i + 1]) for i in range(len(leg) - 1)]
    total = sum(lengths)
    if total < 20:  # too short to need (or fit) an arrow
        return
    half, acc = total / 2, 0.0
    for i, seg in enumerate(lengths):
        if acc + seg >= half and seg > 0:
            f = (half - acc) / seg
            (x0, y0), (x1, y1) = leg[i], leg[i + 1]
            x, y = x0 + f * (x1 - x0), y0 + f * (y1 - y0)
            ux, uy = (x1 - x0) / seg, (y1 - y0) / seg
            size = 2.2
            tip = (x + ux * size, y + uy * size)
            left = (x - uy * size * 0.7, y + ux * size * 0.7)
            right = (x + uy * size * 0.7, y - ux * size * 0.7)
            pen.pdf.set_fill_color(*ROUTE)
            pen.pdf.set_draw_color(*WHITE)
            pen.pdf.set_line_width(0.2)
            pen.pdf.polygon([tip, left, right], style="DF")
            return
        acc += seg


def house(pen: Pen, x: float, y: float, size: float) -> None:
    """Draw a house: a black pentagon with a white door."""
    pdf = pen.pdf
    s = size
    pts = [
        (x - s, y + s),
        (x - s, y - s * 0.2),
        (x, y - s * 1.2),
        (x + s, y - s * 0.2),
        (x + s, y + s),
    ]
    pdf.set_draw_color(*WHITE)
    pdf.set_line_width(0.5)
    pdf.set_fill_color(*INK)
    pdf.polygon(pts, style="DF")
    pdf.set_fill_color(*WHITE)
    pdf.rect(x - s * 0.3, y + s * 0.2, s * 0.6, s * 0.8, style="F")


def scale_bar(pen: Pen, proj: Projection, x: float, y: float) -> None:
    """Draw a scale bar about a fifth of the map wide, its left end at ``(x, y)``."""
    pdf = pen.pdf
    target_m = proj.bw / 5 / proj.scale
    nice = [n * 10**e for e in range(0, 6) for n in (1, 2, 5)]
    metres = max((n for n in nice if n <= target_m), default=nice[0])
    length = metres * proj.scale
    label = f"{metres // 1000:g} km" if metres >= 1000 else f"{metres:g} m"
    pen.font(BODY_PT, "B")
    pdf.set_fill_color(*WHITE)
    lw = pdf.get_string_width(label)
    pdf.rect(x - 1.5, y - 6.5, length + lw + 6, 8.0, style="F")
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    half = length / 2
    pdf.set_fill_color(*INK)
    pdf.rect(x, y - 1.6, half, 1.6, style="DF")
    pdf.set_fill_color(*WHITE)
    pdf.rect(x + half, y - 1.6, half, 1.6, style="DF")
    pdf.set_xy(x + length + 1.8, y - 4.2)
    pdf.cell(lw + 1, 4.2, label)
    pdf.set_xy(x - 1.5, y - 6.6)
    pen.font(BODY_PT)
    pdf.cell(4, 4.6, "0")


def north_arrow(pen: Pen, x: float, y: float) -> None:
    """Draw a north arrow with its letter, centred on ``x``, top at ``y``."""
    pdf = pen.pdf
    pdf.set_fill_color(*WHITE)
    pdf.rect(x - 4.5, y - 1.5, 9, 15, style="F")
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.set_fill_color(*INK)
    pdf.polygon([(x, y + 4.5), (x - 3, y + 12.5), (x, y + 10.5)], style="DF")
    pdf.set_fill_color(*WHITE)
    pdf.polygon([(x, y + 4.5), (x + 3, y + 12.5), (x, y + 10.5)], style="DF")
    pen.font(BODY_PT, "B")
    pdf.set_xy(x - 4, y - 1)
    pdf.cell(8, 5, pen.t("north"), align="C")


def stop_sample(pen: Pen, x: float, mid: float) -> None:
    """Draw the legend's numbered stop, its left at ``x``, centred on ``mid``."""
    pdf = pen.pdf
    pdf.set_draw_color(*INK)
    pdf.set_fill_color(*WHITE)
    pdf.set_line_width(0.4)
    pdf.ellipse(x, mid - 2.9, 5.8, 5.8, style="DF")
    pen.font(BODY_PT, "B")
    pdf.set_xy(x, mid - 2.9)
    pdf.cell(5.8, 5.8, "1", align="C")


def line_sample(pen: Pen, x: float, mid: float, *, color: RGB, width: float, dash: float) -> None:
    """Draw 8 mm of a line style for the legend, its left at ``x``, at height ``mid``."""
    pdf = pen.pdf
    pdf.set_draw_color(*color)
    pdf.set_line_width(width)
    pen.dash(dash, dash * 0.6)
    pdf.line(x, mid, x + 8, mid)
    pen.dash()
