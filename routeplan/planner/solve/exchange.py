"""Fair travel: a long rider's longest round, given whole to a volunteer nearer to it.

A long rider is usually a volunteer given the overflow of a far hamlet whose own
volunteers are full; moving one household away saves the rider a detour, not the
ride. So the rider's longest rounds are offered whole to a volunteer who lives
nearer to them (or as near); a receiver without room for the round gives back as many of its own
households as it lacks room for, those the rider reaches most cheaply from home (an
exchange: the far group goes to the nearer volunteer, near households come back).
Nobody goes over capacity and every household moved must be one its new volunteer
may serve. :func:`spread_exchanges` proposes the moves; the improvement
(:mod:`.improve`) re-plans both weeks and keeps a move only when the two weeks cost
less with the fair-travel term and leave no more visits out.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ._costs import NEIGHBOUR_SPLIT_S
from .route import SubResult

if TYPE_CHECKING:  # pragma: no cover
    from ..problem import RoutingProblem

__all__ = ["Exchange", "Standing", "splits", "spread_exchanges"]

LONG_RIDE = 1.5
"""A long rider's weekly travel is more than this times the median volunteer's."""

ROUNDS_PER_RIDER = 2
"""A rider's longest rounds offered (the longest first; one move per rider a pass)."""


@dataclass(frozen=True)
class Exchange:
    """Round ``give`` of rider ``u`` goes to ``v``; ``v``'s households ``take`` go to ``u``."""

    u: int
    v: int
    give: tuple[int, ...]
    take: tuple[int, ...]

    def moved(self) -> dict[int, int]:
        """Return the new volunteer of every household moved."""
        return {**dict.fromkeys(self.give, self.v), **dict.fromkeys(self.take, self.u)}

    def members(self, assign: NDArray[np.int64]) -> tuple[list[int], list[int]]:
        """``u``'s and ``v``'s households after the exchange."""
        give, take = set(self.give), set(self.take)
        mu = [int(x) for x in np.flatnonzero(assign == self.u) if x not in give]
        mv = [int(x) for x in np.flatnonzero(assign == self.v) if x not in take]
        return mu + list(self.take), mv + list(self.give)


@dataclass(frozen=True)
class Standing:
    """What the improvement knows when it looks for exchanges.

    Attributes
    ----------
    assign
        Volunteer of each household (-1: none).
    results
        Each volunteer's rounds.
    gain
        Per household: travel saved by taking it out of its rounds.
    lang_cost
        ``(H, V)`` language penalty of each pair.
    pinned
        Households kept with last week's volunteer (never moved).
    median_s
        The median volunteer's weekly travel: riders are those above it.
    charge
        The fair-travel term of a weekly travel (seconds).
    near
        Each household's neighbours (closer than ``planner.neighbour_m``).

    """

    assign: NDArray[np.int64]
    results: dict[int, SubResult]
    gain: NDArray[np.float64]
    lang_cost: NDArray[np.float64]
    pinned: NDArray[np.bool_]
    median_s: float
    charge: Callable[[float], float]
    near: dict[int, list[int]]


def spread_exchanges(
    problem: RoutingProblem, st: Standing, *, tried: set[tuple[int, int, tuple[int, ...]]]
) -> list[Exchange]:
    """Return at most one exchange per long rider, longest rider first, distinct volunteers.

    A long rider travels more than ``LONG_RIDE`` times the median volunteer. Its
    rounds are tried longest first; for each, the receiver is the volunteer (not yet
    in a move) living nearer to it or as near, that may serve every household of it
    and whose estimated exchange costs least: travel, language and neighbour splits
    plus the fair-travel term,
    both volunteers' weekly travel estimated (the round's ride from the receiver's
    home by nearest neighbour, the households given back as one round from the
    rider's home). Only exchanges expected to leave both below the rider's travel
    now, and not in ``tried``, are proposed (and added to ``tried``).
    """
    travel = {v: float(r.travel_s) for v, r in st.results.items()}
    long = LONG_RIDE * st.median_s
    riders = sorted((v for v in travel if travel[v] > long), key=lambda v: (-travel[v], v))
    busy: set[int] = set()
    moves: list[Exchange] = []
    for u in riders:
        if u in busy:
            continue
        for offer in _longest_rounds(problem, st.results[u])[:ROUNDS_PER_RIDER]:
            group = offer.group
            if st.pinned[list(group)].any():
                continue
            best = _receiver(problem, st, offer, busy | {u}, tried, travel)
            if best is not None:
                tried.add((u, best.v, group))
                moves.append(best)
                busy |= {u, best.v}
                break
    return moves


@dataclass(frozen=True)
class _Offer:
    """A rider's round offered: rider, its shift, its travel (s) and its households."""

    u: int
    shift: int
    ride: float
    group: tuple[int, ...]


def _longest_rounds(problem: RoutingProblem, res: SubResult) -> list[_Offer]:
    """Return ``res``'s rounds as offers, the longest ride first."""
    t = problem.travel_of(res.v)
    home = problem.n_households + res.v
    out = []
    for shift, _, _, stops in res.rounds:
        group = tuple(h for h, _ in stops)
        seq = [home, *group, home]
        ride = float(sum(t[a, b] for a, b in itertools.pairwise(seq)))
        out.append(_Offer(res.v, shift, ride, group))
    out.sort(key=lambda x: (-x.ride, x.group))
    return out


