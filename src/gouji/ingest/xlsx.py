"""Reader for Excel .xlsx files (openpyxl): each sheet's blocks of rows, in order.

Blank rows split a sheet into blocks. In a block, the rows from the first to the last row with
two or more filled cells are one table; one-cell rows before and after it are titles or notes.
Numbers are written as the sheet shows them (``0.00`` formats keep two decimals).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gouji.errors import EmptyInput, UnreadableInput
from gouji.ingest.archive import check_archive
from gouji.ingest.document import Document
from gouji.ingest.export import Export
from gouji.limits import limits
from gouji.patterns import re_

DECIMALS_RE = re_(r"0\.(0+)")


def read_xlsx(path: str | Path) -> Document:
    """Read every visible sheet of an .xlsx; with several sheets each starts with its name."""
    import openpyxl

    p = str(path)
    check_archive(p, ".xlsx")
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as e:
        raise UnreadableInput(f"not a readable .xlsx ({type(e).__name__})", path=p, hint="re-save it from Excel as .xlsx") from None
    out = Export()
    try:
        sheets = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
        width = limits().max_sheet_columns
        for ws in sheets:
            ws.reset_dimensions()  # the size a file declares is not trusted: rows come as stored
            # no max_col: openpyxl would pad every row, stored or missing, to it
            rows = [[_cell(c) for c in row[:width]] for row in ws.iter_rows()]
            if len(sheets) > 1 and any(any(r) for r in rows):
                out.heading(ws.title, 1)
            _write_sheet(rows, out)
    finally:
        wb.close()
    if not out.lines:
        raise EmptyInput("workbook holds no text", path=p, hint="give the published disclosure")
    return out.to_document(p, "xlsx")


def _write_sheet(rows: list[list[str]], out: Export) -> None:
    filled = [sum(1 for v in r if v) for r in rows]
    start = 0
    while start < len(rows):  # blocks of rows between blank rows
        if not filled[start]:
            start += 1
            continue
        end = start
        while end < len(rows) and filled[end]:
            end += 1
        _write_block(rows[start:end], filled[start:end], out)
        start = end


def _write_block(rows: list[list[str]], filled: list[int], out: Export) -> None:
    table = [i for i, n in enumerate(filled) if n >= 2]
    width = max((max(k + 1 for k, v in enumerate(rows[i]) if v) for i in table), default=0)
    for i, r in enumerate(rows):
        # a one-cell row inside the table's rows is a row of it; before or after, a title or note
        if table and table[0] <= i <= table[-1]:
            out.row((r + [""] * width)[:width])
        else:
            out.paragraph(next(v for v in r if v))


def _cell(c) -> str:
    v = c.value
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        fmt = c.number_format or ""
        m = DECIMALS_RE.search(fmt)
        places = len(m.group(1)) if m else 0
        if "%" in fmt:
            return f"{v * 100:.{places}f}%"
        if m:
            return f"{v:.{places}f}"
        return str(int(v)) if float(v).is_integer() else repr(float(v))
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()[:10]
    return str(v)
