"""PDFium's per-character and per-segment calls made in C (``gouji.ingest._pdfium_calls``) give
exactly what the same calls through ctypes give: every character and edge, field for field,
on pages cut from real disclosures and on drawn pages with curves, a form XObject and a
turned page."""

from __future__ import annotations

import shutil
import sysconfig
from pathlib import Path

import pytest

from gouji.ingest import pdfium
from gouji.ingest.pdfium import PdfiumDocument
from tests.test_pdf_readers import A4, ruled_pdf

DATA = Path(__file__).parent / "data"
CUT_PAGES = sorted((DATA / "precision").glob("*.pdf"))


def _compiler() -> str | None:
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    return shutil.which(cc)


needs_calls = pytest.mark.skipif(pdfium._calls is None, reason="gouji.ingest._pdfium_calls is not built (no C compiler at install)")


@pytest.mark.skipif(_compiler() is None, reason="no C compiler on this machine")
def test_built_where_a_compiler_is():
    assert pdfium._calls is not None


def _read(path: Path, native: bool) -> list[tuple[list[dict], list[dict]]]:
    with PdfiumDocument(str(path), native=native) as doc:
        return [(page.chars, page.edges) for page in doc.pages]


def _shapes_pdf(path: Path) -> Path:
    """A page of curves (a circle, a rounded rectangle), a closed polygon, a dashed line and
    text at an angle, the kinds of paths and characters a ruled table does not have."""
    from reportlab.pdfgen import canvas

    from tests.test_pdf_readers import _font

    font = _font()
    c = canvas.Canvas(str(path), pagesize=A4)
    c.circle(200, 600, 40, stroke=1, fill=0)
    c.roundRect(300, 560, 160, 80, 12, stroke=1, fill=1)
    p = c.beginPath()
    p.moveTo(80, 400)
    p.lineTo(180, 420)
    p.lineTo(150, 480)
    p.close()
    c.drawPath(p, stroke=1, fill=0)
    c.setDash(3, 2)
    c.line(60, 300, 500, 300)
    c.setDash()
    c.saveState()
    c.translate(300, 200)
    c.rotate(30)
    c.setFont(font, 11)
    c.drawString(0, 0, "斜排文字 123.45 万元")
    c.restoreState()
    c.setFont(font, 9)
    c.drawString(60, 100, "一般公共预算拨款收入 5,873.35")
    c.showPage()
    c.save()
    return path


# characters and edges of each cut page, as read
CUT_COUNTS = {
    "grid_blank_rows_over_title": (1132, 956),
    "page_break_children": (643, 175),
    "project_items": (3084, 273),
    "true_share_named_whole": (924, 0),
    "wrapped_amounts_label_shift": (818, 276),
}


@needs_calls
@pytest.mark.parametrize("path", CUT_PAGES, ids=lambda p: p.stem)
def test_cut_pages_read_alike(path):
    native, through_ctypes = _read(path, True), _read(path, False)
    assert native == through_ctypes
    counts = (sum(len(chars) for chars, _ in native), sum(len(edges) for _, edges in native))
    assert counts == CUT_COUNTS[path.stem]


@needs_calls
def test_drawn_pages_read_alike(tmp_path):
    for path in (ruled_pdf(tmp_path / "ruled.pdf"), _shapes_pdf(tmp_path / "shapes.pdf")):
        native, through_ctypes = _read(path, True), _read(path, False)
        assert native == through_ctypes, path.name
    ((chars, edges),) = _read(tmp_path / "shapes.pdf", True)
    kinds = {e["object_type"] for e in edges}
    assert kinds == {"curve_edge", "line"}  # a round rectangle and a polygon are curves, as pdfminer has them
    assert "".join(c["text"] for c in chars if c["matrix"][1]) == "斜排文字 123.45 万元"  # turned: its matrix has a b


@needs_calls
def test_a_line_where_it_is_drawn(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "line.pdf"
    c = canvas.Canvas(str(path), pagesize=(600, 800))
    c.line(100, 700, 300, 700)
    c.showPage()
    c.save()
    ((_, edges),) = _read(path, True)
    (edge,) = edges
    assert (edge["orientation"], edge["x0"], edge["x1"], edge["top"], edge["bottom"]) == ("h", 100.0, 300.0, 100.0, 100.0)


@needs_calls
def test_null_handles_refused():
    f = pdfium._functions()
    with pytest.raises(ValueError, match="null text page"):
        pdfium._calls.text_chars(0, *f.text_addresses)
    with pytest.raises(ValueError, match="null page"):
        pdfium._calls.page_paths(0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, *f.walk_addresses)
