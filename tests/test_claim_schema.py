"""One claim schema: the narrative fields come from ``narrative.serialize``, the report adds the review's.

Also the public lookups the model stage shares with the prose checks (``alignment.lookups``)
and the direction words read from ``cues.yaml``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gouji.alignment import lookups
from gouji.models import model_links
from gouji.narrative.lexicon import direction_words
from gouji.narrative.serialize import claim_fields, claims_dicts, claims_table
from gouji.report.json_report import report_dict
from tests.conftest import EXAMPLES, example_review

NAMES = sorted(p.name for p in EXAMPLES.glob("*.txt"))
HANDAN = "2022_邯郸市医疗保障局_部门预算.txt"

# the JSON report's claim, in order (docs/outputs.md); the last four are the review's
REPORT_KEYS = [
    "id", "text", "span", "location", "subject", "subject_id", "code", "amount", "unit",
    "amount_as_written", "year", "comparison", "share", "parts", "parts_complete", "part_of",
    "reason", "approximate", "status", "unverifiable_reason", "verified_by", "checked_against",
]  # fmt: skip
REVIEW_KEYS = ["status", "unverifiable_reason", "verified_by", "checked_against"]
# gouji claims --format json and the golden files: quantities as written, with offsets
CLAIMS_KEYS = [
    "id", "sentence_span", "subject", "subject_id", "code", "amount", "year", "comparison",
    "share", "parts", "part_of", "reason", "zero_by_word", "approximate", "blocked",
]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_report_claim_is_the_narrative_fields_then_the_review_fields(name):
    r = example_review(name)
    claims = report_dict(r)["claims"]
    assert len(claims) == len(r.claims.claims)
    for c, d in zip(r.claims.claims, claims, strict=True):
        assert list(d) == REPORT_KEYS
        fields = claim_fields(c, r.document, r.claims.groups)
        assert list(fields) == REPORT_KEYS[: -len(REVIEW_KEYS)]
        review = {"status": c.status, "unverifiable_reason": c.unverifiable_reason, "verified_by": c.verified_by, "checked_against": c.evidence}
        assert d == {**fields, **review}


def test_report_claim_values():
    r = example_review(HANDAN)
    d = next(x for x in report_dict(r)["claims"] if x["comparison"] and x["comparison"]["base"] == "2696.69")
    assert d["amount"] == "5873.35" and d["unit"] == "万元" and d["amount_as_written"].startswith("5873.35")
    assert d["comparison"]["direction"] == "decrease" and d["comparison"]["delta"] == "3176.66"
    assert r.document.text[d["location"]["start"] : d["location"]["end"]] == d["span"]
    assert d["reason"]["text"].startswith("今年部门预算增加了") and "span" not in d["reason"]


@pytest.mark.parametrize("name", NAMES)
def test_claims_command_form_keeps_its_keys(name):
    for d in claims_dicts(example_review(name).claims):
        assert list(d) == CLAIMS_KEYS
        for q in (d["amount"], d["share"]):
            assert q is None or list(q) == ["surface", "span", "value", "unit"]
        if d["comparison"]:
            assert list(d["comparison"]) == ["direction", "delta", "percent", "base", "base_year"]


def test_direction_words_come_from_the_cues():
    words = direction_words()
    assert dict(words) == {"increase": "增加", "decrease": "减少", "flat": "持平"}
    with pytest.raises(TypeError):
        words["increase"] = "多"  # shared by every caller: read-only
    r = example_review(HANDAN)
    assert "减少 3176.66万元 (上年 2696.69万元)" in claims_table(r.document.text, r.claims)


def test_model_links_uses_the_public_lookups():
    assert model_links.matches is lookups.matches
    assert model_links.usable_for_tables is lookups.usable_for_tables
    assert model_links.lookup_for is lookups.lookup_for
    tree = ast.parse(Path(model_links.__file__).read_text(encoding="utf-8"))
    private = [
        (node.module, a.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gouji.alignment.checks")
        for a in node.names
        if a.name.startswith("_")
    ]
    assert private == []


def test_lookup_for_is_computed_once_per_claim():
    from gouji.alignment.checks import Context

    r = example_review(HANDAN)
    ctx = Context(r.document, r.tables, r.claims, by_id=r.claims.by_id())
    c = next(c for c in r.claims.claims if lookups.usable_for_tables(ctx, c))
    lk = lookups.lookup_for(ctx, c)
    assert ctx.lookups[c.id] is lk and lookups.lookup_for(ctx, c) is lk
    assert any(lookups.matches(f, c.amount.interval(), c) for f in lk.figures) or not lk.figures
