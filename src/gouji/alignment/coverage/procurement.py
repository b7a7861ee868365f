"""政府采购 against its 货物, 工程 and 服务, in the prose and in the 政府采购表
(``table.procurement_sum``)."""

from __future__ import annotations

from collections.abc import Iterator

from gouji.alignment.checks import Context, claim_finding, fmt, prose_sum
from gouji.alignment.coverage.prose import (
    coverage_cfg,
    is_own_amount,
    none_about,
    plain,
    prose_sentences,
)
from gouji.alignment.findings import Finding
from gouji.alignment.registry import check
from gouji.alignment.sums import Relation, Term, evaluate
from gouji.alignment.table_terms import total_row_of
from gouji.narrative.claims import Claim
from gouji.patterns import re_
from gouji.quantities.intervals import total
from gouji.tables.model import Table
from gouji.tables.structure import total_column


def _category(text: str) -> str | None:
    cfg = coverage_cfg()["procurement"]
    t = plain(text)
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
    row = total_row_of(t)
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
        if r is row or not r.name or len(plain(r.name)) > 8:
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
    cfg = coverage_cfg()["procurement"]
    topic = re_(cfg["topic"])
    done: list[str] = []
    out: list[Finding] = []
    totals = [c for c in ctx.claims.claims if is_own_amount(ctx, c) and not c.part_of and topic.search(plain(c.subject)) and not _category(c.subject)]
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
            and is_own_amount(ctx, c)
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
                    claim_finding(
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
    if any(none_about(s, topic) for s, _ in prose_sentences(ctx)) and not totals:
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
