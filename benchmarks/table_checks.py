"""Per example: tables found by kind, table relations evaluated per check, findings per check.

Relations are counted by wrapping the evaluator of ``gouji.alignment.table_sums`` and
``gouji.alignment.cross_tables`` in this process only (a measurement, not a switch the product
reads).

    python benchmarks/table_checks.py [FILES...]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from gouji.alignment import cross_tables, table_sums
from gouji.alignment.review import review_document
from gouji.ingest import read_document

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "examples").glob("*.txt"))
    evaluated: Counter[str] = Counter()
    original = table_sums.evaluate
    modules = (table_sums, cross_tables)

    def counting(rel):
        evaluated[rel.check] += 1
        return original(rel)

    for m in modules:
        m.evaluate = counting
    try:
        for path in paths:
            evaluated.clear()
            review = review_document(read_document(path))
            kinds = Counter(t.kind or "（未识别）" for t in review.tables)
            found = Counter((f.check, f.severity) for f in review.findings if not f.check.startswith("narrative"))
            print(f"## {path.name}")
            print(f"tables: {len(review.tables)} — " + ", ".join(f"{k} {n}" for k, n in kinds.items()))
            print("relations evaluated: " + ", ".join(f"{k} {n}" for k, n in sorted(evaluated.items())))
            print("findings: " + (", ".join(f"{c} {s} {n}" for (c, s), n in sorted(found.items())) or "none"))
    finally:
        for m in modules:
            m.evaluate = original
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
