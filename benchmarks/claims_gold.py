"""Claims as gouji reads them against sentences of corpus PDFs annotated by hand.

Usage: python -m benchmarks.claims_gold [--gold DIR] [--show N] [--write-gaps]

Each file of ``tests/golden/claims/corpus/`` lists sentences read from their page images, each
with the amounts of money it states and, per amount, what a reader takes from it: its subject,
its change and base, its growth rate, its share and the whole that share is of, the total it
is a part of, and whether the parts listed under it are complete. The sentence alone is read
by gouji (as a one-paragraph document); each annotated amount is matched to the claim whose
amount has the same printed text, and every annotated field is compared. Printed: fields
right per field and per class, sentences with every field right, amounts not read as claims,
and claims gouji reads that the annotation does not have (a base or a change taken for an
amount of its own).

``--write-gaps`` rewrites ``known_gaps.yaml`` beside the gold files: the fields read wrong
today, which ``tests/test_claims_corpus_golden.py`` holds exactly (a field read right that was
wrong, or wrong that was right, fails it until the file is rewritten and the diff read).
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gouji.ingest.text import parse_text  # noqa: E402
from gouji.narrative.extract import extract_claims  # noqa: E402
from gouji.narrative.serialize import claims_dicts  # noqa: E402

GOLD = ROOT / "tests" / "golden" / "claims" / "corpus"
GAPS = GOLD / "known_gaps.yaml"
LEVEL_RE = re.compile(r"\((?:类|款|项)\)")
FIELDS = ("found", "subject", "delta", "direction", "base", "percent", "share", "share_whole", "part_of", "parts_complete")


def squeeze(text: str | None) -> str:
    return "".join((text or "").split())


@dataclass
class Sentence:
    """One annotated sentence and what was compared."""

    key: str  # gold file stem and index: "a#3"
    source: dict
    cls: str
    text: str
    wrong: list[tuple[str, str, str, str]] = field(default_factory=list)  # amount, field, gold, read
    right: Counter = field(default_factory=Counter)
    extra: list[str] = field(default_factory=list)


def load(directory: Path = GOLD) -> list[tuple[str, dict]]:
    """(key, entry) of every annotated sentence, in file order."""
    out = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name == GAPS.name:
            continue
        for i, entry in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            out.append((f"{path.stem}#{i + 1}", entry))
    return out


def _read(text: str) -> list[dict]:
    doc = parse_text(text.strip() + "\n", "sentence.txt")
    return claims_dicts(extract_claims(doc))


def _surface(q: dict | None) -> str | None:
    return squeeze(q["surface"]) if q else None


def _subject_right(gold: str, read: str | None) -> bool:
    """The subject read names the annotated one: either contains the other, compared in NFKC
    without quotation marks ("“三公”经费" in "财政拨款安排三公经费") and without a 科目's level
    ("审计事务（款）" is 审计事务)."""

    def plain(text: str | None) -> str:
        t = "".join(ch for ch in unicodedata.normalize("NFKC", squeeze(text)) if ch not in "“”\"'‘’")
        return LEVEL_RE.sub("", t)

    g, r = plain(gold), plain(read)
    return bool(r) and (g in r or r in g)


def compare(key: str, entry: dict) -> Sentence:
    s = Sentence(key, entry["source"], entry["class"], entry["sentence"])
    claims = _read(entry["sentence"])
    by_amount: dict[str, list[dict]] = {}
    for c in claims:
        by_amount.setdefault(_surface(c["amount"]) or "", []).append(c)
    by_id = {c["id"]: c for c in claims}
    used: set[str] = set()
    for g in entry["claims"]:
        amount = squeeze(g["amount"])
        candidates = [c for c in by_amount.get(amount, []) if c["id"] not in used]
        read = candidates[0] if candidates else None
        checks: dict[str, tuple[object, object]] = {}
        if read is None:
            s.wrong.append((g["amount"], "found", "claim", "none"))
            continue
        used.add(read["id"])
        s.right["found"] += 1
        cmp = read.get("comparison") or {}
        parent = by_id.get(read.get("part_of") or "")
        whole = _surface(parent["amount"]) if parent else None
        parts = [p for p in read.get("parts") or [] if p.get("kind") == "amount"]
        checks["subject"] = (g.get("subject"), read.get("subject"))
        checks["delta"] = (squeeze(g.get("delta")) or None, _surface(cmp.get("delta")))
        checks["direction"] = (g.get("direction"), cmp.get("direction") if cmp else None)
        checks["base"] = (squeeze(g.get("base")) or None, _surface(cmp.get("base")))
        checks["percent"] = (squeeze(g.get("percent")) or None, _surface(cmp.get("percent")))
        checks["share"] = (squeeze(g.get("share")) or None, _surface(read.get("share")))
        if g.get("share"):
            want = g.get("share_whole")
            checks["share_whole"] = ("not_in_sentence" if want == "not_in_sentence" else squeeze(want), whole or "not_in_sentence")
        checks["part_of"] = (squeeze(g.get("part_of")) or None, whole)
        if g.get("parts_complete") is not None or parts:
            read_complete = None if not parts else not any(p.get("incomplete") for p in parts)
            checks["parts_complete"] = (g.get("parts_complete"), read_complete)
        for name, (want, got) in checks.items():
            ok = _subject_right(want, got) if name == "subject" else want == got
            if ok:
                s.right[name] += 1
            else:
                s.wrong.append((g["amount"], name, str(want), str(got)))
    s.extra = [c["amount"]["surface"] for c in claims if c["id"] not in used and c.get("amount")]
    return s


def gaps(results: list[Sentence]) -> list[str]:
    """The fields read wrong, one line each: "key | amount | field"."""
    return sorted(f"{s.key} | {amount} | {name}" for s in results for amount, name, _, _ in s.wrong)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--show", type=int, default=40)
    ap.add_argument("--write-gaps", action="store_true")
    args = ap.parse_args(argv)
    results = [compare(k, e) for k, e in load(args.gold)]
    if not results:
        print(f"no annotated sentences in {args.gold}")
        return 1
    right: Counter = Counter()
    wrong: Counter = Counter()
    by_class: dict[str, list[int]] = {}
    for s in results:
        right.update(s.right)
        wrong.update(name for _, name, _, _ in s.wrong)
        c = by_class.setdefault(s.cls, [0, 0])
        c[0] += 1
        c[1] += not s.wrong
    print(f"sentences {len(results)}; every field right in {sum(not s.wrong for s in results)}")
    print(f"{'field':16} {'right':>5} {'wrong':>5}")
    for name in FIELDS:
        if right[name] or wrong[name]:
            print(f"{name:16} {right[name]:5} {wrong[name]:5}")
    print(f"{'class':24} {'sentences':>9} {'all right':>9}")
    for cls, (n, ok) in sorted(by_class.items()):
        print(f"{cls:24} {n:9} {ok:9}")
    print(f"claims read that the annotation does not have: {sum(len(s.extra) for s in results)}")
    shown = 0
    for s in results:
        for amount, name, want, got in s.wrong:
            if shown < args.show:
                print(f"  {s.key} {s.source.get('file', '')} p{s.source.get('page', '')} {amount} {name}: gold {want!r} read {got!r}")
            shown += 1
    if args.write_gaps:
        GAPS.write_text(
            "# Fields of the annotated sentences that gouji reads wrong today (python -m benchmarks.claims_gold --write-gaps)\n"
            + yaml.safe_dump(gaps(results), allow_unicode=True, width=200),
            encoding="utf-8",
        )
        print(f"wrote {GAPS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
