"""Printable route sheets: what a volunteer holds on a round."""

from __future__ import annotations

import ctypes
import re
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from routeplan.config import OutputSettings, Settings
from routeplan.errors import InputDataError
from routeplan.planner import Plan, Route, Stop
from routeplan.render.bundle import bundle
from routeplan.render.sheets import write_sheets
from routeplan.render.sheets.writer import SheetWriter


def pdf_text(path: Path) -> list[str]:
    """Return the text of every page."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def squash(text: str) -> str:
    """Drop whitespace: names may wrap onto two lines in a narrow column."""
    return re.sub(r"\s+", "", text)


def page_count(path: Path) -> int:
    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def fonts(path: Path) -> set[tuple[str, bool]]:
    """Return (font name, embedded?) of every text object on every page."""
    found = set()
    doc = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(doc)):
            for obj in doc[i].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
                font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
                buf = ctypes.create_string_buffer(256)
                pdfium_c.FPDFFont_GetBaseFontName(font, buf, 256)
                found.add((buf.value.decode(), bool(pdfium_c.FPDFFont_GetIsEmbedded(font))))
    finally:
        doc.close()
    return found


def render(path: Path, scale: float = 1.0) -> list[np.ndarray]:
    doc = pdfium.PdfDocument(str(path))
    try:
        return [
            np.asarray(doc[i].render(scale=scale).to_pil().convert("RGB")) for i in range(len(doc))
        ]
    finally:
        doc.close()


@pytest.fixture(scope="session")
def vi_sheets(small_plan: Any, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("sheets_vi")
    settings = Settings(output=OutputSettings(coordinator="Lê Văn Hùng 0905 000 111"))
    p = small_plan
    checked = bundle(p.plan, p.households, p.volunteers, matrices=p.matrices, settings=settings)
    return write_sheets(checked, out, network=p.network)


def test_writes_one_file_for_the_week_and_one_per_volunteer(vi_sheets: list[Path]) -> None:
    out = vi_sheets[0].parent
    assert vi_sheets == [
        out / "route_sheets_all.pdf",
        out / "sheets" / "TN-01.pdf",
        out / "sheets" / "TN-02.pdf",
    ]
    assert all(p.stat().st_size > 5_000 for p in vi_sheets)
    # no temporary files left behind
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]


def test_one_page_per_volunteer_and_day(vi_sheets: list[Path], small_plan: Any) -> None:
    rounds = {(r.volunteer_id, r.day) for r in small_plan.plan.routes}
    assert page_count(vi_sheets[0]) == len(rounds) == 4
    assert page_count(vi_sheets[1]) == 2
    assert page_count(vi_sheets[2]) == 2


def test_each_volunteers_file_has_their_pages_only(vi_sheets: list[Path]) -> None:
    all_pages = pdf_text(vi_sheets[0])
    for path, vid, other in ((vi_sheets[1], "TN-01", "TN-02"), (vi_sheets[2], "TN-02", "TN-01")):
        pages = pdf_text(path)
        assert pages == [p for p in all_pages if f"({vid})" in p]
        assert all(other not in p for p in pages)
        assert all(embedded for _, embedded in fonts(path))


def test_vietnamese_text_is_exact(vi_sheets: list[Path], small_plan: Any) -> None:
    pages = pdf_text(vi_sheets[0])
    text = squash("".join(pages))
    hh = small_plan.households.set_index("household_id")
    for route in small_plan.plan.routes:
        for stop in route.stops:
            assert squash(hh.loc[stop.household_id, "head_name"]) in text
    for words in (
        "Nguyễn Văn An (TN-01)",
        "Thứ Hai 12/05/2025",
        "Thứ Tư 14/05/2025",
        "Xong",
        "Vắng nhà",
        "Từ chối",
        "Hẹn lại mang giấy tờ",
        "Ghi chú",
        "Định danh điện tử VNeID",
        "Hồ sơ trợ cấp xã hội",
        "Giờ đến",
        "Thôn",
        "Tà Lang",
        "Điện thoại",
        "Lê Văn Hùng 0905 000 111",
        "Chó dữ, gọi trước khi đến",
        "Điều phối viên",
    ):
        assert squash(words) in text, words
    # the first page is TN-01's Monday: its four households, in order, with times
    first = pages[0]
    assert "Thứ Hai" in first and "TN-02" not in first
    order = [first.index(n) for n in ("Nguyễn Thị Ánh", "Bh'riu Thị Hoa", "=HYPERLINK")]
    assert order == sorted(order)
    for time in ("07:30", "07:40", "08:10", "08:40", "09:10", "09:40"):
        assert time in first


def test_fonts_are_embedded_dejavu(vi_sheets: list[Path]) -> None:
    used = fonts(vi_sheets[0])
    assert used, "no text objects found"
    assert all(embedded for _, embedded in used), used
    assert all("DejaVuSans" in name for name, _ in used), used


def test_pages_render_and_show_a_map(vi_sheets: list[Path]) -> None:
    for img in render(vi_sheets[0], scale=0.6):
        grey = img.mean(axis=2)
        dark = (grey < 128).mean()
        assert 0.02 < dark < 0.4, f"page looks blank or black ({dark:.1%} dark pixels)"
        # the route is drawn in blue in the map (top half of the page)
        top = img[: img.shape[0] // 2].astype(int)
        blue = (top[..., 2] > 150) & (top[..., 0] < 80)
        assert blue.sum() > 200


def test_english_labels(small_plan: Any, tmp_path: Path) -> None:
    p = small_plan
    settings = Settings(output=OutputSettings(language="en"))
    checked = bundle(p.plan, p.households, p.volunteers, matrices=p.matrices, settings=settings)
    paths = write_sheets(checked, tmp_path, volunteer_id="TN-01")
    text = " ".join(pdf_text(paths[0]))
    for words in (
        "Done",
        "Not at home",
        "Come back with papers",
        "Monday",
        "Wednesday",
        "Arrive",
        "Household",
        "Services needed",
        "VNeID electronic ID",
        "Nguyễn Thị Ánh",
    ):
        assert words in text, words
    for words in ("Xong", "Thứ Hai", "Giờ đến"):
        assert words not in text


def test_one_volunteers_file_has_only_them(small_plan: Any, tmp_path: Path) -> None:
    p = small_plan
    checked = bundle(p.plan, p.households, p.volunteers, matrices=p.matrices)
    paths = write_sheets(checked, tmp_path, network=p.network, volunteer_id="TN-02")
    assert paths == [tmp_path / "sheets" / "TN-02.pdf"]
    assert not (tmp_path / "route_sheets_all.pdf").exists()
    pages = pdf_text(paths[0])
    assert len(pages) == 2
    text = squash(" ".join(pages))
    assert "A Lăng Thị Hiền".replace(" ", "") in text
    assert "Coor Thị Mười".replace(" ", "") in text
    assert "NguyễnThịÁnh" not in text and "TN-01" not in text


def test_volunteer_without_rounds_gets_a_notice(small_plan: Any, tmp_path: Path) -> None:
    p = small_plan
    checked = bundle(p.plan, p.households, p.volunteers, matrices=p.matrices)
    (path,) = write_sheets(checked, tmp_path, volunteer_id="TN-03")
    (text,) = pdf_text(path)
    assert "Đoàn Văn Rảnh" in text and "Không có lượt đi thăm" in text


def test_unknown_volunteer_or_household_is_reported(small_plan: Any, tmp_path: Path) -> None:
    p = small_plan
    checked = bundle(p.plan, p.households, p.volunteers, matrices=p.matrices)
    with pytest.raises(InputDataError, match="TN-99"):
        write_sheets(checked, tmp_path, volunteer_id="TN-99")
    with pytest.raises(InputDataError, match="HB-0001"):
        bundle(p.plan, p.households.iloc[1:], p.volunteers, matrices=p.matrices)
    assert not list(tmp_path.rglob("*.pdf"))


def test_long_round_continues_with_the_header(small_plan: Any, tmp_path: Path) -> None:
    p = small_plan
    ids = list(p.households.household_id)[:12]
    stops = tuple(Stop(h, k + 1, 8 * 3600 + 1800 * k, 1200, 300) for k, h in enumerate(ids))
    long = Route("TN-03", 5, "walking", 8 * 3600 - 600, 8 * 3600 + 1800 * 12, stops, 4000, 14400)
    plan = Plan(routes=[long], assignment=dict.fromkeys(ids, "TN-03"))
    checked = bundle(plan, p.households, p.volunteers, matrices=p.matrices)
    (path,) = write_sheets(checked, tmp_path, network=p.network, volunteer_id="TN-03")
    pages = pdf_text(path)
    assert len(pages) >= 2
    for page in pages:
        assert "Đoàn Văn Rảnh (TN-03)" in page and "Thứ Bảy" in page
        assert "Giờ đến" in page and "Hẹn lại mang giấy tờ" in page
    assert "(tiếp theo)" in pages[1]
    text = squash(" ".join(pages))
    numbers = [squash(str(p.households.set_index("household_id").loc[h, "head_name"])) for h in ids]
    positions = [text.index(n) for n in numbers]
    assert positions == sorted(positions), "stops are not in visit order"


def test_decomposed_unicode_is_printed_composed(small_plan: Any, tmp_path: Path) -> None:
    import unicodedata

    p = small_plan
    households = p.households.copy()
    households.loc[0, "head_name"] = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    checked = bundle(p.plan, households, p.volunteers, matrices=p.matrices)
    (path,) = write_sheets(checked, tmp_path, volunteer_id="TN-01")
    assert "Nguyễn Thị Ánh" in " ".join(pdf_text(path))


def test_failed_write_leaves_no_partial_file(
    small_plan: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = small_plan
    target = tmp_path / "sheets" / "TN-01.pdf"
    target.parent.mkdir()
    target.write_bytes(b"last week's sheet")

    def broken(self: Any, path: Path) -> None:
        Path(path).write_bytes(b"%PDF-1.4 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(SheetWriter, "output", broken)
    checked = bundle(p.plan, p.households, p.volunteers, matrices=p.matrices)
    with pytest.raises(OSError, match="disk full"):
        write_sheets(checked, tmp_path, volunteer_id="TN-01")
    assert target.read_bytes() == b"last week's sheet"
    assert sorted(x.name for x in tmp_path.rglob("*")) == ["TN-01.pdf", "sheets"]


def test_failed_split_leaves_no_partial_file(
    small_plan: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = small_plan

    def broken(self: Any, dest: Any, *args: Any, **kwargs: Any) -> None:
        Path(dest).write_bytes(b"%PDF-1.7 half")
        raise OSError("disk full")

    monkeypatch.setattr(pdfium.PdfDocument, "save", broken)
    checked = bundle(p.plan, p.households, p.volunteers, matrices=p.matrices)
    with pytest.raises(OSError, match="disk full"):
        write_sheets(checked, tmp_path)
    assert [x.name for x in tmp_path.rglob("*.pdf")] == ["route_sheets_all.pdf"]
    assert not [x for x in tmp_path.rglob(".*")]


def test_demo_commune_sheets(demo_outputs_plan: Any, tmp_path: Path) -> None:
    p = demo_outputs_plan
    checked = bundle(p.plan, p.households, p.volunteers, matrices=p.matrices, settings=p.settings)
    paths = write_sheets(checked, tmp_path, network=p.network)
    pages = pdf_text(paths[0])
    assert len(pages) >= len(p.plan.routes) > 0
    text = squash(" ".join(pages))
    names = p.households.set_index("household_id").head_name
    for route in p.plan.routes:
        for stop in route.stops:
            assert squash(names[stop.household_id]) in text
    assert all(embedded for _, embedded in fonts(paths[0]))
    first = render(paths[0], scale=1.0)[0]
    top = first[: first.shape[0] // 2].astype(int)
    assert ((top[..., 2] > 150) & (top[..., 0] < 80)).sum() > 50, "no route on the map"
    grey = top.mean(axis=2)
    assert ((grey > 120) & (grey < 200)).sum() > 500, "no roads drawn around the route"


def small_text(path: Path) -> list[tuple[float, str]]:
    """Return (size in pt, text) of every text object set under 11 pt."""
    found = []
    doc = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
                size = ctypes.c_float()
                pdfium_c.FPDFTextObj_GetFontSize(obj.raw, ctypes.byref(size))
                a, b, c, d, _e, _f = obj.get_matrix().get()
                pt = size.value * max(abs(a), abs(d), abs(b), abs(c))
                if pt < 11 - 1e-6:
                    n = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
                    buf = (ctypes.c_ushort * (n // 2 + 1))()
                    pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, buf, n)
                    text = bytes(buf).decode("utf-16-le").split("\x00")[0]
                    found.append((round(pt, 2), text))
    finally:
        doc.close()
    return found


def test_text_is_at_least_11_pt_but_the_map_credit(vi_sheets: list[Path]) -> None:
    small = small_text(vi_sheets[0])
    # the README says exactly this: only the OpenStreetMap credit on the map is smaller
    assert {text for _, text in small} <= {"Dữ liệu đường: © OpenStreetMap"}
    assert all(pt == 8 for pt, _ in small)


def test_a_round_that_fits_is_one_page_with_the_way_home_and_remote_flags(
    small_plan: Any, tmp_path: Path
) -> None:
    p = small_plan
    households = p.households.copy()
    ids = list(households.household_id)[:6]  # long names and notes: a smaller map
    households["remote"] = households.household_id.isin(ids[3:5])
    stops = tuple(Stop(h, k + 1, 8 * 3600 + 1800 * k, 1200, 300) for k, h in enumerate(ids))
    six = Route("TN-03", 5, "walking", 8 * 3600 - 600, 8 * 3600 + 1800 * 6, stops, 4000, 7200)
    plan = Plan(routes=[six], assignment=dict.fromkeys(ids, "TN-03"))
    checked = bundle(plan, households, p.volunteers, matrices=p.matrices)
    (path,) = write_sheets(checked, tmp_path, network=p.network, volunteer_id="TN-03")
    (page,) = pdf_text(path)  # six stops, the map and the way home on one page
    assert re.search(r"11:00\s*Về nhà", page)
    assert page.count("Vùng xa") == 2


def test_stops_that_cluster_get_a_close_up(small_plan: Any, tmp_path: Path) -> None:
    from shapely.geometry import Point

    p = small_plan
    households = p.households.copy()
    ids = list(households.household_id)[:5]

    def sheet_text(hh: Any, name: str) -> str:
        stops = tuple(Stop(h, k + 1, 8 * 3600 + 1800 * k, 1200, 300) for k, h in enumerate(ids))
        r = Route("TN-03", 5, "walking", 8 * 3600 - 600, 8 * 3600 + 1800 * 5, stops, 4000, 6000)
        plan = Plan(routes=[r], assignment=dict.fromkeys(ids, "TN-03"))
        checked = bundle(plan, hh, p.volunteers)
        (path,) = write_sheets(checked, tmp_path / name, volunteer_id="TN-03")
        (page,) = pdf_text(path)
        return page

    first = households.loc[households.household_id == ids[0], "geometry"].iloc[0]

    def place(hid: str, dx: float, dy: float) -> None:
        households.loc[households.household_id == hid, "geometry"] = Point(
            first.x + dx, first.y + dy
        )

    for k, hid in enumerate(ids):  # 300 m apart: every number can be read
        place(hid, 0.003 * k, 0.0006 * (k % 2))
    spread = sheet_text(households, "spread")
    # three households a few metres apart: their numbers would overlap at this scale
    for k, hid in enumerate(ids[1:3], 1):
        place(hid, 0.00008 * k, 0.00005)
    clustered = sheet_text(households, "clustered")
    scale_bars = re.compile(r"\b\d+ k?m\b")
    assert len(scale_bars.findall(spread)) == 1
    assert len(scale_bars.findall(clustered)) == 2  # the map's and the close-up's
