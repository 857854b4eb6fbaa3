"""``routeplan serve``: this computer only by default; the office network only with a token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import routeplan.app
from routeplan.cli import main


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    configs: list[Any] = []
    monkeypatch.setattr(routeplan.app, "serve", configs.append)
    return configs


def test_serve_binds_this_computer_only_by_default(
    served: list[Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", str(tmp_path), "--port", "8999"]) == 0
    config = served[0]
    assert config.host == "127.0.0.1" and not config.lan and config.token is None
    assert config.folder == tmp_path
    assert "http://127.0.0.1:8999/" in capsys.readouterr().out


def test_serve_on_the_office_network_prints_a_token(
    served: list[Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", str(tmp_path), "--lan"]) == 0
    config = served[0]
    assert config.host == "0.0.0.0" and config.lan
    assert config.token and len(config.token) >= 12
    assert f"/login?token={config.token}" in capsys.readouterr().out
    assert main(["serve", str(tmp_path), "--lan", "--password", "mat-khau-van-phong"]) == 0
    assert served[1].token == "mat-khau-van-phong"


def test_serve_demo_makes_a_fresh_copy_of_the_demo_commune(
    served: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from routeplan.campaign import read_registers

    assert main(["serve", "--demo", "--time-limit", "5"]) == 0
    config = served[0]
    try:
        regs = read_registers(config.folder / "demo.gpkg")
        assert len(regs.households) == 1350 and len(regs.volunteers) == 70
        assert (config.folder / "demo-files" / "uploads" / "network.osm").is_file()
        assert config.settings.planner.time_limit_s == 5
        assert "/p/demo" in capsys.readouterr().out
    finally:
        shutil.rmtree(config.folder)
