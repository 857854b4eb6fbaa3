"""Travel times from every household to its nearest service point, and their summary.

:func:`assessment` gives each household its minutes to (and back from) the nearest
service point per mode and its band, and sums them up per hamlet; :func:`what_if`
does the same with points added and compares the two (:func:`compare`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..config import CoverageSettings, Settings
from ..matrix import UNREACHABLE, service_point_id
from ._common import fold_name, matrix_rows
from .bands import TOTAL, band_index, band_labels
from .points import with_added
from .results import Assessment, WhatIf

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from ..matrix import TravelMatrix

__all__ = ["CoverageInputs", "assessment", "compare", "what_if"]


@dataclass(frozen=True, eq=False)
class CoverageInputs:
    """What every assessment of one coverage run shares.

    Attributes
    ----------
    households, service_points
        The registers; ``service_points`` are the existing points (before any what-if).
    matrices
        ``{mode: TravelMatrix}`` over :func:`routeplan.coverage.points.coverage_points`.
    modes
        The modes assessed, the headline one first.
    settings
        The settings of the run.

    """

    households: gpd.GeoDataFrame
    service_points: gpd.GeoDataFrame
    matrices: Mapping[str, TravelMatrix]
    modes: tuple[str, ...]
    settings: Settings


def _nearest(
    matrix: TravelMatrix, household_ids: Sequence[str], point_ids: Sequence[str]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], list[str]]:
    """Minutes to the nearest point, minutes back from it, and which point (``""``: none)."""
    rows = matrix_rows(matrix, household_ids)
    cols = matrix_rows(matrix, [service_point_id(p) for p in point_ids])
    to = np.asarray(matrix.seconds)[np.ix_(rows, cols)].astype(np.int64)
    back = np.asarray(matrix.seconds)[np.ix_(cols, rows)].T.astype(np.int64)
    j = to.argmin(axis=1)
    n = np.arange(len(rows))
    best, ret = to[n, j], back[n, j]
    ok = best < UNREACHABLE
    to_min = np.where(ok, best / 60.0, np.nan)
    back_min = np.where(ok & (ret < UNREACHABLE), ret / 60.0, np.nan)
    which = [str(point_ids[k]) if good else "" for k, good in zip(j, ok, strict=True)]
    return to_min, back_min, which


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(False, index=frame.index)
    return frame[column].fillna(False).astype(bool)


def _base_frame(
    households: gpd.GeoDataFrame, matrices: Mapping[str, TravelMatrix], mode: str
) -> pd.DataFrame:
    """Household columns the report keeps, and ``no_mapped_access`` from the matrix."""
    out = pd.DataFrame(
        {
            "household_id": households["household_id"].astype(str).values,
            "village": households["village"].astype(str).values,
        }
    )
    for col in ("elderly", "disability", "remote", "priority"):
        out[col] = _flag(households, col).values
    lang = (
        households["language"].fillna("").astype(str)
        if "language" in households
        else pd.Series("", index=households.index)
    )
    out["co_tu"] = (lang == "co_tu").values
    if "priority" not in households:
        out["priority"] = (
            out["elderly"].to_numpy()
            | out["disability"].to_numpy()
            | out["remote"].to_numpy()
            | (lang != "").to_numpy()
        )
    quality = (
        households["location_quality"].astype(str)
        if "location_quality" in households
        else pd.Series("gps", index=households.index)
    )
    out["location_quality"] = quality.values
    snaps = getattr(matrices[mode], "snaps", None)
    if snaps is not None and "no_mapped_access" in getattr(snaps, "columns", ()):
        flags = snaps["no_mapped_access"].reindex(out["household_id"]).fillna(False)
        out["no_mapped_access"] = flags.astype(bool).values
    else:
        out["no_mapped_access"] = False
    return out


def _household_times(
    households: gpd.GeoDataFrame,
    point_ids: Sequence[str],
    matrices: Mapping[str, TravelMatrix],
    modes: Sequence[str],
    cov: CoverageSettings,
) -> gpd.GeoDataFrame:
    import geopandas as gpd

    out = _base_frame(households, matrices, modes[0])
    labels = band_labels(cov.bands_min)
    ids = list(out["household_id"])
    for mode in modes:
        to_min, back_min, which = _nearest(matrices[mode], ids, point_ids)
        out[f"{mode}_min"] = to_min
        out[f"{mode}_return_min"] = back_min
        out[f"{mode}_point"] = which
        out[f"{mode}_band"] = [labels[i] for i in band_index(to_min, cov.bands_min)]
    return gpd.GeoDataFrame(out, geometry=households.geometry.values, crs="EPSG:4326")


def _hamlet_rows(frame: pd.DataFrame, mode: str, cov: CoverageSettings) -> pd.DataFrame:
    """Return the per-hamlet table of one mode (total row last)."""
    labels = band_labels(cov.bands_min)
    t = frame[f"{mode}_min"]
    band = frame[f"{mode}_band"]

    def summarise(g: pd.DataFrame) -> dict[str, Any]:
        tt = t.loc[g.index]
        far = int(((tt > cov.far_min) | tt.isna()).sum())
        row: dict[str, Any] = {
            "households": len(g),
            "elderly": int(g["elderly"].sum()),
            "co_tu": int(g["co_tu"].sum()),
            "priority": int(g["priority"].sum()),
            "median_min": float(tt.median()) if tt.notna().any() else math.nan,
            "worst_min": float(tt.max()) if tt.notna().any() else math.nan,
            "far": far,
            "share_far": far / len(g) if len(g) else 0.0,
            "no_mapped_access": int(g["no_mapped_access"].sum()),
            "village_location": int((g["location_quality"] == "village").sum()),
        }
        counts = band.loc[g.index].value_counts()
        for label in labels:
            row[label] = int(counts.get(label, 0))
        return row

    rows = [{"village": v, **summarise(g)} for v, g in frame.groupby("village", sort=False)]
    rows.sort(
        key=lambda r: (
            -(r["median_min"] if not math.isnan(r["median_min"]) else 1e9),
            fold_name(r["village"]),
        )
    )
    rows.append({"village": TOTAL, **summarise(frame)})
    out = pd.DataFrame(rows)
    out.insert(0, "mode", mode)
    return out


def assessment(inputs: CoverageInputs, points: gpd.GeoDataFrame) -> Assessment:
    """Assess the coverage of ``points`` (``point_id``, ``name``, ``added``, geometry)."""
    cov = inputs.settings.coverage
    frame = _household_times(
        inputs.households, [str(p) for p in points["point_id"]], inputs.matrices, inputs.modes, cov
    )
    table = pd.concat([_hamlet_rows(frame, m, cov) for m in inputs.modes], ignore_index=True)
    return Assessment(service_points=points, households=frame, hamlets=table)


def compare(
    before: Assessment, after: Assessment, mode: str, cov: CoverageSettings
) -> pd.DataFrame:
    """Per hamlet and overall in ``mode``: medians, worst, far households, before and after."""
    b, a = before.households, after.households
    nb = band_index(b[f"{mode}_min"], cov.bands_min)
    na = band_index(a[f"{mode}_min"], cov.bands_min)
    frame = pd.DataFrame(
        {
            "village": b["village"],
            "before": b[f"{mode}_min"],
            "after": a[f"{mode}_min"],
            "faster": na < nb,
        }
    )

    def far(s: pd.Series) -> int:
        return int(((s > cov.far_min) | s.isna()).sum())

    def row(village: str, g: pd.DataFrame) -> dict[str, Any]:
        return {
            "village": village,
            "households": len(g),
            "median_before": g["before"].median(),
            "median_after": g["after"].median(),
            "worst_before": g["before"].max(),
            "worst_after": g["after"].max(),
            "far_before": far(g["before"]),
            "far_after": far(g["after"]),
            "faster": int(g["faster"].sum()),
        }

    order = [str(v) for v in before.table(mode).index if v != TOTAL]
    groups = dict(tuple(frame.groupby("village", sort=False)))
    rows = [row(v, groups[v]) for v in order if v in groups]
    rows.append(row(TOTAL, frame))
    return pd.DataFrame(rows)


def what_if(inputs: CoverageInputs, baseline: Assessment, added: gpd.GeoDataFrame) -> WhatIf:
    """Assess the coverage with ``added`` points too, and compare it with ``baseline``."""
    cov = inputs.settings.coverage
    after = assessment(inputs, with_added(inputs.service_points, added))
    return WhatIf(added, after, compare(baseline, after, cov.mode, cov))
