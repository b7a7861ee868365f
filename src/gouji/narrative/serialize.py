"""The claim schema: every plain-data form of a claim is built here.

- ``claim_fields``: the narrative-level fields of a claim in the JSON report (``gouji check
  --format json``, read by the HTML report, the batch tables, the checklist and the
  dashboard): amounts in 万元 as exact decimal strings, locations, parts as claim ids. The
  report's claim is these fields followed by the review-level ones (``status``,
  ``checked_against``: ``report.json_report``).
- ``claim_dict`` / ``claims_dicts``: the claims as extracted, every quantity as written with
  its document offsets (``gouji claims --format json``, the golden files of
  ``tests/golden/claims``, which assert this form).

Both write a comparison through ``_comparison``; they differ in how a quantity is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from gouji.ingest.document import Document
from gouji.narrative.claims import Claim, Comparison, PartsGroup, Quantity
from gouji.narrative.extract import ClaimSet
from gouji.narrative.lexicon import direction_words
from gouji.quantities.fixed import quantized


def _comparison(cmp: Comparison | None, amount: Callable, percent: Callable) -> dict | None:
    """A comparison with ``amount`` writing its delta and base, ``percent`` its percentage."""
    if cmp is None:
        return None
    return {
        "direction": cmp.direction,
        "delta": amount(cmp.delta),
        "percent": percent(cmp.percent),
        "base": amount(cmp.base),
        "base_year": cmp.base_year,
    }


# --- the report form -----------------------------------------------------------------


def _dec(x: Decimal | None) -> str | None:
    return None if x is None else format(x.normalize() if x != x.to_integral() else quantized(x, Decimal(1)), "f")


def _wan(q: Quantity | None) -> str | None:
    if q is None:
        return None
    return format(q.wan.normalize(), "f") if q.wan != 0 else "0"


def _percent(q: Quantity | None) -> str | None:
    return None if q is None else _dec(q.value)


def claim_fields(c: Claim, doc: Document, groups: Sequence[PartsGroup]) -> dict:
    """The narrative-level fields of a claim of ``doc`` in the JSON report; ``groups``: the
    parts groups of its claim set."""
    start, end = c.span
    group = next((g for g in groups if g.parent == c.id), None)
    return {
        "id": c.id,
        "text": c.sentence,
        "span": doc.text[start:end],
        "location": doc.location(start, end).to_dict(),
        "subject": c.subject or None,
        "subject_id": c.subject_id,
        "code": c.code,
        "amount": _wan(c.amount),
        "unit": c.amount.unit if c.amount else None,
        "amount_as_written": c.amount.text if c.amount else None,
        "year": c.year,
        "comparison": _comparison(c.comparison, _wan, _percent),
        "share": None if c.share is None else {"percent": _dec(c.share.value), "of": c.share_of or c.part_of},
        "parts": [p for g in groups if g.parent == c.id for p in g.parts],
        "parts_complete": None if group is None else not group.incomplete,
        "part_of": c.part_of,
        "reason": None
        if c.reason is None
        else {
            "text": c.reason.text,
            "location": doc.location(*c.reason.span).to_dict(),
            "direction": c.reason.direction,
            "direction_by": c.reason.direction_by if c.reason.direction else None,
            "category": c.reason.category,
            "category_by": c.reason.category_by,
        },
        "approximate": c.approximate,
    }


# --- the extraction form (gouji claims, golden files) ---------------------------------


def quantity_dict(q: Quantity | None) -> dict | None:
    if q is None:
        return None
    return {"surface": q.text, "span": list(q.span), "value": str(q.value), "unit": q.unit}


def claim_dict(c: Claim) -> dict:
    return {
        "id": c.id,
        "sentence_span": list(c.sentence_span),
        "subject": c.subject,
        "subject_id": c.subject_id,
        "code": c.code,
        "amount": quantity_dict(c.amount),
        "year": c.year,
        "comparison": _comparison(c.comparison, quantity_dict, quantity_dict),
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
                direction_words().get(cmp.get("direction"), ""),
                _q(cmp.get("delta")),
                _q(cmp.get("percent")),
                f"(上年 {_q(cmp.get('base'))})" if cmp.get("base") else "",
            )
            if x
        )
        reason = _clip(d["reason"]["text"], REASON_COLUMNS) if d["reason"] else ""
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
    rows = [tuple(" ".join(c.split()) for c in r) for r in rows]  # a cell is one line, whatever the source's breaks
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


REASON_COLUMNS = 48  # display columns of the reason shown in ``claims_table``


def _width(s: str) -> int:
    """Terminal columns of ``s``: 2 per wide or full-width character (Chinese), 0 per combining
    or zero-width one, else 1 (as ``report.text_report.display_width``)."""
    import unicodedata

    def w(ch: str) -> int:
        if unicodedata.east_asian_width(ch) in "WF":
            return 2
        return 0 if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc") else 1

    return sum(w(ch) for ch in s)


def _clip(s: str, columns: int) -> str:
    """``s`` cut to at most ``columns`` display columns, with “…” when cut."""
    s = " ".join(s.split())
    if _width(s) <= columns:
        return s
    out = ""
    for ch in s:
        if _width(out + ch) > columns - 1:
            break
        out += ch
    return out + "…"


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
