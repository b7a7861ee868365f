"""Planted-defect benchmark: how many contradictions gouji catches, how many alarms are false.

Usage::

    python -m benchmarks.accuracy.run                 # examples + readable corpus PDFs, markdown report
    python -m benchmarks.accuracy.run --examples-only --check     # CI: fail below baseline.json
    python -m benchmarks.accuracy.run --examples-only --write-baseline
    python -m benchmarks.accuracy.run --json results.json

Every document is reviewed once unmodified and once per mutant, in this one process. A
planted defect is caught when a warning or error finding of the mutant points at the
planted place (its span or one of its evidence cells overlaps it) and is not a finding the
unmodified document already had (same check, same place after mapping the edit).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from benchmarks.accuracy.plant import Mutation, finding_spans, overlaps, plant, rules
from gouji.alignment.findings import Finding
from gouji.alignment.review import Review, review_document
from gouji.errors import GoujiError
from gouji.ingest import read_document
from gouji.ingest.text import parse_text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXAMPLES = ROOT / "examples"
CORPUS_PDF = ROOT.parent / "shared" / "corpus" / "pdf"
BASELINE = HERE / "baseline.json"
KNOWN = HERE / "known_findings.yaml"
SEVERE = ("error", "warning")


@dataclass
class Source:
    """A clean document: its name in reports, its text, and where it came from."""

    name: str
    path: str
    text: str


@dataclass
class Outcome:
    """The result of one mutant."""

    mutation: Mutation
    caught: bool
    caught_by: list[str]
    elsewhere: int  # new warning/error findings that do not point at the planted place

    def to_dict(self) -> dict[str, Any]:
        return {**self.mutation.to_dict(), "caught": self.caught, "caught_by": self.caught_by, "elsewhere": self.elsewhere}


@dataclass
class DocResult:
    name: str
    findings: list[Finding]
    review: Review
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0


def load_sources(examples: Path = EXAMPLES, corpus: Path | None = CORPUS_PDF) -> tuple[list[Source], list[str]]:
    """The examples' text exports, and the corpus PDFs ``gouji.ingest`` can read (others skipped)."""
    out: list[Source] = []
    skipped: list[str] = []
    for p in sorted(examples.glob("*.txt")):
        out.append(Source(p.name, str(p), read_document(p).text))
    if corpus is not None and corpus.is_dir():
        for p in sorted(corpus.glob("*.pdf")):
            try:
                out.append(Source(p.name, str(p), read_document(p).text))
            except GoujiError as e:
                skipped.append(f"{p.name}: {e.code} {e.message}")
            except Exception as e:  # a reader bug must not stop the benchmark of the others
                skipped.append(f"{p.name}: {type(e).__name__}: {e}")
    return out, skipped


def review_text(text: str, path: str) -> Review:
    """Review a (possibly mutated) text; sources of any format are re-read as text exports."""
    return review_document(parse_text(text, path))


def evaluate(m: Mutation, original: list[Finding], mutant: list[Finding]) -> Outcome:
    """Whether the mutant's findings point at the planted place with a finding the original lacks."""
    before = {(f.check, m.map_span(f.span)) for f in original if f.severity in SEVERE}
    new = [f for f in mutant if f.severity in SEVERE and (f.check, tuple(f.span)) not in before]
    hits = [f for f in new if any(overlaps(s, p) for s in finding_spans(f) for p in m.spans)]
    return Outcome(m, bool(hits), sorted({f.check for f in hits}), len(new) - len(hits))


def run_document(src: Source, max_per_kind: int | None = None) -> DocResult:
    """Review the document, plant its mutants, review each one."""
    t0 = time.perf_counter()
    review = review_text(src.text, src.path)
    res = DocResult(src.name, review.findings, review)
    for m in plant(review, src.name, max_per_kind):
        mutated = m.apply(src.text)
        res.outcomes.append(evaluate(m, review.findings, review_text(mutated, src.path).findings))
    res.seconds = time.perf_counter() - t0
    return res


# ---------------------------------------------------------------- false alarms


