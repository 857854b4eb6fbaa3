"""Carry-over into next week: what the visit log leaves to plan, and how.

:func:`next_week_inputs` turns the registers and the visit log into the planner's
inputs: done and refused households leave the rounds, the others carry what is left
to do; after "not at home" the visit moves to another time (:func:`_retry_windows`),
after "follow up" the note says what to bring; households keep their volunteer unless
that volunteer has less time now or left. :class:`Carryover` says what changed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._labels import label
from ..config import Settings
from ..errors import InputDataError, Problem
from ..timewindows import Window, format_clock, format_windows, merge_windows
from .history import HouseholdState, household_states
from .registers_sync import households_frame, service_points_frame, volunteers_frame
from .store import PathLike, transaction, windows_from

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = ["Carryover", "next_week_inputs"]

log = logging.getLogger(__name__)

_DAY_PARTS = ((0, 720), (720, 1020), (1020, 1440))
"""Morning (before 12:00), afternoon (12:00-17:00) and evening (after 17:00), in minutes."""
_WHOLE_WEEK: tuple[Window, ...] = tuple((d, 0, 1440) for d in range(7))


def _subtract(windows: Iterable[Window], cuts: Iterable[Window]) -> tuple[Window, ...]:
    out: list[Window] = []
    cut_by_day: dict[int, list[tuple[int, int]]] = {}
    for d, s, e in cuts:
        cut_by_day.setdefault(d, []).append((s, e))
    for d, s, e in merge_windows(windows):
        pieces = [(s, e)]
        for cs, ce in sorted(cut_by_day.get(d, ())):
            nxt = []
            for ps, pe in pieces:
                if ce <= ps or cs >= pe:
                    nxt.append((ps, pe))
                    continue
                if cs > ps:
                    nxt.append((ps, cs))
                if ce < pe:
                    nxt.append((ce, pe))
            pieces = nxt
        out.extend((d, ps, pe) for ps, pe in pieces if pe > ps)
    return merge_windows(out)


def _overlap_minutes(a: Iterable[Window], b: Iterable[Window]) -> int:
    total = 0
    b_list = list(b)
    for d, s, e in a:
        for d2, s2, e2 in b_list:
            if d == d2:
                total += max(0, min(e, e2) - max(s, s2))
    return total


def _part_of_day(minute: int) -> tuple[int, int]:
    for start, end in _DAY_PARTS:
        if start <= minute < end:
            return (start, end)
    return _DAY_PARTS[-1]


def _room(cand: Iterable[Window], volunteer: Iterable[Window] | None, travel_min: int) -> int:
    """Return the longest visit that fits in ``cand`` in the volunteer's hours (minutes).

    As the planner sees it: the volunteer leaves home at the start of their hours,
    travels ``travel_min`` there, visits inside the household's window and is home
    ``travel_min`` later, before their hours end. Without volunteer hours (nobody
    assigned yet) the longest window counts.
    """
    best = 0
    vol = list(volunteer) if volunteer is not None else None
    for d, s, e in cand:
        if vol is None:
            best = max(best, e - s)
            continue
        for d2, a, b in vol:
            if d2 == d:
                best = max(best, min(e, b - travel_min) - max(s, a + travel_min))
    return best


def _retry_windows(
    windows: tuple[Window, ...],
    failed: Sequence[tuple[int, int | None]],
    volunteer: tuple[Window, ...] | None,
    need_min: int,
    *,
    travel_min: int = 0,
) -> tuple[tuple[Window, ...], str]:
    """Windows avoiding the times of failed visits, and how (``""`` if unchanged).

    ``failed`` holds (weekday, minute of the planned arrival or None). Tried in turn:
    another part of the day (morning / afternoon / evening) on any day, another day,
    another part of the failed day; the first where the whole visit (``need_min``)
    fits in one piece inside the volunteer's hours, with ``travel_min`` to come from
    home before it and to go home after it, wins.
    """
    base = windows or _WHOLE_WEEK
    parts = {_part_of_day(m) for _, m in failed if m is not None}
    days = {d for d, _ in failed}
    candidates: list[tuple[str, list[Window]]] = []
    if parts:
        candidates.append(("time_of_day", [(d, s, e) for d in range(7) for s, e in parts]))
    candidates.append(("day", [(d, 0, 1440) for d in days]))
    if parts:
        candidates.append(
            ("time_on_day", [(d, *_part_of_day(m)) for d, m in failed if m is not None])
        )
    for how, cuts in candidates:
        cand = _subtract(base, cuts)
        if cand and _room(cand, volunteer, travel_min) >= need_min:
            return cand, how
    return windows, ""


_RETRY_NOTE = {  # how the retry differs -> label key of the note
    "time_of_day": "carry_time_of_day",
    "day": "carry_day",
    "time_on_day": "carry_time_on_day",
    "": "carry_phone_ahead",
}


@dataclass(frozen=True)
class Carryover:
    """What the visit log carries into next week's plan (see :func:`next_week_inputs`).

    Attributes
    ----------
    week_start
        The Monday of the week being planned.
    previous_week
        The latest earlier week with a stored plan, or ``None``.
    service_points
        Active service points (for the matrix and the maps).
    complete
        Households whose services are all done: they leave the rounds.
    refused
        Households that refused at their last visit: not planned again.
    retries
        Household -> how the visit time was changed after "not at home"
        (``time_of_day``, ``day``, ``time_on_day`` or ``""`` when no other time fits).
    follow_ups
        Household -> what to follow up.
    service_point_trips
        Households whose follow-up needs a trip to a service point first.
    replanned
        Volunteer -> why their households are free to move (availability, capacity or
        mode reduced since their last plan).
    volunteers_left
        Volunteers of the previous plan now inactive; their households are re-assigned.

    """

    week_start: dt.date
    previous_week: dt.date | None
    service_points: gpd.GeoDataFrame = field(repr=False, compare=False)
    complete: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    retries: Mapping[str, str] = field(default_factory=dict)
    follow_ups: Mapping[str, str] = field(default_factory=dict)
    service_point_trips: tuple[str, ...] = ()
    replanned: Mapping[str, str] = field(default_factory=dict)
    volunteers_left: tuple[str, ...] = ()

    def summary(self) -> str:
        """Say in a few lines what carries over into the week."""
        lines = [
            f"Week of {self.week_start.isoformat()}"
            + (f" (after {self.previous_week.isoformat()})" if self.previous_week else "")
        ]
        lines.append(
            f"  {len(self.complete)} households done (leave the rounds), "
            f"{len(self.refused)} refused"
        )
        lines.append(
            f"  {len(self.retries)} not at home last time (retried at another "
            f"time), {len(self.follow_ups)} follow-ups "
            f"({len(self.service_point_trips)} need a service-point trip first)"
        )
        if self.replanned:
            lines.append(f"  volunteers re-planned: {', '.join(sorted(self.replanned))}")
        if self.volunteers_left:
            lines.append(f"  volunteers no longer in the list: {', '.join(self.volunteers_left)}")
        return "\n".join(lines)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _check_monday(week_start: dt.date) -> None:
    if week_start.weekday() != 0:
        raise InputDataError(
            [
                Problem(
                    f"week {week_start.isoformat()} is a {week_start.strftime('%A')}, not a Monday",
                    f"give the Monday of that week: {_monday(week_start).isoformat()}",
                )
            ]
        )


def _previous_plans(conn: sqlite3.Connection, before: str) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT week_start FROM plans WHERE week_start < ? ORDER BY week_start DESC", (before,)
        )
    ]


def _failed_slots(
    conn: sqlite3.Connection, household_id: str, failed: Sequence[tuple[str, str]]
) -> list[tuple[int, int | None]]:
    slots: list[tuple[int, int | None]] = []
    for date_s, _vid in failed:
        date = dt.date.fromisoformat(date_s)
        row = conn.execute(
            "SELECT arrival_s FROM plan_stops WHERE household_id = ? AND day = ? AND "
            "week_start = ? ORDER BY arrival_s LIMIT 1",
            (household_id, date.weekday(), _monday(date).isoformat()),
        ).fetchone()
        slots.append((date.weekday(), None if row is None else int(row[0]) // 60))
    return slots


_TRAVEL_MIN = 15
"""Travel allowed each way around a retried visit when no stored plan says (minutes)."""


def _travel_minutes(conn: sqlite3.Connection, household_id: str) -> int:
    """Travel to allow each way around a retried visit: the longest trip to it planned."""
    row = conn.execute(
        "SELECT max(travel_s) FROM plan_stops WHERE household_id = ?", (household_id,)
    ).fetchone()
    if row is None or row[0] is None:
        return _TRAVEL_MIN
    return -(-int(row[0]) // 60)


def _reduced(old: Mapping[str, Any], vol: Mapping[str, Any]) -> str:
    reasons = []
    lost = _subtract(windows_from(json.dumps(old.get("windows", []))), vol["windows"])
    if lost:
        reasons.append(f"no longer free {format_windows(lost)}")
    if int(vol["capacity"]) < int(old.get("capacity", 0)):
        reasons.append(f"capacity {old.get('capacity')} -> {vol['capacity']}")
    if old.get("mode") and old.get("mode") != vol["mode"]:
        reasons.append(f"now {vol['mode']}")
    return "; ".join(reasons)


def _previous_assignment(
    conn: sqlite3.Connection, plans: Sequence[str]
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Household -> volunteer of the latest plan, and the volunteers as they were then."""
    previous: dict[str, str] = {}
    snapshots: dict[str, dict[str, Any]] = {}
    for wk in reversed(plans):  # oldest first; later plans override
        for hid, vid in conn.execute(
            "SELECT household_id, volunteer_id FROM plan_households WHERE "
            "week_start = ? AND volunteer_id IS NOT NULL",
            (wk,),
        ):
            previous[hid] = vid
        row = conn.execute("SELECT volunteers FROM plans WHERE week_start = ?", (wk,)).fetchone()
        snapshots.update(json.loads(row[0] or "{}"))
    return previous, snapshots


