"""Which trips use an unpaved way: flagged per trip, drawn along paved ways when as fast."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from helpers_matrix import SETTINGS, at, pts, track_shortcut

from routeplan.matrix import build_matrix

# home near the track's west end; P1 on the paved east side, P2 on the paved west side
POINTS = {"home": (-20.0, 30.0), "P1": (1020.0, 500.0), "P2": (-20.0, 950.0)}


def _on_track(line: list[tuple[float, float]]) -> bool:
    """Whether a drawn line runs along the track (its two ends in a row)."""
    a, b = at(0, 0), at(1000, 0)
    return any(
        (p == pytest.approx(a) and q == pytest.approx(b))
        or (p == pytest.approx(b) and q == pytest.approx(a))
        for p, q in itertools.pairwise(line)
    )


@pytest.mark.parametrize("mode", ["motorbike", "walking"])
def test_a_trip_along_a_track_is_flagged_and_paved_trips_are_not(mode: str) -> None:
    m = build_matrix(track_shortcut().network(), pts(**POINTS), mode=mode, settings=SETTINGS)
    home, p1, p2 = (m.index(x) for x in ("home", "P1", "P2"))
    assert m.unpaved is not None and m.unpaved.shape == (3, 3)
    assert m.unpaved[home, p1] and m.unpaved[p1, home]  # the track saves 1 km
    assert not m.unpaved[home, p2] and not m.unpaved[p2, home]
    assert not m.unpaved[p1, p2] and not m.unpaved.diagonal().any()
    for i, j in itertools.permutations(range(3), 2):  # what is drawn is what is flagged
        assert _on_track(m.path(i, j)) == bool(m.unpaved[i, j]), (m.ids[i], m.ids[j])


def test_a_track_saving_less_than_half_a_second_is_not_the_trip() -> None:
    # home's way at (0, 30) -> P1's at (1000, 500): paved 970 + 1000 + 500 m at 10 m/s;
    # by the track 30 + 500 m paved and the track, here 0.2 s sooner
    paved = (970 + 1000 + 500) / 10
    track_s = paved - 0.2 - (30 + 500) / 10
    ways = track_shortcut(track_s=track_s)
    m = build_matrix(ways.network(), pts(**POINTS), mode="motorbike", settings=SETTINGS)
    home, p1 = m.index("home"), m.index("P1")
    assert m.unpaved is not None and not m.unpaved[home, p1]
    assert not _on_track(m.path(home, p1))  # drawn along the paved sides
    faster = build_matrix(
        track_shortcut(track_s=track_s - 5).network(),
        pts(**POINTS),
        mode="motorbike",
        settings=SETTINGS,
    )
    assert faster.unpaved is not None and faster.unpaved[home, p1]
    assert _on_track(faster.path(home, p1))


def test_every_trip_of_a_point_on_a_track_is_flagged() -> None:
    points = pts(home=(-20.0, 30.0), T=(500.0, 15.0), P2=(-20.0, 950.0))
    m = build_matrix(track_shortcut().network(), points, mode="motorbike", settings=SETTINGS)
    t = m.index("T")
    assert m.snaps.loc["T", "unpaved"]
    assert m.unpaved is not None
    others = [i for i in range(3) if i != t]
    assert m.unpaved[t, others].all() and m.unpaved[others, t].all()
    assert not m.unpaved[np.ix_(others, others)].any()
