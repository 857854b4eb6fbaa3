"""Cells into values: phone numbers, slugs."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_registers import HEADER, write

from routeplan.registers import read_households, slug


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("905123456", "0905123456"),
        ("905123456.0", "0905123456"),
        ("9.05123456E+08", "0905123456"),
        ("0905 123 456", "0905 123 456"),
        ("84905123456", "84905123456"),
        ("+84 905 123 456", "+84 905 123 456"),
        ("23612345", "23612345"),
        ("123456789", "123456789"),
    ],
)
def test_phones_stay_text_and_lost_zeros_come_back(tmp_path: Path, typed: str, kept: str) -> None:
    path = write(tmp_path, "h.csv", HEADER + f'\nA1,X,V,16.1,108.0,"{typed}",vneid,0,0,0,,,\n')
    assert read_households(path)["phone"].iloc[0] == kept


def test_phone_that_lost_digits_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "h.csv", HEADER + "\nA1,X,V,16.1,108.0,9.05E+08,vneid,0,0,0,,,\n")
    gdf = read_households(path)
    assert any(p.column == "phone" and "lost" in p.message for p in gdf.attrs["problems"])


def test_slug() -> None:
    assert slug("Cơ Tu") == slug("Co Tu") == slug(" co-tu ") == "co_tu"
    assert slug("Đi bộ") == "di_bo"
