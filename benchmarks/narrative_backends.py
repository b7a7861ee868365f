"""Rules against the spaCy pipeline on the golden claims of the examples.

    python benchmarks/narrative_backends.py

For each backend: claims extracted, golden claims reproduced exactly (every annotated
field equal), money/percent mentions found versus annotated, and the time taken.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from gouji.ingest import read_document
from gouji.narrative import extract
from gouji.narrative.serialize import claims_dicts

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "claims"


def _surfaces(claims: list[dict]) -> set[tuple[int, int]]:
    out = set()
    for c in claims:
        cmp = c.get("comparison") or {}
        for q in (c.get("amount"), c.get("share"), cmp.get("delta"), cmp.get("percent"), cmp.get("base")):
            if q:
                out.add(tuple(q["span"]))
    return out


def main() -> None:
    docs = {p.stem: read_document(ROOT / "examples" / f"{p.stem}.txt") for p in sorted(GOLDEN.glob("*.json"))}
    gold = {n: [c for s in json.loads((GOLDEN / f"{n}.json").read_text())["sentences"] for c in s["claims"]] for n in docs}
    print(f"{'backend':<8}{'claims':>8}{'exact':>8}{'golden':>8}{'spans found':>13}{'spans extra':>13}{'seconds':>9}")
    for backend in ("rules", "spacy"):
        extract.set_backend(backend)
        if backend == "spacy":
            extract.extract_claims(docs[next(iter(docs))])  # load the pipeline outside the timing
        t = time.perf_counter()
        total = exact = gold_n = found = extra = gold_spans = 0
        for name, doc in docs.items():
            got = claims_dicts(extract.extract_claims(doc))
            total += len(got)
            by_id = {c["id"]: c for c in got}
            for want in gold[name]:
                gold_n += 1
                have = by_id.get(want["id"])
                keys = [k for k in want if k not in ("extractor_differs", *want.get("extractor_differs", {}))]
                if have and all(have.get(k) == want[k] for k in keys):
                    exact += 1
            g, h = _surfaces(gold[name]), _surfaces(got)
            gold_spans += len(g)
            found += len(g & h)
            extra += len(h - g)
        dt = time.perf_counter() - t
        print(f"{backend:<8}{total:>8}{exact:>8}{gold_n:>8}{f'{found}/{gold_spans}':>13}{extra:>13}{dt:>9.2f}")
    extract.set_backend("rules")


if __name__ == "__main__":
    main()
