"""Where a document's text is drawn: pieces of ``Document.text`` with their page and boxes.

A PDF reader records each piece of text it writes into the export (``gouji.ingest.export``):
a line of a paragraph, a line of a ruled cell, a segment of an unruled row. A piece is one
visual line: its document offsets, its page, its band (``top``, ``bottom``) and the
horizontal extent of each of its characters, in PDF points from the top-left corner of the
page as it is shown (pdfplumber's ``x0, top, x1, bottom``; ``/Rotate`` and the media box
applied). A character the reader put in (a space between words) has no extent of its own.

The reader's text is normalised on its way to the export (``normalize_chars`` maps one
character to one, ``clean_line`` and ``clean_cell`` drop spaces, newlines and heading marks):
``Glyphs`` carries the text as the reader emitted it with each character's extent and its
visual lines, and ``aligned`` matches the cleaned text back to it, so the offsets stay those
of the export. The work is per line (a cell, a segment), not per character, where the text
needs no cleaning, and every number is kept in arrays of doubles: 8 bytes a character, and
no Python object per cell or character for the garbage collector to count and traverse
(objects per cell made reading a table-heavy PDF a fifth slower).
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import field

from gouji.ingest.normalize import normalize_chars
from gouji.records import dataclass

Box = tuple[float, float, float, float]  # x0, top, x1, bottom

_BLANKS = str.maketrans("\n\r\t", "   ")
NAN = float("nan")


@dataclass(slots=True)
class Glyphs:
    """Text on its way into the export, with where each of its characters is drawn.

    ``x0s`` and ``x1s`` hold each character's horizontal extent (NaN for one the reader made: a
    space between words, a newline between a cell's lines). ``runs`` holds the visual lines,
    five numbers each (``RUN``): the index of the line's first character (it runs to the next
    line's; characters before the first line belong to it), its page, top and bottom, and the
    lowest confidence of its characters (NaN: the Glyphs' ``confidence`` is the line's: an OCR
    reader's, 0–1; None for a text layer). ``cell``: the page and box of the ruled cell it
    fills; ``boxes``: a table row's, five numbers for each of its tab-separated cells (page,
    x0, top, x1, bottom; NaN: no cell). A table has thousands of cells: one Glyphs a row, all
    numbers in arrays, leaves the garbage collector nothing to count or traverse."""

    text: str
    x0s: array
    x1s: array
    runs: array
    confidence: float | None = None
    cell: tuple[int, float, float, float, float] | None = None
    boxes: array | None = None
    normal: bool = False  # ``text`` is normalize_chars' already (a text line's)

    @staticmethod
    def blank(text: str) -> Glyphs:
        """``text`` drawn nowhere known."""
        return Glyphs(text, array("d", [NAN]) * len(text), array("d", [NAN]) * len(text), array("d"))

    @staticmethod
    def join(parts: list[Glyphs], sep: str = " ") -> Glyphs:
        """``sep.join`` of the parts' texts, the separators drawn nowhere."""
        if len(parts) == 1:
            return parts[0]
        return Glyphs.concat(parts, [0] + [len(sep)] * (len(parts) - 1), sep)

    @staticmethod
    def concat(parts: list[Glyphs], gaps: list[int], sep: str = " ") -> Glyphs:
        """The parts one after the other, ``gaps[k]`` characters drawn nowhere before part ``k``
        (in the text: ``sep`` for each)."""
        if len(parts) == 1 and not gaps[0]:
            return parts[0]
        x0s, x1s, runs = array("d"), array("d"), array("d")
        texts = []
        for g, gap in zip(parts, gaps, strict=True):
            if gap:
                x0s.extend([NAN] * gap)
                x1s.extend([NAN] * gap)
                texts.append(sep[:1] * gap)
            base = len(x0s)
            r = g.runs
            for k in range(0, len(r), RUN):
                conf = r[k + 4] if not math.isnan(r[k + 4]) or g.confidence is None else g.confidence
                if runs and runs[-4:-1] == r[k + 1 : k + 4]:  # the same line goes on (its segments)
                    runs[-1] = conf if math.isnan(runs[-1]) else min(runs[-1], conf) if not math.isnan(conf) else runs[-1]
                    continue
                runs.append(base + r[k])
                runs.extend(r[k + 1 : k + 4])
                runs.append(conf)
            x0s.extend(g.x0s)
            x1s.extend(g.x1s)
            texts.append(g.text)
        normal = all(g.normal for g in parts)
        return Glyphs("".join(texts), x0s, x1s, runs, lowest(g.confidence for g in parts), normal=normal)

    def parts(self) -> list[Glyphs]:
        """A table row's glyphs cut at its tabs: each cell's, with its box as ``cell``."""
        out: list[Glyphs] = []
        r = self.runs
        firsts = r[0::RUN]
        a = 0
        for k, text in enumerate(self.text.split("\t")):
            b = a + len(text)
            runs = r[RUN * bisect_left(firsts, a) : RUN * bisect_left(firsts, b)]
            for i in range(0, len(runs), RUN):
                runs[i] -= a
            box = self.boxes[5 * k : 5 * k + 5] if self.boxes is not None else None
            cell = None if box is None or math.isnan(box[0]) else (int(box[0]), box[1], box[2], box[3], box[4])
            out.append(Glyphs(text, self.x0s[a:b], self.x1s[a:b], runs, self.confidence, cell))
            a = b + 1
        return out

    def cleaned(self, out: str) -> Glyphs:
        """The glyphs of ``out``, a normalised and cleaned text of ``text`` (see ``aligned``)."""
        try:
            idx = aligned(self.text, out, self.normal)
        except ValueError:  # not expected: keep the offsets, each character the whole extent
            known = [x for x in (*self.x0s, *self.x1s) if not math.isnan(x)]
            lo, hi = (min(known), max(known)) if known else (NAN, NAN)
            runs = self.runs[:RUN]
            if runs:
                runs[0] = 0
            return Glyphs(out, array("d", [lo]) * len(out), array("d", [hi]) * len(out), runs, self.confidence, self.cell)
        if idx is None:
            return self
        x0s, x1s = self.x0s, self.x1s
        runs = array("d", self.runs)
        for k in range(0, len(runs), RUN):
            runs[k] = bisect_left(idx, runs[k])
        return Glyphs(out, array("d", [x0s[i] for i in idx]), array("d", [x1s[i] for i in idx]), runs, self.confidence, self.cell, normal=True)

    def strip(self) -> Glyphs:
        """The glyphs of ``text.strip()``."""
        text = self.text.strip()
        if text == self.text:
            return self
        a = self.text.index(text[0]) if text else 0
        b = a + len(text)
        runs = array("d")
        r = self.runs
        for k in range(0, len(r), RUN):
            if r[k] - a < len(text):
                runs.append(max(0, r[k] - a))
                runs.extend(r[k + 1 : k + RUN])
        return Glyphs(text, self.x0s[a:b], self.x1s[a:b], runs, self.confidence, self.cell, normal=self.normal)

    def moved(self, dx: float, dtop: float) -> None:
        """Shift every box by ``dx`` across and ``dtop`` down."""
        self.x0s = array("d", [x + dx for x in self.x0s])
        self.x1s = array("d", [x + dx for x in self.x1s])
        runs = self.runs = array("d", self.runs)  # its own: lines may share one
        for k in range(0, len(runs), RUN):
            runs[k + 2] += dtop
            runs[k + 3] += dtop
        if self.cell is not None:
            page, x0, top, x1, bottom = self.cell
            self.cell = (page, x0 + dx, top + dtop, x1 + dx, bottom + dtop)
        if self.boxes is not None:
            b = self.boxes
            for k in range(0, len(b), 5):
                b[k + 1] += dx
                b[k + 2] += dtop
                b[k + 3] += dx
                b[k + 4] += dtop


