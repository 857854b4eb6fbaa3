"""What every command shares: exit codes, the settings file and command-line overrides."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .._console import Progress
from ..errors import InputDataError, Problem

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_ERROR",
    "EXIT_OK",
    "add_common",
    "add_language",
    "bad_input",
    "command_settings",
    "progress_shown",
    "settings_of",
    "with_overrides",
]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BAD_INPUT = 2


def settings_of(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Return the settings of ``--settings`` over the defaults."""
    from ..config import load_settings

    return load_settings(getattr(args, "settings", None))


def add_common(p: argparse.ArgumentParser) -> None:
    """Add the options every command has (``--settings``)."""
    p.add_argument(
        "--settings",
        type=Path,
        metavar="TOML",
        help="settings file overriding the defaults (print a commented template with "
        "`routeplan template settings.toml`)",
    )


def add_language(p: argparse.ArgumentParser) -> None:
    """Add ``--language`` (of maps and route sheets)."""
    p.add_argument(
        "--language", choices=("vi", "en"), help="language of maps and route sheets (default: vi)"
    )


def bad_input(message: str, fix: str) -> InputDataError:
    """Return the error of one wrong command-line value: what is wrong and the fix."""
    return InputDataError([Problem(message, fix)])


@contextmanager
def progress_shown(args: argparse.Namespace) -> Iterator[Progress]:
    """Show the library's progress (not with ``-q``); end its last bar however the block ends."""
    progress = Progress(not args.quiet)
    try:
        yield progress
    finally:
        progress.done()


def command_settings(args: argparse.Namespace) -> Any:
    """Return the settings of ``--settings`` with the command's overrides applied.

    The overrides are ``--time-limit``, ``--seed`` and ``--language``, those of the three
    the command has.
    """
    return with_overrides(
        settings_of(args),
        time_limit=getattr(args, "time_limit", None),
        seed=getattr(args, "seed", None),
        language=getattr(args, "language", None),
    )


def with_overrides(
    settings: Any,
    *,
    time_limit: float | None = None,
    seed: int | None = None,
    language: str | None = None,
) -> Any:
    """Return ``settings`` with command-line overrides applied (validated by the dataclasses)."""
    import dataclasses

    planner: dict[str, object] = {}
    if time_limit is not None:
        if time_limit <= 0:
            raise bad_input("--time-limit must be positive", "e.g. 30")
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
