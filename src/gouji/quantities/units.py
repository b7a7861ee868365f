"""Money units and their conversion to 万元, the unit every comparison is made in."""

from __future__ import annotations

from decimal import Decimal
from functools import cache, lru_cache

from gouji.data import load_yaml
from gouji.quantities import vocabulary


@cache
def unit_table() -> dict[str, dict]:
    """Units from ``data/units.yaml``: factor to 万元 and conventional decimals."""
    return {u["name"]: u for u in load_yaml("units.yaml")["units"]}


def to_wan(value: Decimal, unit: str) -> Decimal:
    """Convert an amount written in ``unit`` to 万元."""
    return value * factor(unit)


@cache
def factor(unit: str) -> Decimal:
    """What one ``unit`` is in 万元."""
    return Decimal(str(unit_table()[unit]["factor"]))


@cache
def min_decimals(unit: str) -> int:
    """Decimals a figure in ``unit`` is conventionally published to (trailing zeros dropped)."""
    return int(unit_table()[unit].get("min_decimals", 0))


UNIT_LINE_RE = vocabulary.build(r"(?:金额)?单位[:：]\s*(?P<unit><<money_unit_short>>)")
# "金额单位万元": the colon left out
AMOUNT_UNIT_RE = vocabulary.build(r"金额单位[:：]?(<<money_unit>>)")


@lru_cache(maxsize=4096)
def unit_from_caption(text: str) -> str | None:
    """Read the unit of a table from a caption line such as ``单位：万元``."""
    m = UNIT_LINE_RE.search(text.replace(" ", ""))
    if not m:
        m2 = AMOUNT_UNIT_RE.search(text.replace(" ", ""))
        return m2.group(1) if m2 else None
    unit = m.group("unit")
    return vocabulary.short_units().get(unit, unit)
