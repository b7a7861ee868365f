"""The CSV and XLSX files of ``gouji review`` are safe to open: no text cell runs as a formula."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from gouji.report.batch_tables import FORMULA_STARTS, safe_csv_cell, to_csv, to_xlsx

DOCUMENT = """# 某某局2022年部门预算

单位：万元

项目\t金额
支出合计\t110.00

2022年支出预算110万元，较2021年预算100万元增加10万元，主要原因为：{reason}增加了办公设备购置经费。
"""
HYPERLINK = '=HYPERLINK("http://x","y")'
# file name -> the start of its stated reason (OWASP's examples)
REASONS = {"-1-1.txt": HYPERLINK, "=cmd.txt": "@SUM(1+1)", "plain.txt": "-2+3"}
CSVS = ["summary.csv", "documents.csv", "reasons.csv", "checklist.csv"]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    docs = root / "docs"
    docs.mkdir()
    for name, reason in REASONS.items():
        (docs / name).write_text(DOCUMENT.format(reason=reason), encoding="utf-8")
    out = root / "out"
    p = subprocess.run(
        [sys.executable, "-m", "gouji", "review", str(docs), "--out", str(out), "--format", "json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert p.returncode == 0, p.stdout + p.stderr
    return out


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


NUMBER_RE = re.compile(r"-?\d+(\.\d+)?")


def is_safe(cell: str) -> bool:
    return not cell.startswith(FORMULA_STARTS)


@pytest.mark.parametrize("name", CSVS)
def test_no_csv_cell_can_run(out, name):
    rows = read_csv(out / name)
    assert len(rows) > 1
    # a negative amount (差额 -0.01) is a number, which Excel reads as one, never as a formula
    assert all(is_safe(cell) or NUMBER_RE.fullmatch(cell) for row in rows for cell in row), name


def test_csv_keeps_the_text_after_the_quote(out):
    reasons = {r["文件路径"]: r for r in csv.DictReader(io.StringIO((out / "reasons.csv").read_text(encoding="utf-8-sig")))}
    by_file = {Path(s).name: r for s, r in reasons.items()}
    assert by_file["-1-1.txt"]["原因"] == "'" + HYPERLINK + "增加了办公设备购置经费"
    assert by_file["=cmd.txt"]["原因"].startswith("'@SUM(1+1)")
    assert by_file["plain.txt"]["原因"].startswith("'-2+3")
    assert by_file["-1-1.txt"]["文件"] == "'-1-1"  # the leading '-' is kept, behind the quote
    assert by_file["-1-1.txt"]["行号"] == "8"  # numbers are not quoted
    documents = read_csv(out / "documents.csv")
    seconds = documents[0].index("用时（秒）")
    assert all(re.fullmatch(r"\d+(\.\d+)?", row[seconds]) for row in documents[1:])


@pytest.mark.parametrize("name", ["summary.xlsx", "checklist.xlsx"])
def test_xlsx_has_no_formulas_and_shows_the_text(out, name):
    with zipfile.ZipFile(out / name) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(re.search(rb"<f[ >]", z.read(n)) for n in sheets)
    wb = load_workbook(out / name)
    texts = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" and c.quotePrefix for c in texts if c.value.startswith(FORMULA_STARTS)), name
    ws = wb.worksheets[0]
    if name == "summary.xlsx":  # 文件
        cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value == "-1-1"]
        assert cells, "the document's name is shown as it is, without a quote"
        assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    else:  # 网址/截图: without an HTML report (--format json), the source file, linked
        cells = [c for row in ws.iter_rows(min_row=2) for c in row if str(c.value).endswith("/-1-1.txt")]
        assert len(cells) == 11 and {c.column_letter for c in cells} == {"H"}
        assert {c.hyperlink.target for c in cells} == {Path(cells[0].value).as_uri()}


def test_xlsx_stores_formula_text_as_quoted_strings():
    payloads = [HYPERLINK, "+cmd|' /C calc'!A0", "@SUM(1+1)", "-1-1", "\tx", "\rx", "-5.00"]
    columns = ["text", "severity", "n"]
    rows = [{"text": p, "severity": "error", "n": -5} for p in payloads]
    data = to_xlsx([("s", rows, columns, "severity")], {"text": 60})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"<f" not in z.read("xl/worksheets/sheet1.xml")
    ws = load_workbook(io.BytesIO(data)).active
    got = list(ws.iter_rows(min_row=2, values_only=True))
    # XlsxWriter stores a carriage return as Excel's _x000D_ escape, which openpyxl does not undo
    assert [r[0].replace("_x000D_", "\r") for r in got] == payloads and all(r[2] == -5 for r in got)
    for text, severity, n in ws.iter_rows(min_row=2):
        assert text.data_type == "s" and text.quotePrefix and text.alignment.wrap_text  # still wrapped
        assert not severity.quotePrefix and severity.fill.fgColor.rgb.endswith("FFEBEE")
        assert n.data_type == "n" and not n.quotePrefix


def test_numbers_and_plain_text_are_left_alone():
    assert safe_csv_cell(-5) == -5 and safe_csv_cell(-0.5) == -0.5 and safe_csv_cell(None) is None
    assert safe_csv_cell("某某局") == "某某局" and safe_csv_cell("") == ""
    assert to_csv([{"a": -5, "b": "-5"}], ["a", "b"]).decode("utf-8-sig") == "a,b\r\n-5,'-5\r\n"


@given(st.text())
def test_sanitised_cell_is_safe_and_keeps_the_text(text):
    cell = safe_csv_cell(text)
    assert is_safe(cell)
    assert cell == text or (cell.startswith("'") and cell[1:] == text)
    assert (cell == text) == is_safe(text)  # safe text is left as it is


# lone surrogates are left out: they have no UTF-8 form, so no CSV can hold them
@given(st.lists(st.text(alphabet=st.characters(exclude_categories=("Cs",))), min_size=1, max_size=4))
def test_csv_round_trip_is_safe(texts):
    columns = [f"c{i}" for i in range(len(texts))]
    data = to_csv([dict(zip(columns, texts, strict=True))], columns).decode("utf-8-sig")
    (header, row) = list(csv.reader(io.StringIO(data, newline="")))
    assert header == columns
    assert all(is_safe(c) and (c == t or c == "'" + t) for c, t in zip(row, texts, strict=True))
