"""Table figures a claim can be compared with, found by 科目 code, subject or row name."""

from __future__ import annotations

from decimal import Decimal
from functools import cache, lru_cache

from gouji.data import load_yaml
from gouji.narrative.claims import Claim
from gouji.narrative.lexicon import lexicon
from gouji.narrative.subjects import normalize
from gouji.patterns import re_
from gouji.quantities import vocabulary
from gouji.quantities.intervals import Interval
from gouji.quantities.numbers import FULLWIDTH
from gouji.quantities.units import factor, min_decimals
from gouji.records import dataclass
from gouji.tables.model import Cell, Row, Table
from gouji.tables.panels import panel_views
from gouji.tables.totals import change_column, own_amount_column

ENUM_RE = re_(
    r"^(?:[（(][一二三四五六七八九十廿\d]+[)）]|[一二三四五六七八九十廿]+[、.．]|\d+[、.．]|其中[:：]?)"
)
LEVEL_RE = re_(r"[（(][类款项][)）]")
# a column headed by its year ("2026年预算数/小计")
YEAR_COLUMN_RE = re_(r"^(?P<year>20\d\d)年")
# a 科目 named down its levels: “社会保障和就业支出（类）行政事业单位养老支出（款）事业单位离退休（项）”
LEVEL_NAME_RE = re_(r"(?P<name>(?:(?![（(][类款项][)）]).)+?)[（(](?P<level>[类款项])[)）]")
LEVEL_DIGITS = {"类": 3, "款": 5, "项": 7}
# the numbering of a heading row of a two-level list (“二、上年结转”) and of its items (“（一）…”)
HEADING_ENUM_RE = re_(r"^[一二三四五六七八九十廿]+[、.．]")
ITEM_ENUM_RE = re_(r"^(?:[（(][一二三四五六七八九十廿\d]+[)）]|\d+[、.．])")
SKIP_KINDS = {"目录", "绩效目标表", "机构设置表"}
# tables whose rows name purchases or assets, not budget quantities
NAME_SKIP_KINDS = SKIP_KINDS | {"政府采购表", "资产表", "政府购买服务表"}
COLUMN_UNIT_RE = vocabulary.build(r"[（(](?:金额单位[:：])?(<<money_unit>>)[)）]")


@dataclass
class Figure:
    """One table cell a claim may be compared with, and the row and column naming it."""

    table: Table
    row: Row
    cell: Cell
    label: str
    column: str

    @property
    def unit(self) -> str:
        key = ("unit", self.cell.row, self.cell.col)  # asked for many times per cell by the sums
        memo = self.table._indexes
        if key not in memo:
            col = self.table.column(self.cell.col)
            memo[key] = _figure_unit(col.label if col is not None else None, self.row.name or "", self.table.effective_unit)
        return memo[key]

    @property
    def interval(self) -> Interval:
        """Rounding interval of the published figure, in 万元."""
        d = max(self.cell.decimals, min_decimals(self.unit))
        return Interval.rounded(self.cell.value, d).scale(factor(self.unit))

    @property
    def wan(self) -> Decimal:
        return self.cell.value * factor(self.unit)

    def to_evidence(self) -> dict:
        return {
            "table": self.table.id,
            "table_title": self.table.title,
            "row": self.label,
            "code": self.table.code_of(self.cell),
            "column": self.column,
            "value": format(self.cell.value, "f"),
            "unit": self.unit,
            "location": self.cell.location.to_dict(),
        }


@lru_cache(maxsize=4096)
def _figure_unit(column: str | None, row_name: str, table_unit: str) -> str:
    """A unit in the column header, else in the row's name ("项目资金（元）"), else the table's."""
    for text in (column, row_name):
        m = COLUMN_UNIT_RE.search(text) if text is not None else None
        if m:
            return m.group(1)
    return table_unit


@dataclass
class Lookup:
    """The figures found for a claim's subject, and how sure the finding of them is."""

    figures: list[Figure]
    strong: bool
    approximate: bool = False
    via: str = ""  # how the figures were found: code, within (a code's row), subject, name


