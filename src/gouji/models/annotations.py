"""Annotated reasons: the data the reason models (issue 9, models 2-4) are trained and judged on.

One JSON object per line (``tests/data/reason_annotations.jsonl``), each a stated reason
(“主要原因是…”) with its source and three labels:

- ``id``: unique, ``<document stem>:<claim id>`` for the examples
- ``source``: ``{"document": path relative to the repository or to shared/corpus, "line": n}``
  (1-based line of the reason's first character; for PDFs the page when known)
- ``sentence``: the claim's sentence, ``claim_subject`` and ``claim_direction``
  (increase / decrease / flat / null) as the claim states them
- ``reason``: the reason text exactly as it stands in the document
- ``direction``: what the reason describes: increase / decrease / neither (model 2)
- ``about_subject``: whether the reason is about the claim's own item (model 3); when false,
  ``reason_item`` names the item it is about
- ``category``: one of ``CATEGORIES`` (model 4)
- ``split``: train / test (held back for the evaluation; decided once, never moved)
- ``note``: free text, e.g. why a label was hard
"""

from __future__ import annotations

import json
from pathlib import Path

from gouji.narrative.reason_kinds import CATEGORIES
from gouji.records import dataclass

DIRECTIONS = ("increase", "decrease", "neither")
CLAIM_DIRECTIONS = ("increase", "decrease", "flat", None)
SPLITS = ("train", "test")
FIELDS = {
    "id", "source", "sentence", "claim_subject", "claim_direction", "reason",
    "direction", "about_subject", "reason_item", "category", "split", "note",
}  # fmt: skip


@dataclass
class ReasonAnnotation:
    id: str
    source: dict
    sentence: str
    claim_subject: str
    claim_direction: str | None
    reason: str
    direction: str
    about_subject: bool
    category: str
    split: str
    reason_item: str | None = None
    note: str = ""


class AnnotationError(ValueError):
    pass


def parse_line(line: str, where: str = "") -> ReasonAnnotation:
    try:
        d = json.loads(line)
    except json.JSONDecodeError as e:
        raise AnnotationError(f"{where}: not JSON: {e}") from e
    unknown = set(d) - FIELDS
    if unknown:
        raise AnnotationError(f"{where}: unknown fields {sorted(unknown)}")
    missing = {"id", "source", "sentence", "claim_subject", "reason", "direction", "about_subject", "category", "split"} - set(d)
    if missing:
        raise AnnotationError(f"{where}: missing fields {sorted(missing)}")
    checks = [
        (d["direction"] in DIRECTIONS, f"direction must be one of {DIRECTIONS}"),
        (d.get("claim_direction") in CLAIM_DIRECTIONS, f"claim_direction must be one of {CLAIM_DIRECTIONS}"),
        (d["category"] in CATEGORIES, f"category must be one of {CATEGORIES}"),
        (d["split"] in SPLITS, f"split must be one of {SPLITS}"),
        (isinstance(d["about_subject"], bool), "about_subject must be true or false"),
        (d["about_subject"] or bool(d.get("reason_item")), "about_subject false needs reason_item"),
        (isinstance(d["source"], dict) and "document" in d["source"], "source needs a document"),
        (bool(d["reason"].strip()), "reason is empty"),
    ]
    for ok, msg in checks:
        if not ok:
            raise AnnotationError(f"{where} ({d.get('id')}): {msg}")
    return ReasonAnnotation(
        id=d["id"],
        source=d["source"],
        sentence=d["sentence"],
        claim_subject=d["claim_subject"],
        claim_direction=d.get("claim_direction"),
        reason=d["reason"],
        direction=d["direction"],
        about_subject=d["about_subject"],
        category=d["category"],
        split=d["split"],
        reason_item=d.get("reason_item"),
        note=d.get("note", ""),
    )


def load(path: Path) -> list[ReasonAnnotation]:
    """Parse and validate an annotation file; ids must be unique."""
    out: list[ReasonAnnotation] = []
    seen: set[str] = set()
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        a = parse_line(line, f"{path}:{n}")
        if a.id in seen:
            raise AnnotationError(f"{path}:{n}: duplicate id {a.id}")
        seen.add(a.id)
        out.append(a)
    return out
