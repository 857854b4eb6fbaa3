"""The PDF document of route sheets: its pages, the first page's layout, saving it.

:class:`SheetWriter` holds one fpdf2 document with DejaVu Sans embedded. Each
:meth:`~SheetWriter.add_sheet` starts a sheet on a new page: header, a map sized to
keep the round on one page when it can, the legend, then the table of stops, which
continues on further pages (each with the header again and a footer).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .header import draw_footer, draw_header
from .layout import BODY_PT, BOTTOM, CONTENT_W, FONT, LINE_MM, MAP_H, MARGIN, MIN_MAP_H, font_paths
from .legend import draw_legend
from .model import Sheet
from .pen import Pen
from .roads import Roads
from .sheet_map import draw_map
from .table import HEAD_H, RETURN_H, block_height, draw_table

if TYPE_CHECKING:  # pragma: no cover
    from fpdf import FPDF

__all__ = ["SheetWriter"]


class SheetWriter:
    """Draws sheets into one fpdf2 document.

    Parameters
    ----------
    language
        Language of the labels (``"vi"`` or ``"en"``).
    coordinator
        The coordinator's name and phone, printed under every header ("" for none).
    roads
        The roads to draw around each round, or ``None``.
    title
        The PDF's title.

    """

    def __init__(self, language: str, coordinator: str, roads: Roads | None, title: str) -> None:
        self.coordinator = coordinator
        self.roads = roads
        self.pen = Pen(self._document(language, title), language)
        self.pdf: FPDF = self.pen.pdf
        self.sheet: Sheet | None = None
        self.sheet_page = 0
        self.footer_text = ""

    def _document(self, language: str, title: str) -> FPDF:
        from fpdf import FPDF

        writer = self

        class _PDF(FPDF):
            def header(self) -> None:
                writer.on_header()

            def footer(self) -> None:
                writer.on_footer()

        pdf = _PDF(orientation="P", unit="mm", format="A4")
        for style, path in font_paths().items():
            pdf.add_font(FONT, style, str(path))
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(False)
        pdf.c_margin = 0  # cells are padded explicitly (PAD)
        pdf.set_title(title)
        pdf.set_creator("routeplan")
        pdf.set_lang("en" if language == "en" else "vi")
        return pdf

    # header and footer, repeated on every page of a sheet (fpdf2 calls these)

    def on_header(self) -> None:
        """Draw the current sheet's header on a new page (nothing between sheets)."""
        if self.sheet is None:
            return
        self.sheet_page += 1
        self.footer_text = draw_header(self.pen, self.sheet, self.sheet_page, self.coordinator)

    def on_footer(self) -> None:
        """Draw the footer of the page that ends, once."""
        if not self.footer_text:
            return
        draw_footer(self.pen, self.footer_text)
        self.footer_text = ""

    # pages

    def page_no(self) -> int:
        """Return the number of pages so far."""
        return int(self.pdf.page_no())

    def add_sheet(self, sheet: Sheet) -> None:
        """Add ``sheet``: its first page with the map, and as many more as its table needs."""
        self.sheet = sheet
        self.sheet_page = 0
        pdf = self.pdf
        pdf.add_page()
        y = pdf.get_y()
        # a smaller map when that keeps the whole round (and the way home) on one page
        table_h = HEAD_H + sum(block_height(self.pen, row) for row in sheet.rows) + RETURN_H
        legend_h = draw_legend(self.pen, 0.0, roads=self.roads is not None, draw=False)
        map_h = BOTTOM - y - 1.5 - legend_h - 2.0 - table_h - 0.5  # 0.5: rounding
        map_h = min(map_h, MAP_H) if map_h >= MIN_MAP_H else MAP_H
        draw_map(self.pen, sheet, (MARGIN, y, CONTENT_W, map_h), self.roads)
        y += map_h + 1.5
        y = draw_legend(self.pen, y, roads=self.roads is not None)
        pdf.set_y(y + 2.0)
        draw_table(self.pen, sheet)

    def add_empty(self, volunteer_id: str, name: str) -> None:
        """Add a page saying that volunteer ``name`` (``volunteer_id``) has no rounds."""
        pdf = self.pdf
        self.sheet = None
        pdf.add_page()
        self.pen.font(16, "B")
        pdf.set_xy(MARGIN, MARGIN)
        pdf.multi_cell(CONTENT_W, 8, f"{name} ({volunteer_id})", new_x="LMARGIN", new_y="NEXT")
        self.pen.font(BODY_PT)
        pdf.multi_cell(CONTENT_W, LINE_MM, self.pen.t("no_rounds"), new_x="LMARGIN", new_y="NEXT")

    def output(self, target: Path) -> None:
        """Write the document to ``target``."""
        self.pdf.output(str(target))

    def close(self) -> None:
        """Close the font files fpdf2 keeps open."""
        for font in self.pdf.fonts.values():
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:
                ttfont.close()
