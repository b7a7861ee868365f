"""PDF pages read with PDFium (pypdfium2), shaped as pdfplumber's (``--pdf-reader pdfium``).

``gouji.ingest.pdf`` builds lines and ruled tables from a page's positioned characters and
ruling edges. pdfplumber (pdfminer.six) makes them by interpreting every content stream in
Python; PDFium parses the page natively. This module asks PDFium for the same things and gives
them in pdfplumber's terms, so that ``_read_page`` and pdfplumber's table finder run unchanged
on them:

* characters from the text page, with the keys of pdfplumber's that gouji reads (``text``,
  ``x0``, ``x1``, ``top``, ``bottom``, ``size``, ``upright``, ``matrix``): each glyph's Unicode
  value, origin, text and form matrix, font size, its font's descent and the glyph's advance
  (the font's width, checked against PDFium's loose box), made into the box pdfminer gives a
  character: the advance wide, from the descent to one font size above it, through the
  character's matrix. PDFium's generated spaces and line breaks are left out; a glyph without
  Unicode reads ``(cid:N)`` as in pdfminer; an unembedded standard font has pdfminer's AFM
  descent.
* edges from the path objects (also inside form XObjects), their segments through the
  object's matrix, sorted into lines, rectangles and curves by pdfminer's rules
  (``PDFLayoutAnalyzer.paint_path``) and cut into edges by pdfplumber's (``line_to_edge``,
  ``rect_to_edges``, ``curve_to_edges``).

Asked one at a time through ctypes, PDFium's calls per character and per path segment cost
more in argument conversion than in PDFium; ``gouji.ingest._pdfium_calls`` (C, built at
install where there is a compiler, linking nothing: it is given the addresses of the functions
of the PDFium pypdfium2 loaded) makes them in a loop, one call per page, and gives back what the
loop here would collect. Without it the same calls go through ctypes, to the same results.

Coordinates are pdfplumber's: points from the top-left corner of the page as it is shown
(``/Rotate`` and the media box applied as pdfminer applies them), ``top``/``bottom`` downwards.

Where PDFium's text page departs from pdfminer by design it is kept: a text object of blank
glyphs only is skipped and a run of spaces counts once, a text object painted twice over itself
(fake bold) and a character overprinted within 7 % of the font size count once, and text with
an ``/ActualText`` is that text (docs/inputs.md, "PDF readers").
"""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Iterable, Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as c

try:  # PDFium's per-character and per-segment calls made in C (built at install, where a compiler is)
    from gouji.ingest import _pdfium_calls as _calls
except ImportError:
    _calls = None

# page object types and path segment types (fpdf_edit.h)
_PATH, _FORM = c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_FORM
_LINETO, _BEZIERTO, _MOVETO = c.FPDF_SEGMENT_LINETO, c.FPDF_SEGMENT_BEZIERTO, c.FPDF_SEGMENT_MOVETO
_SUBPATH = re.compile(r"m[^m]+")
_CONTROL = {0x2: "-"}  # a hyphen at a line end (PDFium marks it 0x2)
_MAYBE_GENERATED = frozenset((0x20, 0x0D, 0x0A, 0))  # PDFium's own spaces and line breaks are these

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
    """An open PDF: ``pages`` yields each page read into a ``PdfiumPage`` (one page open at a time).
    ``native``: make PDFium's per-character and per-segment calls in C where ``_pdfium_calls`` was
    built (False: through ctypes, the same results more slowly)."""

    def __init__(self, path: str, native: bool = True):
        self.native = native
        # PDFium itself, not pypdfium2's PdfDocument: that refuses a document without pages,
        # which is an EmptyInput and not an UnreadableInput
        self.raw = c.FPDF_LoadDocument((path + "\x00").encode("utf-8", errors="surrogateescape"), None)
        if not self.raw:
            error = c.FPDF_GetLastError()
            raise pdfium.PdfiumError(f"PDFium cannot load the document (error {error})", err_code=error)
        self._fonts: dict[int, float] = {}  # font -> descent
        self._glyphs: dict[tuple[int, int], tuple[str, float]] = {}  # (font, Unicode value) -> text, advance

    def __enter__(self) -> PdfiumDocument:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.raw:
            c.FPDF_CloseDocument(self.raw)
            self.raw = None

    def __len__(self) -> int:
        return c.FPDF_GetPageCount(self.raw)

    @property
    def pages(self) -> Iterator[PdfiumPage]:
        """Each page, read whole and closed in PDFium before it is given (none stays open)."""
        for i in range(len(self)):
            page = c.FPDF_LoadPage(self.raw, i)
            if not page:
                raise pdfium.PdfiumError(f"page {i + 1} cannot be loaded")
            try:
                read = PdfiumPage(page, i + 1, self._fonts, self._glyphs, native=self.native)
            finally:
                c.FPDF_ClosePage(page)
            yield read


