"""Subject linking (issue 9, model 1): the rule baseline and the model on hand-annotated claims.

``tests/data/subject_links.jsonl`` lists, for every claim of the examples that the rules
cannot place in the tables, the table rows (normalised labels) that hold the same quantity
with an agreeing amount, or none. A model link is right when its row is one of them.
Prints precision and recall of the rules (which by construction link none of these claims)
and of the model.

Usage: python -m benchmarks.models_eval [--model DIR]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from gouji.alignment.figures import norm_label
from gouji.alignment.review import review_document
from gouji.ingest import read_document
from gouji.models.encoder import Encoder
from gouji.models.stages import EncoderStages

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "subject_links.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    args = ap.parse_args()
    gold = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        by_doc[g["document"]].append(g)
    enc = Encoder(args.model).load()
    tp = fp = fn = 0
    for doc, items in sorted(by_doc.items()):
        r = review_document(read_document(ROOT / doc), models=EncoderStages(enc))
        claims = r.claims.by_id()
        linked = {(claims[x.claim].subject, claims[x.claim].amount.text): x for x in r.model_links}
        for g in items:
            link = linked.pop((g["claim_subject"], g["amount"]), None)
            got = norm_label(link.figure.label) if link else None
            if got is not None and got in g["rows"]:
                tp += 1
                verdict = "right"
            elif got is not None:
                fp += 1
                verdict = "WRONG"
            elif g["rows"]:
                fn += 1
                verdict = "missed"
            else:
                continue
            print(f"{verdict:6} {Path(doc).stem[5:14]} {g['claim_subject']} {g['amount']} -> {got} (gold {g['rows'] or 'none'})")
        for (subject, amount), link in linked.items():  # links on claims the gold file lacks
            fp += 1
            print(f"UNANNOTATED {doc} {subject} {amount} -> {link.figure.label}")
    positives = sum(bool(g["rows"]) for g in gold)
    print(f"\n{len(gold)} claims the rules cannot place, {positives} with a same-quantity row")
    print(f"rules: 0 links; precision n/a, recall 0/{positives}")
    prec = tp / (tp + fp) if tp + fp else float("nan")
    print(f"model: {tp + fp} links, {tp} right; precision {prec:.2f}, recall {tp}/{positives} = {tp / positives:.2f}")


if __name__ == "__main__":
    main()
