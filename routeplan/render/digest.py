"""What each volunteer's own files are made from, hashed: to write only what changed.

A volunteer's phone page, route sheet and GPX file show their rounds, their
households' and their own register rows, and things every file shares (settings, the
week, the road network, the volunteers' order, which sets the marker styles).
:func:`volunteer_digests` hashes exactly that, one digest per volunteer; two plans whose
digests of a volunteer are equal give that volunteer the same files, so after a
re-plan only the volunteers whose digest changed need their files written again
(:func:`routeplan.pipeline.write_outputs` keeps the digests beside the files).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from .bundle import PlanBundle

__all__ = ["volunteer_digests"]


def _text(value: Any) -> str:
    """Return ``value`` as stable text (a geometry as its WKB, exact to the bit)."""
    wkb = getattr(value, "wkb_hex", None)
    if isinstance(wkb, str):
        return wkb
    if isinstance(value, dict):
        return "{" + ",".join(f"{k!r}:{_text(v)}" for k, v in sorted(value.items())) + "}"
    return repr(value)


def _snaps(snaps: dict[str, dict[str, Any]], hids: Iterable[str]) -> str:
    """Return the matrices' snaps of ``hids`` (the walk to a far household is drawn)."""
    parts = []
    for mode, rows in sorted(snaps.items()):
        parts += [f"{mode}:{hid}:{_text(rows[hid])}" for hid in hids if hid in rows]
    return "|".join(parts)


def volunteer_digests(bundle: PlanBundle, *, shared: str = "") -> dict[str, str]:
    """Return a SHA-256 of what each volunteer's own files show, by volunteer id.

    Parameters
    ----------
    bundle
        The plan with its registers.
    shared
        What else every file depends on that the bundle does not hold (the road
        network's fingerprint, the version writing the files).

    """
    plan = bundle.plan
    common = "\n".join(
        [
            shared,
            repr(bundle.settings),
            repr(plan.week_start),
            repr(list(bundle.volunteers)),
            _text([_text(p) for p in bundle.service_points]),
        ]
    )
    assigned: dict[str, set[str]] = {}
    for hid, vid in plan.assignment.items():
        assigned.setdefault(vid, set()).add(hid)
    later: dict[str, list[str]] = {}  # in the plan's order, as the phone page lists them
    for u in plan.rollover:
        later.setdefault(plan.assignment.get(u.household_id, ""), []).append(repr(u))
    flags = {f.household_id: repr(f) for f in plan.flags}
    snaps = {  # read once: a row at a time is slow
        mode: frame.to_dict("index")
        for mode, matrix in bundle.matrices.items()
        if (frame := getattr(matrix, "snaps", None)) is not None
    }
    out = {}
    for vid, record in bundle.volunteers.items():
        routes = bundle.routes_of(vid)
        hids = sorted(assigned.get(vid, set()) | {s.household_id for r in routes for s in r.stops})
        parts = [
            common,
            _text(record),
            repr(routes),
            repr(later.get(vid, [])),
            repr([flags.get(h) for h in hids]),
            *(_text(bundle.households.get(h)) for h in hids),
            _snaps(snaps, hids),
        ]
        out[vid] = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return out