class PdfiumPage:
    """One page's characters and ruling edges as pdfplumber's dicts (``chars``, ``edges``)."""

    def __init__(self, page, number: int, fonts: dict | None = None, glyphs: dict | None = None, native: bool = True):
        self.page_number = number
        self._calls = _calls if native else None
        self._fonts = {} if fonts is None else fonts
        self._glyphs = {} if glyphs is None else glyphs
        self.rotation = (c.FPDFPage_GetRotation(page) * 90) % 360
        x0, y0, x1, y1 = _mediabox(page)
        # pdfplumber's page box (rotated, top-down) and pdfminer's page transform
        box = (y0, x0, y1, x1) if self.rotation in (90, 270) else (x0, y0, x1, y1)
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
        f = _functions()
        tp = ctypes.cast(text, ctypes.c_void_p).value
        objects: dict[int, _TextObject] = {}  # text object -> what its characters share
        shared: dict[tuple, _TextObject] = {}
        m = c.FS_MATRIX()
        pm = ctypes.addressof(m)
        glyphs = self._glyphs
        ta, tb, tc, td, te, tf = self._ctm
        height, mb_x0, mb_top = self.height, self.mediabox[0], self.mediabox[1]
        out: list[dict] = []
        prev_obj, prev_x, prev_y = 0, 0.0, 0.0
        for i, u, obj, x, y in _placed_chars(f, tp, self._calls):
            o = objects.get(obj)
            if o is None:
                # many producers draw each character as its own text object: most share a matrix,
                # a size and a font, and what follows from them is made once per page
                f.matrix(tp, i, pm)
                key = (m.a, m.b, m.c, m.d, f.font_size(tp, i), f.font(obj) or 0)
                o = shared.get(key)
                if o is None:
                    o = shared[key] = _TextObject(key, f, self._fonts, self._ctm)
                objects[obj] = o
            glyph = glyphs.get((o.font, u))
            if glyph is None:
                glyph = glyphs[(o.font, u)] = _glyph(f, tp, i, o.font, u, o.a, o.size, x)
            ch, width = glyph
            if obj == prev_obj and x == prev_x and y == prev_y and out:
                out[-1]["text"] += ch  # one glyph, several characters (a ligature's pieces)
                continue
            prev_obj, prev_x, prev_y = obj, x, y
            # the origin in pdfminer's space (its e and f); pdfminer's box: the advance wide, from
            # the descent to one font size above it, through the character's matrix
            me = x * ta + y * tc + te
            mf = x * tb + y * td + tf
            adv = width * o.scale
            if o.aligned:
                x0, x1 = (me, me + o.ma * adv) if o.ma > 0 else (me + o.ma * adv, me)
                y0, y1 = mf + o.y_lo, mf + o.y_hi
            else:
                ax, ay = o.ma * adv, o.mb * adv
                x_lo, x_hi, y_lo, y_hi = me + o.x_lo, me + o.x_hi, mf + o.y_lo, mf + o.y_hi
                x0 = min(x_lo, x_lo + ax, x_hi + ax, x_hi)
                x1 = max(x_lo, x_lo + ax, x_hi + ax, x_hi)
                y0 = min(y_lo, y_lo + ay, y_hi + ay, y_hi)
                y1 = max(y_lo, y_lo + ay, y_hi + ay, y_hi)
            out.append(
                {
                    "text": ch,
                    "x0": x0 + mb_x0,
                    "x1": x1 + mb_x0,
                    "top": height - y1 + mb_top,
                    "bottom": height - y0 + mb_top,
                    "size": y1 - y0,
                    "upright": o.upright,
                    "matrix": (o.ma, o.mb, o.mc, o.md, me, mf),
                }
            )
        return out

    # -- edges

    def _read_edges(self, page) -> list[dict]:
        lines: list[dict] = []
        rects: list[dict] = []
        curves: list[dict] = []
        holder = ctypes.cast(page, ctypes.c_void_p).value
        for shape, pts in _page_paths(_functions(), holder, self._ctm, self._calls):
            # each subpath a line, a rectangle or a curve
            for sub in _SUBPATH.finditer(shape):
                self._subpath(shape[sub.start() : sub.end()], pts[sub.start() : sub.end()], lines, rects, curves)
        edges = [_line_to_edge(o) for o in lines]
        for r in rects:
            edges.extend(_rect_to_edges(r))
        for o in curves:
            edges.extend(_curve_to_edges(o))
        return edges

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


