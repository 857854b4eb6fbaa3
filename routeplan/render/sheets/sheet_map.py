"""The map of a round on its sheet, drawn in vectors from the road network (no tiles).

In order: the frame, the roads and paths around the round (when there is a network),
the round (a white casing under a coloured line, the way home dashed, an arrowhead
on each leg), the volunteer's home, the numbered stops (pushed apart where they would
overlap, with a leader line to the real spot), a scale bar, a north arrow and the
OpenStreetMap credit; where stops cluster too close to read, a close-up of them in
the corner of the map it hides least, its area framed by a dashed line on the map.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..legs import Coord
from . import marks
from .layout import BODY_PT, CREDIT_PT, GREY_TEXT, INK, ROAD_MAJOR, ROAD_MINOR, ROUTE, WHITE
from .model import Sheet, StopRow
from .pen import Pen
from .projection import Box, Projection, free_spot
from .roads import Roads

__all__ = ["draw_map"]

_ROAD_STYLES = {  # kind: (colour, width, dash), drawn in this order
    "minor": (ROAD_MINOR, 0.3, 0.0),
    "foot": (ROAD_MINOR, 0.3, 1.0),
    "major": (ROAD_MAJOR, 0.6, 0.0),
}
_STOP_R = 3.3  # radius of a numbered stop marker (two digits of 11 pt bold fit)


def _clipped(coords: Sequence[Coord], inner: Box) -> list[list[Coord]]:
    """Return the parts of a line of page coordinates inside ``inner`` (x0, y0, x1, y1)."""
    import shapely
    from shapely.geometry import LineString

    if len(coords) < 2:
        return []
    clipped = shapely.clip_by_rect(LineString(coords), *inner)
    parts = getattr(clipped, "geoms", [clipped])
    return [
        [(float(x), float(y)) for x, y in part.coords]
        for part in parts
        if not part.is_empty and part.geom_type == "LineString"
    ]


def _polyline(pen: Pen, coords: Sequence[Coord], inner: Box) -> None:
    """Draw a line of page coordinates, clipped to the rectangle ``inner`` (x0, y0, x1, y1)."""
    for part in _clipped(coords, inner):
        pen.pdf.polyline(part)


def _draw_roads(pen: Pen, roads: Roads, proj: Projection, inner: Box) -> None:
    pdf = pen.pdf
    by_kind: dict[str, list[list[Coord]]] = {"minor": [], "foot": [], "major": []}
    for kind, lonlat in roads.within(proj.lonlat_box()):
        by_kind[kind].append([proj(x, y) for x, y in lonlat])
    for kind, (color, width, dash) in _ROAD_STYLES.items():
        pdf.set_draw_color(*color)
        pdf.set_line_width(width)
        pen.dash(dash, dash * 0.8)
        for coords in by_kind[kind]:
            _polyline(pen, coords, inner)
    pdf.set_dash_pattern()


def _draw_route(pen: Pen, sheet: Sheet, proj: Projection, inner: Box) -> None:
    """Draw the round: a white casing under a coloured line; the way home dashed."""
    pdf = pen.pdf
    legs = [[proj(x, y) for x, y in leg] for leg in sheet.legs]
    for casing in (True, False):
        for k, leg in enumerate(legs):
            last = k == len(legs) - 1 and len(legs) > 1
            if casing:
                pdf.set_draw_color(*WHITE)
                pdf.set_line_width(1.6)
                pdf.set_dash_pattern()
            else:
                pdf.set_draw_color(*ROUTE)
                pdf.set_line_width(0.8)
                pen.dash(2.0 if last else 0.0, 1.2)
            _polyline(pen, leg, inner)
    pdf.set_dash_pattern()
    for leg in legs[:-1] if len(legs) > 1 else legs:
        for part in _clipped(leg, inner):  # an arrow never lands outside the map
            marks.arrow(pen, part)


def _draw_stops(
    pen: Pen,
    sheet: Sheet,
    proj: Projection,
    inner: Box,
    home: Coord | None,
    rows: Sequence[StopRow] | None = None,
) -> None:
    """Draw the numbered stops, pushed apart where they would overlap, with a leader line.

    ``rows`` are the stops to draw (default: all of the sheet's).
    """
    pdf = pen.pdf
    radius = _STOP_R
    placed: list[Coord] = [home] if home is not None else []
    markers: list[tuple[Coord, Coord, int]] = []
    for row in sheet.rows if rows is None else rows:
        px, py = proj(*row.xy)
        mx, my = free_spot(px, py, placed, 2 * radius + 0.4, inner, radius)
        placed.append((mx, my))
        markers.append(((px, py), (mx, my), row.order))
    pdf.set_line_width(0.3)
    for (px, py), (mx, my), _ in markers:
        if math.hypot(mx - px, my - py) > 0.5:
            pdf.set_draw_color(*INK)
            pdf.line(px, py, mx, my)
            pdf.set_fill_color(*INK)
            pdf.ellipse(px - 0.7, py - 0.7, 1.4, 1.4, style="F")
    for _, (mx, my), order in markers:
        pdf.set_draw_color(*INK)
        pdf.set_fill_color(*WHITE)
        pdf.set_line_width(0.45)
        pdf.ellipse(mx - radius, my - radius, 2 * radius, 2 * radius, style="DF")
        text = str(order)
        pen.font(BODY_PT, "B")
        pen.put(mx - radius, my - radius, 2 * radius, 2 * radius, text, "C")


def _osm_credit(pen: Pen, box: Box) -> None:
    """Write the OpenStreetMap credit in the map's bottom right corner."""
    bx, by, bw, bh = box
    pdf = pen.pdf
    pen.font(CREDIT_PT, color=GREY_TEXT)
    text = pen.t("osm")
    w = pdf.get_string_width(text) + 2
    pdf.set_fill_color(*WHITE)
    pdf.set_xy(bx + bw - w - 0.5, by + bh - 4)
    pdf.cell(w, 3.5, text, align="R", fill=True)


def draw_map(pen: Pen, sheet: Sheet, box: Box, roads: Roads | None) -> None:
    """Draw the map of ``sheet``'s round in ``box`` (x, y, width, height in mm).

    ``roads`` are drawn around the round when given.
    """
    pdf = pen.pdf
    bx, by, bw, bh = box
    start = [sheet.home] if sheet.home is not None else []
    pts = start + [p for leg in sheet.legs for p in leg] + [r.xy for r in sheet.rows]
    proj = Projection(pts, box)
    inner = (bx + 0.3, by + 0.3, bx + bw - 0.3, by + bh - 0.3)

    pdf.set_fill_color(*WHITE)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.4)
    pdf.rect(bx, by, bw, bh, style="D")
    if roads is not None:
        _draw_roads(pen, roads, proj, inner)
    _draw_route(pen, sheet, proj, inner)
    home = proj(*sheet.home) if sheet.home is not None else None
    if home is not None:
        marks.house(pen, *home, 3.2)
    _draw_stops(pen, sheet, proj, inner, home)
    marks.scale_bar(pen, proj, bx + 4, by + bh - 4)
    marks.north_arrow(pen, bx + bw - 9, by + 4)
    if roads is not None:
        _osm_credit(pen, box)
    cluster = _cluster(sheet, proj)
    if cluster:
        _draw_inset(pen, sheet, proj, box, cluster, roads)


