"""Claims coverage over a corpus: does every sentence with an amount yield claims?

    python benchmarks/narrative_coverage.py [FOLDER] [--show-unclassified N]

FOLDER defaults to ../shared/corpus/pdf (next to the checkout). Every file that
``gouji.ingest.read_document`` can read is read (text exports now; PDF, DOCX and XLSX
once their readers are in); the others are skipped with the reader's message.

Per city (the file name up to the first "_"): sentences with amounts or percentages,
claims extracted, non-claims by reason, unclassified sentences. The closing note gives
the totals and the unclassified rate (target: under 2%).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

from gouji.errors import GoujiError
from gouji.ingest import read_document
from gouji.narrative.extract import extract_claims

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpus" / "pdf"
SUFFIXES = {".txt", ".md", ".pdf", ".docx", ".doc", ".xlsx", ".xls"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT))
    ap.add_argument("--show-unclassified", type=int, default=0, metavar="N", help="print up to N unclassified sentences")
    args = ap.parse_args(argv)
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"{folder}: no such folder; nothing to measure")
        return 0
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES)
    per_city: dict[str, Counter] = defaultdict(Counter)
    reasons: dict[str, Counter] = defaultdict(Counter)
    skipped: list[tuple[str, str]] = []
    unclassified: list[tuple[str, str]] = []
    for f in files:
        try:
            doc = read_document(f)
        except GoujiError as e:
            skipped.append((f.name, str(e).splitlines()[0]))
            continue
        cs = extract_claims(doc)
        city = f.stem.split("_", 1)[0]
        c = per_city[city]
        c["documents"] += 1
        c["claims"] += len(cs.claims)
        for r in cs.sentences:
            c["sentences"] += 1
            c[r.status if r.status != "claims" else "claims_sentences"] += 1
            if r.status == "non-claim":
                reasons[city][r.reason] += 1
            elif r.status == "unclassified":
                unclassified.append((f.name, doc.text[r.span[0] : r.span[1]].replace("\n", " ")[:160]))

    if per_city:
        print(f"{'city':<10}{'docs':>5}{'sentences':>10}{'claims':>8}{'w/claims':>9}{'non-claim':>10}{'unclass.':>9}  non-claims by reason")
        for city in sorted(per_city):
            c = per_city[city]
            why = ", ".join(f"{k} {v}" for k, v in reasons[city].most_common())
            print(
                f"{city:<10}{c['documents']:>5}{c['sentences']:>10}{c['claims']:>8}{c['claims_sentences']:>9}"
                f"{c['non-claim']:>10}{c['unclassified']:>9}  {why}"
            )
    by_kind: dict[str, list[str]] = defaultdict(list)
    for name, msg in skipped:
        by_kind[Path(name).suffix.lower()].append(msg)
    for suffix, msgs in sorted(by_kind.items()):
        print(f"skipped {len(msgs)} {suffix} files: {msgs[0]}")
    if args.show_unclassified:
        for name, sent in unclassified[: args.show_unclassified]:
            print(f"unclassified {name}: {sent}")
    total = Counter()
    for c in per_city.values():
        total.update(c)
    n = total["sentences"]
    rate = f"{100 * total['unclassified'] / n:.1f}%" if n else "n/a"
    print(
        f"\nTotal: {total['documents']} documents read, {len(skipped)} skipped; {n} sentences with amounts, "
        f"{total['claims']} claims, {total['claims_sentences']} sentences with claims, "
        f"{total['non-claim']} non-claims, {total['unclassified']} unclassified ({rate}; target under 2%)."
    )
    if not per_city and skipped:
        print("No file of the folder could be read yet (PDF reading is not in this build); nothing measured.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
