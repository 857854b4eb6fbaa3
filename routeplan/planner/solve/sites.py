"""Where to open new service points: maximal covering or p-median with CP-SAT.

:func:`choose_sites` is used by :mod:`routeplan.coverage` (its what-ifs); CP-SAT is
imported when it first runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ...errors import InfeasibleError

__all__ = ["choose_sites"]

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
        Time limit of CP-SAT; the best solution found by then is returned.
    seed
        Random seed (one search worker, so the same inputs give the same answer).

    Returns
    -------
    tuple of (list of int, bool)
        The chosen candidate columns (sorted) and whether the choice is proven optimal.

    Raises
    ------
    InfeasibleError
        If the solver finds no solution at all.

    """
    from ortools.sat.python import cp_model

    t = np.asarray(times, dtype=np.int64)
    w = np.asarray(weights, dtype=np.int64)
    n, m = t.shape
    if len(w) != n or (w < 0).any():
        raise ValueError("weights must be one non-negative integer per household")
    if objective not in ("coverage", "median"):
        raise ValueError("objective must be 'coverage' or 'median'")
    fixed = sorted({int(j) for j in existing})
    candidates = [j for j in range(m) if j not in set(fixed)]
    k = min(int(k), len(candidates))
    if k <= 0:
        return [], True
    ok = t < _UNREACHABLE
    # Beyond the nearest existing site nothing can be chosen: keep only the sites that
    # could serve a household better than what it already has.
    best_fixed = t[:, fixed].min(axis=1) if fixed else np.full(n, _UNREACHABLE, np.int64)
    model = cp_model.CpModel()
    open_ = {j: model.new_bool_var(f"x{j}") for j in candidates}
    model.add(sum(open_.values()) == k)
    big = int(np.where(ok, t, 0).max(axis=1).sum()) + n + 1
    terms = _Terms(model, open_, t, w, ok, best_fixed, threshold_s, objective)
    for i in range(n):
        terms.add_household(i, candidates)
    if objective == "coverage":
        model.maximize(big * sum(terms.covered) - sum(terms.time))
    else:
        model.minimize(sum(terms.time))
    return _solve(model, open_, k, time_limit_s=time_limit_s, seed=seed)


def _solve(
    model: Any, open_: dict[int, Any], k: int, *, time_limit_s: float, seed: int
) -> tuple[list[int], bool]:
    """Solve with one CP-SAT worker; return the open sites and whether that is optimal."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = int(seed)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise InfeasibleError(
            f"no choice of {k} new service points found ({solver.status_name(status)})"
        )
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
