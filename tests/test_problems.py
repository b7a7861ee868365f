"""Findings that share a root are one problem (report/problems.py)."""

from __future__ import annotations

from gouji.report.json_report import report_dict
from gouji.report.problems import counts, equation_key, problems
from tests.conftest import example_review


def _f(fid, check, severity, start, end, claim=None, evidence=(), message="m"):
    return {"id": fid, "check": check, "severity": severity, "message": message, "claim": claim,
            "location": {"start": start, "end": end}, "evidence": list(evidence)}


def _cell(role, table, row, column, code=None):
    return {"role": role, "table": table, "row": row, "code": code, "column": column}


def test_handan_sign_error_is_one_problem():
    rep = report_dict(example_review("2022_邯郸市医疗保障局_部门预算.txt"))
    assert rep["document"]["counts"] == {"error": 2, "warning": 0, "info": 0}
    assert rep["document"]["problem_counts"] == {"error": 1, "warning": 0, "info": 0}
    (p,) = rep["problems"]
    assert (p["id"], p["severity"], p["checks"], p["findings"], p["count"]) == (
        "P1", "error", ["narrative.direction", "narrative.reason_direction"], ["F1", "F2"], 2)
    assert p["message"].startswith("增减方向错误：5873.35 − 2696.69 = +3176.66")


def test_an_equation_over_several_columns_is_one_problem():
    tree = [_cell("total", "T3", "工资福利支出", None, "301")] + [_cell("part", "T3", n, None, c) for n, c in (("基本工资", "30101"), ("津贴补贴", "30102"))]
    def cols(col):
        return [{**ev, "column": col} for ev in tree]
    fs = [
        _f("F1", "table.hierarchy_sum", "info", 100, 106, evidence=cols("合计")),
        _f("F2", "table.hierarchy_sum", "error", 110, 116, evidence=cols("基本支出")),
        _f("F3", "table.hierarchy_sum", "error", 120, 126, evidence=[{**ev, "row": ev["row"] + "x", "code": None} for ev in cols("合计")]),
    ]
    assert equation_key(fs[0]) == equation_key(fs[1]) != equation_key(fs[2])
    got = problems(fs)
    assert [(p["id"], p["severity"], p["findings"]) for p in got] == [("P1", "error", ["F2", "F1"]), ("P2", "error", ["F3"])]
    assert counts(got) == {"error": 2, "warning": 0, "info": 0}


def test_one_row_over_several_rows_and_repeated_texts():
    def row(r):
        return [_cell("total", "T1", r, "合计"), _cell("part", "T1", r, "基本支出"), _cell("part", "T1", r, "项目支出")]
    fs = [
        _f("F1", "table.row_sum", "error", 10, 14, evidence=row("一般公共服务")),
        _f("F2", "table.row_sum", "error", 20, 24, evidence=row("教育支出")),
        _f("F3", "narrative.template_leftover", "warning", 30, 34, message="文字残留未填写的模板内容“增加（减少）”"),
        _f("F4", "narrative.template_leftover", "warning", 90, 94, message="文字残留未填写的模板内容“增加（减少）”"),
        _f("F5", "narrative.template_leftover", "warning", 95, 99, message="文字残留未填写的模板内容“XX万元”"),
    ]
    assert [p["findings"] for p in problems(fs)] == [["F1", "F2"], ["F3", "F4"], ["F5"]]
