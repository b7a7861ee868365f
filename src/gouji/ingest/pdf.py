"""Reader for PDFs with a text layer (pdfplumber / pdfminer.six, or PDFium: ``gouji.ingest.pdfium``).

Each page gives positioned characters. Ruled tables are found from the page's ruling lines
(cells that wrap over several lines are joined); the remaining characters become text lines,
and runs of lines with wide gaps become rows of unruled tables. Running headers, footers and
page numbers are dropped, prose lines are joined into paragraphs across line and page breaks,
and the result is written as a text export (see ``gouji.ingest.export``) with a page per line.
"""

from __future__ import annotations

import statistics
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import field
from operator import itemgetter
from pathlib import Path

from gouji.errors import EmptyInput, NoTextLayer, UnreadableInput
from gouji.ingest import DEFAULT_PDF_READER, PDF_READERS, ruling
from gouji.ingest.document import Document
from gouji.ingest.export import Export, clean_line
from gouji.ingest.geometry import NAN, Glyphs, lowest
from gouji.ingest.normalize import normalize_chars
from gouji.patterns import re_
from gouji.records import dataclass

# a gap this many font sizes wide splits a line into cells of an unruled table
CELL_GAP = 1.5
# header and footer zones: this share of the page height at the top and at the bottom
MARGIN_ZONE = 0.1
PAGE_NUMBER_RE = re_(
    r"^[-—–－~·\s]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:[/／]\s*\d{1,4}|共\s*\d{1,4}\s*页)?[-—–－~·\s]*$"
)
PARAGRAPH_START_RE = re_(
    r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d)|第[一二三四五六七八九十]+[部分章节条]|[①-⑳]|表\s*\d|附件|附表|注[:：]|备注|(?:金额)?单位[:：])"
)
LINE_END = tuple("。；;！？!?：:")


@dataclass
class Line:
    """One line of text outside the ruled tables of a page."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    segments: list[str]
    page_width: float
    # where each segment's characters are (``gouji.ingest.geometry``), one per segment
    glyphs: list[Glyphs] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.segments)

    @property
    def placed(self) -> Glyphs:
        """``text`` with its characters' places (none known for a line made without them)."""
        if len(self.glyphs) != len(self.segments):
            return Glyphs.blank(self.text)
        return Glyphs.join(self.glyphs)


@dataclass
class TableOnPage:
    """A table found on a PDF page: its rows' texts and where their characters are."""

    page: int
    top: float
    rows: list[list[str | None]]
    # each row's cells' texts joined by tabs, with their characters' places and the cells' boxes
    # (one ``Glyphs`` a row, not a cell: a table has thousands; ``Glyphs.parts`` splits it)
    glyphs: list[Glyphs | None] = field(default_factory=list)


@dataclass
class Page:
    """One PDF page as read: its size and its lines and tables, top to bottom."""

    number: int
    width: float
    height: float
    chars: int
    # vertical extent of the page box and of everything drawn, which may overflow it
    top: float = 0.0
    bottom: float = 0.0
    items: list[Line | TableOnPage] = field(default_factory=list)
    ocr: bool = False  # read from the page's image (a scan)


def read_pdf(path: str | Path, reader: str = DEFAULT_PDF_READER) -> Document:
    """Read a text-layer PDF; raises ``NoTextLayer`` for scans, ``UnreadableInput`` for broken files.

    ``reader``: ``"plumber"`` (pdfplumber, the reference) or ``"pdfium"`` (the same characters
    and ruling lines from PDFium, several times faster; ``gouji.ingest.pdfium``)."""
    pages = read_pages(path, reader)
    source = "pdf_ocr" if any(pg.ocr for pg in pages) else "pdf"
    return pages_to_export(pages).to_document(str(path), source, page_count=len(pages))


