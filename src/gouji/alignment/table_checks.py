"""Checks of the tables against themselves, against each other and against the 目录."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import regex

from gouji.alignment.checks import Context, fmt
from gouji.alignment.evidence import STRUCTURE, doubt, words
from gouji.alignment.figures import norm_label
from gouji.alignment.findings import Finding
from gouji.alignment.messages import finding
from gouji.alignment.registry import catalogue, check
from gouji.alignment.sums import Relation, Term, evaluate
from gouji.data import load_yaml
from gouji.ingest.document import Heading, Paragraph, RawTable
from gouji.patterns import re_
from gouji.quantities.intervals import Interval
from gouji.tables.model import Cell, Row, Table
from gouji.tables.structure import (
    LabelBlock,
    block_items,
    code_children,
    code_rows,
    column_matching,
    label_blocks,
    root_codes,
    total_column,
    total_column_groups,
)
from gouji.tables.toc import TitleLines, TocEntry, match_entry, read_toc
from gouji.tables.totals import has_subtotal_word, total_kind
from gouji.tables.totals import total_row as table_total_row

# tables whose figures are not budget amounts summed by rows and columns


def _kinds(group: str) -> frozenset[str]:
    """Table kinds a group of table checks applies to (table_kinds.yaml: table_checks)."""
    return frozenset(_kinds_cfg()["table_checks"][group])


@cache
def _kinds_cfg() -> dict:
    return load_yaml("table_kinds.yaml")


@cache
def _cross_cfg() -> dict:
    return load_yaml("cross_checks.yaml")


def _summed_tables(ctx: Context) -> Iterator[Table]:
    for t in ctx.tables:
        if t.kind not in _kinds("not_summed") and t.rows:
            yield t


def _label(table: Table, row: Row, cell: Cell | None = None) -> str:
    if cell is not None:
        lab = table.label_of(cell)
        if lab:
            return lab
    return (f"[{row.code}]" if row.code else "") + (row.name or "")


def _term(table: Table, row: Row, col: int, label: str | None = None) -> Term | None:
    if col >= len(row.cells):
        return None
    cell = row.cells[col]
    if cell.value is not None and not cell.is_money:
        return None
    return Term(table, row, cell, label if label is not None else _label(table, row, cell))


def _col_name(table: Table, col: int) -> str:
    c = table.column(col)
    return c.label if c and c.label else f"第{col + 1}列"


def _relate(check_id: str, total: Term | None, parts: list[Term | None], what: str) -> Finding | None:
    """Evaluate when the total is published and at least one part is."""
    ps = [p for p in parts if p is not None]
    if total is None or total.blank or not ps or all(p.blank for p in ps):
        return None
    return evaluate(Relation(check_id, total, ps, what))


OK = "ok"


def _relate_or_ok(check_id: str, total: Term | None, parts: list[Term | None], what: str) -> Finding | str | None:
    """Like ``_relate``, but says ``OK`` when the relation was evaluated and held exactly."""
    ps = [p for p in parts if p is not None]
    if total is None or total.blank or not ps or all(p.blank for p in ps):
        return None
    found = _relate(check_id, total, parts, what)
    if found is None:
        # a sum of one figure confirms no grouping: it holds under any misreading
        return OK if sum(1 for p in ps if not p.blank) >= 2 else None
    return found


def _confirmed(results: list[Finding | str | None]) -> list[Finding]:
    """Findings of a structure read from headers or codes, if some row confirms it.

    A column grouping or a code tree that holds (exactly or within rounding) nowhere in
    its table was misread (a header shifted by the PDF export, codes split oddly), and
    its failures say nothing about the figures.
    """
    findings = [r for r in results if isinstance(r, Finding)]
    holds = any(r == OK or (isinstance(r, Finding) and r.severity == "info" and _parts_shown(r) >= 2) for r in results)
    return findings if holds else []


def _parts_shown(f: Finding) -> int:
    return sum(1 for e in f.evidence if e.get("role") == "part" and e.get("value"))


@check("table.hierarchy_sum")
def hierarchy_sum(ctx: Context) -> list[Finding]:
    """Children rows of a 科目 code add up to the parent row, column by column."""
    out = []
    for t in _summed_tables(ctx):
        if t.kind not in _kinds("coded"):
            continue
        codes = code_rows(t)
        money_cols = t.money_columns()
        results = []
        for parent, children in code_children(t, codes).items():
            prow = codes[parent]
            cut = _children_at_page_end(t, parent, children, ctx.doc)
            for col in money_cols:
                what = f"{t.id}“{t.title or ''}”[{parent}]{prow.name or ''}的下级科目（{_col_name(t, col)}）"
                r = _relate_or_ok(
                    "table.hierarchy_sum",
                    _term(t, prow, col, _label(t, prow)),
                    [_term(t, c, col, _label(t, c)) for c in children],
                    what,
                )
                if cut and isinstance(r, Finding):
                    r.chain.append(doubt(STRUCTURE, words()["doubts"]["page_end_children"], t.id))
                results.append(r)
        # rows lost by a PDF reading leave every parent short; a table where no parent
        # adds up says more about the reading than about the figures
        out.extend(_confirmed(results))
    return out


CONTINUATION_CHARS = 200  # text after a table in which a continued row would stand
CODE_TOKEN_RE = regex.compile(r"(?<!\d)\d{3,7}(?!\d)")


def _children_at_page_end(t: Table, parent: str, children: list[Row], doc) -> bool:
    """Whether further children of ``parent`` may stand on the next page: the last child
    ends its page inside the table, or ends the table while the text right after it holds a
    code under ``parent`` (a continued row the reader did not join to the table)."""
    if not children:
        return False
    last = max(children, key=lambda r: r.index)
    if _at_page_end(t, last):
        return True
    if last.index + 1 < len(t.rows):
        return False
    own = {r.code for r in t.rows if r.code}
    after = doc.text[t.location.end : t.location.end + CONTINUATION_CHARS]
    return any(
        code.startswith(parent) and code != parent and code not in own for code in CODE_TOKEN_RE.findall(after)
    )


def _at_page_end(t: Table, row: Row) -> bool:
    """Whether the row is the last of its page with the table going on on the next one (a
    figure there may be cut by the page break)."""
    if row.index + 1 >= len(t.rows):
        return False
    nxt = t.rows[row.index + 1]
    return nxt.location.page is not None and row.location.page is not None and nxt.location.page != row.location.page


@check("table.row_sum")
def row_sum(ctx: Context) -> list[Finding]:
    """A 合计/小计 column equals the sum of its component columns in every row."""
    out = []
    for t in _summed_tables(ctx):
        for total_col, comps in total_column_groups(t):
            comps = _without_contained(t, total_col, comps)
            results = []
            for row in t.rows:
                label = _label(t, row)
                what = f"{t.id}“{t.title or ''}”{label or '（无名行）'}行各组成列之和"
                r = _relate_or_ok(
                    "table.row_sum",
                    _term(t, row, total_col, f"{_col_name(t, total_col)}"),
                    [_term(t, row, c, _col_name(t, c)) for c in comps],
                    what,
                )
                if isinstance(r, Finding) and _at_page_end(t, row):
                    r.chain.append(doubt(STRUCTURE, words()["doubts"]["row_at_page_end"], t.id))
                results.append(r)
            out.extend(_confirmed(results))
    return out


def _holds(total: Term | None, parts: list[Term | None]) -> bool | None:
    """Whether the parts add up to the total within rounding (None: nothing to test)."""
    ps = [p for p in parts if p is not None]
    if total is None or total.blank or not ps:
        return None
    f = evaluate(Relation("table.row_sum", total, ps, ""))
    return f is None or f.severity == "info"


def _without_contained(t: Table, total_col: int, comps: list[int]) -> list[int]:
    """The component columns less one that lies within the others (深圳's 事业单位经营支出
    inside 基本支出 + 项目支出: 总计 = 基本 + 项目 in every row, the third column being an
    "of which" figure printed without its 其中).

    A column is taken as contained only when the sum fails in every row where it is non-zero,
    holds in every such row without it, and holds in at least two rows with other figures.
    """
    if len(comps) < 3:
        return comps
    for drop in comps:
        rest = [c for c in comps if c != drop]
        tested = 0
        for row in t.rows:
            d = _term(t, row, drop)
            if d is None or d.blank or d.wan == 0:
                continue
            total = _term(t, row, total_col)
            whole = _holds(total, [_term(t, row, c) for c in comps])
            without = _holds(total, [_term(t, row, c) for c in rest])
            if whole is None or without is None:
                continue
            if whole or not without:
                break
            tested += 1
        else:
            if tested >= 2:
                return rest
    return comps


@check("table.total_row")
def total_row(ctx: Context) -> list[Finding]:
    """A 合计 row (or a numbered item) equals the sum of the rows it totals."""
    out: list[Finding] = []
    for t in _summed_tables(ctx):
        money_cols = t.money_columns()
        codes = code_rows(t)
        totals = [r for r in t.rows if r.is_total]
        if t.kind in _kinds("coded") and codes and totals and _mostly_coded(t, codes):
            roots = root_codes(codes)
            for col in money_cols:
                what = f"{t.id}“{t.title or ''}”各类科目（{_col_name(t, col)}）"
                f = _relate(
                    "table.total_row",
                    _term(t, totals[0], col, "合计"),
                    [_term(t, codes[c], col, _label(t, codes[c])) for c in roots],
                    what,
                )
                if f:
                    out.append(f)
        elif t.kind in _kinds("lists") and totals and not codes:
            out.extend(_list_totals(t, totals[0], money_cols))
        blocks = label_blocks(t)
        for block in blocks:
            out.extend(_numbered_items(t, block, blocks))
    return out


HALF_CENT = Decimal("0.005")


def _has_subtotal_rows(values: list[Decimal]) -> bool:
    """Whether some row equals the sum of two or more rows right after it (a unit's subtotal
    over its projects)."""
    values = [abs(v) for v in values] if values and all(v <= 0 for v in values) else values
    for i, v in enumerate(values):
        if v <= 0:
            continue
        acc = Decimal(0)
        for k, w in enumerate(values[i + 1 :], start=1):
            acc += w
            slack = HALF_CENT * (k + 1)  # the rounding of k + 1 figures published to 0.01 万元
            if k >= 2 and abs(acc - v) <= slack:
                return True
            if acc > v + slack:
                break
    return False


def _mostly_coded(t: Table, codes: dict[str, Row]) -> bool:
    """Whether nearly every row with figures carries its own 科目 code: only then do the
    top codes account for the whole 合计 (codes garbled by the export leave rows out)."""
    rows = [r for r in t.rows if not r.is_total and any(c.is_money and c.value is not None for c in r.cells)]
    coded = sum(1 for r in rows if r.code and codes.get(r.code) is r)
    return bool(rows) and coded * 10 >= len(rows) * 9


def _list_totals(t: Table, total: Row, money_cols: list[int]) -> list[Finding]:
    """A flat list (projects, "三公" items) and its 合计 row."""
    items = [r for r in t.rows if r is not total and not r.is_total]
    out = []
    for col in money_cols:
        tv = total.cells[col].value if col < len(total.cells) else None
        values = [r.cells[col].value for r in items if col < len(r.cells) and r.cells[col].value is not None]
        if tv is None or any(abs(v) >= abs(tv) for v in values if tv != 0) or _has_subtotal_rows(values):
            continue  # an item as large as the total, or one that sums the rows after it: nested
        what = f"{t.id}“{t.title or ''}”各行（{_col_name(t, col)}）"
        f = _relate("table.total_row", _term(t, total, col, "合计"), [_term(t, r, col) for r in items], what)
        if f:
            out.append(f)
    return out


def _numbered_items(t: Table, block: LabelBlock, blocks: list[LabelBlock]) -> list[Finding]:
    """Numbered items ("一、" > "1、" > "(1)") and 合计/总计 rows of one label column."""
    items = block_items(t, block)
    out: list[Finding] = []
    for col in block.value_cols:
        for i, it in enumerate(items):
            if it.level is None or it.subset:
                continue
            children = []
            for nxt in items[i + 1 :]:
                if total_kind(nxt.label) or (nxt.level is not None and nxt.level <= it.level):
                    break
                if nxt.level == it.level + 1 and not nxt.subset:
                    children.append(nxt)
            if not children:
                continue
            total = _term(t, it.row, col, it.label)
            if total is not None and total.blank:
                total = _same_item_elsewhere(t, it, block, blocks) or total
            what = f"{t.id}“{t.title or ''}”“{it.label}”的各分项（{_col_name(t, col)}）"
            f = _relate("table.total_row", total, [_term(t, c.row, col, c.label) for c in children], what)
            if f:
                out.append(f)
        out.extend(_block_totals(t, items, col))
    return out


def _same_item_elsewhere(t: Table, it, block: LabelBlock, blocks: list[LabelBlock]) -> Term | None:
    """The same item on the same row under another classification of the table.

    Side-by-side tables show one total ("一、财政拨款") once per classification; when
    one column leaves it blank, its items must still add up to the total shown beside it.
    """
    for other in blocks:
        if other is block or other.label_col >= len(it.row.cells):
            continue
        if it.row.cells[other.label_col].text.strip() != it.label:
            continue
        for col in other.value_cols:
            term = _term(t, it.row, col, f"{it.label}（{_col_name(t, other.label_col)}）")
            if term is not None and not term.blank:
                return term
    return None


def _block_totals(t: Table, items, col: int) -> list[Finding]:
    """本年收入合计 = its top items; 收入总计 = 本年收入合计 + the rows between them."""
    out = []
    start = 0
    last_subtotal = None
    for i, it in enumerate(items):
        kind = total_kind(it.label)
        if kind is None:
            continue
        between = [x for x in items[start:i] if not x.subset and not total_kind(x.label)]
        if kind == "subtotal":
            parts = _top_items(between)
            what = f"{t.id}“{t.title or ''}”“{it.label}”以上各项（{_col_name(t, col)}）"
        else:
            if last_subtotal is None:
                parts = _top_items(between)
                what = f"{t.id}“{t.title or ''}”“{it.label}”以上各项（{_col_name(t, col)}）"
            else:
                plain = [x for x in between if x.level is None]
                parts = [last_subtotal, *plain]
                what = f"{t.id}“{t.title or ''}”“{last_subtotal.label}”与其后各项（{_col_name(t, col)}）"
        terms = [_term(t, p.row, col, p.label) for p in parts]
        f = _block_relation(_term(t, it.row, col, it.label), terms, parts, what)
        if f:
            out.append(f)
        if kind == "subtotal":
            last_subtotal = it
        start = i + 1
    return out


def _block_relation(total: Term | None, terms: list[Term | None], items: list, what: str) -> Finding | None:
    """A 合计/总计 row against the rows above it, where a misread layout is likelier than a
    wrong total: a sum of a single figure proves nothing, and unnumbered rows in which one
    row repeats or sums the rows after it are nested classes (类 > 款 > 项) whose
    indentation was lost."""
    filled = [x for x in terms if x is not None and not x.blank]
    if len(filled) < 2:
        return None
    if any(has_subtotal_word(x.label) for x in filled):
        return None  # a subtotal among the parts ("一本年支出、" with its numbering garbled)
    f = _relate("table.total_row", total, terms, what)
    if f and f.severity != "info" and all(it.level is None for it in items):
        values = [x.wan for x in filled]
        consecutive_equal = any(a == b and a != 0 for a, b in zip(values, values[1:], strict=False))
        if consecutive_equal or _has_subtotal_rows(values):
            return None
    return f


def _top_items(items: list) -> list:
    levels = [x.level for x in items if x.level is not None]
    if not levels:
        return items
    top = min(levels)
    return [x for x in items if x.level == top]


# ---------------------------------------------------------------- table.cross


@dataclass
class Located:
    term: Term
    scope: str


def _total_row(t: Table) -> Row | None:
    return table_total_row(t.rows)


def _locate(t: Table, spec: dict, blank_is_zero: bool) -> Term | None:
    col_spec = spec.get("column")
    if spec["row"] == "total":
        row = _total_row(t)
        if row is None:
            return None
        label = "合计"
        col = total_column(t) if col_spec in (None, "total") else column_matching(t, col_spec)
        if col is None:
            return None
        term = _term(t, row, col, f"{label}（{_col_name(t, col)}）")
        if term is None or (term.blank and not blank_is_zero):
            return None
        return term
    pattern = regex.compile(spec["row"])
    for row in t.rows:
        for k, cell in enumerate(row.cells):
            if cell.value is not None or not pattern.search(norm_label(cell.text)):
                continue
            after = row.cells[k + 1 :]
            if col_spec not in (None, "total"):
                after = [c for c in after if re_(col_spec).search(_col_name(t, c.col))]
            for c in after:
                if c.value is not None and c.is_money:
                    return Term(t, row, c, cell.text.strip())
                if c.text.strip():
                    break  # the next label: this one has no figure
            if blank_is_zero and after and not after[0].text.strip():
                return Term(t, row, after[0], cell.text.strip())
    return None


def _table_scope(t: Table, default: str) -> str:
    """The fund scope a table covers: the one its title names (a “财政拨款支出表” taken for the
    kind 一般公共预算支出表 covers all 财政拨款), else its kind's (cross_checks.yaml)."""
    title = (t.title or "").replace(" ", "")
    for entry in _cross_cfg()["title_scopes"]:
        if entry["word"] in title:
            return entry["scope"]
    return default


