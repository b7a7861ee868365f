"""Scanned PDF pages read from their images: RapidOCR (ONNX Runtime, CPU) and ruling lines.

A scan has no text layer. Each page is rendered with PDFium (pypdfium2) and turned into what
``gouji.ingest.pdf`` reads from a text layer, in pdfplumber's terms, so that lines, ruled
tables, claims and checks downstream are unchanged:

* ``edges``: the ruling lines found on the bitmap (``ruling_lines``): dark runs at least
  ``MIN_RULE`` long along rows (horizontal) or columns (vertical) are kept by a morphological
  opening, the runs of one line (a rule is a few pixels thick) joined into one edge;
* ``chars``: RapidOCR's text boxes on the image with the rules whitened out, one character
  dict per recognised character with the box RapidOCR gives it and its ``confidence`` (0–1),
  so that a figure read with low confidence can be told apart downstream.

RapidOCR's detection, direction and recognition models ship inside the ``rapidocr-onnxruntime``
wheel (the ``ocr`` extra): nothing is downloaded at run time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from functools import cache

import numpy as np
import pypdfium2 as pdfium

from gouji.ingest import ruling
from gouji.records import dataclass

# page images are rendered at this resolution (dots per inch): at 150 a 7 pt table figure is
# 15 pixels tall, which the recognition model reads as well as at 200 (benchmarks/ocr.py)
DPI = 200
# a pixel darker than this (0 black … 255 white) is ink
INK = 160
# a run of ink at least this long (points) is a rule, not a stroke of a character: the longest
# strokes of 10.5 pt text are shorter than a character
MIN_RULE = 14.0
# the runs of one rule lie within this many points of each other across it; a band of ink
# thicker than ``MAX_RULE`` is a filled area (a seal, a shaded block), not a rule
RULE_GAP = 1.0
MAX_RULE = 3.0
# a recognised character's box is the text line's detected box, which RapidOCR draws this much
# taller than the glyphs (its unclip ratio)
BOX_TO_GLYPHS = 1.5
# detected line boxes within this share of the page's median height are of its body text size
SAME_SIZE = 0.25
# a cell with fewer dark pixels than this holds no text (specks of a scan)
MIN_INK = 12
# margins of white (shares of the ink's height) a cell's ink is recognised with
CELL_MARGINS = (0.2, 0.35, 0.6)


@dataclass
class OcrPage:
    """One page read from its image: ``chars`` and ``edges`` as pdfplumber's page has them."""

    page_number: int
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)

    def close(self) -> None:
        self.chars = []
        self.edges = []


class OcrDocument:
    """A scanned PDF: ``pages`` yields each page read from its image (``OcrPage``)."""

    def __init__(self, path: str, dpi: int = DPI):
        self.pdf = pdfium.PdfDocument(path)
        self.dpi = dpi

    def __enter__(self) -> OcrDocument:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.pdf.close()

    def __len__(self) -> int:
        return len(self.pdf)

    @property
    def pages(self) -> Iterator[OcrPage]:
        for i in range(len(self.pdf)):
            page = self.pdf[i]
            try:
                yield read_page(page, i + 1, self.dpi)
            finally:
                page.close()


def available() -> bool:
    """Whether the ``ocr`` extra is installed."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def engine():
    """The RapidOCR engine (its models load once per process)."""
    from rapidocr_onnxruntime import RapidOCR

    # every detected box is kept, however doubtful its reading: its confidence travels with it;
    # a page image up to 300 dpi is detected as rendered (RapidOCR shrinks one past 2,000 pixels)
    return RapidOCR(text_score=0.0, max_side_len=3600)


def read_page(page: pdfium.PdfPage, number: int, dpi: int = DPI) -> OcrPage:
    """A page's characters and ruling lines from its image rendered at ``dpi``."""
    scale = dpi / 72
    width, height = page.get_size()
    if page.get_rotation() in (90, 270):
        width, height = height, width  # the page as shown, as the image is rendered
    gray = page.render(scale=scale, grayscale=True).to_numpy()
    if gray.ndim == 3:
        gray = gray[:, :, 0]
    rules_h, rules_v = ruling_masks(gray < INK, scale)
    out = OcrPage(page_number=number, width=float(width), height=float(height))
    out.edges = edges_of(rules_h, "h", scale) + edges_of(rules_v, "v", scale)
    clean = gray.copy()
    clean[rules_h | rules_v] = 255  # rules touching text would be read as strokes
    out.chars = recognised_chars(clean, scale)
    out.chars += cells_read_alone(clean, out.chars, out.edges, scale)
    return out


