"""``gouji review`` run as a reviewer runs it: in a subprocess, over the examples and broken files."""

from __future__ import annotations

import csv
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import EXAMPLES

# name: (errors, warnings, infos, tables, claims) of each example
EXPECTED = {
    "2022_安泽县医疗保障局_部门预算": (0, 3, 8, 11, 0),
    "2022_榆林市横山区医疗保障局_部门预算": (7, 6, 4, 14, 29),
    "2022_邯郸市医疗保障局_部门预算": (2, 0, 0, 10, 21),
    "2022_青山区医疗保障局_部门预算": (2, 2, 9, 11, 75),
    "2023_平顶山市石龙区医疗保障局_部门预算": (2, 2, 8, 12, 31),
}
ITEMS = 11  # checklist items in data/checklist.yaml
OUTPUTS = ["checklist.csv", "checklist.xlsx", "documents.csv", "documents.parquet", "index.html", "reasons.csv", "summary.csv", "summary.parquet", "summary.xlsx"]


def distinct_copies(folder: Path, copies: int) -> Path:
    """``copies`` copies of the examples, each differing in its trailing newlines (which change
    no finding): byte-identical copies would be reviewed once, as duplicates."""
    for i in range(copies):
        (folder / f"batch{i:02}").mkdir(parents=True)
        for f in EXAMPLES.glob("*.txt"):
            (folder / f"batch{i:02}" / f.name).write_bytes(f.read_bytes() + b"\n" * i)
    return folder


def review(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gouji", "review", *args], capture_output=True, text=True, cwd=cwd, timeout=600)


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def xlsx_rows(path: Path, sheet: str | None = None) -> list[tuple]:
    wb = load_workbook(path, read_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path, Path]:
    """One batch over the examples plus an empty, a binary and a truncated PDF file."""
    root = tmp_path_factory.mktemp("batch")
    docs = root / "docs"
    shutil.copytree(EXAMPLES, docs)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 8)
    pdf = root / "truncated.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R")
    out = root / "out"
    p = review(str(docs), str(pdf), "--out", str(out), "--jobs", "2")
    return p, out, root


def test_exit_status_3_when_documents_failed(batch):
    p, out, _ = batch
    assert p.returncode == 3, p.stderr
    assert "8 of 8 documents (5 ok, 3 failed, 0 up to date), 55 findings (13 errors)" in p.stdout
    assert p.stderr == ""  # no progress bar when not on a terminal
    assert sorted(x.name for x in out.iterdir() if not x.name.startswith(".")) == sorted([*OUTPUTS, "reports"])
    assert not list(out.rglob("*.tmp"))


def test_documents_csv(batch):
    _, out, root = batch
    table = read_csv(out / "documents.csv")
    assert list(table[0]) == [
        "文件", "状态", "单位", "年度", "类型", "问题数", "错误数", "警告数", "提示数", "发现数", "报表数", "金额陈述数",
        "页数", "用时（秒）", "失败原因", "与之相同的文件", "HTML报告", "JSON报告", "沿用上次结果", "文件路径",
    ]  # fmt: skip
    rows = {r["文件"]: r for r in table}
    assert len(rows) == 8
    for name, (e, w, i, tables, claims) in EXPECTED.items():
        r = rows[name]
        assert (r["状态"], r["错误数"], r["警告数"], r["提示数"]) == ("完成", str(e), str(w), str(i))
        assert (r["报表数"], r["金额陈述数"], r["发现数"]) == (str(tables), str(claims), str(e + w + i))
        assert r["HTML报告"] == f"reports/{name}.html" and r["JSON报告"] == f"reports/{name}.json" and r["失败原因"] == ""
        assert r["文件路径"] == str(root / "docs" / f"{name}.txt")
        data = json.loads((out / r["JSON报告"]).read_text(encoding="utf-8"))
        assert data["document"]["counts"] == {"error": e, "warning": w, "info": i}
        assert r["问题数"] == str(len(data["problems"]))
        assert (out / r["HTML报告"]).read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert rows["2022_邯郸市医疗保障局_部门预算"]["问题数"] == "1"  # two findings about one wrong word
    failed = {n: r for n, r in rows.items() if r["状态"] == "失败"}
    assert sorted(failed) == ["binary", "empty", "truncated"]
    assert failed["empty"]["失败原因"] == f"error G003: {root / 'docs' / 'empty.txt'}: file is empty (give the exported text of a disclosure)"
    assert failed["binary"]["失败原因"].startswith("error G002: ") and "binary file" in failed["binary"]["失败原因"]
    assert failed["truncated"]["失败原因"].startswith(("error G005: ", "error G002: "))  # unsupported or unreadable PDF
    assert all(r["HTML报告"] == r["JSON报告"] == r["年度"] == "" and r["错误数"] == r["问题数"] == "0" for r in failed.values())
    assert {r["沿用上次结果"] for r in rows.values()} == {"否"}


