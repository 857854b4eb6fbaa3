"""Last week's plan: read its ``assignment.csv`` and say what changed since, and why.

:func:`read_previous` reads a previous run's assignment; :func:`changes_since` lists
every household that moved to another volunteer, with a reason a coordinator can act on.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import InputDataError, Problem
from ..timewindows import slug
from .result import Change

if TYPE_CHECKING:  # pragma: no cover
    from .problem import RoutingProblem

__all__ = ["changes_since", "read_previous"]


def read_previous(path: Any) -> dict[str, str]:
    """Read an ``assignment.csv`` written by a previous run into ``{household: volunteer}``.

    Read with :func:`routeplan.registers.read_cells`, like the registers: a file
    opened in Excel and saved again (``;``-separated, another encoding) reads the
    same, and ids that routeplan wrote with a protecting apostrophe (``'=HB-1``)
    come back as they were (``=HB-1``). Rows with an empty ``volunteer_id``
    (unassigned households) are skipped.

    Raises
    ------
    InputDataError
        If the file cannot be read or lacks the ``household_id`` or ``volunteer_id``
        column.

    """
    from ..registers import read_cells

    name = str(path)
    fix = "give the assignment.csv a previous plan wrote (routeplan plan --out DIR)"
    cells, problems = read_cells(path, {"household_id": (), "volunteer_id": ()})
    errors = [dataclasses.replace(p, fix=fix) if not p.fix else p for p in problems]
    if cells is None or any(p.severity == "error" for p in errors):
        raise InputDataError(errors or [Problem("cannot read the file", fix, file=name)])
    header = [slug(c) for c in cells[0]] if cells else []
    missing = [c for c in ("household_id", "volunteer_id") if c not in header]
    if missing:
        raise InputDataError([Problem(f"missing column(s) {', '.join(missing)}", fix, file=name)])
    h, v = header.index("household_id"), header.index("volunteer_id")
    out: dict[str, str] = {}
    for row in cells[1:]:
        row = row + [""] * (len(header) - len(row))
        if row[v].strip():
            out[row[h].strip()] = row[v].strip()
    return out


def changes_since(problem: RoutingProblem, assignment: Mapping[str, str]) -> list[Change]:
    """Return every household of ``problem.previous`` whose volunteer is not the same now.

    Each :class:`~routeplan.planner.Change` says why (in ``settings.output.language``):
    the household or the old volunteer is gone, the old volunteer can no longer serve
    it or has more keepable households than capacity, or the plan rebalanced it.
    """
    hidx = {hid: i for i, hid in enumerate(problem.household_ids)}
    vidx = {vid: i for i, vid in enumerate(problem.volunteer_ids)}
    text = problem.reason_text
    # how many of last week's households each volunteer could still keep
    keepable: Counter[str] = Counter()
    for hid, old in problem.previous.items():
        if hid in hidx and old in vidx and problem.why_not(hidx[hid], vidx[old]) is None:
            keepable[old] += 1
    out: list[Change] = []
    for hid, old in sorted(problem.previous.items()):
        new = assignment.get(hid)
        if new == old:
            continue
        if hid not in hidx:
            out.append(
                Change(hid, old, None, text("change_household_gone", hid=hid), "household_gone")
            )
            continue
        if old not in vidx:
            out.append(
                Change(hid, old, new, text("change_volunteer_gone", old=old), "volunteer_gone")
            )
            continue
        why = problem.why_not(hidx[hid], vidx[old])
        if why is not None:
            out.append(Change(hid, old, new, why[1], why[0]))
            continue
        cap = int(problem.capacity[vidx[old]])
        if keepable[old] > cap:
            out.append(
                Change(
                    hid,
                    old,
                    new,
                    text("change_capacity", old=old, cap=cap, had=keepable[old]),
                    "capacity",
                )
            )
            continue
        out.append(
            Change(
                hid,
                old,
                new,
                text("change_rebalanced", old=old, new=new or text("another_volunteer")),
                "rebalanced",
            )
        )
    return out
