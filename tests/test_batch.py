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
OUTPUTS = ["checklist.csv", "checklist.xlsx", "documents.csv", "index.html", "reasons.csv", "summary.csv", "summary.xlsx"]


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
    rows = {r["document"]: r for r in read_csv(out / "documents.csv")}
    assert len(rows) == 8
    for name, (e, w, i, tables, claims) in EXPECTED.items():
        r = rows[name]
        assert (r["status"], r["errors"], r["warnings"], r["infos"]) == ("ok", str(e), str(w), str(i))
        assert (r["tables"], r["claims"], r["findings"]) == (str(tables), str(claims), str(e + w + i))
        assert r["html"] == f"reports/{name}.html" and r["json"] == f"reports/{name}.json" and r["error"] == ""
        assert json.loads((out / r["json"]).read_text(encoding="utf-8"))["document"]["counts"] == {"error": e, "warning": w, "info": i}
        assert (out / r["html"]).read_text(encoding="utf-8").rstrip().endswith("</html>")
    failed = {n: r for n, r in rows.items() if r["status"] == "failed"}
    assert sorted(failed) == ["binary", "empty", "truncated"]
    assert failed["empty"]["error"] == f"error G003: {root / 'docs' / 'empty.txt'}: file is empty (give the exported text of a disclosure)"
    assert failed["binary"]["error"].startswith("error G002: ") and "binary file" in failed["binary"]["error"]
    assert failed["truncated"]["error"].startswith(("error G005: ", "error G002: "))  # unsupported or unreadable PDF
    assert all(r["html"] == r["json"] == "" and r["errors"] == "0" for r in failed.values())
    assert {r["reused"] for r in rows.values()} == {"no"}


def test_summary_csv_and_xlsx(batch):
    _, out, _ = batch
    rows = read_csv(out / "summary.csv")
    assert len(rows) == 55
    assert list(rows[0]) == ["document", "source", "unit", "year", "finding", "check", "severity", "message", "span", "page", "line", "expected", "actual"]
    handan_rows = [r for r in rows if r["document"] == "2022_邯郸市医疗保障局_部门预算"]
    assert [r["check"] for r in handan_rows] == ["narrative.direction", "narrative.reason_direction"]
    handan = handan_rows[0]
    assert handan["unit"] == "邯郸市医疗保障局" and handan["year"] == "2022"
    assert (handan["check"], handan["severity"], handan["span"], handan["line"], handan["page"]) == ("narrative.direction", "error", "减少3176.66万元", "394", "")
    assert handan["message"].startswith("增减方向错误：5873.35 − 2696.69 = +3176.66")
    assert handan["expected"] and handan["actual"]
    per_doc = {n: sum(1 for r in rows if r["document"] == n) for n in EXPECTED}
    assert per_doc == {n: sum(v[:3]) for n, v in EXPECTED.items()}
    assert sum(1 for r in rows if r["severity"] == "error") == 13
    sheet = xlsx_rows(out / "summary.xlsx")
    assert len(sheet) == 56 and sheet[0][5] == "check"
    assert [str(c) if c is not None else "" for c in sheet[1]] == list(rows[0].values())


def test_reasons_csv_and_category_counts(batch):
    _, out, _ = batch
    rows = read_csv(out / "reasons.csv")
    assert list(rows[0]) == ["document", "source", "unit", "year", "claim", "subject", "change", "reason", "direction", "category", "category_by", "line"]
    per_doc = {n: sum(1 for r in rows if r["document"] == n) for n in EXPECTED}
    assert per_doc == {"2022_安泽县医疗保障局_部门预算": 0, "2022_榆林市横山区医疗保障局_部门预算": 13, "2022_邯郸市医疗保障局_部门预算": 2, "2022_青山区医疗保障局_部门预算": 2, "2023_平顶山市石龙区医疗保障局_部门预算": 4}
    handan = [r for r in rows if r["document"] == "2022_邯郸市医疗保障局_部门预算"]
    assert [(r["claim"], r["change"], r["direction"], r["category"], r["category_by"], r["line"]) for r in handan] == [
        ("C11", "decrease", "increase", "项目增减", "rules", "394"),
        ("C17", "decrease", "decrease", "压减一般性支出", "rules", "402"),
    ]
    assert handan[0]["reason"].startswith("今年部门预算增加了新冠病毒疫苗")
    from collections import Counter

    assert Counter(r["category"] for r in rows) == {"项目增减": 11, "机构改革/合并": 5, "人员变动": 3, "压减一般性支出": 1, "其他": 1}
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<tr><td>项目增减</td><td class="num">11</td><td class="num">2</td></tr>' in page
    assert '<tr><td>新增专项资金</td><td class="num">0</td><td class="num">0</td></tr>' in page


