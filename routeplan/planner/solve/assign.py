"""Step 1: who looks after whom, as one exact min-cost flow (OR-Tools graph).

The "1+20" capacity, skills, language, stability and priority all become arc costs and
arc bounds of one network problem (:func:`assign_households`); :func:`solve_flow` solves
it, optionally with per-volunteer limits on priority households (used by the priority
rescue).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from ._costs import PRIORITY_OVER_S, STAY_S, UNASSIGNED_PRIORITY_S, UNASSIGNED_S

if TYPE_CHECKING:  # pragma: no cover
    from ..problem import RoutingProblem

__all__ = [
    "Arcs",
    "assign_households",
    "count_splits",
    "keep_neighbours_together",
    "neighbour_lists",
    "solve_flow",
]


@dataclass(frozen=True)
class Arcs:
    """The household -> volunteer arcs of the assignment flow and their costs."""

    hh: NDArray[np.int64]
    vv: NDArray[np.int64]
    cost: NDArray[np.int64]


def assign_households(problem: RoutingProblem) -> tuple[NDArray[np.int64], Arcs]:
    """Step 1: give households to volunteers by an exact min-cost flow.

    Source -> household (1) -> eligible volunteer (cost) -> sink (capacity); a
    household may instead go to an "unassigned" node at a cost far above any other, so
    the most households (priority ones first) are covered. The cost of a pair is the
    round trip from the volunteer's home, then (two more passes) half that plus the
    round trip from the medoid of the volunteer's current households, which favours
    compact groups; plus the language penalty and minus the stability bonus.
    Returns the assignment (volunteer per household, -1 for none) and the arcs of the
    last pass (for :func:`~routeplan.planner.solve.rescue.rescue_priority`).
    """
    H, V = problem.n_households, problem.n_volunteers
    ps = problem.settings.planner
    home_rt = np.zeros((H, V), dtype=np.float64)
    for v in range(V):
        t = problem.travel_of(v)
        home_rt[:, v] = t[H + v, :H] + t[:H, H + v]
    extra = np.where(problem.language_ok, 0, ps.language_penalty_s).astype(np.float64)
    stay = _stay_bonus(problem)
    hh, vv = np.nonzero(problem.eligible)
    assign = np.full(H, -1, dtype=np.int64)
    cost = home_rt
    for rnd in range(3):
        if rnd > 0:
            cost = 0.5 * home_rt + _medoid_round_trips(problem, assign, home_rt)
        total = cost + extra + stay + STAY_S
        arc_cost = np.rint(np.minimum(total[hh, vv], 1e9)).astype(np.int64)
        assign = solve_flow(problem, hh, vv, arc_cost)
    return assign, Arcs(hh, vv, arc_cost)


def _stay_bonus(problem: RoutingProblem) -> NDArray[np.float64]:
    """(H, V): ``-STAY_S`` for each household's volunteer of last week, else 0."""
    H, V = problem.n_households, problem.n_volunteers
    prev_v = np.full(H, -1, dtype=np.int64)
    vidx = {vid: i for i, vid in enumerate(problem.volunteer_ids)}
    for h, hid in enumerate(problem.household_ids):
        old = problem.previous.get(hid)
        if old in vidx:
            prev_v[h] = vidx[old]
    stay = np.zeros((H, V), dtype=np.float64)
    has_prev = prev_v >= 0
    stay[np.flatnonzero(has_prev), prev_v[has_prev]] = -STAY_S
    return stay


def _medoid_round_trips(
    problem: RoutingProblem, assign: NDArray[np.int64], home_rt: NDArray[np.float64]
) -> NDArray[np.float64]:
    """(H, V): round trip from the medoid of each volunteer's households (home if none)."""
    H, V = problem.n_households, problem.n_volunteers
    med_rt = np.zeros((H, V), dtype=np.float64)
    for v in range(V):
        members = np.flatnonzero(assign == v)
        t = problem.travel_of(v)
        if len(members) == 0:
            med_rt[:, v] = home_rt[:, v]
            continue
        sub = t[np.ix_(members, members)].astype(np.float64)
        m = members[int(np.argmin((sub + sub.T).sum(axis=1)))]
        med_rt[:, v] = t[m, :H] + t[:H, m]
    return med_rt


