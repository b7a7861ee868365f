"""Checks that also say whether they could judge their checklist item.

Each records on the context (``Context.record_coverage``) whether the document gave it
something to evaluate, so the checklist can tell 合格 from 无法判断 (checks.yaml:
``coverage: true``). Their words are data: ``data/coverage_checks.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache, lru_cache

import regex

from gouji.alignment.checks import Context, _finding, fmt, prose_sum
from gouji.alignment.figures import norm_label
from gouji.alignment.findings import Finding
from gouji.alignment.messages import render
from gouji.alignment.registry import check
from gouji.alignment.sums import Relation, Term, evaluate
from gouji.alignment.table_checks import _cross_cfg, _locate, _total_row
from gouji.data import load_yaml
from gouji.ingest.document import Heading, Paragraph
from gouji.narrative.claims import Claim
from gouji.narrative.subjects import normalize
from gouji.patterns import re_
from gouji.quantities import vocabulary
from gouji.quantities.intervals import Interval, total
from gouji.tables.model import Table
from gouji.tables.structure import total_column

SENTENCE_RE = regex.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
CLAUSE_RE = regex.compile(r"[^，,。；;！!？?\n]+")
MONEY_RE = vocabulary.build(r"\d[\d,，]*(?:\.\d+)?\s*<<money_unit_short>>")
NO_PROSE = "文件没有可核对的文字说明（未提取到金额陈述）"


@cache
def _cfg() -> dict:
    return load_yaml("coverage_checks.yaml")


@lru_cache(maxsize=16384)
def _plain(text: str) -> str:
    return normalize(text or "")  # drops quotes and every whitespace character


@lru_cache(maxsize=16384)
def _definition(text: str) -> bool:
    return bool(re_(_cfg()["definition"]).search(_plain(text)))


def _prose_of(b: Paragraph) -> list[tuple[str, tuple[int, int]]]:
    return list(_sentences(b.text, b.location.start))


@lru_cache(maxsize=4096)  # every coverage check reads the same paragraphs
def _sentences(text: str, start: int) -> tuple[tuple[str, tuple[int, int]], ...]:
    return tuple(
        (_plain(m.group()), (start + m.start(), start + m.end())) for m in SENTENCE_RE.finditer(text) if not _definition(m.group())
    )


def _prose(ctx: Context) -> Iterator[list[tuple[str, tuple[int, int]]]]:
    """Paragraphs of the prose (no headings, tables or definitions) as their sentences,
    spaces removed, with spans."""
    in_definitions = False
    for b in ctx.doc.blocks:
        if isinstance(b, Heading):
            in_definitions = bool(re_(_cfg()["definition"]).search(_plain(b.text)))
            continue
        if not isinstance(b, Paragraph) or in_definitions:
            continue
        sentences = _prose_of(b)
        if sentences:
            yield sentences


def _prose_sentences(ctx: Context) -> Iterator[tuple[str, tuple[int, int]]]:
    for para in _prose(ctx):
        yield from para


def _prose_paragraphs(ctx: Context) -> Iterator[str]:
    """The prose of each section (between headings) as one text: a PDF line break may split a
    paragraph ("机关运行经费预算总计211" / "万元")."""
    section: list[str] = []
    in_definitions = False
    for b in ctx.doc.blocks:
        if isinstance(b, Heading):
            if section:
                yield "".join(section)
            section = []
            in_definitions = bool(re_(_cfg()["definition"]).search(_plain(b.text)))
        elif isinstance(b, Paragraph) and not in_definitions:
            section.extend(s for s, _ in _prose_of(b))
    if section:
        yield "".join(section)


def _own(ctx: Context, c: Claim) -> bool:
    """An amount the claim states for the document's own year (not a change, carry-over or base)."""
    if c.amount is None or c.malformed or c.amount.unit == "%":
        return False
    year = ctx.doc.meta.year
    if c.year is not None and year is not None and c.year != year:
        return False
    return not re_(_cfg()["not_own_figure"]).search(_plain(c.subject)) and not _definition(c.sentence)


def _none_about(sentence: str, pattern: regex.Pattern) -> bool:
    """The sentence says the subject is absent ("本单位不涉及机关运行经费")."""
    cfg = _cfg()
    return bool(pattern.search(sentence) and re_(cfg["none"]).search(sentence) and not re_(cfg["not_own_figure"]).search(sentence))


STATED_WINDOW = 60  # characters after a subject in which its amount must follow


