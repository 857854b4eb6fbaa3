"""A project held by another writer past the wait: say who holds it and to retry."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers_campaign import ROOT, TEMPLATES, _dump, run_cli, template_project

_HOLDER = r"""
import sys, time
from routeplan.campaign.store import transaction

with transaction(sys.argv[1], write=True, what="record week1.csv") as conn:
    conn.execute("INSERT INTO routeplan_meta VALUES ('held', 'yes')")
    print("held", flush=True)
    time.sleep(120)
"""


def _holder(project: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(project)],
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "held":
        proc.kill()
        proc.wait()
        proc.stdout.close()
        pytest.fail("the holder could not take the lock")
    return proc


def test_a_lock_held_by_another_routeplan_names_it(tmp_path: Path) -> None:
    project = template_project(tmp_path)
    before = _dump(project)
    holder = _holder(project)
    try:
        done = run_cli("record", project, TEMPLATES / "outcomes.csv", busy_s=1)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert "not an SQLite" not in done.stderr and "routeplan init" not in done.stderr
        assert "the project is busy" in done.stderr
        assert f"process {holder.pid} on {socket.gethostname()}" in done.stderr
        assert "record week1.csv" in done.stderr
        assert "run the command again" in done.stderr
        # reading goes on meanwhile: a safe copy is the project as last saved
        done = run_cli("backup", project, tmp_path / "copy.gpkg", busy_s=1)
        assert done.returncode == 0, done.stderr
        assert _dump(tmp_path / "copy.gpkg") == before
    finally:
        holder.send_signal(signal.SIGKILL)  # and the holder dies: its lock goes with it
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    assert _dump(project) == before  # neither its write nor the refused one is in
    done = run_cli("record", project, TEMPLATES / "outcomes.csv", busy_s=1)
    assert done.returncode == 0, done.stderr
    assert not Path(f"{project}.writer").exists()


def test_a_lock_held_by_another_program_says_who_it_may_be(tmp_path: Path) -> None:
    project = template_project(tmp_path)
    other = sqlite3.connect(project, isolation_level=None)  # QGIS editing, say
    other.execute("BEGIN IMMEDIATE")
    try:
        done = run_cli("record", project, TEMPLATES / "outcomes.csv", busy_s=1)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert done.returncode == 1
    assert "the project is busy" in done.stderr and "QGIS" in done.stderr
    assert "run the command again" in done.stderr and "Traceback" not in done.stderr
