"""Worker processes of a batch, one document at a time each.

A document over its time is stopped by killing its worker (whatever it is stuck in, C code
included); a worker that dies is replaced and its document tried once more on a fresh one. Either
way only that document fails, as a transient record, and the others go on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from gouji.batch.files import remove_temporaries
from gouji.batch.worker import Job, lost_record, preload, serve, timeout_record, transient_record
from gouji.errors import WorkerLost
from gouji.records import dataclass

ATTEMPTS = 2  # a document whose worker dies is tried once more on a fresh worker
STOP_SECONDS = 5.0  # an idle worker told to stop is killed after this long

Done = Callable[[Job, dict], None]


@dataclass
class _Slot:
    """A worker process, its end of the pipe and the document it is reviewing (None: idle)."""

    proc: BaseProcess
    conn: Connection
    job: Job | None = None
    attempt: int = 0
    started: float = 0.0


class Pool:
    """Up to ``size`` workers; ``timeout`` seconds per document (0: none); ``memory_mib`` per worker."""

    def __init__(self, size: int, done: Done, *, timeout: float = 0, memory_mib: int = 0):
        self.size, self.done, self.timeout, self.memory_mib = size, done, timeout, memory_mib
        self.ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        self.slots: list[_Slot] = []
        self.queue: deque[tuple[Job, int]] = deque()  # (document, attempt)
        self.start_error: OSError = OSError("unknown error")

    def run(self, todo: list[Job], stopping: Callable[[], bool], *, keep: bool = False) -> None:
        """Review ``todo``, calling ``done(job, record)`` for each; once ``stopping()``, start no
        more documents and return when the running ones are done. ``keep``: leave the idle
        workers running for the next ``run`` (``close`` stops them)."""
        if self.ctx.get_start_method() == "fork":
            preload()
        self.queue.extend((job, 1) for job in todo)
        try:
            while True:
                if not stopping():
                    self._fill()
                busy = [s for s in self.slots if s.job is not None]
                if not busy:
                    return
                ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], self._next_deadline(busy))
                for s in busy:
                    self._check(s, ready)
        except BaseException:
            keep = False  # an interrupt: the idle workers stop too
            raise
        finally:
            if not keep:
                self.close()

    def _fill(self) -> None:
        """Give queued documents to idle workers, starting workers up to ``size``."""
        while self.queue:
            slot = next((s for s in self.slots if s.job is None), None) or self._start()
            if slot is None:
                if not self.slots:  # none can be started and none runs: fail the document
                    self._unstartable(*self.queue.popleft())
                    continue
                return  # the running workers take the queue
            job, attempt = self.queue.popleft()
            slot.job, slot.attempt, slot.started = job, attempt, time.monotonic()
            try:
                slot.conn.send(job)
            except OSError:  # it died while idle
                self._died(slot)

    def _start(self) -> _Slot | None:
        """A new worker; None when there are ``size`` already or none can be made now."""
        if len(self.slots) >= self.size:
            return None
        parent_end, child_end = self.ctx.Pipe()
        proc = self.ctx.Process(target=serve, args=(child_end, os.getpid(), self.memory_mib), daemon=True, name="gouji-worker")
        try:
            proc.start()
        except OSError as e:  # too many processes, no memory
            self.start_error = e
            parent_end.close()
            return None
        finally:
            child_end.close()  # open in the worker only, so that its death is an EOF here
        slot = _Slot(proc, parent_end)
        self.slots.append(slot)
        return slot

    def _unstartable(self, job: Job, attempt: int) -> None:
        why = self.start_error.strerror or self.start_error
        err = WorkerLost(f"no worker process could be started: {why}", path=job.source, hint="free memory or lower --jobs; --resume tries it again")
        self.done(job, transient_record(job, err, 0.0))

    def _next_deadline(self, busy: list[_Slot]) -> float | None:
        if not self.timeout:
            return None
        return max(0.0, min(s.started for s in busy) + self.timeout - time.monotonic())

    def _check(self, slot: _Slot, ready: list) -> None:
        """Take the record of a worker that has one; deal with one that died or ran over."""
        if slot.conn in ready or (slot.proc.sentinel in ready and slot.conn.poll()):
            try:
                record = slot.conn.recv()
            except (EOFError, OSError):  # died before or while sending it
                self._died(slot)
                return
            job, slot.job = slot.job, None
            self.done(job, record)
            if not slot.proc.is_alive():
                self._discard(slot)
        elif slot.proc.sentinel in ready:
            self._died(slot)
        elif self.timeout and time.monotonic() - slot.started >= self.timeout:
            job, seconds = slot.job, time.monotonic() - slot.started
            self._discard(slot)
            self.done(job, timeout_record(job, seconds, self.timeout))

    def _died(self, slot: _Slot) -> None:
        """Try the document again on a fresh worker, or record it as lost on the last attempt."""
        job, attempt, seconds = slot.job, slot.attempt, time.monotonic() - slot.started
        self._discard(slot)
        if attempt < ATTEMPTS:
            self.queue.appendleft((job, attempt + 1))
        else:
            self.done(job, lost_record(job, seconds, _how(slot.proc.exitcode)))

    def _discard(self, slot: _Slot) -> None:
        """Kill the worker (if still alive) and forget it."""
        if slot.proc.is_alive():
            slot.proc.kill()
        _reap(slot)
        self.slots.remove(slot)

    def close(self) -> None:
        """Stop idle workers, kill busy ones (an interrupt that could not wait), reap them all."""
        for s in self.slots:
            if s.job is not None:
                s.proc.kill()
                continue
            with contextlib.suppress(OSError):
                s.conn.send(None)
        deadline = time.monotonic() + STOP_SECONDS
        for s in self.slots:
            s.proc.join(max(0.0, deadline - time.monotonic()))
            if s.proc.is_alive():
                s.proc.kill()
            _reap(s)
        self.slots.clear()


def _reap(slot: _Slot) -> None:
    """Wait for a stopped worker; remove what it left half-written of its document's reports."""
    slot.proc.join()
    slot.conn.close()
    job = slot.job
    if job is not None and job.out is not None:
        remove_temporaries(Path(job.out), [f"{job.name}.{fmt}" for fmt in job.formats])


def _how(exitcode: int | None) -> str:
    """How a worker ended, for the record: by a signal (SIGKILL: often the out-of-memory killer) or a status."""
    if exitcode is not None and exitcode < 0:
        return f"killed by {signal.Signals(-exitcode).name}"
    return f"with exit status {exitcode}"