def test_summary_csv_and_xlsx(batch):
    _, out, _ = batch
    rows = read_csv(out / "summary.csv")
    assert len(rows) == 55
    assert list(rows[0]) == [
        "文件", "单位", "年度", "问题编号", "发现编号", "级别", "检查代码", "检查名称", "问题说明", "原文", "页码", "行号",
        "应为", "实为", "公布数（万元）", "核算数（万元）", "差额（万元）", "报告链接", "原文页面", "文件路径",
    ]  # fmt: skip
    handan = "2022_邯郸市医疗保障局_部门预算"
    handan_rows = [r for r in rows if r["文件"] == handan]
    assert [(r["问题编号"], r["发现编号"], r["检查代码"], r["检查名称"], r["级别"]) for r in handan_rows] == [
        ("P1", "F1", "narrative.direction", "增减方向错误", "错误"),
        ("P1", "F2", "narrative.reason_direction", "增减原因方向相反", "错误"),
    ]
    first = handan_rows[0]
    assert (first["单位"], first["年度"], first["原文"], first["行号"], first["页码"]) == ("邯郸市医疗保障局", "2022", "减少3176.66万元", "394", "")
    assert first["问题说明"] == "增减方向错误：5873.35 − 2696.69 = +3176.66，应为增加，文字却写“减少3176.66万元”。"
    assert (first["应为"], first["实为"]) == ("增加3176.66万元", "减少3176.66万元")
    assert (first["公布数（万元）"], first["核算数（万元）"], first["差额（万元）"]) == ("-3176.66", "3176.66", "6353.32")
    assert (first["报告链接"], first["原文页面"]) == (f"reports/{handan}.html#F1", "")
    assert (handan_rows[1]["公布数（万元）"], handan_rows[1]["核算数（万元）"], handan_rows[1]["差额（万元）"]) == ("", "3176.66", "")
    per_doc = {n: sum(1 for r in rows if r["文件"] == n) for n in EXPECTED}
    assert per_doc == {n: sum(v[:3]) for n, v in EXPECTED.items()}
    assert sum(1 for r in rows if r["级别"] == "错误") == 13
    assert not any("\t" in r["原文"] or "\n" in r["原文"] or "<b>" in r["原文"] for r in rows)
    anze = [r for r in rows if r["文件"] == "2022_安泽县医疗保障局_部门预算"]
    assert [r["问题编号"] for r in anze] == ["P1", "P1", "P2", "P3", "P4", "P5", "P6", "P6", "P7", "P8", "P9"]  # findings by problem
    assert anze[0]["原文"] == "280.84"  # “<b>280.84</b>” in the JSON report
    assert anze[8]["原文"] == "项目 政府性基金收入预算 科目编码 科目名称"  # a table row: its tabs made spaces
    sheet = xlsx_rows(out / "summary.xlsx")
    assert len(sheet) == 56 and sheet[0][6] == "检查代码"
    csv_first = [v for k, v in rows[0].items() if k not in ("报告链接", "原文页面")]
    assert [str(c) if c is not None else "" for c in sheet[1]] == csv_first


def test_reasons_csv_and_category_counts(batch):
    _, out, _ = batch
    rows = read_csv(out / "reasons.csv")
    assert list(rows[0]) == ["文件", "单位", "年度", "陈述编号", "事项", "增减", "原因", "原因所述方向", "原因类别", "归类方式", "行号", "文件路径"]
    per_doc = {n: sum(1 for r in rows if r["文件"] == n) for n in EXPECTED}
    assert per_doc == {"2022_安泽县医疗保障局_部门预算": 0, "2022_榆林市横山区医疗保障局_部门预算": 13, "2022_邯郸市医疗保障局_部门预算": 2, "2022_青山区医疗保障局_部门预算": 2, "2023_平顶山市石龙区医疗保障局_部门预算": 4}
    handan = [r for r in rows if r["文件"] == "2022_邯郸市医疗保障局_部门预算"]
    assert [(r["陈述编号"], r["事项"], r["增减"], r["原因所述方向"], r["原因类别"], r["归类方式"], r["行号"]) for r in handan] == [
        ("C11", "预算收支", "减少", "增加", "项目增减", "规则", "394"),
        ("C17", "公务接待费", "减少", "减少", "压减一般性支出", "规则", "402"),
    ]
    assert handan[0]["原因"] == "今年部门预算增加了新冠病毒疫苗及接种财政补助资金3000万元"
    from collections import Counter

    assert Counter(r["原因类别"] for r in rows) == {"项目增减": 11, "机构改革/合并": 5, "人员变动": 3, "压减一般性支出": 1, "其他": 1}
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<tr><td>项目增减</td><td class="num">11</td><td class="num">2</td></tr>' in page
    assert '<tr><td>新增专项资金</td><td class="num">0</td><td class="num">0</td></tr>' in page


