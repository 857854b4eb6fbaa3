"""One area of many, planned by the same pipeline as one commune: :func:`plan_area`.

Each task of :func:`routeplan.areas.plan_areas` runs :func:`plan_area`:
:func:`routeplan.pipeline.load_inputs`, :func:`~routeplan.pipeline.make_plan`,
:func:`~routeplan.pipeline.write_outputs`, then :func:`area_figures` for the roll-up.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import Problem
from ..pipeline import OUTPUTS, InputFiles, Inputs, load_inputs, make_plan, write_outputs

if TYPE_CHECKING:  # pragma: no cover
    from ..planner import Plan

__all__ = ["area_figures", "area_warnings", "plan_area"]

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, float], None]
PathLike = str | Path


def plan_area(
    files: InputFiles,
    out_dir: PathLike,
    *,
    settings: Settings | None = None,
    what: Iterable[str] = OUTPUTS,
    progress: ProgressFn | None = None,
    warnings: list[Problem] | None = None,
) -> dict[str, Any]:
    """Plan one area of many: :func:`load_inputs`, :func:`make_plan`, :func:`write_outputs`.

    What :mod:`routeplan.areas` runs as one task per area (the same code as ``routeplan
    plan``); the matrix cache is ``out_dir/.cache``. Returns the area's roll-up
    figures (see :func:`area_figures`). ``warnings``, when given, is filled with what
    a coordinator should look at (:func:`area_warnings`).
    """
    settings = settings or Settings()
    out = Path(out_dir)
    inputs = load_inputs(files, settings=settings, cache_dir=out / ".cache", progress=progress)
    result = make_plan(inputs, progress=progress)
    write_outputs(result, inputs, out, what=what, progress=progress)
    if warnings is not None:
        warnings.extend(area_warnings(result, inputs, str(files.households)))
    return area_figures(result, inputs, cache_dir=out / ".cache")


def area_warnings(result: Plan, inputs: Inputs, households_file: str) -> list[Problem]:
    """Return the registers' warnings, then a warning per household flagged by the plan.

    The registers' warnings are those ``routeplan plan`` logs (a household placed at
    its village, a point far from the others ...). A household the plan serves but
    whose place on the map is doubtful (farther than ``network.max_snap_m`` from every
    mapped way, or on a piece of road joined to no other: :class:`~routeplan.planner.Flag`)
    is named with its row in ``households_file`` and the fix, in English.
    """
    from ..planner.places import map_flags

    frames = (inputs.households, inputs.volunteers, inputs.service_points)
    out = [p for f in frames if f is not None for p in f.attrs.get("problems", ())]
    out = [p for p in out if p.severity == "warning"]
    hids = [f.household_id for f in result.flags]
    if not hids:
        return out
    codes, details, _ = map_flags(inputs.matrices, hids, "en")
    rows = dict(
        zip(
            inputs.households["household_id"].astype(str),
            inputs.households["source_row"].astype(str),
            strict=True,
        )
    )
    for hid, code, detail in zip(hids, codes, details, strict=True):
        out.append(
            Problem(
                f"household {hid}: {detail}",
                file=households_file,
                row=rows.get(hid),
                severity="warning",
                code=code,
            )
        )
    return out


def area_figures(
    result: Plan, inputs: Inputs, *, cache_dir: PathLike | None = None
) -> dict[str, Any]:
    """Return the roll-up figures of one area's plan.

    ``households``, ``volunteers``, ``assigned``, ``visits``, ``rolled_over``,
    ``unassigned``, ``volunteers_short`` (volunteers the 1+20 rule asks for beyond the
    register: one per ``planner.capacity`` households), and the coverage headline:
    ``median_min`` (minutes from a household to its nearest service point in
    ``coverage.mode``) and ``share_far`` (beyond ``coverage.far_min`` or no way there).

    The headline is the one :func:`routeplan.pipeline.run_coverage` (``routeplan
    coverage``) puts first, read from the travel times the plan already computed
    rather than from a second run: the same figures (a test compares them), without
    the report's other mode, bands, hamlet table and what-ifs. When no volunteer of
    the area travels in ``coverage.mode`` the plan has no times in that mode: they are
    computed then, households to service points only (cached in ``cache_dir``). Both
    are ``None`` without service points, or when that matrix would be over
    ``network.matrix_memory_gb``.
    """
    settings = inputs.settings
    n_hh, n_vol = len(inputs.households), len(inputs.volunteers)
    need = math.ceil(n_hh / settings.planner.capacity)
    median, far = _headline(inputs, _times(inputs, cache_dir))
    return {
        "households": n_hh,
        "volunteers": n_vol,
        "assigned": len(result.assignment),
        "visits": result.visits,
        "rolled_over": len(result.rollover),
        "unassigned": len(result.unassigned),
        "volunteers_short": max(0, need - n_vol),
        "median_min": median,
        "share_far": far,
    }


def _times(inputs: Inputs, cache_dir: PathLike | None) -> Any:
    """Return travel times in ``coverage.mode`` covering households and service points.

    The plan's own when its volunteers travel in that mode; else households and service
    points only; ``None`` without service points or when that matrix is refused as too
    large (never another mode's times under this mode's name).
    """
    from ..errors import InputDataError
    from ..matrix import build_matrix, points_frame

    mode, sp = inputs.settings.coverage.mode, inputs.service_points
    if sp is None or len(sp) == 0:
        return None
    if mode in inputs.matrices:
        return inputs.matrices[mode]
    points = points_frame(inputs.households, None, sp)
    try:
        return build_matrix(
            inputs.network, points, mode=mode, settings=inputs.settings, cache_dir=cache_dir
        )
    except InputDataError as exc:  # over network.matrix_memory_gb: no headline, not a crash
        log.warning("no coverage headline in %s: %s", mode, exc)
        return None


def _headline(inputs: Inputs, m: Any) -> tuple[float | None, float | None]:
    """Median minutes from a household to its nearest service point; share beyond far_min."""
    import numpy as np

    from ..matrix import UNREACHABLE, service_point_id

    sp = inputs.service_points
    cov = inputs.settings.coverage
    if sp is None or len(sp) == 0 or m is None:
        return None, None
    sps = [str(p) for p in sp["point_id"]]
    blocks = getattr(m, "blocks", None) or (m,)
    owner = getattr(m, "owner", {})
    cols: list[dict[str, int]] = [{p: k for k, p in enumerate(b.ids)} for b in blocks]
    targets = [[c[p] for s in sps for p in (service_point_id(s), s) if p in c] for c in cols]
    best: list[float] = []
    for hid in (str(h) for h in inputs.households["household_id"]):
        b = owner.get(hid, 0) if len(blocks) > 1 else 0
        row = cols[b].get(hid)
        if row is None or not targets[b]:
            best.append(math.inf)
            continue
        t = int(np.asarray(blocks[b].seconds)[row, targets[b]].min())
        best.append(math.inf if t >= UNREACHABLE else t / 60)
    arr = np.asarray(best, dtype=np.float64)
    finite = arr[np.isfinite(arr)]
    median = round(float(np.median(finite)), 1) if len(finite) else None
    far = round(float(np.mean(~(arr <= cov.far_min))), 3) if len(arr) else None
    return median, far
