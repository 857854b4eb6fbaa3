"""A week of a project file: plan it, write its files, store it, plan it again."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import InputDataError, Problem, RouteplanError

if TYPE_CHECKING:  # pragma: no cover
    from ..campaign import RegisterUpdate, RoadFiles, WeekPlan
    from ..matrix import TravelMatrix
    from ..network import Network

from .inputs import Inputs, PathLike, ProgressFn, build_matrices, dem_files, missing_files
from .plan import OUTPUTS, write_outputs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WeekOptions:
    """How a week of a project is planned: the settings and what the project file lacks.

    Attributes
    ----------
    settings
        All settings.
    network
        A loaded :class:`~routeplan.network.Network` or a network file; default: the
        file given to ``routeplan init --network``.
    dem, closures
        Elevation raster(s) and closed ways for this week, applied when the network
        is loaded from a file (see :func:`routeplan.network.load_network`); default:
        those given to ``routeplan init --dem``, ``--closures``.
    cache_dir
        Folder of cached travel matrices.
    progress
        Optional ``progress(message, fraction)`` callback.

    """

    settings: Settings = field(default_factory=Settings)
    network: PathLike | Network | None = None
    dem: PathLike | Sequence[PathLike] | None = None
    closures: PathLike | None = None
    cache_dir: PathLike | None = None
    progress: ProgressFn | None = None


def _project_network(project: PathLike, options: WeekOptions) -> Network:
    """Load the network given, else the one the project remembers (``init --network``).

    Elevation and closures not given are those the project remembers (``init --dem``,
    ``--closures``); a loaded network is used as it is.
    """
    from ..campaign import project_roads
    from ..network import Network, load_network

    if isinstance(options.network, Network):
        return options.network
    remembered = project_roads(project)
    source = options.network if options.network is not None else remembered.network
    dem = options.dem if options.dem is not None else remembered.dem
    closures = options.closures if options.closures is not None else remembered.closures
    if source is None:
        raise InputDataError(
            [
                Problem(
                    "the project does not say which road network to plan with",
                    "give --network OSM, or run `routeplan init PROJECT --network OSM` once",
                )
            ]
        )
    from ..network import check_network_file

    problems = check_network_file(source) + missing_files({"closures": closures, **dem_files(dem)})
    if problems:
        raise InputDataError(problems, subject="inputs")
    return load_network(
        source,
        settings=options.settings.network,
        dem=dem,
        closures=closures,
        progress=options.progress,
    )


def _week_registers(
    project: PathLike, week_start: dt.date, settings: Settings, *, adjusted: bool = False
) -> tuple[Any, Any, dict[str, str], Any]:
    """Return the week's households, volunteers, previous assignment and carry-over.

    With ``adjusted``, the week's changes by hand (volunteers away, capacities) are
    applied to the volunteers. A read-only project is refused first, before any work.
    """
    from ..campaign import check_writable, next_week_inputs, week_adjustments

    check_writable(project)  # before minutes of work, not after
    households, volunteers, previous, carry = next_week_inputs(
        project, week_start, settings=settings
    )
    if adjusted:
        volunteers = week_adjustments(project, week_start).volunteers(volunteers)
    return households, volunteers, previous, carry


def _week_matrices(
    network: Network, registers: tuple[Any, Any, dict[str, str], Any], options: WeekOptions
) -> dict[str, TravelMatrix]:
    """Return the week's travel matrices over its households, homes and service points."""
    households, volunteers, _, carry = registers
    return build_matrices(
        network,
        households,
        volunteers,
        carry.service_points,
        settings=options.settings,
        cache_dir=options.cache_dir,
        progress=options.progress,
    )


def prepare_week(
    project: PathLike, week_start: dt.date, options: WeekOptions | None = None
) -> WeekPlan:
    """Plan ``week_start`` from the project file, without storing it (see :func:`plan_week`).

    Store it with :func:`write_week` (the files, then the plan) or
    :func:`routeplan.campaign.save_plan`.

    Raises
    ------
    routeplan.campaign.ProjectFileError
        At once, before any work, if the project cannot be written (read-only file or
        folder): the plan could not be stored.

    """
    from ..campaign import WeekPlan
    from ..planner import plan

    options = options or WeekOptions()
    registers = _week_registers(project, week_start, options.settings)
    households, volunteers, previous, carry = registers
    net = _project_network(project, options)
    matrices = _week_matrices(net, registers, options)
    result = plan(
        households,
        volunteers,
        matrices,
        settings=options.settings,
        previous=previous,
        week_start=week_start,
        progress=options.progress,
    )
    return WeekPlan(result, households, volunteers, carry.service_points, matrices, net, carry)


def plan_week(
    project: PathLike, week_start: dt.date, options: WeekOptions | None = None
) -> WeekPlan:
    """Plan ``week_start`` from the project file and store the plan in it.

    :func:`routeplan.campaign.next_week_inputs` (this week's households with what is
    left to do, last week's volunteers), then :func:`build_matrices`, then
    :func:`routeplan.planner.plan` with the previous assignment (all in
    :func:`prepare_week`), then :func:`routeplan.campaign.save_plan` (an earlier plan of
    the same week is replaced). To write the plan's files too, call
    :func:`prepare_week` then :func:`write_week`, which writes the files first.

    Parameters
    ----------
    project
        The project file.
    week_start
        The Monday of the week to plan.
    options
        The settings, the network, elevation, closures, cache and progress
        (:class:`WeekOptions`; default: all defaults, the project's network).

    Raises
    ------
    InputDataError
        If ``week_start`` is not a Monday, or no network is given or remembered.
    routeplan.campaign.ProjectFileError
        Before any work if the project cannot be written (read-only); when storing if
        the disk is full or another program holds the project past the wait.

    """
    from ..campaign import save_plan

    week = prepare_week(project, week_start, options)
    save_plan(project, week.plan, households=week.households)
    return week


