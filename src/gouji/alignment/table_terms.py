"""What the table checks share: their data files and the figures they read from a table.

``table_kinds.yaml`` (the table kinds each table check applies to, the words of the 目录 and
empty-table checks) and ``cross_checks.yaml`` (quantities shown in several tables, fund scopes);
a figure of a table as a ``Term`` of a relation, and a figure located by a ``cross_checks.yaml``
spec (``table.cross``, and the coverage checks' 项目支出 total).
"""

from __future__ import annotations

from functools import cache

from gouji.alignment.figures import norm_label
from gouji.alignment.sums import Term
from gouji.data import load_yaml
from gouji.patterns import re_
from gouji.tables.model import Cell, Row, Table
from gouji.tables.structure import column_matching, total_column
from gouji.tables.totals import total_row as table_total_row


@cache
def kinds_cfg() -> dict:
    return load_yaml("table_kinds.yaml")


@cache
def cross_cfg() -> dict:
    return load_yaml("cross_checks.yaml")


def row_label(table: Table, row: Row, cell: Cell | None = None) -> str:
    if cell is not None:
        lab = table.label_of(cell)
        if lab:
            return lab
    return (f"[{row.code}]" if row.code else "") + (row.name or "")


def term_at(table: Table, row: Row, col: int, label: str | None = None) -> Term | None:
    if col >= len(row.cells):
        return None
    cell = row.cells[col]
    if cell.value is not None and not cell.is_money:
        return None
    return Term(table, row, cell, label if label is not None else row_label(table, row, cell))


def col_name(table: Table, col: int) -> str:
    c = table.column(col)
    return c.label if c and c.label else f"第{col + 1}列"


def total_row_of(t: Table) -> Row | None:
    return table_total_row(t.rows)


def locate(t: Table, spec: dict, blank_is_zero: bool) -> Term | None:
    col_spec = spec.get("column")
    if spec["row"] == "total":
        row = total_row_of(t)
        if row is None:
            return None
        label = "合计"
        col = total_column(t) if col_spec in (None, "total") else column_matching(t, col_spec)
        if col is None:
            return None
        term = term_at(t, row, col, f"{label}（{col_name(t, col)}）")
        if term is None or (term.blank and not blank_is_zero):
            return None
        return term
    pattern = re_(spec["row"])
    for row in t.rows:
        for k, cell in enumerate(row.cells):
            if cell.value is not None or not pattern.search(norm_label(cell.text)):
                continue
            after = row.cells[k + 1 :]
            if col_spec not in (None, "total"):
                after = [c for c in after if re_(col_spec).search(col_name(t, c.col))]
            for c in after:
                if c.value is not None and c.is_money:
                    return Term(t, row, c, cell.text.strip())
                if c.text.strip():
                    break  # the next label: this one has no figure
            if blank_is_zero and after and not after[0].text.strip():
                return Term(t, row, after[0], cell.text.strip())
    return None
