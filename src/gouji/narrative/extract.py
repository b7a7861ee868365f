"""Rule-based claim extraction from the prose of a disclosure.

Pipeline per paragraph: clean text (with offset map) -> sentences -> mentions (money,
percentages) -> each mention classified by the words just before it (amount, base,
change, change percentage, share) -> mentions assembled into claims, with their
listed parts and stated reasons.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal

import regex

from gouji.ingest.document import Document, Heading, Paragraph
from gouji.limits import limits
from gouji.narrative.claims import Claim, Comparison, PartsGroup, Quantity, Reason
from gouji.narrative.lexicon import lexicon
from gouji.narrative.reason_kinds import reason_category
from gouji.narrative.reasons import reason_direction
from gouji.narrative.subjects import (
    YEAR_RE,
    clean_subject,
    is_blocked,
    normalize,
    resolve_subject,
)
from gouji.narrative.text import CleanText, clean_prose
from gouji.patterns import re_
from gouji.quantities.numbers import (
    ParsedNumber,
    is_malformed_number,
    parse_number,
    too_many_digits,
)

# a zero stated by word ("无", "未安排") is exact; these decimals make its interval a point
ZERO_DECIMALS = 6


def parse_cn_number(text: str) -> ParsedNumber | None:
    """Chinese numerals ("一千二百", "三点五") to an exact number (cn2an)."""
    import cn2an

    try:
        value = cn2an.cn2an(text.replace("两", "二"), "strict")
    except (ValueError, KeyError, IndexError):
        return None
    frac = text.split("点", 1)[1] if "点" in text else ""
    number = Decimal(str(value))
    if too_many_digits(format(abs(number).to_integral_value(), "f"), frac):
        return None
    return ParsedNumber(number, len(frac), text)

AMOUNT_RE = regex.compile(
    r"(?<![\d.])(?P<num>[-−]?\d[\d,]*(?:\.\d*)?)(?P<unit>亿元|万元|千元|元|万(?![\p{Han}]))"
)
# "一千二百万元", "三点五亿元": Chinese numerals before a money unit (万 and 亿 inside the
# number are multipliers, the last 万/亿 before 元 is the unit)
CN_AMOUNT_RE = regex.compile(
    r"(?<![零〇一二两三四五六七八九十百千万亿点统唯单第之\d.])(?P<num>[零〇一二两三四五六七八九十百千万亿]*[一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千]*(?:点[零〇一二三四五六七八九]+)?)"
    r"(?P<unit>亿元|万元|千元|元)"
)
# "(3.00)万元": a parenthesised amount is negative
PAREN_AMOUNT_RE = regex.compile(r"\((?P<num>\d[\d,]*(?:\.\d+)?)\)(?P<unit>亿元|万元|千元|元)")
# "无政府性基金预算收入", "三公经费未安排": zero by word
ZERO_WORD_RE = regex.compile(
    r"(?:(?<=^|[，,；;。：:\s]|部门|单位|年|本局|我局|局|委|办|注|均|暂)(?P<word>无)(?!锡|为)|(?P<word>未安排|没有))"
    r"(?=[^，,；;。]{0,30}?(?:收入|支出|收支|经费|预算|拨款|资金)(?:[，,；;。]|$))"
    r"|(?<=(?:收入|支出|收支|经费|预算|拨款|资金)[\"”]?)(?P<word>未安排)(?=[，,；;。]|$)"
)
PERCENT_RE = regex.compile(r"(?<![\d.])(?P<num>[-−]?\d+(?:\.\d+)?) ?[%％]")
SENTENCE_END = "。！？!?"
CLAUSE_SEP = "，,；;：:"
THRESHOLD_AFTER = regex.compile(r"^(?:以上|以下|以内|及以上|左右)")
TARGET_BEFORE = regex.compile(r"[≥≤<>＞＜=]$")


@dataclass
class Mention:
    kind: str  # money / percent
    start: int  # in clean text
    end: int
    value: object
    unit: str
    text: str
    malformed: bool = False


@dataclass
class SentenceRecord:
    """A sentence with amounts or percentages, and what extraction made of it."""

    span: tuple[int, int]
    mentions: int
    claims: list[str]
    status: str  # claims / non-claim / unclassified
    reason: str | None = None  # why a non-claim is not a claim


@dataclass
class ClaimSet:
    claims: list[Claim]
    groups: list[PartsGroup]
    reason_sections: set[int] = field(default_factory=set)  # sections whose prose states a reason
    reason_paragraphs: set[int] = field(default_factory=set)  # paragraphs that state a reason
    sentences: list[SentenceRecord] = field(default_factory=list)  # coverage of money sentences
    reason_places: set[tuple[int, int]] = field(default_factory=set)  # (section, paragraph) stating a reason
    cut: list[tuple[int, int]] = field(default_factory=list)  # source spans left unread (limits.yaml: max_paragraph_chars)

    def by_id(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}


def extract_claims(doc: Document) -> ClaimSet:
    """Every monetary or percentage statement in the prose of ``doc``."""
    state = _State(doc)
    for unit in _prose_units(doc.blocks):
        if isinstance(unit[0], Heading):
            state.section += 1
        state.paragraph(unit)
    return ClaimSet(
        state.claims, state.groups, state.reason_sections, state.reason_paragraphs, state.sentences, state.reason_places, state.cut
    )


class _State:
    def __init__(self, doc: Document):
        self.doc = doc
        self.claims: list[Claim] = []
        self.groups: list[PartsGroup] = []
        self.lex = lexicon()
        self.last_touched: Claim | None = None
        self.section = 0
        self.reason_sections: set[int] = set()
        self.reason_paragraphs: set[int] = set()
        self.reason_places: set[tuple[int, int]] = set()
        self.sentences: list[SentenceRecord] = []
        self.paragraph_index = 0
        self.open_list: PartsGroup | None = None
        self.cut: list[tuple[int, int]] = []
        self.max_chars = limits().max_paragraph_chars

    def _new_claim(self, sentence: str, sspan: tuple[int, int], subject: str, code: str | None) -> Claim:
        sid, exact = resolve_subject(subject)
        c = Claim(
            id=f"C{len(self.claims) + 1}",
            sentence=sentence,
            sentence_span=sspan,
            subject=subject,
            subject_id=sid,
            subject_exact=exact,
            code=code,
            year=self.doc.meta.year,
            section=self.section,
            paragraph=self.paragraph_index,
        )
        self.claims.append(c)
        return c

    def paragraph(self, blocks: list[Paragraph | Heading]) -> None:
        self.paragraph_index += 1
        ct = _join([clean_prose(b.text, b.location.start) for b in blocks])
        if not ct.text:
            return
        para_claims: list[Claim] = []
        self.last_touched = None
        if not LIST_ITEM.match(ct.text):
            self.open_list = None
        read = ct.text
        if len(read) > self.max_chars:  # the rest is left unread, and a finding says so
            read = read[: self.max_chars]
            self.cut.append(ct.span(self.max_chars, len(ct.text)))
        for s_start, s_end in _sentences(read):
            self.sentence(ct, s_start, s_end, para_claims)

    def _quantity(self, ct: CleanText, m: Mention) -> Quantity:
        return Quantity(
            value=m.value.value,
            decimals=m.value.decimals,
            unit=m.unit,
            span=ct.span(m.start, m.end),
            text=self.doc.text[slice(*ct.span(m.start, m.end))],
        )

    def sentence(self, ct: CleanText, s0: int, s1: int, para_claims: list[Claim]) -> None:
        text = ct.text
        sent = text[s0:s1]
        sspan = ct.span(s0, s1)
        source_sentence = self.doc.text[sspan[0] : sspan[1]]
        mentions = _mentions(text, s0, s1)
        reason_regions = _reason_regions(self.lex, text, s0, s1)
        current: Claim | None = None  # latest claim of this sentence with an amount
        last_cmp: Claim | None = None
        group_stack: list[PartsGroup] = []
        prev_end = s0
        prev_kind = None

        # a sentence that opens with a parts cue lists parts of the previous claim
        lead = text[s0 : s0 + 6]
        pm = self.lex.parts_cue.match(lead.lstrip("（(一二三四五六七八九十)）、"))
        if pm and para_claims and mentions:
            parent = self.last_touched or para_claims[-1]
            if not pm.group().startswith(("其中", "包括")) and parent.part_of:
                # "主要用于以下方面：…" after a list of parts speaks of the whole
                parent = next((c for c in para_claims if c.id == parent.part_of), parent)
            g = PartsGroup(parent=parent.id, cue_span=ct.span(s0, s0 + len(pm.group())))
            self.groups.append(g)
            group_stack.append(g)

        # "其中：（1）…。（2）…。": a list item continues the list of the sentence before
        starts_item = bool(LIST_ITEM.match(sent))
        if starts_item and self.open_list is not None and not group_stack and LIST_CONTINUATION:
            group_stack.append(self.open_list)

        for m in mentions:
            # inside a stated reason: amounts cited by the reason, not claims
            region = next((r for r in reason_regions if r[0] <= m.start < r[1]), None)
            if region is not None:
                prev_end = m.end
                continue
            clause_start = max(
                [s0] + [i + 1 for i in range(prev_end, m.start) if text[i] in CLAUSE_SEP]
            )
            between = text[prev_end : m.start]
            pre = text[max(clause_start, prev_end) : m.start]
            # list structure: a semicolon ends a nested list, a parts cue opens one
            semi = max((i for i, ch in enumerate(between) if ch in "；;"), default=-1)
            if semi >= 0 and len(group_stack) > 1:
                group_stack = group_stack[:1]
            cue = None
            for cm in self.lex.parts_cue.finditer(between, pos=semi + 1):
                cue = cm
            if cue is not None and current is not None and (not group_stack or group_stack[-1].parent != current.id):
                g = PartsGroup(parent=current.id, cue_span=ct.span(prev_end + cue.start(), prev_end + cue.end()))
                # "主要包括：…" names the main parts only: their sum may fall short of the whole
                g.incomplete = between[: cue.start()].endswith(tuple(self.lex.cues["partial_parts_before"]))
                self.groups.append(g)
                group_stack.append(g)

            if m.kind == "percent":
                q = self._quantity(ct, m)
                cm = self.lex.change_pct_end.search(pre)
                if cm:
                    target = last_cmp or current or (para_claims[-1] if para_claims else None)
                    if target is None:
                        target = self._new_claim(source_sentence, sspan, "", None)
                        para_claims.append(target)
                    target.comparison = target.comparison or Comparison()
                    target.comparison.percent = q
                    target.comparison.percent_direction = self.lex.direction_of(cm.group("cue"))
                    if target.comparison.direction is None:
                        target.comparison.direction = target.comparison.percent_direction
                        target.comparison.cue_span = ct.span(m.start - len(cm.group()), m.start)
                    last_cmp = target
                elif (self.lex.share_end.search(pre) or (pre.strip() == "" and prev_kind == "amount")) and current is not None:
                    current.share = q
                prev_end, prev_kind = m.end, "percent"
                continue

            if m.kind == "zero":
                q = self._quantity(ct, m)
                clause_end = next((i for i in range(m.end, s1) if text[i] in CLAUSE_SEP + SENTENCE_END), s1)
                words = pre if m.text == "未安排" and pre.strip() else text[m.end : clause_end]
                subject, code = clean_subject(words, self.doc.meta.unit_name)
                claim = self._new_claim(source_sentence, sspan, subject, code)
                claim.amount = q
                claim.zero_by_word = True
                claim.blocked = is_blocked(words)
                claim.year = _year_before(sent, m.start - s0, self.doc.meta.year) or self.doc.meta.year
                para_claims.append(claim)
                prev_end, prev_kind = m.end, "zero"
                continue

            # money
            q = self._quantity(ct, m)
            after = text[m.end : m.end + 4]
            dm = self.lex.delta_end.search(pre)
            bm = self.lex.base_end.search(pre)
            if dm:
                subj_text = pre[: dm.start()]
                lead_m = None
                for lm in self.lex.lead.finditer(subj_text):
                    lead_m = lm
                inner = ""
                if lead_m is not None:
                    inner = subj_text[lead_m.end() :]
                    subj_text = subj_text[: lead_m.start()]
                subject, code = clean_subject(subj_text, self.doc.meta.unit_name)
                if not subject and inner:
                    inner = re_(r"(?:相比|比较|相较|同期)+$").sub("", inner)
                    inner = re_(r"^(?:上年|去年|上一年度?|20\d\d年度?)").sub("", inner)
                    subject, code = clean_subject(inner, self.doc.meta.unit_name)
                target = self._find_target(subject, current, para_claims, group_stack)
                if target is None:
                    target = self._new_claim(source_sentence, sspan, subject, code)
                    para_claims.append(target)
                    if group_stack:
                        _add_part(group_stack[-1], target, "delta")
                elif group_stack and target.id != group_stack[-1].parent and target.id not in group_stack[-1].parts and target is not current:
                    _add_part(group_stack[-1], target, "delta")
                target.comparison = target.comparison or Comparison()
                direction = self.lex.direction_of(dm.group("cue"))
                if q.value < 0:  # "增加-3万元", "增加(3.00)万元": a decrease of 3
                    q.value = -q.value
                    direction = "decrease" if direction == "increase" else "increase"
                target.comparison.delta = q
                target.comparison.direction = direction
                target.comparison.cue_span = ct.span(m.start - len(dm.group()), m.start)
                last_cmp = target
                self.last_touched = target
                prev_end, prev_kind = m.end, "delta"
                continue
            if bm and current is not None:
                current.comparison = current.comparison or Comparison()
                current.comparison.base = q
                if bm.group("year"):
                    current.comparison.base_year = int(bm.group("year"))
                elif self.doc.meta.year:
                    current.comparison.base_year = self.doc.meta.year - 1
                last_cmp = current
                prev_end, prev_kind = m.end, "base"
                continue
            subject, code = clean_subject(pre, self.doc.meta.unit_name)
            claim = self._new_claim(source_sentence, sspan, subject, code)
            claim.amount = q
            claim.malformed = m.malformed
            claim.year = _year_before(sent, m.start - s0, self.doc.meta.year) or self.doc.meta.year
            claim.blocked = is_blocked(pre)
            claim.approximate = bool(
                self.lex.approx.search(pre[-2:]) or THRESHOLD_AFTER.match(after) or TARGET_BEFORE.search(pre)
            )
            if group_stack:
                _add_part(group_stack[-1], claim, "amount")
                if after.startswith("等"):
                    group_stack[-1].incomplete = True
            para_claims.append(claim)
            current = claim
            self.last_touched = claim
            last_cmp = None
            prev_end, prev_kind = m.end, "amount"

        # "与上年无增减变化", "预算数与2022年相同，无差异"
        fm = self.lex.flat_cue.search(sent)
        if fm and para_claims:
            target = current or para_claims[-1]
            if target.comparison is None:
                target.comparison = Comparison(direction="flat", cue_span=ct.span(s0 + fm.start(), s0 + fm.end()))

        if group_stack and (starts_item or LIST_MARK.search(sent)):
            self.open_list = group_stack[0]
        elif not (starts_item and not mentions):
            self.open_list = None

        if mentions:
            self._record(ct, s0, s1, sspan, mentions, reason_regions, para_claims)

        if reason_regions:
            self.reason_sections.add(self.section)
            self.reason_paragraphs.add(self.paragraph_index)
            self.reason_places.add((self.section, self.paragraph_index))
        for r0, r1 in reason_regions:
            # the reason explains the latest change stated before it
            at = ct.span(r0, r1)[0]
            before = [c for c in para_claims if c.comparison and c.comparison.cue_span and c.comparison.cue_span[0] < at]
            target = max(before, key=lambda c: c.comparison.cue_span[0]) if before else None
            if target is None:
                target = last_cmp or next((c for c in reversed(para_claims) if c.comparison), None)
            if target is not None and target.reason is None:
                target.reason = self._reason(ct, r0, r1, mentions)

    def _record(self, ct, s0, s1, sspan, mentions, reason_regions, para_claims) -> None:
        """Coverage: the sentence yields claims, or is a non-claim with a reason, or neither."""
        a, b = sspan
        ids = []
        for c in para_claims:
            cmp = c.comparison
            qs = [c.amount, c.share] + ([cmp.delta, cmp.percent, cmp.base] if cmp else [])
            if any(q is not None and a <= q.span[0] < b for q in qs):
                ids.append(c.id)
        in_reason = [m for m in mentions if any(r0 <= m.start < r1 for r0, r1 in reason_regions)]
        if ids:
            self.sentences.append(SentenceRecord(sspan, len(mentions), ids, "claims"))
            return
        why = _nonclaim_reason(ct.text, s0, s1, mentions, in_reason)
        self.sentences.append(SentenceRecord(sspan, len(mentions), [], "non-claim" if why else "unclassified", why))

    def _reason(self, ct: CleanText, r0: int, r1: int, mentions: list[Mention]) -> Reason:
        rs = ct.span(r0, r1)
        reason = Reason(text=self.doc.text[rs[0] : rs[1]], span=rs)
        reason.category = reason_category(reason.text)
        d, dspan = reason_direction(ct.text[r0:r1], self.doc.meta.year)
        if d is not None:
            reason.direction = d
            reason.direction_span = ct.span(r0 + dspan[0], r0 + dspan[1])
        reason.amounts = [self._quantity(ct, m) for m in mentions if m.kind == "money" and r0 <= m.start < r1]
        return reason

    def _find_target(self, subject: str, current: Claim | None, para_claims: list[Claim], groups: list[PartsGroup]) -> Claim | None:
        if not subject:
            if current is not None:
                return current
            return para_claims[-1] if para_claims else None
        sid, _ = resolve_subject(subject)
        norm = normalize(subject)
        for c in reversed(para_claims):
            if (sid and c.subject_id == sid) or normalize(c.subject) == norm:
                return c
        return None


LIST_ITEM = regex.compile(r"^\s*(?:[(（]?\d{1,2}[)）、.．]|[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[①-⑳])")
LIST_MARK = regex.compile(r"[(（]\d{1,2}[)）]|(?<![\d.])\d{1,2}[、．]|[(（][一二三四五六七八九十]{1,3}[)）]|[①-⑳]")
# "七、一般公共预算“三公”经费支出安排情况", "第三部分 …": a title line, not a cut sentence
HEADING_LIKE = regex.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]{1,3}[部章节]|\d{1,2}[、.．](?!\d))[^，。；,;]{0,40}$")
LINE_END = regex.compile(r"[。！？!?；;：:]\s*$")


# Joining lines and lists changes which amounts are read as parts of which. On the shared
# corpus (78 PDFs, read with the PDF branch's reader) it raised narrative.parts_sum from 41
# to 73 (lists after "：") and 48 (broken lines) findings, nearly all false: nested lists
# ("A 2,858.27万元，主要包括：甲…；乙…；B…") and numbering that mixes levels (2.…（1）…（2）…3.)
# are not parsed as trees yet. Off by default until they are; GOUJI_JOIN_LISTS=1 and
# GOUJI_JOIN_LINES=1 turn them on for experiments.
LIST_CONTINUATION = False
JOIN_LISTS = os.environ.get("GOUJI_JOIN_LISTS", "0") == "1"
JOIN_BROKEN_LINES = os.environ.get("GOUJI_JOIN_LINES", "0") == "1"


def _prose_units(blocks) -> list[list[Paragraph | Heading]]:
    """Paragraphs grouped into units read as one text.

    Text broken by line and page ends (PDF) is joined: a paragraph that does not end a
    sentence continues in the next one. A paragraph ending with "：" (or an item ending
    with "；") and followed by list items ("1、", "（1）", "（一）") takes the items in, so
    the list is read as the parts of the amount before it.
    """
    units: list[list[Paragraph | Heading]] = []
    cur: list[Paragraph | Heading] = []
    for b in blocks:
        if not isinstance(b, Paragraph | Heading):
            if cur:
                units.append(cur)
                cur = []
            continue
        if isinstance(b, Paragraph) and cur and isinstance(cur[-1], Paragraph) and _continues(cur[-1].text, b.text):
            cur.append(b)
            continue
        if cur:
            units.append(cur)
        cur = [b]
    if cur:
        units.append(cur)
    return units


def _continues(prev: str, nxt: str) -> bool:
    prev, nxt = prev.rstrip(), nxt.strip()
    if not prev or not nxt or "\t" in prev or "\t" in nxt:
        return False
    if prev.endswith(("：", ":", "；", ";")):
        return JOIN_LISTS and (bool(LIST_ITEM.match(nxt)) or prev.endswith(("：", ":")))
    if not JOIN_BROKEN_LINES:
        return False
    if LINE_END.search(prev) or LIST_ITEM.match(nxt) or HEADING_LIKE.match(prev):
        return False
    # a line cut in the middle of a sentence: it ends in a character, digit or comma
    return bool(re_(r"[\p{Han}\d，,、“（(]$").search(prev)) and len(prev) >= 20


def _join(parts: list[CleanText]) -> CleanText:
    if len(parts) == 1:
        return parts[0]
    return CleanText("".join(p.text for p in parts), [i for p in parts for i in p.source])


RANGE_PCT = regex.compile(r"\d+(?:\.\d+)?%?\s*[-~—–－至到]\s*\d+(?:\.\d+)?%")
INDICATOR = regex.compile(r"率|比例|比率|达到|达|不低于|不高于|不少于|覆盖|满意度|完成|控制在|目标|指标|考核|报销|支付|救助")
THRESHOLD_WORDS = regex.compile(r"单价|价值|以上|以下|以内|起付|限额|标准|每人|人均|每月|每年|元/")


def _alt_cues(lex) -> str:
    words = lex.cues["increase"] + lex.cues["decrease"] + lex.cues["share"]
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


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
        lex = lexicon()
        if not re_(_alt_cues(lex)).search(sent):
            return "ratio"  # a percentage tied to no amount and to no change or share word
    if money and all(
        THRESHOLD_AFTER.match(text[m.end : m.end + 4]) or THRESHOLD_WORDS.search(text[max(s0, m.start - 8) : m.end + 4])
        for m in money
    ):
        return "threshold"
    if not money and not pct:
        return "zero_word"
    return None


def _year_before(sent: str, pos: int, doc_year: int | None = None) -> int | None:
    """The year the sentence names before ``pos``, leaving out comparison bases (较2021年)."""
    year = None
    clause = sent[max((i + 1 for i, ch in enumerate(sent[:pos]) if ch in CLAUSE_SEP), default=0) : pos]
    if doc_year and re_(r"(?<![较比与])(?:上年末|上年度末|上年)(?!同期)").search(clause):
        year = doc_year - 1
    for ym in YEAR_RE.finditer(sent[:pos]):
        before = sent[max(0, ym.start() - 3) : ym.start()]
        if not re_(r"[较比与]$|同比$").search(before):
            year = int(ym.group()[:4])
    return year


def _add_part(group: PartsGroup, claim: Claim, kind: str) -> None:
    if claim.id == group.parent or claim.id in group.parts:
        return
    if not group.parts:
        group.kind = kind
    group.parts.append(claim.id)
    claim.part_of = group.parent


def _sentences(text: str):
    start = 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END:
            if text[start : i + 1].strip():
                yield start, i + 1
            start = i + 1
    if text[start:].strip():
        yield start, len(text)


BACKEND = os.environ.get("GOUJI_NLP", "rules")  # rules (default) or spacy


def set_backend(name: str) -> None:
    """Choose the mention finder: "rules" (regular expressions) or "spacy" (see nlp.py)."""
    global BACKEND
    if name not in ("rules", "spacy"):
        raise ValueError(f"unknown narrative backend {name!r}")
    BACKEND = name


def _mentions(text: str, s0: int, s1: int) -> list[Mention]:
    sent = text[s0:s1]
    raw = _spacy_raw(text, s0, s1) if BACKEND == "spacy" and _nlp_available() else _rules_raw(sent)
    out: list[Mention] = []
    for kind, a, b, parsed, unit, malformed in raw:
        if kind == "money" and THRESHOLD_AFTER.match(sent[b:]) and THRESHOLD_WORDS.search(sent[max(0, a - 8) : a]):
            continue  # "单价50万元以上": a threshold, not an amount of the budget
        if kind == "percent" and (TARGET_BEFORE.search(sent[:a]) or THRESHOLD_AFTER.match(sent[b:])):
            continue
        out.append(Mention(kind, s0 + a, s0 + b, parsed, unit, sent[a:b], malformed))
    for m in ZERO_WORD_RE.finditer(sent):
        if m.group("word") == "无" and sent[m.end() : m.end() + 1] in ("增", "差", "变"):
            continue  # 无增减, 无差异, 无变化: a zero change, not a zero amount
        zero = ParsedNumber(Decimal(0), ZERO_DECIMALS, m.group("word"))
        out.append(Mention("zero", s0 + m.start(), s0 + m.end(), zero, "万元", m.group()))
    out.sort(key=lambda x: x.start)
    return out


def _money(num: str, unit: str):
    """(parsed, unit, malformed) of a written Arabic amount, or None."""
    num = num.replace(",", "")
    unit = "万元" if unit == "万" else unit
    parsed = parse_number(num)
    malformed = False
    if parsed is None:
        if is_malformed_number(num):
            parsed = parse_number(num.rstrip(".").rstrip())
            malformed = True
        if parsed is None:
            return None
    return parsed, unit, malformed


def _rules_raw(sent: str) -> list[tuple]:
    """Money and percentages by regular expression: (kind, start, end, parsed, unit, malformed)."""
    out: list[tuple] = []
    for m in AMOUNT_RE.finditer(sent):
        got = _money(m.group("num"), m.group("unit"))
        if got is not None:
            out.append(("money", m.start(), m.end(), *got))
    for m in CN_AMOUNT_RE.finditer(sent):
        if any(a < m.end() and m.start() < b for _, a, b, *_ in out):
            continue
        parsed = parse_cn_number(m.group("num"))
        if parsed is not None:
            out.append(("money", m.start(), m.end(), parsed, m.group("unit"), False))
    for m in PAREN_AMOUNT_RE.finditer(sent):
        parsed = parse_number(f"({m.group('num').replace(',', '')})")
        if parsed is None:
            continue
        out = [x for x in out if not (m.start() <= x[1] < m.end())]
        out.append(("money", m.start(), m.end(), parsed, m.group("unit"), False))
    for m in PERCENT_RE.finditer(sent):
        parsed = parse_number(m.group("num"))
        if parsed is not None:
            out.append(("percent", m.start(), m.end(), parsed, "%", False))
    return out


def _nlp_available() -> bool:
    from gouji.narrative import nlp

    return nlp.available()


CN_UNIT = regex.compile(r"(亿元|万元|千元|元)$")


def _spacy_raw(text: str, s0: int, s1: int) -> list[tuple]:
    """Money and percentages from the spaCy pipeline's entities (same tuple as the rules)."""
    from gouji.narrative import nlp

    out: list[tuple] = []
    for label, a, b in nlp.entities(text):
        if a < s0 or b > s1:
            continue
        surface = text[a:b]
        a, b = a - s0, b - s0
        if label in ("MONEY", "MONEY_MALFORMED"):
            um = nlp.UNIT_AT_END.search(surface)
            num = surface[: um.start()].strip()
            if num.startswith(("(", "（")):
                parsed = parse_number("(" + num.strip("()（）").replace(",", "") + ")")
                if parsed is not None:
                    out.append(("money", a, b, parsed, um.group(), False))
                continue
            got = _money(num.replace(" ", ""), um.group())
            if got is not None:
                out.append(("money", a, b, *got))
        elif label == "MONEY_CN":
            um = CN_UNIT.search(surface)
            parsed = parse_cn_number(surface[: um.start()]) if um else None
            if parsed is not None:
                out.append(("money", a, b, parsed, um.group(), False))
        elif label == "PERCENT":
            parsed = parse_number(surface.rstrip("%％").strip())
            if parsed is not None:
                out.append(("percent", a, b, parsed, "%", False))
    return out


