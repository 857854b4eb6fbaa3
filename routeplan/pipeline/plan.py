"""The plan from loaded inputs, and every output file written from it."""

from __future__ import annotations

import datetime as dt
import errno
import logging
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputDataError, Problem, RouteplanError

if TYPE_CHECKING:  # pragma: no cover
    from ..planner import Plan

from .inputs import Inputs, PathLike, ProgressFn
from .written import (
    forget,
    merged,
    merged_files,
    own_files,
    record,
    recorded,
    remove_stale,
    replaced_files,
)

log = logging.getLogger(__name__)

OUTPUTS = ("tables", "exports", "maps", "sheets")
"""What :func:`write_outputs` can write, in the order it writes them."""

_OWN_FOLDER = {"exports": "gpx", "maps": "volunteers", "sheets": "sheets"}
"""The folder of each volunteer's own files each output writes."""

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
    volunteers: Collection[str] | None = None,
    progress: ProgressFn | None = None,
) -> list[Path]:
    """Write the plan's files into ``out_dir`` and return their paths.

    The plan and its registers are joined and checked once
    (:func:`routeplan.render.bundle`); every writer takes that bundle. A phone page,
    route sheet or GPX file an earlier write left in ``out_dir`` for a volunteer no
    longer in the plan (or no longer with rounds) is deleted when this write makes
    that kind of file: only files the folder's record says routeplan wrote.

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
    volunteers
        Write the own files of these volunteers only (phone page, route sheet, GPX):
        after a re-plan that changed their rounds, into the folder of the plan before
        (see :func:`write_changed_outputs`). The files listing everyone (the tables,
        the GeoPackage and GeoJSON, ``plan_stops.csv``, the overview map,
        ``route_sheets_all.pdf``) are always written. Default: every volunteer.
    progress
        Optional ``progress(message, fraction)`` callback.

    """
    checked, wanted = _checked(result, inputs, what)
    out = Path(out_dir)
    with _disk_errors(out):
        return _write_outputs(result, inputs, checked, out, wanted, volunteers, progress)


def write_changed_outputs(
    result: Plan,
    inputs: Inputs,
    out_dir: PathLike,
    *,
    progress: ProgressFn | None = None,
) -> list[Path]:
    """Write the files of ``result`` into a folder holding an earlier plan's: only what changed.

    The folder's record (``.routeplan-outputs.json``, written by :func:`write_outputs`)
    says what each volunteer's files were made from; only the volunteers whose rounds,
    households or register rows differ in ``result``, and those whose files are
    missing, get their files written again, with the files listing everyone. Each
    file is then what a full write of ``result`` would make. Without a record (a new
    folder, or a write that stopped half-way) everything is written.
    """
    checked, wanted = _checked(result, inputs, OUTPUTS)
    out = Path(out_dir)
    changed = _changed(checked, inputs, out)
    log.info(
        "writing the files of %s volunteers",
        "all" if changed is None else f"{len(changed)} of {len(checked.volunteers)}",
    )
    with _disk_errors(out):
        return _write_outputs(result, inputs, checked, out, wanted, changed, progress)


def _shared(inputs: Inputs) -> str:
    """Return what every volunteer's files depend on beyond the bundle."""
    from .. import __version__

    return f"routeplan {__version__}; network {getattr(inputs.network, 'fingerprint', '')}"


def _changed(checked: Any, inputs: Inputs, out: Path) -> frozenset[str] | None:
    """Return the volunteers whose files in ``out`` are not those of ``checked``."""
    from ..render.digest import volunteer_digests
    from ..render.text import safe_file_name

    old = recorded(out)
    if old is None:
        return None
    new = volunteer_digests(checked, shared=_shared(inputs))
    changed = {vid for vid, digest in new.items() if old.get(vid) != digest} | (set(old) - set(new))
    with_rounds = {r.volunteer_id for r in checked.routes}
    for vid in set(new) - changed:
        name = safe_file_name(vid)
        files = [out / "volunteers" / f"{name}.html"]
        if vid in with_rounds:
            files += [out / "gpx" / f"{name}.gpx", out / "sheets" / f"{name}.pdf"]
        if not all(f.is_file() for f in files):
            changed.add(vid)
    return frozenset(changed)


def _checked(result: Plan, inputs: Inputs, what: Iterable[str]) -> tuple[Any, list[str]]:
    """Return the plan joined with its registers, and the outputs asked for (checked)."""
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
    return checked, wanted


@contextmanager
def _disk_errors(out: Path) -> Iterator[None]:
    """Turn a full, read-only or forbidden output folder into one clear error."""
    try:
        yield
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
    volunteers: Collection[str] | None,
    progress: ProgressFn | None,
) -> list[Path]:
    """Write the files, keeping the folder's record of what they show (see ``written``)."""
    old = recorded(out) if volunteers is not None else None
    old_files = forget(out)  # before any file changes: a write stopped half-way leaves no digests
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if "tables" in wanted:
        from ..render.export import write_plan_tables

        written += write_plan_tables(result, out)
    if "exports" in wanted:
        from ..render.export import write_exports

        written += write_exports(checked, out, volunteers=volunteers, progress=progress)
    if "maps" in wanted:
        from ..render.maps import write_maps

        written += write_maps(
            checked,
            out,
            network=inputs.network,
            places=inputs.places,
            volunteers=volunteers,
            progress=progress,
        )
    if "sheets" in wanted:
        from ..render.sheets import write_sheets

        written += write_sheets(
            checked, out, network=inputs.network, volunteers=volunteers, progress=progress
        )
    _keep_record(out, checked, inputs, (old, old_files), written, wanted, volunteers)
    log.info("wrote %d files to %s", len(written), out)
    return written


def _keep_record(
    out: Path,
    checked: Any,
    inputs: Inputs,
    old: tuple[dict[str, str] | None, dict[str, list[str]]],
    written: list[Path],
    wanted: list[str],
    volunteers: Collection[str] | None,
) -> None:
    """Delete the own files of volunteers this write left out; record what the folder holds.

    A volunteer's phone page, sheet or GPX file that the record says routeplan wrote,
    of a kind written now, for a volunteer written now (every one in a full write), and
    not written again (gone from the plan, or without rounds now) is deleted.
    """
    from ..render.digest import volunteer_digests

    old_digests, old_files = old
    new = own_files(out, checked.volunteers, written)
    folders = [_OWN_FOLDER[w] for w in wanted if w in _OWN_FOLDER]
    replaced = replaced_files(old_files, folders, volunteers)
    remove_stale(out, replaced, new)
    files = merged_files(out, old_files, replaced, new)
    digests = None
    if {"exports", "maps", "sheets"} <= set(wanted):
        digests = volunteer_digests(checked, shared=_shared(inputs))
        if volunteers is not None:
            digests = merged(old_digests, digests, volunteers)
    if digests is not None or files:
        record(out, digests, files)
