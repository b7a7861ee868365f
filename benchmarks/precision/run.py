"""Precision of gouji's findings on real documents, over findings judged by reading the page.

Usage:
    python -m benchmarks.precision [--corpus DIR] [--jobs N] [--check] [--worklist FILE] [--json FILE]

Reviews every distinct PDF of the shared corpus (byte-identical copies once), matches each
error and warning finding to its verdict in ``judged.jsonl`` (by document hash and finding
fingerprint) and prints, per check and overall: findings, judged true / false / unsure,
precision with its Wilson 95 % interval, true defects still reported, and the findings not
judged yet. ``--check`` fails (exit 1) when a finding judged false is an error, a finding
judged true is no longer reported, or an error finding is unjudged. Without the corpus it says
so and exits 0.

A true verdict with ``covered_by`` (the key of another finding of the same document) is not
lost while that finding is reported: the same defect, now reported once (twelve tables of a
目录 missing from a document that has none become one finding).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from benchmarks.precision.corpus import CORPUS, Distinct, distinct_files

HERE = Path(__file__).resolve().parent
JUDGED = HERE / "judged.jsonl"
VERDICTS = ("true", "false", "unsure")
CAUSES = ("table_misread", "wrong_link", "claim_misparsed", "check_logic", "rounding", "other")
JUDGED_SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Verdict:
    doc: str
    key: str
    verdict: str
    cause: str | None
    detail: str
    record: dict


def load_verdicts(path: Path = JUDGED) -> dict[tuple[str, str], Verdict]:
    """The judged records, keyed by (document hash, fingerprint); malformed lines are errors."""
    out: dict[tuple[str, str], Verdict] = {}
    if not path.is_file():
        return out
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        rec = json.loads(line)
        if rec["verdict"] not in VERDICTS:
            raise ValueError(f"{path.name}:{n}: verdict {rec['verdict']!r} is not one of {VERDICTS}")
        if rec["verdict"] == "false" and rec.get("cause") not in CAUSES:
            raise ValueError(f"{path.name}:{n}: a false verdict needs a cause from {CAUSES}")
        k = (rec["doc"], rec["key"])
        if k in out:
            raise ValueError(f"{path.name}:{n}: {k} judged twice")
        out[k] = Verdict(rec["doc"], rec["key"], rec["verdict"], rec.get("cause"), rec.get("detail", ""), rec)
    return out


def review_one(item: Distinct) -> dict:
    """The error and warning findings of one corpus file, in the form the judged records use."""
    from gouji.alignment.review import review_document
    from gouji.errors import GoujiError
    from gouji.ingest import read_document
    from gouji.report.json_report import report_dict

    try:
        doc = read_document(item.path)
    except GoujiError as e:
        return {"file": item.path.name, "doc": item.doc, "skipped": e.one_line(), "findings": []}
    rep = report_dict(review_document(doc))
    findings = []
    for f in rep["findings"]:
        if f["severity"] not in JUDGED_SEVERITIES:
            continue
        findings.append(
            {
                "key": f["fingerprint"],
                "doc": item.doc,
                "file": item.path.name,
                "check": f["check"],
                "severity": f["severity"],
                "page": f["location"].get("page"),
                "span": f["span"],
                "message": f["message"],
                "quote": f["quote"],
                "expected": f["expected"],
                "actual": f["actual"],
                "arithmetic": f["arithmetic"],
                "evidence": [
                    {k: e.get(k) for k in ("role", "table", "table_title", "row", "code", "column", "value", "unit")}
                    | {"page": (e.get("location") or {}).get("page")}
                    for e in f["evidence"]
                ],
            }
        )
    return {"file": item.path.name, "doc": item.doc, "findings": findings}


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval of a proportion k/n (95 % by default); (0, 1) when n is 0."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    d = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class Outcome:
    rows: list[dict]  # per check and severity
    unjudged: list[dict]
    false_errors: list[dict]
    lost_true: list[Verdict]
    docs: int
    skipped: list[str]

    @property
    def failures(self) -> list[str]:
        out = [f"judged false but reported as error: {f['file']} p{f['page']} {f['check']} {f['span']!r} ({f['key']})" for f in self.false_errors]
        out += [f"judged true but no longer reported: {v.record.get('file')} p{v.record.get('page')} {v.record.get('check')} ({v.key})" for v in self.lost_true]
        out += [f"error finding not judged: {f['file']} p{f['page']} {f['check']} {f['span']!r} ({f['key']})" for f in self.unjudged if f["severity"] == "error"]
        return out


def evaluate(results: list[dict], verdicts: dict[tuple[str, str], Verdict]) -> Outcome:
    """Match the run's findings to the verdicts and count them per check and severity."""
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    unjudged, false_errors = [], []
    reported: set[tuple[str, str]] = set()
    docs_run = {r["doc"] for r in results if "skipped" not in r}
    for r in results:
        for f in r["findings"]:
            k = (f["doc"], f["key"])
            reported.add(k)
            c = counts[(f["check"], f["severity"])]
            c["findings"] += 1
            v = verdicts.get(k)
            if v is None:
                c["unjudged"] += 1
                unjudged.append(f)
                continue
            c[v.verdict] += 1
            if v.verdict == "false" and f["severity"] == "error":
                false_errors.append(f)
    lost = [
        v for k, v in verdicts.items()
        if v.verdict == "true" and k[0] in docs_run and k not in reported
        and (k[0], v.record.get("covered_by")) not in reported
    ]
    rows = []
    for (check, sev), c in sorted(counts.items(), key=lambda kv: (JUDGED_SEVERITIES.index(kv[0][1]), kv[0][0])):
        rows.append({"check": check, "severity": sev, **{k: c[k] for k in ("findings", "true", "false", "unsure", "unjudged")}})
    skipped = [f"{r['file']}: {r['skipped']}" for r in results if "skipped" in r]
    return Outcome(rows, unjudged, false_errors, lost, len(docs_run), skipped)


