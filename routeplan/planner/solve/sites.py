"""Where to open new service points: maximal covering or p-median with CP-SAT.

:func:`choose_sites` is used by :mod:`routeplan.coverage` (its what-ifs); CP-SAT is
imported when it first runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ...errors import InfeasibleError

__all__ = ["choose_sites"]

log = logging.getLogger(__name__)

_UNREACHABLE = 2**31 - 1


def choose_sites(
    times: Any,
    weights: Sequence[int],
    k: int,
    *,
    existing: Sequence[int] = (),
    threshold_s: int,
    objective: str = "coverage",
    time_limit_s: float = 10.0,
    seed: int = 0,
) -> tuple[list[int], bool]:
    """Choose ``k`` new service points among candidate sites (used by ``coverage``).

    Parameters
    ----------
    times
        ``(households, sites)`` integer seconds from each household to each site
        (existing points and candidates), ``2**31 - 1`` where there is no route.
    weights
        Non-negative integer weight of each household (priority households count more).
    k
        How many new sites to open among the columns not in ``existing``.
    existing
        Columns of the service points that are already open.
    threshold_s
        A household is covered when its nearest open site is at most this far.
    objective
        ``"coverage"``: maximise the weight of covered households, then minimise the
        total travel time to the nearest open site (maximal covering). ``"median"``:
        minimise the weighted total travel time (p-median).
    time_limit_s
        Work limit of CP-SAT in deterministic seconds (about seconds of work on an
        unloaded machine; a loaded machine takes longer but gets the same answer); the
        best choice found by then is returned, at worst the greedy one.
    seed
        Random seed (one search worker and a deterministic limit, so the same inputs
        give the same answer).

    Returns
    -------
    tuple of (list of int, bool)
        The chosen candidate columns (sorted) and whether the choice is proven optimal.
        When there are at most :data:`_ENUMERATE_UP_TO` possible choices (choose 1 of
        the hamlets, say) every one is scored: exact, and no solver runs.

    Raises
    ------
    InfeasibleError
        If the model has no solution at all (never for a valid ``k``).

    """
    t = np.asarray(times, dtype=np.int64)
    w = np.asarray(weights, dtype=np.int64)
    if len(w) != t.shape[0] or (w < 0).any():
        raise ValueError("weights must be one non-negative integer per household")
    if objective not in ("coverage", "median"):
        raise ValueError("objective must be 'coverage' or 'median'")
    fixed = sorted({int(j) for j in existing})
    candidates = [j for j in range(t.shape[1]) if j not in set(fixed)]
    k = min(int(k), len(candidates))
    if k <= 0:
        return [], True
    choice = _Choice(t, w, fixed, candidates, k, threshold_s, objective)
    exact = _best_of_all(choice)
    if exact is not None:
        return exact, True
    model, open_ = _model(choice)
    greedy = _greedy(choice)
    chosen, optimal = _solve(model, open_, greedy, time_limit_s=time_limit_s, seed=seed)
    if not optimal:  # stopped early: never worse than the greedy start
        chosen = max((chosen, greedy), key=_scorer(choice))
    return chosen, optimal


@dataclass(frozen=True)
class _Choice:
    """What :func:`choose_sites` chooses from, and how a choice is scored.

    ``t`` is ``(households, sites)`` seconds, ``w`` the households' weights, ``fixed``
    the open sites' columns, ``candidates`` the others, of which ``k`` are opened;
    ``threshold_s`` and ``objective`` as :func:`choose_sites` takes them.
    """

    t: NDArray[np.int64]
    w: NDArray[np.int64]
    fixed: list[int]
    candidates: list[int]
    k: int
    threshold_s: int
    objective: str

    def nearest_fixed(self) -> NDArray[np.int64]:
        """Each household's time to its nearest open site (unreachable if none)."""
        t, fixed = self.t, self.fixed
        return t[:, fixed].min(axis=1) if fixed else np.full(t.shape[0], _UNREACHABLE, np.int64)

    def value(self, nearest: NDArray[np.int64], worst: NDArray[np.int64]) -> tuple[int, int]:
        """Score households having ``nearest`` as :func:`_value` does (larger is better)."""
        return _value(nearest, self.w, worst, self.threshold_s, self.objective)


def _model(c: _Choice) -> tuple[Any, dict[int, Any]]:
    """Build the CP-SAT model of choosing ``c.k`` of ``c.candidates``, with its site variables."""
    from ortools.sat.python import cp_model

    t = c.t
    n = t.shape[0]
    ok = t < _UNREACHABLE
    # Beyond the nearest existing site nothing can be chosen: keep only the sites that
    # could serve a household better than what it already has.
    best_fixed = c.nearest_fixed()
    model = cp_model.CpModel()
    open_ = {j: model.new_bool_var(f"x{j}") for j in c.candidates}
    model.add(sum(open_.values()) == c.k)
    big = int(np.where(ok, t, 0).max(axis=1).sum()) + n + 1
    terms = _Terms(model, open_, t, c.w, ok, best_fixed, c.threshold_s, c.objective)
    for i in range(n):
        terms.add_household(i, c.candidates)
    if c.objective == "coverage":
        model.maximize(big * sum(terms.covered) - sum(terms.time))
    else:
        model.minimize(sum(terms.time))
    return model, open_


def _scorer(c: _Choice) -> Callable[[list[int]], tuple[int, int]]:
    """Return a function scoring a choice of candidate columns as :func:`_value` does."""
    worst = _worst(c.t)
    base = c.nearest_fixed()

    def value(chosen: list[int]) -> tuple[int, int]:
        return c.value(np.minimum(base, c.t[:, chosen].min(axis=1)), worst)

    return value


_WALL_FACTOR = 5.0
"""The wall clock stops the search only at this many times the work limit (a backstop)."""


