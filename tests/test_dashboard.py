"""The batch dashboard (index.html): problems counted by the severity emitted, rounding info apart,
inline SVG charts, and byte-identical inputs reviewed once."""

from __future__ import annotations

import copy
import csv
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gouji.batch import run
from gouji.batch.discover import EMPTY_SHA256, duplicates
from gouji.batch.state import STATE_NAME, State
from gouji.report.batch_tables import document_rows
from gouji.report.checklist import checklist_items
from gouji.report.dashboard import dashboard_model, record_problems, to_index_html
from tests.conftest import EXAMPLES

HANDAN = "2022_邯郸市医疗保障局_部门预算"
YULIN = "2022_榆林市横山区医疗保障局_部门预算"
QINGSHAN = "2022_青山区医疗保障局_部门预算"
SHILONG = "2023_平顶山市石龙区医疗保障局_部门预算"
ANZE = "2022_安泽县医疗保障局_部门预算"

# check: (problems by severity emitted, rounding info problems, findings, documents)
CHECKS = {
    "table.cross": ({"error": 4, "warning": 0, "info": 0}, 2, 6, 4),
    "narrative.amount_vs_table": ({"error": 1, "warning": 2, "info": 0}, 0, 3, 1),
    "table.total_row": ({"error": 2, "warning": 0, "info": 0}, 3, 10, 2),
    "narrative.unit": ({"error": 2, "warning": 0, "info": 0}, 0, 2, 2),
    "table.hierarchy_sum": ({"error": 1, "warning": 0, "info": 0}, 6, 11, 3),
    "table.row_sum": ({"error": 1, "warning": 0, "info": 0}, 5, 6, 3),
    "narrative.direction": ({"error": 1, "warning": 0, "info": 0}, 0, 1, 1),
    "narrative.reason_direction": ({"error": 1, "warning": 0, "info": 0}, 0, 1, 1),
    "document.missing_table": ({"error": 0, "warning": 4, "info": 4}, 0, 8, 2),
    "document.empty_table": ({"error": 0, "warning": 4, "info": 0}, 0, 4, 2),
    "narrative.malformed_number": ({"error": 0, "warning": 1, "info": 0}, 0, 1, 1),
    "narrative.percentage_undefined": ({"error": 0, "warning": 1, "info": 0}, 0, 1, 1),
    "narrative.template_leftover": ({"error": 0, "warning": 1, "info": 0}, 0, 1, 1),
}
# document: (error, warning, info problems, rounding info problems, findings), most errors first
DOCUMENTS = {
    YULIN: (7, 6, 4, 0, 17),
    QINGSHAN: (2, 2, 0, 5, 13),
    SHILONG: (2, 2, 0, 3, 12),
    HANDAN: (1, 0, 0, 0, 2),
    ANZE: (0, 3, 0, 6, 11),
}


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> tuple[list[dict], Path]:
    """The records of a batch over the examples, and its output folder."""
    root = tmp_path_factory.mktemp("dash")
    shutil.copytree(EXAMPLES, root / "docs")
    res = run([root / "docs"], root / "out", jobs=1)
    return res.records, root / "out"


def svg(page: str, chart: str) -> ET.Element:
    """The chart ``chart`` of a dashboard page, parsed as XML (so well-formed, escaped)."""
    m = re.search(rf'<svg id="chart-{chart}".*?</svg>', page, re.S)
    assert m, chart
    return ET.fromstring(m.group(0))


def bars(root: ET.Element) -> dict[str, dict[str, int]]:
    """Each bar row's key → its segments' values by key, in the order drawn."""
    return {g.get("data-key"): {r.get("data-key"): int(r.get("data-value")) for r in g.iter("rect")} for g in root.iter("g") if g.get("class") == "bar-row"}


