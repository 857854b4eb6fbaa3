from __future__ import annotations

import codecs
import re
import tomllib
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon

from routeplan.cli import main
from routeplan.config import Settings, load_settings
from routeplan.errors import InputDataError, Problem
from routeplan.registers import (
    check_files,
    read_households,
    read_service_points,
    read_volunteers,
    slug,
    validate_files,
)

HERE = Path(__file__).resolve().parent
REG = HERE / "fixtures" / "registers"
TEMPLATES = HERE.parent / "data" / "templates"

HOUSEHOLD_CONTRACT = [
    "household_id",
    "head_name",
    "village",
    "phone",
    "services",
    "elderly",
    "disability",
    "remote",
    "language",
    "priority",
    "windows",
    "availability",
    "notes",
    "location_quality",
    "source_row",
    "geometry",
]
VOLUNTEER_CONTRACT = [
    "volunteer_id",
    "name",
    "phone",
    "capacity",
    "windows",
    "availability",
    "mode",
    "skills",
    "languages",
    "source_row",
    "geometry",
]
HEADER = (
    "household_id,head_name,village,latitude,longitude,phone,services,elderly,"
    "disability,remote,language,availability,notes"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems_of(exc: pytest.ExceptionInfo[InputDataError]) -> list[Problem]:
    return list(exc.value.problems)


def where(problems: list[Problem]) -> set[tuple[str | None, str | None]]:
    return {(p.row, p.column) for p in problems if p.severity == "error"}


# --- households: valid files in every format ---------------------------------------------


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


def test_excel_csv_with_bom_crlf_vietnamese_headers_and_phone_as_number() -> None:
    raw = (REG / "households_excel.csv").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8) and b"\r\n" in raw  # what Excel writes
    gdf = read_households(REG / "households_excel.csv")
    assert list(gdf.columns) == HOUSEHOLD_CONTRACT
    assert gdf["household_id"].tolist() == ["HB-0101", "HB-0102", "HB-0103"]
    assert gdf["head_name"].tolist() == ["Nguyễn Thị Xuân", "Trương Văn Đức", "Clâu Thị Bơ"]
    # Excel dropped the leading 0 of the mobile numbers; it is back
    assert gdf["phone"].tolist() == ["0905123456", "0336240067", ""]
    assert gdf["services"].iloc[0] == ("vneid", "pension")
    assert gdf["elderly"].tolist() == [True, False, True]
    assert gdf["language"].tolist() == ["", "", "co_tu"]
    assert gdf["notes"].iloc[0] == "Gọi điện trước, ban ngày hay lên rẫy"
    assert gdf["windows"].iloc[2] == ((5, 420, 660),)


def _to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters (with some marks) plus combining tones."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            for k, mark in enumerate(marks):  # ê, ô, ơ, ư, ă ... exist precomposed
                head = unicodedata.normalize("NFC", base + mark)
                rest = "".join(marks[:k] + marks[k + 1 :])
                try:
                    out += head.encode("cp1258") + rest.encode("cp1258")
                    break
                except UnicodeEncodeError:
                    continue
            else:
                out += (base + "".join(marks)).encode("cp1258")
    return out


def test_csv_saved_as_windows_1258_is_read_and_reported(tmp_path: Path) -> None:
    text = (REG / "households.csv").read_text(encoding="utf-8")
    path = tmp_path / "ansi.csv"
    path.write_bytes(_to_cp1258(text))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    gdf = read_households(path)
    assert (
        gdf["head_name"].tolist() == read_households(REG / "households.csv")["head_name"].tolist()
    )
    warnings = [p for p in gdf.attrs["problems"] if "not saved as UTF-8" in p.message]
    assert warnings and "Windows-1258" in warnings[0].message and "UTF-8" in warnings[0].fix