def _stated_in_text(paragraph: str, pattern: regex.Pattern, stop: regex.Pattern | None = None) -> bool:
    """The paragraph names the subject and then its amount ("因公出国（境）费用。2026年预算数
    166.98万元", before any other subject of ``stop``), or says in a clause that it is absent."""
    cfg = _cfg()
    for m in CLAUSE_RE.finditer(paragraph):
        if pattern.search(m.group()) and _none_about(m.group(), pattern):
            return True
    for hit in pattern.finditer(paragraph):
        window = paragraph[hit.end() : hit.end() + STATED_WINDOW]
        other = (stop or pattern).search(window)
        if other:
            window = window[: other.start()]
        money = MONEY_RE.search(window)
        if money and not re_(cfg["not_own_figure"]).search(window[: money.start()]):
            return True
    return False


# ---------------------------------------------------------------- “三公”经费


@check("narrative.sangong_items")
def sangong_items(ctx: Context) -> list[Finding]:
    cid = "narrative.sangong_items"
    if not ctx.claims.claims:
        ctx.record_coverage(cid, False, NO_PROSE)
        return []
    cfg = _cfg()["sangong"]
    topic = re_(cfg["topic"])
    items = [(it["name"], re_(it["pattern"])) for it in cfg["items"]]
    own = [(c, _plain(c.subject)) for c in ctx.claims.claims if _own(ctx, c)]
    topic_claims = [c for c, s in own if topic.search(s) and not any(p.search(s) for _, p in items)]
    sentences = list(_prose_sentences(ctx))
    none_spans = [span for s, span in sentences if _none_about(s, topic)]
    if not topic_claims and not none_spans:
        ctx.record_coverage(cid, False, "文字说明未涉及“三公”经费")
        return []
    zero = next((c for c in topic_claims if c.amount.value == 0 and not c.part_of), None)
    if zero is not None or none_spans:
        ctx.record_coverage(cid, True, "文字说明“三公”经费为零或无，各分项均无")
        return []
    stop = re_("|".join([cfg["topic"], *(it["pattern"] for it in cfg["items"])]))
    paragraphs = list(_prose_paragraphs(ctx))
    missing = [
        name
        for name, p in items
        if not any(p.search(s) for _, s in own) and not any(_stated_in_text(t, p, stop) for t in paragraphs)
    ]
    ctx.record_coverage(cid, True, "已核对文字说明中“三公”经费的三个分项")
    if not missing:
        return []
    first = topic_claims[0]
    return [
        _finding(
            cid,
            first,
            first.span,
            fields={"subject": "“三公”经费", "stated": first.amount.text, "missing": "、".join(missing)},
            expected="、".join(name for name, _ in items),
            actual="未说明：" + "、".join(missing),
        )
    ]


# ---------------------------------------------------------------- 机关运行经费


@check("narrative.jiguan_explained")
def jiguan_explained(ctx: Context) -> list[Finding]:
    cid = "narrative.jiguan_explained"
    if not ctx.claims.claims:
        ctx.record_coverage(cid, False, NO_PROSE)
        return []
    if ctx.doc.meta.doc_kind is None:
        ctx.record_coverage(cid, False, "文件不是部门预算或决算公开（未识别出预算/决算），不要求说明机关运行经费")
        return []
    subject = re_(_cfg()["jiguan"]["subject"])
    ctx.record_coverage(cid, True, "已查找文字说明中的机关运行经费")
    if any(_own(ctx, c) and subject.search(_plain(c.subject)) for c in ctx.claims.claims):
        return []
    if any(_stated_in_text(t, subject) for t in _prose_paragraphs(ctx)):
        return []
    span = next(
        ((b.location.start, b.location.end) for b in ctx.doc.blocks if isinstance(b, Heading) and subject.search(_plain(b.text))),
        ctx.claims.claims[0].span,
    )
    return [
        _finding(
            cid,
            None,
            span,
            expected="机关运行经费的金额，或“无/不涉及”",
            actual="未说明",
        )
    ]


# ---------------------------------------------------------------- 政府采购


def _category(text: str) -> str | None:
    cfg = _cfg()["procurement"]
    t = _plain(text)
    if re_(cfg["not_category"]).search(t):
        return None
    hits = [c["name"] for c in cfg["categories"] if re_(c["pattern"]).search(t)]
    return hits[0] if len(hits) == 1 else None


def _by_category(claims: list[Claim]) -> dict[str, Claim]:
    out: dict[str, Claim] = {}
    for c in claims:
        cat = _category(c.subject)
        if cat and cat not in out:
            out[cat] = c
    return out


def _already_reported(ctx: Context, table: Table, cell) -> bool:
    """table.row_sum or table.total_row reported a relation with this total cell."""
    for f in ctx.findings_of("table.row_sum", "table.total_row"):
        for ev in f.evidence:
            if ev.get("role") == "total" and ev.get("table") == table.id and ev.get("location", {}).get("start") == cell.location.start:
                return True
    return False


