"""The entry points of a coverage run: on a road network, or on ready-made matrices.

:func:`assess_coverage` builds the travel-time matrices over the points of the run
(:func:`routeplan.coverage.points.coverage_points`) and calls :func:`assess`, which
works out the travel times and bands, the volunteers needed and the what-ifs asked in
:class:`CoverageOptions`, and returns a :class:`CoverageReport`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import InputDataError, Problem, RouteplanError
from ._common import ProgressFn
from .bands import MODES
from .isochrones import isochrones
from .map import road_lines
from .needs import volunteer_need
from .points import coverage_points, with_added
from .results import Assessment, CoverageReport, SiteChoice, WhatIf
from .sites import best_sites, hamlet_places, hamlet_sites, resolve_sites
from .times import CoverageInputs, assessment, what_if

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from ..matrix import TravelMatrix
    from ..planner import Plan

__all__ = ["CoverageOptions", "assess", "assess_coverage"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class CoverageOptions:
    """The optional questions of a coverage run, besides the travel times and bands.

    Attributes
    ----------
    plan
        A plan made by :func:`routeplan.plan`: the workload is taken from its rounds.
    add
        What-if service points. :func:`assess_coverage` takes them as typed:
        ``"16.10,107.95"`` (latitude, longitude) or a hamlet's name (see
        :func:`resolve_sites`); :func:`assess` takes points (from :func:`resolve_sites`).
    candidates
        Candidate sites for ``choose``: a GeoDataFrame (:func:`read_candidates`) or, for
        :func:`assess_coverage`, ``"hamlets"`` (every hamlet's centre, :func:`hamlet_sites`).
    choose, objective
        Pick the best ``choose`` candidates: ``"coverage"`` (most households, priority
        ones weighted, within ``far_min``; then least travel) or ``"median"``.
    places
        ``{hamlet: (lon, lat)}`` placing the hamlets named in ``add`` and the ``"hamlets"``
        candidates (:func:`assess_coverage` only); default: the network's place nodes.

    """

    plan: Plan | None = None
    add: Sequence[str] | gpd.GeoDataFrame | None = ()
    candidates: gpd.GeoDataFrame | str | None = None
    choose: int = 0
    objective: str = "coverage"
    places: Mapping[str, tuple[float, float]] | None = None


def _say(progress: ProgressFn | None) -> ProgressFn:
    """Log each step, and tell ``progress`` if given."""

    def say(msg: str, frac: float) -> None:
        log.info(msg)
        if progress is not None:
            progress(msg, frac)

    return say


def _check(
    households: gpd.GeoDataFrame,
    service_points: gpd.GeoDataFrame,
    matrices: Mapping[str, TravelMatrix],
    mode: str,
) -> None:
    """Refuse a run without the headline mode's matrix, service points or households."""
    if mode not in matrices:
        raise RouteplanError(f"no {mode} travel-time matrix for the coverage report")
    problems = []
    if len(service_points) == 0:
        problems.append(Problem("no service points", "give at least one service point"))
    if len(households) == 0:
        problems.append(Problem("no households", "give the household register"))
    if problems:
        raise InputDataError(problems, subject="coverage")


def _draw_areas(
    network: Any, scenarios: Sequence[Assessment], settings: Settings, modes: Sequence[str]
) -> None:
    """Set the isochrones of each assessment: every mode for the first, the headline else."""
    for i, a in enumerate(scenarios):
        a.isochrones = isochrones(
            network, a.service_points, settings=settings, modes=modes[:1] if i else modes
        )


def assess(
    households: gpd.GeoDataFrame,
    service_points: gpd.GeoDataFrame,
    matrices: Mapping[str, TravelMatrix],
    *,
    settings: Settings | None = None,
    volunteers: gpd.GeoDataFrame | None = None,
    options: CoverageOptions | None = None,
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
    options
        The workload from a plan, what-if points (``add``, from :func:`resolve_sites`)
        and the choice among ``candidates`` (see :class:`CoverageOptions`).
    network
        The road network, for the isochrones and the map's roads (optional).
    progress
        Called with (message, fraction).

    Returns
    -------
    CoverageReport

    """
    settings = settings or Settings()
    options = options or CoverageOptions()
    say = _say(progress)
    modes = [m for m in (settings.coverage.mode, *MODES) if m in matrices]
    modes = list(dict.fromkeys(modes))
    _check(households, service_points, matrices, settings.coverage.mode)
    inputs = CoverageInputs(households, service_points, matrices, tuple(modes), settings)
    say("travel times to the service points", 0.1)
    baseline = assessment(inputs, with_added(service_points, service_points.iloc[0:0]))
    say("volunteers needed", 0.3)
    need = volunteer_need(
        baseline.households, households, matrices, settings, volunteers, options.plan
    )
    whatif = _what_if(inputs, baseline, options, say)
    choice = _choice(inputs, baseline, options, say)
    roads = None
    if network is not None:
        say("areas within each band", 0.7)
        scenarios = [baseline, *(w.after for w in (whatif, choice and choice.whatif) if w)]
        _draw_areas(network, scenarios, settings, modes)
        roads = road_lines(network)
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


def _what_if(
    inputs: CoverageInputs, baseline: Assessment, options: CoverageOptions, say: ProgressFn
) -> WhatIf | None:
    """Return the coverage with the ``add`` points, if any."""
    add = options.add
    if add is None or not len(add):
        return None
    say("what-if: new service points", 0.4)
    return what_if(inputs, baseline, add)


def _choice(
    inputs: CoverageInputs, baseline: Assessment, options: CoverageOptions, say: ProgressFn
) -> SiteChoice | None:
    """Return the best ``choose`` candidates, if asked."""
    candidates = options.candidates
    if not (options.choose and candidates is not None and len(candidates)):
        return None
    say(f"choosing the best {options.choose} new service points", 0.5)
    return best_sites(inputs, baseline, candidates, options.choose, options.objective)


def _candidates(
    candidates: gpd.GeoDataFrame | str | None,
    households: gpd.GeoDataFrame,
    places: Mapping[str, tuple[float, float]],
) -> gpd.GeoDataFrame | None:
    """Candidate sites as points: ``"hamlets"`` becomes every hamlet's centre."""
    if not isinstance(candidates, str):
        return candidates
    if candidates != "hamlets":
        raise InputDataError(
            [
                Problem(
                    f"candidates {candidates!r} is not 'hamlets'",
                    "give 'hamlets' or a file of candidate sites",
                )
            ]
        )
    return hamlet_sites(households, places=places)


def _build_matrices(
    network: Any,
    points: gpd.GeoDataFrame,
    settings: Settings,
    cache_dir: str | Path | None,
    progress: ProgressFn | None,
) -> dict[str, Any]:
    """One travel-time matrix per mode over ``points`` (progress: the first 60 %)."""
    from ..matrix import build_matrix

    matrices: dict[str, Any] = {}
    modes = list(dict.fromkeys((settings.coverage.mode, *MODES)))
    for i, mode in enumerate(modes):

        def sub(msg: str, frac: float, i: int = i, mode: str = mode) -> None:
            if progress is not None:
                progress(f"{mode}: {msg}", 0.6 * (i + frac) / len(modes))

        matrices[mode] = build_matrix(
            network, points, mode=mode, settings=settings.network, cache_dir=cache_dir, progress=sub
        )
    return matrices


def assess_coverage(
    households: gpd.GeoDataFrame,
    service_points: gpd.GeoDataFrame,
    network: Any,
    *,
    settings: Settings | None = None,
    volunteers: gpd.GeoDataFrame | None = None,
    options: CoverageOptions | None = None,
    cache_dir: str | Path | None = None,
    progress: ProgressFn | None = None,
) -> CoverageReport:
    """Assess coverage on a road network: travel times, bands, hamlet table, what-ifs.

    Parameters
    ----------
    households, service_points, network
        The registers and the road network (``load_network``).
    settings, volunteers
        See :func:`assess`.
    options
        The workload from a plan and the what-ifs, as typed (see :class:`CoverageOptions`):
        ``add`` points as ``"16.10,107.95"`` (latitude, longitude) or a hamlet's name
        (:func:`resolve_sites`); ``candidates`` a GeoDataFrame (:func:`read_candidates`)
        or ``"hamlets"`` (every hamlet's centre, :func:`hamlet_sites`); ``places``
        defaults to the network's place nodes.
    cache_dir
        Passed to :func:`routeplan.matrix.build_matrix`.
    progress
        Called with (message, fraction).

    Returns
    -------
    CoverageReport

    """
    settings = settings or Settings()
    options = options or CoverageOptions()
    places = hamlet_places(network) if options.places is None else options.places
    new = resolve_sites(list(options.add), households, places=places) if options.add else None
    candidates = _candidates(options.candidates, households, places)
    extra = [f for f in (new, candidates if options.choose else None) if f is not None]
    points = coverage_points(households, service_points, volunteers=volunteers, extra=extra)
    matrices = _build_matrices(network, points, settings, cache_dir, progress)

    def rest(msg: str, frac: float) -> None:
        if progress is not None:
            progress(msg, 0.6 + 0.4 * frac)

    return assess(
        households,
        service_points,
        matrices,
        settings=settings,
        volunteers=volunteers,
        options=dataclasses.replace(options, add=new, candidates=candidates, places=places),
        network=network,
        progress=rest,
    )
