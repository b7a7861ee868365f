"""Number parsing and rounding intervals, with property tests."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gouji.quantities.intervals import Interval
from gouji.quantities.numbers import is_malformed_number, parse_number

amounts = st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2, allow_nan=False, allow_infinity=False)


@given(amounts)
def test_plain_roundtrip(x):
    p = parse_number(format(x, "f"))
    assert p is not None and p.value == x and p.decimals == 2


@given(amounts)
def test_thousands_separators(x):
    text = f"{x:,.2f}"
    p = parse_number(text)
    assert p is not None and p.value == x


@given(st.integers(min_value=0, max_value=10**9))
def test_fullwidth_digits(n):
    full = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_number(full).value == n


def test_forms():
    assert parse_number("2,321.10").value == Decimal("2321.10")
    assert parse_number("2,321.10").decimals == 2
    assert parse_number("(12.50)").value == Decimal("-12.50")
    assert parse_number("-0.51").value == Decimal("-0.51")
    for blank in ("", "-", "—", "  "):
        assert parse_number(blank) is None
    for bad in ("12a", "1,23", "(12", "年"):
        assert parse_number(bad) is None


def test_malformed():
    assert is_malformed_number("2321.")
    assert is_malformed_number("2321. ")
    assert not is_malformed_number("2321.1")
    assert not is_malformed_number("2321")


@given(amounts, st.integers(min_value=0, max_value=4))
def test_rounding_interval_contains_every_value_that_rounds_to_it(x, places):
    shown = x.quantize(Decimal(1).scaleb(-places))
    iv = Interval.rounded(shown, places)
    assert iv.contains(x) or abs(x - shown) == iv.hi - shown  # ties at the boundary


@given(amounts, amounts)
def test_difference_interval_contains_true_difference(a, b):
    ra, rb = a.quantize(Decimal("0.1")), b.quantize(Decimal("0.1"))
    diff = Interval.rounded(ra, 1) - Interval.rounded(rb, 1)
    assert diff.contains(a - b)


@given(
    st.decimals(min_value=Decimal("1"), max_value=Decimal("10000"), places=2),
    st.decimals(min_value=Decimal("1"), max_value=Decimal("10000"), places=2),
)
def test_quotient_interval_contains_true_ratio(a, b):
    ra, rb = a.quantize(Decimal("0.1")), b.quantize(Decimal("0.1"))
    q = Interval.rounded(ra, 1) / Interval.rounded(rb, 1)
    assert q is not None and q.lo <= a / b <= q.hi


def test_handan_percentage_tolerance():
    # current 1, change 0.51 (both to 0.01 万元): base in [1.50, 1.52]
    cur = Interval.rounded(Decimal("1"), 2)
    delta = Interval.rounded(Decimal("0.51"), 2)
    pct = (delta / (cur + delta)).scale(Decimal(100))
    assert pct.overlaps(Interval.rounded(Decimal("33.78"), 2))
    assert not pct.overlaps(Interval.rounded(Decimal("35.00"), 2))


def test_division_by_possible_zero_is_undefined():
    assert Interval.rounded(Decimal("1"), 2) / Interval.rounded(Decimal("0"), 2) is None