def test_checklist(batch):
    _, out, root = batch
    rows = read_csv(out / "checklist.csv")
    assert len(rows) == 8 * ITEMS
    assert list(rows[0]) == [
        "序号", "文件", "单位", "年度", "编号", "检查项目", "项目代码", "是否合格", "问题数", "问题描述", "依据", "网址/截图",
        "原文页面", "检查人", "备注",
    ]  # fmt: skip
    got = {(r["文件"], r["项目代码"]): r for r in rows}
    handan = "2022_邯郸市医疗保障局_部门预算"
    r = got[handan, "change_direction"]
    assert (r["编号"], r["检查项目"], r["是否合格"], r["问题数"], r["依据"]) == ("五", "增减方向与金额计算一致", "不合格", "1", "F1 第394行")
    # one problem (the direction and the reason's direction findings share the claim): its message once
    assert r["问题描述"] == "增减方向错误：5873.35 − 2696.69 = +3176.66，应为增加，文字却写“减少3176.66万元”"
    assert (r["网址/截图"], r["原文页面"], r["检查人"], r["备注"]) == (f"reports/{handan}.html#F1", "", "", "")
    assert got[handan, "percentages"]["是否合格"] == "合格" and got[handan, "percentages"]["问题数"] == "0"
    assert got[handan, "percentages"]["依据"] == "已核对（narrative.percentage、narrative.share），未发现问题"
    assert got[handan, "percentages"]["网址/截图"] == f"reports/{handan}.html"
    # 安泽 has no prose: every prose item cannot be decided, and says why
    anze = "2022_安泽县医疗保障局_部门预算"
    for item in ("prose_matches_tables", "change_direction", "percentages", "units"):
        assert got[anze, item]["是否合格"] == "无法判断"
        assert got[anze, item]["问题描述"] == "文件没有可核对的文字说明（未提取到金额陈述）"
    toc = got[anze, "toc_complete"]
    assert (toc["是否合格"], toc["问题数"], toc["依据"]) == ("不合格", "3", "（1）F1 第175行；（2）F2 第182行；（3）F3 第192行")
    assert toc["问题描述"] == "；".join(
        f"（{i}）T{i + 6}“{title}”为空表，目录、表注和文字说明均未说明理由"
        for i, title in enumerate(("安泽县医疗保障局2022年政府性基金预算收入表", "安泽县医疗保障局2022年政府性基金预算支出表", "2022年一般公共预算“三公”经费支出情况统计表"), 1)
    )
    # 横山 lacks the three summary tables; its table sums fail
    hs = "2022_榆林市横山区医疗保障局_部门预算"
    assert got[hs, "summary_tables_agree"]["问题描述"] == "文件中未找到收支总表、收入总表、支出总表"
    assert (got[hs, "table_sums"]["是否合格"], got[hs, "table_sums"]["问题数"]) == ("不合格", "4")
    sums = got[hs, "table_sums"]  # four problems: three described, then 等4项
    assert sums["问题描述"].startswith("（1）T3“2022年部门综合预算财政拨款收支总表”“一、财政拨款”的各分项")
    assert sums["问题描述"].endswith("；超出已公布数字的舍入范围等4项") and "（3）" in sums["问题描述"] and "（4）" not in sums["问题描述"]
    assert sums["依据"].startswith("（1）F2 第261行（T3 第261行、") and sums["依据"].endswith("等4项") and "（4）" not in sums["依据"]
    assert got[hs, "units"]["是否合格"] == "无法判断" and got[hs, "units"]["问题描述"].startswith("存疑，需人工核对：数字“2321. 万元”")
    # coverage checks: a pass only where the check evaluated the document, else why not
    assert got[anze, "procurement_sum"]["是否合格"] == "无法判断"
    assert got[anze, "procurement_sum"]["问题描述"] == "文件中未找到政府采购总额及其货物、工程、服务分项"
    assert got[anze, "performance_within_projects"]["是否合格"] == "合格"
    assert got["2022_青山区医疗保障局_部门预算", "procurement_sum"]["依据"].endswith("已核对：文字所述政府采购14.8 万元及其分项（由 narrative.parts_sum 核对）")
    assert got[hs, "performance_within_projects"]["问题描述"] == "7张项目绩效目标表未列年度资金，其余3张之和 388.00 万元未超过项目支出 1720.41"
    for doc in EXPECTED:
        assert "尚未实现" not in got[doc, "procurement_sum"]["问题描述"]
    assert got["empty", "toc_complete"]["是否合格"] == "无法判断"
    assert got["empty", "toc_complete"]["问题描述"].startswith("文件未能审阅：error G003")
    assert (got["empty", "toc_complete"]["年度"], got["empty", "toc_complete"]["网址/截图"]) == ("", str(root / "docs" / "empty.txt"))
    counts = {s: sum(1 for r in rows if r["是否合格"] == s) for s in ("合格", "不合格", "无法判断")}
    assert counts == {"合格": 33, "不合格": 9, "无法判断": 46}
    sheet = xlsx_rows(out / "checklist.xlsx", "检查表")
    assert sheet[0] == ("序号", "单位", "年度", "检查项目", "是否合格", "问题描述", "依据", "网址/截图", "检查人", "备注")
    assert len(sheet) == 8 * ITEMS + 1
    row = next(x for x in sheet[1:] if x[1] == "邯郸市医疗保障局" and x[3] == "五、增减方向与金额计算一致")
    assert row == (27, "邯郸市医疗保障局", 2022, "五、增减方向与金额计算一致", "不合格", r["问题描述"], "F1 第394行", f"reports/{handan}.html#F1", None, None)
    totals = xlsx_rows(out / "checklist.xlsx", "汇总")
    assert totals[0] == ("检查项目", "合格", "不合格", "无法判断", "合计", "合格率", "不合格问题数")
    by_item = {r[0]: r[1:] for r in totals[1:]}
    assert by_item["五、增减方向与金额计算一致"] == (3, 1, 4, 8, 0.375, 1)
    assert by_item["三、报表内各级科目、合计行与合计列加总正确"] == (4, 1, 3, 8, 0.5, 4)
    assert totals[-1] == ("合计", 33, 9, 46, 88, 0.375, 16)


