"""Plain-text report for the terminal: one block per problem (``report.problems``), wrapped to
the terminal's width with Chinese measured by display width."""

from __future__ import annotations

import re
import unicodedata

from gouji.alignment.registry import check_name, severity_rank
from gouji.alignment.review import Review
from gouji.labels import severities, severity_label
from gouji.report.problems import problems
from gouji.terminal import MIN_WIDTH, terminal_width

INDENT, BODY = "  ", "      "  # a line (a problem's header), then its message and what a line wraps to


# --- display width and wrapping -------------------------------------------------------


def char_width(ch: str) -> int:
    """Columns ``ch`` takes in a terminal: 2 for wide and full-width (CJK), 0 for combining
    and zero-width characters, else 1."""
    if unicodedata.east_asian_width(ch) in "WF":
        return 2
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 1


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (``char_width`` of each character)."""
    return sum(char_width(ch) for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` display columns (left-aligned)."""
    return text + " " * max(0, width - display_width(text))


# a line does not start with closing punctuation nor end with opening punctuation (禁则)
_CLOSING = set("，。、；：？！）】》〉」』〕”’…%‰,.;:?!)]}")
_OPENING = set("（【《〈「『〔“‘([{")
_QUOTES = set("“”‘’")  # narrow in most terminals, but punctuation, not part of a word
# a figure keeps its unit and its ordinal on its line: 3176.66万元, 2022年, 第394行
_AFTER_FIGURE = set("万亿千元%‰项条个张年月日倍行页次")
_ORDINAL = "第"
_SPACE = re.compile(r"\s+")


