"""Structure inside one table: label blocks, item numbering, total columns, the code tree.

Each function derives one kind of structure from a built ``Table`` and returns plain
data, so a check that relies on it can show what it relied on.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from gouji.data import load_yaml
from gouji.patterns import re_
from gouji.records import dataclass
from gouji.tables.codes import code_kind, parent_code, parse_code
from gouji.tables.model import Cell, Row, Table
from gouji.tables.numbering import item_style
from gouji.tables.totals import is_total_header, total_kind  # noqa: F401 - total_kind: benchmarks.cache_effect clears it here

SUBSET_RE = re_(r"^其中")
SUBSET_LEAD_RE = re_(r"^其中[:：,，]?")


@cache
def _not_addends() -> tuple[str, ...]:
    return tuple(load_yaml("table_kinds.yaml")["not_addend_headers"])


def is_subset_label(label: str) -> bool:
    """"其中：…" rows are part of the item above, not one more addend."""
    return bool(SUBSET_RE.match(label.replace(" ", "")))


@dataclass
class LabelBlock:
    """A label column and the money columns to its right that it labels."""

    label_col: int
    value_cols: list[int]


def _text_label(cell: Cell) -> bool:
    return bool(cell.text.strip()) and cell.value is None


def label_blocks(table: Table) -> list[LabelBlock]:
    """Label columns with their value columns; side-by-side tables (收入 | 支出) have several."""
    width = max((len(r.cells) for r in table.rows), default=0)
    texts = [0] * width
    money = [0] * width
    for row in table.rows:
        for c in row.cells:
            if _text_label(c):
                texts[c.col] += 1
            elif c.is_money and c.value is not None:
                money[c.col] += 1
    label_cols = [j for j in range(width) if texts[j] >= 2 and texts[j] > money[j]]
    blocks = []
    for i, j in enumerate(label_cols):
        end = label_cols[i + 1] if i + 1 < len(label_cols) else width
        values = [k for k in range(j + 1, end) if money[k]]
        if values:
            blocks.append(LabelBlock(j, values))
    return blocks


@dataclass
class Item:
    """A labelled row of a table's label block, with its numbering level."""

    row: Row
    label: str
    level: int | None  # None: not numbered
    subset: bool


def block_items(table: Table, block: LabelBlock) -> list[Item]:
    """Rows with a label in the block's label column, with numbering levels.

    Levels follow the order in which numbering styles first appear in the column, as
    nested lists do: "一、" then "1、" then "(1)" in one table, "一、" then "（一）" in another.
    """
    order: list[str] = []
    items = []
    for row in table.rows:
        if block.label_col >= len(row.cells):
            continue
        label = row.cells[block.label_col].text.strip()
        if not label:
            continue
        subset = is_subset_label(label)
        style = item_style(label)
        if subset and style is None:
            # "其中：（1）公务用车购置费" opens the numbered parts of the item above: the first
            # of them, numbered like the others, not a part of a part
            style = item_style(SUBSET_LEAD_RE.sub("", label.replace(" ", ""), count=1))
            subset = style is None
        if style and style not in order:
            order.append(style)
        items.append(Item(row, label, order.index(style) if style else None, subset))
    return items


def total_column_groups(table: Table) -> list[tuple[int, list[int]]]:
    """(total column, its component columns) from the header paths.

    A column whose leaf is 合计/小计/总计 totals the columns after it that share its
    parent path; a sub-group contributes its own 小计 when it has one, otherwise its
    leaves. "其中" columns are parts of a part and never addends.
    """
    money_cols = set(table.money_columns())
    cols = table.columns
    out = []
    for t in cols:
        if t.path and t.index in money_cols and not is_total_header(t.path[-1]):
            measured = _measured_total(table, t, money_cols)
            if measured:
                out.append((t.index, measured))
            continue
        if not t.path or not is_total_header(t.path[-1]) or t.index not in money_cols:
            continue
        prefix = t.path[:-1]
        scope = []
        for c in cols[t.index + 1 :]:
            if c.path[: len(prefix)] != prefix or len(c.path) <= len(prefix):
                break
            if not prefix and c.index not in money_cols and _is_label_column(table, c.index):
                break  # the next side of a side-by-side table starts with its labels
            if _not_money_header(c.path):
                continue
            scope.append(c)
        scope = _named_parts(t.path[-1], scope, len(prefix))
        comps = _components(scope, len(prefix))
        if comps:
            out.append((t.index, comps))
    return out


