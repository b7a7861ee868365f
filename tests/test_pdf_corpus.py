"""Real published PDFs from ../shared/corpus/pdf (skipped when that folder is absent)."""

from __future__ import annotations

import pytest

from gouji.alignment.review import review_document
from gouji.errors import NoTextLayer
from gouji.ingest import ocr, read_document
from tests.conftest import SHARED

PDFS = SHARED / "pdf"
pytestmark = pytest.mark.skipif(not PDFS.is_dir(), reason="../shared/corpus/pdf is not present in this checkout")


def test_shanghai_budget_pdf():
    r = review_document(read_document(PDFS / "上海_上海市生态环境局.pdf"))
    doc = r.document
    assert (doc.meta.pages, doc.meta.year, doc.meta.doc_kind) == (17, 2026, "预算")
    tables = [t for t in r.tables if t.rows and t.kind != "目录"]
    assert [(t.kind, len(t.rows), t.location.page) for t in tables] == [
        ("收支总表", 8, 7),
        ("收入总表", 14, 8),
        ("支出总表", 14, 9),
        ("财政拨款收支总表", 5, 10),
        ("一般公共预算支出表", 14, 11),
        ("基本支出表", 34, 14),
        ("三公经费表", 1, 16),
    ]
    total = tables[0]
    assert total.unit == "元" and [c.text for c in total.rows[0].cells][:2] == ["一、财政拨款收入", "38,549,381"]
    assert {c.location.page for row in total.rows for c in row.cells} == {7}
    assert len(r.claims.claims) == 26
    assert all(doc.location(*f.span).page == 6 for f in r.findings if f.check.startswith("narrative."))


def test_scan_in_corpus():
    if not ocr.available():
        with pytest.raises(NoTextLayer, match=r"no text layer: this file is a scan \(2 pages, 0 characters of text\)"):
            read_document(PDFS / "长沙_文化广电旅游体育局.pdf")
        return
    doc = read_document(PDFS / "长沙_文化广电旅游体育局.pdf")
    assert (doc.meta.source_format, doc.meta.pages) == ("pdf_ocr", 2)
    assert "现下达你单位2025年文化和旅游项目资金" in doc.text  # p1 body; p2 is a list turned 90°