@lru_cache(maxsize=65536)  # the same row labels are compared for every claim
def norm_label(text: str) -> str:
    """A row label or a claim's subject as compared: ``norm_name`` without a 科目's level
    ("社会保障和就业(类)支出" is 社会保障和就业支出)."""
    return LEVEL_RE.sub("", norm_name(text))


@lru_cache(maxsize=65536)
def norm_name(text: str) -> str:
    """A label normalised and without its numbering, a 科目's level ("(类)", "(款)") kept."""
    t = normalize(text)
    t = ENUM_RE.sub("", t)
    return t.rstrip(":：")


@cache
def _name_suffixes() -> tuple[str, ...]:
    return tuple(load_yaml("subjects.yaml")["optional_name_suffixes"])


def _named_rows(name: str, tables: list[Table]) -> bool:
    """Whether any table has a row or a labelled cell of that name."""
    return any(
        t.kind not in NAME_SKIP_KINDS and (name in t.rows_by_name(norm_label) or name in t.cells_by_label(norm_label))
        for t in tables
    )


@cache
def generic_names() -> frozenset[str]:
    """Subjects that name no quantity of their own (“合计安排1,131万元”)."""
    return frozenset(load_yaml("subjects.yaml")["generic_names"])


@cache
def quantity_names() -> frozenset[str]:
    """The names of rows and columns where ``subjects.yaml`` finds its quantities (公务接待费,
    会议费…), generic names (合计…) aside: a subject of such a name is understood even in a
    document whose tables do not hold it."""
    names = {
        norm_label(n)
        for subj in lexicon().subjects
        for fs in subj.get("figures", [])
        for n in [*fs.get("row", []), *fs.get("column", [])]
        if "/" not in n
    }
    return frozenset(names - generic_names() - {"小计", "金额"})


@cache
def subject_specs() -> dict[str, dict]:
    return {s["id"]: s for s in lexicon().subjects}


def _column_matches(table: Table, cell: Cell, names: list[str]) -> bool:
    col = table.column(cell.col)
    if col is None or not col.path:
        return False
    label = col.label
    leaf = col.path[-1]
    return any(label == n or leaf == n or label.endswith("/" + n) for n in names)


def _row_amounts(table: Table, row: Row, year: int | None = None) -> tuple[list[Figure], bool]:
    """The row's own amounts; with ``year``, in a table whose columns name years ("2025年执行数",
    "2026年预算数", "2026年预算数比2025年执行数"), only those of that year's own columns: a blank
    there is no figure, never the other year's or the change's."""
    money = [c for c in row.cells if c.is_money and c.value is not None]
    if year is not None and _names_years(table):
        money = [c for c in money if _column_of_year(table, c, year)]
    if not money:
        return [], True
    totals = []
    for c in money:
        col = table.column(c.col)
        if col and col.path and own_amount_column().match(col.path[-1]):
            totals.append(c)
    if not totals:
        # no total column: the first money cell is the row's amount in most layouts
        first = money[0]
        col = table.column(first.col)
        if col is None or not col.path or len({c.col for c in money}) == 1:
            totals = [first]
    chosen = totals or money
    figs = [Figure(table, row, c, table.label_of(c), (table.column(c.col).label if table.column(c.col) else "")) for c in chosen]
    return figs, bool(totals)


def _of_year(figs: list[Figure], year: int | None) -> list[Figure]:
    """The figures in the year's own columns where a table's columns name years ("2021年/合计",
    "2022年/合计", "增减变化情况/合计"); every figure of a table without such columns."""
    if year is None:
        return figs
    dated: dict[int, bool] = {}  # table id -> whether its columns name years, once per table
    for f in figs:
        if id(f.table) not in dated:
            dated[id(f.table)] = _names_years(f.table)
    return [f for f in figs if not dated[id(f.table)] or _column_of_year(f.table, f.cell, year)]


def _names_years(table: Table) -> bool:
    """Whether the table's columns name years ("2025年执行数", "2022年/合计")."""
    return any(YEAR_COLUMN_RE.match(col.label) for col in table.columns)