def test_garbled_utf8_round_trip_is_repaired_and_reported(tmp_path: Path) -> None:
    text = (REG / "households.csv").read_text(encoding="utf-8")
    garbled = "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8")
    )
    assert "Nguyá»…n" in garbled
    path = write(tmp_path, "garbled.csv", garbled)
    gdf = read_households(path)
    assert gdf["head_name"].iloc[0] == "Nguyễn Văn Hùng"
    assert any("garbled" in p.message and "repaired" in p.message for p in gdf.attrs["problems"])


def test_letters_lost_to_question_marks_are_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path, "q.csv", HEADER + "\nA1,Nguy?n V?n A,Ph? Nam,16.1,108.0,,vneid,0,0,0,,,\n"
    )
    gdf = read_households(path)
    assert any("replaced by '?'" in p.message for p in gdf.attrs["problems"])


def test_semicolon_csv_with_decimal_commas(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "semi.csv",
        HEADER.replace(",", ";") + "\nA1;X;Phò Nam;16,1182;108,0712;;vneid, sim;0;0;0;;;\n",
    )
    gdf = read_households(path)
    assert (gdf.geometry.iloc[0].x, gdf.geometry.iloc[0].y) == (108.0712, 16.1182)
    assert gdf["services"].iloc[0] == ("vneid", "sim")


def test_title_rows_above_the_header_and_blank_rows_keep_row_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "t.csv",
        "DANH SÁCH HỘ GIA ĐÌNH THÔN PHÒ NAM\n\n" + HEADER + "\n"
        "A1,X,Phò Nam,16.1,108.0,,vneid,0,0,0,,,\n,,,,,,,,,,,,\n"
        "A2,Y,Phò Nam,16.1,108.0,,vnied,0,0,0,,,\n",
    )
    with pytest.raises(InputDataError) as exc:
        read_households(path)
    (p,) = exc.value.errors
    assert p.row == "row 6" and p.column == "services" and "'vneid'" in p.fix


def test_xlsx_made_with_openpyxl(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        [
            "Mã hộ",
            "Chủ hộ",
            "Thôn",
            "Vĩ độ",
            "Kinh độ",
            "SĐT",
            "Dịch vụ",
            "Người cao tuổi",
            "Khuyết tật",
            "Vùng xa",
            "Ngôn ngữ",
            "Thời gian",
            "Ghi chú",
        ]
    )
    ws.append(
        [
            "HB-0001",
            "Nguyễn Văn Hùng",
            "Phò Nam",
            16.1182,
            108.0712,
            905123456,
            "vneid;sim",
            True,
            None,
            0,
            None,
            "T7, CN 07:00-11:00",
            None,
        ]
    )
    ws.append(
        [
            2,
            "Lê Thị Lan",
            "Phò Nam",
            16.119,
            108.0725,
            "0336240067",
            "Chữ ký số",
            False,
            "x",
            1,
            "Cơ Tu",
            None,
            "Gọi trước",
        ]
    )
    ws.append(
        ["HB-0003", "Hồ Thị Hoa", "Phò Nam", 16.12, 108.07, None, "bhyt", 0, 0, 0, None, None, None]
    )
    path = tmp_path / "households.xlsx"
    wb.save(path)
    with pytest.raises(InputDataError) as exc:
        read_households(path)
    (p,) = exc.value.errors
    assert (p.row, p.column) == ("row 4", "services") and "'bhyt'" in p.message
    ws.delete_rows(4)
    wb.save(path)
    gdf = read_households(path)
    assert gdf["household_id"].tolist() == ["HB-0001", "2"]
    assert gdf["phone"].tolist() == ["0905123456", "0336240067"]
    assert gdf["services"].tolist() == [("vneid", "sim"), ("digital_signature",)]
    assert gdf["elderly"].tolist() == [True, False]
    assert gdf["disability"].tolist() == [False, True]
    assert gdf["language"].tolist() == ["", "co_tu"]
    assert gdf["windows"].iloc[0] == ((5, 420, 660), (6, 420, 660))
    assert (gdf.geometry.iloc[0].x, gdf.geometry.iloc[0].y) == (108.0712, 16.1182)


