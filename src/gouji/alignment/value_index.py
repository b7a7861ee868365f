"""Every figure of a document's tables sorted by value, so that "is this amount published
anywhere else?" costs a binary search instead of a pass over every cell."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from decimal import Decimal

from gouji.alignment.figures import SKIP_KINDS, Figure
from gouji.quantities.intervals import Interval
from gouji.records import dataclass
from gouji.tables.model import Table


@dataclass(frozen=True)
class _Entry:
    """A money cell of the index, by the low end of its interval."""

    lo: Decimal
    order: int  # place in the tables, row by row: answers come back in that order
    figure: Figure


class ValueIndex:
    """The money cells of the tables (by default of kinds outside ``SKIP_KINDS``) by rounding
    interval; ``totals_only``: the cells of total rows, of every table, that are not zero."""

    def __init__(self, tables: list[Table], *, totals_only: bool = False):
        entries = []
        widest = Decimal(0)
        for t in tables:
            if t.kind in SKIP_KINDS and not totals_only:
                continue
            for row, cell in t.money_cells():
                if totals_only and not (row.is_total and cell.value):
                    continue
                col = t.column(cell.col)
                fig = Figure(t, row, cell, "", col.label if col else "")
                iv = fig.interval
                widest = max(widest, iv.hi - iv.lo)
                entries.append(_Entry(iv.lo, len(entries), fig))
        entries.sort(key=lambda e: e.lo)
        self._entries = entries
        self._los = [e.lo for e in entries]
        self._widest = widest

    def overlapping(self, iv: Interval) -> list[Figure]:
        """The figures whose interval overlaps ``iv``, in table and row order."""
        a = bisect_left(self._los, iv.lo - self._widest)
        b = bisect_right(self._los, iv.hi)
        found = [e for e in self._entries[a:b] if e.figure.interval.overlaps(iv)]
        return [e.figure for e in sorted(found, key=lambda e: e.order)]
