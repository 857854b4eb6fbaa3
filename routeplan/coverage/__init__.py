"""Coverage for planners: who is hard to reach, and what would help.

For every household this module works out the travel time to its nearest service
point (where paperwork is received and returned) by motorbike and on foot, puts it
into time bands a planner can set (up to 15, 15-30, 30-60, over 60 minutes), and
sums it up per hamlet: households, elderly, Co Tu speakers and other priority
households, median and worst travel time, the share beyond ``far_min`` minutes,
households with no mapped access or only a village-level location.

It also says how many volunteers the area needs, by the "1+20" rule and by the
hours the rounds would really take on this terrain, lists the households no
volunteer can reach in a reasonable time, and answers two what-if questions:

* what changes if a service point is added here (coordinates, or a hamlet by name)?
* which ``k`` of these candidate sites would help most (maximal covering or
  p-median, solved by :func:`routeplan.planner.solve.choose_sites`)?

The entry points are :func:`assess_coverage` (from the registers and the road
network) and :func:`assess` (from ready-made travel-time matrices), both returning a
:class:`CoverageReport`; :func:`write_coverage` writes it as an HTML report with an
offline map, the per-hamlet table as HTML and CSV, and a GeoPackage.

Times are minutes (float, ``NaN`` where there is no route). In the matrices this
module builds, service points are named ``sp:<point_id>`` and volunteers' homes
``home:<volunteer_id>``; households keep their ``household_id``.
"""

from __future__ import annotations

import difflib
import html
import logging
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._io import atomic_path, write_text
from ..config import CoverageSettings, Settings
from ..errors import InputDataError, Problem, RouteplanError
from ..matrix import UNREACHABLE, home_point_id, service_point_id
from ..timewindows import fold

if TYPE_CHECKING:  # pragma: no cover
    import folium
    import geopandas as gpd

    from ..matrix import TravelMatrix
    from ..planner import Plan

__all__ = [
    "MODES",
    "NO_ACCESS",
    "Assessment",
    "CoverageReport",
    "SiteChoice",
    "VolunteerNeed",
    "WhatIf",
    "assess",
    "assess_coverage",
    "band_index",
    "band_labels",
    "coverage_map",
    "coverage_points",
    "hamlet_places",
    "hamlet_sites",
    "isochrones",
    "read_candidates",
    "resolve_sites",
    "write_coverage",
]

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, float], None]

MODES: tuple[str, ...] = ("motorbike", "walking")
"""The travel modes assessed, the headline one (``CoverageSettings.mode``) first."""

NO_ACCESS = "no access"
"""Band of a household with no route to any service point."""

TOTAL = "All hamlets"
"""Village name of the table's total row."""


_BAND_COLOURS = ("#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fdae61", "#f46d43", "#d73027")
_NO_ACCESS_COLOUR = "#6a3d9a"


# --- bands ------------------------------------------------------------------------------


def band_labels(bands_min: Sequence[int]) -> list[str]:
    """Return the labels of the bands: ``["0-15 min", ..., "over 60 min", "no access"]``."""
    labels, low = [], 0
    for high in bands_min:
        labels.append(f"{low}-{high} min")
        low = high
    return [*labels, f"over {bands_min[-1]} min", NO_ACCESS]


def band_index(minutes: Any, bands_min: Sequence[int]) -> np.ndarray[Any, Any]:
    """Return the band number of each time: 0 for up to ``bands_min[0]`` (inclusive), ...

    ``NaN`` (no route) gets the last number, ``len(bands_min) + 1``.
    """
    t = np.asarray(minutes, dtype=float)
    idx = np.searchsorted(np.asarray(bands_min, dtype=float), t, side="left")
    return np.where(np.isnan(t), len(bands_min) + 1, idx).astype(np.int64)


def _colours(n_bands: int) -> list[str]:
    """Green to red for ``n_bands`` time bands (the last being "over"), then no access."""
    pick = np.linspace(0, len(_BAND_COLOURS) - 1, n_bands).round().astype(int)
    return [_BAND_COLOURS[i] for i in pick] + [_NO_ACCESS_COLOUR]


# --- results ----------------------------------------------------------------------------


@dataclass
class Assessment:
    """Travel times from every household to its nearest service point, and their summary.

    Attributes
    ----------
    service_points
        The service points assessed: ``point_id``, ``name``, ``added`` (a what-if point),
        geometry.
    households
        One row per household: ``household_id``, ``village``, the priority flags,
        ``location_quality``, ``no_mapped_access`` and, for each mode in :data:`MODES`,
        ``<mode>_min`` (to the nearest point), ``<mode>_return_min`` (back from it),
        ``<mode>_point`` (its ``point_id``) and ``<mode>_band`` (band label).
    hamlets
        The per-hamlet table, one row per (``mode``, ``village``), with a total row per
        mode (``village == "All hamlets"``); see :meth:`table`.
    isochrones
        Areas reachable within each band's limit of a service point, per mode (rings:
        ``mode``, ``band``, ``minutes``, geometry), or ``None`` without a network.

    """

    service_points: gpd.GeoDataFrame
    households: gpd.GeoDataFrame
    hamlets: pd.DataFrame
    isochrones: gpd.GeoDataFrame | None = None

    def table(self, mode: str | None = None) -> pd.DataFrame:
        """Return the per-hamlet table of ``mode`` (default: the first mode), total last."""
        mode = mode or str(self.hamlets["mode"].iloc[0])
        out = self.hamlets[self.hamlets["mode"] == mode].drop(columns="mode")
        return out.set_index("village")


@dataclass
class VolunteerNeed:
    """How many volunteers the area needs, by the "1+20" rule and by workload.

    Attributes
    ----------
    by_rule
        ``ceil(households / capacity)`` (sum of the hamlets' needs).
    by_workload
        Volunteers needed for the hours the visits take (sum of the hamlets' needs).
    workload_h
        Hours one visit to every household takes: service at the door and travel.
    source
        ``"plan"`` (hours from a plan; households it does not visit are estimated) or
        ``"estimate"`` (service minutes plus estimated travel).
    per_hamlet
        ``village``, ``households``, ``by_rule``, ``workload_h``, ``by_workload``.
    unreachable
        Households no volunteer can reach from home within ``reach_min`` minutes
        (``household_id``, ``village``, ``best_min`` (``NaN``: no route at all),
        ``volunteer_id`` (the nearest)); empty without a volunteer register.
    volunteers
        Volunteers in the register, or ``None`` when none was given.

    """

    by_rule: int
    by_workload: int
    workload_h: float
    source: str
    per_hamlet: pd.DataFrame
    unreachable: pd.DataFrame
    volunteers: int | None = None


@dataclass
class WhatIf:
    """The coverage after adding service points, compared with before.

    Attributes
    ----------
    added
        The points added (``point_id``, ``name``, ``placed`` (how it was placed), geometry).
    after
        The assessment with the points added.
    comparison
        Per hamlet and overall (``village == "All hamlets"``) in the headline mode:
        ``households``, ``median_before`` / ``median_after``, ``worst_before`` /
        ``worst_after`` (minutes), ``far_before`` / ``far_after`` (households beyond
        ``far_min`` or with no access), ``faster`` (households now in a faster band).

    """

    added: gpd.GeoDataFrame
    after: Assessment
    comparison: pd.DataFrame

    @property
    def faster(self) -> int:
        """Households that moved to a faster band."""
        return int(self.comparison.loc[self.comparison["village"] == TOTAL, "faster"].iloc[0])


