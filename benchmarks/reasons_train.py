"""Train the reason heads (issue 9, models 2-4) and store them in the package.

Reads the train split of ``tests/data/reason_annotations.jsonl`` (``--data`` for another
file), embeds the reasons with the built multilingual-e5-small, fits the direction and
category heads (L2 strength and the direction threshold by 5-fold cross-validation over
documents), picks the subject model's margin on the train pairs, scores everything on the
test split and writes ``src/gouji/data/models/reason_heads.json`` (``--out`` elsewhere).

Usage: python -m benchmarks.reasons_train [--data FILE] [--out FILE] [--model DIR]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from gouji.models.annotations import load
from gouji.models.encoder import Encoder
from gouji.models.reason_heads import HEADS_FILE
from gouji.models.training.reason_heads import save_heads, train

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "reason_annotations.jsonl"
OUT = ROOT / "src" / "gouji" / "data" / HEADS_FILE


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--model")
    args = ap.parse_args()
    rows = load(Path(args.data))
    enc = Encoder(args.model).load()
    t0 = time.perf_counter()
    heads = train(rows, enc)
    save_heads(heads, args.out)
    d, c, s = heads["direction"], heads["category"], heads["subject"]
    print(f"{len(rows)} annotations: train {heads['training_data']['train']}, test {heads['training_data']['test']} ({time.perf_counter() - t0:.1f} s)")
    print(f"direction: l2 {d['l2']}, cv accuracy {d['cv_accuracy']}, threshold {d['threshold']}, used: {d['use']}")
    print(f"category: l2 {c['l2']}, cv accuracy {c['cv_accuracy']}, used: {c['use']}")
    print(f"subject: margin {s['margin']}, used: {s['use']}")
    print(f"wrote {args.out} ({Path(args.out).stat().st_size / 1e3:.0f} kB); figures: python -m benchmarks.reasons_eval")


if __name__ == "__main__":
    main()
