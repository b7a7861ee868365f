"""Checks of the document as a whole: prose left unread, no tables at all."""

from __future__ import annotations

from gouji.alignment.checks import Context
from gouji.alignment.findings import Finding
from gouji.alignment.messages import finding
from gouji.alignment.registry import check
from gouji.limits import limits


@check("document.text_cut", requires=("claims",))
def text_cut(ctx: Context) -> list[Finding]:
    """Prose past ``max_paragraph_chars`` (limits.yaml) was not read: say where, once per paragraph."""
    out = []
    limit = limits().max_paragraph_chars
    for start, end in ctx.claims.cut:
        fields = {"limit": f"{limit:,}", "rest": f"{end - start:,}"}
        out.append(finding("document.text_cut", (start, min(end, start + 80)), fields=fields))
    return out


@check("document.no_tables", requires=("tables",))
def no_tables(ctx: Context) -> list[Finding]:
    """No table other than a 目录 was found: nothing in the prose can be checked against one."""
    if any(t.rows and t.kind != "目录" for t in ctx.tables):
        return []
    return [finding("document.no_tables", _first_line(ctx))]


def _first_line(ctx: Context) -> tuple[int, int]:
    doc = ctx.doc
    if doc.blocks:
        loc = doc.blocks[0].location
        return loc.start, min(loc.end, loc.start + 80)
    return 0, min(len(doc.text), 80)
