"""The batch on a dask.distributed cluster (``gouji review --scheduler``): one task per document.

A task reviews its document on a dask worker in a child process (a ``pool.Pool`` of one per
worker thread, kept from task to task), so the time and memory limits and the second try of a
process that died are the local batch's; it
returns the record with its reports' bytes, and the client writes them and hands the record to
``runner`` as the local pool does (resume state, progress, summaries). Dask reschedules the
tasks of a lost worker (``distributed.scheduler.allowed-failures``) and retries a task that
raised (``RETRIES``). dask is imported on this path only: ``gouji check`` never loads it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import re
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gouji import __version__
from gouji.batch.files import atomic_write
from gouji.batch.worker import Job, _crash_record, process, transient_record
from gouji.errors import ClusterUnavailable, WorkerLost

if TYPE_CHECKING:
    from distributed import Client, Future

    from gouji.batch.pool import Pool

EXTRA = "pip install 'gouji[cluster]'"
RETRIES = 2  # a task that raised (not the document: a failure is a record) is tried twice more
IN_FLIGHT_PER_THREAD = 4  # tasks submitted ahead per worker thread: few inputs held as bytes at a time
CONNECT_SECONDS = 10.0
WINDOW_SECONDS = 2.0  # how often the cluster's size is asked again (workers may join or leave)
LOCAL = re.compile(r"local:([1-9]\d*)")
ADDRESS = re.compile(r"(tcp|tls)://\S+:\d+")

Done = Callable[[Job, dict], None]


def parse_scheduler(text: str) -> str:
    """``text`` if it is ``local:N`` or a scheduler address (``tcp://HOST:PORT``); else ValueError."""
    if LOCAL.fullmatch(text) or ADDRESS.fullmatch(text):
        return text
    raise ValueError(f"not local:N or tcp://HOST:PORT (or tls://): {text!r}")


def require() -> Any:
    """The ``distributed`` module, or ClusterUnavailable (G011) naming the extra to install."""
    try:
        import distributed
    except ImportError:
        raise ClusterUnavailable(f"--scheduler needs dask.distributed, which is not installed ({EXTRA})") from None
    return distributed


@contextmanager
def connect(scheduler: str | None, client: Client | None = None) -> Iterator[Client]:
    """A client of ``client`` (left open), of a LocalCluster of N worker processes
    (``local:N``, closed afterwards) or of the scheduler at an address."""
    if client is not None:
        yield client
        return
    distributed = require()
    local = LOCAL.fullmatch(scheduler or "")
    if local:
        n = int(local.group(1))
        # one thread a worker: a document takes a core, and its child process is the unit of isolation;
        # the diagnostics server on any free port (8787 may be taken)
        with (
            distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
            distributed.Client(cluster) as c,
        ):
            yield c
        return
    try:
        c = distributed.Client(scheduler, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as e:
        raise ClusterUnavailable(
            f"cannot reach the dask scheduler: {e}", path=scheduler, hint="start it with 'dask scheduler' and workers with 'dask worker ADDRESS'"
        ) from None
    with c:
        yield c


def dispatch(todo: list[Job], done: Done, client: Client, *, timeout: float, memory_mib: int, send_inputs: bool, interrupted: Callable[[], bool]) -> None:
    """Review ``todo`` on the cluster, calling ``done(job, record)`` as tasks complete; once
    ``interrupted()``, submit no more and return when the submitted ones are done."""
    from distributed import as_completed

    _check_versions(client)
    queue = deque(todo)
    pending: dict[Future, tuple[Job, float]] = {}
    completed = as_completed()
    window = _Window(client)

    def submit() -> None:
        while queue and len(pending) < window.size() and not interrupted():
            job = queue.popleft()
            data = None
            if send_inputs:
                try:
                    data = Path(job.source).read_bytes()
                except OSError:  # reviewed here: the failure record the local batch would make
                    done(job, process(job))
                    continue
            future = client.submit(review_task, job, data, timeout, memory_mib, pure=False, retries=RETRIES)
            pending[future] = (job, time.monotonic())
            completed.add(future)

    try:
        submit()
        for future in completed:
            job, started = pending.pop(future)
            done(job, _received(job, future, started))
            submit()
    finally:
        for future in pending:  # an interrupt that could not wait
            future.cancel()


class _Window:
    """How many tasks may be submitted and not done: ``IN_FLIGHT_PER_THREAD`` per worker thread."""

    def __init__(self, client: Client):
        self.client, self.checked, self.threads = client, 0.0, 1

    def size(self) -> int:
        if time.monotonic() - self.checked > WINDOW_SECONDS:
            self.threads = max(1, sum(self.client.nthreads().values()))
            self.checked = time.monotonic()
        return self.threads * IN_FLIGHT_PER_THREAD


def _received(job: Job, future: Future, started: float) -> dict:
    """The record of a finished task, its reports written; a task that failed is a transient record."""
    try:
        rec = future.result()
    except Exception as e:  # lost on too many workers (KilledWorker), or failed RETRIES + 1 times
        err = WorkerLost(
            f"its dask task failed: {type(e).__name__}: {e}", path=job.source, hint="check the file and the workers' logs; --resume tries it again"
        )
        return transient_record(job, err, time.monotonic() - started)
    files = rec.pop("files", {})
    try:
        for name, raw in files.items():
            atomic_write(Path(job.out) / name, raw)
    except OSError as e:
        return _crash_record(job, "write", e, rec["seconds"])
    return rec


def _check_versions(client: Client) -> None:
    """The workers must run this gouji: a record is only as good as the version that made it."""
    try:
        versions = set(client.run(_version).values())
    except Exception as e:  # a worker without gouji: the function cannot be unpickled there
        raise ClusterUnavailable(f"the dask workers cannot run gouji: {type(e).__name__}: {e}", hint="install gouji on every worker") from None
    if versions - {__version__}:
        raise ClusterUnavailable(
            f"the workers run gouji {', '.join(sorted(versions))}, this is gouji {__version__}", hint="install the same gouji on every worker"
        )


def _version() -> str:
    from gouji import __version__

    return __version__


_pools = threading.local()  # a dask worker thread's Pool: its process outlives the task


def review_task(job: Job, data: bytes | None, timeout: float, memory_mib: int) -> dict:
    """On a worker: the record of ``job`` with ``files`` (its reports' bytes by file name).

    ``data``: the input's bytes sent by the client (None: read ``job.source``, a shared path).
    The document's process is kept for the thread's next task, as a local worker is: what a
    review loads and caches on first use stays loaded (a fresh process a task cost about 40 % more CPU).
    """
    pool = _pool(timeout, memory_mib)
    records: list[dict] = []
    pool.done = lambda _job, rec: records.append(rec)
    with tempfile.TemporaryDirectory(prefix="gouji-task-") as tmp:
        if data is not None:
            copy = Path(tmp) / Path(job.source).name
            copy.write_bytes(data)
            job = replace(job, read_from=str(copy))
        # nothing is written to the client's folder from here: a killed child's leftovers are in tmp
        job = replace(job, out=tmp if job.out is not None else None, return_files=True)
        pool.run([job], lambda: False, keep=True)
    return records[0]


def _pool(timeout: float, memory_mib: int) -> Pool:
    """This thread's Pool of one process, made again when the limits change."""
    from gouji.batch.pool import Pool

    pool = getattr(_pools, "pool", None)
    if pool is None or (pool.timeout, pool.memory_mib) != (timeout, memory_mib):
        if pool is not None:
            pool.close()
        _allow_children()
        pool = _pools.pool = Pool(1, lambda _job, rec: None, timeout=timeout, memory_mib=memory_mib)
    return pool


def _allow_children() -> None:
    """Let this worker start the document's process: a dask worker is daemonic
    (``distributed.worker.daemon``) and multiprocessing refuses children to those, which it
    could not stop; the document's process dies with the worker anyway (``worker.die_with_parent``)."""
    me = multiprocessing.current_process()
    if me.daemon:
        with contextlib.suppress(AssertionError):
            me.daemon = False
