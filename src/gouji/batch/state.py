"""Resume state: which documents of an output folder are done, for which input bytes and version.

``DIR/.gouji-review-state.jsonl``: a header line, then one line per finished document (its
source, content hash, tool version, formats and batch record), appended as documents finish, so
an interrupted batch keeps every finished document. Each line is appended by one ``os.write``
of the whole line, so a kill or a full disk tears at most the last one, which is ignored.
``compact`` rewrites the file atomically with the latest line per source.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path

from gouji import __version__
from gouji.batch.files import atomic_write

STATE_NAME = ".gouji-review-state.jsonl"
SCHEMA = "gouji.review-state/1"


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class State:
    """The state file of one output folder."""

    def __init__(self, out: Path):
        self.path = out / STATE_NAME
        self.entries: dict[str, dict] = {}
        self._fd: int | None = None
        self._torn = False  # the file ends inside a line: the next one starts on a new line

    def load(self) -> State:
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line torn by a kill
                if isinstance(entry, dict) and "source" in entry:
                    self.entries[entry["source"]] = entry
        return self

    def up_to_date(
        self,
        source: str,
        sha256: str,
        name: str,
        formats: tuple[str, ...],
        reports: Path,
        models: str | None = None,
        pdf_reader: str | None = None,
    ) -> dict | None:
        """The stored record when ``source`` was done with these bytes, this version, name and
        models (and, for a PDF, this PDF reader)."""
        e = self.entries.get(source)
        if not e or not sha256 or e["sha256"] != sha256 or e["version"] != __version__ or e["record"]["document"] != name:
            return None
        if e.get("models") != models:
            return None  # reviewed with other model stages (or without them)
        if _is_pdf(source) and e.get("pdf_reader", PDF_READER_BEFORE) != _reader(pdf_reader):
            return None  # read with the other PDF reader
        rec = e["record"]
        if rec.get("transient"):
            return None  # a worker that died: try again
        if rec["status"] == "ok":
            if not set(formats) <= set(e["formats"]):
                return None
            # an annotated PDF is written for a PDF source only
            wanted = [f for f in formats if f != "pdf" or _is_pdf(source)]
            if not all(f in rec["outputs"] and (reports / rec["outputs"][f]).is_file() for f in wanted):
                return None
        return rec

    def add(
        self, source: str, sha256: str, formats: tuple[str, ...], record: dict, models: str | None = None, pdf_reader: str | None = None
    ) -> None:
        """Remember ``record`` and append it to the file (an OSError leaves the file readable)."""
        entry = {"source": source, "sha256": sha256, "version": __version__, "formats": list(formats), "record": record}
        if models is not None:
            entry["models"] = models
        if _is_pdf(source):
            entry["pdf_reader"] = _reader(pdf_reader)
        self.entries[source] = entry
        head = self._open()
        self._append(head + _line(entry) + "\n")

    def _open(self) -> str:
        """Open the file for appending once; what must precede the first line (header, newline)."""
        if self._fd is not None:
            return ""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        size = os.fstat(self._fd).st_size
        if size == 0:
            return json.dumps({"schema": SCHEMA}) + "\n"
        with open(self.path, "rb") as fh:
            fh.seek(size - 1)
            self._torn = fh.read(1) != b"\n"
        return ""

    def _append(self, text: str) -> None:
        data = (b"\n" if self._torn else b"") + text.encode("utf-8")
        written = os.write(self._fd, data)  # O_APPEND: one write, one whole line
        self._torn = written < len(data)
        if self._torn:
            raise OSError(errno.ENOSPC, "state line cut short", str(self.path))

    def compact(self) -> None:
        """Rewrite the file atomically: the header and the latest entry per source."""
        self.close()
        lines = [json.dumps({"schema": SCHEMA})] + [_line(e) for e in self.entries.values()]
        atomic_write(self.path, "\n".join(lines) + "\n")

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


# entries written before the PDF reader was a choice were read with pdfplumber
PDF_READER_BEFORE = "plumber"


def _is_pdf(source: str) -> bool:
    return source.lower().endswith(".pdf")


def _reader(pdf_reader: str | None) -> str:
    from gouji.ingest import DEFAULT_PDF_READER

    return pdf_reader or DEFAULT_PDF_READER


def _line(entry: dict) -> str:
    """One entry as a JSON line: readable UTF-8, or escaped where a path holds undecodable bytes
    (its surrogates then come back exactly, so that the entry still finds its file)."""
    text = json.dumps(entry, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(entry)
    return text
