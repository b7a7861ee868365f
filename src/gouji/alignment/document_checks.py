"""Checks of the document as a whole: prose left unread, no tables at all, titles of another year."""

from __future__ import annotations

from gouji.alignment.checks import Context
from gouji.alignment.findings import Finding
from gouji.alignment.messages import finding
from gouji.alignment.registry import catalogue, check
from gouji.ingest.document import Heading, Paragraph
from gouji.limits import limits
from gouji.patterns import re_


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


TITLE_SEARCH = 600  # characters before a table in which its title line is looked for


@check("document.heading_year")
def heading_year(ctx: Context) -> list[Finding]:
    """A heading or table title naming a year the document does not cover (checks.yaml
    ``params.allowed`` by kind), and in a 决算 an as-of date that is not its year-end."""
    cid = "document.heading_year"
    y, kind = ctx.doc.meta.year, ctx.doc.meta.doc_kind
    params = catalogue()[cid].params
    if not y or kind not in params["allowed"]:
        return []
    allowed = {y + k for k in params["allowed"][kind]}
    year_re = re_(params["year"])
    out = []

    def title(text: str, start: int, where: str) -> None:
        for m in year_re.finditer(text):
            if int(m["year"]) not in allowed:
                span = (start + m.start(), start + m.end())
                fields = {"year": y, "kind": kind, "where": where, "text": text.strip(), "stated": m["year"]}
                out.append(finding(cid, span, "title", fields, quote=text.strip()[:200], expected=f"{y}年", actual=f"{m['year']}年"))
                return

    for b in ctx.doc.blocks:
        if isinstance(b, Heading):
            title(b.text, b.location.start, "标题")
    for t in ctx.tables:
        if not t.title:
            continue
        at = ctx.doc.text.rfind(t.title, max(0, t.location.start - TITLE_SEARCH), t.location.start + len(t.title) + TITLE_SEARCH)
        if at >= 0:
            title(t.title, at, f"报表{t.id}名称")
    if kind in params["as_of_kinds"]:
        as_of = re_(params["as_of"])
        for b in ctx.doc.blocks:
            if not isinstance(b, Paragraph):
                continue
            for m in as_of.finditer(b.text):
                if int(m["year"]) != y:
                    span = (b.location.start + m.start(), b.location.start + m.end())
                    fields = {"year": y, "stated": m["year"]}
                    out.append(finding(cid, span, "as_of", fields, quote=b.text.strip()[:200], expected=f"截至{y}年12月31日", actual=m.group()))
    return out
