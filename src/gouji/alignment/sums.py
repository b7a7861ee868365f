"""A total and its parts, both published and rounded: do they agree?

Every table check reduces to such relations (a parent row and its children, a 合计
column and its components, one quantity in two tables). The tolerance is the rounding
interval of each published figure, summed over the addends; a blank cell is an exact 0.
"""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal

from gouji.alignment.arithmetic import Arithmetic, Operand
from gouji.alignment.figures import Figure
from gouji.alignment.findings import Finding
from gouji.alignment.messages import finding, shared
from gouji.quantities.fixed import quantized
from gouji.quantities.intervals import Interval, total
from gouji.records import dataclass
from gouji.tables.model import Cell, Row, Table

MAX_LISTED_PARTS = 6


@dataclass
class Term:
    """One figure of a relation: a published cell, or a blank cell that stands for 0."""

    table: Table
    row: Row
    cell: Cell
    label: str

    @property
    def figure(self) -> Figure | None:
        if self.cell.value is None:
            return None
        f = self.__dict__.get("_figure")
        if f is None:  # made once: the sums ask a term for it several times
            col = self.table.column(self.cell.col)
            f = self.__dict__["_figure"] = Figure(self.table, self.row, self.cell, self.label, col.label if col else "")
        return f

    @property
    def blank(self) -> bool:
        return self.cell.value is None

    @property
    def interval(self) -> Interval:
        f = self.figure
        return f.interval if f else Interval.exact(Decimal(0))

    @property
    def wan(self) -> Decimal:
        f = self.figure
        return f.wan if f else Decimal(0)

    @property
    def shown(self) -> str:
        """The figure as published, with its unit when it is not the table's 万元."""
        f = self.figure
        if f is None:
            return "空白(0)"
        return self.cell.text if f.unit == "万元" else f"{self.cell.text}{f.unit}"

    def operand(self) -> Operand:
        """The term as a figure of the arithmetic (a blank cell: an exact 0)."""
        return Operand.of(f"{self.table.id} {self.label}".strip(), self.shown, self.wan, self.interval)

    def to_evidence(self, role: str) -> dict:
        f = self.figure
        if f is not None:
            ev = f.to_evidence()
        else:
            col = self.table.column(self.cell.col)
            ev = {
                "table": self.table.id,
                "table_title": self.table.title,
                "row": self.label,
                "code": self.table.code_of(self.cell),
                "column": col.label if col else "",
                "value": "",
                "unit": self.table.effective_unit,
                "location": self.cell.location.to_dict(),
            }
        ev["role"] = role
        return ev


@dataclass
class Relation:
    """``total`` should equal the sum of ``parts`` (a single part: an equality)."""

    check: str
    total: Term
    parts: list[Term]
    what: str  # where the relation comes from, for the message
    others: list[Term] = field(default_factory=list)  # extra evidence shown, not summed


def _fmt(x: Decimal) -> str:
    cents = quantized(x, Decimal("0.01"))
    return format(cents, "f") if x == cents else format(x.normalize(), "f")


def _parts_text(parts: list[Term]) -> str:
    """"甲 1.00 + 乙 2.00（另 3 项空白）": blank parts are counted, not listed."""
    filled = [p for p in parts if not p.blank]
    shown = [f"{p.label or '（无名）'} {p.shown}" for p in filled[:MAX_LISTED_PARTS]]
    more = f" 等{len(filled)}项" if len(filled) > MAX_LISTED_PARTS else ""
    blanks = len(parts) - len(filled)
    return " + ".join(shown) + more + (f"（另 {blanks} 项空白）" if blanks else "")


def _plain(p: Term) -> str:
    return format(p.wan.normalize(), "f") if p.figure else "0"


def evaluate(rel: Relation) -> Finding | None:
    """A finding when the published parts do not add up to the published total.

    ``error`` when no values within the rounding of the published figures make them
    agree; ``info`` when they differ only as rounding allows; nothing when exact.
    """
    stated = rel.total.wan
    summed = sum((p.wan for p in rel.parts), Decimal(0))
    if stated == summed:
        return None
    stated_iv = rel.total.interval
    summed_iv = total([p.interval for p in rel.parts])
    diff = summed - stated
    within = stated_iv.overlaps(summed_iv)
    fields = {
        "what": rel.what,
        "total_label": rel.total.label,
        "total_shown": rel.total.shown,
        "total_table": rel.total.table.id,
        "difference": f"{'+' if diff > 0 else ''}{_fmt(diff)}",
        "tail": shared()["rounding"]["within" if within else "beyond"],
    }
    filled = [p for p in rel.parts if not p.blank] or rel.parts
    if len(rel.parts) == 1:
        part = rel.parts[0]
        variant, operation = "equal", "equal"
        fields |= {"part_label": part.label, "part_shown": part.shown, "part_table": part.table.id}
        formula = f"{_plain(rel.total)}（{rel.total.table.id}）≠ {_plain(part)}（{part.table.id}）"
    else:
        variant, operation = "sum", "sum"
        fields["parts"] = f"{_parts_text(rel.parts)} = {_fmt(summed)}"
        formula = f"{' + '.join(_plain(p) for p in filled)} = {_fmt(summed)} ≠ {_plain(rel.total)}"
    result = Operand.of("各项之和" if operation == "sum" else rel.parts[0].label, _fmt(summed), summed, summed_iv)
    span = (rel.total.cell.location.start, rel.total.cell.location.end)
    return finding(
        rel.check,
        span,
        variant,
        fields,
        severity="info" if within else None,
        evidence=[rel.total.to_evidence("total")]
        + [p.to_evidence("part") for p in rel.parts]
        + [o.to_evidence("related") for o in rel.others],
        expected=_fmt(summed),
        actual=rel.total.cell.text or "空白",
        tolerance=f"合计 {stated_iv}；各项之和 {summed_iv}（万元，{len(rel.parts)} 项的舍入区间之和）",
        arithmetic=Arithmetic(operation, [p.operand() for p in rel.parts], result, rel.total.operand(), formula + "（万元）"),
    )
