"""What a stated reason says by itself: the direction of change it describes, the amounts it cites.

"减少3176.66万元，主要原因为：今年部门预算增加了新冠病毒疫苗及接种财政补助资金3000万元" —
the reason describes an increase; the statement a decrease. The direction of a reason is
only taken when every direction word of it agrees; words that are negated ("未增加"),
that say both ("人员有增减"), or that sit in a clause about another year or a one-off
("上年一次性增加了…", which explains a decrease) are left out.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cache

import regex

from gouji.data import load_yaml
from gouji.patterns import alternation, re_
from gouji.records import dataclass


@dataclass(frozen=True)
class _ReasonCues:
    """The words that open, turn and negate a stated reason (reasons.yaml)."""

    word: regex.Pattern  # neutral | increase | decrease, longest first
    increase: frozenset[str]
    decrease: frozenset[str]
    negation: regex.Pattern
    other_time: regex.Pattern
    implicit: dict[str, regex.Pattern]


@cache
def _cues() -> _ReasonCues:
    c = load_yaml("cues.yaml")
    words = c["reason_neutral"] + c["reason_increase"] + c["reason_decrease"]
    return _ReasonCues(
        word=re_(alternation(words)),
        increase=frozenset(c["reason_increase"]),
        decrease=frozenset(c["reason_decrease"]),
        negation=re_(rf"(?:{alternation(c['reason_negation'])})$"),
        other_time=re_(alternation(c["reason_other_time"])),
        implicit={
            "decrease": re_(alternation(c["reason_implicit_decrease"])),
            "increase": re_(alternation(c["reason_implicit_increase"])),
        },
    )


CLAUSE_SPLIT = re_(r"[，,；;、。]")
ITEM_SPLIT = re_(r"[；;]|(?<![\d.])\d{1,2}[.、．](?!\d)|[一二三四五六七八九十]是")


def reason_direction(text: str, year: int | None = None) -> tuple[str | None, tuple[int, int] | None]:
    """The direction the reason's words describe and the span (in ``text``) of its first word.

    None when the reason names no direction or its direction words disagree. ``year`` is
    the document's year: a clause naming the year before speaks of that year.
    """
    cues = _cues()
    prior = re_(rf"{year - 1}\s*年") if year else None
    current = re_(rf"(?:{year}\s*年|本年|今年)") if year else None
    found: list[tuple[str, int, int]] = []
    split_starts = [x.start() for x in CLAUSE_SPLIT.finditer(text)]
    split_ends = [x + 1 for x in split_starts]
    for m in cues.word.finditer(text):
        w = m.group()
        if w in cues.increase:
            d = "increase"
        elif w in cues.decrease:
            d = "decrease"
        else:
            return None, None  # 增减: both ways
        if cues.negation.search(text[max(0, m.start() - 3) : m.start()]):
            continue
        k = bisect_right(split_ends, m.start())  # splits are one character: found once, looked up here
        clause_start = split_ends[k - 1] if k else 0
        j = bisect_left(split_starts, m.end())
        clause_end = split_starts[j] if j < len(split_starts) else len(text)
        clause = text[clause_start:clause_end]
        # "根据2021年实际支出情况减少了2022年…的预算": the change is of this year after all
        this_year = current is not None and current.search(text, m.end(), clause_end)
        if not this_year and (cues.other_time.search(clause) or (prior is not None and prior.search(clause))):
            continue
        found.append((d, m.start(), m.end()))
    dirs = {d for d, _, _ in found}
    if len(dirs) != 1:
        return None, None
    # "1.…编制了…经费；2.…压减…": an enumerated reason takes a direction only when
    # every item names one
    items = [x for x in ITEM_SPLIT.split(text) if x.strip()]
    if len(items) > 1 and any(not cues.word.search(x) for x in items):
        return None, None
    d = dirs.pop()
    other = "decrease" if d == "increase" else "increase"
    if cues.implicit[other].search(text):
        return None, None  # an opposite factor without a direction word: a mixed reason
    _, s, e = found[0]
    return d, (s, e)
