"""How much the per-text caches flatter a batch of replicated documents.

``batch_throughput.py`` reviews the five examples replicated to 500 documents, so the caches
of normalised labels, numbers, codes and sentences (``functools.lru_cache``, per process) hit
across documents as they would not across 500 different disclosures. This reviews the examples
in one process twice: with the caches as they are, and with every text cache cleared before
each document (what a batch of all-different documents costs at worst), and prints the CPU
milliseconds per document (read, review, JSON and HTML report) of both.

Usage: python -m benchmarks.cache_effect [--rounds 3]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from gouji.alignment import figures
from gouji.alignment.coverage import prose
from gouji.alignment.review import review_document
from gouji.batch.worker import preload
from gouji.ingest import read_document
from gouji.narrative import subjects
from gouji.quantities import numbers, units
from gouji.report.html import to_html
from gouji.report.json_report import dumps, report_dict
from gouji.tables import build, codes, structure, toc

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.txt"))
TEXT_CACHES = [
    figures.norm_label, figures._figure_unit, subjects.normalize, subjects.resolve_subject, numbers.parse_number,
    build.clean_cell, structure.item_style, structure.total_kind, codes.parse_code, toc.title_key,
    units.unit_from_caption, prose.plain, prose.is_definition, prose.sentence_spans,
]  # fmt: skip


def per_document_ms(cold: bool, repeats: int = 8) -> float:
    t = time.process_time()
    for _ in range(repeats):
        for path in EXAMPLES:
            if cold:
                for c in TEXT_CACHES:
                    c.cache_clear()
            r = review_document(read_document(path))
            data = report_dict(r)
            dumps(data)
            to_html(r, data=data)
    return (time.process_time() - t) / (repeats * len(EXAMPLES)) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    preload()
    per_document_ms(False, 1)  # warm up: templates, data files, patterns
    print("round  warm ms/doc  cold ms/doc  cold/warm")
    for i in range(args.rounds):
        warm, cold = per_document_ms(False), per_document_ms(True)
        print(f"{i + 1:5}  {warm:11.1f}  {cold:11.1f}  {cold / warm:9.2f}")


if __name__ == "__main__":
    main()
