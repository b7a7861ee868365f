"""The batch: discover documents, skip those up to date, review the rest in worker processes,
then write the summaries. Ctrl-C lets running documents finish, records them and stops."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gouji.batch.discover import discover, output_names
from gouji.batch.state import State, file_hash
from gouji.batch.worker import Job, batch_gc, failed_record, init_worker, preload, process

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
) -> BatchResult:
    """Review every document under ``paths``; with ``out``, write the reports and summaries there.

    ``progress``: show a progress bar (default: when standard error is a terminal).
    ``models``: a model directory or id for the model stages (each worker loads it once).
    """
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
        reports.mkdir(parents=True, exist_ok=True)

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
            state.add(job.source, job.sha256, formats, rec, models)
        result.reviewed += 1
        count(rec)
        if bar is not None:
            bar.update(1)
            bar.set_postfix_str(f"findings {tally['findings']}, errors {tally['errors']}, failed {tally['failed']}", refresh=False)

    try:
        _dispatch(todo, jobs or default_jobs(), done)
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        if bar is not None:
            bar.close()
    order = [str(f.resolve()) for f in files]
    result.records = [records[s] for s in order if s in records]
    if out_dir is not None and state is not None:
        state.compact()
        from gouji.batch.outputs import write_outputs

        result.outputs = write_outputs(out_dir, result.records, interrupted=result.interrupted, total=len(files))
    result.seconds = time.perf_counter() - t0
    return result


def _dispatch(todo: list[Job], jobs: int, done) -> None:
    """Run ``todo``: in this process for one job, else in a pool; ``done(job, record)`` each."""
    if not todo:
        return
    if jobs <= 1 or len(todo) == 1:
        with batch_gc(), _interrupt_between_documents() as interrupted:
            for job in todo:
                done(job, process(job))
                if interrupted():
                    raise KeyboardInterrupt
        return
    ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    if ctx.get_start_method() == "fork":
        preload()
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx, initializer=init_worker)
    futures: dict[Future, Job] = {pool.submit(process, job): job for job in todo}
    finished: set[Future] = set()
    try:
        for fut in as_completed(futures):
            finished.add(fut)
            done(futures[fut], _result(fut, futures[fut]))
    except KeyboardInterrupt:
        pool.shutdown(wait=True, cancel_futures=True)  # running documents finish and are kept
        for fut, job in futures.items():
            if fut not in finished and fut.done() and not fut.cancelled():
                done(job, _result(fut, job))
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _interrupt_between_documents():
    """Ctrl-C while a document is reviewed in this process takes effect once it is done, as
    with worker processes: its reports are complete and no temporary file is left behind."""
    hits: list[int] = []
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield lambda: False  # Ctrl-C ignored, or handled by the caller: leave it so
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: hits.append(signum))
    try:
        yield lambda: bool(hits)
    finally:
        signal.signal(signal.SIGINT, previous)


def _result(fut: Future, job: Job) -> dict:
    try:
        return fut.result()
    except BrokenProcessPool:
        return {**failed_record(job, "internal error: the worker process died (out of memory?)", 0.0), "transient": True}


def _bar(total: int, initial: int, progress: bool | None):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked after this
    return tqdm(total=total, initial=initial, unit="doc", desc="gouji review", file=sys.stderr, dynamic_ncols=True)
