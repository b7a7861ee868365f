"""Candidates for the reason annotations: stated reasons the claim extractor finds in the corpus.

    python benchmarks/reason_candidates.py [FOLDER] [--out FILE] [--per-doc N] [--texts DIR]

A tool for re-creating the candidate list from which ``tests/data/reason_annotations.jsonl``
was labelled by hand; it labels nothing itself (the labels come from reading each sentence,
never from the rule classifier in ``gouji.narrative.reasons``).

For every document of FOLDER (default ../shared/corpus/pdf) that ``read_document`` can read,
the claims whose reason is a stated reason (``reason.kind == "reason"``), with or without a
direction word, are listed with the document (relative to shared/corpus), the page and line
of the reason's first character, the claim id, sentence, subject and direction, the reason
text and some text after it (to correct spans the extractor cut short). Identical reason
texts of one document are kept once; at most N per document (default 10), chosen evenly over
the document so that every city contributes. ``split`` is decided by document: test when
``int(sha1(document).hexdigest(), 16) % 10 < 3``. Scanned PDFs without text are skipped,
and so is a document whose extracted text is the same as an earlier one's (the corpus holds
copies under other names: one 国家信访局 budget filed under nine cities, and pairs such as
广州_交通运输局 / 广州_广州市交通运输局); only the first copy by name is kept, so that one
text never lands in both splits.
With ``--texts`` the extracted text of each document is written there too, for checking
that corrected reasons stand verbatim in it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from gouji.errors import GoujiError
from gouji.ingest import read_document
from gouji.narrative.extract import extract_claims

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpus" / "pdf"
CONTEXT = 120  # characters after the reason, to see where it really ends


def split_of(document: str) -> str:
    return "test" if int(hashlib.sha1(document.encode()).hexdigest(), 16) % 10 < 3 else "train"


def spread(items: list, n: int) -> list:
    """At most ``n`` of ``items``, evenly spaced, in their order."""
    if len(items) <= n:
        return list(items)
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def candidates(
    path: Path, per_doc: int, texts: Path | None = None, seen_texts: dict | None = None
) -> list[dict]:
    doc = read_document(path)
    if seen_texts is not None:
        digest = hashlib.sha1(doc.text.encode()).hexdigest()
        if digest in seen_texts:
            print(f"{path.name}: skipped: same text as {seen_texts[digest]}", file=sys.stderr)
            return []
        seen_texts[digest] = path.name
    document = f"{path.parent.name}/{path.name}"
    if texts is not None:
        (texts / f"{path.stem}.txt").write_text(doc.text, encoding="utf-8")
    found: list[dict] = []
    seen: set[str] = set()
    for c in extract_claims(doc).claims:
        r = c.reason
        if r is None or r.kind != "reason" or not r.text.strip() or r.text in seen:
            continue
        seen.add(r.text)
        line = doc.line_of(r.span[0])
        found.append(
            {
                "id": f"{path.stem}:{c.id}",
                "document": document,
                "page": doc.page_of_line(line),
                "line": line,
                "claim_id": c.id,
                "sentence": c.sentence,
                "claim_subject": c.subject,
                "claim_direction": c.comparison.direction if c.comparison else None,
                "reason": r.text,
                "after": doc.text[r.span[1] : r.span[1] + CONTEXT],
                "split": split_of(document),
            }
        )
    return spread(found, per_doc)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT))
    ap.add_argument("--out", default="/tmp/gouji_ann_candidates.jsonl")
    ap.add_argument("--per-doc", type=int, default=10)
    ap.add_argument(
        "--texts", default=None, help="also write each document's extracted text to this folder"
    )
    args = ap.parse_args(argv)
    folder = Path(args.folder)
    texts = Path(args.texts) if args.texts else None
    if texts is not None:
        texts.mkdir(parents=True, exist_ok=True)
    n = 0
    seen_texts: dict[str, str] = {}
    with open(args.out, "w", encoding="utf-8") as out:
        for path in sorted(folder.glob("*.pdf")):
            try:
                rows = candidates(path, args.per_doc, texts, seen_texts)
            except GoujiError as e:
                print(f"{path.name}: skipped: {e}", file=sys.stderr)
                continue
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += len(rows)
            print(f"{path.name}: {len(rows)}", file=sys.stderr)
    print(f"{n} candidates -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
