"""Exact parsing of the numbers written in budget disclosures.

Numbers are kept as ``Decimal`` together with the number of decimals written, because
the rounding of a published figure is what decides how far it may be from the truth.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

import regex

from gouji.patterns import re_
from gouji.records import dataclass

FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋（）％",
    "0123456789.,-+()%",
)

# A well-formed written number: optional sign or parentheses, digits with optional
# thousands separators, optional decimals.
NUMBER_RE = re_(
    r"""^
    (?P<open>\()?
    (?P<sign>[-+−–])?
    (?P<int>\d{1,3}(?:,\d{3})+|\d+)
    (?:\.(?P<frac>\d+))?
    (?P<close>\))?
    $""",
    regex.VERBOSE,
)
MALFORMED_RE = re_(r"^[-+−]?\d[\d,]*\.\s*$")
BLANK_MARKS = {"", "-", "--", "—", "——", "/", "－", "…"}


@dataclass(frozen=True)
class ParsedNumber:
    """A number as written: exact value and the count of decimals shown."""

    value: Decimal
    decimals: int
    text: str

    @property
    def half_ulp(self) -> Decimal:
        """Half a unit in the last written place: the largest rounding error."""
        return Decimal(5).scaleb(-(self.decimals + 1))


def normalize_digits(text: str) -> str:
    """Turn full-width digits and punctuation into ASCII ones."""
    return text.translate(FULLWIDTH)


@lru_cache(maxsize=65536)  # results are immutable; tables repeat their figures
def parse_number(text: str) -> ParsedNumber | None:
    """Parse a written number such as ``2,321.10``, ``-12.5`` or ``(3.00)``.

    Returns None for blanks, dashes and anything that is not a number.
    """
    cleaned = normalize_digits(text).strip().replace(" ", "")
    if cleaned in BLANK_MARKS:
        return None
    m = NUMBER_RE.match(cleaned)
    if not m or bool(m.group("open")) != bool(m.group("close")):
        return None
    integer = m.group("int").replace(",", "")
    frac = m.group("frac") or ""
    if too_many_digits(integer, frac):
        return None
    try:
        value = Decimal(f"{integer}.{frac}" if frac else integer)
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return None
    if m.group("open") or (m.group("sign") and m.group("sign") in "-−–"):
        value = -value
    return ParsedNumber(value=value, decimals=len(frac), text=text)


def too_many_digits(integer: str, frac: str) -> bool:
    """True past ``max_number_digits`` (limits.yaml): no budget figure has so many, and the
    exact arithmetic on figures and their rounding stays within the decimal precision."""
    from gouji.limits import limits

    return len(integer.lstrip("0")) + len(frac) > limits().max_number_digits


def is_malformed_number(text: str) -> bool:
    """True for a number cut short after its decimal point, such as ``2321.``."""
    return bool(MALFORMED_RE.match(normalize_digits(text).strip()))

