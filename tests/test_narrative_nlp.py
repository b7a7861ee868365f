"""The spaCy pipeline (blank "zh" + jieba + budget dictionary + entity ruler)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gouji.ingest import read_document
from gouji.narrative import extract, nlp
from gouji.narrative.serialize import claims_dicts

pytestmark = pytest.mark.skipif(not nlp.available(), reason="spaCy and jieba (the nlp extra) are not installed")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def ents(text: str) -> list[tuple[str, str]]:
    return [(label, text[a:b]) for label, a, b in nlp.entities(text)]


def test_blank_pipeline_without_model():
    p = nlp.pipeline()
    assert p.lang == "zh" and p.pipe_names == ["entity_ruler"]


def test_budget_dictionary_keeps_names_whole():
    words = [t.text for t in nlp.pipeline()("公务用车运行维护费1.2万元")]
    assert words[0] == "公务用车运行维护费"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("宣传经费1,234,567.89万元。", [("MONEY", "1,234,567.89万元")]),
        ("宣传经费(12.5)万元。", [("MONEY", "(12.5)万元")]),
        ("宣传经费三点五亿元。", [("MONEY_CN", "三点五亿元")]),
        ("执行统一千元标准。", []),
        ("较上年增长33.78%。", [("CUE_INCREASE", "增长"), ("PERCENT", "33.78%")]),
    ],
)
def test_entities(text, want):
    assert [e for e in ents(text) if e[0] != "CUE_SHARE"] == want


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.txt")))
def test_backends_agree_on_the_examples(name):
    doc = read_document(EXAMPLES / name)
    try:
        extract.set_backend("spacy")
        spacy_claims = claims_dicts(extract.extract_claims(doc))
    finally:
        extract.set_backend("rules")
    assert spacy_claims == claims_dicts(extract.extract_claims(doc))
