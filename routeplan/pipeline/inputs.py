"""What goes in: the input files, their registers, the network and the travel matrices."""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import InputDataError, Problem

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from ..matrix import TravelMatrix
    from ..network import Network


log = logging.getLogger(__name__)

ProgressFn = Callable[[str, float], None]
PathLike = str | Path

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
        from ..network import check_network_file
        from ..registers import check_register_file

        problems: list[Problem] = []
        for register in (self.households, self.volunteers, self.service_points):
            if isinstance(register, str | os.PathLike):
                problems += check_register_file(register)
        if isinstance(self.network, str | os.PathLike):
            problems += check_network_file(self.network)
        problems += missing_files({"closures": self.closures, **dem_files(self.dem)})
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
    from .._memory import too_many_points

    registers = (files.households, files.volunteers, files.service_points)
    rows = sum(_text_rows(r) for r in registers)  # at least the rows: cells span lines
    too_many = too_many_points(rows, settings.network.matrix_memory_gb, slack=1.25)
    if too_many is not None:
        raise InputDataError([Problem(*too_many)], subject="registers")


def dem_files(dem: PathLike | Sequence[PathLike] | None) -> dict[str, PathLike]:
    """Name each elevation file given by its file name, for :func:`missing_files`."""
    if dem is None:
        return {}
    dems = [dem] if isinstance(dem, str | os.PathLike) else list(dem)
    return {f"elevation ({Path(d).name})": d for d in dems}


def missing_files(given: Mapping[str, Any]) -> list[Problem]:
    """One problem for each named file that does not exist."""
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


def network_from_files(
    files: InputFiles, settings: Settings, progress: ProgressFn | None
) -> Network:
    """Load the network the input files name, with their elevation and closures."""
    from ..network import Network, load_network

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


def registers_from_files(
    files: InputFiles, network: Network, settings: Settings
) -> dict[str, gpd.GeoDataFrame]:
    """Read every register given; raise once with the problems of all of them."""
    from ..registers import read_households, read_service_points, read_volunteers

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
    from ..matrix import build_matrix, points_frame
    from ..planner.decompose import DECOMPOSE_ABOVE

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

    from ..matrix.blocked import build_blocked
    from ..planner.decompose import block_point_ids, make_groups

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
    from ..matrix.blocked import MAX_BLOCK_POINTS

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
    network = network_from_files(files, settings, progress)
    frames = registers_from_files(files, network, settings)
    hh, vol, sp = frames["households"], frames["volunteers"], frames.get("service_points")
    matrices = build_matrices(
        network, hh, vol, sp, settings=settings, cache_dir=cache_dir, progress=progress
    )
    return Inputs(hh, vol, sp, network, matrices, settings)
