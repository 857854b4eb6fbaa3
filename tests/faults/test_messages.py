"""What the command line says when something is wrong, and how it shows progress.

Issue 14 items 5 (too many points), 15 (the error header), 16 (progress and log lines),
17 (wrong files found before any slow work, paths as typed, fixes) and 18 (the empty id
fix).
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from routeplan._console import ConsoleHandler, Progress
from routeplan._memory import matrix_bytes, memory_limit, too_many_points
from routeplan.cli import main
from routeplan.config import NetworkSettings, Settings, load_settings
from routeplan.errors import InputDataError
from routeplan.pipeline import InputFiles, load_inputs
from routeplan.registers import check_files


class Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def commune(demo_dir: Path, tmp_path: Path) -> dict[str, Path]:
    hh = pd.read_csv(demo_dir / "households.csv", dtype=str, keep_default_na=False).iloc[:30]
    vol = pd.read_csv(demo_dir / "volunteers.csv", dtype=str, keep_default_na=False).iloc[:2]
    (tmp_path / "regs").mkdir()
    hh.to_csv(tmp_path / "regs" / "households.csv", index=False)
    vol.to_csv(tmp_path / "regs" / "volunteers.csv", index=False)
    return {
        "households": tmp_path / "regs" / "households.csv",
        "volunteers": tmp_path / "regs" / "volunteers.csv",
        "network": demo_dir / "hoabac.osm",
    }


def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make loading a network fail loudly: the test proves it is never reached."""

    def load(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the network was loaded before the files were checked")

    monkeypatch.setattr("routeplan.network.load_network", load)


# --- 15: the header counts errors and warnings; each problem once, warnings marked -------


def test_header_counts_errors_and_warnings_and_each_is_said_once(
    commune: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    hh = pd.read_csv(commune["households"], dtype=str, keep_default_na=False)
    hh.loc[0, "latitude"] = "abc"  # an error
    hh.loc[1, ["latitude", "longitude"]] = ""  # a warning: placed at its village
    hh.to_csv(commune["households"], index=False)
    code = main(["-q", "plan", *_args(commune), "--out", str(commune["households"].parent)])
    err = capsys.readouterr().err
    assert code == 2
    assert "registers: 1 error, 1 warning:" in err
    lines = [line for line in err.splitlines() if line.startswith("  - ")]
    assert len(lines) == 2
    assert "latitude 'abc' is not a number" in lines[0]
    assert lines[1].startswith("  - warning: ") and "placed at the centre" in lines[1]
    assert err.count("placed at the centre") == 1  # not logged as well


def test_error_text_counts_each_kind() -> None:
    from routeplan.errors import Problem

    exc = InputDataError(
        [Problem("a", severity="warning"), Problem("b"), Problem("c", severity="warning")],
        subject="f.csv",
    )
    assert str(exc).splitlines() == [
        "f.csv: 1 error, 2 warnings:",
        "  - b.",
        "  - warning: a.",
        "  - warning: c.",
    ]


def _args(f: dict[str, Path]) -> list[str]:
    return [
        "--households",
        str(f["households"]),
        "--volunteers",
        str(f["volunteers"]),
        "--network",
        str(f["network"]),
    ]


# --- 17: wrong files before any slow work, with the path typed and a fix ---------------


def test_folders_and_wrong_types_are_named_before_the_network_loads(
    commune: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _no_network(monkeypatch)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "regs" / "volunteers.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "maps").mkdir()
    typed = ["--households", "regs", "--volunteers", "regs/volunteers.docx", "--network", "maps"]
    code = main(["-q", "plan", *typed, "--previous", "nope.csv"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "  - regs: this is a folder, not a file. Fix: give the path of the register file" in err
    assert "  - regs/volunteers.docx: unknown file type '.docx'. Fix: give a .csv" in err
    assert "  - maps: this is a folder, not a network file. Fix: give the .osm" in err
    assert "unknown network file type ''" not in err


def test_a_missing_previous_plan_has_a_fix_and_is_found_before_the_network(
    commune: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _no_network(monkeypatch)
    monkeypatch.chdir(tmp_path)
    code = main(["-q", "plan", *_args(commune), "--previous", "nope.csv"])
    err = capsys.readouterr().err
    assert code == 2
    assert "  - nope.csv: file not found. Fix: check the path" in err
    csv = tmp_path / "bad_previous.csv"
    csv.write_text("household,who\nHB-1,TN-01\n", encoding="utf-8")
    assert main(["-q", "plan", *_args(commune), "--previous", str(csv)]) == 2
    err = capsys.readouterr().err
    assert "missing column(s) household_id, volunteer_id" in err
    assert "Fix: give the assignment.csv a previous plan wrote" in err


def test_unknown_network_type_names_the_file_as_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("roads.shp").write_bytes(b"\x00")
    assert main(["-q", "network", "roads.shp"]) == 2
    err = capsys.readouterr().err
    assert "  - roads.shp: unknown network file type '.shp'. Fix: give an .osm" in err


def test_settings_help_points_at_a_template_the_package_ships(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["plan", "--help"])
    helptext = " ".join(capsys.readouterr().out.split())
    assert "`routeplan template settings.toml`" in helptext
    assert "data/templates" not in helptext
    assert main(["template", "settings.toml"]) == 0
    template = capsys.readouterr().out
    (tmp_path / "s.toml").write_text(template, encoding="utf-8")
    assert load_settings(tmp_path / "s.toml") == Settings()  # everything commented out
    assert main(["template", "households.csv"]) == 0
    assert capsys.readouterr().out.startswith("household_id,")


# --- 18: the empty id fix suggests an id of the register itself ------------------------


def test_empty_id_fix_shows_an_id_of_the_same_register(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text(
        "volunteer_id,name,latitude,longitude,availability\n"
        "DV-07,An,16.1,108.0,Sat 08:00-11:00\n,Binh,16.1,108.0,Sat 08:00-11:00\n",
        encoding="utf-8",
    )
    report = check_files(volunteers=path)
    empty = [p for p in report.problems if p.message == "volunteer_id is empty"]
    assert [(p.row, p.fix) for p in empty] == [
        ("row 3", "give every volunteer a unique id, like 'DV-07'")
    ]
    assert "HB-" not in report.summary()


# --- 5: too many points are refused at once, with the limit and the fix ----------------


def test_a_hundred_thousand_households_are_refused_with_the_limit() -> None:
    limit, _ = memory_limit()
    if matrix_bytes(100_000) <= limit:
        pytest.skip("this machine has the memory for 100,000 points")
    message, fix = too_many_points(100_000) or ("", "")
    assert "100,000 points" in message and "half of this machine's memory" in message
    assert re.search(r"needs about 320\.0 GB of memory", message)
    assert "plan it in several areas" in fix and "network.matrix_memory_gb" in fix


def test_too_many_points_stop_before_any_matrix_work(
    commune: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def split(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("matrix work started")

    monkeypatch.setattr("routeplan.matrix.build.split_network", split)
    _no_network(monkeypatch)  # the CSVs' lines are counted before the network loads
    tiny = Settings(network=NetworkSettings(matrix_memory_gb=0.00001))  # 10 kB: 17 points
    files = InputFiles(
        households=commune["households"],
        volunteers=commune["volunteers"],
        network=commune["network"],
    )
    with pytest.raises(InputDataError) as err:
        load_inputs(files, settings=tiny)
    text = str(err.value)
    assert "32 points (households, volunteers' homes and service points) are too many" in text
    assert "more than the 0.01 MB allowed (network.matrix_memory_gb); at most about 17" in text
    assert "plan it in several areas" in text
    report = check_files(commune["households"], commune["volunteers"], settings=tiny)
    assert report.ok  # validate warns ...
    assert any(
        p.severity == "warning" and "routeplan plan` will refuse" in p.message
        for p in report.problems
    )


def test_the_matrix_counts_exactly_whatever_the_register_format() -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    from routeplan.matrix import build_matrix

    points = gpd.GeoDataFrame(
        {"point_id": [f"P{i}" for i in range(18)], "kind": ["household"] * 18},
        geometry=[Point(108.0 + i / 1000, 16.1) for i in range(18)],
        crs="EPSG:4326",
    )
    tiny = NetworkSettings(matrix_memory_gb=0.00001)  # 17 points fit
    with pytest.raises(InputDataError, match=r"18 points .* at most about 17 points fit"):
        build_matrix(None, points, mode="walking", settings=tiny)  # refused before the network


def test_too_many_points_on_the_command_line(
    commune: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "s.toml"
    settings.write_text("[network]\nmatrix_memory_gb = 0.00001\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["-q", "plan", *_args(commune), "--settings", str(settings), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and "Unable to allocate" not in err
    assert "too many to plan at once" in err and "Fix: plan it in several areas" in err
    assert not list(out.rglob("*.csv"))  # nothing half-written
    assert main(["validate", *_args(commune)[:4], "--settings", str(settings)]) == 0
    assert "warning: 32 points" in capsys.readouterr().out


# --- 16: a progress bar in a terminal, one line per stage when piped --------------------


def test_piped_progress_is_one_line_per_stage() -> None:
    stream = io.StringIO()
    progress = Progress(stream=stream)
    progress("exports: tables", 0.0)
    for k in range(70):
        progress("exports: GPX", 0.8 + 0.2 * k / 70)
    progress("maps: overview", 0.05)
    for k in range(70):
        progress(f"maps: volunteer TN-{k:02d}", 0.1 + 0.9 * k / 70)
    progress.done()
    lines = stream.getvalue().splitlines()
    assert [line.split("] ", 1)[1] for line in lines] == ["exports: tables", "maps: overview"]


def test_terminal_progress_is_a_bar_and_log_lines_go_above_it() -> None:
    stream = Terminal()
    progress = Progress(stream=stream)
    handler = ConsoleHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    log = logging.getLogger("routeplan.test_progress")
    log.addHandler(handler)
    log.propagate = False
    try:
        progress("exports: GPX", 0.5)
        log.warning("a household is placed at its village")
        progress("exports: GPX", 0.9)
        progress.done()
    finally:
        log.removeHandler(handler)
    pieces = re.split(r"[\r\n]", re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", stream.getvalue()))
    warning = [p for p in pieces if "placed at its village" in p]
    assert warning == ["WARNING routeplan.test_progress: a household is placed at its village"]
    bars = [p for p in pieces if p.startswith("exports")]
    assert any(" 50%|" in p for p in bars) and any(" 90%|" in p for p in bars)
    assert all("WARNING" not in p for p in bars)  # never glued onto the bar
    assert Progress.active is None


def test_the_command_line_leaves_logging_as_it_found_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    assert main(["versions"]) == 0
    assert root.handlers == handlers and root.level == level  # no handler on a closed stream
    capsys.readouterr()
