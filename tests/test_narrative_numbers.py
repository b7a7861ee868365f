"""Numbers in the prose: every way a budget disclosure writes an amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gouji.ingest.text import parse_text
from gouji.narrative.extract import extract_claims
from gouji.narrative.mentions import parse_cn_number


def claims(prose: str):
    doc = parse_text("# 某某局2022年部门预算\n\n" + prose + "\n", "<test>")
    return doc, extract_claims(doc).claims


@pytest.mark.parametrize(
    ("prose", "value", "unit", "surface"),
    [
        ("宣传经费1,234.50万元。", "1234.50", "万元", "1,234.50万元"),
        ("宣传经费１２３.４万元。", "123.4", "万元", "１２３.４万元"),
        ("宣传经费一千二百万元。", "1200", "万元", "一千二百万元"),
        ("宣传经费两万元。", "2", "万元", "两万元"),
        ("宣传经费三点五亿元。", "3.5", "亿元", "三点五亿元"),
        ("宣传经费2.5亿元。", "2.5", "亿元", "2.5亿元"),
        ("宣传经费3千元。", "3", "千元", "3千元"),
        ("宣传经费0.0万元。", "0.0", "万元", "0.0万元"),
        ("宣传经费-12.5万元。", "-12.5", "万元", "-12.5万元"),
        ("宣传经费(12.5)万元。", "-12.5", "万元", "(12.5)万元"),
    ],
)
def test_amount_forms(prose, value, unit, surface):
    doc, cs = claims(prose)
    assert len(cs) == 1
    q = cs[0].amount
    assert (q.value, q.unit) == (Decimal(value), unit)
    assert doc.text[q.span[0] : q.span[1]] == surface
    assert cs[0].subject == "宣传经费"


def test_wan_conversion_is_exact():
    _, cs = claims("宣传经费3千元。")
    assert cs[0].amount.wan == Decimal("0.3")


def test_zero_by_word():
    doc, cs = claims("本部门无政府性基金预算收入，“三公”经费未安排。")
    got = [(c.subject, c.amount.value, c.zero_by_word, doc.text[c.amount.span[0] : c.amount.span[1]]) for c in cs]
    assert got == [("政府性基金预算收入", 0, True, "无"), ("三公经费", 0, True, "未安排")]


def test_no_change_words_are_not_zero_amounts():
    _, cs = claims("项目经费12万元，与上年无增减变化。")
    assert len(cs) == 1 and cs[0].comparison.direction == "flat"


@pytest.mark.parametrize("prose", ["项目经费12万元，与上年持平。", "项目经费12万元，与上年一致。", "项目经费12万元，较上年无增减。"])
def test_flat_words(prose):
    _, cs = claims(prose)
    assert cs[0].comparison.direction == "flat"


def test_negative_change_flips_direction():
    _, cs = claims("支出预算100万元，较上年增加-3万元。")
    cmp = cs[0].comparison
    assert (cmp.direction, cmp.delta.value) == ("decrease", Decimal(3))


def test_numeral_words_are_not_amounts():
    _, cs = claims("执行统一千元标准，落实第一元素。")
    assert cs == []


def test_cn_numbers():
    assert parse_cn_number("一亿二千万").value == Decimal(120000000)
    assert parse_cn_number("三点五").decimals == 1
    assert parse_cn_number("二〇二二") is None


# -- properties --------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,，。；：万元亿千%％（）()增加减少较上年其中主要原因是无未安排一二三十百千两点“”\n ")), max_size=80))
def test_extraction_never_raises_on_budget_like_text(text):
    doc, cs = claims(text)
    for c in cs:
        for q in (c.amount, c.share, c.comparison and c.comparison.delta, c.comparison and c.comparison.percent):
            if q is not None:
                assert 0 <= q.span[0] <= q.span[1] <= len(doc.text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_extraction_never_raises_on_any_text(text):
    claims(text)


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2, allow_nan=False),
    st.sampled_from(["万元", "元", "亿元", "千元"]),
    st.booleans(),
)
def test_amounts_round_trip_through_formatting(value, unit, thousands):
    written = f"{value:,.2f}" if thousands else f"{value:.2f}"
    doc, cs = claims(f"宣传经费{written}{unit}。")
    assert len(cs) == 1
    q = cs[0].amount
    assert q.value == value and q.unit == unit and q.decimals == 2
    assert doc.text[q.span[0] : q.span[1]] == f"{written}{unit}"
