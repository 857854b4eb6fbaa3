"""Printable A4 route sheets: what a volunteer carries on a round.

One sheet per volunteer per round day. Its first page has a header (volunteer,
day and date, times, travel, the coordinator's phone), a map of the round drawn
from the road network (no tiles, so it prints the same without internet) and the
start of the table of stops; long rounds continue on further pages with the header
repeated. Each stop has its number, arrival time, household, hamlet, the services
needed in words, the phone number, three boxes to tick (done, not at home, come
back with papers) and a line for notes.

Text is set in DejaVu Sans, which has every Vietnamese letter, embedded in the PDF
from the copy that matplotlib ships (no font files in this repository). Labels are
Vietnamese unless ``settings.output.language == "en"``.

:func:`write_sheets` writes ``route_sheets_all.pdf`` (the whole week, every
volunteer, to print in one go) and ``sheets/<volunteer_id>.pdf`` (one volunteer's
week).
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._io import atomic_path
from .._labels import LABELS, label
from ..config import Settings
from ..errors import InputDataError, Problem
from ..network import WALK_ONLY, each_way_once
from ..planner import Plan, Route
from ..timewindows import format_clock
from .export import _records
from .legs import route_legs
from .text import clean_text, day_name, format_duration, round_date, safe_file_name, service_labels

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    from fpdf import FPDF

    from ..matrix import TravelMatrix

__all__ = ["font_paths", "write_sheets"]

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, float], None]
Coord = tuple[float, float]
RGB = tuple[int, int, int]
_Piece = tuple[str, str, float, RGB]  # text, style, size, colour

# --- page geometry (millimetres, A4 portrait) ------------------------------------------

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 10.0
CONTENT_W = PAGE_W - 2 * MARGIN
BOTTOM = PAGE_H - 14.0  # below this: the footer
MAP_H = 108.0  # height of the map, or anything down to MIN_MAP_H to fit a round on one page
MIN_MAP_H = 80.0
OUTCOME_H = 9.0  # the line of tick boxes and notes under each stop
BODY_PT = 11.0
LINE_MM = 5.2  # line height of 11 pt text
PAD = 1.2  # space between a table cell's border and its text
FONT = "DejaVu"

# table columns: (key, width in mm)
COLUMNS: tuple[tuple[str, float], ...] = (
    ("col_order", 9.0),
    ("col_arrival", 19.0),
    ("col_household", 51.0),
    ("col_hamlet", 25.0),
    ("col_services", 52.0),
    ("col_phone", 34.0),
)

# colours (RGB); chosen to stay distinct when printed in black and white
INK = (0, 0, 0)
GREY_TEXT = (80, 80, 80)
ROAD_MAJOR = (130, 130, 130)
ROAD_MINOR = (165, 165, 165)
ROUTE = (0, 85, 200)
HEAD_FILL = (225, 225, 225)

_FOOT = frozenset(WALK_ONLY)
_MAJOR = frozenset(
    {
        "motorway",
        "trunk",
        "primary",
        "secondary",
        "tertiary",
        "motorway_link",
        "trunk_link",
        "primary_link",
        "secondary_link",
        "tertiary_link",
    }
)

# --- fonts ----------------------------------------------------------------------------


def font_paths() -> dict[str, Path]:
    """Return the DejaVu Sans TTF files matplotlib ships, by fpdf2 style (``""``, ``B``, ``I``).

    Raises
    ------
    RouteplanError
        If matplotlib's copy of the fonts is missing.

    """
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    files = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
    paths = {style: folder / name for style, name in files.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        from ..errors import RouteplanError

        raise RouteplanError(
            "the DejaVu Sans fonts that matplotlib ships are missing "
            f"({', '.join(missing)}); reinstall matplotlib"
        )
    return paths


# --- what one sheet shows --------------------------------------------------------------


@dataclass(frozen=True)
class _StopRow:
    order: int
    arrival: str
    head_name: str
    household_id: str
    hamlet: str
    services: tuple[str, ...]
    phone: str
    note: str
    flags: str
    xy: Coord


@dataclass(frozen=True)
class _Sheet:
    volunteer_id: str
    volunteer_name: str
    volunteer_phone: str
    day: int
    date: str
    route: Route
    home: Coord
    rows: tuple[_StopRow, ...]
    legs: tuple[tuple[Coord, ...], ...]


class _Roads:
    """The network's roads as lon/lat lines, found quickly by bounding box."""

    def __init__(self, graph: Any) -> None:
        import numpy as np

        lines: list[Any] = []
        kinds: list[str] = []
        nodes = graph.nodes
        for u, v, data in each_way_once(graph):
            geom = data.get("geometry")
            if geom is not None:
                coords = np.asarray(geom.coords, dtype=float)[:, :2]
            else:
                coords = np.array(
                    [[nodes[u]["x"], nodes[u]["y"]], [nodes[v]["x"], nodes[v]["y"]]], dtype=float
                )
            lines.append(coords)
            kinds.append(_road_kind(data.get("highway", "")))
        self.lines = lines
        self.kinds = kinds
        if lines:
            self.bounds = np.array(
                [[c[:, 0].min(), c[:, 1].min(), c[:, 0].max(), c[:, 1].max()] for c in lines]
            )
        else:
            self.bounds = np.zeros((0, 4))

    def within(self, box: tuple[float, float, float, float]) -> Iterable[tuple[str, Any]]:
        """Yield ``(kind, lonlat array)`` of every road whose bounds meet ``box``."""
        import numpy as np

        if not self.lines:
            return
        x0, y0, x1, y1 = box
        b = self.bounds
        hit = np.nonzero((b[:, 0] <= x1) & (b[:, 2] >= x0) & (b[:, 1] <= y1) & (b[:, 3] >= y0))[0]
        for i in hit:
            yield self.kinds[i], self.lines[i]


