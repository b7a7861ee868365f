"""The same quantity shown in two tables agrees (``table.cross``): the quantities, 科目 and
sums of tables of ``cross_checks.yaml``, compared within comparable fund scopes."""

from __future__ import annotations

from decimal import Decimal

from gouji.alignment.checks import Context, fmt
from gouji.alignment.evidence import STRUCTURE, named_doubt, words
from gouji.alignment.findings import Finding
from gouji.alignment.registry import check
from gouji.alignment.sums import Relation, Term, evaluate
from gouji.alignment.table_terms import col_name, cross_cfg, locate, term_at
from gouji.patterns import re_
from gouji.quantities.intervals import Interval
from gouji.records import dataclass
from gouji.tables.model import Table
from gouji.tables.structure import code_rows, total_column


@dataclass
class Located:
    term: Term
    scope: str


def _table_scope(t: Table, default: str) -> str:
    """The fund scope a table covers: the one its title names (a “财政拨款支出表” taken for the
    kind 一般公共预算支出表 covers all 财政拨款), else its kind's (cross_checks.yaml)."""
    title = (t.title or "").replace(" ", "")
    for entry in cross_cfg()["title_scopes"]:
        if entry["word"] in title:
            return entry["scope"]
    return default


def _figure_scope(t: Table, spec: dict) -> str:
    """The fund scope of a figure located by ``spec``: its table's, except that the total
    column of a table whose total row shows money other than appropriations (单位资金 234.34
    beside 财政拨款 in a 基本支出预算情况表) covers all funds, whatever its kind's default. Such
    columns left at 0 change nothing: the total is then the appropriations'."""
    scope = _table_scope(t, spec["scope"])
    if scope != spec["scope"] or spec.get("column") != "total":
        return scope  # a scope the title names, or a column other than the total
    other = cross_cfg()["other_funds"]
    others = {c.index for c in t.columns if any(w in part for part in c.path for w in other["columns"])}
    total = next((r for r in t.rows if r.is_total), None)
    if total is not None and any(c.col in others and c.is_money and c.value for c in total.cells):
        return other["scope"]
    return scope


def _scope_totals(tables: list[Table]) -> dict[str, Decimal]:
    """The grand total of each fund scope (全部资金, 财政拨款, 一般公共预算), when the tables that
    show it agree on it: two scopes with equal totals hold the same money and are compared.
    Tables of one kind that disagree (a 财政拨款 table taken for a 一般公共预算 one) leave the
    scope's total unknown, and its figures are compared only within the scope."""
    out: dict[str, Decimal] = {}
    for scope, specs in cross_cfg()["scopes"].items():
        seen = {
            term.wan
            for spec in specs
            for t in tables
            if t.kind == spec["kind"] and _table_scope(t, scope) == scope
            for term in [locate(t, spec, False)]
            if term
        }
        if len(seen) == 1:
            out[scope] = seen.pop()
    return out


def _comparable(a: str, b: str, totals: dict[str, Decimal]) -> bool:
    return a == b or (a in totals and b in totals and totals[a] == totals[b])


@check("table.cross")
def cross(ctx: Context) -> list[Finding]:
    """The same quantity shown in two tables agrees."""
    tables = [t for t in ctx.tables if t.rows]
    totals = _scope_totals(tables)
    out = []
    for q in cross_cfg()["quantities"]:
        found: list[Located] = []
        for spec in q["figures"]:
            for t in tables:
                if t.kind != spec["kind"]:
                    continue
                term = locate(t, spec, bool(q.get("blank_is_zero")))
                if term is not None and not any(x.term.cell is term.cell for x in found):
                    found.append(Located(term, _figure_scope(t, spec)))
        out.extend(_compare(q["id"], found, totals))
    out.extend(_code_cross(tables, totals))
    out.extend(_table_sums(tables))
    return out


