"""Vocabulary kept as data: regex pieces from units.yaml, the reason categories' order."""

from __future__ import annotations

import pytest

from gouji.data import load_yaml
from gouji.narrative.reason_kinds import CATEGORIES, OTHER
from gouji.quantities.vocabulary import build, expand, pieces, short_units


def test_unit_pieces_are_the_units_of_the_data_longest_first():
    assert pieces()["money_unit"] == "万元|亿元|千元|元"
    assert pieces()["money_unit_short"] == "万元|亿元|千元|万|元"
    assert pieces()["percent_sign"] == "%|％"
    assert short_units() == {"万": "万元"}


def test_a_pattern_takes_the_pieces_it_names():
    amount = build(r"(?P<num>\d+(?:\.\d+)?)(?P<unit><<money_unit_short>>)")
    assert [(m["num"], m["unit"]) for m in amount.finditer("共12.5万元，其中3亿元、40万、7元")] == [
        ("12.5", "万元"), ("3", "亿元"), ("40", "万"), ("7", "元"),
    ]
    assert expand("<<percent_sign>>") == "(?:%|％)"
    with pytest.raises(KeyError, match="no vocabulary piece named 'money'"):
        expand("<<money>>")


def test_reason_categories_are_ordered_in_the_data():
    data = load_yaml("reasons.yaml")
    assert CATEGORIES == ("人员变动", "机构改革/合并", "政策调整", "项目增减", "压减一般性支出", "新增专项资金", "其他")
    assert {c["id"] for c in data["categories"]} | {OTHER} <= set(CATEGORIES)
