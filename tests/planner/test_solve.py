"""Generic OR-Tools routing entries, checked against brute force on tiny instances."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from routeplan.planner.solve import SearchOptions, solve_cvrp, solve_vrptw


def _euclid(pts: np.ndarray) -> np.ndarray:
    return np.rint(np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1)))


def _best_cvrp(d: np.ndarray, dem: np.ndarray, cap: int) -> int:
    """Exact optimum: every giant tour, split optimally (Bellman over the tour)."""
    n = len(d) - 1
    best = math.inf
    for tour in itertools.permutations(range(1, n + 1)):
        f = [0.0] + [math.inf] * n
        for i in range(n):
            for j in range(i, n):
                seg = tour[i : j + 1]
                if sum(dem[c] for c in seg) > cap:
                    break
                cost = (
                    d[0, seg[0]] + sum(d[a, b] for a, b in itertools.pairwise(seg)) + d[seg[-1], 0]
                )
                f[j + 1] = min(f[j + 1], f[i] + cost)
        best = min(best, f[n])
    return int(best)


@pytest.fixture(scope="module")
def tiny() -> tuple[np.ndarray, np.ndarray, int]:
    rng = np.random.default_rng(11)
    pts = rng.integers(0, 100, size=(8, 2)).astype(float)
    dem = np.r_[0, rng.integers(1, 5, size=7)]
    return _euclid(pts).astype(int), dem, 8


def test_cvrp_finds_the_brute_force_optimum(tiny: tuple[np.ndarray, np.ndarray, int]) -> None:
    d, dem, cap = tiny
    routes, cost = solve_cvrp(
        d, dem, cap, num_vehicles=5, search=SearchOptions(time_limit_s=5, solution_limit=2000)
    )
    assert sorted(c for r in routes for c in r) == list(range(1, 8))
    assert all(sum(dem[c] for c in r) <= cap for r in routes)
    assert cost == _best_cvrp(d, dem, cap)


def test_cvrp_is_reproducible_on_a_solution_limit(tiny: tuple[np.ndarray, np.ndarray, int]) -> None:
    d, dem, cap = tiny
    runs = [
        solve_cvrp(
            d,
            dem,
            cap,
            num_vehicles=5,
            search=SearchOptions(time_limit_s=30, solution_limit=200, metaheuristic=m),
        )
        for m in ("ils", "ils", "gls", "gls")
    ]
    assert runs[0] == runs[1] and runs[2] == runs[3]


def test_cvrp_rejects_a_demand_above_capacity() -> None:
    d = np.zeros((3, 3), dtype=int)
    with pytest.raises(ValueError, match="exceeds the vehicle capacity"):
        solve_cvrp(d, [0, 5, 1], 4, num_vehicles=2, search=SearchOptions(time_limit_s=1))


def test_vrptw_respects_windows_and_matches_brute_force() -> None:
    pts = np.array([[0, 0], [10, 0], [20, 0], [0, 10], [0, 20], [10, 10]], dtype=float)
    d = np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1))
    windows = np.array([[0, 200], [0, 15], [0, 200], [100, 120], [0, 200], [0, 200]], float)
    service = np.array([0, 5, 5, 5, 5, 5], float)
    routes, cost = solve_vrptw(
        d,
        [0, 1, 1, 1, 1, 1],
        10,
        windows,
        service,
        num_vehicles=3,
        search=SearchOptions(time_limit_s=5, solution_limit=2000),
    )

    def feasible(route: list[int]) -> bool:
        t, prev = 0.0, 0
        for c in route:
            t = max(t + (service[prev] if prev else 0) + d[prev, c], windows[c, 0])
            if t > windows[c, 1] + 1e-9:
                return False
            prev = c
        return t + service[prev] + d[prev, 0] <= windows[0, 1]

    assert all(feasible(r) for r in routes)
    assert sorted(c for r in routes for c in r) == [1, 2, 3, 4, 5]
    # brute force over ordered partitions into at most 3 routes
    best = math.inf
    for perm in itertools.permutations(range(1, 6)):
        for cuts in itertools.combinations(range(1, 5), 2):
            parts = [list(perm[: cuts[0]]), list(perm[cuts[0] : cuts[1]]), list(perm[cuts[1] :])]
            for k in range(0, 5):  # also fewer routes
                parts2 = [list(perm)] if k == 0 else parts
                if all(feasible(p) for p in parts2 if p):
                    c = sum(
                        d[0, p[0]] + sum(d[a, b] for a, b in itertools.pairwise(p)) + d[p[-1], 0]
                        for p in parts2
                        if p
                    )
                    best = min(best, c)
    assert cost == pytest.approx(best, abs=1e-6)
