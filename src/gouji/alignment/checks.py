"""The checks of prose claims against their own arithmetic and against the tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import regex

from gouji.alignment.arithmetic import Arithmetic, Operand
from gouji.alignment.evidence import CLAIM_PARSE, SUBJECT_LINK, Link, confirmed, doubt, named_doubt
from gouji.alignment.evidence import words as _words
from gouji.alignment.figures import (
    SKIP_KINDS,
    Figure,
    Lookup,
    generic_names,
    norm_label,
    rows_left_blank,
    subject_cells,
)
from gouji.alignment.findings import Finding
from gouji.alignment.lookups import lookup_for, matches, usable_for_tables
from gouji.alignment.messages import finding as new_finding
from gouji.alignment.messages import render
from gouji.alignment.registry import catalogue, check
from gouji.alignment.value_index import ValueIndex
from gouji.ingest.document import Document, Heading, Paragraph
from gouji.narrative.claims import Claim, Quantity
from gouji.narrative.extract import ClaimSet
from gouji.narrative.lexicon import direction_words, lexicon
from gouji.narrative.reason_kinds import foreign_items
from gouji.narrative.subjects import LIST_MARKER_RE
from gouji.patterns import re_
from gouji.quantities.fixed import quantized
from gouji.quantities.intervals import HUNDRED, Interval, total
from gouji.quantities.units import factor, min_decimals
from gouji.records import dataclass
from gouji.tables.model import Row, Table
from gouji.tables.structure import code_children, code_rows, root_codes

EVALUATED, NOT_APPLICABLE = "evaluated", "not_applicable"
DIRECTION_WORD = direction_words()


# how many claims before and after a claim of its paragraph are looked at for another
# reading of its figures; real paragraphs hold far fewer claims
NEIGHBOURS = 40


class SumTally:
    """The table sums evaluated in a review, per table id: how many, and how many failed
    beyond rounding (a table's own arithmetic holds when it was tested and none failed)."""

    def __init__(self) -> None:
        self.tested: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()

    def record(self, table_id: str, found: Finding | None) -> None:
        self.tested[table_id] += 1
        if found is not None and found.severity != "info":
            self.failed[table_id] += 1

    def add(self, other: SumTally) -> None:
        self.tested.update(other.tested)
        self.failed.update(other.failed)

    def of(self, table_id: str) -> dict[str, int]:
        return {"tested": self.tested[table_id], "failed": self.failed[table_id]}


@dataclass
class Context:
    """What the checks of one document share: its tables, claims and their links."""

    doc: Document
    tables: list[Table]
    claims: ClaimSet
    by_id: dict[str, Claim] = field(default_factory=dict)
    lookups: dict[str, Lookup] = field(default_factory=dict)
    effective: dict[str, Interval] = field(default_factory=dict)  # 万元, after unit correction
    unit_errors: set[str] = field(default_factory=set)
    unplaced: set[str] = field(default_factory=set)  # claims differing from a table figure whose scope is unknown
    verified: dict[str, list[str]] = field(default_factory=dict)  # claim id -> evidence refs
    bases: dict[str, set[str]] = field(default_factory=dict)  # claim id -> what bore it out (labels.yaml verified_bases)
    findings: list[Finding] = field(default_factory=list)  # of the checks run so far
    coverage: dict[str, dict] = field(default_factory=dict)  # check id -> {status, reason}
    sums: SumTally = field(default_factory=SumTally)  # the tables' own sums tested (table checks)
    _paragraphs: dict[int, list[Claim]] | None = field(default=None, repr=False)
    _places: dict[str, int] = field(default_factory=dict, repr=False)  # claim id -> place in its paragraph
    _values: dict[bool, ValueIndex] = field(default_factory=dict, repr=False)
    _comparable: list[Table] | None = field(default=None, repr=False)

    def comparable(self) -> list[Table]:
        """The tables a claim may be compared with (not a 目录, 绩效目标表 …), found once: a
        disclosure with hundreds of project tables does not rescan them for every claim."""
        if self._comparable is None:
            self._comparable = [t for t in self.tables if t.kind not in SKIP_KINDS]
        return self._comparable

    def values(self, totals_only: bool = False) -> ValueIndex:
        """The tables' figures by value, or the non-zero cells of their total rows (built once)."""
        if totals_only not in self._values:
            self._values[totals_only] = ValueIndex(self.tables, totals_only=totals_only)
        return self._values[totals_only]

    def in_paragraphs(self, first: int, last: int | None = None) -> list[Claim]:
        """The claims of paragraphs ``first`` to ``last`` (default: ``first``) in document order;
        indexed once, so that looking at a claim's neighbours stays linear in the document."""
        if self._paragraphs is None:
            self._paragraphs = {}
            for c in self.claims.claims:
                same = self._paragraphs.setdefault(c.paragraph, [])
                self._places[c.id] = len(same)
                same.append(c)
        if last is None or last == first:
            return self._paragraphs.get(first, [])
        return [c for p in range(first, last + 1) for c in self._paragraphs.get(p, [])]

    def neighbours(self, c: Claim, last: int | None = None) -> list[Claim]:
        """The claims of ``c``'s paragraph (to paragraph ``last``) at most ``NEIGHBOURS`` places
        before or after it: where another reading of a figure is looked for (a paragraph of
        hundreds of claims stays linear)."""
        near = self.in_paragraphs(c.paragraph, last)
        k = self._places.get(c.id, 0)  # its own paragraph comes first
        return near[max(0, k - NEIGHBOURS) : k + NEIGHBOURS + 1]

    def record_coverage(self, check_id: str, evaluated: bool, reason: str) -> None:
        """What a coverage check (checks.yaml `coverage: true`) did on this document:
        ``evaluated`` (its subject was found and checked) or ``not_applicable`` (nothing to
        check), with why in a sentence for the checklist."""
        self.coverage[check_id] = {"status": EVALUATED if evaluated else NOT_APPLICABLE, "reason": reason}

    def amount(self, c: Claim) -> Interval | None:
        """The claim's amount as an interval in 万元, corrected when its unit was wrong."""
        if c.id in self.effective:
            return self.effective[c.id]
        if c.amount is None or c.malformed:
            return None
        return c.amount.interval()

    def findings_of(self, *check_ids: str) -> list[Finding]:
        """The findings of the checks named, which must have run: a check reading them declares
        ``requires=("findings:<id>", …)`` so that the run order puts it after them."""
        return [f for f in self.findings if f.check in check_ids]

    def mark_verified(self, c: Claim, refs: list[str] | None = None, basis: str = "table") -> None:
        """Record that ``basis`` (data/labels.yaml ``verified_bases``) bears the claim out,
        with ``refs`` naming the cells or claims it rests on."""
        self.verified.setdefault(c.id, []).extend(refs or [])
        self.bases.setdefault(c.id, set()).add(basis)


def fmt(x: Decimal, places: int = 2) -> str:
    return format(quantized(x, Decimal(1).scaleb(-places)), "f")


def signed(x: Decimal, places: int = 2) -> str:
    s = fmt(x, places)
    return s if s.startswith("-") else "+" + s


def claim_finding(cid: str, c: Claim | None, span, variant: str = "default", fields: dict | None = None, **kw) -> Finding:
    """A finding about claim ``c`` worded by its catalogue ``variant`` (data/messages.yaml)."""
    return new_finding(cid, span, variant, fields, quote=c.sentence if c else "", claim=c.id if c else None, **kw)


def _stated(q: Quantity, iv: Interval | None = None, label: str = "文字") -> Operand:
    """A figure as the prose writes it (its value in 万元, or percent)."""
    return Operand.of(label, q.text, q.wan if iv is None else iv.mid, iv or q.interval(), q.unit)


def _figure_operand(f: Figure) -> Operand:
    """A table figure as published."""
    return Operand.of(f"{f.table.id} {f.label}".strip(), f"{f.cell.text}{f.unit}", f.wan, f.interval, f.unit)


def _computed(label: str, value: Decimal, iv: Interval, places: int = 2, unit: str = "万元") -> Operand:
    """What figures give: ``value`` (the published figures' result) within ``iv``."""
    return Operand.of(label, fmt(value, places) + ("%" if unit == "%" else ""), value, iv, unit)


def _places(*qs: Quantity | None) -> int:
    return max([2] + [q.decimals for q in qs if q is not None])


@check("narrative.malformed_number")
def malformed_number(ctx: Context) -> list[Finding]:
    out = []
    for c in ctx.claims.claims:
        if c.malformed and c.amount is not None:
            out.append(
                claim_finding("narrative.malformed_number", c, c.amount.span, fields={"stated": c.amount.text}, actual=c.amount.text)
            )
    return out


@check("narrative.unit", sets=("amounts", "verified"))
def unit(ctx: Context) -> list[Finding]:
    """元 written for 万元 (or the reverse): the table figure matches after ×10⁴."""
    out = []
    for c in ctx.claims.claims:
        if not usable_for_tables(ctx, c) or c.amount.unit not in ("元", "万元"):
            continue
        lk = lookup_for(ctx, c)
        if not lk.figures or lk.approximate:
            continue
        stated = c.amount.interval()
        if any(matches(f, stated, c) for f in lk.figures):
            continue
        other = "万元" if c.amount.unit == "元" else "元"
        alt = c.amount.interval(unit_override=other)
        hits = [f for f in lk.figures if f.cell.value != 0 and f.interval.overlaps(alt)]
        if not hits:
            continue
        f = hits[0]
        ctx.effective[c.id] = alt
        ctx.unit_errors.add(c.id)
        ctx.mark_verified(c)
        out.append(
            claim_finding(
                "narrative.unit",
                c,
                c.amount.span,
                fields={"stated": c.amount.text, "table": f.table.title or f.table.id, "label": f.label, "figure": f"{f.cell.text}{f.unit}", "other_unit": other},
                evidence=[h.to_evidence() for h in hits],
                expected=f"{f.cell.text}{f.unit}",
                actual=c.amount.text,
                tolerance=f"舍入区间：文字 {alt}，报表 {f.interval}（万元）",
                arithmetic=_equal(_stated(c.amount), [f]),
            )
        )
    return out


@check("narrative.amount_vs_table", requires=("amounts",), sets=("verified",))
def amount_vs_table(ctx: Context) -> list[Finding]:
    out = []
    for c in ctx.claims.claims:
        if not usable_for_tables(ctx, c) or c.id in ctx.unit_errors:
            continue
        lk = lookup_for(ctx, c)
        if not lk.figures:
            if c.amount.value == 0 and (blank := rows_left_blank(c, ctx.comparable())):
                # "事业收入0万元" beside a 收支总表 row of that name printed blank: borne out
                ctx.mark_verified(c, [f"{t.id}:{row.location.line}" for t, row in blank[:3]])
            continue
        stated = c.amount.interval()
        hits = [f for f in lk.figures if matches(f, stated, c)]
        if hits:
            ctx.mark_verified(c, [f"{h.table.id}:{h.cell.location.line}:{h.cell.col}" for h in hits])
            c.evidence = [h.to_evidence() for h in hits[:3]]
            continue
        if lk.approximate or _in_narrower_section(ctx, c) or _in_narrower_list(ctx.doc.text, c.sentence_span[0], lk):
            continue
        other = None if c.code or c.subject_id else _named_elsewhere(ctx, c, lk, stated)
        if other is not None:
            # linked by name only, and a row or column of that name in another table (a 三公
            # item in the 三公 table rather than in the 基本支出表) agrees: the claim is borne
            # out; a claim linked by its code or subject keeps its own figure
            ctx.mark_verified(c, [f"{other.table.id}:{other.cell.location.line}:{other.cell.col}"])
            c.evidence = [other.to_evidence()]
            continue
        if _whole_unplaced(ctx, c):
            # "预算资金182511.9万元，其中财政拨款182312.9万元": the part is as wide as its whole,
            # and a whole that names no known quantity leaves the part's scope unknown
            ctx.unplaced.add(c.id)
            continue
        values = sorted({f.wan for f in lk.figures})
        f = lk.figures[0]
        shown = "、".join(f"{fmt(v)}" for v in values[:4])
        found = claim_finding(
            "narrative.amount_vs_table",
            c,
            c.amount.span,
            fields={
                "subject": c.subject or "金额",
                "stated": c.amount.text,
                "table": f.table.title or f.table.id,
                "label": f.label or c.subject,
                "figures": shown,
                "difference": signed(stated.mid - values[0]),
            },
            evidence=[x.to_evidence() for x in lk.figures[:6]],
            expected=f"{shown}万元",
            actual=c.amount.text,
            tolerance=f"文字 {stated}，报表 {f.interval}（万元）",
            arithmetic=_equal(_stated(c.amount, stated), lk.figures),
        )
        found.chain.append(_subject_link(c, lk, values))
        found.chain.extend(_link_doubts(ctx, c, lk, stated))
        out.append(found)
    return out


def _whole_unplaced(ctx: Context, c: Claim) -> bool:
    """The claim names a known quantity but is a part of a whole that names none."""
    parent = ctx.by_id.get(c.part_of) if c.part_of else None
    return bool(c.subject_id and parent is not None and not parent.subject_id and not parent.code)


SECTION_LOOKBACK = 3  # lines before a claim's sentence in which its section title is looked for


def _lines_before(text: str, at: int, most: int) -> Iterator[str]:
    """The lines above the one holding ``at``, nearest first, at most ``most`` of them."""
    end = text.rfind("\n", 0, at)
    for _ in range(most):
        if end <= 0:
            return
        start = text.rfind("\n", 0, end) + 1
        yield text[start:end]
        end = start - 1


def _in_narrower_section(ctx: Context, c: Claim) -> bool:
    """Whether the section title just above the claim's sentence names a narrower scope than
    the tables' all-fund rows (evidence.yaml ``narrower_sections``: "一般公共预算当年拨款")."""
    for line in _lines_before(ctx.doc.text, c.sentence_span[0], SECTION_LOOKBACK):
        if LIST_MARKER_RE.match(line.strip()) and len(line) <= 40:
            return any(w in line for w in _words()["narrower_sections"])
    return False


LIST_LOOKBACK = 30  # items of a list above a claim's sentence, back to the line that opens it


def _in_narrower_list(text: str, at: int, lk: Lookup) -> bool:
    """Whether the claim's sentence is an item of a list whose opening line names a narrower
    scope (evidence.yaml ``narrower_lists``: "财政拨款支出主要内容如下：⏎1.“教育支出”科目…") and
    its figures are all of tables of all funds (``all_funds_kinds``: the 收支总表's 教育支出 is
    not the 财政拨款 part of it)."""
    words = _words()
    if not lk.figures or any(f.table.kind not in words["all_funds_kinds"] for f in lk.figures):
        return False
    start = text.rfind("\n", 0, at) + 1
    stop = text.find("\n", at)
    if not LIST_MARKER_RE.match(text[start : stop if stop >= 0 else len(text)].strip()):
        return False
    for line in map(str.strip, _lines_before(text, at, LIST_LOOKBACK)):
        if not line or LIST_MARKER_RE.match(line):
            continue
        return line.endswith(("：", ":")) and any(w in line for w in words["narrower_lists"])
    return False


def _equal(stated: Operand, figures: list[Figure]) -> Arithmetic:
    """A stated figure against the table figures it should equal, the nearest one first."""
    distinct = list({f.wan: f for f in figures}.values())
    distinct.sort(key=lambda f: (abs(f.wan - stated.value), f.wan))
    ops = [_figure_operand(f) for f in distinct]
    formula = f"{stated.text} ≠ {ops[0].text}（{distinct[0].table.id}）"
    return Arithmetic("equal", ops[:1], ops[0], stated, formula, alternatives=ops[1:])


def _sum_of_rounded_parts(f: Figure, q: Quantity) -> bool:
    """Whether the stated amount is the sum of the figure's 科目 children each rounded as the
    prose writes amounts (64,022.46 for a 元 table whose total rounds to 64,022.47): then
    the one-unit difference is rounding after adding, not a wrong figure."""
    codes = code_rows(f.table)
    tree = code_children(f.table, codes)
    if f.row.code and codes.get(f.row.code) is f.row:
        under = [f.row.code]
    elif f.row.is_total:
        under = root_codes(codes)
    else:
        return False
    direct = [r for c in under for r in tree.get(c, [])] if f.row.code else [codes[c] for c in under]

    def leaves(rows: list[Row]) -> list[Row]:
        return [x for r in rows for x in (leaves(tree[r.code]) if r.code in tree else [r])]

    step = Decimal(1).scaleb(-q.decimals)
    for rows in (direct, leaves(direct)):
        total_wan, n = Decimal(0), 0
        for r in rows:
            cell = r.cells[f.cell.col] if f.cell.col < len(r.cells) else None
            if cell is None or cell.value is None:
                continue
            total_wan += quantized(Figure(f.table, r, cell, "", f.column).wan / factor(q.unit), step, ROUND_HALF_UP)
            n += 1
        if n >= 2 and total_wan == q.value:
            return True
    return False


def _unit_names(t: Table) -> set[str]:
    """The distinct names in the table's 预算单位 / 单位名称 column, if it has one."""
    words = tuple(_words()["unit_columns"])
    cols = [c.index for c in t.columns if c.path and c.path[-1].replace(" ", "") in words]
    if not cols:
        return set()
    return {r.cells[cols[0]].text.strip() for r in t.rows if cols[0] < len(r.cells) and r.cells[cols[0]].text.strip()}


def _subject_link(c: Claim, lk: Lookup, values: list[Decimal]) -> Link:
    """How the claim was linked to its figure, confirmed only for one figure found by the
    claim's 科目 code, by a subject named exactly (not an alias), or in its code's row."""
    notes = _words()["links"]
    if len(values) > 1:
        return doubt(SUBJECT_LINK, notes["several_figures"].format(values="、".join(fmt(v) for v in values[:4])), c.id)
    if not lk.strong:
        return doubt(SUBJECT_LINK, notes["loose"].format(subject=c.subject or ""), c.id)
    text = notes[lk.via].format(code=c.code or "", subject=c.subject or "")
    return confirmed(SUBJECT_LINK, text, c.id)


def _link_doubts(ctx: Context, c: Claim, lk: Lookup, stated: Interval) -> list:
    """Why the figure the claim was compared with may not be the quantity it states.

    The amount as stated is published elsewhere in the tables (another row, column, fund
    scope or period: the sentence likely means that one), or it differs from the figure by a
    single unit of its last digit (a 元 table restated in 万元 with its tail adjusted).
    """
    q = c.amount
    unit = Decimal(1).scaleb(-q.decimals) * factor(q.unit)
    widened = Interval(stated.lo - unit, stated.hi + unit)
    if lk.figures and widened.overlaps(lk.figures[0].interval) and _sum_of_rounded_parts(lk.figures[0], q):
        return [named_doubt(SUBJECT_LINK, "tail_unit", c.id)]
    if not c.code and not c.subject_id:  # linked by the row's name alone
        t = lk.figures[0].table
        if t.kind is None:
            return [named_doubt(SUBJECT_LINK, "table_kind_unknown", c.id, table=t.title or t.id)]
        units = _unit_names(t)
        if len(units) > 1:
            return [named_doubt(SUBJECT_LINK, "several_units", c.id, n=len(units))]
    if q.value == 0:
        # “公务用车运行维护费0万元” against a row whose 合计 is all 财政专户 money: a blank or
        # zero column of the same row is the amount as stated, of another scope
        f = lk.figures[0]
        money = set(f.table.money_columns())
        same_row = [x for x in f.row.cells if x is not f.cell and x.col in money and not x.value]
        if same_row:
            col = f.table.column(same_row[0].col)
            return [named_doubt(SUBJECT_LINK, "zero_in_row", c.id, column=col.label if col else "")]
        return []
    used = {id(f.cell) for f in lk.figures}
    same_quantity = subject_cells(c, ctx.comparable())  # the subject's figure in other tables bears the claim out
    for fig in ctx.values().overlapping(_match_hull(stated, c)):
        t, row, cell = fig.table, fig.row, fig.cell
        if id(cell) in used or id(cell) in same_quantity or cell.value == 0:
            continue
        if not matches(fig, stated, c):
            continue
        col = t.column(cell.col)
        label = t.label_of(cell) or row.name or ""
        if _names_subject(label, c) or (col is not None and col.path and _names_subject(col.path[-1], c)):
            continue  # the same quantity shown in another table: it bears the claim out
        return [named_doubt(SUBJECT_LINK, "amount_elsewhere", c.id, table=t.title or t.id, label=label)]
    return []


def _match_hull(stated: Interval, c: Claim) -> Interval:
    """Every value ``matches`` may accept for the claim: the stated interval, widened to the
    precision written when the prose rounds coarser than its unit's tables."""
    q = c.amount
    if q is None or q.unit == "%" or q.decimals >= min_decimals(q.unit):
        return stated
    coarse = Interval.rounded(q.value, q.decimals).scale(factor(q.unit))
    return Interval(min(stated.lo, coarse.lo), max(stated.hi, coarse.hi))


def _named_elsewhere(ctx: Context, c: Claim, lk: Lookup, stated: Interval) -> Figure | None:
    """A figure equal to the stated amount in a cell whose row or column names the claim's
    subject, in a table other than those of the figures compared."""
    if c.amount.value == 0:
        return None
    used = {id(f.table) for f in lk.figures}
    for found in ctx.values().overlapping(_match_hull(stated, c)):
        t, row, cell = found.table, found.row, found.cell
        if id(t) in used:
            continue
        col = t.column(cell.col)
        names = [t.label_of(cell) or row.name or "", col.path[-1] if col is not None and col.path else ""]
        if not any(_names_subject(n, c) for n in names):
            continue
        fig = Figure(t, row, cell, names[0], col.label if col else "")
        if matches(fig, stated, c):
            return fig
    return None


def _names_subject(label: str, c: Claim) -> bool:
    """Whether a row label names the claim's own subject (“一、财政拨款” for 财政拨款收支总预算)."""
    name = norm_label(label)
    subject = norm_label(c.subject or "")
    if len(name) < 3 or name in generic_names():
        return False
    return name in subject or (len(subject) >= 3 and subject in name)


@check("narrative.direction", requires=("amounts",), sets=("verified",))
def direction(ctx: Context) -> list[Finding]:
    out = []
    for c in ctx.claims.claims:
        cmp = c.comparison
        cur = ctx.amount(c)
        if cmp is None or cur is None or cmp.direction is None:
            continue
        word = DIRECTION_WORD[cmp.direction]
        if cmp.base is not None:
            base = cmp.base.interval()
            diff = cur - base
            p = _places(c.amount, cmp.base)
            actual_dir = "increase" if diff.strictly_positive() else "decrease" if diff.strictly_negative() else None
            wrong = (
                (cmp.direction == "flat" and not diff.contains(Decimal(0)))
                or (cmp.direction in ("increase", "decrease") and actual_dir is not None and actual_dir != cmp.direction)
            )
            if wrong:
                d = c.amount.wan - cmp.base.wan
                stated = f"{word}{cmp.delta.text}" if cmp.delta else word
                span = (cmp.cue_span[0], cmp.delta.span[1]) if cmp.delta and cmp.cue_span else (cmp.cue_span or c.span)
                should = DIRECTION_WORD[actual_dir] if actual_dir else "持平"
                formula = f"{fmt(c.amount.wan, p)} − {fmt(cmp.base.wan, p)} = {signed(d, p)}"
                out.append(
                    claim_finding(
                        "narrative.direction",
                        c,
                        span,
                        "with_base",
                        {"current": fmt(c.amount.wan, p), "base": fmt(cmp.base.wan, p), "difference": signed(d, p), "expected": should, "stated": stated},
                        expected=f"{should}{fmt(abs(d), p)}万元",
                        actual=stated,
                        tolerance=f"本年 {cur}，上年 {base}，差额区间 {diff}（万元）",
                        arithmetic=_change(c.amount, cmp.base, cur, base, formula, p, cmp.delta, cmp.direction),
                    )
                )
            else:
                ctx.mark_verified(c, basis="arithmetic")
            continue
        # no base: the percentage decides the direction when it is stated with the change
        if cmp.delta is not None and cmp.percent is not None and cmp.direction in ("increase", "decrease"):
            ok = _pct_consistent(cur, cmp.delta.interval(), cmp.percent.interval(), cmp.direction)
            flipped = "decrease" if cmp.direction == "increase" else "increase"
            ok_flipped = _pct_consistent(cur, cmp.delta.interval(), cmp.percent.interval(), flipped)
            if ok is False and ok_flipped:
                span = (cmp.cue_span[0], cmp.delta.span[1]) if cmp.cue_span else cmp.delta.span
                out.append(
                    claim_finding(
                        "narrative.direction",
                        c,
                        span,
                        "with_percent",
                        {
                            "current": c.amount.text,
                            "stated": f"{word}{cmp.delta.text}",
                            "percent": _pct_text(cur, cmp.delta.interval(), cmp.direction),
                            "flipped": DIRECTION_WORD[flipped],
                            "stated_percent": cmp.percent.text,
                        },
                        expected=DIRECTION_WORD[flipped],
                        actual=word,
                    )
                )
    return out


def _change(
    current: Quantity,
    base: Quantity,
    cur: Interval,
    base_iv: Interval,
    formula: str,
    places: int,
    stated: Quantity | None = None,
    direction: str | None = None,
    magnitude: bool = False,
) -> Arithmetic:
    """本年 − 上年 against the change the prose states (signed by its direction word, or as
    a magnitude when ``magnitude``)."""
    d, diff = current.wan - base.wan, cur - base_iv
    if magnitude:
        lo, hi = sorted((abs(diff.lo), abs(diff.hi)))
        result = _computed("本年 − 上年", abs(d), Interval(Decimal(0) if diff.contains(Decimal(0)) else lo, hi), places)
    else:
        result = _computed("本年 − 上年", d, diff, places)
    said = None
    if stated is not None:
        sign = -1 if direction == "decrease" and not magnitude else 1
        iv = stated.interval()
        said = Operand.of("文字", stated.text, sign * stated.wan, iv if sign > 0 else -iv, stated.unit)
    ops = [_stated(current, cur, "本年"), _stated(base, base_iv, "上年")]
    return Arithmetic("difference", ops, result, said, formula)


def _base_of(cur: Interval, delta: Interval, direction: str) -> Interval:
    return cur - delta if direction == "increase" else cur + delta


def _pct_consistent(cur: Interval, delta: Interval, pct: Interval, direction: str) -> bool | None:
    base = _base_of(cur, delta, direction)
    ratio = delta / base
    if ratio is None:
        return None
    return ratio.scale(HUNDRED).overlaps(pct)


def _pct_text(cur: Interval, delta: Interval, direction: str) -> str:
    base = _base_of(cur, delta, direction)
    ratio = delta / base
    if ratio is None:
        return "无法计算（上年数为零）"
    return f"{fmt(ratio.mid * HUNDRED)}%"


@check("narrative.delta", requires=("amounts",), sets=("verified",))
def delta(ctx: Context) -> list[Finding]:
    out = []
    for c in ctx.claims.claims:
        cmp = c.comparison
        cur = ctx.amount(c)
        if cmp is None or cur is None or cmp.base is None or cmp.delta is None:
            continue
        diff = cur - cmp.base.interval()
        mag = Interval(min(abs(diff.lo), abs(diff.hi)), max(abs(diff.lo), abs(diff.hi)))
        if diff.lo < 0 < diff.hi:
            mag = Interval(Decimal(0), mag.hi)
        stated = cmp.delta.interval()
        p = _places(c.amount, cmp.base, cmp.delta)
        if not mag.overlaps(stated):
            d = c.amount.wan - cmp.base.wan
            fields = {"current": fmt(c.amount.wan, p), "base": fmt(cmp.base.wan, p), "difference": signed(d, p), "stated": cmp.delta.text}
            formula = f"{fields['current']} − {fields['base']} = {fields['difference']}"
            out.append(
                claim_finding(
                    "narrative.delta",
                    c,
                    cmp.delta.span,
                    fields=fields,
                    expected=f"{fmt(abs(d), p)}万元",
                    actual=cmp.delta.text,
                    tolerance=f"差额区间 {diff}，所述 {stated}（万元）",
                    arithmetic=_change(c.amount, cmp.base, cur, cmp.base.interval(), formula, p, cmp.delta, magnitude=True),
                )
            )
        else:
            ctx.mark_verified(c, basis="arithmetic")
    return out


@check("narrative.percentage", requires=("amounts",), sets=("verified",))
def percentage(ctx: Context) -> list[Finding]:
    out = []
    for c in ctx.claims.claims:
        cmp = c.comparison
        cur = ctx.amount(c)
        if cmp is None or cur is None or cmp.percent is None:
            continue
        pdir = cmp.percent_direction or cmp.direction
        if cmp.base is not None:
            base = cmp.base.interval()
            change = cur - base
            if pdir == "decrease":
                change = -change
            ratio = change / base
            what = f"({fmt(c.amount.wan)} − {fmt(cmp.base.wan)}) / {fmt(cmp.base.wan)}"
            ops = [_stated(c.amount, cur, "本年"), _stated(cmp.base, base, "上年")]
        elif cmp.delta is not None and pdir in ("increase", "decrease"):
            base = _base_of(cur, cmp.delta.interval(), pdir)
            if base.strictly_negative():
                # an increase beyond the amount itself: the amount or the change is wrong, and
                # a rate on a last year below zero says nothing of the stated rate
                continue
            ratio = cmp.delta.interval() / base
            what = f"{fmt(cmp.delta.wan)} / {fmt(base.mid)}"
            ops = [_stated(cmp.delta, label="增减额"), _computed("上年（本年 ∓ 增减额）", base.mid, base)]
        else:
            continue
        if ratio is None:
            continue
        pct = ratio.scale(HUNDRED)
        stated = cmp.percent.interval()
        if pct.overlaps(stated):
            ctx.mark_verified(c, basis="arithmetic")
            continue
        # a direction error explains it better; do not report twice
        if cmp.base is None and cmp.delta is not None and pdir in ("increase", "decrease"):
            flipped = "decrease" if pdir == "increase" else "increase"
            if _pct_consistent(cur, cmp.delta.interval(), stated, flipped):
                continue
        f = _percent_finding("narrative.percentage", c, "percent_change", ops, what, pct, cmp.percent)
        if cmp.base is None and cmp.delta is not None and pdir in ("increase", "decrease"):
            other = _other_current(ctx, c, cmp.delta.interval(), stated, pdir)
            if other is not None:
                f.chain.append(named_doubt(CLAIM_PARSE, "pct_other_current", c.id, amount=other.amount.text))
        out.append(f)
    return out


def _percent_finding(
    cid: str, c: Claim, operation: str, operands: list[Operand], formula: str, pct: Interval, stated: Quantity
) -> Finding:
    """A stated percentage against the one its figures give (“占比不符：a / b = x%，文字写y%”)."""
    result = _computed("计算", pct.mid, pct, unit="%")
    shown = f"{formula} = {fmt(pct.mid)}%"
    arithmetic = Arithmetic(operation, operands, result, _stated(stated), shown, unit="%")
    return claim_finding(
        cid,
        c,
        stated.span,
        fields={"formula": formula, "result": fmt(pct.mid), "stated": stated.text},
        expected=f"{fmt(pct.mid)}%",
        actual=stated.text,
        tolerance=f"按舍入区间计算应在 {pct} 之间",
        arithmetic=arithmetic,
    )


def _other_current(ctx: Context, c: Claim, delta: Interval, stated: Interval, direction: str) -> Claim | None:
    """Another amount of the paragraph which, as this year's figure, makes the stated change
    and percentage agree: the change may be that amount's, not the one it was attached to."""
    for o in ctx.neighbours(c):
        cur = ctx.amount(o)
        if o.id == c.id or cur is None:
            continue
        ratio = delta / _base_of(cur, delta, direction)
        if ratio is not None and ratio.scale(HUNDRED).overlaps(stated):
            return o
    return None


@check("narrative.share", requires=("amounts",), sets=("verified",))
def share(ctx: Context) -> list[Finding]:
    out = []
    for c in ctx.claims.claims:
        if c.share is None:
            continue
        part = ctx.amount(c)
        whole_claim = ctx.by_id.get(c.part_of) if c.part_of else _named_whole(ctx, c)
        whole = ctx.amount(whole_claim) if whole_claim else None
        if part is None or whole is None:
            continue
        c.share_of = whole_claim.id
        ratio = part / whole
        if ratio is None:
            continue
        pct = ratio.scale(HUNDRED)
        stated = c.share.interval()
        if pct.overlaps(stated):
            ctx.mark_verified(c, basis="arithmetic")
            continue
        ops = [_computed("部分", part.mid, part), _computed("总额", whole.mid, whole)]
        f = _percent_finding("narrative.share", c, "share", ops, f"{fmt(part.mid)} / {fmt(whole.mid)}", pct, c.share)
        other = _other_whole(ctx, c, whole_claim, part, stated)
        if other is not None:
            f.chain.append(named_doubt(CLAIM_PARSE, "share_other_whole", c.id, amount=other.amount.text))
        out.append(f)
    return out


WHOLE_PREFIX = 4  # characters a share's named whole and the whole's subject must share
WHOLE_PARAGRAPHS = 3  # paragraphs back in which the whole may stand (a PDF line break splits one)


def _named_whole(ctx: Context, c: Claim) -> Claim | None:
    """The whole a share names (“设备335.24万元，占固定资产总额的7.90%”) when the list gave
    it none: the one earlier claim, in its paragraph or the few before it, whose subject
    begins as that name does."""
    if c.amount is None:
        return None
    between = ctx.doc.text[c.amount.span[1] : c.share.span[0]]
    m = lexicon().share_whole.search(between.replace(" ", "").rstrip("：:"))
    if m is None:
        return None
    key = m.group("whole")[:WHOLE_PREFIX]
    found = [
        o for o in ctx.in_paragraphs(c.paragraph - WHOLE_PARAGRAPHS, c.paragraph)
        if o.span[0] < c.span[0]
        and o.amount is not None and o.share is None
        and (o.subject or "").replace(" ", "").startswith(key)
    ]
    return found[-1] if len(found) == 1 else None


def _other_whole(ctx: Context, c: Claim, whole_claim: Claim, part: Interval, stated: Interval) -> Claim | None:
    """Another amount of the paragraph of which the stated share is right: the whole the
    sentence means may be that one, not the one the tool attached."""
    for o in ctx.neighbours(c):
        if o.id in (c.id, whole_claim.id):
            continue
        iv = ctx.amount(o)
        ratio = part / iv if iv is not None else None
        if ratio is not None and ratio.scale(HUNDRED).overlaps(stated):
            return o
    return None


@check("narrative.parts_sum", requires=("amounts",), sets=("verified",))
def parts_sum(ctx: Context) -> list[Finding]:
    out = []
    for g in ctx.claims.groups:
        parent = ctx.by_id[g.parent]
        parts = [ctx.by_id[p] for p in g.parts]
        if not parts:
            continue
        if g.kind == "delta":
            if parent.comparison is None or parent.comparison.delta is None:
                continue
            if not all(p.comparison and p.comparison.delta for p in parts):
                continue
            whole = parent.comparison.delta.interval()
            ivs = [p.comparison.delta.interval() for p in parts]
            texts = [p.comparison.delta.text for p in parts]
            if any((p.comparison.direction != parent.comparison.direction) for p in parts):
                found = _signed_change_sum(ctx, g, parent, parts)
                if found is not None:
                    out.append(found)
                continue
        else:
            whole = ctx.amount(parent)
            ivs = [ctx.amount(p) for p in parts]
            if whole is None or any(iv is None for iv in ivs):
                continue
            texts = [p.amount.text for p in parts]
        s = total(ivs)
        if len(parts) == 1 or g.incomplete:
            ok = s.lo <= whole.hi
            rel = "不超过"
        else:
            ok = s.overlaps(whole)
            rel = "等于"
        if ok:
            if rel == "等于":
                # a complete list adding up to its whole bears out the whole and every part
                for c in (parent, *parts):
                    ctx.mark_verified(c, [f"sum:{parent.id}"], "sum")
            continue
        span = (parts[0].span[0], parts[-1].span[1])
        whole_text = parent.comparison.delta.text if g.kind == "delta" else parent.amount.text
        whole_q = parent.comparison.delta if g.kind == "delta" else parent.amount
        quantities = [p.comparison.delta if g.kind == "delta" else p.amount for p in parts]
        fields = {"parts": " + ".join(texts), "result": fmt(s.mid), "relation": rel, "whole": whole_text}
        f = claim_finding(
            "narrative.parts_sum",
            parent,
            span,
            fields=fields,
            expected=f"{rel}{whole_text}",
            actual=f"{fmt(s.mid)}万元",
            tolerance=f"分项之和区间 {s}，总额区间 {whole}（万元）",
            arithmetic=_sum_of_quantities(quantities, ivs, whole_q, whole, s),
        )
        if g.kind == "amount" and _holds_as_written(parent, parts):
            f.chain.append(named_doubt(CLAIM_PARSE, "parts_as_written", parent.id))
        elif g.kind == "amount":
            f.chain.extend(_parts_doubts(ctx, parent, parts, ivs, whole, exact=rel == "等于"))
        else:
            f.chain.extend(_delta_parts_doubts(ctx, parent, parts, s, whole))
        out.append(f)
    return out


SIGN = {"increase": 1, "decrease": -1}


def _signed_change_sum(ctx: Context, g, parent: Claim, parts: list[Claim]) -> Finding | None:
    """Changes listed with directions of their own (“三公经费减少5万元，其中：因公出国费增加2万元，
    公务接待费减少7万元”): their signed sum against the whole's signed change. A list ending in
    “等” is not complete and not compared; neither is one with a part that states no direction."""
    cmp = parent.comparison
    if g.incomplete or cmp.direction not in SIGN or any(p.comparison.direction not in SIGN for p in parts):
        return None

    def signed(c: Claim) -> Interval:
        iv = c.comparison.delta.interval()
        return iv if SIGN[c.comparison.direction] > 0 else -iv

    whole, ivs = signed(parent), [signed(p) for p in parts]
    s = total(ivs)
    if s.overlaps(whole):
        for c in (parent, *parts):
            ctx.mark_verified(c, [f"sum:{parent.id}"], "sum")
        return None

    def said(c: Claim) -> str:
        return f"{DIRECTION_WORD[c.comparison.direction]}{c.comparison.delta.text}"

    texts = " + ".join(said(p) for p in parts)
    net = s.mid
    fields = {"parts": texts, "result": ("+" if net > 0 else "") + fmt(net), "whole": said(parent)}
    ops = [Operand.of("分项", said(p), iv.mid, iv, p.comparison.delta.unit) for p, iv in zip(parts, ivs, strict=True)]
    f = claim_finding(
        "narrative.parts_sum",
        parent,
        (parts[0].span[0], parts[-1].span[1]),
        "signed",
        fields,
        expected=said(parent),
        actual=f"{fields['result']}万元",
        tolerance=f"分项增减之和区间 {s}，所述增减区间 {whole}（万元）",
        arithmetic=Arithmetic(
            "sum", ops, _computed("分项增减之和", net, s), Operand.of("总额", said(parent), whole.mid, whole, cmp.delta.unit),
            f"{texts} = {fields['result']}万元",
        ),
    )
    f.chain.extend(_delta_parts_doubts(ctx, parent, parts, s, whole))
    return f


def _sum_of_quantities(parts: list[Quantity], ivs: list[Interval], whole: Quantity, whole_iv: Interval, s: Interval) -> Arithmetic:
    """Listed amounts (their intervals ``ivs``, summing to ``s``) against the whole stated."""
    texts = " + ".join(q.text for q in parts)
    ops = [_stated(q, iv, "分项") for q, iv in zip(parts, ivs, strict=True)]
    return Arithmetic("sum", ops, _computed("分项之和", s.mid, s), _stated(whole, whole_iv, "总额"), f"{texts} = {fmt(s.mid)}万元")


def prose_sum(parts: list[Claim], ivs: list[Interval], whole: Claim, whole_iv: Interval, s: Interval) -> Arithmetic:
    """The arithmetic of claims listed as the parts of another claim's amount."""
    return _sum_of_quantities([p.amount for p in parts], ivs, whole.amount, whole_iv, s)


def _delta_parts_doubts(ctx: Context, parent: Claim, parts: list[Claim], summed: Interval, whole: Interval) -> list:
    """A list of changes whose sum, or sum with the change it was attached to, is another
    change stated in the paragraph: the list belongs to that change."""
    members = {parent.id, *(p.id for p in parts)}
    for c in ctx.claims.claims:
        d = c.comparison.delta if c.comparison else None
        if c.id in members or d is None or c.paragraph != parent.paragraph:
            continue
        if d.interval().overlaps(summed) or d.interval().overlaps(summed + whole):
            return [named_doubt(CLAIM_PARSE, "parts_other_whole", parent.id, amount=d.text)]
    return []


def _holds_as_written(parent: Claim, parts: list[Claim]) -> bool:
    """Whether the parts add up at the precision the sentence is written with, when all its
    amounts are written in whole 万元 ("30,441万元 + … = 40,870万元" restating a 元 table):
    whether such figures are rounded or exact ("1万元") the sentence does not say. A list
    that mixes precisions ("6万元", "9.8万元") is taken as exact."""
    qs = [parent.amount, *(p.amount for p in parts)]
    if any(q is None or q.unit == "%" for q in qs):
        return False
    if len({(q.unit, q.decimals) for q in qs}) != 1 or qs[0].decimals >= min_decimals(qs[0].unit):
        return False
    ivs = [Interval.rounded(q.value, q.decimals).scale(factor(q.unit)) for q in qs]
    return total(ivs[1:]).overlaps(ivs[0])


def _parts_doubts(ctx: Context, parent: Claim, parts: list[Claim], ivs: list[Interval], whole: Interval, exact: bool) -> list:
    """Readings of the sentence under which the listed parts do add up: then the list the
    tool assembled, not the document, is in doubt (parts that ran on into the next clause, a
    restated or nested total among them, the whole being another amount of the sentence, a
    list continued after the sentence, a part the reader could not read, sibling amounts).

    ``exact``: the parts should add up to the whole (else only not exceed it)."""
    n = len(ivs)
    sentences = {parent.sentence_span, *(p.sentence_span for p in parts)}
    malformed = re_(_words()["malformed_number"])
    if any(malformed.search(s) for s in {c.sentence for c in (parent, *parts)}) or any(
        c.malformed and c.sentence_span in sentences
        for c in ctx.in_paragraphs(min(x.paragraph for x in (parent, *parts)), max(x.paragraph for x in (parent, *parts)))
    ):
        return [named_doubt(CLAIM_PARSE, "parts_malformed", parent.id)]
    if all(p.amount.value == 0 for p in parts) and parent.amount.value != 0:
        return [named_doubt(CLAIM_PARSE, "parts_zero", parent.id)]
    # sums of runs of parts from prefix sums (exact in Decimal): a list of hundreds of parts
    # stays quadratic at worst, not cubic
    prefix = [total([])]
    for iv in ivs:
        prefix.append(prefix[-1] + iv)

    def run(i: int, j: int) -> Interval:  # the sum of ivs[i:j]
        return Interval(prefix[j].lo - prefix[i].lo, prefix[j].hi - prefix[i].hi)

    for k in range(1, n if exact else 0):
        if prefix[k].overlaps(whole):
            return [named_doubt(CLAIM_PARSE, "parts_prefix", parent.id, k=k)]
    for i in range(n if exact else 0):
        if (run(0, i) + run(i + 1, n)).overlaps(whole):
            return [named_doubt(CLAIM_PARSE, "parts_drop", parent.id, part=parts[i].amount.text)]
    for i in range(n if exact else 0):
        for j in range(i + 2, n):
            if run(i + 1, j + 1).overlaps(ivs[i]):
                return [named_doubt(CLAIM_PARSE, "parts_nested", parent.id, part=parts[i].amount.text)]
    summed = prefix[n]
    members = {parent.id, *(p.id for p in parts)}
    nearby = [c for c in ctx.neighbours(parent, parent.paragraph + 1) if c.id not in members and ctx.amount(c) is not None]
    for c in (c for c in nearby if c.paragraph == parent.paragraph):
        stated = [c.amount] + ([c.comparison.delta] if c.comparison and c.comparison.delta else [])
        for q in stated:
            iv = ctx.amount(c) if q is c.amount else q.interval()
            if iv.overlaps(summed) or iv.overlaps(summed + whole):
                return [named_doubt(CLAIM_PARSE, "parts_other_whole", parent.id, amount=q.text)]
    total_cells = ctx.values(totals_only=True).overlapping(summed)
    if total_cells:
        t = total_cells[0].table
        return [named_doubt(CLAIM_PARSE, "parts_table_total", parent.id, table=t.title or t.id)]
    after = [c for c in nearby if c.span[0] > parts[-1].span[0]]
    for k in range(1, min(len(after), 6) + 1 if exact else 0):
        if total([summed, *(ctx.amount(c) for c in after[:k])]).overlaps(whole):
            return [named_doubt(CLAIM_PARSE, "parts_continued", parent.id)]
    return []


# Subjects whose changes the disclosure templates require to be explained.
REASON_WINDOW = 4  # paragraphs after a change in which its explanation may follow
REASON_REQUIRED = {"收支总计", "收入总计", "支出总计", "财政拨款收支总计", "一般公共预算支出", "三公经费"}


def _actual_direction(ctx: Context, c: Claim) -> str | None:
    """The direction the figures give (本年数 − 上年数), when both are stated and decide it."""
    cmp = c.comparison
    cur = ctx.amount(c)
    if cmp is None or cmp.base is None or cur is None:
        return None
    diff = cur - cmp.base.interval()
    return "increase" if diff.strictly_positive() else "decrease" if diff.strictly_negative() else None


@check("narrative.prior_bases", requires=("amounts",))
def prior_bases(ctx: Context) -> list[Finding]:
    """Income and expenditure totals of one amount whose stated changes imply two prior years
    (“收入比上年预算执行数增加1,204.50万元” and “支出比上年预算增加1,198.20万元” for 8,846.10).
    Last year's actual income and spending (执行数, 决算) may differ; its budget may not, so
    two bases both named actual are left alone."""
    params = catalogue()["narrative.prior_bases"].params
    subjects = set(params["subjects"])
    actual = tuple(params["actual_words"])
    seen: list[tuple[Claim, Interval, Interval]] = []
    out = []
    for c in ctx.claims.claims:
        if c.subject_id not in subjects or c.part_of or not usable_for_tables(ctx, c):
            continue
        cur, base = ctx.amount(c), _stated_base(c, ctx.amount(c))
        if cur is None or base is None:
            continue
        named_actual = _base_words(ctx, c, actual)
        other = next(
            (
                o for o, ocur, obase in seen
                if o.subject_id != c.subject_id and ocur.overlaps(cur) and not obase.overlaps(base)
                and not (named_actual and _base_words(ctx, o, actual))
            ),
            None,
        )  # fmt: skip
        seen.append((c, cur, base))
        if other is None:
            continue
        a, b = _base_text(other), _base_text(c)
        p = _places(c.amount, other.amount, c.comparison.delta, other.comparison.delta)
        gap = fmt(abs(_stated_base(c, c.amount.interval()).mid - _stated_base(other, other.amount.interval()).mid), p)
        q = c.comparison.delta or c.comparison.base
        other_base = _stated_base(other, ctx.amount(other))
        out.append(
            claim_finding(
                "narrative.prior_bases",
                c,
                q.span,
                fields={
                    "other_subject": other.subject,
                    "subject": c.subject,
                    "current": fmt(c.amount.wan, p),
                    "other_words": a[0],
                    "other_base": a[1],
                    "words": b[0],
                    "base": b[1],
                    "gap": gap,
                },
                expected=f"{a[1]}万元",
                actual=f"{b[1]}万元",
                tolerance=f"上年基数区间 {other_base} 与 {base}（万元）不相交",
                arithmetic=Arithmetic(
                    "equal",
                    [_computed(f"{other.subject}上年基数", Decimal(a[1]), other_base, p)],
                    _computed(f"{other.subject}上年基数", Decimal(a[1]), other_base, p),
                    _computed(f"{c.subject}上年基数", Decimal(b[1]), base, p),
                    f"{a[2]}；{b[2]}",
                ),
            )
        )
    return out


def _base_words(ctx: Context, c: Claim, words: tuple[str, ...]) -> bool:
    """Whether the words between the claim's amount and its direction word (“，比上年执行数”)
    name one of ``words``."""
    cmp = c.comparison
    if cmp is None or cmp.cue_span is None or c.amount is None:
        return False
    between = ctx.doc.text[c.amount.span[1] : cmp.cue_span[0]]
    return any(w in between for w in words)


def _stated_base(c: Claim, cur: Interval | None) -> Interval | None:
    """The prior-year figure a claim states, or that its change implies: the base as written,
    else this year's amount less an increase (plus a decrease)."""
    cmp = c.comparison
    if cmp is None or cur is None:
        return None
    if cmp.base is not None:
        return cmp.base.interval()
    if cmp.delta is not None and cmp.direction in ("increase", "decrease"):
        return _base_of(cur, cmp.delta.interval(), cmp.direction)
    return None


def _base_text(c: Claim) -> tuple[str, str, str]:
    """How the claim gives its base: (the words, the base in 万元, the computation)."""
    cmp = c.comparison
    p = _places(c.amount, cmp.base, cmp.delta)
    if cmp.base is not None:
        return f"{c.subject}所述上年数", fmt(cmp.base.wan, p), f"{c.subject}上年 {fmt(cmp.base.wan, p)}"
    sign = "−" if cmp.direction == "increase" else "+"
    base = c.amount.wan - cmp.delta.wan if cmp.direction == "increase" else c.amount.wan + cmp.delta.wan
    words = "增加" if cmp.direction == "increase" else "减少"
    return (
        f"按{c.subject}{words}{cmp.delta.text}",
        fmt(base, p),
        f"{fmt(c.amount.wan, p)} {sign} {fmt(cmp.delta.wan, p)} = {fmt(base, p)}",
    )


@check("narrative.reason_direction", requires=("amounts",))
def reason_direction(ctx: Context) -> list[Finding]:
    """The stated reason describes the opposite change (减少…，主要原因是增加了…)."""
    out = []
    for c in ctx.claims.claims:
        cmp, r = c.comparison, c.reason
        if cmp is None or r is None or r.direction is None or r.direction_span is None:
            continue
        if cmp.direction not in ("increase", "decrease") or r.direction == cmp.direction:
            continue
        if r.direction_by == "model" and any(q is not None and q.value == 0 for q in (cmp.delta, cmp.percent)):
            continue  # "比上年增加0.00万元…与上年持平": no change for a learned direction to contradict
        stated = DIRECTION_WORD[cmp.direction]
        said = ctx.doc.text[r.direction_span[0] : r.direction_span[1]]
        actual = _actual_direction(ctx, c)
        arithmetic = None
        if r.direction_by == "model":
            # a learned direction (the cue words said none) is a doubt, never an error
            sev = "warning"
            why = render("narrative.reason_direction", "why_model")
            said = _short(r.text)
        elif actual == r.direction:
            sev = "error"
            d = c.amount.wan - cmp.base.wan
            p = _places(c.amount, cmp.base)
            numbers = {"current": fmt(c.amount.wan, p), "base": fmt(cmp.base.wan, p), "difference": signed(d, p)}
            why = render("narrative.reason_direction", "why_figures", stated=stated, **numbers)
            formula = f"{numbers['current']} − {numbers['base']} = {numbers['difference']}"
            arithmetic = _change(c.amount, cmp.base, ctx.amount(c), cmp.base.interval(), formula, p)
        else:
            sev = "warning"
            why = render("narrative.reason_direction", "why_either")
        cited = "、".join(q.text for q in r.amounts)
        out.append(
            claim_finding(
                "narrative.reason_direction",
                c,
                r.direction_span,
                fields={"stated": stated, "said": said, "cited": f"（{cited}）" if cited else "", "why": why},
                severity=sev,
                expected=DIRECTION_WORD[r.direction],
                actual=stated,
                arithmetic=arithmetic,
            )
        )
    return out


@check("narrative.reason_missing")
def reason_missing(ctx: Context) -> list[Finding]:
    """A change of a total or of 三公经费 stated without any reason."""
    out = []
    explained = {
        (c.subject_id, c.comparison.direction)
        for c in ctx.claims.claims
        if c.reason is not None and c.comparison is not None and c.subject_id
    }
    for c in ctx.claims.claims:
        cmp = c.comparison
        if cmp is None or c.subject_id not in REASON_REQUIRED or c.part_of:
            continue
        if cmp.direction not in ("increase", "decrease"):
            continue
        changed = [q for q in (cmp.delta, cmp.percent) if q is not None]
        if not changed or all(q.value == 0 for q in changed):
            continue
        if c.reason is not None:
            continue
        # "…增加384.30万元，具体如下：1.因公出国（境）费用…主要原因是…": the reasons of the
        # items that follow explain the total
        if any((c.section, p) in ctx.claims.reason_places for p in range(c.paragraph, c.paragraph + REASON_WINDOW + 1)):
            continue
        if (c.subject_id, cmp.direction) in explained:
            continue  # the same change restated with its reason elsewhere
        q = changed[0]
        span = (cmp.cue_span[0], q.span[1]) if cmp.cue_span and cmp.cue_span[0] < q.span[1] else q.span
        # a disclosure gap, not a doubt about the figures: the claim's status is left alone
        fields = {"subject": c.subject or "总额", "direction": DIRECTION_WORD[cmp.direction], "change": q.text}
        out.append(new_finding("narrative.reason_missing", span, fields=fields, quote=c.sentence))
    return out


@check("narrative.reason_subject")
def reason_subject(ctx: Context) -> list[Finding]:
    """A change explained by a reason about another item (会议费…，主要原因是减少公务接待费预算)."""
    out = []
    for c in ctx.claims.claims:
        r = c.reason
        if r is None or r.kind != "reason" or c.comparison is None:
            continue
        own, foreign = foreign_items(c.subject, r.text)
        if not foreign:
            continue
        m = foreign[0]
        names = "、".join(dict.fromkeys(x.text for x in foreign))
        out.append(
            claim_finding(
                "narrative.reason_subject",
                c,
                (r.span[0] + m.span[0], r.span[0] + m.span[1]),
                fields={"subject": c.subject, "reason": _short(r.text), "names": names, "own": own},
                expected=f"关于{own}的原因",
                actual=names,
            )
        )
    return out


def _short(text: str, n: int = 40) -> str:
    text = re_(r"\s+").sub("", text)
    return text if len(text) <= n else text[: n - 1] + "…"


@check("narrative.percentage_undefined")
def percentage_undefined(ctx: Context) -> list[Finding]:
    """A growth rate stated against a zero base: 本年 1.2万元, 增加1.2万元, 增加100%."""
    out = []
    for c in ctx.claims.claims:
        cmp = c.comparison
        if cmp is None or cmp.percent is None or cmp.percent.value == 0:
            continue
        amount, how = _amount_for_change(ctx, c)
        if cmp.base is not None:
            base = cmp.base.wan
            what = render("narrative.percentage_undefined", "base_stated", base=cmp.base.text)
        elif amount is not None and cmp.delta is not None and cmp.direction == "increase":
            base = amount.wan - cmp.delta.wan
            what = render("narrative.percentage_undefined", "base_implied", current=amount.text, how=how, delta=cmp.delta.text)
        else:
            continue
        if base != 0:
            continue
        out.append(
            claim_finding(
                "narrative.percentage_undefined",
                c,
                cmp.percent.span,
                fields={
                    "what": what,
                    "stated": cmp.percent.text,
                    "required": fmt(cmp.delta.wan * HUNDRED / cmp.percent.value) if cmp.delta is not None else "非零",
                },
                actual=cmp.percent.text,
                expected="上年无此项支出（增长率无定义）",
            )
        )
    return out


def _amount_for_change(ctx: Context, c: Claim):
    """The current amount of a change claim: its own, or that of the same subject stating the same change."""
    if c.amount is not None and not c.malformed:
        return c.amount, ""
    cmp = c.comparison
    if not c.subject_id or cmp is None or cmp.delta is None:
        return None, ""
    for o in ctx.claims.claims:
        oc = o.comparison
        if (
            o is not c
            and o.subject_id == c.subject_id
            and o.amount is not None
            and not o.malformed
            and oc is not None
            and oc.delta is not None
            and oc.direction == cmp.direction
            and oc.delta.wan == cmp.delta.wan
            and o.year == c.year
        ):
            return o.amount, f"（{o.id}，同一事项）"
    return None, ""


@check("narrative.year")
def year(ctx: Context) -> list[Finding]:
    """An amount of a budget quantity dated neither the document's year nor the year before."""
    out = []
    y = ctx.doc.meta.year
    if not y:
        return out
    for c in ctx.claims.claims:
        if c.amount is None or c.blocked or not c.subject_id or c.year is None or c.year in (y, y - 1):
            continue
        m = re_(rf"{c.year}\s*年").search(ctx.doc.text[c.sentence_span[0] : c.amount.span[0]])
        span = (c.sentence_span[0] + m.start(), c.sentence_span[0] + m.end()) if m else c.amount.span
        out.append(
            claim_finding(
                "narrative.year",
                c,
                span,
                fields={"year": y, "kind": ctx.doc.meta.doc_kind or "", "stated_year": c.year, "subject": c.subject, "stated": c.amount.text},
                expected=f"{y}年",
                actual=f"{c.year}年",
            )
        )
    return out


@cache
def _leftover_pattern() -> regex.Pattern:
    """The template leftovers of checks.yaml (``params.patterns``), as one pattern."""
    return re_("|".join(f"(?:{p})" for p in catalogue()["narrative.template_leftover"].params["patterns"]))


@check("narrative.template_leftover")
def template_leftover(ctx: Context) -> list[Finding]:
    out = []
    for b in ctx.doc.blocks:
        if not isinstance(b, Paragraph | Heading):
            continue
        for m in _leftover_pattern().finditer(b.text):
            s = b.location.start + m.start()
            span = (s, s + len(m.group()))
            out.append(new_finding("narrative.template_leftover", span, fields={"text": m.group()}, quote=b.text.strip()[:200], actual=m.group()))
    return out