def _road_kind(highway: Any) -> str:
    if isinstance(highway, list | tuple):
        highway = highway[0] if highway else ""
    hw = str(highway)
    if hw in _FOOT:
        return "foot"
    if hw in _MAJOR:
        return "major"
    return "minor"


class _Projection:
    """Lon/lat to page millimetres: local equirectangular metres, scaled to fit a box."""

    R = 6_371_008.8

    def __init__(
        self,
        points: Sequence[Coord],
        box: tuple[float, float, float, float],
        *,
        pad: float = 0.08,
        min_span_m: float = 400.0,
    ) -> None:
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        self.lon0 = (min(lons) + max(lons)) / 2
        self.lat0 = (min(lats) + max(lats)) / 2
        self.kx = math.radians(1) * self.R * math.cos(math.radians(self.lat0))
        self.ky = math.radians(1) * self.R
        xs = [(lon - self.lon0) * self.kx for lon in lons]
        ys = [(lat - self.lat0) * self.ky for lat in lats]
        span_x = max(max(xs) - min(xs), min_span_m) * (1 + 2 * pad)
        span_y = max(max(ys) - min(ys), min_span_m) * (1 + 2 * pad)
        self.bx, self.by, self.bw, self.bh = box
        self.scale = min(self.bw / span_x, self.bh / span_y)  # mm per metre
        self.cx = (max(xs) + min(xs)) / 2
        self.cy = (max(ys) + min(ys)) / 2

    def __call__(self, lon: float, lat: float) -> Coord:
        x = (lon - self.lon0) * self.kx
        y = (lat - self.lat0) * self.ky
        return (
            self.bx + self.bw / 2 + (x - self.cx) * self.scale,
            self.by + self.bh / 2 - (y - self.cy) * self.scale,
        )

    def lonlat_box(self) -> tuple[float, float, float, float]:
        """Return the lon/lat bounds of the box (for picking roads)."""
        half_w = self.bw / 2 / self.scale
        half_h = self.bh / 2 / self.scale
        return (
            self.lon0 + (self.cx - half_w) / self.kx,
            self.lat0 + (self.cy - half_h) / self.ky,
            self.lon0 + (self.cx + half_w) / self.kx,
            self.lat0 + (self.cy + half_h) / self.ky,
        )


# --- drawing ----------------------------------------------------------------------------