def _line(name: str, sev: str, c: dict) -> str:
    decided = c["true"] + c["false"]
    lo, hi = wilson(c["true"], decided)
    prec = f"{c['true'] / decided:6.1%} [{lo:.2f}–{hi:.2f}]" if decided else "      –        "
    return f"{name:36} {sev:8} {c['findings']:5} {c['true']:5} {c['false']:5} {c['unsure']:6} {c['unjudged']:8}   {prec}"


def print_outcome(out: Outcome, file=sys.stdout) -> None:
    print(f"documents reviewed: {out.docs} distinct", file=file)
    for s in out.skipped:
        print(f"  not reviewed: {s}", file=file)
    head = f"{'check':36} {'severity':8} {'found':>5} {'true':>5} {'false':>5} {'unsure':>6} {'unjudged':>8}   precision [Wilson 95 %]"
    print(head, file=file)
    print("-" * len(head), file=file)
    for r in out.rows:
        print(_line(r["check"], r["severity"], r), file=file)
    print("-" * len(head), file=file)
    for sev in JUDGED_SEVERITIES:
        tot = Counter()
        for r in out.rows:
            if r["severity"] == sev:
                tot.update({k: r[k] for k in ("findings", "true", "false", "unsure", "unjudged")})
        print(_line("all", sev, {k: tot[k] for k in ("findings", "true", "false", "unsure", "unjudged")}), file=file)
    true_reported = sum(r["true"] for r in out.rows)
    true_errors = sum(r["true"] for r in out.rows if r["severity"] == "error")
    print(f"true defects reported: {true_reported} ({true_errors} as errors); judged true and lost: {len(out.lost_true)}", file=file)
    if out.unjudged:
        print(f"unjudged findings ({len(out.unjudged)}):", file=file)
        for f in out.unjudged:
            print(f"  {f['severity']:7} {f['file']} p{f['page']} {f['check']} {f['span']!r} [{f['key']}] {f['message'][:90]}", file=file)


def run(corpus: Path, jobs: int) -> list[dict]:
    items = distinct_files(corpus)
    if jobs <= 1:
        return [review_one(i) for i in items]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(review_one, items))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.precision", description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--judged", type=Path, default=JUDGED)
    ap.add_argument("--check", action="store_true", help="fail on a false error, a lost true finding or an unjudged error")
    ap.add_argument("--worklist", type=Path, help="write the unjudged findings (JSON) for judging")
    ap.add_argument("--json", type=Path, help="write every finding of the run with its verdict (JSON)")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"precision: corpus {args.corpus} not found; nothing measured")
        return 0
    verdicts = load_verdicts(args.judged)
    results = run(args.corpus, args.jobs)
    out = evaluate(results, verdicts)
    print_outcome(out)
    if args.worklist:
        args.worklist.write_text(json.dumps(out.unjudged, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.json:
        rows = [f | {"verdict": (verdicts.get((f["doc"], f["key"])) or Verdict("", "", "", None, "", {})).verdict or None} for r in results for f in r["findings"]]
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.check:
        fails = out.failures
        for line in fails:
            print("FAIL " + line)
        print(f"precision guard: {'failed' if fails else 'passed'} ({len(fails)} problems)")
        return 1 if fails else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
