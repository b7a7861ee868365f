"""PDF pages read with PDFium (pypdfium2), shaped as pdfplumber's.

``gouji.ingest.pdf`` builds lines and ruled tables from a page's positioned characters and
ruling edges. pdfplumber (pdfminer.six) makes them by interpreting every content stream in
Python; PDFium does the parsing natively. This module asks PDFium for the same things and
gives them in pdfplumber's terms, so that ``_read_page`` and pdfplumber's ``TableFinder`` run
unchanged on them:

* characters from the text page: the glyph origin, the text and form matrix, the font size and
  the advance (PDFium's "loose" box), made into the box pdfminer gives a character (from the
  font's descent to one font size above it, the advance wide, through the character's matrix);
  PDFium's generated spaces and line breaks are left out.
* edges from the path objects (also inside form XObjects), their segments through the
  object's matrix, sorted into lines, rectangles and curves by pdfminer's rules
  (``PDFLayoutAnalyzer.paint_path``) and cut into edges by pdfplumber's (``line_to_edge``,
  ``rect_to_edges``, ``curve_to_edges``).

Coordinates are pdfplumber's: points from the top-left corner of the page as it is shown
(``/Rotate`` applied, the media box origin kept), ``top``/``bottom`` downwards.

Where PDFium's text page departs from pdfminer by design it is kept: a text object painted
twice over itself (fake bold) and a character overprinted within 7 % of the font size count
once, and text with a ``/ActualText`` is that text.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as c

# page object types and path segment types (fpdf_edit.h)
_TEXT, _PATH, _FORM = c.FPDF_PAGEOBJ_TEXT, c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_FORM
_LINETO, _BEZIERTO, _MOVETO = c.FPDF_SEGMENT_LINETO, c.FPDF_SEGMENT_BEZIERTO, c.FPDF_SEGMENT_MOVETO
_SUBPATH = re.compile(r"m[^m]+")
# what a character drawn by no font (PDFium gives the character code itself) looks like in pdfminer
_CONTROL = {0x2: "-"}  # a hyphen at a line end (PDFium marks it 0x2)

Matrix = tuple[float, float, float, float, float, float]


def _mult(m1: Matrix, m0: Matrix) -> Matrix:
    """``m1`` then ``m0`` (pdfminer's ``mult_matrix``)."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (
        a0 * a1 + c0 * b1,
        b0 * a1 + d0 * b1,
        a0 * c1 + c0 * d1,
        b0 * c1 + d0 * d1,
        a0 * e1 + c0 * f1 + e0,
        b0 * e1 + d0 * f1 + f0,
    )


class PdfiumDocument:
    """An open PDF: ``pages`` yields each page read into a ``PdfiumPage`` (one page open at a time)."""

    def __init__(self, path: str):
        self._pdf = pdfium.PdfDocument(path)
        self.raw = self._pdf.raw

    def __enter__(self) -> PdfiumDocument:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._pdf.close()

    def __len__(self) -> int:
        return c.FPDF_GetPageCount(self.raw)

    @property
    def pages(self) -> Iterator[PdfiumPage]:
        for i in range(len(self)):
            page = c.FPDF_LoadPage(self.raw, i)
            if not page:
                raise pdfium.PdfiumError(f"page {i + 1} cannot be loaded")
            try:
                yield PdfiumPage(page, i + 1)
            finally:
                c.FPDF_ClosePage(page)