_ENUMERATE_UP_TO = 5000
"""Up to this many possible choices, every one is scored (exact, instant, no solver)."""


def _value(
    nearest: NDArray[np.int64],
    w: NDArray[np.int64],
    worst: NDArray[np.int64],
    threshold_s: int,
    objective: str,
) -> tuple[int, int]:
    """Return how good it is that each household has ``nearest`` (larger is better).

    The CP-SAT model's objective: a household no open site reaches counts ``worst``.
    """
    reach = nearest < _UNREACHABLE
    time = np.where(reach, nearest, worst)
    if objective == "coverage":
        return int(w[reach & (nearest <= threshold_s)].sum()), -int(time.sum())
    return 0, -int((w * time).sum())


def _worst(t: NDArray[np.int64]) -> NDArray[np.int64]:
    ok = t < _UNREACHABLE
    return np.where(ok.any(axis=1), np.where(ok, t, 0).max(axis=1) + 1, 0)


def _best_of_all(c: _Choice) -> list[int] | None:
    """Score every choice of ``c.k`` candidates if there are few; return the best (or None)."""
    import itertools
    import math

    if math.comb(len(c.candidates), c.k) > _ENUMERATE_UP_TO:
        return None
    worst = _worst(c.t)
    base = c.nearest_fixed()
    best: tuple[tuple[int, int], tuple[int, ...]] | None = None
    for combo in itertools.combinations(c.candidates, c.k):
        score = c.value(np.minimum(base, c.t[:, list(combo)].min(axis=1)), worst)
        if best is None or score > best[0]:
            best = (score, combo)
    assert best is not None
    return sorted(best[1])


def _greedy(c: _Choice) -> list[int]:
    """Open ``c.k`` candidates one by one, each the best addition (an answer in no time)."""
    t = c.t
    worst = _worst(t)
    nearest = c.nearest_fixed()
    chosen: list[int] = []
    for _ in range(c.k):
        rest = [j for j in c.candidates if j not in chosen]
        best = max(rest, key=lambda j: c.value(np.minimum(nearest, t[:, j]), worst))
        chosen.append(best)
        nearest = np.minimum(nearest, t[:, best])
    return sorted(chosen)


def _solve(
    model: Any, open_: dict[int, Any], greedy: list[int], *, time_limit_s: float, seed: int
) -> tuple[list[int], bool]:
    """Solve with one CP-SAT worker; return the open sites and whether that is optimal.

    The search stops on a deterministic work limit (CP-SAT's deterministic time, about
    ``time_limit_s`` seconds of work on an unloaded machine), not on the clock, so the
    same inputs and seed give the same answer however loaded the machine is. The wall
    clock stops it only at :data:`_WALL_FACTOR` times that (a backstop against a
    pathological case). It starts from the greedy choice, which is returned (not
    proven optimal) if CP-SAT has found nothing better by then.
    """
    from ortools.sat.python import cp_model

    for j, x in open_.items():
        model.add_hint(x, j in set(greedy))
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = float(time_limit_s)
    solver.parameters.max_time_in_seconds = float(time_limit_s) * _WALL_FACTOR
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = int(seed)
    status = solver.solve(model)
    log.debug(
        "choose_sites: %s after %.2f s of work (%.2f s by the clock)",
        solver.status_name(status),
        solver.deterministic_time,
        solver.wall_time,
    )
    if status == cp_model.INFEASIBLE or status == cp_model.MODEL_INVALID:
        raise InfeasibleError(f"no choice of service points found ({solver.status_name(status)})")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return greedy, False
    chosen = sorted(j for j, x in open_.items() if solver.boolean_value(x))
    return chosen, status == cp_model.OPTIMAL


@dataclass
class _Terms:
    """The CP-SAT model's household terms: which site serves each, covered or not, how far."""

    model: Any
    open_: dict[int, Any]
    t: NDArray[np.int64]
    w: NDArray[np.int64]
    ok: NDArray[np.bool_]
    best_fixed: NDArray[np.int64]
    threshold_s: int
    objective: str
    covered: list[Any] = field(default_factory=list)
    time: list[Any] = field(default_factory=list)

    def add_household(self, i: int, candidates: list[int]) -> None:
        """Household ``i`` goes to one open site better than the existing ones, or stays."""
        t, w, model, best_fixed = self.t, self.w, self.model, self.best_fixed
        better = [j for j in candidates if self.ok[i, j] and t[i, j] < best_fixed[i]]
        if not better:
            return
        choice = [model.new_bool_var(f"z{i}_{j}") for j in better]
        keep = model.new_bool_var(f"z{i}_fixed") if best_fixed[i] < _UNREACHABLE else None
        if keep is not None:
            model.add_exactly_one([*choice, keep])
        else:
            model.add(sum(choice) <= 1)
        for j, z in zip(better, choice, strict=True):
            model.add_implication(z, self.open_[j])
            covered = t[i, j] <= self.threshold_s
            if self.objective == "coverage":
                if covered:
                    self.covered.append(int(w[i]) * z)
                self.time.append(int(t[i, j]) * z)
            else:
                self.time.append(int(w[i] * t[i, j]) * z)
        if keep is not None:
            if self.objective == "coverage":
                if best_fixed[i] <= self.threshold_s:
                    self.covered.append(int(w[i]) * keep)
                self.time.append(int(best_fixed[i]) * keep)
            else:
                self.time.append(int(w[i] * best_fixed[i]) * keep)
        else:
            # no existing site reaches it: not being assigned costs as if the
            # household were at the farthest reachable time (never preferred)
            worst = int(t[i, better].max()) + 1
            unassigned = 1 - sum(choice)
            weight = int(w[i]) if self.objective == "median" else 1
            self.time.append((worst * weight) * unassigned)
