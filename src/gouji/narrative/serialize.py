"""Claims as plain data: for the golden files, ``gouji claims`` and the JSON report."""

from __future__ import annotations

from gouji.narrative.claims import Claim, Quantity
from gouji.narrative.extract import ClaimSet


def quantity_dict(q: Quantity | None) -> dict | None:
    if q is None:
        return None
    return {"surface": q.text, "span": list(q.span), "value": str(q.value), "unit": q.unit}


def claim_dict(c: Claim) -> dict:
    cmp = c.comparison
    return {
        "id": c.id,
        "sentence_span": list(c.sentence_span),
        "subject": c.subject,
        "subject_id": c.subject_id,
        "code": c.code,
        "amount": quantity_dict(c.amount),
        "year": c.year,
        "comparison": None
        if cmp is None
        else {
            "direction": cmp.direction,
            "delta": quantity_dict(cmp.delta),
            "percent": quantity_dict(cmp.percent),
            "base": quantity_dict(cmp.base),
            "base_year": cmp.base_year,
        },
        "share": quantity_dict(c.share),
        "parts": list(c.parts),
        "part_of": c.part_of,
        "reason": None
        if c.reason is None
        else {
            "text": c.reason.text,
            "span": list(c.reason.span),
            "direction": c.reason.direction,
            "amounts": [q.text for q in c.reason.amounts],
        },
        "zero_by_word": c.zero_by_word,
        "approximate": c.approximate,
        "blocked": c.blocked,
    }


def claims_dicts(cs: ClaimSet) -> list[dict]:
    parts: dict[str, list[dict]] = {}
    for g in cs.groups:
        if g.parts:
            parts.setdefault(g.parent, []).append({"kind": g.kind, "parts": list(g.parts), "incomplete": g.incomplete})
    out = []
    for c in cs.claims:
        d = claim_dict(c)
        d["parts"] = parts.get(c.id, [])
        out.append(d)
    return out
