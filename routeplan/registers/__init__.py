"""Read and validate the registers: households, volunteers and service points.

Coordinators keep these lists in Excel or as CSV, typed in Vietnamese. The readers take
CSV (UTF-8 with or without BOM; a file saved as Windows-1258 / Latin-1, or garbled by a
wrong-encoding round trip, is read and the problem reported), XLSX, GeoJSON and
GeoPackage, accept Vietnamese column names (``ma_ho``, ``Họ tên``, ``Vĩ độ`` ...), and
return GeoDataFrames in EPSG:4326 as written in ``docs/ARCHITECTURE.md``.

Validation never stops at the first problem: every problem in a file is collected (with
its row in spreadsheet numbering, the header being row 1, its column and a fix) and one
:class:`~routeplan.errors.InputDataError` is raised. :func:`validate_files` returns the
problems of several files, with checks across them, without raising.

No household is ever dropped: a household without coordinates is placed at its village
(``location_quality == "village"``) or reported as an error.

Submodules
----------
:mod:`.tables`
    Files into text cells: :func:`read_cells` (the one table reader of routeplan:
    CSV/TSV/TXT/XLSX, decoding, delimiter), GeoJSON/GeoPackage, header matching.
:mod:`.columns`
    The column catalogue: canonical names and the spellings accepted.
:mod:`.values`
    Cells into values: numbers, ids, phones, yes/no flags, languages, windows, codes.
:mod:`.coordinates`
    Location checks: numbers, ranges, swaps, points far from the area.
:mod:`.households`, :mod:`.volunteers`, :mod:`.service_points`
    The three registers.
:mod:`.check`
    :func:`check_files` / :func:`validate_files`: several files and the checks across them.
"""

from __future__ import annotations

from ..timewindows import slug
from ._common import Bounds, PathLike
from .check import ValidationReport, check_files, validate_files
from .columns import HOUSEHOLD_COLUMNS, SERVICE_POINT_COLUMNS, VOLUNTEER_COLUMNS, Kind
from .coordinates import AREA_MARGIN_KM, KM_PER_DEG, OUTLIER_KM
from .households import read_households
from .service_points import read_service_points
from .tables import check_register_file, read_cells
from .volunteers import read_volunteers

__all__ = [
    "AREA_MARGIN_KM",
    "HOUSEHOLD_COLUMNS",
    "KM_PER_DEG",
    "OUTLIER_KM",
    "SERVICE_POINT_COLUMNS",
    "VOLUNTEER_COLUMNS",
    "Bounds",
    "Kind",
    "PathLike",
    "ValidationReport",
    "check_files",
    "check_register_file",
    "read_cells",
    "read_households",
    "read_service_points",
    "read_volunteers",
    "slug",
    "validate_files",
]
