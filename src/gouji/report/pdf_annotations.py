"""The annotated PDF: the source PDF back, with each problem highlighted where it is printed.

Every problem of the JSON report (``report.problems``) gets a ``/Highlight`` annotation over
the text its findings are about (the claim's words in the prose, or the table figure) and one
over each table cell its findings cite as evidence, coloured by the problem's severity, with
the message and its arithmetic as the annotation's note (``/Contents``). An outline lists the
problems by page. Positions come from the reader's character boxes (``Document.boxes``).

The source's bytes are kept: the annotations, their appearances and the outline are written
as an incremental update after them (pypdf), so every page's content is the published one.
A file pypdf cannot update so is rewritten whole, its page content streams copied unchanged.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import field
from pathlib import Path

from gouji.alignment.registry import check_name, severity_rank
from gouji.ingest.document import Document
from gouji.ingest.geometry import Box
from gouji.labels import severity_label
from gouji.records import dataclass

# highlight colours (RGB, 0–1) by severity
SEVERITY_COLOURS: dict[str, tuple[float, float, float]] = {
    "error": (1.0, 0.35, 0.35),
    "warning": (1.0, 0.72, 0.2),
    "info": (0.45, 0.7, 1.0),
}
AUTHOR = "gouji"
PAD = 0.6  # points around the characters' band: the highlight covers ascenders and descenders
TITLE_CHARS = 60  # an outline entry's title is cut to this many characters

# what a note says of an evidence cell's role (findings' evidence, alignment.evidence)
_ROLES = {"total": "合计", "part": "分项", "related": "相关"}


@dataclass
class Mark:
    """One highlight: a problem's span or cited cell on one page."""

    problem: str  # P1…
    severity: str
    kind: str  # "span" (the text a finding is about) or "cell" (a cited table cell)
    start: int
    end: int
    page: int  # 1-based
    boxes: list[Box]  # pdfplumber coordinates (x0, top, x1, bottom) on the page as shown
    note: str
    name: str = ""  # unique per document: gouji-P1-span-120-131-p3


@dataclass
class Plan:
    """What to put on the PDF: highlights and one outline entry per problem."""

    marks: list[Mark] = field(default_factory=list)
    # (problem id, severity, title, page, box of its first highlight or None)
    outline: list[tuple[str, str, str, int, Box | None]] = field(default_factory=list)
    unplaced: int = 0  # spans and cells with no box (text not drawn where the reader saw it)


def plan(data: dict, doc: Document, min_severity: str = "info") -> Plan:
    """The highlights and outline entries of the JSON report ``data`` of ``doc``: the problems
    at or above ``min_severity``, each with its findings' spans and their distinct cited cells."""
    by_id = {f["id"]: f for f in data["findings"]}
    out = Plan()
    limit = severity_rank(min_severity)
    for p in data.get("problems") or []:
        if severity_rank(p["severity"]) > limit:
            continue
        members = [by_id[i] for i in p["findings"] if i in by_id]
        targets: dict[tuple[int, int], tuple[str, list[dict], dict | None]] = {}
        for f in members:
            loc = f.get("location") or {}
            span = (loc.get("start", 0), loc.get("end", 0))
            if span[1] > span[0]:
                kind, found, _ = targets.setdefault(span, ("span", [], None))
                found.append(f)
        for f in members:
            for ev in f.get("evidence") or []:
                loc = ev.get("location") or {}
                span = (loc.get("start", 0), loc.get("end", 0))
                if span[1] > span[0] and span not in targets:
                    targets[span] = ("cell", [f], ev)
        first: tuple[int, Box] | None = None
        for (start, end), (kind, found, ev) in sorted(targets.items(), key=lambda t: (t[1][0] != "span", t[0])):
            boxes = doc.boxes(start, end)
            if not boxes:
                out.unplaced += 1
                continue
            note = _span_note(p, found) if kind == "span" else _cell_note(p, found[0], ev)
            for page in dict.fromkeys(pg for pg, _ in boxes):
                on_page = [b for pg, b in boxes if pg == page]
                name = f"{AUTHOR}-{p['id']}-{kind}-{start}-{end}-p{page}"
                out.marks.append(Mark(p["id"], p["severity"], kind, start, end, page, on_page, note, name))
            if first is None:  # spans come first: the outline opens on the claim
                first = boxes[0]
        loc = p.get("location") or {}
        page = first[0] if first else loc.get("page") or 1
        title = _clip(f"第{page}页 {p['id']}【{severity_label(p['severity'])}】{check_name(p['check'])}：{p['message']}")
        out.outline.append((p["id"], p["severity"], title, page, first[1] if first else None))
    out.outline.sort(key=lambda o: (o[3], o[4][1] if o[4] else 0.0))
    return out


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1] + "…"


def _head(p: dict) -> str:
    more = f"（含 {p['count']} 条发现：{' '.join(p['findings'])}）" if p.get("count", 1) > 1 else ""
    return f"{p['id']}【{severity_label(p['severity'])}】{check_name(p['check'])}{more}"


