"""How many volunteers the area needs, and which households no volunteer reaches.

By the "1+20" rule (``ceil(households / capacity)`` per hamlet) and by workload: the
hours one visit to every household takes, service at the door and travel, taken from a
plan where there is one and estimated from the matrix elsewhere.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..config import Settings
from ..matrix import UNREACHABLE, home_point_id
from ._common import matrix_rows
from .bands import MODES
from .points import home_ids
from .results import VolunteerNeed

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from ..matrix import TravelMatrix
    from ..planner import Plan

__all__ = ["matrix_mode", "volunteer_need"]


def _service_s(households: gpd.GeoDataFrame, settings: Settings) -> np.ndarray[Any, Any]:
    default = float(np.mean([s.minutes for s in settings.services.values()]))
    out = []
    codes_col = households["services"] if "services" in households else [()] * len(households)
    for codes in codes_col:
        if isinstance(codes, str):
            codes = tuple(c for c in re.split(r"[;,]", codes) if c.strip())
        mins = [
            settings.services[c].minutes if c in settings.services else default
            for c in (codes or ())
        ]
        out.append(60.0 * (sum(mins) if mins else default))
    return np.asarray(out, dtype=float)


def _plan_seconds(plan: Plan) -> dict[str, float]:
    """Seconds each visited household costs in ``plan``: service, travel to it, trip home."""
    out: dict[str, float] = {}
    for route in plan.routes:
        legs = 0
        for stop in route.stops:
            cost = stop.service_s + stop.travel_s
            out[stop.household_id] = out.get(stop.household_id, 0.0) + cost
            legs += stop.travel_s
        if route.stops:
            last = route.stops[-1].household_id
            out[last] += max(0, route.travel_s - legs)
    return out


def _estimate_seconds(
    frame: pd.DataFrame,
    households: gpd.GeoDataFrame,
    matrix: TravelMatrix,
    homes: Sequence[str],
    settings: Settings,
) -> np.ndarray[Any, Any]:
    """Estimate seconds per household: service, travel, a share of the trip from home.

    Travel is the leg from the nearest household of the same hamlet plus a
    ``visits_per_round`` share of the round trip from the nearest home (or service point).
    """
    cov = settings.coverage
    seconds = np.asarray(matrix.seconds)
    ids = list(frame["household_id"])
    rows = matrix_rows(matrix, ids)
    work = _service_s(households, settings)
    leg = np.full(len(ids), np.nan)
    for _, idx in frame.groupby("village", sort=False).indices.items():
        sub = seconds[np.ix_(rows[idx], rows[idx])].astype(float)
        sub[sub >= UNREACHABLE] = np.nan
        np.fill_diagonal(sub, np.nan)
        if len(idx) > 1:
            with np.errstate(all="ignore"):
                col = np.nanmin(np.where(np.isnan(sub), np.inf, sub), axis=0)
            leg[idx] = np.where(np.isfinite(col), col, np.nan)
    if homes:
        cols = matrix_rows(matrix, homes)
        out_t = seconds[np.ix_(cols, rows)].astype(float)
        back_t = seconds[np.ix_(rows, cols)].T.astype(float)
        trip = out_t + back_t
        trip[(out_t >= UNREACHABLE) | (back_t >= UNREACHABLE)] = np.inf
        access = trip.min(axis=0)
    else:
        mode = matrix_mode(matrix, frame)
        access = (frame[f"{mode}_min"] + frame[f"{mode}_return_min"]).to_numpy() * 60.0
    access = np.where(np.isfinite(access), access, np.nan)
    # no neighbour in the hamlet: the round trip is the whole travel
    leg = np.where(np.isnan(leg), access / 2.0, leg)
    travel = np.nan_to_num(leg) + np.nan_to_num(access) / cov.visits_per_round
    total: np.ndarray[Any, Any] = work + travel
    return total


def matrix_mode(matrix: TravelMatrix, frame: pd.DataFrame) -> str:
    """Return the mode of ``matrix`` (its ``mode`` attribute), else the first in ``frame``."""
    mode = getattr(matrix, "mode", None)
    if mode in MODES and f"{mode}_min" in frame:
        return str(mode)
    return next(m for m in MODES if f"{m}_min" in frame)


def _workload_seconds(
    frame: pd.DataFrame,
    households: gpd.GeoDataFrame,
    matrix: TravelMatrix,
    homes: Sequence[str],
    settings: Settings,
    plan: Plan | None,
) -> tuple[np.ndarray[Any, Any], str]:
    """Seconds per household and where they come from (``"plan"`` or ``"estimate"``)."""
    estimate = _estimate_seconds(frame, households, matrix, homes, settings)
    if plan is None:
        return estimate, "estimate"
    planned = _plan_seconds(plan)
    seconds = np.array(
        [planned.get(h, e) for h, e in zip(frame["household_id"], estimate, strict=True)]
    )
    return seconds, "plan"


def _per_hamlet(
    frame: pd.DataFrame, seconds: np.ndarray[Any, Any], settings: Settings
) -> pd.DataFrame:
    """Per hamlet: households, volunteers by the rule, workload hours, volunteers by workload."""
    cov = settings.coverage
    cap = settings.planner.capacity
    per = (
        pd.DataFrame({"village": frame["village"], "s": seconds})
        .groupby("village", sort=False)
        .agg(households=("s", "size"), s=("s", "sum"))
        .reset_index()
    )
    per["by_rule"] = [math.ceil(n / cap) for n in per["households"]]
    per["workload_h"] = per["s"] / 3600.0
    per["by_workload"] = [math.ceil(h / cov.volunteer_hours - 1e-9) for h in per["workload_h"]]
    per = per.drop(columns="s")
    # hardest to reach first, as in the hamlet table
    median = frame.groupby("village", sort=False)[f"{cov.mode}_min"].median()
    return (
        per.assign(_m=per["village"].map(median).fillna(np.inf))
        .sort_values(["_m", "village"], ascending=[False, True], kind="stable")
        .drop(columns="_m")
        .reset_index(drop=True)
    )


def _unreachable(
    frame: pd.DataFrame,
    matrices: Mapping[str, TravelMatrix],
    volunteers: gpd.GeoDataFrame,
    settings: Settings,
) -> pd.DataFrame:
    """Households no volunteer reaches from home within ``reach_min``, with the nearest."""
    cov = settings.coverage
    mode = cov.mode
    best = np.full(len(frame), np.inf)
    who = np.full(len(frame), "", dtype=object)
    hh_ids = list(frame["household_id"])
    for vid, vmode in zip(
        volunteers["volunteer_id"],
        volunteers.get("mode", pd.Series(mode, index=volunteers.index)),
        strict=True,
    ):
        m = matrices.get(str(vmode), matrices[mode])
        row = np.asarray(m.seconds)[m.index(home_point_id(vid)), matrix_rows(m, hh_ids)].astype(
            float
        )
        row[row >= UNREACHABLE] = np.inf
        better = row < best
        best[better], who[better] = row[better], vid
    far = best > cov.reach_min * 60
    return pd.DataFrame(
        {
            "household_id": frame["household_id"][far].values,
            "village": frame["village"][far].values,
            "best_min": np.where(np.isfinite(best[far]), best[far] / 60.0, np.nan),
            "volunteer_id": who[far],
        }
    )


def volunteer_need(
    frame: pd.DataFrame,
    households: gpd.GeoDataFrame,
    matrices: Mapping[str, TravelMatrix],
    settings: Settings,
    volunteers: gpd.GeoDataFrame | None,
    plan: Plan | None,
) -> VolunteerNeed:
    """Return the volunteers needed, by rule and by workload, and who no volunteer reaches.

    ``frame`` is the assessed households (:attr:`Assessment.households`); the workload
    is taken from ``plan`` where it visits a household, else estimated.
    """
    homes = home_ids(volunteers)
    seconds, source = _workload_seconds(
        frame, households, matrices[settings.coverage.mode], homes, settings, plan
    )
    per = _per_hamlet(frame, seconds, settings)
    unreachable = pd.DataFrame(columns=["household_id", "village", "best_min", "volunteer_id"])
    if homes:
        assert volunteers is not None
        unreachable = _unreachable(frame, matrices, volunteers, settings)
    return VolunteerNeed(
        by_rule=int(per["by_rule"].sum()),
        by_workload=int(per["by_workload"].sum()),
        workload_h=float(per["workload_h"].sum()),
        source=source,
        per_hamlet=per,
        unreachable=unreachable,
        volunteers=None if volunteers is None else len(volunteers),
    )