def _geo_households() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "household_id": ["G1", "G2", "G3"],
            "head_name": ["Hồ Văn A", "Lê Thị B", "Võ C"],
            "village": ["Phò Nam", "Phò Nam", "phò nam"],
            "phone": ["0905123456", None, None],
            "services": ["vneid", "sim;tax", "pension"],
            "elderly": [1, 0, 1],
            "language": [None, None, "Cơ Tu"],
        },
        geometry=[Point(108.0712, 16.1182), Point(108.0725, 16.1190), None],
        crs="EPSG:4326",
    )


def test_geojson_made_here(tmp_path: Path) -> None:
    path = tmp_path / "households.geojson"
    _geo_households().to_file(path, driver="GeoJSON", engine="pyogrio")
    gdf = read_households(path)
    assert list(gdf.columns) == HOUSEHOLD_CONTRACT
    assert gdf["source_row"].tolist() == ["feature 1", "feature 2", "feature 3"]
    assert gdf["services"].tolist() == [("vneid",), ("sim", "tax"), ("pension",)]
    assert gdf["elderly"].tolist() == [True, False, True]
    assert gdf["location_quality"].tolist() == ["gps", "gps", "village"]
    assert gdf["phone"].tolist() == ["0905123456", "", ""]


def test_geojson_problems_name_the_feature(tmp_path: Path) -> None:
    g = _geo_households()
    g.loc[1, "services"] = "vneld"
    path = tmp_path / "households.geojson"
    g.to_file(path, driver="GeoJSON", engine="pyogrio")
    with pytest.raises(InputDataError) as exc:
        read_households(path)
    assert where(problems_of(exc)) == {("feature 2", "services")}


def test_geopackage_in_another_crs_is_reprojected(tmp_path: Path) -> None:
    g = _geo_households()
    g.loc[2, "geometry"] = Polygon([(107.98, 16.15), (107.981, 16.15), (107.981, 16.151)])
    path = tmp_path / "households.gpkg"
    g.to_crs(32649).to_file(path, layer="households", driver="GPKG", engine="pyogrio")
    gdf = read_households(path)
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.iloc[0].x == pytest.approx(108.0712, abs=1e-7)
    assert gdf.geometry.iloc[0].y == pytest.approx(16.1182, abs=1e-7)
    assert gdf["location_quality"].tolist() == ["gps", "gps", "gps"]
    assert any("not points" in p.message for p in gdf.attrs["problems"])


# --- households: every problem, with its row and a fix -----------------------------------


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
    assert all(p.fix and p.file == "households_broken.csv" for p in errors)
    assert "also row 2" in by_where["row 3", "household_id"].message
    assert "swapped" in by_where["row 4", "latitude"].message
    assert "latitude 16.152, longitude 107.981" in by_where["row 4", "latitude"].fix
    assert "did you mean 'vneid'" in by_where["row 5", "services"].fix
    assert "07:00-11:00" in by_where["row 6", "availability"].fix
    assert "Giàn Bí" in by_where["row 8", "village"].fix
    assert "km from the middle" in by_where["row 10", "latitude"].message
    message = str(exc.value)
    assert message.startswith("households_broken.csv: 11 problems:")
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


def test_swap_is_found_from_the_area_anywhere_in_the_world(tmp_path: Path) -> None:
    # Andorra: both orders are valid coordinates; only the area tells them apart
    rows = "\n".join(
        f"A{i},X,Encamp,{lat},{lon},,vneid,0,0,0,,,"
        for i, (lat, lon) in enumerate([(42.53, 1.58), (42.54, 1.59), (1.6, 42.55)])
    )
    path = write(tmp_path, "h.csv", HEADER + "\n" + rows + "\n")
    with pytest.raises(InputDataError) as exc:
        read_households(path, area=(1.4, 42.42, 1.79, 42.66))
    (p,) = exc.value.errors
    assert p.row == "row 4" and "swapped" in p.message and "outside the area" in p.message
    # without an area, the other points tell the same
    with pytest.raises(InputDataError) as exc:
        read_households(path)
    (p,) = exc.value.errors
    assert p.row == "row 4" and "swapped" in p.message


