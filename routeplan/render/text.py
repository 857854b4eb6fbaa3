"""Text every output prints the same way: names, durations, dates, services, file names.

The tables, the maps, the route sheets and the GPX files all go through these, so a
household's name, a duration or a date reads the same on paper and on the phone.
(Clock times go through :func:`routeplan.timewindows.format_clock`.)
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from .._labels import day_label, label
from ..config import Settings

__all__ = [
    "clean_text",
    "day_name",
    "format_duration",
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


_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def safe_file_name(text: str) -> str:
    """Return ``text`` usable as a file name on every system."""
    cleaned = _UNSAFE.sub("_", text).strip("._")
    return cleaned or "volunteer"
