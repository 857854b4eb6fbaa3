"""The page of a route sheet: A4 geometry, table columns, colours and the font.

Every size is in millimetres on an A4 portrait page, unless it says points.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BODY_PT",
    "BOTTOM",
    "COLUMNS",
    "CONTENT_W",
    "CREDIT_PT",
    "FONT",
    "GREY_TEXT",
    "HEAD_FILL",
    "INK",
    "LINE_MM",
    "MAP_H",
    "MARGIN",
    "MIN_MAP_H",
    "OUTCOME_H",
    "PAD",
    "PAGE_H",
    "PAGE_W",
    "RGB",
    "ROAD_MAJOR",
    "ROAD_MINOR",
    "ROUTE",
    "WHITE",
    "font_paths",
]

RGB = tuple[int, int, int]

# --- page geometry (millimetres, A4 portrait) ------------------------------------------

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 10.0
CONTENT_W = PAGE_W - 2 * MARGIN
BOTTOM = PAGE_H - 14.0  # below this: the footer
MAP_H = 108.0  # height of the map, or anything down to MIN_MAP_H to fit a round on one page
MIN_MAP_H = 45.0
OUTCOME_H = 8.0  # the line of tick boxes and notes under each stop
BODY_PT = 11.0
CREDIT_PT = 8.0  # the OpenStreetMap credit on the map: the only text under BODY_PT
LINE_MM = 5.2  # line height of 11 pt text
PAD = 1.2  # space between a table cell's border and its text
FONT = "DejaVu"

# table columns: (key, width in mm)
COLUMNS: tuple[tuple[str, float], ...] = (
    ("col_order", 9.0),
    ("col_arrival", 19.0),
    ("col_household", 49.0),
    ("col_hamlet", 23.0),
    ("col_services", 62.0),  # wide enough for most services on one line (fewer pages)
    ("col_phone", 28.0),  # a 10-digit number at 11 pt
)

# colours (RGB); chosen to stay distinct when printed in black and white
INK: RGB = (0, 0, 0)
WHITE: RGB = (255, 255, 255)
GREY_TEXT: RGB = (80, 80, 80)
ROAD_MAJOR: RGB = (130, 130, 130)
ROAD_MINOR: RGB = (165, 165, 165)
ROUTE: RGB = (0, 85, 200)
HEAD_FILL: RGB = (225, 225, 225)


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
        from ...errors import RouteplanError

        raise RouteplanError(
            "the DejaVu Sans fonts that matplotlib ships are missing "
            f"({', '.join(missing)}); reinstall matplotlib"
        )
    return paths
