"""One document in a worker process: read, review, write its reports, return a small record."""

from __future__ import annotations

import gc
import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from gouji import __version__
from gouji.batch.files import atomic_write
from gouji.errors import GoujiError


@dataclass(frozen=True)
class Job:
    source: str
    name: str
    sha256: str
    out: str | None  # folder of the per-document reports; None: write none
    formats: tuple[str, ...] = ("json", "html")
    models: str | None = None  # model directory or id for the model stages; None: rules only


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


# A review allocates many small objects and keeps few cycles: collecting the youngest
# generation every 50,000 allocations instead of 700 saves about a tenth of the time.
GC_THRESHOLD = (50_000, 20, 100)


@contextmanager
def batch_gc():
    """Fewer garbage collections while documents are reviewed; the loaded code is frozen
    out of them (``gc.freeze``). The previous settings come back afterwards."""
    before = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def init_worker() -> None:
    """Workers leave Ctrl-C to the parent, which lets running documents finish."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()  # what the parent loaded before the fork
    gc.set_threshold(*GC_THRESHOLD)


def process(job: Job) -> dict:
    """Review one document; never raises for the document's sake (a failure is a record)."""
    t0 = time.perf_counter()
    stage = "read"
    try:
        from gouji.alignment.review import review_document
        from gouji.ingest import read_document
        from gouji.report.json_report import dumps, report_dict

        doc = read_document(job.source)
        stage = "review"
        encoder = None
        if job.models is not None:
            from gouji.models.encoder import get_encoder

            encoder = get_encoder(job.models)  # loaded on first use, once per worker process
        review = review_document(doc, encoder=encoder)
        stage = "report"
        data = report_dict(review)
        if review.models is not None:
            data["models"] = review.models
        outputs = {}
        if job.out is not None:
            folder = Path(job.out)
            if "json" in job.formats:
                atomic_write(folder / f"{job.name}.json", dumps(data) + "\n")
                outputs["json"] = f"{job.name}.json"
            if "html" in job.formats:
                from gouji.report.html import to_html

                atomic_write(folder / f"{job.name}.html", to_html(review, data=data))
                outputs["html"] = f"{job.name}.html"
        return record_of(job, data, time.perf_counter() - t0, outputs)
    except GoujiError as e:
        return failed_record(job, e.one_line().removeprefix("gouji: "), time.perf_counter() - t0)
    except Exception as e:  # a crash in a stage: recorded, the batch goes on
        return failed_record(job, f"internal error while {stage}ing: {type(e).__name__}: {e}", time.perf_counter() - t0)


def record_of(job: Job, data: dict, seconds: float, outputs: dict) -> dict:
    """The batch record of a reviewed document: its figures, finding rows and checklist rows."""
    from gouji.report.checklist import evaluate

    d = data["document"]
    base = {"document": job.name, "source": job.source, "unit": d["unit_name"] or "", "year": d["year"] or ""}
    findings = []
    for f in data["findings"]:
        loc = f["location"]
        findings.append(
            {
                **base,
                "finding": f["id"],
                "check": f["check"],
                "severity": f["severity"],
                "message": f["message"],
                "span": f["span"],
                "page": loc.get("page") or "",
                "line": loc["line"],
                "expected": f["expected"] or "",
                "actual": f["actual"] or "",
            }
        )
    return {
        **base,
        "status": "ok",
        "kind": d["kind"] or "",
        "format": d["format"],
        "counts": d["counts"],
        "tables": sum(1 for t in data["tables"] if t["rows"]),
        "claims": len(data["claims"]),
        "seconds": round(seconds, 3),
        "error": "",
        "outputs": outputs,
        "version": __version__,
        "findings": findings,
        "reasons": reason_rows_of(base, data),
        "checklist": evaluate(data),
        "model_links": (data.get("models") or {}).get("links", 0),
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
        "source": job.source,
        "unit": "",
        "year": "",
        "status": "failed",
        "kind": "",
        "format": "",
        "counts": {"error": 0, "warning": 0, "info": 0},
        "tables": 0,
        "claims": 0,
        "seconds": round(seconds, 3),
        "error": error,
        "outputs": {},
        "version": __version__,
        "findings": [],
        "reasons": [],
        "checklist": failed_rows(error),
    }
