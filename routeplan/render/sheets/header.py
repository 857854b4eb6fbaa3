"""What every page of a sheet repeats: the header on top and the page line at the foot.

The header names the volunteer, the day and date, the volunteer's phone, the mode,
the times (leave home, back home, travel, number of households) and the
coordinator; on continuation pages it says the sheet continues. The footer repeats
the volunteer, the day and the page number of the sheet.
"""

from __future__ import annotations

from ..._labels import LABELS
from ...timewindows import format_clock
from ..text import day_name, format_duration
from .layout import BODY_PT, CONTENT_W, GREY_TEXT, INK, LINE_MM, MARGIN, PAGE_H, PAGE_W
from .model import Sheet
from .pen import Pen

__all__ = ["draw_footer", "draw_header"]


def _title(pen: Pen, sheet: Sheet, when: str) -> float:
    """Write the volunteer's name (left, wrapping) and the day and date (right).

    Return the y below them.
    """
    pdf = pen.pdf
    y = MARGIN
    pen.font(16, "B")
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
    return max(pdf.get_y(), y + 8) + 0.5


def _about(pen: Pen, sheet: Sheet, page: int) -> str:
    """Return the line under the title: sheet, phone, mode, and "continued" after page 1."""
    route = sheet.route
    bits = [pen.t("sheet_title")]
    if sheet.volunteer_phone:
        bits.append(f"{pen.t('phone_short')} {sheet.volunteer_phone}")
    bits.append(pen.t(f"mode_{route.mode}") if f"mode_{route.mode}" in LABELS else route.mode)
    if page > 1:
        bits.append(pen.t("continued"))
    return " · ".join(bits)


def _times(pen: Pen, sheet: Sheet) -> str:
    """Return the line of times: leave home, back home, travel, number of households."""
    route = sheet.route
    times = [
        f"{pen.t('leave_home')} {format_clock(route.start_s)}",
        f"{pen.t('back_home')} {format_clock(route.end_s)}",
        f"{pen.t('travel')} {format_duration(route.travel_s, pen.language)}",
        pen.t("households_n").format(n=len(route.stops)),
    ]
    return " · ".join(times)


def draw_header(pen: Pen, sheet: Sheet, page: int, coordinator: str) -> str:
    """Draw the header of page ``page`` (from 1) of ``sheet``; return its footer text.

    Leaves the document's y below the header's rule.
    """
    pdf = pen.pdf
    when = f"{day_name(sheet.day, pen.language)} {sheet.date}".strip()
    y = _title(pen, sheet, when)
    pen.font(BODY_PT)
    pdf.set_xy(MARGIN, y)
    pdf.multi_cell(CONTENT_W, LINE_MM, _about(pen, sheet, page), new_x="LMARGIN", new_y="NEXT")
    pen.font(BODY_PT, "B")
    pdf.multi_cell(CONTENT_W, LINE_MM, _times(pen, sheet), new_x="LMARGIN", new_y="NEXT")
    if coordinator:
        pen.font(BODY_PT)
        pdf.multi_cell(
            CONTENT_W,
            LINE_MM,
            f"{pen.t('coordinator')}: {coordinator}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    y = pdf.get_y() + 1.0
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.5)
    pdf.line(MARGIN, y, PAGE_W - MARGIN, y)
    pdf.set_y(y + 2.0)
    return f"{sheet.volunteer_id} · {when} · {pen.t('page').format(n=page)}"


def draw_footer(pen: Pen, text: str) -> None:
    """Write the footer ``text`` at the bottom right of the page."""
    pen.font(BODY_PT, color=GREY_TEXT)
    pen.pdf.set_xy(MARGIN, PAGE_H - 10.0)
    pen.pdf.cell(CONTENT_W, 5, text, align="R")