def _table_sums(tables: list[Table]) -> list[Finding]:
    out = []
    for q in cross_cfg().get("table_sums", []):
        pspec = q["parts"]
        members = [t for t in tables if t.kind == pspec["kind"] and re_(pspec["title"]).search(t.title or "")]
        parts = [locate(t, pspec, False) for t in members]
        if not parts or any(p is None for p in parts):
            continue
        total = next(
            (term for spec in q["total"] for t in tables if t.kind == spec["kind"] for term in [locate(t, spec, False)] if term),
            None,
        )
        if total is None:
            continue
        f = evaluate(Relation("table.cross", total, [p for p in parts if p], f"{q['id']}：各表之和"))
        if f:
            if sum((p.wan for p in parts if p), Decimal(0)) < total.wan:
                f.chain.append(named_doubt(STRUCTURE, "projects_subset", total.table.id))
            out.append(f)
    return out


def _compare(name: str, found: list[Located], totals: dict[str, Decimal]) -> list[Finding]:
    """Each figure against the value most of the comparable figures show."""
    out = []
    for x in found:
        peers = [r for r in found if _comparable(r.scope, x.scope, totals)]
        if len(peers) < 2:
            continue
        votes: dict[Decimal, int] = {}
        for r in peers:
            votes[r.term.wan] = votes.get(r.term.wan, 0) + 1
        mode = max(votes, key=lambda v: (votes[v], -next(i for i, r in enumerate(peers) if r.term.wan == v)))
        ref = next(r for r in peers if r.term.wan == mode)
        if ref is x or _unit_assumed_same_digits(x.term, ref.term):
            continue
        f = evaluate(Relation("table.cross", x.term, [ref.term], f"{name}在两张表中"))
        if f:
            explained = _difference_published(x.term, ref.term)
            if explained is not None:
                f.chain.append(explained)
            out.append(f)
    return out


def _difference_published(a: Term, b: Term):
    """A doubt when the difference of two figures is published beside one of them, in its row
    and a column of a source of funds (单位资金 3,231.89 in the 合计 row of a 基本支出表 covering
    all sources, against the 财政拨款 基本支出 of another table): the two tables likely cover
    different scopes."""
    diff = a.interval - b.interval
    mag = diff if diff.lo >= 0 else Interval(-diff.hi, -diff.lo)
    if mag.lo <= 0:
        return None
    scope_words = words()["scope_columns"]
    for t, row in ((a.table, a.row), (b.table, b.row)):
        for cell in row.cells:
            if cell is a.cell or cell is b.cell or not cell.is_money or not cell.value:
                continue
            if not any(w in col_name(t, cell.col) for w in scope_words):
                continue  # a spending category (公用经费 counted as 人员经费) is a defect, not a scope
            term = Term(t, row, cell, "")
            if term.interval.overlaps(mag):
                label = "/".join(x for x in (t.label_of(cell) or row.name or "", col_name(t, cell.col)) if x)
                return named_doubt(STRUCTURE, "difference_published", t.id, diff=fmt(abs(a.wan - b.wan)), table=t.title or t.id, label=label)
    return None


def _unit_assumed_same_digits(a: Term, b: Term) -> bool:
    """The same digits in two tables, one of which states no unit: the assumed 万元 is what
    differs, not the figure."""
    same = a.cell.value is not None and a.cell.value == b.cell.value
    return same and (a.table.unit is None or b.table.unit is None)


def _code_cross(tables: list[Table], totals: dict[str, Decimal]) -> list[Finding]:
    specs = cross_cfg()["code_tables"]
    located: dict[str, list[Located]] = {}
    for spec in specs:
        for t in tables:
            if t.kind != spec["kind"]:
                continue
            col = total_column(t)
            if col is None:
                continue
            for code, row in code_rows(t).items():
                if not code.startswith("2"):
                    continue
                term = term_at(t, row, col, f"[{code}]{row.name or ''}")
                if term is not None and not term.blank:
                    located.setdefault(code, []).append(Located(term, _table_scope(t, spec["scope"])))
    out = []
    for code in sorted(located):
        out.extend(_compare(f"科目{code}", located[code], totals))
    return out