def _placed_chars(f: _Functions, tp: int, calls) -> Iterable[tuple[int, int, int, float, float]]:
    """The text page's characters that PDFium did not make up (its own spaces and line breaks)
    and that a text object draws: index, Unicode value, text object and origin of each
    (``calls``: ``_pdfium_calls``, or None to call through ctypes)."""
    if calls is not None:
        idx, uni, objs, xy = calls.text_chars(tp, *f.text_addresses)
        flat = memoryview(xy).cast("d").tolist()
        return zip(
            memoryview(idx).cast("i").tolist(),
            memoryview(uni).cast("I").tolist(),
            memoryview(objs).cast("Q").tolist(),
            flat[0::2],
            flat[1::2],
            strict=True,
        )
    return _placed_chars_ctypes(f, tp)


def _placed_chars_ctypes(f: _Functions, tp: int) -> Iterator[tuple[int, int, int, float, float]]:
    """``_placed_chars`` through ctypes, a call at a time."""
    get_unicode, is_generated, get_object, get_origin = f.unicode, f.generated, f.text_object, f.origin
    ox, oy = ctypes.c_double(), ctypes.c_double()
    px, py = ctypes.addressof(ox), ctypes.addressof(oy)
    for i in range(f.count_chars(tp)):
        u = get_unicode(tp, i)
        if u in _MAYBE_GENERATED and is_generated(tp, i):
            continue
        obj = get_object(tp, i)
        if not obj:
            continue
        get_origin(tp, i, px, py)
        yield i, u, obj, ox.value, oy.value


def _page_paths(f: _Functions, page: int, ctm: Matrix, calls) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """The path objects of a page and of the form XObjects on it, in drawing order, each as
    pdfminer paints it (``_path_points``) through its matrix, its forms' and ``ctm``; those that
    paint nothing left out (``calls``: ``_pdfium_calls``, or None to call through ctypes)."""
    if calls is not None:
        for shape, raw in calls.page_paths(page, *ctm, *f.walk_addresses):
            flat = memoryview(raw).cast("d").tolist()
            yield shape, list(zip(flat[0::2], flat[1::2], strict=True))
        return
    yield from _page_paths_ctypes(f, page, f.count_objects(page), f.page_object, ctm)


def _page_paths_ctypes(f: _Functions, holder: int, count: int, get, parent: Matrix) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """``_page_paths`` through ctypes, a call at a time (``holder``: a page or a form XObject)."""
    m = c.FS_MATRIX()
    pm = ctypes.addressof(m)
    for k in range(count):
        obj = get(holder, k)
        kind = f.object_type(obj)
        if kind == _PATH:
            f.object_matrix(obj, pm)
            shape, pts = _path_points(f, obj, _mult((m.a, m.b, m.c, m.d, m.e, m.f), parent))
            if shape:
                yield shape, pts
        elif kind == _FORM:
            f.object_matrix(obj, pm)
            inner = _mult((m.a, m.b, m.c, m.d, m.e, m.f), parent)
            yield from _page_paths_ctypes(f, obj, f.count_form_objects(obj), f.form_object, inner)