_EXTRA_COLUMNS = (
    "services_needed",
    "services_done",
    "visits",
    "last_outcome",
    "retry",
    "follow_up",
    "service_point_trip",
    "extra_service_s",
)
"""The columns :func:`next_week_inputs` adds to the register's, in this order."""


def _no_values() -> dict[str, list[Any]]:
    return {c: [] for c in ("services", "windows", "availability", "notes", *_EXTRA_COLUMNS)}


@dataclass
class _Week:
    """Next week's households as they are carried over, and what changed."""

    conn: sqlite3.Connection
    settings: Settings
    previous: Mapping[str, str]
    vols: Mapping[str, Mapping[str, Any]]
    complete: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    retries: dict[str, str] = field(default_factory=dict)
    follow_ups: dict[str, str] = field(default_factory=dict)
    trips: list[str] = field(default_factory=list)
    values: dict[str, list[Any]] = field(default_factory=_no_values)

    def add(self, rec: Mapping[str, Any], st: HouseholdState) -> None:
        """Carry one household over (or note it done or refused)."""
        hid = str(rec["household_id"])
        if st.complete:
            self.complete.append(hid)
            return
        if st.status == "refused":
            self.refused.append(hid)
            return
        lang = self.settings.output.language
        remaining = st.remaining
        windows: tuple[Window, ...] = tuple(rec["windows"])
        notes: list[str] = []
        retry = bool(st.failed)
        if retry:
            windows, note = self._retry(hid, windows, remaining, st)
            notes.append(note)
        notes += self._follow_up(hid, st)
        if rec["notes"]:
            notes.append(str(rec["notes"]))
        values = self.values
        values["windows"].append(windows)
        values["availability"].append(
            format_windows(windows, language=lang)
            if windows != tuple(rec["windows"])
            else rec["availability"]
        )
        values["notes"].append(" ".join(notes))
        values["services"].append(remaining)
        values["services_needed"].append(tuple(rec["services"]))
        values["services_done"].append(tuple(s for s in rec["services"] if s in st.done))
        values["visits"].append(st.visits)
        values["last_outcome"].append(st.last_outcome)
        values["retry"].append(retry)
        values["follow_up"].append(st.follow_up)
        values["service_point_trip"].append(st.service_point_trip)
        values["extra_service_s"].append(1800 if st.service_point_trip else 0)

    def _retry(
        self, hid: str, windows: tuple[Window, ...], remaining: tuple[str, ...], st: HouseholdState
    ) -> tuple[tuple[Window, ...], str]:
        """Return the windows of a visit after "not at home", and the note saying so."""
        settings = self.settings
        vid = self.previous.get(hid)
        vwin = tuple(self.vols[vid]["windows"]) if vid is not None and vid in self.vols else None
        # the visit as the planner will time it: the services left (20 min for a check-up)
        # and the service-point trip of a pending follow-up
        need = sum(settings.services[s].minutes for s in remaining if s in settings.services)
        need = (need or 20) + (30 if st.service_point_trip else 0)
        slots = _failed_slots(self.conn, hid, st.failed)
        windows, how = _retry_windows(
            windows, slots, vwin, need, travel_min=_travel_minutes(self.conn, hid)
        )
        self.retries[hid] = how
        d, m = slots[-1]
        lang = settings.output.language
        when = format_windows([(d, 0, 1)], language=lang).split(" ")[0]
        if m is not None:
            when += " " + format_clock(m * 60)
        return windows, label(_RETRY_NOTE[how], lang).format(when=when)

    def _follow_up(self, hid: str, st: HouseholdState) -> list[str]:
        """Return the notes of a pending follow-up (and its service-point trip)."""
        notes: list[str] = []
        if st.follow_pending:
            lang = self.settings.output.language
            self.follow_ups[hid] = st.follow_up
            if st.follow_up:
                notes.append(label("carry_follow_up", lang).format(text=st.follow_up.rstrip(".")))
            if st.service_point_trip:
                self.trips.append(hid)
                notes.append(label("carry_trip", lang))
        return notes

    def frame(self, households: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """Return the households carried over: what is left to do, the extra columns."""
        mask = ~households["household_id"].isin(set(self.complete) | set(self.refused))
        out = households.loc[mask].drop(columns=["active", "inactive_since"])
        out = out.reset_index(drop=True)
        for col in ("services", "windows", "availability", "notes"):
            values = self.values[col]
            out[col] = _objects(values) if col in ("services", "windows") else values
        for col in _EXTRA_COLUMNS:
            values = self.values[col]
            out[col] = _objects(values) if col.startswith("services_") else values
        return out


def _carry_over(
    conn: sqlite3.Connection, week_start: dt.date, settings: Settings
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict[str, str], Carryover]:
    """Do :func:`next_week_inputs` in an open transaction (volunteers not yet trimmed)."""
    week = week_start.isoformat()
    households = households_frame(conn, True)
    volunteers = volunteers_frame(conn, True)
    service_points = service_points_frame(conn, True)
    states = household_states(conn, households, week)
    plans = _previous_plans(conn, week)
    previous, snapshots = _previous_assignment(conn, plans)
    vols = {str(r["volunteer_id"]): r for r in volunteers.to_dict("records")}
    replanned = {
        vid: why
        for vid, old in snapshots.items()
        if vid in vols and (why := _reduced(old, vols[vid]))
    }
    left = tuple(sorted({v for v in previous.values() if v not in vols}))
    carried = _Week(conn, settings, previous, vols)
    for rec in households.to_dict("records"):
        carried.add(rec, states[str(rec["household_id"])])
    out = carried.frame(households)
    planned = set(out["household_id"])
    registered = set(households["household_id"])
    prev = {
        hid: vid
        for hid, vid in previous.items()
        # a household that left the register stays, for the planner to say household_gone
        if hid not in registered or (vid in vols and vid not in replanned and hid in planned)
    }
    extras = Carryover(
        week_start=week_start,
        previous_week=dt.date.fromisoformat(plans[0]) if plans else None,
        service_points=service_points.drop(columns=["active", "inactive_since"]),
        complete=tuple(carried.complete),
        refused=tuple(carried.refused),
        retries=carried.retries,
        follow_ups=carried.follow_ups,
        service_point_trips=tuple(carried.trips),
        replanned=replanned,
        volunteers_left=left,
    )
    return out, volunteers, prev, extras


def next_week_inputs(
    path: PathLike,
    week_start: dt.date,
    *,
    settings: Settings | None = None,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict[str, str], Carryover]:
    """Return what to plan for ``week_start`` from the registers and the visit log.

    Only visits dated before ``week_start`` count. Households whose services are all
    done, and those that refused, leave the rounds. The others keep their volunteer
    (``previous``) and carry what is left to do:

    * ``services`` is what is still to do (the register's services minus those done);
    * after "not at home" the household's ``windows`` avoid the time of the failed
      visit: another part of the day (morning / afternoon / evening), else another
      day, as long as the volunteer is free then; ``availability`` shows the new
      windows and ``notes`` starts with a line saying so;
    * after "follow up" ``notes`` starts with what to follow up, and
      ``service_point_trip`` says a trip to a service point is needed first (the
      visit then takes ``extra_service_s`` longer: the time of the trip is not known
      here, so 30 minutes are added);
    * households of a volunteer whose availability, capacity or mode shrank since their
      last plan, or who left the list, are given no ``previous`` volunteer, so the
      planner is free to re-assign them.

    Parameters
    ----------
    path
        The project file.
    week_start
        The Monday of the week to plan.
    settings
        ``settings.output.language`` chooses the language of the notes.

    Returns
    -------
    households : geopandas.GeoDataFrame
        The register's columns (``docs/ARCHITECTURE.md``) plus ``services_needed``,
        ``services_done`` (tuples), ``visits`` (int), ``last_outcome``, ``retry``
        (bool), ``follow_up`` (str), ``service_point_trip`` (bool) and
        ``extra_service_s`` (int).
    volunteers : geopandas.GeoDataFrame
        The active volunteers in the register's columns.
    previous : dict of str to str
        Household -> volunteer of the latest earlier plan (for stability).
    extras : Carryover
        What changed and why, and the service points.

    Raises
    ------
    InputDataError
        If ``week_start`` is not a Monday.

    """
    settings = settings or Settings()
    _check_monday(week_start)
    with transaction(path, write=False) as conn:
        out, volunteers, prev, extras = _carry_over(conn, week_start, settings)
    vol_out = volunteers.drop(columns=["active", "inactive_since"]).reset_index(drop=True)
    log.info("%s", extras.summary())
    return out, vol_out, prev, extras


def _objects(values: Sequence[Any]) -> Any:
    import numpy as np

    arr = np.empty(len(values), dtype=object)
    for k, v in enumerate(values):
        arr[k] = v
    return arr