def test_checklist(batch):
    _, out, _ = batch
    rows = read_csv(out / "checklist.csv")
    assert len(rows) == 8 * ITEMS
    assert list(rows[0]) == ["序号", "文件", "单位", "年度", "检查项目", "项目编号", "是否合格", "问题描述", "依据"]
    got = {(r["文件"], r["项目编号"]): r for r in rows}
    handan = "2022_邯郸市医疗保障局_部门预算"
    r = got[handan, "change_direction"]
    assert (r["检查项目"], r["是否合格"], r["依据"]) == ("增减方向与金额计算一致", "不合格", "F1 第394行")
    assert r["问题描述"].startswith("增减方向错误：5873.35 − 2696.69 = +3176.66")
    assert got[handan, "percentages"]["是否合格"] == "合格"
    assert got[handan, "percentages"]["依据"] == "已核对（narrative.percentage、narrative.share），未发现问题"
    # 安泽 has no prose: every prose item cannot be decided, and says why
    anze = "2022_安泽县医疗保障局_部门预算"
    for item in ("prose_matches_tables", "change_direction", "percentages", "units"):
        assert got[anze, item]["是否合格"] == "无法判断"
        assert got[anze, item]["问题描述"] == "文件没有可核对的文字说明（未提取到金额陈述）"
    assert got[anze, "toc_complete"]["是否合格"] == "不合格"
    assert got[anze, "toc_complete"]["依据"] == "F1 第175行；F2 第182行；F3 第192行"
    # 横山 lacks the three summary tables; its table sums fail
    hs = "2022_榆林市横山区医疗保障局_部门预算"
    assert got[hs, "summary_tables_agree"]["问题描述"] == "文件中未找到收支总表、收入总表、支出总表"
    assert got[hs, "table_sums"]["是否合格"] == "不合格"
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
    counts = {s: sum(1 for r in rows if r["是否合格"] == s) for s in ("合格", "不合格", "无法判断")}
    assert counts == {"合格": 33, "不合格": 9, "无法判断": 46}
    sheet = xlsx_rows(out / "checklist.xlsx", "检查表")
    assert len(sheet) == 8 * ITEMS + 1 and sheet[0][6] == "是否合格"
    totals = {r[0]: r[2:] for r in xlsx_rows(out / "checklist.xlsx", "汇总")[1:]}
    assert totals["change_direction"] == (3, 1, 4)


def test_index_html(batch):
    _, out, _ = batch
    page = (out / "index.html").read_text(encoding="utf-8")
    for name in EXPECTED:
        assert f'href="reports/{name}.html"' in page
    assert 'id="n-error">13<' in page and 'id="n-failed">3<' in page and 'id="n-docs">8<' in page
    assert "<code>table.total_row</code>" in page and "file is empty" in page
    assert "http://" not in page and "https://" not in page  # self-contained
    first = page.index('<tr class="st-ok" data-document="2022_榆林市横山区医疗保障局_部门预算">')
    assert first < page.index('data-document="2022_邯郸市医疗保障局_部门预算"')  # most errors first


def test_resume_does_no_work(batch, tmp_path):
    _, out, root = batch
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    before = {p.name: p.stat().st_mtime_ns for p in (copy / "reports").iterdir()}
    p = review(str(root / "docs"), str(root / "truncated.pdf"), "--out", str(copy), "--resume")
    assert p.returncode == 3, p.stderr
    assert "(5 ok, 3 failed, 8 up to date)" in p.stdout
    assert {r["reused"] for r in read_csv(copy / "documents.csv")} == {"yes"}
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
    rows = {r["document"]: r["reused"] for r in read_csv(tmp_path / "out2" / "documents.csv")}
    assert rows["2022_邯郸市医疗保障局_部门预算"] == "no" and rows["2022_安泽县医疗保障局_部门预算"] == "yes"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupted_batch_resumes_to_complete_outputs(tmp_path, jobs):
    docs = tmp_path / "docs"
    copies = 30  # enough that the interrupt lands mid-way on a fast machine
    for i in range(copies):
        shutil.copytree(EXAMPLES, docs / f"batch{i:02}")
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
        assert json.loads((out / r["json"]).read_text(encoding="utf-8"))["schema"] == "gouji.report/1"
        assert (out / r["html"]).read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not list(out.rglob("*.tmp")) and not list(out.rglob(".*.tmp"))
    assert "审阅被中断" in (out / "index.html").read_text(encoding="utf-8")

    p = review(str(docs), "--out", str(out), "--resume", "--jobs", "2")
    assert p.returncode == 1, p.stderr
    rows = read_csv(out / "documents.csv")
    assert len(rows) == 5 * copies and {r["status"] for r in rows} == {"ok"}
    assert sum(r["reused"] == "yes" for r in rows) >= len(done)
    assert sum(int(r["errors"]) for r in rows) == copies * 13
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
    assert row["html"] == "" and row["errors"] == "2"
