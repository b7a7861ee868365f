"""CPU of a whole `gouji check` process: start-up on a text example, and a PDF against pdfplumber.

Usage: python benchmarks/startup.py [--pdf FILE] [--repeat N] [--instructions] [--against [REV]]

Every figure is the CPU time (user + system) of a child process, best of N, measured in this
one run:

* ``python -c pass``: the interpreter alone, the floor under every process;
* ``gouji check`` on each bundled text example, with where its time goes (importing the CLI,
  importing the stages a check uses, the check itself with its data and patterns), and the
  check again in a process whose patterns are all compiled afresh, as if no kept pattern code
  were there (``gouji.patterns``);
* ``gouji check`` of a corpus PDF (default: the 40-page 湖州市交通运输局) against a bare
  pdfplumber extraction of the same file (``extract_text`` and ``extract_tables`` of every
  page), and the ratio of the two.

``--instructions`` counts instructions under valgrind instead (Debian ``valgrind``): slow, but
the same count from run to run on a machine others are using, so two versions can be compared
to the per mille.

``--against [REV]`` checks each text example with gouji as it was at git revision ``REV`` too
(a temporary worktree; default ``BASELINE``, the revision whose check took the 0.19 s of CPU the
start-up target of 0.10 s was set against), the two versions' runs interleaved, and prints
each example's ratio: CPU, or instructions with ``--instructions``. The target is a ratio of
``TARGET`` or less.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.revisions import BASELINE, ENV, tree_env, worktree  # noqa: E402

EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"
DEFAULT_PDF = CORPUS / "湖州_湖州市交通运输局.pdf"
# a text check took 0.19 s of CPU at BASELINE; the target is 0.10 s on the same machine
TARGET = 0.10 / 0.19

PHASES = r"""
import contextlib, io, json, sys, time
t0 = time.process_time()
if sys.argv[2] == "compile":  # no kept pattern code: every pattern compiled as regex does
    import gouji.patterns
    gouji.patterns.STORE = gouji.patterns.PatternStore(None)
import gouji.cli
t1 = time.process_time()
import gouji.alignment.review, gouji.report.text_report
t2 = time.process_time()
sys.argv = ["gouji", "check", sys.argv[1]]
with contextlib.redirect_stdout(io.StringIO()):
    try:
        gouji.cli.main()
    except SystemExit:
        pass
t3 = time.process_time()
print(json.dumps({"cli import": t1 - t0, "stage imports": t2 - t1, "check": t3 - t2}))
"""

BARE = r"""
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text()
        page.extract_tables()
        page.close()
"""


def child_cpu(args: list[str], env: dict[str, str] = ENV, cwd: Path = ROOT) -> tuple[float, str]:
    """CPU seconds (user + system) of one child process running ``args``, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), p.stdout


def best(args: list[str], repeat: int) -> float:
    return min(child_cpu(args)[0] for _ in range(repeat))


def best_phases(py: str, doc: Path, patterns: str, repeat: int) -> dict[str, float]:
    """The phases of the run with the least CPU of ``repeat`` runs."""
    runs = (json.loads(child_cpu([py, "-c", PHASES, str(doc), patterns])[1]) for _ in range(repeat))
    return min(runs, key=lambda d: sum(d.values()))


def instructions(args: list[str], env: dict[str, str] = ENV, cwd: Path = ROOT) -> int:
    """Instructions a child process runs (valgrind's count, the same from run to run)."""
    p = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
    )
    m = re.search(r"Collected : (\d+)", p.stderr)
    if not m:
        raise SystemExit(f"valgrind gave no count: {p.stderr[-300:]}")
    return int(m.group(1))


def against(rev: str, repeat: int, count: bool) -> None:
    """Each text example checked by this version and by ``rev``, runs interleaved; the ratios."""
    py = sys.executable
    docs = sorted(EXAMPLES.glob("*.txt"))
    with worktree(rev) as tree:
        base_env = tree_env(tree)
        versions = {"this": (ENV, ROOT), rev: (base_env, tree)}
        ratios = []
        print(f"{'':44}{'this':>10}{rev:>10}   ratio   ({'instructions' if count else 'CPU'}; target <= {TARGET:.3f})")
        for doc in docs:
            args = [py, "-m", "gouji", "check", str(doc)]
            for env, cwd in versions.values():  # compiled modules, data and patterns kept
                child_cpu(args, env, cwd)
            if count:
                this, base = (instructions(args, env, cwd) / 1e6 for env, cwd in versions.values())
                unit = "M"
            else:
                runs: dict[str, list[float]] = {v: [] for v in versions}
                for _ in range(repeat):
                    for v, (env, cwd) in versions.items():
                        runs[v].append(child_cpu(args, env, cwd)[0])
                this, base = min(runs["this"]), min(runs[rev])
                unit = "s"
            ratios.append(this / base)
            print(f"gouji check {doc.name[:32]:<32}{this:9.3f}{unit:<2}{base:9.3f}{unit:<2}   {this / base:5.3f}")
        print(f"largest ratio {max(ratios):.3f}: target {'met' if max(ratios) <= TARGET else 'NOT met'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pdf", type=Path, default=DEFAULT_PDF)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions with valgrind instead of timing (the same on a busy machine)",
    )
    ap.add_argument(
        "--against",
        nargs="?",
        const=BASELINE,
        metavar="REV",
        help=f"ratios against gouji at git revision REV (default {BASELINE}), in the same run",
    )
    args = ap.parse_args()
    if args.against:
        if args.instructions and not shutil.which("valgrind"):
            raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
        against(args.against, args.repeat, args.instructions)
        return
    py = sys.executable
    docs = sorted(EXAMPLES.glob("*.txt"))
    if args.instructions:
        if not shutil.which("valgrind"):
            raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
        floor = instructions([py, "-c", "pass"])
        print(
            f"python -c pass                                    {floor / 1e6:7.1f} M instructions"
        )
        stages = instructions(
            [py, "-c", "import gouji.cli, gouji.alignment.review, gouji.report.text_report"]
        )
        print(
            f"importing the CLI and the stages                  {(stages - floor) / 1e6:7.1f} M more"
        )
        for doc in docs:
            kept = instructions([py, "-m", "gouji", "check", str(doc)])
            compiled = instructions([py, "-c", PHASES, str(doc), "compile"])
            print(
                f"gouji check {doc.name[:32]:<32}      {kept / 1e6:7.1f} M   (patterns compiled afresh: {compiled / 1e6:.1f} M)"
            )
        return
    floor = best([py, "-c", "pass"], args.repeat)
    print(f"python -c pass                                   {floor:6.3f} s CPU")
    for doc in docs:
        whole = best([py, "-m", "gouji", "check", str(doc)], args.repeat)
        kept = best_phases(py, doc, "kept", args.repeat)
        compiled = best_phases(py, doc, "compile", args.repeat)
        parts = "  ".join(f"{k} {v:.3f}" for k, v in kept.items())
        print(
            f"gouji check {doc.name[:32]:<32}     {whole:6.3f} s CPU   ({parts}; "
            f"patterns compiled afresh: check {compiled['check']:.3f})"
        )
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
