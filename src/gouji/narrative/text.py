"""Prose cleaned for matching, with a map back to source offsets."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from gouji.tables.numbers import FULLWIDTH

MARKUP_RE = regex.compile(r"</?b>|\*\*|</?p>|^\s*-\s+", regex.MULTILINE)
HAN = r"[\p{Han}（）“”、，。；：]"


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
    drop = [False] * len(raw)
    for m in MARKUP_RE.finditer(raw):
        for i in range(m.start(), m.end()):
            drop[i] = True
    chars: list[str] = []
    src: list[int] = []
    for i, ch in enumerate(raw):
        if drop[i]:
            continue
        if ch in "\r\n":
            continue
        chars.append(ch.translate(FULLWIDTH))
        src.append(offset + i)
    # spaces between two Chinese characters are export noise
    out_c: list[str] = []
    out_s: list[int] = []
    n = len(chars)
    for i, ch in enumerate(chars):
        if ch in " \t\u3000":
            prev = next((chars[k] for k in range(i - 1, -1, -1) if chars[k] not in " \t\u3000"), "")
            nxt = next((chars[k] for k in range(i + 1, n) if chars[k] not in " \t\u3000"), "")
            if regex.match(HAN, prev) and regex.match(HAN, nxt):
                continue
            if regex.match(HAN, prev) or regex.match(HAN, nxt):
                # "2023 年", "193.86 万元": keep nothing, the space carries no meaning
                continue
        out_c.append(ch)
        out_s.append(src[i])
    return CleanText("".join(out_c), out_s)
