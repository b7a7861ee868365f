"""决算 prose: each item's 决算数 against its 年初预算数, as the national template has it.

“年初预算为 330.00 万元，支出决算为 312.40 万元，完成年初预算的 94.67%。决算数小于预算数的
主要原因：…” gives both figures in one sentence, the completion rate computed from them, and
the relation the next sentence states. Two checks read these sentences:

- ``narrative.final_vs_budget``: the stated relation (大于 / 小于 / 等于 / 持平) against the two
  figures, over their rounding intervals;
- ``narrative.completion_rate``: the stated completion rate against 决算 ÷ 预算 (a rate stated
  against a 年初预算 of zero is undefined: a warning).

The words are data (checks.yaml ``params``); a pair is the 预算 and the 决算 figure of one
sentence, and a relation statement belongs to the last pair before it in its paragraph.
"""

from __future__ import annotations

from functools import cache

import regex

from gouji.alignment.arithmetic import Arithmetic, Operand
from gouji.alignment.checks import Context, fmt
from gouji.alignment.findings import Finding
from gouji.alignment.messages import finding
from gouji.alignment.registry import catalogue, check
from gouji.ingest.document import Paragraph
from gouji.narrative.claims import Quantity
from gouji.patterns import re_
from gouji.quantities import vocabulary
from gouji.quantities.intervals import HUNDRED, Interval
from gouji.quantities.numbers import parse_number
from gouji.records import dataclass

RELATION = "narrative.final_vs_budget"
RATE = "narrative.completion_rate"
NUMBER = r"[-−]?\d[\d,，]*(?:\.\d+)?"


@dataclass(frozen=True)
class Pair:
    """The 预算 and 决算 figures one sentence states, and the completion rate if it gives one."""

    budget: Quantity
    final: Quantity
    rate: Quantity | None
    end: int  # document offset where the sentence's figures end


@cache
def _patterns() -> dict[str, regex.Pattern]:
    p = catalogue()[RELATION].params
    amount = rf"(?P<{{name}}>{NUMBER})\s*(?P<{{name}}_unit><<money_unit_short>>)"
    figures = (
        rf"(?:{p['budget_words']})\s*(?:为|是|:|：)?\s*{amount.format(name='budget')}"
        rf"[^。；;]{{0,40}}?(?:{p['final_words']})\s*(?:为|是|:|：)?\s*{amount.format(name='final')}"
        rf"(?:[^。；;]{{0,12}}?(?:{p['rate_words']})\s*(?P<rate>{NUMBER})\s*(?P<rate_unit><<percent_sign>>))?"
    )
    return {
        "figures": vocabulary.build(figures),
        "relation": re_(p["relation"]),
    }


def _quantity(m: regex.Match, name: str, start: int) -> Quantity | None:
    """Group ``name`` and its unit (``name_unit``) of ``m`` as a quantity at document offsets."""
    parsed = parse_number(m.group(name))
    if parsed is None:
        return None
    written = m.group(f"{name}_unit")
    unit = "%" if written in ("%", "％") else vocabulary.short_units().get(written, written)
    s, e = m.start(name), m.end(f"{name}_unit")
    return Quantity(parsed.value, parsed.decimals, unit, (start + s, start + e), m.string[s:e])


def _pairs(text: str, start: int) -> list[Pair]:
    out = []
    for m in _patterns()["figures"].finditer(text):
        budget, final = _quantity(m, "budget", start), _quantity(m, "final", start)
        if budget is None or final is None:
            continue
        rate = _quantity(m, "rate", start) if m.group("rate") else None
        out.append(Pair(budget, final, rate, start + m.end()))
    return out


def _sentences(ctx: Context):
    """Each prose paragraph's pairs and relation statements, with the paragraph's text."""
    for b in ctx.doc.blocks:
        if isinstance(b, Paragraph) and "决算" in b.text:
            yield b, _pairs(b.text, b.location.start)


def _relation_of(final: Interval, budget: Interval) -> str:
    if final.lo > budget.hi:
        return "greater"
    if final.hi < budget.lo:
        return "less"
    return "equal"


