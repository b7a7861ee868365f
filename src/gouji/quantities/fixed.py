"""Rounding a figure to a fixed number of places, whatever its size."""

from __future__ import annotations

from decimal import Decimal, localcontext


def quantized(x: Decimal, exp: Decimal, rounding: str | None = None) -> Decimal:
    """``x.quantize(exp)`` in a context precise enough for ``x``: the default 28 digits raise
    InvalidOperation for a ratio of 10²⁰ % rounded to cents, which hostile prose can state."""
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, x.adjusted() - exp.as_tuple().exponent + 3)
        return x.quantize(exp, rounding=rounding)
