"""Weekly time windows: one grammar for households' and volunteers' availability.

A window is ``(weekday, start_min, end_min)``: weekday 0 = Monday .. 6 = Sunday, start
and end in minutes since midnight (``end`` may be 1440 for 24:00). A text is a list of
groups separated by ``;`` (or a new line); each group is an optional day part followed by
one or more ``start-end`` time ranges separated by ``,``::

    07:00-11:00;16:00-19:00               every day, morning and late afternoon
    Sat 07:00-11:00,14:00-17:00; Sun 08:00-12:00
    T2-T6 17:00-19:30; T7, CN 7h-11h      Vietnamese day names
    Thứ 2 đến Thứ 6 17:00-19:00           (with or without accents)

Days: English (``Mon``/``Monday`` .. ``Sun``), Vietnamese (``T2`` .. ``T7``, ``CN``,
``Thứ 2`` .. ``Thứ 7``, ``Thứ hai`` .. ``Thứ bảy``, ``Chủ nhật``), ranges (``Mon-Fri``,
``T2-T6``), lists (``Sat, Sun``) and the words ``weekdays``/``ngày thường``,
``weekend``/``cuối tuần``, ``daily``/``hằng ngày``. A group without a day part applies
to every day. Times: ``07:00``, ``7:00``, ``7h``, ``7h30``, ``7g30``, ``0700``, ``7pm``,
or a bare hour (``7-11``); ``24:00`` may end a window. Within a group a day written
after a time range starts a new day part (``Sat 07:00-11:00, Sun 08:00-12:00``).

Overlapping or touching windows of a day are merged and the result is sorted by day and
start, so equal availabilities compare equal. An empty text gives ``()``: for a
household it means "any time".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .errors import InputDataError, Problem

__all__ = [
    "DAY_NAMES",
    "DAY_NAMES_VI",
    "Window",
    "WindowSyntaxError",
    "fold",
    "format_windows",
    "parse_windows",
    "slug",
]

Window = tuple[int, int, int]
"""``(weekday 0=Mon..6=Sun, start minute, end minute)``."""

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_NAMES_VI = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")

_ALL_DAYS = tuple(range(7))
EXAMPLE = "07:00-11:00;16:00-19:00 or Sat 07:00-11:00,14:00-17:00; Sun 08:00-12:00"


class WindowSyntaxError(InputDataError):
    """An availability text cannot be read; ``message`` and ``fix`` say why and what to do.

    It is an :class:`~routeplan.errors.InputDataError` (and so a ``ValueError``) carrying
    one :class:`~routeplan.errors.Problem`, which the register readers place at the row
    and column of the offending cell.
    """

    def __init__(
        self,
        message: str,
        fix: str,
        *,
        text: str,
        code: str | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        self.message = message
        self.fix = fix
        self.text = text
        self.code = code  # see Problem.code
        self.params = params
        problem = Problem(message, fix, code=code, params=params)
        super().__init__([problem], subject=f"availability {text!r}")


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    return base.lower() if len(base.lower()) == 1 else ch


def fold(text: str) -> str:
    """Lower-case ``text`` and remove Vietnamese diacritics (``đ`` becomes ``d``).

    The result has exactly as many characters as the NFC form of ``text``, so positions
    found in it point at the same characters of the original.

    Examples
    --------
    >>> fold("Chủ nhật, Đà Nẵng")
    'chu nhat, da nang'

    """
    return "".join(_fold_char(c) for c in unicodedata.normalize("NFC", text))


def slug(text: str) -> str:
    """Fold ``text`` into an identifier: lower case, no diacritics, ``_`` between words.

    Examples
    --------
    >>> slug("Cơ Tu"), slug("Đi bộ"), slug(" Chữ ký số ")
    ('co_tu', 'di_bo', 'chu_ky_so')

    """
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


_VI_ORDINAL = {
    "2": 0,
    "hai": 0,
    "3": 1,
    "ba": 1,
    "4": 2,
    "tu": 2,
    "5": 3,
    "nam": 3,
    "6": 4,
    "sau": 4,
    "7": 5,
    "bay": 5,
}
_EN_DAY = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_DAY_SETS = {
    "weekdays": (0, 1, 2, 3, 4),
    "weekday": (0, 1, 2, 3, 4),
    "ngay thuong": (0, 1, 2, 3, 4),
    "weekend": (5, 6),
    "weekends": (5, 6),
    "cuoi tuan": (5, 6),
    "daily": _ALL_DAYS,
    "every day": _ALL_DAYS,
    "everyday": _ALL_DAYS,
    "hang ngay": _ALL_DAYS,
    "hangngay": _ALL_DAYS,
    "moi ngay": _ALL_DAYS,
    "ca tuan": _ALL_DAYS,
}

# Tokens are matched on the folded text (lower case, no diacritics).
_TOKEN = re.compile(
    r"""
    (?P<space>[ \t\r\xa0]+)
    |(?P<hard>[;|\n])
    |(?P<soft>[,&/+]|\band\b|\bva\b)
    |(?P<dayset>\b(?:weekdays?|weekends?|ngay\s+thuong|cuoi\s+tuan|daily|every\s*day
        |hang\s*ngay|moi\s+ngay|ca\s+tuan)\b)
    |(?P<viday>\b(?:thu|t)\s*\.?\s*(?:[2-7]|hai|ba|tu|nam|sau|bay)\b(?!\s*[:.hg]\s*\d|\s*h\b)
        |\bcn\b|\bchu\s*nhat\b)
    |(?P<enday>\b(?:mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs?(?:day)?)?
        |fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b)
    |(?P<time>\d+(?:\s*[:.hg]\s*\d+|\s*[:hg](?![a-z])|\s*gio\b)?(?:\s*(?:am|pm)\b)?)
    |(?P<dash>[-–—~]|\bto\b|\bden\b|\btoi\b)
    |(?P<other>\w+|\S)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Tok:
    kind: str
    folded: str
    raw: str


