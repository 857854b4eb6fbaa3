"""What the register tests share: fixture paths, contracts, writing files."""

from __future__ import annotations

from pathlib import Path

import pytest

from routeplan.errors import InputDataError, Problem

TESTS = Path(__file__).resolve().parent
REG = TESTS / "fixtures" / "registers"
TEMPLATES = TESTS.parent / "data" / "templates"


HOUSEHOLD_CONTRACT = [
    "household_id",
    "head_name",
    "village",
    "phone",
    "services",
    "elderly",
    "disability",
    "remote",
    "language",
    "priority",
    "windows",
    "availability",
    "notes",
    "location_quality",
    "source_row",
    "geometry",
]
VOLUNTEER_CONTRACT = [
    "volunteer_id",
    "name",
    "phone",
    "capacity",
    "windows",
    "availability",
    "mode",
    "skills",
    "languages",
    "source_row",
    "geometry",
]
HEADER = (
    "household_id,head_name,village,latitude,longitude,phone,services,elderly,"
    "disability,remote,language,availability,notes"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems_of(exc: pytest.ExceptionInfo[InputDataError]) -> list[Problem]:
    return list(exc.value.problems)


def where(problems: list[Problem]) -> set[tuple[str | None, str | None]]:
    return {(p.row, p.column) for p in problems if p.severity == "error"}
