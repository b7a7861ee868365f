"""Understood tables: titled, with a unit, header column paths and typed cells."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from decimal import Decimal
from functools import cache

from gouji.ingest.document import Location
from gouji.records import dataclass

TYPE_CHECKING = False  # typing's constant, without importing typing at every start
if TYPE_CHECKING:  # pandas is imported when a frame is asked for
    import pandas as pd


@dataclass(slots=True)
class Cell:
    """One cell of a table: its text, its number when it holds one, and its place."""

    text: str
    value: Decimal | None  # in the table's unit, as written
    decimals: int
    at: tuple[int, int, int, int | None]  # line, start, end, page: see ``location``
    row: int
    col: int
    is_money: bool = False
    _location: Location | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def location(self) -> Location:
        """Where the cell is in the source (made when first asked for: few cells are evidence)."""
        if self._location is None:
            line, start, end, page = self.at
            self._location = Location(line, start, end, None, page)
        return self._location


@dataclass(slots=True)
class Row:
    """One body row of a table, with its 科目 code and label when it has them."""

    index: int
    cells: list[Cell]
    location: Location
    code: str | None = None  # 科目 code of the row, if any
    name: str | None = None  # first label of the row (科目名称 / 项目)
    is_total: bool = False  # 合计 / 总计 row


@dataclass
class Column:
    """One column of a table, named by the header cells above it."""

    index: int
    path: list[str]

    @property
    def label(self) -> str:
        return "/".join(self.path)


@dataclass
class Table:
    """A table read from the document: title, unit, kind, columns and rows."""

    id: str
    title: str | None
    unit: str | None
    kind: str | None
    captions: list[str]
    header_rows: list[list[str]]
    columns: list[Column]
    rows: list[Row]
    location: Location
    segments: int = 1
    notes: list[str] = field(default_factory=list)
    # what the reader could not settle about the table's structure (a side or panel not
    # resolved, a row that may be lost at a page break): its figures are not confirmed evidence
    doubts: list[str] = field(default_factory=list)
    # row labels by (row, column), filled as they are asked for: rows do not change once built
    _labels: dict[tuple[int, int], str] = field(default_factory=dict, repr=False, compare=False)
    _indexes: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def effective_unit(self) -> str:
        """The unit amounts are in: the stated one, else 万元 (the usual one)."""
        return self.unit or "万元"

    def column(self, index: int) -> Column | None:
        return self.columns[index] if index < len(self.columns) else None

    def label_of(self, cell: Cell) -> str:
        """Row label of a cell: the nearest text cell to its left (side-by-side tables have two)."""
        key = (cell.row, cell.col)
        if key not in self._labels:
            self._labels[key] = self._find_label(cell)
        return self._labels[key]

    def _find_label(self, cell: Cell) -> str:
        row = self.rows[cell.row]
        for c in reversed(row.cells[: cell.col]):
            t = c.text.strip()
            if t and c.value is None and not _is_code(t):
                return t
        return row.name or ""

    def code_of(self, cell: Cell) -> str | None:
        row = self.rows[cell.row]
        codes = [c for c in row.cells[: cell.col] if c.text.strip() and _is_code(c.text.strip())]
        return row.code if not codes else _clean_code(codes[0].text)

    def money_cells(self):
        for row in self.rows:
            for cell in row.cells:
                if cell.is_money and cell.value is not None:
                    yield row, cell

    def cells_by_label(self, norm: Callable[[str], str]) -> dict[str, list[tuple[Row, Cell]]]:
        """Money cells keyed by ``norm`` of their row label, in row-major order (built once)."""
        key = ("cells", norm)
        if key not in self._indexes:
            index: dict[str, list[tuple[Row, Cell]]] = {}
            for row, cell in self.money_cells():
                index.setdefault(norm(self.label_of(cell)), []).append((row, cell))
            self._indexes[key] = index
        return self._indexes[key]

    def rows_by_name(self, norm: Callable[[str], str]) -> dict[str, list[Row]]:
        """Rows keyed by ``norm`` of their name, in order (built once)."""
        key = ("rows", norm)
        if key not in self._indexes:
            index: dict[str, list[Row]] = {}
            for row in self.rows:
                if row.name:
                    index.setdefault(norm(row.name), []).append(row)
            self._indexes[key] = index
        return self._indexes[key]

    def rows_by_code(self) -> dict[str, list[Row]]:
        """Rows keyed by their 科目 code and by the code printed before any of their figures
        (a row classified twice), in order, each row once per code (built once)."""
        if "codes" not in self._indexes:
            index: dict[str, list[Row]] = {}
            for row in self.rows:
                keys = dict.fromkeys([row.code, *(self.code_of(c) for c in row.cells if c.is_money)])
                for k in keys:
                    if k:
                        index.setdefault(k, []).append(row)
            self._indexes["codes"] = index
        return self._indexes["codes"]

    def money_columns(self) -> list[int]:
        """Indices of the columns holding at least one figure, left to right (found once)."""
        if "money_columns" not in self._indexes:
            self._indexes["money_columns"] = sorted({cell.col for _, cell in self.money_cells()})
        return self._indexes["money_columns"]

    def to_frame(self) -> pd.DataFrame:
        """The data rows as a DataFrame: code, name, then one column per header path.

        ``frame.attrs`` holds the table's id, kind, unit, title, source line span, page
        and ``locations``: (row position, column label) -> the cell's source ``Location``.
        """
        import pandas as pd

        width = max((len(r.cells) for r in self.rows), default=0)
        labels = []
        for j in range(width):
            col = self.column(j)
            label = col.label if col and col.label else f"col{j + 1}"
            while label in labels:
                label += "'"
            labels.append(label)
        records = []
        for r in self.rows:
            rec = {"code": r.code, "name": r.name}
            for j, label in enumerate(labels):
                cell = r.cells[j] if j < len(r.cells) else None
                rec[label] = (cell.value if cell is not None and cell.value is not None else (cell.text if cell else None))
            records.append(rec)
        frame = pd.DataFrame.from_records(records, columns=["code", "name", *labels])
        frame.attrs.update(
            id=self.id,
            kind=self.kind,
            unit=self.effective_unit,
            unit_stated=self.unit is not None,
            title=self.title,
            lines=(self.location.line, self.location.end_line or self.location.line),
            page=self.location.page,
            segments=self.segments,
            locations={(i, labels[c.col]): c.location for i, r in enumerate(self.rows) for c in r.cells if c.col < len(labels)},
        )
        return frame

    def total(self) -> Decimal | None:
        """The table's grand total: its 合计 row in its 合计 column, when it has both."""
        from gouji.tables.structure import total_column
        from gouji.tables.totals import is_grand_total_cell

        col = total_column(self)
        for row in self.rows:
            if row.is_total and col is not None and col < len(row.cells):
                return row.cells[col].value
        for row in self.rows:  # 收支总表: the figure right of "收入总计"
            for k, c in enumerate(row.cells):
                if is_grand_total_cell(c.text):
                    return next((x.value for x in row.cells[k + 1 :] if x.is_money and x.value is not None), None)
        return None


@cache
def _is_code(text: str) -> bool:
    from gouji.tables.codes import parse_code

    parsed = parse_code(text)
    return parsed is not None and parsed[1] == ""


def _clean_code(text: str) -> str:
    from gouji.tables.codes import parse_code

    parsed = parse_code(text.strip())
    return parsed[0] if parsed else text.strip()
