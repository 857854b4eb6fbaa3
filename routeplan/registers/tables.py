"""Reading register files into text cells under canonical column names.

:func:`read_cells` is the one table reader of routeplan (CSV, TSV, TXT, XLSX; the
encoding repaired and reported, the delimiter chosen by the headers it names);
:func:`read_table` builds on it, adds GeoJSON and GeoPackage, finds the header row and
renames the columns a register has to their canonical names (:mod:`.columns`).
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import itertools
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .._io import unescape_cell
from ..errors import Problem
from ..timewindows import slug
from ._common import PathLike, Problems, closest, log, rows_text
from .columns import COLUMNS, IGNORED, REQUIRED, Kind, alias_index

__all__ = [
    "Table",
    "check_register_file",
    "header_key",
    "match_header",
    "read_cells",
    "read_table",
    "register_layer",
]

_MOJIBAKE = re.compile("á»|áº|Ã[\u0080-\u00bf]|Æ°|Æ¡|Ä‘|Ä\u0090|Ä\u0083|Ã¡|Ã©")
_UTF8_FIX = (
    "in Excel use File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'; in "
    "LibreOffice tick 'Edit filter settings' and choose 'Unicode (UTF-8)'"
)


@dataclass
class Table:
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


# --- header names ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def header_key(name: str) -> tuple[str, ...]:
    """Candidate folded keys of a header cell: as typed, without and inside brackets."""
    text = str(name)
    keys = [slug(text), slug(re.sub(r"\(.*?\)|\[.*?\]", " ", text))]
    keys += [slug(inner) for inner in re.findall(r"[(\[](.*?)[)\]]", text)]
    return tuple(k for k in dict.fromkeys(keys) if k)


def match_header(name: str, index: Mapping[str, str]) -> str | None:
    """Return the canonical column a header cell names (``index``: folded -> canonical)."""
    for key in header_key(name):
        if key in index:
            return index[key]
    return None


def _closest_header(names: Sequence[str], aliases: Sequence[str], used: set[str]) -> str | None:
    for name in names:
        if name in used:
            continue
        for key in header_key(name):
            if closest(key, aliases, cutoff=0.75):
                return name
    return None


# --- text files -----------------------------------------------------------------------------


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


def _repair_mojibake(text: str, out: Problems) -> str:
    """Repair (or report) UTF-8 text that went through a wrong-encoding round trip."""
    bad = _MOJIBAKE.search(text)
    if bad:
        sample = text[max(0, bad.start() - 6) : bad.end() + 6].strip()
        repaired = _undo_mojibake(text)
        if repaired is not None:
            text = unicodedata.normalize("NFC", repaired)
            out.add(
                f"the text was garbled (e.g. {sample!r}): the file was opened with the "
                "wrong encoding and saved again; it was repaired, check the names",
                _UTF8_FIX,
                severity="warning",
                code="text_garbled_repaired",
                params={"sample": sample},
            )
        else:
            out.add(
                f"the text looks garbled (e.g. {sample!r}): the file was opened with the "
                "wrong encoding and saved again",
                "retype the garbled names, then " + _UTF8_FIX,
                severity="warning",
                code="text_garbled",
                params={"sample": sample},
            )
    return text


_VI_LETTERS = frozenset("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")
# the Vietnamese letters an encoding for Western Europe has not: a file with one of
# them did not lose its letters to such an encoding
_VI_ONLY = frozenset(c for c in _VI_LETTERS if c.encode("cp1252", "replace") == b"?")
_VI_CLOSED = re.compile(r"[ăằắẳẵặâầấẩẫậ](?![cmnptuy])", re.IGNORECASE)
# cp1258 tone marks read as Windows-1252 (``Ì ì Ò Þ ò``), after a vowel as tones are
_TONE_BYTES = re.compile("[aeiouyâêôãõýáéíóú][ìòþ]")
_LEGACY = {"cp1258": "Windows-1258 (Vietnamese)", "cp1252": "Windows-1252 (Western European)"}


def _oddities(text: str, encoding: str) -> int:
    """How much ``text`` (decoded as ``encoding``) does not look like real names.

    Read as Windows-1258, a Western file gets letters Vietnamese does not have, or
    ``ă`` / ``â`` ending a syllable (``João`` -> ``Joăo``); read as Windows-1252, a
    Vietnamese file gets tone marks as ``Ì``, ``Þ``, ``ò`` after a vowel
    (``Nguyễn`` -> ``NguyêÞn``) and ``ð`` for ``đ``.
    """
    if encoding == "cp1258":
        odd = sum(
            1 for ch in text if ord(ch) > 127 and ch.isalpha() and ch.lower() not in _VI_LETTERS
        )
        odd += sum(1 for ch in text if unicodedata.combining(ch))  # a tone on no vowel
        return odd + len(_VI_CLOSED.findall(text))
    return len(_TONE_BYTES.findall(text.lower())) + sum(ch in "ðÐþÞ" for ch in text)


def _detect(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not UTF-8: Vietnamese or Western Windows, else as detected.

    Windows-1258 and Windows-1252 (the encodings Excel uses in Vietnam and in Western
    Europe) are both tried and the one giving real-looking names wins; a file that
    is neither (Cyrillic, Chinese ...) is left to charset-normalizer.
    """
    tried: list[tuple[int, int, str, str]] = []
    for rank, encoding in enumerate(_LEGACY):
        try:
            text = unicodedata.normalize("NFC", data.decode(encoding))
        except UnicodeDecodeError:
            continue
        tried.append((_oddities(text, encoding), rank, encoding, text))
    best = min(tried, default=None)
    if best is not None and best[0] == 0:
        return best[3], _LEGACY[best[2]]
    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    if guess is not None and (best is None or guess.encoding not in _LEGACY):
        return unicodedata.normalize("NFC", str(guess)), guess.encoding
    if best is not None:
        return best[3], _LEGACY[best[2]]
    return data.decode("latin-1"), "Latin-1"


