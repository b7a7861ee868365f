"""Ruled tables read from bands of real pages (``tests/data/pages/``), one class of misreading each.

Each fixture is cut from a corpus PDF where the table was once read wrong; the rows asserted
are the printed ones, as transcribed from the page image (``tests/data/tables_gold/``).
"""

from __future__ import annotations

from gouji.ingest.pdf import Line, TableOnPage, _read_page
from tests.pages import load_page


def _read(name: str):
    page, number = load_page(name)
    return _read_page(page, number)


def _tables(name: str) -> list[list[list[str | None]]]:
    return [i.rows for i in _read(name).items if isinstance(i, TableOnPage)]


def test_marks_drawn_below_their_line_stay_in_it():
    # 重庆市气象局 p11: the font draws "、", "(" and ")" most of a character lower than the text
    (rows,) = _tables("重庆气象局_p11")
    assert rows[2][:3] == ["一、本年收入", "12,572.73", "一、本年支出"]
    assert rows[3][0] == "(一)一般公共预算资金"
    assert rows[3][2] == "(一)社会保障和就业支出"


def test_figures_of_a_font_with_a_false_descent_stay_in_their_row():
    # 重庆市气象局 p14: the digits' font declares a descent of one em, its boxes lie a row low
    (rows,) = _tables("重庆气象局_p14")
    assert rows[3] == ["301", "工资福利支出", "5,293.75", "5,293.75", ""]
    assert rows[4] == ["30101", "基本工资", "110.24", "110.24", ""]


def test_the_last_row_ruled_alone_on_the_next_page_is_a_table_row():
    # 无锡市统计局 p18: 2210203 购房补贴, carried over from p17 and ruled as a grid of one row
    assert _tables("无锡统计局_p18") == [[["2210203", "购房补贴", "167.18", "167.18", "167.18", "", ""]]]
    assert not any(isinstance(i, Line) and "购房补贴" in i.text for i in _read("无锡统计局_p18").items)


def test_a_row_left_open_by_the_page_break_is_closed():
    # 北京市交通委员会 p10: row 4 has no rule above it; the vertical rules run up past it
    (rows,) = _tables("北京交通委_p10")
    assert rows[0] == ["4", "水泥混凝土路面", "30cm无机结合料， 22cm水泥砼面层", "255元/㎡"]
    assert [r[0] for r in rows] == ["4", "5", "6", "7"]
