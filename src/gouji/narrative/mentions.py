"""Mentions: the amounts, percentages and zeros by word that a sentence writes.

Two finders give the same raw mentions: regular expressions (the default) and the spaCy
pipeline of ``nlp.py``. Both drop thresholds ("单价50万元以上") and targets ("≥90%").
"""

from __future__ import annotations

from decimal import Decimal

from gouji.patterns import re_
from gouji.quantities.numbers import (
    ParsedNumber,
    is_malformed_number,
    parse_number,
    too_many_digits,
)
from gouji.quantities.vocabulary import build, short_units
from gouji.records import dataclass

# a zero stated by word ("无", "未安排") is exact; these decimals make its interval a point
ZERO_DECIMALS = 6

# a unit's name, else a short spelling (万) that no Chinese character follows: 万人 is no amount
AMOUNT_RE = build(
    r"(?<![\d.])(?P<num>[-−]?\d[\d,]*(?:\.\d*)?)(?P<unit><<money_unit>>|<<money_unit_short>>(?![\p{Han}]))"
)
# "一千二百万元", "三点五亿元": Chinese numerals before a money unit (万 and 亿 inside the
# number are multipliers, the last 万/亿 before 元 is the unit)
CN_AMOUNT_RE = build(
    r"(?<![零〇一二两三四五六七八九十百千万亿点统唯单第之\d.])(?P<num>[零〇一二两三四五六七八九十百千万亿]*[一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千]*(?:点[零〇一二三四五六七八九]+)?)"
    r"(?P<unit><<money_unit>>)"
)
# "(3.00)万元": a parenthesised amount is negative
PAREN_AMOUNT_RE = build(r"\((?P<num>\d[\d,]*(?:\.\d+)?)\)(?P<unit><<money_unit>>)")
# "无政府性基金预算收入", "三公经费未安排": zero by word
ZERO_WORD_RE = re_(
    r"(?:(?<=^|[，,；;。：:\s]|部门|单位|年|本局|我局|局|委|办|注|均|暂)(?P<word>无)(?!锡|为)|(?P<word>未安排|没有))"
    r"(?=[^，,；;。]{0,30}?(?:收入|支出|收支|经费|预算|拨款|资金)(?:[，,；;。]|$))"
    r"|(?<=(?:收入|支出|收支|经费|预算|拨款|资金)[\"”]?)(?P<word>未安排)(?=[，,；;。]|$)"
)
PERCENT_RE = build(r"(?<![\d.])(?P<num>[-−]?\d+(?:\.\d+)?) ?<<percent_sign>>")
CN_UNIT = build(r"(<<money_unit>>)$")
THRESHOLD_AFTER = re_(r"^(?:以上|以下|以内|及以上|左右)")
THRESHOLD_WORDS = re_(r"单价|价值|以上|以下|以内|起付|限额|标准|每人|人均|每月|每年|元/")
TARGET_BEFORE = re_(r"[≥≤<>＞＜=]$")


@dataclass
class Mention:
    """A number in the prose with its unit: money, percent or a stated zero."""

    kind: str  # money / percent / zero
    start: int  # in clean text
    end: int
    value: ParsedNumber
    unit: str
    text: str
    malformed: bool = False


# (kind, start, end, parsed, unit, malformed), offsets in the sentence
RawMention = tuple[str, int, int, ParsedNumber, str, bool]


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


def find_mentions(text: str, s0: int, s1: int, backend: str = "rules") -> list[Mention]:
    """The mentions of the sentence ``text[s0:s1]`` in text order, offsets in ``text``.

    ``backend`` "spacy" finds money and percentages with the spaCy pipeline when it is
    installed; zeros by word are always found by rule.
    """
    sent = text[s0:s1]
    raw = _spacy_raw(text, s0, s1) if backend == "spacy" and _nlp_available() else _rules_raw(sent)
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


def _money(num: str, unit: str) -> tuple[ParsedNumber, str, bool] | None:
    """(parsed, unit, malformed) of a written Arabic amount, or None."""
    num = num.replace(",", "")
    unit = short_units().get(unit, unit)
    parsed = parse_number(num)
    malformed = False
    if parsed is None:
        if is_malformed_number(num):
            parsed = parse_number(num.rstrip(".").rstrip())
            malformed = True
        if parsed is None:
            return None
    return parsed, unit, malformed


def _rules_raw(sent: str) -> list[RawMention]:
    """Money and percentages by regular expression."""
    out: list[RawMention] = []
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


def _spacy_raw(text: str, s0: int, s1: int) -> list[RawMention]:
    """Money and percentages from the spaCy pipeline's entities."""
    from gouji.narrative import nlp

    out: list[RawMention] = []
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