def read_pages(path: str | Path, reader: str = DEFAULT_PDF_READER) -> list[Page]:
    """Every page's text lines and ruled tables, in reading order.

    A scan (no text layer) is read from its page images when the ``ocr`` extra is installed
    (``gouji.ingest.ocr``; its pages have ``ocr`` set); without it ``NoTextLayer`` says so."""
    if reader not in PDF_READERS:
        raise ValueError(f"unknown PDF reader {reader!r} (choose from {', '.join(PDF_READERS)})")
    p = str(path)
    try:
        pdf = _open(p, reader)
    except Exception as e:  # pdfminer raises many kinds on a broken file, PDFium a PdfiumError
        raise UnreadableInput(
            f"not a readable PDF ({type(e).__name__})", path=p, hint="check that the file is a complete, unencrypted PDF"
        ) from None
    pages = _read_all(pdf, p)
    if not pages:
        raise EmptyInput("PDF has no pages", path=p, hint="give the published disclosure")
    total = sum(pg.chars for pg in pages)
    if total < 10 * len(pages) and not any(isinstance(i, TableOnPage) for pg in pages for i in pg.items):
        from gouji.ingest import ocr

        if not ocr.available():
            raise NoTextLayer(
                f"no text layer: this file is a scan ({len(pages)} pages, {total} characters of text)",
                path=p,
                hint="install the ocr extra to read scans (pip install 'gouji[ocr]'), or OCR it first, e.g. ocrmypdf",
            )
        pages = _read_all(ocr.OcrDocument(p), p)
        for pg in pages:
            pg.ocr = True
        if not any(pg.chars for pg in pages):
            raise NoTextLayer(
                f"no text layer: this file is a scan ({len(pages)} pages, {total} characters of text), and no text was recognised on its page images",
                path=p,
                hint="check that its pages hold printed text; a scan of 200 dpi or more reads best",
            )
    return pages


def _read_all(pdf, path: str) -> list[Page]:
    pages: list[Page] = []
    with pdf:
        try:
            for number, page in enumerate(pdf.pages, start=1):
                pages.append(_read_page(page, number))
                page.close()  # drop the page's parsed objects: a 60-page file otherwise holds them all
        except Exception as e:
            raise UnreadableInput(
                f"PDF page {len(pages) + 1} cannot be read ({type(e).__name__}: {e})".replace("\n", " ")[:200],
                path=path,
                hint="re-save or print the file to a new PDF",
            ) from None
    return pages


def _open(path: str, reader: str):
    """The open PDF: a context manager with ``pages``, each with ``width``, ``height``, ``bbox``,
    ``chars``, ``edges`` and ``close`` as pdfplumber's page has them."""
    if reader == "pdfium":
        from gouji.ingest.pdfium import PdfiumDocument

        return PdfiumDocument(path)
    import pdfplumber

    return pdfplumber.open(path)


def _read_page(page, number: int) -> Page:
    width, height = float(page.width), float(page.height)
    # no clipping to the page box: some producers draw whole tables outside it, and viewers show them
    placed = [_on_baseline(c, height) for c in page.chars]
    chars = [c for c in placed if c.get("upright", True) and c["text"]]
    out = Page(number=number, width=width, height=height, chars=sum(1 for c in chars if not c["text"].isspace()))
    out.top = min([0.0, *(float(c["top"]) for c in chars)])
    out.bottom = max([height, *(float(c["bottom"]) for c in chars)])
    boxes: list[tuple[float, float, float, float]] = []
    if page.edges and out.chars:
        index: _CharIndex | None = None
        for table in find_tables(page):
            index = index or _CharIndex(placed)
            rows, glyphs = index.extract_glyphs(table, number)
            x0, top, x1, bottom = table.bbox
            if len(rows) == 1 and _carried_row(rows[0]):
                body = [c for c in chars if height * MARGIN_ZONE < (c["top"] + c["bottom"]) / 2 < top - 1]
                if body:
                    continue  # a framed line of prose, not the head of the page
            elif not _is_table(rows):
                continue  # a framed text box, not a table
            boxes.append((x0 - 1, top - 1, x1 + 1, bottom + 1))
            out.items.append(TableOnPage(page=number, top=float(top), rows=rows, glyphs=glyphs))
    out.items.extend(_lines(_outside(chars, boxes), number, width, height))
    out.items.sort(key=lambda i: i.top)
    dx, dtop = _frame_shift(page)
    if dx or dtop:
        _shift_places(out.items, dx, dtop)
    return out


def _outside(chars: list[dict], boxes: list[tuple[float, float, float, float]]) -> list[dict]:
    """The characters whose centres are in none of ``boxes`` (x0, top, x1, bottom)."""
    if not boxes:
        return chars
    out = []
    for c in chars:
        x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        for x0, top, x1, bottom in boxes:
            if x0 <= x <= x1 and top <= y <= bottom:
                break
        else:
            out.append(c)
    return out


