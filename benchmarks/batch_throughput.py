"""Throughput and peak memory of `gouji review` over the examples replicated to N documents.

Usage: python benchmarks/batch_throughput.py [--docs 500] [--jobs 1 2] [--format json,html]
       [--corpus ../shared/corpus/pdf]

Each run is a fresh process (so that peak memory is its own) reviewing into a fresh folder.
Prints documents per second (wall clock, and per CPU second: the figure that holds on a busy
machine), per core, and the peak resident memory of the main process and of
the largest worker (with --jobs 1 the main process does the work). Also runs over the shared
PDF corpus when it exists.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


def measure(paths: list[str], jobs: int, formats: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, __file__, "--child", "--out", tmp, "--jobs", str(jobs), "--format", formats, *paths]
        p = subprocess.run(cmd, capture_output=True, text=True, check=True)
        return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--format", default="json,html")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.paths, args.out, args.jobs[0], args.format)
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
