"""The common output of the binary-format readers: a text export plus the page of each line.

PDF, DOCX and XLSX readers write headings, one line per paragraph and tab-joined table rows
here; ``to_document`` then builds the ``Document`` with the text reader, so every later stage
sees the same structures whatever the source format. A reader that knows where its text is
drawn (the PDF reader) passes ``Glyphs`` along: each written piece is recorded with its
document offsets in the document's ``Geometry`` (``gouji.ingest.geometry``).
"""

from __future__ import annotations

from dataclasses import field

from gouji.ingest.document import Document
from gouji.ingest.geometry import Geometry, Glyphs
from gouji.ingest.normalize import normalize_text
from gouji.ingest.text import parse_text
from gouji.records import dataclass


def clean_cell(text: str | None) -> str:
    """One table cell on one line: wrapped lines joined, tabs and newlines gone."""
    if not text:
        return ""
    parts = [p.strip() for p in normalize_text(text).replace("\r", "\n").split("\n")]
    out = ""
    for p in parts:
        if not p:
            continue
        # a space only between two Latin words; wrapped Chinese and numbers join directly
        out += (" " if out and out[-1].isascii() and out[-1].isalpha() and p[0].isascii() and p[0].isalpha() else "") + p
    return out


def clean_line(text: str) -> str:
    """A prose line: normalised, on one line, never read as a table row or a heading."""
    line = normalize_text(text).replace("\t", " ").replace("\n", " ").replace("\r", " ").strip()
    return line.lstrip("#").strip() if line.startswith("#") else line


@dataclass
class Export:
    """The text of a document being read, line by line, with its pages and places."""

    lines: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    geometry: Geometry = field(default_factory=Geometry)
    size: int = 0  # characters written so far, each line with its newline

    def heading(self, text: str, level: int, page: int = 1) -> None:
        line = clean_line(text)
        if line:
            self._add(f"{'#' * max(1, min(level, 6))} {line}", page)

    def paragraph(self, text: str, page: int = 1, glyphs: Glyphs | None = None) -> None:
        """A paragraph on one line; ``glyphs``: ``text`` with its characters' places."""
        line = clean_line(text)
        if line:
            start = self._add(line, page)
            if glyphs is not None:
                self.geometry.place(start, line, glyphs)

    def row(self, cells: list[str | None], page: int = 1, glyphs: list[Glyphs | None] | Glyphs | None = None) -> None:
        """A table row; ``glyphs``: each cell's text with its characters' places (and its box),
        or the row's (the cells' texts joined by tabs, ``Glyphs.boxes`` their boxes)."""
        clean = [clean_cell(c) for c in cells]
        if len(clean) > 1 and any(clean):
            start = self._add("\t".join(clean), page)
        elif any(clean):  # a one-column row is still a row
            start = self._add(clean[0] + "\t", page)
        else:
            return
        if isinstance(glyphs, Glyphs):
            self.geometry.place_row(start, clean, glyphs)
        elif glyphs is not None:
            for text, g in zip(clean, glyphs, strict=True):
                if g is not None:
                    self.geometry.place(start, text, g)
                start += len(text) + 1

    def _add(self, line: str, page: int) -> int:
        """Write ``line``; its offset in the document text."""
        start = self.size
        self.lines.append(line)
        self.pages.append(page)
        self.size += len(line) + 1
        return start

    def to_document(self, path: str, source_format: str, page_count: int | None = None) -> Document:
        text = "\n".join(self.lines) + "\n"
        doc = parse_text(text, path, rejoin=False)
        doc.meta.source_format = source_format
        doc.meta.pages = page_count
        if page_count is not None:
            doc.set_pages([0, *self.pages])
        if len(self.geometry) or len(self.geometry.cell_starts):
            doc.geometry = self.geometry.freeze()
        return doc