def _path_points(f: _Functions, obj: int, m: Matrix) -> tuple[str, list[tuple[float, float]]]:
    """A path's shape as pdfminer paints it, a letter per point kept ("m", "l", "c"; a curve keeps
    its end point, not its control points; "h" after a closing segment), and those points
    through ``m`` ("h" has (0, 0), the subpath's start filled in by ``_subpath``)."""
    n = f.count_segments(obj)
    if n <= 1:
        return "", []  # a lone point paints nothing
    fx, fy = ctypes.c_float(), ctypes.c_float()
    px, py = ctypes.addressof(fx), ctypes.addressof(fy)
    segment, segment_type, segment_point, segment_close = f.segment, f.segment_type, f.segment_point, f.segment_close
    a, b, cc, d, e, ff = m
    ops: list[str] = []
    pts: list[tuple[float, float]] = []
    bezier = 0
    for k in range(n):
        seg = segment(obj, k)
        kind = segment_type(seg)
        if kind == _BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue  # a control point: pdfminer keeps a curve's end points
        else:
            bezier = 0
        segment_point(seg, px, py)
        x, y = fx.value, fy.value
        ops.append("m" if kind == _MOVETO else "l" if kind == _LINETO else "c")
        pts.append((a * x + cc * y + e, b * x + d * y + ff))
        if segment_close(seg):
            ops.append("h")
            pts.append((0.0, 0.0))
    return "".join(ops), pts


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


def _glyph(f: _Functions, tp: int, i: int, font: int, u: int, a: float, size: float, x: float) -> tuple[str, float]:
    """The text pdfminer gives character ``i`` and its advance in thousandths of the font size.

    The advance is the font's width of the glyph (``FPDFFont_GetGlyphWidth``, found from the
    Unicode value). PDFium's loose box is at least as wide as the advance (it also covers the
    glyph's ink), so when the width found is wider than the box (the Unicode value led to another
    glyph) the box is taken instead."""
    if u in _CONTROL:
        text = _CONTROL[u]
    elif f.unicode_error(tp, i):
        text = f"(cid:{u})"  # no Unicode for the glyph: PDFium gives its code, pdfminer this
    else:
        text = chr(u) if 0 < u <= 0x10FFFF else "\ufffd" if u else ""
    w = ctypes.c_float(-1.0)
    found = font and u and f.glyph_width(font, u, 1000.0, ctypes.addressof(w)) and math.isfinite(w.value) and w.value > 0
    glyph = w.value if found else None
    loose = None
    if abs(a) > 1e-6 and size:
        rect = c.FS_RECTF()
        if f.loose_box(tp, i, ctypes.addressof(rect)):
            loose = ((rect.right - x) / a if a > 0 else (x - rect.left) / -a) * 1000.0 / size
    if glyph is not None and (loose is None or glyph <= loose + 0.5):
        return text, glyph
    if loose is not None:
        return text, max(loose, 0.0)
    return text, 1000.0


class _TextObject:
    """What the characters of one text object share, from the 2x2 of its text and form matrix,
    its font size and its font (``key``): the character matrix in pdfminer's space (``ma`` …
    ``md``: then the page's transform) and the offsets of pdfminer's box from the origin."""

    __slots__ = ("a", "aligned", "font", "ma", "mb", "mc", "md", "scale", "size", "upright", "x_hi", "x_lo", "y_hi", "y_lo")

    def __init__(self, key: tuple, f: _Functions, fonts: dict[int, float], ctm: Matrix):
        a, b, cc, d, size, font = key
        self.a, self.size, self.font = a, size, font
        self.scale = size / 1000.0  # advance in text space per thousandth of an em
        descent = _descent(f, font, fonts) if font else 0.0
        ta, tb, tc, td = ctm[:4]
        self.ma, self.mb = a * ta + cc * tb, b * ta + d * tb
        self.mc, self.md = a * tc + cc * td, b * tc + d * td
        lo = descent * size
        hi = lo + size
        self.x_lo, self.x_hi = self.mc * lo, self.mc * hi
        self.y_lo, self.y_hi = self.md * lo, self.md * hi
        if self.y_lo > self.y_hi:
            self.y_lo, self.y_hi = self.y_hi, self.y_lo
        self.upright = self.ma * self.md > 0 and self.mb * self.mc <= 0
        self.aligned = self.mb == 0 and self.mc == 0


# pdfminer takes a standard font's descent from its AFM metrics (pdfminer.fontmetrics) when the
# PDF does not embed the font; PDFium measures the glyph "g" of the font it substitutes
_STANDARD_DESCENTS = {"Courier": -194.0, "CourierNew": -194.0, "Helvetica": -207.0, "Arial": -207.0, "Times": -217.0, "TimesNewRoman": -217.0}


