"""CPU of a whole `gouji check` process: start-up on a text example, and a PDF against pdfplumber.

Usage: python benchmarks/startup.py [--pdf FILE] [--repeat N]

Every figure is the CPU time (user + system) of a child process, best of N, measured in this
one run:

* ``python -c pass``: the interpreter alone, the floor under every process;
* ``gouji check`` on each bundled text example, with where its time goes (the interpreter,
  importing the CLI, importing the stages a check uses, the check itself with its lazily built
  patterns and data, and the same check run again once all is built);
* ``gouji check`` of a corpus PDF (default: the 40-page 湖州市交通运输局) against a bare
  pdfplumber extraction of the same file (``extract_text`` and ``extract_tables`` of every
  page), and the ratio of the two.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"
DEFAULT_PDF = CORPUS / "湖州_湖州市交通运输局.pdf"
# the environment of a user's shell: compiled modules cached as on any installed package
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

PHASES = r"""
import contextlib, io, json, sys, time
t0 = time.process_time()
import gouji.cli
t1 = time.process_time()
import gouji.alignment.review, gouji.report.text_report
t2 = time.process_time()
def run():
    sys.argv = ["gouji", "check", sys.argv[1]]
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            gouji.cli.main()
        except SystemExit:
            pass
run()
t3 = time.process_time()
run()
t4 = time.process_time()
print(json.dumps({"cli import": t1 - t0, "stage imports": t2 - t1, "first check": t3 - t2, "check again": t4 - t3}))
"""

BARE = r"""
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text()
        page.extract_tables()
        page.close()
"""


def child_cpu(args: list[str]) -> tuple[float, str]:
    """CPU seconds (user + system) of one child process running ``args``, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(args, capture_output=True, text=True, env=ENV, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), p.stdout


def best(args: list[str], repeat: int) -> float:
    return min(child_cpu(args)[0] for _ in range(repeat))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pdf", type=Path, default=DEFAULT_PDF)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    py = sys.executable
    floor = best([py, "-c", "pass"], args.repeat)
    print(f"python -c pass                                   {floor:6.3f} s CPU")
    for doc in sorted(EXAMPLES.glob("*.txt")):
        whole = best([py, "-m", "gouji", "check", str(doc)], args.repeat)
        phases = min(
            (json.loads(child_cpu([py, "-c", PHASES, str(doc)])[1]) for _ in range(args.repeat)),
            key=lambda d: sum(d.values()),
        )
        parts = "  ".join(f"{k} {v:.3f}" for k, v in phases.items())
        print(f"gouji check {doc.name[:32]:<32}     {whole:6.3f} s CPU   ({parts})")
    if not args.pdf.is_file():
        print(f"{args.pdf}: not found, no PDF ratio")
        return
    pages = 0
    try:
        import pypdfium2

        pages = len(pypdfium2.PdfDocument(str(args.pdf)))
    except Exception:  # the page count is only shown
        pass
    repeat = max(1, args.repeat // 2)
    check = best([py, "-m", "gouji", "check", str(args.pdf), "--format", "json"], repeat)
    bare = best([py, "-c", BARE, str(args.pdf)], repeat)
    print(f"gouji check {args.pdf.name} ({pages} pages)  {check:6.3f} s CPU")
    print(f"bare pdfplumber extract_text + extract_tables   {bare:6.3f} s CPU")
    print(f"ratio                                            {check / bare:6.2f}")


if __name__ == "__main__":
    main()