def _atoms(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into pieces no line break goes inside: a run of narrow characters (a
    number, a word), one wide character, one quote mark; each with whether a space precedes it."""
    out: list[tuple[str, bool]] = []
    space = False
    run = ""
    for ch in text:
        if ch == " ":
            if run:
                out.append((run, space))
                run = ""
            space = True
            continue
        if char_width(ch) == 1 and ch not in _QUOTES:
            run += ch
            continue
        if run:
            out.append((run, space))
            run, space = "", False
        if char_width(ch) == 0 and out:  # a combining mark stays with what it marks
            out[-1] = (out[-1][0] + ch, out[-1][1])
            continue
        out.append((ch, space))
        space = False
    if run:
        out.append((run, space))
    return out


def _units(text: str) -> list[tuple[str, bool]]:
    """The atoms of ``text`` joined where a break is not allowed; each with whether a space
    precedes it."""
    units: list[tuple[str, bool]] = []
    for atom, space in _atoms(text):
        if units and _no_break(units[-1][0][-1], atom[0], space):
            prev, prev_space = units[-1]
            units[-1] = (prev + (" " if space else "") + atom, prev_space)
        else:
            units.append((atom, space))
    return units


def _narrow_word(ch: str) -> bool:
    return char_width(ch) == 1 and ch not in _QUOTES


def _no_break(before: str, after: str, space: bool) -> bool:
    """Whether a line may not break between ``before`` and ``after`` (with a space between
    them or not): before closing punctuation, after opening punctuation, between a figure and
    its unit (3176.66万元, 2022 年) or 第 and its number; without a space, inside a run of
    narrow characters (a number, a word) and after a 科目 code in brackets."""
    if after in _CLOSING or before in _OPENING:
        return True
    if before.isdigit() or (before in "万亿千" and not space):
        return after in _AFTER_FIGURE
    if space:
        return False
    if before == "]":  # a 科目 code and its name: [21011]行政事业单位医疗
        return True
    return (before == _ORDINAL and after.isdigit()) or (_narrow_word(before) and _narrow_word(after))


def wrap(text: str, width: int, first: str = "", rest: str | None = None) -> list[str]:
    """``text`` in lines of at most ``width`` display columns: the first line begins with
    ``first``, the others with ``rest`` (default: as many spaces as ``first`` is wide). Breaks
    go at spaces and between Chinese characters, never inside a number or word (unless it is
    longer than a line) nor before a closing or after an opening punctuation mark. Runs of
    white space (new lines, tabs) are one space."""
    rest = " " * display_width(first) if rest is None else rest
    lines: list[str] = []
    line, used, prefix = first, display_width(first), first
    empty = True
    for unit, space in _units(_SPACE.sub(" ", text).strip()):
        w = display_width(unit)
        sep = 1 if space and not empty else 0
        if not empty and used + sep + w > width:
            lines.append(line.rstrip())
            line, used, prefix, empty, sep = rest, display_width(rest), rest, True, 0
        if empty and used + w > width:  # longer than a line: cut it where it must be cut
            for ch in unit:
                cw = char_width(ch)
                if used + cw > width and line != prefix:
                    lines.append(line)
                    line, used, prefix = rest, display_width(rest), rest
                line += ch
                used += cw
            empty = False
            continue
        line += " " * sep + unit
        used += sep + w
        empty = False
    lines.append(line.rstrip())
    return lines


# --- the report -----------------------------------------------------------------------


def _place(loc: dict) -> str:
    """第N页 where the document has pages (a PDF's own lines mean nothing to a reader), else 第N行."""
    if loc.get("page") is not None:
        return f"第{loc['page']}页"
    return f"第{loc['line']}行" if loc.get("line") is not None else ""



def _within_rounding(f: dict) -> bool:
    return bool((f.get("arithmetic") or {}).get("within_rounding"))


def _hidden_line(hidden: list[dict], by_id: dict[str, dict], min_severity: str) -> str:
    """What ``min_severity`` leaves out, and the option that shows it."""
    parts = []
    warnings = [p for p in hidden if p["severity"] == "warning"]
    if warnings:
        parts.append(f"{len(warnings)} 个{severity_label('warning')}（--min-severity warning 显示）")
    infos = [p for p in hidden if p["severity"] == "info"]
    rounding = [p for p in infos if all(_within_rounding(by_id[i]) for i in p["findings"])]
    hints = []
    if rounding:
        hints.append(f"{len(rounding)} 条舍入提示")
    if len(infos) > len(rounding):
        hints.append(f"{len(infos) - len(rounding)} 条{'其他' if rounding else ''}{severity_label('info')}")
    if hints:
        parts.append("、".join(hints) + "（--min-severity info 显示）")
    return "另有 " + "，".join(parts) if parts else ""


def to_text(review: Review, min_severity: str = "warning", width: int | None = None) -> str:
    """The document, then one block per problem at or above ``min_severity`` (worst first, then
    in document order), the totals, and what was left out; lines of at most ``width`` columns
    (default: the terminal's)."""
    width = terminal_width() if width is None else max(MIN_WIDTH, width)
    doc = review.document
    meta = doc.meta
    findings = [f.to_dict(doc) for f in review.findings]
    by_id = {f["id"]: f for f in findings}
    held = {f.id for f in review.findings if f.held_back}
    grouped = problems(findings)
    rank = {s: i for i, s in enumerate(severities())}
    ordered = sorted(grouped, key=lambda p: rank.get(p["severity"], len(rank)))  # stable: document order within a severity
    limit = severity_rank(min_severity)
    shown = [p for p in ordered if severity_rank(p["severity"]) <= limit]
    hidden = [p for p in ordered if severity_rank(p["severity"]) > limit]

    lines = wrap(doc.path, width, "", BODY)
    lines += wrap(
        f"{meta.unit_name or '（单位未识别）'} · {meta.year or '？'}年 · {meta.doc_kind or '？'}"
        f" · 报表 {sum(1 for t in review.tables if t.rows)} 张 · 金额陈述 {len(review.claims.claims)} 条",
        width,
        INDENT,
        BODY,
    )
    for p in shown:
        head = f"{p['id']} 【{severity_label(p['severity'])}】{check_name(p['check'])} · {_place(p.get('location') or {})}"
        if p["count"] > 1:
            head += f"（含 {p['count']} 条发现：{' '.join(p['findings'])}）"
        lines += wrap(head, width, INDENT, BODY)
        lines += wrap(p["message"], width, BODY)
    counts = {s: sum(1 for p in grouped if p["severity"] == s) for s in severities()}
    downgraded = sum(1 for p in grouped if p["severity"] == "warning" and held.intersection(p["findings"]))
    parts = []
    for s in severities():
        part = f"{counts[s]} 个{severity_label(s)}"
        if s == "warning" and downgraded:
            part += f"（其中 {downgraded} 个原为{severity_label('error')}，因依据未能确认而降级）"
        parts.append(part)
    lines += wrap(f"共 {len(grouped)} 个问题（{len(findings)} 条发现）：" + "，".join(parts), width, INDENT, BODY)
    note = _hidden_line(hidden, by_id, min_severity)
    if note:
        lines += wrap(note, width, INDENT, BODY)
    return "\n".join(lines)
