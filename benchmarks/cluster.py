"""`gouji review --scheduler` against `--jobs`: throughput ratios, the client's CPU per document,
memory per worker and bytes per task; then what the client spends on the summaries per document.

Usage: python benchmarks/cluster.py [--docs 24] [--workers 1 2] [--summary-docs 2000] [--corpus DIR]

Inputs: `--docs` distinct PDFs of the shared corpus (../shared/corpus/pdf, every k-th by name)
when it is there, else the examples replicated as distinct files (it says which). Each run is a
fresh process reviewing into a fresh folder: `--jobs N` (the local pool), then a cluster of N
workers started as `dask scheduler` and `dask worker --nworkers N --nthreads 1` processes
(warmed up before the clock starts), so that the client process holds only the client: its CPU
is the client's own. The machine is shared: read the ratios, not the absolute timings.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"
DASK = Path(sys.executable).with_name("dask")
TIMEOUT = 60  # seconds a document may take: a scan being OCR'd is stopped, in every run alike


def inputs(n: int, corpus: Path, tmp: Path) -> tuple[str, list[str]]:
    """``n`` distinct documents: corpus PDFs when there, else copies of the examples."""
    if corpus.is_dir():
        seen, pdfs = set(), []
        for p in sorted(corpus.glob("*.pdf")):
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
            if digest not in seen:
                seen.add(digest)
                pdfs.append(p)
        step = max(1, len(pdfs) // n)
        picked = pdfs[::step][:n]
        return f"{len(picked)} of the {len(pdfs)} distinct PDFs of {corpus}", [str(p) for p in picked]
    docs = tmp / "docs"
    docs.mkdir()
    src = sorted(EXAMPLES.glob("*.txt"))
    for i in range(n):
        f = src[i % len(src)]
        (docs / f"{i:04}_{f.name}").write_bytes(f.read_bytes() + b"\n" * (i // len(src)))  # distinct: copies are reviewed once
    return f"{n} copies of the examples ({corpus} not found)", [str(docs)]


def child(args: argparse.Namespace) -> None:
    """One batch in this process; its figures as a JSON line."""
    from gouji.batch import run

    client = None
    if args.address:
        from distributed import Client

        from gouji.batch.worker import preload

        client = Client(args.address)
        client.run(preload)  # imports and data loaded before the clock starts, as a long-lived cluster has them
        w0 = sum(m[2] for m in client.run(_worker_memory).values())
    t0, c0 = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
    res = run(args.paths, args.out, jobs=args.jobs, client=client, send_inputs=args.send_inputs, timeout=TIMEOUT, progress=False, isolate=True)
    seconds, client_cpu = time.perf_counter() - t0, _cpu(resource.RUSAGE_SELF) - c0
    reports = Path(args.out) / "reports"
    result_bytes = [
        len(pickle.dumps({k: v for k, v in r.items() if k != "reused"})) + sum((reports / f).stat().st_size for f in r["outputs"].values())
        for r in res.records
        if r["status"] != "duplicate"
    ]
    figures = {
        "documents": len(res.records),
        "failed": res.failed,
        "seconds": seconds,
        "client_cpu": client_cpu,
        "doc_seconds": sum(r["seconds"] for r in res.records),
        "input_bytes": sum(Path(p).stat().st_size for p in _files(args.paths)) / max(1, len(res.records)),
        "result_bytes": sum(result_bytes) / max(1, len(result_bytes)),
        "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "child_cpu": _cpu(resource.RUSAGE_CHILDREN),
        "child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    if client is not None:
        mem = client.run(_worker_memory)
        figures["worker_mb"] = max(m[0] for m in mem.values())
        figures["child_mb"] = max(m[1] for m in mem.values())
        figures["worker_cpu"] = sum(m[2] for m in mem.values()) - w0
        client.close()
    print(json.dumps(figures))


def _files(paths: list[str]) -> list[Path]:
    return [f for p in map(Path, paths) for f in ([p] if p.is_file() else sorted(x for x in p.rglob("*") if x.is_file()))]


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def _worker_memory() -> tuple[float, float, float]:
    """A dask worker's peak RSS, its largest document process's (ended or running), and the CPU of
    all of them (MB, MB, s)."""
    import psutil

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    peak, cpu = kids.ru_maxrss / 1024, me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    for child in psutil.Process().children():
        status = Path(f"/proc/{child.pid}/status").read_text()
        peak = max(peak, int(status.split("VmHWM:")[1].split()[0]) / 1024)
        cpu += sum(child.cpu_times()[:2])
    return me.ru_maxrss / 1024, peak, cpu


def measure(paths: list[str], jobs: int, address: str = "", send_inputs: bool = False, keep: Path | None = None) -> dict:
    """The figures of one run in a fresh process; ``keep``: its output folder (else a temporary one)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = str(keep or tmp)
        cmd = [sys.executable, __file__, "--child", "--out", out, "--jobs", str(jobs), *(["--address", address] if address else [])]
        cmd += ["--send-inputs"] * send_inputs
        p = subprocess.run([*cmd, *paths], capture_output=True, text=True)
        if p.returncode:
            sys.exit(p.stderr)
        return json.loads(p.stdout.strip().splitlines()[-1])


