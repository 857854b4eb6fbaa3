"""The app shows the problems of an upload in Vietnamese; the English text stays the record.

Every planted bad register (``tests/fixtures/bad_registers``) and a bad outcomes file
give problems whose words the app has in Vietnamese; a problem without words shows its
English text, marked as such; the command line's text is unchanged (its whole
reports are compared in ``tests/faults/test_bad_registers.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from routeplan.app.problem_words import VIETNAMESE, row_words, shown
from routeplan.errors import Problem
from routeplan.registers import check_files

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "fixtures" / "bad_registers"
# letters only Vietnamese has: a translated text has some
VI = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def _codes_made_in_the_package() -> set[str]:
    """Every problem code written in routeplan's source."""
    found: set[str] = set()
    for path in (ROOT / "routeplan").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found.update(re.findall(r"\bcode=\"([a-z0-9_]+)\"", text))
        for m in re.finditer(r"_BadValue\(", text):  # _BadValue(message, code, ...)
            found.update(re.findall(r",\s*\"([a-z0-9_]+)\"", text[m.end() : m.end() + 300])[:1])
        if 'code=f"outcome_{column}_empty"' in text:
            found.update({"outcome_household_id_empty", "outcome_volunteer_id_empty"})
    return found


def test_every_code_made_has_vietnamese_words() -> None:
    made = _codes_made_in_the_package()
    assert len(made) > 60
    assert sorted(made - set(VIETNAMESE)) == []
    assert sorted(set(VIETNAMESE) - made) == []  # no words left for a code gone


def _planted() -> list[tuple[str, Problem]]:
    out = []
    for path in sorted(BAD.iterdir()):
        if path.name == "README.md":
            continue
        kind = "households" if path.name.startswith("households") else "volunteers"
        out += [(path.name, p) for p in check_files(**{kind: path}).problems]
    return out


def test_every_planted_register_problem_is_said_in_vietnamese() -> None:
    planted = _planted()
    assert len(planted) >= 25
    for name, p in planted:
        vi = shown(p, "vi")
        assert vi.translated, (name, p)
        assert VI.search(vi.message) and VI.search(vi.fix), (name, vi)
        assert vi.message.lower() != p.message.lower()
        en = shown(p, "en")
        assert (en.message.lower(), en.fix.lower()) == (p.message.lower(), p.fix.lower())
        if p.row:
            assert vi.row.startswith("dòng ") and en.row == p.row


def test_the_words_of_some_planted_problems() -> None:
    said = {(n, p.row, p.column): shown(p, "vi") for n, p in _planted()}
    swapped = said[("households_swapped_latlon.csv", "row 3", "latitude")]
    assert swapped.message == (
        "Vĩ độ 108.073 nằm ngoài khoảng -90..90 (có phải vĩ độ và kinh độ bị ghi ngược?)"
    )
    assert swapped.fix == "Đổi chỗ hai giá trị: vĩ độ 16.119, kinh độ 108.073"
    dup = said[("households_duplicate_ids.csv", "row 4", "household_id")]
    assert dup.message == "Mã 'HB-0001' ở cột household_id bị trùng (đã có ở dòng 2)"
    assert dup.fix.startswith("Mỗi hộ cần một mã riêng")
    empty = said[("volunteers_empty_id.csv", "row 3", "volunteer_id")]
    assert empty.message == "Ô volunteer_id bị trống"
    assert "tình nguyện viên" in empty.fix
    window = said[("households_decimal_commas.csv", "row 2", "availability")]
    assert window.message.startswith("Giờ rảnh '0': '0' chưa phải khung giờ")


def test_outcome_file_problems_are_said_in_vietnamese(tmp_path: Path) -> None:
    from routeplan.campaign.outcome_rows import Known, parse_visits, read_outcome_rows
    from routeplan.config import Settings

    path = tmp_path / "ket_qua.csv"
    path.write_text(
        "household_id,date,volunteer_id,outcome,services_done,people_supported,ghi_chu_x\n"
        "HB-0005,03/12/2026,TN-01,xong,vneld,1,\n"
        "HB-9999,31/02/2026,TN-01,maybe,,abc,\n"
        ",03/12/26,TN-09,vắng nhà,vneid,40,\n"
        "HB-0006,hôm qua,,hẹn lại,,,\n",
        encoding="utf-8",
    )
    problems: list[Problem] = []
    table = read_outcome_rows(path, problems)
    known = Known(
        services={"HB-0005": ("vneid",), "HB-0006": ("vneid",)},
        households={"HB-0005": True, "HB-0006": True},
        volunteers={"TN-01": True, "TN-09": False},
    )
    parse_visits(table, known, settings=Settings(), today=dt.date(2026, 12, 6), problems=problems)
    assert len(problems) >= 10
    for p in problems:
        vi = shown(p, "vi")
        assert vi.translated and VI.search(vi.message), p
    by_code = {p.code: shown(p, "vi") for p in problems}
    assert by_code["date_no_such_day"].message == "Ngày '31/02/2026' không có thật"
    assert by_code["outcome_id_unknown"].message == "Không có hộ 'HB-9999' trong danh sách"
    assert by_code["outcome_service_unknown"].fix == "Có phải là 'vneid'?"


