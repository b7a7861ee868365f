"""The reason annotation file: valid labels, unique ids, and reasons that stand in their source."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from gouji.models.annotations import AnnotationError, load, parse_line
from gouji.narrative.reason_kinds import CATEGORIES

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "reason_annotations.jsonl"


def test_annotations_load_and_stand_in_their_source():
    rows = load(DATA)
    assert len(rows) >= 19
    for a in rows:
        doc = ROOT / a.source["document"]
        if not doc.exists():  # corpus documents live in ../shared, not always present
            continue
        text = doc.read_text(encoding="utf-8-sig")
        start = sum(len(x) + 1 for x in text.split("\n")[: a.source["line"] - 1])
        idx = text.find(a.reason, start)
        assert idx >= 0 and idx - start < 400, a.id  # on (or just after) the given line


def test_corpus_annotations_are_enough_and_split_by_document():
    rows = load(DATA)
    corpus = [a for a in rows if a.source["document"].startswith("pdf/")]
    assert len(corpus) >= 300
    assert sum(a.split == "test" for a in corpus) >= 80
    splits: dict[str, set[str]] = {}
    for a in corpus:
        doc = a.source["document"]
        assert a.id.startswith(Path(doc).stem + ":"), a.id
        assert a.source.get("line") and a.source.get("page"), a.id
        splits.setdefault(doc, set()).add(a.split)
        want = "test" if int(hashlib.sha1(doc.encode()).hexdigest(), 16) % 10 < 3 else "train"
        assert a.split == want, a.id  # decided by document, so one text never straddles the splits
    assert all(len(s) == 1 for s in splits.values())
    assert len({Path(d).stem.split("_")[0] for d in splits}) >= 15  # cities


def test_example_reasons_stand_verbatim_in_their_example():
    rows = [a for a in load(DATA) if a.source["document"].startswith("examples/")]
    assert rows
    for a in rows:
        text = (ROOT / a.source["document"]).read_text(encoding="utf-8-sig")
        assert a.reason in text, a.id


def test_annotations_use_every_label_kind():
    rows = load(DATA)
    assert {a.direction for a in rows} >= {"increase", "decrease", "neither"}
    assert {a.category for a in rows} <= set(CATEGORIES)


GOOD = {
    "id": "x:C1",
    "source": {"document": "examples/x.txt", "line": 3},
    "sentence": "会议费比上年减少1万元，主要原因是减少公务接待费预算。",
    "claim_subject": "会议费",
    "claim_direction": "decrease",
    "reason": "减少公务接待费预算",
    "direction": "decrease",
    "about_subject": False,
    "reason_item": "公务接待费",
    "category": "压减一般性支出",
    "split": "test",
    "note": "",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"direction": "up"}, "direction must be"),
        ({"category": "别的"}, "category must be"),
        ({"about_subject": False, "reason_item": None}, "needs reason_item"),
        ({"split": "dev"}, "split must be"),
        ({"colour": 1}, "unknown fields"),
    ],
)
def test_bad_annotations_are_rejected(change, message):
    assert parse_line(json.dumps(GOOD, ensure_ascii=False)).reason_item == "公务接待费"
    with pytest.raises(AnnotationError, match=message):
        parse_line(json.dumps({**GOOD, **change}, ensure_ascii=False))
