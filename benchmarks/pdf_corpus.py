"""Run gouji over every PDF of the shared corpus and measure PDF ingestion.

Usage: python benchmarks/pdf_corpus.py [--corpus DIR] [--limit N] [--whole-process FILE]

Per file: pages, ingestion seconds, tables found (with rows, not 目录) and how many of them have a
recognised kind, claims found, findings by severity, or the one-line error (scans say so).
Per city (distinct files): the tables whose own sums could be tested and the share whose sums
all hold (``confirmed tables``).
One process, one thread: the pages/second total is ingestion on one core. Then the wall time of
a whole `gouji check` process on a ~30-page PDF (or the one given). No file stops the run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

from gouji.alignment.review import review_document
from gouji.errors import GoujiError, NoTextLayer
from gouji.ingest import read_document

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "pdf"


def manifest_pages(corpus: Path) -> dict[str, int]:
    m = corpus / "MANIFEST.json"
    if not m.is_file():
        return {}
    return {e["file"]: int(e["pages"]) for e in json.loads(m.read_text(encoding="utf-8"))}


def run_one(path: Path, pages_hint: int | None) -> dict:
    """Ingest and review one PDF; never raises."""
    row: dict = {"file": path.name, "pages": pages_hint}
    t0 = time.perf_counter()
    c0 = time.process_time()
    try:
        doc = read_document(path)
    except NoTextLayer as e:
        row.update(status="scan", seconds=time.perf_counter() - t0, error=e.one_line())
        return row
    except GoujiError as e:
        row.update(status="error", seconds=time.perf_counter() - t0, error=e.one_line())
        return row
    except Exception as e:  # a crash of the reader: reported, the run goes on
        row.update(status="crash", seconds=time.perf_counter() - t0, error=f"{type(e).__name__}: {e}")
        row["trace"] = traceback.format_exc(limit=3)
        return row
    row["seconds"] = time.perf_counter() - t0
    row["cpu"] = time.process_time() - c0
    row["pages"] = doc.meta.pages or pages_hint
    try:
        t1 = time.perf_counter()
        review = review_document(doc)
        row["review_seconds"] = time.perf_counter() - t1
    except Exception as e:
        row.update(status="crash", error=f"review: {type(e).__name__}: {e}")
        return row
    tables = [t for t in review.tables if t.rows and t.kind != "目录"]
    sev = Counter(f.severity for f in review.findings)
    tested = [t for t in tables if review.sums.tested[t.id]]
    holding = [t for t in tested if not review.sums.failed[t.id]]
    row["tables_tested"] = len(tested)
    row["tables_holding"] = len(holding)
    row["tables_failing"] = [f"{t.id} p{t.location.page} {t.title or t.kind or ''}" for t in tested if review.sums.failed[t.id]]
    row.update(
        status="ok",
        tables=len(tables),
        tables_known=sum(1 for t in tables if t.kind),
        claims=len(review.claims.claims),
        error_n=sev["error"],
        warning_n=sev["warning"],
        info_n=sev["info"],
        no_tables=any(f.check == "document.no_tables" for f in review.findings),
    )
    return row


def whole_process(path: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gouji", "check", str(path), "--format", "json"], capture_output=True, check=False)
    return time.perf_counter() - t0


def confirmed_tables(rows: list[dict], corpus: Path) -> None:
    """Per city, over distinct files (byte-identical copies once): the tables whose own
    arithmetic could be tested (a sum of the table evaluated) and the share of them where
    every such sum holds within rounding."""
    seen: set[str] = set()
    cities: dict[str, list[int]] = {}
    for r in rows:
        if r["status"] != "ok":
            continue
        digest = hashlib.sha256((corpus / r["file"]).read_bytes()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        c = cities.setdefault(r["file"].split("_")[0], [0, 0, 0])
        c[0] += 1
        c[1] += r["tables_tested"]
        c[2] += r["tables_holding"]
    print()
    print(f"{'city':8} {'files':>5} {'tested':>6} {'hold':>5} {'share':>7}   (tables whose own sums could be tested; all holding)")
    for city, (files, tested, holding) in sorted(cities.items(), key=lambda kv: kv[0]):
        share = f"{100 * holding / tested:6.1f}%" if tested else "     -"
        print(f"{city:8} {files:5} {tested:6} {holding:5} {share}")
    files = sum(v[0] for v in cities.values())
    tested = sum(v[1] for v in cities.values())
    holding = sum(v[2] for v in cities.values())
    print(f"{'all':8} {files:5} {tested:6} {holding:5} {100 * holding / max(tested, 1):6.1f}%")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--limit", type=int, default=0, help="only the first N files")
    ap.add_argument("--whole-process", type=Path, default=None, help="PDF for the `gouji check` timing")
    ap.add_argument("--json", type=Path, default=None, help="also write the rows here")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}; nothing to measure")
        return 0
    hints = manifest_pages(args.corpus)
    files = sorted(args.corpus.glob("*.pdf"))[: args.limit or None]
    print(f"{'file':34} {'pages':>5} {'sec':>6} {'tables':>6} {'known':>5} {'claims':>6} {'E':>3} {'W':>3} {'I':>3}  status")
    rows = []
    for f in files:
        r = run_one(f, hints.get(f.name))
        rows.append(r)
        name = f.name[:-4][:32]
        name += " " * (32 - sum(2 if ord(c) > 0x2E7F else 1 for c in name))
        if r["status"] == "ok":
            print(
                f"{name}   {r['pages']:5} {r['seconds']:6.2f} {r['tables']:6} {r['tables_known']:5} {r['claims']:6}"
                f" {r['error_n']:3} {r['warning_n']:3} {r['info_n']:3}  ok{' (no tables)' if r['no_tables'] else ''}"
            )
        else:
            print(f"{name}   {r['pages'] or 0:5} {r['seconds']:6.2f} {'':6} {'':5} {'':6} {'':3} {'':3} {'':3}  {r['status']}: {r['error']}")
        sys.stdout.flush()
    ok = [r for r in rows if r["status"] == "ok"]
    count = Counter(r["status"] for r in rows)
    pages = sum(r["pages"] for r in ok)
    secs = sum(r["seconds"] for r in ok)
    cpu = sum(r["cpu"] for r in ok)
    mid = sorted(r["cpu"] for r in ok if 20 <= r["pages"] <= 30)
    print()
    print(f"files: {len(rows)}  read: {count['ok']}  scans: {count['scan']}  errors: {count['error']}  crashes: {count['crash']}")
    print(f"pages read: {pages}  ingestion: {secs:.1f} s  = {pages / secs if secs else 0:.1f} pages/s on one core ({1000 * secs / max(pages, 1):.0f} ms/page)")
    print(f"ingestion CPU time: {cpu:.1f} s = {pages / cpu if cpu else 0:.1f} pages/s ({1000 * cpu / max(pages, 1):.0f} ms/page)")
    if mid:
        print(f"documents of 20-30 pages: {len(mid)}, ingestion CPU median {statistics.median(mid):.2f} s, max {mid[-1]:.2f} s")
    print(f"review (tables, claims, checks): {sum(r['review_seconds'] for r in ok):.1f} s")
    print(
        f"tables found: {sum(r['tables'] for r in ok)} (kind recognised: {sum(r['tables_known'] for r in ok)})"
        f"  claims: {sum(r['claims'] for r in ok)}  findings: E {sum(r['error_n'] for r in ok)}"
        f" W {sum(r['warning_n'] for r in ok)} I {sum(r['info_n'] for r in ok)}  without tables: {sum(r['no_tables'] for r in ok)}"
    )
    confirmed_tables(rows, args.corpus)
    for r in rows:
        if r["status"] == "crash":
            print(f"CRASH {r['file']}: {r['error']}\n{r.get('trace', '')}")
    target = args.whole_process
    if target is None and ok:
        target = args.corpus / min(ok, key=lambda r: (abs(r["pages"] - 30), r["file"]))["file"]
    if target is not None:
        best = min(whole_process(target) for _ in range(3))
        n = hints.get(target.name, "?")
        print(f"whole process `gouji check` on {target.name} ({n} pages): {best:.2f} s (best of 3)")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if count["crash"] else 0


if __name__ == "__main__":
    sys.exit(main())
