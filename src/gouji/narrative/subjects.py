"""Subjects: the thing an amount is about, cleaned from the words before it and resolved
to a budget quantity of ``data/subjects.yaml``."""

from __future__ import annotations

import regex

from gouji.narrative.lexicon import _alt, lexicon

CODE_IN_PARENS_RE = regex.compile(r"[（(]\s*(?P<code>[2-5]\d{2}(?:\d{2}){0,2})\s*[)）]")
LIST_MARKER_RE = regex.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．]|[一二三四五六七八九十]是|第[一二三四五六七八九十]+[，,、]?)"
)
YEAR_RE = regex.compile(r"20\d\d年(?:度)?")
EMPTY_SUBJECTS = {"预算", "决算", "上年", "去年", "预算数", "决算数", "执行数", "年初预算"}
# A loose match keeps only these qualifiers in front of an alias ("一般公共预算基本支出").
LOOSE_QUALIFIERS = ("一般公共预算", "一般公共预算财政拨款", "财政拨款", "部门", "本部门", "年初", "本年", "当年")
QUOTES_RE = regex.compile(r"[“”\"'‘’「」\s]")


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
    s = regex.sub(r"^[，,；;：:、。]+", "", s)
    for cue in ("其中", "包括", "主要用于", "具体为", "分别为"):
        if s.startswith(cue):
            s = s[len(cue) :].lstrip("：:，,")
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
    if s in EMPTY_SUBJECTS:
        s = ""
    return s.strip("：:，,、 "), code


def _alias_index() -> list[tuple[str, str]]:
    pairs = []
    for subj in lexicon().subjects:
        for a in subj["aliases"]:
            pairs.append((normalize(a), subj["id"]))
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


_ALIASES: list[tuple[str, str]] | None = None


def resolve_subject(subject: str) -> tuple[str | None, bool]:
    """Map a cleaned subject to a subject id; (id, exact?)."""
    global _ALIASES
    if _ALIASES is None:
        _ALIASES = _alias_index()
    s = normalize(subject)
    if not s:
        return None, False
    for alias, sid in _ALIASES:
        if s == alias:
            return sid, True
    for alias, sid in _ALIASES:
        if s.endswith(alias) and s[: -len(alias)] in LOOSE_QUALIFIERS:
            return sid, False
    return None, False


def is_blocked(subject_region: str) -> bool:
    return bool(lexicon().blockers.search(subject_region))


__all__ = ["clean_subject", "resolve_subject", "normalize", "is_blocked", "_alt"]
