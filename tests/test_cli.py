from __future__ import annotations

import subprocess
import sys

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
    code = "import sys, routeplan; print(sorted(m for m in ('osmnx','ortools','folium','geopandas') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
