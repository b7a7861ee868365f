"""Golden claims of the five examples: every money sentence, its claims and their spans.

The files in ``tests/golden/claims/`` are annotations: each claim's subject, code, amount,
unit, year, comparison, share, parts and reason, with document offsets. A claim whose
annotation differs from what the extractor gives today carries ``extractor_differs``
naming the fields; those fields are reported as known gaps and the rest must match.

Regenerate after a deliberate change with ``python tests/test_narrative_golden.py`` and
read the diff against the text before committing it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from gouji.ingest import read_document
from gouji.narrative.extract import extract_claims
from gouji.narrative.serialize import claims_dicts

GOLDEN = Path(__file__).resolve().parent / "golden" / "claims"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NAMES = sorted(p.stem for p in EXAMPLES.glob("*.txt"))


def _extract(name: str) -> tuple[str, dict]:
    doc = read_document(EXAMPLES / f"{name}.txt")
    cs = extract_claims(doc)
    sentences: list[dict] = []
    by_span: dict[tuple[int, int], dict] = {}
    spans = {c.id: c.sentence_span for c in cs.claims}
    for d in claims_dicts(cs):
        key = tuple(spans[d["id"]])
        if key not in by_span:
            by_span[key] = {"sentence": doc.text[key[0] : key[1]], "span": list(key), "claims": []}
            sentences.append(by_span[key])
        by_span[key]["claims"].append(d)
    non_claims = [
        {"sentence": doc.text[r.span[0] : r.span[1]], "span": list(r.span), "reason": r.reason}
        for r in cs.sentences
        if r.status != "claims"
    ]
    return doc.text, {"document": f"{name}.txt", "sentences": sentences, "non_claims": non_claims}


def _spans(claim: dict):
    """(span, surface) of every quantity and of the reason of an annotated claim."""
    cmp = claim.get("comparison") or {}
    for q in (claim.get("amount"), claim.get("share"), cmp.get("delta"), cmp.get("percent"), cmp.get("base")):
        if q:
            yield q["span"], q["surface"]
    if claim.get("reason"):
        yield claim["reason"]["span"], claim["reason"]["text"]


@pytest.mark.parametrize("name", NAMES)
def test_golden_spans_point_at_their_text(name):
    text = read_document(EXAMPLES / f"{name}.txt").text
    golden = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    for s in golden["sentences"]:
        assert text[s["span"][0] : s["span"][1]] == s["sentence"]
        for c in s["claims"]:
            for (start, end), surface in _spans(c):
                assert text[start:end] == surface, (c["id"], surface)
    for s in golden["non_claims"]:
        assert text[s["span"][0] : s["span"][1]] == s["sentence"]


@pytest.mark.parametrize("name", NAMES)
def test_extracted_claims_equal_the_annotation(name):
    _, got = _extract(name)
    golden = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    want_claims = [c for s in golden["sentences"] for c in s["claims"]]
    got_claims = {c["id"]: c for s in got["sentences"] for c in s["claims"]}
    assert [c["id"] for c in want_claims] == list(got_claims)
    for want in want_claims:
        have = got_claims[want["id"]]
        gaps = set(want.get("extractor_differs", {}))
        for key, value in want.items():
            if key == "extractor_differs" or key in gaps:
                continue
            assert have[key] == value, (want["id"], key)
    assert [s["span"] for s in got["sentences"]] == [s["span"] for s in golden["sentences"]]
    assert got["non_claims"] == golden["non_claims"]


def test_every_money_sentence_of_the_examples_is_covered():
    for name in NAMES:
        cs = extract_claims(read_document(EXAMPLES / f"{name}.txt"))
        assert [r for r in cs.sentences if r.status == "unclassified"] == [], name


if __name__ == "__main__":  # regenerate: python tests/test_narrative_golden.py
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for n in NAMES:
        path = GOLDEN / f"{n}.json"
        old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        _, data = _extract(n)
        if old:  # keep the annotations of known gaps
            notes = {c["id"]: c for s in old["sentences"] for c in s["claims"] if "extractor_differs" in c}
            for s in data["sentences"]:
                for i, c in enumerate(s["claims"]):
                    if c["id"] in notes:
                        s["claims"][i] = notes[c["id"]]
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(path, file=sys.stderr)
