"""Checks of the document as a whole: prose left unread, no tables at all."""

from __future__ import annotations

from gouji.alignment.checks import Context
from gouji.alignment.findings import Finding
from gouji.alignment.registry import catalogue, check
from gouji.limits import limits


@check("document.text_cut", requires=("claims",))
def text_cut(ctx: Context) -> list[Finding]:
    """Prose past ``max_paragraph_chars`` (limits.yaml) was not read: say where, once per paragraph."""
    out = []
    limit = limits().max_paragraph_chars
    for start, end in ctx.claims.cut:
        out.append(
            Finding(
                check="document.text_cut",
                severity=catalogue()["document.text_cut"].severity,
                message=f"段落超过{limit:,}字，其后{end - start:,}字未读取、未核对（上限见 limits.yaml 的 max_paragraph_chars）。",
                span=(start, min(end, start + 80)),
                quote="",
            )
        )
    return out


@check("document.no_tables", requires=("tables",))
def no_tables(ctx: Context) -> list[Finding]:
    """No table other than a 目录 was found: nothing in the prose can be checked against one."""
    if any(t.rows and t.kind != "目录" for t in ctx.tables):
        return []
    return [
        Finding(
            check="document.no_tables",
            severity=catalogue()["document.no_tables"].severity,
            message="未识别出任何预算报表（收支总表、支出表等），无法核对文字与报表。",
            span=_first_line(ctx),
            quote="",
        )
    ]


def _first_line(ctx: Context) -> tuple[int, int]:
    doc = ctx.doc
    if doc.blocks:
        loc = doc.blocks[0].location
        return loc.start, min(loc.end, loc.start + 80)
    return 0, min(len(doc.text), 80)
