"""The planning problem and its result, independent of any solver.

A :class:`Plan` says which volunteer looks after which household (``assignment``),
and how each volunteer's week is split into day rounds (``routes``), each a list of
:class:`Stop` in visit order with arrival times. Households that could not be given
to anyone are in ``unassigned``; households given to a volunteer but not fitting
into this week are in ``rollover``; both carry a reason.

Times are seconds since midnight of the round's day; days are 0 = Monday .. 6 = Sunday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DAY_NAMES", "Change", "Plan", "Route", "Stop", "Unassigned"]

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Stop:
    """One household visit in a round."""

    household_id: str
    order: int
    arrival_s: int
    service_s: int
    travel_s: int

    @property
    def departure_s(self) -> int:
        """Seconds since midnight when the volunteer leaves the household."""
        return self.arrival_s + self.service_s


@dataclass(frozen=True)
class Route:
    """One volunteer's round on one day: from home, through the stops, back home."""

    volunteer_id: str
    day: int
    mode: str
    start_s: int
    end_s: int
    stops: tuple[Stop, ...]
    travel_s: int
    service_s: int

    @property
    def duration_s(self) -> int:
        """Seconds from leaving home to coming back."""
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Unassigned:
    """A household not visited this week, with a reason a coordinator can act on.

    ``reason`` is a short code (``capacity``, ``unreachable``, ``skill``, ``window``,
    ``time``, ...) and ``detail`` the sentence shown to people.
    """

    household_id: str
    reason: str
    detail: str


@dataclass(frozen=True)
class Change:
    """A household that moved to another volunteer since the previous plan."""

    household_id: str
    old: str | None
    new: str | None
    reason: str


@dataclass
class Plan:
    """The result of planning a week."""

    routes: list[Route]
    assignment: dict[str, str]
    unassigned: list[Unassigned] = field(default_factory=list)
    rollover: list[Unassigned] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    week_start: dt.date | None = None
    stats: dict[str, Any] = field(default_factory=dict)
