"""CPU of reading the corpus PDFs, this version against gouji at an earlier revision, in one run.

Usage: python benchmarks/read_cpu.py [--against REV] [--repeat 2] [--corpus DIR]

Each version (this checkout, and ``REV`` in a temporary git worktree; default
``benchmarks.revisions.BASELINE``, where the target of 5 times faster reading was set) reads
every distinct corpus PDF (``benchmarks/precision/corpus.py``) with its default reader in a
child process of its own, the versions' processes interleaved ``--repeat`` times; each file's
best ``read_document`` CPU time (``time.process_time``) is kept. Scans (no page with text) are
left out: their pages are recognised by OCR (``benchmarks/ocr.py``), the same work whatever
reads the text layer. Prints CPU per page of each version over the files both read, and the
ratio.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.precision.corpus import CORPUS, distinct_files  # noqa: E402
from benchmarks.revisions import BASELINE, ENV, tree_env, worktree  # noqa: E402

TARGET = 5.0  # this version reads this many times faster than BASELINE, or more

# run in each version's own interpreter: the corpus's distinct files read one by one
CHILD = r"""
import json, sys, time
from pathlib import Path
from gouji.ingest import read_document
out = {}
for path in json.loads(sys.stdin.read()):
    t = time.process_time()
    try:
        doc = read_document(path)
    except Exception:  # a file this version cannot read is left out of both
        continue
    out[Path(path).name] = [time.process_time() - t, doc.meta.pages, doc.meta.source_format]
print(json.dumps(out))
"""


def text_layer(path: Path) -> bool:
    """Whether some page of ``path`` has text to read (a scan has none)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        for page in pdf:
            text = page.get_textpage()
            n = text.count_chars()
            text.close()
            page.close()
            if n:
                return True
        return False
    finally:
        pdf.close()


def read_all(env: dict[str, str], cwd: Path, paths: list[str]) -> dict[str, list]:
    p = subprocess.run(
        [sys.executable, "-c", CHILD], input=json.dumps(paths), capture_output=True, text=True, env=env, cwd=cwd
    )
    if p.returncode:
        raise SystemExit(f"reading failed in {cwd}: {p.stderr[-500:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--against", default=BASELINE, metavar="REV")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"no corpus at {args.corpus}")
    paths = [str(d.path) for d in distinct_files(args.corpus) if text_layer(d.path)]
    with worktree(args.against) as tree:
        versions = {"this": (ENV, ROOT), args.against: (tree_env(tree), tree)}
        runs: dict[str, list[dict]] = {v: [] for v in versions}
        for _ in range(args.repeat):
            for v, (env, cwd) in versions.items():
                runs[v].append(read_all(env, cwd, paths))
    # files both versions read from their text layer
    files = sorted(
        set.intersection(*({n for n, (_, _, fmt) in rs[0].items() if fmt == "pdf"} for rs in runs.values()))
    )
    pages = sum(runs["this"][0][n][1] for n in files)
    per_page = {v: 1000 * sum(min(r[n][0] for r in rs) for n in files) / pages for v, rs in runs.items()}
    print(f"{len(files)} corpus PDFs read from their text layer by both, {pages} pages, best of {args.repeat}")
    for v, ms in per_page.items():
        print(f"{v:>10}: {ms:.1f} ms CPU per page")
    ratio = per_page[args.against] / per_page["this"]
    print(f"{args.against} / this: {ratio:.2f} times faster (target >= {TARGET:.0f}: {'met' if ratio >= TARGET else 'NOT met'})")


if __name__ == "__main__":
    main()
