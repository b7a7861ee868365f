"""Rule-based claim extraction from the prose of a disclosure.

Pipeline per paragraph: clean text (with offset map) -> sentences (``prose.py``) -> mentions
(money, percentages, zeros by word: ``mentions.py``) -> each mention classified by the words
just before it (amount, base, change, change percentage, share) and assembled into claims,
with their listed parts and stated reasons (``assembly.py``) -> a record of what each sentence
with an amount yielded (``coverage.py``).
"""

from __future__ import annotations

from dataclasses import field

from gouji.ingest.document import Document
from gouji.narrative.assembly import Reader
from gouji.narrative.claims import Claim, PartsGroup
from gouji.narrative.coverage import SentenceRecord
from gouji.narrative.options import Options, options_from_env, set_backend
from gouji.narrative.prose import prose_units
from gouji.records import dataclass

__all__ = ["ClaimSet", "Options", "SentenceRecord", "extract_claims", "set_backend"]


@dataclass
class ClaimSet:
    """Every claim of a document, its lists of parts, and what its prose covered."""

    claims: list[Claim]
    groups: list[PartsGroup]
    reason_sections: set[int] = field(default_factory=set)  # sections whose prose states a reason
    reason_paragraphs: set[int] = field(default_factory=set)  # paragraphs that state a reason
    sentences: list[SentenceRecord] = field(default_factory=list)  # coverage of money sentences
    reason_places: set[tuple[int, int]] = field(default_factory=set)  # (section, paragraph) stating a reason
    cut: list[tuple[int, int]] = field(default_factory=list)  # source spans left unread (limits.yaml: max_paragraph_chars)

    def by_id(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}


def extract_claims(doc: Document, options: Options | None = None) -> ClaimSet:
    """Every monetary or percentage statement in the prose of ``doc``.

    ``options`` default to what the environment says now (``options_from_env``).
    """
    options = options or options_from_env()
    reader = Reader(doc, options)
    for unit in prose_units(doc.blocks, options):
        reader.unit(unit)
    return ClaimSet(
        claims=reader.claims,
        groups=reader.groups,
        reason_sections=reader.reason_sections,
        reason_paragraphs=reader.reason_paragraphs,
        sentences=reader.sentences,
        reason_places=reader.reason_places,
        cut=reader.cut,
    )
