"""Many areas in one run: a city or a province, each commune or ward planned on Dask.

An *area* is a commune or ward with its own households and volunteers
(:class:`Area`): a folder per area (:func:`areas_from_folders`), or registers with an
area column (:func:`areas_from_register`). Its map is its own OSM file, or its part of
one large extract cut by the area boundaries (:func:`cut_networks`).
:func:`plan_areas` runs each area as a task on a ``dask.distributed`` cluster (local by
default, or an existing one by its scheduler address), each task the same
:func:`routeplan.areas.plan_area` that plans one area; one area failing is
reported and does not stop the others, and a rerun skips areas whose inputs have not
changed. :func:`write_rollup` writes the report across areas (CSV and offline HTML).
Every problem of an area split from a city register names the city register's row
(:func:`in_register`), whatever part of the area's run found it.

Dask is imported only when :func:`plan_areas` runs.
"""

from __future__ import annotations

from .boundaries import boundary_problems, cut_networks, read_boundaries
from .inputs import Area, area_key, areas_from_folders, areas_from_register
from .plan import area_figures, area_warnings, plan_area
from .rollup import ROLLUP_COLUMNS, rollup_rows, write_rollup
from .run import AreaResult, ClusterOptions, plan_areas, run_area
from .split import Origin, in_register, split_register

__all__ = [
    "ROLLUP_COLUMNS",
    "Area",
    "AreaResult",
    "ClusterOptions",
    "Origin",
    "area_figures",
    "area_key",
    "area_warnings",
    "areas_from_folders",
    "areas_from_register",
    "boundary_problems",
    "cut_networks",
    "in_register",
    "plan_area",
    "plan_areas",
    "read_boundaries",
    "rollup_rows",
    "run_area",
    "split_register",
    "write_rollup",
]
