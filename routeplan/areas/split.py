"""A register with an area column, split into a file per area; problems named by its rows.

:func:`split_register` reads a city register (any table file the single-area commands
read: CSV, TSV, TXT, XLSX through :func:`routeplan.registers.read_cells`, GeoJSON and
GeoPackage) and groups its rows by the area column. Each area's rows are written as
its own file (CSV, or GeoJSON for a GeoJSON or GeoPackage register), and an
:class:`Origin` remembers the register's row of each of them, so that
:func:`in_register` can say a problem found in an area's own file (its row 3) in the
words of the file the coordinator edits (the city register's row 14).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._io import atomic_path, write_text
from ..errors import InputDataError, Problem
from ..registers import Kind, read_cells
from ..registers.columns import COLUMNS
from ..registers.tables import header_key, match_header, register_layer
from ..timewindows import slug

__all__ = ["Origin", "Split", "in_register", "split_register"]

_GEO = (".geojson", ".json", ".gpkg")


@dataclass(frozen=True)
class Origin:
    """Where the rows of one of an area's files came from.

    Attributes
    ----------
    split
        The area's own file (written from the register).
    register
        The register the user gave, with the area column.
    rows
        The register's row (spreadsheet numbering, its header row 1 or below) of each
        data row of ``split``, in order: ``split``'s row ``k + 2`` is ``rows[k]``; for
        a GeoJSON or GeoPackage register, its feature number of each feature of
        ``split`` (``split``'s feature ``k + 1`` is ``rows[k]``).
    unit
        How the files' problems name a place: ``"row"`` or ``"feature"``.

    """

    split: Path
    register: Path
    rows: tuple[int, ...]
    unit: str = "row"

    def row(self, label: str) -> str:
        """Return ``split``'s ``"row 3"`` as the register's ``"row 14"`` (others as given)."""
        places = re.compile(rf"\b({self.unit}s?) (\d+(?:, \d+)*)")
        return places.sub(self._rows_text, label)

    def _rows_text(self, match: re.Match[str]) -> str:
        nums = [self._one(int(n)) for n in match.group(2).split(", ")]
        return f"{match.group(1)} {', '.join(nums)}"

    def _one(self, n: int) -> str:
        k = n - (2 if self.unit == "row" else 1)  # a table's header is its row 1
        return str(self.rows[k]) if 0 <= k < len(self.rows) else str(n)

    def names(self, file: str | None) -> bool:
        """Whether ``file`` (a problem's file) is ``split``."""
        if file is None:
            return False
        return file == str(self.split) or Path(file).resolve() == self.split.resolve()


def in_register(origins: Sequence[Origin], problem: Problem) -> Problem:
    """Return ``problem`` naming the register and its row instead of an area's own file.

    A problem of a file of ``origins`` (a register's rows of one area) gets the
    register as its file and the register's row numbers, in its row and wherever its
    message, fix or words' values name rows (``"(also row 3)"``) or the area's file.
    Any other problem is returned as it is.
    """
    origin = next((o for o in origins if o.names(problem.file)), None)
    if origin is None:
        return problem

    def say(text: str) -> str:
        return origin.row(text.replace(str(origin.split), str(origin.register)))

    params: Mapping[str, Any] | None = problem.params
    if params is not None:
        params = {k: say(v) if isinstance(v, str) else v for k, v in params.items()}
    return dataclasses.replace(
        problem,
        file=str(origin.register),
        row=origin.row(problem.row) if problem.row else None,
        message=say(problem.message),
        fix=say(problem.fix),
        params=params,
    )


@dataclass
class Split:
    """A register's rows grouped by area.

    Attributes
    ----------
    path
        The register.
    header
        Its header row, less the area column.
    groups
        Area name -> ``(register row, cells less the area column)`` of each of its rows.
    warnings
        What reading it found that does not stop the run (a legacy encoding).
    features
        A GeoJSON or GeoPackage register's features (less the area column), whose
        positions ``groups`` give (feature ``n`` is ``features.iloc[n - 1]``), else
        ``None``.

    """

    path: Path
    header: list[str]
    groups: dict[str, list[tuple[int, list[str]]]]
    warnings: list[Problem] = field(default_factory=list)
    features: Any = None

    def rows(self, area: str) -> list[tuple[int, list[str]]]:
        """Return the rows of ``area`` (none if the register has none)."""
        return self.groups.get(area, [])

    def write(self, folder: Path, stem: str, area: str) -> Origin:
        """Write ``area``'s rows as ``folder/<stem>.csv`` (``.geojson``); say where from."""
        rows = self.rows(area)
        numbers = tuple(n for n, _ in rows)
        if self.features is None:
            path = write_text(folder / f"{stem}.csv", _csv_text(self.header, rows))
            return Origin(path, self.path, numbers)
        path = folder / f"{stem}.geojson"
        if not rows:  # GDAL writes no file of no features
            write_text(path, '{"type": "FeatureCollection", "features": []}\n')
        else:
            with atomic_path(path) as tmp:
                self.features.iloc[[n - 1 for n in numbers]].to_file(tmp, driver="GeoJSON")
        return Origin(path, self.path, numbers, "feature")


def _csv_text(header: list[str], rows: list[tuple[int, list[str]]]) -> str:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(cells for _, cells in rows)
    return buf.getvalue()


def _header_at(grid: list[list[str]], is_area: Callable[[str], bool], kind: Kind) -> int | None:
    """Return the row (of the first ten) naming the area column and most register columns."""
    index = {slug(a): canon for canon, aliases in COLUMNS[kind].items() for a in (canon, *aliases)}
    best: tuple[int, int] | None = None
    for i, row in enumerate(grid[:10]):
        if any(is_area(c) for c in row):
            score = sum(match_header(c, index) is not None for c in row)
            if best is None or score > best[0]:
                best = (score, i)
    return None if best is None else best[1]


def split_register(path: Path, column: str, kind: Kind, what: str) -> Split:
    """Read a register with an area column; group its rows by area.

    Read as the single-area commands read a register: a table (:func:`read_cells`:
    CSV, TSV, TXT or XLSX, the encoding repaired and the delimiter found), or the
    layer of a GeoJSON or GeoPackage file they would read; its warnings (a legacy
    encoding, several layers) are kept on the split for the caller to report. Rows
    above the header (a title) are left out; blank rows are skipped.

    Raises
    ------
    InputDataError
        The file cannot be read, has no such column, or rows have no area (every
        one named).

    """
    if path.suffix.lower() in _GEO and path.is_file():
        return _split_features(path, column, kind, what)
    cells, problems = read_cells(path, {column: (), **COLUMNS[kind]})
    errors = [p for p in problems if p.severity == "error"]
    if cells is None or errors:
        raise InputDataError(problems, subject=f"{what} register")
    if not any(any(c.strip() for c in r) for r in cells):
        raise InputDataError(
            [Problem(f"the {what} register is empty", "", file=str(path))],
            subject=f"{what} register",
        )
    wanted = slug(column)
    at = _header_at(cells, lambda c: wanted in header_key(c), kind)
    if at is None:
        fix = f"add a column {column!r} naming each row's area (commune or ward)"
        raise InputDataError([Problem(f"no {column!r} column", fix, file=str(path))])
    header = cells[at]
    k = next(i for i, c in enumerate(header) if wanted in header_key(c))
    body = [(i + 1, r) for i, r in enumerate(cells) if i > at and any(c.strip() for c in r)]
    missing = [
        Problem("no area", f"fill in the {column!r} column", file=str(path), row=f"row {n}")
        for n, r in body
        if len(r) <= k or not r[k].strip()
    ]
    if missing:
        raise InputDataError(missing, subject=f"{what} register")
    groups: dict[str, list[tuple[int, list[str]]]] = {}
    for n, r in body:
        groups.setdefault(r[k].strip(), []).append((n, r[:k] + r[k + 1 :]))
    return Split(path, header[:k] + header[k + 1 :], groups, problems)


def _split_features(path: Path, column: str, kind: Kind, what: str) -> Split:
    """Group a GeoJSON or GeoPackage register's features by area (``"feature 3"``)."""
    import geopandas as gpd

    subject = f"{what} register"
    layer, problems = register_layer(path, kind)
    if layer is None:
        raise InputDataError(problems, subject=subject)
    try:
        frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:  # pyogrio raises its own DataSourceError family
        fix = "export the points again"
        raise InputDataError([Problem(f"cannot read it ({exc})", fix, file=str(path))]) from exc
    wanted = slug(column)
    names = [c for c in frame.columns if c != frame.geometry.name]
    col = next((c for c in names if wanted in header_key(str(c))), None)
    if col is None:
        fix = f"add a field {column!r} naming each feature's area (commune or ward)"
        raise InputDataError([Problem(f"no {column!r} field", fix, file=str(path))])
    areas = ["" if v is None or v != v else str(v).strip() for v in frame[col].tolist()]
    missing = [
        Problem("no area", f"fill in the {column!r} field", file=str(path), row=f"feature {n}")
        for n, a in enumerate(areas, start=1)
        if not a
    ]
    if missing:
        raise InputDataError(missing, subject=subject)
    groups: dict[str, list[tuple[int, list[str]]]] = {}
    for n, a in enumerate(areas, start=1):
        groups.setdefault(a, []).append((n, []))
    return Split(path, [], groups, problems, frame.drop(columns=col))
