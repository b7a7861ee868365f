"""PDF, DOCX and XLSX in: the same tables and findings as the text export."""

from __future__ import annotations

from pathlib import Path

import pytest

from gouji.alignment.review import Review, review_document
from gouji.errors import NoTextLayer, UnreadableInput, UnsupportedFormat
from gouji.ingest import ocr, read_document
from gouji.ingest.document import RawTable
from gouji.ingest.normalize import normalize_text
from tests.conftest import EXAMPLES, example_review
from tests.formats import write_docx, write_pdf, write_xlsx

HANDAN = "2022_邯郸市医疗保障局_部门预算.txt"
SHILONG = "2023_平顶山市石龙区医疗保障局_部门预算.txt"
WRITERS = {".pdf": write_pdf, ".docx": write_docx, ".xlsx": write_xlsx}


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[tuple[str, str], Review]:
    out = tmp_path_factory.mktemp("formats")
    reviews = {}
    for name in (HANDAN, SHILONG):
        text = (EXAMPLES / name).read_text(encoding="utf-8")
        for suffix, write in WRITERS.items():
            path = write(text, out / (Path(name).stem + suffix))
            reviews[(name, suffix)] = review_document(read_document(path))
    return reviews


def findings(r: Review) -> list[tuple]:
    return [(f.check, f.severity, r.document.text[f.span[0] : f.span[1]], f.expected) for f in r.findings]


def tables(r: Review) -> list[tuple]:
    """Kind, unit and cell texts.

    A grid is as wide as its widest row, so trailing blanks do not count; nor do spaces, which a
    PDF loses where a cell's text wraps ("2022 年" over two lines reads "2022年").
    """

    def cells(row) -> list[str]:
        texts = [c.text.replace(" ", "") for c in row.cells]
        while texts and not texts[-1]:
            texts.pop()
        return texts

    return [(t.kind, t.unit, len(t.rows), [cells(row) for row in t.rows]) for t in r.tables]


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".xlsx"])
@pytest.mark.parametrize("name", [HANDAN, SHILONG])
def test_same_findings_as_text(converted, name, suffix):
    r = converted[(name, suffix)]
    assert findings(r) == findings(example_review(name))
    assert len(r.claims.claims) == len(example_review(name).claims.claims)
    assert r.document.meta.source_format == suffix[1:]


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".xlsx"])
@pytest.mark.parametrize("name", [HANDAN, SHILONG])
def test_same_tables_as_text(converted, name, suffix):
    assert tables(converted[(name, suffix)]) == tables(example_review(name))


def test_handan_findings_exact(converted):
    for suffix in WRITERS:
        handan = findings(converted[(HANDAN, suffix)])
        assert handan == findings(example_review(HANDAN))
        assert ("narrative.direction", "error", "减少3176.66万元", "增加3176.66万元") in handan
        shilong = findings(converted[(SHILONG, suffix)])
        assert shilong == findings(example_review(SHILONG))
        assert ("narrative.unit", "error", "165.42 元", "165.42万元") in shilong
        assert ("table.cross", "error", "193.86", "0.00") in shilong


def test_pdf_locations_carry_pages(converted):
    r = converted[(HANDAN, ".pdf")]
    doc = r.document
    assert doc.meta.pages == 16
    assert all(b.location.page is not None for b in doc.blocks)
    assert [f.check for f in r.findings] == ["narrative.direction", "narrative.reason_direction"]
    assert all(doc.location(*f.span).page == 10 for f in r.findings)
    total = next(t for t in r.tables if t.kind == "收支总表")
    cell = total.rows[0].cells[2]
    assert (cell.text, cell.location.page, total.location.page) == ("5873.35", 1, 1)
    # page numbers drawn in the footer are gone, wrapped prose is one paragraph again
    assert "- 1 -" not in doc.text and "- 16 -" not in doc.text
    assert "较2021年预算2696.69万元减少3176.66万元，主要原因为：今年部门预算增加了" in doc.text


def test_text_documents_have_no_pages():
    r = example_review(HANDAN)
    assert r.document.location(0, 1).page is None and r.document.meta.pages is None