def _cluster(sheet: Sheet, proj: Projection) -> list[StopRow]:
    """Return the largest group of stops whose markers would overlap on the map, if any.

    Stops closer than two markers' width are grouped; a group of two or more, small
    enough to be shown larger in a corner, gets a close-up (:func:`_draw_inset`).
    """
    gap = 2 * _STOP_R + 0.4
    pts = [proj(*row.xy) for row in sheet.rows]
    group = list(range(len(pts)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for i, a in enumerate(pts):
        for j in range(i):
            if math.dist(a, pts[j]) < gap:
                group[root(i)] = root(j)
    members: dict[int, list[int]] = {}
    for i in range(len(pts)):
        members.setdefault(root(i), []).append(i)
    best = max(members.values(), key=len, default=[])
    if len(best) < 2:
        return []
    xs = [pts[i][0] for i in best]
    ys = [pts[i][1] for i in best]
    if max(xs) - min(xs) > proj.bw * 0.3 or max(ys) - min(ys) > proj.bh * 0.35:
        return []  # spread out: the fanned-out markers on the map are enough
    return [sheet.rows[i] for i in best]


def _draw_inset(
    pen: Pen,
    sheet: Sheet,
    proj: Projection,
    box: Box,
    cluster: Sequence[StopRow],
    roads: Roads | None,
) -> None:
    """Draw a close-up of the ``cluster`` of stops in the map corner it hides least."""
    pdf = pen.pdf
    bx, by, bw, bh = box
    iw, ih = bw * 0.34, bh * 0.46
    points = [proj(*p) for leg in sheet.legs for p in leg] + [proj(*r.xy) for r in sheet.rows]
    corners = [  # top left first, then the others; the north arrow sits top right
        (bx + 1.5, by + 1.5),
        (bx + bw - iw - 1.5, by + bh - ih - 6.0),
        (bx + 1.5, by + bh - ih - 12.0),  # above the scale bar
        (bx + bw - iw - 1.5, by + 17.0),
    ]

    def hidden(corner: Coord) -> int:
        x, y = corner
        return sum(x <= px <= x + iw and y <= py <= y + ih for px, py in points)

    ix, iy = min(corners, key=hidden)
    inset = (ix, iy, iw, ih)
    zoom = Projection([r.xy for r in cluster], inset, pad=0.3, min_span_m=80.0)
    if zoom.scale < proj.scale * 2:  # not worth a close-up
        return
    # where the close-up is, on the map: a thin frame
    x0, y0, x1, y1 = zoom.lonlat_box()
    (ax, ay), (cx, cy) = proj(x0, y1), proj(x1, y0)
    ax, ay = max(ax, bx + 0.3), max(ay, by + 0.3)  # the frame stays inside the map
    cx, cy = min(cx, bx + bw - 0.3), min(cy, by + bh - 0.3)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pen.dash(1.0, 0.8)
    pdf.rect(ax, ay, cx - ax, cy - ay, style="D")
    pen.dash()
    pdf.set_fill_color(*WHITE)
    pdf.set_line_width(0.6)
    pdf.rect(ix, iy, iw, ih, style="DF")
    inner = (ix + 0.3, iy + 0.3, ix + iw - 0.3, iy + ih - 0.3)
    if roads is not None:
        _draw_roads(pen, roads, zoom, inner)
    _draw_route(pen, sheet, zoom, inner)
    home = zoom(*sheet.home) if sheet.home is not None else None
    if home is not None and inner[0] < home[0] < inner[2] and inner[1] < home[1] < inner[3]:
        marks.house(pen, *home, 3.2)
    _draw_stops(pen, sheet, zoom, inner, home, cluster)
    marks.scale_bar(pen, zoom, ix + 3, iy + ih - 3)
