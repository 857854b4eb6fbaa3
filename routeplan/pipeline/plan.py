"""The plan from loaded inputs, and every output file written from it."""

from __future__ import annotations

import datetime as dt
import errno
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputDataError, Problem, RouteplanError

if TYPE_CHECKING:  # pragma: no cover
    from ..planner import Plan

from .inputs import Inputs, PathLike, ProgressFn

log = logging.getLogger(__name__)

OUTPUTS = ("tables", "exports", "maps", "sheets")
"""What :func:`write_outputs` can write, in the order it writes them."""

# --- the plan -------------------------------------------------------------------------------


def make_plan(
    inputs: Inputs,
    *,
    previous: Mapping[str, str] | None = None,
    week_start: dt.date | None = None,
    progress: ProgressFn | None = None,
) -> Plan:
    """Plan the week from loaded inputs (see :func:`routeplan.planner.plan`)."""
    from ..planner import plan

    return plan(
        inputs.households,
        inputs.volunteers,
        inputs.matrices,
        settings=inputs.settings,
        previous=previous,
        week_start=week_start,
        progress=progress,
    )


# --- what comes out --------------------------------------------------------------------------


def write_outputs(
    result: Plan,
    inputs: Inputs,
    out_dir: PathLike,
    *,
    what: Iterable[str] = OUTPUTS,
    progress: ProgressFn | None = None,
) -> list[Path]:
    """Write the plan's files into ``out_dir`` and return their paths.

    The plan and its registers are joined and checked once
    (:func:`routeplan.render.bundle`); every writer takes that bundle.

    Parameters
    ----------
    result
        The plan.
    inputs
        What the plan was made from.
    out_dir
        Output folder, created when missing.
    what
        Any of :data:`OUTPUTS`: ``"tables"`` (assignment.csv, unassigned.csv,
        changes.csv), ``"exports"`` (GeoPackage, GeoJSON, plan_stops.csv, GPX),
        ``"maps"`` (HTML), ``"sheets"`` (PDF).
    progress
        Optional ``progress(message, fraction)`` callback.

    """
    from ..render import bundle

    wanted = list(what)
    unknown = sorted(set(wanted) - set(OUTPUTS))
    if unknown:
        raise InputDataError(
            [Problem(f"unknown output {u!r}", f"choose from {', '.join(OUTPUTS)}") for u in unknown]
        )
    checked = bundle(
        result,
        inputs.households,
        inputs.volunteers,
        service_points=inputs.service_points,
        matrices=inputs.matrices,
        settings=inputs.settings,
    )
    out = Path(out_dir)
    try:
        return _write_outputs(result, inputs, checked, out, wanted, progress)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM):
            raise
        fix = (
            "free some space on that disk (or give another --out folder)"
            if exc.errno in (errno.ENOSPC, errno.EDQUOT)
            else "give an --out folder you can write to"
        )
        raise RouteplanError(
            f"{out}: could not write the plan's files: {exc.strerror} "
            f"({exc.filename or out}). Files already complete were kept; none is "
            f"half-written.\nFix: {fix}, and run the command again."
        ) from exc


def _write_outputs(
    result: Plan,
    inputs: Inputs,
    checked: Any,
    out: Path,
    wanted: list[str],
    progress: ProgressFn | None,
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if "tables" in wanted:
        from ..render.export import write_plan_tables

        written += write_plan_tables(result, out)
    if "exports" in wanted:
        from ..render.export import write_exports

        written += write_exports(checked, out, progress=progress)
    if "maps" in wanted:
        from ..render.maps import write_maps

        written += write_maps(
            checked, out, network=inputs.network, places=inputs.places, progress=progress
        )
    if "sheets" in wanted:
        from ..render.sheets import write_sheets

        written += write_sheets(checked, out, network=inputs.network, progress=progress)
    log.info("wrote %d files to %s", len(written), out)
    return written