def _canvas_pdf(path: Path, pages: list[list[tuple[float, float, str]]], size: float = 12) -> Path:
    """A PDF with text drawn at (x, y-from-top) positions, one list per page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    for items in pages:
        for x, y, text in items:
            c.setFont("STSong-Light", size)
            c.drawString(x, A4[1] - y, text)
        c.showPage()
    c.save()
    return path


SENTENCE = (
    "2022年预算收支安排5873.35万元，较2021年预算2696.69万元增加3176.66万元，主要原因为今年部门预算增加了新冠病毒疫苗及接种财政补助资金3000万元，"
    "其余用于保障机构正常运转和各项医疗保障业务工作的开展，确保全年各项工作任务顺利完成。"
)


def _wrap(text: str, width: float, size: float = 12) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = [""]
    for ch in text:
        if stringWidth(lines[-1] + ch, "STSong-Light", size) > width:
            lines.append("")
        lines[-1] += ch
    return lines


def test_pdf_paragraph_across_page_break_and_running_lines(tmp_path):
    _canvas_pdf(tmp_path / "font.pdf", [])  # registers the font
    chunks = _wrap(SENTENCE, 470)
    assert len(chunks) == 3
    header = (60, 40, "某某市医疗保障局2022年部门预算")
    pages = [
        [header, (84, 100, "二、收支预算总体情况"), *[(60, 700 + 20 * k, chunks[k]) for k in range(2)], (290, 810, "第 1 页")],
        [header, *[(60, 100 + 20 * k, chunks[k]) for k in range(2, len(chunks))], (290, 810, "第 2 页")],
        [header, (84, 100, "三、其他说明。"), (290, 810, "第 3 页")],
    ]
    doc = read_document(_canvas_pdf(tmp_path / "p.pdf", pages))
    texts = [(b.kind, b.text, b.location.page) for b in doc.blocks]
    assert texts == [
        ("paragraph", "二、收支预算总体情况", 1),
        ("paragraph", SENTENCE, 1),
        ("paragraph", "三、其他说明。", 3),
    ]
    assert doc.meta.pages == 3


def test_pdf_unruled_table_from_word_positions(tmp_path):
    rows = [("项目", "预算数", "上年数"), ("一般公共预算拨款收入", "5873.35", "2696.69"), ("合计", "5873.35", "2696.69")]
    items = [(x, 120 + 20 * k, cell) for k, row in enumerate(rows) for x, cell in zip((60, 300, 420), row, strict=True)]
    doc = read_document(_canvas_pdf(tmp_path / "t.pdf", [[(60, 80, "单位：万元"), *items]]))
    (table,) = [b for b in doc.blocks if isinstance(b, RawTable)]
    assert [r.cells for r in table.rows] == [list(r) for r in rows]
    assert {r.location.page for r in table.rows} == {1}


def test_scan_without_text_layer(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(3):
        c.rect(50, 50, 400, 600, fill=1)
        c.showPage()
    c.save()
    with pytest.raises(NoTextLayer) as e:
        read_document(path)
    assert e.value.code == "G006"
    assert "no text layer: this file is a scan (3 pages, 0 characters of text)" in e.value.one_line()
    if ocr.available():  # the black pages were read as images: nothing on them
        assert "no text was recognised on its page images" in e.value.one_line()
    else:
        assert "pip install 'gouji[ocr]'" in e.value.one_line()


def test_broken_and_legacy_files(tmp_path):
    (tmp_path / "cut.pdf").write_bytes(b"%PDF-1.4\n")
    with pytest.raises(UnreadableInput, match="not a readable PDF"):
        read_document(tmp_path / "cut.pdf")
    (tmp_path / "fake.docx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(UnreadableInput, match="not a readable .docx"):
        read_document(tmp_path / "fake.docx")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnsupportedFormat, match="save it as .xlsx"):
        read_document(tmp_path / "old.xls")


def test_normalisation():
    assert normalize_text("部⻔预算 ⽬ 录 ２０２２ 年 165.42 元，⻓期 ⾦额") == "部门预算目录 2022 年 165.42 元，长期 金额"
    assert normalize_text("预算单位：某某局 单位：元") == "预算单位：某某局 单位：元"
    assert normalize_text("１２．５％") == "12.5%"


def test_docx_merged_cells_and_headings(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("收支总表", level=2)
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "收入"
    t.cell(0, 2).merge(t.cell(0, 3)).text = "支出"
    for c, v in enumerate(["项目", "预算数", "项目", "预算数"]):
        t.cell(1, c).text = v
    t.cell(2, 0).merge(t.cell(1, 0))  # a vertical merge keeps the top text only
    d.add_paragraph("注：本表无数据。")
    d.save(str(tmp_path / "m.docx"))
    doc = read_document(tmp_path / "m.docx")
    heading, table, para = doc.blocks
    assert (heading.kind, heading.text, heading.level) == ("heading", "收支总表", 2)
    assert [r.cells for r in table.rows] == [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]]
    assert para.text == "注：本表无数据。"


def test_xlsx_number_formats_and_sheets(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "收支总表"
    ws.append(["单位：万元"])
    ws.append(["项目", "预算数", "占比"])
    ws.append(["合计", 5873.3, 0.3378])
    ws["B3"].number_format = "#,##0.00"
    ws["C3"].number_format = "0.00%"
    ws2 = wb.create_sheet("说明")
    ws2.append(["2022年预算收入5873.35万元。"])
    wb.save(str(tmp_path / "b.xlsx"))
    doc = read_document(tmp_path / "b.xlsx")
    assert [(b.kind, getattr(b, "text", None)) for b in doc.blocks if not isinstance(b, RawTable)] == [
        ("heading", "收支总表"),
        ("paragraph", "单位：万元"),
        ("heading", "说明"),
        ("paragraph", "2022年预算收入5873.35万元。"),
    ]
    (table,) = [b for b in doc.blocks if isinstance(b, RawTable)]
    assert [r.cells for r in table.rows] == [["项目", "预算数", "占比"], ["合计", "5873.30", "33.78%"]]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.txt")))
def test_every_example_as_docx(tmp_path, name):
    path = write_docx((EXAMPLES / name).read_text(encoding="utf-8"), tmp_path / "x.docx")
    r = review_document(read_document(path))
    assert findings(r) == findings(example_review(name))
    assert tables(r) == tables(example_review(name))
