"""Reading the cells of a register into values, reporting each cell that cannot be read.

Numbers (a decimal comma accepted), ids, phone numbers (undoing what spreadsheets do to
them), yes/no flags, languages, availability windows (:mod:`routeplan.timewindows`) and
lists of codes (services, skills).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

from ..config import Settings
from ..timewindows import Window, WindowSyntaxError, parse_windows, slug
from ._common import Problems, closest, log, positions
from .tables import Table

__all__ = [
    "availability_windows",
    "check_ids",
    "codes",
    "flags",
    "numbers",
    "parse_language",
    "phones",
    "service_lookup",
    "unique_map",
    "warn_empty",
]

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

_LIST_SPLIT = re.compile(r"[;,/+|\n]+")


def unique_map(series: pd.Series[str], parse: Callable[[str], Any]) -> list[Any]:
    """Apply ``parse`` once per distinct value (registers repeat values a lot)."""
    cache = {v: parse(v) for v in pd.unique(series)}
    return [cache[v] for v in series.tolist()]


def numbers(
    series: pd.Series[str],
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], np.ndarray[Any, np.dtype[np.bool_]]]:
    """Parse decimal numbers (a decimal comma is accepted); return values and a bad mask."""
    s = series.str.strip().str.replace(r"^([+-]?\d+),(\d+)$", r"\1.\2", regex=True)
    s = s.str.replace(r"\s*°\s*$", "", regex=True)
    values = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
    bad = (s != "").to_numpy() & ~np.isfinite(values)
    return values, bad


_ID_EXAMPLES = {"household_id": "'HB-0001'", "volunteer_id": "'TN-01'", "point_id": "'DV-1'"}


def check_ids(table: Table, column: str, out: Problems, noun: str) -> pd.Series[str]:
    """Report empty and duplicate ids; return the id column."""
    ids = table.frame[column]
    if not table.has(column):
        return ids
    given = [v for v in ids.tolist() if v]
    example = repr(given[0]) if given else _ID_EXAMPLES.get(column, "'1'")
    for i in positions((ids == "").to_numpy()):
        out.add(
            f"{column} is empty",
            f"give every {noun} a unique id, like {example}",
            row=table.rows[i],
            column=column,
            code="id_empty",
            params={"column": column, "noun": noun, "example": example},
        )
    dup = (ids.duplicated(keep="first") & (ids != "")).to_numpy()
    if dup.any():
        first = {v: i for i, v in reversed(list(enumerate(ids.tolist())))}
        for i in positions(dup):
            out.add(
                f"duplicate {column} {ids.iat[i]!r} (also {table.rows[first[ids.iat[i]]]})",
                f"give each {noun} its own id; if it is the same {noun} twice, delete one row",
                row=table.rows[i],
                column=column,
                code="id_duplicate",
                params={
                    "column": column,
                    "noun": noun,
                    "value": ids.iat[i],
                    "other": table.rows[first[ids.iat[i]]],
                },
            )
    return ids


def warn_empty(table: Table, column: str, out: Problems, fix: str, *, code: str) -> None:
    """Warn about each empty cell of ``column`` (if the file has it); ``code`` names the fix."""
    if not table.has(column):
        return
    for i in positions((table.frame[column] == "").to_numpy()):
        out.add(
            f"{column} is empty",
            fix,
            row=table.rows[i],
            column=column,
            severity="warning",
            code=code,
            params={"column": column},
        )


def phones(series: pd.Series[str], rows: Sequence[str], out: Problems) -> list[str]:
    """Phone numbers as text, undoing what spreadsheets do to them when clearly that."""
    s = series.str.strip().str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    sci = s.str.fullmatch(r"\d(?:[.,]\d+)?[eE]\+?\d+").to_numpy()
    values = s.tolist()
    for i in positions(sci):
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
                code="phone_digits_lost",
                params={"value": values[i]},
            )
    fixed = pd.Series(values, dtype=str)
    nine = fixed.str.fullmatch(r"[35789]\d{8}").to_numpy()
    if nine.any():
        log.info("restored the leading 0 of %d phone numbers", int(nine.sum()))
        fixed[nine] = "0" + fixed[nine]
    return [str(v) for v in fixed.tolist()]


def _flag(text: str) -> bool | None:
    key = slug(_TICKS.get(text.strip(), text))
    return True if key in _TRUE else False if key in _FALSE else None


def flags(table: Table, column: str, out: Problems) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Read a yes/no column (``1``/``0``, ``x``, ``có``/``không`` ...); report the others."""
    parsed = unique_map(table.frame[column], _flag)
    for i, v in enumerate(parsed):
        if v is None:
            out.add(
                f"{column} {table.frame[column].iat[i]!r} is not yes or no",
                "write 1 or 0 (also accepted: yes/no, true/false, x, có/không)",
                row=table.rows[i],
                column=column,
                code="not_yes_no",
                params={"column": column, "value": table.frame[column].iat[i]},
            )
    return np.array([bool(v) for v in parsed], dtype=bool)


def parse_language(text: str) -> tuple[str, ...]:
    """Return the languages other than Vietnamese named in a cell, as slugs."""
    out = []
    for part in _LIST_SPLIT.split(text):
        key = slug(part)
        key = re.sub(r"^(?:tieng|dan_toc|language)_(?=.)", "", key)
        key = _LANGUAGE_ALIASES.get(key, key)
        if key and key not in _VIETNAMESE and key not in out:
            out.append(key)
    return tuple(out)


def _try_windows(text: str) -> tuple[Window, ...] | WindowSyntaxError:
    try:
        return parse_windows(text)
    except WindowSyntaxError as exc:
        return exc


def availability_windows(table: Table, out: Problems) -> list[tuple[Window, ...]]:
    """Read the ``availability`` column; a cell that cannot be read gives ``()``."""
    parsed = unique_map(table.frame["availability"], _try_windows)
    result: list[tuple[Window, ...]] = []
    for i, v in enumerate(parsed):
        if isinstance(v, WindowSyntaxError):
            out.add(
                f"availability {v.text!r}: {v.message}",
                v.fix,
                row=table.rows[i],
                column="availability",
                code="availability",
                params={"text": v.text, "code": v.code, "params": v.params},
            )
            result.append(())
        else:
            result.append(v)
    return result


def service_lookup(settings: Settings) -> dict[str, str]:
    """Map the folded code and names of each service to its code."""
    lookup: dict[str, str] = {}
    for code, st in settings.services.items():
        for name in (code, st.label_vi, st.label_en):
            if slug(name):
                lookup.setdefault(slug(name), code)
    return lookup


def codes(
    table: Table,
    column: str,
    lookup: Mapping[str, str],
    known: Sequence[str],
    out: Problems,
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

    parsed = unique_map(table.frame[column], parse)
    for i, (_, bad) in enumerate(parsed):
        for item in bad:
            near = closest(slug(item), list(lookup))
            hint = f"did you mean {lookup[near]!r}? " if near else ""
            out.add(
                f"unknown {what} {item!r}",
                f"{hint}known {what}s: {', '.join(known) or '(none)'}",
                row=table.rows[i],
                column=column,
                code="code_unknown",
                params={
                    "what": what,
                    "item": item,
                    "near": lookup[near] if near else "",
                    "known": ", ".join(known),
                },
            )

    return [good for good, _ in parsed]
