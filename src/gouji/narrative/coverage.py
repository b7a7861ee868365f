"""Coverage: what extraction made of each sentence with an amount or a percentage."""

from __future__ import annotations

from gouji.narrative.claims import Claim
from gouji.narrative.lexicon import Lexicon, lexicon
from gouji.narrative.mentions import THRESHOLD_AFTER, THRESHOLD_WORDS, Mention
from gouji.patterns import alternation, re_
from gouji.records import dataclass

RANGE_PCT = re_(r"\d+(?:\.\d+)?%?\s*[-~—–－至到]\s*\d+(?:\.\d+)?%")
INDICATOR = re_(r"率|比例|比率|达到|达|不低于|不高于|不少于|覆盖|满意度|完成|控制在|目标|指标|考核|报销|支付|救助")


@dataclass
class SentenceRecord:
    """A sentence with amounts or percentages, and what extraction made of it."""

    span: tuple[int, int]
    mentions: int
    claims: list[str]
    status: str  # claims / non-claim / unclassified
    reason: str | None = None  # why a non-claim is not a claim


def sentence_record(
    text: str,
    s0: int,
    s1: int,
    span: tuple[int, int],
    mentions: list[Mention],
    reason_regions: list[tuple[int, int]],
    claims: list[Claim],
) -> SentenceRecord:
    """The sentence ``text[s0:s1]`` (document ``span``) yields some of ``claims``, or is a
    non-claim with a reason, or neither."""
    a, b = span
    ids = []
    for c in claims:
        cmp = c.comparison
        qs = [c.amount, c.share] + ([cmp.delta, cmp.percent, cmp.base] if cmp else [])
        if any(q is not None and a <= q.span[0] < b for q in qs):
            ids.append(c.id)
    in_reason = [m for m in mentions if any(r0 <= m.start < r1 for r0, r1 in reason_regions)]
    if ids:
        return SentenceRecord(span, len(mentions), ids, "claims")
    why = _nonclaim_reason(text, s0, s1, mentions, in_reason)
    return SentenceRecord(span, len(mentions), [], "non-claim" if why else "unclassified", why)


def _alt_cues(lex: Lexicon) -> str:
    words = lex.cues["increase"] + lex.cues["decrease"] + lex.cues["share"]
    return alternation(words)


def _nonclaim_reason(text: str, s0: int, s1: int, mentions: list[Mention], in_reason: list[Mention]) -> str | None:
    """Why a sentence with amounts makes no claim, or None when it should have made one."""
    sent = text[s0:s1]
    money = [m for m in mentions if m.kind == "money"]
    pct = [m for m in mentions if m.kind == "percent"]
    if in_reason and len(in_reason) == len(mentions):
        return "reason_amount"  # amounts cited by a reason whose change is elsewhere
    if pct and not money:
        if RANGE_PCT.search(sent):
            return "policy_ratio"
        if INDICATOR.search(sent):
            return "indicator"
        if not re_(_alt_cues(lexicon())).search(sent):
            return "ratio"  # a percentage tied to no amount and to no change or share word
    if money and all(
        THRESHOLD_AFTER.match(text[m.end : m.end + 4]) or THRESHOLD_WORDS.search(text[max(s0, m.start - 8) : m.end + 4])
        for m in money
    ):
        return "threshold"
    if not money and not pct:
        return "zero_word"
    return None
