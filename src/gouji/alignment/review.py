"""One document, end to end: tables, claims, checks, findings and claim statuses."""

from __future__ import annotations

from dataclasses import dataclass, field

from gouji.alignment import checks as _checks  # noqa: F401  (registers the checks)
from gouji.alignment.checks import NOT_APPLICABLE, ORDER, Context
from gouji.alignment.coverage_checks import COVERAGE_ORDER
from gouji.alignment.evidence import TableReads, grade, table_reads
from gouji.alignment.findings import Finding
from gouji.alignment.registry import REGISTRY, catalogue, severity_rank
from gouji.alignment.table_checks import TABLE_ORDER
from gouji.ingest.document import Document
from gouji.narrative.extract import ClaimSet, extract_claims
from gouji.tables.build import build_tables
from gouji.tables.model import Table


@dataclass
class Review:
    document: Document
    tables: list[Table]
    claims: ClaimSet
    findings: list[Finding]
    models: dict | None = None  # model stages (linking, reason heads): status, reason, counts (None: not asked for)
    model_links: list = field(default_factory=list)
    coverage: dict = field(default_factory=dict)  # coverage check id -> {status, reason}
    reads: TableReads | None = None  # each table's read verdict
    held_back: int = 0  # errors reported as warnings because their evidence is unconfirmed


def review_document(doc: Document, encoder=None) -> Review:
    """Run every stage and every check on ``doc``; with ``encoder``, model-assisted linking too."""
    tables = build_tables(doc)
    claims = extract_claims(doc)
    reasons = None
    if encoder is not None:
        from gouji.models.reason_heads import apply as apply_reason_heads

        reasons = apply_reason_heads(claims, encoder, doc.meta.year)  # before the checks: it may give a direction
    ctx = Context(doc=doc, tables=tables, claims=claims, by_id=claims.by_id())
    findings: list[Finding] = ctx.findings
    cat = catalogue()
    for cid in [*ORDER, *TABLE_ORDER, *COVERAGE_ORDER]:
        findings.extend(REGISTRY[cid](ctx))
        if cat[cid].coverage and cid not in ctx.coverage:
            ctx.coverage[cid] = {"status": NOT_APPLICABLE, "reason": "检查未记录是否核对"}
    if not any(t.rows and t.kind != "目录" for t in tables):
        findings.append(
            Finding(
                check="document.no_tables",
                severity=catalogue()["document.no_tables"].severity,
                message="未识别出任何预算报表（收支总表、支出表等），无法核对文字与报表。",
                span=_first_line(doc),
                quote="",
            )
        )
    reads = table_reads(tables, findings, doc.meta.source_format)
    held = grade(findings, reads)
    findings.sort(key=lambda f: (severity_rank(f.severity), f.span[0]))
    for i, f in enumerate(findings, start=1):
        f.id = f"F{i}"
    models, links = (None, [])
    if encoder is not None:
        from gouji.alignment.model_links import run_models

        models, links = run_models(ctx, encoder)
        models.update(reasons)
    _set_status(claims, findings, ctx)
    return Review(
        document=doc, tables=tables, claims=claims, findings=findings, models=models, model_links=links, coverage=ctx.coverage,
        reads=reads, held_back=held,
    )


def _set_status(claims: ClaimSet, findings: list[Finding], ctx: Context) -> None:
    worst: dict[str, str] = {}
    for f in findings:
        if f.claim and (f.claim not in worst or severity_rank(f.severity) < severity_rank(worst[f.claim])):
            worst[f.claim] = f.severity
    for c in claims.claims:
        sev = worst.get(c.id)
        if sev == "error":
            c.status = "contradicted"
        elif sev == "warning":
            c.status = "doubtful"
        elif c.id in ctx.verified:
            c.status = "consistent"
        else:
            c.status = "unverifiable"


def _first_line(doc: Document) -> tuple[int, int]:
    if doc.blocks:
        loc = doc.blocks[0].location
        return loc.start, min(loc.end, loc.start + 80)
    return 0, min(len(doc.text), 80)
