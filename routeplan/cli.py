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
    p.add_argument("--settings", type=Path, metavar="TOML",
                   help="settings file overriding the defaults (see data/templates/settings.toml)")


# --- subcommands ------------------------------------------------------------------
# (each stage adds its own pair below; keep each pair self-contained)

def _add_versions(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sub.add_parser("versions", help="print the versions of routeplan and its dependencies "
                   "(paste them into bug reports)")


def _cmd_versions(args: argparse.Namespace) -> int:
    from ._versions import show_versions

    print(show_versions())
    return EXIT_OK


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


Command = tuple[Callable[[argparse._SubParsersAction], None],  # type: ignore[type-arg]
                Callable[[argparse.Namespace], int]]
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
