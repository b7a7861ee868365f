"""Long fuzzing campaigns: many random hostile documents, no Hypothesis shrinking.

Usage: python -m benchmarks.fuzz [--n 100000] [--seed S] [--jobs 2] [--timeout 10]
       [--out build/fuzz] [--kinds text=60,bytes=16,raw=4,docx=8,xlsx=8,pdf=2,zip=2]
       [--memory-mib 3072] [--shrink-seconds 60 | --no-shrink]

Document ``i`` of seed ``S`` is generated from ``random.Random(f"{S}/{i}")`` with the grammar and
vocabulary of ``tests/fuzz_strategies.py``, as one of these kinds:

  text   a ``str`` through ``parse_text`` (lone surrogates reach the reader)
  bytes  the text encoded (UTF-8/16/32, GB18030, Big5 ...; maybe damaged) in a .txt file
  raw    random bytes as .txt / .docx / .xlsx / .pdf
  docx, xlsx, pdf   the text written with ``tests/formats.py``'s writers
  zip    a written .docx / .xlsx with bytes overwritten or cut

Each document is read, reviewed and rendered (JSON, HTML, text) in a worker process with a
per-document wall-clock limit (SIGALRM inside the worker, so a hang is reported with where it
was; the worker is killed if it does not answer shortly after) and an address-space limit (a
runaway allocation is a MemoryError, not the OOM killer). A ``GoujiError`` is a refusal, not a
failure. Prints counts by outcome and kind, then crashes by signature (exception type and the
innermost gouji frame, file:function) and hangs. The smallest reproducer of each signature is
written to ``--out/<signature>/`` (the document, its ``repr``, the traceback, how to replay it)
and, unless ``--no-shrink``, shrunk (line then character deletion while the signature stays).
Exits 1 when any document crashed or hung.

Replay one document: python -m benchmarks.fuzz --seed S --replay I
GOUJI_FUZZ_SURROGATES=0 leaves lone surrogates out of the documents (they crash the text path
so often that they hide the rarer crashes).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing as mp
import os
import random
import re
import resource
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # tests.fuzz_strategies
    sys.path.insert(0, str(ROOT))

from tests import fuzz_strategies as fz  # noqa: E402

DEFAULT_KINDS = "text=60,bytes=16,raw=4,docx=8,xlsx=8,pdf=2,zip=2"
RAW_SUFFIXES = [".txt", ".csv", ".docx", ".xlsx", ".pdf"]
PDF = fz.Scale(blocks=6, rows=10, cols=6, wide_cols=12, repeat=6, long_digits=30, max_chars=2500)


@dataclass
class Case:
    index: int
    kind: str
    payload: str | bytes  # str: the document's text (written by the kind's writer); bytes: the file
    suffix: str

    @property
    def size(self) -> int:
        return len(self.payload)


def parse_kinds(spec: str) -> list[tuple[str, float]]:
    out = []
    for part in spec.split(","):
        name, _, w = part.partition("=")
        if name not in {"text", "bytes", "raw", "docx", "xlsx", "pdf", "zip"}:
            raise SystemExit(f"unknown kind {name!r} in --kinds")
        out.append((name, float(w or 1)))
    return out


def make_case(seed: str, i: int, kinds: list[tuple[str, float]]) -> Case:
    rng = random.Random(f"{seed}/{i}")
    ch = fz.RandomChooser(rng)
    kind = rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]
    if kind == "text":
        return Case(i, kind, fz.document(ch, fz.LARGE), ".txt")
    if kind == "bytes":
        return Case(i, kind, fz.encode(ch, fz.document(ch, fz.LARGE)), ".txt")
    if kind == "raw":
        return Case(i, kind, ch.raw_bytes(rng.choice([16, 512, 8192])), rng.choice(RAW_SUFFIXES))
    if kind in ("docx", "xlsx"):
        return Case(i, kind, fz.xml_safe(fz.document(ch, fz.OFFICE)), f".{kind}")
    if kind == "pdf":
        return Case(i, kind, fz.xml_safe(fz.document(ch, PDF)), ".pdf")
    # zip: a written container, then damaged
    sub = rng.choice(["docx", "xlsx"])
    with tempfile.TemporaryDirectory() as tmp:
        data = fz.render(sub, fz.xml_safe(fz.document(ch, fz.OFFICE)), tmp).read_bytes()
    return Case(i, kind, fz.mutate_bytes(ch, data), f".{sub}")


def write_input(kind: str, payload: str | bytes, suffix: str, folder: str | Path) -> Path:
    """The file a case is read from (text: none, it goes to ``parse_text``)."""
    if isinstance(payload, bytes):
        path = Path(folder) / f"case{suffix}"
        path.write_bytes(payload)
        return path
    return fz.render(suffix.lstrip("."), payload, folder)


# --- one document ----------------------------------------------------------------------------

GOUJI_DIR = None


def signature(exc: BaseException) -> str:
    """Exception type and the innermost frame inside the gouji package (file:function)."""
    global GOUJI_DIR
    if GOUJI_DIR is None:
        import gouji

        GOUJI_DIR = str(Path(gouji.__file__).resolve().parent) + os.sep
    where = "?"
    for f in traceback.extract_tb(exc.__traceback__):
        if f.filename.startswith(GOUJI_DIR):
            where = f"{f.filename[len(GOUJI_DIR):]}:{f.name}"
    name = "Hang" if isinstance(exc, fz.Hang) else type(exc).__name__
    return f"{name} @ {where}"


def run_payload(kind: str, payload: str | bytes, suffix: str, timeout: float, folder: str) -> tuple[str, str, str]:
    """(outcome, detail, traceback): ok / refused (error code) / crash or hang (signature), or
    unwritable when the harness itself could not write the case as a file (reportlab cannot lay
    out a table of 50 columns on A4): nothing of gouji ran, so it is neither a pass nor a crash."""
    from gouji.errors import GoujiError

    try:
        path = None if kind == "text" else write_input(kind, payload, suffix, folder)
    except Exception as e:  # noqa: BLE001  (the harness's writer, not gouji)
        return "unwritable", type(e).__name__, ""
    try:
        with fz.wall_clock_limit(timeout):
            try:
                if path is None:
                    from gouji.ingest.text import parse_text

                    fz.run_document(parse_text(payload, "<fuzz>.txt"))
                else:
                    from gouji.ingest import read_document

                    fz.run_document(read_document(path))
            except GoujiError as e:
                if "\n" in e.one_line():
                    raise AssertionError(f"a GoujiError of several lines: {e.one_line()!r}") from e
                return "refused", e.code, ""
    except fz.Hang as e:
        return "hang", signature(e), "".join(traceback.format_exception(e))
    except Exception as e:  # noqa: BLE001  (a crash: what this is looking for)
        return "crash", signature(e), "".join(traceback.format_exception(e))
    finally:
        if path is not None:
            path.unlink(missing_ok=True)
    return "ok", "", ""


def _limit_memory(mib: int) -> None:
    if mib > 0:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (mib << 20, mib << 20))


def worker(conn, seed: str, kinds, timeout: float, memory_mib: int) -> None:
    _limit_memory(memory_mib)
    folder = tempfile.mkdtemp(prefix="gouji-fuzz-")
    try:
        while True:
            i = conn.recv()
            if i is None:
                return
            case = make_case(seed, i, kinds)
            conn.send(("start", i, case.kind, case.size))
            t0 = time.monotonic()
            try:
                outcome, detail, tb = run_payload(case.kind, case.payload, case.suffix, timeout, folder)
            except MemoryError:
                outcome, detail, tb = "crash", "MemoryError @ ?", ""
            conn.send(("done", i, outcome, detail, tb, time.monotonic() - t0))
    finally:
        for p in Path(folder).iterdir():
            p.unlink(missing_ok=True)
        os.rmdir(folder)


@dataclass
class Slot:
    proc: mp.Process
    conn: object
    task: int | None = None
    kind: str = ""
    deadline: float = math.inf


@dataclass
class Failure:
    signature: str
    outcome: str  # crash or hang
    count: int = 0
    smallest: int = -1  # the index of the smallest document
    size: int = 0
    traceback: str = ""
    kinds: Counter = field(default_factory=Counter)
    shrunk: str | bytes | None = None


class Campaign:
    def __init__(self, args):
        self.args = args
        self.kinds = parse_kinds(args.kinds)
        self.ctx = mp.get_context("fork")
        self.outcomes: Counter = Counter()
        self.by_kind: Counter = Counter()  # (kind, outcome)
        self.refusals: Counter = Counter()
        self.failures: dict[str, Failure] = {}
        self.slowest: list[tuple[float, int, str]] = []

    def spawn(self) -> Slot:
        a, b = self.ctx.Pipe()
        p = self.ctx.Process(
            target=worker, args=(b, self.args.seed, self.kinds, self.args.timeout, self.args.memory_mib), daemon=True
        )
        p.start()
        b.close()
        return Slot(p, a)

    def record(self, i: int, kind: str, size: int, outcome: str, detail: str, tb: str, seconds: float) -> None:
        self.outcomes[outcome] += 1
        self.by_kind[kind, outcome] += 1
        self.slowest = sorted([*self.slowest, (seconds, i, kind)], reverse=True)[:5]
        if outcome == "refused":
            self.refusals[detail] += 1
            return
        if outcome in ("ok", "unwritable"):
            return
        f = self.failures.setdefault(detail, Failure(detail, outcome))
        f.count += 1
        f.kinds[kind] += 1
        if f.smallest < 0 or size < f.size:
            f.smallest, f.size, f.traceback = i, size, tb
            self.write_reproducer(f)

    def write_reproducer(self, f: Failure) -> None:
        case = make_case(self.args.seed, f.smallest, self.kinds)
        folder = Path(self.args.out) / slug(f.signature)
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("case*"):
            old.unlink()
        save_case(folder, case.kind, case.payload, case.suffix)
        (folder / "traceback.txt").write_text(f.traceback or "(no traceback: the worker died)\n", encoding="utf-8")
        meta = {
            "signature": f.signature, "outcome": f.outcome, "seed": self.args.seed, "index": f.smallest, "kind": case.kind,
            "size": case.size, "replay": f"python -m benchmarks.fuzz --seed {self.args.seed} --replay {f.smallest} --kinds {self.args.kinds}",
        }  # fmt: skip
        (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")

    def run(self) -> None:
        args = self.args
        todo = iter(range(args.start, args.start + args.n))
        slots = [self.spawn() for _ in range(args.jobs)]
        done = 0
        t0 = last = time.monotonic()
        exhausted = False
        starts: dict[int, tuple[str, int]] = {}
        while True:
            for s in slots:
                if s.task is None and not exhausted:
                    i = next(todo, None)
                    if i is None:
                        exhausted = True
                        break
                    s.task, s.deadline = i, time.monotonic() + args.timeout + 60  # generation and writing
                    s.conn.send(i)
            busy = [s for s in slots if s.task is not None]
            if not busy:
                break
            now = time.monotonic()
            ready = wait([s.conn for s in busy], timeout=max(0.0, min(s.deadline for s in busy) - now))
            for s in busy:
                if s.conn in ready:
                    try:
                        msg = s.conn.recv()
                    except (EOFError, OSError):  # died: a signal, the OOM killer
                        kind, size = starts.pop(s.task, ("?", 0))
                        s.proc.join(1)
                        code = s.proc.exitcode
                        self.record(s.task, kind, size, "crash", f"WorkerDied(exit {code}) @ ?", "", 0.0)
                        done += 1
                        slots[slots.index(s)] = self.spawn()
                        continue
                    if msg[0] == "start":
                        _, i, kind, size = msg
                        starts[i] = (kind, size)
                        s.kind, s.deadline = kind, time.monotonic() + args.timeout + 5
                    else:
                        _, i, outcome, detail, tb, seconds = msg
                        kind, size = starts.pop(i)
                        self.record(i, kind, size, outcome, detail, tb, seconds)
                        s.task, s.deadline = None, math.inf
                        done += 1
                elif time.monotonic() > s.deadline:  # not even SIGALRM got it back: kill it
                    kind, size = starts.pop(s.task, ("?", 0))
                    s.proc.kill()
                    s.proc.join()
                    self.record(s.task, kind, size, "hang", "Hang @ ? (killed)", "", args.timeout)
                    done += 1
                    slots[slots.index(s)] = self.spawn()
            if not args.quiet and time.monotonic() - last > 30:
                last = time.monotonic()
                rate = done / (last - t0)
                print(
                    f"  {done}/{args.n} documents, {self.outcomes['crash']} crashes, {self.outcomes['hang']} hangs, "
                    f"{len(self.failures)} signatures ({rate:.1f} documents/s)",
                    file=sys.stderr, flush=True,
                )  # fmt: skip
        for s in slots:
            s.conn.send(None)
            s.proc.join(5)
            if s.proc.is_alive():
                s.proc.kill()
        self.seconds = time.monotonic() - t0

    def shrink_all(self) -> None:
        for f in self.failures.values():
            if f.outcome != "crash" or f.signature.startswith("WorkerDied"):
                continue
            case = make_case(self.args.seed, f.smallest, self.kinds)
            if case.kind in ("raw", "zip"):
                continue  # damaged containers: deleting bytes changes what is broken
            q = self.ctx.Queue()
            p = self.ctx.Process(
                target=_shrink_worker,
                args=(q, case, f.signature, self.args.timeout, self.args.shrink_seconds, self.args.memory_mib),
                daemon=True,
            )
            p.start()
            p.join(self.args.shrink_seconds + 2 * self.args.timeout + 30)
            if p.is_alive():
                p.kill()
                p.join()
            if q.empty():
                continue
            small = q.get()
            folder = Path(self.args.out) / slug(f.signature)
            save_case(folder, case.kind, small, case.suffix, stem="shrunk")
            f.shrunk = small

    def report(self) -> None:
        a = self.args
        n = sum(self.outcomes.values())
        print(
            f"gouji fuzz: {n} documents (seed {a.seed}) in {self.seconds:.0f}s with {a.jobs} jobs: "
            f"{self.outcomes['ok']} ok, {self.outcomes['refused']} refused, {self.outcomes['crash']} crashes, "
            f"{self.outcomes['hang']} hangs, {self.outcomes['unwritable']} cases the harness could not write"
        )
        kinds = sorted({k for k, _ in self.by_kind})
        print("  by kind:  " + "; ".join(
            f"{k} {sum(v for (kk, _), v in self.by_kind.items() if kk == k)}"
            + "".join(f" {o} {self.by_kind[k, o]}" for o in ("refused", "crash", "hang") if self.by_kind[k, o])
            for k in kinds
        ))  # fmt: skip
        if self.refusals:
            print("  refusals: " + ", ".join(f"{code} {c}" for code, c in self.refusals.most_common()))
        print("  slowest:  " + ", ".join(f"#{i} {k} {s:.1f}s" for s, i, k in self.slowest))
        if not self.failures:
            print("no crash, no hang")
            return
        print(f"\n{'count':>6}  {'signature':60} {'kinds':22} smallest  reproducer")
        for f in sorted(self.failures.values(), key=lambda f: (f.outcome, -f.count)):
            kinds = ",".join(f"{k}:{c}" for k, c in f.kinds.most_common())
            folder = Path(a.out) / slug(f.signature)
            print(f"{f.count:6}  {f.signature:60} {kinds:22} #{f.smallest} ({f.size})  {folder}")
            if f.shrunk is not None:
                print(f"{'':8}shrunk to {len(f.shrunk)}: {f.shrunk!r:.300}")


def slug(sig: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", sig).strip("_")[:120]


def save_case(folder: Path, kind: str, payload: str | bytes, suffix: str, stem: str = "case") -> None:
    if isinstance(payload, bytes):
        (folder / f"{stem}{suffix}").write_bytes(payload)
        (folder / f"{stem}.repr").write_text(repr(payload) + "\n", encoding="utf-8")
        return
    # the text (UTF-8, lone surrogates passed), its repr (exact, for parse_text), and the file read
    (folder / f"{stem}.txt").write_bytes(payload.encode("utf-8", "surrogatepass"))
    (folder / f"{stem}.repr").write_text(repr(payload) + "\n", encoding="utf-8")
    if kind in ("docx", "xlsx", "pdf"):
        with tempfile.TemporaryDirectory() as tmp:
            (folder / f"{stem}{suffix}").write_bytes(write_input(kind, payload, suffix, tmp).read_bytes())


# --- shrinking ------------------------------------------------------------------------------------


def _shrink_worker(q, case: Case, sig: str, timeout: float, budget: float, memory_mib: int) -> None:
    _limit_memory(memory_mib)
    folder = tempfile.mkdtemp(prefix="gouji-shrink-")
    deadline = time.monotonic() + budget

    def same(candidate) -> bool:
        if time.monotonic() > deadline:
            return False
        outcome, detail, _ = run_payload(case.kind, candidate, case.suffix, timeout, folder)
        return outcome == "crash" and detail == sig

    if same(case.payload):
        q.put(shrink(case.payload, same, deadline))
    os.rmdir(folder)


def shrink(seq, same, deadline: float):
    """Delta debugging: delete runs of lines, then runs of characters, while ``same`` holds."""
    empty = seq[:0]
    for level in ("lines", "chars"):
        if level == "lines":
            units = seq.splitlines(keepends=True)
        else:
            units = list(seq) if isinstance(seq, str) else [bytes([b]) for b in seq]
        n = 2
        while len(units) >= 2 and time.monotonic() < deadline:
            chunk = math.ceil(len(units) / n)
            starts = range(0, len(units), chunk)
            # keep one chunk (fast when the cause is small), else drop one chunk
            tries = [(units[a : a + chunk], 2) for a in starts if n > 2] + [
                (units[:a] + units[a + chunk :], max(n - 1, 2)) for a in starts
            ]
            for cand, next_n in tries:
                if same(empty.join(cand)):
                    units, n = cand, next_n
                    break
            else:
                if n >= len(units):
                    break
                n = min(len(units), n * 2)
        seq = empty.join(units)
    return seq


# --- command line -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="documents to generate")
    ap.add_argument("--start", type=int, default=0, help="index of the first document")
    ap.add_argument("--seed", default="0")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=10, help="seconds per document before it is a hang")
    ap.add_argument("--memory-mib", type=int, default=3072, help="address space of a worker (0: no limit)")
    ap.add_argument("--kinds", default=DEFAULT_KINDS, help="kind=weight,... (text bytes raw docx xlsx pdf zip)")
    ap.add_argument("--out", default=str(ROOT / "build" / "fuzz"), help="folder for the reproducers")
    ap.add_argument("--shrink-seconds", type=float, default=60, help="time to shrink each crash signature")
    ap.add_argument("--no-shrink", action="store_true")
    ap.add_argument("--replay", type=int, metavar="I", help="run document I of --seed in this process and show it")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.replay is not None:
        case = make_case(args.seed, args.replay, parse_kinds(args.kinds))
        print(f"document {args.replay} of seed {args.seed}: {case.kind}, {case.size} {'chars' if isinstance(case.payload, str) else 'bytes'}")
        print(repr(case.payload)[:2000])
        with tempfile.TemporaryDirectory() as tmp:
            outcome, detail, tb = run_payload(case.kind, case.payload, case.suffix, args.timeout, tmp)
        print(outcome, detail)
        print(tb)
        return 1 if outcome in ("crash", "hang") else 0
    Path(args.out).mkdir(parents=True, exist_ok=True)
    import gouji.alignment.review  # noqa: F401  (imported before forking: the workers start warm)
    import gouji.report.html  # noqa: F401

    c = Campaign(args)
    c.run()
    if not args.no_shrink and c.failures:
        c.shrink_all()
    c.report()
    return 1 if c.outcomes["crash"] or c.outcomes["hang"] else 0


if __name__ == "__main__":
    sys.exit(main())
