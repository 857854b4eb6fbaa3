"""The planning commands: ``plan`` (registers or a project week) and ``demo``."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from .common import (
    EXIT_OK,
    add_common,
    add_language,
    bad_input,
    command_settings,
    progress_shown,
)

if TYPE_CHECKING:
    from .._console import Progress
    from ..config import Settings
    from ..planner import Plan

__all__ = ["COMMANDS"]


def _add_plan(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "plan",
        help="plan the week: who looks after whom (1+20) and each volunteer's rounds",
        description="Give every household to one volunteer (capacity, skills, language, "
        "last week's assignment) and split each volunteer's visits over their available "
        "days and hours, starting and ending at home. Writes into --out the tables "
        "(plan_stops.csv, assignment.csv: pass it as --previous next week, unassigned.csv), "
        "the exports (plan.gpkg, GeoJSON, GPX), the maps (map_overview.html, volunteers/) "
        "and the route sheets (route_sheets_all.pdf, sheets/), and prints a summary per "
        "volunteer.",
    )
    _add_plan_inputs(p)
    _add_plan_week(p)
    _add_plan_search(p)
    _add_plan_roads(p)
    _add_plan_output(p)
    add_common(p)


def _add_plan_inputs(p: argparse.ArgumentParser) -> None:
    """Add what to plan from: the registers and the road network, or a project."""
    p.add_argument(
        "--households",
        type=Path,
        metavar="FILE",
        help="household register (CSV, XLSX, GeoJSON or GeoPackage)",
    )
    p.add_argument("--volunteers", type=Path, metavar="FILE", help="volunteer register")
    p.add_argument(
        "--network",
        type=Path,
        metavar="OSM|GRAPHML",
        help="road network: .osm, .osm.bz2, .osm.pbf or a saved .graphml",
    )
    p.add_argument(
        "--service-points",
        type=Path,
        metavar="FILE",
        help="service points (added to the travel matrix for later reports)",
    )
    p.add_argument(
        "--project",
        type=Path,
        metavar="PROJECT.gpkg",
        help="plan from a project file (routeplan init) instead of the registers; "
        "needs --week; the plan is stored in the project",
    )


def _add_plan_week(p: argparse.ArgumentParser) -> None:
    """Add the week: last week's assignment and the Monday planned."""
    p.add_argument(
        "--previous",
        type=Path,
        metavar="CSV",
        help="last week's assignment.csv: households stay with their volunteer "
        "unless that has become impossible; every change is listed",
    )
    p.add_argument(
        "--week-start",
        "--week",
        dest="week_start",
        metavar="YYYY-MM-DD",
        help="Monday of the planned week (dates the rounds)",
    )


def _add_plan_search(p: argparse.ArgumentParser) -> None:
    """Add how the solver searches: its time and its seed."""
    p.add_argument(
        "--time-limit",
        type=float,
        metavar="S",
        help="seconds the solver may think (default: planner.time_limit_s, 30)",
    )
    p.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="random seed; the same inputs and seed give the same plan",
    )


def _add_plan_roads(p: argparse.ArgumentParser) -> None:
    """Add what changes the roads' travel times: elevation and closures."""
    p.add_argument(
        "--dem",
        type=Path,
        action="append",
        metavar="FILE",
        help="elevation raster for slope-aware walking times; repeat for tiles "
        "(with --project: default, the files given to routeplan init --dem)",
    )
    p.add_argument(
        "--closures",
        type=Path,
        metavar="FILE",
        help="closed or flooded ways for this run (way ids, or lines in GeoJSON/GPKG; "
        "with --project: default, the file given to routeplan init --closures)",
    )


def _add_plan_output(p: argparse.ArgumentParser) -> None:
    """Add what is written where: the maps' language, which files, the folder."""
    add_language(p)
    p.add_argument(
        "--no-maps",
        action="store_true",
        help="write only the tables and exports (no HTML maps, no PDF sheets)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("plan"),
        metavar="DIR",
        help="output folder (default: ./plan); travel matrices are cached in DIR/.cache",
    )


def _week_start(args: argparse.Namespace) -> dt.date | None:
    """Return the Monday of ``--week-start`` (``None`` when not given)."""
    if not args.week_start:
        return None
    try:
        return dt.date.fromisoformat(args.week_start)
    except ValueError:
        raise bad_input(
            f"--week-start {args.week_start!r} is not a date", "write it as YYYY-MM-DD"
        ) from None


def _check_plan_sources(args: argparse.Namespace, week_start: dt.date | None) -> None:
    """Refuse a ``plan`` given neither the registers and the network nor a project week."""
    if args.project is None and not (args.households and args.volunteers and args.network):
        raise bad_input(
            "give --households, --volunteers and --network, or --project with --week",
            "see routeplan plan --help",
        )
    if args.project is not None and week_start is None:
        raise bad_input("--project needs --week YYYY-MM-DD", "give the Monday of the week to plan")


