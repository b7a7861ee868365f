"""Findings: one contradiction (or doubt), with the text it is about and its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from gouji.ingest.document import Document


@dataclass
class Finding:
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
    arithmetic: str | None = None  # the computation behind the finding, when it has one
    id: str = ""

    def to_dict(self, doc: Document) -> dict:
        start, end = self.span
        loc = doc.location(start, end).to_dict()
        return {
            "id": self.id,
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "span": doc.text[start:end],
            "quote": self.quote,
            "location": loc,
            "claim": self.claim,
            "evidence": self.evidence,
            "expected": self.expected,
            "actual": self.actual,
            "tolerance": self.tolerance,
            "arithmetic": self.arithmetic,
        }