def _arithmetic(f: dict) -> list[str]:
    """The finding's computation in words: its formula, the difference and the tolerance."""
    a = f.get("arithmetic") or {}
    lines = []
    if a.get("formula"):
        line = f"算式：{a['formula']}"
        extra = []
        if a.get("difference") is not None:
            extra.append(f"差额 {a['difference']}")
        if a.get("tolerance") is not None:
            extra.append(f"允许误差 {a['tolerance']}")
        if a.get("within_rounding"):
            extra.append("在舍入误差之内")
        lines.append(line + (f"（{'，'.join(extra)}）" if extra else ""))
    if f.get("expected") or f.get("actual"):
        lines.append(f"应为：{f.get('expected') or '—'}；实为：{f.get('actual') or '—'}")
    return lines


def _cell_text(ev: dict) -> str:
    table = ev.get("table") or ""
    title = f"《{ev['table_title']}》" if ev.get("table_title") else ""
    where = " ".join(x for x in (ev.get("row") or "", ev.get("column") or "") if x)
    unit = ev.get("unit") or ""
    role = _ROLES.get(ev.get("role") or "", "")
    return f"{table}{title} {where} = {ev.get('value')}{unit}" + (f"（{role}）" if role else "")


def _span_note(p: dict, findings: list[dict]) -> str:
    lines = [_head(p)]
    for f in findings:
        lines.append(f"{f['id']} {f['message']}")
        lines += _arithmetic(f)
        cited = [ev for ev in f.get("evidence") or [] if ev.get("value") is not None]
        if cited:
            lines.append("依据：" + "；".join(_cell_text(ev) for ev in cited[:6]) + ("……" if len(cited) > 6 else ""))
    return "\n".join(lines)


def _cell_note(p: dict, f: dict, ev: dict) -> str:
    return "\n".join([_head(p), f"依据 {_cell_text(ev)}", f"{f['id']} {f['message']}", *_arithmetic(f)])


# -- PDF user space


def page_frame(page) -> Callable[[float, float], tuple[float, float]]:
    """The map from the readers' coordinates on ``page`` (a pypdf page), ``(x, top)`` on the
    page as it is shown, to PDF user space.

    The readers give pdfplumber's coordinates: pdfminer's page transform for ``/Rotate``
    from the media box, then ``top`` measured down from the media box's height and ``x``
    moved by the rotated box's left edge (``pdfplumber.page.Page.process_object``; the PDFium
    reader mirrors it). This is its inverse."""
    mb = [float(v) for v in page.mediabox]
    mx0, mx1 = sorted((mb[0], mb[2]))
    my0, my1 = sorted((mb[1], mb[3]))
    r = int(page.get("/Rotate", 0) or 0) % 360
    nx0, ny0, ny1 = (my0, mx0, mx1) if r in (90, 270) else (mx0, my0, my1)
    height = ny1 - ny0

    def to_user(x: float, top: float) -> tuple[float, float]:
        xm, ym = x - nx0, height - ny0 - top  # pdfminer's device coordinates
        if r == 90:
            return mx1 - ym, xm + my0
        if r == 180:
            return mx1 - xm, my1 - ym
        if r == 270:
            return ym + mx0, my1 - xm
        return xm + mx0, ym + my0

    return to_user


def quad_points(box: Box, to_user: Callable[[float, float], tuple[float, float]]) -> list[float]:
    """The quadrilateral of ``box`` in user space: upper-left, upper-right, lower-left,
    lower-right as the text reads (the order viewers expect)."""
    x0, top, x1, bottom = box
    top, bottom = top - PAD, bottom + PAD
    out: list[float] = []
    for x, y in ((x0, top), (x1, top), (x0, bottom), (x1, bottom)):
        out.extend(to_user(x, y))
    return out


# -- writing


def annotate(data: dict, doc: Document, source: str | Path, min_severity: str = "info") -> bytes:
    """The source PDF with the problems of ``data`` (the JSON report of ``doc``) highlighted,
    and an outline of them, as bytes."""
    marks = plan(data, doc, min_severity)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a producer's small faults are not ours to report
    for incremental in (True, False):
        try:
            writer = _writer(source, incremental)
            _write_marks(writer, marks)
            _write_outline(writer, marks)
            buf = io.BytesIO()
            writer.write(buf)
            return buf.getvalue()
        except Exception:  # noqa: PERF203  an xref pypdf cannot update, an encrypted file: rewrite it
            if not incremental:
                raise
    raise AssertionError("unreachable")


def _writer(source: str | Path, incremental: bool):
    """An incremental update of ``source``, or a whole copy of it (decrypted when it opens with
    no password), the pages' objects copied as they are."""
    from pypdf import PdfReader, PdfWriter

    if incremental:
        return PdfWriter(str(source), incremental=True)
    reader = PdfReader(str(source))
    if reader.is_encrypted:
        reader.decrypt("")
    return PdfWriter(clone_from=reader)