def _report_lost_letters(grid: list[list[str]], out: Problems) -> None:
    """Report each row whose letters were saved as ``?`` (``Hu?nh V?n Ph??c``, ``C? Tu``).

    Only a file without a single letter of Vietnamese's own (``ă ơ ư đ ạ ả ...``)
    lost them to an encoding that has none; elsewhere a ``?`` is taken as typed.
    """
    if any(ch.lower() in _VI_ONLY for row in grid for cell in row for ch in cell):
        return
    for k, row in enumerate(grid):
        damaged = [c for c in row if _LOST.search(c)]
        if damaged:
            out.add(
                f"letters were replaced by '?' ({damaged[0]!r}): the file was saved in an "
                "encoding without Vietnamese letters, and they cannot be read back",
                "save the file again from the original (the workbook or the program it came "
                "from): " + _UTF8_FIX,
                row=f"row {k + 1}",
                code="letters_lost",
                params={"sample": damaged[0]},
            )


_LOST = re.compile(r"\w\?+\w|(?<![\w?])\w{1,2}\?+(?=[\s,;.]|$)")


def _decode(data: bytes, out: Problems) -> str:
    """Decode UTF-8 (BOM or not), UTF-16 with a BOM, else the legacy encoding detected."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return unicodedata.normalize("NFC", data.decode("utf-16"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, enc = _detect(data)
        sample = next(iter(re.findall(r"\w*[^\x00-\x7f]\w*", text)), "")
        out.add(
            f"the file is not saved as UTF-8; it was read as {enc}"
            + (f" (e.g. {sample!r})" if sample else "")
            + ": check that the names came out right",
            _UTF8_FIX,
            severity="warning",
            code="not_utf8",
            params={"encoding": enc, "sample": sample},
        )
    return _repair_mojibake(unicodedata.normalize("NFC", text), out)


def _pick_grid(text: str, index: Mapping[str, str]) -> list[list[str]]:
    """Parse CSV text with the delimiter that yields the most known column names."""
    head = "\n".join(text.splitlines()[:12])
    best: tuple[int, int, str] = (-1, -1, ",")
    for delim in (",", ";", "\t", "|"):
        rows = list(csv.reader(io.StringIO(head), delimiter=delim))
        score = max(
            (sum(match_header(c, index) is not None for c in r) for r in rows[:10]), default=0
        )
        width = max((len(r) for r in rows), default=0)
        best = max(best, (score, width, delim))
    return list(csv.reader(io.StringIO(text), delimiter=best[2]))


# --- Excel ----------------------------------------------------------------------------------


def _xlsx_grid(path: Path, out: Problems) -> list[list[str]] | None:
    try:
        raw = pd.read_excel(
            path, sheet_name=0, header=None, dtype=str, keep_default_na=False, engine="openpyxl"
        )
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        out.add(
            f"cannot read this Excel file ({exc})",
            "open it in Excel and save it again as .xlsx, or save it as CSV UTF-8",
            code="excel_unreadable",
            params={"detail": str(exc)},
        )
        return None
    return [[_excel_text(v) for v in r] for r in raw.itertuples(index=False)]


def _excel_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text


# --- the one table reader -------------------------------------------------------------------


_TEXT = (".csv", ".txt", ".tsv", "")
_EXCEL = (".xlsx", ".xlsm")
_GEO = (".geojson", ".json", ".gpkg")


def _file_kind(path: Path, out: Problems, *, geo: bool = True) -> str | None:
    """Return the suffix of a readable register file; report why not and return ``None``."""
    if not path.exists():
        out.add("file not found", "check the path and the file name", code="file_not_found")
        return None
    if path.is_dir():
        out.add(
            "this is a folder, not a file", "give the path of the register file", code="is_folder"
        )
        return None
    suffix = path.suffix.lower()
    if suffix in (".xls", ".ods", ".numbers"):
        out.add(
            f"{suffix} files cannot be read",
            "save it as .xlsx (Excel Workbook) or as CSV UTF-8",
            code="file_type_old",
            params={"suffix": suffix},
        )
        return None
    if suffix not in _TEXT + _EXCEL + (_GEO if geo else ()):
        out.add(
            f"unknown file type {suffix!r}",
            "give a .csv, .xlsx, .geojson or .gpkg file",
            code="file_type_unknown",
            params={"suffix": suffix},
        )
        return None
    return suffix


def check_register_file(path: PathLike) -> list[Problem]:
    """Return why ``path`` cannot be a register (missing, a folder, a wrong type), if so.

    Cheap (nothing is read), so that a wrong file is reported before any slow work.
    """
    out = Problems(str(path))
    _file_kind(Path(path), out)
    return out.items


def _cells(path: Path, index: Mapping[str, str], out: Problems) -> list[list[str]] | None:
    """Read a CSV/TSV/TXT or XLSX file into rows of text cells; ``None`` if it cannot be."""
    if _file_kind(path, out, geo=False) is None:
        return None
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _unescape(_xlsx_grid(path, out))
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        out.add(
            "this is not a text (CSV) file",
            "give a .csv, .xlsx, .geojson or .gpkg file",
            code="not_text",
        )
        return None
    grid = _pick_grid(_decode(data, out), index)
    _report_lost_letters(grid, out)
    return _unescape(grid)


def _unescape(grid: list[list[str]] | None) -> list[list[str]] | None:
    """Read formula-looking cells that routeplan wrote (``'=HB-1``) as they were (``=HB-1``)."""
    if grid is None:
        return None
    return [[unescape_cell(c) if c.startswith("'") else c for c in row] for row in grid]


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
    out = Problems(str(path))
    index = {slug(a): canon for canon, aliases in columns.items() for a in (canon, *aliases)}
    return _cells(path, index, out), out.items


# --- a grid of cells into a register table --------------------------------------------------


def _split_decimals(cells: Sequence[str]) -> list[str]:
    """Numbers a comma between cells split (``16`` ``1182``), joined back: ``["16,1182"]``."""
    return [
        f"{a.strip()},{b.strip()}"
        for a, b in itertools.pairwise(cells)
        if re.fullmatch(r"-?\d{1,3}", a.strip()) and re.fullmatch(r"\d{3,}", b.strip())
    ]


def _grid_to_table(
    grid: list[list[str]], kind: Kind, out: Problems, *, coords_required: bool = True
) -> Table | None:
    """Find the header row of a grid of cells and turn the rows below into a table."""
    index = alias_index(kind)
    if not any(any(c.strip() for c in r) for r in grid):
        out.add(
            "the file is empty",
            f"fill in the {kind.replace('_', ' ')} register; start from the template "
            f"`routeplan template {kind}.csv`",
            code="file_empty",
            params={"kind": kind},
        )
        return None
    header_at = 0
    scores = [sum(match_header(c, index) is not None for c in r) for r in grid[:10]]
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
            split = _split_decimals(r)
            out.add(
                f"this row has {len(r)} cells but the header has {width} columns"
                + (f" (decimal commas? {split[0]!r})" if split else ""),
                (f"write {split[0].replace(',', '.')!r} with a dot, or " if split else "")
                + 'put values that contain commas in double quotes ("vneid, sim"), or '
                "separate services with ';'",
                row=label,
                severity="error" if any(c.strip() for c in r[width:]) else "warning",
                code="row_too_long",
                params={"cells": len(r), "width": width, "split": split[0] if split else ""},
            )
        r = (r + [""] * width)[:width]
        rows.append(label)
        cells.append(r)
    frame = pd.DataFrame(cells, columns=list(range(width)), dtype=str)
    return _name_columns(frame, header, rows, kind, out, coords_required=coords_required)


def _match_columns(
    positions: Iterable[Any], header: Sequence[str], index: Mapping[str, str], out: Problems
) -> tuple[dict[str, str], dict[Any, str], list[str]]:
    """Match header cells to canonical columns.

    Returns canonical -> header as typed, frame position -> canonical, and the header
    cells that name no column (other than row numbers and GIS ids).
    """
    columns: dict[str, str] = {}
    keep: dict[Any, str] = {}
    unknown: list[str] = []
    for pos, name in zip(positions, header, strict=True):
        if not name:
            continue
        canon = match_header(name, index)
        if canon is None:
            if not any(k in IGNORED or k.startswith("unnamed") for k in header_key(name)):
                unknown.append(name)
        elif canon in columns:
            out.add(
                f"columns {columns[canon]!r} and {name!r} both give {canon!r}",
                "delete or rename one of them",
                column=canon,
                code="columns_same",
                params={"first": columns[canon], "second": name, "column": canon},
            )
        else:
            columns[canon] = name
            keep[pos] = canon
    return columns, keep, unknown


def _text_columns(
    frame: pd.DataFrame, keep: Mapping[Any, str], spec: Iterable[str]
) -> pd.DataFrame:
    """Keep the matched columns under their canonical names; add the absent ones empty."""
    table = frame[list(keep)].rename(columns=keep) if keep else frame.iloc[:, :0]
    for canon in spec:
        if canon not in table.columns:
            table[canon] = pd.Series([""] * len(table), index=table.index, dtype=str)
        else:
            table[canon] = table[canon].fillna("").astype(str).str.strip()
    return table


def _report_missing(
    missing: Sequence[str],
    unknown: Sequence[str],
    spec: Mapping[str, tuple[str, ...]],
    out: Problems,
) -> set[str]:
    """Report the missing required columns; return the unknown headers named in a fix."""
    used: set[str] = set()
    for canon in missing:
        near = _closest_header(unknown, spec[canon], used)
        accepted = ", ".join(spec[canon][:6])
        if near:
            used.add(near)
            fix = f"rename column {near!r} to {canon!r}"
        else:
            fix = f"add a column {canon!r} (accepted names: {accepted})"
        params = {"column": canon, "near": near or "", "accepted": accepted}
        out.add(
            f"column {canon!r} is missing", fix, column=canon, code="column_missing", params=params
        )
    return used


def _report_unknown(
    unknown: Sequence[str],
    optional: Sequence[str],
    spec: Mapping[str, tuple[str, ...]],
    used: set[str],
    out: Problems,
) -> None:
    """Suggest an optional column for a misspelled header; list the headers ignored."""
    for name in unknown:
        if name in used:
            continue
        near_canon = next((c for c in optional if _closest_header([name], spec[c], used)), None)
        if near_canon:
            used.add(name)
            out.add(
                f"unknown column {name!r}",
                f"did you mean {near_canon!r}? rename it",
                column=name,
                code="column_unknown",
                params={"name": name, "near": near_canon},
            )
    ignored = [n for n in unknown if n not in used]
    if ignored:
        out.add(
            "ignored columns: " + ", ".join(repr(n) for n in ignored),
            "rename a column if it should be read (known columns: " + ", ".join(spec) + ")",
            severity="warning",
            code="columns_ignored",
            params={"names": ", ".join(repr(n) for n in ignored), "known": ", ".join(spec)},
        )


def _name_columns(
    frame: pd.DataFrame,
    header: Sequence[str],
    rows: list[str],
    kind: Kind,
    out: Problems,
    *,
    has_geometry: bool = False,
    coords_required: bool = True,
) -> Table | None:
    """Rename recognised columns to their canonical names; report the others."""
    spec = COLUMNS[kind]
    columns, keep, unknown = _match_columns(frame.columns, header, alias_index(kind), out)
    table = _text_columns(frame, keep, spec)
    required = list(REQUIRED[kind])
    if coords_required and not has_geometry and "coordinates" not in columns:
        required += ["latitude", "longitude"]
    missing = [c for c in required if c not in columns]
    used = _report_missing(missing, unknown, spec, out)
    optional = [c for c in spec if c not in columns and c not in missing and c != "coordinates"]
    _report_unknown(unknown, optional, spec, used, out)
    if not rows:
        out.add(
            "there are no rows below the header",
            f"add the {kind.replace('_', ' ')}, one per row",
            code="no_rows",
            params={"kind": kind},
        )

    return Table(table.reset_index(drop=True), rows, columns=columns, missing=set(missing))


# --- GeoJSON and GeoPackage -----------------------------------------------------------------


def _pick_layer(path: Path, kind: Kind, out: Problems) -> str | None:
    """Return the layer holding the register (by name, else the first), or ``None``."""
    import pyogrio

    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises its own DataSourceError family
        out.add(
            f"cannot read this file ({exc})",
            "check that it is a valid GeoJSON or GeoPackage file",
            code="geo_unreadable",
            params={"detail": str(exc)},
        )
        return None
    if not layers:
        out.add("the file has no layers", "export the points again", code="geo_no_layers")
        return None
    layer = next((n for n in layers if slug(n).startswith(kind.rstrip("s"))), layers[0])
    if len(layers) > 1:
        out.add(
            f"the file has {len(layers)} layers; reading {layer!r}",
            f"keep only the {kind.replace('_', ' ')} in the file",
            severity="warning",
            code="geo_layers",
            params={"n": len(layers), "layer": layer, "kind": kind},
        )
    return layer


def register_layer(path: PathLike, kind: Kind) -> tuple[str | None, list[Problem]]:
    """Return the layer of a GeoJSON or GeoPackage file a register is read from.

    The layer named like the register (``households``), else the first; with the
    problems found choosing it (none, or several layers: a warning). ``None`` when the
    file cannot be read.
    """
    out = Problems(str(path))
    return _pick_layer(Path(path), kind, out), out.items


def _points(
    gdf: gpd.GeoDataFrame, rows: Sequence[str], out: Problems
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], np.ndarray[Any, np.dtype[np.float64]]]:
    """Longitude and latitude of each feature (a point inside a shape), NaN if none."""
    n = len(gdf)
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
                f"{rows_text(shown)} are not points; a point inside each shape is used",
                "store one point per row",
                severity="warning",
                code="geo_not_points",
                params={"rows": rows_text(shown)},
            )
        lon[present] = pts.x.to_numpy()
        lat[present] = pts.y.to_numpy()
    return lon, lat


