"""The demo commune, end to end: assess_coverage on the demo's registers and network."""

from __future__ import annotations

import math

import pytest

from routeplan import coverage as cv


@pytest.mark.slow
def test_demo_remote_hamlets_get_closer_with_a_point_there(demo_report) -> None:
    before = demo_report.table()
    # the mountain hamlets are the hardest to reach today
    assert set(list(before.index)[:2]) == {"Tà Lang", "Giàn Bí"}
    assert (before.loc[["Tà Lang", "Giàn Bí"], "median_min"] > 15).all()
    assert before.loc["Tà Lang", "share_far"] > 0.2
    cmp = demo_report.whatif.comparison.set_index("village")
    for hamlet in ("Tà Lang", "Giàn Bí"):
        row = cmp.loc[hamlet]
        assert row["median_after"] < row["median_before"] / 2
        assert row["far_after"] < row["far_before"]
        assert row["faster"] > row["households"] / 2
    # the valley mouth does not change
    assert cmp.loc["Quan Nam", "faster"] == 0
    assert list(demo_report.whatif.added["placed"]) == ["place node", "place node"]
    # the best single new point is in the mountains
    assert demo_report.choice.whatif.added["name"].iloc[0] in {"Tà Lang", "Giàn Bí", "Trường Định"}


@pytest.mark.slow
def test_demo_table_counts_everyone(demo_report, demo_inputs) -> None:
    t = demo_report.table()
    assert t.loc[cv.TOTAL, "households"] == len(demo_inputs["households"]) == 1350
    bands = demo_report.bands
    assert t.loc[cv.TOTAL, bands].sum() == 1350
    assert t.loc[cv.TOTAL, "village_location"] == 5
    assert t.loc[cv.TOTAL, "co_tu"] == (demo_inputs["households"]["language"] == "co_tu").sum()
    # walking is never faster than riding (ride where possible, walk the rest)
    hh = demo_report.households
    both = hh["walking_min"].notna() & hh["motorbike_min"].notna()
    assert (hh.loc[both, "motorbike_min"] <= hh.loc[both, "walking_min"] + 1e-9).all()
    need = demo_report.need
    assert need.by_rule >= math.ceil(1350 / 20) and need.volunteers == 70
