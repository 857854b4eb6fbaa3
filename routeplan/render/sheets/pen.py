"""Setting text on a sheet: fonts, measured widths, one-line text, wrapped columns, labels.

:class:`Pen` wraps the fpdf2 document every part of a sheet draws on. It keeps the
current font (so widths can be measured without losing it), caches the width of every
word it has measured, and writes the labels in the sheet's language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..._labels import label
from .layout import BODY_PT, FONT, INK, PAD, RGB

if TYPE_CHECKING:  # pragma: no cover
    from fpdf import FPDF

__all__ = ["Pen", "Piece"]

Piece = tuple[str, str, float, RGB]
"""A run of text in a column: text, style (``""``, ``B``, ``I``), size in points, colour."""


class Pen:
    """Text tools on one fpdf2 document, with labels in ``language``."""

    def __init__(self, pdf: FPDF, language: str) -> None:
        self.pdf = pdf
        self.language = language
        self._widths: dict[tuple[str, str], float] = {}
        self._style, self._size = "", BODY_PT

    def t(self, key: str) -> str:
        """Return the label ``key`` in the sheet's language."""
        return label(key, self.language)

    def font(self, size: float = BODY_PT, style: str = "", color: RGB = INK) -> None:
        """Set the font for what is written next."""
        self._style, self._size = style, size
        self.pdf.set_font(FONT, style, size)
        self.pdf.set_text_color(*color)

    def dash(self, dash: float = 0.0, gap: float = 0.0) -> None:
        """Set a dash pattern (``dash`` mm on, ``gap`` mm off); no argument: solid lines."""
        if dash > 0:
            self.pdf.set_dash_pattern(dash, gap)
        else:
            self.pdf.set_dash_pattern()

    def fit(
        self,
        text: str,
        width: float,
        size: float = BODY_PT,
        smallest: float = BODY_PT,
        style: str = "",
    ) -> float:
        """Return the font size at most ``size`` at which ``text`` fits on one line."""
        self.font(size, style)
        natural = self.pdf.get_string_width(text)
        if natural <= width:
            return size
        return max(smallest, math.floor(size * width / natural * 4) / 4)

    def width(self, text: str, style: str, size: float) -> float:
        """Return the width (mm) of ``text`` set in DejaVu Sans ``style`` at ``size`` pt."""
        key = (style, text)
        unit = self._widths.get(key)
        if unit is None:
            self.pdf.set_font(FONT, style, 10)
            unit = self._widths[key] = self.pdf.get_string_width(text) / 10
            self.pdf.set_font(FONT, self._style, self._size)
        return unit * size

    def put(
        self, x: float, top: float, width: float, height: float, text: str, align: str = "L"
    ) -> None:
        """Write one line of ``text`` in the current font, centred vertically in a box.

        Faster than ``FPDF.cell`` (which the table calls thousands of times a week).
        """
        if not text:
            return
        if align != "L":
            w = self.width(text, self._style, self._size)
            x += (width - w) / 2 if align == "C" else width - w
        baseline = top + 0.5 * height + 0.3 * self._size * 25.4 / 72
        self.pdf.text(x, baseline, text)

    def _cut(self, word: str, style: str, size: float, width: float) -> int:
        """Return how many leading characters of ``word`` fit in ``width`` (at least one)."""
        cut, acc = 0, 0.0
        for ch in word:
            cw = self.width(ch, style, size)
            if acc + cw > width and cut > 0:
                break
            acc, cut = acc + cw, cut + 1
        return cut

    def wrap(self, text: str, style: str, size: float, width: float) -> list[str]:
        """Break ``text`` into lines no wider than ``width``; words too long are cut."""
        space = self.width(" ", style, size)
        lines: list[str] = []
        cur, cur_w = "", 0.0
        for word in text.split():
            w = self.width(word, style, size)
            if cur and cur_w + space + w <= width:
                cur, cur_w = f"{cur} {word}", cur_w + space + w
                continue
            if cur:
                lines.append(cur)
            while w > width and len(word) > 1:
                cut = self._cut(word, style, size, width)
                lines.append(word[:cut])
                word = word[cut:]
                w = self.width(word, style, size)
            cur, cur_w = word, w
        if cur:
            lines.append(cur)
        return lines

    def pieces(
        self,
        x: float,
        y: float,
        width: float,
        pieces: Sequence[Piece],
        *,
        draw: bool,
        align: str = "L",
    ) -> float:
        """Write (or measure, ``draw=False``) text pieces in a column; return their height."""
        h = 0.0
        for text, style, size, color in pieces:
            if not text:
                continue
            self.font(size, style, color)
            line_h = size * 0.47
            indent = 0.0
            if "\t" in text:  # a bullet: hang the text after it
                bullet, text = text.split("\t", 1)
                indent = self.width(bullet + " ", style, size) + 0.8
                if draw:
                    self.put(x + PAD, y + 0.8 + h, indent, line_h, bullet)
            inner = width - indent - 2 * PAD
            for line in self.wrap(text, style, size, inner):
                if draw:
                    self.put(x + indent + PAD, y + 0.8 + h, inner, line_h, line, align)
                h += line_h
        return h + 1.6