def cells_read_alone(gray: np.ndarray, chars: list[dict], edges: list[dict], scale: float) -> list[dict]:
    """Characters of ruled cells that hold ink but no recognised character, each cell's ink
    recognised on its own.

    The detector misses a lone small glyph (a 序号 or 栏次 digit in a 7 pt table): recognition
    alone, on the cell's ink, reads it."""
    out: list[dict] = []
    centres = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in chars]
    for x0, top, x1, bottom in ruling.find(edges).cells:
        if any(x0 <= x < x1 and top <= y < bottom for x, y in centres):
            continue
        # inside the cell's rules, which may be a pixel or two off the edge found
        left, right = round(x0 * scale) + 3, round(x1 * scale) - 3
        upper, lower = round(top * scale) + 3, round(bottom * scale) - 3
        if right - left < 4 or lower - upper < 4:
            continue
        ink = gray[upper:lower, left:right] < INK
        if ink.sum() < MIN_INK:
            continue
        ys, xs = np.nonzero(ink)
        a, b, c, d = upper + ys.min(), upper + ys.max() + 1, left + xs.min(), left + xs.max() + 1
        # the reading of a lone glyph depends on the white around it: the surest of a few margins
        text, score = "", 0.0
        for margin in CELL_MARGINS:
            pad = max(2, round(margin * (b - a)))
            crop = gray[max(0, a - pad) : b + pad, max(0, c - pad) : d + pad]
            result, _ = engine()(np.repeat(crop[:, :, None], 3, axis=2), use_det=False, use_cls=False, use_rec=True)
            if result and result[0][0].strip() and float(result[0][1]) > score:
                text, score = result[0][0].strip(), float(result[0][1])
        if not text:
            continue
        box = [[c, a], [d, a], [d, b], [c, b]]
        size = (b - a) / scale
        line = [
            _char(ch, wbox[0][0] / scale, wbox[1][0] / scale, a / scale, b / scale, size, score)
            for wbox, ch, _ in _spread(box, text, score)
            if not ch.isspace()
        ]
        out.extend(line)
    return out


def _opened(ink: np.ndarray, k: int, axis: int) -> np.ndarray:
    """The ink belonging to runs at least ``k`` pixels long along ``axis`` (a morphological
    opening with a line of ``k`` pixels: erosion, then dilation, by running sums)."""
    a = ink if axis == 1 else ink.T
    n = a.shape[1]
    if n < k:
        return np.zeros_like(ink)
    c = np.zeros((a.shape[0], n + 1), dtype=np.int32)
    np.cumsum(a, axis=1, out=c[:, 1:])
    full = (c[:, k:] - c[:, :-k]) == k  # a run of k starts here
    starts = np.zeros((a.shape[0], n + 1), dtype=np.int32)
    starts[:, : n - k + 1] = full
    s = np.cumsum(starts, axis=1)
    covered = (s[:, :n] - np.concatenate([np.zeros((a.shape[0], k), np.int32), s[:, : n - k]], axis=1)) > 0
    return covered if axis == 1 else covered.T


