"""The whole job, one stage after the other: registers, network, matrices, plan, outputs.

This module only chains the stages; each stage lives in its own module. The command
line's ``plan`` and ``demo`` commands, the notebooks and the campaign all go through
it, so the demo runs exactly the code path real data runs::

    inputs = load_inputs(households="households.csv", volunteers="volunteers.csv",
                         network="commune.osm.pbf", service_points="points.csv")
    result = make_plan(inputs)
    paths = write_outputs(result, inputs, "out/")
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Settings
from .errors import InputDataError, Problem

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from .matrix import TravelMatrix
    from .network import Network
    from .planner import Plan

__all__ = ["OUTPUTS", "Inputs", "load_inputs", "make_plan", "write_outputs"]

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, float], None]
PathLike = str | os.PathLike[str]

OUTPUTS = ("tables", "exports", "maps", "sheets")
"""What :func:`write_outputs` can write, in the order it writes them."""


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


def _area(network: Network) -> tuple[float, float, float, float]:
    xs = [d["x"] for _, d in network.graph.nodes(data=True)]
    ys = [d["y"] for _, d in network.graph.nodes(data=True)]
    return (min(xs), min(ys), max(xs), max(ys))


def load_inputs(
    *,
    households: PathLike,
    volunteers: PathLike,
    network: PathLike | Network,
    service_points: PathLike | None = None,
    settings: Settings | None = None,
    dem: PathLike | Sequence[PathLike] | None = None,
    closures: PathLike | None = None,
    cache_dir: PathLike | None = None,
    progress: ProgressFn | None = None,
) -> Inputs:
    """Read and validate the registers, load the network and build the matrices.

    Problems in all three registers are collected and raised together, so a
    coordinator sees every mistake at once. Points far outside the network's area are
    reported as problems of the register they are in.

    Parameters
    ----------
    households, volunteers, service_points
        Register files (CSV, XLSX, GeoJSON or GeoPackage).
    network
        An OSM file (``.osm``, ``.osm.bz2``, ``.osm.pbf``), a saved ``.graphml``, or a
        loaded :class:`~routeplan.network.Network`.
    settings
        Settings; the defaults when ``None``.
    dem, closures
        Elevation raster(s) and closed ways, see :func:`routeplan.network.load_network`.
    cache_dir
        Folder for the travel-matrix cache (a re-plan with the same inputs reuses it).
    progress
        Optional ``progress(message, fraction)`` callback.

    Raises
    ------
    InputDataError
        Listing every problem in every register.

    """
    from .matrix import build_matrix, points_frame
    from .network import Network, load_network
    from .registers import read_households, read_service_points, read_volunteers

    settings = settings or Settings()
    given = {"households": households, "volunteers": volunteers,
             "service points": service_points, "closures": closures}
    if not isinstance(network, Network):
        given["network"] = network
    missing = [Problem(f"{what} file not found", "check the path", file=str(path))
               for what, path in given.items()
               if path is not None and not Path(path).exists()]
    if missing:  # say every missing file at once, before any slow work
        raise InputDataError(missing, subject="inputs")
    if not isinstance(network, Network):
        network = load_network(network, settings=settings.network, dem=dem, closures=closures,
                               progress=progress)
    area = _area(network)
    problems: list[Problem] = []
    frames: dict[str, Any] = {}
    readers: list[tuple[str, Callable[[], Any]]] = [
        ("households", lambda: read_households(households, settings=settings,
                                               places=network.places, area=area)),
        ("volunteers", lambda: read_volunteers(volunteers, settings=settings, area=area)),
    ]
    if service_points is not None:
        readers.append(("service_points", lambda: read_service_points(service_points,
                                                                      area=area)))
    for name, read in readers:
        try:
            frames[name] = read()
        except InputDataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputDataError(problems, subject="registers")
    hh, vol, sp = frames["households"], frames["volunteers"], frames.get("service_points")
    points = points_frame(hh, vol, sp)
    modes = sorted(set(vol["mode"]))
    matrices = {}
    for mode in modes:
        matrices[mode] = build_matrix(network, points, mode=mode, settings=settings.network,
                                      cache_dir=None if cache_dir is None else Path(cache_dir),
                                      progress=progress)
    return Inputs(hh, vol, sp, network, matrices, settings)


def make_plan(
    inputs: Inputs,
    *,
    previous: Mapping[str, str] | None = None,
    week_start: dt.date | None = None,
    progress: ProgressFn | None = None,
) -> Plan:
    """Plan the week from loaded inputs (see :func:`routeplan.planner.plan`)."""
    from .planner import plan

    return plan(inputs.households, inputs.volunteers, inputs.matrices,
                settings=inputs.settings, previous=previous, week_start=week_start,
                progress=progress)


def write_outputs(
    result: Plan,
    inputs: Inputs,
    out_dir: PathLike,
    *,
    what: Iterable[str] = OUTPUTS,
    progress: ProgressFn | None = None,
) -> list[Path]:
    """Write the plan's files into ``out_dir`` and return their paths.

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
    wanted = list(what)
    unknown = sorted(set(wanted) - set(OUTPUTS))
    if unknown:
        raise InputDataError([Problem(f"unknown output {u!r}", f"choose from {', '.join(OUTPUTS)}")
                              for u in unknown])
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    args = (result, inputs.households, inputs.volunteers)
    if "tables" in wanted:
        from .render.export import write_plan_tables

        written += write_plan_tables(result, out)
    if "exports" in wanted:
        from .render.export import write_exports

        written += write_exports(*args, inputs.service_points, inputs.matrices, out,
                                 settings=inputs.settings, progress=progress)
    if "maps" in wanted:
        from .render.maps import write_maps

        written += write_maps(*args, inputs.service_points, inputs.matrices, out,
                              network=inputs.network, settings=inputs.settings,
                              places=inputs.places, progress=progress)
    if "sheets" in wanted:
        from .render.sheets import write_sheets

        written += write_sheets(*args, inputs.matrices, out, network=inputs.network,
                                settings=inputs.settings, progress=progress)
    log.info("wrote %d files to %s", len(written), out)
    return written