def load_known(path: Path = KNOWN) -> dict[str, list[dict[str, Any]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data.get("documents", {}) or {}


def classify_findings(res: DocResult, known: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each warning/error of the unmodified document with its reviewed verdict (or ``unreviewed``)."""
    text = res.review.document.text
    out = []
    for f in res.findings:
        if f.severity not in SEVERE:
            continue
        span = text[f.span[0] : f.span[1]]
        k = next(
            (k for k in known if k["check"] == f.check and k["span"] == span and k.get("severity", f.severity) == f.severity),
            None,
        )
        out.append(
            {
                "check": f.check,
                "severity": f.severity,
                "span": span,
                "line": res.review.document.line_of(f.span[0]),
                "verdict": k["verdict"] if k else "unreviewed",
            }
        )
    return out


# ---------------------------------------------------------------- summary


def summarize(results: list[DocResult], known: dict[str, list[dict[str, Any]]], seconds: float) -> dict[str, Any]:
    kinds = list(rules()["kinds"])
    per_kind: dict[str, dict[str, Any]] = {}
    outcomes = [o for r in results for o in r.outcomes]
    for k in kinds:
        os_ = [o for o in outcomes if o.mutation.kind == k]
        caught = sum(o.caught for o in os_)
        per_kind[k] = {"planted": len(os_), "caught": caught, "recall": round(caught / len(os_), 4) if os_ else None}
    per_check: dict[str, dict[str, Any]] = {}
    for o in outcomes:
        for c in o.mutation.expected_checks:
            e = per_check.setdefault(c, {"meant": 0, "caught": 0, "caught_any": 0, "also_caught": Counter()})
            e["meant"] += 1
            e["caught"] += c in o.caught_by
            e["caught_any"] += o.caught
        for c in o.caught_by:
            if c not in o.mutation.expected_checks:
                e = per_check.setdefault(c, {"meant": 0, "caught": 0, "caught_any": 0, "also_caught": Counter()})
                e["also_caught"][o.mutation.kind] += 1
    for e in per_check.values():
        e["recall"] = round(e["caught"] / e["meant"], 4) if e["meant"] else None
        e["also_caught"] = dict(e["also_caught"])
    planted = len(outcomes)
    caught = sum(o.caught for o in outcomes)
    docs = {}
    for r in results:
        cls = classify_findings(r, known.get(r.name, []))
        docs[r.name] = {
            "planted": len(r.outcomes),
            "caught": sum(o.caught for o in r.outcomes),
            "errors": sum(f["severity"] == "error" for f in cls),
            "warnings": sum(f["severity"] == "warning" for f in cls),
            "true_defects": sum(f["verdict"] == "true_defect" for f in cls),
            "false_alarms": sum(f["verdict"] == "false_alarm" for f in cls),
            "error_false_alarms": sum(f["verdict"] == "false_alarm" and f["severity"] == "error" for f in cls),
            "unreviewed": sum(f["verdict"] == "unreviewed" for f in cls),
            "findings": cls,
            "seconds": round(r.seconds, 2),
        }
    return {
        "planted": planted,
        "caught": caught,
        "recall": round(caught / planted, 4) if planted else None,
        "per_kind": per_kind,
        "per_check": dict(sorted(per_check.items())),
        "documents": docs,
        "seconds": round(seconds, 1),
        "reviews": planted + len(results),
    }


def markdown(summary: dict[str, Any], skipped: list[str]) -> str:
    """The report as markdown tables (the README's tables are pasted from this)."""
    lines = ["| defect kind | planted | caught | recall |", "|---|---:|---:|---:|"]
    for k, v in summary["per_kind"].items():
        rec = "–" if v["recall"] is None else f"{v['recall']:.0%}"
        lines.append(f"| {k} | {v['planted']} | {v['caught']} | {rec} |")
    rec = "–" if summary["recall"] is None else f"{summary['recall']:.0%}"
    lines.append(f"| **all** | **{summary['planted']}** | **{summary['caught']}** | **{rec}** |")
    lines += [
        "",
        "| check | defects it is meant to catch | caught by it | recall | caught by any check | also caught (other kinds) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for c, v in summary["per_check"].items():
        rec = "–" if v["recall"] is None else f"{v['recall']:.0%}"
        also = ", ".join(f"{k} {n}" for k, n in v["also_caught"].items()) or ""
        lines.append(f"| `{c}` | {v['meant']} | {v['caught']} | {rec} | {v['caught_any']} | {also} |")
    lines += [
        "",
        "| document | planted | caught | errors | warnings | true defects | false alarms (error) | unreviewed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, d in summary["documents"].items():
        lines.append(
            f"| {name} | {d['planted']} | {d['caught']} | {d['errors']} | {d['warnings']} | {d['true_defects']} | "
            f"{d['false_alarms']} ({d['error_false_alarms']}) | {d['unreviewed']} |"
        )
    lines += ["", f"{summary['reviews']} reviews in {summary['seconds']} s."]
    if skipped:
        lines.append(f"{len(skipped)} corpus documents skipped (not readable yet), e.g. {skipped[0]}")
    return "\n".join(lines)


def check_baseline(summary: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """Regressions against the recorded baseline: lower recall of any kind or overall, more error false alarms."""
    problems = []
    for k, b in baseline.get("per_kind", {}).items():
        now = summary["per_kind"].get(k, {})
        if b.get("recall") is None:
            continue
        if now.get("recall") is None:
            problems.append(f"{k}: nothing planted any more (baseline {b['planted']} planted)")
        elif now["recall"] + 1e-9 < b["recall"]:
            problems.append(f"{k}: recall {now['recall']:.2%} < baseline {b['recall']:.2%} ({now['caught']}/{now['planted']})")
    if baseline.get("recall") is not None and (summary["recall"] or 0) + 1e-9 < baseline["recall"]:
        problems.append(f"overall recall {summary['recall']:.2%} < baseline {baseline['recall']:.2%}")
    efa = sum(d["error_false_alarms"] for d in summary["documents"].values())
    if efa > baseline.get("error_false_alarms", 0):
        problems.append(f"{efa} error-severity false alarms on unmodified documents > baseline {baseline.get('error_false_alarms', 0)}")
    return problems


def baseline_of(summary: dict[str, Any]) -> dict[str, Any]:
    return {
        "_comment": "Recall on the planted set of the examples (make accuracy). A regression guard: raise it when checks improve.",
        "recall": summary["recall"],
        "per_kind": {k: {kk: v[kk] for kk in ("planted", "caught", "recall")} for k, v in summary["per_kind"].items()},
        "error_false_alarms": sum(d["error_false_alarms"] for d in summary["documents"].values()),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples-only", action="store_true", help="leave out the corpus PDFs")
    ap.add_argument("--max-per-kind", type=int, default=None, help="mutants per kind per document (rules.yaml)")
    ap.add_argument("--json", type=Path, help="write every mutant and its outcome here")
    ap.add_argument("--misses", action="store_true", help="list every missed defect of the narrative kinds")
    ap.add_argument("--check", action="store_true", help="exit 1 when recall falls below baseline.json")
    ap.add_argument("--write-baseline", action="store_true", help="record this run as baseline.json")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    sources, skipped = load_sources(corpus=None if args.examples_only else CORPUS_PDF)
    results = [run_document(s, args.max_per_kind) for s in sources]
    summary = summarize(results, load_known(), time.perf_counter() - t0)
    print(markdown(summary, skipped))
    if args.misses:
        print()
        for r in results:
            for o in r.outcomes:
                if not o.caught:
                    print(f"missed {o.mutation.id}: {o.mutation.detail}")
    if args.json:
        payload = {"summary": summary, "mutants": [o.to_dict() for r in results for o in r.outcomes], "skipped": skipped}
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.write_baseline:
        BASELINE.write_text(json.dumps(baseline_of(summary), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.check:
        problems = check_baseline(summary, json.loads(BASELINE.read_text(encoding="utf-8")))
        for p in problems:
            print(f"accuracy regression: {p}", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