def _column_of_year(table: Table, cell: Cell, year: int) -> bool:
    col = table.column(cell.col)
    if col is None:
        return False
    m = YEAR_COLUMN_RE.match(col.label)
    return m is not None and int(m.group("year")) == year and not change_column().search(col.label)


@cache
def carried_over_terms() -> tuple[str, ...]:
    return tuple(load_yaml("evidence.yaml")["carried_over_sections"])


def carried_over(f: Figure) -> bool:
    """Whether the figure's row is an item of a carried-over heading of its own label column
    (“二、上年结转” over “（一）一般公共预算拨款 100.00”): that item is last year's money
    carried over, not the year's quantity of the same name."""
    table, row = f.table, f.row
    k = next((i for i in range(f.cell.col - 1, -1, -1) if i < len(row.cells) and _is_label(row.cells[i])), None)
    if k is None or not ITEM_ENUM_RE.match(normalize(row.cells[k].text)):
        return False
    for above in reversed(table.rows[: row.index]):
        if k >= len(above.cells):
            return False
        text = normalize(above.cells[k].text)
        if not text or ITEM_ENUM_RE.match(text):
            continue
        return bool(HEADING_ENUM_RE.match(text)) and any(term in text for term in carried_over_terms())
    return False


def _is_label(cell: Cell) -> bool:
    t = cell.text.strip()
    return bool(t) and cell.value is None and not _is_code_text(t)


def _in_scope(claim: Claim, figs: list[Figure]) -> list[Figure]:
    """The figures of the claim's period: items carried over from last year only for a claim
    about carried-over money."""
    if any(term in (claim.subject or "") for term in carried_over_terms()):
        return figs
    return [f for f in figs if not carried_over(f)]


def lookup(claim: Claim, tables: list[Table], within: Claim | None = None) -> Lookup:
    """Figures for the claim's subject, strongest evidence first.

    ``within``: the claim this one is a part of. When that is a 科目 (it has a code) and this
    claim names a kind of spending (人员经费 of 20508), the figure is the cell of that 科目's
    row in the subject's column; the department-wide total of the kind is another quantity.
    """
    usable = [t for t in tables if t.kind not in SKIP_KINDS]
    if not claim.code and claim.subject_id and within is not None and within.code:
        return _within_code(claim, within.code, usable)
    code = claim.code or (None if claim.subject_id else _code_of_levels(claim.subject, usable))
    if code:
        figs: list[Figure] = []
        strong = True
        # a table of panels side by side: a code's figures are in its own panel's columns
        for t in (v for table in usable for v in panel_views(table)):
            for row in t.rows_by_code().get(code, []):
                f, s = _row_amounts(t, row, claim.year)
                figs.extend(f)
                strong = strong and s
        if figs:
            return Lookup(figs, strong, via="code")
    if claim.subject_id:
        figs = []
        approx = False
        for fs in subject_specs()[claim.subject_id].get("figures", []):
            before = len(figs)
            figs.extend(_of_year(_spec_figures(fs, usable), claim.year))
            if fs.get("relation") == "approximate" and len(figs) > before:
                approx = True
            if figs and not approx:
                break
        figs = _in_scope(claim, figs)
        if figs:
            return Lookup(figs, claim.subject_exact, approximate=approx, via="subject")
    name = norm_label(claim.subject)
    if not _named_rows(name, usable):
        # "污染防治项目" for the table's 污染防治
        name = next((name[: -len(x)] for x in _name_suffixes() if name.endswith(x) and len(name) - len(x) >= 2), name)
    if len(name) >= 2 and name not in generic_names():
        figs = []
        strong = True
        for t in usable:
            if t.kind in NAME_SKIP_KINDS:
                continue
            named = {r.index for r in t.rows_by_name(norm_label).get(name, [])}
            labelled: dict[int, Cell] = {}
            for row, cell in t.cells_by_label(norm_label).get(name, []):
                labelled.setdefault(row.index, cell)  # the first such cell of the row
            for i in sorted(named | labelled.keys()):
                row = t.rows[i]
                if i in named:
                    f, s = row_amounts_for_label(t, row, name)
                    figs.extend(f)
                    strong = strong and s
                    continue
                c = labelled[i]
                figs.append(Figure(t, row, c, t.label_of(c), t.column(c.col).label if t.column(c.col) else ""))
        figs = _in_scope(claim, figs)
        if figs:
            return Lookup(figs + _split_row_sums(figs), strong, via="name")
    return Lookup([], False)


