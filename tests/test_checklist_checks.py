"""The coverage checks behind four checklist items, and how the checklist uses what they record."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gouji.alignment.review import review_document
from gouji.ingest import read_document
from gouji.report.checklist import evaluate
from gouji.report.json_report import report_dict
from tests.conftest import EXAMPLES, review_text

H = "# 某某局2022年部门预算\n\n"
IDS = ("narrative.sangong_items", "narrative.jiguan_explained", "table.procurement_sum", "table.performance_within_projects")
SUPPORT = (
    "部门预算支出总表\n\n单位：万元\n\n"
    "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
    "\t合计\t100.00\t60.00\t40.00\n"
    "210\t卫生健康支出\t100.00\t60.00\t40.00\n\n"
)


def run(text: str, cid: str):
    """The review, the findings of check ``cid`` and the checklist rows."""
    r = review_text(text)
    mine = [(f.check, f.severity, f.message) for f in r.findings if f.check == cid]
    rows = {x["id"]: x for x in evaluate(report_dict(r))}
    return r, mine, rows


def status(r, cid: str) -> str:
    return r.coverage[cid]["status"]


# ---------------------------------------------------------------- narrative.sangong_items


def test_sangong_items_all_stated():
    r, mine, rows = run(H + "2022年“三公”经费预算5万元，其中：因公出国（境）费0万元，公务用车购置及运行费3万元，公务接待费2万元。\n", "narrative.sangong_items")
    assert mine == [] and status(r, "narrative.sangong_items") == "evaluated"
    assert rows["sangong_explained"]["status"] == "合格"


def test_sangong_items_missing_named_definition_does_not_count():
    text = (
        H + "2022年“三公”经费预算5万元，其中公务接待费2万元。\n\n"
        "“三公”经费：指因公出国（境）费、公务用车购置及运行费和公务接待费。\n"
    )
    r, mine, rows = run(text, "narrative.sangong_items")
    assert mine == [
        (
            "narrative.sangong_items",
            "warning",
            "文字说明了“三公”经费（5万元），但未说明其中因公出国（境）费、公务用车购置及运行费的金额（或“无”）。",
        )
    ]
    assert rows["sangong_explained"]["status"] == "不合格"


def test_sangong_items_none_and_not_discussed():
    r, mine, _ = run(H + "2022年支出预算100万元。本单位2022年无“三公”经费预算。\n", "narrative.sangong_items")
    assert mine == [] and r.coverage["narrative.sangong_items"] == {"status": "evaluated", "reason": "文字说明“三公”经费为零或无，各分项均无"}
    r, mine, rows = run(H + "2022年支出预算100万元。\n", "narrative.sangong_items")
    assert mine == [] and r.coverage["narrative.sangong_items"]["reason"] == "文字说明未涉及“三公”经费"
    assert rows["sangong_explained"]["status"] == "无法判断" and rows["sangong_explained"]["problem"] == "文字说明未涉及“三公”经费"


def test_sangong_items_stated_together_as_zero():
    r, mine, _ = run(H + "2022年“三公”经费预算2万元。其中，因公出国（境）费、公务用车购置及运行费均为0，公务接待费2万元。\n", "narrative.sangong_items")
    assert mine == [] and status(r, "narrative.sangong_items") == "evaluated"


# ---------------------------------------------------------------- narrative.jiguan_explained


def test_jiguan_stated_or_not_applicable():
    r, mine, rows = run(H + "2022年机关运行经费预算10.5万元，主要用于办公费。\n", "narrative.jiguan_explained")
    assert mine == [] and rows["jiguan_explained"]["status"] == "合格"
    r, mine, rows = run(H + "2022年支出预算100万元。本单位为事业单位，不涉及机关运行经费。\n", "narrative.jiguan_explained")
    assert mine == [] and rows["jiguan_explained"]["status"] == "合格"


def test_jiguan_missing_definition_and_heading_do_not_count():
    text = H + "## 三、机关运行经费安排情况\n\n2022年支出预算100万元。\n\n机关运行经费：指各部门的公用经费。\n"
    r, mine, rows = run(text, "narrative.jiguan_explained")
    assert mine == [("narrative.jiguan_explained", "warning", "文字说明中未说明机关运行经费（未写明金额，也未说明无此项或不涉及）。")]
    f = next(f for f in r.findings if f.check == "narrative.jiguan_explained")
    assert r.document.text[f.span[0] : f.span[1]] == "三、机关运行经费安排情况"
    assert rows["jiguan_explained"]["status"] == "不合格"


def test_jiguan_without_prose_is_not_applicable():
    r, mine, rows = run(H + SUPPORT, "narrative.jiguan_explained")
    assert mine == [] and status(r, "narrative.jiguan_explained") == "not_applicable"
    assert rows["jiguan_explained"]["status"] == "无法判断"


# ---------------------------------------------------------------- table.procurement_sum

PROC_COLS = "政府采购预算表\n\n单位：万元\n\n项目\t合计\t货物\t工程\t服务\n合计\t{total}\t6.00\t0.00\t9.80\n办公设备\t{total}\t6.00\t0.00\t9.80\n\n"
PROC_ROWS = "政府采购预算表\n\n单位：万元\n\n项目\t金额\n合计\t{total}\n货物\t6.00\n工程\t0.00\n服务\t9.80\n\n"


@pytest.mark.parametrize("layout", [PROC_COLS, PROC_ROWS])
def test_procurement_table(layout):
    r, mine, rows = run(H + SUPPORT + layout.format(total="15.80"), "table.procurement_sum")
    assert mine == [] and status(r, "table.procurement_sum") == "evaluated"
    assert rows["procurement_sum"]["status"] == "合格"
    r, mine, rows = run(H + SUPPORT + layout.format(total="14.80"), "table.procurement_sum")
    assert [(c, s) for c, s, _ in mine] == [("table.procurement_sum", "error")]
    f = next(f for f in r.findings if f.check == "table.procurement_sum")
    assert (f.expected, f.actual, f.arithmetic.formula, f.difference) == ("15.80", "14.80", "6 + 0 + 9.8 = 15.80 ≠ 14.8（万元）", Decimal("1.00"))
    assert rows["procurement_sum"]["status"] == "不合格"


def test_procurement_prose_listed_apart():
    r, mine, _ = run(H + "2022年政府采购预算14.8万元。货物类采购6万元；工程类采购0万元；服务类采购9.8万元。\n", "table.procurement_sum")
    assert mine == [("table.procurement_sum", "error", "政府采购分项之和不符：6万元 + 0万元 + 9.8万元 = 15.80万元，应等于14.8万元。")]
    r, mine, _ = run(H + "2022年政府采购预算15.8万元。货物类采购6万元；工程类采购0万元；服务类采购9.8万元。\n", "table.procurement_sum")
    assert mine == [] and status(r, "table.procurement_sum") == "evaluated"


def test_procurement_grouped_prose_is_left_to_parts_sum():
    # a 政府采购 total listed with its categories is narrative.parts_sum's; the checklist counts
    # its finding only when the claim is a 政府采购 total (checklist.yaml also: subject)
    r, mine, rows = run(H + "2022年政府采购预算合计14.8万元。包括：货物类6万元，工程类0万元，服务类9.8万元。\n", "table.procurement_sum")
    assert mine == [] and status(r, "table.procurement_sum") == "evaluated"
    assert [f.check for f in r.findings if f.severity == "error"] == ["narrative.parts_sum"]
    assert rows["procurement_sum"]["status"] == "不合格"  # through checklist.yaml `also`


def test_procurement_not_applicable():
    r, mine, rows = run(H + SUPPORT + "2022年支出预算100万元。\n", "table.procurement_sum")
    assert mine == [] and r.coverage["table.procurement_sum"]["reason"] == "文件中未找到政府采购总额及其货物、工程、服务分项"
    assert rows["procurement_sum"]["status"] == "无法判断"
    r, _, rows = run(H + SUPPORT + "2022年政府采购预算20万元，主要用于办公设备。\n", "table.procurement_sum")
    assert r.coverage["table.procurement_sum"]["reason"] == "文件列出了政府采购，但未按货物、工程、服务分列金额"
    r, _, rows = run(H + SUPPORT + "2022年本单位无政府采购预算，支出预算100万元。\n", "table.procurement_sum")
    assert status(r, "table.procurement_sum") == "evaluated" and rows["procurement_sum"]["status"] == "合格"


# ---------------------------------------------------------------- table.performance_within_projects


def perf(funds: str, name: str = "医保宣传") -> str:
    return f"{name}项目支出绩效目标表\n\n项目名称\t{name}\t\t\n资金（万元）\t年度资金总额：\t{funds}\t\n绩效指标\t一级指标\t指标值\t\n产出指标\t数量指标\t100\t\n\n"


def test_performance_within_projects():
    r, mine, rows = run(H + SUPPORT + perf("25.00") + perf("15.00", "医疗救助"), "table.performance_within_projects")
    assert mine == [] and r.coverage["table.performance_within_projects"] == {
        "status": "evaluated",
        "reason": "项目绩效目标表（2张）所列2项年度资金之和 40.00 万元未超过项目支出 40.00",
    }
    assert rows["performance_within_projects"]["status"] == "合格"


def test_performance_exceeds_projects_one_finding():
    r, mine, rows = run(H + SUPPORT + perf("30.00") + perf("15.00", "医疗救助"), "table.performance_within_projects")
    # table.cross compares the complete set for equality and reports the excess; not reported twice
    assert mine == [] and status(r, "table.performance_within_projects") == "evaluated"
    assert [f.check for f in r.findings if f.message.startswith("项目绩效目标年度资金")] == ["table.cross"]
    assert rows["performance_within_projects"]["status"] == "不合格"
    # one table without its figure: table.cross cannot run; the part already exceeds
    r, mine, rows = run(H + SUPPORT + perf("45.00") + perf("", "医疗救助"), "table.performance_within_projects")
    assert [(c, s) for c, s, _ in mine] == [("table.performance_within_projects", "error")]
    f = next(f for f in r.findings if f.check == "table.performance_within_projects")
    assert f.arithmetic.formula == "40（T1）≠ 45（T2）（万元）" and f.difference == Decimal("5.00") and f.message.endswith("另有1张项目绩效目标表未列年度资金（计入只会使合计更大）。")
    assert rows["performance_within_projects"]["status"] == "不合格"


def test_performance_short_of_projects_passes_the_item():
    """table.cross reports 35 ≠ 40 (a warning here); only an excess fails or doubts the item (its JSON
    ``difference`` is what decides, not the message's wording)."""
    r, _, rows = run(H + SUPPORT + perf("20.00") + perf("15.00", "医疗救助"), "table.performance_within_projects")
    cross = [f for f in report_dict(r)["findings"] if f["check"] == "table.cross" and f["message"].startswith("项目绩效目标年度资金")]
    assert [(f["severity"], f["difference"]) for f in cross] == [("warning", "-5.00")]
    assert rows["performance_within_projects"]["status"] == "合格"


def test_performance_not_applicable():
    r, mine, rows = run(H + SUPPORT + perf("25.00") + perf("", "医疗救助"), "table.performance_within_projects")
    assert mine == [] and status(r, "table.performance_within_projects") == "not_applicable"
    assert rows["performance_within_projects"]["status"] == "无法判断"
    assert "1张项目绩效目标表未列年度资金" in rows["performance_within_projects"]["problem"]
    r, mine, _ = run(H + perf("25.00"), "table.performance_within_projects")
    assert r.coverage["table.performance_within_projects"]["reason"] == "未找到项目支出合计（支出总表、一般公共预算支出表或项目支出表）"


# ---------------------------------------------------------------- odd input, reports, examples


@pytest.mark.parametrize(
    "text",
    ["", H, H + "“三公”经费。\n", H + "政府采购表\n\n合计\t\n货物\tx\n\n", H + "项目绩效目标表\n\n年度资金总额\t\n\n", H + "机关运行经费0. 万元。\n"],
)
def test_odd_input_never_crashes(text):
    r = review_text(text)
    assert set(r.coverage) == set(IDS)


def test_old_report_without_coverage_is_undecided():
    r = review_text(H + "2022年机关运行经费预算10.5万元。\n")
    data = report_dict(r)
    assert data["coverage"]["narrative.jiguan_explained"]["status"] == "evaluated"
    del data["coverage"]
    row = next(x for x in evaluate(data) if x["id"] == "jiguan_explained")
    assert (row["status"], row["problem"]) == ("无法判断", "报告未记录narrative.jiguan_explained是否核对（报告早于该检查）")


EXPECTED = {
    # document: coverage status per check (s, j, p, perf); none of the examples has a finding
    "2022_安泽县医疗保障局_部门预算.txt": ("not_applicable", "not_applicable", "not_applicable", "evaluated"),
    "2022_榆林市横山区医疗保障局_部门预算.txt": ("evaluated", "evaluated", "evaluated", "not_applicable"),
    "2022_邯郸市医疗保障局_部门预算.txt": ("evaluated", "evaluated", "evaluated", "not_applicable"),
    "2022_青山区医疗保障局_部门预算.txt": ("evaluated", "evaluated", "evaluated", "not_applicable"),
    "2023_平顶山市石龙区医疗保障局_部门预算.txt": ("evaluated", "evaluated", "evaluated", "not_applicable"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_examples(name):
    r = review_document(read_document(EXAMPLES / name))
    assert tuple(r.coverage[c]["status"] for c in IDS) == EXPECTED[name]
    assert [f for f in r.findings if f.check in IDS] == []


def test_sangong_item_named_then_amount_in_next_sentence():
    # 北京/深圳: "（一）因公出国（境）费用。2026 年预算数 166.98 万元"; 杭州: "年初不编制因公出国（境）费用预算"
    text = (
        "# 某某局2026年部门预算\n\n2026年“三公”经费预算170.53万元。\n\n（一）因公出国（境）费用。2026年预算数166.98万元。\n\n"
        "（二）公务接待费。2026年预算数3.55万元。\n\n（三）公务用车购置和运行维护费。本部门年初不编制公务用车购置和运行维护费预算。\n"
    )
    r, mine, _ = run(text, "narrative.sangong_items")
    assert mine == [] and status(r, "narrative.sangong_items") == "evaluated"


def test_performance_list_layout():
    table = "2026年，本部门重点项目绩效目标情况如下：\n\n项目\t预算数（单位：万元）\t绩效目标\n医保宣传\t25\t宣传到位\n医疗救助\t20\t应救尽救\n\n"
    r, mine, _ = run(H + SUPPORT + table, "table.performance_within_projects")
    assert [(c, s) for c, s, _ in mine] == [("table.performance_within_projects", "error")]
    f = next(f for f in r.findings if f.check == "table.performance_within_projects")
    assert (f.expected, f.actual) == ("45.00", "40.00")
    assert f.message.startswith("项目绩效目标年度资金：2张项目绩效目标表之和超过项目支出：医保宣传 25 + 医疗救助 20 = 45.00，")


def test_parts_sum_of_a_category_does_not_decide_procurement():
    # a list grouped under a category claim (重庆: "…服务预算4,813.5万元;其中一般公共预算拨款政府采购…")
    report = {
        "tables": [],
        "claims": [{"id": "C1", "subject": "政府采购服务"}, {"id": "C2", "subject": "政府采购预算总额"}],
        "findings": [{"id": "F1", "check": "narrative.parts_sum", "severity": "error", "message": "分项之和不符", "quote": "政府采购", "claim": "C1", "location": {"line": 1}, "evidence": []}],
        "coverage": {"table.procurement_sum": {"status": "evaluated", "reason": "已核对"}},
    }
    assert next(x for x in evaluate(report) if x["id"] == "procurement_sum")["status"] == "合格"
    report["findings"][0]["claim"] = "C2"
    assert next(x for x in evaluate(report) if x["id"] == "procurement_sum")["status"] == "不合格"
