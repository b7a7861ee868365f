"""``index.html`` of a batch: every document with its counts and report links, sortable, and
totals per check and per checklist item. Self-contained like the per-document report."""

from __future__ import annotations

import base64
import hashlib
from collections import Counter

from gouji import __version__
from gouji.alignment.registry import catalogue, severity_rank
from gouji.report.batch_tables import category_totals, checklist_totals, document_rows
from gouji.report.checklist import FAIL, PASS, UNKNOWN
from gouji.report.html import _env, _static


def dashboard_model(records: list[dict], *, interrupted: bool = False, total: int | None = None) -> dict:
    """The data ``index.html`` renders."""
    cat = catalogue()
    per_check: Counter[str] = Counter()
    docs_per_check: Counter[str] = Counter()
    severity_of: dict[str, str] = {}
    for r in records:
        seen = set()
        for f in r["findings"]:
            per_check[f["check"]] += 1
            severity_of.setdefault(f["check"], f["severity"])
            seen.add(f["check"])
        docs_per_check.update(seen)
    checks = [
        {
            "id": cid,
            "severity": cat[cid].severity if cid in cat else severity_of[cid],
            "description": cat[cid].description if cid in cat else "",
            "count": per_check[cid],
            "documents": docs_per_check[cid],
        }
        for cid in sorted(per_check, key=lambda c: (severity_rank(cat[c].severity) if c in cat else 9, -per_check[c], c))
    ]
    docs = document_rows(records)
    for d, r in zip(docs, records, strict=True):
        d["failed_items"] = sum(1 for c in r["checklist"] if c["status"] == FAIL)
    docs.sort(key=lambda d: -d["errors"])  # most errors first, input order among equals
    totals = {s: sum(r["counts"][s] for r in records) for s in ("error", "warning", "info")}
    return {
        "version": __version__,
        "documents": docs,
        "total": total if total is not None else len(records),
        "ok": sum(1 for r in records if r["status"] == "ok"),
        "failed": sum(1 for r in records if r["status"] == "failed"),
        "totals": totals,
        "checks": checks,
        "checklist": checklist_totals(records),
        "categories": category_totals(records),
        "labels": {"pass": PASS, "fail": FAIL, "unknown": UNKNOWN},
        "interrupted": interrupted,
    }


def to_index_html(records: list[dict], *, interrupted: bool = False, total: int | None = None) -> str:
    js = _static("index.js")
    digest = base64.b64encode(hashlib.sha256(str(js).encode("utf-8")).digest()).decode("ascii")
    return _env().get_template("index.html.j2").render(
        m=dashboard_model(records, interrupted=interrupted, total=total),
        css=_static("index.css"),
        js=js,
        script_hash=f"sha256-{digest}",
    )
