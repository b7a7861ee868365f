"""The hand-judged sample of model links on the shared corpus: fields, verdicts, size, unique keys.

The file is written by judging the sample that ``benchmarks/models_corpus_links.py --sample 50``
draws; it stands alone (no ../shared needed to check its format).
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "subject_links_corpus_sample.jsonl"
FIELDS = {
    "document": str,
    "page": (int, type(None)),  # text examples have no pages
    "line": int,
    "claim_subject": str,
    "amount": str,
    "row": str,
    "column": (str, type(None)),
    "value": str,
    "similarity": float,
    "verdict": str,
    "why": str,
}
KINDS = {"same", "counterpart", "scope", "classification", "column"}


def load() -> list[dict]:
    return [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_sample_records_have_every_field():
    rows = load()
    assert len(rows) >= 50  # min(50, links made): the corpus run made 476
    for r in rows:
        for name, kind in FIELDS.items():
            assert name in r, (name, r)
            assert isinstance(r[name], kind), (name, r)
        assert r["document"].startswith(("pdf/", "examples/")), r
        assert (
            r["line"] > 0 and r["why"].strip() and r["claim_subject"].strip() and r["row"].strip()
        )
        assert 0.88 <= r["similarity"] <= 1.0, r  # MIN_SIMILARITY of model_links
        float(r["value"])


def test_verdicts_and_kinds():
    rows = load()
    for r in rows:
        assert r["verdict"] in {"right", "wrong"}, r
        assert r.get("kind") in KINDS, r
        assert (r["kind"] == "same") == (r["verdict"] == "right"), r
    assert {r["verdict"] for r in rows} <= {"right", "wrong"}


def test_keys_are_unique():
    keys = [(r["document"], r["line"], r["claim_subject"], r["amount"]) for r in load()]
    assert len(keys) == len(set(keys))
