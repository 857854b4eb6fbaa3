"""A volunteer's week proposed by PyVRP's hybrid genetic search, checked by OR-Tools.

On the volunteers' weeks (at most 20 households, three or four shifts) PyVRP's
hybrid genetic search finds shorter rounds with fewer visits left out than the
routing library's guided local search in a twentieth of the time (``bench/README.md``,
"Routing of the final assignment"). It cannot express every rule, though: a round
that visits a household needing daylight must be home by dusk, and the routing model
may carry more (per-arc rules). So PyVRP only *proposes* rounds
(:func:`propose_rounds`); :mod:`.route` reads them into the OR-Tools model of the
same week, which refuses them if any rule is broken, and searches on from them.

The mapping: home is the depot; a shift is a vehicle type (from home and back within
its hours); a household is one client per arrival interval (``Sub.intervals``, already
leaving time to come from home and go back, and ending by dusk for a household
needing daylight), the intervals of one household a group of which at most one is
visited; leaving a household out costs its drop penalty (the client's prize). A
round visiting a daylight household that ends after dusk makes its shift a daylight
shift (home by dusk), and the week is searched once more.

PyVRP stops on an iteration count with a fixed seed: the same week gives the same
proposal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._costs import DROP_PRIORITY_S, DROP_S

if TYPE_CHECKING:  # pragma: no cover
    from .route import Sub

__all__ = ["propose_rounds"]

_BIG = 10_000_000  # an unreachable leg: longer than any shift, finite for PyVRP
_WEEK_S = 7 * 86400
_WARM_SHARE = 4  # the final routing searches on a quarter of the iterations from the week


def propose_rounds(
    sub: Sub, *, iterations: int, seed: int = 0
) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """Return PyVRP's rounds for ``sub`` as ``(shift, households in order)``.

    ``()`` when PyVRP finds no feasible week (then the caller keeps its own search).
    """
    if not sub.households or not sub.shifts:
        return ()
    daylight_shifts: frozenset[int] = frozenset()
    rounds: tuple[tuple[int, tuple[int, ...]], ...] = ()
    for _ in range(2):  # a second search when a round broke the dusk rule
        rounds = _solve(sub, daylight_shifts, iterations, seed)
        late = _late_shifts(sub, rounds)
        if not late:
            return rounds
        daylight_shifts |= late
    return rounds  # still late: the routing model will refuse it


def _solve(
    sub: Sub, daylight_shifts: frozenset[int], iterations: int, seed: int
) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """One PyVRP search; ``daylight_shifts`` end by their dusk."""
    import pyvrp
    from pyvrp.stop import MaxIterations

    data, owner = _data(pyvrp, sub, daylight_shifts)
    if not owner:
        return ()
    best = pyvrp.solve(
        data, stop=MaxIterations(iterations), seed=seed, collect_stats=False, display=False
    ).best
    start = _start(pyvrp, data, sub, owner)
    if start is not None:  # search on a little from the cheaper of the proposal and the week
        if start.is_feasible() and (not best.is_feasible() or _cost(start) < _cost(best)):
            best = start
        best = pyvrp.solve(
            data,
            stop=MaxIterations(max(1, iterations // _WARM_SHARE)),
            seed=seed,
            collect_stats=False,
            display=False,
            initial_solution=best,
        ).best
    if not best.is_feasible():
        return ()
    out = []
    for route in best.routes():
        seq = tuple(owner[a.idx] for a in route if a.is_client())
        if seq:
            out.append((int(route.vehicle_type()), seq))
    return tuple(sorted(out))


def _cost(sol: Any) -> int:
    """PyVRP's objective of a feasible solution: distance plus the prizes left."""
    return int(sol.distance_cost()) + int(sol.uncollected_prizes())


def _start(pyvrp: Any, data: Any, sub: Sub, owner: list[int]) -> Any:
    """Return ``sub.initial`` (the week's current rounds) as a PyVRP solution, or ``None``.

    Only when the week has rounds to start from (the final routing, the fair-travel
    exchanges: the week's rounds as they are).

    PyVRP's search keeps the best solution it has seen, so from the current rounds its
    proposal never costs more than they do under its own objective. A household with
    several clients (one per arrival interval) goes in as its first client on the
    round's shift.
    """
    if not sub.initial:
        return None
    clients: dict[int, list[tuple[int, int]]] = {}
    for c, h in enumerate(owner):
        clients.setdefault(h, []).append((c, data.clients()[c].tw_early))
    pos = {h: i for i, h in enumerate(sub.households)}
    routes = []
    for shift, seq in sub.initial:
        visits = []
        for h in seq:
            ivs = sorted(sub.intervals[pos[h]], key=lambda x: x[1])
            cands = clients.get(h, [])
            if len(cands) == 1:
                visits.append(cands[0][0])
                continue
            by_lo = {lo: c for c, lo in cands}
            match = [by_lo[lo] for s, lo, _ in ivs if s == shift and lo in by_lo]
            if not match:
                return None  # not a round this model knows: search afresh
            visits.append(match[0])
        if visits:
            routes.append(pyvrp.Route(data, visits, shift))
    return pyvrp.Solution(data, routes)


