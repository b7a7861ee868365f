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


def _q(q: dict | None) -> str:
    return q["surface"] if q else ""


def claims_table(text: str, cs: ClaimSet) -> str:
    """The claims as an aligned text table, then the coverage of the money sentences."""
    rows = [("id", "line", "subject", "code", "amount", "year", "change", "share", "parts of", "reason")]
    for d in claims_dicts(cs):
        cmp = d["comparison"] or {}
        change = " ".join(
            x
            for x in (
                {"increase": "增加", "decrease": "减少", "flat": "持平"}.get(cmp.get("direction"), ""),
                _q(cmp.get("delta")),
                _q(cmp.get("percent")),
                f"(上年 {_q(cmp.get('base'))})" if cmp.get("base") else "",
            )
            if x
        )
        reason = d["reason"]["text"][:24] if d["reason"] else ""
        if d["reason"] and d["reason"]["direction"]:
            reason += f" [{'增' if d['reason']['direction'] == 'increase' else '减'}]"
        line = text.count("\n", 0, d["sentence_span"][0]) + 1
        rows.append(
            (
                d["id"],
                str(line),
                d["subject"] or "",
                d["code"] or "",
                _q(d["amount"]),
                str(d["year"] or ""),
                change,
                _q(d["share"]),
                d["part_of"] or "",
                reason,
            )
        )
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    n = len(cs.sentences)
    by = {}
    for r in cs.sentences:
        key = r.status if r.status != "non-claim" else f"non-claim ({r.reason})"
        by[key] = by.get(key, 0) + 1
    out.append("")
    out.append(f"{n} sentences with amounts: " + ", ".join(f"{k} {v}" for k, v in sorted(by.items())))
    return "\n".join(out)


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def claims_command(files, fmt: str) -> int:
    import json

    from gouji.ingest import read_document
    from gouji.narrative.extract import extract_claims

    chunks = []
    for f in files:
        doc = read_document(f)
        cs = extract_claims(doc)
        if fmt == "json":
            chunks.append(json.dumps({"document": str(f), "claims": claims_dicts(cs)}, ensure_ascii=False, indent=1))
        else:
            chunks.append(f"{f}\n{claims_table(doc.text, cs)}")
    print("\n\n".join(chunks))
    return 0
