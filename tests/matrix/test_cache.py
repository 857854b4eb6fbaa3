"""The on-disk matrix cache: hits skip the work, any change of input misses."""

from __future__ import annotations

import logging
import types
from pathlib import Path

import numpy as np
import pytest
from helpers_matrix import SETTINGS, Ways, pts

from routeplan.config import NetworkSettings
from routeplan.matrix import build_matrix, compute


def test_cache_hit_skips_the_work_and_any_change_misses(
    grid: Ways, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls = []
    real = compute._dijkstra

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(compute, "_dijkstra", counting)
    net = grid.network()
    points = pts(a=(10, 10), b=(390, 610), c=(800, 5))
    first = build_matrix(net, points, mode="walking", settings=SETTINGS, cache_dir=tmp_path)
    assert calls and len(list(tmp_path.glob("*.npz"))) == 1
    calls.clear()
    again = build_matrix(net, points, mode="walking", settings=SETTINGS, cache_dir=tmp_path)
    assert not calls
    np.testing.assert_array_equal(again.seconds, first.seconds)
    assert first.unpaved is not None and again.unpaved is not None
    np.testing.assert_array_equal(again.unpaved, first.unpaved)  # trips on unpaved ways
    assert again.snaps.equals(first.snaps) and again.ids == first.ids
    assert again.path(0, 2) == first.path(0, 2)  # paths still work from a cached matrix

    moved = pts(a=(10, 10), b=(390, 611), c=(800, 5))
    renamed = pts(a=(10, 10), b2=(390, 610), c=(800, 5))
    for kwargs in (
        {"points": moved},
        {"points": renamed},
        {"mode": "motorbike"},
        {"settings": NetworkSettings(walk_kmh=4.0)},
    ):
        calls.clear()
        args = {"points": points, "mode": "walking", "settings": SETTINGS} | kwargs
        build_matrix(net, args.pop("points"), cache_dir=tmp_path, **args)
        assert calls, kwargs
    calls.clear()
    changed = grid.g.copy()
    u, v, k = next(iter(changed.edges(keys=True)))
    changed.edges[u, v, k]["walk_s"] += 1
    from routeplan.network import fingerprint

    other = types.SimpleNamespace(graph=changed, fingerprint=fingerprint(changed))
    build_matrix(other, points, mode="walking", settings=SETTINGS, cache_dir=tmp_path)
    assert calls

    for f in tmp_path.glob("*.npz"):
        f.write_bytes(b"not a zip file")
    calls.clear()
    with caplog.at_level(logging.WARNING, logger="routeplan.matrix"):
        fresh = build_matrix(net, points, mode="walking", settings=SETTINGS, cache_dir=tmp_path)
    assert calls and "ignoring the unreadable travel-time cache" in caplog.text
    np.testing.assert_array_equal(fresh.seconds, first.seconds)
