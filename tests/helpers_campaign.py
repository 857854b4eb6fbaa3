"""Shared helpers of the campaign tests: the small project, outcome files, dumps."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from routeplan.campaign import record_outcomes
from routeplan.config import PlannerSettings, Settings
from routeplan.planner import Plan, Route, Stop

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "data" / "templates"
HAMLETS = ("Phò Nam", "Trường Định", "Nam Yên")
WEEK1 = dt.date(2026, 11, 30)  # a Monday
TODAY = dt.date(2027, 1, 31)
# stops on counts; no daylight rule: these weeks move retried visits to evening hours on
# purpose, and the rule would (rightly) give some of them to another volunteer
SETTINGS = Settings(planner=PlannerSettings(time_limit_s=60.0, seed=1, daylight=False))
HEADER = [
    "household_id",
    "date",
    "volunteer_id",
    "outcome",
    "services_done",
    "people_supported",
    "follow_up",
    "service_point_trip",
    "notes",
]


def _hand_plan(registers: Any, week: dt.date) -> Plan:
    """Each volunteer visits their households on Saturday from 08:00, 30 min apart."""
    hids = list(registers.households["household_id"])
    vids = list(registers.volunteers["volunteer_id"])
    routes, assignment = [], {}
    for v, vid in enumerate(vids):
        mine = hids[v :: len(vids)]
        stops = tuple(Stop(h, k + 1, 8 * 3600 + k * 1800, 1200, 600) for k, h in enumerate(mine))
        routes.append(
            Route(
                vid,
                5,
                "motorbike",
                7 * 3600 + 3000,
                8 * 3600 + len(mine) * 1800,
                stops,
                600 * len(mine),
                1200 * len(mine),
            )
        )
        assignment |= {h: vid for h in mine}
    return Plan(routes=routes, assignment=assignment, week_start=week)


def _write_outcomes(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, HEADER)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in HEADER})
    return path


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (and the header pragmas) for before/after comparisons."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        out = {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
        out["pragmas"] = [
            conn.execute("PRAGMA user_version").fetchone(),
            conn.execute("PRAGMA application_id").fetchone(),
        ]
        return out
    finally:
        conn.close()


def _services(registers: Any) -> dict[str, tuple[str, ...]]:
    return dict(
        zip(registers.households["household_id"], registers.households["services"], strict=True)
    )


def _import_in_process(project: str, outcomes: str) -> tuple[bool, int]:
    result = record_outcomes(project, outcomes, settings=SETTINGS, today=TODAY)
    return result.already_imported, result.added


def pd_concat(frames: list[Any]) -> Any:
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


# --- the fault suite (tests/faults/test_project_*, test_kill_*, test_disk_*) -----------

DEMO_OSM = ROOT / "data" / "demo" / "hoabac.osm"

_CHILD = r"""
import os, signal, sqlite3, sys

when = os.environ.get("ROUTEPLAN_TEST_KILL", "")
kind, _, count = when.partition(":")
calls = [0]


def _kill_on_call():
    calls[0] += 1
    if calls[0] == int(count):
        os.kill(os.getpid(), signal.SIGKILL)


if kind == "commit":  # just before the n-th COMMIT of a write, with a tiny page cache:
    _connect = sqlite3.connect  # pages spill into the file before the commit (a big write)

    def connect(*args, **kwargs):
        conn = _connect(*args, **kwargs)
        conn.execute("PRAGMA cache_size = 1")
        writing = [False]

        def trace(sql):
            sql = sql.strip().upper()
            if sql == "BEGIN IMMEDIATE":
                writing[0] = True
            elif sql == "COMMIT" and writing[0]:
                _kill_on_call()

        conn.set_trace_callback(trace)
        return conn

    sqlite3.connect = connect
elif kind in ("replace", "fsync"):  # just before the n-th rename / file sync
    _orig = getattr(os, kind)

    def hooked(*args, **kwargs):
        _kill_on_call()
        return _orig(*args, **kwargs)

    setattr(os, kind, hooked)
