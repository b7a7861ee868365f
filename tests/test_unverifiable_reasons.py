"""An unverifiable claim says why (data/labels.yaml unverifiable_reasons)."""

from __future__ import annotations

from gouji.labels import unverifiable_reasons
from gouji.report.json_report import report_dict
from tests.conftest import review_text

TEXT = (
    "# 某某局2022年部门预算\n\n"
    "部门预算收支总表\n\n单位：万元\n\n项目\t预算数\n一般公共预算拨款收入\t100.00\n收入总计\t100.00\n\n"
    "2022年收入总计100.00万元。"  # borne out by the table
    "会议费比上年减少2.00万元。"  # a change with no amount
    "2021年收入总计90.00万元。"  # another year
    "绿化养护经费12.00万元。"  # a subject the tool does not know, in no table
    "项目支出30.00万元。\n"  # a known quantity no table here shows
)


def test_each_unverifiable_claim_says_why():
    rep = report_dict(review_text(TEXT))
    got = [(c["subject"], c["status"], c["unverifiable_reason"]) for c in rep["claims"]]
    assert got == [
        ("收入总计", "consistent", None),
        ("会议费", "unverifiable", "no_amount"),
        ("收入总计", "unverifiable", "outside_scope"),
        ("绿化养护经费", "unverifiable", "subject_not_understood"),
        ("项目支出", "unverifiable", "no_table"),
    ]
    assert list(unverifiable_reasons()) == ["no_amount", "outside_scope", "subject_not_understood", "no_table"]


def test_a_document_without_budget_tables_has_no_table_for_any_claim():
    text = "# 某某局2024年工作总结\n\n一、工作成效\n\n绿化养护经费12.00万元，实际支出11.50万元。\n"
    rep = report_dict(review_text(text))
    assert [(c["subject"], c["unverifiable_reason"]) for c in rep["claims"]] == [
        ("绿化养护经费", "no_table"),
        ("实际支出", "no_table"),
    ]


def test_a_part_of_a_whole_not_understood_is_outside_the_tables():
    # 烟台: the 财政拨款 of the projects under 绩效目标管理, not the department's 财政拨款收入
    text = (
        "# 某某局2026年部门预算\n\n"
        "部门预算收支总表\n\n单位：万元\n\n项目\t预算数\n财政拨款收入\t191195.79\n收入总计\t191195.79\n\n"
        "某某局2026年政策和项目全面实施绩效目标管理，涉及一级预算项目28个，预算资金182511.9万元，其中财政拨款182312.9万元。\n"
    )
    review = review_text(text)
    assert [f.check for f in review.findings if f.check == "narrative.amount_vs_table"] == []
    rep = report_dict(review)
    assert [(c["subject"], c["status"], c["unverifiable_reason"]) for c in rep["claims"]] == [
        ("预算资金", "unverifiable", "subject_not_understood"),
        ("财政拨款", "unverifiable", "outside_scope"),
    ]