def _frame_shift(page) -> tuple[float, float]:
    """What takes pdfplumber's ``(x, top)`` to PDFium's on a page whose media box is written
    from another corner than the lower left (``[0 595 842 0]``): pdfminer places the text from
    the corner as written, a page height off the page; PDFium from the lower left. Only the
    geometry is moved (``gouji.ingest.geometry``: highlights go where the text is drawn); the
    lines and tables are read as they were."""
    raw = getattr(getattr(page, "page_obj", None), "mediabox", None)  # pdfplumber's page only
    if raw is None or len(raw) != 4:
        return 0.0, 0.0
    x0, y0, x1, y1 = (float(v) for v in raw)
    fixed = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    if (x0, y0, x1, y1) == fixed:
        return 0.0, 0.0
    rotation = int(getattr(page, "rotation", 0) or 0) % 360

    def shift(a0: float, b0: float, a1: float, b1: float) -> tuple[float, float]:
        # the translation of pdfminer's page transform (PDFPageInterpreter.process_page)
        return {90: (-b0, a1), 180: (a1, b1), 270: (b1, -a0)}.get(rotation, (-a0, -b0))

    (ea, fa), (eb, fb) = shift(x0, y0, x1, y1), shift(*fixed)
    return eb - ea, fa - fb


def _shift_places(items: list[Line | TableOnPage], dx: float, dtop: float) -> None:
    for item in items:
        for g in item.glyphs:
            if g is not None:
                g.moved(dx, dtop)


# a character box reaching further below its baseline than this share of the font size comes
# from a font that declares a descent of about a whole em: its glyphs sit above the box
FALSE_DESCENT = 0.5
# where such a box is put instead: the usual CJK font's, 0.8 em above the baseline, 0.2 below
DESCENT = 0.2


def _on_baseline(char: dict, height: float) -> dict:
    """``char`` with its box where its glyph is drawn.

    Some producers embed Latin fonts declaring a descent of about one em: the reader then
    places the box of a digit wholly below its baseline, a character lower than the CJK text
    beside it, and a figure falls into the row below its label. Such a box is moved up to sit
    on the baseline as an ordinary font's does."""
    m = char.get("matrix")
    if not m or m[1] or m[2] or m[0] <= 0 or m[3] <= 0:
        return char  # turned text: left as it is
    size = char["bottom"] - char["top"]
    baseline = height - m[5]
    if size <= 0 or char["bottom"] - baseline <= FALSE_DESCENT * size or baseline < char["top"] - DESCENT * size:
        return char  # an ordinary box, or a baseline not at the box's top (another frame)
    top = baseline - (1 - DESCENT) * size
    shift = char["top"] - top
    moved = {**char, "top": top, "bottom": top + size}
    if "doctop" in char:
        moved["doctop"] = char["doctop"] - shift
    return moved