def _code_of_levels(subject: str, tables: list[Table]) -> str | None:
    """The code of a 科目 named down two or more levels, each name followed by its level
    (“…支出（类）…（款）事业单位离退休（项）”): the coded row of the last level's name whose
    ancestors' rows, where the table has them, carry the names before it. None unless one
    code fits."""
    named = [(_level_name(m.group("name")), LEVEL_DIGITS[m.group("level")]) for m in LEVEL_NAME_RE.finditer(normalize(subject))]
    if len(named) < 2:
        return None
    found: set[str] = set()
    for t in tables:
        by_code = t.rows_by_code()
        for code, rows in by_code.items():
            if len(code) != named[-1][1] or not code.startswith("2") or _level_name(rows[0].name or "") != named[-1][0]:
                continue
            if all(
                _level_name(by_code[code[:digits]][0].name or "") == name
                for name, digits in named[:-1]
                if digits < len(code) and code[:digits] in by_code
            ):
                found.add(code)
    return found.pop() if len(found) == 1 else None


def names_levels(subject: str) -> bool:
    """Whether the subject names a 科目 down two or more levels (“…（类）…（款）…（项）”)."""
    return len(LEVEL_NAME_RE.findall(normalize(subject))) >= 2


def _level_name(text: str) -> str:
    """A 科目's name as the prose and the tables are compared: brackets of either width alike."""
    return norm_label(text).translate(FULLWIDTH)


def rows_left_blank(claim: Claim, tables: list[Table]) -> list[tuple[Table, Row]]:
    """The rows named as the claim's subject whose own figures are all blank (a 收支总表's
    “五、事业收入” with nothing printed beside it): they bear out an amount of zero, and
    nothing else (a blank is no figure to compare a non-zero amount with)."""
    names = {norm_label(claim.subject)} if claim.subject else set()
    if claim.subject_id:
        for fs in subject_specs()[claim.subject_id].get("figures", []):
            names |= {norm_label(x) for x in fs.get("row", [])}
    names = {n for n in names if len(n) >= 2 and n not in generic_names()}
    out = []
    for t in tables:
        if t.kind in NAME_SKIP_KINDS:
            continue
        by_name = t.rows_by_name(norm_label)
        for name in names:
            for row in by_name.get(name, []):
                figs, _ = row_amounts_for_label(t, row, name)
                own = _own_cells(t, row, name)
                if not figs and own and all(not c.text.strip() for c in own):
                    out.append((t, row))
    return out


def _label_cells(row: Row, name: str) -> tuple[list[int], list[int]]:
    """The columns of the row's label cells (text, not a code), and of those labelled ``name``."""
    labels = [k for k, c in enumerate(row.cells) if c.value is None and c.text.strip() and not _is_code_text(c.text)]
    return labels, [k for k in labels if norm_label(row.cells[k].text) == name]


def _own_cells(table: Table, row: Row, name: str) -> list[Cell]:
    """The cells of the row's money columns beside its label ``name``, up to the next label."""
    labels, own = _label_cells(row, name)
    if not own:
        return []
    start = own[0]
    end = next((k for k in labels if k > start), len(row.cells))
    money = set(table.money_columns())
    return [c for c in row.cells[start + 1 : end] if c.col in money]


def _split_row_sums(figs: list[Figure]) -> list[Figure]:
    """One item printed on several rows of a table (西安's 30231 公务用车运行维护费 once per
    government economic code, 550,000 + 150,000 元): their sum, as one more figure of it."""
    groups: dict[tuple, list[Figure]] = {}
    for f in figs:
        groups.setdefault((id(f.table), f.row.code, norm_label(f.row.name or f.label), f.cell.col), []).append(f)
    out = []
    for group in groups.values():
        rows = {id(f.row) for f in group}
        if len(rows) < 2 or len(rows) != len(group):
            continue
        first = group[0]
        total = sum((f.cell.value for f in group), Decimal(0))
        decimals = max(f.cell.decimals for f in group)
        cell = Cell(format(total, "f"), total, decimals, first.cell.at, first.cell.row, first.cell.col, True)
        out.append(Figure(first.table, first.row, cell, first.label, first.column))
    return out


