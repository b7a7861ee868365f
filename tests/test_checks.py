"""One test (or more) per check, on small documents written for it."""

from __future__ import annotations

from decimal import Decimal

from gouji.alignment.registry import catalogue
from tests.conftest import review_text

COVERAGE_CHECKS = {cid for cid, spec in catalogue().items() if spec.coverage}

TABLE = (
    "# 某某局2022年部门预算\n\n"
    "部门预算支出总表\n\n单位：万元\n\n"
    "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
    "\t合计\t100.00\t60.00\t40.00\n"
    "210\t卫生健康支出\t100.00\t60.00\t40.00\n"
    "2101501\t行政运行\t60.00\t60.00\t\n"
    "2101502\t一般行政管理事务\t40.00\t\t40.00\n\n"
)


def findings(prose: str, with_table: bool = True, keep_no_tables: bool = False, reasons: bool = False):
    """Findings as (check, severity, span text); reason_missing only when ``reasons``."""
    r = review_text((TABLE if with_table else "# 某某局2022年部门预算\n\n") + prose + "\n")
    text = r.document.text
    return r, [
        (f.check, f.severity, text[f.span[0] : f.span[1]])
        for f in r.findings
        if (keep_no_tables or f.check != "document.no_tables")
        and (reasons or f.check != "narrative.reason_missing")
        and f.check not in COVERAGE_CHECKS  # tested in test_checklist_checks.py
    ]


def test_direction_contradicted_by_base():
    _, got = findings("2022年预算收支安排100万元，较2021年预算80万元减少20万元。")
    assert got == [("narrative.direction", "error", "减少20万元")]


def test_direction_consistent_by_base():
    r, got = findings("2022年预算收支安排100万元，较2021年预算80万元增加20万元。")
    assert got == []
    assert r.claims.claims[0].status == "consistent"


def test_direction_contradicted_by_percentage():
    _, got = findings("支出预算100万元，比上年减少20万元，下降25%。")
    assert got == [("narrative.direction", "error", "减少20万元")]


def test_delta_wrong():
    _, got = findings("2022年预算收支安排100万元，较2021年预算80万元增加25万元。")
    assert got == [("narrative.delta", "error", "25万元")]


def test_percentage_wrong():
    _, got = findings("支出预算100万元，比上年增加20万元，增长30%。")
    assert got == [("narrative.percentage", "error", "30%")]


def test_percentage_within_rounding():
    # 0.51 / 1.51 = 33.77…%; from the rounded inputs 33.78% is attainable
    _, got = findings("公务接待费1万元，比上年减少了0.51万元，下降了33.78%。", with_table=False)
    assert got == []


def test_percentage_beyond_rounding():
    _, got = findings("公务接待费1万元，比上年减少了0.51万元，下降了35.00%。", with_table=False)
    assert got == [("narrative.percentage", "error", "35.00%")]


def test_share_wrong():
    _, got = findings("2022年支出预算100万元，其中基本支出60万元，占50%；项目支出40万元，占40%。")
    assert got == [("narrative.share", "error", "50%")]


def test_share_right():
    r, got = findings("2022年支出预算100万元，其中基本支出60万元，占60%；项目支出40万元，占40%。")
    assert got == []
    assert all(c.status == "consistent" for c in r.claims.claims)


def test_amount_vs_table():
    _, got = findings("2022年基本支出65万元。")
    assert got == [("narrative.amount_vs_table", "error", "65万元")]


def test_amount_by_code_matches():
    r, got = findings("行政运行(2101501)60万元。")
    assert got == []
    assert r.claims.claims[0].status == "consistent"
    assert r.claims.claims[0].evidence[0]["value"] == "60.00"


def test_unit_yuan_for_wan():
    _, got = findings("2022年基本支出60元。")
    assert got == [("narrative.unit", "error", "60元")]


def test_unit_wan_for_yuan():
    _, got = findings("2022年基本支出600000万元。")
    assert got == [("narrative.unit", "error", "600000万元")]


def test_parts_sum_wrong():
    _, got = findings("项目经费100万元，其中：甲经费60万元；乙经费30万元。", with_table=False)
    assert got == [("narrative.parts_sum", "error", "60万元；乙经费30万元")]