def _measured_total(table: Table, t, money_cols: set[int]) -> list[int]:
    """The parts of a total measured in several ways: the 决算 三公 table's
    “合计/预算数” adds up “因公出国（境）费/预算数”, “公务用车购置及运行维护费/小计/预算数” and
    “公务接待费/预算数” (and “合计/决算数” the 决算数 of each), its total word being above
    the measure in the header rather than its last part."""
    path = t.path
    d = next((k for k in range(len(path) - 1) if is_total_header(path[k])), None)
    if d is None:
        return []
    prefix, measure = path[:d], path[d + 1 :]
    groups: dict[str, list] = {}
    for c in table.columns:
        if c.index == t.index or c.index not in money_cols or len(c.path) <= d + len(measure):
            continue
        if c.path[:d] != prefix or c.path[-len(measure) :] != measure or is_total_header(c.path[d]):
            continue
        groups.setdefault(c.path[d], []).append(c)
    scope_names = _named_parts(" ".join(path[: d + 1]), [c for cs in groups.values() for c in cs], d)
    keep = {c.index for c in scope_names}
    out: list[int] = []
    for members in groups.values():
        members = [c for c in members if c.index in keep]
        if not members:
            continue
        exact = [c for c in members if c.path[d + 1 :] == measure]
        sub = [c for c in members if len(c.path) == d + 2 + len(measure) and is_total_header(c.path[d + 1])]
        out.extend(c.index for c in (exact[:1] or sub[:1] or members))
    return out if len(out) >= 2 else []


def _named_parts(header: str, scope: list, depth: int) -> list:
    """The columns of ``scope`` a total header naming a quantity adds up (totals.yaml,
    ``columns.named_parts``): all of them when it names none."""
    for name, words in load_yaml("totals.yaml")["columns"].get("named_parts", {}).items():
        if name in header:
            return [c for c in scope if any(w in c.path[depth] for w in words)]
    return scope


def _not_money_header(path: list[str]) -> bool:
    words = [*load_yaml("table_kinds.yaml")["non_money_headers"], "备注", "说明", "简介"]
    return any(w in part for part in path for w in words)


def _is_label_column(table: Table, col: int) -> bool:
    """A column of row labels: two or more cells of text other than its own header, which a
    page break may repeat among the rows."""
    column = table.column(col)
    header = {p.replace(" ", "") for p in column.path} if column else set()
    texts = [r.cells[col].text.replace(" ", "") for r in table.rows if col < len(r.cells) and _text_label(r.cells[col])]
    return sum(1 for t in texts if t not in header) >= 2


def _components(scope: list, depth: int) -> list[int]:
    groups: dict[str, list] = {}
    for c in scope:
        groups.setdefault(c.path[depth], []).append(c)
    out: list[int] = []
    names = list(groups)
    for k, (name, members) in enumerate(groups.items()):
        # "小计 | 其中：基本支出 | 项目支出": a 其中 right after the total opens the list of
        # its parts and is one of them; after another part, it is a part of that part
        opens_parts = k == 0 and len(names) > 1 and SUBSET_LEAD_RE.match(name) is not None and not any(
            w in SUBSET_LEAD_RE.sub("", name) for w in _not_addends()
        )
        if not opens_parts and (SUBSET_RE.match(name) or any(w in name for w in _not_addends())):
            continue
        exact = [c for c in members if len(c.path) == depth + 1]
        if exact:
            out.append(exact[0].index)
            continue
        sub = [c for c in members if len(c.path) == depth + 2 and is_total_header(c.path[-1])]
        if sub:
            out.append(sub[0].index)
            continue
        out.extend(_components(members, depth + 1))
    return out


