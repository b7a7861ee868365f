"""The JSON report (schema ``gouji.report/1``)."""

from __future__ import annotations

from gouji import __version__
from gouji.alignment.findings import fingerprints
from gouji.alignment.review import Review
from gouji.narrative.claims import Claim
from gouji.narrative.serialize import claim_fields
from gouji.report.problems import counts as problem_counts
from gouji.report.problems import problems

SCHEMA = "gouji.report/1"


def _claim(review: Review, c: Claim) -> dict:
    """The narrative-level fields (``narrative.serialize.claim_fields``), then the review's."""
    return {
        **claim_fields(c, review.document, review.claims.groups),
        "status": c.status,
        "unverifiable_reason": c.unverifiable_reason,
        "verified_by": c.verified_by,
        "checked_against": c.evidence,
    }


def _table(t, reads, sums) -> dict:
    read = reads.tables.get(t.id) if reads is not None else None
    return {
        "id": t.id,
        "title": t.title,
        "kind": t.kind,
        "unit": t.unit,
        "location": t.location.to_dict(),
        "segments": t.segments,
        "read": None if read is None else {"status": "confirmed" if read.confirmed else "doubtful", "note": read.note},
        "sums": sums.of(t.id),  # the table's own sums evaluated, and those failing beyond rounding
        "columns": [c.label for c in t.columns],
        "rows": [
            {
                "code": r.code,
                "name": r.name,
                "total": r.is_total,
                "line": r.location.line,
                **({"page": r.location.page} if r.location.page is not None else {}),
                "cells": [c.text for c in r.cells],
            }
            for r in t.rows
        ],
    }


def _findings(review: Review) -> list[dict]:
    out = [f.to_dict(review.document) for f in review.findings]
    for d, fp in zip(out, fingerprints(out), strict=True):
        d["fingerprint"] = fp
    return out


def report_dict(review: Review) -> dict:
    doc = review.document
    counts = {s: sum(1 for f in review.findings if f.severity == s) for s in ("error", "warning", "info")}
    findings = _findings(review)
    grouped = problems(findings)
    return {
        "schema": SCHEMA,
        "tool": {"name": "gouji", "version": __version__},
        "document": {
            "path": doc.path,
            "unit_name": doc.meta.unit_name,
            "year": doc.meta.year,
            "kind": doc.meta.doc_kind,
            "encoding": doc.meta.encoding,
            "format": doc.meta.source_format,
            "counts": counts,
            "problem_counts": problem_counts(grouped),
            "held_back": review.held_back,
        },
        "tables": [_table(t, review.reads, review.sums) for t in review.tables],
        "claims": [_claim(review, c) for c in review.claims.claims],
        "findings": findings,
        # findings that share a root (one claim, one span, one equation, one text): what a
        # reviewer counts (report/problems.py)
        "problems": grouped,
        # per coverage check (checks.yaml `coverage: true`): evaluated / not_applicable and why
        "coverage": review.coverage,
    }


def dumps(data: object) -> str:
    """JSON text of a report: UTF-8 characters as they are, two-space indents.

    orjson writes the same text as ``json.dumps(data, ensure_ascii=False, indent=2)``
    about fifty times faster; with indents the standard library falls back to pure Python.
    """
    import orjson  # imported when a JSON report is written, not by every check

    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode("utf-8")


def to_json(review: Review) -> str:
    return dumps(report_dict(review))
