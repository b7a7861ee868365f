"""Table checks on small documents written for them, and on the examples' known cases."""

from __future__ import annotations

from tests.conftest import example_review, review_text

HEAD = "# 某某局2022年部门预算\n\n"


def table_findings(text: str, prefix: str = "table.") -> list[tuple[str, str, str, str | None]]:
    r = review_text(HEAD + text)
    doc = r.document.text
    return [
        (f.check, f.severity, doc[f.span[0] : f.span[1]], f.expected)
        for f in r.findings
        if f.check.startswith(prefix)
    ]


EXPENSE = (
    "部门预算支出总表\n\n单位：万元\n\n"
    "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
    "\t合计\t{total}\t60.00\t40.00\n"
    "210\t卫生健康支出\t100.00\t60.00\t40.00\n"
    "21015\t医疗保障管理事务\t{parent}\t60.00\t40.00\n"
    "2101501\t行政运行\t60.00\t60.00\t\n"
    "2101502\t一般行政管理事务\t40.00\t\t{leaf}\n\n"
)


def test_consistent_table_has_no_finding():
    assert table_findings(EXPENSE.format(total="100.00", parent="100.00", leaf="40.00")) == []


ECONOMIC = (
    "部门预算基本支出表\n\n单位：万元\n\n"
    "科目编码\t科目名称\t合计\n"
    "\t合计\t{total}\n"
    "301\t工资福利支出\t{wages}\n"
    "30101\t基本工资\t40.00\n"
    "30102\t津贴补贴\t20.00\n"
    "302\t商品和服务支出\t30.00\n"
    "30201\t办公费\t10.00\n"
    "30211\t差旅费\t20.00\n\n"
)


def test_hierarchy_sum_error_beyond_rounding():
    got = table_findings(ECONOMIC.format(total="90.00", wages="60.50"))
    assert ("table.hierarchy_sum", "error", "60.50", "60.00") in got


def test_hierarchy_sum_needs_one_parent_that_adds_up():
    # no parent of the table adds up: rows were lost in reading, the sums prove nothing
    text = ECONOMIC.format(total="90.00", wages="60.50").replace("30211\t差旅费\t20.00\n", "")
    assert [g for g in table_findings(text) if g[0] == "table.hierarchy_sum"] == []


def test_hierarchy_difference_within_rounding_is_info():
    # 60.00 + 40.01 = 100.01 against 100.00: the three figures' rounding allows ±0.015
    got = table_findings(EXPENSE.format(total="100.00", parent="100.00", leaf="40.01"))
    assert ("table.hierarchy_sum", "info", "40.00", "40.01") in got
    assert all(sev == "info" for _, sev, _, _ in got)


def test_row_sum_of_total_column():
    got = table_findings(EXPENSE.format(total="101.00", parent="100.00", leaf="40.00"))
    assert ("table.row_sum", "error", "101.00", "100.00") in got


def test_row_sum_skips_subset_columns():
    text = (
        "部门收入总表\n\n单位：万元\n\n"
        "项目\t合计\t一般公共预算\t一般公共预算\t政府性基金\n"
        "\t\t小计\t其中：财政拨款\t\n"
        "合计\t100.00\t90.00\t80.00\t10.00\n"
        "某某局\t100.00\t90.00\t80.00\t10.00\n\n"
    )
    assert table_findings(text) == []


def test_total_row_of_code_roots():
    text = (
        "部门预算支出总表\n\n单位：万元\n\n"
        "科目编码\t科目名称\t合计\n"
        "\t合计\t150.00\n"
        "208\t社会保障和就业支出\t20.00\n"
        "20805\t行政事业单位养老支出\t20.00\n"
        "210\t卫生健康支出\t100.00\n"
        "21015\t医疗保障管理事务\t100.00\n\n"
        "部门预算一般公共预算支出表\n\n单位：万元\n\n"
        "科目编码\t科目名称\t合计\n"
        "\t合计\t120.00\n"
        "208\t社会保障和就业支出\t20.00\n"
        "20805\t行政事业单位养老支出\t20.00\n"
        "210\t卫生健康支出\t100.00\n"
        "21015\t医疗保障管理事务\t100.00\n\n"
    )
    got = table_findings(text)
    assert ("table.total_row", "error", "150.00", "120.00") in got


def test_numbered_items_and_totals_of_a_statement_table():
    text = (
        "财政拨款收支总表\n\n单位：万元\n\n"
        "收入\t\t支出\t\n"
        "项目\t预算数\t项目\t预算数\n"
        "一、一般公共预算拨款\t100.00\t一、基本支出\t60.00\n"
        "二、政府性基金预算拨款\t\t1、人员经费\t50.00\n"
        "\t\t2、公用经费\t9.00\n"
        "\t\t二、项目支出\t40.00\n"
        "本年收入合计\t100.00\t本年支出合计\t100.00\n"
        "上年结转\t5.00\t结转下年\t\n"
        "收入总计\t105.00\t支出总计\t100.00\n\n"
    )
    got = table_findings(text)
    assert ("table.total_row", "error", "60.00", "59.00") in got
    assert ("table.cross", "error", "100.00", "105.00") in got
    assert len(got) == 2


