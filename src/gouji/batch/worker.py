"""One document in a worker process: read, review, write its reports, return a small record.

A failure is a record too. Those of the machine rather than of the document (out of memory,
a report that cannot be written, a worker that died, a document over its time) are marked
``transient``: ``--resume`` tries them again.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from gouji import __version__, collection
from gouji.batch.files import atomic_write
from gouji.errors import DocumentTimeout, GoujiError, OutputNotWritable, WorkerLost
from gouji.paths import display_path
from gouji.records import dataclass
from gouji.report.problems import brief


@dataclass(frozen=True)
class Job:
    """One document of a batch: where it is, its name and fingerprint, what to write."""

    source: str
    name: str
    sha256: str
    out: str | None  # folder of the per-document reports; None: write none
    formats: tuple[str, ...] = ("json", "html")
    models: str | None = None  # model directory or id for the model stages; None: rules only
    pdf_reader: str | None = None  # how PDFs are read (gouji.ingest.PDF_READERS); None: the default
    read_from: str | None = None  # where the input's bytes are when not at source: a cluster worker's copy (--send-inputs)
    return_files: bool = False  # the reports' bytes go back in the record's "files", not to ``out`` (a cluster task)


def preload() -> None:
    """Import the review stages and load their data in the parent, so forked workers start warm."""
    import gouji.alignment.review
    import gouji.ingest
    import gouji.report.checklist
    import gouji.report.json_report  # noqa: F401
    from gouji.narrative.lexicon import lexicon
    from gouji.report.html import template

    lexicon()
    template()


PR_SET_PDEATHSIG = 1  # linux/prctl.h
_memory_mib = 0  # the address-space limit of this process, for the out-of-memory message


def serve(conn: Connection, parent: int, memory_mib: int) -> None:
    """A worker: review each job received on ``conn``, send back its record; stop on None or EOF."""
    init_worker(parent, memory_mib)
    while True:
        try:
            job = conn.recv()
        except EOFError:  # the parent is gone
            return
        if job is None:
            return
        conn.send(process(job))


def init_worker(parent: int, memory_mib: int = 0) -> None:
    """Workers leave Ctrl-C to the parent, which lets running documents finish; they die with
    the parent and hold at most ``memory_mib`` MiB of address space (0: no limit)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    limit_memory(memory_mib)
    gc.freeze()  # what the parent loaded before the fork
    gc.set_threshold(*collection.THRESHOLD)


def die_with_parent(parent: int) -> None:
    """Be killed when ``parent`` dies (even by SIGKILL): no orphan goes on writing reports."""
    if not (sys.platform.startswith("linux") and _pdeathsig()):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="gouji-parent-watch").start()
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)