def _cmd_plan(args: argparse.Namespace) -> int:
    from ..pipeline import OUTPUTS

    settings = command_settings(args)
    week_start = _week_start(args)
    _check_plan_sources(args, week_start)
    what = ("tables", "exports") if args.no_maps else OUTPUTS
    with progress_shown(args) as progress:
        if args.project is not None:
            assert week_start is not None
            result, paths = _plan_project(args, week_start, settings, what, progress)
        else:
            result, paths = _plan_registers(args, week_start, settings, what, progress)
    print(result.summary())
    print(
        f"\nWrote {len(paths)} files in {args.out}: plan_stops.csv, assignment.csv (pass it "
        "as --previous next week), unassigned.csv, plan.gpkg, gpx/"
        + (
            ""
            if args.no_maps
            else ", map_overview.html, volunteers/, route_sheets_all.pdf, sheets/"
        )
    )
    return EXIT_OK


def _plan_project(
    args: argparse.Namespace,
    week_start: dt.date,
    settings: Settings,
    what: tuple[str, ...],
    progress: Progress,
) -> tuple[Plan, list[Path]]:
    """Plan the project's week and store it; return the plan and the files written."""
    from ..pipeline import WeekOptions, prepare_week, write_week

    options = WeekOptions(
        settings=settings,
        network=args.network,
        dem=args.dem,
        closures=args.closures,
        cache_dir=args.out / ".cache",
        progress=progress,
    )
    week = prepare_week(args.project, week_start, options)
    paths = write_week(
        args.project, week, args.out, settings=settings, what=what, progress=progress
    )
    return week.plan, paths


def _plan_registers(
    args: argparse.Namespace,
    week_start: dt.date | None,
    settings: Settings,
    what: tuple[str, ...],
    progress: Progress,
) -> tuple[Plan, list[Path]]:
    """Plan the week from the registers; return the plan and the files written."""
    from ..pipeline import InputFiles, load_inputs, make_plan, write_outputs
    from ..planner import read_previous

    files = InputFiles(
        households=args.households,
        volunteers=args.volunteers,
        network=args.network,
        service_points=args.service_points,
        dem=args.dem,
        closures=args.closures,
    )
    files.check()  # every unusable file named before the previous plan is read
    previous = read_previous(args.previous) if args.previous else None
    cache = args.out / ".cache"
    inputs = load_inputs(files, settings=settings, cache_dir=cache, progress=progress)
    result = make_plan(inputs, previous=previous, week_start=week_start, progress=progress)
    return result, write_outputs(result, inputs, args.out, what=what, progress=progress)


def _add_demo(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "demo",
        help="run the whole pipeline on the shipped demo commune and say where to look",
        description="Plan a week for the synthetic demo commune (data/demo: 1,350 households, "
        "70 volunteers, a road network modelled on Hoa Bac) through exactly the code path "
        "real data takes, and write the tables, exports, maps and route sheets into --out.",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("demo-output"),
        metavar="DIR",
        help="output folder (default: ./demo-output)",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        metavar="S",
        help="seconds the solver may think (default: planner.time_limit_s)",
    )
    p.add_argument("--seed", type=int, metavar="N", help="random seed")
    add_language(p)
    p.add_argument(
        "--week",
        metavar="YYYY-MM-DD",
        help="Monday of the planned week (default: 2026-12-07, so the demo is reproducible)",
    )
    add_common(p)


def _cmd_demo(args: argparse.Namespace) -> int:
    import dataclasses

    from ..demo import DEMO_COORDINATOR, demo_files, demo_week
    from ..pipeline import InputFiles, load_inputs, make_plan, write_outputs

    week = demo_week(args.week)
    settings = command_settings(args)
    if not settings.output.coordinator:  # the demo's sheets name someone to call
        output = dataclasses.replace(settings.output, coordinator=DEMO_COORDINATOR)
        settings = dataclasses.replace(settings, output=output)
    files = demo_files()
    with progress_shown(args) as progress:
        inputs = load_inputs(
            InputFiles(
                households=files["households"],
                volunteers=files["volunteers"],
                service_points=files["service_points"],
                network=files["network"],
            ),
            settings=settings,
            cache_dir=args.out / ".cache",
            progress=progress,
        )
        result = make_plan(inputs, week_start=week, progress=progress)
        paths = write_outputs(result, inputs, args.out, progress=progress)
    print(result.summary())
    out = args.out
    print(f"\nWrote {len(paths)} files in {out}/. Where to look:")
    for name, what in (
        ("map_overview.html", "the coordinator's map of every round (open in a browser)"),
        ("volunteers/", "one phone page per volunteer, works offline"),
        ("route_sheets_all.pdf", "the week's route sheets to print, all volunteers"),
        ("sheets/", "one PDF per volunteer"),
        ("plan_stops.csv", "every visit in order (opens in Excel)"),
        ("unassigned.csv", "households not visited this week, with the reason"),
        ("plan.gpkg", "GeoPackage for QGIS; gpx/ for OsmAnd or Organic Maps"),
    ):
        print(f"  {out / name}  {what}")
    return EXIT_OK


COMMANDS = {
    "plan": (_add_plan, _cmd_plan),
    "demo": (_add_demo, _cmd_demo),
}