def _table_relations(ctx: Context, t: Table) -> Iterator[tuple[Term, list[Term]]]:
    """货物/工程/服务 columns beside the total column (total row), or rows beside the total row."""
    row = _total_row(t)
    tcol = total_column(t)
    if row is None or tcol is None:
        return
    cols: dict[str, int] = {}
    for c in t.columns:
        cat = _category(c.path[-1] if c.path else "") if c.index != tcol else None
        if cat and cat not in cols:
            cols[cat] = c.index
    if len(cols) >= 2:
        terms = [_cell_term(t, row, k) for k in cols.values()]
        tot = _cell_term(t, row, tcol)
        if tot is not None and all(terms):
            yield tot, terms
            return
    rows: dict[str, Term] = {}
    for r in t.rows:
        if r is row or not r.name or len(_plain(r.name)) > 8:
            continue
        cat = _category(r.name)
        term = _cell_term(t, r, tcol) if cat else None
        if cat and term is not None and cat not in rows:
            rows[cat] = term
    tot = _cell_term(t, row, tcol)
    if len(rows) >= 2 and tot is not None:
        yield tot, list(rows.values())


def _cell_term(t: Table, row, col: int) -> Term | None:
    if col >= len(row.cells):
        return None
    cell = row.cells[col]
    if cell.value is not None and not cell.is_money:
        return None
    label = t.label_of(cell) or row.name or ""
    col_label = t.column(col).label if t.column(col) else ""
    return Term(t, row, cell, f"{label}（{col_label}）" if col_label else label)


@check("table.procurement_sum", requires=("amounts", "findings:table.row_sum", "findings:table.total_row"))
def procurement_sum(ctx: Context) -> list[Finding]:
    cid = "table.procurement_sum"
    cfg = _cfg()["procurement"]
    topic = re_(cfg["topic"])
    done: list[str] = []
    out: list[Finding] = []
    totals = [c for c in ctx.claims.claims if _own(ctx, c) and not c.part_of and topic.search(_plain(c.subject)) and not _category(c.subject)]
    for t_claim in totals:
        group = next((g for g in ctx.claims.groups if g.parent == t_claim.id and g.kind == "amount"), None)
        grouped = _by_category([ctx.by_id[p] for p in group.parts if p in ctx.by_id]) if group else {}
        if grouped:
            done.append(f"文字所述政府采购{t_claim.amount.text}及其分项（由 narrative.parts_sum 核对）")
            continue
        later = [
            c
            for c in ctx.claims.claims
            if c.section == t_claim.section
            and c.paragraph == t_claim.paragraph
            and c.span[0] > t_claim.span[0]
            and not c.part_of
            and _own(ctx, c)
        ]
        parts = _by_category(later)
        whole = ctx.amount(t_claim)
        ivs = [ctx.amount(c) for c in parts.values()]
        if len(parts) >= 2 and whole is not None and all(iv is not None for iv in ivs):
            done.append(f"文字所述政府采购{t_claim.amount.text}及其分项")
            s = total(ivs)
            if not s.overlaps(whole):
                texts = [c.amount.text for c in parts.values()]
                first, last = min(c.span[0] for c in parts.values()), max(c.span[1] for c in parts.values())
                out.append(
                    _finding(
                        cid,
                        t_claim,
                        (first, last),
                        "prose",
                        {"parts": " + ".join(texts), "result": fmt(s.mid), "whole": t_claim.amount.text},
                        expected=f"等于{t_claim.amount.text}",
                        actual=f"{fmt(s.mid)}万元",
                        tolerance=f"分项之和区间 {s}，总额区间 {whole}（万元）",
                        arithmetic=prose_sum(list(parts.values()), ivs, t_claim, whole, s),
                    )
                )
        elif t_claim.amount.value == 0:
            done.append("文字说明政府采购为0或无，各分项均无")
    if any(_none_about(s, topic) for s, _ in _prose_sentences(ctx)) and not totals:
        done.append("文字说明无政府采购，各分项均无")
    for t in ctx.tables:
        if t.kind != "政府采购表" or not t.rows:
            continue
        for tot, parts in _table_relations(ctx, t):
            done.append(f"{t.id}的政府采购合计及货物、工程、服务分项")
            f = evaluate(Relation(cid, tot, parts, f"{t.id}“{t.title or ''}”政府采购合计与货物、工程、服务之和"))
            if f is not None and not _already_reported(ctx, t, tot.cell):
                out.append(f)
    if done:
        ctx.record_coverage(cid, True, "已核对：" + "；".join(dict.fromkeys(done)))
    elif totals or any(t.kind == "政府采购表" and t.rows for t in ctx.tables):
        ctx.record_coverage(cid, False, "文件列出了政府采购，但未按货物、工程、服务分列金额")
    else:
        ctx.record_coverage(cid, False, "文件中未找到政府采购总额及其货物、工程、服务分项")
    return out