def test_index_html(batch):
    _, out, _ = batch
    page = (out / "index.html").read_text(encoding="utf-8")
    for name in EXPECTED:
        assert f'href="reports/{name}.html"' in page
    # problems (12 errors: 邯郸's two findings about one wrong word are one), not findings (13)
    assert 'id="n-error">12<' in page and 'id="n-failed">3<' in page and 'id="n-docs">8<' in page
    assert 'id="n-findings">55<' in page and 'id="n-rounding">14<' in page
    assert '<td title="table.total_row"><span class="check-name">合计行不平</span></td>' in page and "file is empty" in page
    assert "http://" not in page and "https://" not in page  # self-contained
    first = page.index('<tr class="st-ok" data-document="2022_榆林市横山区医疗保障局_部门预算"')
    assert first < page.index('data-document="2022_邯郸市医疗保障局_部门预算"')  # most errors first


def test_resume_does_no_work(batch, tmp_path):
    _, out, root = batch
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    before = {p.name: p.stat().st_mtime_ns for p in (copy / "reports").iterdir()}
    p = review(str(root / "docs"), str(root / "truncated.pdf"), "--out", str(copy), "--resume")
    assert p.returncode == 3, p.stderr
    assert "(5 ok, 3 failed, 8 up to date)" in p.stdout
    assert {r["沿用上次结果"] for r in read_csv(copy / "documents.csv")} == {"是"}
    assert {p.name: p.stat().st_mtime_ns for p in (copy / "reports").iterdir()} == before
    assert read_csv(copy / "summary.csv") == read_csv(out / "summary.csv")
    # a changed document is reviewed again, the others are not
    doc = root / "docs" / "2022_邯郸市医疗保障局_部门预算.txt"
    changed = tmp_path / "docs"
    shutil.copytree(root / "docs", changed)
    (changed / doc.name).write_text(doc.read_text(encoding="utf-8").replace("减少3176.66万元", "增加3176.66万元"), encoding="utf-8")
    p = review(str(changed), "--out", str(tmp_path / "out2"), "--jobs", "1")
    assert p.returncode == 3
    p = review(str(changed), "--out", str(tmp_path / "out2"), "--resume")
    assert "(5 ok, 2 failed, 7 up to date)" in p.stdout
    (changed / doc.name).write_text(doc.read_text(encoding="utf-8"), encoding="utf-8")
    p = review(str(changed), "--out", str(tmp_path / "out2"), "--resume")
    assert "(5 ok, 2 failed, 6 up to date)" in p.stdout and "13 errors" in p.stdout
    rows = {r["文件"]: r["沿用上次结果"] for r in read_csv(tmp_path / "out2" / "documents.csv")}
    assert rows["2022_邯郸市医疗保障局_部门预算"] == "否" and rows["2022_安泽县医疗保障局_部门预算"] == "是"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupted_batch_resumes_to_complete_outputs(tmp_path, jobs):
    docs = tmp_path / "docs"
    copies = 30  # enough that the interrupt lands mid-way on a fast machine
    distinct_copies(docs, copies)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "gouji", "review", str(docs), "--out", str(out), "--jobs", jobs],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # a shell running the tests in the background starts them with Ctrl-C ignored, which
        # the child would inherit; the test is about a batch that Ctrl-C reaches
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    state = out / ".gouji-review-state.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not state.exists() or state.read_text(encoding="utf-8").count("\n") < 6):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, (stdout, stderr)
    assert "interrupted" in stderr and "Traceback" not in stderr
    done = read_csv(out / "documents.csv")
    assert 5 <= len(done) < 5 * copies, (stdout, stderr)
    for r in done:  # every document listed is complete
        assert json.loads((out / r["JSON报告"]).read_text(encoding="utf-8"))["schema"] == "gouji.report/1"
        assert (out / r["HTML报告"]).read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not list(out.rglob("*.tmp")) and not list(out.rglob(".*.tmp"))
    assert "审阅被中断" in (out / "index.html").read_text(encoding="utf-8")

    p = review(str(docs), "--out", str(out), "--resume", "--jobs", "2")
    assert p.returncode == 1, p.stderr
    rows = read_csv(out / "documents.csv")
    assert len(rows) == 5 * copies and {r["状态"] for r in rows} == {"完成"}
    assert sum(r["沿用上次结果"] == "是" for r in rows) >= len(done)
    assert sum(int(r["错误数"]) for r in rows) == copies * 13
    assert len(read_csv(out / "summary.csv")) == copies * 55 and len(read_csv(out / "checklist.csv")) == 5 * copies * ITEMS
    assert len(list((out / "reports").glob("*.html"))) == 5 * copies and len(list((out / "reports").glob("*.json"))) == 5 * copies
    assert "审阅被中断" not in (out / "index.html").read_text(encoding="utf-8")