def solve_flow(
    problem: RoutingProblem,
    hh: NDArray[np.int64],
    vv: NDArray[np.int64],
    arc_cost: NDArray[np.int64],
    *,
    priority_cap: NDArray[np.int64] | None = None,
) -> NDArray[np.int64]:
    """Solve the assignment flow; return the volunteer of each household (-1: none).

    Nodes: source, households, volunteers, "unassigned", sink. With ``priority_cap``
    (per volunteer, -1 = no limit) a limited volunteer's priority households pass
    through a node of their own: up to the cap for free, beyond it at
    ``PRIORITY_OVER_S`` each (what rolling over a priority visit instead of an
    ordinary one costs in the rounds), so the flow gives the rest to volunteers with
    spare hours and, where that takes a chain of exchanges, finds the cheapest chain.
    """
    H = problem.n_households
    src, sink = 0, H + problem.n_volunteers + 2
    starts, ends, caps, costs, n_nodes = _network(problem, hh, vv, arc_cost, priority_cap)
    mcf = min_cost_flow.SimpleMinCostFlow()
    arcs = mcf.add_arcs_with_capacity_and_unit_cost(starts, ends, caps, costs)
    supplies = np.zeros(n_nodes, dtype=np.int64)
    supplies[src], supplies[sink] = H, -H
    mcf.set_nodes_supplies(np.arange(n_nodes), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:  # pragma: no cover - the network always has a solution
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flows = mcf.flows(arcs)
    assign = np.full(H, -1, dtype=np.int64)
    used = flows[H : H + len(hh)] > 0
    assign[hh[used]] = vv[used]
    return assign


def _network(
    problem: RoutingProblem,
    hh: NDArray[np.int64],
    vv: NDArray[np.int64],
    arc_cost: NDArray[np.int64],
    priority_cap: NDArray[np.int64] | None,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], int]:
    """Return the flow network's arcs (starts, ends, capacities, costs) and node count."""
    H, V = problem.n_households, problem.n_volunteers
    drop, sink = H + V + 1, H + V + 2
    limited = (
        np.flatnonzero(priority_cap >= 0) if priority_cap is not None else np.zeros(0, np.int64)
    )
    pnode = np.full(V, -1, dtype=np.int64)
    pnode[limited] = H + V + 3 + np.arange(len(limited))
    to_v = H + 1 + vv
    if len(limited):
        via = problem.priority[hh] & (pnode[vv] >= 0)
        to_v = np.where(via, pnode[vv], to_v)
    n_nodes = H + V + 3 + len(limited)
    starts = np.concatenate(
        [
            np.zeros(H, dtype=np.int64),
            1 + hh,
            1 + np.arange(H),
            H + 1 + np.arange(V),
            [drop],
            pnode[limited],
            pnode[limited],
        ]
    )
    ends = np.concatenate(
        [
            1 + np.arange(H),
            to_v,
            np.full(H, drop),
            np.full(V, sink),
            [sink],
            H + 1 + limited,
            H + 1 + limited,
        ]
    )
    caps = np.concatenate(
        [
            np.ones(H, dtype=np.int64),
            np.ones(len(hh), dtype=np.int64),
            np.ones(H, dtype=np.int64),
            problem.capacity.astype(np.int64),
            [H],
            priority_cap[limited] if priority_cap is not None else np.zeros(0, np.int64),
            np.full(len(limited), H, dtype=np.int64),
        ]
    )
    drop_cost = np.where(problem.priority, UNASSIGNED_PRIORITY_S, UNASSIGNED_S)
    costs = np.concatenate(
        [
            np.zeros(H, dtype=np.int64),
            arc_cost,
            drop_cost.astype(np.int64),
            np.zeros(V + 1, dtype=np.int64),
            np.zeros(len(limited), dtype=np.int64),
            np.full(len(limited), PRIORITY_OVER_S, dtype=np.int64),
        ]
    )
    return starts, ends, caps, costs, n_nodes


def neighbour_lists(problem: RoutingProblem) -> dict[int, list[int]]:
    """Return each household's neighbours (closer than ``planner.neighbour_m``)."""
    near: dict[int, list[int]] = {}
    for a, b in problem.neighbours:
        near.setdefault(int(a), []).append(int(b))
        near.setdefault(int(b), []).append(int(a))
    return near