class PdfiumPage:
    """One page's characters and ruling edges as pdfplumber's dicts (``chars``, ``edges``)."""

    def __init__(self, page, number: int):
        self.page_number = number
        self.rotation = (c.FPDFPage_GetRotation(page) * 90) % 360
        x0, y0, x1, y1 = _mediabox(page)
        # pdfplumber's page box (rotated, top-down) and pdfminer's page transform
        if self.rotation in (90, 270):
            box = (y0, x0, y1, x1)
        else:
            box = (x0, y0, x1, y1)
        self.height = box[3] - box[1]
        self.width = box[2] - box[0]
        self.bbox = (box[0], self.height - box[3], box[2], self.height - box[1])
        self.mediabox = self.bbox
        if self.rotation == 90:
            self._ctm: Matrix = (0, -1, 1, 0, -y0, x1)
        elif self.rotation == 180:
            self._ctm = (-1, 0, 0, -1, x1, y1)
        elif self.rotation == 270:
            self._ctm = (0, 1, -1, 0, y1, -x0)
        else:
            self._ctm = (1, 0, 0, 1, -x0, -y0)
        self.chars = self._read_chars(page)
        self.edges = self._read_edges(page)

    def close(self) -> None:
        self.chars = []
        self.edges = []

    def find_tables(self, table_settings: dict | None = None) -> list:
        from pdfplumber.table import TableFinder, TableSettings

        return TableFinder(self, TableSettings.resolve(table_settings)).tables

    # -- characters

    def _read_chars(self, page) -> list[dict]:
        text = c.FPDFText_LoadPage(page)
        if not text:
            return []
        try:
            return self._chars(text)
        finally:
            c.FPDFText_ClosePage(text)

    def _chars(self, text) -> list[dict]:
        n = c.FPDFText_CountChars(text)
        get_unicode, is_generated, get_object = c.FPDFText_GetUnicode, c.FPDFText_IsGenerated, c.FPDFText_GetTextObject
        get_origin, get_loose = c.FPDFText_GetCharOrigin, c.FPDFText_GetLooseCharBox
        ox, oy = ctypes.c_double(), ctypes.c_double()
        rect = c.FS_RECTF()
        box = ctypes.byref(rect)
        px, py = ctypes.byref(ox), ctypes.byref(oy)
        objects: dict[int, tuple] = {}  # text object -> matrix, font size, descent, horizontal scale
        ta, tb, tc, td, te, tf = self._ctm
        height, mb_x0, mb_top = self.height, self.mediabox[0], self.mediabox[1]
        out: list[dict] = []
        prev: tuple | None = None
        for i in range(n):
            u = get_unicode(text, i)
            if u in (0x20, 0x0D, 0x0A, 0) and is_generated(text, i):
                continue
            obj = get_object(text, i)
            if not obj:
                continue
            key = ctypes.cast(obj, ctypes.c_void_p).value or 0
            info = objects.get(key)
            if info is None:
                info = objects[key] = self._text_object(text, i, obj)
            (a, b, cc, d), size, descent = info
            get_origin(text, i, px, py)
            x, y = ox.value, oy.value
            get_loose(text, i, box)
            # the advance in text space: PDFium's loose box is the advance through the matrix's a
            if abs(a) > 1e-6:
                adv = (rect.right - rect.left) / a
            else:
                adv = _advance(obj, u, size)
            if u in _CONTROL:
                ch = _CONTROL[u]
            elif c.FPDFText_HasUnicodeMapError(text, i):
                ch = f"(cid:{u})"
            else:
                ch = chr(u) if u else ""
            if prev is not None and prev[0] == key and prev[1] == x and prev[2] == y and prev[3] == adv:
                out[-1]["text"] += ch  # one glyph, several characters (a ligature's pieces)
                continue
            prev = (key, x, y, adv)
            # the character's matrix in pdfminer's space: text and form matrix, at its origin, then the page's
            ma = a * ta + cc * tb
            mb = b * ta + d * tb
            mc = a * tc + cc * td
            md = b * tc + d * td
            me = x * ta + y * tc + te
            mf = x * tb + y * td + tf
            bottom_t = descent * size
            top_t = bottom_t + size
            xs = (me + mc * bottom_t, me + ma * adv + mc * bottom_t, me + ma * adv + mc * top_t, me + mc * top_t)
            ys = (mf + md * bottom_t, mf + mb * adv + md * bottom_t, mf + mb * adv + md * top_t, mf + md * top_t)
            x0, x1 = min(xs), max(xs)
            y0, y1 = min(ys), max(ys)
            top = height - y1 + mb_top
            out.append(
                {
                    "text": ch,
                    "x0": x0 + mb_x0,
                    "x1": x1 + mb_x0,
                    "top": top,
                    "bottom": height - y0 + mb_top,
                    "doctop": top,
                    "y0": y0,
                    "y1": y1,
                    "width": x1 - x0,
                    "height": y1 - y0,
                    "size": y1 - y0,
                    "upright": ma * md > 0 and mb * mc <= 0,
                    "matrix": (ma, mb, mc, md, me, mf),
                    "object_type": "char",
                    "page_number": self.page_number,
                }
            )
        return out

    @staticmethod
    def _text_object(text, i: int, obj) -> tuple:
        m = c.FS_MATRIX()
        c.FPDFText_GetMatrix(text, i, m)
        size = c.FPDFText_GetFontSize(text, i)
        font = c.FPDFTextObj_GetFont(obj)
        d = ctypes.c_float(0.0)
        if not (font and c.FPDFFont_GetDescent(font, 1000.0, d)):
            d.value = 0.0
        descent = -abs(d.value) / 1000.0  # pdfminer: a descent is below the baseline
        return (m.a, m.b, m.c, m.d), size, descent

    # -- edges

    def _read_edges(self, page) -> list[dict]:
        lines: list[dict] = []
        rects: list[dict] = []
        curves: list[dict] = []
        self._walk(page, c.FPDFPage_CountObjects(page), c.FPDFPage_GetObject, self._ctm, lines, rects, curves)
        edges = [_line_to_edge(o) for o in lines]
        for r in rects:
            edges.extend(_rect_to_edges(r))
        for o in curves:
            edges.extend(_curve_to_edges(o))
        return edges

    def _walk(self, holder, count: int, get, parent: Matrix, lines: list, rects: list, curves: list) -> None:
        m = c.FS_MATRIX()
        for k in range(count):
            obj = get(holder, k)
            kind = c.FPDFPageObj_GetType(obj)
            if kind == _PATH:
                c.FPDFPageObj_GetMatrix(obj, m)
                self._path(obj, _mult((m.a, m.b, m.c, m.d, m.e, m.f), parent), lines, rects, curves)
            elif kind == _FORM:
                c.FPDFPageObj_GetMatrix(obj, m)
                inner = _mult((m.a, m.b, m.c, m.d, m.e, m.f), parent)
                self._walk(obj, c.FPDFFormObj_CountObjects(obj), c.FPDFFormObj_GetObject, inner, lines, rects, curves)

    def _path(self, obj, m: Matrix, lines: list, rects: list, curves: list) -> None:
        """A path object as pdfminer paints it: each subpath a line, a rectangle or a curve."""
        n = c.FPDFPath_CountSegments(obj)
        if n <= 1:
            return
        fx, fy = ctypes.c_float(), ctypes.c_float()
        px, py = ctypes.byref(fx), ctypes.byref(fy)
        a, b, cc, d, e, f = m
        ops: list[str] = []
        pts: list[tuple[float, float]] = []
        bezier = 0
        for k in range(n):
            seg = c.FPDFPath_GetPathSegment(obj, k)
            kind = c.FPDFPathSegment_GetType(seg)
            if kind == _BEZIERTO:
                bezier += 1
                if bezier % 3:
                    continue  # the control points: pdfminer keeps a curve's end points
            else:
                bezier = 0
            c.FPDFPathSegment_GetPoint(seg, px, py)
            x, y = fx.value, fy.value
            ops.append("m" if kind == _MOVETO else "l" if kind == _LINETO else "c")
            pts.append((a * x + cc * y + e, b * x + d * y + f))
            if c.FPDFPathSegment_GetClose(seg):
                ops.append("h")
                pts.append((0.0, 0.0))  # the subpath's start, filled in below
        shape = "".join(ops)
        for sub in _SUBPATH.finditer(shape):
            self._subpath(shape[sub.start() : sub.end()], pts[sub.start() : sub.end()], lines, rects, curves)

    def _subpath(self, shape: str, pts: list[tuple[float, float]], lines: list, rects: list, curves: list) -> None:
        pts = [pts[0] if op == "h" else p for op, p in zip(shape, pts, strict=True)]
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts.pop()
        if shape in ("mlh", "ml"):
            lines.append(self._obj("line", pts[:2]))
        elif shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
            if pts[0] == pts[4] and square:
                rects.append(self._obj("rect", [pts[0], pts[2]]))
            else:
                curves.append(self._curve(pts))
        else:
            curves.append(self._curve(pts))

    def _obj(self, kind: str, pts: list[tuple[float, float]]) -> dict:
        """A line or rectangle with pdfplumber's coordinates (pdfminer's bounding box, top-down)."""
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        top = self.height - y1 + self.mediabox[1]
        mb_x0 = self.mediabox[0]
        return {
            "object_type": kind,
            "x0": x0 + mb_x0,
            "x1": x1 + mb_x0,
            "y0": y0,
            "y1": y1,
            "top": top,
            "bottom": self.height - y0 + self.mediabox[1],
            "doctop": top,
            "width": x1 - x0,
            "height": y1 - y0,
        }

    def _curve(self, pts: list[tuple[float, float]]) -> dict:
        o = self._obj("curve", pts)
        mb_x0, mb_top = self.mediabox[0], self.mediabox[1]
        o["pts"] = [(mb_x0 + x, mb_top + self.height - y) for x, y in pts]
        return o


