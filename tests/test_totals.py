"""What makes a row or a column a total (gouji.tables.totals, data/totals.yaml), on real labels."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gouji.ingest.document import Location
from gouji.quantities.units import unit_from_caption
from gouji.tables.model import Cell, Row
from gouji.tables.totals import (
    has_subtotal_word,
    is_grand_total_cell,
    is_listed_total,
    is_total_header,
    is_total_label,
    is_total_row,
    own_amount_column,
    total_kind,
    total_row,
)

# label: (is_total_label — Row.is_total, total_kind — a trailing total of a label column)
ROW_LABELS = {
    "合计": (True, "subtotal"),
    "合  计": (True, "subtotal"),
    "总计": (True, "grand"),
    "小计": (True, "subtotal"),
    "本年收入合计": (True, "subtotal"),
    "本年支出合计": (True, "subtotal"),
    "收入总计": (True, "grand"),
    "支出总计": (True, "grand"),
    "收支总计": (True, "grand"),
    "支出合计": (True, "subtotal"),
    "金额合计": (True, "subtotal"),
    "财政拨款收入总计": (True, "grand"),
    # a numbered label heads its items: a total row, but no trailing total
    "一、本年收入合计": (True, None),
    "（一）支出合计": (True, None),
    # a word inside a label, or 小计 at the end of a longer one, makes no total
    "合计数": (False, None),
    "部门小计": (False, None),
    "共计": (False, None),
    "一般公共服务支出": (False, None),
    "": (False, None),
}


@pytest.mark.parametrize("label", list(ROW_LABELS))
def test_row_labels(label):
    assert (is_total_label(label), total_kind(label)) == ROW_LABELS[label]


def test_listed_total_keeps_spaces():
    # a lone fragment under a label is a row of its own only when it is a listed label as written
    assert is_listed_total("合计")
    assert is_listed_total("本年收入合计")
    assert not is_listed_total("合  计")
    assert not is_listed_total("支出合计")  # a total row by its ending, but not listed
    assert not is_listed_total("合计数")


def test_subtotal_words_anywhere_as_written():
    assert has_subtotal_word("一本年支出、")
    assert has_subtotal_word("其中：小计")
    assert has_subtotal_word("合计数")
    assert not has_subtotal_word("合  计")
    assert not has_subtotal_word("一般公共服务支出")


def test_grand_total_cells():
    assert is_grand_total_cell("收入总计")
    assert is_grand_total_cell("收 支 总 计")
    assert not is_grand_total_cell("支出总计")
    assert not is_grand_total_cell("合计")


def test_total_headers():
    assert [is_total_header(h) for h in ["合计", "小计", "总计", "金额合计", "基本支出小计"]] == [True] * 5
    assert [is_total_header(h) for h in ["合计数", "预算数", "基本支出", "合 计 数"]] == [False] * 4


def test_own_amount_columns():
    pattern = own_amount_column()
    assert [bool(pattern.match(h)) for h in ["合计", "金额", "预算数", "2026年预算数", "2026年", "本年预算"]] == [True] * 6
    assert [bool(pattern.match(h)) for h in ["基本支出", "合计数", "上年预算数"]] == [False] * 3


def _row(index: int, name: str | None, value: str | None = "10.00", code: str | None = None) -> Row:
    loc = Location(index + 1, 0, 0, None, None)
    cells = [Cell(name or "", None, 0, (index + 1, 0, 0, None), index, 0)]
    if value is not None:
        cells.append(Cell(value, Decimal(value), 2, (index + 1, 0, 0, None), index, 1, True))
    return Row(index, cells, loc, code=code, name=name, is_total=is_total_row(name, code, cells, first=index == 0))


def test_total_rows():
    # the first row, with figures but no name or code, is a total row; a later one is not
    assert _row(0, None).is_total
    assert not _row(1, None).is_total
    assert not _row(0, None, code="201").is_total
    assert not _row(0, None, value=None).is_total
    assert _row(3, "合  计").is_total
    assert not _row(3, "合计数").is_total


def test_total_row_of_a_table_skips_numbered_totals():
    rows = [_row(0, "一、本年收入合计"), _row(1, "财政拨款收入"), _row(2, "收入总计")]
    assert [r.is_total for r in rows] == [True, False, True]
    assert total_row(rows) is rows[2]
    assert total_row([_row(0, None), _row(1, "合计")]).index == 0
    assert total_row([_row(0, "一、本年收入合计")]) is None


@pytest.mark.parametrize(
    ("caption", "unit"),
    [("单位：万元", "万元"), ("单位:万", "万元"), ("金额单位：亿元", "亿元"), ("金额单位 千元", "千元"), ("单位：元", "元"), ("金额：万元", None)],
)
def test_unit_from_caption(caption, unit):
    assert unit_from_caption(caption) == unit