@dataclass
class SiteChoice:
    """The best ``k`` new service points among candidate sites.

    Attributes
    ----------
    candidates
        Every candidate (``point_id``, ``name``, ``placed``, ``covers`` (households within
        ``far_min`` of it), ``chosen``, geometry).
    k, objective, threshold_min
        What was asked: how many, ``"coverage"`` or ``"median"``, and the threshold.
    optimal
        Whether the solver proved the choice optimal within its time limit.
    whatif
        The coverage with the chosen points added.

    """

    candidates: gpd.GeoDataFrame
    k: int
    objective: str
    threshold_min: int
    optimal: bool
    whatif: WhatIf

    @property
    def chosen(self) -> list[str]:
        """``point_id`` of the chosen candidates."""
        return [str(p) for p in self.candidates.loc[self.candidates["chosen"], "point_id"]]


@dataclass
class CoverageReport:
    """Everything the coverage report shows (see :func:`write_coverage`)."""

    settings: Settings
    baseline: Assessment
    need: VolunteerNeed
    whatif: WhatIf | None = None
    choice: SiteChoice | None = None
    roads: gpd.GeoDataFrame | None = None
    modes: tuple[str, ...] = MODES

    @property
    def mode(self) -> str:
        """The headline mode."""
        return self.settings.coverage.mode

    @property
    def bands(self) -> list[str]:
        """The band labels, fastest first, then "over", then "no access"."""
        return band_labels(self.settings.coverage.bands_min)

    @property
    def households(self) -> gpd.GeoDataFrame:
        """Households with their travel times and bands (before any what-if)."""
        return self.baseline.households

    def table(self, mode: str | None = None) -> pd.DataFrame:
        """Per-hamlet table (before any what-if) in ``mode`` (default: the headline mode)."""
        return self.baseline.table(mode or self.mode)

    def summary(self) -> str:
        """Return a few lines for the terminal."""
        cov = self.settings.coverage
        t = self.table()
        total: dict[str, Any] = {str(k): v for k, v in t.loc[TOTAL].items()}
        lines = [
            f"{int(total['households'])} households in {len(t) - 1} hamlets; "
            f"{len(self.baseline.service_points)} service points; mode {self.mode}.",
            f"Median {total['median_min']:.0f} min, worst {total['worst_min']:.0f} min to the "
            f"nearest service point; {total['share_far']:.0%} beyond {cov.far_min} min.",
        ]
        hardest = t.drop(index=TOTAL).sort_values("median_min", ascending=False).head(3)
        lines.append(
            "Hardest to reach: "
            + ", ".join(f"{v} ({r['median_min']:.0f} min)" for v, r in hardest.iterrows())
        )
        need = self.need
        lines.append(
            f"Volunteers needed: {need.by_rule} by the 1+{self.settings.planner.capacity}"
            f" rule, {need.by_workload} by workload ({need.workload_h:.0f} h, "
            f"{need.source})"
            + (f"; {need.volunteers} in the register" if need.volunteers is not None else "")
            + "."
        )
        if need.volunteers is not None:
            lines.append(
                f"{len(need.unreachable)} households no volunteer reaches within "
                f"{cov.reach_min} min."
            )
        for label, w in (
            ("What-if", self.whatif),
            ("Best new points", self.choice.whatif if self.choice else None),
        ):
            if w is None:
                continue
            last = w.comparison.set_index("village").loc[TOTAL]
            row: dict[str, Any] = {str(k): v for k, v in last.items()}
            names = ", ".join(str(n) for n in w.added["name"])
            lines.append(
                f"{label} ({names}): median {row['median_before']:.0f} -> "
                f"{row['median_after']:.0f} min; beyond {cov.far_min} min "
                f"{int(row['far_before'])} -> {int(row['far_after'])} households; "
                f"{int(row['faster'])} households in a faster band."
            )
        return "\n".join(lines)


# --- inputs: points, places, sites ------------------------------------------------------


def _fold(text: str) -> str:
    """Lower-case ``text`` without accents (``"Tà Lang"`` -> ``"ta lang"``)."""
    return " ".join(fold(str(text)).split())


def hamlet_places(network: Any) -> dict[str, tuple[float, float]]:
    """Return ``{name: (lon, lat)}`` of the hamlets' place nodes the network knows.

    Looks at ``network.places`` (a GeoDataFrame with ``name`` or a mapping) if the
    network has one, else at graph nodes tagged ``place``; empty if neither.
    """
    out: dict[str, tuple[float, float]] = {}
    places = getattr(network, "places", None)
    if isinstance(places, Mapping):
        for name, xy in places.items():
            if hasattr(xy, "x"):
                out[str(name)] = (float(xy.x), float(xy.y))
            else:
                out[str(name)] = (float(xy[0]), float(xy[1]))
        return out
    if places is not None and hasattr(places, "geometry") and "name" in places:
        for name, geom in zip(places["name"], places.geometry, strict=True):
            if name and geom is not None:
                out[str(name)] = (float(geom.x), float(geom.y))
        return out
    graph = getattr(network, "graph", None)
    if graph is not None:
        for _, data in graph.nodes(data=True):
            if data.get("place") and data.get("name"):
                out.setdefault(str(data["name"]), (float(data["x"]), float(data["y"])))
    return out


def _village_centre(
    households: gpd.GeoDataFrame, village: str, places: Mapping[str, tuple[float, float]]
) -> tuple[float, float, str]:
    """Return (lon, lat, how) of a hamlet: its place node, else its households' median."""
    folded = {_fold(k): v for k, v in places.items()}
    if _fold(village) in folded:
        lon, lat = folded[_fold(village)]
        return lon, lat, "place node"
    rows = households[households["village"].map(_fold) == _fold(village)]
    if "location_quality" in rows:
        gps = rows[rows["location_quality"] == "gps"]
        rows = gps if len(gps) else rows
    return (
        float(np.median(rows.geometry.x)),
        float(np.median(rows.geometry.y)),
        "households' median",
    )


_LATLON = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d+(?:\.\d+)?)\s*$")


