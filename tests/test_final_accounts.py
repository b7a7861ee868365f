"""决算 prose: the stated 决算数 / 预算数 relation and the completion rate against the sentence's figures."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import review_text

HEAD = "# 某某局2024年度部门决算\n\n"


def _found(prose: str, check: str) -> list[tuple[str, str, str]]:
    r = review_text(HEAD + prose + "\n")
    return [(f.severity, r.document.text[f.span[0] : f.span[1]], f.message) for f in r.findings if f.check == check]


def test_relation_stated_against_the_figures():
    prose = (
        "一般公共预算财政拨款支出年初预算为 330.00 万元，支出决算为 312.40 万元，完成年初预算的 94.67%。"
        "决算数大于预算数的主要原因：项目调整。"
    )
    (got,) = _found(prose, "narrative.final_vs_budget")
    assert got == (
        "error",
        "决算数大于预算数",
        "决算数与预算数关系不符：年初预算330.00 万元，决算312.40 万元，312.40 − 330.00 = -17.60，决算数应小于预算数，文字却写“大于”。",
    )
    assert _found(prose, "narrative.completion_rate") == []  # 312.40 / 330.00 = 94.67%


def test_relations_that_hold_and_equal_within_rounding():
    holds = (
        "年初预算为 100.00 万元，支出决算为 100.00 万元。决算数等于预算数。"
        "年初预算为 80 万元，支出决算为 95.5 万元，完成年初预算的 119.38%。决算数高于预算数的主要原因：追加。"
        "年初预算为 60.00 万元，支出决算为 58.00 万元。决算数小于预算数的主要原因：节约。"
    )
    assert _found(holds, "narrative.final_vs_budget") == []
    assert _found(holds, "narrative.completion_rate") == []
    (got,) = _found("年初预算为 100.00 万元，支出决算为 100.30 万元。决算数等于预算数。", "narrative.final_vs_budget")
    assert got[:2] == ("error", "决算数等于预算数") and "决算数应大于预算数" in got[2]


def test_completion_rate_and_a_zero_budget():
    (wrong,) = _found("“三公”经费财政拨款支出年初预算为 50.00 万元，支出决算为 45.00 万元，完成预算的 80.00%。", "narrative.completion_rate")
    assert wrong == ("error", "80.00%", "预算完成率不符：45.00 / 50.00 = 90.00%，文字写80.00%。")
    (zero,) = _found("年初预算为 0 万元，支出决算为 2.40 万元，完成年初预算的 0%。", "narrative.completion_rate")
    assert zero == ("warning", "0%", "年初预算为0 万元，完成率无定义，文字却写完成0%（决算2.40 万元）；应说明年初未安排预算。")


def test_the_findings_carry_their_arithmetic():
    r = review_text(HEAD + "年初预算为 50.00 万元，支出决算为 45.00 万元，完成预算的 80.00%。\n")
    (f,) = [f for f in r.findings if f.check == "narrative.completion_rate"]
    a = f.arithmetic
    assert (a.operation, a.formula, a.result.value, a.stated.value) == ("ratio", "45.00 / 50.00 = 90.00%", Decimal("90"), Decimal("80.00"))
    assert [o.label for o in a.operands] == ["决算", "年初预算"]
