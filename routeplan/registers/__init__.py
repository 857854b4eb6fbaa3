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
"""

from __future__ import annotations

import codecs
import csv
import difflib
import functools
import io
import logging
import math
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from .._geo import haversine_m
from ..config import Settings
from ..errors import InputDataError, Problem, Severity
from ..timewindows import Window, WindowSyntaxError, parse_windows, slug

__all__ = [
    "HOUSEHOLD_COLUMNS",
    "SERVICE_POINT_COLUMNS",
    "VOLUNTEER_COLUMNS",
    "Bounds",
    "ValidationReport",
    "check_files",
    "read_cells",
    "read_households",
    "read_service_points",
    "read_volunteers",
    "slug",
    "validate_files",
]

log = logging.getLogger(__name__)

Bounds = tuple[float, float, float, float]
"""``(min lon, min lat, max lon, max lat)`` of the area being planned."""

PathLike = str | os.PathLike[str]
Kind = Literal["households", "volunteers", "service_points"]

OUTLIER_KM = 30.0
"""Default distance from the median of a file's points beyond which a point is 'far'."""
AREA_MARGIN_KM = 2.0
"""Default tolerance around the ``area`` bounds."""
KM_PER_DEG = 111.32

# --- column names -----------------------------------------------------------------------
# canonical name -> accepted names, compared after folding (lower case, no diacritics,
# any run of other characters turned into "_": "Số điện thoại" -> "so_dien_thoai").

_ID = ("id", "ma")
_NAME = ("ho_ten", "ho_va_ten", "ten", "full_name")
_LAT = ("latitude", "lat", "vi_do", "y_lat")
_LON = ("longitude", "lon", "lng", "long", "kinh_do", "x_lon")
_COORDS = ("coordinates", "coords", "toa_do", "gps", "vi_tri", "location")
_PHONE = (
    "phone",
    "so_dien_thoai",
    "sdt",
    "dien_thoai",
    "dt",
    "so_dt",
    "phone_number",
    "mobile",
    "di_dong",
)
_AVAIL = (
    "availability",
    "windows",
    "time_windows",
    "thoi_gian",
    "khung_gio",
    "lich",
    "gio_ranh",
    "thoi_gian_ranh",
)

HOUSEHOLD_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "household_id": ("household_id", *_ID, "ma_ho", "ma_ho_gia_dinh", "ma_so_ho"),
    "head_name": ("head_name", "name", *_NAME, "chu_ho", "ten_chu_ho", "ho_ten_chu_ho"),
    "village": ("village", "hamlet", "thon", "xom", "ban", "thon_xom", "thon_ban", "lang"),
    "latitude": _LAT,
    "longitude": _LON,
    "coordinates": _COORDS,
    "phone": _PHONE,
    "services": ("services", "service", "dich_vu", "dich_vu_can_ho_tro", "thu_tuc", "nhu_cau"),
    "elderly": ("elderly", "nguoi_cao_tuoi", "cao_tuoi", "nct"),
    "disability": ("disability", "disabled", "khuyet_tat", "nguoi_khuyet_tat", "nkt"),
    "remote": ("remote", "vung_xa", "o_xa", "xa", "vung_sau_vung_xa", "vung_sau"),
    "language": ("language", "ngon_ngu", "tieng", "tieng_noi"),
    "availability": (*_AVAIL, "gio_co_nha", "thoi_gian_co_nha", "gio_hen"),
    "notes": ("notes", "note", "ghi_chu", "luu_y", "comments"),
}
"""Household register columns and the names accepted for each (folded)."""

VOLUNTEER_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "volunteer_id": ("volunteer_id", *_ID, "ma_tnv", "ma_tinh_nguyen_vien"),
    "name": ("name", *_NAME, "tinh_nguyen_vien", "tnv"),
    "phone": _PHONE,
    "latitude": _LAT,
    "longitude": _LON,
    "coordinates": _COORDS,
    "capacity": ("capacity", "so_ho", "so_ho_phu_trach", "suc_chua", "chi_tieu"),
    "availability": (*_AVAIL, "lich_ranh", "gio_di"),
    "mode": ("mode", "phuong_tien", "di_chuyen", "transport"),
    "skills": ("skills", "skill", "ky_nang"),
    "languages": ("languages", "language", "ngon_ngu", "tieng"),
}
"""Volunteer register columns and the names accepted for each (folded)."""

SERVICE_POINT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "point_id": ("point_id", *_ID, "ma_diem"),
    "name": ("name", "ten", "ten_diem", "ten_co_quan", "co_quan"),
    "latitude": _LAT,
    "longitude": _LON,
    "coordinates": _COORDS,
}
"""Service point register columns and the names accepted for each (folded)."""

_COLUMNS: Mapping[Kind, Mapping[str, tuple[str, ...]]] = {
    "households": HOUSEHOLD_COLUMNS,
    "volunteers": VOLUNTEER_COLUMNS,
    "service_points": SERVICE_POINT_COLUMNS,
}
_REQUIRED: Mapping[Kind, tuple[str, ...]] = {
    "households": ("household_id", "head_name", "village", "services"),
    "volunteers": ("volunteer_id", "name", "availability"),
    "service_points": ("point_id", "name"),
}
_IGNORED = frozenset({"stt", "tt", "so_thu_tu", "no", "fid", "ogc_fid", "index", "unnamed"})
_ID_COLUMN: Mapping[Kind, str] = {
    "households": "household_id",
    "volunteers": "volunteer_id",
    "service_points": "point_id",
}
_NOUN: Mapping[Kind, str] = {
    "households": "household",
    "volunteers": "volunteer",
    "service_points": "service point",
}

_TRUE = frozenset({"1", "1_0", "yes", "y", "true", "t", "x", "co", "c", "v", "ok"})
_FALSE = frozenset({"", "0", "0_0", "no", "n", "false", "f", "khong", "ko", "k"})
_TICKS = {"✓": "x", "✔": "x", "☑": "x", "✗": "0", "-": "0"}

_VIETNAMESE = frozenset(
    {
        "vi",
        "viet",
        "tieng_viet",
        "vietnamese",
        "kinh",
        "viet_nam",
        "tieng_kinh",
        "pho_thong",
        "tieng_pho_thong",
    }
)
_LANGUAGE_ALIASES = {"katu": "co_tu", "ka_tu": "co_tu", "cotu": "co_tu"}

_MODES = {
    "motorbike": "motorbike",
    "motorcycle": "motorbike",
    "moto": "motorbike",
    "motor": "motorbike",
    "xe_may": "motorbike",
    "xemay": "motorbike",
    "xe": "motorbike",
    "scooter": "motorbike",
    "walking": "walking",
    "walk": "walking",
    "foot": "walking",
    "on_foot": "walking",
    "di_bo": "walking",
    "dibo": "walking",
    "bo": "walking",
}

_VILLAGE_PREFIX = re.compile(r"^(?:thon|xom|ban|lang|khu|to|village|hamlet)_(?=.)")
_LIST_SPLIT = re.compile(r"[;,/+|\n]+")
_MOJIBAKE = re.compile("á»|áº|Ã[\u0080-\u00bf]|Æ°|Æ¡|Ä‘|Ä\u0090|Ä\u0083|Ã¡|Ã©")


