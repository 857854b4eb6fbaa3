"""The problems of an upload in the words of the page: Vietnamese from each problem's code.

The registers, the outcome files and the time windows report a
:class:`~routeplan.errors.Problem` in English (the text of record: the command line
prints it, and its tests compare whole reports). The common ones also carry a stable
``code`` and the ``params`` their words need; :data:`VIETNAMESE` gives each code its
message and fix in Vietnamese. :func:`shown` returns what the app's problem table
shows: in Vietnamese when the code is known and its words can be filled in, else the
English text, marked as not translated (``translated=False``).

To translate one more problem: give it a ``code`` and ``params`` where it is made,
and its words here (``tests/app/test_problem_words.py`` checks that every code made
in the package has words, and that they fill in).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import Problem

__all__ = ["VIETNAMESE", "Shown", "row_words", "shown"]

log = logging.getLogger(__name__)

Words = tuple[str, str] | Callable[[Mapping[str, Any]], tuple[str, str]]

# words used in many fixes
_UTF8 = (
    "trong Excel, chọn File > Save As (Lưu thành) rồi chọn kiểu 'CSV UTF-8 (Comma "
    "delimited) (*.csv)'; trong LibreOffice, đánh dấu 'Edit filter settings' rồi chọn "
    "'Unicode (UTF-8)'"
)
_FILE_TYPES = "hãy chọn tệp .csv, .xlsx, .geojson hoặc .gpkg"
_DEGREES = "ghi độ thập phân với dấu chấm, ví dụ 16.1234 (vĩ độ), 108.0123 (kinh độ)"
_HOURS = "ghi giờ theo kiểu 24 giờ, từ 00:00 đến 24:00, ví dụ 07:00-11:00 hoặc 16:00-19:00"
_EXAMPLE = "07:00-11:00;16:00-19:00 hoặc T7 07:00-11:00,14:00-17:00; CN 08:00-12:00"
_DATE = "ghi ngày theo dạng DD/MM/YYYY (30/11/2026) hoặc YYYY-MM-DD (2026-11-30)"
_PHONE_AGAIN = (
    "gửi lại tệp từ trang điện thoại (hoặc xóa dòng đầu tiên để nhập như một tệp kết "
    "quả thông thường)"
)
_YES_NO = "ghi 1 hoặc 0 (cũng được: có/không, yes/no, true/false, x)"

# values of params said in Vietnamese: the register or thing a problem is about
_NOUNS = {
    "households": "hộ",
    "household": "hộ",
    "volunteers": "tình nguyện viên",
    "volunteer": "tình nguyện viên",
    "service_points": "điểm tiếp nhận",
    "service point": "điểm tiếp nhận",
    "service": "dịch vụ",
    "skill": "kỹ năng",
    "latitude": "vĩ độ",
    "longitude": "kinh độ",
    "Windows-1258 (Vietnamese)": "Windows-1258 (tiếng Việt)",
    "Windows-1252 (Western European)": "Windows-1252 (Tây Âu)",
    "not_at_home": "vắng nhà",
    "refused": "từ chối",
    "done": "xong",
    "follow_up": "hẹn lại",
}
_SAID = ("noun", "kind", "what", "column", "encoding", "outcome")


def _near(p: Mapping[str, Any], then: str = "") -> str:
    return f"có phải là {p['near']!r}? {_sentence(then)}".strip() if p.get("near") else then


def _not_utf8(p: Mapping[str, Any]) -> tuple[str, str]:
    eg = f" (ví dụ {p['sample']!r})" if p.get("sample") else ""
    return (
        f"tệp không được lưu theo mã UTF-8; đã đọc theo bảng mã {p['encoding_vi']}{eg}: "
        "hãy kiểm tra xem các tên có hiện đúng không",
        _UTF8,
    )


def _row_too_long(p: Mapping[str, Any]) -> tuple[str, str]:
    split = p.get("split", "")
    return (
        f"dòng này có {p['cells']} ô nhưng dòng tiêu đề chỉ có {p['width']} cột"
        + (f" (dấu phẩy thập phân? {split!r})" if split else ""),
        (f"ghi {split.replace(',', '.')!r} bằng dấu chấm, hoặc " if split else "")
        + 'đặt giá trị có dấu phẩy trong ngoặc kép ("vneid, sim"), hoặc ngăn các dịch '
        "vụ bằng dấu ';'",
    )


def _column_missing(p: Mapping[str, Any]) -> tuple[str, str]:
    fix = (
        f"đổi tên cột {p['near']!r} thành {p['column']!r}"
        if p.get("near")
        else f"thêm cột {p['column']!r} (các tên được chấp nhận: {p['accepted']})"
    )
    return f"thiếu cột {p['column']!r}", fix


def _availability(p: Mapping[str, Any]) -> tuple[str, str]:
    inner = VIETNAMESE[p["code"]]  # KeyError: not translated
    params = _said(p["params"] or {})
    if callable(inner):
        message, fix = inner(params)
    else:
        message, fix = inner[0].format_map(params), inner[1].format_map(params)
    return f"giờ rảnh {p['text']!r}: {message}", fix


def _far(p: Mapping[str, Any], *, swapped: bool) -> tuple[str, str]:
    km = str(p["km"]).replace(",", "")
    at = f"{p['lat']}, {p['lon']}"
    if p.get("where") == "area":
        message = (
            f"vị trí {at} nằm ngoài vùng đang lập kế hoạch {km} km (kinh độ "
            f"{p['lon0']}..{p['lon1']}, vĩ độ {p['lat0']}..{p['lat1']})"
        )
    else:
        message = (
            f"vị trí {at} cách điểm giữa của các {p['noun_vi']} khác "
            f"({p['mlat']}, {p['mlon']}) {km} km"
        )
    if swapped:
        return (
            message + " (có phải vĩ độ và kinh độ bị ghi ngược?)",
            f"đổi chỗ hai giá trị: vĩ độ {p['lon']}, kinh độ {p['lat']}",
        )
    return message, (
        "kiểm tra lại vĩ độ và kinh độ (gõ nhầm một chữ số?); nếu vị trí đúng thì "
        f"{p['noun_vi']} này nằm ngoài vùng đang lập kế hoạch"
    )


def _dates_future(p: Mapping[str, Any]) -> tuple[str, str]:
    more = f" và {p['more']} dòng khác" if int(p["more"]) > 0 else ""
    return (
        f"{p['n']} dòng ghi ngày sau hôm nay ({p['today']}): dòng {p['rows']}{more}",
        "kiểm tra năm, và xem ngày với tháng có bị đảo không (ghi DD/MM/YYYY)",
    )


VIETNAMESE: dict[str, Words] = {
    # --- reading a register file (routeplan.registers.tables) ---
    "file_not_found": ("không tìm thấy tệp", "kiểm tra lại đường dẫn và tên tệp"),
    "is_folder": ("đây là một thư mục, không phải tệp", "hãy chọn đúng tệp danh sách"),
    "file_type_old": (
        "không đọc được tệp {suffix}",
        "lưu lại thành tệp .xlsx (Excel Workbook) hoặc CSV UTF-8",
    ),
    "file_type_unknown": ("không nhận loại tệp {suffix!r}", _FILE_TYPES),
    "not_text": ("đây không phải tệp văn bản (CSV)", _FILE_TYPES),
    "excel_unreadable": (
        "không đọc được tệp Excel này ({detail})",
        "mở tệp bằng Excel rồi lưu lại thành .xlsx, hoặc lưu thành CSV UTF-8",
    ),
    "not_utf8": _not_utf8,
    "text_garbled_repaired": (
        "chữ bị lỗi mã (ví dụ {sample!r}): tệp đã bị mở sai bảng mã rồi lưu lại; "
        "chương trình đã tự sửa, hãy kiểm tra lại các tên",
        _UTF8,
    ),
    "text_garbled": (
        "chữ có vẻ bị lỗi mã (ví dụ {sample!r}): tệp đã bị mở sai bảng mã rồi lưu lại",
        "gõ lại các tên bị lỗi, sau đó " + _UTF8,
    ),
    "letters_lost": (
        "chữ có dấu đã bị thay bằng '?' ({sample!r}): tệp được lưu bằng bảng mã không có "
        "chữ tiếng Việt nên không khôi phục được",
        "lưu lại tệp từ bản gốc (tệp Excel hoặc phần mềm đã xuất ra tệp): " + _UTF8,
    ),
    "file_empty": (
        "tệp trống",
        "điền danh sách {kind_vi}; có thể bắt đầu từ tệp mẫu `routeplan template {kind}.csv`",
    ),
    "row_too_long": _row_too_long,
    "column_missing": _column_missing,
    "column_unknown": ("không nhận ra cột {name!r}", "có phải là {near!r}? hãy đổi tên cột"),
    "columns_ignored": (
        "các cột bị bỏ qua: {names}",
        "đổi tên cột nếu cần đọc cột đó (các cột chương trình hiểu: {known})",
    ),
    "columns_same": (
        "cột {first!r} và cột {second!r} đều là {column!r}",
        "xóa hoặc đổi tên một trong hai cột",
    ),
    "geo_unreadable": (
        "không đọc được tệp này ({detail})",
        "kiểm tra xem tệp có đúng là GeoJSON hoặc GeoPackage không",
    ),
    "geo_no_layers": ("tệp không có lớp dữ liệu nào", "xuất lại các điểm"),
    "geo_layers": (
        "tệp có {n} lớp; đang đọc lớp {layer!r}",
        "chỉ để danh sách {kind_vi} trong tệp",
    ),
    "geo_not_points": lambda p: (
        f"{row_words(p['rows'], 'vi')} không phải là điểm; dùng một điểm nằm trong mỗi hình",
        "mỗi dòng chỉ lưu một điểm",
    ),
    "geo_layer_unreadable": ("không đọc được lớp {layer!r} ({detail})", "xuất lại các điểm"),
    "geo_no_crs": (
        "tệp không ghi hệ tọa độ; coi như kinh độ/vĩ độ (EPSG:4326)",
        "xuất lại tệp kèm hệ tọa độ (CRS)",
    ),
    "no_rows": (
        "không có dòng nào dưới dòng tiêu đề",
        "nhập danh sách {kind_vi}, mỗi {kind_vi} một dòng",
    ),
    # --- the cells of a register (routeplan.registers.values, ...) ---
    "id_empty": ("ô {column} bị trống", "đặt cho mỗi {noun_vi} một mã riêng, ví dụ {example}"),
    "id_duplicate": (
        "mã {value!r} ở cột {column} bị trùng (đã có ở {other_vi})",
        "mỗi {noun_vi} cần một mã riêng; nếu cùng một {noun_vi} bị nhập hai lần, hãy xóa một dòng",
    ),
    "head_name_empty": ("ô {column} bị trống", "ghi họ tên chủ hộ (được in trên phiếu lộ trình)"),
    "volunteer_name_empty": (
        "ô {column} bị trống",
        "ghi họ tên tình nguyện viên (được in trên phiếu lộ trình)",
    ),
    "office_name_empty": ("ô {column} bị trống", "ghi tên điểm tiếp nhận (hiện trên bản đồ)"),
    "phone_digits_lost": (
        "số điện thoại {value!r} bị mất các chữ số cuối khi lưu bảng tính",
        "định dạng cột số điện thoại là Text (Văn bản) trong Excel rồi nhập lại số",
    ),
    "not_yes_no": ("giá trị {value!r} ở cột {column} không phải là có hay không", _YES_NO),
    "availability": _availability,
    "availability_empty": (
        "chưa ghi giờ rảnh: không thể xếp lịch cho tình nguyện viên này",
        "ghi thời gian tình nguyện viên có thể đi, ví dụ T7 07:00-11:00; CN 14:00-17:00",
    ),
    "code_unknown": lambda p: (
        f"không rõ {p['what_vi']} {p['item']!r}",
        _near(p, f"các {p['what_vi']} chương trình hiểu: {p['known'] or '(không có)'}"),
    ),
    "no_services": (
        "chưa ghi dịch vụ nào",
        "ghi các dịch vụ hộ cần hỗ trợ, ví dụ vneid;health_insurance",
    ),
    "placed_at_village": lambda p: (
        f"{p['n']} hộ chưa có tọa độ nên được đặt ở giữa thôn ({row_words(p['rows'], 'vi')})",
        "thêm vĩ độ và kinh độ của các hộ này để lộ trình được chính xác",
    ),
    "village_unknown": lambda p: (
        f"chưa có tọa độ, và thôn {p['village']!r} không có trên bản đồ, cũng không có hộ "
        "nào khác trong thôn có tọa độ",
        "thêm vĩ độ và kinh độ, hoặc sửa lại tên thôn ("
        + (f"có phải là {p['near']!r}? " if p.get("near") else "")
        + f"các thôn đã biết: {p['known'] or 'không có'})",
    ),
    "languages_several": (
        "ghi nhiều ngôn ngữ {value!r}; dùng {first!r}",
        "chỉ ghi một ngôn ngữ mà hộ cần được hỗ trợ",
    ),
    "no_location": (
        "không có vị trí: vĩ độ, kinh độ và thôn đều trống",
        "thêm vĩ độ và kinh độ (ví dụ lấy từ ứng dụng bản đồ trên điện thoại), hoặc ít "
        "nhất là tên thôn",
    ),
    "office_location_empty": ("chưa có vị trí", "thêm vĩ độ và kinh độ của điểm tiếp nhận"),
    "home_location_empty": (
        "chưa có vị trí nhà",
        "thêm vĩ độ và kinh độ nhà của tình nguyện viên (nơi bắt đầu các buổi đi)",
    ),
    "capacity_not_whole": (
        "số hộ tối đa {value!r} không phải số nguyên",
        "ghi số hộ tình nguyện viên này phụ trách, ví dụ {default}",
    ),
    "capacity_range": (
        "số hộ tối đa {value} nằm ngoài khoảng 1..500",
        "ghi số hộ, ví dụ {default}; để trống thì lấy mặc định ({default})",
    ),
    "mode_unknown": (
        "không rõ phương tiện {value!r}",
        "ghi motorbike (xe máy) hoặc walking (đi bộ); để trống là xe máy",
    ),
    # --- coordinates (routeplan.registers.coordinates) ---
    "coordinate_not_number": ("{column_vi} {value!r} không phải là số", _DEGREES),
    "coordinate_half": (
        "{column_vi} bị trống trong khi tọa độ kia đã có",
        "ghi cả vĩ độ và kinh độ, hoặc để trống cả hai",
    ),
    "location_projected": (
        "vị trí {lat}, {lon} không tính bằng độ (tọa độ mét của hệ chiếu?)",
        "xuất tọa độ dạng vĩ độ/kinh độ WGS 84 (EPSG:4326), đơn vị độ thập phân",
    ),
    "latitude_swapped": (
        "vĩ độ {lat} nằm ngoài khoảng -90..90 (có phải vĩ độ và kinh độ bị ghi ngược?)",
        "đổi chỗ hai giá trị: vĩ độ {lon}, kinh độ {lat}",
    ),
    "coordinate_range": (
        "{column_vi} {value} nằm ngoài khoảng {range}",
        "kiểm tra lại tọa độ; ghi theo độ thập phân, ví dụ 16.1234",
    ),
    "location_zero": (
        "vị trí là 0, 0 (ô trống bị đổi thành 0?)",
        "điền vĩ độ và kinh độ thật, hoặc để trống cả hai ô",
    ),
    "location_far": lambda p: _far(p, swapped=False),
    "location_far_swapped": lambda p: _far(p, swapped=True),
    # --- the map (routeplan.network), when a plan reads it ---
    "map_not_found": (
        "không tìm thấy tệp bản đồ",
        "kiểm tra lại đường dẫn, hoặc tải bản đồ của khu vực bằng --place / --bbox",
    ),
    "map_folder": (
        "đây là một thư mục, không phải tệp bản đồ",
        "chọn tệp .osm, .osm.bz2, .osm.pbf hoặc .graphml trong thư mục đó",
    ),
    "map_type_unknown": (
        "không nhận loại tệp bản đồ {suffix!r}",
        "chọn tệp .osm, .osm.bz2, .osm.pbf hoặc .graphml",
    ),
    "osm_not_found": ("không tìm thấy tệp OSM", "kiểm tra lại đường dẫn"),
    "osm_unreadable": (
        "không đọc được tệp OSM này ({detail})",
        "chọn tệp .osm, .osm.bz2 hoặc .osm.pbf (ví dụ một bản trích từ download.geofabrik.de)",
    ),
    "graphml_unreadable": (
        "không đọc được tệp GraphML này ({detail})",
        "tạo lại tệp bằng lệnh `routeplan network ... --out`",
    ),
    "graphml_foreign": (
        "tệp GraphML này không do routeplan lưu (không có thời gian đi lại)",
        "tạo tệp bằng lệnh `routeplan network FILE.osm.pbf --out graph.graphml`",
    ),
    # --- time windows (routeplan.timewindows), inside "availability" ---
    "time_bad": ("{time!r} không phải là giờ trong ngày", _HOURS),
    "time_bad_ampm": (
        "{time!r} không phải là giờ trong ngày",
        "khi dùng am/pm, giờ phải từ 1 đến 12, ví dụ 7am-11am",
    ),
    "time_out_of_day": (
        "{time!r} không phải là giờ trong ngày (giờ từ 00 đến 24, phút từ 00 đến 59)",
        _HOURS,
    ),
    "day_no_hours": ("{day!r} chưa có giờ", "ghi giờ sau ngày, ví dụ {day} 07:00-11:00"),
    "window_starts_24": (
        "khung giờ không thể bắt đầu lúc {time!r}",
        "bắt đầu trong khoảng 00:00 đến 23:59",
    ),
    "window_empty": (
        "khung giờ {window!r} không có thời gian nào",
        "ghi giờ kết thúc muộn hơn giờ bắt đầu",
    ),
    "window_backwards": (
        "khung giờ {window!r} kết thúc trước khi bắt đầu",
        "ghi giờ sớm hơn trước ({end}-{start}); khung giờ qua nửa đêm phải tách làm hai, "
        "ví dụ {start}-24:00 và, sang ngày hôm sau, 00:00-{end}",
    ),
    "dash_alone": (
        "dấu gạch ({dash!r}) không có giờ đứng trước",
        "ghi khung giờ như sau: " + _EXAMPLE,
    ),
    "window_word": (
        "không đọc được {word!r}: đây không phải ngày cũng không phải giờ",
        "ghi khung giờ như sau: " + _EXAMPLE + " (giờ theo kiểu 24 giờ; ngày T2..T7, CN)",
    ),
    "window_no_dash": (
        "giữa {start!r} và {end!r} không có dấu gạch",
        "nối giờ bắt đầu và giờ kết thúc bằng dấu gạch: {start}-{end}",
    ),
    "window_no_end": (
        "{time!r} chưa phải khung giờ: khung giờ cần giờ bắt đầu và giờ kết thúc",
        "ghi bắt đầu-kết thúc, ví dụ {time}-11:00",
    ),
    # --- outcome files (routeplan.campaign.outcome_rows) ---
    "outcome_column_unknown": lambda p: (
        f"không nhận ra cột {p['name']!r} (cột thứ {p['k']}) nên bỏ qua",
        _near(p) or f"các cột chương trình hiểu: {p['known']}",
    ),
    "column_twice": ("cột {column!r} xuất hiện hai lần", "chỉ giữ lại một cột"),
    "outcome_column_missing": (
        "thiếu cột bắt buộc {column!r}",
        "bắt đầu từ tệp mẫu data/templates/outcomes.csv",
    ),
    "outcome_file_empty": ("tệp trống", "dùng tệp mẫu data/templates/outcomes.csv"),
    "phone_line_damaged": ("dòng đầu tiên {line!r} bị hỏng", _PHONE_AGAIN),
    "phone_checksum": (
        "tệp từ điện thoại của {volunteer} (tuần {week}) đã bị cắt bớt hoặc bị sửa sau khi "
        "điện thoại ghi ra (mã kiểm tra không khớp)",
        _PHONE_AGAIN,
    ),
    "phone_rows": (
        "điện thoại đã ghi {wrote} lượt thăm nhưng tệp có {holds}",
        "gửi lại tệp từ trang điện thoại",
    ),
    "phone_other_volunteer": (
        "{value} nằm trong tệp gửi từ điện thoại của {volunteer}",
        "gửi lại tệp từ trang điện thoại",
    ),
    "outcome_household_id_empty": ("ô household_id bị trống", "chép mã hộ từ phiếu lộ trình"),
    "outcome_volunteer_id_empty": ("ô volunteer_id bị trống", "ghi mã người đã đến thăm"),
    "outcome_id_unknown": lambda p: (
        f"không có {p['noun_vi']} {p['value']!r} trong danh sách",
        _near(p) or "đối chiếu mã với danh sách",
    ),
    "outcome_id_inactive": (
        "{noun_vi} {value!r} đã được đánh dấu không còn trong danh sách",
        "kiểm tra lại mã; lượt thăm vẫn được ghi",
    ),
    "date_no_such_day": ("ngày {text!r} không có thật", _DATE),
    "date_short_year": ("ngày {text!r} ghi năm bằng hai chữ số", _DATE),
    "date_bad": ("{text!r} không phải là ngày", _DATE),
    "outcome_unknown": lambda p: (
        f"không rõ kết quả {p['value']!r}",
        _near(
            {"near": _NOUNS.get(p.get("near", ""), "")},
            "ghi một trong: xong / vắng nhà / từ chối / hẹn lại",
        ),
    ),
    "outcome_service_unknown": lambda p: (
        f"không rõ dịch vụ {p['item']!r}",
        _near(p) or f"các mã dịch vụ: {p['known']}",
    ),
    "services_not_done": (
        "kết quả là {outcome_vi} nhưng lại ghi dịch vụ đã làm",
        "đánh dấu 'xong' hoặc 'hẹn lại', hoặc xóa ô services_done",
    ),
    "services_not_needed": (
        "đã làm {services} dù hộ {household} không cần",
        "vẫn được tính; nếu đúng, hãy thêm dịch vụ này vào danh sách hộ",
    ),
    "people_not_whole": (
        "giá trị {value!r} ở cột people_supported không phải là số nguyên",
        "ghi số người được hỗ trợ (0, 1, 2, ...)",
    ),
    "people_many": ("{value} người được hỗ trợ trong một hộ", "kiểm tra lại con số"),
    "trip_not_yes_no": (
        "giá trị {value!r} không phải là có hay không",
        "ghi có/yes hoặc không/no (hoặc để trống)",
    ),
    "follow_up_empty": (
        "kết quả là hẹn lại nhưng chưa ghi cần làm gì tiếp",
        "ghi những gì cần mang hoặc cần làm lần sau",
    ),
    "visit_twice": (
        "lượt thăm hộ {household} của {volunteer} ngày {date} cũng có ở {other_vi}",
        "mỗi lượt thăm chỉ ghi một dòng",
    ),
    "dates_future": _dates_future,
    # --- the app's own (routeplan.app) ---
    "app_name": ("{name!r} không dùng được làm tên dự án", "dùng chữ cái, chữ số, - hoặc _"),
    "app_project_exists": ("dự án {name} đã có", "mở dự án đó, hoặc chọn tên khác"),
    "app_register_missing": ("chưa có tệp {kind_vi}", "chọn tệp"),
    "app_no_file": ("chưa chọn tệp", "chọn tệp"),
    "app_file_type": ("{name}: không nhận loại tệp này ({allowed})", "chọn tệp khác"),
    "app_file_size": ("{name}: lớn hơn {mb} MB", "chọn tệp khác"),
    "app_monday": ("hãy chọn một ngày Thứ Hai", "chọn Thứ Hai của tuần cần lập kế hoạch"),
    "app_capacity": ("số hộ tối đa {value!r} không phải là số", "ví dụ 20"),
    "app_choose_k": ("K phải từ 0 trở lên", "ví dụ 2"),
    "app_coverage_files": (
        "hãy tải lên danh sách hộ, điểm tiếp nhận và bản đồ trước",
        "",
    ),
}
_ROW = re.compile(r"^(rows?|features?) (.+?)(?: and (\d+) more)?$")


def row_words(row: str | None, language: str) -> str:
    """Return places in a file (``row 12``, ``rows 2, 5 and 3 more``) in ``language``."""
    if not row or language != "vi":
        return row or ""
    m = _ROW.match(row)
    if m is None:
        return row
    noun = "đối tượng" if m.group(1).startswith("feature") else "dòng"
    more = f" và {m.group(3)} {noun} khác" if m.group(3) else ""
    return f"{noun} {m.group(2)}{more}"


def _said(params: Mapping[str, Any]) -> dict[str, Any]:
    """Return the params, with ``<name>_vi`` for those said in Vietnamese (nouns, rows)."""
    out = dict(params)
    for key in _SAID:
        if key in params:
            out[f"{key}_vi"] = _NOUNS.get(str(params[key]), str(params[key]))
    if "other" in params:
        out["other_vi"] = row_words(str(params["other"]), "vi")
    return out


@dataclass(frozen=True)
class Shown:
    """One problem as the app's table shows it."""

    severity: str
    file: str
    row: str
    column: str
    message: str
    fix: str
    translated: bool
    """False when the page is not in English and the words are the English ones."""


