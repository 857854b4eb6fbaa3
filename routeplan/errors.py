"""Errors raised by routeplan, and the :class:`Problem` record used to report bad input.

Every error is a :class:`RouteplanError`; the specific ones are also builtins so that
callers can catch either (``except ValueError`` catches :class:`InputDataError`).

Validation never stops at the first problem: it collects every :class:`Problem` it
finds and raises one :class:`InputDataError` carrying all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "InfeasibleError",
    "InputDataError",
    "NetworkError",
    "Problem",
    "RouteplanError",
]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, said so that a coordinator can fix it.

    Parameters
    ----------
    message
        What is wrong, quoting the offending value.
    fix
        What to do about it.
    file
        The file the problem is in (its name as the user gave it), if any.
    row
        Where in the file: ``"row 12"`` (spreadsheet numbering, the header is row 1),
        ``"feature 3"`` for GeoJSON, or ``None`` for the whole file.
    column
        The column concerned, if any.
    severity
        ``"error"`` stops the run; ``"warning"`` is reported and the run goes on.
    code
        A stable name of the kind of problem (``"latitude_swapped"``), for those who
        show it in words of their own (the app's Vietnamese pages); ``None`` when the
        problem has none. The message and fix stay the English text of record.
    params
        The values the words of ``code`` need (``{"lat": 108.07, "lon": 16.12}``).
        Neither ``code`` nor ``params`` takes part in comparing problems.

    """

    message: str
    fix: str = ""
    file: str | None = None
    row: str | None = None
    column: str | None = None
    severity: Severity = "error"
    code: str | None = field(default=None, compare=False, repr=False)
    params: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        where = ", ".join(p for p in (self.file, self.row) if p)
        col = f" [{self.column}]" if self.column else ""
        head = f"{where}{col}: " if where or col else ""
        fix = f" Fix: {self.fix}" if self.fix else ""
        return (
            f"{head}{self.message}.{fix}"
            if not self.message.endswith(".")
            else (f"{head}{self.message}{fix}")
        )


class RouteplanError(Exception):
    """Base class of every error routeplan raises on purpose."""


class InputDataError(ValueError, RouteplanError):
    """An input file or value is wrong; carries every :class:`Problem` found.

    Parameters
    ----------
    problems
        All problems found (at least one). Warnings may be included; they are
        listed after the errors.
    subject
        What was being read, for the first line of the message (a file name or
        ``"households"``).

    """

    def __init__(self, problems: Iterable[Problem] | str, *, subject: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems: tuple[Problem, ...] = tuple(
            sorted(problems, key=lambda p: p.severity != "error")
        )
        self.subject = subject
        super().__init__(self._render())

    @property
    def errors(self) -> Sequence[Problem]:
        """The problems that are errors (not warnings)."""
        return [p for p in self.problems if p.severity == "error"]

    def _render(self) -> str:
        errors = len(self.errors)
        warnings = len(self.problems) - errors
        counts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
        counts += [f"{warnings} warning{'s' * (warnings != 1)}"] if warnings else []
        head = ", ".join(counts) or "0 errors"
        head = f"{self.subject}: {head}" if self.subject else head
        lines = [head + ":"] + [
            f"  - {'warning: ' if p.severity == 'warning' else ''}{p}" for p in self.problems
        ]
        return "\n".join(lines)


class NetworkError(RouteplanError):
    """The road network cannot be loaded, downloaded or routed on."""


class InfeasibleError(RouteplanError):
    """A planning problem has no acceptable solution, with the reason."""