def _village_key(name: str) -> str:
    return _VILLAGE_PREFIX.sub("", slug(name))


def _closest(word: str, options: Iterable[str], cutoff: float = 0.6) -> str | None:
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=cutoff)
    return match[0] if match else None


def _rows_text(rows: Sequence[str], limit: int = 12) -> str:
    nums = [r.split(" ", 1)[-1] for r in rows]
    kind = (rows[0].split(" ", 1)[0] if rows else "row") + ("s" if len(rows) != 1 else "")
    shown = ", ".join(nums[:limit]) + (
        f" and {len(nums) - limit} more" if len(nums) > limit else ""
    )
    return f"{kind} {shown}"


def _n(items: Sized, one: str, many: str) -> str:
    return f"{len(items):,} {one if len(items) == 1 else many}"


def _where(mask: Any) -> list[int]:
    """Positions where ``mask`` is true, as Python ints."""
    return [int(i) for i in np.flatnonzero(np.asarray(mask))]


class _Problems:
    """Collects the problems of one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []

    def add(
        self,
        message: str,
        fix: str = "",
        *,
        row: str | None = None,
        column: str | None = None,
        severity: Severity = "error",
    ) -> None:
        self.items.append(
            Problem(message, fix, file=self.file, row=row, column=column, severity=severity)
        )

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.items)


# --- reading files into a table of text ---------------------------------------------------


@dataclass
class _Table:
    """A register as text cells under canonical column names, one row per input row."""

    frame: pd.DataFrame
    rows: list[str]
    lon: np.ndarray[Any, np.dtype[np.float64]] | None = None  # from a geometry column
    lat: np.ndarray[Any, np.dtype[np.float64]] | None = None
    columns: dict[str, str] = field(default_factory=dict)  # canonical -> as typed
    missing: set[str] = field(default_factory=set)  # required columns that are absent

    def has(self, column: str) -> bool:
        """Whether ``column`` can be checked row by row (present, or not required)."""
        return column not in self.missing


@functools.lru_cache(maxsize=1024)
def _header_key(name: str) -> tuple[str, ...]:
    """Candidate folded keys of a header cell: as typed, without and inside brackets."""
    text = str(name)
    keys = [slug(text), slug(re.sub(r"\(.*?\)|\[.*?\]", " ", text))]
    keys += [slug(inner) for inner in re.findall(r"[(\[](.*?)[)\]]", text)]
    return tuple(k for k in dict.fromkeys(keys) if k)


@functools.lru_cache(maxsize=8)
def _alias_index(kind: Kind) -> Mapping[str, str]:
    return {slug(a): canon for canon, aliases in _COLUMNS[kind].items() for a in aliases}


def _match_header(name: str, index: Mapping[str, str]) -> str | None:
    for key in _header_key(name):
        if key in index:
            return index[key]
    return None


def _undo_mojibake(text: str) -> str | None:
    """Undo UTF-8 bytes read as Windows-1252/Latin-1; ``None`` if the text is not that."""
    raw = bytearray()
    for ch in text:
        code = ord(ch)
        if code < 128:
            raw.append(code)
            continue
        try:
            raw += ch.encode("cp1252")
        except UnicodeEncodeError:
            if code >= 256:
                return None
            raw.append(code)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decode(data: bytes, out: _Problems) -> str:
    fix = (
        "in Excel use File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'; in "
        "LibreOffice tick 'Edit filter settings' and choose 'Unicode (UTF-8)'"
    )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return unicodedata.normalize("NFC", data.decode("utf-16"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text, enc = data.decode("cp1258"), "Windows-1258 (Vietnamese)"
        except UnicodeDecodeError:
            text, enc = data.decode("latin-1"), "Latin-1"
        out.add(
            f"the file is not saved as UTF-8; it was read as {enc}: check that the "
            "Vietnamese letters came out right",
            fix,
            severity="warning",
        )
    text = unicodedata.normalize("NFC", text)
    bad = _MOJIBAKE.search(text)
    if bad:
        sample = text[max(0, bad.start() - 6) : bad.end() + 6].strip()
        repaired = _undo_mojibake(text)
        if repaired is not None:
            text = unicodedata.normalize("NFC", repaired)
            out.add(
                f"the text was garbled (e.g. {sample!r}): the file was opened with the "
                "wrong encoding and saved again; it was repaired, check the names",
                fix,
                severity="warning",
            )
        else:
            out.add(
                f"the text looks garbled (e.g. {sample!r}): the file was opened with the "
                "wrong encoding and saved again",
                "retype the garbled names, then " + fix,
                severity="warning",
            )
    lost = re.search(r"\w\?\w", text)
    if lost:
        sample = text[max(0, lost.start() - 6) : lost.end() + 6].strip()
        out.add(
            f"some letters were replaced by '?' (e.g. {sample!r}): the file was saved in "
            "an encoding without Vietnamese letters",
            "save it again from the original, " + fix,
            severity="warning",
        )
    return text


def _pick_grid(text: str, index: Mapping[str, str]) -> list[list[str]]:
    """Parse CSV text with the delimiter that yields the most known column names."""
    head = "\n".join(text.splitlines()[:12])
    best: tuple[int, int, str] = (-1, -1, ",")
    for delim in (",", ";", "\t", "|"):
        rows = list(csv.reader(io.StringIO(head), delimiter=delim))
        score = max(
            (sum(_match_header(c, index) is not None for c in r) for r in rows[:10]), default=0
        )
        width = max((len(r) for r in rows), default=0)
        best = max(best, (score, width, delim))
    return list(csv.reader(io.StringIO(text), delimiter=best[2]))


def _grid_to_table(
    grid: list[list[str]], kind: Kind, out: _Problems, *, coords_required: bool = True
) -> _Table | None:
    """Find the header row of a grid of cells and turn the rows below into a table."""
    index = _alias_index(kind)
    if not any(any(c.strip() for c in r) for r in grid):
        out.add(
            "the file is empty",
            f"fill in the {kind.replace('_', ' ')} register; start "
            "from the template in data/templates",
        )
        return None
    header_at = 0
    scores = [sum(_match_header(c, index) is not None for c in r) for r in grid[:10]]
    if scores and max(scores) >= 2:
        header_at = scores.index(max(scores))
    else:
        header_at = next(i for i, r in enumerate(grid) if any(c.strip() for c in r))
    header = [str(c).strip() for c in grid[header_at]]
    body = grid[header_at + 1 :]
    width = len(header)
    rows: list[str] = []
    cells: list[list[str]] = []
    for k, r in enumerate(body):
        label = f"row {header_at + k + 2}"
        r = [str(c) for c in r]
        if not any(c.strip() for c in r):
            continue
        if len(r) > width:
            out.add(
                f"this row has {len(r)} cells but the header has {width} columns",
                'put values that contain commas in double quotes ("vneid, sim"), or '
                "separate services with ';'",
                row=label,
                severity="error" if any(c.strip() for c in r[width:]) else "warning",
            )
        r = (r + [""] * width)[:width]
        rows.append(label)
        cells.append(r)
    frame = pd.DataFrame(cells, columns=list(range(width)), dtype=str)
    return _name_columns(frame, header, rows, kind, out, coords_required=coords_required)


def _name_columns(
    frame: pd.DataFrame,
    header: Sequence[str],
    rows: list[str],
    kind: Kind,
    out: _Problems,
    *,
    has_geometry: bool = False,
    coords_required: bool = True,
) -> _Table | None:
    """Rename recognised columns to their canonical names; report the others."""
    index = _alias_index(kind)
    spec = _COLUMNS[kind]
    columns: dict[str, str] = {}
    keep: dict[Any, str] = {}
    unknown: list[str] = []
    for pos, name in zip(frame.columns, header, strict=True):
        if not name:
            continue
        canon = _match_header(name, index)
        if canon is None:
            if not any(k in _IGNORED or k.startswith("unnamed") for k in _header_key(name)):
                unknown.append(name)
        elif canon in columns:
            out.add(
                f"columns {columns[canon]!r} and {name!r} both give {canon!r}",
                "delete or rename one of them",
                column=canon,
            )
        else:
            columns[canon] = name
            keep[pos] = canon
    table = frame[list(keep)].rename(columns=keep) if keep else frame.iloc[:, :0]
    for canon in spec:
        if canon not in table.columns:
            table[canon] = pd.Series([""] * len(table), index=table.index, dtype=str)
        else:
            table[canon] = table[canon].fillna("").astype(str).str.strip()
    required = list(_REQUIRED[kind])
    if coords_required and not has_geometry and "coordinates" not in columns:
        required += ["latitude", "longitude"]
    missing = [c for c in required if c not in columns]
    used: set[str] = set()
    for canon in missing:
        near = _closest_header(unknown, spec[canon], used)
        accepted = ", ".join(spec[canon][:6])
        if near:
            used.add(near)
            fix = f"rename column {near!r} to {canon!r}"
        else:
            fix = f"add a column {canon!r} (accepted names: {accepted})"
        out.add(f"column {canon!r} is missing", fix, column=canon)
    optional = [c for c in spec if c not in columns and c not in missing and c != "coordinates"]
    for name in unknown:
        if name in used:
            continue
        near_canon = next((c for c in optional if _closest_header([name], spec[c], used)), None)
        if near_canon:
            used.add(name)
            out.add(
                f"unknown column {name!r}", f"did you mean {near_canon!r}? rename it", column=name
            )
    ignored = [n for n in unknown if n not in used]
    if ignored:
        out.add(
            "ignored columns: " + ", ".join(repr(n) for n in ignored),
            "rename a column if it should be read (known columns: " + ", ".join(spec) + ")",
            severity="warning",
        )
    if not rows:
        out.add(
            "there are no rows below the header", f"add the {kind.replace('_', ' ')}, one per row"
        )
    return _Table(table.reset_index(drop=True), rows, columns=columns, missing=set(missing))


def _closest_header(names: Sequence[str], aliases: Sequence[str], used: set[str]) -> str | None:
    for name in names:
        if name in used:
            continue
        for key in _header_key(name):
            if _closest(key, aliases, cutoff=0.75):
                return name
    return None


def _xlsx_grid(path: Path, out: _Problems) -> list[list[str]] | None:
    try:
        raw = pd.read_excel(
            path, sheet_name=0, header=None, dtype=str, keep_default_na=False, engine="openpyxl"
        )
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        out.add(
            f"cannot read this Excel file ({exc})",
            "open it in Excel and save it again as .xlsx, or save it as CSV UTF-8",
        )
        return None
    return [[_excel_text(v) for v in r] for r in raw.itertuples(index=False)]


def _excel_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text


def _read_geo(path: Path, kind: Kind, out: _Problems) -> _Table | None:
    import pyogrio

    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises its own DataSourceError family
        out.add(
            f"cannot read this file ({exc})", "check that it is a valid GeoJSON or GeoPackage file"
        )
        return None
    if not layers:
        out.add("the file has no layers", "export the points again")
        return None
    layer = next((n for n in layers if slug(n).startswith(kind.rstrip("s"))), layers[0])
    if len(layers) > 1:
        out.add(
            f"the file has {len(layers)} layers; reading {layer!r}",
            f"keep only the {kind.replace('_', ' ')} in the file",
            severity="warning",
        )
    try:
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:
        out.add(f"cannot read layer {layer!r} ({exc})", "export the points again")
        return None
    if gdf.crs is None:
        out.add(
            "the file says nothing about its coordinate system; assuming longitude/"
            "latitude (EPSG:4326)",
            "export it with a CRS",
            severity="warning",
        )
    elif gdf.crs.to_epsg() != 4326:
        log.info("%s: reprojecting from %s to EPSG:4326", out.file, gdf.crs.to_string())
        gdf = gdf.to_crs(4326)
    n = len(gdf)
    rows = [f"feature {i + 1}" for i in range(n)]
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    geom = gdf.geometry
    present = ~(geom.isna() | geom.is_empty).to_numpy()
    if present.any():
        kinds = geom[present].geom_type.to_numpy()
        pts = geom[present]
        not_point = kinds != "Point"
        if not_point.any():
            pts = pts.where(~not_point, pts.representative_point())
            shown = [rows[int(i)] for i in np.flatnonzero(present)[not_point]]
            out.add(
                f"{_rows_text(shown)} are not points; a point inside each shape is used",
                "store one point per row",
                severity="warning",
            )
        lon[present] = pts.x.to_numpy()
        lat[present] = pts.y.to_numpy()
    props = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    frame = pd.DataFrame(
        {c: [_excel_text(v) for v in props[c].tolist()] for c in props.columns},
        index=range(n),
        dtype=str,
    )
    header = [str(c) for c in props.columns]
    frame.columns = pd.Index(range(len(header)))
    table = _name_columns(frame, header, rows, kind, out, has_geometry=True)
    if table is not None:
        table.lon, table.lat = lon, lat
    return table


def _cells(path: Path, index: Mapping[str, str], out: _Problems) -> list[list[str]] | None:
    """Read a CSV/TSV/TXT or XLSX file into rows of text cells; ``None`` if it cannot be."""
    if not path.exists():
        out.add("file not found", "check the path and the file name")
        return None
    if path.is_dir():
        out.add("this is a folder, not a file", "give the path of the register file")
        return None
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_grid(path, out)
    if suffix in (".xls", ".ods", ".numbers"):
        out.add(
            f"{suffix} files cannot be read", "save it as .xlsx (Excel Workbook) or as CSV UTF-8"
        )
        return None
    if suffix not in (".csv", ".txt", ".tsv", ""):
        out.add(f"unknown file type {suffix!r}", "give a .csv, .xlsx, .geojson or .gpkg file")
        return None
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        out.add("this is not a text (CSV) file", "give a .csv, .xlsx, .geojson or .gpkg file")
        return None
    return _pick_grid(_decode(data, out), index)


def read_cells(
    path: PathLike, columns: Mapping[str, Iterable[str]]
) -> tuple[list[list[str]] | None, list[Problem]]:
    """Read a table file (CSV, TSV, TXT or XLSX) into rows of text cells.

    The one table reader of routeplan: the registers and the visit outcomes
    (:func:`routeplan.campaign.record_outcomes`) both go through it, so a file typed
    in Excel, saved with ``;`` or tabs, in UTF-8, UTF-16 or a legacy encoding, reads
    the same everywhere.

    Parameters
    ----------
    path
        The file.
    columns
        The columns the file may have: canonical name -> the header spellings
        accepted. The delimiter is the one whose first rows name most of them.

    Returns
    -------
    cells, problems
        The rows of text cells (the header row included, as typed), or ``None`` when
        the file cannot be read; and every problem found (file-level errors, and
        warnings such as a legacy encoding), each naming the file.

    """
    path = Path(path)
    out = _Problems(path.name)
    index = {slug(a): canon for canon, aliases in columns.items() for a in (canon, *aliases)}
    return _cells(path, index, out), out.items


def _read_table(
    path: PathLike, kind: Kind, out: _Problems, *, coords_required: bool = True
) -> _Table | None:
    path = Path(path)
    if path.suffix.lower() in (".geojson", ".json", ".gpkg") and path.is_file():
        return _read_geo(path, kind, out)
    grid = _cells(path, _alias_index(kind), out)
    if grid is None:
        return None
    return _grid_to_table(grid, kind, out, coords_required=coords_required)


# --- values -------------------------------------------------------------------------------


def _unique_map(series: pd.Series[str], parse: Callable[[str], Any]) -> list[Any]:
    """Apply ``parse`` once per distinct value (registers repeat values a lot)."""
    cache = {v: parse(v) for v in pd.unique(series)}
    return [cache[v] for v in series.tolist()]


def _numbers(
    series: pd.Series[str],
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], np.ndarray[Any, np.dtype[np.bool_]]]:
    """Parse decimal numbers (a decimal comma is accepted); return values and a bad mask."""
    s = series.str.strip().str.replace(r"^([+-]?\d+),(\d+)$", r"\1.\2", regex=True)
    s = s.str.replace(r"\s*°\s*$", "", regex=True)
    values = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
    bad = (s != "").to_numpy() & ~np.isfinite(values)
    return values, bad


def _split_coordinates(table: _Table) -> None:
    """Fill latitude/longitude from a single ``"lat, lon"`` column where they are empty."""
    coords = table.frame["coordinates"]
    parts = coords.str.extract(r"^\s*([+-]?\d+(?:\.\d+)?)\s*[,; ]\s*([+-]?\d+(?:\.\d+)?)\s*$")
    for canon, k in (("latitude", 0), ("longitude", 1)):
        empty = table.frame[canon] == ""
        table.frame.loc[empty, canon] = parts[k][empty].fillna(coords[empty])


def _km_outside(
    lon: np.ndarray[Any, np.dtype[np.float64]],
    lat: np.ndarray[Any, np.dtype[np.float64]],
    area: Bounds,
) -> np.ndarray[Any, np.dtype[np.float64]]:
    minx, miny, maxx, maxy = area
    dx = np.maximum.reduce([minx - lon, np.zeros_like(lon), lon - maxx])
    dy = np.maximum.reduce([miny - lat, np.zeros_like(lat), lat - maxy])
    coslat = np.cos(np.radians(np.clip(lat, -89.9, 89.9)))
    return np.asarray(np.hypot(dx * KM_PER_DEG * coslat, dy * KM_PER_DEG), dtype=float)


def _check_area(area: Bounds | None) -> Bounds | None:
    if area is None:
        return None
    minx, miny, maxx, maxy = (float(v) for v in area)
    if not (
        minx < maxx and miny < maxy and minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90
    ):
        raise ValueError(f"area must be (min lon, min lat, max lon, max lat), got {area!r}")
    return (minx, miny, maxx, maxy)


def _coordinates(
    table: _Table,
    out: _Problems,
    *,
    noun: str,
    area: Bounds | None,
    outlier_km: float,
    area_margin_km: float,
    far: Severity,
) -> tuple[
    np.ndarray[Any, np.dtype[np.float64]],
    np.ndarray[Any, np.dtype[np.float64]],
    np.ndarray[Any, np.dtype[np.bool_]],
]:
    """Validate the locations; return lon, lat (NaN where unusable) and a 'missing' mask."""
    rows = table.rows
    if not (table.has("latitude") and table.has("longitude")):
        nan = np.full(len(rows), np.nan)
        return nan, nan.copy(), np.zeros(len(rows), dtype=bool)
    _split_coordinates(table)
    lat, bad_lat = _numbers(table.frame["latitude"])
    lon, bad_lon = _numbers(table.frame["longitude"])
    if table.lon is not None and table.lat is not None:
        has_geom = np.isfinite(table.lon)
        lon = np.where(has_geom, table.lon, lon)
        lat = np.where(has_geom, table.lat, lat)
        bad_lat &= ~has_geom
        bad_lon &= ~has_geom
    fix_num = "write decimal degrees with a dot, e.g. 16.1234 (latitude), 108.0123 (longitude)"
    for mask, col, values in (
        (bad_lat, "latitude", table.frame["latitude"]),
        (bad_lon, "longitude", table.frame["longitude"]),
    ):
        for i in _where(mask):
            out.add(f"{col} {values.iat[i]!r} is not a number", fix_num, row=rows[i], column=col)
    usable = np.isfinite(lat) & np.isfinite(lon)
    missing = ~np.isfinite(lat) & ~np.isfinite(lon) & ~bad_lat & ~bad_lon
    half = np.isfinite(lat) ^ np.isfinite(lon)
    for i in _where(half & ~bad_lat & ~bad_lon):
        empty = "longitude" if np.isfinite(lat[i]) else "latitude"
        out.add(
            f"{empty} is empty but the other coordinate is given",
            "give both latitude and longitude, or neither",
            row=rows[i],
            column=empty,
        )
    with np.errstate(invalid="ignore"):
        alat, alon = np.abs(lat), np.abs(lon)
        projected = usable & ((alat > 180) | (alon > 360))
        swapped = usable & ~projected & (alat > 90) & (alon <= 90)
        out_range = usable & ~projected & ~swapped & ((alat > 90) | (alon > 180))
        zero = usable & (lat == 0) & (lon == 0)
    for i in _where(projected):
        out.add(
            f"location {lat[i]:g}, {lon[i]:g} is not in degrees (projected metres?)",
            "export the coordinates as WGS 84 latitude/longitude (EPSG:4326) in decimal degrees",
            row=rows[i],
            column="latitude",
        )
    for i in _where(swapped):
        out.add(
            f"latitude {lat[i]:g} is outside -90..90 (are latitude and longitude swapped?)",
            f"swap the two values: latitude {lon[i]:g}, longitude {lat[i]:g}",
            row=rows[i],
            column="latitude",
        )
    for i in _where(out_range):
        col = "latitude" if alat[i] > 90 else "longitude"
        rng = "-90..90" if col == "latitude" else "-180..180"
        out.add(
            f"{col} {lat[i] if col == 'latitude' else lon[i]:g} is outside {rng}",
            "check the coordinates; write decimal degrees, e.g. 16.1234",
            row=rows[i],
            column=col,
        )
    for i in _where(zero):
        out.add(
            "location is 0, 0 (an empty cell turned into 0?)",
            "fill in the real latitude and longitude, or leave both cells empty",
            row=rows[i],
            column="latitude",
        )
    usable &= ~(projected | swapped | out_range | zero)
    lon = np.where(usable, lon, np.nan)
    lat = np.where(usable, lat, np.nan)
    # points far from the area being planned (or from the file's own points)
    idx = np.flatnonzero(usable)
    if area is not None:
        dist = _km_outside(lon[idx], lat[idx], area)
        dist_sw = _km_outside(lat[idx], lon[idx], area)
        limit = area_margin_km
        where = (
            "outside the area being planned (longitude {0:.4f}..{2:.4f}, latitude "
            "{1:.4f}..{3:.4f})".format(*area)
        )
    elif len(idx) >= 3:
        mlon, mlat = float(np.median(lon[idx])), float(np.median(lat[idx]))
        dist = haversine_m(lon[idx], lat[idx], mlon, mlat) / 1000.0
        dist_sw = haversine_m(lat[idx], lon[idx], mlon, mlat) / 1000.0
        limit = outlier_km
        where = f"from the middle of the other {noun}s ({mlat:.4f}, {mlon:.4f})"
    else:
        dist = dist_sw = np.zeros(0)
        limit, where = 0.0, ""
    for k in _where(dist > limit):
        i = int(idx[k])
        if dist_sw[k] <= limit:
            out.add(
                f"location {lat[i]:.6g}, {lon[i]:.6g} is {dist[k]:,.0f} km {where} "
                "(are latitude and longitude swapped?)",
                f"swap the two values: latitude {lon[i]:.6g}, longitude {lat[i]:.6g}",
                row=rows[i],
                column="latitude",
            )
        else:
            out.add(
                f"location {lat[i]:.6g}, {lon[i]:.6g} is {dist[k]:,.0f} km {where}",
                "check the latitude and longitude (a mistyped digit?); if the place is "
                f"right, this {noun} is outside the area being planned",
                row=rows[i],
                column="latitude",
                severity=far,
            )
        if far == "error" or dist_sw[k] <= limit:
            lon[i] = lat[i] = np.nan
    return lon, lat, missing


def _check_ids(table: _Table, column: str, out: _Problems, noun: str) -> pd.Series[str]:
    ids = table.frame[column]
    if not table.has(column):
        return ids
    for i in _where((ids == "").to_numpy()):
        out.add(
            f"{column} is empty",
            f"give every {noun} a unique id, e.g. HB-0001",
            row=table.rows[i],
            column=column,
        )
    dup = (ids.duplicated(keep="first") & (ids != "")).to_numpy()
    if dup.any():
        first = {v: i for i, v in reversed(list(enumerate(ids.tolist())))}
        for i in _where(dup):
            out.add(
                f"duplicate {column} {ids.iat[i]!r} (also {table.rows[first[ids.iat[i]]]})",
                f"give each {noun} its own id; if it is the same {noun} twice, delete one row",
                row=table.rows[i],
                column=column,
            )
    return ids


def _warn_empty(table: _Table, column: str, out: _Problems, fix: str) -> None:
    if not table.has(column):
        return
    for i in _where((table.frame[column] == "").to_numpy()):
        out.add(f"{column} is empty", fix, row=table.rows[i], column=column, severity="warning")


def _phones(series: pd.Series[str], rows: Sequence[str], out: _Problems) -> list[str]:
    """Phone numbers as text, undoing what spreadsheets do to them when clearly that."""
    s = series.str.strip().str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    sci = s.str.fullmatch(r"\d(?:[.,]\d+)?[eE]\+?\d+").to_numpy()
    values = s.tolist()
    for i in _where(sci):
        mant = values[i].lower().split("e")[0].replace(",", ".")
        digits = len(mant.replace(".", ""))
        try:
            number = Decimal(values[i].replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            continue
        if digits >= len(str(int(number))) - 1 and number == number.to_integral_value():
            values[i] = str(int(number))
        else:
            out.add(
                f"phone {values[i]!r} lost its last digits when the spreadsheet was saved",
                "format the phone column as Text in Excel and type the number again",
                row=rows[i],
                column="phone",
                severity="warning",
            )
    fixed = pd.Series(values, dtype=str)
    nine = fixed.str.fullmatch(r"[35789]\d{8}").to_numpy()
    if nine.any():
        log.info("restored the leading 0 of %d phone numbers", int(nine.sum()))
        fixed[nine] = "0" + fixed[nine]
    return [str(v) for v in fixed.tolist()]


def _flags(table: _Table, column: str, out: _Problems) -> np.ndarray[Any, np.dtype[np.bool_]]:
    def parse(text: str) -> bool | None:
        key = slug(_TICKS.get(text.strip(), text))
        return True if key in _TRUE else False if key in _FALSE else None

    parsed = _unique_map(table.frame[column], parse)
    for i, v in enumerate(parsed):
        if v is None:
            out.add(
                f"{column} {table.frame[column].iat[i]!r} is not yes or no",
                "write 1 or 0 (also accepted: yes/no, true/false, x, có/không)",
                row=table.rows[i],
                column=column,
            )
    return np.array([bool(v) for v in parsed], dtype=bool)


def _language(text: str) -> tuple[str, ...]:
    out = []
    for part in _LIST_SPLIT.split(text):
        key = slug(part)
        key = re.sub(r"^(?:tieng|dan_toc|language)_(?=.)", "", key)
        key = _LANGUAGE_ALIASES.get(key, key)
        if key and key not in _VIETNAMESE and key not in out:
            out.append(key)
    return tuple(out)


def _windows(table: _Table, out: _Problems) -> list[tuple[Window, ...]]:
    def parse(text: str) -> tuple[Window, ...] | WindowSyntaxError:
        try:
            return parse_windows(text)
        except WindowSyntaxError as exc:
            return exc

    parsed = _unique_map(table.frame["availability"], parse)
    result: list[tuple[Window, ...]] = []
    for i, v in enumerate(parsed):
        if isinstance(v, WindowSyntaxError):
            out.add(
                f"availability {v.text!r}: {v.message}",
                v.fix,
                row=table.rows[i],
                column="availability",
            )
            result.append(())
        else:
            result.append(v)
    return result


def _service_lookup(settings: Settings) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, st in settings.services.items():
        for name in (code, st.label_vi, st.label_en):
            if slug(name):
                lookup.setdefault(slug(name), code)
    return lookup


def _codes(
    table: _Table,
    column: str,
    lookup: Mapping[str, str],
    known: Sequence[str],
    out: _Problems,
    what: str,
) -> list[tuple[str, ...]]:
    """Split lists like ``vneid; sim`` and map each item through ``lookup``."""

    def parse(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        good: list[str] = []
        bad: list[str] = []
        for part in _LIST_SPLIT.split(text):
            if not part.strip():
                continue
            code = lookup.get(slug(part))
            if code is None:
                bad.append(part.strip())
            elif code not in good:
                good.append(code)
        return tuple(good), tuple(bad)

    parsed = _unique_map(table.frame[column], parse)
    for i, (_, bad) in enumerate(parsed):
        for item in bad:
            near = _closest(slug(item), list(lookup))
            hint = f"did you mean {lookup[near]!r}? " if near else ""
            out.add(
                f"unknown {what} {item!r}",
                f"{hint}known {what}s: {', '.join(known) or '(none)'}",
                row=table.rows[i],
                column=column,
            )
    return [good for good, _ in parsed]


def _frame_to_gdf(
    data: dict[str, Any],
    lon: np.ndarray[Any, np.dtype[np.float64]],
    lat: np.ndarray[Any, np.dtype[np.float64]],
) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(data)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def _objects(values: Sequence[Any]) -> np.ndarray[Any, np.dtype[np.object_]]:
    """Return an object array holding each value (a tuple, a frozenset) as one cell."""
    arr = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        arr[i] = v
    return arr


# --- the three registers --------------------------------------------------------------------


@dataclass
class _Parsed:
    """What a register check found: the rows as far as they could be read, and problems."""

    kind: Kind
    file: str
    problems: list[Problem]
    frame: gpd.GeoDataFrame | None = None  # all rows (geometry may be empty) or None

    @property
    def rows(self) -> int | None:
        return None if self.frame is None else len(self.frame)

    def result(self) -> gpd.GeoDataFrame:
        errors = [p for p in self.problems if p.severity == "error"]
        for p in self.problems:
            if p.severity == "warning":
                log.warning("%s", p)
        if errors or self.frame is None:
            raise InputDataError(self.problems, subject=self.file)
        gdf = self.frame
        gdf.attrs["problems"] = tuple(self.problems)
        return gdf


def _parse_households(
    path: PathLike,
    settings: Settings,
    places: Mapping[str, tuple[float, float]] | None,
    area: Bounds | None,
    outlier_km: float,
    area_margin_km: float,
) -> _Parsed:
    out = _Problems(Path(path).name)
    table = _read_table(path, "households", out, coords_required=not places)
    if table is None or not table.rows:
        return _Parsed("households", out.file, out.items)
    f = table.frame
    rows = table.rows
    ids = _check_ids(table, "household_id", out, "household")
    _warn_empty(
        table,
        "head_name",
        out,
        "write the name of the head of household (it is printed on the route sheet)",
    )
    lookup = _service_lookup(settings)
    services = _codes(table, "services", lookup, list(settings.services), out, "service")
    for i in _where((f["services"] == "").to_numpy() & table.has("services")):
        out.add(
            "no services listed",
            "list the services the household needs, e.g. vneid;health_insurance",
            row=rows[i],
            column="services",
            severity="warning",
        )
    flags = {c: _flags(table, c, out) for c in ("elderly", "disability", "remote")}
    langs = _unique_map(f["language"], _language)
    for i, v in enumerate(langs):
        if len(v) > 1:
            out.add(
                f"several languages {f['language'].iat[i]!r}; using {v[0]!r}",
                "write the one language the household needs help in",
                row=rows[i],
                column="language",
                severity="warning",
            )
    language = [v[0] if v else "" for v in langs]
    windows = _windows(table, out)
    lon, lat, missing = _coordinates(
        table,
        out,
        noun="household",
        area=_check_area(area),
        outlier_km=outlier_km,
        area_margin_km=area_margin_km,
        far="error",
    )
    quality = np.where(np.isfinite(lon), "gps", "").astype(object)
    # households without coordinates: place them at their village
    if missing.any():
        villages = np.array(_unique_map(f["village"], _village_key), dtype=object)
        known: dict[str, tuple[float, float]] = {}
        gps = np.isfinite(lon)
        if gps.any():
            centres = pd.DataFrame({"v": villages[gps], "lon": lon[gps], "lat": lat[gps]})
            for v, g in centres.groupby("v"):
                if v:
                    known[str(v)] = (float(g["lon"].mean()), float(g["lat"].mean()))
        for name, (plon, plat) in (places or {}).items():
            known[_village_key(name)] = (float(plon), float(plat))
        placed = []
        for i in _where(missing):
            v = villages[i]
            if v in known:
                lon[i], lat[i] = known[v]
                quality[i] = "village"
                placed.append(rows[i])
                continue
            typed = f["village"].iat[i]
            if not typed:
                out.add(
                    "no location: latitude, longitude and village are empty",
                    "add the latitude and longitude (e.g. from a phone's map app), or at "
                    "least the village",
                    row=rows[i],
                    column="latitude",
                )
            else:
                names = sorted(
                    {str(n) for n in (places or {})}
                    | set(f["village"][np.isfinite(lon) & (quality == "gps")].unique())
                )
                near = _closest(v, {_village_key(n): n for n in names})
                near_name = next((n for n in names if _village_key(n) == near), None)
                hint = f"did you mean {near_name!r}? " if near_name else ""
                out.add(
                    f"no coordinates, and village {typed!r} is not on the map and has no "
                    "other household with coordinates",
                    f"add the latitude and longitude, or correct the village name "
                    f"({hint}known villages: {', '.join(names[:15]) or 'none'})",
                    row=rows[i],
                    column="village",
                )
        if placed:
            n = len(placed)
            out.add(
                f"{n} household{'s have' if n > 1 else ' has'} no coordinates and "
                f"{'are' if n > 1 else 'is'} placed at the centre of the village "
                f"({_rows_text(placed)})",
                "add their latitude and longitude for accurate routes",
                column="latitude",
                severity="warning",
            )
    data = {
        "household_id": ids.tolist(),
        "head_name": f["head_name"].tolist(),
        "village": f["village"].tolist(),
        "phone": _phones(f["phone"], rows, out),
        "services": _objects(services),
        "elderly": flags["elderly"],
        "disability": flags["disability"],
        "remote": flags["remote"],
        "language": language,
        "priority": (
            flags["elderly"]
            | flags["disability"]
            | flags["remote"]
            | np.array([bool(x) for x in language], dtype=bool)
        ),
        "windows": _objects(windows),
        "availability": f["availability"].tolist(),
        "notes": f["notes"].tolist(),
        "location_quality": quality.tolist(),
        "source_row": rows,
    }
    return _Parsed("households", out.file, out.items, _frame_to_gdf(data, lon, lat))


def _parse_volunteers(
    path: PathLike,
    settings: Settings,
    area: Bounds | None,
    outlier_km: float,
    area_margin_km: float,
) -> _Parsed:
    out = _Problems(Path(path).name)
    table = _read_table(path, "volunteers", out)
    if table is None or not table.rows:
        return _Parsed("volunteers", out.file, out.items)
    f = table.frame
    rows = table.rows
    ids = _check_ids(table, "volunteer_id", out, "volunteer")
    _warn_empty(table, "name", out, "write the volunteer's name (it is printed on the route sheet)")
    # capacity
    default = settings.planner.capacity
    cap_values, cap_bad = _numbers(f["capacity"])
    capacity = np.full(len(f), default, dtype=np.int64)
    caps: list[str] = f["capacity"].tolist()
    for i, raw in enumerate(caps):
        if not raw:
            continue
        v = cap_values[i]
        if cap_bad[i] or not float(v).is_integer():
            out.add(
                f"capacity {raw!r} is not a whole number",
                f"write how many households this volunteer looks after, e.g. {default}",
                row=rows[i],
                column="capacity",
            )
        elif not 1 <= v <= 500:
            out.add(
                f"capacity {raw} is outside 1..500",
                f"write a number of households, e.g. "
                f"{default}; leave it empty for the default ({default})",
                row=rows[i],
                column="capacity",
            )
        else:
            capacity[i] = int(v)
    windows = _windows(table, out)
    for i in _where((f["availability"] == "").to_numpy() & table.has("availability")):
        out.add(
            "availability is empty: the volunteer could never be planned",
            "write when the volunteer can go out, e.g. Sat 07:00-11:00; Sun 14:00-17:00",
            row=rows[i],
            column="availability",
        )

    def parse_mode(text: str) -> str | None:
        return "motorbike" if not text.strip() else _MODES.get(slug(text))

    modes = _unique_map(f["mode"], parse_mode)
    for i, m in enumerate(modes):
        if m is None:
            raw = str(f["mode"].tolist()[i])
            out.add(
                f"unknown mode {raw!r}",
                "write motorbike (xe máy) or walking (đi bộ); empty means motorbike",
                row=rows[i],
                column="mode",
            )
    # skills: a skill code, or the name of a service that needs it
    lookup = {slug(s): s for s in settings.skills}
    for code, st in settings.services.items():
        if st.skill:
            for name in (code, st.label_vi, st.label_en):
                if slug(name):
                    lookup.setdefault(slug(name), st.skill)
    skills = _codes(table, "skills", lookup, sorted(settings.skills), out, "skill")
    languages = _unique_map(f["languages"], _language)
    lon, lat, _missing = _coordinates(
        table,
        out,
        noun="volunteer",
        area=_check_area(area),
        outlier_km=outlier_km,
        area_margin_km=area_margin_km,
        far="warning",
    )
    for i in _where(_missing):
        out.add(
            "home location is empty",
            "add the latitude and longitude of the volunteer's home (where the rounds start)",
            row=rows[i],
            column="latitude",
        )
    data = {
        "volunteer_id": ids.tolist(),
        "name": f["name"].tolist(),
        "phone": _phones(f["phone"], rows, out),
        "capacity": capacity,
        "windows": _objects(windows),
        "availability": f["availability"].tolist(),
        "mode": [m or "motorbike" for m in modes],
        "skills": _objects([frozenset(s) for s in skills]),
        "languages": _objects([frozenset(v) for v in languages]),
        "source_row": rows,
    }
    return _Parsed("volunteers", out.file, out.items, _frame_to_gdf(data, lon, lat))


def _parse_service_points(
    path: PathLike, area: Bounds | None, outlier_km: float, area_margin_km: float
) -> _Parsed:
    out = _Problems(Path(path).name)
    table = _read_table(path, "service_points", out)
    if table is None or not table.rows:
        return _Parsed("service_points", out.file, out.items)
    ids = _check_ids(table, "point_id", out, "service point")
    _warn_empty(table, "name", out, "write the office's name (it is shown on the maps)")
    lon, lat, missing = _coordinates(
        table,
        out,
        noun="service point",
        area=_check_area(area),
        outlier_km=outlier_km,
        area_margin_km=area_margin_km,
        far="warning",
    )
    for i in _where(missing):
        out.add(
            "location is empty",
            "add the latitude and longitude of the office",
            row=table.rows[i],
            column="latitude",
        )
    data = {
        "point_id": ids.tolist(),
        "name": table.frame["name"].tolist(),
        "source_row": table.rows,
    }
    return _Parsed("service_points", out.file, out.items, _frame_to_gdf(data, lon, lat))


def read_households(
    path: PathLike,
    *,
    settings: Settings | None = None,
    places: Mapping[str, tuple[float, float]] | None = None,
    area: Bounds | None = None,
    outlier_km: float = OUTLIER_KM,
    area_margin_km: float = AREA_MARGIN_KM,
) -> gpd.GeoDataFrame:
    """Read and validate the household register.

    Parameters
    ----------
    path
        A ``.csv`` (UTF-8, with or without BOM), ``.xlsx``, ``.geojson`` or ``.gpkg`` file.
        Column names may be English or Vietnamese (see :data:`HOUSEHOLD_COLUMNS`).
    settings
        Supplies the service catalogue (``settings.services``); defaults to ``Settings()``.
    places
        Village name -> ``(lon, lat)`` (e.g. the map's place nodes). A household without
        coordinates is placed at its village from here, or else at the centre of the
        other households of its village; names match ignoring case and diacritics.
    area
        ``(min lon, min lat, max lon, max lat)`` of the area being planned (e.g. the road
        network's bounds). Households more than ``area_margin_km`` outside it are errors.
        Without it, households farther than ``outlier_km`` from the median of the file's
        points are.
    outlier_km, area_margin_km
        Distances of the two checks above.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per input row, columns as in ``docs/ARCHITECTURE.md``
        (``household_id``, ``head_name``, ``village``, ``phone``, ``services``,
        ``elderly``, ``disability``, ``remote``, ``language``, ``priority``, ``windows``,
        ``availability``, ``notes``, ``location_quality``, ``source_row``, ``geometry``).
        Warnings are logged and kept in ``gdf.attrs["problems"]``.

    Raises
    ------
    InputDataError
        Listing every problem in the file with its row, column and a fix.

    """
    parsed = _parse_households(
        path, settings or Settings(), places, area, outlier_km, area_margin_km
    )
    return parsed.result()


def read_volunteers(
    path: PathLike,
    *,
    settings: Settings | None = None,
    area: Bounds | None = None,
    outlier_km: float = OUTLIER_KM,
    area_margin_km: float = AREA_MARGIN_KM,
) -> gpd.GeoDataFrame:
    """Read and validate the volunteer register.

    Parameters
    ----------
    path
        A ``.csv``, ``.xlsx``, ``.geojson`` or ``.gpkg`` file (see
        :data:`VOLUNTEER_COLUMNS` for the column names).
    settings
        Supplies the default ``capacity`` (``settings.planner.capacity``) and the known
        skills (``settings.skills``); defaults to ``Settings()``.
    area, outlier_km, area_margin_km
        As for :func:`read_households`; a home far away is only a warning (volunteers may
        live outside the area they serve).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 with ``volunteer_id``, ``name``, ``phone``, ``capacity``, ``windows``,
        ``availability``, ``mode``, ``skills``, ``languages``, ``source_row`` and the home
        as ``geometry``.

    Raises
    ------
    InputDataError
        Listing every problem in the file.

    """
    return _parse_volunteers(
        path, settings or Settings(), area, outlier_km, area_margin_km
    ).result()


def read_service_points(
    path: PathLike,
    *,
    area: Bounds | None = None,
    outlier_km: float = OUTLIER_KM,
    area_margin_km: float = AREA_MARGIN_KM,
) -> gpd.GeoDataFrame:
    """Read and validate the service points (offices that receive and return paperwork).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 with ``point_id``, ``name``, ``source_row`` and ``geometry``.

    Raises
    ------
    InputDataError
        Listing every problem in the file.

    """
    return _parse_service_points(path, area, outlier_km, area_margin_km).result()


# --- several files at once ------------------------------------------------------------------


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`check_files`.

    Parameters
    ----------
    rows
        File name -> number of rows read (``None`` when the file could not be read), in
        the order households, volunteers, service points.
    problems
        Every problem of every file, then those across files (``file=None``).

    """

    rows: Mapping[str, int | None]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)

    def summary(self) -> str:
        """Return a report for people: one line per file, then its problems."""
        lines = []
        groups = [
            (name, n, [p for p in self.problems if p.file == name]) for name, n in self.rows.items()
        ]
        groups.append(("across files", None, [p for p in self.problems if p.file is None]))
        for name, n, probs in groups:
            errors = sum(p.severity == "error" for p in probs)
            warnings = len(probs) - errors
            if name == "across files" and not probs:
                continue
            head = f"{name}: " + (f"{n:,} row{'s' * (n != 1)}, " if n is not None else "")
            counts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
            counts += [f"{warnings} warning{'s' * (warnings != 1)}"] if warnings else []
            lines.append(
                head
                + ("OK" if not errors else "")
                + (", " if not errors and warnings else "")
                + ", ".join(counts)
            )
            for p in probs:
                loc = " ".join(x for x in (p.row, f"[{p.column}]" if p.column else "") if x)
                loc = f"{loc}: " if loc else ""
                tag = "warning: " if p.severity == "warning" else ""
                fix = f" Fix: {p.fix}" if p.fix else ""
                lines.append(f"  - {loc}{tag}{p.message.rstrip('.')}.{fix}")
        return "\n".join(lines)


def _row_number(p: Problem) -> int:
    if p.row is None:
        return 0
    m = re.search(r"\d+", p.row)
    return int(m.group()) if m else 0


def check_files(
    households: PathLike | None = None,
    volunteers: PathLike | None = None,
    service_points: PathLike | None = None,
    *,
    settings: Settings | None = None,
    places: Mapping[str, tuple[float, float]] | None = None,
    area: Bounds | None = None,
    outlier_km: float = OUTLIER_KM,
    area_margin_km: float = AREA_MARGIN_KM,
) -> ValidationReport:
    """Check the given registers and how they fit together, without raising.

    Across files it warns about households needing a skill no volunteer has, languages
    spoken by households but by no volunteer, less total capacity than households, and
    ids used in two registers.

    Returns
    -------
    ValidationReport
        Row counts and every problem found (see :func:`validate_files`).

    """
    settings = settings or Settings()
    parsed: list[_Parsed] = []
    if households is not None:
        parsed.append(
            _parse_households(households, settings, places, area, outlier_km, area_margin_km)
        )
    if volunteers is not None:
        parsed.append(_parse_volunteers(volunteers, settings, area, outlier_km, area_margin_km))
    if service_points is not None:
        parsed.append(_parse_service_points(service_points, area, outlier_km, area_margin_km))
    problems: list[Problem] = []
    for p in parsed:
        problems += sorted(p.problems, key=_row_number)
    by_kind = {p.kind: p for p in parsed}
    problems += _cross_checks(by_kind, settings)
    return ValidationReport({p.file: p.rows for p in parsed}, tuple(problems))


def validate_files(
    households: PathLike | None = None,
    volunteers: PathLike | None = None,
    service_points: PathLike | None = None,
    *,
    settings: Settings | None = None,
    places: Mapping[str, tuple[float, float]] | None = None,
    area: Bounds | None = None,
) -> list[Problem]:
    """Return every problem in the given registers and across them, without raising.

    Parameters
    ----------
    households, volunteers, service_points
        Paths of the registers to check (any may be omitted).
    settings, places, area
        As for :func:`read_households`.

    Returns
    -------
    list of Problem
        Errors and warnings, file by file in row order, then the checks across files
        (``file=None``): households needing a skill that no volunteer has, or a language
        no volunteer speaks (warnings). Empty when all is well.

    """
    return list(
        check_files(
            households, volunteers, service_points, settings=settings, places=places, area=area
        ).problems
    )


def _cross_checks(by_kind: Mapping[Kind, _Parsed], settings: Settings) -> list[Problem]:
    hh = by_kind.get("households")
    vol = by_kind.get("volunteers")
    sp = by_kind.get("service_points")
    out: list[Problem] = []
    if hh is not None and hh.frame is not None and vol is not None and vol.frame is not None:
        h, v = hh.frame, vol.frame
        have = frozenset().union(*v["skills"].tolist()) if len(v) else frozenset()
        need: dict[str, list[str]] = {}
        for row, codes in zip(h["source_row"].tolist(), h["services"].tolist(), strict=True):
            for code in codes:
                skill = settings.services[code].skill
                if skill and skill not in have:
                    need.setdefault(skill, []).append(row)
        for skill, rows in need.items():
            rows = list(dict.fromkeys(rows))
            out.append(
                Problem(
                    f"{_n(rows, 'household needs', 'households need')} a service that takes "
                    f"the skill {skill!r} "
                    f"({_rows_text(rows)} of {hh.file}), but no volunteer in {vol.file} has it",
                    f"add {skill} to the skills of volunteers who can do it; until then these "
                    "services cannot be planned",
                    severity="warning",
                )
            )
        speak = frozenset().union(*v["languages"].tolist()) if len(v) else frozenset()
        lang_rows: dict[str, list[str]] = {}
        for row, lang in zip(h["source_row"].tolist(), h["language"].tolist(), strict=True):
            if lang and lang not in speak:
                lang_rows.setdefault(lang, []).append(row)
        for lang, rows in lang_rows.items():
            then = (
                "these households cannot be planned (planner.language_hard is on)"
                if settings.planner.language_hard
                else "they will be visited by volunteers who do not speak it"
            )
            out.append(
                Problem(
                    f"{_n(rows, 'household speaks', 'households speak')} {lang!r} "
                    f"({_rows_text(rows)} of {hh.file}), "
                    f"but no volunteer in {vol.file} does",
                    f"add {lang} to the languages of volunteers who speak it; otherwise {then}",
                    severity="warning",
                )
            )
        total = int(v["capacity"].sum())
        if total < len(h):
            out.append(
                Problem(
                    f"the volunteers can look after {total:,} households in all (capacity) but "
                    f"there are {len(h):,}",
                    "recruit volunteers or raise some capacities; the "
                    "households left over will be reported as unassigned",
                    severity="warning",
                )
            )
    frames = [
        (p.file, p.frame[_ID_COLUMN[p.kind]])
        for p in (hh, vol, sp)
        if p is not None and p.frame is not None
    ]
    for a in range(len(frames)):
        for b in range(a + 1, len(frames)):
            both = sorted(set(frames[a][1].tolist()) & set(frames[b][1].tolist()) - {""})
            if both:
                shown = ", ".join(repr(x) for x in both[:8]) + (" ..." if len(both) > 8 else "")
                out.append(
                    Problem(
                        f"ids used in both {frames[a][0]} and {frames[b][0]}: {shown}",
                        "give households, volunteers and service points different ids (e.g. "
                        "HB-0001, TN-01, DV-1) so that maps and sheets are unambiguous",
                        severity="warning",
                    )
                )
    return out
