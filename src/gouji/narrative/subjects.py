"""Subjects: the thing an amount is about, cleaned from the words before it and resolved
to a budget quantity of ``data/subjects.yaml``."""

from __future__ import annotations

from functools import lru_cache

from gouji.narrative.lexicon import lexicon
from gouji.patterns import re_

CODE_IN_PARENS_RE = re_(r"[（(]\s*(?P<code>[2-5]\d{2}(?:\d{2}){0,2})\s*[)）]")
LIST_MARKER_RE = re_(
    r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．]|[一二三四五六七八九十]是|第[一二三四五六七八九十]+[，,、]?)"
)
YEAR_RE = re_(r"20\d\d年(?:度)?")
# a 科目 code leading the name with a dash ("2080501-行政单位离退休")
CODE_LEAD_RE = re_(r"^[\[【]?(?P<code>[2-5]\d{2}(?:\d{2}){0,2})[\]】]?\s*[-－—–]\s*(?=\p{Han})")
QUOTES_RE = re_(r"[“”\"'‘’「」\s]")


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    return QUOTES_RE.sub("", text)


def clean_subject(pre: str, unit_name: str | None) -> tuple[str, str | None]:
    """Strip list markers, years, the unit's name and filler words; return (subject, code)."""
    lex = lexicon()
    code = None
    m = CODE_IN_PARENS_RE.search(pre)
    if m:
        code = m.group("code")
        pre = pre[: m.start()] + pre[m.end() :]
    s = normalize(pre)
    s = re_(r"^[，,；;：:、。]+").sub("", s)
    pm = lex.parts_cue.match(s)
    if pm:
        s = s[pm.end() :].lstrip("：:，,")
    for _ in range(12):
        if resolve_subject(s)[1]:
            break
        before = s
        s = LIST_MARKER_RE.sub("", s)
        s = YEAR_RE.sub("", s)
        if unit_name:
            s = s.replace(normalize(unit_name), "")
        s = s.lstrip("：:，,、 ")
        if s != before:
            continue
        for w in sorted(lex.cues["subject_leading"], key=len, reverse=True):
            if s.startswith(w) and len(s) > len(w):
                s = s[len(w) :]
                break
        if s != before or resolve_subject(s)[1]:
            continue
        for w in sorted(lex.cues["subject_trailing"], key=len, reverse=True):
            if s.endswith(w) and len(s) > len(w):
                s = s[: -len(w)]
                break
        if s == before:
            break
    if code is None and (cm := CODE_LEAD_RE.match(s)):
        code, s = cm.group("code"), s[cm.end() :]
    s = s.strip("：:，,、 ")
    # an unmatched bracket at either end ("(公务用车购置费 0 万元，…)") is not part of the name
    # (a lone bracket stays: it marks a subject the extractor cannot name, not an empty one)
    if len(s) > 1 and s.startswith(("(", "（")) and not any(c in s for c in ")）"):
        s = s[1:]
    if len(s) > 1 and s.endswith((")", "）")) and not any(c in s for c in "(（"):
        s = s[:-1]
    if s in lex.cues["empty_subjects"]:
        s = ""
    return s, code


@lru_cache(maxsize=1)
def _alias_ids() -> dict[str, str]:
    """Each alias as compared, to the id of the first subject (in file order) naming it."""
    ids: dict[str, str] = {}
    for subj in lexicon().subjects:
        for a in subj["aliases"]:
            ids.setdefault(normalize(a), subj["id"])
    return ids


@lru_cache(maxsize=16384)
def resolve_subject(subject: str) -> tuple[str | None, bool]:
    """Map a cleaned subject to a subject id; (id, exact?). Exact: the subject is an alias;
    loose: a qualifier of ``cues.yaml`` ``loose_qualifiers`` before an alias ("本年收入总计"),
    the longest alias winning."""
    s = normalize(subject)
    if not s:
        return None, False
    ids = _alias_ids()
    if s in ids:
        return ids[s], True
    best: tuple[int, str] | None = None
    for q in lexicon().cues["loose_qualifiers"]:
        if q and s.startswith(q) and (sid := ids.get(s[len(q) :])) is not None and (best is None or len(q) < best[0]):
            best = (len(q), sid)
    return (best[1], False) if best else (None, False)


def is_blocked(subject_region: str) -> bool:
    return bool(lexicon().blockers.search(subject_region))


__all__ = ["clean_subject", "resolve_subject", "normalize", "is_blocked"]