def write_week(
    project: PathLike,
    week: WeekPlan,
    out_dir: PathLike,
    *,
    settings: Settings | None = None,
    what: Iterable[str] = OUTPUTS,
    progress: ProgressFn | None = None,
) -> list[Path]:
    """Write the files of a week planned by :func:`prepare_week`, then store the plan.

    In that order, so that a failure (a full disk) never leaves a stored plan without
    its files: if the files cannot be written the project is left as it was; if the
    plan cannot be stored the error says that the files were written but the plan is
    not stored. Returns the paths written (see :func:`write_outputs`).
    """
    from ..campaign import ProjectFileError, save_plan

    settings = settings or Settings()
    week_start = week.plan.week_start
    try:
        paths = write_outputs(
            week.plan, week_inputs(week, settings), out_dir, what=what, progress=progress
        )
    except InputDataError:
        raise
    except RouteplanError as exc:
        raise RouteplanError(
            f"{exc}\nThe plan of {week_start} is not stored in {project}: the project "
            "is as it was. Run the command again once fixed."
        ) from exc
    try:
        save_plan(project, week.plan, households=week.households)
    except ProjectFileError as exc:
        raise ProjectFileError(
            f"{exc}\nThe plan's files in {out_dir} were written, but the plan of "
            f"{week_start} is not stored in the project, so next week's plan cannot build "
            "on it: run this command again once fixed (it replaces the files)."
        ) from exc
    return paths


def replan_week(
    project: PathLike,
    week_start: dt.date,
    options: WeekOptions | None = None,
    *,
    full: bool = False,
) -> WeekPlan:
    """Plan ``week_start`` again keeping the coordinator's changes, and store the plan.

    The changes are the week's :class:`~routeplan.campaign.WeekAdjustments` (households
    locked to a volunteer, volunteers away, capacities). With a stored plan of the week
    and ``full=False``, :func:`routeplan.planner.replan` keeps every round the changes
    do not touch and routes only the volunteers whose households changed; otherwise the
    week is planned in full (:func:`routeplan.planner.plan` with the locks). Same
    ``options`` as :func:`plan_week`.
    """
    from ..campaign import WeekPlan, load_plan, save_plan, week_adjustments, weeks
    from ..planner import plan, replan

    options = options or WeekOptions()
    settings, progress = options.settings, options.progress
    registers = _week_registers(project, week_start, settings, adjusted=True)
    households, volunteers, previous, carry = registers
    net = _project_network(project, options)
    matrices = _week_matrices(net, registers, options)
    adjust = week_adjustments(project, week_start)
    locks = dict(adjust.locks)
    if not full and week_start in weeks(project):
        base = load_plan(project, week_start)
        result = replan(
            households,
            volunteers,
            matrices,
            base,
            settings=settings,
            fixed=locks,
            previous=previous,
            progress=progress,
        )
    else:
        result = plan(
            households,
            volunteers,
            matrices,
            settings=settings,
            previous=previous,
            week_start=week_start,
            progress=progress,
            fixed=locks,
        )
    save_plan(project, result, households=households)
    return WeekPlan(result, households, volunteers, carry.service_points, matrices, net, carry)


def week_inputs(week: WeekPlan, settings: Settings) -> Inputs:
    """Return what a week planned by :func:`plan_week` was made from, for the writers."""
    return Inputs(
        week.households,
        week.volunteers,
        week.service_points,
        week.network,
        dict(week.matrices),
        settings,
    )


def update_project(
    project: PathLike,
    *,
    households: PathLike | None = None,
    volunteers: PathLike | None = None,
    service_points: PathLike | None = None,
    roads: RoadFiles | None = None,
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
) -> RegisterUpdate:
    """Create the project file from the registers given, or update it with them.

    Households without coordinates are placed at their village, found among the named
    places of the network file of ``roads`` (an OSM file; a saved GraphML has none).
    The road files given (:class:`~routeplan.campaign.RoadFiles`: network, elevation,
    closures) are remembered by the project for :func:`plan_week` and
    :func:`replan_week`; a file that does not exist is refused first. See
    :func:`routeplan.campaign.init_project`.
    """
    from ..campaign import check_writable, init_project
    from ..network import check_network_file, read_places
    from ..registers import read_households, read_service_points, read_volunteers

    check_writable(project)  # before reading the registers and the network
    network = roads.network if roads else None
    if roads:
        given = {"closures": roads.closures, **dem_files(roads.dem)}
        problems = missing_files(given) + (check_network_file(network) if network else [])
        if problems:
            raise InputDataError(problems, subject="inputs")
    settings = settings or Settings()
    places = None
    if households and network and not str(network).lower().endswith(".graphml"):
        places = read_places(network)
    frames = {
        "households": (
            read_households(households, settings=settings, places=places) if households else None
        ),
        "volunteers": read_volunteers(volunteers, settings=settings) if volunteers else None,
        "service_points": read_service_points(service_points) if service_points else None,
    }
    update = init_project(
        project,
        households=frames["households"],
        volunteers=frames["volunteers"],
        service_points=frames["service_points"],
        roads=roads,
        progress=progress,
    )
    warned = [p for f in frames.values() if f is not None for p in f.attrs.get("problems", ())]
    return replace(update, warnings=tuple(warned))