def _data(pyvrp: Any, sub: Sub, daylight_shifts: frozenset[int]) -> tuple[Any, list[int]]:
    """Return PyVRP's problem data for ``sub`` and the household of each client."""
    n = len(sub.households)
    travel = np.minimum(np.asarray(sub.travel, dtype=np.int64), _BIG)
    vehicle_types = []
    for s, (day, a, b) in enumerate(sub.shifts):
        end = day * 86400 + b
        if s in daylight_shifts and sub.dusk and sub.dusk[s] >= 0:
            end = min(end, sub.dusk[s])
        start = day * 86400 + a
        vehicle_types.append(
            pyvrp.VehicleType(
                1,
                capacity=[n],
                tw_early=start,
                tw_late=max(start, end),
                start_late=max(start, end),
            )
        )
    clients: list[Any] = []
    groups: list[Any] = []
    owner: list[int] = []
    for i, h in enumerate(sub.households):
        ivs = _windows(sub, i)
        prize = DROP_PRIORITY_S if sub.priority[i] else DROP_S
        group = len(groups) if len(ivs) > 1 else None
        members = []
        for _, lo, hi in ivs:
            members.append(len(clients))
            clients.append(
                pyvrp.Client(
                    i + 1,
                    delivery=[1],
                    service_duration=int(sub.service[i]),
                    tw_early=int(lo),
                    tw_late=int(hi),
                    prize=prize,
                    required=False,
                    group=group,
                )
            )
            owner.append(h)
        if group is not None:
            groups.append(pyvrp.ClientGroup(members, required=False))
    locations = [pyvrp.Location(0, 0) for _ in range(n + 1)]
    data = pyvrp.ProblemData(
        locations, clients, [pyvrp.Depot(0)], vehicle_types, [travel], [travel], groups
    )
    return data, owner


def _windows(sub: Sub, i: int) -> list[tuple[int, int, int]]:
    """Household ``i``'s client windows: its arrival intervals, or one for the whole week.

    When every shift may take the household and no interval is narrower than its
    shift allows (the household has no hours of its own), one window does: the
    shifts' hours keep the visit inside a shift, and PyVRP searches one client far
    better than a group of alternatives. A household needing daylight counts as such
    too (the dusk pass catches a late round).
    """
    ivs = sorted(sub.intervals[i], key=lambda x: x[1])
    if len({x[0] for x in ivs}) < len(sub.shifts):
        return ivs  # not every shift may take it
    out_s, back_s = int(sub.travel[0, i + 1]), int(sub.travel[i + 1, 0])
    for s, lo, hi in ivs:
        day, a, b = sub.shifts[s]
        latest = day * 86400 + b - back_s - sub.service[i]
        dusk = sub.dusk[s] if sub.dusk else -1
        by_dusk = dusk - back_s - sub.service[i] if dusk >= 0 else latest
        if lo != day * 86400 + a + out_s or hi not in (latest, by_dusk):
            return ivs
    return [(-1, 0, _WEEK_S)] if ivs else []


def _late_shifts(sub: Sub, rounds: tuple[tuple[int, tuple[int, ...]], ...]) -> frozenset[int]:
    """Shifts of ``rounds`` visiting a daylight household and home after dusk."""
    if not sub.daylight or not sub.dusk:
        return frozenset()
    pos = {h: i for i, h in enumerate(sub.households)}
    late = set()
    for shift, seq in rounds:
        dusk = sub.dusk[shift]
        if dusk < 0 or not any(sub.daylight[pos[h]] for h in seq):
            continue
        if _end_of(sub, shift, [pos[h] for h in seq]) > dusk:
            late.add(shift)
    return frozenset(late)


def _end_of(sub: Sub, shift: int, idx: list[int]) -> int:
    """When a round through households ``idx`` (in order) on ``shift`` is home at the earliest."""
    day, a, _ = sub.shifts[shift]
    clock, prev = day * 86400 + a, 0
    for i in idx:
        arrive = clock + int(sub.travel[prev, i + 1])
        for s, lo, hi in sorted(sub.intervals[i], key=lambda x: x[1]):
            if s == shift and arrive <= hi:
                arrive = max(arrive, lo)
                break
        clock, prev = arrive + int(sub.service[i]), i + 1
    return clock + int(sub.travel[prev, 0])
