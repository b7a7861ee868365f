"""What a stated reason says by itself: the direction of change it describes, the amounts it cites.

"减少3176.66万元，主要原因为：今年部门预算增加了新冠病毒疫苗及接种财政补助资金3000万元" —
the reason describes an increase; the statement a decrease. The direction of a reason is
only taken when every direction word of it agrees; words that are negated ("未增加"),
that say both ("人员有增减"), or that sit in a clause about another year or a one-off
("上年一次性增加了…", which explains a decrease) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from gouji.data import load_yaml


def _alt(words: list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _ReasonCues:
    word: regex.Pattern  # neutral | increase | decrease, longest first
    increase: frozenset[str]
    decrease: frozenset[str]
    negation: regex.Pattern
    other_time: regex.Pattern


@cache
def _cues() -> _ReasonCues:
    c = load_yaml("cues.yaml")
    words = c["reason_neutral"] + c["reason_increase"] + c["reason_decrease"]
    return _ReasonCues(
        word=regex.compile(_alt(words)),
        increase=frozenset(c["reason_increase"]),
        decrease=frozenset(c["reason_decrease"]),
        negation=regex.compile(rf"(?:{_alt(c['reason_negation'])})$"),
        other_time=regex.compile(_alt(c["reason_other_time"])),
    )


CLAUSE_SPLIT = regex.compile(r"[，,；;、。]")


def reason_direction(text: str) -> tuple[str | None, tuple[int, int] | None]:
    """The direction the reason's words describe and the span (in ``text``) of its first word.

    None when the reason names no direction or its direction words disagree.
    """
    cues = _cues()
    found: list[tuple[str, int, int]] = []
    for m in cues.word.finditer(text):
        w = m.group()
        if w in cues.increase:
            d = "increase"
        elif w in cues.decrease:
            d = "decrease"
        else:
            return None, None  # 增减: both ways
        if cues.negation.search(text[max(0, m.start() - 2) : m.start()]):
            continue
        clause_start = max((x.end() for x in CLAUSE_SPLIT.finditer(text, 0, m.start())), default=0)
        clause_end = next((x.start() for x in CLAUSE_SPLIT.finditer(text, m.end())), len(text))
        if cues.other_time.search(text[clause_start:clause_end]):
            continue
        found.append((d, m.start(), m.end()))
    dirs = {d for d, _, _ in found}
    if len(dirs) != 1:
        return None, None
    _, s, e = found[0]
    return dirs.pop(), (s, e)
