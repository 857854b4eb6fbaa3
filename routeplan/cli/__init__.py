"""The ``routeplan`` command line: argument parsing, logging and progress only.

Each subcommand has an ``_add_<name>(subparsers)`` that declares its arguments and a
``_cmd_<name>(args) -> int`` that calls the library and prints the result, in the module
of its kind (:mod:`.data`, :mod:`.project`, :mod:`.planning`, :mod:`.apps`), listed in
that module's ``COMMANDS``. Errors from the library become one clear message and exit
code 2 (bad input) or 1 (other); ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .. import __version__
from .._console import ConsoleHandler, Progress, ReaderSafe
from ..errors import InfeasibleError, InputDataError, NetworkError, RouteplanError
from .common import EXIT_BAD_INPUT, EXIT_ERROR

__all__ = ["build_parser", "main"]

log = logging.getLogger("routeplan")

Command = tuple[
    Callable[[argparse._SubParsersAction], None],  # type: ignore[type-arg]
    Callable[[argparse.Namespace], int],
]
_COMMANDS: dict[str, Command] = {}


def _register() -> None:
    from . import apps, data, planning, project

    for module in (data, project, planning, apps):
        _COMMANDS.update(module.COMMANDS)


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Output to a reader that goes away (``routeplan progress p.gpkg | head -1``) is
    dropped quietly: the command finishes its work and exits as it would have.
    """
    out, err = sys.stdout, sys.stderr
    level = logging.getLogger().level
    sys.stdout, sys.stderr = ReaderSafe(out), ReaderSafe(err)
    try:
        return _run(argv)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        root = logging.getLogger()
        for handler in [h for h in root.handlers if isinstance(h, ConsoleHandler)]:
            root.removeHandler(handler)  # log records after the command are not ours
        root.setLevel(level)
        sys.stdout, sys.stderr = out, err


def _log_to(stream: Any, debug: bool) -> None:
    """Send log records to ``stream``, each on its own line (above a progress bar)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, ConsoleHandler)]:
        root.removeHandler(old)
    handler = ConsoleHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.WARNING)


def _run(argv: Sequence[str] | None) -> int:
    _register()
    parser = build_parser()
    args = parser.parse_args(argv)
    _log_to(sys.stderr, args.debug)
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
    finally:
        active = Progress.active
        if active is not None:
            active.done()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
