from __future__ import annotations

import pytest

from routeplan.errors import InputDataError
from routeplan.timewindows import WindowSyntaxError, fold, format_windows, parse_windows

EVERY_DAY = tuple(range(7))


def hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def days(windows: tuple[tuple[int, int, int], ...]) -> list[int]:
    return sorted({d for d, _, _ in windows})


def test_no_day_prefix_means_every_day() -> None:
    w = parse_windows("07:00-11:00;16:00-19:00")
    assert days(w) == list(EVERY_DAY)
    assert [(s, e) for d, s, e in w if d == 2] == [
        (hm("07:00"), hm("11:00")),
        (hm("16:00"), hm("19:00")),
    ]


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_is_no_windows(text: str | None) -> None:
    assert parse_windows(text) == ()


def test_volunteer_week_with_days_and_several_spans() -> None:
    w = parse_windows("Sat 07:00-11:00,14:00-17:00; Sun 08:00-12:00")
    assert w == ((5, 420, 660), (5, 840, 1020), (6, 480, 720))


@pytest.mark.parametrize(
    ("text", "expected_days"),
    [
        ("T2 17:00-19:00", [0]),
        ("T7, CN 7h-11h", [5, 6]),
        ("Thứ 2 - Thứ 6 17:00-19:00", [0, 1, 2, 3, 4]),
        ("thu 2 den thu 6 17:00-19:00", [0, 1, 2, 3, 4]),
        ("Thứ bảy 08:00-10:00", [5]),
        ("Thứ tư 08:00-10:00", [2]),
        ("Chủ nhật 8h30-10h", [6]),
        ("chu nhat 8h30-10h", [6]),
        ("Mon-Fri 17:00-19:00", [0, 1, 2, 3, 4]),
        ("Monday 17:00-19:00", [0]),
        ("Thu 07:00-09:00", [3]),  # English Thursday, not "thứ" 7
        ("Thứ 7 7h-11h", [5]),
        ("cuối tuần 07:00-11:00", [5, 6]),
        ("weekdays 17:00-19:00", [0, 1, 2, 3, 4]),
        ("hằng ngày 17:00-19:00", list(EVERY_DAY)),
        ("Sat-Mon 07:00-08:00", [0, 5, 6]),
    ],
)
def test_day_names_in_english_and_vietnamese(text: str, expected_days: list[int]) -> None:
    assert days(parse_windows(text)) == expected_days


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("07:00-11:00", "07:00", "11:00"),
        ("7:00 - 11:00", "07:00", "11:00"),
        ("7h-11h30", "07:00", "11:30"),
        ("7g30-9g", "07:30", "09:00"),
        ("0730-1100", "07:30", "11:00"),
        ("7-11", "07:00", "11:00"),
        ("7pm-9pm", "19:00", "21:00"),
        ("16.00-19.00", "16:00", "19:00"),
        ("20:00-24:00", "20:00", "24:00"),
        ("7:00–11:00", "07:00", "11:00"),  # en dash, as Word types it
    ],
)
def test_time_formats(text: str, start: str, end: str) -> None:
    w = parse_windows(text)
    assert {(s, e) for _, s, e in w} == {(hm(start), hm(end))}


def test_a_day_written_after_hours_starts_a_new_day_part() -> None:
    w = parse_windows("Sat 07:00-11:00, Sun 08:00-12:00")
    assert w == ((5, 420, 660), (6, 480, 720))


def test_overlapping_and_touching_windows_are_merged() -> None:
    w = parse_windows("Sat 07:00-09:00, 08:30-11:00, 11:00-12:00; 07:00-08:00")
    assert [(s, e) for d, s, e in w if d == 5] == [(hm("07:00"), hm("12:00"))]
    assert [(s, e) for d, s, e in w if d == 0] == [(hm("07:00"), hm("08:00"))]


@pytest.mark.parametrize(
    ("text", "message", "fix"),
    [
        ("11:00-07:00", "ends before it starts", "07:00-11:00"),
        ("22:00-02:00", "ends before it starts", "22:00-24:00"),
        ("25:00-26:00", "'25:00' is not a time of day", "24-hour"),
        ("07:70-08:00", "is not a time of day", "24-hour"),
        ("07:00 11:00", "no dash between them", "07:00-11:00"),
        ("07:00", "needs a start and an end", "07:00-11:00"),
        ("Sat", "'Sat' has no hours", "Sat 07:00-11:00"),
        ("Sáng 7-11", "cannot read 'Sáng'", "07:00-11:00"),
        ("07:00-07:00", "is empty", "later"),
        ("13pm-2pm", "not a time of day", "1..12"),
    ],
)
def test_malformed_windows_say_what_and_how_to_fix(text: str, message: str, fix: str) -> None:
    with pytest.raises(WindowSyntaxError) as exc:
        parse_windows(text)
    assert message in exc.value.message
    assert fix in exc.value.fix
    assert isinstance(exc.value, InputDataError) and isinstance(exc.value, ValueError)
    assert text.strip() in str(exc.value)


@pytest.mark.parametrize(
    "text",
    [
        "07:00-11:00;16:00-19:00",
        "Sat 07:00-11:00,14:00-17:00; Sun 08:00-12:00",
        "T2-T6 17:00-19:30; T7, CN 7h-11h",
        "Mon-Fri, Sun 07:00-09:00; Sat 07:00-09:00, 14:00-17:00",
        "Sat-Mon 07:00-08:00",
        "Tue 00:00-24:00",
    ],
)
@pytest.mark.parametrize("language", ["en", "vi"])
def test_format_reads_back_to_the_same_windows(text: str, language: str) -> None:
    w = parse_windows(text)
    assert parse_windows(format_windows(w, language=language)) == w


def test_format_is_short_and_readable() -> None:
    assert format_windows(parse_windows("07:00-11:00;16:00-19:00")) == "07:00-11:00, 16:00-19:00"
    assert (
        format_windows(parse_windows("T2-T6 17:00-19:30; T7, CN 7h-11h"), language="vi")
        == "T2-T6 17:00-19:30; T7, CN 07:00-11:00"
    )
    assert format_windows(()) == ""


def test_fold_keeps_positions() -> None:
    text = "Thứ Bảy, Chủ nhật: Đà Nẵng"
    assert fold(text) == "thu bay, chu nhat: da nang"
    assert len(fold(text)) == len(text)
