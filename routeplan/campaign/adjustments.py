"""A week's changes by hand: households locked to a volunteer, volunteers away, capacities.

The coordinator's app (``routeplan serve``) lets a coordinator move a household to
another volunteer and lock it there, mark a volunteer away for the week and change a
volunteer's capacity; :func:`routeplan.pipeline.replan_week` plans the week again
keeping them. They are stored in the project file (``routeplan_meta``, one JSON value
per week), so they survive a restart and every tab sees the same; each change is one
read-modify-write transaction, so two tabs changing the same week never lose a change.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputDataError, Problem
from .store import meta, set_meta, transaction

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = ["WeekAdjustments", "change_adjustments", "week_adjustments"]

PathLike = str | Path


@dataclass(frozen=True)
class WeekAdjustments:
    """What a coordinator changed by hand for one week.

    Attributes
    ----------
    locks
        Household id -> volunteer id it is locked to.
    away
        Volunteers away this week (left out of the plan).
    capacity
        Volunteer id -> this week's capacity (households), instead of the register's.

    """

    locks: Mapping[str, str] = field(default_factory=dict)
    away: frozenset[str] = frozenset()
    capacity: Mapping[str, int] = field(default_factory=dict)

    def to_json(self) -> str:
        """Return the adjustments as JSON text (as stored)."""
        return json.dumps(
            {
                "locks": dict(sorted(self.locks.items())),
                "away": sorted(self.away),
                "capacity": dict(sorted(self.capacity.items())),
            }
        )

    @classmethod
    def from_json(cls, text: str | None) -> WeekAdjustments:
        """Read adjustments stored by :meth:`to_json` (empty for ``None``)."""
        if not text:
            return cls()
        data = json.loads(text)
        return cls(
            locks={str(k): str(v) for k, v in data.get("locks", {}).items()},
            away=frozenset(str(v) for v in data.get("away", ())),
            capacity={str(k): int(v) for k, v in data.get("capacity", {}).items()},
        )

    def __bool__(self) -> bool:
        return bool(self.locks or self.away or self.capacity)

    def volunteers(self, volunteers: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """Return this week's volunteers: those away left out, capacities changed."""
        out = volunteers[~volunteers["volunteer_id"].astype(str).isin(self.away)].copy()
        if self.capacity and "capacity" in out:
            ids = out["volunteer_id"].astype(str)
            out["capacity"] = [
                self.capacity.get(vid, cap) for vid, cap in zip(ids, out["capacity"], strict=True)
            ]
        return out.reset_index(drop=True)


def _key(week_start: dt.date) -> str:
    return f"adjustments:{week_start.isoformat()}"


def week_adjustments(path: PathLike, week_start: dt.date) -> WeekAdjustments:
    """Return the adjustments stored for ``week_start`` (empty when there are none)."""
    with transaction(path, write=False) as conn:
        return WeekAdjustments.from_json(meta(conn, _key(week_start)))


def change_adjustments(
    path: PathLike,
    week_start: dt.date,
    change: Callable[[WeekAdjustments], WeekAdjustments],
) -> WeekAdjustments:
    """Apply ``change`` to the week's adjustments in one transaction; return the new ones.

    Raises
    ------
    InputDataError
        If a capacity is not between 0 and 500.

    """
    with transaction(path, write=True) as conn:
        new = change(WeekAdjustments.from_json(meta(conn, _key(week_start))))
        bad = [vid for vid, cap in new.capacity.items() if not 0 <= cap <= 500]
        if bad:
            raise InputDataError(
                [
                    Problem(f"capacity of {vid} must be 0..500", "type a number such as 20")
                    for vid in bad
                ]
            )
        set_meta(conn, _key(week_start), new.to_json())
    return new
