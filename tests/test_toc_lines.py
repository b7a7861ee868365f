"""A 目录 written as lines of text, as the HTML report shows it: title and page, no leader dots."""

from __future__ import annotations

from gouji.ingest.text import parse_text
from gouji.report.html import render, report_model
from gouji.tables.toc import toc_lines
from tests.conftest import review_text

TOC = (
    "# 某某局2026年部门预算\n\n目录\n\n"
    "第一部分 某某局基本情况...............................2\n\n"
    "一、部门职责................................................................2\n\n"
    "二、部门收支总表……………………5\n\n"
    "第一部分 某某局基本情况\n\n"
    "一、部门职责\n\n"
    "（一）负责处理群众来信来访，承办上级交办的事项，并做好相关的协调和督办工作，确保各项工作落到实处。\n"
)


def test_toc_lines_without_their_leader_dots():
    doc = parse_text(TOC, "<toc>")
    got = [(line.title, line.page) for line in toc_lines(doc, count_leaders=False)]
    assert got == [
        ("第一部分 某某局基本情况", "2"),
        ("一、部门职责", "2"),
        ("二、部门收支总表", "5"),
        ("第一部分 某某局基本情况", None),
        ("一、部门职责", None),
    ]
    # counted with its dots, the second line is too long for a 目录 line: the check's reading stops there
    assert [line.title for line in toc_lines(doc)] == ["第一部分 某某局基本情况"]


def test_report_shows_toc_lines_with_a_page():
    m = report_model(review_text(TOC))
    shown = [(b["toc"]["title"], b["toc"]["page"]) for b in m["blocks"] if b.get("toc")]
    assert shown[:3] == [("第一部分 某某局基本情况", "2"), ("一、部门职责", "2"), ("二、部门收支总表", "5")]
    html = render(m)
    assert html.count('class="blk toc-line"') == 3  # the lines without a page are the body's headings
    assert '<span class="toc-title">二、部门收支总表</span><span class="toc-page">5</span>' in html
