"""The planner package's layout: no import cycle, ortools only inside planner.solve."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import routeplan


def _run(code: str) -> None:
    """Run ``code`` in a fresh interpreter that imports this routeplan."""
    root = str(Path(routeplan.__file__).resolve().parents[1])
    path = os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONPATH": path})


def test_importing_the_planner_does_not_import_ortools() -> None:
    _run(
        "import sys, routeplan.planner as p\n"
        "assert 'ortools' not in sys.modules, 'planner imported ortools'\n"
        "assert callable(p.plan) and p.plan.__module__ == 'routeplan.planner.planning'\n"
    )


@pytest.mark.parametrize(
    "module",
    ["routeplan.planner.solve.steps", "routeplan.planner.problem"],
)
def test_every_submodule_imports_first_without_a_cycle(module: str) -> None:
    _run(f"import {module}")


def test_the_routing_model_is_not_named_problem() -> None:
    import routeplan.planner as planner
    from routeplan.errors import Problem

    assert not hasattr(planner, "Problem")
    assert planner.RoutingProblem is not Problem
