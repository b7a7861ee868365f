"""Write a text export (the bundled examples) as DOCX, XLSX and PDF, for format-parity tests."""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape


def blocks(text: str) -> list[tuple[str, list]]:
    """('p', [line]) for prose lines and ('t', rows) for runs of tab-separated rows."""
    out: list[tuple[str, list]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if "\t" in line:
            if out and out[-1][0] == "t":
                out[-1][1].append(line.split("\t"))
            else:
                out.append(("t", [line.split("\t")]))
        else:
            out.append(("p", [line.strip()]))
    return out


def write_docx(text: str, path: Path) -> Path:
    import docx

    d = docx.Document()
    for kind, body in blocks(text):
        if kind == "p":
            m = re.match(r"^(#{1,6})\s*(.*?)\s*#*$", body[0])
            if m:  # markdown headings become Word headings
                d.add_heading(m.group(2), level=len(m.group(1)))
            else:
                d.add_paragraph(body[0])
            continue
        width = max(len(r) for r in body)
        table = d.add_table(rows=len(body), cols=width)
        for r, row in enumerate(body):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    d.save(str(path))
    return path


def write_xlsx(text: str, path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    r = 1
    for _kind, body in blocks(text):
        for row in body if _kind == "t" else [body]:
            for c, value in enumerate(row, start=1):
                if value:
                    cell = ws.cell(r, c, value)
                    cell.data_type = "s"  # "=100%" is text, not a formula
            r += 1
        r += 1  # a blank row ends the block
    wb.save(str(path))
    return path


def write_pdf(text: str, path: Path) -> Path:
    """A4 pages in the built-in CID font STSong-Light: ruled tables, wrapped prose, page numbers."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    prose = ParagraphStyle("prose", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK", spaceAfter=8)
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    story: list = []
    for kind, body in blocks(text):
        if kind == "p":
            story.append(Paragraph(escape(body[0]), prose))
            continue
        width = max(len(r) for r in body)
        rows = [[Paragraph(escape(v), cell) for v in r + [""] * (width - len(r))] for r in body]
        table = Table(rows, colWidths=[(A4[0] - 120) / width] * width)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [table, Spacer(1, 8)]

    def page_number(canvas, doc) -> None:
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")

    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=60, rightMargin=60, topMargin=60, bottomMargin=60).build(
        story, onFirstPage=page_number, onLaterPages=page_number
    )
    return path