def code_rows(table: Table) -> dict[str, Row]:
    """Rows by 科目 code; a code met twice is ambiguous and left out."""
    seen: dict[str, Row] = {}
    dup: set[str] = set()
    for row in table.rows:
        if row.code and not _malformed_code(row):
            if row.code in seen:
                dup.add(row.code)
            seen[row.code] = row
    return {k: v for k, v in seen.items() if k not in dup}


def nearest_ancestor(code: str, codes: dict[str, Row]) -> str | None:
    """The closest code above ``code`` that the table shows (21015 may be skipped)."""
    p = parent_code(code)
    while p is not None:
        if p in codes and code_kind(p) == code_kind(code):
            return p
        p = parent_code(p)
    return None


def _malformed_code(row: Row) -> bool:
    """A row whose code cell holds digits that are no valid code ("302213" for 30213)."""
    first = next((c.text.strip() for c in row.cells if c.text.strip()), "")
    return first.isascii() and first.isdigit() and 4 <= len(first) <= 8 and parse_code(first) is None


def code_children(table: Table, codes: dict[str, Row]) -> dict[str, list[Row]]:
    """Rows directly under each code (2101501 under 21015, or under 210 when the table
    skips 21015). A row with a misprinted code joins the parent of the coded row above it."""
    out: dict[str, list[Row]] = {}
    last_parent: str | None = None
    leaves = _repeated_leaf_codes(table, codes)
    for row in table.rows:
        if _malformed_code(row):
            if last_parent is not None:
                out.setdefault(last_parent, []).append(row)
        elif row.code in leaves or (row.code in codes and codes[row.code] is row):
            last_parent = nearest_ancestor(row.code, codes)
            if last_parent is not None:
                out.setdefault(last_parent, []).append(row)
    return out


def _repeated_leaf_codes(table: Table, codes: dict[str, Row]) -> set[str]:
    """Codes listed on several rows with nothing under them: one 部门经济 code split by
    政府经济 code (30201 as 50201 and 50502), whose rows all add to the parent."""
    listed = Counter(r.code for r in table.rows if r.code and not _malformed_code(r))
    repeated = {c for c, n in listed.items() if n > 1 and c not in codes}
    above = {o[:k] for o in listed for k in range(1, len(o))}  # every code that has a longer one under it
    return repeated - above


def root_codes(codes: dict[str, Row]) -> list[str]:
    """Top codes of the table's main classification (the kind most rows are coded in)."""
    if not codes:
        return []
    kinds: dict[str, int] = {}
    for c in codes:
        kinds[code_kind(c)] = kinds.get(code_kind(c), 0) + 1
    main = max(kinds, key=lambda k: kinds[k])
    return [c for c in codes if code_kind(c) == main and nearest_ancestor(c, codes) is None]


def total_column(table: Table) -> int | None:
    """The column holding each row's own amount: a top-level 合计/总计 column first, then a
    column under a 合计 heading, then any 合计/小计 leaf; a table with a single money
    column has that one."""
    cols = table.columns
    for test in (
        lambda c: len(c.path) == 1 and is_total_header(c.path[0]),
        lambda c: is_total_header(c.path[0]) and not _not_money_header(c.path),
        lambda c: is_total_header(c.path[-1]),
    ):
        for c in cols:
            if c.path and test(c):
                return c.index
    money = table.money_columns()
    return money[0] if len(money) == 1 else None


def column_matching(table: Table, pattern: str) -> int | None:
    """The column whose header path matches ``pattern``, a 合计/小计 one first."""
    hits = [c for c in table.columns if re_(pattern).search(c.label)]
    hits.sort(key=lambda c: not is_total_header(c.path[-1]) if c.path else True)
    return hits[0].index if hits else None