def ruling_masks(ink: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """The pixels of horizontal and of vertical rules."""
    k = max(3, round(MIN_RULE * scale))
    return _opened(ink, k, 1), _opened(ink, k, 0)


def edges_of(mask: np.ndarray, orientation: str, scale: float) -> list[dict]:
    """The rules of one direction as pdfplumber's edge dicts (points from the top left).

    Each pixel row (column, for vertical rules) gives runs; runs on neighbouring rows that
    overlap along the rule are one rule, placed at their middle."""
    a = mask if orientation == "h" else mask.T
    padded = np.zeros((a.shape[0], a.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = a
    d = np.diff(padded, axis=1)
    ys, xs = np.nonzero(d == 1)
    _, xe = np.nonzero(d == -1)
    runs = sorted(zip(ys.tolist(), xs.tolist(), xe.tolist(), strict=True))
    gap = max(1, round(RULE_GAP * scale))
    groups: list[list[int]] = []  # [first row, last row, x0, x1]
    open_groups: list[list[int]] = []
    for y, x0, x1 in runs:
        open_groups = [g for g in open_groups if g[1] >= y - gap]
        for g in open_groups:
            if x0 < g[3] and x1 > g[2]:
                g[1], g[2], g[3] = y, min(g[2], x0), max(g[3], x1)
                break
        else:
            g = [y, y, x0, x1]
            groups.append(g)
            open_groups.append(g)
    out: list[dict] = []
    for y0, y1, x0, x1 in groups:
        if (y1 - y0 + 1) / scale > MAX_RULE:
            continue
        at = (y0 + y1 + 1) / 2 / scale
        lo, hi = x0 / scale, x1 / scale
        if orientation == "h":
            out.append(_edge(lo, hi, at, at, "h"))
        else:
            out.append(_edge(at, at, lo, hi, "v"))
    return out


def _box(x0: float, x1: float, top: float, bottom: float) -> dict:
    """pdfplumber's geometry keys of an object on a page of one height (``doctop`` is ``top``)."""
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0, "height": bottom - top}


def _edge(x0: float, x1: float, top: float, bottom: float, orientation: str) -> dict:
    return {"object_type": "line", **_box(x0, x1, top, bottom), "orientation": orientation}


def recognised_chars(gray: np.ndarray, scale: float) -> list[dict]:
    """Every character RapidOCR recognises on the image, as pdfplumber's char dicts with a
    ``confidence``; a line's characters share its top and bottom."""
    rgb = np.repeat(gray[:, :, None], 3, axis=2)
    # no direction classifier: it turns some upright lines of a page over, and they are then
    # recognised as nothing
    result, _ = engine()(rgb, return_word_box=True, use_cls=False)
    result = result or []
    heights = [max(p[1] for p in item[0]) - min(p[1] for p in item[0]) for item in result]
    body = float(np.median(heights)) if heights else 0.0
    out: list[dict] = []
    for item, height in zip(result, heights, strict=True):
        box, text, score = item[0], item[1], float(item[2])
        words = item[3] if len(item) > 3 else None
        ys = [p[1] for p in box]
        # detected boxes of one font size differ by a few pixels with their characters: the
        # lines of the body text get one size, so that lines of a paragraph read as such
        if abs(height - body) <= SAME_SIZE * body:
            height = body
        mid, h = (min(ys) + max(ys)) / 2, height / BOX_TO_GLYPHS
        top, bottom = (mid - h / 2) / scale, (mid + h / 2) / scale
        size = bottom - top
        if words and len(item) > 5 and len(item[4]) == len(item[5]) == len(item[3]):
            pieces = [(w, ch, float(conf)) for w, ch, conf in zip(item[3], item[4], item[5], strict=True)]
        else:
            pieces = _spread(box, text, score)
        line: list[dict] = []
        for wbox, ch, conf in pieces:
            if not ch or ch.isspace():
                continue
            xs = [p[0] for p in wbox]
            for k, one in enumerate(ch):  # a box of several characters: spread evenly
                x0 = min(xs) + (max(xs) - min(xs)) * k / len(ch)
                x1 = min(xs) + (max(xs) - min(xs)) * (k + 1) / len(ch)
                line.append(_char(one, x0 / scale, x1 / scale, top, bottom, size, min(conf, score)))
        # one text box is one run of text: its characters touch, so that no gap between two
        # of them reads as a space or a cell border
        line.sort(key=lambda c: c["x0"])
        for a, b in zip(line, line[1:], strict=False):
            if b["x0"] > a["x1"]:
                a["x1"] = b["x0"]
                a["width"] = a["x1"] - a["x0"]
        out.extend(line)
    return out


def _spread(box: list, text: str, score: float) -> list[tuple[list, str, float]]:
    """Character boxes spread over a line box by width (a CJK character two digits wide)."""
    xs = [p[0] for p in box]
    weights = [1.0 if ord(ch) > 0x2000 else 0.5 for ch in text]
    total = sum(weights) or 1.0
    out, x = [], min(xs)
    for ch, w in zip(text, weights, strict=True):
        step = (max(xs) - min(xs)) * w / total
        out.append(([[x, 0], [x + step, 0]], ch, score))
        x += step
    return out


def _char(text: str, x0: float, x1: float, top: float, bottom: float, size: float, confidence: float) -> dict:
    return {"text": text, **_box(x0, x1, top, bottom), "size": size, "upright": True, "confidence": confidence}