class _Writer:
    """Draws sheets into one fpdf2 document."""

    def __init__(self, language: str, coordinator: str, roads: _Roads | None, title: str) -> None:
        from fpdf import FPDF

        self.language = language
        self.coordinator = coordinator
        self.roads = roads
        writer = self

        class _PDF(FPDF):
            def header(self) -> None:
                writer._header()

            def footer(self) -> None:
                writer._footer()

        pdf = _PDF(orientation="P", unit="mm", format="A4")
        for style, path in font_paths().items():
            pdf.add_font(FONT, style, str(path))
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(False)
        pdf.c_margin = 0  # cells are padded explicitly (PAD)
        pdf.set_title(title)
        pdf.set_creator("routeplan")
        pdf.set_lang("en" if language == "en" else "vi")
        self.pdf: FPDF = pdf
        self.sheet: _Sheet | None = None
        self.sheet_page = 0
        self.footer_text = ""
        self._widths: dict[tuple[str, str], float] = {}
        self._style, self._size = "", BODY_PT

    def t(self, key: str) -> str:
        return label(key, self.language)

    def font(
        self, size: float = BODY_PT, style: str = "", color: tuple[int, int, int] = INK
    ) -> None:
        self._style, self._size = style, size
        self.pdf.set_font(FONT, style, size)
        self.pdf.set_text_color(*color)

    # header and footer, repeated on every page of a sheet

    def _header(self) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        pdf = self.pdf
        self.sheet_page += 1
        route = sheet.route
        day = day_name(sheet.day, self.language)
        when = f"{day} {sheet.date}".strip()
        y = MARGIN
        self.font(16, "B")
        right_w = min(pdf.get_string_width(when) + 2, 80)
        pdf.set_xy(PAGE_W - MARGIN - right_w, y)
        pdf.cell(right_w, 8, when, align="R")
        pdf.set_xy(MARGIN, y)
        name = f"{sheet.volunteer_name} ({sheet.volunteer_id})"
        pdf.multi_cell(
            CONTENT_W - right_w - 2,
            7.5,
            name,
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
            max_line_height=7.5,
        )
        y = max(pdf.get_y(), y + 8) + 0.5
        self.font(BODY_PT)
        bits = [self.t("sheet_title")]
        if sheet.volunteer_phone:
            bits.append(f"{self.t('phone_short')} {sheet.volunteer_phone}")
        bits.append(self.t(f"mode_{route.mode}") if f"mode_{route.mode}" in LABELS else route.mode)
        if self.sheet_page > 1:
            bits.append(self.t("continued"))
        pdf.set_xy(MARGIN, y)
        pdf.multi_cell(CONTENT_W, LINE_MM, " · ".join(bits), new_x="LMARGIN", new_y="NEXT")
        times = [
            f"{self.t('leave_home')} {format_clock(route.start_s)}",
            f"{self.t('back_home')} {format_clock(route.end_s)}",
            f"{self.t('travel')} {format_duration(route.travel_s, self.language)}",
            self.t("households_n").format(n=len(route.stops)),
        ]
        self.font(BODY_PT, "B")
        pdf.multi_cell(CONTENT_W, LINE_MM, " · ".join(times), new_x="LMARGIN", new_y="NEXT")
        if self.coordinator:
            self.font(BODY_PT)
            pdf.multi_cell(
                CONTENT_W,
                LINE_MM,
                f"{self.t('coordinator')}: {self.coordinator}",
                new_x="LMARGIN",
                new_y="NEXT",
            )
        self.footer_text = (
            f"{sheet.volunteer_id} · {when} · {self.t('page').format(n=self.sheet_page)}"
        )
        y = pdf.get_y() + 1.0
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.5)
        pdf.line(MARGIN, y, PAGE_W - MARGIN, y)
        pdf.set_y(y + 2.0)

    def _footer(self) -> None:
        if not self.footer_text:
            return
        self.font(9, color=GREY_TEXT)
        self.pdf.set_xy(MARGIN, PAGE_H - 10.0)
        self.pdf.cell(CONTENT_W, 5, self.footer_text, align="R")
        self.footer_text = ""

    # the sheet

    def add_sheet(self, sheet: _Sheet) -> None:
        self.sheet = sheet
        self.sheet_page = 0
        pdf = self.pdf
        pdf.add_page()
        y = pdf.get_y()
        # a smaller map when that keeps the whole round on one page
        legend_h, table_h = 13.0, 7.0 + sum(self._block_height(row) for row in sheet.rows)
        map_h = BOTTOM - y - 1.5 - legend_h - 2.0 - table_h
        map_h = map_h if MIN_MAP_H <= map_h < MAP_H else MAP_H
        self._map(sheet, (MARGIN, y, CONTENT_W, map_h))
        y += map_h + 1.5
        y = self._legend(y)
        pdf.set_y(y + 2.0)
        self._table(sheet)

    def add_empty(self, volunteer_id: str, name: str) -> None:
        pdf = self.pdf
        self.sheet = None
        pdf.add_page()
        self.font(16, "B")
        pdf.set_xy(MARGIN, MARGIN)
        pdf.multi_cell(CONTENT_W, 8, f"{name} ({volunteer_id})", new_x="LMARGIN", new_y="NEXT")
        self.font(BODY_PT)
        pdf.multi_cell(CONTENT_W, LINE_MM, self.t("no_rounds"), new_x="LMARGIN", new_y="NEXT")

    # map

    def _map(self, sheet: _Sheet, box: tuple[float, float, float, float]) -> None:
        import shapely
        from shapely.geometry import LineString

        pdf = self.pdf
        bx, by, bw, bh = box
        pts = [sheet.home] + [p for leg in sheet.legs for p in leg] + [r.xy for r in sheet.rows]
        proj = _Projection(pts, box)
        inner = (bx + 0.3, by + 0.3, bx + bw - 0.3, by + bh - 0.3)

        def draw_line(coords: Sequence[Coord]) -> None:
            if len(coords) < 2:
                return
            clipped = shapely.clip_by_rect(LineString(coords), *inner)
            parts = getattr(clipped, "geoms", [clipped])
            for part in parts:
                if part.is_empty or part.geom_type != "LineString":
                    continue
                pdf.polyline(list(part.coords))

        pdf.set_fill_color(255, 255, 255)
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.4)
        pdf.rect(bx, by, bw, bh, style="D")

        # roads and paths
        if self.roads is not None:
            by_kind: dict[str, list[list[Coord]]] = {"minor": [], "foot": [], "major": []}
            for kind, lonlat in self.roads.within(proj.lonlat_box()):
                by_kind[kind].append([proj(x, y) for x, y in lonlat])
            styles = {
                "minor": (ROAD_MINOR, 0.3, 0.0),
                "foot": (ROAD_MINOR, 0.3, 1.0),
                "major": (ROAD_MAJOR, 0.6, 0.0),
            }
            for kind in ("minor", "foot", "major"):
                color, width, dash = styles[kind]
                pdf.set_draw_color(*color)
                pdf.set_line_width(width)
                self._dash(dash, dash * 0.8)
                for coords in by_kind[kind]:
                    draw_line(coords)
            pdf.set_dash_pattern()

        # the route: a white casing under a coloured line; the way home dashed
        legs = [[proj(x, y) for x, y in leg] for leg in sheet.legs]
        for casing in (True, False):
            for k, leg in enumerate(legs):
                last = k == len(legs) - 1 and len(legs) > 1
                if casing:
                    pdf.set_draw_color(255, 255, 255)
                    pdf.set_line_width(1.6)
                    pdf.set_dash_pattern()
                else:
                    pdf.set_draw_color(*ROUTE)
                    pdf.set_line_width(0.8)
                    self._dash(2.0 if last else 0.0, 1.2)
                draw_line(leg)
        pdf.set_dash_pattern()
        for leg in legs[:-1] if len(legs) > 1 else legs:
            self._arrow(leg)

        # home
        hx, hy = proj(*sheet.home)
        self._home(hx, hy, 3.2)

        # numbered stops, pushed apart where they would overlap, with a leader line
        radius = 3.0
        placed: list[Coord] = [(hx, hy)]
        markers: list[tuple[Coord, Coord, int]] = []
        for row in sheet.rows:
            px, py = proj(*row.xy)
            mx, my = _free_spot(px, py, placed, 2 * radius + 0.4, inner, radius)
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
            pdf.set_fill_color(255, 255, 255)
            pdf.set_line_width(0.45)
            pdf.ellipse(mx - radius, my - radius, 2 * radius, 2 * radius, style="DF")
            text = str(order)
            self.font(10 if len(text) < 2 else 8.5, "B")
            self.put(mx - radius, my - radius, 2 * radius, 2 * radius, text, "C")

        self._scale_bar(proj, bx + 4, by + bh - 4)
        self._north(bx + bw - 9, by + 4)
        if self.roads is not None:
            self.font(7, color=GREY_TEXT)
            text = self.t("osm")
            w = pdf.get_string_width(text) + 2
            pdf.set_fill_color(255, 255, 255)
            pdf.set_xy(bx + bw - w - 0.5, by + bh - 4)
            pdf.cell(w, 3.5, text, align="R", fill=True)

    def _arrow(self, leg: Sequence[Coord]) -> None:
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
                self.pdf.set_fill_color(*ROUTE)
                self.pdf.set_draw_color(255, 255, 255)
                self.pdf.set_line_width(0.2)
                self.pdf.polygon([tip, left, right], style="DF")
                return
            acc += seg

    def _home(self, x: float, y: float, size: float) -> None:
        """Draw a house: a black pentagon with a white door."""
        pdf = self.pdf
        s = size
        pts = [
            (x - s, y + s),
            (x - s, y - s * 0.2),
            (x, y - s * 1.2),
            (x + s, y - s * 0.2),
            (x + s, y + s),
        ]
        pdf.set_draw_color(255, 255, 255)
        pdf.set_line_width(0.5)
        pdf.set_fill_color(*INK)
        pdf.polygon(pts, style="DF")
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(x - s * 0.3, y + s * 0.2, s * 0.6, s * 0.8, style="F")

    def _scale_bar(self, proj: _Projection, x: float, y: float) -> None:
        """Draw a scale bar about a fifth of the map wide, its left end at ``(x, y)``."""
        pdf = self.pdf
        target_m = proj.bw / 5 / proj.scale
        nice = [n * 10**e for e in range(0, 6) for n in (1, 2, 5)]
        metres = max((n for n in nice if n <= target_m), default=nice[0])
        length = metres * proj.scale
        label = f"{metres // 1000:g} km" if metres >= 1000 else f"{metres:g} m"
        self.font(9, "B")
        pdf.set_fill_color(255, 255, 255)
        lw = pdf.get_string_width(label)
        pdf.rect(x - 1.5, y - 6.5, length + lw + 6, 8.0, style="F")
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.3)
        half = length / 2
        pdf.set_fill_color(*INK)
        pdf.rect(x, y - 1.6, half, 1.6, style="DF")
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(x + half, y - 1.6, half, 1.6, style="DF")
        pdf.set_xy(x + length + 1.8, y - 4.2)
        pdf.cell(lw + 1, 4.2, label)
        pdf.set_xy(x - 1, y - 6.2)
        self.font(8)
        pdf.cell(4, 4, "0")

    def _north(self, x: float, y: float) -> None:
        """Draw a north arrow with its letter, centred on ``x``, top at ``y``."""
        pdf = self.pdf
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(x - 4.5, y - 1.5, 9, 15, style="F")
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.3)
        pdf.set_fill_color(*INK)
        pdf.polygon([(x, y + 4.5), (x - 3, y + 12.5), (x, y + 10.5)], style="DF")
        pdf.set_fill_color(255, 255, 255)
        pdf.polygon([(x, y + 4.5), (x + 3, y + 12.5), (x, y + 10.5)], style="DF")
        self.font(11, "B")
        pdf.set_xy(x - 4, y - 1)
        pdf.cell(8, 5, self.t("north"), align="C")

    def _legend(self, y: float) -> float:
        """Draw the map's legend below it, wrapping if needed; return the y below it."""
        pdf = self.pdf
        items: list[tuple[str, float, Callable[[float, float], None]]] = [
            ("legend_home", 5.0, lambda x, m: self._home(x + 2.2, m + 0.3, 2.0)),
            ("col_household", 6.0, self._legend_stop),
        ]
        lines = [("legend_route", ROUTE, 0.8, 0.0), ("legend_return", ROUTE, 0.8, 2.0)]
        if self.roads is not None:
            lines += [("legend_road", ROAD_MAJOR, 0.5, 0.0), ("legend_foot", ROAD_MINOR, 0.3, 1.0)]
        for key, color, width, dash in lines:
            items.append(
                (
                    key,
                    9.5,
                    functools.partial(self._legend_line, color=color, width=width, dash=dash),
                )
            )
        x = MARGIN
        self.font(10)
        for key, sym_w, symbol in items:
            text = self.t(key)
            w = sym_w + pdf.get_string_width(text) + 2.5
            if x + w > PAGE_W - MARGIN:
                x, y = MARGIN, y + 5.5
            symbol(x, y + 2.6)
            self.font(10)
            pdf.set_xy(x + sym_w + 1.5, y)
            pdf.cell(w - sym_w, 5.2, text)
            x += w + 4.5
        return y + 5.5

    def _legend_stop(self, x: float, mid: float) -> None:
        pdf = self.pdf
        pdf.set_draw_color(*INK)
        pdf.set_fill_color(255, 255, 255)
        pdf.set_line_width(0.4)
        pdf.ellipse(x, mid - 2.2, 4.4, 4.4, style="DF")
        self.font(7, "B")
        pdf.set_xy(x, mid - 2.2)
        pdf.cell(4.4, 4.4, "1", align="C")

    def _legend_line(
        self, x: float, mid: float, color: tuple[int, int, int], width: float, dash: float
    ) -> None:
        pdf = self.pdf
        pdf.set_draw_color(*color)
        pdf.set_line_width(width)
        self._dash(dash, dash * 0.6)
        pdf.line(x, mid, x + 8, mid)
        self._dash()

    def _dash(self, dash: float = 0.0, gap: float = 0.0) -> None:
        """Set a dash pattern (``dash`` mm on, ``gap`` mm off); no argument: solid lines."""
        if dash > 0:
            self.pdf.set_dash_pattern(dash, gap)
        else:
            self.pdf.set_dash_pattern()

    # table of stops

    def _columns(self) -> list[tuple[str, float, float]]:
        out, x = [], MARGIN
        for key, width in COLUMNS:
            out.append((key, x, width))
            x += width
        return out

    def _table_head(self) -> None:
        pdf = self.pdf
        y = pdf.get_y()
        pdf.set_fill_color(*HEAD_FILL)
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.3)
        pdf.rect(MARGIN, y, CONTENT_W, 7.0, style="DF")
        self.font(BODY_PT, "B")
        for key, x, width in self._columns():
            pdf.set_xy(x + 1.2, y)
            pdf.cell(width - 2.4, 7.0, self.t(key), align="C" if key == "col_order" else "L")
        pdf.set_y(y + 7.0)

    def _cells(self, row: _StopRow) -> dict[str, list[_Piece]]:
        """Return each column's text pieces: (text, style, size, colour)."""
        household: list[_Piece] = [
            (row.head_name, "B", BODY_PT, INK),
            (row.household_id, "", BODY_PT - 1, GREY_TEXT),
        ]
        if row.flags:
            household.append((row.flags, "B", BODY_PT - 1, INK))
        if row.note:
            household.append((f"{self.t('register_note')}: {row.note}", "I", BODY_PT - 1, INK))
        return {
            "col_order": [
                (
                    str(row.order),
                    "B",
                    self._fit(str(row.order), COLUMNS[0][1] - 2.6, 14, 9, "B"),
                    INK,
                )
            ],
            "col_arrival": [(row.arrival, "B", 12, INK)],
            "col_household": household,
            "col_hamlet": [(row.hamlet, "", BODY_PT, INK)],
            "col_services": [(f"\u2022\t{s}", "", BODY_PT, INK) for s in row.services],
            "col_phone": [(row.phone, "", self._fit(row.phone, COLUMNS[-1][1] - 2.6), INK)],
        }

    def _fit(
        self, text: str, width: float, size: float = BODY_PT, smallest: float = 9.5, style: str = ""
    ) -> float:
        """Return the font size at most ``size`` at which ``text`` fits on one line."""
        self.font(size, style)
        natural = self.pdf.get_string_width(text)
        if natural <= width:
            return size
        return max(smallest, math.floor(size * width / natural * 4) / 4)

    def width(self, text: str, style: str, size: float) -> float:
        """Return the width (mm) of ``text`` set in DejaVu Sans ``style`` at ``size`` pt."""
        key = (style, text)
        unit = self._widths.get(key)
        if unit is None:
            self.pdf.set_font(FONT, style, 10)
            unit = self._widths[key] = self.pdf.get_string_width(text) / 10
            self.pdf.set_font(FONT, self._style, self._size)
        return unit * size

    def put(
        self, x: float, top: float, width: float, height: float, text: str, align: str = "L"
    ) -> None:
        """Write one line of ``text`` in the current font, centred vertically in a box.

        Faster than ``FPDF.cell`` (which the table calls thousands of times a week).
        """
        if not text:
            return
        if align != "L":
            w = self.width(text, self._style, self._size)
            x += (width - w) / 2 if align == "C" else width - w
        baseline = top + 0.5 * height + 0.3 * self._size * 25.4 / 72
        self.pdf.text(x, baseline, text)

    def wrap(self, text: str, style: str, size: float, width: float) -> list[str]:
        """Break ``text`` into lines no wider than ``width``; words too long are cut."""
        space = self.width(" ", style, size)
        lines: list[str] = []
        cur, cur_w = "", 0.0
        for word in text.split():
            w = self.width(word, style, size)
            if cur and cur_w + space + w <= width:
                cur, cur_w = f"{cur} {word}", cur_w + space + w
                continue
            if cur:
                lines.append(cur)
            while w > width and len(word) > 1:
                cut, acc = 0, 0.0
                for ch in word:
                    cw = self.width(ch, style, size)
                    if acc + cw > width and cut > 0:
                        break
                    acc, cut = acc + cw, cut + 1
                lines.append(word[:cut])
                word = word[cut:]
                w = self.width(word, style, size)
            cur, cur_w = word, w
        if cur:
            lines.append(cur)
        return lines

    def _pieces(
        self,
        x: float,
        y: float,
        width: float,
        pieces: Sequence[_Piece],
        *,
        draw: bool,
        align: str = "L",
    ) -> float:
        """Write (or measure, ``draw=False``) text pieces in a column; return their height."""
        h = 0.0
        for text, style, size, color in pieces:
            if not text:
                continue
            self.font(size, style, color)
            line_h = size * 0.47
            indent = 0.0
            if "\t" in text:  # a bullet: hang the text after it
                bullet, text = text.split("\t", 1)
                indent = self.width(bullet + " ", style, size) + 0.8
                if draw:
                    self.put(x + PAD, y + 0.8 + h, indent, line_h, bullet)
            inner = width - indent - 2 * PAD
            for line in self.wrap(text, style, size, inner):
                if draw:
                    self.put(x + indent + PAD, y + 0.8 + h, inner, line_h, line, align)
                h += line_h
        return h + 1.6

    def _outcome_line(self, y: float) -> float:
        """Draw the three tick boxes and the notes line; return its height."""
        pdf = self.pdf
        h = OUTCOME_H
        x = MARGIN + COLUMNS[0][1] + 1.5
        box = 4.6
        self.font(BODY_PT)
        for key in ("outcome_done", "outcome_absent", "outcome_papers"):
            pdf.set_draw_color(*INK)
            pdf.set_line_width(0.35)
            pdf.rect(x, y + (h - box) / 2, box, box, style="D")
            x += box + 2.0
            label = self.t(key)
            w = self.width(label, "", BODY_PT) + 0.5
            self.put(x, y, w, h, label)
            x += w + 4.5
        label = f"{self.t('notes')}:"
        self.font(BODY_PT, "B")
        w = self.width(label, "B", BODY_PT) + 1
        self.put(x, y, w, h, label)
        x += w + 1
        pdf.set_draw_color(*GREY_TEXT)
        pdf.set_line_width(0.2)
        pdf.set_dash_pattern(0.5, 0.8)
        if PAGE_W - MARGIN - x > 10:
            pdf.line(x, y + h - 2.0, PAGE_W - MARGIN - 1.5, y + h - 2.0)
        pdf.set_dash_pattern()
        return h

    def _block_height(self, row: _StopRow) -> float:
        """Return the height of one stop in the table (its text, then the tick boxes)."""
        cells = self._cells(row)
        top = max(self._pieces(x, 0, w, cells[key], draw=False) for key, x, w in self._columns())
        return max(top, 8.0) + OUTCOME_H

    def _table(self, sheet: _Sheet) -> None:
        pdf = self.pdf
        self._table_head()
        columns = self._columns()
        for row in sheet.rows:
            cells = self._cells(row)
            block_h = self._block_height(row)
            top_h = block_h - OUTCOME_H
            if pdf.get_y() + block_h > BOTTOM:
                pdf.add_page()
                self._table_head()
            y = pdf.get_y()
            for key, x, w in columns:
                self._pieces(
                    x, y, w, cells[key], draw=True, align="C" if key == "col_order" else "L"
                )
            pdf.set_draw_color(*INK)
            pdf.set_line_width(0.2)
            for _, x, _w in columns[1:]:
                pdf.line(x, y, x, y + top_h)
            self._outcome_line(y + top_h)
            pdf.set_draw_color(*INK)
            pdf.set_line_width(0.2)
            pdf.set_dash_pattern(0.6, 0.6)
            pdf.line(MARGIN + COLUMNS[0][1], y + top_h, PAGE_W - MARGIN, y + top_h)
            pdf.set_dash_pattern()
            pdf.set_line_width(0.5)
            pdf.line(MARGIN, y + block_h, PAGE_W - MARGIN, y + block_h)
            pdf.line(MARGIN, y, MARGIN, y + block_h)
            pdf.line(PAGE_W - MARGIN, y, PAGE_W - MARGIN, y + block_h)
            pdf.set_y(y + block_h)
        # the way home (already in the header: never worth a page of its own)
        if pdf.get_y() + 8 > BOTTOM:
            return
        y = pdf.get_y() + 1.5
        self.font(BODY_PT, "B")
        pdf.set_xy(MARGIN + COLUMNS[0][1] + 1.2, y)
        pdf.cell(COLUMNS[1][1] - 1.2, 6, format_clock(sheet.route.end_s))
        self.font(BODY_PT)
        pdf.cell(100, 6, self.t("return_row"))

    def output(self, target: Path) -> None:
        self.pdf.output(str(target))

    def close(self) -> None:
        """Close the font files fpdf2 keeps open."""
        for font in self.pdf.fonts.values():
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:
                ttfont.close()


