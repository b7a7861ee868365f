"""The two PDF readers (``--pdf-reader plumber|pdfium``) give the same intermediates and documents.

PDFs are drawn with reportlab: prose, a ruled table drawn with lines and a rectangle (one cell
wrapped over two lines), a filled rule, a table inside a form XObject, and a landscape page
made with ``/Rotate 90``. The PDFium reader's characters and edges are compared with
pdfplumber's one by one, then the documents and tables built from them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pdfplumber.table import TableFinder, TableSettings

from gouji.alignment.review import review_document
from gouji.errors import EmptyInput, NoTextLayer, UnreadableInput
from gouji.ingest import DEFAULT_PDF_READER, PDF_READERS, read_document
from gouji.ingest.pdf import _CharIndex, find_tables, read_pages
from gouji.ingest.ruling import PDFPLUMBER_SETTINGS
from gouji.report.json_report import report_dict

A4 = (595.28, 841.89)
ROWS = [
    ("项目", "本年预算数", "上年预算数"),
    ("一般公共预算拨款收入", "5873.35", "2696.69"),
    ("政府性基金预算拨款收入", "0.00", "0.00"),
    ("收入合计", "5873.35", "2696.69"),
]
PROSE = "2022年部门收入预算5873.35万元，比上年增加3176.66万元，主要原因是新冠病毒疫苗及接种财政补助资金增加。"


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _grid(c, x0: float, top: float, widths: list[float], rows: list[tuple[str, ...]], height: float, font: str) -> None:
    """A table ruled with lines (inner) and a stroked rectangle (frame), y measured downwards."""
    total = sum(widths)
    bottom = top - height * len(rows)
    c.rect(x0, bottom, total, top - bottom, stroke=1, fill=0)
    for k in range(1, len(rows)):
        c.line(x0, top - k * height, x0 + total, top - k * height)
    x = x0
    for w in widths[:-1]:
        x += w
        c.line(x, top, x, bottom)
    for k, row in enumerate(rows):
        x = x0
        for w, cell in zip(widths, row, strict=True):
            c.setFont(font, 10)
            if cell == ROWS[2][0]:  # wrapped over two lines in its cell
                c.drawString(x + 4, top - k * height - 11, cell[:6])
                c.drawString(x + 4, top - k * height - 22, cell[6:])
            else:
                c.drawString(x + 4, top - k * height - 16, cell)
            x += w


def ruled_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    font = _font()
    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    # page 1: title, prose, a ruled table, a filled rule under the title
    c.setFont(font, 16)
    c.drawCentredString(w / 2, h - 72, "某某市医疗保障局2022年部门预算")
    c.rect(60, h - 82, w - 120, 0.8, stroke=0, fill=1)
    c.setFont(font, 12)
    c.drawString(60, h - 120, "一、收支预算总体情况")
    c.drawString(84, h - 144, PROSE[:36])
    c.drawString(60, h - 162, PROSE[36:])
    c.setFont(font, 10)
    c.drawString(60, h - 196, "单位：万元")
    _grid(c, 60, h - 204, [200, 120, 120], ROWS, 28, font)
    c.drawString(60, h - 360, "注：本表按收入来源列示。")
    c.showPage()
    # page 2: the same table inside a form XObject
    c.beginForm("table")
    _grid(c, 0, 28 * len(ROWS), [200, 120, 120], ROWS, 28, font)
    c.endForm()
    c.setFont(font, 12)
    c.drawString(60, h - 80, "二、收入预算情况")
    c.saveState()
    c.translate(60, h - 100 - 28 * len(ROWS))
    c.doForm("table")
    c.restoreState()
    c.showPage()
    # page 3: landscape by /Rotate 90, drawn turned back so that it reads upright
    c.setPageRotation(90)
    c.translate(w, 0)
    c.rotate(90)
    c.setFont(font, 12)
    c.drawString(60, w - 60, "三、支出预算情况（横排页）")
    _grid(c, 60, w - 80, [260, 160, 160], ROWS, 26, font)
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    return ruled_pdf(tmp_path_factory.mktemp("readers") / "ruled.pdf")


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01


def test_characters_and_edges_are_pdfplumbers(pdf):
    import pdfplumber

    from gouji.ingest.pdfium import PdfiumDocument

    with pdfplumber.open(str(pdf)) as pl, PdfiumDocument(str(pdf)) as pm:
        for ref, page in zip(pl.pages, pm.pages, strict=True):
            assert (_near(ref.width, page.width), _near(ref.height, page.height)) == (True, True)
            want = sorted((c["text"], round(c["x0"], 1), round(c["top"], 1)) for c in ref.chars)
            got = sorted((c["text"], round(c["x0"], 1), round(c["top"], 1)) for c in page.chars)
            assert got == want, ref.page_number
            for c in page.chars:
                (r,) = [x for x in ref.chars if x["text"] == c["text"] and _near(x["x0"], c["x0"]) and _near(x["top"], c["top"])][:1]
                assert all(_near(r[k], c[k]) for k in ("x1", "bottom", "size")), (r, c)
                assert r["upright"] == c["upright"] and all(_near(u, v) for u, v in zip(r["matrix"], c["matrix"], strict=True))

            def edges(p) -> list[tuple]:
                return sorted((e["orientation"], e["object_type"], round(e["x0"], 1), round(e["top"], 1), round(e["x1"], 1), round(e["bottom"], 1)) for e in p.edges)

            assert edges(page) == edges(ref) and edges(ref), ref.page_number
            # gouji's own table finding (gouji.ingest.ruling) and cell extraction are pdfplumber's
            # (pdfplumber's TableFinder needs only the page's edges: it runs on PDFium's page too)
            texts = [t.extract() for t in ref.find_tables(PDFPLUMBER_SETTINGS)]
            assert texts
            # pdfplumber's Table.extract reads each character's doctop, a key gouji's reader
            # does not keep: on one page it is the top
            page.chars = [{**c, "doctop": c["top"]} for c in page.chars]
            for p in (ref, page):
                index = _CharIndex(p.chars)
                want = [(sorted(t.cells), t.extract()) for t in TableFinder(p, TableSettings.resolve(PDFPLUMBER_SETTINGS)).tables]
                assert [(sorted(t.cells), index.extract(t)) for t in find_tables(p)] == want
                assert [text for _, text in want] == texts
            ref.close()


def test_same_document_and_tables(pdf):
    docs = {r: read_document(pdf, r) for r in PDF_READERS}
    plumber, pdfium = docs["plumber"], docs["pdfium"]
    assert pdfium.text == plumber.text and pdfium.line_pages == plumber.line_pages
    assert pdfium.meta.pages == plumber.meta.pages == 3
    assert "一、收支预算总体情况" in plumber.text and PROSE in plumber.text
    assert "三、支出预算情况（横排页）" in plumber.text
    reviews = {r: review_document(d) for r, d in docs.items()}
    tables = {r: [(t.kind, t.location.page, [[c.text for c in row.cells] for row in t.rows]) for t in rv.tables] for r, rv in reviews.items()}
    assert tables["pdfium"] == tables["plumber"]
    assert [page for _, page, _ in tables["plumber"]] == [1, 2, 3]
    rows = tables["plumber"][0][2]
    assert ["政府性基金预算拨款收入", "0.00", "0.00"] in rows  # the wrapped cell, joined
    assert ["收入合计", "5873.35", "2696.69"] in rows
    a, b = (report_dict(reviews[r]) for r in PDF_READERS)
    assert [(f["fingerprint"], f["message"]) for f in b["findings"]] == [(f["fingerprint"], f["message"]) for f in a["findings"]]
    assert [c["span"] for c in b["claims"]] == [c["span"] for c in a["claims"]] and a["claims"]


def test_pages_are_the_same_intermediates(pdf):
    pa, pb = (read_pages(pdf, r) for r in PDF_READERS)
    assert [(p.number, p.chars, len(p.items)) for p in pa] == [(p.number, p.chars, len(p.items)) for p in pb]
    for x, y in zip(pa, pb, strict=True):
        assert [getattr(i, "segments", None) or getattr(i, "rows", None) for i in x.items] == [
            getattr(i, "segments", None) or getattr(i, "rows", None) for i in y.items
        ]


def _empty_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree has no pages."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


@pytest.mark.parametrize("reader", PDF_READERS)
def test_same_errors(tmp_path, reader):
    from reportlab.pdfgen import canvas

    (tmp_path / "cut.pdf").write_bytes(b"%PDF-1.4\n")
    with pytest.raises(UnreadableInput, match="not a readable PDF"):
        read_document(tmp_path / "cut.pdf", reader)
    with pytest.raises(EmptyInput, match="PDF has no pages"):
        read_document(_empty_pdf(tmp_path / "empty.pdf"), reader)
    c = canvas.Canvas(str(tmp_path / "scan.pdf"))
    for _ in range(2):
        c.rect(50, 50, 400, 600, fill=1)
        c.showPage()
    c.save()
    with pytest.raises(NoTextLayer, match=r"this file is a scan \(2 pages, 0 characters of text\)"):
        read_document(tmp_path / "scan.pdf", reader)
    with pytest.raises(ValueError, match="unknown PDF reader"):
        read_pages(tmp_path / "scan.pdf", "mupdf")


def _gouji(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gouji", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_cli_option(pdf, tmp_path):
    out = {}
    for reader in PDF_READERS:
        p = _gouji("check", str(pdf), "--format", "json", "--pdf-reader", reader)
        assert p.returncode in (0, 1), p.stderr
        out[reader] = json.loads(p.stdout)
    assert out["pdfium"]["tables"] == out["plumber"]["tables"] and out["plumber"]["tables"]
    assert out["pdfium"]["findings"] == out["plumber"]["findings"]
    p = _gouji("check", str(pdf), "--pdf-reader", "mupdf")
    assert p.returncode == 2 and "argument --pdf-reader: invalid choice: 'mupdf'" in p.stderr
    # review: the reader reaches the workers, and a resumed review with the other reader redoes the PDF
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.pdf").write_bytes(pdf.read_bytes())
    (docs / "b.txt").write_text("# 某某局2022年部门预算\n\n单位：万元\n\n项目\t金额\n收入合计\t100.00\n", encoding="utf-8")
    p = _gouji("review", str(docs), "--out", str(tmp_path / "r"), "--format", "json", "--pdf-reader", "pdfium", "--jobs", "2")
    assert p.returncode in (0, 1), p.stdout + p.stderr
    assert "2 of 2 documents (2 ok, 0 failed, 0 up to date)" in p.stdout
    report = json.loads((tmp_path / "r" / "reports" / "a.json").read_text(encoding="utf-8"))
    assert report["tables"] == out["pdfium"]["tables"]
    p = _gouji("review", str(docs), "--out", str(tmp_path / "r"), "--format", "json", "--resume", "--pdf-reader", "pdfium")
    assert "(2 ok, 0 failed, 2 up to date)" in p.stdout, p.stdout
    p = _gouji("review", str(docs), "--out", str(tmp_path / "r"), "--format", "json", "--resume", "--pdf-reader", "plumber")
    assert "(2 ok, 0 failed, 1 up to date)" in p.stdout, p.stdout  # the text file is not read by a PDF reader


def test_python_api_and_cli_names_agree(pdf, tmp_path):
    import gouji
    from gouji import cli

    assert cli.PDF_READERS == PDF_READERS and cli.DEFAULT_PDF_READER == DEFAULT_PDF_READER
    frames = {r: gouji.review([pdf], jobs=1, pdf_reader=r) for r in PDF_READERS}
    assert frames["pdfium"].findings.equals(frames["plumber"].findings)
    assert frames["pdfium"].documents["status"].tolist() == ["ok"]
    with pytest.raises(ValueError, match="unknown PDF reader"):
        gouji.review([pdf], jobs=1, pdf_reader="mupdf")


def _char_strategy():
    from hypothesis import strategies as st

    coordinate = st.sampled_from([0.0, 1.0, 2.9, 3.0, 3.1, 6.0, 10.0, 12.5]) | st.floats(0, 40, allow_nan=False)

    @st.composite
    def char(draw) -> dict:
        x0, top = draw(coordinate), draw(coordinate)
        return {
            "text": draw(st.sampled_from(["预", "算", "1", "a", " ", "\u3000", "", "ﬁ", "（"])),
            "x0": x0,
            "x1": x0 + draw(st.sampled_from([0.0, 2.0, 5.0, 10.5])),
            "top": top,
            "bottom": top + draw(st.sampled_from([5.0, 10.5, 12.0])),
            "doctop": top,
            "upright": draw(st.sampled_from([True, True, True, False])),
        }

    return st.lists(char(), max_size=14)


def test_cell_text_is_pdfplumbers_extract_text():
    """``cell_text`` gives what pdfplumber's ``extract_text`` gives (it is the table cells' text)."""
    from hypothesis import given, settings
    from pdfplumber.utils import extract_text

    from gouji.ingest.pdf import cell_text

    @settings(max_examples=400, deadline=None)
    @given(_char_strategy())
    def same(chars):
        assert cell_text(chars, lift_marks=False) == extract_text(chars)
        # lifting marks back into their line moves characters, never adds or drops one
        assert sorted("".join(cell_text(chars).split())) == sorted("".join(extract_text(chars).split()))

    same()
