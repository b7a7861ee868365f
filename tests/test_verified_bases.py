"""What bears a consistent claim out (its ``verified_by``, data/labels.yaml verified_bases):
a table, a complete list adding up, the prose's own arithmetic, or a restatement of a figure
already borne out."""

from __future__ import annotations

from gouji.labels import verified_bases
from gouji.report.json_report import report_dict
from tests.conftest import review_text

HEAD = "# 某某局2026年部门预算\n\n部门预算收支总表\n\n单位：万元\n\n项目\t预算数\n一般公共预算拨款收入\t100.00\n收入总计\t100.00\n\n"


def bases(prose: str) -> list[tuple[str, str, str | None, list[str]]]:
    rep = report_dict(review_text(HEAD + prose + "\n"))
    return [(c["subject"], c["status"], c["unverifiable_reason"], c["verified_by"]) for c in rep["claims"]]


def test_the_bases_in_order():
    assert list(verified_bases()) == ["table", "sum", "arithmetic", "restated"]


def test_a_complete_list_adding_up_bears_out_its_whole_and_every_part():
    got = bases("某某中心预算 30.00 万元，包括在职人员经费 12.00 万元、公用经费 8.00 万元、项目支出 10.00 万元。")
    assert got == [
        ("某某中心", "consistent", None, ["sum"]),
        ("在职人员经费", "consistent", None, ["sum"]),
        ("公用经费", "consistent", None, ["sum"]),
        ("项目支出", "consistent", None, ["sum"]),
    ]


def test_a_list_of_the_main_parts_bears_out_nothing():
    got = bases("某某中心预算 30.00 万元，主要包括在职人员经费 12.00 万元、公用经费 8.00 万元。")
    assert [g[1] for g in got] == ["unverifiable", "unverifiable", "unverifiable"]


def test_a_figure_restated_after_its_list_is_borne_out_by_it():
    got = bases(
        "某某中心预算 30.00 万元，包括在职人员经费 12.00 万元、公用经费 8.00 万元、项目支出 10.00 万元。"
        "（一）在职人员经费 12.00 万元，主要是工资福利支出。（二）公用经费 8.50 万元，主要是办公费。"
    )
    assert got[4:] == [
        ("在职人员经费", "consistent", None, ["restated"]),
        ("公用经费", "unverifiable", "no_table", []),  # another figure: nothing restated
    ]


def test_a_table_figure_comes_before_the_others():
    got = bases("2026年收入总计100.00万元，比上年增加10.00万元，增长11.1%。收入总计100.00万元。")
    assert got == [("收入总计", "consistent", None, ["table", "arithmetic"]), ("收入总计", "consistent", None, ["table"])]


def test_a_zero_restates_nothing():
    got = bases("某某中心预算 10.00 万元，包括公用经费 0 万元、项目支出 10.00 万元。（一）公用经费 0 万元。")
    assert got[-1] == ("公用经费", "unverifiable", "no_table", [])


def test_a_doubted_figure_is_no_source():
    # the first 收入总计 contradicts the table: its restatement is not borne out by it
    got = bases("2026年收入总计120.00万元。绿化养护经费120.00万元。收入总计120.00万元。")
    assert [(g[0], g[1]) for g in got] == [("收入总计", "contradicted"), ("绿化养护经费", "unverifiable"), ("收入总计", "contradicted")]