def _vietnamese(problem: Problem) -> tuple[str, str] | None:
    words = VIETNAMESE.get(problem.code or "")
    if words is None:
        return None
    params = _said(problem.params or {})
    try:
        if callable(words):
            return words(params)
        return words[0].format_map(params), words[1].format_map(params)
    except (KeyError, IndexError, ValueError, TypeError):  # words and params disagree
        log.warning("no Vietnamese words for problem %s with %s", problem.code, problem.params)
        return None


def _sentence(text: str, column: str | None = None) -> str:
    """Begin ``text`` with a capital, unless it begins with a name (``household_id``)."""
    first = text.split(" ", 1)[0]
    if "_" in first or (column and first == column):
        return text
    return text[:1].upper() + text[1:]


def shown(problem: Problem, language: str) -> Shown:
    """Return ``problem`` as the app shows it in ``language`` (``"vi"`` or ``"en"``)."""
    said = _vietnamese(problem) if language == "vi" else None
    message, fix = said if said is not None else (problem.message, problem.fix)
    return Shown(
        severity=problem.severity,
        file=problem.file or "",
        row=row_words(problem.row, language),
        column=problem.column or "",
        message=_sentence(message, problem.column),
        fix=_sentence(fix),
        translated=language == "en" or said is not None,
    )
