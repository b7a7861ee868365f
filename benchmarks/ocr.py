"""Scans read by OCR against the same pages' text layer: digit accuracy, findings, seconds per page.

Usage: python -m benchmarks.ocr [--dpi 150 200] [--only TEXT] [--cache DIR] [--json FILE]
       [--corpus-scans]

Each bundled example is written as a text-layer PDF (``tests/formats.py``: ruled tables, wrapped
prose, page numbers), every page is rasterised at each ``--dpi`` into an image-only PDF (a scan
with no text layer), and that scan is read as gouji reads any scan (``gouji.ingest.ocr``). Both
documents are compared:

* digits: per page, the text-layer document's text and the OCR one's are aligned character by
  character (``difflib``); a digit of the text layer counts as read when it is aligned with the
  same digit. Amounts (figures with a decimal point) count as read when the page's OCR text has
  them as many times;
* findings: check, severity and message of every finding, both ways;
* CPU seconds and wall seconds per page of the OCR read.

A scan is read as ``gouji check`` reads one: its pages rendered at ``ocr.DPI`` whatever the
resolution of their images.

``--cache DIR`` keeps each page's OCR result (characters and rules), so that a rerun after a
change downstream of recognition costs no recognition. ``--corpus-scans`` also reads the scanned
PDFs of ``../shared/corpus/pdf`` (no text layer: nothing to compare; tables, claims and findings
are listed for judging).
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import pickle
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
import regex  # noqa: E402
from tests.formats import write_pdf  # noqa: E402

from gouji.alignment.review import review_document  # noqa: E402
from gouji.ingest import ocr, read_document  # noqa: E402
from gouji.ingest import pdf as pdf_reader  # noqa: E402
from gouji.ingest.document import Document  # noqa: E402
from gouji.report.json_report import report_dict  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"
# the cache holds a page's result for this very reader: a change to it reads the pages again
_READER_SOURCE = Path(ocr.__file__).read_bytes()
AMOUNT = regex.compile(r"\d[\d,]*\.\d+")
OCR_NOTE = regex.compile(r"（读取存疑：[^）]*扫描页图像识别")


def rasterise(src: Path, dst: Path, dpi: int, pages: list[int] | None = None, quality: int = 90) -> None:
    """An image-only copy of ``src`` (its 1-based ``pages``, or all): each page rendered in grey
    at ``dpi`` and stored as a JPEG of ``quality``, as scanners write them."""
    pdf = pdfium.PdfDocument(str(src))
    numbers = pages or list(range(1, len(pdf) + 1))
    images = [pdf[n - 1].render(scale=dpi / 72, grayscale=True).to_pil() for n in numbers]
    pdf.close()
    images[0].save(dst, save_all=True, append_images=images[1:], resolution=dpi, quality=quality)


class _CachedScan:
    """``ocr.OcrDocument`` with each page's result kept in a cache folder."""

    def __init__(self, path: Path, dpi: int, cache: Path | None):
        self.doc = ocr.OcrDocument(str(path), dpi)
        self.dpi = dpi
        self.cache = cache
        self.cpu = self.wall = 0.0
        self.recognised = 0

    def __enter__(self) -> _CachedScan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.doc.close()

    @property
    def pages(self):
        pdf = self.doc.pdf
        for i in range(len(pdf)):
            page = pdf[i]
            stored = None
            if self.cache is not None:
                # keyed by the page's pixels: a file written again holds other bytes around them
                image = page.render(scale=self.dpi / 72, grayscale=True).to_numpy()
                key = hashlib.sha256(image.tobytes() + _READER_SOURCE).hexdigest()[:20]
                stored = self.cache / f"{key}-{self.dpi}-{i + 1}.pickle"
                if stored.exists():
                    page.close()
                    yield pickle.loads(stored.read_bytes())
                    continue
            c0, w0 = time.process_time(), time.perf_counter()
            read = ocr.read_page(page, i + 1, self.dpi)
            self.cpu += time.process_time() - c0
            self.wall += time.perf_counter() - w0
            self.recognised += 1
            page.close()
            if stored is not None:
                stored.parent.mkdir(parents=True, exist_ok=True)
                stored.write_bytes(pickle.dumps(read))
            yield read


