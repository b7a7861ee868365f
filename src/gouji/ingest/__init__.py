"""Format readers: each turns a file into one ``Document``."""

from __future__ import annotations

from pathlib import Path

from gouji.errors import EmptyInput, InputNotFound, UnsupportedFormat
from gouji.ingest.document import Document
from gouji.ingest.encoding import decode_text
from gouji.ingest.text import parse_text

TEXT_SUFFIXES = {".txt", ".md", ".text", ".csv", ".tsv"}
KNOWN_SUFFIXES = TEXT_SUFFIXES


def read_document(path: str | Path) -> Document:
    """Read any supported file into a ``Document``; raises ``GoujiError`` subclasses."""
    p = Path(path)
    if not p.exists():
        raise InputNotFound("no such file or directory", path=str(p), hint="check the path")
    if p.is_dir():
        raise UnsupportedFormat("is a directory", path=str(p), hint="give a file, or check the folder's files one by one")
    suffix = p.suffix.lower()
    if suffix in {".pdf", ".docx", ".doc", ".xlsx", ".xls"}:
        raise UnsupportedFormat(
            f"{suffix} files are not read yet",
            path=str(p),
            hint="export the document as UTF-8 text with tab-separated table rows",
        )
    data = p.read_bytes()
    if not data.strip():
        raise EmptyInput("file is empty", path=str(p), hint="give the exported text of a disclosure")
    text, encoding = decode_text(data, str(p))
    if not text.strip():
        raise EmptyInput("file holds no text", path=str(p), hint="give the exported text of a disclosure")
    return parse_text(text, str(p), encoding)


def is_document_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in KNOWN_SUFFIXES and not path.name.startswith(".")
