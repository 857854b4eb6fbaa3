"""The campaign: a project file that remembers registers, weekly plans and the visit log.

The "1+20" model is not one trip: volunteers go back week after week until every
household's services are done. A *project file* keeps what a coordinator needs for
that in one SQLite file that is also a GeoPackage, so QGIS opens it as it is:

``households``, ``volunteers``, ``service_points``
    The registers as point layers (EPSG:4326). A household or volunteer that leaves
    the list is never deleted: it is marked ``active = 0`` with ``inactive_since``.
``register_log``
    Every register change (added, updated, inactive, reactivated) with its date.
``plans``, ``plan_households``, ``plan_routes``, ``plan_stops``, ``plan_changes``
    Each week's plan, keyed by ``week_start`` (a Monday).
``visits``, ``imports``
    The visit log: one row per household visit, as ticked on the printed route sheet
    and typed into an outcomes CSV (see ``data/templates/outcomes.csv``), and one row
    per imported file with its content hash.

Every write is one SQLite transaction started with ``BEGIN IMMEDIATE`` (rollback
journal, busy timeout): a crash or a rejected import leaves the file as it was, and two
coordinators importing at the same time wait for each other instead of corrupting it.
``PRAGMA user_version`` stays the GeoPackage version (10400) that GDAL and QGIS check;
the project schema version is ``routeplan_meta.schema_version`` (:data:`SCHEMA_VERSION`).

The main entries are :func:`init_project` (create or update the registers),
:func:`record_outcomes` (import a week's outcomes), :func:`next_week_inputs` (what to
plan next), :func:`save_plan` / :func:`load_plan` and :func:`progress_report` /
:func:`write_progress` (running totals per hamlet and per volunteer). A week is planned
from the project by :func:`routeplan.pipeline.plan_week`.

Submodules
----------
``store``
    The project file: schema, transactions and locking, metadata and schema version,
    GeoPackage geometry blobs, the encodings of stored values.
``registers_sync``
    :func:`init_project` (adding, updating, inactivating register items),
    :func:`read_registers`.
``roads``
    :class:`RoadFiles`: the network, elevation and closures files the project
    remembers (:func:`project_roads`, :func:`project_network`).
``outcome_rows``
    Reading and checking an outcomes file: :func:`parse_date`, :func:`parse_outcome`.
``outcomes``
    :func:`record_outcomes`: the visit log, all or nothing.
``history``
    What the visit log says about each household (read by ``carryover`` and ``progress``).
``carryover``
    :func:`next_week_inputs` and :class:`Carryover`: what to plan next week.
``plans``
    :func:`save_plan`, :func:`load_plan`, :func:`weeks` and :class:`WeekPlan`.
``progress``
    :func:`progress_report`, :func:`progress_html` and :func:`write_progress`.
``adjustments``
    :class:`WeekAdjustments` (locks, volunteers away, capacities changed by hand in the
    app), :func:`week_adjustments` and :func:`change_adjustments`.
``jobs``
    The app's last background job of the project (:func:`note_job`, :func:`end_job`,
    :func:`last_job`), so that the app started again knows it.
"""

from __future__ import annotations

from .adjustments import WeekAdjustments, change_adjustments, week_adjustments
from .carryover import Carryover, next_week_inputs
from .jobs import end_job, last_job, note_job
from .outcome_rows import OUTCOMES, parse_date, parse_outcome
from .outcomes import ImportResult, record_outcomes
from .plans import WeekPlan, load_plan, save_plan, weeks
from .progress import ProgressReport, progress_html, progress_report, write_progress
from .registers_sync import (
    Registers,
    RegisterUpdate,
    init_project,
    read_registers,
)
from .roads import RoadFiles, project_network, project_roads
from .store import SCHEMA_VERSION, ProjectFileError, backup, check_writable, lock_info

__all__ = [
    "OUTCOMES",
    "SCHEMA_VERSION",
    "Carryover",
    "ImportResult",
    "ProgressReport",
    "ProjectFileError",
    "RegisterUpdate",
    "Registers",
    "RoadFiles",
    "WeekAdjustments",
    "WeekPlan",
    "backup",
    "change_adjustments",
    "check_writable",
    "end_job",
    "init_project",
    "last_job",
    "load_plan",
    "lock_info",
    "next_week_inputs",
    "note_job",
    "parse_date",
    "parse_outcome",
    "progress_html",
    "progress_report",
    "project_network",
    "project_roads",
    "read_registers",
    "record_outcomes",
    "save_plan",
    "week_adjustments",
    "weeks",
    "write_progress",
]
