"""Checks of a table against itself: 科目 trees (``table.hierarchy_sum``), 合计 columns
(``table.row_sum``) and 合计 rows and numbered items (``table.total_row``)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from gouji.alignment.checks import Context, SumTally
from gouji.alignment.evidence import STRUCTURE, named_doubt
from gouji.alignment.findings import Finding
from gouji.alignment.registry import check
from gouji.alignment.sums import Relation, Term, evaluate
from gouji.alignment.table_terms import col_name, kinds_cfg, row_label, term_at
from gouji.patterns import re_
from gouji.tables.model import Row, Table
from gouji.tables.panels import panel_views
from gouji.tables.structure import (
    LabelBlock,
    block_items,
    code_children,
    code_rows,
    label_blocks,
    root_codes,
    total_column_groups,
)
from gouji.tables.totals import has_subtotal_word, is_total_header, total_kind

# tables whose figures are not budget amounts summed by rows and columns


def _kinds(group: str) -> frozenset[str]:
    """Table kinds a group of table checks applies to (table_kinds.yaml: table_checks)."""
    return frozenset(kinds_cfg()["table_checks"][group])


def _summed_tables(ctx: Context) -> Iterator[Table]:
    for t in ctx.tables:
        if t.kind not in _kinds("not_summed") and t.rows:
            yield t


def _summed_views(ctx: Context) -> Iterator[Table]:
    """The summed tables, one printed as panels side by side as one view per panel
    (``tables.panels``): a panel's sums never take the other panel's figures."""
    for t in _summed_tables(ctx):
        yield from panel_views(t)


def _relate(check_id: str, total: Term | None, parts: list[Term | None], what: str, tally: SumTally) -> Finding | None:
    """Evaluate when the total is published and at least one part is (counted in ``tally``)."""
    ps = [p for p in parts if p is not None]
    if total is None or total.blank or not ps or all(p.blank for p in ps):
        return None
    found = evaluate(Relation(check_id, total, ps, what))
    tally.record(total.table.id, found)
    return found


OK = "ok"


def _relate_or_ok(check_id: str, total: Term | None, parts: list[Term | None], what: str, tally: SumTally) -> Finding | str | None:
    """Like ``_relate``, but says ``OK`` when the relation was evaluated and held exactly."""
    ps = [p for p in parts if p is not None]
    if total is None or total.blank or not ps or all(p.blank for p in ps):
        return None
    found = _relate(check_id, total, parts, what, tally)
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
    for table in _summed_tables(ctx):
        if table.kind not in _kinds("coded"):
            continue
        results = []
        for t in panel_views(table):
            codes = code_rows(t)
            money_cols = t.money_columns()
            for parent, children in code_children(t, codes).items():
                prow = codes[parent]
                cut = _children_at_page_end(t, parent, children, ctx.doc)
                for col in money_cols:
                    what = f"{t.id}“{t.title or ''}”[{parent}]{prow.name or ''}的下级科目（{col_name(t, col)}）"
                    r = _relate_or_ok(
                        "table.hierarchy_sum",
                        term_at(t, prow, col, row_label(t, prow)),
                        [term_at(t, c, col, row_label(t, c)) for c in children],
                        what,
                        ctx.sums,
                    )
                    if cut and isinstance(r, Finding):
                        r.chain.append(named_doubt(STRUCTURE, "page_end_children", t.id))
                    results.append(r)
        # rows lost by a PDF reading leave every parent short; a table where no parent
        # adds up (in any of its panels) says more about the reading than about the figures
        out.extend(_confirmed(results))
    return out


CONTINUATION_CHARS = 200  # text after a table in which a continued row would stand
CODE_TOKEN_RE = re_(r"(?<!\d)\d{3,7}(?!\d)")


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
    for t in _summed_views(ctx):
        # a grouping measured in several ways (合计/预算数, 合计/决算数) is one structure: where
        # it holds under one measure it is read right under the others
        results_of: dict[object, list] = {}
        for total_col, comps in total_column_groups(t):
            comps = _without_contained(t, total_col, comps)
            path = t.columns[total_col].path
            key = tuple(path[:-1]) if path and not is_total_header(path[-1]) else total_col
            results = results_of.setdefault(key, [])
            for row in t.rows:
                label = row_label(t, row)
                what = f"{t.id}“{t.title or ''}”{label or '（无名行）'}行各组成列之和"
                r = _relate_or_ok(
                    "table.row_sum",
                    term_at(t, row, total_col, f"{col_name(t, total_col)}"),
                    [term_at(t, row, c, col_name(t, c)) for c in comps],
                    what,
                    ctx.sums,
                )
                if isinstance(r, Finding) and _at_page_end(t, row):
                    r.chain.append(named_doubt(STRUCTURE, "row_at_page_end", t.id))
                results.append(r)
        for results in results_of.values():
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
            d = term_at(t, row, drop)
            if d is None or d.blank or d.wan == 0:
                continue
            total = term_at(t, row, total_col)
            whole = _holds(total, [term_at(t, row, c) for c in comps])
            without = _holds(total, [term_at(t, row, c) for c in rest])
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
    for t in _summed_views(ctx):
        money_cols = t.money_columns()
        codes = code_rows(t)
        totals = [r for r in t.rows if r.is_total]
        if t.kind in _kinds("coded") and codes and totals and _mostly_coded(t, codes):
            roots = root_codes(codes)
            for col in money_cols:
                what = f"{t.id}“{t.title or ''}”各类科目（{col_name(t, col)}）"
                f = _relate(
                    "table.total_row",
                    term_at(t, totals[0], col, "合计"),
                    [term_at(t, codes[c], col, row_label(t, codes[c])) for c in roots],
                    what,
                    ctx.sums,
                )
                if f:
                    out.append(f)
        elif t.kind in _kinds("lists") and totals and not codes:
            out.extend(_list_totals(t, totals[0], money_cols, ctx.sums))
        blocks = label_blocks(t)
        for block in blocks:
            out.extend(_numbered_items(t, block, blocks, ctx.sums))
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


def _list_totals(t: Table, total: Row, money_cols: list[int], tally: SumTally) -> list[Finding]:
    """A flat list (projects, "三公" items) and its 合计 row."""
    items = [r for r in t.rows if r is not total and not r.is_total]
    out = []
    for col in money_cols:
        tv = total.cells[col].value if col < len(total.cells) else None
        values = [r.cells[col].value for r in items if col < len(r.cells) and r.cells[col].value is not None]
        if tv is None or any(abs(v) >= abs(tv) for v in values if tv != 0) or _has_subtotal_rows(values):
            continue  # an item as large as the total, or one that sums the rows after it: nested
        what = f"{t.id}“{t.title or ''}”各行（{col_name(t, col)}）"
        f = _relate("table.total_row", term_at(t, total, col, "合计"), [term_at(t, r, col) for r in items], what, tally)
        if f:
            out.append(f)
    return out


def _numbered_items(t: Table, block: LabelBlock, blocks: list[LabelBlock], tally: SumTally) -> list[Finding]:
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
            total = term_at(t, it.row, col, it.label)
            if total is not None and total.blank:
                total = _same_item_elsewhere(t, it, block, blocks) or total
            what = f"{t.id}“{t.title or ''}”“{it.label}”的各分项（{col_name(t, col)}）"
            f = _relate("table.total_row", total, [term_at(t, c.row, col, c.label) for c in children], what, tally)
            if f:
                out.append(f)
        out.extend(_block_totals(t, items, col, tally))
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
            term = term_at(t, it.row, col, f"{it.label}（{col_name(t, other.label_col)}）")
            if term is not None and not term.blank:
                return term
    return None


def _block_totals(t: Table, items, col: int, tally: SumTally) -> list[Finding]:
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
            what = f"{t.id}“{t.title or ''}”“{it.label}”以上各项（{col_name(t, col)}）"
        else:
            if last_subtotal is None:
                parts = _top_items(between)
                what = f"{t.id}“{t.title or ''}”“{it.label}”以上各项（{col_name(t, col)}）"
            else:
                plain = [x for x in between if x.level is None]
                parts = [last_subtotal, *plain]
                what = f"{t.id}“{t.title or ''}”“{last_subtotal.label}”与其后各项（{col_name(t, col)}）"
        terms = [term_at(t, p.row, col, p.label) for p in parts]
        f = _block_relation(term_at(t, it.row, col, it.label), terms, parts, what, tally)
        if f:
            out.append(f)
        if kind == "subtotal":
            last_subtotal = it
        start = i + 1
    return out


def _block_relation(total: Term | None, terms: list[Term | None], items: list, what: str, tally: SumTally) -> Finding | None:
    """A 合计/总计 row against the rows above it, where a misread layout is likelier than a
    wrong total: a sum of a single figure proves nothing, and unnumbered rows in which one
    row repeats or sums the rows after it are nested classes (类 > 款 > 项) whose
    indentation was lost."""
    filled = [x for x in terms if x is not None and not x.blank]
    if len(filled) < 2:
        return None
    if any(has_subtotal_word(x.label) for x in filled):
        return None  # a subtotal among the parts ("一本年支出、" with its numbering garbled)
    tried = SumTally()
    f = _relate("table.total_row", total, terms, what, tried)
    if f and f.severity != "info" and all(it.level is None for it in items):
        values = [x.wan for x in filled]
        consecutive_equal = any(a == b and a != 0 for a, b in zip(values, values[1:], strict=False))
        if consecutive_equal or _has_subtotal_rows(values):
            return None  # not a sum of this table: nothing tested
    tally.add(tried)
    return f


def _top_items(items: list) -> list:
    levels = [x.level for x in items if x.level is not None]
    if not levels:
        return items
    top = min(levels)
    return [x for x in items if x.level == top]