if os.environ.get("ROUTEPLAN_TEST_BUSY_S"):
    from routeplan.campaign import store

    store.BUSY_TIMEOUT_S = float(os.environ["ROUTEPLAN_TEST_BUSY_S"])
from routeplan.cli import main

sys.exit(main(sys.argv[1:]))
"""


def run_cli(
    *args: str | Path, kill: str = "", busy_s: float | None = None, cwd: Path | None = None
) -> Any:
    """Run ``routeplan ARGS`` in a child process; ``kill="commit:1"`` kills it with SIGKILL
    just before the first COMMIT of a write (``replace:N``, ``fsync:N``: before the n-th rename or
    file sync of an output). Returns the CompletedProcess (text stdout / stderr)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=str(ROOT), ROUTEPLAN_TEST_KILL=kill)
    if busy_s is not None:
        env["ROUTEPLAN_TEST_BUSY_S"] = str(busy_s)
    return subprocess.run(
        [sys.executable, "-c", _CHILD, "-q", *map(str, args)],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def init_args(project: Path) -> list[str | Path]:
    """The ``routeplan init`` arguments of the template project (3 households)."""
    return [
        "init",
        project,
        "--households",
        TEMPLATES / "households.csv",
        "--volunteers",
        TEMPLATES / "volunteers.csv",
        "--service-points",
        TEMPLATES / "service_points.csv",
        "--network",
        DEMO_OSM,
    ]


_TEMPLATE: list[Path] = []


def template_project(folder: Path) -> Path:
    """Put the template project (3 households) in ``folder``; return its path.

    Made once per test session by ``routeplan init`` in a child process, then copied.
    """
    import atexit
    import shutil
    import tempfile

    if not _TEMPLATE or not _TEMPLATE[0].is_file():
        made = Path(tempfile.mkdtemp(prefix="routeplan-template-"))
        atexit.register(shutil.rmtree, made, ignore_errors=True)
        done = run_cli(*init_args(made / "p.gpkg"))
        assert done.returncode == 0, done.stderr
        _TEMPLATE[:] = [made / "p.gpkg"]
    project = folder / "p.gpkg"
    shutil.copyfile(_TEMPLATE[0], project)
    return project


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> content)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def whole(path: Path) -> bool:
    """Whether an output file is complete (parses / ends as its format ends)."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return data.rstrip().endswith(b"%%EOF")
    if suffix == ".html":
        return data.rstrip().lower().endswith(b"</html>")
    if suffix in (".geojson", ".json"):
        import json

        json.loads(data)
        return True
    if suffix == ".gpx":
        return data.rstrip().endswith(b"</gpx>")
    if suffix == ".csv":
        import csv
        import io

        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        return bool(rows) and all(len(r) == len(rows[0]) for r in rows)
    if suffix == ".gpkg":
        conn = sqlite3.connect(path)
        try:
            return bool(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
        finally:
            conn.close()
    return True


class Tmpfs:
    """A small tmpfs mounted on a folder (root only): ``with Tmpfs(dir, "1m") as t:``.

    Skips the test with a reason when not root or the mount is refused; always unmounts.
    """

    def __init__(self, folder: Path, size: str) -> None:
        self.folder, self.size = folder, size

    def __enter__(self) -> Path:
        import os
        import subprocess

        import pytest

        if os.geteuid() != 0:
            pytest.skip("needs root to mount a small tmpfs (a full / read-only disk)")
        self.folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={self.size}", "tmpfs", str(self.folder)],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        return self.folder

    def remount(self, options: str) -> None:
        """Remount with ``options`` (``"ro"``, ``"rw"``)."""
        import subprocess

        subprocess.run(["mount", "-o", f"remount,{options}", str(self.folder)], check=True)

    def fill(self) -> Path:
        """Fill the disk to the last byte with a filler file; return it."""
        import errno

        filler = self.folder / "filler"
        with filler.open("wb", buffering=0) as fh:
            for chunk in (65536, 4096, 512, 1):
                try:
                    while True:
                        fh.write(b"\0" * chunk)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
        return filler

    def __exit__(self, *exc: object) -> None:
        import subprocess

        subprocess.run(["umount", "-l", str(self.folder)], capture_output=True)
