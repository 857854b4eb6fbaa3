"""Long-running commands: ``serve`` (the coordinator's app), ``areas`` (many areas on Dask)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from .common import (
    EXIT_ERROR,
    EXIT_OK,
    add_common,
    add_language,
    bad_input,
    command_settings,
    progress_shown,
)

if TYPE_CHECKING:
    from ..areas import Area, AreaResult
    from ..config import Settings

__all__ = ["COMMANDS"]


def _add_serve(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "serve",
        help="the coordinator's app: plan the week in a browser (registers, plan, "
        "adjust, hand out, outcomes, coverage)",
        description="Serve the projects in FOLDER (each NAME.gpkg with NAME-files/ beside "
        "it) as a local web app on http://127.0.0.1:PORT. Only this computer can open it "
        "unless --lan is given; then it is served on the office network and asks for the "
        "access token printed at start (or --password).",
    )
    p.add_argument("folder", type=Path, nargs="?", default=Path("."), help="folder of the projects")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument(
        "--lan",
        action="store_true",
        help="serve the office network too (phones scan the QR codes); asks for a token",
    )
    p.add_argument("--password", metavar="TEXT", help="with --lan: use this instead of a token")
    p.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a fresh copy of the demo commune (in a temporary folder)",
    )
    p.add_argument("--time-limit", type=float, metavar="S", help="seconds the solver may think")
    add_language(p)
    add_common(p)


def _cmd_serve(args: argparse.Namespace) -> int:
    import secrets
    import tempfile

    from ..app import AppConfig, demo_folder, serve

    settings = command_settings(args)
    folder = args.folder
    if args.demo:
        folder = Path(tempfile.mkdtemp(prefix="routeplan-demo-"))
        demo_folder(folder, settings=settings)
    token = None
    if args.lan:
        token = args.password or secrets.token_urlsafe(12)
    config = AppConfig(
        folder=folder,
        settings=settings,
        host="0.0.0.0" if args.lan else "127.0.0.1",
        port=args.port,
        lan=args.lan,
        token=token,
    )
    print(f"routeplan app: projects in {folder}")
    print(f"  open http://127.0.0.1:{args.port}/" + ("p/demo" if args.demo else ""))
    if args.lan:
        from ..app.state import AppState

        print(f"  office network: {AppState(config).base_url()}/login?token={token}")
    print("  stop with Ctrl+C")
    serve(config)
    return EXIT_OK


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
    add_common(p)


def _cmd_areas(args: argparse.Namespace) -> int:
    from ..areas import ClusterOptions, plan_areas, write_rollup

    settings = command_settings(args)
    # Dask logs its cluster's comings and goings at INFO: show them with --debug only
    # (importing distributed sets its logger's level: import it first)
    import distributed  # noqa: F401

    logging.getLogger("distributed").setLevel(logging.DEBUG if args.debug else logging.ERROR)
    areas = _areas_of(args, settings)
    cluster = ClusterOptions(
        scheduler=args.scheduler,
        workers=args.workers,
        processes=not args.threads,
        memory_limit=args.memory_limit,
    )
    what = ("tables", "exports") if args.no_maps else ("tables", "exports", "maps", "sheets")
    with progress_shown(args) as progress:
        results = plan_areas(
            areas,
            args.out,
            settings=settings,
            cluster=cluster,
            what=what,
            force=args.force,
            progress=progress,
        )
    write_rollup(results, args.out)
    failed = _print_areas(results)
    print(
        f"\nReport: {args.out / 'areas.html'} and {args.out / 'areas.csv'}; "
        f"{len(results) - failed} areas planned or unchanged, {failed} failed"
    )
    return EXIT_ERROR if failed else EXIT_OK


def _areas_of(args: argparse.Namespace, settings: Settings) -> list[Area]:
    """Return the areas of ``--folders`` or of the registers, their maps cut by ``--boundaries``."""
    from ..areas import areas_from_folders, areas_from_register, cut_networks
    from ..network import load_network

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
        raise bad_input(
            "give --folders DIR, or --households and --volunteers", "see routeplan areas --help"
        )
    if args.boundaries is not None:
        if args.network is None:
            raise bad_input("--boundaries needs --network", "give the extract to cut")
        shared = [a for a in areas if a.network == args.network]
        extract = load_network(args.network, settings=settings.network)
        cut = {
            a.name: a for a in cut_networks(shared, extract, args.boundaries, args.out / ".inputs")
        }
        areas = [cut.get(a.name, a) for a in areas]
    return areas


def _print_areas(results: list[AreaResult]) -> int:
    """Print a line per area (its errors or warnings); return how many failed."""
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
        for p in r.problems:  # the warnings, each with its register's row
            print(f"    warning: {p}")
    return sum(r.status == "failed" for r in results)


COMMANDS = {
    "serve": (_add_serve, _cmd_serve),
    "areas": (_add_areas, _cmd_areas),
}
