"""The two PDF readers side by side: pdfplumber (the reference) and PDFium (``--pdf-reader pdfium``).

Usage: python benchmarks/pdf_readers.py [--corpus DIR] [--only TEXT] [--limit N] [--examples]
       [--json FILE] [--max-shown N]

For every distinct PDF of the shared corpus (``benchmarks/precision/corpus.py``; byte-identical
copies once) and, with ``--examples``, the bundled examples written as PDF (``tests/formats.py``),
both readers' documents are compared:

* blocks: headings, paragraphs and table rows, with their pages, in order;
* tables as ``gouji.tables`` builds them: kind, title, unit, columns and every cell;
* claims and findings as the JSON report has them (``report_dict``): claims by their fields,
  findings by fingerprint, with severity and message;
* a file one reader cannot read (a scan, a damaged file) must fail the same way with the other.

Every difference is listed (``--max-shown`` caps the lines printed per file and kind; the JSON
has them all). CPU time (``time.process_time``) of each reader's ``read_document`` is measured
in this one process, the readers taking turns going first; the review after it is timed too.
Exit status 1 when some file differs.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.precision.corpus import CORPUS, distinct_files  # noqa: E402
from gouji.alignment.review import Review, review_document  # noqa: E402
from gouji.errors import GoujiError  # noqa: E402
from gouji.ingest import read_document  # noqa: E402
from gouji.ingest.document import Heading, Paragraph, RawTable  # noqa: E402
from gouji.report.json_report import report_dict  # noqa: E402

READERS = ("plumber", "pdfium")


@dataclass
class Side:
    """One reader's result on one file."""

    read_cpu: float = 0.0
    review_cpu: float = 0.0
    pages: int = 0
    error: str | None = None
    review: Review | None = None
    report: dict | None = None


@dataclass
class Comparison:
    name: str
    pages: int = 0
    sides: dict[str, Side] = field(default_factory=dict)
    differences: dict[str, list[str]] = field(default_factory=dict)

    @property
    def identical(self) -> bool:
        return not any(self.differences.values())

    def add(self, kind: str, text: str) -> None:
        self.differences.setdefault(kind, []).append(text)


def run_reader(path: Path, reader: str) -> Side:
    side = Side()
    t0 = time.process_time()
    try:
        doc = read_document(path, reader)
    except GoujiError as e:
        side.read_cpu = time.process_time() - t0
        side.error = f"{type(e).__name__}: {e.message}"
        return side
    side.read_cpu = time.process_time() - t0
    side.pages = doc.meta.pages or 0
    t1 = time.process_time()
    side.review = review_document(doc)
    side.report = report_dict(side.review)
    side.review_cpu = time.process_time() - t1
    return side


def compare_file(path: Path, name: str, turn: int) -> Comparison:
    cmp = Comparison(name)
    order = READERS if turn % 2 == 0 else READERS[::-1]
    for reader in order:
        cmp.sides[reader] = run_reader(path, reader)
    a, b = cmp.sides["plumber"], cmp.sides["pdfium"]
    cmp.pages = a.pages or b.pages
    if a.error or b.error:
        if a.error != b.error:
            cmp.add("read", f"plumber: {a.error or 'read'} | pdfium: {b.error or 'read'}")
        return cmp
    assert a.review is not None and b.review is not None and a.report is not None and b.report is not None
    if (a.review.document.meta.pages, a.review.document.meta.year, a.review.document.meta.unit_name, a.review.document.meta.doc_kind) != (
        b.review.document.meta.pages, b.review.document.meta.year, b.review.document.meta.unit_name, b.review.document.meta.doc_kind,
    ):  # fmt: skip
        cmp.add("meta", f"plumber {a.review.document.meta} | pdfium {b.review.document.meta}")
    compare_blocks(cmp, a.review, b.review)
    compare_tables(cmp, a.review, b.review)
    compare_claims(cmp, a.report, b.report)
    compare_findings(cmp, a.report, b.report)
    return cmp


def _block_lines(review: Review) -> list[str]:
    """Each heading, paragraph and table row of the document as one line with its page."""
    out: list[str] = []
    for blk in review.document.blocks:
        page = blk.location.page
        if isinstance(blk, RawTable):
            out.extend(f"p{r.location.page} row  {' | '.join(r.cells)}" for r in blk.rows)
        elif isinstance(blk, Heading):
            out.append(f"p{page} h{blk.level}   {blk.text}")
        elif isinstance(blk, Paragraph):
            out.append(f"p{page} para {blk.text}")
        else:
            out.append(f"p{page} {blk.kind} {getattr(blk, 'text', '')}")
    return out


def _opcodes(a: list, b: list):
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def compare_blocks(cmp: Comparison, ra: Review, rb: Review) -> None:
    a, b = _block_lines(ra), _block_lines(rb)
    if a == b:
        return
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        if tag == "equal":
            continue
        for line in a[i1:i2]:
            cmp.add("blocks", f"- plumber {line}")
        for line in b[j1:j2]:
            cmp.add("blocks", f"+ pdfium  {line}")