REASON_END = regex.compile(r"[；;。]")
REASON_LIST = regex.compile(r"\s*(?:说明[:：]?)?(?:\d{1,2}[.、．]|[(（]\d{1,2}[)）]|[一二三四五六七八九十]是|[(（][一二三四五六七八九十][)）])")


def _reason_regions(lex, text: str, s0: int, s1: int) -> list[tuple[int, int]]:
    """Spans of stated reasons: from a reason cue to the next ；or the sentence end."""
    regions = []
    sent = text[s0:s1]
    # where each clause ends, found once: a long sentence with many cues stays linear
    stops = [s0 + m.start() for m in REASON_END.finditer(sent)]
    for m in lex.reason_cue.finditer(sent):
        start = s0 + m.end()
        while start < s1 and text[start] in "：: ":
            start += 1
        k = bisect_left(stops, start)
        end = stops[k] if k < len(stops) else s1
        # "主要原因：1.…；2.…；3.…": an enumerated reason runs over its items
        if REASON_LIST.match(text, start) or REASON_LIST.match(text, start + 2):
            while end < s1 and text[end] in "；;" and REASON_LIST.match(text, end + 1):
                end += 1
                while end < s1 and text[end] not in "；;。":
                    end += 1
        if end > start:
            regions.append((start, end))
    return regions