def test_parts_sum_right():
    _, got = findings("项目经费100万元，其中：甲经费60万元；乙经费40万元。", with_table=False)
    assert got == []


def test_incomplete_list_may_fall_short_but_not_exceed():
    _, short = findings("公用经费100万元，主要用于：办公费60万元、差旅费30万元等。", with_table=False)
    assert short == []
    _, over = findings("公用经费100万元，主要用于：办公费60万元、差旅费50万元等。", with_table=False)
    assert over == [("narrative.parts_sum", "error", "60万元、差旅费50万元")]


def test_malformed_number():
    _, got = findings("2022年基本支出60. 万元。")
    assert got == [("narrative.malformed_number", "warning", "60. 万元")]


def test_reason_is_attached_and_its_amounts_are_not_claims():
    r, _ = findings("2022年预算收支安排100万元，较2021年预算80万元增加20万元，主要原因是新增设备购置经费15万元。")
    assert len(r.claims.claims) == 1
    assert r.claims.claims[0].reason.text == "新增设备购置经费15万元"


def test_unverifiable_claim_is_not_an_error():
    r, got = findings("2022年宣传经费12万元。")
    assert got == []
    assert r.claims.claims[0].status == "unverifiable"


def test_no_tables_is_reported():
    _, got = findings("这是一段没有报表的文字，2022年安排宣传经费12万元。", with_table=False, keep_no_tables=True)
    assert got == [("document.no_tables", "warning", "某某局2022年部门预算")]


def test_reason_direction_opposite_and_confirmed_by_figures():
    # the Handan case: the figures say +20, the reason says 增加, the text says 减少
    r, got = findings(
        "2022年预算收支安排100万元，较2021年预算80万元减少20万元，主要原因为：今年增加了疫苗补助资金15万元。",
        with_table=False,
    )
    assert ("narrative.reason_direction", "error", "增加了") in got
    reason = r.claims.claims[0].reason
    assert reason.direction == "increase"
    assert [q.text for q in reason.amounts] == ["15万元"]


def test_reason_direction_without_figures_is_a_warning():
    _, got = findings("公务接待费比上年减少了0.51万元，主要原因是新增了接待任务。", with_table=False)
    assert got == [("narrative.reason_direction", "warning", "新增了")]


def test_reason_direction_agreeing_or_mixed_or_other_year_is_silent():
    for prose in (
        "公务接待费比上年减少了0.51万元，主要原因是压缩了接待支出。",
        "公务接待费比上年减少了0.51万元，主要原因是人员有增减。",
        "公务接待费比上年减少了0.51万元，主要原因是一是新增了接待任务，二是压减了会议费。",
        "公务接待费比上年减少了0.51万元，主要原因是上年一次性增加了接待经费。",
        "公务接待费比上年减少了0.51万元，主要原因是未增加接待任务。",
    ):
        _, got = findings(prose, with_table=False)
        assert got == [], prose


def test_reason_before_a_second_change_belongs_to_the_first():
    r, _ = findings(
        "收入增长10万元。主要原因：机构合并；支出增长10万元，主要原因：人员增加。", with_table=False
    )
    inc, exp = r.claims.claims[:2]
    assert inc.reason.text == "机构合并"
    assert exp.reason.text == "人员增加"


def test_reason_missing_for_totals_and_sangong():
    _, got = findings("2022年“三公”经费预算5万元，比上年增加2万元。", with_table=False, reasons=True)
    assert got == [("narrative.reason_missing", "warning", "增加2万元")]


def test_reason_missing_not_reported_when_explained_nearby_or_unchanged():
    for prose in (
        "2022年“三公”经费预算5万元，比上年增加2万元，主要原因是新增公务用车。",
        "2022年“三公”经费预算5万元，比上年增加2万元。其中公务接待费增加2万元，主要原因是接待任务增加。",
        "2022年“三公”经费预算5万元，与上年持平。",
        "2022年“三公”经费预算5万元，比上年增加0万元。",
        "2022年公务接待费5万元，比上年增加2万元。",  # not a total
        "2022年“三公”经费预算5万元，比上年增加2万元。\n\n“三公”经费比上年增加2万元，主要原因是新增公务用车。",
    ):
        _, got = findings(prose, with_table=False, reasons=True)
        assert got == [], prose


