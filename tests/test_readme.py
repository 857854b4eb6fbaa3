"""The README's Python examples run, in order, on a corner of the demo commune."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^```python\n(.*?)^```", re.M | re.S)


def _examples() -> list[tuple[int, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in FENCE.finditer(text)]


def test_readme_has_python_examples() -> None:
    code = "\n".join(c for _, c in _examples())
    for name in ("load_settings", "points_frame", "load_inputs", "make_plan", "write_outputs"):
        assert name in code, f"the README's examples should show {name}"


def test_readme_python_examples_run(
    demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hh = pd.read_csv(demo_dir / "households.csv", dtype=str, keep_default_na=False)
    vol = pd.read_csv(demo_dir / "volunteers.csv", dtype=str, keep_default_na=False)
    hh.iloc[:80].to_csv(tmp_path / "households.csv", index=False)
    vol.iloc[:4].to_csv(tmp_path / "volunteers.csv", index=False)
    shutil.copy(demo_dir / "service_points.csv", tmp_path / "service_points.csv")
    shutil.copy(demo_dir / "hoabac.osm", tmp_path / "commune.osm")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "readme"}
    for line, code in _examples():
        exec(compile(code, f"README.md:{line}", "exec"), namespace)
    assert (tmp_path / "out" / "plan_stops.csv").exists()
