"""Commands about the inputs: versions, template, validate, network, coverage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import EXIT_BAD_INPUT, EXIT_OK, add_common, bad_input, progress_shown, settings_of

__all__ = ["COMMANDS"]

TEMPLATES = (
    "households.csv",
    "volunteers.csv",
    "service_points.csv",
    "outcomes.csv",
    "settings.toml",
)


def _add_versions(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sub.add_parser(
        "versions",
        help="print the versions of routeplan and its dependencies (paste them into bug reports)",
    )


def _cmd_versions(args: argparse.Namespace) -> int:
    from .._versions import show_versions

    print(show_versions())
    return EXIT_OK


def _add_template(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "template",
        help="print a template shipped with routeplan: a register, the outcomes file or "
        "the commented settings",
        description="Print a template to start from: "
        + ", ".join(TEMPLATES)
        + ". E.g. `routeplan template settings.toml > settings.toml`, then edit it and "
        "pass it as --settings.",
    )
    p.add_argument("name", choices=TEMPLATES, metavar="NAME", help=", ".join(TEMPLATES))


def _cmd_template(args: argparse.Namespace) -> int:
    from importlib.resources import files

    text = files("routeplan").joinpath("templates", args.name).read_text(encoding="utf-8-sig")
    sys.stdout.write(text)
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
    add_common(p)


def _cmd_validate(args: argparse.Namespace) -> int:
    from ..registers import check_files

    if not (args.households or args.volunteers or args.service_points):
        print(
            "routeplan validate: give at least one of --households, --volunteers, --service-points",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    settings = settings_of(args)
    places = None
    if args.places:
        from ..network import read_places

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
    add_common(p)


def _cmd_network(args: argparse.Namespace) -> int:
    from ..network import BBox, Place, load_network

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
    settings = settings_of(args)
    with progress_shown(args) as progress:
        net = load_network(
            source,
            settings=settings.network,
            dem=args.dem,
            closures=args.closures,
            progress=progress,
        )
    print(net.summary())
    if out is not None:
        net.save(out)
        print(f"saved {out} (use it as SOURCE in later runs, offline)")
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
    _add_coverage_inputs(p)
    _add_coverage_what_ifs(p)
    _add_coverage_output(p)
    add_common(p)


def _add_coverage_inputs(p: argparse.ArgumentParser) -> None:
    """Add the registers and the road network the report is made of."""
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


def _add_coverage_what_ifs(p: argparse.ArgumentParser) -> None:
    """Add the what-ifs: service points added by hand, or chosen among candidates."""
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


def _add_coverage_output(p: argparse.ArgumentParser) -> None:
    """Add the bands reported, the matrix cache and the output folder."""
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


def _cmd_coverage(args: argparse.Namespace) -> int:
    import dataclasses

    from ..coverage import write_coverage
    from ..pipeline import InputFiles, NewSites, run_coverage

    settings = settings_of(args)
    if args.bands:
        try:
            bands = tuple(int(b) for b in args.bands.replace(" ", "").split(",") if b)
            settings = dataclasses.replace(
                settings, coverage=dataclasses.replace(settings.coverage, bands_min=bands)
            )
        except ValueError:
            raise bad_input(
                f"--bands {args.bands!r} is not increasing minutes", "write e.g. --bands 15,30,60"
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
    with progress_shown(args) as progress:
        report = run_coverage(
            files, settings=settings, new_sites=new_sites, cache_dir=args.cache, progress=progress
        )
        paths = write_coverage(report, args.out)
    print(report.summary())
    print(f"Report: {args.out / 'coverage.html'} ({len(paths)} files in {args.out})")
    return EXIT_OK


COMMANDS = {
    "versions": (_add_versions, _cmd_versions),
    "template": (_add_template, _cmd_template),
    "validate": (_add_validate, _cmd_validate),
    "network": (_add_network, _cmd_network),
    "coverage": (_add_coverage, _cmd_coverage),
}