def _receiver(
    problem: RoutingProblem,
    st: Standing,
    offer: _Offer,
    busy: set[int],
    tried: set[tuple[int, int, tuple[int, ...]]],
    travel: dict[int, float],
) -> Exchange | None:
    """Return the cheapest exchange of ``offer`` (none: no receiver expected to gain).

    The receiver lives nearer to the round's households (their round trips from home
    summed), or as near.
    """
    u, ride, group = offer.u, offer.ride, offer.group
    H = problem.n_households
    load = np.bincount(st.assign[st.assign >= 0], minlength=problem.n_volunteers)
    able = problem.eligible[list(group)].all(axis=0)
    tu = travel[u]
    rt_u = _round_trips(problem, u, group)
    best: tuple[float, int] | None = None
    found: Exchange | None = None
    for v in (int(x) for x in np.flatnonzero(able)):
        if v in busy or (u, v, group) in tried or v not in st.results:
            continue
        rt_v = _round_trips(problem, v, group)
        if rt_v > rt_u:
            continue
        ride_v = _tour(problem.travel_of(v), H + v, group)
        need = max(0, len(group) - int(problem.capacity[v] - load[v]))
        take = _give_back(problem, st, (u, offer.shift, group), v, need)
        if take is None:
            continue
        tv = travel[v]
        u_after = tu - ride + _tour(problem.travel_of(u), H + u, take)
        v_after = tv + ride_v - float(st.gain[list(take)].sum())
        if max(u_after, v_after) >= tu:
            continue
        lang = st.lang_cost[list(group), v].sum() - st.lang_cost[list(group), u].sum()
        lang += st.lang_cost[list(take), u].sum() - st.lang_cost[list(take), v].sum()
        ex = Exchange(u, v, group, take)
        moved = ex.moved()
        lang += NEIGHBOUR_SPLIT_S * (
            splits(st.assign, st.near, moved, moved) - splits(st.assign, st.near, moved, {})
        )
        delta = u_after + v_after - tu - tv + float(lang)
        delta += st.charge(u_after) + st.charge(v_after) - st.charge(tu) - st.charge(tv)
        if best is None or (delta, v) < best:
            best = (delta, v)
            found = ex
    return found


def _give_back(
    problem: RoutingProblem,
    st: Standing,
    freed: tuple[int, int, tuple[int, ...]],
    v: int,
    need: int,
) -> tuple[int, ...] | None:
    """``need`` of ``v``'s visited households that rider ``u`` reaches most cheaply, or None.

    ``freed`` is ``(u, the shift of the round u gives, its households)``: each
    household given back may be visited in that shift. Never a household kept with
    last week's volunteer, nor one ``u`` may not serve; chosen one at a time, its
    neighbours split or joined counted (``NEIGHBOUR_SPLIT_S`` a pair).
    """
    if need == 0:
        return ()
    H = problem.n_households
    u, shift, give = freed
    own = [h for _, _, _, stops in st.results[v].rounds for h, _ in stops]
    ok = [
        h
        for h in own
        if not st.pinned[h]
        and problem.eligible[h, u]
        and any(s == shift for s, _, _ in problem.visit_intervals(h, u))
    ]
    if len(ok) < need:
        return None
    t_u, t_v = problem.travel_of(u), problem.travel_of(v)
    base = {
        h: float(t_u[H + u, h] + t_u[h, H + u] - t_v[H + v, h] - t_v[h, H + v])
        + st.lang_cost[h, u]
        - st.lang_cost[h, v]
        for h in ok
    }
    take: list[int] = []
    moved: dict[int, int] = dict.fromkeys(give, v)
    for _ in range(need):  # greedy: a household's neighbours follow it more cheaply
        h = min(
            (x for x in ok if x not in moved),
            key=lambda x: (base[x] + NEIGHBOUR_SPLIT_S * _split_change(st, x, u, moved), x),
        )
        take.append(h)
        moved[h] = u
    return tuple(take)


def splits(
    assign: NDArray[np.int64],
    near: dict[int, list[int]],
    group: Iterable[int],
    moved: dict[int, int],
) -> int:
    """Return neighbour pairs of ``group``'s households on different volunteers.

    ``assign`` as it is, but for the households in ``moved`` (their new volunteer).
    """
    n = 0
    for x in group:
        vx = moved.get(x, int(assign[x]))
        n += sum(1 for y in near.get(x, ()) if moved.get(y, int(assign[y])) != vx)
    return n


def _split_change(st: Standing, h: int, w: int, moved: dict[int, int]) -> int:
    """Change in split pairs around ``h`` when it moves to ``w`` (after ``moved``)."""
    a, near = st.assign, st.near
    return splits(a, near, [h], {**moved, h: w}) - splits(a, near, [h], moved)


def _round_trips(problem: RoutingProblem, v: int, group: Iterable[int]) -> float:
    """Round trips from ``v``'s home to each household of ``group``, summed."""
    t, home = problem.travel_of(v), problem.n_households + v
    return float(sum(int(t[home, h]) + int(t[h, home]) for h in group))


def _tour(t: NDArray[Any], home: int, group: Iterable[int]) -> float:
    """Travel of one round from ``home`` through ``group`` (nearest neighbour next)."""
    left = list(group)
    at, total = home, 0.0
    while left:
        nxt = min(left, key=lambda h: (t[at, h], h))
        total += float(t[at, nxt])
        left.remove(nxt)
        at = nxt
    return total + float(t[at, home]) if at != home else 0.0
