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
week), from a checked :class:`~routeplan.render.bundle.PlanBundle`.

Submodules
----------
files
    :func:`write_sheets`: the week's PDF, cut into one file per volunteer.
model
    :class:`~.model.Sheet` and :class:`~.model.StopRow`, what a sheet shows, from the bundle.
writer
    :class:`~.writer.SheetWriter`, the fpdf2 document: pages, first-page layout, saving.
header
    The header and footer every page repeats.
sheet_map, roads, projection, marks, legend
    The map of a round: drawing it, the network's roads, lon/lat to the page, its
    symbols (house, arrows, scale bar, north arrow), and the legend under it.
table
    The table of stops, continued on further pages.
pen
    Setting text: fonts, measured widths, wrapped columns, labels.
layout
    Page geometry, table columns, colours, and :func:`font_paths`.
"""

from __future__ import annotations

from .files import write_sheets
from .layout import font_paths

__all__ = ["font_paths", "write_sheets"]