def read_scan(path: Path, dpi: int, cache: Path | None) -> tuple[Document, _CachedScan]:
    """The scan read as ``gouji.ingest.pdf.read_pdf`` reads one, with the OCR's timings."""
    scan = _CachedScan(path, dpi, cache)
    pages = pdf_reader._read_all(scan, str(path))
    for pg in pages:
        pg.ocr = True
    doc = pdf_reader.pages_to_export(pages).to_document(str(path), "pdf_ocr", page_count=len(pages))
    return doc, scan


def page_texts(doc: Document) -> dict[int, str]:
    out: dict[int, list[str]] = {}
    for n, line in enumerate(doc.text.split("\n"), start=1):
        page = doc.page_of_line(n)
        if page is not None:
            out.setdefault(page, []).append(line)
    return {p: "\n".join(lines) for p, lines in out.items()}


@dataclass
class Digits:
    total: int = 0
    read: int = 0
    amounts: int = 0
    amounts_read: int = 0
    misread: list[str] = field(default_factory=list)

    def add(self, ref: str, got: str, page: int) -> None:
        sm = difflib.SequenceMatcher(None, ref, got, autojunk=False)
        matched = [False] * len(ref)
        for block in sm.get_matching_blocks():
            for k in range(block.size):
                matched[block.a + k] = True
        for i, ch in enumerate(ref):
            if ch.isdigit():
                self.total += 1
                self.read += matched[i]
        want, have = Counter(AMOUNT.findall(ref)), Counter(AMOUNT.findall(got))
        for amount, n in want.items():
            self.amounts += n
            self.amounts_read += min(n, have[amount])
            if have[amount] < n:
                self.misread.append(f"p{page} {amount}")

    @property
    def accuracy(self) -> float:
        return self.read / self.total if self.total else 1.0


def findings(doc: Document) -> list[tuple[str, str, str]]:
    report = report_dict(review_document(doc))
    return sorted((f["check"], f["severity"], f["message"]) for f in report["findings"])


# what a text layer and a page image may differ in without a different finding: the spaces a
# producer draws between a figure and a Han character, the width of a bracket
_SPACES = regex.compile(r"\s+")
_WIDTHS = str.maketrans("（）：；，", "():;,")


def _loose(f: tuple[str, str, str]) -> tuple[str, str, str]:
    check, severity, message = f
    return check, severity, _SPACES.sub("", message).translate(_WIDTHS)


def _held_back(f: tuple[str, str, str]) -> tuple[str, str, str] | None:
    """The error a warning was before the recognition confidence held it back (None: not one)."""
    check, severity, message = f
    note = OCR_NOTE.search(message)
    if severity != "warning" or note is None:
        return None
    return _loose((check, "error", message[: note.start()]))


def agreement(want: list[tuple[str, str, str]], have: list[tuple[str, str, str]]) -> dict[str, int]:
    """How the OCR findings ``have`` meet the text-layer ones ``want``: the same; the same but
    for spaces and bracket widths; the same error held back by a low recognition confidence;
    and the ones left over on each side."""
    same = sum((Counter(want) & Counter(have)).values())
    w, h = Counter(_loose(f) for f in want), Counter(_loose(f) for f in have)
    loose = sum((w & h).values())
    w, h = w - h, h - w
    held = Counter(x for f in have if (x := _held_back(f)) is not None)
    held_back = sum((w & held).values())
    return {"same": same, "same_but_spacing": loose - same, "held_back": held_back, "only_text": sum(w.values()) - held_back,
            "only_ocr": sum(h.values()) - held_back}