@check(RELATION)
def final_vs_budget(ctx: Context) -> list[Finding]:
    """“决算数大于预算数” where the sentence's 决算 is below its 预算 (or the other way, or 等于
    where they differ beyond rounding)."""
    words = catalogue()[RELATION].params["relation_words"]
    label = {v: k for k, v in reversed(list(words.items()))}  # the first word of each relation
    out = []
    for b, pairs in _sentences(ctx):
        for m in _patterns()["relation"].finditer(b.text):
            at = b.location.start + m.start()
            before = [p for p in pairs if p.end <= at]
            if not before:
                continue
            pair = before[-1]
            stated = words[m.group("word")]
            budget, final = pair.budget.interval(), pair.final.interval()
            actual = _relation_of(final, budget)
            if stated == actual:
                continue
            span = (at, b.location.start + m.end())
            d = pair.final.wan - pair.budget.wan
            formula = f"{fmt(pair.final.wan)} − {fmt(pair.budget.wan)} = {'+' if d > 0 else ''}{fmt(d)}"
            result = Operand.of("决算 − 预算", fmt(d), d, final - budget)
            out.append(
                finding(
                    RELATION,
                    span,
                    fields={
                        "final": pair.final.text,
                        "budget": pair.budget.text,
                        "stated": m.group("word"),
                        "expected": label[actual],
                        "formula": formula,
                    },
                    quote=b.text.strip()[:200],
                    expected=f"决算数{label[actual]}预算数",
                    actual=f"决算数{m.group('word')}预算数",
                    tolerance=f"决算 {final}，预算 {budget}（万元）",
                    arithmetic=Arithmetic(
                        "difference",
                        [_operand("决算", pair.final), _operand("年初预算", pair.budget)],
                        result,
                        None,
                        formula,
                    ),
                )
            )
    return out


def _operand(label: str, q: Quantity) -> Operand:
    return Operand.of(label, q.text, q.wan, q.interval(), q.unit)


@check(RATE)
def completion_rate(ctx: Context) -> list[Finding]:
    """“完成年初预算的 94.67%” against 决算 ÷ 预算 × 100 over the rounding intervals; a rate of a
    zero 预算 is undefined (warning)."""
    out = []
    for b, pairs in _sentences(ctx):
        for pair in pairs:
            if pair.rate is None:
                continue
            budget, final = pair.budget.interval(), pair.final.interval()
            ratio = final / budget
            if ratio is None:
                if pair.budget.value == 0:
                    out.append(
                        finding(
                            RATE,
                            pair.rate.span,
                            "zero_budget",
                            {"budget": pair.budget.text, "final": pair.final.text, "stated": pair.rate.text},
                            severity="warning",
                            quote=b.text.strip()[:200],
                            expected="年初预算为零，完成率无定义",
                            actual=pair.rate.text,
                        )
                    )
                continue
            pct = ratio.scale(HUNDRED)
            stated = pair.rate.interval()
            if pct.overlaps(stated):
                continue
            shown = f"{fmt(pair.final.wan)} / {fmt(pair.budget.wan)}"
            out.append(
                finding(
                    RATE,
                    pair.rate.span,
                    fields={"formula": shown, "result": fmt(pct.mid), "stated": pair.rate.text},
                    quote=b.text.strip()[:200],
                    expected=f"{fmt(pct.mid)}%",
                    actual=pair.rate.text,
                    tolerance=f"按舍入区间计算应在 {pct} 之间",
                    arithmetic=Arithmetic(
                        "ratio",
                        [_operand("决算", pair.final), _operand("年初预算", pair.budget)],
                        Operand.of("计算", f"{fmt(pct.mid)}%", pair.final.wan / pair.budget.wan * HUNDRED, pct, "%"),
                        Operand.of("文字", pair.rate.text, pair.rate.value, stated, "%"),
                        f"{shown} = {fmt(pct.mid)}%",
                        unit="%",
                    ),
                )
            )
    return out