def test_model_counts_problems_by_the_severity_emitted(examples):
    records, _ = examples
    m = dashboard_model(records)
    assert m["grouped"] and (m["listed"], m["distinct"], m["duplicates"], m["ok"], m["failed"]) == (5, 5, 0, 5, 0)
    assert m["totals"] == {"error": 12, "warning": 13, "info": 4} and m["rounding"] == 14
    assert m["findings"] == 55 and m["finding_totals"] == {"error": 13, "warning": 13, "info": 29}
    assert m["verdicts"] == {"error": 4, "warning": 1, "clean": 0, "failed": 0}
    got = {c["id"]: (c["problems"], c["rounding"], c["findings"], c["documents"]) for c in m["checks"]}
    assert got == CHECKS
    assert [c["id"] for c in m["checks"]] == list(CHECKS)  # worst severity emitted, then most problems
    row_sum = next(c for c in m["checks"] if c["id"] == "table.row_sum")
    # one error and five rounding info: no longer “error 6”
    assert row_sum["finding_counts"] == {"error": 1, "warning": 0, "info": 5} and row_sum["name"] == "合计列不平"
    assert row_sum["severity"] == "error" and row_sum["worst"] == "error"
    docs = {d["document"]: (*d["problems"].values(), d["rounding"], d["findings"]) for d in m["documents"]}
    assert docs == DOCUMENTS and [d["document"] for d in m["documents"]] == list(DOCUMENTS)
    handan = next(d for d in m["documents"] if d["document"] == HANDAN)
    assert handan["problem_findings"] == {"error": 2, "warning": 0, "info": 0}  # one problem, two findings


def test_records_without_problems_count_findings(examples):
    records, _ = examples
    old = [{k: v for k, v in r.items() if k != "problems"} for r in records]
    m = dashboard_model(old)
    assert not m["grouped"]
    assert m["totals"] == {"error": 13, "warning": 13, "info": 4} and m["rounding"] == 25
    problems, grouped = record_problems(next(r for r in old if r["document"] == HANDAN))
    assert not grouped and [p["check"] for p in problems] == ["narrative.direction", "narrative.reason_direction"]
    assert "部分文件没有问题分组" in to_index_html(old)


def test_a_record_from_an_older_state_gets_its_problems_from_its_report(examples):
    from gouji.batch.runner import with_problems

    records, out = examples
    for r in records:
        old = {k: v for k, v in r.items() if k != "problems"}
        assert with_problems(old, out / "reports")["problems"] == r["problems"]
        assert "problems" not in with_problems(old, out / "nowhere")  # no report: the findings count


def test_page_shows_names_problems_and_hides_rounding(examples):
    _, out = examples
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="n-error">12<' in page and 'id="n-warning">13<' in page and 'id="n-info">4<' in page
    assert 'id="n-findings">55<' in page and "另有 <b id=\"n-rounding\">14</b> 条舍入提示" in page
    assert '<td title="table.row_sum"><span class="check-name">合计列不平</span></td>' in page
    assert "<code>table.row_sum</code>" not in page
    # a check with nothing but rounding info is a rounding row, hidden until asked for
    assert 'id="show-rounding"' in page and "body:not(.show-rounding) .rounding { display: none; }" in page
    assert "http://" not in page and "https://" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert csp.startswith("default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-") and "img-src data:;" in csp
    assert page.count("<script") == 1  # the hashed one: the charts are no script


