"""The ``routeplan`` command line: argument parsing, logging and progress only.

Each subcommand has an ``_add_<name>(subparsers)`` that declares its arguments and a
``_cmd_<name>(args) -> int`` that calls the library and prints the result. Errors
from the library become one clear message and exit code 2 (bad input) or 1 (other);
``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .errors import InfeasibleError, InputDataError, NetworkError, RouteplanError

__all__ = ["main"]

log = logging.getLogger("routeplan")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BAD_INPUT = 2


class Progress:
    """Print library progress callbacks to stderr as one updating line."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.quiet_enabled = enabled
        self._last = ""
        self._t0 = time.monotonic()

    def __call__(self, message: str, fraction: float | None = None) -> None:
        if not self.quiet_enabled:
            return
        pct = f" {fraction:4.0%}" if fraction is not None else ""
        line = f"[{time.monotonic() - self._t0:6.1f}s]{pct} {message}"
        if self.enabled:
            sys.stderr.write("\r" + line.ljust(len(self._last)))
            sys.stderr.flush()
            self._last = line
        elif fraction is None or fraction >= 1.0 or message != self._last:
            sys.stderr.write(line + "\n")
            self._last = message

    def done(self) -> None:
        """End the updating line."""
        if self.enabled and self._last:
            sys.stderr.write("\n")
            self._last = ""


def _settings(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .config import load_settings

    return load_settings(getattr(args, "settings", None))


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--settings",
        type=Path,
        metavar="TOML",
        help="settings file overriding the defaults (see data/templates/settings.toml)",
    )


# --- subcommands ------------------------------------------------------------------
# (each stage adds its own pair below; keep each pair self-contained)


