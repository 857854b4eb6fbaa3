"""A reader that goes away (``routeplan progress p.gpkg | head -1``) ends no command in a traceback.

Every command that prints runs once with a stdout whose reader has gone: it must do
all its work (files written, the network saved), print no traceback and exit as it
would have. Two commands also run as real processes on a closed pipe, where Python's
own last flush would fail too.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from routeplan import demo
from routeplan.cli import main

ROOT = Path(__file__).resolve().parents[2]
FAST = ["--time-limit", "5", "--seed", "1"]


class GoneReader(io.StringIO):
    """A stdout whose reader has exited: every write and flush raises BrokenPipeError."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.fixture(scope="module")
def commune(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """40 demo households, 3 volunteers, the demo map; a project of them; outcomes."""
    folder = tmp_path_factory.mktemp("pipes")
    hh = pd.read_csv(demo_dir / "households.csv", dtype=str, keep_default_na=False).iloc[:40]
    vol = pd.read_csv(demo_dir / "volunteers.csv", dtype=str, keep_default_na=False).iloc[:3]
    hh.to_csv(folder / "households.csv", index=False)
    vol.to_csv(folder / "volunteers.csv", index=False)
    first = hh.iloc[0]["household_id"]
    (folder / "outcomes.csv").write_text(
        "household_id,date,volunteer_id,outcome\n"
        f"{first},01/12/2026,{vol.iloc[0]['volunteer_id']},xong\n",
        encoding="utf-8",
    )
    files = {
        "households": folder / "households.csv",
        "volunteers": folder / "volunteers.csv",
        "service_points": demo_dir / "service_points.csv",
        "network": demo_dir / "hoabac.osm",
        "project": folder / "p.gpkg",
        "outcomes": folder / "outcomes.csv",
        "folder": folder,
    }
    registers = _registers(files)
    assert main(["-q", "init", str(files["project"]), *registers]) == 0
    return files


def _registers(f: dict[str, Path]) -> list[str]:
    return [
        "--households",
        str(f["households"]),
        "--volunteers",
        str(f["volunteers"]),
        "--service-points",
        str(f["service_points"]),
        "--network",
        str(f["network"]),
    ]


def _commands(f: dict[str, Path], out: Path) -> dict[str, tuple[list[str], list[Path]]]:
    """Each printing command: its arguments and the files it must still write."""
    regs = _registers(f)
    no_maps = ["--no-maps", "--out", str(out)]
    return {
        "help": (["--help"], []),
        "versions": (["versions"], []),
        "template": (["template", "settings.toml"], []),
        "validate": (["validate", *regs[:6]], []),
        "network": (
            ["network", str(f["network"]), "--out", str(out / "n.graphml")],
            [out / "n.graphml"],
        ),
        "init": (["init", str(out / "p.gpkg"), *regs], [out / "p.gpkg"]),
        "plan": (
            ["plan", *regs, *FAST, "--out", str(out)],
            [out / "assignment.csv", out / "map_overview.html"],
        ),
        "plan-project": (
            ["plan", "--project", str(f["project"]), "--week", "2026-11-30", *FAST, *no_maps],
            [out / "assignment.csv"],
        ),
        "record": (["record", str(f["project"]), str(f["outcomes"])], []),
        "progress": (["progress", str(f["project"]), "--out", str(out)], [out / "progress.html"]),
        "coverage": (
            ["coverage", *regs[:2], *regs[4:], "--out", str(out)],
            [out / "coverage.html"],
        ),
        "demo": (["demo", *FAST, "--out", str(out)], [out / "route_sheets_all.pdf"]),
    }


ROLES = ("households", "volunteers", "service_points", "network", "project", "outcomes")
COMMANDS = list(_commands({k: Path(k) for k in ROLES}, Path("out")))


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_survives_a_reader_that_went_away(
    command: str,
    commune: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small: dict[str, Any] = {k: commune[k] for k in ("households", "volunteers", "network")}
    small["service_points"] = commune["service_points"]
    monkeypatch.setattr(demo, "demo_files", lambda: small)
    args, written = _commands(commune, tmp_path / "out")[command]
    monkeypatch.setattr(sys, "stdout", GoneReader())
    try:
        code = main(args)
    except SystemExit as exc:  # --help exits through argparse
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "BrokenPipe" not in err
    assert code == 0, err
    for path in written:
        assert path.is_file(), f"{command} stopped before writing {path.name}"


def _closed_pipe_run(args: list[str]) -> subprocess.CompletedProcess[str]:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "import sys; from routeplan.cli import main; sys.exit(main(sys.argv[1:]))"
    try:
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
    finally:
        os.close(write_end)


@pytest.mark.slow
def test_progress_and_network_into_a_closed_pipe(commune: dict[str, Path], tmp_path: Path) -> None:
    for args in (
        ["progress", str(commune["project"])],
        ["-q", "network", str(commune["network"]), "--out", str(tmp_path / "n.graphml")],
    ):
        done = _closed_pipe_run(args)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert (tmp_path / "n.graphml").is_file()  # the network is saved all the same
