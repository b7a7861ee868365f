"""Lists of parts in prose: which amounts are parts of which (corpus sentences, as printed)."""

from __future__ import annotations

from gouji.ingest.text import parse_text
from gouji.narrative.extract import extract_claims
from gouji.narrative.prose import sentences
from gouji.narrative.serialize import claims_dicts


def _claims(sentence: str) -> list[dict]:
    return claims_dicts(extract_claims(parse_text(sentence + "\n", "t.txt")))


def _parts(sentence: str) -> dict[str, tuple[str | None, list[list[str]]]]:
    """amount → (the amount it is a part of, the amounts of its lists of parts)."""
    claims = _claims(sentence)
    by_id = {c["id"]: c for c in claims}

    def text(cid: str) -> str:
        return by_id[cid]["amount"]["surface"]

    return {
        c["amount"]["surface"]: (text(c["part_of"]) if c["part_of"] else None, [[text(p) for p in g["parts"]] for g in c["parts"]])
        for c in claims
        if c["amount"]
    }


def test_expenditure_items_after_a_semicolon_are_no_parts_of_the_income():
    # the 信访局 budget (武汉_武汉市信访局.pdf p18): its shares are of the expenditure, not of 上年结转
    got = _parts("2026年收入预算18,728.94万元，其中：本年收入16,474.82万元，上年结转2,254.12万元；"
                 "支出包括：一般公共服务支出15,291.3万元，占81.65%。")
    assert got == {
        "18,728.94万元": (None, [["16,474.82万元", "2,254.12万元"]]),
        "16,474.82万元": ("18,728.94万元", []),
        "2,254.12万元": ("18,728.94万元", []),
        "15,291.3万元": (None, []),
    }


def test_income_and_expenditure_of_one_sentence_are_two_lists():
    # 西安_医疗保障局.pdf p17: "收入48054.42万元…；支出48054.42万元…"
    claims = _claims("2022年收入48054.42万元，其中：一般公共预算拨款48054.42万元，政府性基金0万元；"
                     "支出48054.42万元，其中：基本支出3000.00万元，项目支出45054.42万元。")
    by_id = {c["id"]: c for c in claims}
    shape = [(c["subject"], by_id[c["part_of"]]["subject"] if c["part_of"] else None, [[by_id[p]["subject"] for p in g["parts"]] for g in c["parts"]]) for c in claims]
    assert shape == [
        ("收入", None, [["一般公共预算拨款", "政府性基金"]]),
        ("一般公共预算拨款", "收入", []),
        ("政府性基金", "收入", []),
        ("支出", None, [["基本支出", "项目支出"]]),
        ("基本支出", "支出", []),
        ("项目支出", "支出", []),
    ]


def test_amounts_in_brackets_after_an_amount_are_its_parts():
    # 广州_交通运输局.pdf p81: 627 = 40 + 567.72 + 19.28, and 567.72 = 230.55 + 337.17 in brackets
    got = _parts(
        "2026年本部门财政拨款安排“三公”经费627万元，比上年增加46.49万元，增长8%，主要原因是本年度计划购置公务用车数量较上年有所增加。"
        "其中：因公出国（境）费40万元，比上年增加0万元，增长0%，主要原因是与上年持平，无增减变化；公务用车购置及运行维护费567.72万元"
        "（公务用车购置费230.55万元，比上年增加49.45万元；公务用车运行维护费337.17万元，比上年减少2.96万元。）比上年增加46.49万元，"
        "增长8.9%，主要原因是本年度计划购置公务用车数量较上年有所增加；公务接待费19.28万元，比上年增加0万元，增长0%，主要原因是与上年持平，无增减变化。"
    )
    assert got["627万元"] == (None, [["40万元", "567.72万元", "19.28万元"]])
    assert got["567.72万元"] == ("627万元", [["230.55万元", "337.17万元"]])
    assert got["230.55万元"][0] == got["337.17万元"][0] == "567.72万元"


def test_an_end_mark_before_a_closing_bracket_ends_no_sentence():
    text = "甲567.72万元（乙230.55万元。）比上年增加46.49万元。丙1万元。"
    assert [text[a:b] for a, b in sentences(text)] == ["甲567.72万元（乙230.55万元。）比上年增加46.49万元。", "丙1万元。"]
