"""The batch: discover documents, skip those up to date, review the rest in worker processes,
then write the summaries. Ctrl-C lets running documents finish, records them and stops (a
second Ctrl-C stops at once).

Each document has a time limit and each worker a memory limit (``gouji/data/limits.yaml``); a
document over either, or whose worker dies, fails alone and the batch goes on (see ``pool``).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gouji.batch.discover import discover, output_names
from gouji.batch.state import State, file_hash
from gouji.batch.worker import Job, batch_gc, process, timeout_record
from gouji.errors import OutputNotWritable

REPORTS = "reports"
FORMATS = ("json", "html")


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
) -> BatchResult:
    """Review every document under ``paths``; with ``out``, write the reports and summaries there.

    ``progress``: show a progress bar (default: when standard error is a terminal).
    ``models``: a model directory or id for the model stages (each worker loads it once).
    ``timeout``: seconds a document may take, ``max_memory_mib``: address space of a worker
    (None: the declared limits; 0: none). One job runs in this process, without the memory
    limit and with the time limit only in the main thread, unless ``isolate`` (the CLI's way).
    Raises OutputNotWritable (G008) when the output folder or the summaries cannot be written.
    """
    from gouji.limits import limits

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

    records: dict[str, dict] = {}
    todo: list[Job] = []
    for f, name in zip(files, names, strict=True):
        source = str(f.resolve())
        try:
            digest = file_hash(f)
        except OSError:  # unreadable: the worker records why
            digest = ""
        rec = state.up_to_date(source, digest, name, formats, reports, models) if state and resume and reports else None
        if rec is not None:
            records[source] = {**rec, "reused": True}
        else:
            todo.append(Job(source, name, digest, str(reports) if reports else None, formats, models))
    result = BatchResult(records=[], reused=len(records), total=len(files))
    if reports is not None:
        try:
            reports.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise _not_writable(out_dir, e, "check --out") from None

    bar = _bar(len(files), len(records), progress)
    tally = {"findings": 0, "errors": 0, "failed": 0}

    def count(rec: dict) -> None:
        tally["findings"] += len(rec["findings"])
        tally["errors"] += rec["counts"]["error"]
        tally["failed"] += rec["status"] == "failed"

    for rec in records.values():
        count(rec)

    def done(job: Job, rec: dict) -> None:
        records[job.source] = {**rec, "reused": False}
        if state is not None:
            try:
                state.add(job.source, job.sha256, formats, rec, models)
            except OSError as e:  # the document is not remembered: --resume reviews it again
                result.state_error = result.state_error or f"{state.path}: {e.strerror or e}"
        result.reviewed += 1
        count(rec)
        if bar is not None:
            bar.update(1)
            bar.set_postfix_str(f"findings {tally['findings']}, errors {tally['errors']}, failed {tally['failed']}", refresh=False)

    try:
        _dispatch(todo, jobs or default_jobs(), done, timeout=timeout, memory_mib=max_memory_mib, isolate=isolate)
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        if bar is not None:
            bar.close()
    order = [str(f.resolve()) for f in files]
    result.records = [records[s] for s in order if s in records]
    if out_dir is not None and state is not None:
        _finish(out_dir, state, result)
    result.seconds = time.perf_counter() - t0
    return result


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


def _dispatch(todo: list[Job], jobs: int, done: Callable[[Job, dict], None], *, timeout: float, memory_mib: int, isolate: bool) -> None:
    """Run ``todo``: in this process for one job, else in worker processes; ``done(job, record)`` each."""
    if not todo:
        return
    with _interrupt_between_documents() as interrupted:
        if not isolate and (jobs <= 1 or len(todo) == 1):
            _run_here(todo, done, timeout, interrupted)
        else:
            from gouji.batch.pool import Pool

            Pool(min(jobs, len(todo)), done, timeout=timeout, memory_mib=memory_mib).run(todo, interrupted)
        if interrupted():
            raise KeyboardInterrupt


def _run_here(todo: list[Job], done: Callable[[Job, dict], None], timeout: float, interrupted: Callable[[], bool]) -> None:
    with batch_gc():
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
    return tqdm(total=total, initial=initial, unit="doc", desc="gouji review", file=sys.stderr, dynamic_ncols=True)
