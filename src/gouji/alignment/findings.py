"""Findings: one contradiction (or doubt), with the text it is about and its evidence."""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal, InvalidOperation

from gouji.alignment.arithmetic import PLACES, Arithmetic
from gouji.ingest.document import Document
from gouji.patterns import re_
from gouji.quantities.fixed import quantized
from gouji.records import dataclass

_NUMBER_RE = re_(r"\d[\d,，]*(?:\.\d+)?")
_SPACE_RE = re_(r"\s+")


@dataclass
class Finding:
    """One problem a check found, with the document span it is about and its evidence."""

    check: str
    severity: str
    message: str
    span: tuple[int, int]  # document offsets of the shortest text it is about
    quote: str
    claim: str | None = None
    evidence: list[dict] = field(default_factory=list)
    expected: str | None = None
    actual: str | None = None
    tolerance: str | None = None
    arithmetic: Arithmetic | None = None  # the computation behind a numeric finding
    # the message's catalogue entry (data/messages.yaml: check id and variant) and its fields
    variant: str = "default"
    fields: dict[str, str] = field(default_factory=dict)
    # what the finding rests on (gouji.alignment.evidence.Link): table reads, the claim's
    # link to a figure, the claim's parse; an error stands only when every link is confirmed
    chain: list = field(default_factory=list)
    held_back: bool = False  # an error made a warning because a link is unconfirmed
    id: str = ""

    @property
    def difference(self) -> Decimal | None:
        """What the figures give less what is stated (of a sum: the parts less the total)."""
        return self.arithmetic.difference if self.arithmetic is not None else None

    def to_dict(self, doc: Document) -> dict:
        start, end = self.span
        loc = doc.location(start, end).to_dict()
        return {
            "id": self.id,
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "message_id": f"{self.check}/{self.variant}",
            "fields": dict(self.fields),
            "span": doc.text[start:end],
            "quote": self.quote,
            "location": loc,
            "claim": self.claim,
            "evidence": _with_confidence(self.evidence, doc),
            "expected": self.expected,
            "actual": self.actual,
            "tolerance": self.tolerance,
            "arithmetic": None if self.arithmetic is None else self.arithmetic.to_dict(),
            "difference": None if self.difference is None else _decimal_text(self.difference),
            "chain": [link.to_dict() for link in self.chain],
            "held_back": self.held_back,
        }


def _with_confidence(evidence: list[dict], doc: Document) -> list[dict]:
    """The evidence cells, each of a scan read by OCR with the recognition confidence of its
    text (``ocr_confidence``, the lowest of its characters')."""
    if doc.meta.source_format != "pdf_ocr":
        return evidence
    out = []
    for ev in evidence:
        loc = ev.get("location") or {}
        c = doc.confidence(loc["start"], loc["end"]) if "start" in loc and "end" in loc else None
        out.append(ev if c is None else {**ev, "ocr_confidence": round(c, 3)})
    return out


def _decimal_text(x: Decimal) -> str:
    """``x`` as written, or to ten places when it has more (the quotient of a ratio)."""
    return format(quantized(x, PLACES) if x.as_tuple().exponent < PLACES.as_tuple().exponent else x, "f")


def _figure(text: str) -> str | None:
    try:
        return format(Decimal(text.replace(",", "").replace("，", "")).normalize(), "f")
    except InvalidOperation:
        return None


def fingerprint_parts(finding: dict) -> dict:
    """What identifies a finding across runs: check, place, span, sentence, the cells and figures it cites.

    ``finding`` is the JSON report's form (``Finding.to_dict``). Ids, order, severity and
    message wording are left out, so a judged verdict survives them; a change of the figures
    compared, of the cells or of the place makes another finding.
    """
    loc = finding.get("location") or {}
    place = f"p{loc['page']}" if loc.get("page") is not None else f"l{loc.get('line')}"
    cells: set[str] = set()
    for ev in finding.get("evidence") or []:
        if ev.get("role") == "related":
            continue
        fig = _figure(str(ev.get("value") or "")) or ""
        label = ev.get("code") or _SPACE_RE.sub("", ev.get("row") or "")
        cells.add(f"{label}|{_SPACE_RE.sub('', ev.get('column') or '')}={fig}")
    figures: set[str] = set()
    for text in (finding.get("expected"), finding.get("actual")):
        for m in _NUMBER_RE.finditer(text or ""):
            fig = _figure(m.group())
            if fig is not None:
                figures.add(fig)
    return {
        "check": finding["check"],
        "place": place,
        "span": _SPACE_RE.sub("", finding.get("span") or ""),
        "sentence": _SPACE_RE.sub("", finding.get("quote") or ""),
        "cells": sorted(cells),
        "figures": sorted(figures, key=lambda x: (Decimal(x), x)),
    }


def fingerprint(finding: dict) -> str:
    """A short stable hash of ``fingerprint_parts`` (16 hex digits)."""
    import hashlib  # only the JSON and HTML reports fingerprint: a terminal check need not load it

    p = fingerprint_parts(finding)
    raw = "\x1f".join([p["check"], p["place"], p["span"], p["sentence"], "\x1e".join(p["cells"]), " ".join(p["figures"])])
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def fingerprints(findings: list[dict]) -> list[str]:
    """``fingerprint`` of each finding of one document, in the order given; the n-th finding (in
    document order) sharing a fingerprint with earlier ones gets ``#n`` (the same equation
    repeated on several rows). Severity and list order do not change the result."""
    keys = [fingerprint(f) for f in findings]

    def position(i: int) -> tuple:
        loc = findings[i].get("location") or {}
        return (loc.get("start", 0), loc.get("end", 0), i)

    seen: dict[str, int] = {}
    out = list(keys)
    for i in sorted(range(len(findings)), key=position):
        seen[keys[i]] = seen.get(keys[i], 0) + 1
        if seen[keys[i]] > 1:
            out[i] = f"{keys[i]}#{seen[keys[i]]}"
    return out