def test_blank_total_taken_from_the_same_row_beside_it():
    text = (
        "财政拨款收支总表\n\n单位：万元\n\n"
        "项目\t预算数\t功能分类\t预算数\t经济分类\t预算数\n"
        "一、财政拨款\t100.00\t一、财政拨款\t100.00\t一、财政拨款\t\n"
        "1、一般公共预算\t100.00\t1、卫生健康支出\t100.00\t1、人员经费和公用经费\t60.00\n"
        "\t\t\t\t2、专项业务经费\t40.04\n\n"
    )
    got = table_findings(text)
    assert got == [("table.total_row", "error", "100.00", "100.04")]


def test_misread_header_is_not_reported():
    # the component columns hold nothing that adds up in any row: a shifted header
    text = (
        "部门支出总表\n\n单位：万元\n\n"
        "名称\t合计\t基本支出\t项目支出\n"
        "\t\t小计\t人员经费\n"
        "合计\t100.00\t70.00\t30.00\n"
        "甲\t60.00\t42.00\t18.00\n"
        "乙\t40.00\t28.00\t12.00\n\n"
    )
    assert [g for g in table_findings(text) if g[0] == "table.row_sum"] == []


def test_cross_across_units():
    text = (
        "部门支出总表\n\n单位：万元\n\n"
        "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "\t合计\t100.00\t60.00\t40.00\n\n"
        "项目支出表\n\n单位：元\n\n"
        "项目名称\t合计\n"
        "合计\t400,100\n"
        "甲项目\t400,100\n\n"
    )
    got = table_findings(text)
    assert got == [("table.cross", "error", "400,100", "40.00")]


def test_cross_in_yuan_agrees():
    text = (
        "部门支出总表\n\n单位：万元\n\n"
        "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "\t合计\t100.00\t60.00\t40.00\n\n"
        "项目支出表\n\n单位：元\n\n"
        "项目名称\t合计\n"
        "合计\t400,000\n"
        "甲项目\t400,000\n\n"
    )
    assert table_findings(text) == []


TOC = (
    "目录\n\n"
    "报表\t报表名称\t是否空表\t公开空表理由\n"
    "表1\t2022年部门预算收支总表\t否\t\n"
    "表2\t2022年部门预算政府性基金支出表\t是\t本单位无政府性基金\n"
    "表3\t2022年部门预算“三公”经费支出表\t否\t\n\n"
    "2022年部门预算收支总表\n\n单位：万元\n\n"
    "收入\t金额\t支出\t金额\n"
    "一般公共预算\t10.00\t卫生健康支出\t10.00\n"
    "收入总计\t10.00\t支出总计\t10.00\n\n"
)


def test_missing_table_listed_in_the_toc():
    got = table_findings(TOC, prefix="document.missing")
    assert ("document.missing_table", "warning", "表3\t2022年部门预算“三公”经费支出表\t否\t", "2022年部门预算“三公”经费支出表") in got
    assert ("document.missing_table", "info", "表2\t2022年部门预算政府性基金支出表\t是\t本单位无政府性基金", "2022年部门预算政府性基金支出表") in got
    assert len(got) == 2


EMPTY = "2022年部门预算政府性基金预算支出表\n\n单位：万元\n\n科目编码\t科目名称\t合计\n\n"


def test_empty_table_without_reason():
    got = table_findings(EMPTY + "一、收支说明\n\n本年收支100万元。\n", prefix="document.empty")
    assert [(c, s) for c, s, _, _ in got] == [("document.empty_table", "warning")]


def test_empty_table_with_a_note():
    assert table_findings(EMPTY + "注：本部门无政府性基金预算，此表为空表。\n", prefix="document.empty") == []


def test_empty_table_explained_in_the_prose():
    text = "二、政府性基金预算支出情况说明\n\n本部门2022年无使用政府性基金预算拨款安排的支出。\n\n" + EMPTY
    assert table_findings(text, prefix="document.empty") == []


# ------------------------------------------------------- acceptance on the examples


def _messages(name: str, check: str) -> list[str]:
    return [f.message for f in example_review(name).findings if f.check == check]


def test_hengshan_table4_parts_do_not_make_the_total():
    r = example_review("2022_榆林市横山区医疗保障局_部门预算.txt")
    f = next(f for f in r.findings if f.check == "table.total_row" and f.expected == "2321.06")
    assert f.severity == "error" and f.actual == "2,321.10"
    assert "1、人员经费和公用经费支出 600.65 + 2、专项业务经费支出 1,720.41" in f.message


def test_shilong_performance_table_funding_source():
    r = example_review("2023_平顶山市石龙区医疗保障局_部门预算.txt")
    f = next(f for f in r.findings if f.check == "table.cross" and f.severity == "error")
    assert f.actual == "193.86" and f.expected == "0.00"
    assert "财政专户管理资金" in f.message
    assert {e["table"] for e in f.evidence} == {"T2", "T12"}


def test_anze_has_no_error_and_its_yuan_project_tables_sum_to_the_total():
    r = example_review("2022_安泽县医疗保障局_部门预算.txt")
    assert not [f for f in r.findings if f.severity == "error"]
    f = next(f for f in r.findings if f.check == "table.cross")
    assert f.severity == "info" and f.expected == "232.2276" and f.actual == "232.23"