def test_points_outside_the_area(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "h.csv",
        HEADER + "\nA1,X,V,16.1182,108.0712,,vneid,0,0,0,,,\n"
        "A2,X,V,16.2500,108.0712,,vneid,0,0,0,,,\n",
    )
    area = (108.0, 16.05, 108.15, 16.2)
    with pytest.raises(InputDataError) as exc:
        read_households(path, area=area)
    (p,) = exc.value.errors
    assert p.row == "row 3" and "6 km outside the area" in p.message
    assert len(read_households(path, area=area, area_margin_km=10)) == 2


def test_far_point_limit_is_a_keyword(tmp_path: Path) -> None:
    rows = "\n".join(
        f"A{i},X,V,{lat},108.07,,vneid,0,0,0,,,"
        for i, lat in enumerate([16.10, 16.11, 16.12, 16.60])
    )
    path = write(tmp_path, "h.csv", HEADER + "\n" + rows + "\n")
    with pytest.raises(InputDataError, match="row 5"):
        read_households(path)
    assert len(read_households(path, outlier_km=60)) == 4


# --- column names --------------------------------------------------------------------------


def test_misspelled_and_unknown_columns(tmp_path: Path) -> None:
    header = HEADER.replace("latitude", "lattitude").replace("notes", "notse")
    path = write(
        tmp_path,
        "h.csv",
        "STT," + header + ",Ghi chú thêm\n1,A1,X,V,16.1,108.0,,vneid,0,0,0,,,,abc\n",
    )
    with pytest.raises(InputDataError) as exc:
        read_households(path)
    probs = problems_of(exc)
    errors = {p.message: p.fix for p in probs if p.severity == "error"}
    assert errors == {
        "column 'latitude' is missing": "rename column 'lattitude' to 'latitude'",
        "unknown column 'notse'": "did you mean 'notes'? rename it",
    }
    (warning,) = [p for p in probs if p.severity == "warning"]
    assert "'Ghi chú thêm'" in warning.message and "STT" not in warning.message


def test_two_columns_for_the_same_thing(tmp_path: Path) -> None:
    path = write(tmp_path, "h.csv", HEADER + ",ma_ho\nA1,X,V,16.1,108.0,,vneid,0,0,0,,,,B1\n")
    with pytest.raises(InputDataError, match="'household_id' and 'ma_ho' both give"):
        read_households(path)


def test_coordinates_in_one_column(tmp_path: Path) -> None:
    path = write(
        tmp_path, "h.csv", 'ma_ho,ho_ten,thon,toa_do,dich_vu\nA1,X,V,"16.1182, 108.0712",vneid\n'
    )
    gdf = read_households(path)
    assert (gdf.geometry.iloc[0].x, gdf.geometry.iloc[0].y) == (108.0712, 16.1182)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        (HEADER + "\n", "no rows below the header"),
        ("\n\n,,,\n", "the file is empty"),
    ],
)
def test_empty_files(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "h.csv", text)
    with pytest.raises(InputDataError, match=message):
        read_households(path)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.csv", "file not found"),
        ("old.xls", ".xls files cannot be read"),
        ("h.docx", "unknown file type"),
    ],
)
def test_files_that_cannot_be_read(tmp_path: Path, name: str, message: str) -> None:
    if name != "missing.csv":
        (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputDataError, match=re.escape(message)):
        read_households(tmp_path / name)


def test_extra_cells_from_an_unquoted_comma(tmp_path: Path) -> None:
    for line, severity in (
        ("A1,X,V,16.1,108.0,,vneid,sim,0,0,0,,,", "warning"),
        ("A1,X,V,16.1,108.0,,vneid,sim,0,0,0,,,x", "error"),
    ):
        path = write(tmp_path, "h.csv", HEADER + "\n" + line + "\n")
        with pytest.raises(InputDataError) as exc:
            read_households(path)
        assert any(
            p.row == "row 2"
            and "14 cells" in p.message
            and "quotes" in p.fix
            and p.severity == severity
            for p in exc.value.problems
        )