def test_svg_charts_have_the_expected_bars(examples):
    _, out = examples
    page = (out / "index.html").read_text(encoding="utf-8")
    checks = svg(page, "checks")
    assert checks.tag == "svg" and checks.get("role") == "img"
    assert checks.find("title").text == "各检查的问题数（按级别）" and checks.get("aria-labelledby") == "chart-checks-title chart-checks-desc"
    assert "另有 14 条舍入提示未计入" in checks.find("desc").text
    assert bars(checks) == {cid: {s: n for s, n in p.items() if n} for cid, (p, *_) in CHECKS.items()}
    labels = [t.text for g in checks.iter("g") if g.get("class") == "bar-row" for t in g.findall("text")[:1]]
    assert labels[:3] == ["表间数额不一致", "金额与报表不符", "合计行不平"]
    tips = {g.get("data-key"): g.find("title").text for g in checks.iter("g") if g.get("class") == "bar-row"}
    assert tips["table.row_sum"] == "合计列不平（table.row_sum）：错误 1；6 条发现，3 份文件"
    width = {g.get("data-key"): sum(float(r.get("width")) for r in g.iter("rect")) for g in checks.iter("g") if g.get("class") == "bar-row"}
    assert width["table.cross"] == pytest.approx(width["document.missing_table"] / 2, abs=0.2)  # 4 of 8

    docs = svg(page, "documents")
    assert docs.get("role") == "img" and docs.find("title").text.startswith("问题最多的文件")
    assert bars(docs) == {name: {s: n for s, n in zip(("error", "warning", "info"), v[:3], strict=True) if n} for name, v in DOCUMENTS.items()}
    labels = [g.findall("text")[0].text for g in docs.iter("g") if g.get("class") == "bar-row"]
    assert labels == ["榆林市横山区医疗保障局 2022", "青山区医疗保障局 2022", "平顶山市石龙区医疗保障局 2023", "邯郸市医疗保障局 2022", "安泽县医疗保障局 2022"]

    verdicts = svg(page, "verdicts")
    assert verdicts.find("title").text == "文件审阅结论"
    assert bars(verdicts) == {"error": {"error": 4}, "warning": {"warning": 1}, "clean": {}, "failed": {}}
    totals = [int(g.get("data-total")) for g in verdicts.iter("g") if g.get("class") == "bar-row"]
    labels = [g.findall("text")[0].text for g in verdicts.iter("g") if g.get("class") == "bar-row"]
    assert totals == [4, 1, 0, 0] and labels == ["有错误", "仅有警告", "无问题", "未能审阅"]


def test_svg_text_is_escaped(examples):
    records, _ = examples
    hostile = '<b>"甲&乙\'</b>'
    recs = copy.deepcopy(records)
    for r in recs:
        r["unit"] = hostile
        r["document"] = hostile + r["document"]
        for f in r["findings"]:
            f["check"] = "x.<i>&" if f["check"] == "narrative.unit" else f["check"]
    page = to_index_html(recs)
    assert "<b>" not in page and "<i>" not in page
    docs = svg(page, "documents")
    names = {g.find("title").text.split("：")[0] for g in docs.iter("g") if g.get("class") == "bar-row"}
    assert names == {hostile + n for n in DOCUMENTS}  # same unit and year twice: the file names
    assert "x.<i>&" in bars(svg(page, "checks"))


def test_an_empty_batch_draws_empty_charts():
    page = to_index_html([])
    assert svg(page, "checks").find("text[@class='empty']").text == "没有问题"
    assert bars(svg(page, "verdicts")) == {"error": {}, "warning": {}, "clean": {}, "failed": {}}


def test_duplicates_by_content_hash():
    assert duplicates(["a", "b", "a", "", "", EMPTY_SHA256, EMPTY_SHA256, "b", "a"]) == [None, None, 0, None, None, None, None, 1, 0]


