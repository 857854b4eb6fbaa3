"""The coverage command on the demo, and its refusal of bad bands."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.slow
def test_cli_coverage_on_the_demo(demo_dir: Path, tmp_path: Path, capsys) -> None:
    from routeplan.cli import main

    code = main(
        [
            "-q",
            "coverage",
            "--households",
            str(demo_dir / "households.csv"),
            "--service-points",
            str(demo_dir / "service_points.csv"),
            "--network",
            str(demo_dir / "hoabac.osm"),
            "--add",
            "16.16,107.95",
            "--bands",
            "20,40",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "Hardest to reach" in out and "What-if" in out
    header = (tmp_path / "coverage_hamlets.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "0-20 min" in header and "over 40 min" in header


def test_cli_rejects_bad_bands(tmp_path: Path, capsys) -> None:
    from routeplan.cli import main

    code = main(
        [
            "coverage",
            "--households",
            "h.csv",
            "--service-points",
            "s.csv",
            "--network",
            "n.osm",
            "--bands",
            "30,15",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 2
    assert "--bands" in capsys.readouterr().err
