"""document.heading_year: headings, table titles and a 决算's as-of dates of another year."""

from __future__ import annotations

from tests.conftest import review_text


def _found(text: str) -> list[tuple[str, str]]:
    r = review_text(text)
    return [(r.document.text[f.span[0] : f.span[1]], f.message) for f in r.findings if f.check == "document.heading_year"]


def test_a_final_account_titled_for_another_year_and_dated_at_another_year_end():
    text = (
        "# 某某局2025年度部门决算\n\n## 第二部分 2023年度部门决算表\n\n## 第三部分 2025年度部门决算情况说明\n\n"
        "截至2024年12月31日，本部门共有车辆2辆。截至2025年12月31日，共有房屋一处。\n"
    )
    assert _found(text) == [
        ("2023年", "标题年度不符：本文件为2025年决算，标题“第二部分 2023年度部门决算表”却写2023年。"),
        ("截至2024年12月31日", "截止日期年度不符：本文件为2025年决算，文字却写截至2024年12月31日。"),
    ]


def test_a_budget_may_name_the_year_before_and_any_as_of_date():
    text = "# 某某局2026年部门预算\n\n## 一、2025年预算执行情况\n\n截至2025年8月，本部门共有车辆2辆。截至2024年12月31日另有房屋一处。\n\n## 二、2027年工作计划\n"
    assert _found(text) == [("2027年", "标题年度不符：本文件为2026年预算，标题“二、2027年工作计划”却写2027年。")]