# --- phone numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("905123456", "0905123456"),
        ("905123456.0", "0905123456"),
        ("9.05123456E+08", "0905123456"),
        ("0905 123 456", "0905 123 456"),
        ("84905123456", "84905123456"),
        ("+84 905 123 456", "+84 905 123 456"),
        ("23612345", "23612345"),
        ("123456789", "123456789"),
    ],
)
def test_phones_stay_text_and_lost_zeros_come_back(tmp_path: Path, typed: str, kept: str) -> None:
    path = write(tmp_path, "h.csv", HEADER + f'\nA1,X,V,16.1,108.0,"{typed}",vneid,0,0,0,,,\n')
    assert read_households(path)["phone"].iloc[0] == kept


def test_phone_that_lost_digits_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "h.csv", HEADER + "\nA1,X,V,16.1,108.0,9.05E+08,vneid,0,0,0,,,\n")
    gdf = read_households(path)
    assert any(p.column == "phone" and "lost" in p.message for p in gdf.attrs["problems"])


def test_slug() -> None:
    assert slug("Cơ Tu") == slug("Co Tu") == slug(" co-tu ") == "co_tu"
    assert slug("Đi bộ") == "di_bo"


# --- volunteers and service points ---------------------------------------------------------


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


def test_service_points() -> None:
    sp = read_service_points(REG / "service_points.csv")
    assert list(sp.columns) == ["point_id", "name", "source_row", "geometry"]
    assert sp["point_id"].tolist() == ["SP-01", "SP-02"] and sp.crs.to_epsg() == 4326
    with pytest.raises(InputDataError) as exc:
        read_service_points(REG / "service_points_broken.csv")
    assert where(problems_of(exc)) == {(None, "latitude"), ("row 3", "point_id")}
    assert "rename column 'lattitude' to 'latitude'" in str(exc.value)


# --- several files, and the command line ---------------------------------------------------


def test_validate_files_checks_across_files_without_raising() -> None:
    problems = validate_files(
        REG / "households.csv", REG / "volunteers_broken.csv", REG / "service_points.csv"
    )
    files = {p.file for p in problems if p.severity == "error"}
    assert files == {"volunteers_broken.csv"}
    across = [p for p in problems if p.file is None]
    assert any("'digital_signature'" in p.message and "row 6" in p.message for p in across)
    assert any("'co_tu'" in p.message and "rows 4, 5" in p.message for p in across)
    assert all(p.severity == "warning" for p in across)
    # the valid registers fit together: no problem across them
    ok = validate_files(REG / "households.csv", REG / "volunteers.csv", REG / "service_points.csv")
    assert [p for p in ok if p.file is None] == []
    assert all(p.severity == "warning" for p in ok)


def test_validate_files_reports_unreadable_files() -> None:
    problems = validate_files(households=REG / "nope.csv")
    assert [(p.file, p.message) for p in problems] == [("nope.csv", "file not found")]


def test_ids_shared_between_registers_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "sp.csv", "point_id,name,latitude,longitude\nHB-0001,X,16.12,108.04\n")
    problems = validate_files(REG / "households.csv", service_points=path)
    assert any(p.file is None and "'HB-0001'" in p.message for p in problems)


