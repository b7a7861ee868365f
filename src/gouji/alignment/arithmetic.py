"""The computation behind a numeric finding, as fields a report reads instead of the message.

A finding compares a *stated* figure (a sentence's amount, a table's 合计) with the *result*
its operands give (the parts' sum, 本年 − 上年, a ratio, the table figure it should equal).
Each figure keeps its rounding interval, so the difference and the tolerance the rounding
allows are read from the record, never parsed back out of words.
"""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal

from gouji.quantities.fixed import quantized
from gouji.quantities.intervals import Interval
from gouji.records import dataclass

# how the operands make the result
OPERATIONS = ("equal", "sum", "difference", "ratio", "percent_change", "share")


PLACES = Decimal("1e-10")  # a ratio's bounds have 28 digits; ten keep a 元 figure's rounding in 万元


def _plain(x: Decimal) -> str:
    s = format(quantized(x, PLACES).normalize(), "f")
    return "0" if s == "-0" else s


@dataclass(frozen=True)
class Operand:
    """One figure of a computation: as written, its value and its rounding interval.

    ``value``, ``low`` and ``high`` are in the computation's unit (万元 for money, percent
    for a percentage); ``unit`` is the unit the figure is written in (元 for “5,569元”).
    """

    label: str
    text: str
    value: Decimal
    low: Decimal
    high: Decimal
    unit: str = "万元"

    @classmethod
    def of(cls, label: str, text: str, value: Decimal, interval: Interval, unit: str = "万元") -> Operand:
        return cls(label, text, value, interval.lo, interval.hi, unit)

    @property
    def interval(self) -> Interval:
        return Interval(self.low, self.high)

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "text": self.text,
            "value": _plain(self.value),
            "interval": [_plain(self.low), _plain(self.high)],
            "unit": self.unit,
        }


@dataclass
class Arithmetic:
    """``operands`` combined by ``operation`` give ``result``; ``stated`` is what was published
    (None when the finding states no figure for it: “增加” written without an amount).

    ``formula`` is the computation as a reviewer reads it (“5873.35 − 2696.69 = 3176.66”).
    ``alternatives`` are further figures the stated one was also compared with (a subject
    found in several rows); ``result`` is the nearest of them when there are several.
    """

    operation: str
    operands: list[Operand]
    result: Operand
    stated: Operand | None
    formula: str
    unit: str = "万元"
    alternatives: list[Operand] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.operation not in OPERATIONS:
            raise ValueError(f"unknown operation {self.operation!r} (known: {', '.join(OPERATIONS)})")

    @property
    def difference(self) -> Decimal | None:
        """What the operands give less what is stated (of a sum: the parts less the total)."""
        return None if self.stated is None else self.result.value - self.stated.value

    @property
    def tolerance(self) -> Decimal | None:
        """How far apart the two may be by rounding alone: the sum of their half-widths."""
        if self.stated is None:
            return None
        return (self.result.high - self.result.low + self.stated.high - self.stated.low) / 2

    @property
    def within_rounding(self) -> bool | None:
        """Whether values within the rounding of the published figures make them agree."""
        return None if self.stated is None else self.result.interval.overlaps(self.stated.interval)

    def to_dict(self) -> dict:
        return {
            "operation": self.operation,
            "formula": self.formula,
            "unit": self.unit,
            "operands": [o.to_dict() for o in self.operands],
            "result": self.result.to_dict(),
            "stated": None if self.stated is None else self.stated.to_dict(),
            "alternatives": [o.to_dict() for o in self.alternatives],
            "difference": None if self.difference is None else _plain(self.difference),
            "tolerance": None if self.tolerance is None else _plain(self.tolerance),
            "within_rounding": self.within_rounding,
        }
