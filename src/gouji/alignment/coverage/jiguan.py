"""Whether the prose states the 机关运行经费 or that there is none (``narrative.jiguan_explained``)."""

from __future__ import annotations

from gouji.alignment.checks import Context, claim_finding
from gouji.alignment.coverage.prose import (
    NO_PROSE,
    coverage_cfg,
    is_own_amount,
    plain,
    prose_paragraphs,
    stated_in_text,
)
from gouji.alignment.findings import Finding
from gouji.alignment.registry import check
from gouji.ingest.document import Heading
from gouji.patterns import re_


@check("narrative.jiguan_explained")
def jiguan_explained(ctx: Context) -> list[Finding]:
    cid = "narrative.jiguan_explained"
    if not ctx.claims.claims:
        ctx.record_coverage(cid, False, NO_PROSE)
        return []
    if ctx.doc.meta.doc_kind is None:
        ctx.record_coverage(cid, False, "文件不是部门预算或决算公开（未识别出预算/决算），不要求说明机关运行经费")
        return []
    subject = re_(coverage_cfg()["jiguan"]["subject"])
    ctx.record_coverage(cid, True, "已查找文字说明中的机关运行经费")
    if any(is_own_amount(ctx, c) and subject.search(plain(c.subject)) for c in ctx.claims.claims):
        return []
    if any(stated_in_text(t, subject) for t in prose_paragraphs(ctx)):
        return []
    span = next(
        ((b.location.start, b.location.end) for b in ctx.doc.blocks if isinstance(b, Heading) and subject.search(plain(b.text))),
        ctx.claims.claims[0].span,
    )
    return [
        claim_finding(
            cid,
            None,
            span,
            expected="机关运行经费的金额，或“无/不涉及”",
            actual="未说明",
        )
    ]