def _free_spot(
    px: float,
    py: float,
    placed: Sequence[Coord],
    gap: float,
    box: tuple[float, float, float, float],
    radius: float,
) -> Coord:
    """Return a marker centre near ``(px, py)`` at least ``gap`` from every placed one."""

    def ok(x: float, y: float) -> bool:
        inside = box[0] + radius <= x <= box[2] - radius and box[1] + radius <= y <= box[3] - radius
        return inside and all(math.hypot(x - a, y - b) >= gap for a, b in placed)

    if ok(px, py):
        return (px, py)
    for ring in range(1, 12):
        dist = gap * ring
        steps = 8 * ring
        for k in range(steps):
            ang = -math.pi / 4 + 2 * math.pi * k / steps
            x, y = px + dist * math.cos(ang), py - dist * math.sin(ang)
            if ok(x, y):
                return (x, y)
    return (px, py)


# --- entry point ------------------------------------------------------------------------


def _split(source: Path, pages: Mapping[str, Sequence[int]], folder: Path) -> list[Path]:
    """Copy each volunteer's pages of ``source`` into ``folder/<volunteer_id>.pdf``."""
    import pypdfium2 as pdfium

    written = []
    src = pdfium.PdfDocument(str(source))
    try:
        for vid, indices in pages.items():
            dst = pdfium.PdfDocument.new()
            try:
                dst.import_pages(src, pages=list(indices))
                target = folder / f"{safe_file_name(vid)}.pdf"
                with atomic_path(target) as tmp:
                    dst.save(str(tmp))
            finally:
                dst.close()
            written.append(target)
    finally:
        src.close()
    return written


