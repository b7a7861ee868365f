"""The precision guard on a fresh clone: fixtures cut from real corpus pages, with judged verdicts.

Each false alarm class fixed has a fixture where the tool used to report an error the page
does not bear out; each fixture of true defects must keep its errors. Expectations live in
``tests/data/precision/fixtures.yaml`` (see its header).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from gouji.alignment.review import Review, review_document
from gouji.ingest import read_document

HERE = Path(__file__).parent / "data" / "precision"
SPEC = yaml.safe_load((HERE / "fixtures.yaml").read_text(encoding="utf-8"))["fixtures"]


@cache
def _review(name: str) -> Review:
    return review_document(read_document(HERE / name))


def _found(review: Review) -> dict[tuple[str, int, str], list[str]]:
    doc = review.document
    out: dict[tuple[str, int, str], list[str]] = {}
    for f in review.findings:
        span = " ".join(doc.text[f.span[0] : f.span[1]].split())
        out.setdefault((f.check, doc.line_of(f.span[0]), span), []).append(f.severity)
    return out


@pytest.mark.parametrize("fx", SPEC, ids=[fx["file"] for fx in SPEC])
def test_expectations(fx):
    review = _review(fx["file"])
    found = _found(review)
    text = review.document.text
    for e in fx["expect"]:
        # the expectation points at text of the fixture (a misspelt span would pass unseen)
        lines = text.split("\n")
        window = " ".join(" ".join(lines[e["line"] - 1 : e["line"] + 2]).split())
        assert e["span"] in window, f"{fx['file']}: no “{e['span'][:30]}” at line {e['line']}"
        got = found.get((e["check"], e["line"], e["span"]), [])
        if e["severity"] == "not_error":
            assert "error" not in got, f"{fx['file']}: a judged false alarm is an error again: {e}"
        elif e["severity"] == "absent":
            assert got == [], f"{fx['file']}: a judged false alarm is reported again: {e}"
        else:
            assert e["severity"] in got, f"{fx['file']}: expected {e['severity']}, got {got or 'nothing'}: {e}"


@pytest.mark.parametrize("fx", SPEC, ids=[fx["file"] for fx in SPEC])
def test_no_unjudged_error(fx):
    found = _found(_review(fx["file"]))
    listed = {(e["check"], e["line"], e["span"]) for e in fx["expect"] if e["severity"] == "error"}
    unjudged = [k for k, sevs in found.items() if "error" in sevs and k not in listed]
    assert unjudged == [], f"{fx['file']}: errors not judged in fixtures.yaml: {unjudged}"


def test_every_fixture_file_is_listed():
    files = {p.name for p in HERE.iterdir() if p.suffix in (".txt", ".pdf")}
    assert files == {fx["file"] for fx in SPEC}


def test_fixture_figures():
    """What the set guards, in figures: false alarms fixed and true defects kept."""
    sev = [e["severity"] for fx in SPEC for e in fx["expect"]]
    counts = (len(SPEC), sev.count("not_error"), sev.count("absent"), sev.count("error"), sev.count("warning"))
    assert counts == (38, 44, 12, 17, 4)
    claims = [c for fx in SPEC for c in fx.get("claims", [])]
    assert (len(claims), sum(1 for c in claims if c["status"] == "consistent")) == (27, 20)


CLAIM_FIXTURES = [fx for fx in SPEC if fx.get("claims")]


def _folded(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("fx", CLAIM_FIXTURES, ids=[fx["file"] for fx in CLAIM_FIXTURES])
def test_claims(fx):
    """Each listed claim is read with the subject, status and reason annotated."""
    claims = _review(fx["file"]).claims.claims
    for e in fx["claims"]:
        got = [
            c for c in claims
            if c.amount is not None and _folded(c.amount.text) == e["amount"] and e.get("sentence", "") in _folded(c.sentence)
        ]
        assert got, f"{fx['file']}: no claim of {e['amount']}"
        c = got[0]
        assert c.subject == e["subject"], (fx["file"], e)
        assert c.status == e["status"], (fx["file"], e, c.unverifiable_reason)
        assert c.unverifiable_reason == e.get("reason"), (fx["file"], e)
        if "subject_id" in e:
            assert c.subject_id == e["subject_id"], (fx["file"], e)
        if "verified_by" in e:
            assert c.verified_by == e["verified_by"], (fx["file"], e)
        if "delta" in e:
            assert c.comparison is not None and c.comparison.delta is not None, (fx["file"], e)
            assert _folded(c.comparison.delta.text) == e["delta"], (fx["file"], e)