class Cluster:
    """`dask scheduler` and `dask worker --nworkers N --nthreads 1` as processes of their own."""

    def __init__(self, workers: int, tmp: Path):
        import psutil

        self.file = tmp / f"scheduler-{workers}.json"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.scheduler = subprocess.Popen([DASK, "scheduler", "--no-dashboard", "--port", "0", "--scheduler-file", self.file], **quiet)
        while not self.file.exists():
            time.sleep(0.1)
        self.address = json.loads(self.file.read_text())["address"]
        self.workers = subprocess.Popen(
            [DASK, "worker", "--scheduler-file", self.file, "--nworkers", str(workers), "--nthreads", "1", "--no-dashboard"], **quiet
        )
        from distributed import Client

        with Client(self.address) as c:
            c.wait_for_workers(workers, timeout=60)
        self.proc = psutil.Process(self.scheduler.pid)

    def scheduler_cpu(self) -> float:
        t = self.proc.cpu_times()
        return t.user + t.system

    def close(self) -> None:
        for p in (self.workers, self.scheduler):
            p.terminate()
            p.wait(30)


def summaries(records: list[dict], n: int) -> list[tuple[str, float]]:
    """Seconds the client spends writing each batch-wide file for ``n`` documents (the run's records repeated)."""
    import pyarrow.parquet  # noqa: F401  (imported before the clock starts)

    from gouji.report import batch_tables as bt
    from gouji.report.dashboard import to_index_html

    many = [{**r, "document": f"{r['document']}_{i}", "source": f"{r['source']}.{i}"} for i in range(-(-n // len(records))) for r in records][:n]
    jobs = {
        "summary.csv": lambda: bt.to_csv(bt.finding_rows(many), bt.SUMMARY_CSV_COLUMNS),
        "summary.parquet": lambda: bt.to_parquet(bt.finding_rows(many), bt.SUMMARY_CSV_COLUMNS),
        "summary.xlsx": lambda: bt.summary_xlsx(many),
        "documents.csv+parquet": lambda: (bt.to_csv(bt.document_rows(many), bt.DOCUMENT_COLUMNS), bt.to_parquet(bt.document_rows(many), bt.DOCUMENT_COLUMNS)),
        "reasons.csv": lambda: bt.to_csv(bt.reason_rows(many), bt.REASON_COLUMNS),
        "checklist.csv": lambda: bt.to_csv(bt.checklist_rows(many), bt.CHECKLIST_CSV_COLUMNS),
        "checklist.xlsx": lambda: bt.checklist_xlsx(many),
        "index.html": lambda: to_index_html(many),
    }
    out = []
    for name, make in jobs.items():
        t0 = time.process_time()
        make()
        out.append((name, time.process_time() - t0))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=24)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--summary-docs", type=int, default=2000)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--address", default="", help=argparse.SUPPRESS)
    ap.add_argument("--send-inputs", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        label, paths = inputs(args.docs, args.corpus, Path(tmp))
        print(f"inputs: {label}; per-document time limit {TIMEOUT} s")
        head = f"{'run':38} {'docs':>4} {'failed':>6} {'wall s':>7} {'docs/s':>7} {'vs jobs':>7} {'client cpu/doc':>14} {'sched cpu/doc':>13} {'worker MB':>9} {'doc proc MB':>11} {'in B/task':>10} {'out B/task':>10} {'worker cpu/doc':>14}"
        print(head)
        rates: dict[int, float] = {}
        cpu_per_doc = []
        kept = Path(tmp) / "kept"
        for n in args.workers:
            r = measure(paths, n, keep=kept if n == args.workers[0] else None)  # the CLI's way: even one job in a worker process
            rates[n] = r["documents"] / r["seconds"]
            cpu_per_doc.append(r["child_cpu"] / r["documents"])
            _row(f"--jobs {n}", r, 1.0, r["child_mb"], float("nan"))
            cluster = Cluster(n, Path(tmp))
            try:
                for send in (False, True):
                    s0 = cluster.scheduler_cpu()
                    r = measure(paths, n, cluster.address, send)
                    r["sched_cpu"] = cluster.scheduler_cpu() - s0
                    name = f"--scheduler ({n} worker{'s' * (n > 1)})" + (" --send-inputs" if send else "")
                    _row(name, r, r["documents"] / r["seconds"] / rates[n], r["worker_mb"], r["child_mb"], send)
            finally:
                cluster.close()
        print(f"worker CPU per document (--jobs runs): {', '.join(f'{c:.2f} s' for c in cpu_per_doc)}")
        records = [r for r in _records(kept) if r["status"] == "ok"]
    print(f"\nclient CPU for the batch-wide files, {args.summary_docs} documents (this run's records repeated):")
    total = 0.0
    for name, seconds in summaries(records, args.summary_docs):
        total += seconds
        print(f"  {name:24} {seconds:7.2f} s  {1000 * seconds / args.summary_docs:6.2f} ms/doc")
    print(f"  {'all':24} {total:7.2f} s  {1000 * total / args.summary_docs:6.2f} ms/doc")
    size = sum(len(pickle.dumps(r)) for r in records) / len(records)
    print(
        f"a record held by the client: {size / 1024:.1f} kB pickled, {_held(records) / 1024:.1f} kB in memory "
        f"({sum(len(r['findings']) for r in records) / len(records):.1f} findings a document)"
    )


def _held(records: list[dict], n: int = 500) -> float:
    """Bytes of Python objects a record takes in the client (``n`` separate copies traced)."""
    import tracemalloc

    raw = [pickle.dumps(records[i % len(records)]) for i in range(n)]
    tracemalloc.start()
    held = [pickle.loads(x) for x in raw]
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del held
    return size / n


def _row(name: str, r: dict, ratio: float, worker_mb: float, child_mb: float, send: bool = False) -> None:
    docs = r["documents"]
    sched = r.get("sched_cpu", float("nan")) / docs
    inb = r["input_bytes"] if send else 0
    print(
        f"{name:38} {docs:4} {r['failed']:6} {r['seconds']:7.1f} {docs / r['seconds']:7.2f} {ratio:7.2f} "
        f"{r['client_cpu'] / docs:12.3f} s {sched:11.3f} s {worker_mb:9.0f} {child_mb:11.0f} {inb:10.0f} {r['result_bytes']:10.0f} {r.get('worker_cpu', r['child_cpu']) / docs:12.3f} s",
        flush=True,
    )


def _records(out: Path) -> list[dict]:
    from gouji.batch.state import State

    return [e["record"] for e in State(out).load().entries.values()]


if __name__ == "__main__":
    main()
