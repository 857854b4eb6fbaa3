"""The campaign's commands: routeplan init, record, progress."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from helpers_campaign import TEMPLATES, _write_outcomes

from routeplan import campaign


def test_cli_init_record_progress(
    tmp_path: Path, demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from routeplan.cli import main

    project = tmp_path / "p.gpkg"
    args = [
        "init",
        str(project),
        "--households",
        str(TEMPLATES / "households.csv"),
        "--volunteers",
        str(TEMPLATES / "volunteers.csv"),
        "--service-points",
        str(TEMPLATES / "service_points.csv"),
        "--network",
        str(demo_dir / "hoabac.osm"),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["-q", *args]) == 0
    assert "households: 3 added" in capsys.readouterr().out
    assert campaign.project_network(project) == (demo_dir / "hoabac.osm").resolve()
    assert main(["-q", "record", str(project), str(TEMPLATES / "outcomes.csv")]) == 0
    assert "4 visits recorded" in capsys.readouterr().out
    assert main(["-q", "record", str(project), str(TEMPLATES / "outcomes.csv")]) == 0
    assert "already imported" in capsys.readouterr().out
    bad = _write_outcomes(
        tmp_path / "bad.csv",
        [
            {
                "household_id": "HB-0009",
                "date": "05/12/2026",
                "volunteer_id": "TN-01",
                "outcome": "xong",
            }
        ],
    )
    assert main(["-q", "record", str(project), str(bad)]) == 2
    assert "row 2" in capsys.readouterr().err
    assert main(["-q", "progress", str(project), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "Đã hỗ trợ 5 người ở 3/3 hộ" in out and "progress.html" in out
    assert (tmp_path / "out" / "progress.html").is_file()
