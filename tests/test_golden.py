"""Golden tests over the bundled examples; expectations live in golden/examples.json."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import example_review

GOLDEN = json.loads((Path(__file__).parent / "golden" / "examples.json").read_text(encoding="utf-8"))
NAMES = [k for k in GOLDEN if not k.startswith("_")]


@pytest.mark.parametrize("name", NAMES)
def test_metadata(name):
    meta = example_review(name).document.meta
    exp = GOLDEN[name]["meta"]
    assert (meta.unit_name, meta.year, meta.doc_kind) == (exp["unit_name"], exp["year"], exp["doc_kind"])


@pytest.mark.parametrize("name", NAMES)
def test_findings_exactly(name):
    r = example_review(name)
    text = r.document.text
    got = sorted((f.check, f.severity, text[f.span[0] : f.span[1]]) for f in r.findings)
    want = sorted((f["check"], f["severity"], f["span"]) for f in GOLDEN[name]["findings"])
    assert got == want
    counts = Counter(f.severity for f in r.findings)
    assert {s: counts[s] for s in ("error", "warning", "info")} == GOLDEN[name]["counts"]


@pytest.mark.parametrize("name", NAMES)
def test_expected_values(name):
    r = example_review(name)
    text = r.document.text
    got = Counter((text[f.span[0] : f.span[1]], f.check, f.severity, f.expected) for f in r.findings)
    for exp in GOLDEN[name]["findings"]:
        if "expected" in exp:
            assert got[(exp["span"], exp["check"], exp["severity"], exp["expected"])], exp


@pytest.mark.parametrize("name", NAMES)
def test_correct_statements_are_verified(name):
    r = example_review(name)
    text = r.document.text
    for span in GOLDEN[name]["correct"]:
        claims = [
            c
            for c in r.claims.claims
            if any(
                q is not None and text[q.span[0] : q.span[1]] == span
                for q in (c.amount, c.share, c.comparison and c.comparison.percent, c.comparison and c.comparison.delta)
            )
        ]
        assert claims, f"no claim states {span}"
        assert any(c.status == "consistent" for c in claims), [(c.id, c.status) for c in claims]


@pytest.mark.parametrize("name", NAMES)
def test_offsets_point_at_their_text(name):
    r = example_review(name)
    text = r.document.text
    for f in r.findings:
        assert text[f.span[0] : f.span[1]].strip()
        assert f.quote == "" or text[f.span[0] : f.span[1]].replace(" ", "") in f.quote.replace(" ", "").replace("\n", "")
    for c in r.claims.claims:
        if c.amount is not None:
            assert text[c.amount.span[0] : c.amount.span[1]] == c.amount.text
        for ev in c.evidence:
            loc = ev["location"]
            assert text[loc["start"] : loc["end"]].replace(",", "").strip().startswith(ev["value"].split(".")[0].lstrip("-")) or ev["value"]


def test_handan_direction_arithmetic():
    r = example_review("2022_邯郸市医疗保障局_部门预算.txt")
    f = next(f for f in r.findings if f.check == "narrative.direction")
    assert "5873.35 − 2696.69 = +3176.66" in f.message
    assert r.document.location(*f.span).line == 394
    claim = next(c for c in r.claims.claims if c.id == f.claim)
    assert claim.status == "contradicted"
    assert claim.reason is not None and "新冠病毒疫苗" in claim.reason.text


def test_handan_sangong_parts_and_reason():
    r = example_review("2022_邯郸市医疗保障局_部门预算.txt")
    sangong = next(c for c in r.claims.claims if c.subject_id == "三公经费")
    groups = [g for g in r.claims.groups if g.parent == sangong.id]
    assert {g.kind for g in groups} == {"amount", "delta"}
    assert sangong.status == "consistent"
