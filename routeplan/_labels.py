"""Words shown to volunteers and coordinators, in Vietnamese and English.

Maps (:mod:`routeplan.render.maps`) and route sheets (:mod:`routeplan.render.sheets`) share these
strings so that a volunteer reads the same words on the phone and on paper. Each key
maps to ``(vietnamese, english)``; some contain ``str.format`` fields such as ``{n}``.
:class:`Catalogue` is the one mechanism of such word lists: :data:`LABELS` is one, and
so are the coordinator app's words (:mod:`routeplan.app.labels`).

>>> label("day_6", "vi")
'Chủ Nhật'
>>> label("households_n", "en").format(n=3)
'3 households'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

__all__ = ["LABELS", "LANGUAGES", "Catalogue", "day_label", "label"]

LANGUAGES = ("vi", "en")
"""Languages every label exists in, in the order of the tuples in :data:`LABELS`."""


class Catalogue(Mapping[str, tuple[str, str]]):
    """Words by key, each ``(vietnamese, english)``, read-only; a mapping of them.

    Any language other than ``"en"`` gets the Vietnamese (the default language).
    """

    def __init__(self, words: Mapping[str, tuple[str, str]]) -> None:
        self._words = MappingProxyType(dict(words))

    def __getitem__(self, key: str) -> tuple[str, str]:
        return self._words[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)

    def words(self, key: str, language: str = "vi", **fields: object) -> str:
        """Return the words of ``key`` in ``language``, with ``fields`` filled in if given.

        Raises
        ------
        KeyError
            If ``key`` is unknown (or a field of its words is not given).

        """
        vi, en = self._words[key]
        text = en if language == "en" else vi
        return text.format(**fields) if fields else text


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
    # the campaign: notes carried into next week's plan (routeplan.campaign)
    "carry_time_of_day": (
        "Lần trước vắng nhà ({when}): lần này đến vào buổi khác.",
        "Not at home last time ({when}): come at another time of day.",
    ),
    "carry_day": (
        "Lần trước vắng nhà ({when}): lần này đến vào ngày khác.",
        "Not at home last time ({when}): come on another day.",
    ),
    "carry_time_on_day": (
        "Lần trước vắng nhà ({when}): lần này đến vào giờ khác.",
        "Not at home last time ({when}): come at another hour.",
    ),
    "carry_phone_ahead": (
        "Lần trước vắng nhà ({when}): gọi điện hẹn trước.",
        "Not at home last time ({when}): phone ahead.",
    ),
    "carry_follow_up": ("Hẹn lại: {text}.", "Follow-up: {text}."),
    "carry_trip": ("Cần đến điểm phục vụ trước.", "Go to the service point first."),
    # the campaign's progress report (columns named after the report's own)
    "progress_title": (
        "Tiến độ hỗ trợ dịch vụ công trực tuyến",
        "Progress of the online public services campaign",
    ),
    "progress_headline": (
        "Đã hỗ trợ {people_supported} người ở {visited}/{households} hộ; "
        "{complete} hộ đã xong mọi việc",
        "Supported {people_supported} people in {visited}/{households} households; "
        "{complete} households have everything done",
    ),
    "progress_volunteer_id": ("Mã TNV", "Volunteer id"),
    "progress_visited": ("Hộ đã gặp", "Households met"),
    "progress_complete": ("Hộ đã xong", "Households done"),
    "progress_in_progress": ("Hộ đang làm", "In progress"),
    "progress_people_supported": ("Số người được hỗ trợ", "People supported"),
    "progress_not_reached": ("Hộ chưa gặp", "Not yet reached"),
    "progress_not_visited": ("Chưa đến", "Not visited"),
    "progress_visits": ("Lượt thăm", "Visits"),
    "progress_services_left": ("Việc còn lại", "Services left"),
    "progress_household_id": ("Mã hộ", "Household"),
    "progress_head_name": ("Chủ hộ", "Head of household"),
    "progress_volunteer": ("TNV phụ trách", "Volunteer"),
    "progress_why": ("Lý do", "Why"),
    "progress_by_hamlet": ("Theo thôn", "By hamlet"),
    "progress_by_volunteer": ("Theo tình nguyện viên", "By volunteer"),
    "progress_not_reached_title": (
        "Hộ chưa gặp được và lý do",
        "Households not yet reached, and why",
    ),
    "progress_as_of": (
        "Kết quả đi thăm ghi nhận đến ngày {date}.",
        "Visits recorded up to {date}.",
    ),
    "progress_chart_services": ("Dịch vụ đã hoàn thành / cần làm", "Services completed / needed"),
    "progress_chart_hamlets": ("Tình trạng hộ theo thôn", "Households by hamlet"),
    "progress_why_not_at_home": (
        "vắng nhà {n} lần (lần cuối {date})",
        "not at home {n} times (last {date})",
    ),
    "progress_why_refused": ("từ chối ({date})", "refused ({date})"),
    "progress_why_planned": (
        "có trong kế hoạch tuần {week}, chưa có kết quả",
        "planned in the week of {week}, no outcome recorded yet",
    ),
    "progress_why_rollover": ("để tuần sau ({detail})", "left for next week ({detail})"),
    "progress_why_unassigned": ("chưa có người thăm ({detail})", "no volunteer ({detail})"),
    "progress_why_not_planned": ("chưa có trong kế hoạch nào", "not in any plan yet"),
    # the planner's reasons (Unassigned.detail, Change.reason); codes stay English
    "by_motorbike": ("bằng xe máy", "by motorbike"),
    "by_walking": ("đi bộ", "on foot"),
    "another_volunteer": ("tình nguyện viên khác", "another volunteer"),
    "lang_co_tu": ("Cơ Tu", "Co Tu"),
    "why_unreachable": (
        "{vid} không thể đến hộ {hid} và quay về {mode}",
        "{vid} cannot get to {hid} and back {mode}",
    ),
    "why_skill": (
        "{vid} chưa có kỹ năng {skills} mà việc của hộ {hid} cần",
        "{vid} lacks the skill {skills} that {hid}'s services need",
    ),
    "why_language": ("{vid} không nói tiếng {language}", "{vid} does not speak {language}"),
    "why_far": (
        "đường từ nhà {vid} đến hộ {hid} rồi về, cộng thời gian thăm, dài hơn mọi buổi "
        "rảnh của {vid}",
        "the trip from {vid}'s home to {hid} and back with the visit is longer than any "
        "of {vid}'s available periods",
    ),
    "why_daylight": (
        "hộ {hid} cần đi trong lúc trời sáng và {vid} không có buổi ban ngày đủ dài",
        "{hid} needs a round home by dusk and {vid} has no daytime hours long enough",
    ),
    "why_window": (
        "giờ rảnh của {vid} không có lúc nào thăm được hộ {hid} trong giờ hộ có nhà",
        "{vid}'s hours leave no time to visit {hid} within its availability",
    ),
    "unserved_unreachable": (
        "{hid}: không tình nguyện viên nào đến được và quay về được (kiểm tra vị trí "
        "của hộ và mạng lưới đường)",
        "{hid}: no volunteer can get there and back (check its location and the road network)",
    ),
    "unserved_skill": (
        "{hid}: không tình nguyện viên nào có kỹ năng {skills} mà việc của hộ cần "
        "(tập huấn thêm hoặc bổ sung người)",
        "{hid}: no volunteer has the skill {skills} its services need (train one or add one)",
    ),
    "unserved_language": (
        "{hid}: không tình nguyện viên nào nói tiếng {language} (hoặc đặt "
        "planner.language_hard = false)",
        "{hid}: no volunteer speaks {language} (or set planner.language_hard = false)",
    ),
    "unserved_window": (
        "{hid}: giờ rảnh của các tình nguyện viên không có lúc nào thăm được trong giờ hộ có nhà",
        "{hid}: no volunteer's hours leave time for a visit within its availability",
    ),
    "unserved_far": (
        "{hid}: với mọi tình nguyện viên có thể thăm, đường đi và về cộng thời gian thăm "
        "dài hơn mọi buổi rảnh của họ",
        "{hid}: for every volunteer who could serve it, the trip there and back with the "
        "visit is longer than any of their available periods",
    ),
    "unserved_daylight": (
        "{hid}: cần đi trong lúc trời sáng (đường đất hoặc xa) nhưng không tình nguyện viên "
        "nào có buổi ban ngày đủ dài",
        "{hid}: needs a round home by dusk (unpaved or remote), and no volunteer has daytime "
        "hours long enough",
    ),
    "unserved_capacity": (
        "{hid}: mọi tình nguyện viên có thể thăm hộ này đều đã đủ số hộ",
        "{hid}: every volunteer who could serve it is full",
    ),
    "unassigned_capacity": (
        "{hid}: {n} tình nguyện viên có thể thăm hộ này đều đã đủ số hộ (bổ sung tình "
        "nguyện viên hoặc tăng số hộ mỗi người)",
        "{hid}: the {n} volunteer(s) who could serve it are full (add volunteers or raise "
        "their capacity)",
    ),
    "rollover_time": ("lịch của {vid} tuần này đã kín", "{vid}'s hours this week were full"),
    "rollover_window": (
        "giờ có nhà của hộ {hid} không khớp với các buổi đi thăm của {vid} tuần này",
        "{hid}'s hours did not fit into {vid}'s rounds this week",
    ),
    "rollover_daylight": (
        "hộ {hid} cần đi trong lúc trời sáng (đường đất hoặc xa) và các buổi ban ngày của "
        "{vid} tuần này đã kín",
        "{hid} needs a daylight round (unpaved or remote) and {vid}'s daytime hours this "
        "week were full",
    ),
    "flag_far_from_map": (
        "cách đường gần nhất trên bản đồ {m:.0f} m: đoạn cuối đi bộ không có đường trên bản "
        "đồ; hãy vẽ đường vào nhà (OpenStreetMap) hoặc kiểm tra vị trí",
        "{m:.0f} m from the nearest mapped way: the last leg is on foot with no mapped path; "
        "map the path to it (OpenStreetMap) or check the location",
    ),
    "flag_separate_network": (
        "nằm trên một đoạn đường không nối với mạng đường còn lại: hãy vẽ đường nối "
        "(OpenStreetMap) hoặc kiểm tra vị trí",
        "snapped onto a piece of road not connected to the rest ({why}): map the path "
        "connecting it (OpenStreetMap) or check the location",
    ),
    "flag_short_far_from_map": ("xa đường trên bản đồ", "far from the map"),
    "flag_short_separate_network": ("đường không nối", "road not connected"),
    "leg_no_mapped_path": (
        "đi bộ, không có đường trên bản đồ",
        "on foot, no mapped path",
    ),
    "change_household_gone": (
        "hộ {hid} không còn trong danh sách hộ",
        "{hid} is no longer in the household register",
    ),
    "change_volunteer_gone": (
        "{old} không còn trong danh sách tình nguyện viên",
        "{old} is no longer in the volunteer list",
    ),
    "change_capacity": (
        "{old} nay chỉ nhận {cap} hộ, ít hơn {had} hộ trước đây",
        "{old} can now look after {cap} households, fewer than the {had} they had",
    ),
    "change_rebalanced": (
        "chuyển từ {old} sang {new} để nhiều hộ được thăm hơn (hộ ưu tiên trước) hoặc "
        "đường đi ngắn hơn",
        "moved from {old} to {new} so that more households (priority ones first) are "
        "visited or the rounds are shorter",
    ),
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
    # short day names (markers of the whole week on the phone, GPX waypoints)
    "dayshort_0": ("T2", "Mon"),
    "dayshort_1": ("T3", "Tue"),
    "dayshort_2": ("T4", "Wed"),
    "dayshort_3": ("T5", "Thu"),
    "dayshort_4": ("T6", "Fri"),
    "dayshort_5": ("T7", "Sat"),
    "dayshort_6": ("CN", "Sun"),
    # recording outcomes on the phone page
    "rec_open": ("Ghi kết quả", "Record the outcome"),
    "rec_outcome": ("Kết quả", "Outcome"),
    "rec_services": ("Việc đã làm xong", "Services completed"),
    "rec_people": ("Số người được hỗ trợ", "People helped"),
    "rec_bring": ("Lần sau mang theo / làm gì", "Next time bring / do"),
    "rec_trip": (
        "Phải lấy giấy tờ ở điểm phục vụ trước",
        "Papers must be fetched from a service point first",
    ),
    "rec_save": ("Lưu", "Save"),
    "rec_clear": ("Xoá", "Clear"),
    "rec_pick": ("Chọn một kết quả", "Choose an outcome"),
    "rec_count": ("Đã ghi {n}/{m}", "Recorded {n} of {m}"),
    "rec_left": ("còn {n} hộ", "{n} still to do"),
    "rec_send": ("Gửi kết quả tuần", "Send the week's outcomes"),
    "rec_sent": ("Đã tạo tệp {f}", "Made the file {f}"),
    "rec_copy": ("Sao chép nội dung", "Copy the text"),
    "rec_copy_hint": (
        "Nếu tệp không gửi được: sao chép nội dung này và gửi cho điều phối viên",
        "If the file cannot be sent: copy this text and send it to the coordinator",
    ),
    "rec_nothing": ("Chưa ghi kết quả nào", "Nothing recorded yet"),
    "rec_full": (
        "Không lưu được trên máy (bộ nhớ đầy?)",
        "Could not save on this phone (storage full?)",
    ),
    "osm": ("Dữ liệu đường: © OpenStreetMap", "Roads: © OpenStreetMap contributors"),
}

LABELS = Catalogue(_TEXT)
"""Every label: key -> ``(vietnamese, english)``."""


def label(key: str, language: str = "vi") -> str:
    """Return the words for ``key`` in ``language`` (``"vi"`` or ``"en"``).

    Raises
    ------
    KeyError
        If ``key`` is unknown.

    """
    return LABELS.words(key, language)


def day_label(day: int, language: str = "vi") -> str:
    """Return the name of weekday ``day`` (0 = Monday .. 6 = Sunday) in ``language``."""
    return label(f"day_{day}", language)
