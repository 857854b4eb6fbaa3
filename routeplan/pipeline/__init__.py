"""The whole job, one stage after the other: registers, network, matrices, plan, outputs.

This is the only module that chains the stages. The command line (``plan``,
``plan --project``, ``demo``, ``coverage``), the notebooks and anything built on
routeplan call it, so every entry point runs exactly the code path real data runs::

    from routeplan.pipeline import InputFiles, load_inputs, make_plan, write_outputs

    files = InputFiles(households="households.csv", volunteers="volunteers.csv",
                       network="commune.osm.pbf", service_points="points.csv")
    inputs = load_inputs(files)            # registers, network, travel matrices
    result = make_plan(inputs)             # who visits whom, in which order, on which day
    paths = write_outputs(result, inputs, "out/")

A week of a project file (``routeplan init``) is planned with :func:`plan_week`, and the
planners' coverage report is made with :func:`run_coverage`.
"""

from __future__ import annotations

from .coverage_report import NewSites, run_coverage
from .inputs import InputFiles, Inputs, build_matrices, load_inputs
from .plan import OUTPUTS, make_plan, write_changed_outputs, write_outputs
from .weeks import (
    WeekOptions,
    plan_week,
    prepare_week,
    replan_week,
    update_project,
    week_inputs,
    write_week,
)

__all__ = [
    "OUTPUTS",
    "InputFiles",
    "Inputs",
    "NewSites",
    "WeekOptions",
    "build_matrices",
    "load_inputs",
    "make_plan",
    "plan_week",
    "prepare_week",
    "replan_week",
    "run_coverage",
    "update_project",
    "week_inputs",
    "write_changed_outputs",
    "write_outputs",
    "write_week",
]
