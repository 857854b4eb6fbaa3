"""Travel times to the nearest service point, band counts, the hamlet table."""

from __future__ import annotations

import math

import pytest

from routeplan import coverage as cv


def test_travel_times_match_the_matrix(report, matrices) -> None:
    hh = report.households.set_index("household_id")
    for mode, m in matrices.items():
        for hid in ["H1", "H2", "H3", "H4", "H5"]:
            to = min(int(m.seconds[m.index(hid), m.index(p)]) for p in ("sp:P1", "sp:P2"))
            assert hh.loc[hid, f"{mode}_min"] * 60 == pytest.approx(to)
        assert math.isnan(hh.loc["H6", f"{mode}_min"])
        assert hh.loc["H6", f"{mode}_band"] == cv.NO_ACCESS
    assert hh.loc["H3", "motorbike_point"] == "P1" and hh.loc["H4", "motorbike_point"] == "P2"
    # the trip back from the same point is reported too (a minute longer here)
    assert hh.loc["H4", "motorbike_return_min"] == pytest.approx(11.0)


def test_band_counts_match_a_hand_count(report) -> None:
    moto = report.table("motorbike")
    assert moto.loc[
        "Alpha", ["0-15 min", "15-30 min", "30-60 min", "over 60 min", "no access"]
    ].tolist() == [2, 1, 0, 0, 0]
    assert moto.loc[
        "Bến Đá", ["0-15 min", "15-30 min", "30-60 min", "over 60 min", "no access"]
    ].tolist() == [1, 0, 1, 0, 1]
    walk = report.table("walking")
    # on foot: H1 8, H2 40, H3 80 | H4 40, H5 140, H6 none
    assert walk.loc[
        cv.TOTAL, ["0-15 min", "15-30 min", "30-60 min", "over 60 min", "no access"]
    ].tolist() == [1, 0, 2, 2, 1]


def test_hamlet_table_counts_people_and_problems(report) -> None:
    t = report.table()
    b = t.loc["Bến Đá"]
    assert (b["households"], b["elderly"], b["co_tu"], b["priority"]) == (3, 1, 1, 2)
    assert b["median_min"] == pytest.approx(22.5) and b["worst_min"] == pytest.approx(35)
    assert b["far"] == 2 and b["share_far"] == pytest.approx(2 / 3)  # H5 35 min + H6
    assert b["no_mapped_access"] == 1 and b["village_location"] == 1
    total = t.loc[cv.TOTAL]
    assert total["households"] == 6 and list(t.index)[-1] == cv.TOTAL
    # the hardest-to-reach hamlet comes first
    assert next(iter(t.index)) == "Bến Đá"
