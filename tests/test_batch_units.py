"""Batch building blocks: discovery and naming, checklist evaluation, resume state, Python API."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import gouji
from gouji.batch.discover import discover, output_names
from gouji.batch.files import atomic_write
from gouji.batch.state import STATE_NAME, State
from gouji.errors import InputNotFound, NoDocuments
from gouji.report import checklist
from gouji.report.checklist import ChecklistItem, evaluate
from tests.conftest import EXAMPLES


def test_discover_files_folders_globs(tmp_path):
    (tmp_path / "a" / "deep").mkdir(parents=True)
    for rel in ("a/x.txt", "a/deep/x.txt", "a/x.md", "a/.hidden.txt", "a/img.png", "b.txt"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    found = discover([tmp_path / "a", str(tmp_path / "*.txt"), tmp_path / "b.txt"])
    assert [f.relative_to(tmp_path).as_posix() for f in found] == ["a/deep/x.txt", "a/x.md", "a/x.txt", "b.txt"]
    assert [f.name for f in discover([str(tmp_path / "**" / "x.*")])] == ["x.txt", "x.md", "x.txt"]
    with pytest.raises(InputNotFound):
        discover([tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(NoDocuments):
        discover([tmp_path / "empty"])


def test_output_names_unique_and_stable(tmp_path):
    files = [tmp_path / p for p in ("2022/局.txt", "2023/局.txt", "2023/局.md", "其他 单位.txt", "sub/index.txt")]
    assert output_names(files) == ["2022__局", "2023__局_txt", "2023__局_md", "其他_单位", "index"]
    assert output_names(list(reversed(files))) == list(reversed(output_names(files)))


def test_atomic_write_leaves_no_temp(tmp_path):
    atomic_write(tmp_path / "d" / "f.txt", "一")
    atomic_write(tmp_path / "d" / "f.txt", b"two")
    assert [p.name for p in (tmp_path / "d").iterdir()] == ["f.txt"]
    assert (tmp_path / "d" / "f.txt").read_bytes() == b"two"


def _report(findings: list[dict], tables=(("T1", "收支总表"), ("T2", "收入总表"), ("T3", "支出总表")), claims=1) -> dict:
    return {
        "tables": [{"id": i, "kind": k, "rows": [{}]} for i, k in tables],
        "claims": [{}] * claims,
        "findings": findings,
    }


def _finding(check, severity="error", tables=("T1",), message="有误", line=7) -> dict:
    return {
        "id": "F1", "check": check, "severity": severity, "message": message, "location": {"line": line},
        "evidence": [{"table": t, "location": {"line": 100 + n}} for n, t in enumerate(tables)],
    }  # fmt: skip


@pytest.fixture
def items(monkeypatch):
    def use(*its: ChecklistItem) -> None:
        monkeypatch.setattr(checklist, "checklist_items", lambda: its)

    return use


def test_checklist_statuses(items):
    items(
        ChecklistItem("t", "总表一致", ("table.cross",), ("tables",), ("收支总表", "收入总表", "支出总表")),
        ChecklistItem("future", "尚无检查", ("narrative.not_yet",), ("prose",)),
        ChecklistItem("mixed", "部分", ("narrative.direction", "narrative.not_yet")),
        ChecklistItem("p", "方向", ("narrative.direction",), ("prose",)),
    )
    rows = {r["id"]: r for r in evaluate(_report([_finding("table.cross", tables=("T1", "T3"), message="总额不一致")]))}
    assert (rows["t"]["status"], rows["t"]["problem"], rows["t"]["basis"]) == ("不合格", "总额不一致", "F1 第7行（T1 第100行、T3 第101行）")
    assert (rows["t"]["problems"], rows["t"]["finding"], rows["t"]["page"], rows["t"]["code"]) == (1, "F1", "", "")
    assert (rows["p"]["problems"], rows["p"]["finding"]) == (0, "")
    assert rows["future"]["status"] == "无法判断" and rows["future"]["problem"] == "判断本项所需的检查尚未实现（narrative.not_yet）"
    assert rows["mixed"]["problem"] == "判断本项所需的检查尚未实现（narrative.not_yet）；已实现的检查（narrative.direction）未发现问题"
    assert (rows["p"]["status"], rows["p"]["basis"]) == ("合格", "已核对（narrative.direction），未发现问题")
    # a finding that involves another kind of table is not about the summary tables
    rows = {r["id"]: r for r in evaluate(_report([_finding("table.cross", tables=("T1", "T9"))]))}
    assert rows["t"]["status"] == "合格"
    # a failure shown by an existing check counts even when another check is missing
    rows = {r["id"]: r for r in evaluate(_report([_finding("narrative.direction")]))}
    assert rows["mixed"]["status"] == "不合格"
    # without prose or tables the checks could not run
    rows = {r["id"]: r for r in evaluate(_report([], tables=(("T1", "收支总表"),), claims=0))}
    assert rows["t"]["problem"] == "文件中未找到收入总表、支出总表"
    assert rows["p"]["problem"] == "文件没有可核对的文字说明（未提取到金额陈述）"
    # warnings are doubts, info findings (rounding) are not problems
    rows = {r["id"]: r for r in evaluate(_report([_finding("narrative.direction", "warning", message="似乎"), _finding("narrative.direction", "info")]))}
    assert (rows["p"]["status"], rows["p"]["problem"]) == ("无法判断", "存疑，需人工核对：似乎")


def test_checklist_data_file_is_valid():
    its = checklist.checklist_items()
    assert len(its) == 11 and len({i.id for i in its}) == 11
    assert {i.item for i in its} >= {"目录所列报表齐全", "收支总表、收入总表、支出总表总额一致", "政府采购总额等于货物、工程、服务之和"}
    assert [i.code for i in its] == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    assert (its[0].label, its[10].label) == ("一、目录所列报表齐全", "十一、绩效目标覆盖金额不超过项目支出")
    assert ChecklistItem("x", "目录所列报表齐全", (), code="1.2").label == "1.2 目录所列报表齐全"
    assert ChecklistItem("x", "无编号", ()).label == "无编号"


@pytest.fixture
def checklist_yaml(monkeypatch):
    """Evaluate ``checklist_items`` on the given items instead of data/checklist.yaml."""

    def use(*raw: dict):
        monkeypatch.setattr(checklist, "load_yaml", lambda name: {"items": list(raw)})
        checklist.checklist_items.cache_clear()
        return checklist.checklist_items()

    yield use
    checklist.checklist_items.cache_clear()  # the next caller reads the real file again


def test_checklist_codes_are_validated(checklist_yaml):
    item = {"id": "a", "item": "甲", "checks": ["table.cross"]}
    assert [i.code for i in checklist_yaml({**item, "code": "1.1"}, {**item, "id": "b", "code": 2}, {**item, "id": "c", "code": "九十九"})] == ["1.1", "2", "九十九"]
    for bad, why in [
        ({**item}, "code must be a Chinese numeral"),
        ({**item, "code": 1.1}, "quote them"),  # YAML's 1.10 is the number 1.1
        ({**item, "code": "一、"}, "got '一、'"),
        ({**item, "code": "A1"}, "got 'A1'"),
        ({**item, "code": True}, "got True"),
    ]:
        with pytest.raises(ValueError, match=why):
            checklist_yaml(bad)
    with pytest.raises(ValueError, match="code 一 is already a's"):
        checklist_yaml({**item, "code": "一"}, {**item, "id": "b", "code": "一"})


def _problem_report(groups: list[list[int]], messages: dict[int, str], pages: bool = True) -> dict:
    """A report of findings F1…Fn (narrative.direction errors on lines 1…n, pages 10+n), grouped into problems."""
    n = max(i for g in groups for i in g)
    findings = [
        {"id": f"F{i}", "check": "narrative.direction", "severity": "error", "message": messages.get(i, f"问题{i}。"),
         "location": {"line": i, **({"page": 10 + i} if pages else {})}, "evidence": []}
        for i in range(1, n + 1)
    ]  # fmt: skip
    problems = [{"id": f"P{k}", "message": messages.get(g[0], f"问题{g[0]}。"), "findings": [f"F{i}" for i in g]} for k, g in enumerate(groups, 1)]
    return {"tables": [], "claims": [{}], "findings": findings, "problems": problems}


def test_checklist_counts_and_describes_problems(items):
    items(ChecklistItem("p", "方向", ("narrative.direction",), ("prose",)))
    # F1 and F2 are one problem (one wrong word): counted once, its message once
    (row,) = evaluate(_problem_report([[1, 2], [3]], {1: "方向错误：应为增加。", 3: "另一处；含分号。"}))
    assert (row["status"], row["problems"], row["finding"], row["page"]) == ("不合格", 2, "F1", 11)
    assert row["problem"] == "（1）方向错误：应为增加；（2）另一处；含分号"
    assert row["basis"] == "（1）F1 第11页；（2）F3 第13页"
    # five problems: three shown, then 等5项
    (row,) = evaluate(_problem_report([[1], [2, 4], [3], [5], [6]], {}, pages=False))
    assert row["problems"] == 5
    assert row["problem"] == "（1）问题1；（2）问题2；（3）问题3等5项"
    assert row["basis"] == "（1）F1 第1行；（2）F2 第2行；（3）F3 第3行等5项"
    # one problem: not numbered
    (row,) = evaluate(_problem_report([[1, 2]], {1: "唯一的问题。"}))
    assert (row["problem"], row["basis"], row["problems"]) == ("唯一的问题", "F1 第11页", 1)
    # a report written before problems were grouped: each finding is a problem of its own
    old = _problem_report([[1, 2]], {1: "甲。", 2: "乙。"})
    del old["problems"]
    (row,) = evaluate(old)
    assert (row["problem"], row["problems"]) == ("（1）甲；（2）乙", 2)
    # doubts are described the same way
    doubt = _problem_report([[1], [2]], {1: "似乎不对。", 2: "也许。"})
    for f in doubt["findings"]:
        f["severity"] = "warning"
    (row,) = evaluate(doubt)
    assert (row["status"], row["problem"], row["problems"]) == ("无法判断", "存疑，需人工核对：（1）似乎不对；（2）也许", 2)


def test_state_ignores_torn_lines(tmp_path):
    st = State(tmp_path)
    st.add("/a.txt", "h1", ("json",), {"document": "a", "status": "failed"})
    with open(tmp_path / STATE_NAME, "a", encoding="utf-8") as fh:
        fh.write('{"source": "/b.txt", "sha2')  # killed mid-write
    st.close()
    st2 = State(tmp_path).load()
    assert list(st2.entries) == ["/a.txt"]
    st2.add("/c.txt", "h3", ("json",), {"document": "c", "status": "failed"})
    st2.close()
    assert list(State(tmp_path).load().entries) == ["/a.txt", "/c.txt"]
    assert State(tmp_path).load().up_to_date("/a.txt", "h1", "a", ("json",), tmp_path) == {"document": "a", "status": "failed"}
    assert State(tmp_path).load().up_to_date("/a.txt", "other", "a", ("json",), tmp_path) is None


def test_python_api(tmp_path):
    from gouji.report.batch_tables import CHECKLIST_COLUMNS, DOCUMENT_COLUMNS, FINDING_COLUMNS

    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    res = gouji.review([EXAMPLES, bad], jobs=1)
    assert list(res.documents["status"]) == ["ok"] * 5 + ["failed"]
    assert res.documents["errors"].sum() == 13 and len(res.findings) == 55
    assert res.findings.groupby("severity").size().to_dict() == {"error": 13, "info": 29, "warning": 13}
    assert len(res.checklist) == 6 * 11
    assert not (tmp_path / "reports").exists()
    # English names, the same for the same thing in every frame
    assert list(res.findings.columns) == FINDING_COLUMNS == [
        "document", "unit", "year", "problem", "finding", "severity", "severity_label", "check", "check_name",
        "message", "span", "page", "line", "expected", "actual", "stated_amount", "computed_amount",
        "difference_amount", "report_link", "page_link", "source",
    ]  # fmt: skip
    assert list(res.documents.columns) == DOCUMENT_COLUMNS == [
        "document", "status", "unit", "year", "kind", "problems", "errors", "warnings", "infos", "findings",
        "tables", "claims", "pages", "seconds", "error", "duplicate_of", "html", "json", "reused", "source",
    ]  # fmt: skip
    assert list(res.checklist.columns) == CHECKLIST_COLUMNS == [
        "n", "document", "unit", "year", "code", "item", "item_id", "verdict", "problems", "description",
        "basis", "url", "page_link", "source",
    ]  # fmt: skip
    dtypes = {name: {c: str(t) for c, t in getattr(res, name).dtypes.items() if str(t) not in ("object", "str", "string")} for name in res._fields}
    assert dtypes == {
        "findings": {"year": "Int64", "page": "Int64", "line": "Int64", "stated_amount": "float64", "computed_amount": "float64", "difference_amount": "float64"},
        "documents": {
            "year": "Int64", "problems": "int64", "errors": "int64", "warnings": "int64", "infos": "int64", "findings": "int64",
            "tables": "int64", "claims": "int64", "pages": "Int64", "seconds": "float64", "reused": "bool",
        },
        "checklist": {"n": "int64", "year": "Int64", "problems": "int64"},
    }  # fmt: skip
    docs = res.documents.set_index("document")
    assert docs.loc["bad", "year"] is pd.NA and docs.loc["2022_邯郸市医疗保障局_部门预算", "year"] == 2022
    assert list(docs["problems"]) == [9, 17, 1, 9, 7, 0] and not docs["reused"].any()
    handan = res.findings[res.findings["document"] == "2022_邯郸市医疗保障局_部门预算"]
    assert handan[["problem", "finding", "check", "check_name", "severity_label"]].values.tolist() == [
        ["P1", "F1", "narrative.direction", "增减方向错误", "错误"],
        ["P1", "F2", "narrative.reason_direction", "增减原因方向相反", "错误"],
    ]
    assert handan["page"].isna().all() and list(handan["line"]) == [394, 394]
    assert handan["stated_amount"].tolist()[0] == -3176.66 and handan["computed_amount"].tolist() == [3176.66, 3176.66]
    assert handan["difference_amount"].tolist()[0] == 6353.32 and pd.isna(handan["difference_amount"].tolist()[1])
    assert (handan["expected"].tolist()[0], handan["actual"].tolist()[0]) == ("增加3176.66万元", "减少3176.66万元")
    assert handan["report_link"].tolist() == ["", ""]  # no reports without ``out``
    row = res.checklist[(res.checklist["document"] == "2022_邯郸市医疗保障局_部门预算") & (res.checklist["item_id"] == "change_direction")].iloc[0]
    assert (row["n"], row["year"], row["code"], row["verdict"], row["problems"], row["basis"]) == (27, 2022, "五", "不合格", 1, "F1 第394行")
    res = gouji.review(EXAMPLES / "2022_邯郸市医疗保障局_部门预算.txt", out=tmp_path / "o", formats=("json",))
    assert json.loads(Path(tmp_path / "o" / "reports" / "2022_邯郸市医疗保障局_部门预算.json").read_text(encoding="utf-8"))["findings"][0]["check"] == "narrative.direction"
    assert list(res.findings["check"]) == ["narrative.direction", "narrative.reason_direction"]


def test_frames_of_no_documents():
    from gouji.batch import frames

    res = frames([])
    assert [len(f) for f in res] == [0, 0, 0]
    assert (str(res.findings["year"].dtype), str(res.findings["stated_amount"].dtype), str(res.documents["reused"].dtype)) == ("Int64", "float64", "bool")


def test_xlsx_accepts_control_characters_and_long_text():
    from io import BytesIO

    from openpyxl import load_workbook

    from gouji.report.batch_tables import XLSX_MAX_TEXT, to_xlsx

    data = to_xlsx([("s", [{"a": "页\x0c眉\x00", "b": "长" * 40000, "c": 3}], ["a", "b", "c"], None)])
    (header, row) = list(load_workbook(BytesIO(data), read_only=True)["s"].iter_rows(values_only=True))
    assert header == ("a", "b", "c")
    assert row[0] == "页\ufffd眉\ufffd" and len(row[1]) == XLSX_MAX_TEXT and row[1].endswith("…") and row[2] == 3


def test_xlsx_layout_for_reviewers():
    from io import BytesIO

    from openpyxl import load_workbook

    from gouji.report.batch_tables import to_xlsx

    rows = [{"sev": "error", "msg": "说明" * 30, "n": 1}, {"sev": "info", "msg": "", "n": 2}, {"sev": "unknown", "msg": "=1+1", "n": 3}]
    data = to_xlsx([("findings", rows, ["sev", "msg", "n"], "sev")], {"msg": 60})
    ws = load_workbook(BytesIO(data))["findings"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C4"
    assert ws["A1"].font.b and ws["A1"].value == "sev" and ws["C1"].value == "序号" and ws.column_dimensions["B"].width > 59
    assert ws["A2"].fill.fgColor.rgb.endswith("FFEBEE") and ws["A3"].fill.fgColor.rgb.endswith("ECEFF1")
    assert ws["B2"].alignment.wrap_text and ws["B3"].value is None
    assert ws["B4"].value == "=1+1" and ws["B4"].data_type == "s"  # text stays text, never a formula
    assert [ws["C2"].value, ws["C3"].value, ws["C4"].value] == [1, 2, 3] and ws["C2"].number_format == "0"
    # 60 Chinese characters are 120 columns of text: three lines of the 60 wide column, 15 points each
    # (a row of one line keeps Excel's default height, 15 points, written as none)
    assert [ws.row_dimensions[r].height for r in (1, 2, 3, 4)] == [None, 45, None, None]
    ps = ws.page_setup
    assert (ps.orientation, ps.paperSize, ps.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == ("landscape", 9, 0, True)
    assert ws.print_title_rows == "$1:$1" and ws.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_a_crashing_stage_is_a_failed_row(monkeypatch, tmp_path):
    import gouji.alignment.review as review_mod

    real = review_mod.review_document

    def flaky(doc, models=None):
        if "邯郸" in doc.path:
            raise ZeroDivisionError("boom")
        return real(doc, models=models)

    monkeypatch.setattr(review_mod, "review_document", flaky)
    res = gouji.review(EXAMPLES, jobs=1, out=tmp_path)
    failed = res.documents[res.documents["status"] == "failed"]
    assert list(failed["document"]) == ["2022_邯郸市医疗保障局_部门预算"]
    assert list(failed["error"]) == ["internal error while reviewing: ZeroDivisionError: boom"]
    assert (res.documents["status"] == "ok").sum() == 4 and len(res.findings) == 53
    assert not (tmp_path / "reports" / "2022_邯郸市医疗保障局_部门预算.json").exists()


def test_parquet_is_written_without_pandas(tmp_path):
    """pyarrow asks pandas whether a Python list is one of its arrays: half a second and 60 MB in
    the process writing a review's summaries, for nothing (the rows go to Arrow as JSON lines)."""
    code = (
        "import sys\n"
        "from gouji.batch import run\n"
        f"run([{str(EXAMPLES)!r}], {str(tmp_path)!r}, jobs=1, progress=False)\n"
        "print('pandas' in sys.modules)\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[-1] == "False" and (tmp_path / "documents.parquet").stat().st_size > 0


def test_the_page_rate_of_a_review():
    """What ``gouji review`` adds to its summary line: the PDF pages this run read and their rate;
    nothing for documents up to date, failed, or without pages."""
    from gouji.batch.runner import BatchResult
    from gouji.cli import _page_rate

    def rate(records: list[dict], seconds: float) -> str:
        return _page_rate(BatchResult(records=records, seconds=seconds))

    ok = {"status": "ok", "pages": 669}
    assert rate([ok], 3.8) == ", 669 PDF pages at 176 pages/s"
    assert rate([{"status": "ok", "pages": 15}], 145.5) == ", 15 PDF pages at 0.1 pages/s"
    assert rate([{"status": "ok", "pages": 1}], 2.0) == ", 1 PDF page at 0.5 pages/s"
    assert rate([{**ok, "reused": True}, {"status": "ok", "pages": ""}, {"status": "failed", "pages": ""}], 1.0) == ""
