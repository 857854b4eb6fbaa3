"""Every planted bad register gives the report it must: file, row, column, message and fix.

The files are in ``tests/fixtures/bad_registers/`` (its README says what each plants).
A case lists its whole report, in order: a new, missing or reworded problem fails it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from routeplan.cli import main
from routeplan.registers import check_files, read_households, read_volunteers
from routeplan.render.text import safe_file_name

BAD = Path(__file__).resolve().parents[1] / "fixtures" / "bad_registers"

UTF8 = "CSV UTF-8"
FILE_TYPES = "give a .csv, .xlsx, .geojson or .gpkg file"

# file -> [(severity, row, column, in the message, in the fix), ...] in report order
REPORTS: dict[str, list[tuple[str, str | None, str | None, str, str]]] = {
    "households_swapped_latlon.csv": [
        (
            "error",
            "row 3",
            "latitude",
            "latitude 108.073 is outside -90..90 (are latitude and longitude swapped?)",
            "swap the two values: latitude 16.119, longitude 108.073",
        )
    ],
    "households_decimal_commas.csv": [
        (
            "error",
            "row 2",
            None,
            "this row has 15 cells but the header has 13 columns (decimal commas? '16,1182')",
            "write '16.1182' with a dot, or put values that contain commas in double quotes",
        ),
        ("error", "row 2", "services", "unknown service '0712'", "known services"),
        ("error", "row 2", "elderly", "elderly '0905123456' is not yes or no", "write 1 or 0"),
        ("error", "row 2", "disability", "is not yes or no", "write 1 or 0"),
        ("error", "row 2", "availability", "availability '0'", "write start-end"),
        ("error", "row 2", "latitude", "location 16, 1182 is not in degrees", "EPSG:4326"),
    ],
    "households_semicolons_decimal_commas.csv": [],
    "households_duplicate_ids.csv": [
        (
            "error",
            "row 4",
            "household_id",
            "duplicate household_id 'HB-0001' (also row 2)",
            "give each household its own id",
        )
    ],
    "households_missing_columns.csv": [
        ("error", None, "head_name", "column 'head_name' is missing", "add a column 'head_name'"),
        ("error", None, "latitude", "column 'latitude' is missing", "add a column 'latitude'"),
        ("error", None, "longitude", "column 'longitude' is missing", "add a column 'longitude'"),
    ],
    "households_empty.csv": [
        ("error", None, None, "the file is empty", "`routeplan template households.csv`")
    ],
    "households_binary.csv": [("error", None, None, "this is not a text (CSV) file", FILE_TYPES)],
    "households_folder.csv": [
        ("error", None, None, "this is a folder, not a file", "give the path of the register file")
    ],
    "households_wrong_extension.docx": [
        ("error", None, None, "unknown file type '.docx'", FILE_TYPES)
    ],
    "households_old_excel.xls": [
        ("error", None, None, ".xls files cannot be read", "save it as .xlsx")
    ],
    "households_question_marks.csv": [
        ("warning", None, None, "read as Windows-1252", UTF8),
        *[
            ("error", f"row {n}", None, f"letters were replaced by '?' ({text!r})", UTF8)
            for n, text in [
                (2, "Nguy?n V?n Hùng"),
                (3, "Lê Th? Lan"),
                (4, "A L?ng P?"),
                (5, "Tr?n V?n Nam"),
                (6, "H? Th? Hoa"),
                (7, "Hu?nh V?n Ph??c"),
            ]
        ],
    ],
    "households_cp1258.csv": [
        ("warning", None, None, "read as Windows-1258 (Vietnamese) (e.g. 'Nguyễn')", UTF8)
    ],
    "households_cp1252.csv": [
        ("warning", None, None, "read as Windows-1252 (Western European) (e.g. 'Niccolò')", UTF8)
    ],
    "households_mojibake.csv": [
        ("warning", None, None, "the text was garbled (e.g. '1,Nguyá»…n VÄƒ')", UTF8)
    ],
    "households_formula_cells.csv": [],
    "households_excel.xlsx": [
        ("error", "row 3", "latitude", "latitude '16.1190 N' is not a number", "decimal degrees"),
        ("error", "row 4", "services", "unknown service 'vneld'", "did you mean 'vneid'?"),
    ],
    "households_truncated.xlsx": [
        ("error", None, None, "cannot read this Excel file", "save it again as .xlsx")
    ],
    "volunteers_long_id.csv": [],
    "volunteers_reserved_names.csv": [],
    "volunteers_clashing_ids.csv": [],
    "volunteers_empty_id.csv": [
        ("error", "row 3", "volunteer_id", "volunteer_id is empty", "like 'TN-01'")
    ],
}


def test_every_planted_file_has_a_report() -> None:
    assert sorted(p.name for p in BAD.iterdir() if p.name != "README.md") == sorted(REPORTS)


def _kind(name: str) -> str:
    return "households" if name.startswith("households") else "volunteers"


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_planted_register_gives_its_report(name: str) -> None:
    path = BAD / name
    report = check_files(**{_kind(name): path})
    got = [p for p in report.problems if p.file is not None]
    want = REPORTS[name]
    assert [(p.severity, p.row, p.column) for p in got] == [w[:3] for w in want], report.summary()
    for p, (_, _, _, message, fix) in zip(got, want, strict=True):
        assert p.file == str(path)  # the path as given, not only its base name
        assert message in p.message and fix in p.fix, p
    assert report.ok == all(w[0] == "warning" for w in want)


def test_validate_prints_the_same_report_with_the_path_typed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = BAD / "households_question_marks.csv"
    assert main(["validate", "--households", str(path)]) == 2
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"{path}: 6 rows, 6 errors, 1 warning"
    assert "  - row 7: letters were replaced by '?' ('Hu?nh V?n Ph??c')" in out
    assert "  - warning: the file is not saved as UTF-8" in out


def test_files_that_must_read_right_do() -> None:
    vi = read_households(BAD / "households_cp1258.csv")
    assert vi["head_name"].tolist()[:3] == ["Nguyễn Văn Hùng", "Lê Thị Lan", "A Lăng Pố"]
    assert vi["language"].tolist()[2] == "co_tu"  # Cơ Tu, not c_tu
    western = read_households(BAD / "households_cp1252.csv")
    assert western["head_name"].tolist() == ["Niccolò Rossi", "João Conceição", "Jürgen Müller"]
    mojibake = read_households(BAD / "households_mojibake.csv")
    assert mojibake["head_name"].tolist() == vi["head_name"].tolist()
    semi = read_households(BAD / "households_semicolons_decimal_commas.csv")
    assert (semi.geometry.iloc[0].y, semi.geometry.iloc[0].x) == (16.1182, 108.0712)
    formula = read_households(BAD / "households_formula_cells.csv")
    assert formula["household_id"].tolist() == ["=HB-0001", "+HB-0002"]  # as routeplan wrote
    assert formula["head_name"].tolist() == ['=HYPERLINK("http://evil.example","x")', "@SUM(A1:A9)"]


@pytest.mark.parametrize(
    "name",
    ["volunteers_long_id.csv", "volunteers_reserved_names.csv", "volunteers_clashing_ids.csv"],
)
def test_hostile_volunteer_ids_get_distinct_safe_file_names(name: str) -> None:
    ids = read_volunteers(BAD / name)["volunteer_id"].tolist()
    names = [safe_file_name(i) for i in ids]
    assert len({n.casefold() for n in names}) == len(ids)
    assert all(len(n) <= 64 and "/" not in n and "\\" not in n for n in names)
    # Windows cannot open CON.html, NUL.TXT.html or COM1.pdf: the part before the first dot
    reserved = {"CON", "PRN", "AUX", "NUL", *(f"{d}{k}" for d in ("COM", "LPT") for k in range(10))}
    assert not any(n.split(".")[0].upper() in reserved for n in names)
