"""Reader for text exports of disclosures (markdown headings, tab-separated table rows)."""

from __future__ import annotations

from gouji.ingest.document import Block, Document, Heading, Location, Paragraph, RawRow, RawTable
from gouji.ingest.metadata import read_metadata
from gouji.patterns import re_

SURROGATE_RE = re_(r"[\ud800-\udfff]")
HEADING_RE = re_(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
TERMINAL = tuple("。；;！？!?：:")
LIST_START_RE = re_(
    r"^\s*(?:[-*]\s|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[、.．]|第[一二三四五六七八九十]+[部分条])"
)
TITLE_START_RE = re_(r"^\s*(?:表\s*\d|附件|附表|注[:：]|备注|(?:金额)?单位[:：]|预算年度|部门名称)")
# A wrapped line is long; a short line without terminal punctuation is a caption or a title.
WRAP_MIN_CHARS = 38


def parse_text(text: str, path: str, encoding: str = "utf-8", *, rejoin: bool = True) -> Document:
    """Split a text export into headings, paragraphs and raw tables, keeping offsets.

    ``rejoin`` glues hard-wrapped prose lines back into paragraphs; readers that already
    rebuilt paragraphs (one paragraph per line) turn it off.
    """
    # a lone surrogate (text handed in by a caller, or a PDF's broken text layer) can be written
    # to no report: each becomes U+FFFD, one character for one, so every offset stays
    text = SURROGATE_RE.sub("\ufffd", text)
    blocks: list[Block] = []
    rows: list[RawRow] = []
    pos = 0
    line_no = 0
    prev_para_open = False  # last block is a paragraph that may continue on this line

    def flush_table() -> None:
        nonlocal rows
        if rows:
            first, last = rows[0].location, rows[-1].location
            loc = Location(line=first.line, start=first.start, end=last.end, end_line=last.line)
            blocks.append(RawTable(rows=rows, location=loc))
            rows = []

    for raw_line in text.splitlines(keepends=True):
        line_no += 1
        start = pos
        pos += len(raw_line)
        line = raw_line.rstrip("\r\n")
        end = start + len(line)
        if not line.strip():
            continue
        if "\t" in line:
            prev_para_open = False
            cells, starts, off = [], [], start
            for cell in line.split("\t"):
                cells.append(cell)
                starts.append(off)
                off += len(cell) + 1
            rows.append(RawRow(cells=cells, location=Location(line_no, start, end), cell_starts=starts))
            continue
        flush_table()
        m = HEADING_RE.match(line)
        if m:
            prev_para_open = False
            lead = len(line) - len(line.lstrip())
            hstart = start + line.index(m.group(2)) if m.group(2) else start + lead
            blocks.append(
                Heading(text=m.group(2), level=len(m.group(1)), location=Location(line_no, hstart, end))
            )
            continue
        stripped = line.strip()
        lstart = start + (len(line) - len(line.lstrip()))
        if prev_para_open and not LIST_START_RE.match(stripped) and not TITLE_START_RE.match(stripped):
            prev = blocks[-1]
            assert isinstance(prev, Paragraph)
            loc = Location(prev.location.line, prev.location.start, end, end_line=line_no)
            blocks[-1] = Paragraph(text=text[loc.start : loc.end], location=loc)
        else:
            blocks.append(Paragraph(text=text[lstart:end], location=Location(line_no, lstart, end)))
        cur = blocks[-1]
        prev_para_open = rejoin and len(stripped) >= WRAP_MIN_CHARS and not stripped.endswith(TERMINAL)
        if prev_para_open and isinstance(cur, Paragraph) and cur.text.rstrip().endswith(TERMINAL):
            prev_para_open = False
    flush_table()
    meta = read_metadata(text, blocks, path)
    meta.encoding = encoding
    return Document(path=path, text=text, blocks=blocks, meta=meta)