def _flags(household: Mapping[str, Any], language: str) -> str:
    """Return what a volunteer should know before knocking: elderly, language, rough place."""
    words = [label(k, language) for k in ("elderly", "disability") if household.get(k) is True]
    slug = str(household.get("language") or "")
    if slug:
        key = f"language_{slug}"
        words.append(label(key, language) if key in LABELS else slug)
    if household.get("location_quality") == "village":
        words.append(label("location_village", language))
    return " · ".join(words)


def _sheets(
    plan: Plan,
    households: gpd.GeoDataFrame,
    volunteers: gpd.GeoDataFrame,
    matrix_by_mode: Mapping[str, TravelMatrix],
    settings: Settings,
) -> dict[str, list[_Sheet]]:
    language = settings.output.language
    hh = _records(households, "household_id")
    vols = _records(volunteers, "volunteer_id")
    hh_xy = {hid: (float(r["geometry"].x), float(r["geometry"].y)) for hid, r in hh.items()}
    problems = [
        Problem(
            f"household {h!r} is in the plan but not in the households",
            "pass the households the plan was made from",
        )
        for h in sorted({s.household_id for r in plan.routes for s in r.stops} - set(hh))
    ] + [
        Problem(
            f"volunteer {v!r} is in the plan but not in the volunteers",
            "pass the volunteers the plan was made from",
        )
        for v in sorted({r.volunteer_id for r in plan.routes} - set(vols))
    ]
    if problems:
        raise InputDataError(problems, subject="plan")
    out: dict[str, list[_Sheet]] = {}
    for route in sorted(plan.routes, key=lambda r: (str(r.volunteer_id), r.day)):
        vol = vols[route.volunteer_id]
        home = (float(vol["geometry"].x), float(vol["geometry"].y))
        rows = []
        for stop in route.stops:
            h = hh[stop.household_id]
            rows.append(
                _StopRow(
                    order=stop.order,
                    arrival=format_clock(stop.arrival_s),
                    head_name=clean_text(h.get("head_name")),
                    household_id=clean_text(stop.household_id),
                    hamlet=clean_text(h.get("village")),
                    services=tuple(
                        clean_text(s)
                        for s in service_labels(h.get("services") or (), settings, language)
                    ),
                    phone=clean_text(h.get("phone")),
                    note=clean_text(h.get("notes")),
                    flags=_flags(h, language),
                    xy=hh_xy[stop.household_id],
                )
            )
        legs = route_legs(route, matrix_by_mode.get(route.mode), home, hh_xy)
        date = round_date(plan.week_start, route.day)
        out.setdefault(route.volunteer_id, []).append(
            _Sheet(
                volunteer_id=clean_text(route.volunteer_id),
                volunteer_name=clean_text(vol.get("name")),
                volunteer_phone=clean_text(vol.get("phone")),
                day=route.day,
                date=f"{date:%d/%m/%Y}" if date else "",
                route=route,
                home=home,
                rows=tuple(rows),
                legs=tuple(tuple(leg) for leg in legs),
            )
        )
    return out