def count_splits(problem: RoutingProblem, assign: NDArray[np.int64]) -> tuple[int, int]:
    """Return neighbour pairs given to two volunteers, and how many of them could be joined.

    A split could be joined when either household may go to the other's volunteer
    (eligible: reach, skills, hours; and speaks its language, or it has none).
    """
    if len(problem.neighbours) == 0:
        return 0, 0
    a, b = problem.neighbours[:, 0], problem.neighbours[:, 1]
    va, vb = assign[a], assign[b]
    split = (va >= 0) & (vb >= 0) & (va != vb)
    ok = problem.eligible & problem.language_ok
    joinable = split & (ok[a, np.where(vb >= 0, vb, 0)] | ok[b, np.where(va >= 0, va, 0)])
    return int(split.sum()), int(joinable.sum())


def keep_neighbours_together(
    problem: RoutingProblem, assign: NDArray[np.int64], *, passes: int = 5
) -> NDArray[np.int64]:
    """Move households to the volunteer of most of their neighbours, where that is allowed.

    A household moves when more of its neighbours are with another volunteer than with
    its own and that volunteer may serve it (eligible, and speaks its language if its
    own volunteer does). A full volunteer gives back the household whose move the
    other way splits fewest neighbours (then: the nearest to the other's home).
    Households kept with last week's volunteer stay.
    """
    near = neighbour_lists(problem)
    if not near:
        return assign
    j = _Join.start(problem, assign, near)
    for _ in range(passes):
        if not sum(j.join(h) for h in sorted(near)):
            break
    return j.assign


@dataclass
class _Join:
    """State of :func:`keep_neighbours_together`."""

    problem: RoutingProblem
    assign: NDArray[np.int64]
    near: dict[int, list[int]]
    load: NDArray[np.int64]
    fixed: NDArray[np.bool_]  # kept with last week's volunteer
    ok: NDArray[np.bool_]  # (H, V) may serve: eligible and language where it matters

    @classmethod
    def start(
        cls, problem: RoutingProblem, assign: NDArray[np.int64], near: dict[int, list[int]]
    ) -> _Join:
        """Return the state before the first pass (``assign`` is copied)."""
        assign = assign.copy()
        V = problem.n_volunteers
        vidx = {vid: i for i, vid in enumerate(problem.volunteer_ids)}
        prev = np.array(
            [vidx.get(problem.previous.get(hid, ""), -1) for hid in problem.household_ids],
            dtype=np.int64,
        )
        fixed = (prev >= 0) & (prev == assign)
        has_lang = np.array([bool(x) for x in problem.language], dtype=bool)
        ok = problem.eligible & (problem.language_ok | ~has_lang[:, None])
        load = np.bincount(assign[assign >= 0], minlength=V)
        return cls(problem, assign, near, load.astype(np.int64), fixed, ok)

    def apart(self, h: int, v: int) -> int:
        """Neighbours of ``h`` not with volunteer ``v``."""
        return sum(1 for y in self.near.get(h, ()) if self.assign[y] != v)

    def join(self, h: int) -> int:
        """Move ``h`` to most of its neighbours' volunteer if that splits fewer; 1 if moved."""
        assign, problem = self.assign, self.problem
        u = int(assign[h])
        if u < 0 or self.fixed[h]:
            return 0
        votes = np.bincount(
            [int(assign[y]) for y in self.near[h] if assign[y] >= 0],
            minlength=problem.n_volunteers,
        )
        w = int(np.argmax(votes))
        if w == u or votes[w] <= votes[u] or not self.ok[h, w]:
            return 0
        if problem.language_ok[h, u] and not problem.language_ok[h, w]:
            return 0
        gain = self.apart(h, u) - self.apart(h, w)
        if self.load[w] < problem.capacity[w]:
            assign[h] = w
            self.load[u] -= 1
            self.load[w] += 1
            return 1
        best: tuple[int, float, int] | None = None
        t = problem.travel_of(u)
        home = problem.n_households + u
        for x in (int(y) for y in np.flatnonzero(assign == w)):
            if self.fixed[x] or not self.ok[x, u] or x in self.near[h]:
                continue
            delta = self.apart(x, u) - self.apart(x, w)
            if delta >= gain:
                continue
            key = (delta, float(t[home, x]) + float(t[x, home]), x)
            if best is None or key < best:
                best = key
        if best is None:
            return 0
        assign[h], assign[best[2]] = w, u
        return 1