def resolve_sites(
    specs: Sequence[str],
    households: gpd.GeoDataFrame,
    *,
    places: Mapping[str, tuple[float, float]] | None = None,
    prefix: str = "NEW",
) -> gpd.GeoDataFrame:
    """Turn what a planner typed into points: ``"16.10,107.95"`` or a hamlet's name.

    A hamlet (matched without regard to case or accents: ``"ta lang"`` finds
    ``"Tà Lang"``) is placed at its place node in ``places`` if there, else at the
    median of its households' locations.

    Returns
    -------
    geopandas.GeoDataFrame
        ``point_id`` (``NEW-1``, ...), ``name``, ``placed``, geometry (EPSG:4326).

    Raises
    ------
    InputDataError
        Listing every spec that is neither valid coordinates nor a known hamlet.

    """
    import geopandas as gpd
    from shapely.geometry import Point

    places = dict(places or {})
    villages = sorted({str(v) for v in households["village"]} | set(places))
    by_fold = {_fold(v): v for v in villages}
    rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for n, spec in enumerate(specs, start=1):
        m = _LATLON.match(str(spec))
        if m:
            lat, lon = float(m.group(1)), float(m.group(2))
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                hint = " (are latitude and longitude swapped?)" if abs(lon) <= 90 else ""
                problems.append(
                    Problem(
                        f"{spec!r} is not a latitude,longitude{hint}",
                        "write it as latitude,longitude, e.g. 16.10,107.95",
                        column="add",
                    )
                )
                continue
            rows.append(
                {
                    "point_id": f"{prefix}-{n}",
                    "name": f"{lat:.5f}, {lon:.5f}",
                    "placed": "coordinates",
                    "geometry": Point(lon, lat),
                }
            )
            continue
        village = by_fold.get(_fold(spec))
        if village is None:
            close = difflib.get_close_matches(_fold(spec), list(by_fold), n=1, cutoff=0.5)
            fix = (
                f"did you mean {by_fold[close[0]]!r}?"
                if close
                else f"known hamlets: {', '.join(villages)}; or give latitude,longitude"
            )
            problems.append(
                Problem(
                    f"{spec!r} is neither latitude,longitude nor a known hamlet", fix, column="add"
                )
            )
            continue
        lon, lat, how = _village_centre(households, village, places)
        rows.append(
            {
                "point_id": f"{prefix}-{n}",
                "name": village,
                "placed": how,
                "geometry": Point(lon, lat),
            }
        )
    if problems:
        raise InputDataError(problems, subject="new service points")
    return gpd.GeoDataFrame(
        rows,
        columns=["point_id", "name", "placed", "geometry"],
        geometry="geometry",
        crs="EPSG:4326",
    )


def hamlet_sites(
    households: gpd.GeoDataFrame, *, places: Mapping[str, tuple[float, float]] | None = None
) -> gpd.GeoDataFrame:
    """One candidate site per hamlet of the register, at its centre (see :func:`resolve_sites`)."""
    villages = sorted({str(v) for v in households["village"] if str(v)}, key=_fold)
    sites = resolve_sites(villages, households, places=places, prefix="SITE")
    sites["point_id"] = [f"SITE-{i:02d}" for i in range(1, len(sites) + 1)]
    return sites


def read_candidates(path: str | Path) -> gpd.GeoDataFrame:
    """Read candidate sites from a file laid out like the service-point register."""
    from ..registers import read_service_points

    frame = read_service_points(path)
    frame = frame[["point_id", "name", "geometry"]].copy()
    frame["placed"] = "candidates file"
    return frame


def coverage_points(
    households: gpd.GeoDataFrame,
    service_points: gpd.GeoDataFrame,
    *,
    volunteers: gpd.GeoDataFrame | None = None,
    extra: Sequence[gpd.GeoDataFrame] = (),
) -> gpd.GeoDataFrame:
    """Return the points to build the travel-time matrices over (``matrix`` contract).

    Households keep their ``household_id``; service points (and every frame in
    ``extra``: what-if points, candidate sites) become ``sp:<point_id>``; volunteers'
    homes ``home:<volunteer_id>``.
    """
    import geopandas as gpd

    parts = [
        pd.DataFrame(
            {
                "point_id": households["household_id"].astype(str),
                "kind": "household",
                "geometry": households.geometry.values,
            }
        )
    ]
    for frame in (service_points, *extra):
        parts.append(
            pd.DataFrame(
                {
                    "point_id": [service_point_id(p) for p in frame["point_id"]],
                    "kind": "service_point",
                    "geometry": frame.geometry.values,
                }
            )
        )
    if volunteers is not None and len(volunteers):
        parts.append(
            pd.DataFrame(
                {
                    "point_id": [home_point_id(v) for v in volunteers["volunteer_id"]],
                    "kind": "home",
                    "geometry": volunteers.geometry.values,
                }
            )
        )
    points = pd.concat(parts, ignore_index=True).drop_duplicates("point_id")
    return gpd.GeoDataFrame(points, geometry="geometry", crs="EPSG:4326")


# --- travel times -----------------------------------------------------------------------


def _rows(matrix: TravelMatrix, ids: Sequence[str]) -> np.ndarray[Any, Any]:
    return np.array([matrix.index(i) for i in ids], dtype=np.int64)


def _nearest(
    matrix: TravelMatrix, household_ids: Sequence[str], point_ids: Sequence[str]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], list[str]]:
    """Minutes to the nearest point, minutes back from it, and which point (``""``: none)."""
    rows = _rows(matrix, household_ids)
    cols = _rows(matrix, [service_point_id(p) for p in point_ids])
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
            _fold(r["village"]),
        )
    )
    rows.append({"village": TOTAL, **summarise(frame)})
    out = pd.DataFrame(rows)
    out.insert(0, "mode", mode)
    return out


def _assessment(
    households: gpd.GeoDataFrame,
    points: gpd.GeoDataFrame,
    matrices: Mapping[str, TravelMatrix],
    modes: Sequence[str],
    cov: CoverageSettings,
) -> Assessment:
    frame = _household_times(households, [str(p) for p in points["point_id"]], matrices, modes, cov)
    table = pd.concat([_hamlet_rows(frame, m, cov) for m in modes], ignore_index=True)
    return Assessment(service_points=points, households=frame, hamlets=table)


def _compare(
    before: Assessment, after: Assessment, mode: str, cov: CoverageSettings
) -> pd.DataFrame:
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


# --- volunteers -------------------------------------------------------------------------


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
    home_ids: Sequence[str],
    settings: Settings,
) -> np.ndarray[Any, Any]:
    """Estimate seconds per household: service, travel, a share of the trip from home.

    Travel is the leg from the nearest household of the same hamlet plus a
    ``visits_per_round`` share of the round trip from the nearest home (or service point).
    """
    cov = settings.coverage
    seconds = np.asarray(matrix.seconds)
    ids = list(frame["household_id"])
    rows = _rows(matrix, ids)
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
    if home_ids:
        cols = _rows(matrix, home_ids)
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