def test_template_leftover():
    _, got = findings("2022年“三公”经费预算比2021年增加（减少）0万元；培训费XX万元，待填写。", with_table=False)
    assert [g[2] for g in got if g[0] == "narrative.template_leftover"] == ["增加（减少）", "XX万元", "待填写"]


def test_template_leftover_unit_placeholder_and_half_rewritten_direction():
    prose = (
        "XX局2022年部门预算收入比上年度减增加21.90万元。决算数大小于预算数的主要原因是项目调整。"
        "本年增减变化原因见下；收支增减少许。XXL型号设备1台。"
    )
    _, got = findings(prose, with_table=False)
    assert [g[2] for g in got if g[0] == "narrative.template_leftover"] == ["XX局", "减增加", "大小于"]


def test_reason_direction_is_not_taken_from_mixed_or_other_year_reasons():
    # wordings from the shared corpus that once raised false alarms
    for prose in (
        "其他信访事务支出比2021年执行减少100万元，主要原因是，2021年年中追加中央基建投资，2022年初暂无安排。",
        "公务用车购置及运行费20.10万元，比上年预算减少23.10万元，主要原因是无公务车购置需求及根据实际需求增加公务用车运行费预算。",
        "公务用车运行维护费支出188.00万元，比上年预算数减少13.60万元，主要原因是新能源汽车数量占比提高，运行维护费低于燃油车辆。",
        "机关运行经费677.82万元，较上年增加0.27万元，主要是：1.在公用经费中编制了因公出国（境）经费；2.进一步压减物业管理费等运行经费支出。",
        "项目支出177.92万元，比上年执行数减少5635.94万元，主要原因是2022年未安排新增预算。",
    ):
        _, got = findings(prose, with_table=False)
        assert got == [], prose


def test_reason_of_this_year_named_after_a_prior_year_keeps_its_direction():
    r, _ = findings("预算收入较上年减少198.89万元，主要原因是根据2021年实际支出情况减少了2022年配套预算。", with_table=False)
    assert r.claims.claims[0].reason.direction == "decrease"


def test_enumerated_reason_runs_over_its_items():
    r, _ = findings("预算收支减少100万元，主要原因说明：1.结转增加10万元；2.补贴减少70万元；3.补贴减少40万元。", with_table=False)
    reason = r.claims.claims[0].reason
    assert reason.text.endswith("3.补贴减少40万元") and reason.direction is None


def test_percentage_against_a_zero_base():
    # 石龙: 三公经费 1.2万元, 比上年增加1.2万元, 增加100% — the base is 1.2 − 1.2 = 0
    _, got = findings("“三公”经费预算为1.2万元。“三公”经费比上年增加1.2万元，增加100%，主要原因是新增公务用车。", with_table=False)
    assert got == [("narrative.percentage_undefined", "warning", "100%")]
    _, got = findings("支出预算10万元，较上年0万元增长100%。", with_table=False)
    assert got == [("narrative.percentage_undefined", "warning", "100%")]
    _, ok = findings("公务用车购置0万元，比上年减少了25万元，下降了100%。", with_table=False)
    assert ok == []


def test_year_of_a_budget_amount():
    _, got = findings("2024年支出预算100万元。", with_table=False)
    assert got == [("narrative.year", "warning", "2024年")]
    for prose in ("2022年支出预算100万元。", "2021年支出预算80万元。", "2019年追回医保基金67.32万元。"):
        _, got = findings(prose, with_table=False)
        assert got == [], prose


def test_prose_rounding_a_yuan_table_to_whole_wan():
    text = (
        "# 某某局2026年部门预算\n\n收支总表\n\n单位：元\n\n"
        "收入\t金额\t支出\t金额\n"
        "一、财政拨款收入\t38,549,381\t一、卫生健康支出\t38,549,381\n"
        "收入总计\t38,549,381\t支出总计\t38,549,381\n\n"
        "2026年财政拨款收入3,855万元。\n"
    )
    r = review_text(text)
    assert [f.check for f in r.findings if f.check.startswith("narrative") and f.check not in COVERAGE_CHECKS] == []
    (c,) = [c for c in r.claims.claims if c.amount is not None]
    assert c.status == "consistent"


