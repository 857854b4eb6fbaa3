"""A job's progress and the planner's reasons in the words of the page.

The pipeline reports progress in English (``"snapping the points to the ways"``, the
text of record the command line prints); :data:`PROGRESS` gives each message it can
send its Vietnamese words, keyed by the message as written in the source with ``{}``
for each value (``"maps: volunteer {}"``). A message made of others (``"block 2/5:
motorbike: travel times"``) is said part by part. :func:`progress_words` returns a
message in the page's language; one without words stays as sent.

The planner words a household's reason (:attr:`~routeplan.planner.Unassigned.detail`)
in ``output.language`` when it plans, with the sentences of :mod:`routeplan._labels`;
the plan stores that sentence. :func:`reason_words` says it again in the page's
language: the sentence is matched against the label's words in either language, its
values (ids, skills, a language's or a travel mode's name) read back and put into the
page language's words. A sentence that matches none is shown with the short words of
its code (``reason_<code>`` in :mod:`routeplan.app.labels`).

``tests/app/test_plan_words.py`` fails when a progress message sent in the package, or
a reason the planner gives, has no Vietnamese words here.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping

from .._labels import LABELS
from .labels import text

__all__ = ["PROGRESS", "REASON_KEYS", "progress_words", "reason_words"]

PROGRESS: Mapping[str, str] = {
    # network
    "reading {}": "đang đọc {0}",
    "read {} ways": "đã đọc {0} đường",
    "assembling the graph": "đang ghép mạng lưới đường",
    "building the routable graph": "đang dựng mạng lưới đường để tìm đường",
    "applying closures": "đang áp dụng các đoạn đường bị chặn",
    "network ready": "mạng lưới đường đã sẵn sàng",
    "downloading {} from OpenStreetMap": "đang tải {0} từ OpenStreetMap",
    "downloading the bounding box from OpenStreetMap": "đang tải vùng bản đồ từ OpenStreetMap",
    "downloading the polygon from OpenStreetMap": "đang tải vùng bản đồ từ OpenStreetMap",
    # travel times
    "snapping the points to the ways": "đang gắn các điểm vào đường gần nhất",
    "reducing the network": "đang rút gọn mạng lưới đường",
    "travel times": "đang tính thời gian đi lại",
    "travel times on paved ways": "đang tính thời gian đi lại trên đường nhựa",
    "travel-time matrix read from the cache": "đã đọc thời gian đi lại đã lưu",
    "travel-time matrix ready": "thời gian đi lại đã sẵn sàng",
    "block {}/{}: {}": "nhóm {0}/{1}: {2}",
    "{}: {}": "{0}: {1}",
    # planning
    "assigning households to volunteers": "đang giao hộ cho tình nguyện viên",
    "planning the rounds of {} volunteers ({} processes)": (
        "đang lập các buổi đi thăm của {0} tình nguyện viên ({1} tiến trình)"
    ),
    "planning the rounds of {} volunteers again": (
        "đang lập lại các buổi đi thăm của {0} tình nguyện viên"
    ),
    "planning {} groups ({} at a time)": "đang lập kế hoạch {0} nhóm (mỗi lần {1} nhóm)",
    "giving priority households that did not fit to volunteers with time": (
        "đang giao các hộ ưu tiên chưa xếp được cho tình nguyện viên còn thời gian"
    ),
    "improving: moving households between neighbouring volunteers": (
        "đang cải thiện: chuyển hộ giữa các tình nguyện viên ở gần nhau"
    ),
    "improving: round {}, trying {} moves": "đang cải thiện: lượt {0}, thử {1} cách chuyển",
    "improving across the groups' borders": "đang cải thiện ở ranh giới giữa các nhóm",
    "improving the rounds planned again": "đang cải thiện các buổi vừa lập lại",
    "keeping the households with their volunteers": "giữ các hộ với tình nguyện viên của họ",
    "final routing of every volunteer's week": (
        "đang sắp xếp lộ trình tuần của từng tình nguyện viên"
    ),
    "plan done": "đã lập xong kế hoạch",
    # files
    "maps: simplifying the road network": "bản đồ: đang giản lược mạng lưới đường",
    "maps: overview": "bản đồ: bản đồ tổng quan",
    "maps: volunteer {}": "bản đồ: tình nguyện viên {0}",
    "maps: done": "bản đồ: xong",
    "route sheets: {}": "phiếu lộ trình: {0}",
    "route sheets: one file per volunteer": "phiếu lộ trình: mỗi tình nguyện viên một tệp",
    "route sheets: saving": "phiếu lộ trình: đang lưu",
    "route sheets: the week's PDF": "phiếu lộ trình: tệp PDF của cả tuần",
    "route sheets: done": "phiếu lộ trình: xong",
    "exports: tables": "xuất dữ liệu: các bảng",
    "exports: GeoPackage": "xuất dữ liệu: GeoPackage",
    "exports: GeoJSON": "xuất dữ liệu: GeoJSON",
    "exports: CSV": "xuất dữ liệu: CSV",
    "exports: GPX": "xuất dữ liệu: GPX",
    "exports: done": "xuất dữ liệu: xong",
    # the project, outcomes, coverage, areas
    "storing {}": "đang lưu {0}",
    "project saved": "đã lưu dự án",
    "recording {}": "đang ghi {0}",
    "recorded {}": "đã ghi {0}",
    "travel times to the service points": "đang tính thời gian đến các điểm tiếp nhận",
    "volunteers needed": "số tình nguyện viên cần có",
    "what-if: new service points": "giả định: thêm điểm tiếp nhận mới",
    "choosing the best {} new service points": "đang chọn {0} điểm tiếp nhận mới tốt nhất",
    "areas within each band": "đang vẽ các vùng theo thời gian đi",
    "coverage assessed": "đã đánh giá xong độ phủ",
    "area {}: {}": "khu vực {0}: {1}",
}
"""Vietnamese words of each progress message, keyed by the message with ``{}`` for values."""

# values inside progress messages said in Vietnamese
_VALUES = {
    "motorbike": "xe máy",
    "walking": "đi bộ",
    "households": "danh sách hộ",
    "volunteers": "danh sách tình nguyện viên",
    "service points": "danh sách điểm tiếp nhận",
    "planned": "đã lập kế hoạch",
    "skipped": "không đổi",
    "failed": "không thành công",
}


@functools.lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    """Return the messages with values as patterns, the most literal first."""
    with_values = [k for k in PROGRESS if "{}" in k]
    with_values.sort(key=lambda k: -len(k.replace("{}", "")))
    return [
        (re.compile("(.+?)".join(re.escape(p) for p in k.split("{}")) + r"\Z", re.S), PROGRESS[k])
        for k in with_values
    ]


def progress_words(message: str, language: str) -> str:
    """Return a job's progress ``message`` in ``language`` (``"vi"`` or ``"en"``)."""
    if language != "vi" or not message:
        return message
    if message in PROGRESS:
        return PROGRESS[message]
    if message in _VALUES:
        return _VALUES[message]
    for pattern, words in _patterns():
        m = pattern.match(message)
        if m:
            return words.format(*(progress_words(g, language) for g in m.groups()))
    return message


