from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import routeplan
from routeplan.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert routeplan.__version__ in capsys.readouterr().out


def test_versions_lists_dependencies(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["versions"]) == 0
    out = capsys.readouterr().out
    assert "ortools" in out and "osmnx" in out


def test_import_is_light() -> None:
    heavy = "('osmnx', 'ortools', 'folium', 'geopandas')"
    code = f"import sys, routeplan; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_bad_input_is_one_clear_message_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    households = tmp_path / "households.csv"
    households.write_text(
        "household_id,head_name,village,latitude,longitude,services\n"
        "H1,Nguyễn Văn A,Tà Lang,16.1,108.0,vneld\n"
        "H1,Trần Thị B,Tà Lang,200,108.0,vneid\n",
        encoding="utf-8",
    )
    code = main(["validate", "--households", str(households)])
    err = capsys.readouterr()
    assert code == 2
    text = err.out + err.err
    assert "Traceback" not in text
    assert "row 3" in text and "vneid" in text  # the duplicate id and the suggested code


def test_missing_file_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "plan",
            "--households",
            str(tmp_path / "nope.csv"),
            "--volunteers",
            str(tmp_path / "v.csv"),
            "--network",
            str(tmp_path / "n.osm"),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    # every missing file named at once, before any slow work, each with a fix
    for name in ("nope.csv", "v.csv", "n.osm"):
        assert str(tmp_path / name) in err
    assert err.count("Fix:") == 3


def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    from routeplan.cli import _COMMANDS, _register

    _register()
    assert {
        "demo",
        "validate",
        "network",
        "plan",
        "coverage",
        "init",
        "record",
        "progress",
        "versions",
    } <= set(_COMMANDS)
    for name in _COMMANDS:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert "usage: routeplan" in capsys.readouterr().out


def test_demo_week_is_a_fixed_monday_unless_told(capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from routeplan.demo import DEMO_COORDINATOR, DEMO_WEEK, demo_week

    assert DEMO_WEEK.weekday() == 0 and demo_week(None) == DEMO_WEEK
    assert demo_week("2026-11-30") == dt.date(2026, 11, 30)
    assert DEMO_COORDINATOR  # the demo's sheets have someone to call
    # a day that is not a Monday says which Monday was meant, before any work is done
    assert main(["demo", "--week", "2026-12-09", "--out", "unused"]) != 0
    assert "write the Monday: 2026-12-07" in capsys.readouterr().err
