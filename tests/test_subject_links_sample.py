"""The hand-judged samples of model links on the shared corpus: fields, verdicts, size, unique keys.

``subject_links_corpus_sample.jsonl``: the sample ``benchmarks/models_corpus_links.py --sample 50``
drew before the linking guards (the error kinds were found in it). ``subject_links_corpus_sample2.jsonl``:
30 links drawn after the guards, none of them in the first sample, no examples. Both stand alone
(no ../shared needed to check their format).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "subject_links_corpus_sample.jsonl"
DATA2 = ROOT / "tests" / "data" / "subject_links_corpus_sample2.jsonl"
SIZES = {DATA: 50, DATA2: 30}  # min(n, links made): the corpus runs made 476, then 4xx
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


def load(path: Path = DATA) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


both = pytest.mark.parametrize("path", [DATA, DATA2], ids=["sample", "sample2"])


@both
def test_sample_records_have_every_field(path):
    rows = load(path)
    assert len(rows) >= SIZES[path]
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


@both
def test_verdicts_and_kinds(path):
    rows = load(path)
    for r in rows:
        assert r["verdict"] in {"right", "wrong"}, r
        assert r.get("kind") in KINDS, r
        assert (r["kind"] == "same") == (r["verdict"] == "right"), r
    assert {r["verdict"] for r in rows} <= {"right", "wrong"}


def _key(r: dict) -> tuple:
    return (r["document"], r["line"], r["claim_subject"], r["amount"])


@both
def test_keys_are_unique(path):
    keys = [_key(r) for r in load(path)]
    assert len(keys) == len(set(keys))


def test_fresh_sample_is_fresh():
    first = {_key(r) for r in load(DATA)}
    fresh = load(DATA2)
    assert not first & {_key(r) for r in fresh}
    assert all(r["document"].startswith("pdf/") for r in fresh)