def _pdeathsig() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def limit_memory(mib: int) -> None:
    """Cap this process's address space (RLIMIT_AS) at ``mib`` MiB; a lower cap already set stays."""
    global _memory_mib
    try:
        import resource
    except ImportError:  # not POSIX
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if mib > 0 and (soft == resource.RLIM_INFINITY or soft > mib << 20):
        soft = mib << 20 if hard == resource.RLIM_INFINITY else min(mib << 20, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    _memory_mib = 0 if soft == resource.RLIM_INFINITY else soft >> 20


def process(job: Job) -> dict:
    """Review one document; never raises for the document's sake (a failure is a record)."""
    t0 = time.perf_counter()
    stage = "read"
    try:
        from gouji.alignment.review import review_document
        from gouji.ingest import read_document
        from gouji.report.json_report import report_dict

        doc = read_document(job.read_from or job.source, job.pdf_reader)
        if job.read_from:
            doc.path = display_path(job.source)  # reports name the client's file, not the worker's copy
        stage = "review"
        models = None
        if job.models is not None:
            from gouji.models.encoder import get_encoder
            from gouji.models.stages import EncoderStages

            models = EncoderStages(get_encoder(job.models))  # loaded on first use, once per worker process
        review = review_document(doc, models=models)
        stage = "report"
        data = report_dict(review)
        if review.models is not None:
            data["models"] = review.models
        pages = _pages(job, review, data)
        stage = "write"
        files = {f"{job.name}.{SUFFIXES.get(fmt, fmt)}": text.encode("utf-8") if isinstance(text, str) else text for fmt, text in pages.items()}
        if not job.return_files:
            for name, raw in files.items():
                atomic_write(Path(job.out) / name, raw)
        outputs = {fmt: f"{job.name}.{SUFFIXES.get(fmt, fmt)}" for fmt in pages}
        rec = record_of(job, data, time.perf_counter() - t0, outputs, pages=doc.meta.pages)
        return {**rec, "files": files} if job.return_files else rec
    except GoujiError as e:
        if job.read_from and e.path == job.read_from:
            e.path = job.source
        return failed_record(job, e.one_line().removeprefix("gouji: "), time.perf_counter() - t0)
    except Exception as e:  # a crash in a stage: recorded, the batch goes on
        return _crash_record(job, stage, e, time.perf_counter() - t0)


# a per-document report's file name after the document's: the annotated PDF is x.gouji.pdf
SUFFIXES = {"pdf": "gouji.pdf"}


def _pages(job: Job, review, data: dict) -> dict[str, str | bytes]:
    """The per-document reports to write, by format (none without an output folder)."""
    from gouji.report.json_report import dumps

    pages = {}
    if job.out is not None and "json" in job.formats:
        pages["json"] = dumps(data) + "\n"
    if job.out is not None and "html" in job.formats:
        from gouji.report.html import to_html

        pages["html"] = to_html(review, data=data, back="../index.html")  # reports/x.html beside index.html
    if job.out is not None and "pdf" in job.formats and Path(job.source).suffix.lower() == ".pdf":
        from gouji.report.pdf_annotations import annotate

        pages["pdf"] = annotate(data, review.document, job.read_from or job.source)  # other sources: none
    return pages


DOING = {"read": "reading", "review": "reviewing", "report": "reporting", "write": "writing"}


def _crash_record(job: Job, stage: str, e: Exception, seconds: float) -> dict:
    """Out of memory or a report that cannot be written is the machine's (transient); the rest a crash."""
    if isinstance(e, MemoryError):
        limit = f", with at most {_memory_mib} MiB per worker" if _memory_mib else ""
        err = WorkerLost(f"ran out of memory while {DOING[stage]}{limit}", path=job.source, hint="raise --max-memory, or check the file; --resume tries it again")
        return transient_record(job, err, seconds)
    if isinstance(e, OSError) and stage == "write":
        err = OutputNotWritable(f"cannot write its reports into {job.out}: {e.strerror or e}", path=job.source, hint="free disk space or check --out; --resume tries it again")
        return transient_record(job, err, seconds)
    return failed_record(job, f"internal error while {DOING[stage]}: {type(e).__name__}: {e}", seconds)


def timeout_record(job: Job, seconds: float, limit: float) -> dict:
    err = DocumentTimeout(f"took longer than {limit:g} s to review and was stopped", path=job.source, hint="raise --timeout, or check the file; --resume tries it again")
    return transient_record(job, err, seconds)


def lost_record(job: Job, seconds: float, why: str) -> dict:
    err = WorkerLost(f"the worker process reviewing it died twice, {why}", path=job.source, hint="check the file, or raise --max-memory if it ran out of memory; --resume tries it again")
    return transient_record(job, err, seconds)


def transient_record(job: Job, err: GoujiError, seconds: float) -> dict:
    """A failure of the machine, not of the document: ``--resume`` reviews it again."""
    return {**failed_record(job, err.one_line().removeprefix("gouji: "), seconds), "transient": True}


# what a batch record keeps of each problem of the JSON report (report/problems.py)


def record_of(job: Job, data: dict, seconds: float, outputs: dict, *, pages: int | None = None) -> dict:
    """The batch record of a reviewed document: its figures, finding rows and checklist rows.

    ``pages``: the page count of a paged source (a PDF); "" in the record for any other.

    ``problems`` are the report's (findings that share a root; ``report.problems.brief`` of each). A
    finding row carries its problem's id and the figures of its arithmetic as decimal strings
    (``report.batch_tables`` makes numbers and spreadsheet text of them).
    """
    from gouji.report.checklist import evaluate

    d = data["document"]
    base = {"document": job.name, "source": display_path(job.source), "unit": d["unit_name"] or "", "year": d["year"] or ""}
    problems = [brief(p) for p in data.get("problems") or []]
    problem_of = {fid: p["id"] for p in problems for fid in p["findings"]}
    findings = []
    for f in data["findings"]:
        loc = f["location"]
        findings.append(
            {
                **base,
                "finding": f["id"],
                "problem": problem_of.get(f["id"], ""),
                "check": f["check"],
                "severity": f["severity"],
                "message": f["message"],
                "span": f["span"],
                "page": loc.get("page") or "",
                "line": loc["line"],
                "expected": f["expected"] or "",
                "actual": f["actual"] or "",
                **_figures(f.get("arithmetic")),
                # a difference the rounding of the published figures allows (dashboard: hidden)
                "within_rounding": bool((f.get("arithmetic") or {}).get("within_rounding")),
            }
        )
    return {
        **base,
        "status": "ok",
        "kind": d["kind"] or "",
        "format": d["format"],
        "counts": d["counts"],
        "problems": problems,
        "tables": sum(1 for t in data["tables"] if t["rows"]),
        "claims": len(data["claims"]),
        "pages": pages or "",
        "seconds": round(seconds, 3),
        "error": "",
        "outputs": outputs,
        "version": __version__,
        "findings": findings,
        "reasons": reason_rows_of(base, data),
        "checklist": evaluate(data),
        "model_links": (data.get("models") or {}).get("links", 0),
    }


def _figures(arithmetic: dict | None) -> dict:
    """The unit (万元 or %) and the stated figure, the computed one and their difference of a
    finding's arithmetic, as decimal strings ("" where there is none)."""
    if not arithmetic:
        return {"figure_unit": "", "stated_value": "", "computed_value": "", "difference_value": ""}

    def text(value: object) -> str:
        return "" if value is None else str(value)

    return {
        "figure_unit": arithmetic.get("unit") or "",
        "stated_value": text((arithmetic.get("stated") or {}).get("value")),
        "computed_value": text((arithmetic.get("result") or {}).get("value")),
        "difference_value": text(arithmetic.get("difference")),
    }


def reason_rows_of(base: dict, data: dict) -> list[dict]:
    """One row per stated reason of a change: the claim it explains, its direction and category."""
    from gouji.narrative.text import clean_prose

    rows = []
    for c in data["claims"]:
        r = c.get("reason")
        if not r:
            continue
        rows.append(
            {
                **base,
                "claim": c["id"],
                "subject": c["subject"] or "",
                "change": (c["comparison"] or {}).get("direction") or "",
                "reason": clean_prose(r["text"], 0).text,
                "direction": r.get("direction") or "",
                "category": r.get("category") or "",
                "category_by": r.get("category_by") or "",
                "line": r["location"]["line"],
            }
        )
    return rows


def failed_record(job: Job, error: str, seconds: float) -> dict:
    from gouji.report.checklist import failed_rows

    return {
        "document": job.name,
        "source": display_path(job.source),
        "unit": "",
        "year": "",
        "status": "failed",
        "kind": "",
        "format": "",
        "counts": {"error": 0, "warning": 0, "info": 0},
        "problems": [],
        "tables": 0,
        "claims": 0,
        "pages": "",
        "seconds": round(seconds, 3),
        "error": error,
        "outputs": {},
        "version": __version__,
        "findings": [],
        "reasons": [],
        "checklist": failed_rows(error),
    }
