"""Reason models (issue 9, models 2-4): the cue-word rules against the stored heads on the
held-back test split of ``tests/data/reason_annotations.jsonl``.

Prints, per part, the rule baseline and the model: direction (accuracy, rules' coverage and
precision where they decide, what the model adds where they abstain), reason vs subject
(reports on natural records = false alarms, on planted mismatches = recall, precision),
category (accuracy, per-category precision and recall). ``--bench`` also times the reason
stage per example document (encoder loaded, cold cache, then warm).

Usage: python -m benchmarks.reasons_eval [--data FILE] [--model DIR] [--bench]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from gouji.models.annotations import load
from gouji.models.encoder import Encoder
from gouji.models.reason_heads import load_heads
from gouji.models.training.evaluation import evaluate
from gouji.models.training.reason_heads import data_checksum

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "reason_annotations.jsonl"


def pct(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.2f}" if b else f"{a}/0"


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def report(rows, heads: dict, f: dict) -> None:
    split = Counter(a.split for a in rows)
    docs = {s: len({a.source["document"] for a in rows if a.split == s}) for s in split}
    corpus = sum(not a.source["document"].startswith("examples/") for a in rows)
    print(f"annotations: {len(rows)} ({corpus} from the corpus): train {split['train']} ({docs.get('train', 0)} documents), test {split['test']} ({docs.get('test', 0)} documents)")
    ok = heads["training_data"]["sha256"] == data_checksum(rows)
    print(f"heads trained on this file: {'yes' if ok else 'NO (retrain: python -m benchmarks.reasons_train)'}")

    d = f["direction"]
    n = d["n"]
    print(f"\n2. reason direction (test, {n} reasons; gold {d['gold']})")
    print(f"  rules: accuracy {pct(d['rules_correct'], n)} (abstain = neither); coverage {pct(d['rules_decided'], n)}; "
          f"precision where they decide {pct(d['rules_decided_correct'], d['rules_decided'])}")
    print(f"  model alone: accuracy {pct(d['model_correct'], n)}")
    hd = heads["direction"]
    print(f"  rules + model where they abstain (p ≥ {hd['threshold']}, chosen by 5-fold CV on train): accuracy {pct(d['combined_correct'], n)}; "
          f"adds {d['added_correct']} correct, {d['added_wrong']} wrong")
    print(f"  feeds narrative.reason_direction: {'YES' if hd['use'] else 'NO - the model does not beat the rules; the rules decide alone'}")

    s = f["subject"]
    print(f"\n3. reason vs subject (test: {s['natural']} natural records, {s['natural_mismatches']} of them mismatched; {s['planted']} planted mismatches)")
    for name in ("rules", "model"):
        m = s[name]
        reported = m["true"] + m["false_natural"] + m["false_planted"]
        print(f"  {name}: reports {reported}; false alarms on natural records {m['false_natural']}; recall on planted {pct(m['true_planted'], s['planted'])}; "
              f"natural mismatches found {m['true'] - m['true_planted']}/{s['natural_mismatches']}; precision {pct(m['true'], reported)}")
    print(f"  model margin (chosen on train: no false report there): {heads['subject']['margin']}; the check uses: {'the model' if heads['subject']['use'] else 'the rule'}")

    c = f["category"]
    n = c["n"]
    print(f"\n4. reason category (test, {n} reasons)")
    print(f"  rules: accuracy {pct(c['rules_correct'], n)}; model: accuracy {pct(c['model_correct'], n)}; default with a model: {'model' if heads['category']['use'] else 'rules'}")
    print(f"  {'category':14} {'gold':>5} {'rules P':>12} {'rules R':>12} {'model P':>12} {'model R':>12}")
    for cat, x in c["per_category"].items():
        print(f"  {cat}{' ' * (14 - _width(cat))} {x['gold']:>5} {pct(x['rules_tp'], x['rules_predicted']):>12} {pct(x['rules_tp'], x['gold']):>12} "
              f"{pct(x['model_tp'], x['model_predicted']):>12} {pct(x['model_tp'], x['gold']):>12}")


def bench(enc: Encoder) -> None:
    """Seconds of the reason stage per example (reasons embedded; cold cache, then warm)."""
    from gouji.ingest import read_document
    from gouji.models.reason_heads import apply, model_text
    from gouji.narrative.extract import extract_claims

    print("\nreason stage per document (encoder loaded; cold = reasons not seen before):")
    tot = 0.0
    for p in sorted((ROOT / "examples").glob("*.txt")):
        doc = read_document(p)
        claims = extract_claims(doc)
        reasons = [model_text(c.reason.text) for c in claims.claims if c.reason is not None and c.reason.kind == "reason"]
        for r in reasons:
            enc._cache.pop(("query", r), None)
        t0 = time.perf_counter()
        summary = apply(claims, enc, doc.meta.year)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        enc.encode(reasons, "query", cache=False)
        embed = time.perf_counter() - t0
        tot += cold
        print(f"  {p.stem[:22]:24} {len(reasons):3} reasons  stage {cold:.3f} s  (embedding them uncached {embed:.3f} s; stage {summary['reasons']['status']})")
    print(f"  total {tot:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--model")
    ap.add_argument("--heads", help="a heads file other than the package's")
    ap.add_argument("--bench", action="store_true")
    args = ap.parse_args()
    rows = load(Path(args.data))
    if args.heads:
        import json

        heads = json.loads(Path(args.heads).read_text(encoding="utf-8"))
    else:
        heads = load_heads()
    enc = Encoder(args.model).load()
    figures = evaluate(rows, enc, heads)
    report(rows, heads, figures)
    if figures != heads["figures"]:
        print("\nNOTE: these figures differ from those recorded at training")
    if args.bench:
        bench(enc)


if __name__ == "__main__":
    main()