def test_bad_arguments(tmp_path):
    p = review("missing_dir", "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert p.returncode == 2 and p.stderr.strip() == "gouji: error G001: missing_dir: no such file or directory (check the path)"
    p = review("nomatch*.txt", "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert p.returncode == 2 and "no file matches this pattern" in p.stderr
    p = review(str(EXAMPLES), cwd=tmp_path)
    assert p.returncode == 2 and "--out" in p.stderr
    p = review(str(EXAMPLES), "--out", "o", "--jobs", "0", cwd=tmp_path)
    assert p.returncode == 2 and "not a positive number" in p.stderr
    p = review(str(EXAMPLES), "--out", "o", "--format", "xml", cwd=tmp_path)
    assert p.returncode == 2 and "invalid format" in p.stderr
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    p = review(str(EXAMPLES / "2022_邯郸市医疗保障局_部门预算.txt"), "--out", "afile", cwd=tmp_path)
    assert p.returncode == 2 and "cannot write the outputs" in p.stderr and "Traceback" not in p.stderr


def test_glob_single_document_json_only(tmp_path):
    p = review(str(EXAMPLES / "2022_邯*.txt"), "--out", str(tmp_path / "o"), "--format", "json")
    assert p.returncode == 1, p.stderr
    assert sorted(x.name for x in (tmp_path / "o" / "reports").iterdir()) == ["2022_邯郸市医疗保障局_部门预算.json"]
    (row,) = read_csv(tmp_path / "o" / "documents.csv")
    assert row["HTML报告"] == "" and row["错误数"] == "2"