def test_cli_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "validate",
            "--households",
            str(REG / "households.csv"),
            "--volunteers",
            str(REG / "volunteers.csv"),
            "--service-points",
            str(REG / "service_points.csv"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "households.csv: 6 rows, OK" in out
    assert "volunteers.csv: 3 rows, OK" in out and "service_points.csv: 2 rows, OK" in out


def test_cli_validate_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "validate",
            "--households",
            str(REG / "households_broken.csv"),
            "--volunteers",
            str(REG / "volunteers.csv"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 2
    assert "households_broken.csv: 12 rows, 11 errors, 1 warning" in out
    assert "row 4 [latitude]: latitude 107.981 is outside -90..90" in out
    assert "volunteers.csv: 3 rows, OK" in out


def test_cli_validate_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 2
    assert "at least one" in capsys.readouterr().err


def test_cli_validate_bad_settings_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path, "s.toml", "[planner]\ncapacityy = 3\n")
    assert (
        main(["validate", "--households", str(REG / "households.csv"), "--settings", str(bad)]) == 2
    )
    assert "capacity" in capsys.readouterr().err


# --- the templates ------------------------------------------------------------------------


def test_register_templates_read_cleanly() -> None:
    problems = validate_files(
        TEMPLATES / "households.csv", TEMPLATES / "volunteers.csv", TEMPLATES / "service_points.csv"
    )
    assert [p for p in problems if p.severity == "error"] == []
    assert len(read_households(TEMPLATES / "households.csv")) >= 2


def _uncommented_settings(text: str) -> str:
    """The template with its commented-out settings switched on."""
    lines = []
    for line in text.splitlines():
        m = re.match(r"^#\s?((?:\[[\w.]+\])|(?:[\w]+ = .*))$", line)
        lines.append(m.group(1) if m else line)
    return "\n".join(lines) + "\n"


def test_settings_template_documents_every_setting_with_its_default(tmp_path: Path) -> None:
    import dataclasses

    text = (TEMPLATES / "settings.toml").read_text(encoding="utf-8")
    assert load_settings(TEMPLATES / "settings.toml") == Settings()  # all commented out
    on = write(tmp_path, "on.toml", _uncommented_settings(text))
    data = tomllib.loads(on.read_text(encoding="utf-8"))
    defaults = Settings()
    for section in ("network", "planner", "coverage", "output"):
        obj = getattr(defaults, section)
        names = {f.name for f in dataclasses.fields(obj)}
        assert set(data.get(section, {})) == names, f"[{section}] in data/templates/settings.toml"
    assert set(data["services"]) == set(defaults.services)
    assert load_settings(on) == defaults


def test_cli_validate_places_from_an_osm_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("osmium")
    osm = write(
        tmp_path,
        "places.osm",
        """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="test">
  <node id="1" version="1" lat="16.1520" lon="107.9810">
    <tag k="place" v="hamlet"/><tag k="name" v="Tà Lang"/>
  </node>
</osm>
""",
    )
    hh = write(tmp_path, "h.csv", HEADER + "\nA1,X,thôn Tà Lang,,,,vneid,0,0,0,,,\n")
    assert main(["validate", "--households", str(hh)]) == 2
    assert "not on the map" in capsys.readouterr().out
    assert main(["validate", "--households", str(hh), "--places", str(osm)]) == 0
    out = capsys.readouterr().out
    assert "h.csv: 1 row, OK" in out and "placed at the centre of the village" in out


def test_check_files_report() -> None:
    report = check_files(REG / "households_broken.csv", REG / "volunteers.csv")
    assert not report.ok
    assert dict(report.rows) == {"households_broken.csv": 12, "volunteers.csv": 3}
    lines = report.summary().splitlines()
    assert lines[0] == "households_broken.csv: 12 rows, 11 errors, 1 warning"
    rows = [int(m.group(1)) for m in map(re.compile(r"  - row (\d+) ").match, lines) if m]
    assert rows == sorted(rows)  # problems in row order
    assert check_files(REG / "households.csv").ok


def test_excel_unicode_text_utf16_tab_separated(tmp_path: Path) -> None:
    text = HEADER.replace(",", "\t") + "\nA1\tNguyễn Văn Hùng\tPhò Nam\t16.1\t108.0\t\tvneid\n"
    path = tmp_path / "h.txt"
    path.write_bytes(text.encode("utf-16"))  # with BOM, as Excel's "Unicode Text"
    gdf = read_households(path)
    assert gdf["head_name"].tolist() == ["Nguyễn Văn Hùng"]