def _is_code_text(text: str) -> bool:
    t = text.strip()
    return t.isascii() and t.isdigit()


def _spec_figures(fs: dict, tables: list[Table]) -> list[Figure]:
    """The figures one ``figures`` entry of a subject (subjects.yaml) points at."""
    figs = []
    kinds = fs.get("kinds")
    for t in tables:
        if kinds and t.kind not in kinds:
            continue
        if "row" in fs:
            by_label = t.cells_by_label(norm_label)
            found = [x for label in {norm_label(x) for x in fs["row"]} for x in by_label.get(label, [])]
            for row, cell in sorted(found, key=lambda x: (x[0].index, x[1].col)):
                figs.append(Figure(t, row, cell, t.label_of(cell), t.column(cell.col).label if t.column(cell.col) else ""))
        if "column" in fs:
            for row in (r for r in t.rows if r.is_total):
                for cell in row.cells:
                    if cell.is_money and cell.value is not None and _column_matches(t, cell, fs["column"]):
                        figs.append(Figure(t, row, cell, t.label_of(cell) or "合计", t.column(cell.col).label))
    return figs


def subject_cells(claim: Claim, tables: list[Table]) -> set[int]:
    """Every cell any ``figures`` entry of the claim's subject points at (ids), the entries
    after the first that found figures included: the same quantity in other tables."""
    if not claim.subject_id:
        return set()
    usable = [t for t in tables if t.kind not in SKIP_KINDS]
    return {id(f.cell) for fs in subject_specs()[claim.subject_id].get("figures", []) for f in _spec_figures(fs, usable)}


def _within_code(claim: Claim, code: str, tables: list[Table]) -> Lookup:
    """The cells of the rows coded ``code`` in the columns of the claim's subject."""
    names = [n for fs in subject_specs()[claim.subject_id].get("figures", []) for n in fs.get("column", [])]
    figs = []
    for t in (v for table in tables for v in panel_views(table)):
        for row in t.rows_by_code().get(code, []):
            if row.code != code:
                continue
            for cell in row.cells:
                if cell.is_money and cell.value is not None and _column_matches(t, cell, names):
                    figs.append(Figure(t, row, cell, t.label_of(cell), t.column(cell.col).label))
    return Lookup(figs, bool(figs), via="within")


def row_amounts_for_label(table: Table, row: Row, name: str) -> tuple[list[Figure], bool]:
    """Amounts of the row's label ``name``; side-by-side tables hold two labels per row.

    When ``name`` is one label cell among labels of other items (a 收支总表 row: an income item
    left, an expenditure item right), its amounts are the cells right of it up to the next
    other item's label: a blank there is that item's figure (none), never the other side's.
    """
    labels, own = _label_cells(row, name)
    others = [k for k in labels if k not in own]
    start = own[0] if own else 0
    end = next((k for k in others if k > start), len(row.cells))
    money_cols = set(table.money_columns())
    if own and others and any(k in money_cols for k in range(start + 1, end)):
        # a label followed by its own amount cells, blank or not (not a code and another
        # classification's name, as in a row classified twice)
        cells = [c for c in row.cells[start + 1 : end] if c.is_money and c.value is not None]
        figs = [Figure(table, row, c, table.label_of(c), table.column(c.col).label if table.column(c.col) else "") for c in cells[:1]]
        return figs, True
    cells = [c for c in row.cells if c.is_money and c.value is not None and norm_label(table.label_of(c)) == name]
    if cells and len(cells) < len([c for c in row.cells if c.is_money and c.value is not None]):
        return [Figure(table, row, c, table.label_of(c), table.column(c.col).label if table.column(c.col) else "") for c in cells[:1]], True
    return _row_amounts(table, row)
