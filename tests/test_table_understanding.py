"""Tables read right and understood right: which columns add up, and which rows are last year's."""

from __future__ import annotations

from gouji.alignment.figures import Figure, carried_over
from gouji.alignment.review import review_document
from gouji.ingest.text import parse_text
from gouji.report.json_report import report_dict
from gouji.tables.build import build_tables
from gouji.tables.structure import total_column_groups


def _table(text: str):
    (t,) = build_tables(parse_text(text, "t.txt"))
    return t


def test_a_qizhong_right_after_the_total_opens_its_parts():
    # 广州's 一般公共预算支出情况表: 小计 = 其中：基本支出 + 项目支出
    t = _table("## 一般公共预算支出情况表\n单位：万元\n功能科目名称\t一般公共预算支出\t\t\n\t小计\t其中：基本支出\t项目支出\n"
               "合计\t155,723.39\t16,877.61\t138,845.78\n[201]一般公共服务支出\t12,090.48\t8,690.35\t3,400.14\n")
    assert [(t.columns[a].label, [t.columns[c].label for c in cs]) for a, cs in total_column_groups(t)] == [
        ("一般公共预算支出/小计", ["一般公共预算支出/其中：基本支出", "一般公共预算支出/项目支出"])
    ]


def test_a_qizhong_after_another_part_is_a_part_of_that_part():
    t = _table("## 支出总表\n单位：万元\n项目\t合计\t基本支出\t其中：人员经费\t项目支出\n合计\t100.00\t60.00\t40.00\t40.00\n")
    assert [[t.columns[c].label for c in cs] for _, cs in total_column_groups(t)] == [["基本支出", "项目支出"]]


def test_the_sangong_total_adds_up_its_three_items_only():
    # 无锡's and 苏州's “三公”经费、会议费、培训费支出表: 会议费 and 培训费 stand beside the 三公 total
    t = _table("## 一般公共预算“三公”经费、会议费、培训费支出表\n单位：万元\n“三公”经费合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\t会议费\t培训费\n"
               "\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t\n6.40\t0.00\t2.80\t0.00\t2.80\t3.60\t2.80\t10.00\n")
    groups = {t.columns[a].label: [t.columns[c].label for c in cs] for a, cs in total_column_groups(t)}
    assert groups["“三公”经费合计"] == ["因公出国（境）费", "公务用车购置及运行维护费/小计", "公务接待费"]
    review = review_document(parse_text("# 某局2026年部门预算\n\n" + "".join(
        line + "\n" for line in [
            "## 一般公共预算“三公”经费、会议费、培训费支出表", "单位：万元",
            "“三公”经费合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\t会议费\t培训费",
            "\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t", "6.40\t0.00\t2.80\t0.00\t2.80\t3.60\t2.80\t10.00",
        ]), "t.txt"))
    assert not [f for f in review.findings if f.check == "table.row_sum"]
    (table,) = report_dict(review)["tables"]
    assert table["sums"] == {"tested": 2, "failed": 0}


CARRIED = """# 某局2026年部门预算

## 2026年财政拨款收支总体情况表
单位：万元
收入\t\t支出\t
项目\t预算数\t项目\t合计
一、本年收入\t12,572.73\t一、本年支出\t13,252.62
(一)一般公共预算资金\t12,572.73\t(一)社会保障和就业支出\t82.51
二、上年结转\t679.89\t二、结转下年\t
(一)一般公共预算拨款\t100.00\t\t
(二)政府性基金预算拨款\t579.89\t\t
收入合计\t13,252.62\t支出合计\t13,252.62

2026年一般公共预算拨款12,672.73万元。
"""


def test_an_item_carried_over_from_last_year_is_not_the_years_quantity():
    # 重庆's “二、上年结转 / (一)一般公共预算拨款 100.00” against a claim of the year's 一般公共预算拨款
    review = review_document(parse_text(CARRIED, "t.txt"))
    assert not [f for f in review.findings if f.check == "narrative.amount_vs_table"]
    (t,) = review.tables
    by_label = {(r.cells[k].text, k): Figure(t, r, r.cells[k + 1], r.cells[k].text, "") for r in t.rows for k in (0, 2) if r.cells[k].text}
    assert carried_over(by_label[("(一)一般公共预算拨款", 0)])
    assert carried_over(by_label[("(二)政府性基金预算拨款", 0)])
    assert not carried_over(by_label[("(一)一般公共预算资金", 0)])
    assert not carried_over(by_label[("(一)社会保障和就业支出", 2)])
    assert not carried_over(by_label[("二、上年结转", 0)])


def test_the_first_columns_header_spans_down_not_across():
    # 深圳市城市管理和综合执法局 p26: “支出项目类别” over the row labels, an empty cell above 总计
    t = _table("## 项目支出总表\n单位：万元\n支出项目类别\t\t2026年预算\t\n\t总计\t财政拨款\t单位资金\n"
               "城市管理运行保障\t1,958.66\t1,690.21\t268.45\n园林绿化管理\t467.81\t467.81\t0.00\n")
    assert [c.label for c in t.columns] == ["支出项目类别", "总计", "2026年预算/财政拨款", "2026年预算/单位资金"]
