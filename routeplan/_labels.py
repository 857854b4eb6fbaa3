"""Words shown to volunteers and coordinators, in Vietnamese and English.

Maps (:mod:`routeplan.maps`) and route sheets (:mod:`routeplan.sheets`) share these
strings so that a volunteer reads the same words on the phone and on paper. Each key
maps to ``(vietnamese, english)``; some contain ``str.format`` fields such as ``{n}``.

>>> label("day_6", "vi")
'Chủ Nhật'
>>> label("households_n", "en").format(n=3)
'3 households'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["LABELS", "LANGUAGES", "day_label", "label"]

LANGUAGES = ("vi", "en")
"""Languages every label exists in, in the order of the tuples in :data:`LABELS`."""

_TEXT: dict[str, tuple[str, str]] = {
    # days, 0 = Monday
    "day_0": ("Thứ Hai", "Monday"),
    "day_1": ("Thứ Ba", "Tuesday"),
    "day_2": ("Thứ Tư", "Wednesday"),
    "day_3": ("Thứ Năm", "Thursday"),
    "day_4": ("Thứ Sáu", "Friday"),
    "day_5": ("Thứ Bảy", "Saturday"),
    "day_6": ("Chủ Nhật", "Sunday"),
    # outcomes of a visit
    "outcome_done": ("Xong", "Done"),
    "outcome_absent": ("Vắng nhà", "Not at home"),
    "outcome_papers": ("Hẹn lại mang giấy tờ", "Come back with papers"),
    "outcome_refused": ("Từ chối", "Refused"),
    # column titles (sheets, lists under the maps)
    "col_order": ("#", "#"),
    "col_arrival": ("Giờ đến", "Arrive"),
    "col_household": ("Hộ gia đình", "Household"),
    "col_hamlet": ("Thôn", "Hamlet"),
    "col_services": ("Việc cần làm", "Services needed"),
    "col_phone": ("Điện thoại", "Phone"),
    "col_volunteer": ("Tình nguyện viên", "Volunteer"),
    "col_households": ("Số hộ", "Households"),
    "col_hours_week": ("Giờ/tuần", "Hours/week"),
    "col_rounds": ("Số buổi", "Rounds"),
    "col_reason": ("Lý do", "Reason"),
    # people, places, modes
    "volunteer": ("Tình nguyện viên", "Volunteer"),
    "household": ("Hộ gia đình", "Household"),
    "hamlet": ("Thôn", "Hamlet"),
    "phone": ("Điện thoại", "Phone"),
    "phone_short": ("ĐT", "Phone"),
    "services": ("Việc cần làm", "Services needed"),
    "availability": ("Thời gian có nhà", "At home"),
    "any_time": ("Bất kỳ lúc nào", "Any time"),
    "notes": ("Ghi chú", "Notes"),
    "register_note": ("Lưu ý", "Note"),
    "coordinator": ("Điều phối viên", "Coordinator"),
    "home": ("Nhà", "Home"),
    "service_point": ("Điểm phục vụ", "Service point"),
    "mode_motorbike": ("Đi xe máy", "By motorbike"),
    "mode_walking": ("Đi bộ", "On foot"),
    "priority": ("Ưu tiên", "Priority"),
    "elderly": ("Người cao tuổi", "Elderly"),
    "disability": ("Người khuyết tật", "Disability"),
    "remote": ("Vùng xa", "Remote"),
    "language_co_tu": ("Nói tiếng Cơ Tu", "Speaks Co Tu"),
    "location_village": ("Vị trí gần đúng (theo thôn)", "Approximate location (village)"),
    # times and counts
    "leave_home": ("Xuất phát", "Leave home"),
    "back_home": ("Về đến nhà", "Back home"),
    "return_row": ("Về nhà", "Home"),
    "travel": ("Đi đường", "Travel"),
    "arrive_at": ("Đến lúc {t}", "Arrive {t}"),
    "households_n": ("{n} hộ", "{n} households"),
    "stops_n": ("{n} điểm dừng", "{n} stops"),
    "hours_minutes": ("{h} giờ {m} phút", "{h} h {m} min"),
    "minutes": ("{m} phút", "{m} min"),
    "hours": ("{h} giờ", "{h} h"),
    "page": ("trang {n}", "page {n}"),
    "continued": ("(tiếp theo)", "(continued)"),
    # actions
    "call": ("Gọi", "Call"),
    "open_map_app": ("Mở bản đồ", "Open in maps"),
    "open_web_map": ("Bản đồ web", "Web map"),
    "show_day": ("Xem", "Show"),
    "open_page": ("Mở", "Open"),
    "show_all": ("Hiện tất cả", "Show all"),
    "hide_all": ("Ẩn tất cả", "Hide all"),
    "all_days": ("Cả tuần", "All week"),
    # titles and panels
    "sheet_title": ("Phiếu đi thăm hộ gia đình", "Household visit round"),
    "overview_title": ("Kế hoạch đi thăm hộ gia đình", "Household visit plan"),
    "volunteer_title": ("Lịch đi thăm của {name}", "Visit rounds of {name}"),
    "week_of": ("Tuần từ {d}", "Week of {d}"),
    "summary": ("Tổng hợp", "Summary"),
    "legend": ("Chú thích", "Legend"),
    "unassigned": ("Chưa có người thăm", "Not assigned"),
    "unassigned_n": ("{n} hộ chưa có người thăm", "{n} households not assigned"),
    "rollover": ("Để tuần sau", "Left for next week"),
    "rollover_n": ("{n} hộ để tuần sau", "{n} households left for next week"),
    "rollover_hint": (
        "Các hộ này chưa có lịch tuần này; sẽ đi thăm tuần sau.",
        "Not in this week's rounds; to visit next week.",
    ),
    "not_visited_n": ("{n} hộ chưa được thăm tuần này", "{n} households not visited this week"),
    "offline_note": (
        "Không có mạng: chỉ hiện đường đã lưu sẵn.",
        "Offline: showing the saved roads only.",
    ),
    "no_rounds": ("Không có lượt đi thăm nào trong tuần này.", "No rounds this week."),
    "total": ("Tổng", "Total"),
    "roads": ("Đường", "Roads"),
    "layer_roads": ("Mạng lưới đường (offline)", "Road network (offline)"),
    "layer_tiles": ("Bản đồ nền (cần mạng)", "Base map (needs internet)"),
    "layer_service_points": ("Điểm phục vụ", "Service points"),
    "layer_hamlets": ("Tên thôn", "Hamlet names"),
    "layer_unassigned": ("Hộ chưa có người thăm", "Households not assigned"),
    # legends of the printed map
    "legend_home": ("Nhà", "Home"),
    "legend_route": ("Đường đi", "Route"),
    "legend_return": ("Đường về nhà", "Way home"),
    "legend_foot": ("Đường mòn", "Footpath"),
    "legend_road": ("Đường", "Road"),
    "legend_stop": ("Hộ cần thăm (số thứ tự)", "Household to visit (order)"),
    "legend_household": (
        "Hộ gia đình (màu theo tình nguyện viên)",
        "Household (colour of its volunteer)",
    ),
    "north": ("B", "N"),
    "osm": ("Dữ liệu đường: © OpenStreetMap", "Roads: © OpenStreetMap contributors"),
}

LABELS: Mapping[str, tuple[str, str]] = MappingProxyType(_TEXT)
"""Every label: key -> ``(vietnamese, english)``."""


def label(key: str, language: str = "vi") -> str:
    """Return the words for ``key`` in ``language`` (``"vi"`` or ``"en"``).

    Raises
    ------
    KeyError
        If ``key`` is unknown.

    """
    vi, en = LABELS[key]
    return en if language == "en" else vi


def day_label(day: int, language: str = "vi") -> str:
    """Return the name of weekday ``day`` (0 = Monday .. 6 = Sunday) in ``language``."""
    return label(f"day_{day}", language)