def _table_key(t) -> tuple:
    return (t.kind, t.title, t.location.page)


def _table_name(t) -> str:
    return f"{t.id} {t.kind or '-'} {t.title or ''} p{t.location.page} ({len(t.rows)} rows)"


def compare_tables(cmp: Comparison, ra: Review, rb: Review) -> None:
    ta, tb = ra.tables, rb.tables
    for tag, i1, i2, j1, j2 in _opcodes([_table_key(t) for t in ta], [_table_key(t) for t in tb]):
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for x, y in zip(ta[i1:i2], tb[j1:j2], strict=True):
                compare_table(cmp, x, y)
            continue
        for t in ta[i1:i2]:
            cmp.add("tables", f"only plumber: {_table_name(t)}")
        for t in tb[j1:j2]:
            cmp.add("tables", f"only pdfium:  {_table_name(t)}")


def compare_table(cmp: Comparison, x, y) -> None:
    name = _table_name(x)
    for attr in ("id", "kind", "title", "unit", "segments"):
        if getattr(x, attr) != getattr(y, attr):
            cmp.add("tables", f"{name}: {attr} {getattr(x, attr)!r} | {getattr(y, attr)!r}")
    if x.captions != y.captions:
        cmp.add("tables", f"{name}: captions {x.captions} | {y.captions}")
    if x.header_rows != y.header_rows:
        cmp.add("tables", f"{name}: header {x.header_rows} | {y.header_rows}")
    la, lb = [c.label for c in x.columns], [c.label for c in y.columns]
    if la != lb:
        cmp.add("tables", f"{name}: columns {la} | {lb}")
    ra = [[c.text for c in r.cells] for r in x.rows]
    rb = [[c.text for c in r.cells] for r in y.rows]
    if ra == rb:
        pa = [r.location.page for r in x.rows]
        pb = [r.location.page for r in y.rows]
        if pa != pb:
            cmp.add("tables", f"{name}: row pages {pa} | {pb}")
        return
    for tag, i1, i2, j1, j2 in _opcodes(["\t".join(r) for r in ra], ["\t".join(r) for r in rb]):
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                for col in range(max(len(ra[i]), len(rb[j]))):
                    u = ra[i][col] if col < len(ra[i]) else None
                    v = rb[j][col] if col < len(rb[j]) else None
                    if u != v:
                        cmp.add("tables", f"{name}: row {i + 1} col {col + 1}: {u!r} | {v!r}")
            continue
        for i in range(i1, i2):
            cmp.add("tables", f"{name}: only plumber row {i + 1}: {' | '.join(ra[i])}")
        for j in range(j1, j2):
            cmp.add("tables", f"{name}: only pdfium row {j + 1}: {' | '.join(rb[j])}")


def _claim_line(c: dict) -> str:
    keep = {k: v for k, v in c.items() if k not in ("id", "location", "checked_against")}
    keep["page"] = (c.get("location") or {}).get("page")
    if keep.get("reason"):
        keep["reason"] = {k: v for k, v in keep["reason"].items() if k != "location"}
    return json.dumps(keep, ensure_ascii=False, sort_keys=True)


def compare_claims(cmp: Comparison, a: dict, b: dict) -> None:
    la, lb = [_claim_line(c) for c in a["claims"]], [_claim_line(c) for c in b["claims"]]
    if la == lb:
        return
    for tag, i1, i2, j1, j2 in _opcodes(la, lb):
        if tag == "equal":
            continue
        for c in a["claims"][i1:i2]:
            cmp.add("claims", f"- plumber p{c['location'].get('page')} {c['span']!r} ({c['status']}) in {c['text'][:60]!r}")
        for c in b["claims"][j1:j2]:
            cmp.add("claims", f"+ pdfium  p{c['location'].get('page')} {c['span']!r} ({c['status']}) in {c['text'][:60]!r}")


def compare_findings(cmp: Comparison, a: dict, b: dict) -> None:
    fa = {f["fingerprint"]: f for f in a["findings"]}
    fb = {f["fingerprint"]: f for f in b["findings"]}

    def show(f: dict) -> str:
        return f"{f['severity']} {f['check']} p{f['location'].get('page')}: {f['message']}"

    for fp, f in fa.items():
        g = fb.get(fp)
        if g is None:
            cmp.add("findings", f"only plumber: {show(f)}")
        elif (f["severity"], f["message"], f["location"].get("page")) != (g["severity"], g["message"], g["location"].get("page")):
            cmp.add("findings", f"changed: {show(f)} | {show(g)}")
    for fp, g in fb.items():
        if fp not in fa:
            cmp.add("findings", f"only pdfium:  {show(g)}")


def example_pdfs(folder: Path) -> list[tuple[Path, str]]:
    from tests.formats import write_pdf

    out = []
    for f in sorted((ROOT / "examples").glob("*.txt")):
        pdf = write_pdf(f.read_text(encoding="utf-8"), folder / (f.stem + ".pdf"))
        out.append((pdf, f"examples/{f.stem}.pdf"))
    return out