def _add_versions(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sub.add_parser(
        "versions",
        help="print the versions of routeplan and its dependencies (paste them into bug reports)",
    )


def _cmd_versions(args: argparse.Namespace) -> int:
    from ._versions import show_versions

    print(show_versions())
    return EXIT_OK


def _add_coverage(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "coverage",
        help="who is hard to reach from the service points, how many volunteers the area "
        "needs, and what new service points would change",
        description="Travel time from every household to its nearest service point by "
        "motorbike and on foot, in bands, per hamlet; volunteers needed; what-ifs for new "
        "service points. Writes coverage.html (with an offline map), coverage_hamlets.csv/"
        ".html and coverage.gpkg into --out.",
    )
    p.add_argument(
        "--households",
        type=Path,
        required=True,
        metavar="FILE",
        help="household register (CSV, XLSX, GeoJSON or GeoPackage)",
    )
    p.add_argument(
        "--service-points",
        type=Path,
        required=True,
        metavar="FILE",
        help="service points where paperwork is received and returned",
    )
    p.add_argument(
        "--network",
        type=Path,
        required=True,
        metavar="OSM|GRAPHML",
        help="road network: .osm, .osm.bz2, .osm.pbf or a saved .graphml",
    )
    p.add_argument(
        "--dem",
        type=Path,
        metavar="FILE",
        help="elevation (GeoTIFF or SRTM .hgt[.zip]) for slope-aware walking times",
    )
    p.add_argument(
        "--volunteers",
        type=Path,
        metavar="FILE",
        help="volunteer register: lists households no volunteer reaches in time",
    )
    p.add_argument(
        "--add",
        action="append",
        default=[],
        metavar="LAT,LON|HAMLET",
        help='what-if: add a service point at "16.10,107.95" or at a hamlet '
        '("Tà Lang"); repeat to add several',
    )
    p.add_argument(
        "--candidates",
        metavar="FILE|hamlets",
        help="candidate sites for --choose: a file laid out like the service "
        "points, or 'hamlets' (every hamlet's centre, the default)",
    )
    p.add_argument(
        "--choose",
        type=int,
        default=0,
        metavar="K",
        help="choose the best K new service points among the candidates",
    )
    p.add_argument(
        "--objective",
        choices=("coverage", "median"),
        default="coverage",
        help="coverage: most households (priority ones count double) within "
        "coverage.far_min; median: least total travel time (default: coverage)",
    )
    p.add_argument(
        "--bands",
        metavar="MIN,MIN,...",
        help="upper limits of the time bands in minutes (default 15,30,60)",
    )
    p.add_argument(
        "--cache", type=Path, metavar="DIR", help="keep travel-time matrices here to rerun faster"
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("coverage"),
        metavar="DIR",
        help="output folder (default: ./coverage)",
    )
    _add_common(p)


def _cmd_coverage(args: argparse.Namespace) -> int:
    import dataclasses

    from .coverage import write_coverage
    from .errors import Problem
    from .pipeline import InputFiles, NewSites, run_coverage

    settings = _settings(args)
    if args.bands:
        try:
            bands = tuple(int(b) for b in args.bands.replace(" ", "").split(",") if b)
            settings = dataclasses.replace(
                settings, coverage=dataclasses.replace(settings.coverage, bands_min=bands)
            )
        except ValueError:
            raise InputDataError(
                [
                    Problem(
                        f"--bands {args.bands!r} is not increasing minutes",
                        "write e.g. --bands 15,30,60",
                    )
                ]
            ) from None
    files = InputFiles(
        households=args.households,
        network=args.network,
        volunteers=args.volunteers,
        service_points=args.service_points,
        dem=args.dem,
    )
    new_sites = NewSites(
        add=tuple(args.add or ()),
        candidates=args.candidates,
        choose=args.choose,
        objective=args.objective,
    )
    progress = Progress(not args.quiet)
    try:
        report = run_coverage(
            files, settings=settings, new_sites=new_sites, cache_dir=args.cache, progress=progress
        )
        paths = write_coverage(report, args.out)
    finally:
        progress.done()
    print(report.summary())
    print(f"Report: {args.out / 'coverage.html'} ({len(paths)} files in {args.out})")
    return EXIT_OK


def _add_validate(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "validate",
        help="check the household, volunteer and service point registers and list every "
        "problem with its row and a fix",
        description="Read the registers (CSV, XLSX, GeoJSON or GeoPackage) the way the "
        "planner does and report every problem: file by file with rows in spreadsheet "
        "numbering (the header is row 1), then checks across files. Exit code 0 when "
        "there is no error (warnings allowed), 2 when there is one.",
    )
    p.add_argument("--households", type=Path, metavar="FILE", help="household register")
    p.add_argument("--volunteers", type=Path, metavar="FILE", help="volunteer register")
    p.add_argument(
        "--service-points",
        type=Path,
        metavar="FILE",
        help="service points (offices that receive and return paperwork)",
    )
    p.add_argument(
        "--places",
        type=Path,
        metavar="OSMFILE",
        help="OSM file (.osm, .osm.bz2, .osm.pbf) whose named places (villages, "
        "hamlets) locate households that have no coordinates",
    )
    _add_common(p)


def _cmd_validate(args: argparse.Namespace) -> int:
    from .registers import check_files

    if not (args.households or args.volunteers or args.service_points):
        print(
            "routeplan validate: give at least one of --households, --volunteers, --service-points",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    settings = _settings(args)
    places = None
    if args.places:
        from .network import read_places

        places = read_places(args.places)
    report = check_files(
        args.households, args.volunteers, args.service_points, settings=settings, places=places
    )
    print(report.summary())
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def _add_network(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "network",
        help="build the road network with travel times and save it as GraphML",
        description="Read an OSM file (.osm, .osm.bz2, .osm.pbf) or download an area "
        "(--place / --bbox), repair it, compute walking and motorbike travel times and "
        "print a summary. Save it with --out to plan offline later.",
    )
    p.add_argument(
        "source",
        nargs="?",
        type=Path,
        metavar="SOURCE",
        help="an .osm / .osm.bz2 / .osm.pbf extract or a saved .graphml",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--place",
        metavar="NAME",
        help='download this place from OpenStreetMap, e.g. "Hòa Bắc, Đà Nẵng"',
    )
    where.add_argument(
        "--bbox", metavar="W,S,E,N", help="download this box (degrees: west,south,east,north)"
    )
    p.add_argument(
        "--dem",
        type=Path,
        action="append",
        metavar="FILE",
        help="elevation raster (GeoTIFF or SRTM .hgt/.hgt.zip); repeat for several tiles",
    )
    p.add_argument(
        "--closures",
        type=Path,
        metavar="FILE",
        help="closed or flooded ways: CSV/TXT of OSM way ids, or GeoJSON/GPKG lines",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="GRAPHML",
        help="save the network here (default for downloads: network.graphml)",
    )
    _add_common(p)


def _cmd_network(args: argparse.Namespace) -> int:
    from .network import BBox, Place, load_network

    given = [x for x in (args.source, args.place, args.bbox) if x is not None]
    if len(given) != 1:
        print(
            "routeplan network: give one of SOURCE, --place NAME or --bbox W,S,E,N", file=sys.stderr
        )
        return EXIT_BAD_INPUT
    source: object = args.source
    out = args.out
    if args.place is not None:
        source = Place(args.place)
    elif args.bbox is not None:
        try:
            w, s, e, n = (float(v) for v in args.bbox.split(","))
        except ValueError:
            print(
                f"routeplan network: --bbox {args.bbox!r} must be four numbers W,S,E,N",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        source = BBox(w, s, e, n)
    if out is None and args.source is None:
        out = Path("network.graphml")
    settings = _settings(args)
    progress = Progress(not args.quiet)
    try:
        net = load_network(
            source,
            settings=settings.network,
            dem=args.dem,
            closures=args.closures,
            progress=progress,
        )
    finally:
        progress.done()
    print(net.summary())
    if out is not None:
        net.save(out)
        print(f"saved {out} (use it as SOURCE in later runs, offline)")
    return EXIT_OK


def _add_init(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "init",
        help="create a project file (GeoPackage) from the registers, or update it",
        description="Create PROJECT.gpkg holding the registers, the weekly plans and the "
        "visit log (QGIS opens it). Run it again with updated registers to update the "
        "project: new ids are added, changed ones updated, missing ones marked inactive "
        "with today's date (nothing is deleted). Registers not given are left as they are.",
    )
    p.add_argument("project", type=Path, metavar="PROJECT.gpkg", help="the project file")
    p.add_argument("--households", type=Path, metavar="FILE", help="household register")
    p.add_argument("--volunteers", type=Path, metavar="FILE", help="volunteer register")
    p.add_argument("--service-points", type=Path, metavar="FILE", help="service points")
    p.add_argument(
        "--network",
        type=Path,
        metavar="OSM|GRAPHML",
        help="road network to plan with (remembered by the project; its named "
        "places locate households that have no coordinates)",
    )
    _add_common(p)


def _cmd_init(args: argparse.Namespace) -> int:
    from .pipeline import update_project

    progress = Progress(not args.quiet)
    try:
        update = update_project(
            args.project,
            households=args.households,
            volunteers=args.volunteers,
            service_points=args.service_points,
            network=args.network,
            settings=_settings(args),
            progress=progress,
        )
    finally:
        progress.done()
    print(update.summary())
    return EXIT_OK


def _add_record(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "record",
        help="import a week's visit outcomes (the route sheets' tick boxes) into the project",
        description="Import OUTCOMES.csv (see data/templates/outcomes.csv): household_id, "
        "date (DD/MM/YYYY or YYYY-MM-DD), volunteer_id, outcome (done / not_at_home / "
        "refused / follow_up, or xong / vắng nhà / từ chối / hẹn lại), services_done, "
        "people_supported, follow_up, service_point_trip, notes. All or nothing: any bad "
        "row stops the import and every problem is listed. Importing the same file again "
        "changes nothing.",
    )
    p.add_argument("project", type=Path, metavar="PROJECT.gpkg", help="the project file")
    p.add_argument("outcomes", type=Path, metavar="OUTCOMES.csv", help="the outcomes file")
    _add_common(p)


def _cmd_record(args: argparse.Namespace) -> int:
    from .campaign import record_outcomes

    progress = Progress(not args.quiet)
    result = record_outcomes(
        args.project, args.outcomes, settings=_settings(args), progress=progress
    )
    progress.done()
    for problem in result.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    print(result.summary())
    return EXIT_OK


def _add_progress(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "progress",
        help="running totals per hamlet and per volunteer: households met, "
        "people supported, services done, households not yet reached and why",
        description="Print the campaign's running totals from the visit log; with --out "
        "also write progress_hamlets.csv, progress_volunteers.csv, "
        "progress_not_reached.csv (UTF-8 for Excel) and progress.html (with charts).",
    )
    p.add_argument("project", type=Path, metavar="PROJECT.gpkg", help="the project file")
    p.add_argument("--out", type=Path, metavar="DIR", help="write the report files here")
    _add_common(p)


def _cmd_progress(args: argparse.Namespace) -> int:
    from .campaign import progress_report, write_progress

    report = progress_report(args.project, settings=_settings(args))
    print(report.summary())
    if args.out is not None:
        paths = write_progress(report, args.out)
        print(f"Report: {args.out / 'progress.html'} ({len(paths)} files in {args.out})")
    return EXIT_OK


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
    p.add_argument(
        "--dem",
        type=Path,
        action="append",
        metavar="FILE",
        help="elevation raster for slope-aware walking times; repeat for tiles",
    )
    p.add_argument(
        "--closures",
        type=Path,
        metavar="FILE",
        help="closed or flooded ways for this run (way ids, or lines in GeoJSON/GPKG)",
    )
    p.add_argument(
        "--language", choices=("vi", "en"), help="language of maps and route sheets (default: vi)"
    )
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
    _add_common(p)


def _cmd_plan(args: argparse.Namespace) -> int:
    import datetime as dt

    from .errors import Problem
    from .pipeline import (
        InputFiles,
        load_inputs,
        make_plan,
        plan_week,
        week_inputs,
        write_outputs,
    )
    from .planner import read_previous

    settings = _with_overrides(
        _settings(args), time_limit=args.time_limit, seed=args.seed, language=args.language
    )
    week_start = None
    if args.week_start:
        try:
            week_start = dt.date.fromisoformat(args.week_start)
        except ValueError:
            raise InputDataError(
                [
                    Problem(
                        f"--week-start {args.week_start!r} is not a date", "write it as YYYY-MM-DD"
                    )
                ]
            ) from None
    if args.project is None and not (args.households and args.volunteers and args.network):
        raise InputDataError(
            [
                Problem(
                    "give --households, --volunteers and --network, or --project with --week",
                    "see routeplan plan --help",
                )
            ]
        )
    if args.project is not None and week_start is None:
        raise InputDataError(
            [Problem("--project needs --week YYYY-MM-DD", "give the Monday of the week to plan")]
        )
    progress = Progress(not args.quiet)
    cache = args.out / ".cache"
    try:
        if args.project is not None:
            assert week_start is not None
            week = plan_week(
                args.project,
                week_start,
                settings=settings,
                network=args.network,
                dem=args.dem,
                closures=args.closures,
                cache_dir=cache,
                progress=progress,
            )
            result, inputs = week.plan, week_inputs(week, settings)
        else:
            files = InputFiles(
                households=args.households,
                volunteers=args.volunteers,
                network=args.network,
                service_points=args.service_points,
                dem=args.dem,
                closures=args.closures,
            )
            inputs = load_inputs(files, settings=settings, cache_dir=cache, progress=progress)
            previous = read_previous(args.previous) if args.previous else None
            result = make_plan(inputs, previous=previous, week_start=week_start, progress=progress)
        what = ("tables", "exports") if args.no_maps else None
        paths = write_outputs(
            result, inputs, args.out, progress=progress, **({"what": what} if what else {})
        )
    finally:
        progress.done()
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
    if result.stats.get("hit_time_limit"):
        print("(the solver stopped on its time limit: a longer --time-limit may do better)")
    return EXIT_OK


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
    p.add_argument(
        "--language", choices=("vi", "en"), help="language of maps and route sheets (default: vi)"
    )
    _add_common(p)


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo import demo_files
    from .pipeline import InputFiles, load_inputs, make_plan, write_outputs

    settings = _with_overrides(
        _settings(args), time_limit=args.time_limit, seed=args.seed, language=args.language
    )
    files = demo_files()
    progress = Progress(not args.quiet)
    try:
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
        result = make_plan(inputs, progress=progress)
        paths = write_outputs(result, inputs, args.out, progress=progress)
    finally:
        progress.done()
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


def _with_overrides(
    settings: Any,
    *,
    time_limit: float | None = None,
    seed: int | None = None,
    language: str | None = None,
) -> Any:
    """Return ``settings`` with command-line overrides applied (validated by the dataclasses)."""
    import dataclasses

    from .errors import Problem

    planner: dict[str, object] = {}
    if time_limit is not None:
        if time_limit <= 0:
            raise InputDataError([Problem("--time-limit must be positive", "e.g. 30")])
        planner["time_limit_s"] = time_limit
    if seed is not None:
        planner["seed"] = seed
    if planner:
        settings = dataclasses.replace(
            settings, planner=dataclasses.replace(settings.planner, **planner)
        )
    if language is not None:
        settings = dataclasses.replace(
            settings, output=dataclasses.replace(settings.output, language=language)
        )
    return settings


def _add_areas(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "areas",
        help="plan many areas (communes, wards) at once on Dask, with a report across them",
        description="Plan every area of a city or province as one task each on a Dask "
        "cluster (a local one by default, or --scheduler ADDRESS), with the same code "
        "as `routeplan plan`. Areas come from --folders DIR (a folder per area holding "
        "households, volunteers, optional service_points and its own map) or from "
        "--households and --volunteers with an area column. Each area's map is its own "
        "file, or its part of --network cut by --boundaries (GeoJSON/GeoPackage polygons "
        "with an 'area' or 'name' column). Writes OUT/<area>/ (the plan's files) and "
        "OUT/areas.csv and OUT/areas.html (households, visits, rolled over, volunteers "
        "short by the 1+20 rule, coverage per area). An area that fails is reported "
        "and does not stop the others; a rerun skips areas whose inputs have not changed.",
    )
    p.add_argument("--folders", type=Path, metavar="DIR", help="a sub-folder per area")
    p.add_argument("--households", type=Path, metavar="FILE", help="households with an area column")
    p.add_argument("--volunteers", type=Path, metavar="FILE", help="volunteers with an area column")
    p.add_argument(
        "--service-points",
        type=Path,
        metavar="FILE",
        help="service points (shared, or with an area column)",
    )
    p.add_argument(
        "--area-column", default="area", metavar="NAME", help="the area column (default: area)"
    )
    p.add_argument(
        "--network", type=Path, metavar="OSM|GRAPHML", help="one map for areas without their own"
    )
    p.add_argument(
        "--boundaries", type=Path, metavar="FILE", help="area polygons to cut --network by"
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="an existing Dask scheduler (tcp://host:8786); default: a local cluster",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="local cluster: worker processes (default: 2)",
    )
    p.add_argument(
        "--threads",
        action="store_true",
        help="local cluster: threads in this process instead of processes",
    )
    p.add_argument(
        "--memory-limit",
        default="auto",
        metavar="SIZE",
        help="local cluster: memory per worker, e.g. 4GB",
    )
    p.add_argument(
        "--force", action="store_true", help="plan again areas whose inputs have not changed"
    )
    p.add_argument(
        "--time-limit", type=float, metavar="S", help="seconds the solver may think per area"
    )
    p.add_argument("--no-maps", action="store_true", help="write only the tables and exports")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("areas"),
        metavar="DIR",
        help="output folder (default: ./areas)",
    )
    _add_common(p)


def _cmd_areas(args: argparse.Namespace) -> int:
    from .areas import (
        ClusterOptions,
        areas_from_folders,
        areas_from_register,
        cut_networks,
        plan_areas,
        write_rollup,
    )
    from .errors import Problem
    from .network import load_network

    settings = _with_overrides(_settings(args), time_limit=args.time_limit)
    # Dask logs its cluster's comings and goings at INFO: show them with --debug only
    logging.getLogger("distributed").setLevel(logging.DEBUG if args.debug else logging.ERROR)
    if args.folders is not None:
        areas = areas_from_folders(args.folders, network=args.network)
    elif args.households and args.volunteers:
        areas = areas_from_register(
            args.households,
            args.volunteers,
            args.out / ".inputs",
            column=args.area_column,
            network=args.network,
            service_points=args.service_points,
        )
    else:
        raise InputDataError(
            [
                Problem(
                    "give --folders DIR, or --households and --volunteers",
                    "see routeplan areas --help",
                )
            ]
        )
    if args.boundaries is not None:
        if args.network is None:
            raise InputDataError(
                [Problem("--boundaries needs --network", "give the extract to cut")]
            )
        shared = [a for a in areas if a.network == args.network]
        extract = load_network(args.network, settings=settings.network)
        cut = {
            a.name: a for a in cut_networks(shared, extract, args.boundaries, args.out / ".inputs")
        }
        areas = [cut.get(a.name, a) for a in areas]
    progress = Progress(not args.quiet)
    cluster = ClusterOptions(
        scheduler=args.scheduler,
        workers=args.workers,
        processes=not args.threads,
        memory_limit=args.memory_limit,
    )
    what = ("tables", "exports") if args.no_maps else ("tables", "exports", "maps", "sheets")
    try:
        results = plan_areas(
            areas,
            args.out,
            settings=settings,
            cluster=cluster,
            what=what,
            force=args.force,
            progress=progress,
        )
    finally:
        progress.done()
    write_rollup(results, args.out)
    for r in results:
        f = r.figures
        if r.status == "failed":
            print(f"{r.name}: failed:")
            print("\n".join(f"    {line}" for line in r.error.splitlines() if line.strip()))
            continue
        print(
            f"{r.name}: {r.status}: {f.get('households', 0):,} households, "
            f"{f.get('visits', 0):,} visits, {f.get('volunteers_short', 0)} volunteers short"
        )
    failed = sum(r.status == "failed" for r in results)
    print(
        f"\nReport: {args.out / 'areas.html'} and {args.out / 'areas.csv'}; "
        f"{len(results) - failed} areas planned or unchanged, {failed} failed"
    )
    return EXIT_ERROR if failed else EXIT_OK


# @@SUBCOMMANDS@@


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``routeplan`` command."""
    parser = argparse.ArgumentParser(
        prog="routeplan",
        description="Plan door-to-door visit rounds for volunteers from household lists "
        "and the OpenStreetMap road network.",
    )
    parser.add_argument("--version", action="version", version=f"routeplan {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in sorted(_COMMANDS):
        _COMMANDS[name][0](sub)
    return parser


Command = tuple[
    Callable[[argparse._SubParsersAction], None],  # type: ignore[type-arg]
    Callable[[argparse.Namespace], int],
]
_COMMANDS: dict[str, Command] = {}


def _register() -> None:
    g = globals()
    for key, add in list(g.items()):
        if key.startswith("_add_") and key != "_add_common" and callable(add):
            name = key.removeprefix("_add_")
            _COMMANDS[name.replace("_", "-")] = (add, g[f"_cmd_{name}"])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    _register()
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    handler = _COMMANDS[args.command][1]
    try:
        return handler(args)
    except InputDataError as exc:
        if args.debug:
            raise
        print(f"routeplan: input error\n{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (NetworkError, InfeasibleError, RouteplanError) as exc:
        if args.debug:
            raise
        print(f"routeplan: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except FileNotFoundError as exc:
        if args.debug:
            raise
        print(f"routeplan: file not found: {exc.filename}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("routeplan: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
