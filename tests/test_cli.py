"""The command line, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import EXAMPLES


def run(*args: str, cwd=None, columns: int | None = None) -> subprocess.CompletedProcess:
    """``gouji ARGS`` in a subprocess; ``columns``: the terminal width it sees (COLUMNS)."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return subprocess.run([sys.executable, "-m", "gouji", *args], capture_output=True, text=True, cwd=cwd, timeout=300, env=env)


def test_check_examples_exit_1_with_findings():
    p = run("check", str(EXAMPLES), columns=1000)  # wide: no message is wrapped
    assert p.returncode == 1, p.stderr
    assert "减少3176.66万元" in p.stdout and "165.42 元" in p.stdout and "5.56 元" in p.stdout


def test_json_report_schema():
    p = run("check", str(EXAMPLES / "2022_邯郸市医疗保障局_部门预算.txt"), "--format", "json")
    assert p.returncode == 1
    d = json.loads(p.stdout)
    assert d["schema"] == "gouji.report/1"
    assert set(d) >= {"document", "tables", "claims", "findings"}
    f, reason_f = d["findings"]
    assert reason_f["check"] == "narrative.reason_direction" and reason_f["span"] == "增加了"
    assert f["check"] == "narrative.direction" and f["severity"] == "error"
    assert f["span"] == "减少3176.66万元" and f["location"]["line"] == 394
    claim = next(c for c in d["claims"] if c["id"] == f["claim"])
    assert claim["amount"] == "5873.35" and claim["comparison"]["base"] == "2696.69"
    assert claim["comparison"]["direction"] == "decrease" and claim["status"] == "contradicted"
    assert claim["reason"]["text"].startswith("今年部门预算增加了")


def test_min_severity_and_clean_exit(tmp_path):
    doc = tmp_path / "ok.txt"
    doc.write_text("# 某某局2022年部门预算\n\n单位：万元\n\n项目\t金额\n收入合计\t100.00\n\n2022年预算收入100万元。\n", encoding="utf-8")
    p = run("check", str(doc))
    assert p.returncode == 0, p.stdout + p.stderr
    out = tmp_path / "r.json"
    p = run("check", str(EXAMPLES / "2022_邯郸市医疗保障局_部门预算.txt"), "--format", "json", "--min-severity", "error", "--out", str(out))
    assert p.returncode == 1
    assert [f["severity"] for f in json.loads(out.read_text(encoding="utf-8"))["findings"]] == ["error", "error"]


def _bad(args, tmp_path, needle):
    p = run(*args, cwd=tmp_path)
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert "Traceback" not in p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], lines


def test_bad_inputs(tmp_path):
    _bad(["check", "missing.txt"], tmp_path, "missing.txt: no such file")
    (tmp_path / "emptydir").mkdir()
    _bad(["check", "emptydir"], tmp_path, "holds no documents")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    _bad(["check", "empty.txt"], tmp_path, "file is empty")
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 8)
    _bad(["check", "bin.txt"], tmp_path, "binary file")
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4\n")
    _bad(["check", "doc.pdf"], tmp_path, "doc.pdf: not a readable PDF")
    _bad(["check"], tmp_path, "required")
    _bad(["check", "x.txt", "--format", "xml"], tmp_path, "invalid choice")


def test_not_a_disclosure(tmp_path):
    (tmp_path / "poem.txt").write_text("床前明月光，疑是地上霜。\n", encoding="utf-8")
    p = run("check", "poem.txt", "--format", "json", cwd=tmp_path)
    assert p.returncode == 0
    assert [f["check"] for f in json.loads(p.stdout)["findings"]] == ["document.no_tables"]


def test_checks_catalogue():
    p = run("checks")
    assert p.returncode == 0
    for cid in ("narrative.direction", "narrative.unit", "narrative.parts_sum", "narrative.malformed_number"):
        assert cid in p.stdout


def test_check_pdf(tmp_path):
    from tests.formats import write_pdf

    pdf = write_pdf((EXAMPLES / "2022_邯郸市医疗保障局_部门预算.txt").read_text(encoding="utf-8"), tmp_path / "handan.pdf")
    p = run("check", str(pdf), "--format", "json")
    assert p.returncode == 1, p.stderr
    d = json.loads(p.stdout)
    assert d["document"]["format"] == "pdf" and d["document"]["unit_name"] == "邯郸市医疗保障局"
    f = d["findings"][0]
    assert [x["check"] for x in d["findings"]] == ["narrative.direction", "narrative.reason_direction"]
    assert (f["check"], f["span"], f["location"]["page"]) == ("narrative.direction", "减少3176.66万元", 10)
    assert all("page" in t["location"] for t in d["tables"])
    p = run("check", str(pdf), columns=80)
    assert p.returncode == 1
    # a PDF's place is its page: the lines of its text layer mean nothing to a reader
    assert p.stdout.splitlines()[2] == "  P1 【错误】增减方向错误 · 第10页（含 2 条发现：F1 F2）"
    assert "行（" not in p.stdout and "第394行" not in p.stdout


def test_scanned_pdf_is_an_error(tmp_path):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(tmp_path / "scan.pdf"))
    c.rect(50, 50, 400, 600, fill=1)
    c.showPage()
    c.save()
    # with the ocr extra the page image is read, and holds no text; without it the extra is named
    _bad(["check", "scan.pdf"], tmp_path, "scan.pdf: no text layer: this file is a scan (1 pages, 0 characters of text)")


def test_one_bad_document_among_several_does_not_stop_the_others(tmp_path):
    import shutil

    shutil.copy(EXAMPLES / "2022_邯郸市医疗保障局_部门预算.txt", tmp_path / "handan.txt")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    p = run("check", str(tmp_path), "--format", "json")
    assert p.returncode == 2 and "Traceback" not in p.stderr
    errors = p.stderr.strip().splitlines()
    assert len(errors) == 1 and "empty.txt" in errors[0]
    d = json.loads(p.stdout)  # the readable document is reported all the same
    assert d["document"]["unit_name"] == "邯郸市医疗保障局" and d["document"]["counts"]["error"] == 2
    (tmp_path / "handan.txt").unlink()
    (tmp_path / "blank.txt").write_text("\n", encoding="utf-8")
    p = run("check", str(tmp_path))
    lines = p.stderr.strip().splitlines()
    assert p.returncode == 2 and len(lines) == 3 and lines[-1] == "gouji: error: none of the 2 documents could be read (see the errors above)"
