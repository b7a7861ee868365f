"""The national 决算 template's tables (Shanghai, 2024): kinds from their titles, and a blank form read."""

from __future__ import annotations

from pathlib import Path

import pytest

from gouji.ingest.pdf import _read_page, pages_to_export
from gouji.tables.build import build_tables, table_kind
from tests.pages import load_page

TITLES = {
    "收入支出决算总表": "收支总表",
    "收入决算表": "收入总表",
    "支出决算表": "支出总表",
    "财政拨款收入支出决算总表": "财政拨款收支总表",
    "一般公共预算财政拨款支出决算表": "一般公共预算支出表",
    "一般公共预算财政拨款基本支出决算表": "基本支出表",
    "财政拨款“三公”经费支出决算表": "三公经费表",
    "政府性基金预算财政拨款收入支出决算表": "政府性基金表",
    "国有资本经营预算财政拨款收入支出决算表": "国有资本经营表",
}


@pytest.mark.parametrize("title", TITLES)
def test_the_nine_final_account_tables_have_their_kinds(title):
    assert table_kind(title) == TITLES[title]
    assert table_kind(f"上海市XX局2024年度{title}") == TITLES[title]


def test_a_blank_form_starts_its_rows_at_its_first_numbered_item():
    # template p5: no figure printed anywhere, the rows still start at “一、…收入”, not in the header
    page, number = load_page("决算模板_收入支出决算总表_p5")
    (table,) = build_tables(pages_to_export([_read_page(page, number)]).to_document("决算模板.pdf", "pdf", page_count=1))
    assert (table.title, table.kind, len(table.rows)) == ("收入支出决算总表", "收支总表", 28)
    assert [c.label for c in table.columns] == ["收入/项目", "收入/决算数", "支出/项目", "支出/决算数"]
    assert [c.text for c in table.rows[0].cells] == ["一、一般公共预算财政拨款收入", "", "一、一般公共服务支出", ""]
    assert [c.text for c in table.rows[-1].cells] == ["总计", "", "总计", ""]


SANGONG = Path(__file__).parent / "data" / "final_accounts" / "三公经费支出决算表.txt"


def test_a_total_measured_twice_adds_up_per_measure():
    # the 决算 三公 table: 合计/预算数 and 合计/决算数 each add up their items' own measure
    from gouji.ingest import read_document
    from gouji.tables.structure import total_column_groups

    (t,) = build_tables(read_document(SANGONG))
    groups = {t.columns[a].label: [t.columns[c].label for c in cs] for a, cs in total_column_groups(t)}
    head = "财政拨款“三公”经费/"
    assert groups[head + "合计/决算数"] == [head + "因公出国（境）费/决算数", head + "公务用车购置及运行维护费/小计/决算数", head + "公务接待费/决算数"]
    assert groups[head + "公务用车购置及运行维护费/小计/预算数"] == [
        head + "公务用车购置及运行维护费/公务用车购置费/预算数", head + "公务用车购置及运行维护费/公务用车运行维护费/预算数"
    ]


def test_a_wrong_final_total_of_a_single_row_is_an_error():
    # one row only: the grouping is confirmed by its 预算数, which adds up, so 决算数's 27.50 against
    # 4.00 + 18.50 + 4.00 stands as an error
    from gouji.alignment.review import review_document
    from gouji.ingest import read_document

    review = review_document(read_document(SANGONG))
    (f,) = [f for f in review.findings if f.severity != "info"]
    assert (f.check, f.severity, f.expected, f.actual) == ("table.row_sum", "error", "26.50", "27.50")


TOTALS = Path(__file__).parent / "data" / "final_accounts" / "收入支出决算总表.txt"


def test_a_stated_total_against_the_final_accounts_total():
    # “收入支出总计0.50万元” where the 收入支出决算总表 gives 总计 3,418.27 (年初结转和结余 included):
    # an error on the plain 总计 row; the rate, whose last year would be below zero, is not judged
    from gouji.alignment.review import review_document
    from gouji.ingest import read_document

    review = review_document(read_document(TOTALS))
    got = [(f.check, f.severity, f.expected, f.actual) for f in review.findings if f.check.startswith("narrative.") and f.severity == "error"]
    assert got == [("narrative.amount_vs_table", "error", "3418.27万元", "0.50万元")]
    assert not [f for f in review.findings if f.check == "narrative.percentage"]


def test_a_right_final_accounts_total_is_borne_out_by_the_total_row():
    from gouji.alignment.review import review_document
    from gouji.ingest.text import parse_text

    text = TOTALS.read_text(encoding="utf-8").replace("收入支出总计0.50万元", "收入支出总计3,418.27万元")
    review = review_document(parse_text(text, str(TOTALS)))
    (claim,) = review.claims.claims
    assert (claim.subject_id, claim.status, claim.verified_by) == ("收支总计", "consistent", ["table", "arithmetic"])
    assert [f.check for f in review.findings if f.severity == "error"] == []
