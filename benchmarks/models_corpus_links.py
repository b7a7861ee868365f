"""Subject linking on the shared corpus: unverifiable claims before and after, and every link.

Reviews every readable PDF of ``../shared/corpus/pdf/`` (scans that cannot be read are
skipped and counted; a PDF whose extracted text is identical to an earlier one's, e.g. one
budget filed under several cities, is counted once) and the five examples, first with the
rules only (``review_document(doc)``), then with the encoder
(``review_document(doc, models=EncoderStages(Encoder(...).load()))``). Prints, per distinct document and
in total, the claims, the unverifiable claims before and after, and the model links; writes
every link (document, page, line, claim sentence, subject, amount, linked table, row,
column, value, similarity, rank, claim status before and after) as one JSON line to ``--out``.

Extracted documents are pickled under ``--cache`` (keyed by file size and mtime), so a
second run skips the PDF reading. ``--sample N`` also writes a deterministic sample of N
links (all of them if fewer; else a seeded shuffle taken round-robin over documents, so
the sample spreads over them) to ``--sample-out`` for judging by hand; the judged sample is
``tests/data/subject_links_corpus_sample.jsonl``.

Usage: python -m benchmarks.models_corpus_links [--corpus DIR] [--model DIR] [--out FILE]
       [--cache DIR] [--sample 50] [--seed 9] [--sample-out FILE] [--no-model]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

from gouji.alignment.review import review_document
from gouji.errors import GoujiError
from gouji.ingest import read_document

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLES = ROOT / "examples"


def load_cached(path: Path, cache: Path):
    """The extracted ``Document`` of ``path``, pickled under ``cache`` on first read."""
    st = path.stat()
    key = hashlib.sha1(f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:16]
    f = cache / f"{key}.pkl"
    if f.exists():
        return pickle.loads(f.read_bytes())
    doc = read_document(path)
    f.write_bytes(pickle.dumps(doc))
    return doc


def counts(review) -> tuple[int, int]:
    claims = review.claims.claims
    return len(claims), sum(c.status == "unverifiable" for c in claims)


def link_record(name: str, doc, review, link, status_before: str) -> dict:
    c = review.claims.by_id()[link.claim]
    loc = doc.location(*c.amount.span)
    f = link.figure
    return {
        "document": name,
        "page": loc.page,
        "line": loc.line,
        "sentence": c.sentence,
        "claim_subject": c.subject,
        "amount": c.amount.text,
        "table": f.table.id,
        "table_title": f.table.title,
        "row": f.label,
        "column": f.column,
        "value": format(f.cell.value, "f"),
        "unit": f.unit,
        "row_line": f.cell.location.line,
        "row_page": f.cell.location.page,
        "similarity": round(link.similarity, 4),
        "rank": link.rank,
        # a link can land on a claim that another check already contradicted (its change, say):
        # the claim keeps that status, so it never was among the unverifiable ones
        "status_before": status_before,
        "status_after": c.status,
    }


def sample_links(links: list[dict], n: int, seed: int) -> list[dict]:
    """All links if at most ``n``; else ``n`` drawn round-robin over documents from a seeded shuffle."""
    if len(links) <= n:
        return list(links)
    rng = random.Random(seed)
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for x in links:
        by_doc[x["document"]].append(x)
    docs = sorted(by_doc)
    rng.shuffle(docs)
    for d in docs:
        rng.shuffle(by_doc[d])
    out: list[dict] = []
    while len(out) < n:
        for d in docs:
            if by_doc[d] and len(out) < n:
                out.append(by_doc[d].pop())
    return sorted(out, key=lambda x: (x["document"], x["line"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--corpus", default=str(CORPUS), help="the shared corpus (its pdf/ folder is read)"
    )
    ap.add_argument("--model")
    ap.add_argument(
        "--no-model", action="store_true", help="rules only (to time or test the extraction)"
    )
    ap.add_argument("--out", default="/tmp/gouji_lk_links.jsonl")
    ap.add_argument("--cache", default="/tmp/gouji_lk_cache")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--sample-out", default="/tmp/gouji_lk_sample.jsonl")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)

    encoder = None
    if not args.no_model:
        from gouji.models.encoder import Encoder
        from gouji.models.stages import EncoderStages

        encoder = Encoder(args.model).load()

    paths = [(f"pdf/{p.name}", p) for p in sorted((corpus / "pdf").glob("*.pdf"))]
    paths += [(f"examples/{p.name}", p) for p in sorted(EXAMPLES.glob("*.txt"))]
    unreadable: list[tuple[str, str]] = []
    duplicates: list[tuple[str, str]] = []
    first_of: dict[str, str] = {}
    rows: list[tuple[str, int, int, int, int, float]] = []
    links: list[dict] = []
    t_all = time.perf_counter()
    for name, path in paths:
        try:
            doc = load_cached(path, cache)
        except GoujiError as e:
            unreadable.append((name, str(e)))
            continue
        digest = hashlib.sha1(doc.text.encode()).hexdigest()
        if digest in first_of:
            duplicates.append((name, first_of[digest]))
            continue
        first_of[digest] = name
        before = review_document(doc)
        n, unv0 = counts(before)
        t0 = time.perf_counter()
        unv1, made = unv0, []
        if encoder is not None:
            after = review_document(doc, models=EncoderStages(encoder))
            n1, unv1 = counts(after)
            assert n1 == n, name
            was = {c.id: c.status for c in before.claims.claims}
            made = [link_record(name, doc, after, x, was[x.claim]) for x in after.model_links]
            links += made
        rows.append((name, n, unv0, unv1, len(made), time.perf_counter() - t0))
        print(
            f"{name}: {n} claims, unverifiable {unv0} -> {unv1}, {len(made)} links",
            file=sys.stderr,
            flush=True,
        )

    w = max(len(r[0]) for r in rows)
    print(f"{'document':{w}}  claims  unverif.before  after  links  model s")
    for name, n, u0, u1, k, secs in rows:
        print(f"{name:{w}}  {n:6}  {u0:14}  {u1:5}  {k:5}  {secs:7.1f}")
    n = sum(r[1] for r in rows)
    u0 = sum(r[2] for r in rows)
    u1 = sum(r[3] for r in rows)
    k = sum(r[4] for r in rows)
    pdfs = sum(1 for x, _ in paths if x.startswith("pdf/"))
    print(
        f"\nPDFs: {pdfs}, unreadable {len(unreadable)}, duplicates of an earlier text {len(duplicates)}"
    )
    for x, why in unreadable:
        print(f"  unreadable {x}: {why}")
    for x, first in duplicates:
        print(f"  duplicate {x} = {first}")
    print(
        f"distinct documents: {len(rows)} ({sum(r[0].startswith('pdf/') for r in rows)} PDFs + "
        f"{sum(r[0].startswith('examples/') for r in rows)} examples)"
    )
    print(
        f"claims: {n}; unverifiable before {u0} ({100 * u0 / n:.1f} %), after {u1} ({100 * u1 / n:.1f} %); links {k}"
    )
    other = [x for x in links if x["status_before"] != "unverifiable"]
    print(f"links on claims another check had already judged (status kept): {len(other)}")
    print(
        f"documents with a link: {len({x['document'] for x in links})}; {time.perf_counter() - t_all:.0f} s"
    )
    if encoder is not None:
        Path(args.out).write_text(
            "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in links), encoding="utf-8"
        )
        print(f"links written to {args.out}")
        if args.sample:
            picked = sample_links(links, args.sample, args.seed)
            Path(args.sample_out).write_text(
                "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in picked), encoding="utf-8"
            )
            print(f"sample of {len(picked)} written to {args.sample_out}")


if __name__ == "__main__":
    main()