def _count(path: Path) -> int:
    """Rows of a CSV file under its header."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_a_copied_file_is_reviewed_once_and_counted_once(tmp_path, examples):
    records, _ = examples
    docs = tmp_path / "docs"
    shutil.copytree(EXAMPLES, docs)
    (docs / "sub").mkdir()
    for name in ("copy_a.txt", "sub/另一个名字.txt", "zz.md"):
        shutil.copy(EXAMPLES / f"{HANDAN}.txt", docs / name)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "empty2.txt").write_bytes(b"")  # empty files are never duplicates: each fails
    out = tmp_path / "out"
    res = run([docs], out, jobs=2)
    assert res.reviewed == 7 and res.duplicates == 3 and res.failed == 2 and len(res.records) == 10
    dup = {r["document"]: r for r in res.records if r["status"] == "duplicate"}
    assert sorted(dup) == ["copy_a", "zz", "另一个名字"]
    assert {r["duplicate_of"] for r in dup.values()} == {HANDAN}
    assert all(r["findings"] == [] and r["problems"] == [] and r["checklist"] == [] and r["counts"]["error"] == 0 for r in dup.values())
    assert dup["copy_a"]["outputs"] == {"json": f"{HANDAN}.json", "html": f"{HANDAN}.html"}
    assert sorted(p.stem for p in (out / "reports").glob("*.json")) == sorted(DOCUMENTS)  # no report of a copy
    assert sum(len(r["findings"]) for r in res.records) == 55 and res.errors == 13  # counted once

    m = dashboard_model(res.records)
    base = dashboard_model(records)
    assert (m["totals"], m["rounding"], m["findings"]) == (base["totals"], base["rounding"], base["findings"])
    assert [(c["id"], c["problems"], c["documents"]) for c in m["checks"]] == [(c["id"], c["problems"], c["documents"]) for c in base["checks"]]
    assert (m["listed"], m["distinct"], m["duplicates"], m["verdicts"]) == (10, 7, 3, {"error": 4, "warning": 1, "clean": 0, "failed": 2})
    assert [d["document"] for d in m["duplicate_rows"]] == ["copy_a", "另一个名字", "zz"]

    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="n-docs">7<' in page and 'id="n-duplicates">3<' in page and 'id="n-error">12<' in page
    assert f'<tr class="st-duplicate" data-document="copy_a" data-duplicate-of="{HANDAN}">' in page
    assert f'与 <a href="#doc-{HANDAN}">{HANDAN}</a> 内容相同' in page and f'id="doc-{HANDAN}"' in page
    assert "；另有 3 份重复文件只计一次" in svg(page, "verdicts").find("desc").text
    rows = {r["document"]: r for r in document_rows(res.records)}  # documents.csv's rows
    assert {n: r["status"] for n, r in rows.items() if r["status"] != "ok"} == {"copy_a": "duplicate", "另一个名字": "duplicate", "zz": "duplicate", "empty": "failed", "empty2": "failed"}
    assert (rows["zz"]["duplicate_of"], rows["zz"]["html"], rows["zz"]["errors"]) == (HANDAN, f"reports/{HANDAN}.html", 0)
    assert _count(out / "documents.csv") == 10 and _count(out / "summary.csv") == 55
    assert _count(out / "checklist.csv") == 7 * len(checklist_items())
    sources = set(State(out).load().entries)
    assert str((docs / "copy_a.txt").resolve()) not in sources and len(sources) == 7  # copies are not state

    # --resume: nothing reviewed again, the copies still copies
    again = run([docs], out, jobs=1, resume=True)
    assert (again.reviewed, again.reused, again.duplicates) == (0, 7, 3)
    assert [r["document"] for r in again.records] == [r["document"] for r in res.records]
    assert all(r["reused"] for r in again.records if r["status"] == "duplicate")
    assert dashboard_model(again.records)["totals"] == base["totals"]
    # a copy that changes is a document of its own; the others stay copies
    changed = docs / "copy_a.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("减少3176.66万元", "增加3176.66万元"), encoding="utf-8")
    third = run([docs], out, jobs=1, resume=True)
    assert (third.reviewed, third.reused, third.duplicates) == (1, 7, 2)
    assert next(r for r in third.records if r["document"] == "copy_a")["status"] == "ok"
    assert (out / STATE_NAME).read_text(encoding="utf-8").count("\n") == 1 + 8


def test_interrupted_batch_lists_copies_of_done_documents_only(tmp_path, monkeypatch):
    import gouji.batch.runner as runner_mod

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(EXAMPLES / f"{HANDAN}.txt", docs / "a.txt")
    shutil.copy(EXAMPLES / f"{ANZE}.txt", docs / "b.txt")
    shutil.copy(EXAMPLES / f"{HANDAN}.txt", docs / "c.txt")
    shutil.copy(EXAMPLES / f"{ANZE}.txt", docs / "d.txt")
    real = runner_mod._run_here

    def one_then_stop(todo, done, timeout, interrupted):
        real(todo[:1], done, timeout, interrupted)
        raise KeyboardInterrupt

    monkeypatch.setattr(runner_mod, "_run_here", one_then_stop)
    res = run([docs], tmp_path / "out", jobs=1)
    assert res.interrupted and [(r["document"], r["status"]) for r in res.records] == [("a", "ok"), ("c", "duplicate")]
    monkeypatch.setattr(runner_mod, "_run_here", real)
    res = run([docs], tmp_path / "out", jobs=1, resume=True)
    assert (res.reviewed, res.reused, res.duplicates) == (1, 1, 2)
    assert [r.get("duplicate_of", "") for r in res.records] == ["", "", "a", "b"]
