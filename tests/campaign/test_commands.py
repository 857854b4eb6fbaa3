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
    closed = tmp_path / "closed.csv"
    closed.write_text("way_id\n1\n")
    assert main(["-q", "init", str(project), "--closures", str(closed)]) == 0
    assert campaign.project_roads(project).closures == closed.resolve()
    assert f"closures: {closed.resolve()}" in capsys.readouterr().out  # said, with its path
    assert main(["-q", "init", str(project), "--closures", str(tmp_path / "nope.csv")]) == 2
    assert "closures file not found" in capsys.readouterr().err  # nothing remembered
    assert campaign.project_roads(project).closures == closed.resolve()
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


def test_removed_households_show_as_gone_and_village_places_are_no_move(
    tmp_path: Path, demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import sqlite3

    from routeplan.cli import main

    project = tmp_path / "p.gpkg"
    registers = [
        "--volunteers",
        str(TEMPLATES / "volunteers.csv"),
        "--service-points",
        str(TEMPLATES / "service_points.csv"),
    ]
    households = str(TEMPLATES / "households.csv")
    network = ["--network", str(demo_dir / "hoabac.osm")]
    plan = ["plan", "--project", str(project), "--no-maps", "--time-limit", "1"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert (
            main(["-q", "init", str(project), "--households", households, *registers, *network])
            == 0
        )
        # the same register again, without the network: HB-0003 (no coordinates) is placed
        # at its village again, which is no move
        assert main(["-q", "init", str(project), "--households", households]) == 0
        assert "households: 0 added, 3 unchanged" in capsys.readouterr().out
        conn = sqlite3.connect(project)
        moved = conn.execute("SELECT item_id FROM register_log WHERE change = 'updated'")
        assert moved.fetchall() == []
        conn.close()
        assert main(["-q", *plan, "--week", "2026-11-30", "--out", str(tmp_path / "w1")]) == 0
        rows = (TEMPLATES / "households.csv").read_text(encoding="utf-8-sig").splitlines()
        fewer = tmp_path / "households_dec.csv"
        fewer.write_text("\n".join(r for r in rows if not r.startswith("HB-0001")), "utf-8")
        assert main(["-q", "init", str(project), "--households", str(fewer)]) == 0
        assert main(["-q", *plan, "--week", "2026-12-07", "--out", str(tmp_path / "w2")]) == 0
    with (tmp_path / "w2" / "changes.csv").open(encoding="utf-8-sig") as fh:
        changes = list(csv.DictReader(fh))
    assert [(c["household_id"], c["old"], c["code"]) for c in changes] == [
        ("HB-0001", "TN-01", "household_gone")
    ]
