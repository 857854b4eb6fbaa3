"""The service points."""

from __future__ import annotations

import pytest
from helpers_registers import REG, problems_of, where

from routeplan.errors import InputDataError
from routeplan.registers import read_service_points


def test_service_points() -> None:
    sp = read_service_points(REG / "service_points.csv")
    assert list(sp.columns) == ["point_id", "name", "source_row", "geometry"]
    assert sp["point_id"].tolist() == ["SP-01", "SP-02"] and sp.crs.to_epsg() == 4326
    with pytest.raises(InputDataError) as exc:
        read_service_points(REG / "service_points_broken.csv")
    assert where(problems_of(exc)) == {(None, "latitude"), ("row 3", "point_id")}
    assert "rename column 'lattitude' to 'latitude'" in str(exc.value)
