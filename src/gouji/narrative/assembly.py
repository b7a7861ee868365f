"""Claim assembly: each mention of a sentence, classified by the words just before it, made a
claim or a part of one (its change, percentage, base, share), with lists of parts and reasons.

The kinds of mention and their handlers (``Reader._on_<kind>``):

- ``amount``: "宣传经费30万元": a new claim, a part of the list open in the sentence;
- ``change_amount``: "增加3万元": the change of the claim its clause names, or of the latest;
- ``base``: "较上年100万元": the amount the sentence's latest claim is compared with;
- ``change_percent``: "增长5%": the percentage of the latest change, or of the latest claim;
- ``share``: "占总支出的20%": the share of the sentence's latest claim;
- ``ratio``: a percentage tied to none of these (the sentence record says why);
- ``zero``: "无政府性基金预算收入", "…未安排": a claim of an exact zero.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import field

import regex

from gouji.ingest.document import Document, Heading, Paragraph
from gouji.limits import limits
from gouji.narrative.claims import Claim, Comparison, PartsGroup, Quantity, Reason
from gouji.narrative.coverage import SentenceRecord, sentence_record
from gouji.narrative.lexicon import Lexicon, lexicon
from gouji.narrative.mentions import TARGET_BEFORE, THRESHOLD_AFTER, Mention, find_mentions
from gouji.narrative.options import Options
from gouji.narrative.prose import CLAUSE_SEP, HEADING_LIKE, SENTENCE_END, join_texts, sentences
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
from gouji.records import dataclass

REASON_END = re_(r"[；;。]")
# a label opening the sentence ("（一）收入预算：2026 年年初预算数 45,369.18 万元"): what its first
# amount is about when the amount's own clause names nothing (its list marker is cleaned off
# with the subject's)
SENTENCE_LABEL = re_(r"\s*(?P<label>[^，,。；;：:]{2,20})[：:]")
REASON_LIST = re_(r"\s*(?:说明[:：]?)?(?:\d{1,2}[.、．]|[(（]\d{1,2}[)）]|[一二三四五六七八九十]是|[(（][一二三四五六七八九十][)）])")


@dataclass
class _Paragraph:
    """The paragraph being read: what its sentences leave to the next ones."""

    claims: list[Claim] = field(default_factory=list)
    last_touched: Claim | None = None  # of the latest amount or change: parent of a list opening a sentence


@dataclass
class _Sentence:
    """One sentence being assembled, and what its mentions so far have left open."""

    ct: CleanText  # the prose unit, cleaned
    start: int  # the sentence in ``ct.text``
    end: int
    span: tuple[int, int]  # the sentence in the document
    source: str  # the sentence as the document writes it
    mentions: list[Mention]
    current: Claim | None = None  # latest claim of this sentence with an amount
    last_cmp: Claim | None = None  # latest claim given a change, percentage or base
    groups: list[PartsGroup] = field(default_factory=list)  # the open lists of parts, outermost first
    prev_end: int = 0  # where the mention before ended
    prev_kind: str | None = None
    # the brackets open right after an amount: (depth of ``groups`` when opened, that claim)
    brackets: list[tuple[int, Claim]] = field(default_factory=list)
    title: str | None = None  # the title right before the sentence, if any

    @property
    def text(self) -> str:
        return self.ct.text[self.start : self.end]


Handler = Callable[["Reader", _Sentence, Mention, str, "regex.Match | None"], None]


def _zero_subjects(words: str, unit_name: str | None) -> list[tuple[str, str | None]]:
    """The subjects a zero by word names: one, or each of a "、" list of known quantities
    ("无政府性基金预算支出、国有资本经营预算支出": two zeros)."""
    whole = clean_subject(words, unit_name)
    pieces = [clean_subject(w, unit_name) for w in words.split("、")]
    sides = lexicon().cues["budget_sides"]  # "…收入、支出": a side of the first, no quantity of its own
    if len(pieces) > 1 and all(subject and subject not in sides and resolve_subject(subject)[0] for subject, _ in pieces):
        return pieces
    return [whole]


class Reader:
    """Reads the prose units of a document in order, holding what persists across sentences:
    the claims, lists and sentence records so far, and the paragraph being read."""

    def __init__(self, doc: Document, options: Options):
        self.doc = doc
        self.options = options
        self.lex: Lexicon = lexicon()
        self.max_chars = limits().max_paragraph_chars
        self.claims: list[Claim] = []
        self.groups: list[PartsGroup] = []
        self.sentences: list[SentenceRecord] = []
        self.reason_sections: set[int] = set()
        self.reason_paragraphs: set[int] = set()
        self.reason_places: set[tuple[int, int]] = set()  # (section, paragraph) stating a reason
        self.cut: list[tuple[int, int]] = []  # source spans left unread
        self.section = 0
        self.paragraph_index = 0
        self.para = _Paragraph()
        # the sentence before, when it is a title without amounts ("1.因公出国（境）费。"): what a
        # first amount without a subject of its own is about ("2026 年预算数 166.98 万元")
        self.title: str | None = None

    def unit(self, blocks: list[Paragraph | Heading]) -> None:
        """Read one prose unit (a heading, or paragraphs read as one text)."""
        if isinstance(blocks[0], Heading):
            self.section += 1
        self.paragraph_index += 1
        ct = join_texts([clean_prose(b.text, b.location.start) for b in blocks])
        if not ct.text:
            return
        title, self.title = self.title, None
        self.para = _Paragraph()
        read = ct.text
        if len(read) > self.max_chars:  # the rest is left unread, and a finding says so
            read = read[: self.max_chars]
            self.cut.append(ct.span(self.max_chars, len(ct.text)))
        for s0, s1 in sentences(read):
            before = len(self.para.claims)
            self._sentence(ct, s0, s1, title)
            words = read[s0:s1].strip().rstrip("。")
            title = words if len(self.para.claims) == before and (isinstance(blocks[0], Heading) or HEADING_LIKE.match(words)) else None
        self.title = title

    def _sentence(self, ct: CleanText, s0: int, s1: int, title: str | None = None) -> None:
        span = ct.span(s0, s1)
        mentions = find_mentions(ct.text, s0, s1, self.options.backend)
        s = _Sentence(ct, s0, s1, span, self.doc.text[span[0] : span[1]], mentions, prev_end=s0, title=title)
        regions = _reason_regions(self.lex, ct.text, s0, s1)
        self._open_leading_list(s)
        for m in mentions:
            if any(r0 <= m.start < r1 for r0, r1 in regions):
                s.prev_end = m.end  # inside a stated reason: amounts cited by the reason, not claims
                continue
            between = ct.text[s.prev_end : m.start]
            self._follow_lists(s, between)
            pre = between[max((i + 1 for i, ch in enumerate(between) if ch in CLAUSE_SEP), default=0) :]
            kind, cue = self._classify(s, m, pre)
            self.HANDLERS[kind](self, s, m, pre, cue)
            s.prev_end, s.prev_kind = m.end, kind
        self._flat(s)
        if mentions:
            self.sentences.append(sentence_record(ct.text, s0, s1, span, mentions, regions, self.para.claims))
        if regions:
            self.reason_sections.add(self.section)
            self.reason_paragraphs.add(self.paragraph_index)
            self.reason_places.add((self.section, self.paragraph_index))
        for r0, r1 in regions:
            self._attach_reason(s, r0, r1)

    def _classify(self, s: _Sentence, m: Mention, pre: str) -> tuple[str, regex.Match | None]:
        """The kind of ``m`` by the words ``pre`` of its clause before it, and the cue saying so."""
        lex = self.lex
        if m.kind == "percent":
            if cue := lex.change_pct_end.search(pre):
                return "change_percent", cue
            if s.current is not None and (lex.share_end.search(pre) or (not pre.strip() and s.prev_kind == "amount")):
                return "share", None
            return "ratio", None
        if m.kind == "zero":
            return "zero", None
        if cue := lex.delta_end.search(pre):
            return "change_amount", cue
        if s.current is not None and (cue := lex.base_end.search(pre)):
            return "base", cue
        return "amount", None

    # the handlers: (sentence, mention, words of its clause before it, the cue that classified it)

    def _on_amount(self, s: _Sentence, m: Mention, pre: str, cue: regex.Match | None) -> None:
        after = s.ct.text[m.end : m.end + 4]
        subject, code = clean_subject(pre, self.doc.meta.unit_name)
        if not subject and not code and s.current is None and not s.groups:
            label = SENTENCE_LABEL.match(s.ct.text, s.start, m.start)
            if label is not None:
                subject, code = clean_subject(label.group("label"), self.doc.meta.unit_name)
            if not subject and not code and s.title:
                subject, code = clean_subject(s.title, self.doc.meta.unit_name)
        claim = self._new_claim(s, subject, code)
        claim.amount = self._quantity(s.ct, m)
        claim.malformed = m.malformed
        claim.year = self._year(s, m)
        claim.blocked = is_blocked(pre)
        claim.approximate = bool(
            self.lex.approx.search(pre[-2:]) or THRESHOLD_AFTER.match(after) or TARGET_BEFORE.search(pre)
        )
        if s.groups:
            _add_part(s.groups[-1], claim, "amount")
            if after.startswith("等"):
                s.groups[-1].incomplete = True
        s.current = claim
        s.last_cmp = None
        self.para.last_touched = claim

    def _on_change_amount(self, s: _Sentence, m: Mention, pre: str, cue: regex.Match) -> None:
        subject, code = self._change_subject(pre[: cue.start()])
        target = self._find_target(subject, s.current)
        if target is None:
            target = self._new_claim(s, subject, code)
            if s.groups:
                _add_part(s.groups[-1], target, "delta")
        elif s.groups and target.id != s.groups[-1].parent and target.id not in s.groups[-1].parts and target is not s.current:
            _add_part(s.groups[-1], target, "delta")
        q = self._quantity(s.ct, m)
        direction = self.lex.direction_of(cue.group("cue"))
        if q.value < 0:  # "增加-3万元", "增加(3.00)万元": a decrease of 3
            q.value = -q.value
            direction = "decrease" if direction == "increase" else "increase"
        if not subject and s.current is None and direction == "increase" and _exceeds(q, target):
            # an increase beyond the amount it would be of leaves last year below zero: the
            # change closing the paragraph is of the amount opening it ("3.上级转移支付项目
            # 10,289.74 万元，主要包括：…。…上年结转 564.09万元…。较上年增加 3,567.18 万元")
            first = self.para.claims[0]
            if first.amount is not None and not _exceeds(q, first):
                target = first
        cmp = target.comparison = target.comparison or Comparison()
        cmp.delta = q
        cmp.direction = direction
        cmp.cue_span = s.ct.span(m.start - len(cue.group()), m.start)
        s.last_cmp = target
        self.para.last_touched = target

    def _on_base(self, s: _Sentence, m: Mention, pre: str, cue: regex.Match) -> None:
        claim = s.current
        cmp = claim.comparison = claim.comparison or Comparison()
        cmp.base = self._quantity(s.ct, m)
        if cue.group("year"):
            cmp.base_year = int(cue.group("year"))
        elif self.doc.meta.year:
            cmp.base_year = self.doc.meta.year - 1
        s.last_cmp = claim

    def _on_change_percent(self, s: _Sentence, m: Mention, pre: str, cue: regex.Match) -> None:
        target = s.last_cmp or s.current or (self.para.claims[-1] if self.para.claims else None)
        if target is None:
            target = self._new_claim(s, "", None)
        cmp = target.comparison = target.comparison or Comparison()
        cmp.percent = self._quantity(s.ct, m)
        cmp.percent_direction = self.lex.direction_of(cue.group("cue"))
        if cmp.direction is None:
            cmp.direction = cmp.percent_direction
            cmp.cue_span = s.ct.span(m.start - len(cue.group()), m.start)
        s.last_cmp = target

    def _on_share(self, s: _Sentence, m: Mention, pre: str, cue: regex.Match | None) -> None:
        s.current.share = self._quantity(s.ct, m)

    def _on_ratio(self, s: _Sentence, m: Mention, pre: str, cue: regex.Match | None) -> None:
        pass

    def _on_zero(self, s: _Sentence, m: Mention, pre: str, cue: regex.Match | None) -> None:
        text = s.ct.text
        clause_end = next((i for i in range(m.end, s.end) if text[i] in CLAUSE_SEP + SENTENCE_END), s.end)
        # "三公经费未安排" names its subject before the word, "无政府性基金收入" after it
        words = pre if m.text == "未安排" and pre.strip() else text[m.end : clause_end]
        for subject, code in _zero_subjects(words, self.doc.meta.unit_name):
            claim = self._new_claim(s, subject, code)
            claim.amount = self._quantity(s.ct, m)
            claim.zero_by_word = True
            claim.blocked = is_blocked(words)
            claim.year = self._year(s, m)

    HANDLERS: dict[str, Handler] = {
        "amount": _on_amount,
        "change_amount": _on_change_amount,
        "base": _on_base,
        "change_percent": _on_change_percent,
        "share": _on_share,
        "ratio": _on_ratio,
        "zero": _on_zero,
    }

    # lists of parts

    def _open_leading_list(self, s: _Sentence) -> None:
        """A sentence that opens with a parts cue lists parts of the claim before it."""
        pm = self.lex.parts_cue.match(s.ct.text[s.start : s.start + 6].lstrip("（(一二三四五六七八九十)）、"))
        if not (pm and self.para.claims and s.mentions):
            return
        parent = self.para.last_touched or self.para.claims[-1]
        if not pm.group().startswith(("其中", "包括")) and parent.part_of:
            # "主要用于以下方面：…" after a list of parts speaks of the whole
            parent = next((c for c in self.para.claims if c.id == parent.part_of), parent)
        self._open_list(s, PartsGroup(parent=parent.id, cue_span=s.ct.span(s.start, s.start + len(pm.group()))))

    def _follow_lists(self, s: _Sentence, between: str) -> None:
        """The words between two mentions: a semicolon ends a nested list, a parts cue opens one.

        After a semicolon, a clause about the other side of the budget ("收入…；支出…") ends
        every list: its figures are no parts of the income. A parts cue after a semicolon
        whose clause names its own whole without an amount ("；支出包括：…") opens a list
        whose whole is not stated: its items are parts of that whole, not of the figure
        before the semicolon."""
        if self._brackets(s, between):
            return
        semi = max((i for i, ch in enumerate(between) if ch in "；;"), default=-1)
        base = s.brackets[-1][0] + 1 if s.brackets else 1
        if semi >= 0 and len(s.groups) > base:
            del s.groups[base:]
        cue = None
        for cm in self.lex.parts_cue.finditer(between, pos=semi + 1):
            cue = cm
        if semi >= 0 and s.groups and self._other_side(s.groups[0].parent, between[semi + 1 : cue.start() if cue else None]):
            del s.groups[:]
        if cue is not None and semi >= 0 and s.current is not None:
            named, _ = clean_subject(between[semi + 1 : cue.start()], self.doc.meta.unit_name)
            if named and named not in self.lex.cues.get("generic_wholes", []) and not s.current.subject.endswith(named):
                s.groups[:] = [PartsGroup(parent="", cue_span=s.ct.span(s.prev_end + cue.start(), s.prev_end + cue.end()))]
                return
        if cue is None or s.current is None or (s.groups and s.groups[-1].parent == s.current.id):
            return
        g = PartsGroup(parent=s.current.id, cue_span=s.ct.span(s.prev_end + cue.start(), s.prev_end + cue.end()))
        # "主要包括：…" names the main parts only: their sum may fall short of the whole
        g.incomplete = between[: cue.start()].endswith(tuple(self.lex.cues["partial_parts_before"])) or between[
            cue.end() :
        ].lstrip("：:，, ").startswith(tuple(self.lex.cues["partial_parts_after"]))
        self._open_list(s, g)

    def _brackets(self, s: _Sentence, between: str) -> bool:
        """Brackets right after an amount hold its parts ("567.72万元（公务用车购置费230.55万元，
        公务用车运行维护费337.17万元）"): they open a list of that amount, and when they close,
        what follows speaks of it again. True when a list was opened here."""
        opened = max(between.rfind("（"), between.rfind("("))
        closed = max(between.rfind("）"), between.rfind(")"))
        if s.brackets and closed > opened:
            depth, claim = s.brackets.pop()
            del s.groups[depth:]
            s.current, s.last_cmp = claim, None
        if opened > closed and s.current is not None and s.prev_kind == "amount" and not between[:opened].strip():
            s.brackets.append((len(s.groups), s.current))
            at = s.prev_end + opened
            self._open_list(s, PartsGroup(parent=s.current.id, cue_span=s.ct.span(at, at + 1)))
            return True
        return False

    def _other_side(self, parent_id: str, clause: str) -> bool:
        """Whether ``clause`` speaks of the other side of the budget than the claim
        ``parent_id`` (支出 after 收入, or 收入 after 支出)."""
        parent = next((c for c in self.para.claims if c.id == parent_id), None)
        if parent is None:
            return False
        sides = self.lex.cues.get("budget_sides", [])
        mine = {side for side in sides if side in parent.subject}
        theirs = {side for side in sides if side in clause}
        return len(mine) == 1 and bool(theirs) and not theirs & mine

    def _open_list(self, s: _Sentence, group: PartsGroup) -> None:
        self.groups.append(group)
        s.groups.append(group)

    # whole sentence

    def _flat(self, s: _Sentence) -> None:
        """"与上年无增减变化", "预算数与2022年相同，无差异": no change, of the latest claim."""
        fm = self.lex.flat_cue.search(s.text)
        if fm and self.para.claims:
            target = s.current or self.para.claims[-1]
            if target.comparison is None:
                target.comparison = Comparison(direction="flat", cue_span=s.ct.span(s.start + fm.start(), s.start + fm.end()))

    def _attach_reason(self, s: _Sentence, r0: int, r1: int) -> None:
        """The reason ``ct.text[r0:r1]`` explains the latest change stated before it."""
        at = s.ct.span(r0, r1)[0]
        before = [c for c in self.para.claims if c.comparison and c.comparison.cue_span and c.comparison.cue_span[0] < at]
        target = max(before, key=lambda c: c.comparison.cue_span[0]) if before else None
        if target is None:
            target = s.last_cmp or next((c for c in reversed(self.para.claims) if c.comparison), None)
        if target is not None and target.reason is None:
            target.reason = self._reason(s, r0, r1)

    # pieces

    def _new_claim(self, s: _Sentence, subject: str, code: str | None) -> Claim:
        sid, exact = resolve_subject(subject)
        c = Claim(
            id=f"C{len(self.claims) + 1}",
            sentence=s.source,
            sentence_span=s.span,
            subject=subject,
            subject_id=sid,
            subject_exact=exact,
            code=code,
            year=self.doc.meta.year,
            section=self.section,
            paragraph=self.paragraph_index,
        )
        self.claims.append(c)
        self.para.claims.append(c)
        return c

    def _quantity(self, ct: CleanText, m: Mention) -> Quantity:
        return Quantity(
            value=m.value.value,
            decimals=m.value.decimals,
            unit=m.unit,
            span=ct.span(m.start, m.end),
            text=self.doc.text[slice(*ct.span(m.start, m.end))],
        )

    def _year(self, s: _Sentence, m: Mention) -> int | None:
        return _year_before(s.text, m.start - s.start, self.doc.meta.year) or self.doc.meta.year

    def _change_subject(self, words: str) -> tuple[str, str | None]:
        """Subject and code of a change from the words before its cue: "支出较上年" -> 支出, and
        "较上年人员经费" -> 人员经费 when nothing before 较 names one."""
        words = words.lstrip("。.）) ")  # "…万元。）比上年增加": the closing bracket names nothing
        lead_m = None
        for lm in self.lex.lead.finditer(words):
            lead_m = lm
        inner = ""
        if lead_m is not None:
            inner = words[lead_m.end() :]
            words = words[: lead_m.start()]
        subject, code = clean_subject(words, self.doc.meta.unit_name)
        if not subject and inner:
            inner = re_(r"(?:相比|比较|相较|同期)+$").sub("", inner)
            inner = re_(r"^(?:上年|去年|上一年度?|20\d\d年度?)").sub("", inner)
            subject, code = clean_subject(inner, self.doc.meta.unit_name)
        return subject, code

    def _find_target(self, subject: str, current: Claim | None) -> Claim | None:
        """The claim of the paragraph a change of ``subject`` is about (no subject: the latest,
        or, when a sentence opens with the change and the latest is a part of a list, the
        list's whole: "口岸管理业务 40,000.70万元，主要包括：…。较上年增加569.63万元")."""
        claims = self.para.claims
        if not subject:
            if current is not None:
                return current
            target = claims[-1] if claims else None
            by_id = {c.id: c for c in claims}
            while target is not None and target.part_of in by_id:
                target = by_id[target.part_of]
            return target
        sid, _ = resolve_subject(subject)
        norm = normalize(subject)
        for c in reversed(claims):
            if (sid and c.subject_id == sid) or normalize(c.subject) == norm:
                return c
        return None

    def _reason(self, s: _Sentence, r0: int, r1: int) -> Reason:
        ct = s.ct
        rs = ct.span(r0, r1)
        reason = Reason(text=self.doc.text[rs[0] : rs[1]], span=rs)
        reason.category = reason_category(reason.text)
        d, dspan = reason_direction(ct.text[r0:r1], self.doc.meta.year)
        if d is not None:
            reason.direction = d
            reason.direction_span = ct.span(r0 + dspan[0], r0 + dspan[1])
        reason.amounts = [self._quantity(ct, m) for m in s.mentions if m.kind == "money" and r0 <= m.start < r1]
        return reason


def _exceeds(change: Quantity, claim: Claim | None) -> bool:
    """Whether an increase is larger than the claim's amount in the same unit."""
    a = claim.amount if claim is not None else None
    return a is not None and a.unit == change.unit and change.value > a.value


def _year_before(sent: str, pos: int, doc_year: int | None = None) -> int | None:
    """The year the sentence names before ``pos``, leaving out comparison bases (较2021年)."""
    year = None
    clause = sent[max((i + 1 for i, ch in enumerate(sent[:pos]) if ch in CLAUSE_SEP), default=0) : pos]
    if doc_year and re_(r"(?<![较比与])(?:上年末|上年度末|上年|去年)(?!同期)").search(clause):
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
    claim.part_of = group.parent or None  # "": a list whose whole is named but not stated


def _reason_regions(lex: Lexicon, text: str, s0: int, s1: int) -> list[tuple[int, int]]:
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
