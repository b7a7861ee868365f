"""Reader for Word .docx files (python-docx): paragraphs and tables in document order."""

from __future__ import annotations

from pathlib import Path

import regex

from gouji.errors import EmptyInput, UnreadableInput
from gouji.ingest.archive import check_archive
from gouji.ingest.document import Document
from gouji.ingest.export import Export
from gouji.limits import limits
from gouji.patterns import re_

HEADING_STYLE_RE = re_(r"^(?:Heading|标题)\s*(\d)$", regex.IGNORECASE)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(path: str | Path) -> Document:
    """Read a .docx; a table's merged cells keep their grid place (covered cells are empty)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    p = str(path)
    check_archive(p, ".docx")
    try:
        d = docx.Document(p)
    except Exception as e:  # a zip that is not a Word file, or a damaged one
        raise UnreadableInput(f"not a readable .docx ({type(e).__name__})", path=p, hint="re-save it from Word as .docx") from None
    out = Export()
    for el in d.element.body.iterchildren():
        if el.tag == f"{W}p":
            para = Paragraph(el, d)
            m = HEADING_STYLE_RE.match(para.style.name if para.style is not None else "")
            if m:
                out.heading(para.text, int(m.group(1)))
            else:
                out.paragraph(para.text)
        elif el.tag == f"{W}tbl":
            for row in _rows(Table(el, d), p):
                out.row(row)
    if not out.lines:
        raise EmptyInput("document holds no text", path=p, hint="give the published disclosure")
    return out.to_document(p, "docx")


def _rows(table, path: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for tr in table._tbl.tr_lst:
        cells: list[str] = [""] * _span(tr, "grid_before", path)
        for tc in tr.tc_lst:
            text = "" if tc.vMerge == "continue" else _cell_text(tc)
            cells.append(text)
            cells.extend([""] * (_span(tc, "grid_span", path) - 1))
        rows.append(cells)
    return rows


def _span(element, attribute: str, path: str) -> int:
    """A cell's w:gridSpan or a row's w:gridBefore (python-docx parses it on access), refused
    when unreadable or past the limit."""
    try:
        n = int(getattr(element, attribute) or 0)
    except (ValueError, TypeError):
        raise UnreadableInput("damaged table: a cell's column span is not a number", path=path, hint="re-save it from Word as .docx") from None
    limit = limits().max_docx_grid_span
    if n > limit:
        raise UnreadableInput(
            f"damaged table: a cell spans {n:,} columns (at most {limit})", path=path, hint="re-save it from Word as .docx"
        )
    return max(n, 0)


def _cell_text(tc) -> str:
    """Paragraphs of a cell (and of tables nested in it) joined by newlines."""
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p"))
