"""Checks of the tables against the 目录 and the kind of document: a table listed or required
but absent (``document.missing_table``), an empty table without a stated reason
(``document.empty_table``)."""

from __future__ import annotations

from collections import Counter
from functools import cache

import regex

from gouji.alignment.checks import Context
from gouji.alignment.findings import Finding
from gouji.alignment.messages import finding
from gouji.alignment.registry import catalogue, check
from gouji.alignment.table_terms import kinds_cfg
from gouji.ingest.document import Heading, Paragraph, RawTable
from gouji.patterns import re_
from gouji.tables.model import Table
from gouji.tables.toc import TitleLines, TocEntry, match_entry, read_toc


def _reported_kinds(entries: list[TocEntry]) -> set[str]:
    return {e.kind for e in entries if e.kind}


@check("document.missing_table")
def missing_table(ctx: Context) -> list[Finding]:
    """A table the 目录 lists, or a kind of document requires, is absent."""
    out = []
    unit = ctx.doc.meta.unit_name
    entries = read_toc(ctx.tables, ctx.doc)
    spec = catalogue()["document.missing_table"]
    present = {t.kind for t in ctx.tables if t.kind and t.kind != "目录"}
    if entries and not any(True for t in ctx.tables if t.kind != "目录" for _ in t.money_cells()):
        # no table at all: one finding, not one per entry (tables published as an attachment)
        e = entries[0]
        span = (e.location.start, e.location.end)
        return [finding("document.missing_table", span, "none_present", {"count": len(entries)}, expected=e.name)]
    lines = TitleLines(ctx.doc)
    kinds_listed = Counter(e.kind for e in entries if e.kind)
    for e in entries:
        if match_entry(e, ctx.tables, unit) is not None or lines.after(e):
            continue
        if kinds_listed[e.kind] == 1 and e.kind in present:
            continue  # the one table of its kind the 目录 lists, under a title worded otherwise
        if e.empty and e.reason:
            sev, variant = "info", "empty_with_reason"
        elif e.empty:
            sev, variant = spec.severity, "empty_without_reason"
        else:
            sev, variant = spec.severity, "not_found"
        span = (e.location.start, e.location.end)
        fields = {"name": e.name, "reason": e.reason or ""}
        out.append(finding("document.missing_table", span, variant, fields, severity=sev, expected=e.name))
    required = kinds_cfg()["required"].get(ctx.doc.meta.doc_kind or "", [])
    budget_tables = sum(1 for t in ctx.tables if t.kind in required)
    if budget_tables >= 3:
        listed = _reported_kinds(entries)
        for kind in required:
            if kind in present or kind in listed:
                continue
            span = _first_table_span(ctx)
            fields = {"kind_of_document": ctx.doc.meta.doc_kind, "kind": kind}
            out.append(finding("document.missing_table", span, "required", fields, expected=kind))
    return out


def _first_table_span(ctx: Context) -> tuple[int, int]:
    t = next((t for t in ctx.tables if t.kind != "目录"), None)
    if t is None:
        return (0, 0)
    return (t.location.start, min(t.location.end, t.location.start + 40))


@cache
def _reason_re() -> regex.Pattern:
    return re_(kinds_cfg()["empty_reason"])


def _is_empty(t: Table) -> bool:
    return not any(True for _ in t.money_cells())


@check("document.empty_table")
def empty_table(ctx: Context) -> list[Finding]:
    """An empty table with no stated reason (in the 目录, a note by the table, or the prose)."""
    topics = kinds_cfg()["empty_topics"]
    entries = read_toc(ctx.tables, ctx.doc)
    unit = ctx.doc.meta.unit_name
    out = []
    for t in ctx.tables:
        if t.kind not in topics or not _is_empty(t):
            continue
        entry = next((e for e in entries if match_entry(e, [t], unit) is t), None)
        if entry is not None and entry.empty and entry.reason:
            continue
        if _note_near(ctx, t) or _prose_reason(ctx, topics[t.kind]):
            continue
        span = (t.location.start, min(t.location.end, t.location.start + 40))
        title = t.title or t.id
        out.append(finding("document.empty_table", span, fields={"table": t.id, "title": title}))
    return out


def _note_near(ctx: Context, t: Table) -> bool:
    """A note right after the table (or in its captions) saying why it is empty."""
    # caption lines above the title are the previous table's notes
    own = t.captions[t.captions.index(t.title) + 1 :] if t.title in t.captions else []
    if any(_reason_re().search(c) for c in own):
        return True
    blocks = ctx.doc.blocks
    after = [b for b in blocks if b.location.start >= t.location.end]
    for b in after[:4]:
        if isinstance(b, RawTable | Heading):
            break
        if isinstance(b, Paragraph) and _reason_re().search(b.text.replace(" ", "")):
            return True
    return False


def _prose_reason(ctx: Context, topic_words: list[str]) -> bool:
    """A sentence of the prose that names the table's subject and says there is none."""
    for b in ctx.doc.blocks:
        if not isinstance(b, Paragraph):
            continue
        for sentence in re_(r"[。；;]").split(b.text.replace(" ", "")):
            for w in topic_words:
                k = sentence.find(w)
                if k < 0:
                    continue
                if _reason_re().search(sentence[max(0, k - 12) : k]):
                    return True
                # "政府性基金拨款支出预算为 0": the prose gives the table's subject as zero
                if re_(kinds_cfg()["empty_zero"]).search(sentence[k + len(w) : k + len(w) + ZERO_WINDOW]):
                    return True
    return False


ZERO_WINDOW = 16  # characters after the subject in which its zero amount is stated
