"""The batch: discover documents, skip those up to date, review the rest in worker processes,
then write the summaries. Ctrl-C lets running documents finish, records them and stops (a
second Ctrl-C stops at once).

Each document has a time limit and each worker a memory limit (``gouji/data/limits.yaml``); a
document over either, or whose worker dies, fails alone and the batch goes on (see ``pool``).

Byte-identical inputs (the same SHA-256) are reviewed once: each later copy is a ``duplicate``
record naming the first (``duplicate_of``), with no findings of its own, so that it is listed
but counted once.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import field
from pathlib import Path
from typing import Any

from gouji.batch.discover import discover, duplicates, output_names
from gouji.batch.state import State, file_hash
from gouji.batch.worker import Job, process, timeout_record
from gouji.collection import fewer_collections
from gouji.errors import OutputNotWritable
from gouji.paths import display_path
from gouji.records import dataclass
from gouji.report.problems import brief

REPORTS = "reports"
FORMATS = ("json", "html")
DUPLICATE = "duplicate"  # the status of a copy's record


@dataclass
class BatchResult:
    """Records of every document of the batch, in input order (see ``worker.record_of``)."""

    records: list[dict]
    reviewed: int = 0  # documents processed in this run (the others were up to date)
    reused: int = 0
    interrupted: bool = False
    seconds: float = 0.0
    total: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)
    state_error: str = ""  # why progress could not be recorded for --resume (those documents are redone)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.records if r["status"] == "failed")

    @property
    def duplicates(self) -> int:
        """Inputs that are byte-identical copies of an earlier input (reviewed once, as it)."""
        return sum(1 for r in self.records if r["status"] == DUPLICATE)

    @property
    def errors(self) -> int:
        return sum(r["counts"]["error"] for r in self.records)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run(
    paths: list[str | Path],
    out: str | Path | None,
    *,
    jobs: int | None = None,
    resume: bool = False,
    formats: tuple[str, ...] = FORMATS,
    progress: bool | None = None,
    models: str | None = None,
    timeout: float | None = None,
    max_memory_mib: int | None = None,
    isolate: bool = False,
    pdf_reader: str | None = None,
    scheduler: str | None = None,
    client: Any = None,
    send_inputs: bool = False,
) -> BatchResult:
    """Review every document under ``paths``; with ``out``, write the reports and summaries there.

    ``progress``: show a progress bar (default: when standard error is a terminal).
    ``models``: a model directory or id for the model stages (each worker loads it once).
    ``timeout``: seconds a document may take, ``max_memory_mib``: address space of a worker
    (None: the declared limits; 0: none). One job runs in this process, without the memory
    limit and with the time limit only in the main thread, unless ``isolate`` (the CLI's way).
    ``pdf_reader``: how PDFs are read, one of ``gouji.ingest.PDF_READERS`` (None: the default).
    ``scheduler`` (``local:N`` or ``tcp://HOST:PORT``) or ``client`` (a ``distributed.Client``):
    review on a dask cluster instead (``batch.cluster``), ``jobs`` unused; ``send_inputs``: send
    each input's bytes to the workers instead of having them read its path.
    Raises OutputNotWritable (G008) when the output folder or the summaries cannot be written,
    ClusterUnavailable (G011) when the cluster cannot be used.
    """
    from gouji.ingest import DEFAULT_PDF_READER, PDF_READERS
    from gouji.limits import limits

    pdf_reader = pdf_reader or DEFAULT_PDF_READER
    if pdf_reader not in PDF_READERS:
        raise ValueError(f"unknown PDF reader {pdf_reader!r} (choose from {', '.join(PDF_READERS)})")
    cluster = _Cluster(scheduler, client, send_inputs) if scheduler is not None or client is not None else None
    if cluster is not None:
        from gouji.batch.cluster import parse_scheduler, require

        if scheduler is not None:
            parse_scheduler(scheduler)
        require()  # before any work: a missing extra is said at once
    timeout = limits().timeout_seconds if timeout is None else timeout
    max_memory_mib = limits().worker_memory_mib if max_memory_mib is None else max_memory_mib
    t0 = time.perf_counter()
    files = discover(paths)
    names = output_names(files)
    out_dir = Path(out) if out is not None else None
    reports = out_dir / REPORTS if out_dir is not None else None
    state = State(out_dir) if out_dir is not None else None
    if state is not None and resume:
        state.load()

    sources = [str(f.resolve()) for f in files]
    digests = [_digest(f) for f in files]
    copy_of = duplicates(digests)  # before dispatch: a copy is never sent to a worker
    records: dict[str, dict] = {}
    todo: list[Job] = []
    for source, name, digest, first in zip(sources, names, digests, copy_of, strict=True):
        if first is not None:
            continue  # its record is made from the first copy's once that is done
        rec = state.up_to_date(source, digest, name, formats, reports, models, pdf_reader) if state and resume and reports else None
        if rec is not None:
            records[source] = {**with_problems(rec, reports), "reused": True}
        else:
            todo.append(Job(source, name, digest, str(reports) if reports else None, formats, models, pdf_reader))
    result = BatchResult(records=[], reused=len(records), total=len(files))
    if reports is not None:
        try:
            reports.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise _not_writable(out_dir, e, "check --out") from None

    copies = sum(1 for c in copy_of if c is not None)
    bar = _bar(len(files), len(records) + copies, progress)
    tally = {"findings": 0, "errors": 0, "failed": 0}

    def count(rec: dict) -> None:
        tally["findings"] += len(rec["findings"])
        tally["errors"] += rec["counts"]["error"]
        tally["failed"] += rec["status"] == "failed"

    for rec in records.values():
        count(rec)

    def done(job: Job, rec: dict) -> None:
        rec = with_problems(rec, reports)
        records[job.source] = {**rec, "reused": False}
        if state is not None:
            try:
                state.add(job.source, job.sha256, formats, rec, models, pdf_reader)
            except OSError as e:  # the document is not remembered: --resume reviews it again
                result.state_error = result.state_error or f"{state.path}: {e.strerror or e}"
        result.reviewed += 1
        count(rec)
        if bar is not None:
            bar.update(1)
            bar.set_postfix_str(f"findings {tally['findings']}, errors {tally['errors']}, failed {tally['failed']}", refresh=False)

    try:
        _dispatch(todo, jobs or default_jobs(), done, timeout=timeout, memory_mib=max_memory_mib, isolate=isolate, cluster=cluster)
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        if bar is not None:
            bar.close()
    for i, first in enumerate(copy_of):
        if first is not None and sources[first] in records:  # an interrupted batch lists only copies of done documents
            records[sources[i]] = duplicate_record(records[sources[first]], names[i], sources[i])
    result.records = [records[s] for s in sources if s in records]
    if out_dir is not None and state is not None:
        _finish(out_dir, state, result)
    result.seconds = time.perf_counter() - t0
    return result


def _digest(f: Path) -> str:
    try:
        return file_hash(f)
    except OSError:  # unreadable: the worker records why
        return ""


def duplicate_record(first: dict, name: str, source: str) -> dict:
    """The record of a byte-identical copy of the document of ``first``: listed under its own
    name and path, pointing at the first's reports, with nothing counted (no findings, problems,
    reasons or checklist rows: they are the first's)."""
    return {
        "document": name,
        "source": display_path(source),
        "unit": first["unit"],
        "year": first["year"],
        "status": DUPLICATE,
        "duplicate_of": first["document"],
        "kind": first["kind"],
        "format": first["format"],
        "counts": {"error": 0, "warning": 0, "info": 0},
        "tables": 0,
        "claims": 0,
        "pages": first.get("pages", ""),
        "seconds": 0.0,
        "error": "",
        "outputs": dict(first.get("outputs") or {}),
        "version": first["version"],
        "findings": [],
        "problems": [],
        "reasons": [],
        "checklist": [],
        "reused": bool(first.get("reused")),
    }


def with_problems(rec: dict, reports: Path | None) -> dict:
    """``rec`` with the problems of its JSON report (``report.problems.brief`` of each) when it lacks
    them (a record from a state file written before ``worker.record_of`` kept them) and the
    report is there; else ``rec`` as it is (the dashboard then counts its findings)."""
    out = rec.get("outputs") or {}
    if "problems" in rec or rec.get("status") != "ok" or reports is None or "json" not in out:
        return rec
    import orjson

    try:
        data = orjson.loads((reports / out["json"]).read_bytes())
        problems = [brief(p) for p in data["problems"]]
    except (OSError, ValueError, KeyError, TypeError):  # unreadable, or a report without problems
        return rec
    return {**rec, "problems": problems}


def _finish(out_dir: Path, state: State, result: BatchResult) -> None:
    """Compact the state file and write the summaries."""
    from gouji.batch.outputs import write_outputs

    try:
        state.compact()
    except OSError:  # the appended file stays as it is, and readable
        state.close()
    try:
        result.outputs = write_outputs(out_dir, result.records, interrupted=result.interrupted, total=result.total)
    except OSError as e:
        raise _not_writable(out_dir, e, "free disk space or check --out; the reviewed documents are kept: run again with --resume") from None


def _not_writable(out_dir: Path, e: OSError, hint: str) -> OutputNotWritable:
    return OutputNotWritable(f"cannot write the outputs: {e.strerror or e}", path=str(out_dir), hint=hint)


@dataclass(frozen=True)
class _Cluster:
    """Where ``run`` sends its documents when not to local worker processes (``batch.cluster``)."""

    scheduler: str | None
    client: Any
    send_inputs: bool


def _dispatch(
    todo: list[Job], jobs: int, done: Callable[[Job, dict], None], *, timeout: float, memory_mib: int, isolate: bool, cluster: _Cluster | None = None
) -> None:
    """Run ``todo``: on ``cluster``, or in this process for one job, else in worker processes;
    ``done(job, record)`` each."""
    if not todo:
        return
    with _interrupt_between_documents() as interrupted:
        if cluster is not None:
            from gouji.batch.cluster import connect, dispatch

            with connect(cluster.scheduler, cluster.client) as client:
                dispatch(todo, done, client, timeout=timeout, memory_mib=memory_mib, send_inputs=cluster.send_inputs, interrupted=interrupted)
        elif not isolate and (jobs <= 1 or len(todo) == 1):
            _run_here(todo, done, timeout, interrupted)
        else:
            from gouji.batch.pool import Pool

            Pool(min(jobs, len(todo)), done, timeout=timeout, memory_mib=memory_mib).run(todo, interrupted)
        if interrupted():
            raise KeyboardInterrupt


def _run_here(todo: list[Job], done: Callable[[Job, dict], None], timeout: float, interrupted: Callable[[], bool]) -> None:
    with fewer_collections(freeze=True):
        for job in todo:
            t0 = time.perf_counter()
            try:
                with _alarm(timeout):
                    rec = process(job)
            except _Timeout:
                rec = timeout_record(job, time.perf_counter() - t0, timeout)
            done(job, rec)
            if interrupted():
                return


class _Timeout(BaseException):
    """Raised by SIGALRM in a document over its time; a BaseException, so no stage catches it."""


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Raise _Timeout after ``seconds`` (0: never). Only in the main thread, and only when SIGALRM
    is not the caller's: otherwise the document has no time limit."""
    usable = seconds > 0 and threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not usable or signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, None):
        yield
        return

    def expire(signum, frame):
        signal.signal(signal.SIGALRM, previous)  # first: the raise may skip the ``finally`` below
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _interrupt_between_documents():
    """Ctrl-C while a document is reviewed in this process takes effect once it is done, as
    with worker processes: its reports are complete and no temporary file is left behind."""
    hits: list[int] = []
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield lambda: False  # Ctrl-C ignored, or handled by the caller: leave it so
        return

    def hit(signum, frame):
        hits.append(signum)
        if len(hits) > 1:  # asked twice: do not wait for the running documents
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, hit)
    try:
        yield lambda: bool(hits)
    finally:
        signal.signal(signal.SIGINT, previous)


def _bar(total: int, initial: int, progress: bool | None):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked after this
    # the counts first, the bar in what is left, the times last: tqdm cuts a line too long for
    # the terminal at its end, and its default (bar, rate, then counts) lost them at 80 columns
    fmt = "{desc} {n_fmt}/{total_fmt}{postfix} |{bar}| {elapsed}<{remaining}"
    return tqdm(
        total=total, initial=initial, unit="doc", desc="gouji review", file=sys.stderr, dynamic_ncols=True, bar_format=fmt
    )
