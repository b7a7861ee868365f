"""benchmarks/precision: matching findings to verdicts, the guard, the interval, the data file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from benchmarks.precision.corpus import CORPUS, distinct_files
from benchmarks.precision.run import CAUSES, JUDGED, evaluate, load_verdicts, wilson

ROOT = Path(__file__).resolve().parent.parent


def _finding(key: str, check: str = "narrative.share", severity: str = "error", doc: str = "d1") -> dict:
    return {"key": key, "doc": doc, "file": "x.pdf", "check": check, "severity": severity, "page": 3, "span": "1%", "message": "m"}


def _verdicts(tmp_path, *records: dict):
    path = tmp_path / "judged.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return load_verdicts(path)


def test_wilson_interval():
    lo, hi = wilson(11, 57)
    assert (round(lo, 3), round(hi, 3)) == (0.111, 0.313)
    assert wilson(0, 0) == (0.0, 1.0)
    lo, hi = wilson(44, 44)
    assert (round(lo, 3), round(hi, 9)) == (0.920, 1.0)


def test_guard_failures(tmp_path):
    verdicts = _verdicts(
        tmp_path,
        {"doc": "d1", "key": "a", "verdict": "false", "cause": "wrong_link"},
        {"doc": "d1", "key": "b", "verdict": "true"},
        {"doc": "d1", "key": "c", "verdict": "true"},
    )
    run = [{"doc": "d1", "file": "x.pdf", "findings": [_finding("a"), _finding("b", severity="warning"), _finding("n")]}]
    out = evaluate(run, verdicts)
    assert [r["check"] for r in out.rows] == ["narrative.share", "narrative.share"]
    err = next(r for r in out.rows if r["severity"] == "error")
    assert (err["findings"], err["true"], err["false"], err["unjudged"]) == (2, 0, 1, 1)
    fails = out.failures
    assert len(fails) == 3
    assert fails[0].startswith("judged false but reported as error: x.pdf p3 narrative.share")
    assert fails[1].startswith("judged true but no longer reported:") and fails[1].endswith("(c)")
    assert fails[2].startswith("error finding not judged:") and fails[2].endswith("(n)")


def test_a_true_finding_reported_as_warning_is_kept(tmp_path):
    verdicts = _verdicts(tmp_path, {"doc": "d1", "key": "b", "verdict": "true"})
    out = evaluate([{"doc": "d1", "file": "x.pdf", "findings": [_finding("b", severity="warning")]}], verdicts)
    assert out.failures == [] and out.lost_true == []


def test_a_true_finding_covered_by_another_reported_one_is_not_lost(tmp_path):
    verdicts = _verdicts(
        tmp_path,
        {"doc": "d1", "key": "old", "verdict": "true", "covered_by": "new"},
        {"doc": "d1", "key": "gone", "verdict": "true", "covered_by": "absent"},
        {"doc": "d1", "key": "new", "verdict": "true"},
    )
    out = evaluate([{"doc": "d1", "file": "x.pdf", "findings": [_finding("new")]}], verdicts)
    assert [v.key for v in out.lost_true] == ["gone"]


def test_verdict_file_is_validated(tmp_path):
    with pytest.raises(ValueError, match="needs a cause"):
        _verdicts(tmp_path, {"doc": "d", "key": "k", "verdict": "false"})
    with pytest.raises(ValueError, match="judged twice"):
        _verdicts(tmp_path, {"doc": "d", "key": "k", "verdict": "true"}, {"doc": "d", "key": "k", "verdict": "true"})


def test_judged_corpus_records():
    verdicts = load_verdicts(JUDGED)
    assert len(verdicts) == 345
    counts = {v: sum(1 for x in verdicts.values() if x.verdict == v) for v in ("true", "false", "unsure")}
    assert counts == {"true": 102, "false": 243, "unsure": 0}
    assert all(x.cause in CAUSES for x in verdicts.values() if x.verdict == "false")
    assert all(x.detail for x in verdicts.values())


def test_without_the_corpus_it_says_so_and_passes(tmp_path):
    p = subprocess.run(
        [sys.executable, "-m", "benchmarks.precision", "--corpus", str(tmp_path / "none"), "--check"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert p.returncode == 0
    assert p.stdout == f"precision: corpus {tmp_path / 'none'} not found; nothing measured\n"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus (../shared/corpus/pdf) is not here")
def test_corpus_copies_are_counted_once():
    files = distinct_files(CORPUS)
    assert (len(files), sum(len(f.copies) for f in files)) == (64, 18)