def _read_geo(path: Path, kind: Kind, out: Problems) -> Table | None:
    layer = _pick_layer(path, kind, out)
    if layer is None:
        return None
    try:
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:
        out.add(
            f"cannot read layer {layer!r} ({exc})",
            "export the points again",
            code="geo_layer_unreadable",
            params={"layer": layer, "detail": str(exc)},
        )
        return None
    if gdf.crs is None:
        out.add(
            "the file says nothing about its coordinate system; assuming longitude/"
            "latitude (EPSG:4326)",
            "export it with a CRS",
            severity="warning",
            code="geo_no_crs",
        )

    elif gdf.crs.to_epsg() != 4326:
        log.info("%s: reprojecting from %s to EPSG:4326", out.file, gdf.crs.to_string())
        gdf = gdf.to_crs(4326)
    n = len(gdf)
    rows = [f"feature {i + 1}" for i in range(n)]
    lon, lat = _points(gdf, rows, out)
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


def read_table(
    path: PathLike, kind: Kind, out: Problems, *, coords_required: bool = True
) -> Table | None:
    """Read a register file into a :class:`Table`; ``None`` if it cannot be read.

    Parameters
    ----------
    path
        A CSV/TSV/TXT, XLSX, GeoJSON or GeoPackage file.
    kind
        Which register it is (its columns are in :data:`.columns.COLUMNS`).
    out
        Collects every problem found.
    coords_required
        Whether latitude and longitude columns are required (without a geometry or a
        ``coordinates`` column).

    """
    path = Path(path)
    if path.suffix.lower() in _GEO and path.is_file():
        return _read_geo(path, kind, out)
    grid = _cells(path, alias_index(kind), out)
    if grid is None:
        return None
    return _grid_to_table(grid, kind, out, coords_required=coords_required)