def _day_of(tok: _Tok) -> tuple[int, ...]:
    f = re.sub(r"[\s.]+", " ", tok.folded).strip()
    if tok.kind == "dayset":
        return _DAY_SETS[f.replace("  ", " ")]
    if tok.kind == "enday":
        return (_EN_DAY[f[:3]],)
    if f in ("cn", "chu nhat", "chunhat"):
        return (6,)
    m = re.fullmatch(r"(?:thu|t) ?(\w+)", f)
    assert m is not None
    return (_VI_ORDINAL[m.group(1)],)


def _minutes(tok: _Tok, text: str) -> int:
    f = re.sub(r"\s+", "", tok.folded)
    ampm = None
    if f.endswith(("am", "pm")):
        ampm, f = f[-2:], f[:-2]
    f = f.removesuffix("gio")
    m = re.fullmatch(r"(\d+)(?:[:.hg](\d*))?", f)
    if m is None:  # pragma: no cover - the token pattern only lets these through
        raise WindowSyntaxError(
            f"cannot read the time {tok.raw!r}", "write times as HH:MM, e.g. 07:00", text=text
        )
    hours_s, mins_s = m.group(1), m.group(2) or ""
    if m.group(2) is None and len(hours_s) in (3, 4):  # 0700, 730
        hours_s, mins_s = hours_s[:-2], hours_s[-2:]
    fix = "use 24-hour times from 00:00 to 24:00, e.g. 07:00-11:00 or 16:00-19:00"
    shown = {"time": tok.raw.strip()}
    if len(hours_s) > 2 or (mins_s and len(mins_s) != 2):
        raise WindowSyntaxError(
            f"{tok.raw.strip()!r} is not a time of day",
            fix,
            text=text,
            code="time_bad",
            params=shown,
        )
    hours, mins = int(hours_s), int(mins_s or 0)
    if ampm is not None:
        if not 1 <= hours <= 12:
            raise WindowSyntaxError(
                f"{tok.raw.strip()!r} is not a time of day",
                "with am/pm the hour must be 1..12, e.g. 7am-11am",
                text=text,
                code="time_bad_ampm",
                params=shown,
            )
        hours = hours % 12 + (12 if ampm == "pm" else 0)
    if hours > 24 or mins > 59 or (hours == 24 and mins):
        raise WindowSyntaxError(
            f"{tok.raw.strip()!r} is not a time of day (hours go from 00 to 24, minutes "
            "from 00 to 59)",
            fix,
            text=text,
            code="time_out_of_day",
            params=shown,
        )
    return hours * 60 + mins


