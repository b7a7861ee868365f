"""The unit a document is about, read from its title before the 目录 (title forms of the corpus)."""

from __future__ import annotations

import pytest

from gouji.ingest.text import parse_text

TITLES = [
    # year first, the title over two lines (广州, 珠海, 泉州)
    ("2026年\n\n广州市交通运输局部门预算", "广州市交通运输局"),
    ("2026 年度苏州市交通运输局部门预算公开", "苏州市交通运输局"),
    # a unit whose name holds a shorter unit's suffix (政府, 会)
    ("2026 年深圳市人民政府口岸办公室部门预算", "深圳市人民政府口岸办公室"),
    ("2026 年深圳市人力资源和社会保障局部门预算", "深圳市人力资源和社会保障局"),
    # a unit's own level in brackets, then the year (长春)
    ("长春市信访局（本级）\n\n2026年度部门预算公开", "长春市信访局"),
    ("2026 年度\n\n福州市公安局治安管理支队\n\n单位预算", "福州市公安局治安管理支队"),
    # the unit named after 预算单位 (上海's 单位预算)
    ("上海市2026年市级单位预算\n\n预算单位：上海交通职业技术学院", "上海交通职业技术学院"),
]


@pytest.mark.parametrize(("title", "unit"), TITLES)
def test_unit_from_the_title(title, unit):
    doc = parse_text(f"{title}\n\n目录\n\n一、收支总表\n\n其他单位2026年部门预算另行公开。\n", "<test>")
    assert doc.meta.unit_name == unit
    assert doc.meta.year == 2026


def test_the_title_wins_over_units_named_in_the_text():
    body = "\n\n".join(["纳入烟台市民政局2026年部门预算编制范围的单位共1个。"] * 3)
    doc = parse_text(f"2026年烟台市民政局部门预算\n\n目录\n\n{body}\n", "<test>")
    assert doc.meta.unit_name == "烟台市民政局"


def test_no_title_no_unit():
    doc = parse_text("一、收支预算总体情况\n\n本年收入100万元。\n", "<test>")
    assert doc.meta.unit_name is None