def _volunteer_need(
    frame: pd.DataFrame,
    households: gpd.GeoDataFrame,
    matrices: Mapping[str, TravelMatrix],
    settings: Settings,
    volunteers: gpd.GeoDataFrame | None,
    plan: Plan | None,
) -> VolunteerNeed:
    cov = settings.coverage
    mode = cov.mode
    homes = (
        [home_point_id(v) for v in volunteers["volunteer_id"]]
        if volunteers is not None and len(volunteers)
        else []
    )
    estimate = _estimate_seconds(frame, households, matrices[mode], homes, settings)
    seconds = estimate
    source = "estimate"
    if plan is not None:
        planned = _plan_seconds(plan)
        seconds = np.array(
            [planned.get(h, e) for h, e in zip(frame["household_id"], estimate, strict=True)]
        )
        source = "plan"
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
    median = frame.groupby("village", sort=False)[f"{mode}_min"].median()
    per = (
        per.assign(_m=per["village"].map(median).fillna(np.inf))
        .sort_values(["_m", "village"], ascending=[False, True], kind="stable")
        .drop(columns="_m")
        .reset_index(drop=True)
    )
    unreachable = pd.DataFrame(columns=["household_id", "village", "best_min", "volunteer_id"])
    if homes:
        assert volunteers is not None
        best = np.full(len(frame), np.inf)
        who = np.full(len(frame), "", dtype=object)
        hh_ids = list(frame["household_id"])
        for vid, vmode in zip(
            volunteers["volunteer_id"],
            volunteers.get("mode", pd.Series(mode, index=volunteers.index)),
            strict=True,
        ):
            m = matrices.get(str(vmode), matrices[mode])
            row = np.asarray(m.seconds)[m.index(home_point_id(vid)), _rows(m, hh_ids)].astype(float)
            row[row >= UNREACHABLE] = np.inf
            better = row < best
            best[better], who[better] = row[better], vid
        far = best > cov.reach_min * 60
        unreachable = pd.DataFrame(
            {
                "household_id": frame["household_id"][far].values,
                "village": frame["village"][far].values,
                "best_min": np.where(np.isfinite(best[far]), best[far] / 60.0, np.nan),
                "volunteer_id": who[far],
            }
        )
    return VolunteerNeed(
        by_rule=int(per["by_rule"].sum()),
        by_workload=int(per["by_workload"].sum()),
        workload_h=float(per["workload_h"].sum()),
        source=source,
        per_hamlet=per,
        unreachable=unreachable,
        volunteers=None if volunteers is None else len(volunteers),
    )


# --- the report -------------------------------------------------------------------------