def format_clock(seconds: float) -> str:
    """Format seconds since midnight as ``HH:MM``, rounded to the nearest minute.

    The one clock format of routeplan: tables, maps, sheets, summaries and messages all
    print a time through it, so the same time never prints a minute apart.
    """
    minutes = round(seconds / 60.0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _hhmm(minutes: int) -> str:
    return format_clock(minutes * 60)


def _tokens(text: str) -> list[_Tok]:
    folded = fold(text)
    nfc = unicodedata.normalize("NFC", text)
    out = []
    for m in _TOKEN.finditer(folded):
        kind = m.lastgroup or "other"
        if kind == "space":
            continue
        out.append(_Tok(kind, m.group(), nfc[m.start() : m.end()]))
    return out


def _is_day(tok: _Tok | None) -> bool:
    return tok is not None and tok.kind in ("viday", "enday", "dayset")


def _no_hours(day: str, text: str) -> WindowSyntaxError:
    return WindowSyntaxError(
        f"{day!r} has no hours",
        f"write the hours after the day, e.g. {day} 07:00-11:00",
        text=text,
        code="day_no_hours",
        params={"day": day},
    )


def _check_order(first: _Tok, last: _Tok, start: int, end: int, text: str) -> None:
    """Raise unless ``start``-``end`` (read from ``first`` and ``last``) is a window."""
    if start == 24 * 60:
        raise WindowSyntaxError(
            f"a window cannot start at {first.raw.strip()!r}",
            "start at 00:00 to 23:59",
            text=text,
            code="window_starts_24",
            params={"time": first.raw.strip()},
        )
    if end <= start:
        shown = f"{first.raw.strip()}-{last.raw.strip()}"
        if end == start:
            raise WindowSyntaxError(
                f"window {shown!r} is empty",
                "give an end later than the start",
                text=text,
                code="window_empty",
                params={"window": shown},
            )
        raise WindowSyntaxError(
            f"window {shown!r} ends before it starts",
            f"write the earlier time first ({_hhmm(end)}-{_hhmm(start)}); a window "
            f"past midnight must be split, e.g. {_hhmm(start)}-24:00 and, on the "
            f"next day, 00:00-{_hhmm(end)}",
            text=text,
            code="window_backwards",
            params={"window": shown, "start": _hhmm(start), "end": _hhmm(end)},
        )


def _unexpected(tok: _Tok, text: str) -> WindowSyntaxError:
    """Return the error for a token that starts nothing: a lone dash or another word."""
    if tok.kind == "dash":
        return WindowSyntaxError(
            f"a dash ({tok.raw.strip()!r}) without a time before it",
            f"write windows like {EXAMPLE}",
            text=text,
            code="dash_alone",
            params={"dash": tok.raw.strip(), "example": EXAMPLE},
        )
    return WindowSyntaxError(
        f"cannot read {tok.raw.strip()!r}: it is neither a day nor a time",
        f"write windows like {EXAMPLE} (24-hour times; days Mon..Sun or T2..T7, CN)",
        text=text,
        code="window_word",
        params={"word": tok.raw.strip(), "example": EXAMPLE},
    )


@dataclass
class _Reader:
    """The state of reading one availability text, token by token."""

    text: str
    toks: list[_Tok]
    spans: list[Window] = field(default_factory=list)
    days: list[int] | None = None  # the current group's days (None: every day)
    has_spans: bool = False
    pending_day: str = ""

    def at(self, i: int) -> _Tok | None:
        """Return the token at ``i``, ``None`` past the end."""
        return self.toks[i] if i < len(self.toks) else None

    def step(self, i: int) -> int:
        """Read what starts at token ``i``; return the position of the next token."""
        tok = self.toks[i]
        if _is_day(tok):
            return self.read_days(i)
        if tok.kind == "time":
            return self.read_window(i)
        if tok.kind == "hard":
            self.end_group()
            return i + 1
        if tok.kind == "soft":
            return i + 1
        raise _unexpected(tok, self.text)

    def read_days(self, i: int) -> int:
        """Read a day, a day set or a range of days (``T2-T6``) into the current group."""
        tok, nxt, after = self.toks[i], self.at(i + 1), self.at(i + 2)
        these = _day_of(tok)
        label = tok.raw.strip()
        if nxt is not None and nxt.kind == "dash" and _is_day(after):
            assert after is not None
            a, b = these[0], _day_of(after)[-1]
            these = tuple((a + k) % 7 for k in range((b - a) % 7 + 1))
            label = f"{label}-{after.raw.strip()}"
            i += 2
        if self.days is None or self.has_spans:
            self.days, self.has_spans = list(these), False
        else:
            self.days.extend(d for d in these if d not in self.days)
        self.pending_day = label
        return i + 1

    def read_window(self, i: int) -> int:
        """Read ``start-end`` and add it on the current group's days."""
        tok, nxt, after = self.toks[i], self.at(i + 1), self.at(i + 2)
        if nxt is not None and nxt.kind == "time":
            raise WindowSyntaxError(
                f"{tok.raw.strip()!r} and {nxt.raw.strip()!r} have no dash between them",
                f"join start and end with a dash: {tok.raw.strip()}-{nxt.raw.strip()}",
                text=self.text,
                code="window_no_dash",
                params={"start": tok.raw.strip(), "end": nxt.raw.strip()},
            )
        if nxt is None or nxt.kind != "dash" or after is None or after.kind != "time":
            raise WindowSyntaxError(
                f"{tok.raw.strip()!r} is not a window: a window needs a start and an end",
                f"write start-end, e.g. {tok.raw.strip()}-11:00",
                text=self.text,
                code="window_no_end",
                params={"time": tok.raw.strip()},
            )

        start, end = _minutes(tok, self.text), _minutes(after, self.text)
        _check_order(tok, after, start, end, self.text)
        for d in self.days if self.days is not None else _ALL_DAYS:
            self.spans.append((d, start, end))
        self.has_spans = True
        return i + 3

    def end_group(self) -> None:
        """End the current group (at ``;`` or the end); a day part needs hours."""
        if self.days is not None and not self.has_spans:
            raise _no_hours(self.pending_day, self.text)
        self.days, self.has_spans = None, False


def parse_windows(text: str | None) -> tuple[Window, ...]:
    """Read an availability text into sorted, merged ``(weekday, start, end)`` windows.

    Parameters
    ----------
    text
        For example ``"07:00-11:00;16:00-19:00"`` or
        ``"Sat 07:00-11:00,14:00-17:00; Sun 08:00-12:00"`` (see the module docstring for
        the whole grammar). ``None`` or blank gives ``()``.

    Returns
    -------
    tuple of (int, int, int)
        ``(weekday 0=Mon..6=Sun, start minute, end minute)`` sorted by day and start,
        overlapping or touching windows merged.

    Raises
    ------
    WindowSyntaxError
        With a message quoting the offending part and a suggested fix: an end before its
        start, an impossible time (``25:00``), two times without a dash, a day without
        hours, or a word that is neither a day nor a time.

    Examples
    --------
    >>> parse_windows("Sat 07:00-11:00; T2 17h-19h30")
    ((0, 1020, 1170), (5, 420, 660))

    """
    if text is None or not text.strip():
        return ()
    reader = _Reader(text, _tokens(text))
    i = 0
    while i < len(reader.toks):
        i = reader.step(i)
    reader.end_group()
    return merge_windows(reader.spans)


def merge_windows(windows: Iterable[Window]) -> tuple[Window, ...]:
    """Sort windows by day and start and merge those that overlap or touch."""
    out: list[Window] = []
    for d, s, e in sorted(windows):
        if out and out[-1][0] == d and s <= out[-1][2]:
            pd_, ps, pe = out[-1]
            out[-1] = (pd_, ps, max(pe, e))
        else:
            out.append((d, s, e))
    return tuple(out)


def _day_label(days: Sequence[int], names: Sequence[str]) -> str:
    runs: list[list[int]] = []
    for d in days:
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}-{names[run[-1]]}")
        else:
            parts.extend(names[d] for d in run)
    return ", ".join(parts)


