"""A scanned PDF read by OCR (the ``ocr`` extra): tables, claims and findings as from the text layer.

The fixture ``tests/data/scans/邯郸_p2_p10_150dpi.pdf`` is pages 2 and 10 of the 邯郸 example
written as a PDF (``tests/formats.py``) and rasterised at 150 dpi as grey JPEG images
(``benchmarks.ocr.rasterise``): the 收支总表 and the page whose prose says “减少3176.66万元”.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from gouji.ingest import ocr, read_document

SCAN = Path(__file__).parent / "data" / "scans" / "邯郸_p2_p10_150dpi.pdf"
needs_ocr = pytest.mark.skipif(not ocr.available(), reason="the ocr extra (rapidocr-onnxruntime) is not installed")


@cache
def _scan_document():
    return read_document(SCAN)


@needs_ocr
def test_a_scan_is_read_from_its_images() -> None:
    doc = _scan_document()
    assert doc.meta.source_format == "pdf_ocr"
    assert doc.meta.pages == 2
    assert "2022年预算收支安排5873.35万元，较2021年预算2696.69万元减少3176.66万元" in doc.text


@needs_ocr
def test_the_scanned_table_is_read_into_its_cells() -> None:
    from gouji.tables.build import build_tables

    tables = build_tables(_scan_document())
    totals = [r for t in tables for r in t.rows if any(c.text == "收入总计" for c in r.cells)]
    assert len(totals) == 1
    assert [c.text for c in totals[0].cells][-4:] == ["收入总计", "5873.35", "支出总计", "5873.35"]


@needs_ocr
def test_every_character_carries_its_recognition_confidence() -> None:
    doc = _scan_document()
    start = doc.text.index("5873.35")
    c = doc.confidence(start, start + len("5873.35"))
    assert c is not None and 0.9 <= c <= 1.0


@needs_ocr
def test_the_scan_gets_the_finding_of_its_text() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "gouji", "check", str(SCAN), "--format", "json"], capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 1, out.stderr
    problems = json.loads(out.stdout)["problems"]
    errors = [p for p in problems if p["severity"] == "error"]
    assert [p["check"] for p in errors] == ["narrative.direction"]
    assert errors[0]["message"] == "增减方向错误：5873.35 − 2696.69 = +3176.66，应为增加，文字却写“减少3176.66万元”。"


def test_without_the_extra_a_scan_names_it() -> None:
    code = (
        "import sys; sys.modules['rapidocr_onnxruntime'] = None; "
        "from gouji.cli import main; sys.exit(main(['check', sys.argv[1]]))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(SCAN)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("gouji: error G006: ")
    assert "no text layer: this file is a scan (2 pages, 0 characters of text)" in lines[0]
    assert "pip install 'gouji[ocr]'" in lines[0]