def _mediabox(page) -> tuple[float, float, float, float]:
    """The page's media box, normalised (an inherited one through PDFium's page box)."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not c.FPDFPage_GetMediaBox(page, left, bottom, right, top):
        r = c.FS_RECTF()
        if c.FPDF_GetPageBoundingBox(page, r):
            left.value, bottom.value, right.value, top.value = r.left, r.bottom, r.right, r.top
        else:
            left.value, bottom.value, right.value, top.value = 0.0, 0.0, 612.0, 792.0
    x0, x1 = sorted((left.value, right.value))
    y0, y1 = sorted((bottom.value, top.value))
    return x0, y0, x1, y1


def _advance(obj, u: int, size: float) -> float:
    """A character's advance when its matrix has no horizontal part (rotated a quarter turn)."""
    font = c.FPDFTextObj_GetFont(obj)
    w = ctypes.c_float(0.0)
    if font and u and c.FPDFFont_GetGlyphWidth(font, u, size, w) and math.isfinite(w.value):
        return w.value
    return size


# pdfplumber's edges of lines, rectangles and curves (pdfplumber.utils.geometry)


def _line_to_edge(line: dict) -> dict:
    edge = dict(line)
    edge["orientation"] = "h" if line["top"] == line["bottom"] else "v"
    return edge


