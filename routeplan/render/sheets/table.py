"""The table of stops: one block per stop, continued on further pages when long.

Each block has the stop's number, arrival time, household (name, id, what to know
before knocking, the register's note), hamlet, services in words and phone number;
under it a line with four tick boxes (done, not at home, refused, come back with
papers: the phone page's choices) and a dotted line for notes. A block that does
not fit starts a new page, whose header (drawn by the document) says the sheet
continues; the table head is repeated.
"""

from __future__ import annotations

from ...timewindows import format_clock
from .layout import (
    BODY_PT,
    BOTTOM,
    COLUMNS,
    CONTENT_W,
    GREY_TEXT,
    HEAD_FILL,
    INK,
    MARGIN,
    OUTCOME_H,
    PAGE_W,
)
from .model import Sheet, StopRow
from .pen import Pen, Piece

__all__ = ["HEAD_H", "RETURN_H", "block_height", "draw_table"]

HEAD_H = 7.0
"""Height of the table's head row."""
RETURN_H = 8.0
"""Height of the way home under the last stop."""


def _columns() -> list[tuple[str, float, float]]:
    """Return ``(key, x, width)`` of each column."""
    out, x = [], MARGIN
    for key, width in COLUMNS:
        out.append((key, x, width))
        x += width
    return out


def _table_head(pen: Pen) -> None:
    pdf = pen.pdf
    y = pdf.get_y()
    pdf.set_fill_color(*HEAD_FILL)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.rect(MARGIN, y, CONTENT_W, HEAD_H, style="DF")
    pen.font(BODY_PT, "B")
    for key, x, width in _columns():
        pdf.set_xy(x + 1.2, y)
        pdf.cell(width - 2.4, HEAD_H, pen.t(key), align="C" if key == "col_order" else "L")
    pdf.set_y(y + HEAD_H)


def _cells(pen: Pen, row: StopRow) -> dict[str, list[Piece]]:
    """Return each column's text pieces: (text, style, size, colour)."""
    household: list[Piece] = [
        (row.head_name, "B", BODY_PT, INK),
        (row.household_id, "", BODY_PT, GREY_TEXT),
    ]
    if row.flags:
        household.append((row.flags, "B", BODY_PT, INK))
    if row.note:
        household.append((f"{pen.t('register_note')}: {row.note}", "I", BODY_PT, INK))
    return {
        "col_order": [
            (
                str(row.order),
                "B",
                pen.fit(str(row.order), COLUMNS[0][1] - 2.6, 14, BODY_PT, "B"),
                INK,
            )
        ],
        "col_arrival": [(row.arrival, "B", 12, INK)],
        "col_household": household,
        "col_hamlet": [(row.hamlet, "", BODY_PT, INK)],
        "col_services": [(f"\u2022\t{s}", "", BODY_PT, INK) for s in row.services],
        "col_phone": [(row.phone, "", pen.fit(row.phone, COLUMNS[-1][1] - 2.6), INK)],
    }


def _outcome_line(pen: Pen, y: float) -> float:
    """Draw the four tick boxes and the notes line; return its height."""
    pdf = pen.pdf
    h = OUTCOME_H
    x = MARGIN + COLUMNS[0][1] + 1.5
    box = 4.6
    pen.font(BODY_PT)
    for key in ("outcome_done", "outcome_absent", "outcome_refused", "outcome_papers"):
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.35)
        pdf.rect(x, y + (h - box) / 2, box, box, style="D")
        x += box + 2.0
        label = pen.t(key)
        w = pen.width(label, "", BODY_PT) + 0.5
        pen.put(x, y, w, h, label)
        x += w + 3.5
    label = f"{pen.t('notes')}:"
    pen.font(BODY_PT, "B")
    w = pen.width(label, "B", BODY_PT) + 1
    pen.put(x, y, w, h, label)
    x += w + 1
    pdf.set_draw_color(*GREY_TEXT)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(0.5, 0.8)
    if PAGE_W - MARGIN - x > 10:
        pdf.line(x, y + h - 2.0, PAGE_W - MARGIN - 1.5, y + h - 2.0)
    pdf.set_dash_pattern()
    return h


def block_height(pen: Pen, row: StopRow) -> float:
    """Return the height of one stop in the table (its text, then the tick boxes)."""
    cells = _cells(pen, row)
    top = max(pen.pieces(x, 0, w, cells[key], draw=False) for key, x, w in _columns())
    return max(top, 8.0) + OUTCOME_H


def _draw_block(pen: Pen, row: StopRow, *, last: bool) -> None:
    """Draw one stop's block, on a new page (with the table head) when it does not fit.

    The ``last`` block keeps room for the way home under it.
    """
    pdf = pen.pdf
    columns = _columns()
    cells = _cells(pen, row)
    block_h = block_height(pen, row)
    top_h = block_h - OUTCOME_H
    if pdf.get_y() + block_h + (RETURN_H if last else 0.0) > BOTTOM:
        pdf.add_page()
        _table_head(pen)
    y = pdf.get_y()
    for key, x, w in columns:
        pen.pieces(x, y, w, cells[key], draw=True, align="C" if key == "col_order" else "L")
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.2)
    for _, x, _w in columns[1:]:
        pdf.line(x, y, x, y + top_h)
    _outcome_line(pen, y + top_h)
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


def _return_row(pen: Pen, sheet: Sheet) -> None:
    """Write the way home under the last stop (the last block kept room for it)."""
    pdf = pen.pdf
    y = pdf.get_y() + 1.5
    pen.font(BODY_PT, "B")
    pdf.set_xy(MARGIN + COLUMNS[0][1] + 1.2, y)
    pdf.cell(COLUMNS[1][1] - 1.2, 6, format_clock(sheet.route.end_s))
    pen.font(BODY_PT)
    pdf.cell(100, 6, pen.t("return_row"))


def draw_table(pen: Pen, sheet: Sheet) -> None:
    """Draw the table of ``sheet``'s stops from the current y, then the way home."""
    _table_head(pen)
    for k, row in enumerate(sheet.rows):
        _draw_block(pen, row, last=k == len(sheet.rows) - 1)
    _return_row(pen, sheet)
