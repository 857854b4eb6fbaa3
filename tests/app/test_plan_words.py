"""A job's progress and the planner's reasons are said in Vietnamese on a Vietnamese page.

The messages and sentences of record stay as the pipeline and the planner make them
(the command line prints them); the app says them in the page's language. These tests
fail when a progress message sent in the package, or a reason the planner can give,
has no Vietnamese words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from routeplan._labels import LABELS
from routeplan.app.labels import text
from routeplan.app.plan_words import PROGRESS, REASON_KEYS, progress_words, reason_words

ROOT = Path(__file__).resolve().parents[2]
VI = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
# a progress callback called with a message written out: progress("..."), say(f"..."), ...
CALL = re.compile(r"\b(?:progress|say|report)\(\s*(f?)\"((?:[^\"\\]|\\.)*)\"")


def _messages_sent_in_the_package() -> set[str]:
    """Every progress message written in routeplan's source, ``{}`` for each value."""
    found: set[str] = set()
    for path in (ROOT / "routeplan").rglob("*.py"):
        if path.parent.name in ("app", "cli"):  # the app and the CLI only pass them on
            continue
        for f, message in CALL.findall(path.read_text(encoding="utf-8")):
            found.add(re.sub(r"\{[^{}]*\}", "{}", message) if f else message)
    return found


def test_every_progress_message_sent_has_vietnamese_words() -> None:
    sent = _messages_sent_in_the_package()
    assert len(sent) > 40
    assert sorted(sent - set(PROGRESS)) == []
    assert sorted(set(PROGRESS) - sent) == []  # no words left for a message gone
    for english, vietnamese in PROGRESS.items():
        values = english.count("{}")
        assert re.findall(r"\{(\d)\}", vietnamese) == [str(i) for i in range(values)], english
        words = english.replace("{}", "").strip(": /")  # none: only values ("{}: {}")
        assert not words or re.search(r"[^\x00-\x7f]", vietnamese), english


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("snapping the points to the ways", "đang gắn các điểm vào đường gần nhất"),
        ("maps: volunteer TN-07", "bản đồ: tình nguyện viên TN-07"),
        ("route sheets: saving", "phiếu lộ trình: đang lưu"),  # not "route sheets: {vid}"
        ("block 2/5: motorbike: travel times", "nhóm 2/5: xe máy: đang tính thời gian đi lại"),
        ("storing service points", "đang lưu danh sách điểm tiếp nhận"),
        (
            "planning the rounds of 70 volunteers (2 processes)",
            "đang lập các buổi đi thăm của 70 tình nguyện viên (2 tiến trình)",
        ),
    ],
)
def test_progress_messages_in_vietnamese(message: str, said: str) -> None:
    assert progress_words(message, "vi") == said
    assert progress_words(message, "en") == message  # the English page: as sent


def test_a_message_without_words_is_shown_as_sent() -> None:
    assert progress_words("something new", "vi") == "something new"
    assert progress_words("", "vi") == ""


def _samples(key: str, language: int) -> str:
    fields = {"hid": "HB-0042", "vid": "TN-07", "n": 3, "skills": "digital_signature"}
    fields["language"] = LABELS["lang_co_tu"][language]
    fields["mode"] = LABELS["by_motorbike"][language]
    return LABELS[key][language].format(**fields)


def _reason_codes() -> dict[str, set[str]]:
    """The codes the planner gives, by kind: its reasons' sentences are ``<kind>_<code>``."""
    return {
        "unassigned": {k.removeprefix("unserved_") for k in LABELS if k.startswith("unserved_")},
        "rollover": {
            k.removeprefix("rollover_")
            for k in LABELS
            if k.startswith("rollover_") and k not in ("rollover_n", "rollover_hint")
        },
    }


def test_every_reason_the_planner_gives_is_said_in_either_language() -> None:
    planner = "\n".join(p.read_text() for p in (ROOT / "routeplan" / "planner").rglob("*.py"))
    # the planner words a household's reason only with these sentences
    made = set(re.findall(r"reason_text\(f?\"([a-z_]+)", planner))
    kinds = ("unassigned_capacity", "rollover_", "unserved_", "lang_", "by_", "why_")
    assert made and all(k.startswith(kinds) for k in made), made  # (why_: a move's reason)
    keys = [k for kind in REASON_KEYS.values() for k in kind]
    assert len(keys) >= 10 and "unassigned_capacity" in keys
    for kind, codes in _reason_codes().items():
        for code in codes:
            assert VI.search(text(f"reason_{code}", "vi")), code  # the code's own words
            assert f"{'unserved' if kind == 'unassigned' else kind}_{code}" in REASON_KEYS[kind]
    for kind, kind_keys in REASON_KEYS.items():
        for key in kind_keys:
            code = key.split("_", 1)[1]
            vi, en = _samples(key, 0), _samples(key, 1)
            assert reason_words(kind, code, en, "vi") == vi, key
            assert reason_words(kind, code, vi, "en") == en, key
            assert reason_words(kind, code, vi, "vi") == vi, key
            assert VI.search(vi), key


def test_a_reason_sentence_not_known_shows_its_codes_words() -> None:
    said = reason_words("rollover", "time", "an older sentence", "vi")
    assert said == f"{text('reason_time', 'vi')} (an older sentence)"
    assert reason_words("rollover", "time", "", "vi") == text("reason_time", "vi")
    assert reason_words("unassigned", "new_code", "a sentence", "vi") == "a sentence"


def test_a_language_name_in_a_reason_is_said_in_the_page_language() -> None:
    en = "HB-3: no volunteer speaks Co Tu (or set planner.language_hard = false)"
    said = reason_words("unassigned", "language", en, "vi")
    assert said.startswith("HB-3: không tình nguyện viên nào nói tiếng Cơ Tu")
