"""Daylight: civil dusk for the planned week at the households' place.

A round that visits a household needing daylight (``remote`` in the register, snapped
to an unpaved track or path, or far from the mapped ways) must be home by civil dusk
(the sun 6 degrees below the horizon), computed with `astral` for each day's date at
the centroid of the households, in the volunteers' time zone (``planner.timezone``, or
looked up offline with `timezonefinder`). Without a ``week_start`` the plan is not
dated, so every day gets the earliest dusk of the year at that place: the plan then
holds in any week.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import lru_cache

__all__ = ["dusk_seconds", "local_timezone"]

log = logging.getLogger(__name__)

_NO_DUSK = 86400  # polar summer: the sky never gets dark enough


@lru_cache(maxsize=32)
def local_timezone(lon: float, lat: float, setting: str = "") -> str:
    """Return ``setting`` if given, else the IANA time zone at ``(lon, lat)`` (offline)."""
    if setting:
        return setting
    from timezonefinder import TimezoneFinder

    name = TimezoneFinder().timezone_at(lng=lon, lat=lat)
    if not name:  # at sea: the nearest whole-hour offset from the longitude
        hours = round(lon / 15)
        name = "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"
    return str(name)


def _dusk_s(lon: float, lat: float, date: dt.date, tz: str) -> int:
    """Return civil dusk on ``date`` in seconds after local midnight (86400: never dark)."""
    from zoneinfo import ZoneInfo

    from astral import Observer
    from astral.sun import dusk

    zone = ZoneInfo(tz)
    try:
        when = dusk(Observer(latitude=lat, longitude=lon), date, tzinfo=zone)
    except ValueError:  # the sun stays above (or below) -6 degrees all day
        return _NO_DUSK
    local = when.astimezone(zone)
    if local.date() != date:  # dusk after midnight (far north in summer)
        return _NO_DUSK
    return local.hour * 3600 + local.minute * 60 + local.second


@lru_cache(maxsize=64)
def dusk_seconds(
    lon: float, lat: float, week_start: dt.date | None, tz: str, margin_min: int = 0
) -> tuple[int, ...]:
    """Return, per weekday (0 = Monday), when rounds needing daylight must be home.

    Civil dusk less ``margin_min`` minutes, in seconds after local midnight, for the
    seven dates from ``week_start``; without it, the year's earliest dusk for every day.
    """
    if week_start is not None:
        monday = week_start - dt.timedelta(days=week_start.weekday())
        days = [_dusk_s(lon, lat, monday + dt.timedelta(days=d), tz) for d in range(7)]
    else:
        year = dt.date(2025, 1, 1)  # any year: dusk moves by seconds between years
        earliest = min(_dusk_s(lon, lat, year + dt.timedelta(days=k), tz) for k in range(365))
        days = [earliest] * 7
    out = tuple(max(0, d - 60 * margin_min) if d < _NO_DUSK else _NO_DUSK for d in days)
    log.info("civil dusk at %.3f, %.3f (%s): %s", lat, lon, tz, out)
    return out
