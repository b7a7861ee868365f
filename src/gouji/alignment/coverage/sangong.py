"""Whether the prose states each item of the “三公”经费 (``narrative.sangong_items``)."""

from __future__ import annotations

from gouji.alignment.checks import Context, claim_finding
from gouji.alignment.coverage.prose import (
    NO_PROSE,
    coverage_cfg,
    is_own_amount,
    none_about,
    plain,
    prose_paragraphs,
    prose_sentences,
    stated_in_text,
)
from gouji.alignment.findings import Finding
from gouji.alignment.registry import check
from gouji.patterns import re_


@check("narrative.sangong_items")
def sangong_items(ctx: Context) -> list[Finding]:
    cid = "narrative.sangong_items"
    if not ctx.claims.claims:
        ctx.record_coverage(cid, False, NO_PROSE)
        return []
    cfg = coverage_cfg()["sangong"]
    topic = re_(cfg["topic"])
    items = [(it["name"], re_(it["pattern"])) for it in cfg["items"]]
    own = [(c, plain(c.subject)) for c in ctx.claims.claims if is_own_amount(ctx, c)]
    topic_claims = [c for c, s in own if topic.search(s) and not any(p.search(s) for _, p in items)]
    sentences = list(prose_sentences(ctx))
    none_spans = [span for s, span in sentences if none_about(s, topic)]
    if not topic_claims and not none_spans:
        ctx.record_coverage(cid, False, "文字说明未涉及“三公”经费")
        return []
    zero = next((c for c in topic_claims if c.amount.value == 0 and not c.part_of), None)
    if zero is not None or none_spans:
        ctx.record_coverage(cid, True, "文字说明“三公”经费为零或无，各分项均无")
        return []
    stop = re_("|".join([cfg["topic"], *(it["pattern"] for it in cfg["items"])]))
    paragraphs = list(prose_paragraphs(ctx))
    missing = [
        name
        for name, p in items
        if not any(p.search(s) for _, s in own) and not any(stated_in_text(t, p, stop) for t in paragraphs)
    ]
    ctx.record_coverage(cid, True, "已核对文字说明中“三公”经费的三个分项")
    if not missing:
        return []
    first = topic_claims[0]
    return [
        claim_finding(
            cid,
            first,
            first.span,
            fields={"subject": "“三公”经费", "stated": first.amount.text, "missing": "、".join(missing)},
            expected="、".join(name for name, _ in items),
            actual="未说明：" + "、".join(missing),
        )
    ]