def _with_added(points: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    import geopandas as gpd

    old = points[["point_id", "name", "geometry"]].copy()
    old["added"] = False
    add = new[["point_id", "name", "geometry"]].copy()
    add["added"] = True
    return gpd.GeoDataFrame(
        pd.concat([old, add], ignore_index=True), geometry="geometry", crs="EPSG:4326"
    )


def _weights(frame: pd.DataFrame, cov: CoverageSettings) -> np.ndarray[Any, Any]:
    return np.asarray(1 + cov.priority_weight * frame["priority"].astype(int), dtype=np.int64)


def assess(
    households: gpd.GeoDataFrame,
    service_points: gpd.GeoDataFrame,
    matrices: Mapping[str, TravelMatrix],
    *,
    settings: Settings | None = None,
    volunteers: gpd.GeoDataFrame | None = None,
    plan: Plan | None = None,
    add: gpd.GeoDataFrame | None = None,
    candidates: gpd.GeoDataFrame | None = None,
    choose: int = 0,
    objective: str = "coverage",
    network: Any = None,
    progress: ProgressFn | None = None,
) -> CoverageReport:
    """Assess coverage from ready-made travel-time matrices.

    Parameters
    ----------
    households, service_points
        The registers (``registers`` contract).
    matrices
        ``{"motorbike": TravelMatrix, "walking": TravelMatrix}`` over the points of
        :func:`coverage_points` (households, ``sp:`` service points including ``add``
        and ``candidates``, ``home:`` volunteers' homes). A mode left out is not assessed.
    settings
        ``settings.coverage`` sets the bands and thresholds; ``planner.capacity`` the
        "1+20" rule; ``services`` the minutes at the door.
    volunteers
        The volunteer register: who can reach whom, and the workload estimate's trips.
    plan
        A plan made by :func:`routeplan.plan`: the workload is taken from its rounds.
    add
        What-if service points (from :func:`resolve_sites`).
    candidates, choose, objective
        Choose the best ``choose`` candidates (``"coverage"`` or ``"median"``).
    network
        The road network, for the isochrones and the map's roads (optional).
    progress
        Called with (message, fraction).

    Returns
    -------
    CoverageReport

    """
    settings = settings or Settings()
    cov = settings.coverage

    def say(msg: str, frac: float) -> None:
        log.info(msg)
        if progress is not None:
            progress(msg, frac)

    modes = [m for m in (cov.mode, *MODES) if m in matrices]
    modes = list(dict.fromkeys(modes))
    if cov.mode not in matrices:
        raise RouteplanError(f"no {cov.mode} travel-time matrix for the coverage report")
    problems = []
    if len(service_points) == 0:
        problems.append(Problem("no service points", "give at least one service point"))
    if len(households) == 0:
        problems.append(Problem("no households", "give the household register"))
    if problems:
        raise InputDataError(problems, subject="coverage")
    points = _with_added(service_points, service_points.iloc[0:0])
    say("travel times to the service points", 0.1)
    baseline = _assessment(households, points, matrices, modes, cov)
    say("volunteers needed", 0.3)
    need = _volunteer_need(baseline.households, households, matrices, settings, volunteers, plan)
    whatif = None
    if add is not None and len(add):
        say("what-if: new service points", 0.4)
        after = _assessment(households, _with_added(service_points, add), matrices, modes, cov)
        whatif = WhatIf(add, after, _compare(baseline, after, cov.mode, cov))
    choice = None
    if choose and candidates is not None and len(candidates):
        say(f"choosing the best {choose} new service points", 0.5)
        choice = _choose(
            households,
            service_points,
            candidates,
            matrices,
            baseline,
            settings,
            choose,
            objective,
            modes,
        )
    roads = None
    if network is not None:
        say("areas within each band", 0.7)
        scenarios = [baseline, *(w.after for w in (whatif, choice and choice.whatif) if w)]
        for i, a in enumerate(scenarios):
            a.isochrones = isochrones(
                network, a.service_points, settings=settings, modes=modes[:1] if i else modes
            )
        roads = _roads(network)
    say("coverage assessed", 1.0)
    return CoverageReport(
        settings=settings,
        baseline=baseline,
        need=need,
        whatif=whatif,
        choice=choice,
        roads=roads,
        modes=tuple(modes),
    )


def _choose(
    households: gpd.GeoDataFrame,
    service_points: gpd.GeoDataFrame,
    candidates: gpd.GeoDataFrame,
    matrices: Mapping[str, TravelMatrix],
    baseline: Assessment,
    settings: Settings,
    k: int,
    objective: str,
    modes: Sequence[str],
) -> SiteChoice:
    from ..planner.solve import choose_sites

    cov = settings.coverage
    m = matrices[cov.mode]
    ids = list(baseline.households["household_id"])
    sites = [str(p) for p in service_points["point_id"]] + [str(p) for p in candidates["point_id"]]
    site_rows = _rows(m, [service_point_id(s) for s in sites])
    times = np.asarray(m.seconds)[np.ix_(_rows(m, ids), site_rows)]
    n_old = len(service_points)
    chosen, optimal = choose_sites(
        times,
        _weights(baseline.households, cov).tolist(),
        k,
        existing=list(range(n_old)),
        threshold_s=cov.far_min * 60,
        objective=objective,
        time_limit_s=cov.choose_time_limit_s,
        seed=settings.planner.seed,
    )
    cand = candidates[["point_id", "name", "placed", "geometry"]].copy()
    cand["covers"] = (times[:, n_old:] <= cov.far_min * 60).sum(axis=0)
    cand["chosen"] = [j + n_old in set(chosen) for j in range(len(cand))]
    added = cand[cand["chosen"]][["point_id", "name", "placed", "geometry"]]
    after = _assessment(households, _with_added(service_points, added), matrices, modes, cov)
    whatif = WhatIf(added, after, _compare(baseline, after, cov.mode, cov))
    return SiteChoice(
        candidates=cand,
        k=k,
        objective=objective,
        threshold_min=cov.far_min,
        optimal=optimal,
        whatif=whatif,
    )


def assess_coverage(
    households: gpd.GeoDataFrame,
    service_points: gpd.GeoDataFrame,
    network: Any,
    *,
    settings: Settings | None = None,
    volunteers: gpd.GeoDataFrame | None = None,
    plan: Plan | None = None,
    add: Sequence[str] = (),
    candidates: gpd.GeoDataFrame | str | None = None,
    choose: int = 0,
    objective: str = "coverage",
    places: Mapping[str, tuple[float, float]] | None = None,
    cache_dir: str | Path | None = None,
    progress: ProgressFn | None = None,
) -> CoverageReport:
    """Assess coverage on a road network: travel times, bands, hamlet table, what-ifs.

    Parameters
    ----------
    households, service_points, network
        The registers and the road network (``load_network``).
    settings
        See :func:`assess`.
    volunteers, plan
        See :func:`assess`.
    add
        What-if points as typed: ``"16.10,107.95"`` (latitude, longitude) or a hamlet's
        name (see :func:`resolve_sites`).
    candidates
        Candidate sites for ``choose``: a GeoDataFrame (:func:`read_candidates`) or
        ``"hamlets"`` (every hamlet's centre, :func:`hamlet_sites`).
    choose, objective
        Pick the best ``choose`` candidates: ``"coverage"`` (most households, priority
        ones weighted, within ``far_min``; then least travel) or ``"median"``.
    places
        ``{hamlet: (lon, lat)}``; default: the network's place nodes.
    cache_dir
        Passed to :func:`routeplan.matrix.build_matrix`.
    progress
        Called with (message, fraction).

    Returns
    -------
    CoverageReport

    """
    from ..matrix import build_matrix

    settings = settings or Settings()
    places = hamlet_places(network) if places is None else places
    new = resolve_sites(list(add), households, places=places) if add else None
    if isinstance(candidates, str):
        if candidates != "hamlets":
            raise InputDataError(
                [
                    Problem(
                        f"candidates {candidates!r} is not 'hamlets'",
                        "give 'hamlets' or a file of candidate sites",
                    )
                ]
            )
        candidates = hamlet_sites(households, places=places)
    extra = [f for f in (new, candidates if choose else None) if f is not None]
    points = coverage_points(households, service_points, volunteers=volunteers, extra=extra)
    matrices: dict[str, Any] = {}
    modes = list(dict.fromkeys((settings.coverage.mode, *MODES)))
    for i, mode in enumerate(modes):

        def sub(msg: str, frac: float, i: int = i, mode: str = mode) -> None:
            if progress is not None:
                progress(f"{mode}: {msg}", 0.6 * (i + frac) / len(modes))

        matrices[mode] = build_matrix(
            network, points, mode=mode, settings=settings.network, cache_dir=cache_dir, progress=sub
        )

    def rest(msg: str, frac: float) -> None:
        if progress is not None:
            progress(msg, 0.6 + 0.4 * frac)

    return assess(
        households,
        service_points,
        matrices,
        settings=settings,
        volunteers=volunteers,
        plan=plan,
        add=new,
        candidates=candidates,
        choose=choose,
        objective=objective,
        network=network,
        progress=rest,
    )


# --- isochrones -------------------------------------------------------------------------


def _edge_seconds(data: Mapping[str, Any], mode: str) -> float:
    walk = float(data.get("walk_s", math.inf))
    if mode == "walking":
        return walk
    ride = float(data.get("ride_s", math.inf))
    return ride if math.isfinite(ride) else walk


def _local_xy(lon: Any, lat: Any, lat0: float) -> tuple[Any, Any]:
    k = 111_320.0
    return (np.asarray(lon) * k * math.cos(math.radians(lat0)), np.asarray(lat) * 110_574.0)


def isochrones(
    network: Any,
    service_points: gpd.GeoDataFrame,
    *,
    settings: Settings | None = None,
    modes: Sequence[str] = MODES,
) -> gpd.GeoDataFrame:
    """Areas from which a service point is within each band's limit, per mode.

    Travel times run from every network node *to* the nearest service point (the
    network is searched backwards, so one-way streets and uphill walking count the
    right way). For each limit, the roads travelled within it (partly travelled roads
    cut where the time runs out) are buffered by ``isochrone_buffer_m``; each band is
    the ring between its limit and the previous one. Riding uses the motorbike time
    where a motorbike can go and walking time elsewhere (the park-and-walk penalty of
    the matrix is left out), so the areas are a drawing aid: the households' own times
    come from the matrix.

    Returns
    -------
    geopandas.GeoDataFrame
        ``mode``, ``band`` (label), ``minutes`` (the band's upper limit), geometry
        (EPSG:4326); the "over" band is not drawn.

    """
    import geopandas as gpd
    import shapely
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra
    from scipy.spatial import cKDTree
    from shapely.ops import substring

    settings = settings or Settings()
    cov = settings.coverage
    graph = network.graph
    nodes = list(graph.nodes)
    pos = {n: i for i, n in enumerate(nodes)}
    lon = np.array([float(graph.nodes[n]["x"]) for n in nodes])
    lat = np.array([float(graph.nodes[n]["y"]) for n in nodes])
    lat0 = float(np.mean(lat)) if len(lat) else 0.0
    x, y = _local_xy(lon, lat, lat0)
    tree = cKDTree(np.column_stack([x, y]))
    px, py = _local_xy(service_points.geometry.x, service_points.geometry.y, lat0)
    _, targets = tree.query(np.column_stack([px, py]))
    targets = np.unique(np.atleast_1d(targets))
    edges = list(graph.edges(keys=True, data=True))
    u_idx = np.array([pos[u] for u, _, _, _ in edges], dtype=np.int64)
    v_idx = np.array([pos[v] for _, v, _, _ in edges], dtype=np.int64)
    labels = band_labels(cov.bands_min)
    utm = (
        gpd.GeoSeries(gpd.points_from_xy(lon[:1], lat[:1]), crs="EPSG:4326").estimate_utm_crs()
        if len(lon)
        else "EPSG:3857"
    )
    lines = []
    for u, v, _, data in edges:
        geom = data.get("geometry")
        if geom is None:
            geom = shapely.LineString(
                [
                    (graph.nodes[u]["x"], graph.nodes[u]["y"]),
                    (graph.nodes[v]["x"], graph.nodes[v]["y"]),
                ]
            )
        lines.append(geom)
    lines_m = gpd.GeoSeries(lines, crs="EPSG:4326").to_crs(utm).values
    rows: list[dict[str, Any]] = []
    for mode in modes:
        w = np.array([_edge_seconds(d, mode) for _, _, _, d in edges])
        ok = np.isfinite(w)
        # backwards: from node v to node u costs the edge u -> v
        raw = pd.DataFrame({"a": v_idx[ok], "b": u_idx[ok], "w": np.maximum(w[ok], 1e-3)})
        frame = raw.groupby(["a", "b"], as_index=False)["w"].min()
        g = csr_matrix((frame["w"], (frame["a"], frame["b"])), shape=(len(nodes), len(nodes)))
        t = dijkstra(g, directed=True, indices=targets, min_only=True)
        tu, tv = t[u_idx], t[v_idx]
        previous = None
        for limit, label in zip(cov.bands_min, labels, strict=False):
            lim = limit * 60.0
            with np.errstate(invalid="ignore", divide="ignore"):
                a = np.nan_to_num(np.clip((lim - tu) / w, 0.0, 1.0), nan=0.0)
                b = np.nan_to_num(np.clip((lim - tv) / w, 0.0, 1.0), nan=0.0)
            full = ok & (a + b >= 1.0)
            part = ok & ~full & ((a > 0) | (b > 0))
            pieces = list(lines_m[full])
            for i in np.flatnonzero(part):
                if a[i] > 0:
                    pieces.append(substring(lines_m[i], 0.0, float(a[i]), normalized=True))
                if b[i] > 0:
                    pieces.append(substring(lines_m[i], 1.0 - float(b[i]), 1.0, normalized=True))
            if not pieces:
                continue
            # buffering each piece, then the union, is much faster than buffering the union
            lines_in = shapely.simplify(np.asarray(pieces, dtype=object), 5.0)
            area = shapely.union_all(shapely.buffer(lines_in, cov.isochrone_buffer_m, quad_segs=2))
            area = area.simplify(cov.isochrone_buffer_m / 5)
            ring = area if previous is None else area.difference(previous)
            previous = area if previous is None else previous.union(area)
            if not ring.is_empty:
                rows.append({"mode": mode, "band": label, "minutes": limit, "geometry": ring})
    out = gpd.GeoDataFrame(
        rows, columns=["mode", "band", "minutes", "geometry"], geometry="geometry", crs=utm
    )
    return out.to_crs("EPSG:4326")


def _roads(network: Any) -> gpd.GeoDataFrame:
    """Return the network's ways once each (either direction), simplified, for the map."""
    import geopandas as gpd
    import shapely

    from ..network import each_way_once

    graph = network.graph
    rows = []
    for u, v, data in each_way_once(graph):
        geom = data.get("geometry")
        if geom is None:
            geom = shapely.LineString(
                [
                    (graph.nodes[u]["x"], graph.nodes[u]["y"]),
                    (graph.nodes[v]["x"], graph.nodes[v]["y"]),
                ]
            )
        hw = data.get("highway", "")
        rows.append(
            {
                "highway": str(hw[0] if isinstance(hw, list) else hw),
                "geometry": geom.simplify(0.00005),
            }
        )
    return gpd.GeoDataFrame(
        rows, columns=["highway", "geometry"], geometry="geometry", crs="EPSG:4326"
    )


# --- outputs ----------------------------------------------------------------------------

_MODE_NAME = {"motorbike": "by motorbike", "walking": "on foot"}

_COLUMN_NAMES = {
    "village": "Hamlet",
    "households": "Households",
    "elderly": "Elderly",
    "co_tu": "Co Tu speakers",
    "priority": "Priority (any)",
    "median_min": "Median (min)",
    "worst_min": "Worst (min)",
    "far": "Beyond {far} min",
    "share_far": "Share beyond {far} min",
    "no_mapped_access": "No mapped access",
    "village_location": "Village-level location",
    "by_rule": "Volunteers (1+{cap} rule)",
    "workload_h": "Workload (h)",
    "by_workload": "Volunteers (workload)",
    "median_before": "Median before (min)",
    "median_after": "Median after (min)",
    "worst_before": "Worst before (min)",
    "worst_after": "Worst after (min)",
    "far_before": "Beyond {far} min before",
    "far_after": "Beyond {far} min after",
    "faster": "Households in a faster band",
    "household_id": "Household",
    "best_min": "Nearest volunteer (min)",
    "volunteer_id": "Nearest volunteer",
    "point_id": "Point",
    "name": "Name",
    "placed": "Placed at",
    "covers": "Households within {far} min",
    "chosen": "Chosen",
    "mode": "Mode",
}


def _headers(columns: Sequence[str], settings: Settings) -> list[str]:
    fmt = {"far": settings.coverage.far_min, "cap": settings.planner.capacity}
    return [_COLUMN_NAMES.get(c, c).format(**fmt) for c in columns]


def hamlet_frame(report: CoverageReport, mode: str | None = None) -> pd.DataFrame:
    """Return the per-hamlet table of ``mode`` with the volunteers needed."""
    table = report.table(mode).reset_index()
    need = report.need.per_hamlet.set_index("village")
    total = pd.Series(
        {
            "by_rule": report.need.by_rule,
            "workload_h": report.need.workload_h,
            "by_workload": report.need.by_workload,
        }
    )
    for col in ("by_rule", "workload_h", "by_workload"):
        table[col] = [
            total[col] if v == TOTAL else need[col].get(v, np.nan) for v in table["village"]
        ]
    return table


def _fmt_cell(column: str, value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        if column.startswith("share"):
            return f"{value:.0%}"
        return f"{value:.1f}" if column.endswith("_h") else f"{value:.0f}"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else ""
    return str(value)


def _html_table(frame: pd.DataFrame, settings: Settings, *, caption: str = "") -> str:
    cols = list(frame.columns)
    head = "".join(f"<th>{html.escape(h)}</th>" for h in _headers(cols, settings))
    body = []
    for rec in frame.to_dict("records"):
        cls = ' class="total"' if rec.get("village") == TOTAL else ""
        cells = "".join(f"<td>{html.escape(_fmt_cell(c, rec[c]))}</td>" for c in cols)
        body.append(f"<tr{cls}>{cells}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'<table class="rp">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 0; color: #222; }
.rp-page { max-width: 1200px; margin: 0 auto; padding: 0 12px 24px; }
.rp-page h1 { font-size: 1.4em; } .rp-page h2 { font-size: 1.15em; margin-top: 1.4em; }
table.rp { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
table.rp th, table.rp td { border: 1px solid #bbb; padding: 2px 6px; text-align: right; }
table.rp td:first-child, table.rp th:first-child { text-align: left; }
table.rp caption { text-align: left; font-weight: bold; padding: 4px 0; }
table.rp tr.total td { font-weight: bold; background: #f2f2f2; }
.rp-legend { background: white; padding: 6px 8px; border: 1px solid #999;
  font-size: 12px; line-height: 18px; }
.rp-legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px;
  vertical-align: middle; }
"""


def _points_geojson(frame: gpd.GeoDataFrame, columns: Sequence[str]) -> dict[str, Any]:
    feats = []
    for rec, geom in zip(frame[list(columns)].to_dict("records"), frame.geometry, strict=True):
        props = {
            k: (
                None
                if isinstance(v, float) and math.isnan(v)
                else round(v, 1)
                if isinstance(v, float)
                else bool(v)
                if isinstance(v, np.bool_)
                else v
            )
            for k, v in rec.items()
        }
        feats.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [round(geom.x, 6), round(geom.y, 6)]},
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def _household_layer(
    folium: Any,
    frame: gpd.GeoDataFrame,
    mode: str,
    colours: Mapping[str, str],
    name: str,
    show: bool,
) -> Any:
    cols = ["household_id", "village", f"{mode}_min", f"{mode}_band"]
    data = _points_geojson(frame, cols)
    for f in data["features"]:
        f["properties"]["colour"] = colours[f["properties"][f"{mode}_band"]]
    return folium.GeoJson(
        data,
        name=name,
        show=show,
        marker=folium.CircleMarker(radius=4, weight=1, fill=True, fill_opacity=0.9),
        style_function=lambda f: {"fillColor": f["properties"]["colour"], "color": "#333"},
        tooltip=folium.GeoJsonTooltip(
            fields=cols, aliases=["Household", "Hamlet", "Minutes", "Band"]
        ),
    )


def _iso_layer(
    folium: Any,
    iso: gpd.GeoDataFrame | None,
    mode: str,
    colours: Mapping[str, str],
    name: str,
    show: bool,
) -> Any:
    group = folium.FeatureGroup(name=name, show=show)
    if iso is None:
        return group
    sub = iso[iso["mode"] == mode]
    for rec in sub.sort_values("minutes", ascending=False).to_dict("records"):
        folium.GeoJson(
            rec["geometry"].__geo_interface__,
            style_function=lambda _f, c=colours[rec["band"]]: {
                "fillColor": c,
                "color": c,
                "weight": 1,
                "fillOpacity": 0.25,
            },
            tooltip=f"{rec['band']} {_MODE_NAME[mode]} to a service point",
        ).add_to(group)
    return group


def coverage_map(report: CoverageReport) -> folium.Map:
    """Return the report's map: households by band, areas per band, points, hamlets.

    Works offline: no tiles (the roads of the network are drawn instead) and Leaflet
    is inlined (:func:`routeplan.render.maps.offline_map`).
    """
    import folium

    from ..render.maps import offline_map

    base = report.baseline
    colours = dict(zip(report.bands, _colours(len(report.bands) - 1), strict=True))
    pts = [base.households.geometry, base.service_points.geometry]
    for w in (report.whatif, report.choice.whatif if report.choice else None):
        if w is not None:
            pts.append(w.added.geometry)
    b = pd.concat(pts).total_bounds
    m = offline_map(
        ((float(b[0]) + float(b[2])) / 2, (float(b[1]) + float(b[3])) / 2),
        title="Coverage",
        zoom_start=12,
        height="620px",
        head=f"<style>{_CSS}</style>",
        scale=True,
        prefer_canvas=True,
    )
    m.fit_bounds([[float(b[1]), float(b[0])], [float(b[3]), float(b[2])]])
    if report.roads is not None and len(report.roads):
        folium.GeoJson(
            report.roads.__geo_interface__,
            name="Roads and paths",
            style_function=lambda f: {
                "color": "#888",
                "weight": 2
                if f["properties"]["highway"] in ("primary", "secondary", "tertiary", "trunk")
                else 1,
                "opacity": 0.7,
            },
        ).add_to(m)
    mode = report.mode
    _iso_layer(
        folium, base.isochrones, mode, colours, f"Areas per band {_MODE_NAME[mode]}", True
    ).add_to(m)
    for other in report.modes[1:]:
        _iso_layer(
            folium, base.isochrones, other, colours, f"Areas per band {_MODE_NAME[other]}", False
        ).add_to(m)
    _household_layer(
        folium, base.households, mode, colours, f"Households {_MODE_NAME[mode]}", True
    ).add_to(m)
    for other in report.modes[1:]:
        _household_layer(
            folium, base.households, other, colours, f"Households {_MODE_NAME[other]}", False
        ).add_to(m)
    scenarios = [("What-if", report.whatif)]
    if report.choice is not None:
        scenarios.append(("Best new points", report.choice.whatif))
    for title, w in scenarios:
        if w is None:
            continue
        _iso_layer(
            folium,
            w.after.isochrones,
            mode,
            colours,
            f"{title}: areas per band {_MODE_NAME[mode]}",
            False,
        ).add_to(m)
        _household_layer(
            folium,
            w.after.households,
            mode,
            colours,
            f"{title}: households {_MODE_NAME[mode]}",
            False,
        ).add_to(m)
        group = folium.FeatureGroup(name=f"{title}: new points", show=title == "What-if")
        for rec, g in zip(w.added.to_dict("records"), w.added.geometry, strict=True):
            folium.CircleMarker(
                [g.y, g.x],
                radius=11,
                color="#000",
                weight=3,
                fill=True,
                fill_color="#e7298a",
                fill_opacity=0.9,
                tooltip=html.escape(f"{title}: {rec['name']}"),
            ).add_to(group)
        group.add_to(m)
    sp = folium.FeatureGroup(name="Service points")
    for rec, g in zip(
        base.service_points.to_dict("records"), base.service_points.geometry, strict=True
    ):
        folium.CircleMarker(
            [g.y, g.x],
            radius=11,
            color="#000",
            weight=3,
            fill=True,
            fill_color="#1f78b4",
            fill_opacity=0.9,
            tooltip=html.escape(f"{rec['point_id']}: {rec['name']}"),
        ).add_to(sp)
    sp.add_to(m)
    hamlets = folium.FeatureGroup(name="Hamlet summaries")
    table = hamlet_frame(report)
    hh = base.households
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in table.to_dict("records")
    ]
    for rec in records:
        if rec["village"] == TOTAL:
            continue
        sub = hh[hh["village"] == rec["village"]]
        x, y = float(np.median(sub.geometry.x)), float(np.median(sub.geometry.y))
        rows = "".join(
            f"<tr><th>{html.escape(h)}</th><td>{html.escape(_fmt_cell(c, rec[c]))}</td></tr>"
            for c, h in zip(rec, _headers(list(rec), report.settings), strict=True)
            if c != "village"
        )
        popup = (
            f"<b>{html.escape(str(rec['village']))}</b> ({_MODE_NAME[mode]})"
            f"<table class='rp'>{rows}</table>"
        )
        folium.Marker(
            [y, x],
            icon=folium.DivIcon(
                html=f'<div style="font:bold 12px sans-serif;color:#000;white-space:nowrap;'
                f'text-shadow:0 0 3px #fff">{html.escape(str(rec["village"]))}</div>'
            ),
            # a tooltip, not a folium Popup: Popup needs jQuery, which is not inlined
            tooltip=folium.Tooltip(popup),
        ).add_to(hamlets)
    hamlets.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    legend = "".join(
        f'<div><i style="background:{c}"></i>{html.escape(lab)}</div>' for lab, c in colours.items()
    )
    _legend(
        f"<b>{html.escape(_MODE_NAME[mode].capitalize())} to the nearest service point</b>{legend}"
    ).add_to(m)
    return m


def _legend(inner_html: str) -> Any:
    """Return a folium element adding ``inner_html`` (trusted) as a Leaflet control."""
    import json

    from branca.element import MacroElement
    from folium.template import Template

    class _Legend(MacroElement):  # type: ignore[misc,unused-ignore]
        _template = Template(
            "{% macro script(this, kwargs) %}"
            "(function(){var c=L.control({position:'bottomleft'});"
            "c.onAdd=function(){var d=L.DomUtil.create('div','rp-legend');"
            "d.innerHTML={{ this.payload }};return d;};"
            "c.addTo({{ this._parent.get_name() }});})();"
            "{% endmacro %}"
        )

        def __init__(self) -> None:
            super().__init__()  # type: ignore[no-untyped-call,unused-ignore]
            self._name = "CoverageLegend"
            self.payload = json.dumps(inner_html).replace("</", "<\\/")

    return _Legend()


def _intro(report: CoverageReport) -> str:
    lines = "".join(f"<li>{html.escape(x)}</li>" for x in report.summary().splitlines())
    return f'<div class="rp-page"><h1>Coverage of the service points</h1><ul>{lines}</ul></div>'


def _sections(report: CoverageReport) -> str:
    s = report.settings
    parts = ['<div class="rp-page">']
    for mode in report.modes:
        parts.append(
            f"<h2>Hamlets: travel time {_MODE_NAME[mode]} to the nearest service point</h2>"
        )
        parts.append(_html_table(hamlet_frame(report, mode), s))
    need = report.need
    parts.append("<h2>Volunteers needed</h2>")
    parts.append(
        f"<p>By the 1+{s.planner.capacity} rule: <b>{need.by_rule}</b>. By workload "
        f"({need.workload_h:.0f} hours for one visit to every household, "
        f"{s.coverage.volunteer_hours:g} hours per volunteer, from "
        f"{'the plan' if need.source == 'plan' else 'an estimate'}): "
        f"<b>{need.by_workload}</b>."
        + (
            f" Volunteers in the register: {need.volunteers}."
            if need.volunteers is not None
            else ""
        )
        + "</p>"
    )
    parts.append(_html_table(need.per_hamlet, s))
    if need.volunteers is not None:
        parts.append(
            f"<h2>Households no volunteer reaches within {s.coverage.reach_min} "
            f"minutes ({len(need.unreachable)})</h2>"
        )
        if len(need.unreachable):
            parts.append(_html_table(need.unreachable, s))
    for title, w in (
        ("What-if: new service points", report.whatif),
        ("Best new service points", report.choice.whatif if report.choice else None),
    ):
        if w is None:
            continue
        parts.append(f"<h2>{html.escape(title)} ({_MODE_NAME[report.mode]})</h2>")
        parts.append(
            _html_table(w.added[["point_id", "name", "placed"]], s, caption="Points added")
        )
        parts.append(_html_table(w.comparison, s, caption="Before and after"))
    if report.choice is not None:
        c = report.choice
        parts.append(
            _html_table(
                c.candidates[["point_id", "name", "placed", "covers", "chosen"]],
                s,
                caption=f"Candidates ({c.objective}; best {c.k}; "
                f"{'proven optimal' if c.optimal else 'best found in the time limit'})",
            )
        )
    parts.append("</div>")
    return "".join(parts)


def _gpkg_frames(report: CoverageReport) -> dict[str, gpd.GeoDataFrame]:
    import geopandas as gpd

    hh = report.baseline.households.copy()
    for title, w in (
        ("whatif", report.whatif),
        ("best", report.choice.whatif if report.choice else None),
    ):
        if w is None:
            continue
        for mode in report.modes:
            hh[f"{title}_{mode}_min"] = w.after.households[f"{mode}_min"].values
            hh[f"{title}_{mode}_band"] = w.after.households[f"{mode}_band"].values
    frames: dict[str, gpd.GeoDataFrame] = {
        "households": hh,
        "service_points": report.baseline.service_points,
    }
    if report.baseline.isochrones is not None and len(report.baseline.isochrones):
        iso = report.baseline.isochrones.copy()
        iso["geometry"] = [
            g if g.geom_type == "MultiPolygon" else __import__("shapely").MultiPolygon([g])
            for g in iso.geometry
        ]
        frames["isochrones"] = gpd.GeoDataFrame(iso, geometry="geometry", crs="EPSG:4326")
    return frames


def write_coverage(report: CoverageReport, out_dir: str | Path) -> list[Path]:
    """Write the coverage report into ``out_dir``; return the paths written.

    Files
    -----
    ``coverage.html``
        The report: summary, offline map (households coloured by band, areas per band,
        service points, hamlet summaries, what-if layers) and every table.
    ``coverage_hamlets.html``, ``coverage_hamlets.csv``
        The per-hamlet table for each mode (CSV: UTF-8 with BOM, opens in Excel).
    ``coverage.gpkg``
        Layers ``households`` (times and bands, what-if times too), ``service_points``
        and ``isochrones``.
    ``coverage_whatif.csv``
        Before/after per hamlet, when a what-if or a choice was made.
    ``coverage_unreachable.csv``
        Households no volunteer reaches in time, when volunteers were given.
    """
    import pyogrio

    from ..render.export import write_csv
    from ..render.maps import offline_html

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    s = report.settings
    written: list[Path] = []

    page = offline_html(coverage_map(report), before=_intro(report), after=_sections(report))
    written.append(write_text(out / "coverage.html", page))

    tables = pd.concat(
        [hamlet_frame(report, m).assign(mode=m) for m in report.modes], ignore_index=True
    )
    cols = ["mode", *[c for c in tables.columns if c != "mode"]]
    tables = tables[cols]
    written.append(
        write_csv(
            out / "coverage_hamlets.csv",
            _headers(cols, s),
            tables.itertuples(index=False, name=None),
        )
    )
    body = "".join(
        f"<h2>Travel time {_MODE_NAME[m]}</h2>" + _html_table(hamlet_frame(report, m), s)
        for m in report.modes
    )
    written.append(
        write_text(
            out / "coverage_hamlets.html",
            (
                '<!DOCTYPE html><html><head><meta charset="utf-8">'
                "<title>Coverage per hamlet</title>"
                f'<style>{_CSS}</style></head><body><div class="rp-page">'
                f"<h1>Coverage per hamlet</h1>{body}</div></body></html>"
            ),
        )
    )

    frames = _gpkg_frames(report)
    target = out / "coverage.gpkg"
    with atomic_path(target) as tmp:
        for name, frame in frames.items():
            pyogrio.write_dataframe(frame, tmp, layer=name, driver="GPKG", append=tmp.exists())
    written.append(target)

    for name, w in (
        ("whatif", report.whatif),
        ("best", report.choice.whatif if report.choice else None),
    ):
        if w is None:
            continue
        fname = "coverage_whatif.csv" if name == "whatif" else "coverage_best_points.csv"
        cols = list(w.comparison.columns)
        written.append(
            write_csv(
                out / fname, _headers(cols, s), w.comparison.itertuples(index=False, name=None)
            )
        )
    if report.need.volunteers is not None:
        cols = list(report.need.unreachable.columns)
        written.append(
            write_csv(
                out / "coverage_unreachable.csv",
                _headers(cols, s),
                report.need.unreachable.itertuples(index=False, name=None),
            )
        )
    return written
