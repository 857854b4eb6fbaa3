"""What every command shares: exit codes, the settings file and command-line overrides."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import InputDataError

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_ERROR",
    "EXIT_OK",
    "add_common",
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


def with_overrides(
    settings: Any,
    *,
    time_limit: float | None = None,
    seed: int | None = None,
    language: str | None = None,
) -> Any:
    """Return ``settings`` with command-line overrides applied (validated by the dataclasses)."""
    import dataclasses

    from ..errors import Problem

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