def _descent(f: _Functions, font: int, fonts: dict[int, float]) -> float:
    """A font's descent as pdfminer takes it: a share of the font size, below the baseline
    (``fonts``: those of the document already seen)."""
    d = fonts.get(font)
    if d is not None:
        return d
    value = ctypes.c_float(0.0)
    if not f.descent(font, 1000.0, ctypes.addressof(value)):
        value.value = 0.0
    d = -abs(value.value)
    if not f.embedded(font):
        buf = ctypes.create_string_buffer(128)
        n = f.base_font_name(font, buf, len(buf))
        name = buf.raw[: max(0, n - 1)].decode("latin-1") if 0 < n <= len(buf) else ""
        family = re.split(r"[-,]", name, maxsplit=1)[0]
        if name in ("Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic") or family in _STANDARD_DESCENTS:
            d = _STANDARD_DESCENTS["Times" if name.startswith("Times-") else family]
        elif name in ("Symbol", "ZapfDingbats"):
            d = 0.0
    fonts[font] = d = d / 1000.0
    return d


class _Functions:
    """PDFium's functions called per character and per path segment, declared with plain
    addresses (``c_void_p``): pypdfium2's typed handles cost a conversion on every call."""

    def __init__(self) -> None:
        V, N, U, D, F = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_double, ctypes.c_float

        addresses: dict[str, int] = {}

        def fn(name: str, restype, *argtypes):
            address = addresses[name] = ctypes.cast(getattr(c, name), ctypes.c_void_p).value
            return ctypes.CFUNCTYPE(restype, *argtypes)(address)

        self.count_chars = fn("FPDFText_CountChars", N, V)
        self.unicode = fn("FPDFText_GetUnicode", U, V, N)
        self.generated = fn("FPDFText_IsGenerated", N, V, N)
        self.unicode_error = fn("FPDFText_HasUnicodeMapError", N, V, N)
        self.text_object = fn("FPDFText_GetTextObject", V, V, N)
        self.origin = fn("FPDFText_GetCharOrigin", N, V, N, V, V)
        self.loose_box = fn("FPDFText_GetLooseCharBox", N, V, N, V)
        self.matrix = fn("FPDFText_GetMatrix", N, V, N, V)
        self.font_size = fn("FPDFText_GetFontSize", D, V, N)
        self.font = fn("FPDFTextObj_GetFont", V, V)
        self.descent = fn("FPDFFont_GetDescent", N, V, F, V)
        self.glyph_width = fn("FPDFFont_GetGlyphWidth", N, V, U, F, V)
        self.embedded = fn("FPDFFont_GetIsEmbedded", N, V)
        self.base_font_name = fn("FPDFFont_GetBaseFontName", ctypes.c_size_t, V, V, ctypes.c_size_t)
        self.count_objects = fn("FPDFPage_CountObjects", N, V)
        self.page_object = fn("FPDFPage_GetObject", V, V, N)
        self.count_form_objects = fn("FPDFFormObj_CountObjects", N, V)
        self.form_object = fn("FPDFFormObj_GetObject", V, V, ctypes.c_ulong)
        self.object_type = fn("FPDFPageObj_GetType", N, V)
        self.object_matrix = fn("FPDFPageObj_GetMatrix", N, V, V)
        self.count_segments = fn("FPDFPath_CountSegments", N, V)
        self.segment = fn("FPDFPath_GetPathSegment", V, V, N)
        self.segment_type = fn("FPDFPathSegment_GetType", N, V)
        self.segment_point = fn("FPDFPathSegment_GetPoint", N, V, V, V)
        self.segment_close = fn("FPDFPathSegment_GetClose", N, V)
        # what _pdfium_calls is given, in its order
        text = ("FPDFText_CountChars", "FPDFText_GetUnicode", "FPDFText_IsGenerated", "FPDFText_GetTextObject", "FPDFText_GetCharOrigin")
        paths = ("FPDFPath_CountSegments", "FPDFPath_GetPathSegment", "FPDFPathSegment_GetType", "FPDFPathSegment_GetPoint", "FPDFPathSegment_GetClose")
        self.text_addresses = tuple(addresses[k] for k in text)
        walk = ("FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFFormObj_CountObjects", "FPDFFormObj_GetObject", "FPDFPageObj_GetType", "FPDFPageObj_GetMatrix")
        self.walk_addresses = tuple(addresses[k] for k in (*walk, *paths))


_FUNCTIONS: list[_Functions] = []


def _functions() -> _Functions:
    if not _FUNCTIONS:
        _FUNCTIONS.append(_Functions())
    return _FUNCTIONS[0]


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
