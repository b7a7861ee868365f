"""Claims made verifiable: a zero beside a row printed blank, a 科目 code leading its name."""

from __future__ import annotations

from gouji.alignment.figures import norm_label
from gouji.alignment.review import review_document
from gouji.ingest.text import parse_text
from gouji.narrative.subjects import clean_subject

DOC = """# 某局2026年部门预算

## 收支总表
单位：万元
收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t100.00\t一、一般公共服务支出\t100.00
二、事业收入\t\t二、教育支出\t
收入合计\t100.00\t支出合计\t100.00

2026年事业收入{amount}万元。
"""


def _claim(amount: str):
    review = review_document(parse_text(DOC.format(amount=amount), "t.txt"))
    (claim,) = [c for c in review.claims.claims if c.subject == "事业收入"]
    return claim, review


def test_a_zero_beside_a_row_printed_blank_is_borne_out():
    claim, review = _claim("0")
    assert claim.status == "consistent"
    assert not [f for f in review.findings if f.check == "narrative.amount_vs_table"]


def test_a_blank_row_contradicts_nothing():
    # a blank is no figure: a non-zero amount beside it stays unverifiable, not contradicted
    claim, review = _claim("12.00")
    assert (claim.status, claim.unverifiable_reason) == ("unverifiable", "no_table")
    assert not [f for f in review.findings if f.check == "narrative.amount_vs_table"]


def test_a_code_leading_the_name_with_a_dash_is_the_claims_code():
    # 泉州_公安局.pdf p25: "（一）2040101-武装警察部队 427.93万元"
    assert clean_subject("（一）2040101-武装警察部队", None) == ("武装警察部队", "2040101")
    assert clean_subject("2080501-行政单位离退休", None) == ("行政单位离退休", "2080501")
    assert clean_subject("2026年一般公共预算支出", None)[1] is None


def test_the_level_of_a_kemu_is_no_part_of_its_name():
    # the subject keeps it (the model stage reads a 类/款/项 path from it); lookups drop it
    assert clean_subject("社会保障和就业（类）支出", None) == ("社会保障和就业（类）支出", None)
    assert norm_label("社会保障和就业(类)支出") == norm_label("社会保障和就业支出")
    assert norm_label("审计事务（款）一般行政管理事务（项）支出") == "审计事务一般行政管理事务支出"


SECTION = """# 某局2026年部门预算

## 收支总表
单位：万元
收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t13,144.37\t一、一般公共服务支出\t15,291.30
二、上年结转\t2,146.93\t\t
收入合计\t15,291.30\t支出合计\t15,291.30

{title}
按照支出功能分类，2026年，一般公共服务（类）支出13,144.37万元。
"""


def test_a_section_of_this_years_appropriation_is_not_held_to_all_funds():
    # the 信访局 budget p20: “（二）一般公共预算当年拨款结构情况”, 13,144.37 without the 2,146.93 carried over
    def findings(title: str) -> list:
        review = review_document(parse_text(SECTION.format(title=title), "t.txt"))
        return [f for f in review.findings if f.check == "narrative.amount_vs_table"]

    assert findings("（二）一般公共预算当年拨款结构情况") == []
    assert [f.actual for f in findings("（二）一般公共预算支出结构情况")] == ["13,144.37万元"]
