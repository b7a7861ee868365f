"""The common output of the binary-format readers: a text export plus the page of each line.

PDF, DOCX and XLSX readers write headings, one line per paragraph and tab-joined table rows
here; ``to_document`` then builds the ``Document`` with the text reader, so every later stage
sees the same structures whatever the source format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gouji.ingest.document import Document
from gouji.ingest.normalize import normalize_text
from gouji.ingest.text import parse_text


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
    lines: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)

    def heading(self, text: str, level: int, page: int = 1) -> None:
        line = clean_line(text)
        if line:
            self._add(f"{'#' * max(1, min(level, 6))} {line}", page)

    def paragraph(self, text: str, page: int = 1) -> None:
        line = clean_line(text)
        if line:
            self._add(line, page)

    def row(self, cells: list[str | None], page: int = 1) -> None:
        clean = [clean_cell(c) for c in cells]
        if len(clean) > 1 and any(clean):
            self._add("\t".join(clean), page)
        elif any(clean):  # a one-column row is still a row
            self._add(clean[0] + "\t", page)

    def _add(self, line: str, page: int) -> None:
        self.lines.append(line)
        self.pages.append(page)

    def to_document(self, path: str, source_format: str, page_count: int | None = None) -> Document:
        text = "\n".join(self.lines) + "\n"
        doc = parse_text(text, path, rejoin=False)
        doc.meta.source_format = source_format
        doc.meta.pages = page_count
        if page_count is not None:
            doc.set_pages([0, *self.pages])
        return doc