def _scope_totals(tables: list[Table]) -> dict[str, Decimal]:
    """The grand total of each fund scope (全部资金, 财政拨款, 一般公共预算), when the tables that
    show it agree on it: two scopes with equal totals hold the same money and are compared.
    Tables of one kind that disagree (a 财政拨款 table taken for a 一般公共预算 one) leave the
    scope's total unknown, and its figures are compared only within the scope."""
    out: dict[str, Decimal] = {}
    for scope, specs in _cross_cfg()["scopes"].items():
        seen = {
            term.wan
            for spec in specs
            for t in tables
            if t.kind == spec["kind"] and _table_scope(t, scope) == scope
            for term in [_locate(t, spec, False)]
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
    for q in _cross_cfg()["quantities"]:
        found: list[Located] = []
        for spec in q["figures"]:
            for t in tables:
                if t.kind != spec["kind"]:
                    continue
                term = _locate(t, spec, bool(q.get("blank_is_zero")))
                if term is not None and not any(x.term.cell is term.cell for x in found):
                    found.append(Located(term, _table_scope(t, spec["scope"])))
        out.extend(_compare(q["id"], found, totals))
    out.extend(_code_cross(tables, totals))
    out.extend(_table_sums(tables))
    return out


def _table_sums(tables: list[Table]) -> list[Finding]:
    out = []
    for q in _cross_cfg().get("table_sums", []):
        pspec = q["parts"]
        members = [t for t in tables if t.kind == pspec["kind"] and re_(pspec["title"]).search(t.title or "")]
        parts = [_locate(t, pspec, False) for t in members]
        if not parts or any(p is None for p in parts):
            continue
        total = next(
            (term for spec in q["total"] for t in tables if t.kind == spec["kind"] for term in [_locate(t, spec, False)] if term),
            None,
        )
        if total is None:
            continue
        f = evaluate(Relation("table.cross", total, [p for p in parts if p], f"{q['id']}：各表之和"))
        if f:
            if sum((p.wan for p in parts if p), Decimal(0)) < total.wan:
                f.chain.append(doubt(STRUCTURE, words()["doubts"]["projects_subset"], total.table.id))
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
            if not any(w in _col_name(t, cell.col) for w in scope_words):
                continue  # a spending category (公用经费 counted as 人员经费) is a defect, not a scope
            term = Term(t, row, cell, "")
            if term.interval.overlaps(mag):
                label = "/".join(x for x in (t.label_of(cell) or row.name or "", _col_name(t, cell.col)) if x)
                return doubt(
                    STRUCTURE,
                    words()["doubts"]["difference_published"].format(diff=fmt(abs(a.wan - b.wan)), table=t.title or t.id, label=label),
                    t.id,
                )
    return None


def _unit_assumed_same_digits(a: Term, b: Term) -> bool:
    """The same digits in two tables, one of which states no unit: the assumed 万元 is what
    differs, not the figure."""
    same = a.cell.value is not None and a.cell.value == b.cell.value
    return same and (a.table.unit is None or b.table.unit is None)


def _code_cross(tables: list[Table], totals: dict[str, Decimal]) -> list[Finding]:
    specs = _cross_cfg()["code_tables"]
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
                term = _term(t, row, col, f"[{code}]{row.name or ''}")
                if term is not None and not term.blank:
                    located.setdefault(code, []).append(Located(term, _table_scope(t, spec["scope"])))
    out = []
    for code in sorted(located):
        out.extend(_compare(f"科目{code}", located[code], totals))
    return out


# ---------------------------------------------------------------- 目录 and empty tables


def _reported_kinds(entries: list[TocEntry]) -> set[str]:
    return {e.kind for e in entries if e.kind}


@check("document.missing_table")
def missing_table(ctx: Context) -> list[Finding]:
    """A table the 目录 lists, or a kind of document requires, is absent."""
    out = []
    unit = ctx.doc.meta.unit_name
    entries = read_toc(ctx.tables, ctx.doc)
    spec = catalogue()["document.missing_table"]
    if entries and not any(True for t in ctx.tables if t.kind != "目录" for _ in t.money_cells()):
        # no table at all: one finding, not one per entry (tables published as an attachment)
        e = entries[0]
        span = (e.location.start, e.location.end)
        return [finding("document.missing_table", span, "none_present", {"count": len(entries)}, expected=e.name)]
    lines = TitleLines(ctx.doc)
    for e in entries:
        if match_entry(e, ctx.tables, unit) is not None or lines.after(e):
            continue
        if e.empty and e.reason:
            sev, variant = "info", "empty_with_reason"
        elif e.empty:
            sev, variant = spec.severity, "empty_without_reason"
        else:
            sev, variant = spec.severity, "not_found"
        span = (e.location.start, e.location.end)
        fields = {"name": e.name, "reason": e.reason or ""}
        out.append(finding("document.missing_table", span, variant, fields, severity=sev, expected=e.name))
    present = {t.kind for t in ctx.tables if t.kind}
    required = _kinds_cfg()["required"].get(ctx.doc.meta.doc_kind or "", [])
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
    return regex.compile(_kinds_cfg()["empty_reason"])


def _is_empty(t: Table) -> bool:
    return not any(True for _ in t.money_cells())


@check("document.empty_table")
def empty_table(ctx: Context) -> list[Finding]:
    """An empty table with no stated reason (in the 目录, a note by the table, or the prose)."""
    topics = _kinds_cfg()["empty_topics"]
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
                if re_(_kinds_cfg()["empty_zero"]).search(sentence[k + len(w) : k + len(w) + ZERO_WINDOW]):
                    return True
    return False


ZERO_WINDOW = 16  # characters after the subject in which its zero amount is stated
