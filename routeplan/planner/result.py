"""The result of planning a week: :class:`Plan` and its parts, with tables and a summary.

A :class:`Plan` says which volunteer looks after which household (``assignment``),
and how each volunteer's week is split into day rounds (``routes``), each a list of
:class:`Stop` in visit order with arrival times. Households that could not be given
to anyone are in ``unassigned``; households given to a volunteer but not fitting
into this week are in ``rollover``; both carry a reason. :class:`Change` records a
household that moved to another volunteer since the previous plan.

Times are seconds since midnight of the round's day; days are 0 = Monday .. 6 = Sunday.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..timewindows import format_clock

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["DAY_NAMES", "Change", "Flag", "Plan", "Route", "Stop", "Unassigned"]

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

    @property
    def travel_over_visits(self) -> bool:
        """Whether the round travels longer than it visits (a ride worth a second look)."""
        return self.travel_s > self.service_s


@dataclass(frozen=True)
class Unassigned:
    """A household not visited this week, with a reason a coordinator can act on.

    ``reason`` is a short code and ``detail`` the sentence shown to people. Codes:
    ``capacity`` (every volunteer who could serve it is full), ``unreachable`` (no
    way there and back), ``skill``, ``language`` (hard rule only), ``window`` (its
    hours never meet a volunteer's), ``far`` (the trip and visit are longer than any
    available period); for rollover ``time`` (the volunteer's hours this week are
    full), ``daylight`` (it needs a round home by dusk, and the volunteer's daytime
    hours are full) and ``window`` (its own hours, narrower than the volunteer's
    shifts, did not fit into the rounds).
    """

    household_id: str
    reason: str
    detail: str


@dataclass(frozen=True)
class Change:
    """A household that moved to another volunteer since the previous plan.

    ``reason`` is the sentence shown to people; ``code`` the short form
    (``volunteer_gone``, ``capacity``, ``skill``, ``language``, ``unreachable``,
    ``window``, ``far``, ``daylight``, ``household_gone``, ``rebalanced``).
    """

    household_id: str
    old: str | None
    new: str | None
    reason: str
    code: str = ""


@dataclass(frozen=True)
class Flag:
    """A household the plan serves but a coordinator should look at, with the fix.

    Codes: ``far_from_map`` (farther than ``network.max_snap_m`` from every mapped
    way: the last leg is on foot with no mapped path) and ``separate_network``
    (snapped onto a piece of road not connected to the rest). The fix is to map the
    path (OpenStreetMap) or correct the location.
    """

    household_id: str
    code: str
    detail: str


@dataclass
class Plan:
    """The result of planning a week.

    ``stats`` holds figures about the solve: ``travel_s`` (total), ``workload_s``
    (volunteer id -> weekly seconds of travel and service), ``time_s`` (wall time per
    step), ``hit_time_limit`` (the clock, not the search's counts, stopped part of the
    search: ``cut`` says which), ``neighbour_splits`` (pairs of neighbours given to two
    volunteers; ``neighbour_splits_joinable``: of which one could have gone to the
    other's volunteer), ``daylight_households`` and ``dusk_s`` (per weekday) of the
    daylight rule, and the solver settings used. ``flags`` lists households served
    but far from the map (see :class:`Flag`).
    """

    routes: list[Route]
    assignment: dict[str, str]
    unassigned: list[Unassigned] = field(default_factory=list)
    rollover: list[Unassigned] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    week_start: dt.date | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)

    # --- figures --------------------------------------------------------------------

    @property
    def travel_s(self) -> int:
        """Total travel time of all rounds, in seconds."""
        return sum(r.travel_s for r in self.routes)

    @property
    def visits(self) -> int:
        """Number of household visits scheduled this week."""
        return sum(len(r.stops) for r in self.routes)

    def workload_s(self) -> dict[str, int]:
        """Weekly seconds (travel and service) of every volunteer with households."""
        work = {v: 0 for v in sorted(set(self.assignment.values()))}
        for r in self.routes:
            work[r.volunteer_id] = work.get(r.volunteer_id, 0) + r.travel_s + r.service_s
        return work

    def travel_by_volunteer(self) -> dict[str, int]:
        """Weekly travel seconds of every volunteer with households."""
        travel = {v: 0 for v in sorted(set(self.assignment.values()))}
        for r in self.routes:
            travel[r.volunteer_id] = travel.get(r.volunteer_id, 0) + r.travel_s
        return travel

    def travel_spread(self) -> tuple[float, float, float]:
        """Minimum, median and maximum weekly travel in hours over volunteers."""
        hours = sorted(t / 3600 for t in self.travel_by_volunteer().values())
        if not hours:
            return (0.0, 0.0, 0.0)
        return (hours[0], float(np.median(hours)), hours[-1])

    def workload_spread(self) -> tuple[float, float, float]:
        """Minimum, median and maximum weekly workload in hours over volunteers."""
        hours = sorted(w / 3600 for w in self.workload_s().values())
        if not hours:
            return (0.0, 0.0, 0.0)
        return (hours[0], float(np.median(hours)), hours[-1])

    # --- tables and text ----------------------------------------------------------

    def summary(self) -> str:
        """Return a plain-text summary: totals, then one line per volunteer."""
        n_hh = len(self.assignment) + len(self.unassigned)
        lo, med, hi = self.workload_spread()
        week = f" (week of {self.week_start.isoformat()})" if self.week_start else ""
        lines = [
            f"Plan{week}: {n_hh} households, {len(self.assignment)} assigned to "
            f"{len(set(self.assignment.values()))} volunteers, {len(self.unassigned)} "
            "unassigned.",
            f"This week: {self.visits} visits in {len(self.routes)} rounds, "
            f"{len(self.rollover)} rolled over to next week; travel {self.travel_s / 3600:.1f} h.",
            f"Weekly workload per volunteer: min {lo:.1f} h, median {med:.1f} h, max {hi:.1f} h.",
            self._travel_line(),
        ]
        lines += self._warning_lines()
        if self.changes:
            lines.append(
                f"Changes since the previous plan: {len(self.changes)} "
                f"({_count_text(c.code or 'other' for c in self.changes)})."
            )
        if self.unassigned:
            lines.append(f"Unassigned: {_count_text(u.reason for u in self.unassigned)}.")
        if self.rollover:
            lines.append(f"Rolled over: {_count_text(u.reason for u in self.rollover)}.")
        lines.append("")
        lines.append(
            f"{'volunteer':<12} {'hh':>3} {'visits':>6} {'rounds':>6} {'travel':>7} "
            f"{'work':>6}  days"
        )
        per_v: dict[str, list[Route]] = {}
        for r in self.routes:
            per_v.setdefault(r.volunteer_id, []).append(r)
        count = Counter(self.assignment.values())
        rolled = Counter(
            self.assignment[u.household_id]
            for u in self.rollover
            if u.household_id in self.assignment
        )
        work = self.workload_s()
        for vid in sorted(count):
            routes = sorted(per_v.get(vid, []), key=lambda r: (r.day, r.start_s))
            days = ", ".join(
                f"{DAY_NAMES[r.day]} {format_clock(r.start_s)}-{format_clock(r.end_s)} "
                f"({len(r.stops)})"
                for r in routes
            )
            extra = f"; {rolled[vid]} rolled over" if rolled[vid] else ""
            lines.append(
                f"{vid:<12} {count[vid]:>3} {sum(len(r.stops) for r in routes):>6} "
                f"{len(routes):>6} {sum(r.travel_s for r in routes) / 3600:>6.1f}h "
                f"{work.get(vid, 0) / 3600:>5.1f}h  {days}{extra}"
            )
        return "\n".join(lines)

    def _travel_line(self) -> str:
        tlo, tmed, thi = self.travel_spread()
        over = sum(1 for r in self.routes if r.travel_over_visits)
        return (
            f"Weekly travel per volunteer: min {tlo:.1f} h, median {tmed:.1f} h, max "
            f"{thi:.1f} h; {over} rounds travel longer than they visit."
        )

    def _warning_lines(self) -> list[str]:
        lines = []
        if self.flags:
            lines.append(
                f"Far from the map: {len(self.flags)} households "
                f"({_count_text(f.code for f in self.flags)}): map the path to them."
            )
        if self.stats.get("neighbour_splits"):
            lines.append(
                f"Neighbours split between volunteers: {self.stats['neighbour_splits']} pairs "
                f"(in {self.stats.get('neighbour_splits_joinable', 0)} one volunteer may serve "
                "both; the others need a skill, language or hours only one has)."
            )
        if self.stats.get("hit_time_limit"):
            lines.append(
                f"The time limit ({self.stats.get('time_limit_s', '?')} s) cut the search "
                f"({', '.join(self.stats.get('cut', []))}): another run may give another plan."
            )
        return lines

    def stops_frame(self) -> pd.DataFrame:
        """Return one row per visit, in volunteer, day and visit order.

        Columns: ``volunteer_id``, ``day`` (0=Mon), ``day_name``, ``date`` (when
        ``week_start`` is known, else empty), ``round`` (1-based per volunteer),
        ``order``, ``household_id``, ``arrival_s``, ``departure_s``, ``arrival``,
        ``departure`` (HH:MM), ``service_s``, ``travel_s``, ``mode``, ``flags``
        (``far_from_map``, ``separate_network``, ``travel_over_visits`` for every
        stop of a round that travels longer than it visits; ``;``-separated).
        """
        import pandas as pd

        flagged = {f.household_id: f.code for f in self.flags}
        rows: list[dict[str, Any]] = []
        per_v: dict[str, int] = {}
        for r in sorted(self.routes, key=lambda r: (r.volunteer_id, r.day, r.start_s)):
            per_v[r.volunteer_id] = per_v.get(r.volunteer_id, 0) + 1
            date = (
                (self.week_start + dt.timedelta(days=r.day)).isoformat() if self.week_start else ""
            )
            for s in r.stops:
                rows.append(
                    {
                        "volunteer_id": r.volunteer_id,
                        "day": r.day,
                        "day_name": DAY_NAMES[r.day],
                        "date": date,
                        "round": per_v[r.volunteer_id],
                        "order": s.order,
                        "household_id": s.household_id,
                        "arrival_s": s.arrival_s,
                        "departure_s": s.departure_s,
                        "arrival": format_clock(s.arrival_s),
                        "departure": format_clock(s.departure_s),
                        "service_s": s.service_s,
                        "travel_s": s.travel_s,
                        "mode": r.mode,
                        "flags": ";".join(
                            x
                            for x in (
                                flagged.get(s.household_id, ""),
                                "travel_over_visits" if r.travel_over_visits else "",
                            )
                            if x
                        ),
                    }
                )
        columns = [
            "volunteer_id",
            "day",
            "day_name",
            "date",
            "round",
            "order",
            "household_id",
            "arrival_s",
            "departure_s",
            "arrival",
            "departure",
            "service_s",
            "travel_s",
            "mode",
            "flags",
        ]
        return pd.DataFrame(rows, columns=columns)

    def assignments_frame(self) -> pd.DataFrame:
        """Return one row per household: who looks after it and whether it is visited.

        Columns: ``household_id``, ``volunteer_id`` (empty when unassigned), ``status``
        (``scheduled``, ``rollover`` or ``unassigned``), ``day`` (-1 when not
        visited), ``reason`` and ``detail`` (empty when scheduled), ``flag`` and
        ``flag_detail`` (see :class:`Flag`; empty when none). The first two columns
        are the ``previous`` format read by :func:`read_previous`.
        """
        import pandas as pd

        flagged = {f.household_id: f for f in self.flags}

        day = {s.household_id: r.day for r in self.routes for s in r.stops}
        rolled = {u.household_id: u for u in self.rollover}
        rows: list[dict[str, Any]] = []
        for hid, vid in sorted(self.assignment.items()):
            u = rolled.get(hid)
            rows.append(
                {
                    "household_id": hid,
                    "volunteer_id": vid,
                    "status": "rollover" if u else "scheduled",
                    "day": day.get(hid, -1),
                    "reason": u.reason if u else "",
                    "detail": u.detail if u else "",
                }
            )
        for u in sorted(self.unassigned, key=lambda u: u.household_id):
            rows.append(
                {
                    "household_id": u.household_id,
                    "volunteer_id": "",
                    "status": "unassigned",
                    "day": -1,
                    "reason": u.reason,
                    "detail": u.detail,
                }
            )
        for row in rows:
            f = flagged.get(row["household_id"])
            row["flag"] = f.code if f else ""
            row["flag_detail"] = f.detail if f else ""
        return pd.DataFrame(
            rows,
            columns=[
                "household_id",
                "volunteer_id",
                "status",
                "day",
                "reason",
                "detail",
                "flag",
                "flag_detail",
            ],
        )


def _count_text(codes: Any) -> str:
    counts = Counter(codes)
    return ", ".join(f"{n} {code}" for code, n in sorted(counts.items(), key=lambda kv: -kv[1]))