def format_windows(windows: Iterable[Window], *, language: str = "en") -> str:
    """Write windows back as text that :func:`parse_windows` reads to the same windows.

    Days with the same hours are grouped (``Mon-Fri 17:00-19:00; Sat, Sun 07:00-11:00``);
    hours that hold on every day are written without days. ``language="vi"`` uses
    ``T2`` .. ``T7``, ``CN``. No windows give ``""``.

    Examples
    --------
    >>> format_windows(parse_windows("T7 7h-11h; CN 7h-11h"), language="vi")
    'T7, CN 07:00-11:00'

    """
    names = DAY_NAMES_VI if language == "vi" else DAY_NAMES
    by_day: dict[int, list[tuple[int, int]]] = {}
    for d, s, e in merge_windows(windows):
        by_day.setdefault(d, []).append((s, e))
    if not by_day:
        return ""
    groups: dict[tuple[tuple[int, int], ...], list[int]] = {}
    for d in sorted(by_day):
        groups.setdefault(tuple(by_day[d]), []).append(d)
    parts = []
    for spans, days in groups.items():
        hours = ", ".join(f"{_hhmm(s)}-{_hhmm(e)}" for s, e in spans)
        parts.append(hours if len(days) == 7 else f"{_day_label(days, names)} {hours}")
    return "; ".join(parts)
