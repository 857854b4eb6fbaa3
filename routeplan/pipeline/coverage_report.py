"""The planners' coverage report from input files (:func:`run_coverage`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import InputDataError, Problem

if TYPE_CHECKING:  # pragma: no cover
    from ..coverage import CoverageReport

from .inputs import InputFiles, PathLike, ProgressFn, network_from_files, registers_from_files

log = logging.getLogger(__name__)

# --- the planners' coverage report -------------------------------------------------------------


@dataclass(frozen=True)
class NewSites:
    """The what-ifs of a coverage report: the new service points to try.

    Attributes
    ----------
    add
        Sites to add: ``"lat,lon"`` or a hamlet name.
    candidates
        Candidate sites to choose from: a file laid out like the service points, or
        ``"hamlets"`` (every hamlet); defaults to the hamlets when ``choose`` > 0.
    choose
        How many candidates to choose (0: none).
    objective
        ``"coverage"`` (most households within the band) or ``"median"`` (least
        total travel).

    """

    add: tuple[str, ...] = ()
    candidates: PathLike | None = None
    choose: int = 0
    objective: str = "coverage"


def run_coverage(
    files: InputFiles,
    *,
    settings: Settings | None = None,
    new_sites: NewSites | None = None,
    cache_dir: PathLike | None = None,
    progress: ProgressFn | None = None,
) -> CoverageReport:
    """Assess who is hard to reach from the service points, and what new ones would change.

    Reads the registers the way :func:`load_inputs` does (with the network's places
    and area), then :func:`routeplan.coverage.assess_coverage`. Write the report with
    :func:`routeplan.coverage.write_coverage`.

    Raises
    ------
    InputDataError
        Listing every missing file, or every problem in every register; or if
        ``files.service_points`` is not given.

    """
    from ..coverage import CoverageOptions, assess_coverage, hamlet_places, read_candidates

    settings = settings or Settings()
    new_sites = new_sites or NewSites()
    if files.service_points is None:
        raise InputDataError(
            [Problem("no service points given", "give the service points file")],
            subject="inputs",
        )
    if new_sites.choose < 0:
        raise InputDataError([Problem("--choose must be 0 or more", "e.g. --choose 2")])
    files.check()
    network = network_from_files(files, settings, progress)
    frames = registers_from_files(files, network, settings)
    candidates: Any = new_sites.candidates or ("hamlets" if new_sites.choose else None)
    if candidates is not None and candidates != "hamlets":
        candidates = read_candidates(candidates)
    options = CoverageOptions(
        add=list(new_sites.add),
        candidates=candidates,
        choose=new_sites.choose,
        objective=new_sites.objective,
        places=hamlet_places(network),
    )
    return assess_coverage(
        frames["households"],
        frames["service_points"],
        network,
        settings=settings,
        volunteers=frames.get("volunteers"),
        options=options,
        cache_dir=None if cache_dir is None else Path(cache_dir),
        progress=progress,
    )