def compare(text_pdf: Path, scan: Path, dpi: int, cache: Path | None) -> dict:
    ref = read_document(text_pdf)
    doc, timing = read_scan(scan, ocr.DPI, cache)  # read as any scan is, whatever its resolution
    digits = Digits()
    got = page_texts(doc)
    for page, text in page_texts(ref).items():
        digits.add(text, got.get(page, ""), page)
    want, have = findings(ref), findings(doc)
    pages = doc.meta.pages or 0
    return {
        "dpi": dpi,
        "pages": pages,
        "digits": digits.total,
        "digits_read": digits.read,
        "digit_accuracy": round(digits.accuracy, 5),
        "amounts": digits.amounts,
        "amounts_read": digits.amounts_read,
        "amounts_misread": digits.misread,
        "findings_text": len(want),
        "findings_ocr": len(have),
        "agreement": agreement(want, have),
        "only_text": [list(f) for f in want if f not in have],
        "only_ocr": [list(f) for f in have if f not in want],
        "cpu_per_page": round(timing.cpu / timing.recognised, 2) if timing.recognised else None,
        "wall_per_page": round(timing.wall / timing.recognised, 2) if timing.recognised else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dpi", type=int, nargs="+", default=[150, 200])
    ap.add_argument("--only", help="examples whose name holds this text")
    ap.add_argument("--cache", type=Path, help="folder keeping each page's OCR result")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--corpus-scans", action="store_true", help="also read the corpus's scanned PDFs")
    args = ap.parse_args(argv)
    if not ocr.available():
        print("the ocr extra is not installed: pip install 'gouji[ocr]'", file=sys.stderr)
        return 2
    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for example in sorted((ROOT / "examples").glob("*.txt")):
            if args.only and args.only not in example.name:
                continue
            text_pdf = write_pdf(example.read_text(encoding="utf-8"), Path(tmp) / f"{example.stem}.pdf")
            for dpi in args.dpi:
                scan = Path(tmp) / f"{example.stem}-{dpi}.pdf"
                rasterise(text_pdf, scan, dpi)
                r = compare(text_pdf, scan, dpi, args.cache)
                results.setdefault(example.stem, []).append(r)
                print(
                    f"{example.stem} @{dpi} dpi: {r['pages']} pages, digits {r['digits_read']}/{r['digits']} "
                    f"({100 * r['digit_accuracy']:.2f} %), amounts {r['amounts_read']}/{r['amounts']}, "
                    f"findings {r['findings_ocr']} vs {r['findings_text']} ("
                    + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in r["agreement"].items())
                    + f"), {r['cpu_per_page']} s CPU / {r['wall_per_page']} s per page",
                    flush=True,
                )
                for f in r["only_text"]:
                    print(f"    - {f[1]} {f[0]} {f[2][:120]}")
                for f in r["only_ocr"]:
                    print(f"    + {f[1]} {f[0]} {f[2][:120]}")
                for a in r["amounts_misread"][:10]:
                    print(f"    misread {a}")
    for dpi in args.dpi:
        rows = [r for rs in results.values() for r in rs if r["dpi"] == dpi]
        if rows:
            d, t = sum(r["digits_read"] for r in rows), sum(r["digits"] for r in rows)
            same = sum(not r["only_ocr"] and not r["only_text"] for r in rows)
            agree = Counter()
            for r in rows:
                agree.update(r["agreement"])
            a, m = sum(r["amounts_read"] for r in rows), sum(r["amounts"] for r in rows)
            cpu = sum(r["cpu_per_page"] * r["pages"] for r in rows if r["cpu_per_page"]) / sum(r["pages"] for r in rows)
            print(
                f"@{dpi} dpi: digits {d}/{t} ({100 * d / t:.3f} %), amounts {a}/{m}, findings identical on {same}/{len(rows)} "
                f"examples; findings " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in agree.items()) + f"; {cpu:.2f} s CPU per page"
            )
    if args.corpus_scans and CORPUS.is_dir():
        for path in sorted(CORPUS.glob("*.pdf")):
            try:
                with pdfium.PdfDocument(str(path)) as probe:
                    has_text = any(probe[i].get_textpage().count_chars() > 20 for i in range(len(probe)))
            except pdfium.PdfiumError:
                continue
            if has_text:
                continue
            doc, timing = read_scan(path, ocr.DPI, args.cache)
            review = review_document(doc)
            report = report_dict(review)
            results.setdefault(path.stem, []).append(
                {"pages": doc.meta.pages, "tables": len(review.tables), "claims": len(review.claims.claims), "problems": report["problems"]}
            )
            print(f"{path.name}: {doc.meta.pages} pages, {len(review.tables)} tables, {len(review.claims.claims)} claims, {len(report['problems'])} findings")
            for p in report["problems"]:
                print(f"    {p['severity']} {p['check']} p{(p.get('location') or {}).get('page')} {p['message'][:120]}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
