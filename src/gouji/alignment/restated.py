"""Figures the prose states twice: a claim restating a figure already borne out is borne out.

"包括在职人员经费 8,657.53 万元、公用经费 3,045.77 万元…" is verified by its sum; the section
"（一）在职人员经费 8,657.53 万元，主要是…" that follows restates the first figure and is borne out
by it. A restatement is the same subject (its known quantity, its 科目 code, or its name as
compared), the same year and the same amount as written; zeros, approximate and malformed
amounts never restate anything, and a claim a finding doubts is no source.
"""

from __future__ import annotations

from gouji.alignment.checks import Context
from gouji.alignment.figures import norm_label
from gouji.narrative.claims import Claim

RESTATED = "restated"


def _key(c: Claim) -> tuple | None:
    """What a restatement must share with its source; None when the claim cannot be one."""
    q = c.amount
    if q is None or c.malformed or c.approximate or q.unit == "%" or q.value == 0:
        return None
    subject = c.subject_id or c.code or norm_label(c.subject or "")
    if not subject:
        return None
    return subject, c.year, q.value, q.unit  # equal Decimals hash alike: 20 restates 20.00


def mark_restated(ctx: Context, doubted: set[str]) -> None:
    """Mark every claim not yet borne out that restates one that is (and that no finding in
    ``doubted`` casts doubt on) as borne out by it."""
    sources: dict[tuple, Claim] = {}
    for c in ctx.claims.claims:
        if c.id in ctx.verified and c.id not in doubted and (k := _key(c)) is not None:
            sources.setdefault(k, c)
    for c in ctx.claims.claims:
        if c.id in ctx.verified or c.id in doubted or (k := _key(c)) is None:
            continue
        src = sources.get(k)
        if src is not None and src.sentence_span != c.sentence_span:
            ctx.mark_verified(c, [f"{RESTATED}:{src.id}"], RESTATED)
