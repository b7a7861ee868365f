"""Interval arithmetic over rounded figures.

A figure published as 2696.69 stands for any value in [2696.685, 2696.695]. Every
check computes with such intervals, so its tolerance is exactly what the rounding of
its inputs allows, never a fixed allowance.
"""

from __future__ import annotations

from decimal import Decimal

from gouji.quantities.fixed import quantized
from gouji.records import dataclass

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Interval:
    """The closed range of values a published figure may stand for."""

    lo: Decimal
    hi: Decimal

    @classmethod
    def rounded(cls, value: Decimal, decimals: int) -> Interval:
        """The values that round to ``value`` at ``decimals`` places."""
        half = Decimal(5).scaleb(-(decimals + 1))
        return cls(value - half, value + half)

    @classmethod
    def exact(cls, value: Decimal) -> Interval:
        return cls(value, value)

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def scale(self, k: Decimal) -> Interval:
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def __truediv__(self, other: Interval) -> Interval | None:
        """Quotient; None when the divisor may be zero (the ratio is then unbounded)."""
        if other.lo <= 0 <= other.hi:
            return None
        qs = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return Interval(min(qs), max(qs))

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def contains(self, x: Decimal) -> bool:
        return self.lo <= x <= self.hi

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2

    def strictly_positive(self) -> bool:
        return self.lo > 0

    def strictly_negative(self) -> bool:
        return self.hi < 0

    def __str__(self) -> str:
        return f"[{_fmt(self.lo)}, {_fmt(self.hi)}]"


def _fmt(x: Decimal) -> str:
    q = quantized(x, Decimal("0.0001")) if x == x.to_integral() or abs(x.as_tuple().exponent) > 4 else x
    return format(q.normalize(), "f")


def total(intervals: list[Interval]) -> Interval:
    acc = Interval.exact(Decimal(0))
    for iv in intervals:
        acc = acc + iv
    return acc
