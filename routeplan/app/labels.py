"""Words of the coordinator's app, in Vietnamese (the default) and English.

Each key maps to ``(vietnamese, english)``, in a :class:`routeplan._labels.Catalogue`
as the words of the maps and sheets are; some contain ``str.format`` fields.
"""

from __future__ import annotations

from .._labels import LANGUAGES, Catalogue

__all__ = ["LANGUAGES", "text"]

_TEXT: dict[str, tuple[str, str]] = {
    "app": ("Lập lịch thăm hộ", "Visit planner"),
    "projects": ("Dự án", "Projects"),
    "no_projects": ("Chưa có dự án nào.", "No project yet."),
    "new_project": ("Tạo dự án mới", "New project"),
    "project_name": ("Tên dự án", "Project name"),
    "create": ("Tạo dự án", "Create project"),
    "open": ("Mở", "Open"),
    "households": ("Danh sách hộ", "Households"),
    "volunteers": ("Tình nguyện viên", "Volunteers"),
    "service_points": ("Điểm tiếp nhận", "Service points"),
    "network": ("Bản đồ đường (OSM)", "Road map (OSM)"),
    "registers": ("Danh sách", "Registers"),
    "count": ("Số lượng", "Count"),
    "upload": ("Tải lên", "Upload"),
    "reupload": ("Tải lên bản đã sửa", "Upload the corrected file"),
    "file_types": ("CSV, XLSX, GeoJSON hoặc GeoPackage", "CSV, XLSX, GeoJSON or GeoPackage"),
    "map_types": (".osm, .osm.pbf, .osm.bz2 hoặc .graphml", ".osm, .osm.pbf, .osm.bz2 or .graphml"),
    "problems": ("Lỗi cần sửa", "Problems to fix"),
    "warnings_only": ("Cảnh báo", "Warnings"),
    "n_error": ("{n} lỗi", "{n} error"),
    "n_errors": ("{n} lỗi", "{n} errors"),
    "n_warning": ("{n} cảnh báo", "{n} warning"),
    "n_warnings": ("{n} cảnh báo", "{n} warnings"),
    "fix_and_upload": ("sửa tệp rồi tải lên lại.", "fix the file and upload it again."),
    "taken_check": (
        "đã nhận tệp; hãy xem lại các cảnh báo.",
        "the file was taken; check the warnings.",
    ),
    "severity": ("Mức độ", "Level"),
    "error": ("Lỗi", "Error"),
    "warning": ("Cảnh báo", "Warning"),
    "untranslated": ("tiếng Anh", "English"),
    "untranslated_help": (
        "Lỗi này chưa có bản tiếng Việt; đây là lời tiếng Anh.",
        "Not yet translated.",
    ),
    "file": ("Tệp", "File"),
    "row": ("Dòng", "Row"),
    "column": ("Cột", "Column"),
    "problem": ("Vấn đề", "Problem"),
    "fix": ("Cách sửa", "Fix"),
    "updated": ("Đã cập nhật", "Updated"),
    "created": ("Đã tạo dự án", "Project created"),
    "n_added": ("thêm {n}", "{n} added"),
    "n_updated": ("cập nhật {n}", "{n} updated"),
    "n_inactive": ("{n} không còn trong danh sách", "{n} marked inactive"),
    "n_back": ("{n} trở lại danh sách", "{n} back in the list"),
    "n_unchanged": ("{n} không đổi", "{n} unchanged"),
    "plan_week": ("Lập kế hoạch tuần", "Plan a week"),
    "monday": ("Thứ Hai của tuần", "Monday of the week"),
    "plan_button": ("Lập kế hoạch", "Plan the week"),
    "weeks": ("Các tuần đã lập", "Weeks planned"),
    "planning": ("Đang lập kế hoạch…", "Planning…"),
    "cancel": ("Hủy", "Cancel"),
    "cancelled": (
        "Đã hủy. Kế hoạch đã lưu không thay đổi.",
        "Cancelled. The stored plan is unchanged.",
    ),
    "failed": ("Không thành công", "Failed"),
    "job": ("Việc chạy nền", "Background job"),
    "job_unknown": (
        "Ứng dụng không còn biết việc này (có thể ứng dụng đã được khởi động lại). Xem các tuần "
        "đã lập ở trang dự án; lập kế hoạch lại nếu tuần cần chưa có.",
        "The app no longer knows this job (it may have been started again). See the weeks "
        "planned on the project page; plan again if the week is not there.",
    ),
    "job_earlier": (
        "Việc này bắt đầu trước khi ứng dụng được khởi động lại và vẫn đang chạy; ứng dụng "
        "không theo dõi được tiến độ, trang sẽ chuyển khi việc xong.",
        "This job started before the app was started again and is still running; its "
        "progress is not known, the page moves on when it ends.",
    ),
    "job_interrupted": (
        "Việc này đã dừng giữa chừng: ứng dụng (hoặc máy tính) đã tắt khi đang chạy. Hãy "
        "lập kế hoạch lại cho tuần này.",
        "This job stopped half-way: the app (or the computer) went off while it ran. "
        "Plan the week again.",
    ),
    "job_stopped_unexpectedly": (
        "Việc này dừng bất ngờ (máy có thể hết bộ nhớ hoặc tiến trình bị tắt). Chưa lưu gì; "
        "hãy lập kế hoạch lại cho tuần này.",
        "This job stopped unexpectedly (the computer may have run out of memory, or its "
        "process was ended). Nothing was stored; plan the week again.",
    ),
    "job_app_stopped": (
        "Đã dừng vì ứng dụng tắt khi việc này đang chạy. Hãy lập kế hoạch lại cho tuần này.",
        "Stopped because the app was closed while this job ran. Plan the week again.",
    ),
    "done": ("Xong", "Done"),
    "see_plan": ("Xem kế hoạch", "See the plan"),
    "already_running": (
        "Một việc khác đang chạy cho dự án này.",
        "Another job is running for this project.",
    ),
    "plan_of": ("Kế hoạch tuần {week}", "Plan of the week of {week}"),
    "overview": ("Bản đồ tổng quan", "Overview map"),
    "workload": ("Khối lượng việc theo tình nguyện viên", "Workload per volunteer"),
    "volunteer": ("Tình nguyện viên", "Volunteer"),
    "name": ("Họ tên", "Name"),
    "capacity": ("Số hộ tối đa", "Capacity"),
    "n_households": ("Số hộ", "Households"),
    "visits": ("Lượt thăm", "Visits"),
    "rounds": ("Buổi", "Rounds"),
    "travel_h": ("Đi lại (giờ)", "Travel (h)"),
    "work_h": ("Tổng giờ", "Work (h)"),
    "away": ("Vắng tuần này", "Away this week"),
    "mark_away": ("Vắng", "Away"),
    "back": ("Có mặt", "Back"),
    "set": ("Lưu", "Set"),
    "not_visited": (
        "Hộ chưa được thăm tuần này và lý do",
        "Households not visited this week, and why",
    ),
    "household": ("Hộ", "Household"),
    "head": ("Chủ hộ", "Head of household"),
    "hamlet": ("Thôn", "Hamlet"),
    "reason": ("Lý do", "Reason"),
    "none": ("Không có.", "None."),
    "replan": ("Lập lại (giữ các hộ đã khóa)", "Re-plan (keep the locks)"),
    "replan_full": ("Lập lại toàn bộ", "Re-plan in full"),
    "changes_pending": ("Có thay đổi chưa được lập lại.", "There are changes not yet re-planned."),
    "locks": ("Hộ đã khóa", "Locked households"),
    "unlock": ("Bỏ khóa", "Unlock"),
    "move": ("Chuyển và khóa", "Move and lock"),
    "lock_here": ("Khóa ở đây", "Lock here"),
    "locked": ("đã khóa", "locked"),
    "rounds_of": ("Các buổi của {name}", "Rounds of {name}"),
    "day": ("Ngày", "Day"),
    "time": ("Giờ", "Time"),
    "arrive": ("Giờ đến", "Arrive"),
    "order": ("#", "#"),
    "move_to": ("Chuyển sang", "Move to"),
    "handout": ("Phát cho tình nguyện viên", "Hand out"),
    "all_sheets": ("Tất cả phiếu lộ trình (PDF)", "All route sheets (PDF)"),
    "zip": ("ZIP (phiếu, trang điện thoại, GPX)", "ZIP (sheet, phone page, GPX)"),
    "phone_page": ("Trang điện thoại", "Phone page"),
    "qr": ("Mã QR", "QR code"),
    "qr_help": (
        "Quét bằng điện thoại cùng mạng văn phòng.",
        "Scan with a phone on the office network.",
    ),
    "qr_local": (
        "Ứng dụng chỉ mở trên máy này; chạy với --lan để điện thoại quét được.",
        "The app serves this computer only; run it with --lan for phones to scan.",
    ),
    "outcomes": ("Kết quả thăm", "Visit outcomes"),
    "outcomes_file": (
        "Tệp kết quả (CSV, XLSX hoặc tệp gửi từ điện thoại)",
        "Outcomes file (CSV, XLSX or the file sent from a phone)",
    ),
    "recorded": ("Đã ghi", "Recorded"),
    "imported": (
        "{file}: {rows} dòng; ghi thêm {added} lượt thăm, sửa {corrected}, {unchanged} đã có từ "
        "trước.",
        "{file}: {rows} rows: {added} visits recorded, {corrected} corrected, {unchanged} "
        "already there.",
    ),
    "from_phone": (
        "Tệp gửi từ điện thoại của {vid}, tuần bắt đầu {week}.",
        "Sent from {vid}'s phone, week of {week}.",
    ),
    "already_imported": (
        "{file}: tệp này đã được nhập trước đây ({rows} dòng); không có gì mới, không thay đổi gì.",
        "{file}: already imported ({rows} rows); nothing new, nothing changed.",
    ),
    "progress": ("Tiến độ", "Progress"),
    "coverage": ("Độ phủ", "Coverage"),
    "coverage_run": ("Chạy báo cáo độ phủ", "Run the coverage report"),
    "add_sites": (
        "Thêm điểm (vĩ độ,kinh độ hoặc tên thôn; mỗi dòng một điểm)",
        "Add sites (lat,lon or hamlet; one a line)",
    ),
    "choose": ("Chọn K điểm mới tốt nhất", "Choose the best K new sites"),
    "objective": ("Mục tiêu", "Objective"),
    "login": ("Đăng nhập", "Log in"),
    "token": ("Mã truy cập", "Access token"),
    "bad_token": ("Mã truy cập sai.", "Wrong access token."),
    "language": ("English", "Tiếng Việt"),
    "week_none": ("Chưa có kế hoạch nào.", "No plan yet."),
    "downloads": ("Tải về", "Downloads"),
    "rollover": ("chuyển tuần sau", "next week"),
    "unassigned": ("chưa có người thăm", "no volunteer"),
    # the planner's reason codes (Unassigned.reason), when a stored sentence is not known
    "reason_capacity": ("mọi người có thể thăm đều đã đủ số hộ", "every volunteer able is full"),
    "reason_unreachable": ("không ai đến được và quay về", "no volunteer can get there and back"),
    "reason_skill": ("không ai có kỹ năng cần", "no volunteer has the skill"),
    "reason_language": ("không ai nói tiếng của hộ", "no volunteer speaks its language"),
    "reason_window": (
        "giờ rảnh không khớp giờ hộ có nhà",
        "no volunteer's hours meet its availability",
    ),
    "reason_far": ("đường quá xa so với buổi rảnh", "too far for any available period"),
    "reason_daylight": ("cần đi lúc trời sáng", "needs a round home by dusk"),
    "reason_time": ("lịch tuần này đã kín", "the volunteer's hours this week were full"),
}

_WORDS = Catalogue(_TEXT)


def text(key: str, language: str, **fields: object) -> str:
    """Return the words of ``key`` in ``language`` (``"vi"`` or ``"en"``), formatted."""
    return _WORDS.words(key, language, **fields)
