"""What the visit log says about each household: done, met, refused, to follow up.

The carry-over into next week (:mod:`.carryover`) and the progress report
(:mod:`.progress`) both read the log through :func:`household_states`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .store import split_codes

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = ["HouseholdState", "household_states"]


@dataclass
class HouseholdState:
    """What the visit log says about one household."""

    needed: tuple[str, ...]
    done: set[str] = field(default_factory=set)
    extra: set[str] = field(default_factory=set)
    visits: int = 0
    contact: bool = False
    last_outcome: str = ""
    last_date: str = ""
    follow_up: str = ""
    follow_pending: bool = False
    service_point_trip: bool = False
    people: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (date, volunteer) not at home

    @property
    def remaining(self) -> tuple[str, ...]:
        """The needed services not done yet, in register order."""
        return tuple(s for s in self.needed if s not in self.done)

    @property
    def complete(self) -> bool:
        """Whether every needed service is done (and the last visit met someone)."""
        return self.visits > 0 and self.last_outcome != "not_at_home" and not self.remaining

    @property
    def status(self) -> str:
        """``complete``, ``refused``, ``in_progress``, ``not_at_home`` or ``not_visited``."""
        if self.complete:
            return "complete"
        if self.last_outcome == "refused":
            return "refused"
        if self.contact:
            return "in_progress"
        if self.visits:
            return "not_at_home"
        return "not_visited"


def household_states(
    conn: sqlite3.Connection, households: gpd.GeoDataFrame, before: str | None
) -> dict[str, HouseholdState]:
    """Replay the visit log (visits before ``before``, if given) for each household."""
    states = {
        str(h): HouseholdState(tuple(s))
        for h, s in zip(households["household_id"], households["services"], strict=True)
    }
    query = (
        "SELECT household_id, visit_date, volunteer_id, outcome, services_done, "
        "people_supported, follow_up, service_point_trip FROM visits"
    )
    args: tuple[str, ...] = ()
    if before is not None:
        query += " WHERE visit_date < ?"
        args = (before,)
    for hid, date, vid, outcome, services, people, follow, trip in conn.execute(
        query + " ORDER BY visit_date, fid", args
    ):
        st = states.get(hid)
        if st is None:
            continue
        st.visits += 1
        done = set(split_codes(services))
        st.done |= done & set(st.needed)
        st.extra |= done - set(st.needed)
        st.last_outcome, st.last_date = outcome, date
        if outcome == "not_at_home":
            st.failed.append((date, vid))
        else:
            st.contact = True
            st.failed = []
        if outcome != "not_at_home":  # a pending follow-up survives a failed visit
            st.follow_pending = outcome == "follow_up"
            st.follow_up = follow if st.follow_pending else ""
            st.service_point_trip = bool(trip) and st.follow_pending
        if people is not None:
            st.people = max(st.people, int(people))
    return states
