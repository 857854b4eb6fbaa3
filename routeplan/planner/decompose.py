"""A large area planned in groups: nearby volunteers and the households around them.

The solver's cost grows much faster than the register (about six-fold per doubling on
the demo network), while a volunteer only ever serves households near their home. So
a large problem is cut into *groups*:

1. :func:`~routeplan.planner.groups.make_groups` splits the volunteers' homes into
   compact groups of at most ``per_group`` nearby homes and gives each household to
   one of its nearest groups with a volunteer able to serve it (skills, hours,
   language), by one transport problem over the groups' capacities, so that no group
   gets more households than its volunteers can take (last week's volunteer's group
   keeps a household when possible). A household also *borders* the groups of its
   next nearest able homes.
2. Each group is planned on its own (:func:`~routeplan.planner.planning.plan_whole`):
   its volunteers, its households, and travel times between them only (a block of a
   :class:`~routeplan.matrix.blocked.BlockedMatrix`, or a slice of a dense matrix).
3. Across group borders: households a group could not serve (no room, or none of its
   volunteers can reach them in time) are offered to the bordering groups with room;
   a bordering group is planned again with them and the new plan kept when it serves
   more households without visiting fewer.

The cost is then about linear in the register (groups of even size), and no travel
time is ever computed between households no volunteer could serve together.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config import Settings
from ..matrix import find_home
from .groups import Groups, make_groups
from .problem import MatrixLike
from .result import Change, Plan, Unassigned

__all__ = [
    "DECOMPOSE_ABOVE",
    "Groups",
    "block_point_ids",
    "make_groups",
    "plan_in_groups",
    "wants_groups",
]

log = logging.getLogger(__name__)

DECOMPOSE_ABOVE = 2_000
"""Households above which :func:`routeplan.plan` plans in groups (at or below: one problem)."""

ProgressFn = Callable[[str, float], None]

_MIN_GROUP_S = 10.0  # the least time limit of one group's plan (seconds)

_RUNS: _GroupRuns | None = None  # the groups a pool of forked processes plans


def wants_groups(households: Any, matrices: Mapping[str, Any]) -> bool:
    """Whether :func:`routeplan.plan` should plan in groups (large, or blocked matrices)."""
    if any(hasattr(m, "blocks") for m in matrices.values()):
        return True
    return len(households) > DECOMPOSE_ABOVE


def block_point_ids(
    groups: Groups, households: Any, volunteers: Any, point_ids: Sequence[str], kinds: Sequence[str]
) -> tuple[list[list[str]], dict[str, int]]:
    """Return each group's matrix points and each point's own group.

    A group's block holds its households and those bordering it, its volunteers'
    homes and every service point; ``point_ids`` and ``kinds`` are the points frame's
    (:func:`routeplan.matrix.points_frame`).
    """
    hids = [str(h) for h in households["household_id"]]
    vids = [str(v) for v in volunteers["volunteer_id"]]
    present = set(point_ids)
    services = [p for p, k in zip(point_ids, kinds, strict=True) if k == "service_point"]
    owner: dict[str, int] = {}
    blocks: list[list[str]] = []
    for g in range(groups.n_groups):
        ids = [hids[h] for h in groups.block_households(g)]
        homes = [find_home(present, vids[v]) for v in groups.volunteers_of(g)]
        ids += [h for h in homes if h is not None] + services
        blocks.append(ids)
        for h in groups.households_of(g):
            owner[hids[h]] = g
        for home in homes:
            if home is not None:
                owner[home] = g
    for p in services:
        owner[p] = 0
    return blocks, owner


@dataclass(frozen=True)
class _Slice:
    """Part of a dense matrix, as the planner reads it (:class:`MatrixLike`)."""

    ids: tuple[str, ...]
    seconds: Any
    snaps: Any = None  # the whole matrix's snap report of these points (flags, daylight)
    unpaved: Any = None  # which of these trips use an unpaved way (daylight)

    def index(self, point_id: str) -> int:
        return self.ids.index(point_id)


def _group_matrices(
    matrices: Mapping[str, Any], groups: Groups, g: int, ids: list[str]
) -> dict[str, MatrixLike]:
    """Return the travel times group ``g`` is planned with, per mode."""
    out: dict[str, MatrixLike] = {}
    for mode, m in matrices.items():
        if hasattr(m, "blocks"):
            out[mode] = m.blocks[g]
            continue
        pos = {p: i for i, p in enumerate(m.ids)}
        keep = [p for p in ids if p in pos]
        rows = np.asarray([pos[p] for p in keep], dtype=np.intp)
        snaps = getattr(m, "snaps", None)
        part = None if snaps is None else snaps.reindex(keep)
        cut = np.ix_(rows, rows)
        trips = getattr(m, "unpaved", None)
        out[mode] = _Slice(
            tuple(keep),
            np.asarray(m.seconds)[cut],
            part,
            None if trips is None else np.asarray(trips)[cut],
        )
    return out


def _block_ids(
    groups: Groups, g: int, households: Any, volunteers: Any, matrices: Mapping[str, Any]
) -> list[str]:
    hids = [str(h) for h in households["household_id"]]
    vids = [str(v) for v in volunteers["volunteer_id"]]
    ids = [hids[h] for h in groups.block_households(g)]
    for m in matrices.values():
        present = set(m.ids)
        for v in groups.volunteers_of(g):
            home = find_home(present, vids[v])
            if home is not None and home not in ids:
                ids.append(home)
    return ids


def plan_in_groups(
    households: Any,
    volunteers: Any,
    matrices: Mapping[str, Any],
    *,
    settings: Settings | None = None,
    previous: Mapping[str, str] | None = None,
    week_start: dt.date | None = None,
    progress: ProgressFn | None = None,
    groups: Groups | None = None,
) -> Plan:
    """Plan a large area group by group, then across the groups' borders.

    Takes what :func:`routeplan.plan` takes (``matrices`` dense or
    :class:`~routeplan.matrix.blocked.BlockedMatrix`) and returns one :class:`Plan`;
    every group's plan is checked against every hard rule. ``plan.stats["groups"]``
    says how many groups, and ``plan.stats["border"]`` what the border step did.
    """
    settings = settings or Settings()
    previous = dict(previous or {})
    if groups is None:
        groups = _groups_of(households, volunteers, matrices, previous, settings)
    runs = _GroupRuns(households, volunteers, matrices, settings, previous, week_start, groups)
    n = groups.n_groups
    if progress is not None:
        progress(f"planning {n} groups ({runs.workers} at a time)", 0.0)
    runs.first()
    if progress is not None:
        progress("improving across the groups' borders", n / (n + 1))
    border = runs.across_borders()
    result = runs.merged()
    result.changes += _gone(previous, households, settings)
    result.stats.update({"groups": n, "border": border})
    return result


def _groups_of(
    households: Any,
    volunteers: Any,
    matrices: Mapping[str, Any],
    previous: Mapping[str, str],
    settings: Settings,
) -> Groups:
    """Return the groups of blocked matrices (their owners), else new ones."""
    blocked = next((m for m in matrices.values() if hasattr(m, "blocks")), None)
    if blocked is None:
        return make_groups(households, volunteers, previous=previous, settings=settings)
    present = set(blocked.ids)
    vgroup = np.array(
        [
            blocked.owner.get(find_home(present, str(v)) or "", 0)
            for v in volunteers["volunteer_id"]
        ],
        dtype=np.int64,
    )
    hgroup = np.array(
        [blocked.owner.get(str(h), 0) for h in households["household_id"]], dtype=np.int64
    )
    hids = [str(h) for h in households["household_id"]]
    vpos = {str(v): i for i, v in enumerate(volunteers["volunteer_id"])}
    for h, hid in enumerate(hids):  # last week's volunteer keeps a household in reach
        old = previous.get(hid)
        if old in vpos and int(vgroup[vpos[old]]) in blocked.blocks_of(hid):
            hgroup[h] = vgroup[vpos[old]]
    borders = tuple(
        tuple(b for b in blocked.blocks_of(hid) if b != hgroup[h]) for h, hid in enumerate(hids)
    )
    return Groups(vgroup, hgroup, borders)


def _plan_in_child(job: tuple[int, list[int]]) -> Plan:
    """Plan one group in a forked process (the groups are in ``_RUNS``), serially."""
    assert _RUNS is not None
    g, rows = job
    return _RUNS._plan(g, rows, serial=True)


class _GroupRuns:
    """The groups' plans as they are made and improved."""

    def __init__(
        self,
        households: Any,
        volunteers: Any,
        matrices: Mapping[str, Any],
        settings: Settings,
        previous: Mapping[str, str],
        week_start: dt.date | None,
        groups: Groups,
    ) -> None:
        self.households, self.volunteers, self.matrices = households, volunteers, matrices
        self.settings, self.previous, self.week_start = settings, previous, week_start
        self.groups = groups
        self.hids = [str(h) for h in households["household_id"]]
        self.members: dict[int, list[int]] = {
            g: groups.households_of(g).tolist() for g in range(groups.n_groups)
        }
        self.plans: dict[int, Plan] = {}

    @property
    def workers(self) -> int:
        """Groups planned at the same time: one per core (``planner.workers``), each serial.

        Processes are forked (the groups' data is shared, not copied); where that is
        not possible (no fork, or inside a daemon process such as a Dask worker) the
        groups are planned one after the other, each on the cores.
        """
        import multiprocessing
        import os

        if multiprocessing.current_process().daemon:
            return 1
        if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover
            return 1
        setting = self.settings.planner.workers
        if setting > 0:
            return setting
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # pragma: no cover - not Linux
            return max(1, os.cpu_count() or 1)

    def plan_many(self, jobs: list[tuple[int, list[int]]]) -> list[Plan]:
        """Plan each ``(group, household rows)`` job; in parallel when there are cores."""
        global _RUNS
        workers = min(self.workers, len(jobs))
        if workers <= 1:
            return [self._plan(g, rows) for g, rows in jobs]
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _RUNS = self  # inherited by the forked processes: nothing large is pickled
        try:
            ctx = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
                return list(pool.map(_plan_in_child, jobs))
        finally:
            _RUNS = None

    def _plan(self, g: int, rows: list[int], *, serial: bool = False) -> Plan:
        from .planning import plan_whole

        hh = self.households.iloc[sorted(rows)]
        vol = self.volunteers.iloc[self.groups.volunteers_of(g)]
        ids = _block_ids(self.groups, g, self.households, self.volunteers, self.matrices)
        mats = _group_matrices(self.matrices, self.groups, g, ids)
        here = set(hh["household_id"])
        prev = {h: v for h, v in self.previous.items() if h in here}
        settings = self._share(len(vol), serial=serial)
        return plan_whole(
            hh, vol, mats, settings=settings, previous=prev, week_start=self.week_start
        )

    def _share(self, n_volunteers: int, *, serial: bool = False) -> Settings:
        """Return the settings of a group of ``n_volunteers``: its share of the time limit.

        ``planner.time_limit_s`` bounds the whole plan, so a group gets the part of it
        its volunteers are of all (at least ``_MIN_GROUP_S``). Like the limit itself,
        this is a safety net: the solver stops on its counts first.
        """
        import dataclasses

        ps = self.settings.planner
        share = ps.time_limit_s * n_volunteers / max(1, len(self.volunteers))
        limit = max(min(_MIN_GROUP_S, ps.time_limit_s), share)
        workers = 1 if serial else ps.workers
        return dataclasses.replace(
            self.settings,
            planner=dataclasses.replace(ps, time_limit_s=limit, workers=workers),
        )

    def first(self) -> None:
        """Plan every group with its own households."""
        jobs = [(g, self.members[g]) for g in sorted(self.members) if self.members[g]]
        for (g, _), p in zip(jobs, self.plan_many(jobs), strict=True):
            self.plans[g] = p

    def across_borders(self, rounds: int = 2) -> dict[str, int]:
        """Offer each group's left-out households to the bordering groups with room.

        Round ``r`` offers a household to its ``r``-th bordering group (nearest first).
        """
        hpos = {h: i for i, h in enumerate(self.hids)}
        stats = {"offered": 0, "moved": 0, "replanned": 0}
        tried: dict[int, set[int]] = {}
        for _ in range(rounds):
            offers: dict[int, list[int]] = {}
            for _g, p in sorted(self.plans.items()):
                for u in p.unassigned:
                    h = hpos[u.household_id]
                    seen = tried.setdefault(h, set())
                    left = [b for b in self.groups.borders[h] if b not in seen]
                    if left:
                        offers.setdefault(left[0], []).append(h)
                        seen.add(left[0])
            if not offers:
                break
            room = self._room()
            batch = [(b, rows[: max(0, room[b])]) for b, rows in sorted(offers.items())]
            batch = [(b, rows) for b, rows in batch if rows]
            new = self.plan_many([(b, self.members[b] + rows) for b, rows in batch])
            for (b, rows), plan in zip(batch, new, strict=True):
                stats["offered"] += len(rows)
                stats["replanned"] += 1
                stats["moved"] += self._accept(b, rows, plan)
        return stats

    def _room(self) -> dict[int, int]:
        """Households each group could still take (capacity left)."""
        room: dict[int, int] = {}
        default = self.settings.planner.capacity
        caps = self.volunteers.get("capacity")
        for g in range(self.groups.n_groups):
            vols = self.groups.volunteers_of(g)
            total = sum(default if caps is None else int(caps.iloc[v]) for v in vols)
            p = self.plans.get(g)
            room[g] = total - (len(p.assignment) if p is not None else 0)
        return room

    def _accept(self, b: int, rows: list[int], new: Plan) -> int:
        """Keep group ``b``'s plan ``new`` (with ``rows`` added) if it serves more."""
        old = self.plans.get(b)
        own = {self.hids[h] for h in self.members[b]}
        old_served = len(old.assignment) if old is not None else 0
        old_visits = old.visits if old is not None else 0
        kept_own = sum(1 for h in own if h in new.assignment) >= old_served
        taken = [h for h in rows if self.hids[h] in new.assignment]
        if not taken or new.visits < old_visits or not kept_own:
            return 0
        taken_ids = {self.hids[h] for h in taken}
        offered = {self.hids[h] for h in rows}
        new.unassigned = [u for u in new.unassigned if u.household_id not in offered]
        self.plans[b] = new
        self.members[b] = self.members[b] + taken
        for h in taken:
            g = int(self.groups.household_group[h])
            self.members[g] = [x for x in self.members[g] if x != h]
            p = self.plans[g]
            p.unassigned = [u for u in p.unassigned if u.household_id not in taken_ids]
        return len(taken)

    def merged(self) -> Plan:
        """One plan of every group."""
        routes, assignment = [], {}
        unassigned: list[Unassigned] = []
        rollover: list[Unassigned] = []
        changes: list[Change] = []
        stats: dict[str, Any] = {"time_s": {}, "hit_time_limit": False}
        for g in sorted(self.plans):
            p = self.plans[g]
            routes += p.routes
            assignment.update(p.assignment)
            unassigned += p.unassigned
            rollover += p.rollover
            changes += p.changes
            stats["hit_time_limit"] = bool(stats["hit_time_limit"] or p.stats.get("hit_time_limit"))
            for key, value in p.stats.get("time_s", {}).items():
                stats["time_s"][key] = round(stats["time_s"].get(key, 0.0) + value, 2)
        order = {h: i for i, h in enumerate(self.hids)}
        result = Plan(
            routes=sorted(routes, key=lambda r: (r.volunteer_id, r.day, r.start_s)),
            assignment=assignment,
            unassigned=sorted(unassigned, key=lambda u: order.get(u.household_id, 0)),
            rollover=sorted(rollover, key=lambda u: u.household_id),
            changes=sorted(changes, key=lambda c: c.household_id),
            week_start=self.week_start,
        )
        result.stats.update(stats)
        result.stats.update({"travel_s": result.travel_s, "workload_s": result.workload_s()})
        return result


def _gone(previous: Mapping[str, str], households: Any, settings: Settings) -> list[Change]:
    """Return the changes of last week's households no longer in the register."""
    from .._labels import label

    present = {str(h) for h in households["household_id"]}
    text = label("change_household_gone", settings.output.language)
    return [
        Change(hid, old, None, text.format(hid=hid), "household_gone")
        for hid, old in sorted(previous.items())
        if hid not in present
    ]
