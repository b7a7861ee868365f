"""Subjects of the corpus prose that resolve to a budget quantity of data/subjects.yaml.

Each sentence is cut from a page of the shared corpus (the file and page in the comment); the
claim's subject as cleaned, the subject id it resolves to, and for the table-backed ones the
claim's status against a table of the same layout.
"""

from __future__ import annotations

import pytest

from gouji.ingest.text import parse_text
from gouji.narrative.extract import extract_claims
from gouji.narrative.subjects import clean_subject, resolve_subject
from tests.conftest import review_text

SENTENCES = [
    # 上海_上海市交通运输局 p11
    ("其中：公务用车购置费0.00万元，比2025年预算减少24.00万元，主要原因是2026年度无公务车购置需求。", [("公务用车购置费", "公务用车购置费")]),
    # 上海_上海市交通运输局 p11
    ("（一）因公出国（境）费35.00万元，与2025年预算持平。", [("因公出国(境)费", "因公出国(境)费")]),
    # 上海_上海市交通运输局 p12
    (
        "2026年度本单位政府采购预算3,402.01万元，其中：政府采购货物预算181.09万元、政府采购工程预算183.85万元、政府采购服务预算3,037.07万元。",
        [("政府采购预算", "政府采购"), ("政府采购货物", "政府采购货物"), ("政府采购工程", "政府采购工程"), ("政府采购服务", "政府采购服务")],
    ),
    # 无锡_人力资源和社会保障局 p9
    ("（2）公务用车运行维护费预算支出 18.6 万元，比上年预算减少 1 万元。", [("公务用车运行维护费预算支出", "公务用车运行维护费")]),
    # 广州_发展和改革局 p12
    ("2026年本部门政府采购安排9,543.17万元，其中：货物类采购预算1,057.9万元，工程类采购预算0万元，服务类采购预算8,485.27万元。", [("政府采购", "政府采购"), ("货物类采购", "政府采购货物"), ("工程类采购", "政府采购工程"), ("服务类采购", "政府采购服务")]),
    # 深圳_深圳市交通运输局 p5
    (
        "深圳市交通运输局（本级）预算 388,763.56 万元，包括在职人员经费 7,557.83 万元、公用经费 2,665.51 万元、对个人和家庭的补助支出 855.63 万元、增人增资 748.00 万元、项目支出 376,936.60 万元。",
        [("深圳市交通运输局(本级)", None), ("在职人员经费", "在职人员经费"), ("公用经费", "公用经费"), ("对个人和家庭的补助支出", "对个人和家庭的补助"), ("增人增资", "增人增资"), ("项目支出", "项目支出")],
    ),
    # 杭州_司法局 p8
    ("2.按支出用途分类，包括人员支出 58,486.35 万元，占 59.0%；日常公用支出 12,237.94 万元，占 12.3%；项目支出 28,506.17 万元，占 28.7%。", [("人员支出", "人员支出"), ("日常公用支出", "日常公用支出"), ("项目支出", "项目支出")]),
    # 北京_北京市交通委员会 p6
    ("1.事业单位经营支出 900.00 万元。", [("事业单位经营支出", "事业单位经营支出")]),
    # 无锡_商务局 p6
    ("本年政府性基金预算收入 0 万元，占 0%；", [("政府性基金预算收入", "政府性基金预算拨款收入")]),
    # 北京_北京市人力资源和社会保障局 p14
    ("2026 年北京市人力资源和社会保障局机关运行经费财政拨款预算 2393.87 万元。", [("机关运行经费财政拨款", "机关运行经费")]),
]
UNIT = "# 北京市人力资源和社会保障局2026年部门预算\n\n"


@pytest.mark.parametrize("sentence,expected", SENTENCES)
def test_corpus_subjects_resolve(sentence, expected):
    doc = parse_text(UNIT + sentence + "\n", "<test>")
    got = [(c.subject, c.subject_id) for c in extract_claims(doc).claims]
    assert got == expected


def test_zero_by_word_fund_spending_resolves():
    # 杭州_司法局 p10: "本部门 2026 年没有使用国有资本经营预算拨款安排的支出，与上年持平。"
    assert resolve_subject("使用国有资本经营预算拨款安排的支出") == ("国有资本经营预算支出", True)
    assert resolve_subject("使用政府性基金预算拨款安排的支出") == ("政府性基金预算支出", True)
    assert clean_subject("（1）公务用车购置预算支出", None) == ("公务用车购置预算支出", None)
    assert resolve_subject("公务用车购置预算支出") == ("公务用车购置费", True)


SANGONG = (
    "# 某某局2026年部门预算\n\n"
    "2026年单位“三公”经费和机关运行经费预算表\n\n单位：万元\n\n"
    "合计\t因公出国(境)费\t公务接待费\t公务用车购置费\t公务用车运行费\n"
    "30.75\t0.00\t2.50\t20.00\t8.25\n\n"
    # 上海_上海市司法局 p11
    "其中：公务用车购置费20.00万元，比2025年预算增加20.00万元，主要原因是需要新增购置公务用车；"
    "公务用车运行费8.25万元，比2025年预算减少5.75万元，主要原因是根据车况减少相关费用。\n"
)


def test_sangong_items_are_checked_against_the_sangong_table():
    rev = review_text(SANGONG)
    got = [(c.subject, c.subject_id, c.status) for c in rev.claims.claims]
    assert got == [("公务用车购置费", "公务用车购置费", "consistent"), ("公务用车运行费", "公务用车运行维护费", "consistent")]