def write_sheets(
    plan: Plan,
    households: gpd.GeoDataFrame,
    volunteers: gpd.GeoDataFrame,
    matrix_by_mode: Mapping[str, TravelMatrix],
    out_dir: str | Path,
    *,
    network: Any = None,
    settings: Settings | None = None,
    volunteer_id: str | None = None,
    progress: ProgressFn | None = None,
) -> list[Path]:
    """Write printable A4 route sheets: one per volunteer per round day.

    Parameters
    ----------
    plan
        The plan to print.
    households, volunteers
        The registers the plan was made from.
    matrix_by_mode
        Travel matrices by mode; each round is drawn along ``matrix.path`` (the roads
        travelled), or as straight lines when its mode has no matrix.
    out_dir
        Output folder, created when missing.
    network
        The :class:`routeplan.network.Network` (or anything with an osmnx-form
        ``graph``), to draw the roads and paths around each round. Without it the
        map shows only the round.
    settings
        ``settings.output.language`` chooses Vietnamese (default) or English labels;
        ``settings.output.coordinator`` is printed on every sheet when set.
    volunteer_id
        Write only this volunteer's file ``sheets/<volunteer_id>.pdf``.
    progress
        Optional ``progress(message, fraction)`` callback.

    Returns
    -------
    list of pathlib.Path
        ``route_sheets_all.pdf`` (every volunteer's week, in volunteer order) and
        ``sheets/<volunteer_id>.pdf`` for each volunteer with a round; with
        ``volunteer_id``, only that volunteer's file.

    Raises
    ------
    InputDataError
        If ``volunteer_id`` is unknown, or the plan names households or volunteers
        missing from the registers.

    """
    settings = settings or Settings()
    language = settings.output.language
    coordinator = clean_text(settings.output.coordinator)
    out = Path(out_dir)
    sheets = _sheets(plan, households, volunteers, matrix_by_mode, settings)
    vol_names = {
        vid: clean_text(r.get("name")) for vid, r in _records(volunteers, "volunteer_id").items()
    }
    if volunteer_id is not None and volunteer_id not in vol_names:
        raise InputDataError(
            [
                Problem(
                    f"no volunteer {volunteer_id!r}", "use a volunteer_id from the volunteers file"
                )
            ],
            subject="route sheets",
        )
    graph = getattr(network, "graph", network)
    roads = _Roads(graph) if graph is not None else None

    def report(message: str, fraction: float) -> None:
        if progress is not None:
            progress(message, fraction)

    def render(target: Path, vids: Sequence[str], title: str) -> dict[str, list[int]]:
        """Write ``vids``' sheets into ``target``; return each volunteer's page indices."""
        writer = _Writer(language, coordinator, roads, title)
        try:
            pages: dict[str, list[int]] = {}
            for k, vid in enumerate(vids):
                report(f"route sheets: {vid}", 0.8 * k / len(vids))
                first = writer.pdf.page_no()
                if not sheets.get(vid):
                    writer.add_empty(vid, vol_names.get(vid, ""))
                for sheet in sheets.get(vid, []):
                    writer.add_sheet(sheet)
                pages[vid] = list(range(first, writer.pdf.page_no()))
            report("route sheets: saving", 0.8)
            with atomic_path(target) as tmp:
                writer.output(tmp)
        finally:
            writer.close()
        return pages

    title = label("sheet_title", language)
    if volunteer_id is not None:
        name = vol_names.get(volunteer_id, "")
        target = out / "sheets" / f"{safe_file_name(volunteer_id)}.pdf"
        render(target, [volunteer_id], f"{title}: {name} ({volunteer_id})")
        written = [target]
    elif not sheets:
        log.warning("the plan has no rounds: no route sheets written")
        written = []
    else:
        # render the week once, then cut it into one file per volunteer (rendering is
        # the slow part: fonts are parsed and subset once per document)
        target = out / "route_sheets_all.pdf"
        pages = render(target, sorted(sheets), title)
        report("route sheets: one file per volunteer", 0.9)
        written = [target, *_split(target, pages, out / "sheets")]
    report("route sheets: done", 1.0)
    log.info("wrote %d route-sheet files to %s", len(written), out)
    return written
