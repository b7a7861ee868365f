"""Prose cleaned for matching, with a map back to source offsets."""

from __future__ import annotations

import regex

from gouji.patterns import re_
from gouji.quantities.numbers import FULLWIDTH
from gouji.records import dataclass

MARKUP_RE = re_(r"</?b>|\*\*|</?p>|^\s*-\s+", regex.MULTILINE)
HAN = r"[\p{Han}（）“”、，。；：]"
HAN_RE = re_(HAN)
NEWLINE_RE = re_(r"[\r\n]")
SPACE_RUN_RE = re_(r"[ \t\u3000]+")


@dataclass
class CleanText:
    """``text`` is the cleaned prose; ``source[i]`` is the document offset of ``text[i]``."""

    text: str
    source: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Document offsets of the cleaned range [start, end)."""
        if start >= len(self.source):
            return self.source[-1] + 1, self.source[-1] + 1
        return self.source[start], self.source[end - 1] + 1


def clean_prose(raw: str, offset: int) -> CleanText:
    """Drop markup, line breaks and spaces between Chinese characters; digits to ASCII."""
    drops = sorted([m.span() for m in MARKUP_RE.finditer(raw)] + [m.span() for m in NEWLINE_RE.finditer(raw)])
    pieces: list[str] = []
    src: list[int] = []
    at = 0
    for a, b in drops:
        if a > at:
            pieces.append(raw[at:a])
            src.extend(range(offset + at, offset + a))
        at = max(at, b)
    pieces.append(raw[at:])
    src.extend(range(offset + at, offset + len(raw)))
    text = "".join(pieces).translate(FULLWIDTH)
    # spaces next to a Chinese character are export noise ("2023 年", "193.86 万元",
    # "医 疗"); a run of spaces is kept only between two non-Chinese characters
    runs = [m for m in SPACE_RUN_RE.finditer(text) if _next_to_han(text, m.start(), m.end())]
    if not runs:
        return CleanText(text, src)
    out_c: list[str] = []
    out_s: list[int] = []
    at = 0
    for m in runs:
        out_c.append(text[at : m.start()])
        out_s.extend(src[at : m.start()])
        at = m.end()
    out_c.append(text[at:])
    out_s.extend(src[at:])
    return CleanText("".join(out_c), out_s)


def _next_to_han(text: str, start: int, end: int) -> bool:
    return (start > 0 and HAN_RE.match(text, start - 1) is not None) or (end < len(text) and HAN_RE.match(text, end) is not None)