def _rect_to_edges(rect: dict) -> list[dict]:
    top, bottom, left, right = (dict(rect) for _ in range(4))
    top.update({"object_type": "rect_edge", "height": 0, "y0": rect["y1"], "bottom": rect["top"], "orientation": "h"})
    bottom.update(
        {
            "object_type": "rect_edge",
            "height": 0,
            "y1": rect["y0"],
            "top": rect["top"] + rect["height"],
            "doctop": rect["doctop"] + rect["height"],
            "orientation": "h",
        }
    )
    left.update({"object_type": "rect_edge", "width": 0, "x1": rect["x0"], "orientation": "v"})
    right.update({"object_type": "rect_edge", "width": 0, "x0": rect["x1"], "orientation": "v"})
    return [top, bottom, left, right]


def _curve_to_edges(curve: dict) -> list[dict]:
    pts = curve["pts"]
    return [
        {
            "object_type": "curve_edge",
            "x0": min(p0[0], p1[0]),
            "x1": max(p0[0], p1[0]),
            "top": min(p0[1], p1[1]),
            "doctop": min(p0[1], p1[1]),
            "bottom": max(p0[1], p1[1]),
            "width": abs(p0[0] - p1[0]),
            "height": abs(p0[1] - p1[1]),
            "orientation": "v" if p0[0] == p1[0] else ("h" if p0[1] == p1[1] else None),
        }
        for p0, p1 in zip(pts, pts[1:], strict=False)
    ]
