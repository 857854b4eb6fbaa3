"""What a coverage run returns: the assessment, the volunteers needed, the what-ifs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..config import Settings
from .bands import MODES, TOTAL, band_labels

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = [
    "WHAT_IF_TITLES",
    "Assessment",
    "CoverageReport",
    "SiteChoice",
    "VolunteerNeed",
    "WhatIf",
    "what_ifs",
]


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
        for key, w in what_ifs(self):
            label = WHAT_IF_TITLES[key]
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


WHAT_IF_TITLES = {"whatif": "What-if", "best": "Best new points"}
"""Short titles of the what-ifs, by the keys of :func:`what_ifs`."""


def what_ifs(report: CoverageReport) -> list[tuple[str, WhatIf]]:
    """Return the what-ifs the report answers: ``"whatif"`` (points added), ``"best"`` (chosen)."""
    pairs = (("whatif", report.whatif), ("best", report.choice.whatif if report.choice else None))
    return [(key, w) for key, w in pairs if w is not None]
