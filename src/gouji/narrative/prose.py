"""Prose units: the paragraphs read as one text, joined, and cut into sentences."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gouji.ingest.document import Block, Heading, Paragraph
from gouji.narrative.options import Options
from gouji.narrative.text import CleanText
from gouji.patterns import re_

SENTENCE_END = "。！？!?"
CLAUSE_SEP = "，,；;：:"

LIST_ITEM = re_(r"^\s*(?:[(（]?\d{1,2}[)）、.．]|[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[①-⑳])")
# "七、一般公共预算“三公”经费支出安排情况", "第三部分 …": a title line, not a cut sentence
HEADING_LIKE = re_(r"^\s*(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]{1,3}[部章节]|\d{1,2}[、.．](?!\d))[^，。；,;]{0,40}$")
LINE_END = re_(r"[。！？!?；;：:]\s*$")
# a table's title ("表 9. …项目支出表", "附表1"): never the rest of the line before it
TABLE_TITLE = re_(r"^\s*(?:表\s*\d|附表|附件)|表\s*$")


def prose_units(blocks: Iterable[Block], options: Options) -> list[list[Paragraph | Heading]]:
    """Paragraphs grouped into units read as one text.

    Text broken by line and page ends (PDF) is joined: a paragraph that does not end a
    sentence continues in the next one. A paragraph ending with "：" (or an item ending
    with "；") and followed by list items ("1、", "（1）", "（一）") takes the items in, so
    the list is read as the parts of the amount before it. Both only as ``options`` say.
    """
    units: list[list[Paragraph | Heading]] = []
    cur: list[Paragraph | Heading] = []
    for b in blocks:
        if not isinstance(b, Paragraph | Heading):
            if cur:
                units.append(cur)
                cur = []
            continue
        if isinstance(b, Paragraph) and cur and isinstance(cur[-1], Paragraph) and _continues(cur[-1].text, b.text, options):
            cur.append(b)
            continue
        if cur:
            units.append(cur)
        cur = [b]
    if cur:
        units.append(cur)
    return units


def _continues(prev: str, nxt: str, options: Options) -> bool:
    prev, nxt = prev.rstrip(), nxt.strip()
    if not prev or not nxt or "\t" in prev or "\t" in nxt:
        return False
    if prev.endswith(("：", ":", "；", ";")):
        return options.join_lists and (bool(LIST_ITEM.match(nxt)) or prev.endswith(("：", ":")))
    if not options.join_lines:
        return False
    if LINE_END.search(prev) or LIST_ITEM.match(nxt) or HEADING_LIKE.match(prev) or TABLE_TITLE.search(nxt):
        return False
    # a line cut in the middle of a sentence: it ends in a character, digit or comma
    return bool(re_(r"[\p{Han}\d，,、“（(]$").search(prev)) and len(prev) >= 20


def join_texts(parts: list[CleanText]) -> CleanText:
    """The cleaned texts of a unit's paragraphs as one text, with one offset map."""
    if len(parts) == 1:
        return parts[0]
    return CleanText("".join(p.text for p in parts), [i for p in parts for i in p.source])


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of ``text`` that is not blank, its end mark included.

    An end mark right before a closing bracket ends a sentence within brackets
    ("…（公务用车购置费230.55万元，…减少2.96万元。）比上年增加…"), not the sentence around it."""
    start = 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END and text[i + 1 : i + 2] not in ("）", ")"):
            if text[start : i + 1].strip():
                yield start, i + 1
            start = i + 1
    if text[start:].strip():
        yield start, len(text)