_HAN = re_(r"\p{Han}")
_AMOUNT = re_(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{1,2}$")


def _is_table(rows: list[list[str | None]]) -> bool:
    """A ruled grid holding a table: two rows or more, of two cells or more."""
    return len(rows) >= 2 and max(len(r) for r in rows) >= 2


def _filled(row: list[str | None]) -> list[str]:
    """The row's cells that hold text, stripped."""
    return [c.strip() for c in row if c and c.strip()]


def _carried_row(row: list[str | None]) -> bool:
    """A grid of one row that may be the last row of a table carried over to the next page,
    ruled alone at its head: three filled cells or more, a label among them and a whole
    amount, and no figure cut at its decimal point (prose some producers frame line by line
    is cut so: "122." and "98")."""
    filled = _filled(row)
    return (
        len(filled) >= 3
        and any(_AMOUNT.match(c) for c in filled)
        and any(_HAN.search(c) for c in filled)
        and not any(c.endswith((".", "．")) or c.startswith((".", "．")) for c in filled)
    )


def find_tables(page) -> list:
    """The page's ruled tables (``gouji.ingest.ruling``: pdfplumber's ``find_tables`` with
    ``ruling.PDFPLUMBER_SETTINGS``, the same edges, intersections, cells and tables)."""
    return ruling.find(page.edges).tables


class _CharIndex:
    """A page's characters by the height of their centres: ``extract`` is pdfplumber's
    ``Table.extract()`` (same characters, same order, same text), finding each row's
    characters by bisection instead of testing every character of the page against every row."""

    def __init__(self, chars: list[dict]):
        keyed = sorted(((c["top"] + c["bottom"]) / 2, i) for i, c in enumerate(chars))
        self.mids = [k[0] for k in keyed]
        self.order = [k[1] for k in keyed]
        self.chars = chars

    def extract(self, table) -> list[list[str | None]]:
        return self._extract(table, None)[0]

    def extract_glyphs(self, table, page: int) -> tuple[list[list[str | None]], list[Glyphs | None]]:
        """``extract``, and each row's ``Glyphs``: its cells' texts joined by tabs, their
        characters' places on ``page`` and the cells' boxes."""
        return self._extract(table, page)

    def _extract(self, table, page: int | None) -> tuple[list[list[str | None]], list[Glyphs | None]]:
        chars, mids, order = self.chars, self.mids, self.order
        out: list[list[str | None]] = []
        placed: list[Glyphs | None] = []
        for row in table.rows:
            x0, top, x1, bottom = row.bbox
            found = sorted(order[k] for k in range(bisect_left(mids, top), bisect_left(mids, bottom)))
            row_chars = [c for c in (chars[i] for i in found) if x0 <= (c["x0"] + c["x1"]) / 2 < x1]
            cells: list[str | None] = []
            x0s: list[float] = []
            x1s: list[float] = []
            runs: list[float] = []
            boxes: list[float] = []
            for k, cell in enumerate(row.cells):
                if k:  # the tab between two cells
                    x0s.append(NAN)
                    x1s.append(NAN)
                if cell is None:
                    cells.append(None)
                    boxes += _NO_CELL
                    continue
                cx0, ctop, cx1, cbottom = cell
                inside = [
                    c for c in row_chars if cx0 <= (c["x0"] + c["x1"]) / 2 < cx1 and ctop <= (c["top"] + c["bottom"]) / 2 < cbottom
                ]
                if page is None:
                    cells.append(cell_text(inside) if inside else "")
                    continue
                cells.append(_cell_into(inside, page, x0s, x1s, runs) if inside else "")
                boxes += (page, cx0, ctop, cx1, cbottom)
            out.append(cells)
            if page is not None:
                text = "\t".join(c or "" for c in cells)
                placed.append(Glyphs(text, array("d", x0s), array("d", x1s), array("d", runs), boxes=array("d", boxes)))
        return out, placed


_NO_CELL = (NAN,) * 5


# pdfplumber's expansions of ligatures in words (pdfplumber.utils.text.LIGATURES)
_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
_TOLERANCE = 3  # pdfplumber's default x and y tolerance


def _clusters(items: list, key) -> list[list]:
    """pdfplumber's ``cluster_objects(items, key, 3)``: values within 3 of the previous one
    (sorted) are one cluster; items in cluster order, in their given order within one."""
    values = sorted({key(x) for x in items})
    index: dict[float, int] = {}
    n, last = 0, None
    for v in values:
        if last is not None and v > last + _TOLERANCE:
            n += 1
        index[v] = n
        last = v
    out: list[list] = [[] for _ in range(n + 1)]
    for x in items:
        out[index[key(x)]].append(x)
    return [c for c in out if c]


def cell_text(chars: list[dict], lift_marks: bool = True) -> str:
    """The text of a cell's characters as pdfplumber's ``utils.extract_text(chars)`` gives it
    with its defaults (the same words and lines, the same text), without its general machinery;
    with ``lift_marks``, marks a font draws below their line are put back in it (``_lowered_back``).

    Runs of characters with the same ``upright`` are lines by ``top`` (turned text: by
    ``x0``), each line sorted along the text; a blank character, a step back or a gap of more
    than 3 starts a word; the words are lines again by ``top``, joined by spaces and newlines."""
    if not chars:
        return ""
    return "\n".join(" ".join(_text(w[1]) for w in line) for line in _cell_lines(chars, lift_marks))


def cell_glyphs(chars: list[dict], page: int, lift_marks: bool = True) -> Glyphs:
    """``cell_text(chars)`` with each character's place on ``page`` (its own box) and the lowest
    confidence of ``chars``."""
    x0s: list[float] = []
    x1s: list[float] = []
    runs: list[float] = []
    text = _cell_into(chars, page, x0s, x1s, runs, lift_marks)
    return Glyphs(text, array("d", x0s), array("d", x1s), array("d", runs), _confidence(chars))


def _cell_into(chars: list[dict], page: int, x0s: list[float], x1s: list[float], runs: list[float], lift_marks: bool = True) -> str:
    """``cell_text(chars)``; each character's extent appended to ``x0s`` and ``x1s``, each of
    its lines to ``runs`` (``geometry.RUN``: its band, the lowest confidence of ``chars``)."""
    conf = _confidence(chars)
    conf = NAN if conf is None else conf
    lines = _cell_lines(chars, lift_marks)
    if len(lines) == 1 and len(lines[0]) == 1:  # one word, most cells: no pieces to join
        word = lines[0][0][1]
        t = _text(word)
        if len(t) == len(word):
            runs += (len(x0s), page, min(map(_TOP, word)), max(map(_BOTTOM, word)), conf)
            x0s.extend(map(_X0, word))
            x1s.extend(map(_X1, word))
            return t
    texts: list[str] = []
    for k, line in enumerate(lines):
        if k:
            texts.append("\n")
            x0s.append(NAN)
            x1s.append(NAN)
        line_chars = [c for _, word in line for c in word]
        runs += (len(x0s), page, min(map(_TOP, line_chars)), max(map(_BOTTOM, line_chars)), conf)
        for m, (_, word) in enumerate(line):
            if m:
                texts.append(" ")
                x0s.append(NAN)
                x1s.append(NAN)
            t = _text(word)
            texts.append(t)
            if len(t) == len(word):
                x0s.extend(map(_X0, word))
                x1s.extend(map(_X1, word))
            else:  # a ligature spelt out, a character of several
                for c in word:
                    n = len(_LIGATURES.get(c["text"], c["text"] or ""))
                    x0s.extend([c["x0"]] * n)
                    x1s.extend([c["x1"]] * n)
    return "".join(texts)


_TOP, _BOTTOM, _X0, _X1 = itemgetter("top"), itemgetter("bottom"), itemgetter("x0"), itemgetter("x1")


# what the checks take from a line recognised on a page image: its figures (digits, separators,
# signs), their units and their direction words. A doubtful reading of another character (a
# name in the prose) casts no doubt on a figure beside it
FIGURE_CHARACTERS = frozenset("0123456789.,%+-０１２３４５６７８９．，％增减加少降升万亿千元")


def _confidence(chars: list[dict]) -> float | None:
    """The lowest ``confidence`` of the characters making figures (an OCR reader's; a page's
    characters all have one or none do); None for a text layer, or no figure."""
    if not chars or "confidence" not in chars[0]:
        return None
    return lowest(c.get("confidence") for c in chars if c["text"] in FIGURE_CHARACTERS)


def _cell_lines(chars: list[dict], lift_marks: bool) -> list[list[tuple[float, list[dict]]]]:
    """``cell_text``'s lines of words, each word its top and its characters."""
    if not chars:
        return []
    words: list[tuple[float, list[dict]]] = []  # (top, characters)
    start = 0
    while start < len(chars):
        upright = chars[start]["upright"]
        end = start + 1
        while end < len(chars) and chars[end]["upright"] == upright:
            end += 1
        run = chars[start:end]
        start = end
        if upright:
            lines = [sorted(line, key=lambda c: c["x0"]) for line in _clusters(run, lambda c: c["top"])]
            if lift_marks:
                lines = _lowered_back(lines)
            ahead, behind, across = "x0", "x1", "top"
        else:
            lines = [sorted(line, key=lambda c: (c["top"], c["bottom"])) for line in _clusters(run, lambda c: c["x0"])]
            ahead, behind, across = "top", "bottom", "x0"
        for line in lines:
            word: list[dict] = []
            for c in line:
                text = c["text"]
                if text.isspace() or text == "":
                    if word:
                        words.append(_word(word))
                    word = [c] if text == "" else []  # pdfplumber: an empty text is a word of its own
                    if text == "":
                        words.append(_word(word))
                        word = []
                    continue
                if word:
                    p = word[-1]
                    if c[ahead] < p[ahead] or c[ahead] > p[behind] + _TOLERANCE or abs(c[across] - p[across]) > _TOLERANCE:
                        words.append(_word(word))
                        word = []
                word.append(c)
            if word:
                words.append(_word(word))
    return _clusters(words, lambda w: w[0])


# the marks some fonts draw lower than the characters beside them
_LOWERED = frozenset("、，,。：:；;（）()【】《》“”")


def _lowered_back(lines: list[list[dict]]) -> list[list[dict]]:
    """Lines of a cell with the marks some fonts draw lower than their line put back in it.

    In some producers' fonts "、", "（" and "）" sit most of a character below the characters
    beside them: by ``top`` they make a line of their own, and "一、本年收入" would read
    "一本年收入、". A line of such marks only, less than a character below the line above and
    within its width, belongs to that line (a wrapped line is at least a character lower)."""
    out: list[list[dict]] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and all(_lowered_in(c, prev) for c in line):
            top = prev[0]["top"]
            moved = [{**c, "top": top, "bottom": top + (c["bottom"] - c["top"])} for c in line]
            out[-1] = sorted(prev + moved, key=lambda c: c["x0"])
        else:
            out.append(line)
    return out


def _lowered_in(char: dict, line: list[dict]) -> bool:
    size = char["bottom"] - char["top"]
    if char["text"] not in _LOWERED or not 0 < char["top"] - line[0]["top"] < 0.9 * size:
        return False
    middle = (char["x0"] + char["x1"]) / 2
    return line[0]["x0"] - size <= middle <= line[-1]["x1"] + size


def _word(chars: list[dict]) -> tuple[float, list[dict]]:
    return min(c["top"] for c in chars), chars


def _text(chars: list[dict]) -> str:
    return "".join(_LIGATURES.get(c["text"], c["text"] or "") for c in chars)


def _baseline(c: dict, height: float) -> float:
    """Distance of a character's baseline from the page top.

    Better than ``top`` for grouping lines: fonts with odd ascent metrics (punctuation from a
    second font) put ``top`` half a line off while the baseline is the one of its neighbours.
    """
    m = c.get("matrix")
    if m and m[1] == 0 and m[2] == 0:
        return height - float(m[5])
    return float(c["bottom"])


def _lines(chars: list[dict], page: int, width: float, height: float) -> list[Line]:
    """Group characters into lines by baseline, split each at wide gaps."""
    lines: list[Line] = []
    group: list[dict] = []
    base = 0.0
    keyed = sorted(((round(_baseline(c, height), 1), c) for c in chars), key=lambda kc: (kc[0], kc[1]["x0"]))
    for key, c in keyed:
        if group and key > base + 0.4 * max(float(group[0]["size"]), 1.0):
            lines.extend(_line(group, page, width))
            group = []
        if not group:
            base = key
        group.append(c)
    if group:
        lines.extend(_line(group, page, width))
    return lines


def _line(chars: list[dict], page: int, width: float) -> list[Line]:
    chars = sorted(chars, key=lambda c: c["x0"])
    visible = [c for c in chars if not c["text"].isspace()]
    if not visible:
        return []
    size = statistics.median(float(c["size"]) for c in visible)
    # letter-spaced (justified) lines put a gap after every character; a word space is wider
    gaps = [b["x0"] - a["x1"] for a, b in zip(visible, visible[1:], strict=False)]
    spacing = max(0.0, statistics.median(gaps)) if gaps else 0.0
    top = min(float(c["top"]) for c in visible)
    bottom = max(float(c["bottom"]) for c in visible)
    band = array("d", (0, page, top, bottom, NAN))  # the line's band for every character: one height
    raw: list[tuple[str, int, int]] = []  # each segment's text, its first and end characters in ``visible``
    cur = ""
    first = 0
    prev_x1: float | None = None
    # space glyphs are not trusted (some producers overprint runs of them); gaps make spaces
    for k, c in enumerate(visible):
        gap = c["x0"] - prev_x1 if prev_x1 is not None else 0.0
        if prev_x1 is not None and gap > CELL_GAP * size + spacing and cur.strip():
            raw.append((cur, first, k))
            cur, first = "", k
        elif prev_x1 is not None and gap > 0.2 * size + spacing:
            cur += " "
        cur += normalize_chars(c["text"])
        prev_x1 = c["x1"]
    raw.append((cur, first, len(visible)))
    segments: list[str] = []
    glyphs: list[Glyphs] = []
    known = "confidence" in visible[0]  # an OCR reader's characters
    for text, a, b in raw:
        line = clean_line(text)
        if line:
            segments.append(line)
            seg = visible if a == 0 and b == len(visible) else visible[a:b]
            x0s, x1s = _extents(text, seg)
            glyphs.append(Glyphs(text, x0s, x1s, band, _confidence(seg) if known else None, normal=True).cleaned(line))
    if not segments:
        return []
    return [
        Line(
            page=page,
            top=top,
            bottom=bottom,
            x0=float(visible[0]["x0"]),
            x1=float(visible[-1]["x1"]),
            size=size,
            segments=segments,
            page_width=width,
            glyphs=glyphs,
        )
    ]


def _extents(text: str, chars: list[dict]) -> tuple[array, array]:
    """The x0 and x1 of each character of ``text``, a line segment made of ``chars`` (with a
    space, drawn nowhere, where a gap was)."""
    if len(text) == len(chars):  # no gap, no character of several: most lines
        return array("d", map(_X0, chars)), array("d", map(_X1, chars))
    x0s, x1s = array("d"), array("d")
    i = 0
    for c in chars:
        t = normalize_chars(c["text"])
        while text[i] == " " and not t.startswith(" "):  # a gap's space before it
            x0s.append(NAN)
            x1s.append(NAN)
            i += 1
        x0s.extend([c["x0"]] * len(t))
        x1s.extend([c["x1"]] * len(t))
        i += len(t)
    return x0s, x1s


def drop_running_lines(pages: list[Page]) -> None:
    """Remove page numbers and the headers and footers repeated in the page margins."""

    def in_margin(item: Line, pg: Page) -> bool:
        zone = (pg.bottom - pg.top) * MARGIN_ZONE
        return item.bottom < pg.top + zone or item.top > pg.bottom - zone

    def key(item: Line) -> str:
        return re_(r"\d+").sub("#", re_(r"\s+").sub("", item.text))

    counts: Counter[str] = Counter()
    for pg in pages:
        counts.update({key(i) for i in pg.items if isinstance(i, Line) and in_margin(i, pg)})
    repeated = {k for k, n in counts.items() if n >= max(3, 0.4 * len(pages))}
    for pg in pages:
        ends = {id(pg.items[0]), id(pg.items[-1])} if pg.items else set()

        def running(i: Line | TableOnPage, pg: Page = pg, ends: set[int] = ends) -> bool:
            if not isinstance(i, Line):
                return False
            if PAGE_NUMBER_RE.match(i.text):
                return in_margin(i, pg) or id(i) in ends
            return in_margin(i, pg) and key(i) in repeated

        pg.items = [i for i in pg.items if not running(i)]


@dataclass
class _Layout:
    """Body margins and line pitch, per page width (portrait and landscape pages differ)."""

    left: dict[int, float]
    right: dict[int, float]
    pitch: float


def _layout(pages: list[Page]) -> _Layout:
    lefts: dict[int, Counter[int]] = {}
    rights: dict[int, list[float]] = {}
    pitches: list[float] = []
    for pg in pages:
        prev: Line | None = None
        for i in pg.items:
            if not isinstance(i, Line):
                prev = None
                continue
            w = round(pg.width)
            if len(i.text) >= 10:
                lefts.setdefault(w, Counter())[round(i.x0)] += 1
                rights.setdefault(w, []).append(i.x1)
            if prev is not None and abs(prev.size - i.size) < 0.5 and 0 < i.top - prev.top < 3 * i.size:
                pitches.append(i.top - prev.top)
            prev = i
    left = {w: float(c.most_common(1)[0][0]) for w, c in lefts.items()}
    right = {w: sorted(xs)[int(0.9 * (len(xs) - 1))] for w, xs in rights.items()}
    return _Layout(left=left, right=right, pitch=statistics.median(pitches) if pitches else 0.0)


def _continues(prev: Line, cur: Line, lay: _Layout) -> bool:
    """Whether ``cur`` is the next line of the paragraph that ``prev`` is in."""
    w = round(prev.page_width)
    right = lay.right.get(w, prev.page_width)
    left = lay.left.get(round(cur.page_width), cur.x0)
    if len(prev.segments) > 1 or len(cur.segments) > 1:
        return False
    if abs(prev.size - cur.size) > 0.6:
        return False
    if cur.page == prev.page and _wrapped_title(prev, cur, left, right):
        return True
    if prev.x1 < right - 1.5 * prev.size and not (
        # a number too long for the rest of the line leaves a wider gap
        prev.x1 >= right - 8 * prev.size and cur.text[:1].isdigit() and not prev.text.endswith(LINE_END)
    ):
        return False  # a short line ends its paragraph
    if cur.x0 > left + 1.0 * cur.size or PARAGRAPH_START_RE.match(cur.text):
        return False  # an indented or numbered line starts one
    return not (cur.page == prev.page and lay.pitch and cur.top - prev.top > 1.3 * lay.pitch)


def _wrapped_title(prev: Line, cur: Line, left: float, right: float) -> bool:
    """A centred title too long for one line: a wide first line, a short rest on the same axis."""
    centred = abs((prev.x0 + prev.x1) / 2 - (cur.x0 + cur.x1) / 2) < cur.size
    return (
        centred
        and cur.x0 > left + 2 * cur.size
        and prev.x1 - prev.x0 >= max(0.55 * (right - left), cur.x1 - cur.x0)
        and not prev.text.endswith(LINE_END)
        and cur.top - prev.bottom < 1.5 * cur.size
    )


CAPTION_RE = re_(
    r"^(?:(?:预算|编制|部门|填报)?单位(?:名称)?|金额单位)\s*[:：]|表\s*(?:[（(][^）)]{0,12}[）)])?$"
)


def _caption_row(row: list[str | None]) -> bool:
    """A row that only holds the table's title or its unit line."""
    filled = _filled(row)
    return bool(filled) and all(CAPTION_RE.search(c) for c in filled)


def _blank_row(row: list[str | None]) -> bool:
    return not _filled(row)


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return f"{a} {b}"
    return a + b


def _cells_of(glyphs: Glyphs | None, row: list[str | None]) -> list[Glyphs] | None:
    """A row's glyphs cut into its cells' (None when there are none, or a cell's text held a tab)."""
    parts = None if glyphs is None else glyphs.parts()
    return parts if parts is not None and len(parts) == len(row) else None


def pages_to_export(pages: list[Page]) -> Export:
    """Write the pages as a text export: paragraphs on one line each, tables as tab rows."""
    drop_running_lines(pages)
    lay = _layout(pages)
    out = Export()
    para: str | None = None
    para_page = 0
    # the lines of the paragraph with their characters' places, and what ``_join`` put before each
    para_parts: list[Glyphs] = []
    para_seps: list[int] = []
    prev: Line | None = None

    def flush() -> None:
        nonlocal para
        if para is not None:
            out.paragraph(para, para_page, Glyphs.concat(para_parts, para_seps))
            para = None

    items = [i for pg in pages for i in pg.items]
    for n, item in enumerate(items):
        if isinstance(item, TableOnPage):
            flush()
            prev = None
            rows = list(item.rows)
            placed = list(item.glyphs) if len(item.glyphs) == len(rows) else [None] * len(rows)
            # titles and captions drawn inside the grid ("收支总表（预算表1）", "预算单位：… 单位：万元"),
            # and the empty rows of a sheet's grid drawn around them
            while len(rows) > 1 and (_blank_row(rows[0]) or _caption_row(rows[0])):
                row, glyphs = rows.pop(0), placed.pop(0)
                if _blank_row(row):
                    continue
                kept = [k for k, c in enumerate(row) if c and c.strip()]
                caption = " ".join(row[k].strip() for k in kept)
                parts = _cells_of(glyphs, row)
                if parts is not None:
                    out.paragraph(caption, item.page, Glyphs.join([parts[k].strip() for k in kept]))
                else:
                    out.paragraph(caption, item.page)
            for row, glyphs in zip(rows, placed, strict=True):
                out.row(row, item.page, glyphs)
            continue
        neighbours = [items[k] for k in (n - 1, n + 1) if 0 <= k < len(items)]
        if len(item.segments) > 1 and any(isinstance(o, Line) and o.page == item.page and len(o.segments) > 1 for o in neighbours):
            flush()
            prev = None
            out.row(list(item.segments), item.page, item.glyphs if len(item.glyphs) == len(item.segments) else None)
            continue
        placed = item.placed
        if para is not None and prev is not None and _continues(prev, item, lay):
            joined = _join(para, item.text)
            para_seps.append(len(joined) - len(para) - len(item.text))
            para_parts.append(placed)
            para = joined
        else:
            flush()
            para, para_page = item.text, item.page
            para_parts, para_seps = [placed], [0]
        prev = item
    flush()
    return out