RUN = 5  # numbers of a run: first character, page, top, bottom, confidence


def lowest(values) -> float | None:
    """The minimum of the values that are not None (None when all are)."""
    known = [v for v in values if v is not None]
    return min(known) if known else None


def aligned(source: str, out: str, normal: bool = False) -> list[int] | None:
    """For each character of ``out``, its index in ``source``; None when they are the same text.

    ``out`` is ``source`` normalised and cleaned: characters mapped one for one
    (``normalize_chars``, newlines and tabs to spaces), then some dropped (spaces, heading
    marks), so a greedy match finds each of them in order. Raises ValueError when ``out`` is
    not such a text of ``source``. ``normal``: ``source`` is ``normalize_chars``' already."""
    if source == out:
        return None
    src = (source if normal else normalize_chars(source)).translate(_BLANKS)
    idx: list[int] = []
    find = src.find
    i = 0
    for ch in out.translate(_BLANKS):
        j = find(ch, i)
        if j < 0:
            raise ValueError(f"{out!r} is not a cleaned text of {source!r}")
        idx.append(j)
        i = j + 1
    return idx


@dataclass
class Geometry:
    """The pieces of a document's text, sorted by offset (they do not overlap), in parallel
    sequences; and its ruled cells. Lists while a reader writes (an append is cheapest),
    arrays once ``freeze`` has run (the document keeps them: 8 bytes a number)."""

    starts: array | list = field(default_factory=list)
    ends: array | list = field(default_factory=list)
    pages: array | list = field(default_factory=list)
    tops: array | list = field(default_factory=list)
    bottoms: array | list = field(default_factory=list)
    confidences: array | list = field(default_factory=list)  # NaN: none known
    # each character's x0 and x1 (NaN for one the reader made), piece after piece; piece i's
    # from ``first[i]``
    first: array | list = field(default_factory=list)
    x0s: array = field(default_factory=lambda: array("d"))
    x1s: array = field(default_factory=lambda: array("d"))
    # ruled cells: their document offsets, and page and box (page, x0, top, x1, bottom: five
    # numbers a cell; a NaN page: a row's place where its grid has no cell)
    cell_starts: array | list = field(default_factory=list)
    cell_ends: array | list = field(default_factory=list)
    cell_boxes: array | list = field(default_factory=list)

    def freeze(self) -> Geometry:
        """The sequences made arrays (when the document is complete)."""
        for name, code in _CODES.items():
            setattr(self, name, array(code, getattr(self, name)))
        return self

    def place(self, start: int, out: str, glyphs: Glyphs) -> None:
        """Record ``out``, written at ``start`` of the document text, as pieces of ``glyphs``:
        one per visual line."""
        cell = glyphs.cell
        if cell is not None:
            self.cell_starts.append(start)
            self.cell_ends.append(start + len(out))
            self.cell_boxes.extend(cell)
        if not out or not glyphs.runs:
            return
        g = glyphs.cleaned(out)
        runs, n = g.runs, len(out)
        own = NAN if g.confidence is None else g.confidence
        for k in range(0, len(runs), RUN):
            a = 0 if k == 0 else int(runs[k])
            b = int(runs[k + RUN]) if k + RUN < len(runs) else n
            if b > a:
                conf = runs[k + 4]
                self._piece(start + a, start + b, runs[k + 1 : k + 4], own if math.isnan(conf) else conf, g.x0s[a:b], g.x1s[a:b])

    def place_row(self, start: int, cells: list[str], row: Glyphs) -> None:
        """Record a table row written at ``start`` as its cells ``cells`` (cleaned), joined by
        tabs, from ``row``: the row's glyphs, its cells' texts joined by tabs (``Glyphs.boxes``).
        A cell that needed no cleaning is placed straight from the row's arrays (a table has
        thousands of cells: this loop is most of what geometry costs)."""
        raws = row.text.split("\t")
        if len(raws) != len(cells):
            return  # a cell's text held a tab: its place is not known
        r, boxes, x0s, x1s = row.runs, row.boxes, row.x0s, row.x1s
        if boxes is not None and len(boxes) == 5 * len(cells) and "\t".join(cells) == row.text:
            self._place_clean_row(start, row)
            return
        n_runs = len(r) // RUN
        own = NAN if row.confidence is None else row.confidence
        starts, ends, pages, tops, bottoms, confs, first = (
            self.starts, self.ends, self.pages, self.tops, self.bottoms, self.confidences, self.first,
        )  # fmt: skip
        j = 0  # the row's next run
        a, at = 0, start  # where the cell starts in the row, and in the document
        for k, raw in enumerate(raws):
            out = cells[k]
            b = a + len(raw)
            if boxes is not None and boxes[5 * k] == boxes[5 * k]:  # not NaN: a ruled cell
                self.cell_starts.append(at)
                self.cell_ends.append(at + len(out))
                self.cell_boxes.extend(boxes[5 * k : 5 * k + 5])
            lo = j
            while j < n_runs and r[RUN * j] < b:
                j += 1
            if out and lo < j:
                if raw != out:
                    runs = r[RUN * lo : RUN * j]
                    for i in range(0, len(runs), RUN):
                        runs[i] -= a
                    self.place(at, out, Glyphs(raw, x0s[a:b], x1s[a:b], runs, row.confidence))
                else:
                    for q in range(lo, j):
                        s = a if q == lo else int(r[RUN * q])
                        e = int(r[RUN * (q + 1)]) if q + 1 < j else b
                        if e <= s:
                            continue
                        if starts and at + s - a < ends[-1]:
                            raise ValueError("pieces must be placed in document order")
                        starts.append(at + s - a)
                        ends.append(at + e - a)
                        pages.append(int(r[RUN * q + 1]))
                        tops.append(r[RUN * q + 2])
                        bottoms.append(r[RUN * q + 3])
                        conf = r[RUN * q + 4]
                        confs.append(own if conf != conf else conf)
                        first.append(len(self.x0s))
                        self.x0s.extend(x0s[s:e])
                        self.x1s.extend(x1s[s:e])
            a, at = b + 1, at + len(out) + 1

    def _place_clean_row(self, start: int, row: Glyphs) -> None:
        """A row written as it was read (no cell needed cleaning): the document text at
        ``start`` is ``row.text``, and its runs are the pieces, each up to the next (over the
        tabs and empty cells between, drawn nowhere), in bulk."""
        r = row.runs
        fs = [int(f) for f in r[0::RUN]]
        if fs:
            if self.starts and start + fs[0] < self.ends[-1]:
                raise ValueError("pieces must be placed in document order")
            base = len(self.x0s)
            self.starts.extend([start + f for f in fs])
            self.ends.extend([start + e for e in fs[1:]])
            self.ends.append(start + len(row.text))
            self.pages.extend(map(int, r[1::RUN]))
            self.tops.extend(r[2::RUN])
            self.bottoms.extend(r[3::RUN])
            own = row.confidence
            self.confidences.extend(r[4::RUN] if own is None else (own if c != c else c for c in r[4::RUN]))
            self.first.extend([base + f for f in fs])
            self.x0s.extend(row.x0s)
            self.x1s.extend(row.x1s)
        at = start
        for raw in row.text.split("\t"):
            self.cell_starts.append(at)
            at += len(raw)
            self.cell_ends.append(at)
            at += 1
        self.cell_boxes.extend(row.boxes)

    def add_piece(
        self, start: int, end: int, page: int, top: float, bottom: float, x0s, x1s, confidence: float | None = None
    ) -> None:
        """Record one piece by hand (a reader of its own, a test): ``text[start:end]`` on one
        line of ``page`` between ``top`` and ``bottom``, ``x0s`` and ``x1s`` its characters'
        extents (one each, NaN for none), ``confidence`` the lowest of its characters'."""
        if len(x0s) != end - start or len(x1s) != end - start:
            raise ValueError("one x0 and one x1 a character")
        self._piece(start, end, (page, top, bottom), NAN if confidence is None else confidence, x0s, x1s)

    def _piece(self, start: int, end: int, band: array, conf: float, x0s: array, x1s: array) -> None:
        """One piece: ``text[start:end]`` on one line; ``band``: page, top and bottom."""
        if self.starts and start < self.ends[-1]:
            raise ValueError("pieces must be placed in document order")
        self.starts.append(start)
        self.ends.append(end)
        self.pages.append(int(band[0]))
        self.tops.append(band[1])
        self.bottoms.append(band[2])
        self.confidences.append(conf)
        self.first.append(len(self.x0s))
        self.x0s.extend(x0s)
        self.x1s.extend(x1s)

    def __len__(self) -> int:
        return len(self.starts)

    def _overlapping(self, start: int, end: int) -> range:
        first = max(0, bisect_right(self.starts, start) - 1)
        if first < len(self.ends) and self.ends[first] <= start:
            first += 1
        last = bisect_right(self.starts, end - 1) if end > start else first
        return range(first, max(first, last))

    def boxes(self, start: int, end: int) -> list[tuple[int, Box]]:
        """The boxes of ``text[start:end]``: one per visual line, in reading order (pieces on
        one line of one page merged), of the characters that are drawn."""
        out: list[tuple[int, Box]] = []
        for i in self._overlapping(start, end):
            s, f = self.starts[i], self.first[i]
            a, b = max(start, s) - s + f, min(end, self.ends[i]) - s + f
            x0s = [x for x in self.x0s[a:b] if not math.isnan(x)]
            x1s = [x for x in self.x1s[a:b] if not math.isnan(x)]
            if not x0s:
                continue
            box = (min(x0s), self.tops[i], max(x1s), self.bottoms[i])
            page = self.pages[i]
            if out and out[-1][0] == page and _same_line(out[-1][1], box):
                p = out[-1][1]
                box = (min(p[0], box[0]), min(p[1], box[1]), max(p[2], box[2]), max(p[3], box[3]))
                out[-1] = (page, box)
            else:
                out.append((page, box))
        return out

    def confidence(self, start: int, end: int) -> float | None:
        """The lowest confidence of the pieces ``text[start:end]`` overlaps (None: none known)."""
        return lowest(None if math.isnan(c) else c for c in (self.confidences[i] for i in self._overlapping(start, end)))

    def cell(self, start: int, end: int | None = None) -> tuple[int, Box] | None:
        """The page and box of the ruled cell whose text is ``text[start:end]`` (or holds it)."""
        end = start if end is None else end
        k = bisect_right(self.cell_starts, start) - 1
        while k >= 0 and self.cell_ends[k] >= start:
            page = self.cell_boxes[5 * k]
            if self.cell_starts[k] <= start and end <= self.cell_ends[k] and page == page:
                return int(page), tuple(self.cell_boxes[5 * k + 1 : 5 * k + 5])
            k -= 1
        return None


_CODES = {
    "starts": "q", "ends": "q", "pages": "i", "tops": "d", "bottoms": "d", "confidences": "d", "first": "q",
    "cell_starts": "q", "cell_ends": "q", "cell_boxes": "d",
}  # fmt: skip


def _same_line(a: Box, b: Box) -> bool:
    """Two boxes of one visual line: their bands overlap by half the lower one's height."""
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap > 0.5 * min(a[3] - a[1], b[3] - b[1])
