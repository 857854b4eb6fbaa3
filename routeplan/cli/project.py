"""Commands on a project file: ``init``, ``record``, ``progress``, ``backup``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._console import Progress
from .common import EXIT_OK, add_common, progress_shown, settings_of

__all__ = ["COMMANDS"]


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
    p.add_argument(
        "--dem",
        type=Path,
        action="append",
        metavar="FILE",
        help="elevation raster for slope-aware walking times, remembered by the project "
        "for every plan and re-plan; repeat for tiles",
    )
    closures = p.add_mutually_exclusive_group()
    closures.add_argument(
        "--closures",
        type=Path,
        metavar="FILE",
        help="closed or flooded ways (way ids, or lines in GeoJSON/GPKG), remembered by "
        "the project for every plan and re-plan until replaced or --no-closures",
    )
    closures.add_argument(
        "--no-closures",
        action="store_true",
        help="forget the closures the project remembers (the roads are open again)",
    )
    add_common(p)


def _cmd_init(args: argparse.Namespace) -> int:
    from ..campaign import RoadFiles
    from ..pipeline import update_project

    roads = RoadFiles(args.network, args.dem, args.closures, forget_closures=args.no_closures)
    with progress_shown(args) as progress:
        update = update_project(
            args.project,
            households=args.households,
            volunteers=args.volunteers,
            service_points=args.service_points,
            roads=roads,
            settings=settings_of(args),
            progress=progress,
        )
    print(update.summary())
    return EXIT_OK


def _add_record(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "record",
        help="import a week's visit outcomes (the route sheets' tick boxes) into the project",
        description="Import OUTCOMES.csv (`routeplan template outcomes.csv` prints one): "
        "household_id, date (DD/MM/YYYY or YYYY-MM-DD), volunteer_id, outcome (done / "
        "not_at_home / refused / follow_up, or xong / vắng nhà / từ chối / hẹn lại), "
        "services_done, people_supported, follow_up, service_point_trip, notes. All or "
        "nothing: any bad row stops the import and every problem is listed. Importing the "
        "same file again changes nothing.",
    )
    p.add_argument("project", type=Path, metavar="PROJECT.gpkg", help="the project file")
    p.add_argument("outcomes", type=Path, metavar="OUTCOMES.csv", help="the outcomes file")
    add_common(p)


def _cmd_record(args: argparse.Namespace) -> int:
    from ..campaign import record_outcomes

    progress = Progress(not args.quiet)
    result = record_outcomes(
        args.project, args.outcomes, settings=settings_of(args), progress=progress
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
    add_common(p)


def _cmd_progress(args: argparse.Namespace) -> int:
    from ..campaign import progress_report, write_progress

    report = progress_report(args.project, settings=settings_of(args))
    print(report.summary())
    if args.out is not None:
        paths = write_progress(report, args.out)
        print(f"Report: {args.out / 'progress.html'} ({len(paths)} files in {args.out})")
    return EXIT_OK


def _add_backup(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "backup",
        help="copy the project file safely (to e-mail it, put it on a USB stick)",
        description="Copy PROJECT.gpkg to COPY.gpkg with SQLite's backup: safe while "
        "another routeplan or QGIS writes the project, and after a crash (the journal "
        "left beside the project is rolled back first, so the copy is the project as "
        "last saved). The copy is written whole or not at all.",
    )
    p.add_argument("project", type=Path, metavar="PROJECT.gpkg", help="the project file")
    p.add_argument("copy", type=Path, metavar="COPY.gpkg", help="the copy to write")
    add_common(p)


def _cmd_backup(args: argparse.Namespace) -> int:
    from ..campaign import backup

    backup(args.project, args.copy)
    print(f"Copied {args.project} to {args.copy}")
    return EXIT_OK


COMMANDS = {
    "init": (_add_init, _cmd_init),
    "record": (_add_record, _cmd_record),
    "progress": (_add_progress, _cmd_progress),
    "backup": (_add_backup, _cmd_backup),
}
