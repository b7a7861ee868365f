"""Reading prose as real documents write it: lines broken mid-sentence, titles naming the amount
after them, lists of the main parts only, changes closing a paragraph, prior-year asides."""

from __future__ import annotations

from gouji.ingest.text import parse_text
from gouji.narrative.extract import extract_claims


def claims_of(prose: str):
    return extract_claims(parse_text("# 某某局2026年部门预算\n\n" + prose + "\n", "<test>"))


def test_a_line_broken_mid_subject_is_joined():
    got = claims_of("某某局（本级）预算 63,051.28 万元，包括在\n\n职人员经费 6,011.73 万元、公用经费 1,387.62 万元。")
    assert [c.subject for c in got.claims] == ["(本级)", "在职人员经费", "公用经费"]


def test_a_table_title_is_not_the_rest_of_a_line():
    got = claims_of("注：某某局2026年无政府性基金预算\n\n表 9. 某某局2026年项目支出表")
    assert [(c.subject, c.subject_id, str(c.amount.value)) for c in got.claims] == [("政府性基金预算", "政府性基金预算支出", "0")]


def test_the_main_parts_after_the_cue_are_a_selection():
    got = claims_of("机关运行经费预算总计211万元，其中主要支出为办公费34.82万元，差旅费10万元，物业费36.18万元。")
    (group,) = got.groups
    assert [c.subject for c in got.claims] == ["机关运行经费", "办公费", "差旅费", "物业费"]
    assert group.incomplete is True


def test_a_title_sentence_names_the_amount_after_it():
    got = claims_of("（一）因公出国（境）费用。2026 年预算数 166.98 万元，主要用于国际交流。")
    assert [(c.subject, c.subject_id) for c in got.claims] == [("因公出国(境)费用", "因公出国(境)费")]


def test_a_change_closing_a_paragraph_is_of_the_amount_opening_it():
    got = claims_of(
        "3.上级转移支付项目 10,289.74 万元，主要包括：物业管理服务 2,520.00 万元，用于运行维护。"
        "作业服务费 7,083.34 万元，上年结转 564.09 万元，用于吊装移位。较上年增加 3,567.18 万元，增幅 53.1%。"
    )
    changed = [(c.subject, c.comparison.delta.text) for c in got.claims if c.comparison and c.comparison.delta]
    assert changed == [("上级转移支付项目", "3,567.18 万元")]


def test_last_years_figure_in_brackets_is_of_last_year():
    got = claims_of("就业管理事务支出 36.83 万元，与上年相比增加 36.83 万元（去年预算数为 0 万元，无法计算增减比率）。")
    assert [(c.subject, c.year) for c in got.claims] == [("就业管理事务支出", 2026), ("", 2025)]


def test_the_words_of_a_year_start_name_no_subject():
    got = claims_of("2026 年年初预算安排 18,878.16 万元，较 2025 年年初预算增加 28.21 万元。")
    assert [(c.subject, c.comparison and c.comparison.delta.text) for c in got.claims] == [("", "28.21 万元")]


def test_a_label_opening_the_sentence_names_its_first_amount():
    # 重庆: the label before the colon is the subject, and the change after the semicolon is its own
    got = claims_of(
        "（一）收入预算：2026 年年初预算数 45,369.18 万元，其中：一般公共预算拨款 37,891.58 万元，"
        "事业收入资金 2,898.00 万元；收入比 2025 年增加 2,734.52 万元。（二）支出预算：2026 年年初预算数 45,369.18 万元。"
    )
    assert [(c.subject, c.subject_id, c.amount.text) for c in got.claims] == [
        ("收入预算", "收入总计", "45,369.18 万元"),
        ("一般公共预算拨款", "一般公共预算拨款", "37,891.58 万元"),
        ("事业收入资金", None, "2,898.00 万元"),
        ("支出预算", "支出总计", "45,369.18 万元"),
    ]
    assert got.claims[0].comparison.delta.text == "2,734.52 万元"


def test_a_zero_naming_two_budgets_is_two_zeros():
    got = claims_of("本部门无政府性基金预算支出、国有资本经营预算支出。")
    assert [(c.subject_id, str(c.amount.value)) for c in got.claims] == [("政府性基金预算支出", "0"), ("国有资本经营预算支出", "0")]


def test_a_zero_of_one_budget_with_a_list_inside_stays_one():
    got = claims_of("本部门无政府性基金预算收入、支出。")
    assert len(got.claims) == 1


def test_the_word_of_basic_spending_is_kept_before_its_budget_figure():
    got = claims_of("（一）基本支出：2026 年本单位基本支出预算数 1517.95万元，主要是为保障部门正常运转。")
    assert [(c.subject, c.subject_id) for c in got.claims] == [("基本支出", "基本支出")]
