"""kill -9 during each writer: nothing lost, nothing half-written, the copy made safely."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers_campaign import (
    DEMO_OSM,
    TEMPLATES,
    _dump,
    files_in,
    init_args,
    run_cli,
    template_project,
    whole,
)

from routeplan.campaign import backup, record_outcomes

KILLED = -9

pytestmark = pytest.mark.slow  # a child process per kill (about a minute in all)


def _fewer_households(tmp_path: Path) -> Path:
    """The template households without HB-0001 (an update that changes the project)."""
    text = (TEMPLATES / "households.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    path = tmp_path / "households_dec.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([r for r in rows if r[0] != "HB-0001"])
    return path


def _writers(tmp_path: Path, project: Path) -> dict[str, list[str | Path]]:
    return {
        "init (update)": [
            "init",
            project,
            "--households",
            _fewer_households(tmp_path),
        ],
        "record": ["record", project, TEMPLATES / "outcomes.csv"],
        "plan --project": [
            "plan",
            "--project",
            project,
            "--week",
            "2026-11-30",
            "--out",
            tmp_path / "week1",
            "--no-maps",
        ],
    }


@pytest.mark.parametrize("writer", ["init (update)", "record", "plan --project"])
def test_kill_during_a_project_write_loses_nothing(tmp_path: Path, writer: str) -> None:
    project = template_project(tmp_path)
    if writer != "record":
        record_outcomes(project, TEMPLATES / "outcomes.csv")
    before = _dump(project)
    args = _writers(tmp_path, project)[writer]
    done = run_cli(*args, kill="commit:1")
    assert done.returncode == KILLED, done.stderr
    # killed mid-commit: the journal beside the file is what makes it whole again
    assert Path(f"{project}-journal").is_file()
    backup(project, tmp_path / "copy.gpkg")  # the safe copy (`routeplan backup`)
    assert _dump(tmp_path / "copy.gpkg") == before
    assert _dump(project) == before  # nothing half-written, nothing lost
    assert not Path(f"{project}-journal").exists()
    if writer == "record":
        again = run_cli(*args)  # and the command then works, its lock gone
        assert again.returncode == 0, again.stderr
        assert _dump(project) != before


def test_copying_the_file_alone_after_a_crash_is_not_the_project(tmp_path: Path) -> None:
    """Why the README says to copy with `routeplan backup` (or after any routeplan run)."""
    project = template_project(tmp_path)
    before = _dump(project)
    assert run_cli("record", project, TEMPLATES / "outcomes.csv", kill="commit:1").returncode
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(project, alone / "p.gpkg")  # without p.gpkg-journal
    assert _dump(alone / "p.gpkg") != before  # half an import, never committed
    done = run_cli("progress", project)  # any routeplan run rolls the journal back
    assert done.returncode == 0, done.stderr
    assert not Path(f"{project}-journal").exists()
    shutil.copy(project, alone / "p.gpkg")
    assert _dump(alone / "p.gpkg") == before


def test_kill_during_init_of_a_new_project_leaves_no_project(tmp_path: Path) -> None:
    project = tmp_path / "p.gpkg"
    done = run_cli(*init_args(project), kill="commit:1")
    assert done.returncode == KILLED
    assert not project.exists()  # not a 0-byte or half-made project
    assert not any(p.suffix == ".gpkg" for p in tmp_path.iterdir())
    assert run_cli(*init_args(project)).returncode == 0
    conn = sqlite3.connect(project)
    assert conn.execute("SELECT count(*) FROM households").fetchone()[0] == 3
    conn.close()


def _all_whole(out: Path) -> list[str]:
    shown = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert all(whole(p) for p in shown), [p for p in shown if not whole(p)]
    return sorted(str(p.relative_to(out)) for p in shown)


def _plan_args(out: Path) -> list[str | Path]:
    return [
        "plan",
        "--households",
        TEMPLATES / "households.csv",
        "--volunteers",
        TEMPLATES / "volunteers.csv",
        "--service-points",
        TEMPLATES / "service_points.csv",
        "--network",
        DEMO_OSM,
        "--week-start",
        "2026-11-30",
        "--time-limit",
        "1",
        "--out",
        out,
    ]


def test_kill_while_writing_plan_files_leaves_only_whole_files(tmp_path: Path) -> None:
    out = tmp_path / "week1"
    seen: set[str] = set()
    for kill in ("fsync:1", "replace:10", "replace:18"):  # of 12 and 21
        done = run_cli(*_plan_args(out), kill=kill)
        assert done.returncode == KILLED, done.stderr
        seen |= set(_all_whole(out))
    assert run_cli(*_plan_args(out)).returncode == 0
    full = _all_whole(out)
    assert seen < set(full) and "plan_stops.csv" in full


def test_kill_while_writing_the_progress_report(tmp_path: Path) -> None:
    project = template_project(tmp_path)
    record_outcomes(project, TEMPLATES / "outcomes.csv")
    before = _dump(project)
    out = tmp_path / "progress"
    for kill in ("fsync:1", "replace:3"):
        done = run_cli("progress", project, "--out", out, kill=kill)
        assert done.returncode == KILLED, done.stderr
        _all_whole(out)
    assert run_cli("progress", project, "--out", out).returncode == 0
    assert "progress.html" in _all_whole(out)
    assert _dump(project) == before and files_in(out)
