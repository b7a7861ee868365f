"""Format readers: each turns a file into one ``Document``."""

from __future__ import annotations

from pathlib import Path

from gouji.errors import EmptyInput, InputNotFound, UnsupportedFormat
from gouji.ingest.document import Document
from gouji.ingest.encoding import decode_text
from gouji.ingest.text import parse_text
from gouji.paths import display_path

TEXT_SUFFIXES = {".txt", ".md", ".text", ".csv", ".tsv"}
BINARY_SUFFIXES = {".pdf", ".docx", ".xlsx", ".xlsm"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | BINARY_SUFFIXES
LEGACY_SUFFIXES = {".doc": ".docx", ".xls": ".xlsx", ".wps": ".docx", ".et": ".xlsx"}
# how PDF pages are read (``gouji.ingest.pdf``): pdfplumber, the reference, or PDFium (``pdfium.py``):
# the same findings on every readable corpus PDF and the examples, four times faster
# (benchmarks/pdf_readers.py, docs/performance.md)
PDF_READERS = ("plumber", "pdfium")
DEFAULT_PDF_READER = "pdfium"


def read_document(path: str | Path, pdf_reader: str | None = None) -> Document:
    """Read any supported file into a ``Document``; raises ``GoujiError`` subclasses.

    ``pdf_reader``: one of ``PDF_READERS`` for a PDF (None: ``DEFAULT_PDF_READER``).
    ``Document.path`` is the name as reports show it (see ``gouji.paths.display_path``)."""
    doc = _read(Path(path), pdf_reader or DEFAULT_PDF_READER)
    doc.path = display_path(doc.path)
    return doc


def _read(p: Path, pdf_reader: str) -> Document:
    if not p.exists():
        raise InputNotFound("no such file or directory", path=str(p), hint="check the path")
    if p.is_dir():
        raise UnsupportedFormat("is a directory", path=str(p), hint="give a file, or check the folder's files one by one")
    suffix = p.suffix.lower()
    if suffix in LEGACY_SUFFIXES:
        raise UnsupportedFormat(
            f"{suffix} files (the old binary format) are not read",
            path=str(p),
            hint=f"save it as {LEGACY_SUFFIXES[suffix]} or PDF",
        )
    if suffix in BINARY_SUFFIXES and p.stat().st_size == 0:
        raise EmptyInput("file is empty", path=str(p), hint="give the published disclosure")
    if suffix == ".pdf":
        from gouji.ingest.pdf import read_pdf

        return read_pdf(p, pdf_reader)
    if suffix == ".docx":
        from gouji.ingest.docx import read_docx

        return read_docx(p)
    if suffix in {".xlsx", ".xlsm"}:
        from gouji.ingest.xlsx import read_xlsx

        return read_xlsx(p)
    data = p.read_bytes()
    if not data.strip():
        raise EmptyInput("file is empty", path=str(p), hint="give the exported text of a disclosure")
    text, encoding = decode_text(data, str(p))
    if not text.strip():
        raise EmptyInput("file holds no text", path=str(p), hint="give the exported text of a disclosure")
    return parse_text(text, str(p), encoding)


def is_document_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in KNOWN_SUFFIXES and not path.name.startswith(".")
