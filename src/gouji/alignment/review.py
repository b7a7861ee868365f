"""One document, end to end: tables, claims, checks, findings and claim statuses."""

from __future__ import annotations

from dataclasses import field

from gouji.alignment.checks import NOT_APPLICABLE, Context, SumTally
from gouji.alignment.evidence import TableReads, grade, table_reads
from gouji.alignment.figures import names_levels, norm_label, quantity_names
from gouji.alignment.findings import Finding
from gouji.alignment.lookups import lookup_for, usable_for_tables
from gouji.alignment.registry import run_order, severity_rank
from gouji.alignment.restated import mark_restated
from gouji.ingest.document import Document
from gouji.labels import claim_status_of, verified_bases
from gouji.narrative.extract import ClaimSet, extract_claims
from gouji.records import dataclass
from gouji.tables.build import build_tables
from gouji.tables.model import Table


@dataclass
class Review:
    """One document reviewed: what was read and every finding on it."""

    document: Document
    tables: list[Table]
    claims: ClaimSet
    findings: list[Finding]
    models: dict | None = None  # model stages (linking, reason heads): status, reason, counts (None: not asked for)
    model_links: list = field(default_factory=list)
    coverage: dict = field(default_factory=dict)  # coverage check id -> {status, reason}
    reads: TableReads | None = None  # each table's read verdict
    held_back: int = 0  # errors reported as warnings because their evidence is unconfirmed
    sums: SumTally = field(default_factory=SumTally)  # each table's own sums: tested, failed
    checks_run: list[str] = field(default_factory=list)  # ids of the checks run, in order


TYPE_CHECKING = False  # typing's constant, without importing typing at every start
if TYPE_CHECKING:  # an interface for type checkers: any object with these methods serves
    from typing import Protocol

    class ModelStages(Protocol):
        """Model-assisted stages a review runs when its caller gives them (``--models``).

        ``gouji.models.stages.EncoderStages`` is the one the CLI and the batch use; alignment
        does not import the models."""

        def reasons(self, claims: ClaimSet, year: int | None) -> dict:
            """Before the checks (it may give a stated reason its direction): the report's summary."""
            ...

        def links(self, ctx: Context) -> tuple[dict, list]:
            """After the checks: (summary for the report, accepted links)."""
            ...


def review_document(doc: Document, models: ModelStages | None = None) -> Review:
    """Run every stage and every check on ``doc``; with ``models``, the model stages too."""
    tables = build_tables(doc)
    claims = extract_claims(doc)
    reasons = None
    if models is not None:
        reasons = models.reasons(claims, doc.meta.year)  # before the checks: it may give a direction
    ctx = Context(doc=doc, tables=tables, claims=claims, by_id=claims.by_id())
    findings: list[Finding] = ctx.findings
    ran = []
    for chk in run_order():
        findings.extend(chk.run(ctx))
        ran.append(chk.id)
        if chk.spec.coverage and chk.id not in ctx.coverage:
            ctx.coverage[chk.id] = {"status": NOT_APPLICABLE, "reason": "检查未记录是否核对"}
    reads = table_reads(tables, findings, doc.meta.source_format, doc.confidence if doc.meta.source_format == "pdf_ocr" else None)
    held = grade(findings, reads)
    findings.sort(key=lambda f: (severity_rank(f.severity), f.span[0]))
    for i, f in enumerate(findings, start=1):
        f.id = f"F{i}"
    summary, links = (None, [])
    if models is not None:
        summary, links = models.links(ctx)
        summary.update(reasons)
    mark_restated(ctx, {f.claim for f in findings if f.claim and f.severity in ("error", "warning")})
    _set_status(claims, findings, ctx)
    return Review(
        document=doc, tables=tables, claims=claims, findings=findings, models=summary, model_links=links, coverage=ctx.coverage,
        reads=reads, held_back=held, checks_run=ran, sums=ctx.sums,
    )


def _set_status(claims: ClaimSet, findings: list[Finding], ctx: Context) -> None:
    worst: dict[str, str] = {}
    for f in findings:
        if f.claim and (f.claim not in worst or severity_rank(f.severity) < severity_rank(worst[f.claim])):
            worst[f.claim] = f.severity
    # no budget table at all (a work report, a 绩效评价 report): none holds any quantity
    tables = any(t.rows and t.kind not in (None, "目录") for t in ctx.tables)
    bases = list(verified_bases())  # strongest first
    for c in claims.claims:
        sev = worst.get(c.id)
        if sev in ("error", "warning"):
            c.status = claim_status_of(sev)
        elif c.id in ctx.verified:
            c.status = "consistent"
            c.verified_by = [b for b in bases if b in ctx.bases.get(c.id, ())]
        else:
            c.status = "unverifiable"
            c.unverifiable_reason = _why_unverifiable(ctx, c, tables)


def _why_unverifiable(ctx: Context, c, tables: bool) -> str:
    """The first reason of data/labels.yaml ``unverifiable_reasons`` that holds for the claim
    (``tables``: whether the document has any budget table)."""
    if c.amount is None:
        return "no_amount"
    if not usable_for_tables(ctx, c) or c.id in ctx.unplaced:
        return "outside_scope"
    if not tables:
        return "no_table"
    understood = c.subject_id or c.code or norm_label(c.subject) in quantity_names() or names_levels(c.subject)
    if not understood and not lookup_for(ctx, c).figures:
        return "subject_not_understood"
    return "no_table"
