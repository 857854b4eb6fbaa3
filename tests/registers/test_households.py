"""The household register: the contract, values, placing at villages, every problem."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from helpers_registers import HEADER, HOUSEHOLD_CONTRACT, REG, write

from routeplan.errors import InputDataError
from routeplan.registers import read_households


@pytest.fixture(scope="module")
def households() -> gpd.GeoDataFrame:
    return read_households(REG / "households.csv")


def test_households_follow_the_contract(households: gpd.GeoDataFrame) -> None:
    assert list(households.columns) == HOUSEHOLD_CONTRACT
    assert households.crs.to_epsg() == 4326
    assert isinstance(households.index, pd.RangeIndex) and len(households) == 6
    assert households["household_id"].tolist() == [f"HB-000{i}" for i in range(1, 7)]
    for col in ("elderly", "disability", "remote", "priority"):
        assert households[col].dtype == bool
    assert households.geometry.geom_type.eq("Point").all()
    first = households.iloc[0]
    assert first["head_name"] == "Nguyễn Văn Hùng" and first["village"] == "Phò Nam"
    assert (first.geometry.x, first.geometry.y) == pytest.approx((108.0712, 16.1182))
    assert first["services"] == ("vneid", "health_insurance")
    assert first["windows"][:2] == ((0, 420, 660), (0, 960, 1140))
    assert first["availability"] == "07:00-11:00;16:00-19:00"
    assert first["notes"] == "Nhà có chó dữ" and first["source_row"] == "row 2"


def test_household_values_are_read_the_coordinator_way(households: gpd.GeoDataFrame) -> None:
    h = households.set_index("household_id")
    assert h.loc["HB-0003", "services"] == ("vneid", "sim")  # "vneid, sim"
    assert h.loc["HB-0002", "phone"] == "" and h.loc["HB-0003", "phone"] == "0336240067"
    assert h.loc["HB-0002", "windows"] == ()  # any time
    # flags: 1/0, yes/no, x, có/không, true/false
    assert h["elderly"].tolist() == [True, True, False, True, False, True]
    assert h["remote"].tolist() == [False, False, True, True, True, True]
    # "Cơ Tu" and "Co Tu" are the same language
    assert h.loc["HB-0003", "language"] == h.loc["HB-0004", "language"] == "co_tu"
    assert h.loc["HB-0001", "language"] == ""
    assert h["priority"].tolist() == [True, True, True, True, True, True]
    assert h.loc["HB-0005", "windows"] == ((5, 420, 660),)  # "T7 7h-11h"


def test_household_without_coordinates_is_placed_at_its_village(
    households: gpd.GeoDataFrame,
) -> None:
    h = households.set_index("household_id")
    assert h.loc["HB-0004", "location_quality"] == "village"
    assert (h["location_quality"] == "gps").sum() == 5
    # the only other Tà Lang household is HB-0003
    assert h.loc["HB-0004", "geometry"].equals(h.loc["HB-0003", "geometry"])
    warnings = households.attrs["problems"]
    assert any(
        "placed at the centre of the village" in p.message and "row 5" in p.message
        for p in warnings
    )


def test_places_from_the_map_win_and_match_without_accents(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "h.csv",
        HEADER + "\n"
        "A1,X,Thôn Tà Lang,16.1,108.0,,vneid,0,0,0,,,\n"
        "A2,Y,ta lang,,,,vneid,0,0,0,,,\n"
        "A3,Z,Giàn Bí,,,,vneid,0,0,0,,,\n",
    )
    gdf = read_households(path, places={"Tà Lang": (107.98, 16.15), "GIÀN BÍ": (107.99, 16.14)})
    assert gdf["location_quality"].tolist() == ["gps", "village", "village"]
    assert (gdf.geometry.iloc[1].x, gdf.geometry.iloc[1].y) == (107.98, 16.15)
    assert (gdf.geometry.iloc[2].x, gdf.geometry.iloc[2].y) == (107.99, 16.14)


def test_coordinates_can_be_left_out_when_places_are_given(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "h.csv",
        "household_id,head_name,village,services\nA1,X,Tà Lang,vneid\nA2,Y,Giàn Bí,sim\n",
    )
    gdf = read_households(path, places={"Tà Lang": (107.98, 16.15), "Giàn Bí": (107.99, 16.14)})
    assert gdf["location_quality"].tolist() == ["village", "village"]
    with pytest.raises(InputDataError, match="column 'latitude' is missing"):
        read_households(path)


def test_broken_households_report_every_planted_problem() -> None:
    with pytest.raises(InputDataError) as exc:
        read_households(REG / "households_broken.csv")
    errors = exc.value.errors
    by_where = {(p.row, p.column): p for p in errors}
    assert set(by_where) == {
        ("row 3", "household_id"),  # duplicate id
        ("row 4", "latitude"),  # latitude and longitude swapped
        ("row 5", "services"),  # "vneld"
        ("row 6", "availability"),  # 11:00-07:00
        ("row 7", "elderly"),  # "maybe"
        ("row 8", "village"),  # no coordinates, unknown village
        ("row 9", "household_id"),  # empty id
        ("row 10", "latitude"),  # far from the others
        ("row 11", "availability"),  # 25:00
        ("row 12", "latitude"),  # "abc"
        ("row 13", "availability"),  # missing dash
    }
    assert all(p.fix and p.file == str(REG / "households_broken.csv") for p in errors)
    assert "also row 2" in by_where["row 3", "household_id"].message
    assert "swapped" in by_where["row 4", "latitude"].message
    assert "latitude 16.152, longitude 107.981" in by_where["row 4", "latitude"].fix
    assert "did you mean 'vneid'" in by_where["row 5", "services"].fix
    assert "07:00-11:00" in by_where["row 6", "availability"].fix
    assert "Giàn Bí" in by_where["row 8", "village"].fix
    assert "km from the middle" in by_where["row 10", "latitude"].message
    message = str(exc.value)
    assert message.startswith(f"{REG / 'households_broken.csv'}: 11 errors, 1 warning:")
    assert "households_broken.csv, row 12 [latitude]: latitude 'abc' is not a number" in message
    # the household without coordinates in a known village is placed, with a warning
    assert any(p.severity == "warning" and "row 13" in p.message for p in exc.value.problems)


@pytest.mark.parametrize(
    ("cells", "column", "text"),
    [
        ("16.1,108.0,,vneid,2,0,0", "elderly", "not yes or no"),
        ("16.1,,,vneid,0,0,0", "longitude", "longitude is empty"),
        ("0,0,,vneid,0,0,0", "latitude", "0, 0"),
        ("1780000,550000,,vneid,0,0,0", "latitude", "projected"),
        ("95,100,,vneid,0,0,0", "latitude", "outside -90..90"),
        ("16.1,108.0,,VNeID;chu ky so;bảo hiểm y tế;vneid,0,0,0", None, None),
    ],
)
def test_household_value_checks(
    tmp_path: Path, cells: str, column: str | None, text: str | None
) -> None:
    path = write(tmp_path, "h.csv", HEADER + f"\nA1,X,Phò Nam,{cells},,,\n")
    if column is None:
        gdf = read_households(path)
        assert gdf["services"].iloc[0] == ("vneid", "digital_signature", "health_insurance")
        return
    with pytest.raises(InputDataError) as exc:
        read_households(path)
    (p,) = exc.value.errors
    assert (p.row, p.column) == ("row 2", column) and text in p.message and p.fix


def test_household_without_location_or_village_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "h.csv", HEADER + "\nA1,X,,,,,vneid,0,0,0,,,\n")
    with pytest.raises(InputDataError, match="latitude, longitude and village are empty"):
        read_households(path)
