"""The volunteer register."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers_registers import REG, VOLUNTEER_CONTRACT

from routeplan.config import Settings
from routeplan.errors import InputDataError
from routeplan.registers import read_volunteers


def test_volunteers_follow_the_contract() -> None:
    v = read_volunteers(REG / "volunteers.csv")
    assert list(v.columns) == VOLUNTEER_CONTRACT
    assert v.crs.to_epsg() == 4326 and isinstance(v.index, pd.RangeIndex)
    assert v["capacity"].tolist() == [20, 20, 15]  # empty -> settings.planner.capacity
    assert v["capacity"].dtype == np.int64
    assert v["mode"].tolist() == ["motorbike", "walking", "motorbike"]  # đi bộ, xe máy
    assert v["skills"].tolist() == [frozenset({"digital_signature"}), frozenset(), frozenset()]
    assert v["languages"].tolist() == [frozenset(), frozenset({"co_tu"}), frozenset()]
    assert v["windows"].iloc[0] == ((5, 420, 660), (5, 840, 1020), (6, 480, 720))
    assert v["windows"].iloc[1] == ((5, 420, 660), (6, 420, 660))
    assert [d for d, _, _ in v["windows"].iloc[2]] == [0, 1, 2, 3, 4]
    assert v["phone"].iloc[1] == "0336111222"


def test_volunteer_capacity_default_comes_from_settings() -> None:
    from dataclasses import replace

    s = Settings()
    s = replace(s, planner=replace(s.planner, capacity=12))
    assert read_volunteers(REG / "volunteers.csv", settings=s)["capacity"].tolist() == [20, 12, 15]


def test_broken_volunteers_report_every_problem() -> None:
    with pytest.raises(InputDataError) as exc:
        read_volunteers(REG / "volunteers_broken.csv")
    by_where = {(p.row, p.column): p for p in exc.value.errors}
    assert set(by_where) == {
        ("row 2", "capacity"),
        ("row 3", "capacity"),
        ("row 3", "mode"),
        ("row 4", "availability"),
        ("row 4", "skills"),
        ("row 5", "availability"),
        ("row 5", "latitude"),
    }
    assert "not a whole number" in by_where["row 2", "capacity"].message
    assert "outside 1..500" in by_where["row 3", "capacity"].message
    assert "walking" in by_where["row 3", "mode"].fix
    assert "could never be planned" in by_where["row 4", "availability"].message
    assert "did you mean 'digital_signature'" in by_where["row 4", "skills"].fix
    assert "07:00-11:00" in by_where["row 5", "availability"].fix
    assert "home" in by_where["row 5", "latitude"].message
