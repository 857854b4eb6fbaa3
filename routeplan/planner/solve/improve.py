"""Step 3: move or swap households between neighbouring volunteers while it pays.

Candidates are ranked by an insertion estimate (:func:`removal_gain`,
:func:`insertion_costs`); the best ones touching distinct volunteers are re-planned
together (in parallel) and kept only if the two volunteers' rounds really cost less
(travel, drop penalties, language and the balance term). The loop stops on its budget
(:class:`ImproveOptions`): rounds and moves tried, the deadline being a safety net.
With ``planner.travel_spread_weight`` it ends with the fair-travel exchanges of
:mod:`.exchange` (whole rounds of long riders to volunteers living nearer).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ._costs import DROP_PRIORITY_S, DROP_S, NEIGHBOUR_SPLIT_S
from .assign import neighbour_lists
from .exchange import Exchange, Standing, splits, spread_exchanges
from .route import Sub, SubResult, make_sub, route_volunteer

if TYPE_CHECKING:  # pragma: no cover
    from ..problem import RoutingProblem

__all__ = ["ImproveOptions", "improve", "insertion_costs", "removal_gain", "spread_cost"]

Move = tuple[float, int, int, int]
"""``(estimated change of cost, household, new volunteer, household swapped back or -1)``."""
_Trial = tuple[int, int, int, int, list[int], list[int]]
"""``(h, u, v, h2, u's households after, v's households after)`` of a move being tried."""
SPREAD_PASSES = 4
"""Batches of fair-travel exchanges at the end of the improvement, at most."""


@dataclass(frozen=True)
class ImproveOptions:
    """The improvement's budget and how it re-plans.

    Attributes
    ----------
    deadline
        ``time.time()`` past which no round starts and every re-plan stops.
    rounds
        Rounds at most (``planner.improve_rounds``).
    moves
        Moves tried at most.
    solutions
        Solution limit of each re-planned week.
    time_limit_s
        Time limit of each re-planned week (a safety net).
    batch
        Moves re-planned together in a round.
    workers
        Worker processes of the pool.
    sub_seconds
        Estimated seconds one re-plan takes (updated from each round's re-plans).

    """

    deadline: float
    rounds: int
    moves: int
    solutions: int
    time_limit_s: float
    batch: int
    workers: int
    sub_seconds: float


def removal_gain(problem: RoutingProblem, res: SubResult, H: int) -> dict[int, float]:
    """Travel saved by taking each household out of its rounds (penalty if dropped)."""
    t = problem.travel_of(res.v)
    home = H + res.v
    gain: dict[int, float] = {}
    for _, _, _, stops in res.rounds:
        seq = [home, *(h for h, _ in stops), home]
        for i in range(1, len(seq) - 1):
            a, h, b = seq[i - 1], seq[i], seq[i + 1]
            gain[h] = float(t[a, h] + t[h, b] - t[a, b])
    for h in res.dropped:
        gain[h] = float(DROP_PRIORITY_S if problem.priority[h] else DROP_S)
    return gain


def insertion_costs(problem: RoutingProblem, res: SubResult, H: int) -> NDArray[np.float64]:
    """Cheapest insertion of every household into volunteer ``res.v``'s rounds (travel)."""
    v = res.v
    t = problem.travel_of(v).astype(np.float64)
    home = H + v
    a_list: list[int] = []
    b_list: list[int] = []
    for _, _, _, stops in res.rounds:
        seq = [home, *(h for h, _ in stops), home]
        a_list += seq[:-1]
        b_list += seq[1:]
    if len(res.rounds) < len(problem.shifts[v]):
        a_list.append(home)
        b_list.append(home)
    a = np.array(a_list)
    b = np.array(b_list)
    ins = t[a][:, :H] + t[:H, b].T - t[a, b][:, None]
    return np.asarray(ins.min(axis=0), dtype=np.float64)


def _balance(problem: RoutingProblem, results: dict[int, SubResult], target: float) -> float:
    bw = problem.settings.planner.balance_weight
    if bw <= 0:
        return 0.0
    return bw * sum(max(0.0, r.travel_s + r.service_s - target) for r in results.values())


def _spread(problem: RoutingProblem, results: dict[int, SubResult], median: float) -> float:
    """Return the fair-travel term of ``results``: :func:`spread_cost` summed."""
    tw = problem.settings.planner.travel_spread_weight
    if tw <= 0:
        return 0.0
    return sum(spread_cost(tw, r.travel_s, median) for r in results.values())


def spread_cost(weight: float, travel_s: float, median_s: float) -> float:
    """Seconds the fair-travel term charges for ``travel_s`` of weekly travel.

    ``weight`` x (hours above the median volunteer's travel) squared, in hours: a ride
    that puts a volunteer 1 h above the median costs ``weight`` h more, 2 h above,
    ``4 * weight`` h. Squared, so that among volunteers far above the median the
    longest rides go first (a linear term would not tell them apart).
    """
    above = max(0.0, travel_s - median_s)
    return weight * above * above / 3600.0


def improve(
    problem: RoutingProblem,
    assign: NDArray[np.int64],
    results: dict[int, SubResult],
    pool: Executor,
    options: ImproveOptions,
    report: Callable[[str, float], None],
) -> tuple[NDArray[np.int64], dict[int, SubResult], dict[str, int]]:
    """Step 3: move or swap households between neighbouring volunteers while it pays.

    Returns the new assignment, the volunteers' rounds (``results``, updated in place)
    and figures: ``rounds``, ``tried``, ``accepted`` and ``cut_by_time``.
    """
    state = _State.start(problem, assign, results, options)
    stats = state.stats
    for rnd in range(options.rounds):
        if stats["tried"] >= options.moves:
            break
        if time.time() >= options.deadline:
            stats["cut_by_time"] = 1
            break
        stats["rounds"] += 1
        chosen = state.choose(_candidates(problem, state))
        if not chosen:
            break
        chosen = state.fit_in_time(chosen)
        if not chosen:
            break
        report(
            f"improving: round {rnd + 1}, trying {len(chosen)} moves",
            0.6 + 0.35 * min(1.0, stats["tried"] / max(1, options.moves)),
        )
        state.try_moves(chosen, pool)
    state.try_round_moves(pool)
    return state.assign, state.results, stats


@dataclass
class _State:
    """What the improvement loop knows between rounds."""

    problem: RoutingProblem
    options: ImproveOptions
    assign: NDArray[np.int64]
    results: dict[int, SubResult]
    lang_cost: NDArray[np.float64]  # (H, V) language penalty of each pair
    pinned: NDArray[np.bool_]  # households kept with last week's volunteer
    target: float  # mean weekly work, for the balance term
    median_travel: float  # the median volunteer's weekly travel, for the fair-travel term
    sub_seconds: float
    version: NDArray[np.int64]  # per volunteer: how often its households changed
    near: dict[int, list[int]]  # neighbours of each household (planner.neighbour_m)
    tried: dict[tuple[int, int, int], tuple[int, int]] = field(default_factory=dict)
    stats: dict[str, int] = field(
        default_factory=lambda: {"rounds": 0, "tried": 0, "accepted": 0, "cut_by_time": 0}
    )

    @classmethod
    def start(
        cls,
        problem: RoutingProblem,
        assign: NDArray[np.int64],
        results: dict[int, SubResult],
        options: ImproveOptions,
    ) -> _State:
        """Return the state before the first round (``assign`` is copied, ``results`` is not)."""
        H, V = problem.n_households, problem.n_volunteers
        ps = problem.settings.planner
        assign = assign.copy()
        lang_cost = np.where(problem.language_ok, 0.0, float(ps.language_penalty_s))
        vidx = {vid: i for i, vid in enumerate(problem.volunteer_ids)}
        pinned = np.zeros(H, dtype=bool)
        for h, hid in enumerate(problem.household_ids):
            old = problem.previous.get(hid)
            if old in vidx and assign[h] == vidx[old]:
                pinned[h] = True
        work = [r.travel_s + r.service_s for r in results.values()]
        target = float(np.mean(work)) if work else 0.0
        travel = [r.travel_s for r in results.values()]
        median_travel = float(np.median(travel)) if travel else 0.0
        return cls(
            problem=problem,
            options=options,
            assign=assign,
            results=results,
            lang_cost=lang_cost,
            pinned=pinned,
            target=target,
            median_travel=median_travel,
            sub_seconds=options.sub_seconds,
            version=np.zeros(V, dtype=np.int64),
            near=neighbour_lists(problem),
        )

    def cost_of(self, v: int, res: SubResult, members: Sequence[int] | NDArray[Any]) -> float:
        """Volunteer ``v``'s rounds ``res`` for ``members``: travel, drops and language."""
        lang = float(sum(self.lang_cost[h, v] for h in members))
        return res.cost + lang

    def choose(self, candidates: list[Move]) -> list[Move]:
        """Return the best improving moves touching distinct volunteers, not tried as is."""
        candidates = [c for c in candidates if c[0] < 0]
        candidates.sort()
        assign, version, stats = self.assign, self.version, self.stats
        chosen: list[Move] = []
        busy: set[int] = set()
        for c in candidates:
            _, h, v, h2 = c
            u = int(assign[h])
            key = (h, v, h2)
            if u in busy or v in busy or self.tried.get(key) == (version[u], version[v]):
                continue
            self.tried[key] = (int(version[u]), int(version[v]))
            chosen.append(c)
            busy |= {u, v}
            if len(chosen) >= min(self.options.batch, self.options.moves - stats["tried"]):
                break
        return chosen

    def fit_in_time(self, chosen: list[Move]) -> list[Move]:
        """Return as many of ``chosen`` as the time left allows (none: stop)."""
        # safety net: keep the round inside the time left (each move re-plans two
        # volunteers); only then does the plan depend on the machine's speed
        left = self.options.deadline - time.time()
        fit = int(left * self.options.workers / max(1e-3, 2 * self.sub_seconds))
        if fit < 1:
            return []
        if fit < len(chosen):
            self.stats["cut_by_time"] = 1
            chosen = chosen[:fit]
        return chosen

    def warm_sub(self, w: int, members: list[int], *, proposal_iterations: int = 0) -> Sub:
        """Return ``w``'s week with ``members``, its search starting from ``w``'s rounds.

        With ``proposal_iterations`` PyVRP proposes the week, also searching on from
        those rounds.
        """
        opts = self.options
        return make_sub(
            self.problem,
            w,
            members,
            solutions=opts.solutions,
            time_limit_s=opts.time_limit_s,
            deadline=opts.deadline,
            initial=self.results[w],
            proposal_iterations=proposal_iterations,
        )

    def try_moves(self, chosen: list[Move], pool: Executor) -> None:
        """Re-plan both volunteers of every move on ``pool``; keep the moves that pay."""
        assign, opts = self.assign, self.options
        trial: list[_Trial] = []
        subs = []
        for _, h, v, h2 in chosen:
            u = int(assign[h])
            mu = [int(x) for x in np.flatnonzero(assign == u) if x != h] + ([h2] if h2 >= 0 else [])
            mv = [int(x) for x in np.flatnonzero(assign == v) if x != h2] + [h]
            trial.append((h, u, v, h2, mu, mv))
            subs += [self.warm_sub(u, mu), self.warm_sub(v, mv)]
        t_round = time.time()
        out = list(pool.map(route_volunteer, subs))
        self.sub_seconds = (time.time() - t_round) * opts.workers / len(subs)
        self.stats["tried"] += len(chosen)
        if any(r.cut for r in out):
            self.stats["cut_by_time"] = 1
        for i, move in enumerate(trial):
            self.keep_if_cheaper(move, out[2 * i], out[2 * i + 1])

    def try_round_moves(self, pool: Executor) -> None:
        """Fair travel: long riders' longest rounds to nearer volunteers (:mod:`.exchange`).

        A single household moved off a far hamlet saves its rider a detour, not the
        ride; a whole round moved saves the ride. Only with ``travel_spread_weight``;
        at most ``SPREAD_PASSES`` batches, each of one exchange per rider; both weeks
        are planned again from the rounds that stay (PyVRP's proposal when
        ``route_iterations``) and the exchange is kept only if the two weeks cost less,
        the fair-travel term included, and leave no more visits out.
        """
        problem, opts = self.problem, self.options
        ps = problem.settings.planner
        self.stats["round_moves_tried"] = self.stats["round_moves"] = 0
        if ps.travel_spread_weight <= 0:
            return
        tried: set[tuple[int, int, tuple[int, ...]]] = set()
        for _ in range(SPREAD_PASSES):
            if time.time() >= opts.deadline:
                self.stats["cut_by_time"] = 1
                return
            moves = spread_exchanges(problem, self.standing(), tried=tried)[: opts.batch]
            if not moves:
                return
            subs = [
                self.warm_sub(w, members, proposal_iterations=ps.route_iterations)
                for ex in moves
                for w, members in zip((ex.u, ex.v), ex.members(self.assign), strict=True)
            ]
            out = list(pool.map(route_volunteer, subs))
            self.stats["round_moves_tried"] += len(moves)
            for i, ex in enumerate(moves):
                self.keep_exchange_if_cheaper(ex, out[2 * i], out[2 * i + 1])

    def standing(self) -> Standing:
        """Return what :func:`~.exchange.spread_exchanges` needs to know now."""
        problem = self.problem
        tw, median = problem.settings.planner.travel_spread_weight, self.median_travel
        return Standing(
            assign=self.assign,
            results=self.results,
            gain=_gains(problem, self.results),
            lang_cost=self.lang_cost,
            pinned=self.pinned,
            median_s=median,
            charge=lambda s: spread_cost(tw, s, median),
            near=self.near,
        )

    def keep_exchange_if_cheaper(self, ex: Exchange, ru: SubResult, rv: SubResult) -> None:
        """Make exchange ``ex`` if the two new weeks cost less and leave no more visits out."""
        u, v = ex.u, ex.v
        problem, assign, results = self.problem, self.assign, self.results
        moved = ex.moved()
        mu, mv = ex.members(assign)

        def total(a: SubResult, b: SubResult, ma: Any, mb: Any, after: dict[int, int]) -> float:
            return (
                self.cost_of(u, a, ma)
                + self.cost_of(v, b, mb)
                + _balance(problem, {u: a, v: b}, self.target)
                + _spread(problem, {u: a, v: b}, self.median_travel)
                + NEIGHBOUR_SPLIT_S * splits(self.assign, self.near, list(moved), after)
            )

        before = total(
            results[u], results[v], np.flatnonzero(assign == u), np.flatnonzero(assign == v), {}
        )
        fewer_visits = len(ru.dropped) + len(rv.dropped) > len(results[u].dropped) + len(
            results[v].dropped
        )
        if not fewer_visits and total(ru, rv, mu, mv, moved) < before:
            for h, w in moved.items():
                assign[h] = w
            results[u], results[v] = ru, rv
            self.version[u] += 1
            self.version[v] += 1
            self.stats["round_moves"] += 1

    def splits_around(self, h: int, h2: int, moved: dict[int, int] | None = None) -> int:
        """Neighbour pairs of ``h`` and ``h2`` on different volunteers (after ``moved``)."""
        moved = moved or {}
        n = 0
        for x in (h, h2):
            if x < 0:
                continue
            vx = moved.get(x, int(self.assign[x]))
            for y in self.near.get(x, ()):
                if y == h2 and x == h:
                    continue  # counted from h2's side
                if moved.get(y, int(self.assign[y])) != vx:
                    n += 1
        return n

    def keep_if_cheaper(self, move: _Trial, ru: SubResult, rv: SubResult) -> None:
        """Move ``h`` from ``u`` to ``v`` (and ``h2`` back) if the new rounds cost less."""
        h, u, v, h2, mu, mv = move
        problem, assign, results, target = self.problem, self.assign, self.results, self.target
        before = (
            self.cost_of(u, results[u], np.flatnonzero(assign == u))
            + self.cost_of(v, results[v], np.flatnonzero(assign == v))
            + _balance(problem, {u: results[u], v: results[v]}, target)
            + _spread(problem, {u: results[u], v: results[v]}, self.median_travel)
            + NEIGHBOUR_SPLIT_S * self.splits_around(h, h2)
        )
        moved = {h: v, **({h2: u} if h2 >= 0 else {})}
        after = (
            self.cost_of(u, ru, mu)
            + self.cost_of(v, rv, mv)
            + _balance(problem, {u: ru, v: rv}, target)
            + _spread(problem, {u: ru, v: rv}, self.median_travel)
            + NEIGHBOUR_SPLIT_S * self.splits_around(h, h2, moved)
        )
        if after < before:
            assign[h] = v
            if h2 >= 0:
                assign[h2] = u
            results[u], results[v] = ru, rv
            self.version[u] += 1
            self.version[v] += 1
            self.stats["accepted"] += 1


def _candidates(problem: RoutingProblem, state: _State) -> list[Move]:
    """Return every move of a movable household to one of its three cheapest volunteers.

    A volunteer with room takes the household; a full one gives back the household
    whose move the other way is cheapest (a swap).
    """
    H, V = problem.n_households, problem.n_volunteers
    assign, results, lang_cost = state.assign, state.results, state.lang_cost
    load = np.bincount(assign[assign >= 0], minlength=V)
    gain = _gains(problem, results)
    ins = np.full((H, V), np.inf)
    for v, r in results.items():
        ins[:, v] = insertion_costs(problem, r, H)
    ins[~problem.eligible] = np.inf
    ins += lang_cost
    candidates: list[Move] = []  # (delta, h, v, h2 or -1)
    movable = np.flatnonzero((assign >= 0) & ~state.pinned)
    bw = problem.settings.planner.balance_weight
    tw = problem.settings.planner.travel_spread_weight
    work_v = np.zeros(V, dtype=np.float64)
    travel_v = np.zeros(V, dtype=np.float64)
    for v, r in results.items():
        work_v[v] = r.travel_s + r.service_s
        travel_v[v] = r.travel_s
    for h_ in movable:
        h = int(h_)
        u = int(assign[h])
        row = ins[h].copy()
        row[u] = np.inf
        best = list(np.argsort(row, kind="stable")[:3])
        if tw > 0 and travel_v[u] > state.median_travel:  # a long rider: also those with room
            roomy = np.where(load < problem.capacity, row, np.inf)
            best += [x for x in np.argsort(roomy, kind="stable")[:3] if x not in best]
        for v in best:
            v = int(v)
            if not np.isfinite(row[v]):
                break
            base = row[v] - gain[h] - lang_cost[h, u]
            base += NEIGHBOUR_SPLIT_S * _split_change(state, h, u, v)
            if bw > 0:  # estimated change of the balance term
                base += _balance_change(
                    bw, state.target, work_v, u, v, float(problem.service_s[h]), gain[h], row[v]
                )
            if tw > 0:  # fair-travel term estimated linearly (travel alone); the accept
                # test charges it squared. A squared estimate was measured and not kept
                # (bench/README.md, Fair travel)
                saved = float(gain[h]) if gain[h] < DROP_S else 0.0  # a dropped h: no travel
                base += _balance_change(tw, state.median_travel, travel_v, u, v, 0.0, saved, row[v])
            if load[v] < problem.capacity[v]:
                candidates.append((float(base), int(h), v, -1))
                continue
            mem = np.flatnonzero((assign == v) & ~state.pinned & problem.eligible[:, u])
            if len(mem) == 0:
                continue
            d2 = ins[mem, u] - gain[mem] - lang_cost[mem, v]
            k = int(np.argmin(d2))
            candidates.append((float(base + d2[k]), int(h), v, int(mem[k])))
    return candidates


def _gains(problem: RoutingProblem, results: dict[int, SubResult]) -> NDArray[np.float64]:
    """Per household: :func:`removal_gain` from its volunteer's rounds (0 if none)."""
    H = problem.n_households
    gain = np.zeros(H, dtype=np.float64)
    for r in results.values():
        for h, g in removal_gain(problem, r, H).items():
            gain[h] = g
    return gain


def _split_change(state: _State, h: int, u: int, v: int) -> int:
    """Change in split neighbour pairs when ``h`` moves from ``u`` to ``v``."""
    near = state.near.get(h, ())
    return sum(1 for y in near if state.assign[y] != v) - sum(
        1 for y in near if state.assign[y] != u
    )


def _balance_change(
    bw: float,
    target: float,
    work_v: NDArray[np.float64],
    u: int,
    v: int,
    service: float,
    gain: float,
    insertion: float,
) -> float:
    """Estimated change of the balance term when a household moves from ``u`` to ``v``."""
    moved = service + min(gain, 1e6)
    add = service + insertion
    delta: float = bw * (
        max(0.0, work_v[v] + add - target)
        - max(0.0, work_v[v] - target)
        + max(0.0, work_v[u] - moved - target)
        - max(0.0, work_v[u] - target)
    )
    return delta
