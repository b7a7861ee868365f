"""The prose as the coverage checks read it: paragraphs and sections of the text (headings,
tables and definitions left out) split into sentences and clauses, spaces removed; whether a
claim states an amount of the document's own year; whether a sentence says a subject is absent
or a paragraph states its amount. Their words are ``data/coverage_checks.yaml``."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache, lru_cache

import regex

from gouji.alignment.checks import Context
from gouji.data import load_yaml
from gouji.ingest.document import Heading, Paragraph
from gouji.narrative.claims import Claim
from gouji.narrative.subjects import normalize
from gouji.patterns import re_
from gouji.quantities import vocabulary

SENTENCE_RE = re_(r"[^。；;！!？?\n]+[。；;！!？?]?")
CLAUSE_RE = re_(r"[^，,。；;！!？?\n]+")
MONEY_RE = vocabulary.build(r"\d[\d,，]*(?:\.\d+)?\s*<<money_unit_short>>")
NO_PROSE = "文件没有可核对的文字说明（未提取到金额陈述）"


@cache
def coverage_cfg() -> dict:
    return load_yaml("coverage_checks.yaml")


@lru_cache(maxsize=16384)
def plain(text: str) -> str:
    return normalize(text or "")  # drops quotes and every whitespace character


@lru_cache(maxsize=16384)
def is_definition(text: str) -> bool:
    return bool(re_(coverage_cfg()["definition"]).search(plain(text)))


def sentences_of(b: Paragraph) -> list[tuple[str, tuple[int, int]]]:
    return list(sentence_spans(b.text, b.location.start))


@lru_cache(maxsize=4096)  # every coverage check reads the same paragraphs
def sentence_spans(text: str, start: int) -> tuple[tuple[str, tuple[int, int]], ...]:
    return tuple(
        (plain(m.group()), (start + m.start(), start + m.end())) for m in SENTENCE_RE.finditer(text) if not is_definition(m.group())
    )


def prose_by_paragraph(ctx: Context) -> Iterator[list[tuple[str, tuple[int, int]]]]:
    """Paragraphs of the prose (no headings, tables or definitions) as their sentences,
    spaces removed, with spans."""
    in_definitions = False
    for b in ctx.doc.blocks:
        if isinstance(b, Heading):
            in_definitions = bool(re_(coverage_cfg()["definition"]).search(plain(b.text)))
            continue
        if not isinstance(b, Paragraph) or in_definitions:
            continue
        sentences = sentences_of(b)
        if sentences:
            yield sentences


def prose_sentences(ctx: Context) -> Iterator[tuple[str, tuple[int, int]]]:
    for para in prose_by_paragraph(ctx):
        yield from para


def prose_paragraphs(ctx: Context) -> Iterator[str]:
    """The prose of each section (between headings) as one text: a PDF line break may split a
    paragraph ("机关运行经费预算总计211" / "万元")."""
    section: list[str] = []
    in_definitions = False
    for b in ctx.doc.blocks:
        if isinstance(b, Heading):
            if section:
                yield "".join(section)
            section = []
            in_definitions = bool(re_(coverage_cfg()["definition"]).search(plain(b.text)))
        elif isinstance(b, Paragraph) and not in_definitions:
            section.extend(s for s, _ in sentences_of(b))
    if section:
        yield "".join(section)


def is_own_amount(ctx: Context, c: Claim) -> bool:
    """An amount the claim states for the document's own year (not a change, carry-over or base)."""
    if c.amount is None or c.malformed or c.amount.unit == "%":
        return False
    year = ctx.doc.meta.year
    if c.year is not None and year is not None and c.year != year:
        return False
    return not re_(coverage_cfg()["not_own_figure"]).search(plain(c.subject)) and not is_definition(c.sentence)


def none_about(sentence: str, pattern: regex.Pattern) -> bool:
    """The sentence says the subject is absent ("本单位不涉及机关运行经费")."""
    cfg = coverage_cfg()
    return bool(pattern.search(sentence) and re_(cfg["none"]).search(sentence) and not re_(cfg["not_own_figure"]).search(sentence))


STATED_WINDOW = 60  # characters after a subject in which its amount must follow


def stated_in_text(paragraph: str, pattern: regex.Pattern, stop: regex.Pattern | None = None) -> bool:
    """The paragraph names the subject and then its amount ("因公出国（境）费用。2026年预算数
    166.98万元", before any other subject of ``stop``), or says in a clause that it is absent."""
    cfg = coverage_cfg()
    for m in CLAUSE_RE.finditer(paragraph):
        if pattern.search(m.group()) and none_about(m.group(), pattern):
            return True
    for hit in pattern.finditer(paragraph):
        window = paragraph[hit.end() : hit.end() + STATED_WINDOW]
        other = (stop or pattern).search(window)
        if other:
            window = window[: other.start()]
        money = MONEY_RE.search(window)
        if money and not re_(cfg["not_own_figure"]).search(window[: money.start()]):
            return True
    return False