def test_whole_wan_against_a_yuan_table_still_contradicted_beyond_its_rounding():
    text = (
        "# 某某局2026年部门预算\n\n收支总表\n\n单位：元\n\n"
        "收入\t金额\t支出\t金额\n"
        "一、财政拨款收入\t38,549,381\t一、卫生健康支出\t38,549,381\n"
        "收入总计\t38,549,381\t支出总计\t38,549,381\n\n"
        "2026年财政拨款收入3,856万元。\n"
    )
    r = review_text(text)
    assert [(f.check, f.severity) for f in r.findings if f.check.startswith("narrative") and f.check not in COVERAGE_CHECKS] == [("narrative.amount_vs_table", "error")]


def test_prior_bases_two_bases_for_one_total():
    r, got = findings(
        "2022年收入预算8846.10万元，比上年增加1204.50万元，主要原因是人员增加。"
        "支出预算8846.10万元，比上年预算增加1198.20万元，主要原因是人员增加。",
        with_table=False,
    )
    assert got == [("narrative.prior_bases", "warning", "1198.20万元")]
    f = next(f for f in r.findings if f.check == "narrative.prior_bases")
    assert f.message == (
        "收入预算与支出预算本年同为8846.10万元，所述上年基数却不同：按收入预算增加1204.50万元为7641.60万元，"
        "按支出预算增加1198.20万元为7647.90万元（相差6.30万元）。"
    )
    assert f.arithmetic.formula == "8846.10 − 1204.50 = 7641.60；8846.10 − 1198.20 = 7647.90"
    assert (f.arithmetic.result.value, f.arithmetic.stated.value, f.difference) == (Decimal("7641.60"), Decimal("7647.90"), Decimal("-6.30"))


def test_prior_bases_one_base_within_rounding():
    _, got = findings(
        "2022年收入预算8846.10万元，比上年增加1204.50万元，主要原因是人员增加。"
        "支出预算8846.10万元，较上年预算7641.60万元增加1204.50万元，主要原因是人员增加。",
        with_table=False,
    )
    assert got == []


def test_prior_bases_different_totals_are_not_compared():
    _, got = findings(
        "2022年收入预算8846.10万元，比上年增加1204.50万元，主要原因是人员增加。"
        "支出预算8800.00万元，比上年预算增加1198.20万元，主要原因是人员增加。",
        with_table=False,
    )
    assert got == []


def test_prior_bases_actual_figures_of_last_year_may_differ():
    """湖州 退役军人事务局 2026 p5: income and spending of last year's execution are two figures."""
    _, got = findings(
        "2022年收入预算6256.31万元，比上年执行数减少336.67万元，主要是项目减少。"
        "2022年支出预算6256.31万元，比上年执行数增加268.28万元，主要是人员支出增长。",
        with_table=False,
    )
    assert got == []


def test_changes_listed_with_their_own_directions_are_summed_with_their_signs():
    wrong = (
        "2022年“三公”经费预算30.00万元，比上年减少5.00万元，其中：因公出国（境）费增加2.00万元，"
        "公务用车购置及运行费增加1.00万元，公务接待费增加0.50万元。"
    )
    r, got = findings(wrong, with_table=False)
    assert [g for g in got if g[0] == "narrative.parts_sum"] == [
        ("narrative.parts_sum", "error", "2.00万元，公务用车购置及运行费增加1.00万元，公务接待费增加0.50万元")
    ]
    f = next(f for f in r.findings if f.check == "narrative.parts_sum")
    assert f.message == "分项增减之和不符：增加2.00万元 + 增加1.00万元 + 增加0.50万元 = +3.50万元，文字却写总额减少5.00万元。"
    assert (f.arithmetic.result.value, f.arithmetic.stated.value, f.difference) == (Decimal("3.50"), Decimal("-5.00"), Decimal("8.50"))
    right = wrong.replace("公务用车购置及运行费增加1.00万元，公务接待费增加0.50万元", "公务用车购置及运行费减少6.50万元，公务接待费减少0.50万元")
    assert [g for g in findings(right, with_table=False)[1] if g[0] == "narrative.parts_sum"] == []
