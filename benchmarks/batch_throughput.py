"""Throughput and peak memory of `gouji review` over the examples replicated to N documents.

Usage: python benchmarks/batch_throughput.py [--docs 500] [--jobs 1 2] [--format json,html]
       [--corpus ../shared/corpus/pdf]
       python benchmarks/batch_throughput.py --pdfs 20 [--against [REV]] [--jobs 2] [--repeat 3]

Each run is a fresh process (so that peak memory is its own) reviewing into a fresh folder.
Prints documents per second (wall clock, and per CPU second: the figure that holds on a busy
machine), per core, and the peak resident memory of the main process and of
the largest worker (with --jobs 1 the main process does the work). Also runs over the shared
PDF corpus when it exists.

``--pdfs N`` reviews the first N distinct corpus PDFs (``benchmarks/precision/corpus.py``) with
``gouji review --jobs J``, best wall time of ``--repeat`` runs, and prints PDF pages per second
(pages counted with PDFium), CPU per page and the peak memory of the largest worker. With
``--against [REV]`` gouji at git revision REV (a temporary worktree; default
``benchmarks.revisions.BASELINE``, where the target of 5 times the pages per second was set)
reviews the same files, the two versions' runs interleaved, and the ratio is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.revisions import BASELINE, ENV, tree_env, worktree  # noqa: E402

TARGET = 5.0  # pages per second, this version over BASELINE
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"


def replicate(folder: Path, n: int) -> Path:
    src = sorted(EXAMPLES.glob("*.txt"))
    docs = folder / "docs"
    docs.mkdir()
    for i in range(n):
        f = src[i % len(src)]
        # a trailing comment line makes each copy a distinct file: identical files are reviewed once
        text = f.read_text(encoding="utf-8") + f"\n<!-- copy {i} -->\n"
        (docs / f"{i:04}_{f.name}").write_text(text, encoding="utf-8")
    return docs


def child(paths: list[str], out: str, jobs: int, formats: str) -> None:
    """Run one batch in this process and print its figures as JSON."""
    from gouji.batch import run

    t0 = time.perf_counter()
    res = run(paths, out, jobs=jobs, formats=tuple(formats.split(",")), progress=False)
    seconds = time.perf_counter() - t0
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "documents": len(res.records),
                "failed": res.failed,
                "seconds": seconds,
                "cpu_seconds": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                "main_mb": me.ru_maxrss / 1024,
                "worker_mb": kids.ru_maxrss / 1024,
            }
        )
    )


def measure(paths: list[str], jobs: int, formats: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> dict:
    """One batch in a fresh process (gouji as ``env`` imports it) into a fresh folder: its figures."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, __file__, "--child", "--out", tmp, "--jobs", str(jobs), "--format", formats, *paths]
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
        if p.returncode:
            raise SystemExit(f"the batch failed in {cwd or ROOT}: {p.stderr[-500:]}")
        return json.loads(p.stdout.strip().splitlines()[-1])


def pdf_pages(paths: list[Path]) -> int:
    import pypdfium2

    total = 0
    for path in paths:
        pdf = pypdfium2.PdfDocument(path)
        total += len(pdf)
        pdf.close()
    return total


def pdf_rates(n: int, jobs: int, repeat: int, formats: str, rev: str | None) -> None:
    """The first ``n`` distinct corpus PDFs reviewed by this version (and ``rev``): pages per second."""
    from benchmarks.precision.corpus import distinct_files

    files = [d.path for d in distinct_files()][:n]
    if len(files) < n:
        raise SystemExit(f"the corpus has {len(files)} distinct PDFs, fewer than {n}")
    pages = pdf_pages(files)
    with tempfile.TemporaryDirectory() as tmp, worktree(rev) if rev else nullcontext() as tree:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        for f in files:
            (docs / f.name).symlink_to(f)
        versions = {"this": (ENV, ROOT)}
        if tree is not None:
            versions[rev] = (tree_env(tree), tree)
        paths = [str(docs)]
        for env, cwd in versions.values():  # compiled modules, kept data and patterns written
            measure(paths, jobs, formats, env, cwd)
        runs: dict[str, list[dict]] = {v: [] for v in versions}
        for _ in range(repeat):
            for v, (env, cwd) in versions.items():
                runs[v].append(measure(paths, jobs, formats, env, cwd))
    print(f"{n} corpus PDFs, {pages} pages, gouji review --jobs {jobs} --format {formats}, best of {repeat}")
    rates = {}
    for v, rs in runs.items():
        r = min(rs, key=lambda x: x["seconds"])
        rates[v] = pages / r["seconds"]
        worker = r["main_mb"] if jobs == 1 else r["worker_mb"]
        print(
            f"{v:>10}: {r['documents']} documents ({r['failed']} failed) in {r['seconds']:.1f} s wall = "
            f"{rates[v]:.0f} pages/s, {1000 * r['cpu_seconds'] / pages:.1f} ms CPU per page, "
            f"peak {worker:.0f} MB per worker, {r['main_mb']:.0f} MB main"
        )
    if rev:
        ratio = rates["this"] / rates[rev]
        print(f"pages per second, this / {rev}: {ratio:.2f} (target >= {TARGET:.0f}: {'met' if ratio >= TARGET else 'NOT met'})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--format", default="json,html")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--pdfs", type=int, help="review the first N distinct corpus PDFs and print pages per second")
    ap.add_argument("--against", nargs="?", const=BASELINE, metavar="REV", help=f"with --pdfs: against gouji at REV (default {BASELINE})")
    ap.add_argument("--repeat", type=int, default=3, help="with --pdfs: runs per version, the best kept")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.paths, args.out, args.jobs[0], args.format)
        return
    if args.pdfs:
        pdf_rates(args.pdfs, args.jobs[-1], args.repeat, args.format, args.against)
        return
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{'input':20} {'format':9} {'jobs':>4} {'docs':>5} {'failed':>6} {'wall s':>7} {'docs/s':>7} "
        f"{'docs/s/core':>11} {'cpu s':>7} {'docs/cpu-s':>10} {'main MB':>8} {'worker MB':>9}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        inputs = [(f"examples x{args.docs}", [str(replicate(Path(tmp), args.docs))])]
        if args.corpus.is_dir():  # until PDF ingest lands these are failed rows (unsupported format)
            inputs.append((f"corpus {args.corpus.name}/", sorted(str(p) for p in args.corpus.glob("*.pdf"))))
        for label, paths in inputs:
            for jobs in args.jobs:
                r = measure(paths, jobs, args.format)
                rate = r["documents"] / r["seconds"]
                worker = r["main_mb"] if jobs == 1 else r["worker_mb"]
                print(
                    f"{label:20} {args.format:9} {jobs:4} {r['documents']:5} {r['failed']:6} {r['seconds']:7.1f} "
                    f"{rate:7.1f} {rate / jobs:11.1f} {r['cpu_seconds']:7.1f} {r['documents'] / r['cpu_seconds']:10.1f} "
                    f"{r['main_mb']:8.0f} {worker:9.0f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