def warm_up(folder: Path) -> None:
    """Import both readers and read one small PDF with each, so that no file pays for the imports."""
    from tests.formats import write_pdf

    pdf = write_pdf("一、说明\n\n本部门2024年收入合计100万元。\n\n项目\t金额\n合计\t100\n", folder / "warm.pdf")
    for reader in READERS:
        read_document(pdf, reader)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--only", action="append", default=[], help="only files whose name holds this (repeatable)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N distinct files")
    ap.add_argument("--examples", action="store_true", help="also the bundled examples written as PDF")
    ap.add_argument("--json", type=Path, default=None, help="write every comparison here")
    ap.add_argument("--max-shown", type=int, default=0, help="differences printed per file and kind (0: all)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        warm_up(folder)
        files: list[tuple[Path, str]] = []
        if args.corpus.is_dir():
            files = [(d.path, d.path.name) for d in distinct_files(args.corpus)]
        else:
            print(f"no corpus at {args.corpus}")
        if args.only:
            files = [(p, n) for p, n in files if any(s in n for s in args.only)]
        files = files[: args.limit or None]
        if args.examples:
            files += example_pdfs(folder)
        results = []
        for turn, (path, name) in enumerate(files):
            cmp = compare_file(path, name, turn)
            results.append(cmp)
            report_file(cmp, args.max_shown)
    return summary(results, args.json)


def report_file(cmp: Comparison, max_shown: int) -> None:
    a, b = cmp.sides["plumber"], cmp.sides["pdfium"]
    pages = max(cmp.pages, 1)
    if a.error and a.error == b.error:
        state = f"both unreadable ({a.error.split(':')[0]})"
    elif cmp.identical:
        state = "identical"
    else:
        state = "DIFFERENT " + ", ".join(f"{k} {len(v)}" for k, v in cmp.differences.items() if v)
    nf = len(a.report["findings"]) if a.report else 0
    print(
        f"{cmp.name}: {cmp.pages} pages, read CPU {1000 * a.read_cpu / pages:.1f} | {1000 * b.read_cpu / pages:.1f} ms/page"
        f" (x{a.read_cpu / max(b.read_cpu, 1e-9):.1f}), {nf} findings: {state}"
    )
    for kind, lines in cmp.differences.items():
        shown = lines if not max_shown else lines[:max_shown]
        for line in shown:
            print(f"    {kind}: {line}")
        if len(shown) < len(lines):
            print(f"    {kind}: … {len(lines) - len(shown)} more")
    sys.stdout.flush()


def _scanned(r: Comparison) -> bool:
    """Whether the file was read from its pages' images (a scan, with the ocr extra)."""
    report = r.sides["pdfium"].report or r.sides["plumber"].report
    return bool(report) and report["document"]["format"] == "pdf_ocr"


def summary(results: list[Comparison], json_out: Path | None) -> int:
    readable = [r for r in results if not r.sides["plumber"].error and not r.sides["pdfium"].error]
    both_bad = [r for r in results if r.sides["plumber"].error and r.sides["plumber"].error == r.sides["pdfium"].error]
    same = [r for r in readable if r.identical]
    differing = [r for r in results if not r.identical]
    pages = sum(r.pages for r in readable)
    kinds = Counter(k for r in differing for k, v in r.differences.items() if v)
    print()
    print(
        f"files: {len(results)}; readable by both: {len(readable)} ({pages} pages); identical: {len(same)}; "
        f"differing: {len(differing)}; unreadable by both, the same way: {len(both_bad)}"
    )
    if kinds:
        print("files differing in: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    # a scan's pages are recognised from their images, the same way whichever reader opened the file:
    # its cost is OCR's (benchmarks/ocr.py), apart from what the readers do with a text layer
    groups = {
        "corpus, text layer": [r for r in readable if not _scanned(r) and not r.name.startswith("examples/")],
        "examples as PDF": [r for r in readable if r.name.startswith("examples/")],
        "scans (OCR)": [r for r in readable if _scanned(r)],
    }
    for label, group in groups.items():
        n = sum(r.pages for r in group)
        if not n:
            continue
        read = {k: 1000 * sum(r.sides[k].read_cpu for r in group) / n for k in READERS}
        rev = {k: 1000 * sum(r.sides[k].review_cpu for r in group) / n for k in READERS}
        print(
            f"{label}: {len(group)} files, {n} pages; read CPU per page: plumber {read['plumber']:.1f} ms, "
            f"pdfium {read['pdfium']:.1f} ms (x{read['plumber'] / max(read['pdfium'], 1e-9):.1f}); read + review: "
            f"plumber {read['plumber'] + rev['plumber']:.1f} ms, pdfium {read['pdfium'] + rev['pdfium']:.1f} ms"
        )
    if json_out is not None:
        rows = [
            {
                "file": r.name,
                "pages": r.pages,
                "scanned": _scanned(r),
                "identical": r.identical,
                "read_cpu": {k: r.sides[k].read_cpu for k in READERS},
                "review_cpu": {k: r.sides[k].review_cpu for k in READERS},
                "errors": {k: r.sides[k].error for k in READERS},
                "differences": r.differences,
            }
            for r in results
        ]
        json_out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
