"""Short names of a volunteer's rounds, the same on the phone's markers and in GPX files.

A round is named by its day (``T2`` .. ``CN``, ``Mon`` .. ``Sun``); when a volunteer
has two rounds on one day they are ``T7a`` and ``T7b``, so that day and order
(``T7a·3``) name one stop of the week.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._labels import label
from ..planner import Route

__all__ = ["round_shorts", "rounds_per_day"]


def rounds_per_day(routes: Sequence[Route]) -> dict[int, int]:
    """Return how many of ``routes`` fall on each day."""
    per_day: dict[int, int] = {}
    for route in routes:
        per_day[route.day] = per_day.get(route.day, 0) + 1
    return per_day


def round_shorts(routes: Sequence[Route], language: str) -> list[str]:
    """Return each round's short name: ``T2``, or ``T2a`` / ``T2b`` on a day with two.

    ``routes`` are one volunteer's rounds in the order they are shown.

    Examples
    --------
    >>> from routeplan.planner import Route
    >>> r = [Route("TN-01", d, "walking", 0, 0, (), 0, 0) for d in (0, 5, 5, 6, 6)]
    >>> round_shorts(r, "vi"), round_shorts(r, "en")
    (['T2', 'T7a', 'T7b', 'CN-a', 'CN-b'], ['Mon', 'Sat-a', 'Sat-b', 'Sun-a', 'Sun-b'])

    """
    per_day = rounds_per_day(routes)
    seen: dict[int, int] = {}
    out = []
    for route in routes:
        short = label(f"dayshort_{route.day}", language)
        if per_day[route.day] > 1:
            k = seen.get(route.day, 0)
            seen[route.day] = k + 1
            sep = "" if short[-1].isdigit() else "-"
            short += sep + "abcdefghijklmnopqrstuvwxyz"[k % 26]
        out.append(short)
    return out
