"""The annotated PDF (``--format pdf``) and the geometry behind it (``Document.boxes``).

An example is written as a text-layer PDF (``tests.formats.write_pdf``), checked with ``gouji
check --format pdf`` in a subprocess, and the output opened with pypdf and pdfplumber: one
``/Highlight`` per problem's span and cited cell, coloured by severity, each over exactly the
characters of its text; the source's bytes kept (page content streams unchanged); an outline
of the problems by page. Geometry is checked character by character against pdfplumber's
characters on both PDF readers, and on pages turned by ``/Rotate`` with a media box off the
origin against PDFium's text in PDF user space.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from array import array
from pathlib import Path

import pytest

from gouji.ingest import PDF_READERS, read_document
from gouji.ingest.normalize import normalize_chars
from gouji.report.pdf_annotations import SEVERITY_COLOURS, page_frame, quad_points
from tests.conftest import EXAMPLES
from tests.formats import write_pdf

EXAMPLE = "2022_青山区医疗保障局_部门预算"  # spans and cited cells of all three severities
NAME_RE = re.compile(r"^gouji-(P\d+)-(span|cell)-(\d+)-(\d+)-p(\d+)$")


def gouji(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gouji", *args], capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("annotated")
    return write_pdf((EXAMPLES / f"{EXAMPLE}.txt").read_text(encoding="utf-8"), folder / f"{EXAMPLE}.pdf")


@pytest.fixture(scope="module")
def annotated(example_pdf) -> tuple[Path, dict]:
    """The annotated PDF written by ``gouji check --format pdf``, and the JSON report."""
    out = example_pdf.with_name(f"{EXAMPLE}.gouji.pdf")
    p = gouji("check", str(example_pdf), "--format", "pdf", "--out", str(out))
    assert p.returncode == 1, p.stderr  # the example has errors
    assert p.stdout == "" and p.stderr == ""
    j = gouji("check", str(example_pdf), "--format", "json")
    return out, json.loads(j.stdout)


def expected_targets(report: dict) -> dict[tuple[str, int, int], str]:
    """(problem, start, end) of every span and distinct cited cell of each problem -> its kind."""
    by_id = {f["id"]: f for f in report["findings"]}
    out: dict[tuple[str, int, int], str] = {}
    for p in report["problems"]:
        members = [by_id[i] for i in p["findings"]]
        for f in members:
            loc = f["location"]
            if loc["end"] > loc["start"]:
                out[(p["id"], loc["start"], loc["end"])] = "span"
        for f in members:
            for ev in f["evidence"]:
                loc = ev["location"]
                if loc["end"] > loc["start"]:
                    out.setdefault((p["id"], loc["start"], loc["end"]), "cell")
    return out


def highlights(path: Path) -> list[tuple[int, dict]]:
    """(1-based page, annotation dictionary) of every annotation of the file."""
    from pypdf import PdfReader

    out = []
    for n, page in enumerate(PdfReader(path).pages, start=1):
        for a in page.get("/Annots") or []:
            out.append((n, a.get_object()))
    return out


def chars_in(quads: list[float], chars: list[dict], height: float) -> str:
    """The text of the characters whose centre is inside each quad (user space, an unrotated page
    with its media box at the origin: top = height - y), quad after quad, each along its line."""
    text = ""
    for k in range(0, len(quads), 8):
        xs, ys = quads[k : k + 8 : 2], quads[k + 1 : k + 8 : 2]
        x0, x1, top, bottom = min(xs), max(xs), height - max(ys), height - min(ys)
        inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
        text += "".join(normalize_chars(c["text"]) for c in sorted(inside, key=lambda c: c["x0"]))
    return "".join(text.split())


def test_one_highlight_per_span_and_cited_cell(annotated):
    out, report = annotated
    marks = highlights(out)
    want = expected_targets(report)
    assert len(want) > 20 and {"span", "cell"} == set(want.values())
    got = {}
    for page, a in marks:
        assert a["/Subtype"] == "/Highlight" and len(a["/QuadPoints"]) % 8 == 0
        pid, kind, start, end, on = NAME_RE.match(a["/NM"]).groups()
        assert int(on) == page
        got[(pid, int(start), int(end))] = kind
    # no span of the example crosses a page: one annotation each
    assert len(marks) == len(want) and got == want


def test_colours_notes_and_severities(annotated):
    out, report = annotated
    problems = {p["id"]: p for p in report["problems"]}
    by_id = {f["id"]: f for f in report["findings"]}
    seen = set()
    for _page, a in highlights(out):
        pid = NAME_RE.match(a["/NM"]).group(1)
        p = problems[pid]
        seen.add(p["severity"])
        assert [round(float(c), 3) for c in a["/C"]] == [round(round(c * 255) / 255, 3) for c in SEVERITY_COLOURS[p["severity"]]]
        note = a["/Contents"]
        assert note.startswith(pid) and a["/T"] == "gouji" and "/AP" in a
        lead = by_id[p["findings"][0]]
        if lead["arithmetic"] and NAME_RE.match(a["/NM"]).group(2) == "span" and lead["location"]["start"] == int(NAME_RE.match(a["/NM"]).group(3)):
            assert lead["message"] in note and lead["arithmetic"]["formula"] in note
    assert seen == {"error", "warning", "info"}


def test_each_highlight_covers_the_characters_of_its_text(annotated, example_pdf):
    import pdfplumber

    out, _report = annotated
    doc = read_document(example_pdf)
    with pdfplumber.open(out) as pdf:
        for page, a in highlights(out):
            _pid, _kind, start, end, _on = NAME_RE.match(a["/NM"]).groups()
            pg = pdf.pages[page - 1]
            quads = [float(v) for v in a["/QuadPoints"]]
            want = "".join(doc.text[int(start) : int(end)].split())
            assert chars_in(quads, pg.chars, float(pg.height)) == want, (page, want)


def test_pages_are_untouched(annotated, example_pdf):
    from pypdf import PdfReader

    out, _ = annotated
    src, dst = example_pdf.read_bytes(), out.read_bytes()
    assert dst.startswith(src)  # an incremental update: the published bytes first, as they are
    a, b = PdfReader(example_pdf), PdfReader(out)
    assert len(a.pages) == len(b.pages)
    for pa, pb in zip(a.pages, b.pages, strict=True):
        ca, cb = pa["/Contents"].get_object(), pb["/Contents"].get_object()
        streams_a = list(ca) if isinstance(ca, list) else [ca]
        streams_b = list(cb) if isinstance(cb, list) else [cb]
        assert [s.get_object()._data for s in streams_a] == [s.get_object()._data for s in streams_b]
        assert pa.mediabox == pb.mediabox and pa.rotation == pb.rotation


def test_outline_lists_the_problems_by_page(annotated):
    from pypdf import PdfReader

    out, report = annotated
    reader = PdfReader(out)
    root, children = reader.outline
    n = len(report["problems"])
    assert root.title.startswith(f"gouji：{n} 个问题（")
    assert len(children) == n and reader.page_mode == "/UseOutlines"
    pages = []
    span_page = {}
    for page, a in highlights(out):
        pid, kind = NAME_RE.match(a["/NM"]).groups()[:2]
        if kind == "span":
            span_page.setdefault(pid, page)
    for item in children:
        m = re.match(r"^第(\d+)页 (P\d+)【(错误|警告|提示)】", item.title)
        assert m, item.title
        page, pid = int(m.group(1)), m.group(2)
        assert reader.get_destination_page_number(item) + 1 == page == span_page[pid]
        pages.append(page)
    assert pages == sorted(pages)
    assert {re.match(r"^第\d+页 (P\d+)", c.title).group(1) for c in children} == {p["id"] for p in report["problems"]}


def test_pdfplumber_sees_the_highlights(annotated):
    import pdfplumber

    out, report = annotated
    with pdfplumber.open(out) as pdf:
        annots = [a for pg in pdf.pages for a in pg.annots]
    assert len(annots) == len(expected_targets(report))
    assert all(a["data"]["Subtype"].name == "Highlight" for a in annots)


def test_text_input_is_a_coded_error(tmp_path):
    out = tmp_path / "x.pdf"
    p = gouji("check", str(EXAMPLES / f"{EXAMPLE}.txt"), "--format", "pdf", "--out", str(out))
    assert p.returncode == 2 and p.stdout == ""
    lines = p.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("gouji: error G012: ") and "PDF" in lines[0]
    assert not out.exists()


def test_pdf_format_needs_out(example_pdf):
    p = gouji("check", str(example_pdf), "--format", "pdf")
    assert p.returncode == 2 and "--out" in p.stderr and p.stdout == ""


def test_review_writes_annotated_pdfs_for_pdfs_only(tmp_path, example_pdf):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / example_pdf.name).write_bytes(example_pdf.read_bytes())
    (docs / "handan.txt").write_text((EXAMPLES / "2022_邯郸市医疗保障局_部门预算.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    p = gouji("review", str(docs), "--out", str(out), "--format", "json,html,pdf", "--jobs", "1", "--no-progress")
    assert p.returncode == 1, p.stderr
    made = sorted(f.name for f in (out / "reports").iterdir())
    pdfs = [n for n in made if n.endswith(".gouji.pdf")]
    assert len(pdfs) == 1 and pdfs[0].startswith(EXAMPLE)
    assert sum(n.endswith(".json") for n in made) == 2 and sum(n.endswith(".html") for n in made) == 2
    assert "note: 1 document(s) not PDFs: no annotated PDF for them (--format pdf)" in p.stdout
    # the PDF's pages are counted (documents.csv 页数, and the run's rate); a text has none
    import pypdfium2

    pdf = pypdfium2.PdfDocument(example_pdf)
    pages = len(pdf)
    pdf.close()
    assert " PDF pages at " in p.stdout.splitlines()[0] and f", {pages} PDF pages at " in p.stdout
    rows = {r["文件"]: r for r in csv.DictReader((out / "documents.csv").read_text(encoding="utf-8-sig").splitlines())}
    assert (rows[EXAMPLE]["页数"], rows["handan"]["页数"]) == (str(pages), "")
    report = json.loads((out / "reports" / pdfs[0].replace(".gouji.pdf", ".json")).read_text(encoding="utf-8"))
    assert len(highlights(out / "reports" / pdfs[0])) == len(expected_targets(report))
    # resumed: both documents are up to date, the text one without an annotated PDF
    again = gouji("review", str(docs), "--out", str(out), "--format", "json,html,pdf", "--jobs", "1", "--no-progress", "--resume")
    assert again.returncode == 1, again.stderr
    documents = (out / "documents.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    assert len(documents) == 2 and all(",是," in row for row in documents), documents
    assert "PDF pages" not in again.stdout  # none read in this run
    rows = {r["文件"]: r for r in csv.DictReader((out / "documents.csv").read_text(encoding="utf-8-sig").splitlines())}
    assert rows[EXAMPLE]["页数"] == str(pages)  # kept from the first run


# -- geometry


@pytest.mark.parametrize("reader", PDF_READERS)
def test_geometry_is_the_readers_characters(example_pdf, reader):
    """Each character at its recorded offsets is the character drawn at its recorded box, and
    every visible character of the document text is placed."""
    import pdfplumber

    doc = read_document(example_pdf, reader)
    g = doc.geometry
    assert g is not None and len(g) > 100 and g.cell_starts
    placed = 0
    with pdfplumber.open(example_pdf) as pdf:
        chars = {n: pg.chars for n, pg in enumerate(pdf.pages, start=1)}
    for i in range(len(g)):
        top, bottom = g.tops[i], g.bottoms[i]
        assert g.starts[i] < g.ends[i] and g.first[i] + g.ends[i] - g.starts[i] <= (g.first[i + 1] if i + 1 < len(g) else len(g.x0s))
        for k in range(g.ends[i] - g.starts[i]):
            x0, x1 = g.x0s[g.first[i] + k], g.x1s[g.first[i] + k]
            ch = doc.text[g.starts[i] + k]
            if x0 != x0:  # a space the reader made
                assert ch.isspace()
                continue
            drawn = [
                normalize_chars(c["text"])
                for c in chars[g.pages[i]]
                if abs(c["x0"] - x0) < 0.05 and abs(c["x1"] - x1) < 0.05 and top - 0.5 <= c["top"] and c["bottom"] <= bottom + 0.5
            ]
            assert ch in drawn, (g.pages[i], ch, x0)
            placed += 1
    assert placed == sum(1 for ch in doc.text if not ch.isspace())
    # a line's page is its first piece's (a paragraph goes on over the page break)
    assert all(doc.page_of_line(doc.line_of(s)) in (p, p - 1) for s, p in zip(g.starts, g.pages, strict=True))


@pytest.mark.parametrize("reader", PDF_READERS)
def test_geometry_of_cells(example_pdf, reader):
    doc = read_document(example_pdf, reader)
    table = next(b for b in doc.blocks if b.kind == "table")
    row = table.rows[1]
    for text, start in zip(row.cells, row.cell_starts, strict=True):
        cell = doc.geometry.cell(start, start + len(text))
        assert cell is not None and cell[0] == row.location.page
        for page, (x0, top, x1, bottom) in doc.boxes(start, start + len(text)):
            cx0, ctop, cx1, cbottom = cell[1]
            assert page == cell[0] and cx0 <= x0 < x1 <= cx1 and ctop <= top < bottom <= cbottom


def turned_pdf(path: Path) -> Path:
    """Pages with /Rotate 0, 90, 180 and 270, each drawn turned back so that it reads upright,
    each media box moved off the origin; a fifth, unturned, with its media box written top-down
    (``[0 842 595 0]``: pdfminer then reads its text a page height off)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, FloatObject, NameObject, RectangleObject
    from reportlab.pdfgen import canvas

    from tests.test_pdf_readers import A4, ROWS, _font, _grid

    font = _font()
    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    for r in (0, 90, 180, 270, 0):
        c.setPageRotation(r)
        width, height = (h, w) if r in (90, 270) else (w, h)
        if r == 90:
            c.translate(w, 0)
        elif r == 180:
            c.translate(w, h)
        elif r == 270:
            c.translate(0, h)
        c.rotate(r)
        c.setFont(font, 12)
        c.drawString(60, height - 60, f"第{r}度页：2022年部门收入预算5873.35万元")
        _grid(c, 60, height - 80, [200, 120, 120], ROWS, 26, font)
        c.showPage()
    c.save()
    writer = PdfWriter(clone_from=PdfReader(path))
    for pg in writer.pages[:4]:
        x0, y0, x1, y1 = (float(v) for v in pg.mediabox)
        pg.mediabox = RectangleObject([x0 - 30, y0 - 40, x1 + 20, y1 + 10])
    writer.pages[4][NameObject("/MediaBox")] = ArrayObject([FloatObject(v) for v in (0, h, w, 0)])
    writer.write(path)
    return path