# --- the planner's reasons ---------------------------------------------------------------

REASON_KEYS: Mapping[str, tuple[str, ...]] = {
    "unassigned": ("unassigned_capacity", *(k for k in LABELS if k.startswith("unserved_"))),
    "rollover": tuple(
        k for k in LABELS if k.startswith("rollover_") and k not in ("rollover_n", "rollover_hint")
    ),
}
"""The :mod:`routeplan._labels` sentences of the planner's reasons, by kind."""

_LANGS = ("vi", "en")
# values of a reason that are words of their own: a language's and a travel mode's name
_NAMED = tuple(k for k in LABELS if k.startswith(("lang_", "by_")))


@functools.lru_cache(maxsize=1)
def _reason_patterns() -> list[tuple[str, int, re.Pattern[str]]]:
    """Return each reason sentence in each language as a pattern reading back its values."""
    out: list[tuple[str, int, re.Pattern[str]]] = []
    for key in {k for keys in REASON_KEYS.values() for k in keys}:
        for i in range(len(_LANGS)):
            regex, seen = "", set()
            for literal, field, _, _ in string.Formatter().parse(LABELS[key][i]):
                regex += re.escape(literal)
                if field is None:
                    continue
                regex += f"(?P={field})" if field in seen else f"(?P<{field}>.+?)"
                seen.add(field)
            out.append((key, i, re.compile(regex + r"\Z", re.S)))
    out.sort(key=lambda p: -len(p[2].pattern))  # the most literal first
    return out


def _value(value: str, src: int, dst: int) -> str:
    for key in _NAMED:
        if LABELS[key][src] == value:
            return LABELS[key][dst]
    return value


def reason_words(kind: str, code: str, detail: str, language: str) -> str:
    """Return the planner's reason for a household (``kind``: unassigned or rollover).

    ``detail`` is the sentence stored with the plan (in the output language it was
    planned in), ``code`` its short code; the sentence is said in ``language``.
    """
    dst = _LANGS.index(language) if language in _LANGS else 0
    keys = REASON_KEYS.get(kind, ())
    for key, src, pattern in _reason_patterns():
        m = pattern.match(detail) if key in keys else None
        if m:
            values = {k: _value(v, src, dst) for k, v in m.groupdict().items()}
            return LABELS[key][dst].format(**values)
    short = f"reason_{code}"
    try:
        words = text(short, language)
    except KeyError:
        return detail or code
    return f"{words} ({detail})" if detail else words