def write_annotated(data: dict, doc: Document, source: str | Path, out: str | Path, min_severity: str = "info") -> None:
    """``annotate`` into the file ``out``, atomically (a temporary file beside it renamed over it)."""
    import os
    import tempfile

    path = Path(out)
    data_bytes = annotate(data, doc, source, min_severity)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            mask = os.umask(0)
            os.umask(mask)
            os.fchmod(fh.fileno(), 0o666 & ~mask)  # mkstemp makes it private; an output is an ordinary file
            fh.write(data_bytes)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_marks(writer, marks: Plan) -> None:
    from pypdf.annotations import Highlight
    from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject, TextStringObject

    frames: dict[int, Callable] = {}
    for m in marks.marks:
        if not 0 < m.page <= len(writer.pages):
            continue
        page = writer.pages[m.page - 1]
        to_user = frames.get(m.page) or frames.setdefault(m.page, page_frame(page))
        quads = [quad_points(b, to_user) for b in m.boxes]
        xs = [q[k] for q in quads for k in range(0, 8, 2)]
        ys = [q[k] for q in quads for k in range(1, 8, 2)]
        rect = (min(xs), min(ys), max(xs), max(ys))
        colour = SEVERITY_COLOURS.get(m.severity, SEVERITY_COLOURS["info"])
        annot = Highlight(
            rect=rect,
            quad_points=ArrayObject([FloatObject(round(v, 3)) for q in quads for v in q]),
            highlight_color="".join(f"{round(c * 255):02x}" for c in colour),
            printing=True,
            title_bar=AUTHOR,
        )
        annot[NameObject("/Contents")] = TextStringObject(m.note)
        annot[NameObject("/Subj")] = TextStringObject(f"{m.problem} {severity_label(m.severity)}")
        annot[NameObject("/NM")] = TextStringObject(m.name)
        annot[NameObject("/CA")] = FloatObject(1)
        annot[NameObject("/F")] = NumberObject(4)  # print
        annot[NameObject("/AP")] = _appearance(writer, rect, quads, colour)
        writer.add_annotation(page_number=m.page - 1, annotation=annot)


def _appearance(writer, rect: tuple[float, float, float, float], quads: list[list[float]], colour: tuple[float, float, float]):
    """The highlight drawn: the quads filled in ``colour`` multiplied with the page (what
    viewers draw from ``/QuadPoints`` alone, made explicit for those that only draw ``/AP``)."""
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
    )

    ops = ["/GS0 gs", "{:.3f} {:.3f} {:.3f} rg".format(*colour)]
    for q in quads:
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = zip(q[0::2], q[1::2], strict=True)
        ops.append(f"{ax:.3f} {ay:.3f} m {bx:.3f} {by:.3f} l {dx:.3f} {dy:.3f} l {cx:.3f} {cy:.3f} l h f")
    stream = DecodedStreamObject()
    stream.set_data(("\n".join(ops) + "\n").encode("ascii"))
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(round(v, 3)) for v in rect]),
            NameObject("/Resources"): DictionaryObject(
                {
                    NameObject("/ExtGState"): DictionaryObject(
                        {NameObject("/GS0"): DictionaryObject({NameObject("/BM"): NameObject("/Multiply")})}
                    )
                }
            ),
        }
    )
    return DictionaryObject({NameObject("/N"): writer._add_object(stream)})


def _write_outline(writer, marks: Plan) -> None:
    """A top outline entry, "gouji：N 个问题", with one entry per problem by page, each opening its
    page at its first highlight."""
    from pypdf.generic import Fit

    if not marks.outline:
        return
    counts = {s: sum(1 for o in marks.outline if o[1] == s) for s in SEVERITY_COLOURS}
    summary = "，".join(f"{severity_label(s)} {n}" for s, n in counts.items() if n)
    root_title = f"{AUTHOR}：{len(marks.outline)} 个问题（{summary}）"
    n_pages = len(writer.pages)
    first_page = min(max(marks.outline[0][3], 1), n_pages) - 1
    root = writer.add_outline_item(title=root_title, page_number=first_page, fit=Fit.fit(), bold=True)
    frames: dict[int, Callable] = {}
    for _pid, severity, title, page, box in marks.outline:
        index = min(max(page, 1), n_pages) - 1
        fit = Fit.fit()
        pg = writer.pages[index]
        if box is not None and int(pg.get("/Rotate", 0) or 0) % 360 == 0:
            to_user = frames.get(index) or frames.setdefault(index, page_frame(pg))
            left, top = to_user(box[0], box[1] - 24)  # a little above the text: its line in view
            fit = Fit.xyz(left=max(0.0, left - 24), top=top, zoom=None)
        writer.add_outline_item(
            title=title, page_number=index, parent=root, fit=fit, color=SEVERITY_COLOURS.get(severity), bold=severity == "error"
        )
    writer.page_mode = "/UseOutlines"
