"""A full disk: the real cause said, the project as it was, outputs and project consistent."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from helpers_campaign import (
    TEMPLATES,
    Tmpfs,
    _dump,
    files_in,
    init_args,
    run_cli,
    template_project,
    whole,
)


def _stored_weeks(project: Path) -> list[str]:
    conn = sqlite3.connect(project)
    try:
        return [r[0] for r in conn.execute("SELECT week_start FROM plans")]
    finally:
        conn.close()


def _said_disk_full(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert "cannot rollback" not in stderr
    assert "disk is full" in stderr or "No space left" in stderr, stderr
    assert "Fix: free some space" in stderr, stderr


def test_record_on_a_full_disk_says_so_and_changes_nothing(tmp_path: Path) -> None:
    disk = Tmpfs(tmp_path / "disk", "1m")
    with disk as folder:
        project = template_project(folder)
        before = _dump(project)
        filler = disk.fill()
        done = run_cli("record", project, TEMPLATES / "outcomes.csv")
        assert done.returncode == 1
        _said_disk_full(done.stderr)
        assert "Nothing was changed" in done.stderr
        filler.unlink()
        assert _dump(project) == before
        assert run_cli("record", project, TEMPLATES / "outcomes.csv").returncode == 0


def test_init_on_a_full_disk_leaves_no_project_at_all(tmp_path: Path) -> None:
    disk = Tmpfs(tmp_path / "disk", "1m")
    with disk as folder:
        filler = disk.fill()
        done = run_cli(*init_args(folder / "p.gpkg"))
        assert done.returncode == 1
        _said_disk_full(done.stderr)
        assert set(files_in(folder)) == {"filler"}  # no 0-byte p.gpkg, no leftovers
        filler.unlink()
        template_project(folder)  # and then it works


def test_plan_with_outputs_on_the_full_disk_stores_no_plan(tmp_path: Path) -> None:
    disk = Tmpfs(tmp_path / "disk", "1m")
    with disk as folder:
        project = template_project(folder)
        before = _dump(project)
        disk.fill()
        out = folder / "week1"
        done = run_cli("plan", "--project", project, "--week", "2026-11-30", "--out", out)
        assert done.returncode == 1
        _said_disk_full(done.stderr)
        assert "not stored" in done.stderr and "the project is as it was" in done.stderr
        assert _dump(project) == before and _stored_weeks(project) == []
        for path in out.rglob("*"):  # what was written is whole
            if path.is_file() and not path.name.startswith("."):
                assert whole(path), path


def test_plan_storing_on_a_full_disk_keeps_its_files_and_says_so(tmp_path: Path) -> None:
    disk = Tmpfs(tmp_path / "disk", "1m")
    with disk as folder:
        project = template_project(folder)
        before = _dump(project)
        disk.fill()
        out = tmp_path / "week1"  # another disk, with room
        done = run_cli("plan", "--project", project, "--week", "2026-11-30", "--out", out)
        assert done.returncode == 1
        _said_disk_full(done.stderr)
        assert f"files in {out} were written" in done.stderr
        assert "not stored in the project" in done.stderr
        assert _dump(project) == before
        assert (out / "plan_stops.csv").is_file() and whole(out / "plan_stops.csv")
    shutil.rmtree(out)
