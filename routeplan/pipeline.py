"""The whole job, one stage after the other: registers, network, matrices, plan, outputs.

This is the only module that chains the stages. The command line (``plan``,
``plan --project``, ``demo``, ``coverage``), the notebooks and anything built on
routeplan call it, so every entry point runs exactly the code path real data runs::

    from routeplan.pipeline import InputFiles, load_inputs, make_plan, write_outputs

    files = InputFiles(households="households.csv", volunteers="volunteers.csv",
                       network="commune.osm.pbf", service_points="points.csv")
    inputs = load_inputs(files)            # registers, network, travel matrices
    result = make_plan(inputs)             # who visits whom, in which order, on which day
    paths = write_outputs(result, inputs, "out/")

A week of a project file (``routeplan init``) is planned with :func:`plan_week`, and the
planners' coverage report is made with :func:`run_coverage`.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Settings
from .errors import InputDataError, Problem, RouteplanError

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from .campaign import RegisterUpdate, WeekPlan
    from .coverage import CoverageReport
    from .matrix import TravelMatrix
    from .network import Network
    from .planner import Plan

__all__ = [
    "OUTPUTS",
    "InputFiles",
    "Inputs",
    "NewSites",
    "build_matrices",
    "load_inputs",
    "make_plan",
    "plan_week",
    "prepare_week",
    "replan_week",
    "run_coverage",
    "update_project",
    "week_inputs",
    "write_outputs",
    "write_week",
]

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, float], None]
PathLike = str | Path

OUTPUTS = ("tables", "exports", "maps", "sheets")
"""What :func:`write_outputs` can write, in the order it writes them."""


# --- what goes in ------------------------------------------------------------------------


@dataclass(frozen=True)
class InputFiles:
    """The files a plan or a coverage report is made from.

    Attributes
    ----------
    households, volunteers, service_points
        Register files (CSV, XLSX, GeoJSON or GeoPackage). ``volunteers`` is needed to
        plan; the coverage report uses it when given.
    network
        An OSM file (``.osm``, ``.osm.bz2``, ``.osm.pbf``), a saved ``.graphml``, or a
        loaded :class:`~routeplan.network.Network`.
    dem
        Elevation raster(s) for slope-aware walking times (optional).
    closures
        Closed or flooded ways for this run (optional).

    """

    households: PathLike
    network: PathLike | Network
    volunteers: PathLike | None = None
    service_points: PathLike | None = None
    dem: PathLike | Sequence[PathLike] | None = None
    closures: PathLike | None = None

    def check(self) -> None:
        """Raise one :class:`InputDataError` naming every given file that cannot be used.

        A file that does not exist, a folder, or a file of the wrong type (a register
        that is not CSV / XLSX / GeoJSON / GeoPackage, a network that is not OSM or
        GraphML) is named with the path as given. Nothing is read, so this runs
        before any slow work and a typo is reported at once.
        """
        from .network import check_network_file
        from .registers import check_register_file

        problems: list[Problem] = []
        for register in (self.households, self.volunteers, self.service_points):
            if isinstance(register, str | os.PathLike):
                problems += check_register_file(register)
        if isinstance(self.network, str | os.PathLike):
            problems += check_network_file(self.network)
        problems += _missing({"closures": self.closures, **_dem_files(self.dem)})
        if problems:  # say every unusable file at once, before any slow work
            raise InputDataError(problems, subject="inputs")


def _text_rows(path: Any) -> int:
    """Rows of a CSV / TSV / TXT register counted from its line ends (0 for other files)."""
    if not isinstance(path, str | os.PathLike) or Path(path).suffix.lower() not in (
        ".csv",
        ".tsv",
        ".txt",
    ):
        return 0
    with open(path, "rb") as fh:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return max(lines - 1, 0)  # the header


def _check_size(files: InputFiles, settings: Settings) -> None:
    """Refuse registers clearly too big for one plan before the network is even loaded.

    Counting the lines of a CSV takes milliseconds; the exact count (every register
    format) is checked again by the matrix step.
    """
    from ._memory import too_many_points

    registers = (files.households, files.volunteers, files.service_points)
    rows = sum(_text_rows(r) for r in registers)  # at least the rows: cells span lines
    too_many = too_many_points(rows, settings.network.matrix_memory_gb, slack=1.25)
    if too_many is not None:
        raise InputDataError([Problem(*too_many)], subject="registers")


def _dem_files(dem: PathLike | Sequence[PathLike] | None) -> dict[str, PathLike]:
    if dem is None:
        return {}
    dems = [dem] if isinstance(dem, str | os.PathLike) else list(dem)
    return {f"elevation ({Path(d).name})": d for d in dems}


def _missing(given: Mapping[str, Any]) -> list[Problem]:
    return [
        Problem(f"{what} file not found", "check the path", file=str(path))
        for what, path in given.items()
        if isinstance(path, str | os.PathLike) and not Path(path).exists()
    ]


@dataclass
class Inputs:
    """Everything a plan is made from, validated and ready for the solver.

    Attributes
    ----------
    households, volunteers, service_points
        The registers (``service_points`` may be ``None``).
    network
        The road network with travel times per mode.
    matrices
        Travel-time matrix per travel mode used by the volunteers, over the
        households, the volunteers' homes and the service points.
    settings
        The settings everything was made with.

    """

    households: gpd.GeoDataFrame
    volunteers: gpd.GeoDataFrame
    service_points: gpd.GeoDataFrame | None
    network: Network
    matrices: dict[str, TravelMatrix]
    settings: Settings = field(default_factory=Settings)

    @property
    def places(self) -> dict[str, tuple[float, float]]:
        """Named places of the map (hamlet name -> lon, lat)."""
        return dict(self.network.places)


def _load_network(files: InputFiles, settings: Settings, progress: ProgressFn | None) -> Network:
    from .network import Network, load_network

    if isinstance(files.network, Network):
        return files.network
    return load_network(
        files.network,
        settings=settings.network,
        dem=files.dem,
        closures=files.closures,
        progress=progress,
    )


def _area(network: Network) -> tuple[float, float, float, float]:
    xs = [d["x"] for _, d in network.graph.nodes(data=True)]
    ys = [d["y"] for _, d in network.graph.nodes(data=True)]
    return (min(xs), min(ys), max(xs), max(ys))


def _read_registers(
    files: InputFiles, network: Network, settings: Settings
) -> dict[str, gpd.GeoDataFrame]:
    """Read every register given; raise once with the problems of all of them."""
    from .registers import read_households, read_service_points, read_volunteers

    area = _area(network)
    readers: dict[str, Callable[[], Any]] = {
        "households": lambda: read_households(
            files.households, settings=settings, places=network.places, area=area
        ),
    }
    if files.volunteers is not None:
        volunteers = files.volunteers
        readers["volunteers"] = lambda: read_volunteers(volunteers, settings=settings, area=area)
    if files.service_points is not None:
        points = files.service_points
        readers["service_points"] = lambda: read_service_points(points, area=area)
    problems: list[Problem] = []
    frames: dict[str, gpd.GeoDataFrame] = {}
    for name, read in readers.items():
        try:
            frames[name] = read()
        except InputDataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputDataError(problems, subject="registers")
    return frames


def build_matrices(
    network: Network,
    households: gpd.GeoDataFrame,
    volunteers: gpd.GeoDataFrame,
    service_points: gpd.GeoDataFrame | None = None,
    *,
    settings: Settings | None = None,
    cache_dir: PathLike | None = None,
    progress: ProgressFn | None = None,
) -> dict[str, TravelMatrix]:
    """Build a travel-time matrix per mode the volunteers travel by.

    Over the households, the volunteers' homes and the service points (see
    :func:`routeplan.matrix.points_frame`). With ``cache_dir`` a re-plan with the same
    inputs reuses the matrices.
    """
    from .matrix import build_matrix, points_frame
    from .planner.decompose import DECOMPOSE_ABOVE

    settings = settings or Settings()
    points = points_frame(households, volunteers, service_points)
    cache = None if cache_dir is None else Path(cache_dir)
    if len(households) > DECOMPOSE_ABOVE:
        return _blocked_matrices(network, households, volunteers, points, settings, cache, progress)
    return {
        mode: build_matrix(
            network,
            points,
            mode=mode,
            settings=settings.network,
            cache_dir=cache,
            progress=progress,
        )
        for mode in sorted(set(volunteers["mode"]))
    }


def _blocked_matrices(
    network: Network,
    households: gpd.GeoDataFrame,
    volunteers: gpd.GeoDataFrame,
    points: gpd.GeoDataFrame,
    settings: Settings,
    cache: Path | None,
    progress: ProgressFn | None,
) -> dict[str, TravelMatrix]:
    """Travel times in blocks of nearby volunteers (a large register; see ``decompose``).

    The planner reads them as :class:`~routeplan.matrix.blocked.BlockedMatrix` (it
    plans group by group); the writers only draw paths, which blocks do too.
    """
    from typing import cast

    from .matrix.blocked import build_blocked
    from .planner.decompose import block_point_ids, make_groups

    groups = make_groups(households, volunteers, settings=settings)
    ids = [str(p) for p in points["point_id"]]
    blocks, owner = block_point_ids(groups, households, volunteers, ids, list(points["kind"]))
    room = (
        int(volunteers["capacity"].sum())
        if "capacity" in volunteers
        else len(volunteers) * settings.planner.capacity
    )
    _refuse_big_blocks(blocks, len(households), len(volunteers), room, settings)
    log.info(
        "%d households: travel times in %d blocks of nearby volunteers (%d points at most)",
        len(households),
        len(blocks),
        max((len(b) for b in blocks), default=0),
    )
    return {
        mode: cast(  # the planner and the writers read blocks (see BlockedMatrix)
            "TravelMatrix",
            build_blocked(
                network,
                points,
                blocks,
                owner,
                mode=mode,
                settings=settings.network,
                cache_dir=cache,
                progress=progress,
            ),
        )
        for mode in sorted(set(volunteers["mode"]))
    }


def _refuse_big_blocks(
    blocks: Sequence[Sequence[str]],
    n_households: int,
    n_volunteers: int,
    room: int,
    settings: Settings,
) -> None:
    """Refuse, before any travel time is computed, a block too large for one matrix."""
    from .matrix.blocked import MAX_BLOCK_POINTS

    big = max((len(b) for b in blocks), default=0)
    if big <= MAX_BLOCK_POINTS:
        return
    cap = settings.planner.capacity
    need = math.ceil(n_households / cap)
    raise InputDataError(
        [
            Problem(
                f"{n_households:,} households and {n_volunteers:,} volunteers: a group of "
                f"nearby volunteers would have {big:,} points to plan, over the limit of "
                f"{MAX_BLOCK_POINTS:,} points per travel-time block (the 1+{cap} rule asks "
                f"for {need:,} volunteers; these can look after at most "
                f"{room:,} households)",
                f"add volunteers where the households are (about {need:,}), or split the "
                "register into areas (communes, wards) and plan them with `routeplan areas`",
            )
        ],
        subject="planning inputs",
    )


def load_inputs(
    files: InputFiles,
    *,
    settings: Settings | None = None,
    cache_dir: PathLike | None = None,
    progress: ProgressFn | None = None,
) -> Inputs:
    """Read and validate the registers, load the network and build the matrices.

    Missing files are reported together before any slow work. Problems in all three
    registers are collected and raised together, so a coordinator sees every mistake
    at once. Points far outside the network's area are reported as problems of the
    register they are in.

    Parameters
    ----------
    files
        The registers, the road network and the optional elevation and closures.
    settings
        Settings; the defaults when ``None``.
    cache_dir
        Folder for the travel-matrix cache (a re-plan with the same inputs reuses it).
    progress
        Optional ``progress(message, fraction)`` callback.

    Raises
    ------
    InputDataError
        Listing every missing file, or every problem in every register.

    """
    settings = settings or Settings()
    if files.volunteers is None:
        raise InputDataError(
            [Problem("no volunteer register given", "give the volunteers file")],
            subject="inputs",
        )
    files.check()
    _check_size(files, settings)
    network = _load_network(files, settings, progress)
    frames = _read_registers(files, network, settings)
    hh, vol, sp = frames["households"], frames["volunteers"], frames.get("service_points")
    matrices = build_matrices(
        network, hh, vol, sp, settings=settings, cache_dir=cache_dir, progress=progress
    )
    return Inputs(hh, vol, sp, network, matrices, settings)


# --- the plan -------------------------------------------------------------------------------


def make_plan(
    inputs: Inputs,
    *,
    previous: Mapping[str, str] | None = None,
    week_start: dt.date | None = None,
    progress: ProgressFn | None = None,
) -> Plan:
    """Plan the week from loaded inputs (see :func:`routeplan.planner.plan`)."""
    from .planner import plan

    return plan(
        inputs.households,
        inputs.volunteers,
        inputs.matrices,
        settings=inputs.settings,
        previous=previous,
        week_start=week_start,
        progress=progress,
    )


def _project_network(
    project: PathLike,
    network: PathLike | Network | None,
    *,
    dem: PathLike | Sequence[PathLike] | None,
    closures: PathLike | None,
    settings: Settings,
    progress: ProgressFn | None,
) -> Network:
    """Load the network given, else the one the project remembers (``init --network``)."""
    from .campaign import project_network
    from .network import Network, load_network

    if isinstance(network, Network):
        return network
    source = network if network is not None else project_network(project)
    if source is None:
        raise InputDataError(
            [
                Problem(
                    "the project does not say which road network to plan with",
                    "give --network OSM, or run `routeplan init PROJECT --network OSM` once",
                )
            ]
        )
    from .network import check_network_file

    problems = check_network_file(source) + _missing({"closures": closures, **_dem_files(dem)})
    if problems:
        raise InputDataError(problems, subject="inputs")
    return load_network(
        source, settings=settings.network, dem=dem, closures=closures, progress=progress
    )


def _week_registers(
    project: PathLike, week_start: dt.date, settings: Settings, *, adjusted: bool = False
) -> tuple[Any, Any, dict[str, str], Any]:
    """Return the week's households, volunteers, previous assignment and carry-over.

    With ``adjusted``, the week's changes by hand (volunteers away, capacities) are
    applied to the volunteers. A read-only project is refused first, before any work.
    """
    from .campaign import check_writable, next_week_inputs, week_adjustments

    check_writable(project)  # before minutes of work, not after
    households, volunteers, previous, carry = next_week_inputs(
        project, week_start, settings=settings
    )
    if adjusted:
        volunteers = week_adjustments(project, week_start).volunteers(volunteers)
    return households, volunteers, previous, carry


def _week_matrices(
    network: Network,
    registers: tuple[Any, Any, dict[str, str], Any],
    settings: Settings,
    cache_dir: PathLike | None,
    progress: ProgressFn | None,
) -> dict[str, TravelMatrix]:
    """Return the week's travel matrices over its households, homes and service points."""
    households, volunteers, _, carry = registers
    return build_matrices(
        network,
        households,
        volunteers,
        carry.service_points,
        settings=settings,
        cache_dir=cache_dir,
        progress=progress,
    )


