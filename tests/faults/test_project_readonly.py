"""A read-only project: every writer says so at once, with the fix, and changes nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers_campaign import TEMPLATES, Tmpfs, files_in, init_args, run_cli, template_project


def _read_only_cases(tmp_path: Path) -> list[tuple[str, list[str | Path]]]:
    project = tmp_path / "ro" / "p.gpkg"
    return [
        ("record", ["record", project, TEMPLATES / "outcomes.csv"]),
        ("plan", ["plan", "--project", project, "--week", "2026-11-30", "--out", tmp_path / "w"]),
        ("init", init_args(project)),
    ]


def _check_refused(tmp_path: Path, why: str) -> None:
    folder = tmp_path / "ro"
    before = files_in(folder)
    for name, args in _read_only_cases(tmp_path):
        done = run_cli(*args)
        assert done.returncode == 1, (name, done.stderr)
        assert "Traceback" not in done.stderr, (name, done.stderr)
        assert "cannot write the project" in done.stderr and why in done.stderr, name
        assert "Fix: copy the project to a folder you can write to" in done.stderr
        assert "Nothing was changed" in done.stderr
        # refused before any work: no travel matrix computed, no output folder made
        assert not (tmp_path / "w").exists(), name
    assert files_in(folder) == before


def test_a_project_on_a_read_only_disk_is_refused_before_any_work(tmp_path: Path) -> None:
    disk = Tmpfs(tmp_path / "ro", "4m")
    with disk:
        template_project(tmp_path / "ro")
        disk.remount("ro")
        _check_refused(tmp_path, "read-only")
        # reading still works
        done = run_cli("progress", tmp_path / "ro" / "p.gpkg")
        assert done.returncode == 0 and "3" in done.stdout, done.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
def test_a_read_only_file_or_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    project = template_project(folder)
    project.chmod(0o444)
    try:
        _check_refused(tmp_path, "the file is read-only")
        project.chmod(0o644)
        folder.chmod(0o555)  # the journal cannot be made beside it
        _check_refused(tmp_path, "its folder")
    finally:
        folder.chmod(0o755)
        project.chmod(0o644)
    shutil.rmtree(folder)
