"""Tables printed as panels side by side: one view of the table per panel.

The national 决算 template prints the 一般公共预算财政拨款基本支出决算表 as two tables on one
grid: 301 and 303 with their items on the left, 302 and 310 on the right, each panel with its
own code, name and amount columns, and 人员经费合计 / 公用经费合计 at the foot. A row of such a
table holds two 科目: read as one row, 302's figures would be the figures of the 301 item
beside it. A panel view holds one panel's cells only (the others blank), its rows coded and
named from that panel's own columns, so that sums and lookups by code never cross panels.
"""

from __future__ import annotations

from dataclasses import replace

from gouji.tables.build import is_code_column, row_code_name
from gouji.tables.codes import parse_code
from gouji.tables.model import Cell, Row, Table
from gouji.tables.totals import is_total_row

# a panel needs codes on this many rows of its code column to count as a panel
MIN_CODED_ROWS = 2


def panel_starts(table: Table) -> list[int]:
    """The first column of each panel, or [] for a table of one panel.

    Panels are found from the header: a code column whose header path repeats the first code
    column's, and the columns after each such start repeating the first panel's headers. Each
    panel's code column must hold codes (``MIN_CODED_ROWS``)."""
    columns = table.columns
    code_cols = [c.index for c in columns if c.path and is_code_column(c)]
    if len(code_cols) < 2:
        return []
    first = code_cols[0]
    starts = [k for k in code_cols if columns[k].path == columns[first].path]
    if len(starts) < 2:
        return []
    width = starts[1] - starts[0]
    if width < 2:
        return []  # 类 / 款 / 项 columns of one code, not panels
    leaves = [c.path[-1] if c.path else "" for c in columns]
    for s in starts[1:]:
        if leaves[s : s + width] != leaves[starts[0] : starts[0] + width][: len(leaves[s : s + width])]:
            return []
    for s in starts:
        coded = sum(1 for r in table.rows if s < len(r.cells) and parse_code(r.cells[s].text.strip()) is not None)
        if coded < MIN_CODED_ROWS:
            return []
    return starts


def panel_views(table: Table) -> list[Table]:
    """One view per panel of ``table`` (``[table]`` itself when it has one), made once."""
    key = "panel_views"
    if key not in table._indexes:
        starts = panel_starts(table)
        if not starts:
            table._indexes[key] = [table]
        else:
            ends = [*starts[1:], max(len(table.columns), *(len(r.cells) for r in table.rows))]
            # cells left of the first panel (a row number) belong to it
            bounds = [(0 if i == 0 else lo, hi) for i, (lo, hi) in enumerate(zip(starts, ends, strict=True))]
            table._indexes[key] = [_view(table, lo, hi) for lo, hi in bounds]
    return table._indexes[key]


def _view(table: Table, lo: int, hi: int) -> Table:
    rows = []
    for r in table.rows:
        own = [c for c in r.cells if lo <= c.col < hi]
        cells = [c if lo <= c.col < hi else Cell("", None, 0, c.at, c.row, c.col, False) for c in r.cells]
        code, name = row_code_name(own, None, table.columns)
        rows.append(Row(r.index, cells, r.location, code, name, is_total_row(name, code, own, first=r.index == 0)))
    return replace(table, rows=rows, _labels={}, _indexes={})
