"""A figure recognised on a scanned page with low confidence is never confirmed evidence.

The document is an example read from its text; its geometry is given by hand as an OCR reader
would record it (one piece per visual line, with the lowest confidence of its characters), so
that only the confidence differs between the runs compared.
"""

from __future__ import annotations

from pathlib import Path

from gouji.alignment.evidence import words
from gouji.alignment.review import review_document
from gouji.ingest import read_document
from gouji.ingest.geometry import Geometry

EXAMPLE = Path(__file__).parent.parent / "examples" / "2022_榆林市横山区医疗保障局_部门预算.txt"


def _scanned(confidence_of_cell: float, cell: tuple[int, int] | None = None):
    """The example as if scanned: every line recognised at 0.99, ``cell`` at the given confidence."""
    doc = read_document(EXAMPLE)
    doc.meta.source_format = "pdf_ocr"
    g = Geometry()
    offset = 0
    pieces = []
    for line in doc.text.split("\n"):
        if cell is not None and offset <= cell[0] < offset + len(line):
            a, b = cell
            pieces += [(offset, a, 0.99), (a, b, confidence_of_cell), (b, offset + len(line), 0.99)]
        elif line:
            pieces.append((offset, offset + len(line), 0.99))
        offset += len(line) + 1
    for start, end, conf in pieces:
        if end > start:
            g.add_piece(start, end, 1, 0.0, 10.0, [0.0] * (end - start), [1.0] * (end - start), conf)
    doc.geometry = g.freeze()
    return doc


def _table_error():
    review = review_document(_scanned(0.99))
    errors = [f for f in review.findings if f.severity == "error" and any(ev.get("table") for ev in f.evidence)]
    assert errors, "the example has an error resting on a table figure"
    return review, errors[0]


def test_confident_recognition_leaves_the_errors_standing() -> None:
    text = review_document(read_document(EXAMPLE))
    scanned, _ = _table_error()
    assert [(f.check, f.severity, f.message) for f in scanned.findings] == [(f.check, f.severity, f.message) for f in text.findings]


def test_a_cited_figure_recognised_with_low_confidence_holds_the_error_back() -> None:
    _, error = _table_error()
    ev = next(ev for ev in error.evidence if ev.get("table") and ev.get("role") != "related")
    loc = ev["location"]
    review = review_document(_scanned(0.62, (loc["start"], loc["end"])))
    same = [f for f in review.findings if f.check == error.check and f.span == error.span]
    assert len(same) == 1
    f = same[0]
    assert f.severity == "warning" and f.held_back
    note = words()["ocr_unconfirmed"].format(confidence="0.62", minimum=words()["ocr_confident"])
    assert note in f.message
    assert any(not link.confirmed and link.note == note for link in f.chain)


def test_the_report_gives_each_cited_figure_its_confidence() -> None:
    from gouji.report.json_report import report_dict

    review, error = _table_error()
    report = report_dict(review)
    cited = [ev for f in report["findings"] for ev in f["evidence"]]
    printed = [ev for ev in cited if ev.get("table") and ev["location"]["end"] > ev["location"]["start"]]
    blank = [ev for ev in cited if ev.get("table") and ev["location"]["end"] == ev["location"]["start"]]
    assert printed and all(ev["ocr_confidence"] == 0.99 for ev in printed)
    assert all("ocr_confidence" not in ev for ev in blank)  # a blank cell has no recognised text
