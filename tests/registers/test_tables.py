"""Files into tables: encodings, delimiters, Excel, GeoJSON/GeoPackage, header names."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

import geopandas as gpd
import pytest
from helpers_registers import HEADER, HOUSEHOLD_CONTRACT, REG, problems_of, where, write
from shapely.geometry import Point, Polygon

from routeplan.errors import InputDataError
from routeplan.registers import read_cells, read_households


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


def test_letters_lost_to_question_marks_are_an_error_naming_each_row(tmp_path: Path) -> None:
    body = "\nA1,Hu?nh V?n Ph??c,Tà Lang,16.1,108.0,,vneid,0,0,0,C? Tu,,"
    body += "\nA2,Lê Ly,X,16.1,108.0,,,,,,,,"
    path = tmp_path / "q.csv"
    path.write_bytes((HEADER + body + "\nA3,An,X,16.1,108.0,,,,,,,,Có nhà?\n").encode("cp1252"))
    with pytest.raises(InputDataError) as err:
        read_households(path)
    lost = [p for p in err.value.errors if "replaced by '?'" in p.message]
    assert [(p.file, p.row) for p in lost] == [(str(path), "row 2")]  # not row 4's question
    assert "Hu?nh V?n Ph??c" in lost[0].message and "from the original" in lost[0].fix


def test_a_question_mark_in_a_file_that_kept_its_letters_is_text(tmp_path: Path) -> None:
    path = write(tmp_path, "q.csv", HEADER + "\nA1,Nguyễn Văn A,Phò Nam,16.1,108.0,,,,,,,,ở nhà?\n")
    assert read_households(path)["notes"].tolist() == ["ở nhà?"]


@pytest.mark.parametrize(
    ("raw", "text", "encoding"),
    [
        (b"Niccol\xf2 Rossi", "Niccolò Rossi", "Windows-1252"),  # not Niccoḷ
        (b"Jo\xe3o Concei\xe7\xe3o", "João Conceição", "Windows-1252"),  # not Joăo
        (b"M\xfcller Stra\xdfe", "Müller Straße", "Windows-1252"),
        (b"Nguy\xea\xden Thi\xf2 \xc1nh", "Nguyễn Thị Ánh", "Windows-1258"),
        (b"Huy\xccnh V\xe3n Ph\xfd\xf5\xecc", "Huỳnh Văn Phước", "Windows-1258"),
        (b"C\xf5 Tu, \xd0a\xcc N\xe3\xdeng", "Cơ Tu, Đà Nẵng", "Windows-1258"),
        (b"\xc8\xe2\xe0\xed\xee\xe2 \xcf\xe5\xf2\xf0", "Иванов Петр", "cp1251"),
    ],
)
def test_legacy_encoding_is_told_from_the_bytes(
    tmp_path: Path, raw: bytes, text: str, encoding: str
) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(b'household_id,head_name\r\nHB-1,"' + raw + b'"\r\n')
    cells, problems = read_cells(path, {"household_id": (), "head_name": ()})
    assert cells is not None and cells[1] == ["HB-1", text]
    assert [p.severity for p in problems] == ["warning"]
    assert encoding in problems[0].message and "UTF-8" in problems[0].fix
    if encoding == "Windows-1258":  # the planted bytes are real Windows-1258
        assert unicodedata.normalize("NFC", raw.decode("cp1258")) == text


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


def test_excel_unicode_text_utf16_tab_separated(tmp_path: Path) -> None:
    text = HEADER.replace(",", "\t") + "\nA1\tNguyễn Văn Hùng\tPhò Nam\t16.1\t108.0\t\tvneid\n"
    path = tmp_path / "h.txt"
    path.write_bytes(text.encode("utf-16"))  # with BOM, as Excel's "Unicode Text"
    gdf = read_households(path)
    assert gdf["head_name"].tolist() == ["Nguyễn Văn Hùng"]


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


def test_read_cells_keeps_the_header_and_picks_the_delimiter(tmp_path: Path) -> None:
    columns = {"household_id": ("ma_ho",), "outcome": ("ket_qua",)}
    path = write(tmp_path, "o.csv", "ma_ho;ket_qua\nHB-1;done, twice\n")
    cells, problems = read_cells(path, columns)
    assert cells == [["ma_ho", "ket_qua"], ["HB-1", "done, twice"]] and problems == []
    cells, problems = read_cells(tmp_path / "nope.csv", columns)
    assert cells is None
    assert [(p.file, p.message) for p in problems] == [
        (str(tmp_path / "nope.csv"), "file not found")
    ]
