"""Readings that decide whether a contradiction is confirmed, each on a small document."""

from __future__ import annotations

from gouji.alignment.review import review_document
from gouji.ingest.text import parse_text

HEAD = "# 某局2022年部门预算\n\n"


def _review(text: str):
    return review_document(parse_text(HEAD + text, "t.txt"))


def _findings(review, check: str) -> list[tuple[str, str]]:
    doc = review.document
    return [(f.severity, doc.text[f.span[0] : f.span[1]]) for f in review.findings if f.check == check]


def test_main_items_list_is_checked_not_to_exceed_the_whole():
    selection = "项目支出100万元，主要包括：办公设备购置30万元，信息化运维20万元。\n"
    assert _findings(_review(selection), "narrative.parts_sum") == []
    complete = "项目支出100万元，包括：办公设备购置30万元，信息化运维20万元。\n"
    assert _findings(_review(complete), "narrative.parts_sum") == [("error", "30万元，信息化运维20万元")]


def test_parts_that_add_up_without_the_next_clause_are_a_doubt():
    """The first two parts make the whole: the third amount may belong to the next clause, or be
    a wrong part that should read 0, so the finding is a warning."""
    text = "2022年收入合计50万元，其中一般公共预算拨款收入40万元、其他收入10万元，2022年支出合计50万元。\n"
    r = _review(text)
    [(sev, _)] = _findings(r, "narrative.parts_sum")
    f = next(f for f in r.findings if f.check == "narrative.parts_sum")
    assert sev == "warning" and f.held_back
    assert f.message.endswith("（读取存疑：前2项之和已等于总额，其后的金额可能属于下一分句）")
    assert [(x.name, x.confirmed) for x in f.chain if x.name] == [("parts_prefix", False)]


def test_a_list_whose_first_amount_is_the_sum_of_the_rest_is_explained():
    """"政府采购预算 X 万元：货物 a、工程 b、服务 c" read as parts of the sentence's whole: the
    first amount is the sum of the others, a nested total; the mismatch is info, not a warning
    (``explaining_doubts``)."""
    text = "2022年政府采购预算总额60万元，其中：政府采购预算50万元：政府采购货物预算20万元、政府采购工程预算10万元、政府采购服务预算20万元。\n"
    r = _review(text)
    found = [f for f in r.findings if f.check == "narrative.parts_sum"]
    assert [(f.severity, f.held_back, [x.name for x in f.chain if x.name]) for f in found] == [("info", True, ["parts_nested"])]
    assert r.held_back == 0  # the reports count the errors shown as warnings


def test_a_doubt_that_explains_nothing_leaves_a_warning():
    """A malformed number in the list: the parts cannot be summed as read, and no reading makes
    them agree, so the finding stays a warning."""
    text = "2022年收入合计90万元，其中一般公共预算拨款收入40万元、其他收入10万元，另有1,541.50.00万元。\n"
    r = _review(text)
    found = [f for f in r.findings if f.check == "narrative.parts_sum"]
    assert [(f.severity, f.held_back, [x.name for x in f.chain if x.name]) for f in found] == [("warning", True, ["parts_malformed"])]


def test_explaining_doubts_are_named_doubts():
    from gouji.alignment.evidence import words

    w = words()
    assert set(w["explaining_doubts"]) <= set(w["doubts"])


SCOPES = (
    "财政拨款支出表\n\n单位：万元\n\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
    "\t合计\t150.00\t60.00\t90.00\n210\t卫生健康支出\t150.00\t60.00\t90.00\n\n"
    "一般公共预算支出表\n\n单位：万元\n\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
    "\t合计\t100.00\t60.00\t40.00\n210\t卫生健康支出\t100.00\t60.00\t40.00\n\n"
)


def test_a_table_titled_for_all_fiscal_funds_is_not_compared_with_the_general_budget():
    # both tables are of the kind 一般公共预算支出表; the first one's title says 财政拨款
    r = _review(SCOPES)
    assert [t.kind for t in r.tables if t.rows] == ["一般公共预算支出表", "一般公共预算支出表"]
    assert _findings(r, "table.cross") == []
    same = SCOPES.replace("财政拨款支出表", "一般公共预算支出表（功能科目）", 1)
    assert ("error", "40.00") in _findings(_review(same), "table.cross")


BREAKDOWN = (
    "一般公共预算支出表\n\n单位：万元\n\n"
    "科目编码\t科目名称\t合计\t人员经费\t公用经费\t项目支出\n"
    "\t合计\t500.00\t300.00\t50.00\t150.00\n"
    "20802\t民政管理事务\t120.00\t80.00\t10.00\t30.00\n"
    "20805\t行政事业单位养老支出\t380.00\t220.00\t40.00\t120.00\n\n"
    "民政管理事务（20802）120.00万元，具体为：人员经费80.00万元，公用经费10.00万元，项目支出30.00万元。\n"
)


def test_the_kind_of_spending_of_one_code_is_checked_in_that_codes_row():
    r = _review(BREAKDOWN)
    assert [(c.amount.text, c.status) for c in r.claims.claims] == [
        ("120.00万元", "consistent"),
        ("80.00万元", "consistent"),
        ("10.00万元", "consistent"),
        ("30.00万元", "consistent"),
    ]
    wrong = _review(BREAKDOWN.replace("人员经费80.00万元", "人员经费85.00万元").replace("120.00万元，具体为", "125.00万元，具体为"))
    assert ("error", "85.00万元") in _findings(wrong, "narrative.amount_vs_table")


def test_a_blank_income_cell_is_not_the_expenditure_beside_it():
    table = (
        "收支总表\n\n单位：万元\n\n收入\t\t支出\t\n项目\t预算数\t项目\t预算数\n"
        "一、一般公共预算拨款收入\t100.00\t一、一般公共服务支出\t60.00\n"
        "二、附属单位上缴收入\t\t二、社会保障和就业支出\t40.00\n"
        "本年收入合计\t100.00\t本年支出合计\t100.00\n\n"
    )
    r = _review(table + "附属单位上缴收入0万元。\n")
    assert _findings(r, "narrative.amount_vs_table") == []


def test_an_item_printed_on_two_rows_is_their_sum():
    table = (
        "一般公共预算支出明细表（按经济分类科目）\n\n金额单位：元\n\n"
        "部门经济科目编码\t部门经济科目名称\t政府经济科目编码\t政府经济科目名称\t合计\n"
        "30231\t公务用车运行维护费\t50208\t公务用车运行维护费\t550000.00\n"
        "30231\t公务用车运行维护费\t50502\t商品和服务支出\t150000.00\n\n"
    )
    r = _review(table + "公务用车运行维护费70万元。\n")
    assert [(c.amount.text, c.status) for c in r.claims.claims] == [("70万元", "consistent")]
    assert _findings(_review(table + "公务用车运行维护费75万元。\n"), "narrative.amount_vs_table") == [("warning", "75万元")]
