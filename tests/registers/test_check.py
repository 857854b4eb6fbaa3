"""Several files at once, the checks across them, the validate command, the templates."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from helpers_registers import HEADER, REG, TEMPLATES, write

from routeplan.cli import main
from routeplan.config import Settings, load_settings
from routeplan.registers import check_files, read_households, validate_files


def test_validate_files_checks_across_files_without_raising() -> None:
    problems = validate_files(
        REG / "households.csv", REG / "volunteers_broken.csv", REG / "service_points.csv"
    )
    files = {p.file for p in problems if p.severity == "error"}
    assert files == {str(REG / "volunteers_broken.csv")}  # the path as given
    across = [p for p in problems if p.file is None]
    assert any("'digital_signature'" in p.message and "row 6" in p.message for p in across)
    assert any("'co_tu'" in p.message and "rows 4, 5" in p.message for p in across)
    assert all(p.severity == "warning" for p in across)
    # the valid registers fit together: no problem across them
    ok = validate_files(REG / "households.csv", REG / "volunteers.csv", REG / "service_points.csv")
    assert [p for p in ok if p.file is None] == []
    assert all(p.severity == "warning" for p in ok)


def test_validate_files_reports_unreadable_files() -> None:
    problems = validate_files(households=REG / "nope.csv")
    assert [(p.file, p.message) for p in problems] == [(str(REG / "nope.csv"), "file not found")]


def test_ids_shared_between_registers_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "sp.csv", "point_id,name,latitude,longitude\nHB-0001,X,16.12,108.04\n")
    problems = validate_files(REG / "households.csv", service_points=path)
    assert any(p.file is None and "'HB-0001'" in p.message for p in problems)


def test_check_files_report() -> None:
    report = check_files(REG / "households_broken.csv", REG / "volunteers.csv")
    assert not report.ok
    assert dict(report.rows) == {
        str(REG / "households_broken.csv"): 12,
        str(REG / "volunteers.csv"): 3,
    }
    lines = report.summary().splitlines()
    assert lines[0] == f"{REG / 'households_broken.csv'}: 12 rows, 11 errors, 1 warning"
    rows = [int(m.group(1)) for m in map(re.compile(r"  - row (\d+) ").match, lines) if m]
    assert rows == sorted(rows)  # problems in row order
    assert check_files(REG / "households.csv").ok


def test_cli_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "validate",
            "--households",
            str(REG / "households.csv"),
            "--volunteers",
            str(REG / "volunteers.csv"),
            "--service-points",
            str(REG / "service_points.csv"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "households.csv: 6 rows, OK" in out
    assert "volunteers.csv: 3 rows, OK" in out and "service_points.csv: 2 rows, OK" in out


def test_cli_validate_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "validate",
            "--households",
            str(REG / "households_broken.csv"),
            "--volunteers",
            str(REG / "volunteers.csv"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 2
    assert "households_broken.csv: 12 rows, 11 errors, 1 warning" in out
    assert "row 4 [latitude]: latitude 107.981 is outside -90..90" in out
    assert "volunteers.csv: 3 rows, OK" in out


def test_cli_validate_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 2
    assert "at least one" in capsys.readouterr().err


def test_cli_validate_bad_settings_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path, "s.toml", "[planner]\ncapacityy = 3\n")
    assert (
        main(["validate", "--households", str(REG / "households.csv"), "--settings", str(bad)]) == 2
    )
    assert "capacity" in capsys.readouterr().err


def test_cli_validate_places_from_an_osm_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("osmium")
    osm = write(
        tmp_path,
        "places.osm",
        """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="test">
  <node id="1" version="1" lat="16.1520" lon="107.9810">
    <tag k="place" v="hamlet"/><tag k="name" v="Tà Lang"/>
  </node>
</osm>
""",
    )
    hh = write(tmp_path, "h.csv", HEADER + "\nA1,X,thôn Tà Lang,,,,vneid,0,0,0,,,\n")
    assert main(["validate", "--households", str(hh)]) == 2
    assert "not on the map" in capsys.readouterr().out
    assert main(["validate", "--households", str(hh), "--places", str(osm)]) == 0
    out = capsys.readouterr().out
    assert "h.csv: 1 row, OK" in out and "placed at the centre of the village" in out


def test_register_templates_read_cleanly() -> None:
    problems = validate_files(
        TEMPLATES / "households.csv", TEMPLATES / "volunteers.csv", TEMPLATES / "service_points.csv"
    )
    assert [p for p in problems if p.severity == "error"] == []
    assert len(read_households(TEMPLATES / "households.csv")) >= 2


def _uncommented_settings(text: str) -> str:
    """The template with its commented-out settings switched on."""
    lines = []
    for line in text.splitlines():
        m = re.match(r"^#\s?((?:\[[\w.]+\])|(?:[\w]+ = .*))$", line)
        lines.append(m.group(1) if m else line)
    return "\n".join(lines) + "\n"


def test_settings_template_documents_every_setting_with_its_default(tmp_path: Path) -> None:
    import dataclasses

    text = (TEMPLATES / "settings.toml").read_text(encoding="utf-8")
    assert load_settings(TEMPLATES / "settings.toml") == Settings()  # all commented out
    on = write(tmp_path, "on.toml", _uncommented_settings(text))
    data = tomllib.loads(on.read_text(encoding="utf-8"))
    defaults = Settings()
    for section in ("network", "planner", "coverage", "output"):
        obj = getattr(defaults, section)
        names = {f.name for f in dataclasses.fields(obj)}
        assert set(data.get(section, {})) == names, f"[{section}] in data/templates/settings.toml"
    assert set(data["services"]) == set(defaults.services)
    assert load_settings(on) == defaults