@pytest.mark.parametrize("reader", PDF_READERS)
def test_boxes_in_user_space_on_turned_pages(tmp_path, reader):
    """Every piece's box taken to PDF user space (``page_frame``) holds its text, as PDFium
    finds text in user space, whatever the page's /Rotate and media box."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    path = turned_pdf(tmp_path / "turned.pdf")
    doc = read_document(path, reader)
    g = doc.geometry
    pages = PdfReader(path).pages
    assert sorted(pages[p - 1].rotation for p in set(g.pages)) == [0, 0, 90, 180, 270]
    pdf = pdfium.PdfDocument(str(path))
    try:
        for s, e in zip(g.starts, g.ends, strict=True):
            ((page, (x0, top, x1, bottom)),) = doc.boxes(s, e)
            inner = (x0 + 1, top + 0.35 * (bottom - top), x1 - 1, bottom - 0.35 * (bottom - top))  # clear of neighbours
            q = quad_points(inner, page_frame(pages[page - 1]))
            got = pdf[page - 1].get_textpage().get_text_bounded(min(q[0::2]), min(q[1::2]), max(q[0::2]), max(q[1::2]))
            assert "".join(got.split()) == "".join(doc.text[s:e].split()), (page, doc.text[s:e])
    finally:
        pdf.close()


def test_boxes_merge_per_line_and_split_across_lines():
    from gouji.ingest.export import Export
    from gouji.ingest.geometry import Glyphs

    nan = float("nan")
    # 目 录本年 on one line (characters 10 pt wide from x = 10), 收入 on the next
    x0s = array("d", [10.0, nan, 20.0, 30.0, 40.0, 10.0, 20.0])
    x1s = array("d", [20.0, nan, 30.0, 40.0, 50.0, 20.0, 30.0])
    runs = array("d", [0, 1, 100.0, 112.0, nan, 5, 1, 120.0, 132.0, nan])  # first character, page, top, bottom, confidence
    out = Export()
    out.paragraph("前言")
    # letter-spaced text: the space between two lone Han characters goes (normalize_text)
    out.paragraph("目 录本年收入", 1, Glyphs("目 录本年收入", x0s, x1s, runs))
    doc = out.to_document("x.pdf", "pdf", page_count=1)
    start = doc.text.index("目录")
    assert doc.text[start:].startswith("目录本年收入")
    assert doc.boxes(start, start + 4) == [(1, (10.0, 100.0, 50.0, 112.0))]
    assert doc.boxes(start + 2, start + 6) == [(1, (30.0, 100.0, 50.0, 112.0)), (1, (10.0, 120.0, 30.0, 132.0))]
    assert doc.boxes(0, 2) == [] and doc.confidence(start, start + 1) is None


def test_confidence_is_the_lowest_of_the_characters():
    from gouji.ingest.pdf import _read_page, pages_to_export
    from tests.pages import load_page

    page, number = load_page("北京交通委_p10")
    doc = pages_to_export([_read_page(page, number)]).to_document("x.pdf", "pdf", page_count=number)
    assert doc.confidence(0, len(doc.text)) is None  # a text layer
    for c in page.chars:
        c["confidence"] = 0.9
    low = next(c for c in page.chars if c["text"].isdigit())
    low["confidence"] = 0.4
    doc = pages_to_export([_read_page(page, number)]).to_document("x.pdf", "pdf", page_count=number)
    g = doc.geometry
    assert doc.confidence(0, len(doc.text)) == 0.4
    holding = [
        i
        for i in range(len(g))
        if g.pages[i] == number
        and any(abs(x - low["x0"]) < 0.01 for x in g.x0s[g.first[i] : g.first[i] + g.ends[i] - g.starts[i]])
        and g.tops[i] - 1 <= low["top"] <= g.bottoms[i]
    ]
    assert holding and all(doc.confidence(g.starts[i], g.ends[i]) == 0.4 for i in holding)
    assert any(doc.confidence(g.starts[i], g.ends[i]) == 0.9 for i in range(len(g)))