def prepare_week(
    project: PathLike,
    week_start: dt.date,
    *,
    settings: Settings | None = None,
    network: PathLike | Network | None = None,
    dem: PathLike | Sequence[PathLike] | None = None,
    closures: PathLike | None = None,
    cache_dir: PathLike | None = None,
    progress: ProgressFn | None = None,
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
    from .campaign import WeekPlan
    from .planner import plan

    settings = settings or Settings()
    registers = _week_registers(project, week_start, settings)
    households, volunteers, previous, carry = registers
    net = _project_network(
        project, network, dem=dem, closures=closures, settings=settings, progress=progress
    )
    matrices = _week_matrices(net, registers, settings, cache_dir, progress)
    result = plan(
        households,
        volunteers,
        matrices,
        settings=settings,
        previous=previous,
        week_start=week_start,
        progress=progress,
    )
    return WeekPlan(result, households, volunteers, carry.service_points, matrices, net, carry)


def plan_week(
    project: PathLike,
    week_start: dt.date,
    *,
    settings: Settings | None = None,
    network: PathLike | Network | None = None,
    dem: PathLike | Sequence[PathLike] | None = None,
    closures: PathLike | None = None,
    cache_dir: PathLike | None = None,
    progress: ProgressFn | None = None,
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
    settings
        All settings.
    network
        A loaded :class:`~routeplan.network.Network` or a network file; default: the
        file given to ``routeplan init --network``.
    dem, closures
        Elevation raster(s) and closed ways for this week, applied when the network
        is loaded from a file (see :func:`routeplan.network.load_network`).
    cache_dir
        Folder of cached travel matrices.
    progress
        Optional ``progress(message, fraction)`` callback.

    Raises
    ------
    InputDataError
        If ``week_start`` is not a Monday, or no network is given or remembered.
    routeplan.campaign.ProjectFileError
        Before any work if the project cannot be written (read-only); when storing if
        the disk is full or another program holds the project past the wait.

    """
    from .campaign import save_plan

    week = prepare_week(
        project,
        week_start,
        settings=settings,
        network=network,
        dem=dem,
        closures=closures,
        cache_dir=cache_dir,
        progress=progress,
    )
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
    from .campaign import ProjectFileError, save_plan

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
    *,
    full: bool = False,
    settings: Settings | None = None,
    network: PathLike | Network | None = None,
    cache_dir: PathLike | None = None,
    progress: ProgressFn | None = None,
) -> WeekPlan:
    """Plan ``week_start`` again keeping the coordinator's changes, and store the plan.

    The changes are the week's :class:`~routeplan.campaign.WeekAdjustments` (households
    locked to a volunteer, volunteers away, capacities). With a stored plan of the week
    and ``full=False``, :func:`routeplan.planner.replan` keeps every round the changes
    do not touch and routes only the volunteers whose households changed; otherwise the
    week is planned in full (:func:`routeplan.planner.plan` with the locks). Same
    parameters as :func:`plan_week`.
    """
    from .campaign import WeekPlan, load_plan, save_plan, week_adjustments, weeks
    from .planner import plan, replan

    settings = settings or Settings()
    registers = _week_registers(project, week_start, settings, adjusted=True)
    households, volunteers, previous, carry = registers
    net = _project_network(
        project, network, dem=None, closures=None, settings=settings, progress=progress
    )
    matrices = _week_matrices(net, registers, settings, cache_dir, progress)
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
    network: PathLike | None = None,
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
) -> RegisterUpdate:
    """Create the project file from the registers given, or update it with them.

    Households without coordinates are placed at their village, found among the named
    places of ``network`` (an OSM file; a saved GraphML has none). The network file is
    remembered by the project for :func:`plan_week`. See
    :func:`routeplan.campaign.init_project`.
    """
    from .campaign import check_writable, init_project
    from .network import read_places
    from .registers import read_households, read_service_points, read_volunteers

    check_writable(project)  # before reading the registers and the network
    settings = settings or Settings()
    places = None
    if households and network and not str(network).lower().endswith(".graphml"):
        places = read_places(network)
    return init_project(
        project,
        households=(
            read_households(households, settings=settings, places=places) if households else None
        ),
        volunteers=read_volunteers(volunteers, settings=settings) if volunteers else None,
        service_points=read_service_points(service_points) if service_points else None,
        network=network,
        progress=progress,
    )


# --- what comes out --------------------------------------------------------------------------


def write_outputs(
    result: Plan,
    inputs: Inputs,
    out_dir: PathLike,
    *,
    what: Iterable[str] = OUTPUTS,
    progress: ProgressFn | None = None,
) -> list[Path]:
    """Write the plan's files into ``out_dir`` and return their paths.

    The plan and its registers are joined and checked once
    (:func:`routeplan.render.bundle`); every writer takes that bundle.

    Parameters
    ----------
    result
        The plan.
    inputs
        What the plan was made from.
    out_dir
        Output folder, created when missing.
    what
        Any of :data:`OUTPUTS`: ``"tables"`` (assignment.csv, unassigned.csv,
        changes.csv), ``"exports"`` (GeoPackage, GeoJSON, plan_stops.csv, GPX),
        ``"maps"`` (HTML), ``"sheets"`` (PDF).
    progress
        Optional ``progress(message, fraction)`` callback.

    """
    from .render import bundle

    wanted = list(what)
    unknown = sorted(set(wanted) - set(OUTPUTS))
    if unknown:
        raise InputDataError(
            [Problem(f"unknown output {u!r}", f"choose from {', '.join(OUTPUTS)}") for u in unknown]
        )
    checked = bundle(
        result,
        inputs.households,
        inputs.volunteers,
        service_points=inputs.service_points,
        matrices=inputs.matrices,
        settings=inputs.settings,
    )
    out = Path(out_dir)
    try:
        return _write_outputs(result, inputs, checked, out, wanted, progress)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM):
            raise
        fix = (
            "free some space on that disk (or give another --out folder)"
            if exc.errno in (errno.ENOSPC, errno.EDQUOT)
            else "give an --out folder you can write to"
        )
        raise RouteplanError(
            f"{out}: could not write the plan's files: {exc.strerror} "
            f"({exc.filename or out}). Files already complete were kept; none is "
            f"half-written.\nFix: {fix}, and run the command again."
        ) from exc


def _write_outputs(
    result: Plan,
    inputs: Inputs,
    checked: Any,
    out: Path,
    wanted: list[str],
    progress: ProgressFn | None,
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if "tables" in wanted:
        from .render.export import write_plan_tables

        written += write_plan_tables(result, out)
    if "exports" in wanted:
        from .render.export import write_exports

        written += write_exports(checked, out, progress=progress)
    if "maps" in wanted:
        from .render.maps import write_maps

        written += write_maps(
            checked, out, network=inputs.network, places=inputs.places, progress=progress
        )
    if "sheets" in wanted:
        from .render.sheets import write_sheets

        written += write_sheets(checked, out, network=inputs.network, progress=progress)
    log.info("wrote %d files to %s", len(written), out)
    return written


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
    from .coverage import CoverageOptions, assess_coverage, hamlet_places, read_candidates

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
    network = _load_network(files, settings, progress)
    frames = _read_registers(files, network, settings)
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
