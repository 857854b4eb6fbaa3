"""Text every output prints the same way: names, durations, dates, services, file names.

The tables, the maps, the route sheets and the GPX files all go through these, so a
household's name, a duration or a date reads the same on paper and on the phone.
(Clock times go through :func:`routeplan.timewindows.format_clock`.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .._labels import day_label, label
from ..config import Settings

__all__ = [
    "clean_text",
    "day_name",
    "format_duration",
    "remove_stale",
    "round_date",
    "safe_file_name",
    "service_labels",
]


def clean_text(value: Any) -> str:
    """Return ``value`` as trimmed Unicode NFC text; ``None`` and NaN become ``""``."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def format_duration(seconds: float, language: str = "vi") -> str:
    """Format a duration in words, rounded to the minute: ``"1 giờ 5 phút"``, ``"1 h 5 min"``."""
    minutes = round(seconds / 60.0)
    if minutes >= 60 and minutes % 60:
        return label("hours_minutes", language).format(h=minutes // 60, m=minutes % 60)
    if minutes >= 60:
        return label("hours", language).format(h=minutes // 60)
    return label("minutes", language).format(m=minutes)


def round_date(week_start: dt.date | None, day: int) -> dt.date | None:
    """Return the calendar date of weekday ``day`` (0 = Monday) in the week of ``week_start``.

    ``week_start`` is normally a Monday; any other date means "the week starting
    then", so the round falls on the first ``day`` on or after it.
    """
    if week_start is None:
        return None
    return week_start + dt.timedelta(days=(day - week_start.weekday()) % 7)


def day_name(day: int, language: str = "vi") -> str:
    """Return the weekday's name (0 = Monday) in ``language`` (``"vi"`` or ``"en"``)."""
    return day_label(day, language)


def service_labels(codes: Iterable[str], settings: Settings, language: str = "vi") -> list[str]:
    """Return the names of service ``codes`` in ``language``; unknown codes stay as they are."""
    out = []
    for code in codes:
        svc = settings.services.get(code)
        text = ""
        if svc is not None:
            text = svc.label_en if language == "en" else svc.label_vi
        out.append(text or code)
    return out


_KEPT = re.compile(r"[A-Z0-9][A-Z0-9_.\-]{0,63}")
_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9_\-]+")
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CLOCK$", "CONIN$", "CONOUT$"]
    + [f"{dev}{n}" for dev in ("COM", "LPT") for n in "0123456789\u00b9\u00b2\u00b3"]
)
NAME_HASH_LEN = 10
"""Hex digits of the hash that makes a file name unique."""


def safe_file_name(text: str) -> str:
    """Return the file name (without extension) of the outputs of id ``text``.

    The one rule naming ``volunteers/<name>.html``, ``sheets/<name>.pdf``,
    ``gpx/<name>.gpx`` and the overview's links. The name is stable (the same id
    gives the same name in every run) and unique (different ids give different
    names, also on systems that ignore case, such as Windows and macOS):

    - an id of at most 64 capital ASCII letters, digits, ``_``, ``-`` and ``.``
      (starting with a letter or digit, not ending with ``.``, and not a name Windows
      reserves such as ``CON`` or ``NUL.TXT``) is its own name: ``TN-01``;
    - any other id gets a readable part (accents dropped, characters other than
      ASCII letters, digits, ``_`` and ``-`` as ``_``, at most 40 characters), then
      ``~`` and the first 10 hex digits of the SHA-256 of the exact id:
      ``TN 01`` -> ``TN_01~<hash>``, ``../../evil`` -> ``evil~<hash>``, ``tn-01`` ->
      ``tn-01~<hash>``. Names kept as they are never contain ``~``, so the two kinds
      cannot meet.
    """
    if _KEPT.fullmatch(text) and not text.endswith(".") and text.split(".")[0] not in _RESERVED:
        return text
    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in ascii_text if not unicodedata.combining(c))
    readable = _SLUG_UNSAFE.sub("_", ascii_text).strip("_-")[:40].strip("_-") or "id"
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{readable}~{digest[:NAME_HASH_LEN]}"


def remove_stale(folder: Path, volunteer_ids: Iterable[str], suffix: str) -> list[Path]:
    """Delete ``folder/<volunteer_id><suffix>`` of each id (files an earlier plan left).

    A partial write (the writers' ``volunteers=``) calls this for the volunteers it was
    asked for that no longer get the file, so that the folder holds what a full write
    of the new plan holds. Returns the files deleted.
    """
    gone = []
    for vid in volunteer_ids:
        target = folder / f"{safe_file_name(vid)}{suffix}"
        if target.is_file():
            target.unlink()
            gone.append(target)
    return gone