def test_a_problem_without_words_shows_its_english_marked() -> None:
    p = Problem("something new went wrong", "do this", file="x.csv", row="row 4")
    vi = shown(p, "vi")
    assert (vi.message, vi.fix, vi.translated) == ("Something new went wrong", "Do this", False)
    assert vi.row == "dòng 4"  # the place is still said in Vietnamese
    assert shown(p, "en").translated
    # words whose params are missing do not break the page: the English is shown
    broken = Problem("latitude 1 is outside", "swap", code="latitude_swapped", params={})
    assert shown(broken, "vi").translated is False


def test_code_and_params_do_not_change_what_a_problem_is() -> None:
    a = Problem("m", "f", file="a.csv", row="row 2")
    b = Problem("m", "f", file="a.csv", row="row 2", code="x", params={"v": [1]})
    assert a == b and hash(a) == hash(b) and str(a) == str(b) and repr(a) == repr(b)


@pytest.mark.parametrize(
    ("row", "want"),
    [("row 12", "dòng 12"), ("rows 3, 4", "dòng 3, 4"), ("feature 3", "đối tượng 3"), (None, "")],
)
def test_places_in_a_file(row: str | None, want: str) -> None:
    assert row_words(row, "vi") == want


def test_more_register_problems_are_said_in_vietnamese(tmp_path: Path) -> None:
    volunteers = tmp_path / "tinh_nguyen_vien.csv"
    volunteers.write_text(
        "volunteer_id,name,phone,latitude,longitude,capacity,availability,mode,skills,ghi_chu\n"
        "TN-01,,0905111222,16.1175,108.0731,2.5,Sat 07:30-11:30,xe dap,,\n"
        "TN-02,Bùi Thu Nhung,0905446653,16.1290,,900,,motorbike,lai_xe,\n"
        "TN-03,Lê Văn Tám,9.05E+08,,,20,Sat 11:00-07:00,walking,,\n"
        "TN-04,Hồ Thị Lan,0905000111,0,0,20,Sun 08:00 12:00,walking,,\n"
        "TN-05,Hồ Văn Bốn,0905000112,16.12,108.07,20,T7,walking,,\n",
        encoding="utf-8",
    )
    households = tmp_path / "ho.csv"
    households.write_text(
        "household_id,head_name,village,latitude,longitude,phone,services,elderly,"
        "disability,remote,language,availability,notes\n"
        "HB-1,Phan Công Trung,Quan Nam,16.1132,108.1014,0903984407,,0,0,0,co tu; ta oi,,\n"
        "HB-2,Huỳnh Văn Phước,,abc,108.1004,0336240067,vneid,0,0,0,,,\n"
        "HB-3,Lê Thị Lan,,,,0336240068,vneid,0,0,0,,,\n"
        "HB-4,Trần Văn Nam,,,,0336240069,vneid,0,0,0,,25:00-26:00,\n",
        encoding="utf-8",
    )
    report = check_files(households=households, volunteers=volunteers)
    codes = {p.code for p in report.problems}
    assert {
        "volunteer_name_empty",
        "capacity_not_whole",
        "capacity_range",
        "mode_unknown",
        "availability_empty",
        "coordinate_half",
        "location_zero",
        "window_backwards",
        "no_services",
        "languages_several",
        "coordinate_not_number",
        "no_location",
    } <= {c for p in report.problems for c in (p.code, (p.params or {}).get("code"))}, codes
    # (the checks across registers that only `routeplan validate` makes are not here)
    for p in (p for p in report.problems if p.file is not None):
        vi = shown(p, "vi")
        assert vi.translated and VI.search(vi.message + vi.fix), p


def test_map_file_problems_are_said_in_vietnamese(tmp_path: Path) -> None:
    from routeplan.errors import InputDataError
    from routeplan.network import check_network_file, load_network

    (tmp_path / "maps").mkdir()
    (tmp_path / "ban_do.kml").write_text("<kml/>", encoding="utf-8")
    broken = tmp_path / "ban_do.osm"
    broken.write_text("<osm><way id='1'><nd ref=", encoding="utf-8")
    found = [
        *check_network_file(tmp_path / "none.osm"),
        *check_network_file(tmp_path / "maps"),
        *check_network_file(tmp_path / "ban_do.kml"),
    ]
    with pytest.raises(InputDataError) as exc:
        load_network(broken)
    found += exc.value.problems
    assert [p.code for p in found] == [
        "map_not_found",
        "map_folder",
        "map_type_unknown",
        "osm_unreadable",
    ]
    for p in found:
        vi = shown(p, "vi")
        assert vi.translated and VI.search(vi.message + vi.fix), p
    assert shown(found[2], "vi").message == "Không nhận loại tệp bản đồ '.kml'"
