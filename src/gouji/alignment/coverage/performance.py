"""The annual funds of the project 绩效目标表 within the 项目支出 total
(``table.performance_within_projects``)."""

from __future__ import annotations

import regex

from gouji.alignment.checks import Context, fmt
from gouji.alignment.coverage.prose import coverage_cfg, plain
from gouji.alignment.figures import norm_label
from gouji.alignment.findings import Finding
from gouji.alignment.messages import render
from gouji.alignment.registry import check
from gouji.alignment.sums import Relation, Term, evaluate
from gouji.alignment.table_terms import cross_cfg, locate
from gouji.patterns import re_
from gouji.quantities.intervals import Interval, total
from gouji.tables.model import Table


def _projects_total(tables: list[Table]) -> Term | None:
    name = coverage_cfg()["performance"]["projects_total"]
    entry = next((q for q in cross_cfg().get("table_sums", []) if q["id"] == name), None)
    if entry is None:
        return None
    for spec in entry["total"]:
        for t in tables:
            if t.kind == spec["kind"] and t.rows:
                term = locate(t, spec, False)
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
    cfg = coverage_cfg()["performance"]
    name = cfg["projects_total"]
    projects = [
        t
        for t in ctx.tables
        if t.kind == "绩效目标表"
        and re_(cfg["project_title"]).search(plain(t.title))
        and not re_(cfg["not_project_title"]).search(plain(t.title))
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
