"""How many claims the checks could verify, per city, and why the rest are unverifiable.

    python -m benchmarks.claim_status [FOLDER]

FOLDER defaults to the shared corpus (../shared/corpus/pdf), each distinct file once. Per city
(the file name up to the first "_"): claims by status (consistent, contradicted, doubtful,
unverifiable), the unverifiable ones by reason (data/labels.yaml ``unverifiable_reasons``) and
the consistent ones by their strongest basis (``verified_bases``), then the totals with their
shares.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.precision.corpus import CORPUS, distinct_files

STATUSES = ("consistent", "contradicted", "doubtful", "unverifiable")


def statuses_of(path: str) -> tuple[str, Counter] | None:
    """(city, counts of statuses and of ``why:<reason>``) of one file, None when unreadable."""
    from gouji.alignment.review import review_document
    from gouji.errors import GoujiError
    from gouji.ingest import read_document

    try:
        doc = read_document(Path(path))
    except GoujiError:
        return None
    counts: Counter = Counter()
    for c in review_document(doc).claims.claims:
        counts[c.status] += 1
        if c.status == "unverifiable":
            counts[f"why:{c.unverifiable_reason}"] += 1
        elif c.status == "consistent" and c.verified_by:
            counts[f"by:{c.verified_by[0]}"] += 1  # its strongest basis
    return Path(path).stem.split("_", 1)[0], counts


def main(argv: list[str] | None = None) -> int:
    from gouji.labels import unverifiable_reasons, verified_bases

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(CORPUS))
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"{folder}: no such folder; nothing to measure")
        return 0
    files = [str(d.path) for d in distinct_files(folder)]
    per_city: dict[str, Counter] = defaultdict(Counter)
    with ProcessPoolExecutor(args.jobs) as pool:
        for got in pool.map(statuses_of, files):
            if got is not None:
                per_city[got[0]].update(got[1])
    reasons = list(unverifiable_reasons())
    bases = list(verified_bases())
    head = ["city", "claims", *STATUSES, *reasons, *(f"by_{b}" for b in bases)]
    print("\t".join(head))
    total: Counter = Counter()
    for city in sorted(per_city):
        c = per_city[city]
        total.update(c)
        n = sum(c[s] for s in STATUSES)
        print("\t".join([city, str(n), *(str(c[s]) for s in STATUSES), *(str(c[f"why:{r}"]) for r in reasons), *(str(c[f"by:{b}"]) for b in bases)]))
    n = sum(total[s] for s in STATUSES) or 1
    print("\t".join(["all", str(n), *(f"{total[s]} ({total[s] / n:.1%})" for s in STATUSES), *(f"{total[f'why:{r}']} ({total[f'why:{r}'] / n:.1%})" for r in reasons), *(f"{total[f'by:{b}']} ({total[f'by:{b}'] / n:.1%})" for b in bases)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