# ---------------------------------------------------------------- 绩效目标 vs 项目支出


def _projects_total(tables: list[Table]) -> Term | None:
    name = _cfg()["performance"]["projects_total"]
    entry = next((q for q in _cross_cfg().get("table_sums", []) if q["id"] == name), None)
    if entry is None:
        return None
    for spec in entry["total"]:
        for t in tables:
            if t.kind == spec["kind"] and t.rows:
                term = _locate(t, spec, False)
                if term is not None:
                    return term
    return None


def _funds(t: Table, pattern: regex.Pattern) -> Term | None:
    """The first figure right of a label matching ``pattern`` (绩效目标表 columns are not money
    columns: the label says the figure is money)."""
    for row in t.rows:
        for k, cell in enumerate(row.cells):
            if cell.value is not None or not pattern.search(norm_label(cell.text)):
                continue
            for c in row.cells[k + 1 :]:
                if c.value is not None:
                    return Term(t, row, c, cell.text.strip())
                if c.text.strip():
                    break
    return None


def _listed_funds(t: Table, column: regex.Pattern) -> list[Term]:
    """A table listing projects one per row, their funds in a column ("预算数（单位：万元）"):
    the figures of that column (its 合计 row instead, when there is one)."""
    col = next((c.index for c in t.columns if c.path and column.search(norm_label(c.path[-1]))), None)
    if col is None:
        return []
    terms = []
    for row in t.rows:
        if col < len(row.cells) and row.cells[col].value is not None:
            term = Term(t, row, row.cells[col], row.name or "")
            if row.is_total:
                return [term]
            terms.append(term)
    return terms


@check("table.performance_within_projects", requires=("findings:table.cross",))
def performance_within_projects(ctx: Context) -> list[Finding]:
    cid = "table.performance_within_projects"
    cfg = _cfg()["performance"]
    name = cfg["projects_total"]
    projects = [
        t
        for t in ctx.tables
        if t.kind == "绩效目标表"
        and re_(cfg["project_title"]).search(_plain(t.title))
        and not re_(cfg["not_project_title"]).search(_plain(t.title))
    ]
    if not projects:
        ctx.record_coverage(cid, False, "文件中没有项目绩效目标表")
        return []
    whole = _projects_total(ctx.tables)
    if whole is None:
        ctx.record_coverage(cid, False, "未找到项目支出合计（支出总表、一般公共预算支出表或项目支出表）")
        return []
    found: list[Term] = []
    missing: list[Table] = []
    for t in projects:
        term = next((x for pat in cfg["annual_funds"] for x in [_funds(t, re_(pat))] if x is not None), None)
        listed = _listed_funds(t, re_(cfg["list_column"])) if term is None else []
        if term is not None:
            found.append(term)
        elif listed:
            found.extend(listed)
        else:
            missing.append(t)
    if not found:
        ctx.record_coverage(cid, False, f"项目绩效目标表（{len(projects)}张）均未列出年度资金")
        return []
    s: Interval = total([p.interval for p in found])
    if s.lo > whole.interval.hi:
        ctx.record_coverage(cid, True, f"{len(found)}张项目绩效目标表的年度资金之和超过项目支出")
        kinds = {t.id: t.kind for t in ctx.tables}
        if any(
            f.severity == "error" and f.difference is not None and f.difference > 0
            and any(ev.get("role") == "part" and kinds.get(ev.get("table")) == "绩效目标表" for ev in f.evidence)
            for f in ctx.findings_of("table.cross")
        ):  # fmt: skip
            return []  # table.cross reported the same excess
        f = evaluate(Relation(cid, whole, found, f"{name}：{len(found)}张项目绩效目标表之和超过项目支出"))
        if f is None:
            return []
        if missing:
            f.message += render(cid, "unlisted", count=len(missing))
            f.fields["unlisted"] = str(len(missing))
        return [f]
    if missing:
        ctx.record_coverage(
            cid, False, f"{len(missing)}张项目绩效目标表未列年度资金，其余{len(found)}张之和 {fmt(s.mid)} 万元未超过项目支出 {whole.shown}"
        )
        return []
    ctx.record_coverage(
        cid, True, f"项目绩效目标表（{len(projects)}张）所列{len(found)}项年度资金之和 {fmt(s.mid)} 万元未超过项目支出 {whole.shown}"
    )
    return []
