"""``gouji review`` on failing machines: a document that hangs, eats memory or kills its worker,
a parent killed outright, a full disk. Each fails alone, the batch goes on, ``--resume`` retries.

The faults are put in by the test: ``gouji review`` runs as ``python -c`` with a few lines that
patch one stage for the documents named, before the worker processes are forked from it.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import gouji.alignment.review as review_mod
from gouji.batch import run
from gouji.batch.state import STATE_NAME, State

DOC = "某局2023年部门预算\n\n一、收支总表\n项目\t金额\n收入合计\t100.00\n支出合计\t100.00\n\n2023年收入预算100万元，比上年增加10万元。\n"

PRELUDE = """
import errno, os, signal, sys, time
from pathlib import Path
import gouji.alignment.review as review_mod
import gouji.batch.outputs as outputs_mod
import gouji.batch.worker as worker_mod
"""
MAIN = """
from gouji.cli import main
sys.exit(main(["review", *sys.argv[1:]]))
"""


def in_review(when: str, action: str) -> str:
    """A patch: ``action`` before reviewing each document for which ``when`` holds."""
    return f"""
_real = review_mod.review_document
def _patched(doc, models=None):
    if {when}:
        {action}
    return _real(doc, models=models)
review_mod.review_document = _patched
"""


def full_disk(module: str, when: str) -> str:
    """A patch: ``module.atomic_write`` fails with ENOSPC for the paths for which ``when`` holds."""
    return f"""
_real_write = {module}.atomic_write
def _write(path, data):
    if {when}:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    return _real_write(path, data)
{module}.atomic_write = _write
"""


def named(stem: str) -> str:
    return f"Path(doc.path).stem == {stem!r}"


def command(patch: str, *args: str) -> list[str]:
    return [sys.executable, "-c", PRELUDE + patch + MAIN, *args]


def review(*args: str, patch: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(command(patch, *args), capture_output=True, text=True, timeout=120)


def make_docs(folder: Path, good: int, *bad: str) -> Path:
    """Documents that differ in their trailing newlines only: byte-identical ones would be
    reviewed once (``discover.duplicates``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate([f"d{i:02}" for i in range(good)] + list(bad)):
        (folder / f"{name}.txt").write_text(DOC + "\n" * i, encoding="utf-8")
    return folder


def rows(out: Path) -> dict[str, dict]:
    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as fh:
        return {r["文件"]: r for r in csv.DictReader(fh)}  # documents.csv has Chinese headers


def assert_only_failed(out: Path, name: str, prefix: str) -> dict:
    got = rows(out)
    assert {n for n, r in got.items() if r["状态"] != "完成"} == {name}, got
    assert got[name]["状态"] == "失败" and got[name]["失败原因"].startswith(prefix), got[name]
    return got[name]


HANG_IN_WRITE = """
_real_replace = os.replace
def _replace(src, dst):
    if Path(dst).stem == "slow":
        time.sleep(60)  # its report written to a temporary file, not yet renamed
    return _real_replace(src, dst)
os.replace = _replace
"""


@pytest.mark.parametrize(("jobs", "patch"), [("1", in_review(named("slow"), "time.sleep(60)")), ("2", HANG_IN_WRITE)], ids=["review", "write"])
def test_a_document_over_the_time_limit_fails_alone(tmp_path, jobs, patch):
    docs = make_docs(tmp_path / "docs", 4, "slow")
    out = tmp_path / "out"
    t0 = time.monotonic()
    p = review(str(docs), "--out", str(out), "--jobs", jobs, "--timeout", "1", patch=patch)
    assert time.monotonic() - t0 < 20
    assert p.returncode == 3, p.stderr
    slow = str((docs / "slow.txt").resolve())
    row = assert_only_failed(out, "slow", f"error G009: {slow}: took longer than 1 s")
    assert "raise --timeout" in row["失败原因"] and "check the file" in row["失败原因"]
    assert f"failed: {slow}: error G009: took longer than 1 s" in p.stdout
    assert not list(out.rglob("*.tmp"))  # what the stopped worker had half written is gone


def test_time_limit_in_this_process(tmp_path, monkeypatch):
    real = review_mod.review_document

    def slow(doc, models=None):
        if Path(doc.path).stem == "slow":
            time.sleep(30)
        return real(doc, models=models)

    monkeypatch.setattr(review_mod, "review_document", slow)
    docs = make_docs(tmp_path / "docs", 2, "slow")
    t0 = time.monotonic()
    res = run([docs], None, jobs=1, timeout=0.5)
    assert time.monotonic() - t0 < 10
    assert [r["status"] for r in res.records] == ["ok", "ok", "failed"]
    assert res.records[2]["error"].startswith("error G009: ") and res.records[2]["transient"]
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_document_over_the_memory_limit_fails_alone(tmp_path):
    docs = make_docs(tmp_path / "docs", 4, "hog")
    out = tmp_path / "out"
    # 1 GiB: allowed without a limit (allocated lazily), refused under 512 MiB of address space
    p = review(str(docs), "--out", str(out), "--jobs", "2", "--max-memory", "512", patch=in_review(named("hog"), "bytearray(1 << 30)"))
    assert p.returncode == 3, p.stderr
    row = assert_only_failed(out, "hog", "error G010: ")
    assert "ran out of memory while reviewing, with at most 512 MiB per worker" in row["失败原因"] and "--max-memory" in row["失败原因"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_worker_killed_twice_fails_only_its_document(tmp_path, jobs):
    docs = make_docs(tmp_path / "docs", 6, "killer")
    out, tries = tmp_path / "out", tmp_path / "tries"
    action = f"open({str(tries)!r}, 'a').write('x'); os.kill(os.getpid(), signal.SIGKILL)"
    p = review(str(docs), "--out", str(out), "--jobs", jobs, patch=in_review(named("killer"), action))
    assert p.returncode == 3, p.stderr
    row = assert_only_failed(out, "killer", "error G010: ")
    assert "died twice, killed by SIGKILL (check the file" in row["失败原因"]
    assert tries.read_text() == "xx"  # tried once more on a fresh worker


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie is dead, waiting to be reaped


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_die_with_a_killed_parent(tmp_path):
    docs = make_docs(tmp_path / "docs", 40)
    out = tmp_path / "out"
    proc = subprocess.Popen(command(in_review("True", "time.sleep(0.3)"), str(docs), "--out", str(out), "--jobs", "2"))
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (len(_children(proc.pid)) >= 2 and (out / STATE_NAME).exists()):
            time.sleep(0.05)
        workers = _children(proc.pid)
        assert len(workers) >= 2
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    orphans = [w for w in workers if _alive(w)]
    for w in orphans:  # not to leave them running when the test fails
        os.kill(w, signal.SIGKILL)
    assert not orphans
    written = sorted((out / "reports").iterdir())
    time.sleep(0.7)
    assert sorted((out / "reports").iterdir()) == written and len(written) < 80


def test_a_full_disk_fails_the_document_and_resume_retries_it(tmp_path):
    docs = make_docs(tmp_path / "docs", 5, "full")
    (docs / "empty.txt").write_bytes(b"")  # a failure of the document: not retried
    out = tmp_path / "out"
    p = review(str(docs), "--out", str(out), "--jobs", "2", patch=full_disk("worker_mod", "path.stem == 'full'"))
    assert p.returncode == 3, p.stderr
    got = rows(out)
    assert len(got) == 7 and {n for n, r in got.items() if r["状态"] == "失败"} == {"full", "empty"}
    assert got["full"]["失败原因"].startswith("error G008: ") and "No space left on device" in got["full"]["失败原因"]
    assert "free disk space" in got["full"]["失败原因"] and (out / "index.html").exists()

    p = review(str(docs), "--out", str(out), "--resume")
    assert p.returncode == 3, p.stderr
    assert "(6 ok, 1 failed, 6 up to date)" in p.stdout
    assert {n for n, r in rows(out).items() if r["沿用上次结果"] == "否"} == {"full"}


def test_summaries_that_cannot_be_written(tmp_path):
    docs = make_docs(tmp_path / "docs", 5)
    out = tmp_path / "out"
    p = review(str(docs), "--out", str(out), "--jobs", "2", patch=full_disk("outputs_mod", "True"))
    assert p.returncode == 2
    assert p.stderr.splitlines() == [
        f"gouji: error G008: {out}: cannot write the outputs: No space left on device (free disk space or check --out; "
        "the reviewed documents are kept: run again with --resume)"
    ]
    lines = (out / STATE_NAME).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6 and all(json.loads(x) for x in lines)
    p = review(str(docs), "--out", str(out), "--resume")
    assert p.returncode == 0, p.stderr
    assert "(5 ok, 0 failed, 5 up to date)" in p.stdout and len(rows(out)) == 5


def test_state_line_cut_short(tmp_path, monkeypatch):
    import gouji.batch.state as state_mod

    st = State(tmp_path)
    st.add("/a.txt", "h1", ("json",), {"document": "a", "status": "ok"})
    real = os.write
    monkeypatch.setattr(state_mod.os, "write", lambda fd, data: real(fd, data[: len(data) // 2]))  # disk full mid-line
    with pytest.raises(OSError):
        st.add("/b.txt", "h2", ("json",), {"document": "b", "status": "ok"})
    monkeypatch.setattr(state_mod.os, "write", real)
    st.add("/c.txt", "h3", ("json",), {"document": "c", "status": "ok"})
    st.close()
    assert list(State(tmp_path).load().entries) == ["/a.txt", "/c.txt"]


def test_failed_documents_are_named(tmp_path):
    docs = make_docs(tmp_path / "docs", 1)
    for i in range(23):
        (docs / f"e{i:02}.txt").write_bytes(b"")
    p = review(str(docs), "--out", str(tmp_path / "out"))
    assert p.returncode == 3, p.stderr
    lines = [x for x in p.stdout.splitlines() if x.startswith("failed: ")]
    assert len(lines) == 20
    assert lines[0] == f"failed: {(docs / 'e00.txt').resolve()}: error G003: file is empty (give the exported text of a disclosure)"
    assert p.stdout.rstrip().endswith("… and 3 more (see documents.csv)")


def test_limit_options(tmp_path):
    for bad in (["--timeout", "-1"], ["--timeout", "nan"], ["--max-memory", "1.5"]):
        p = review(str(tmp_path), "--out", str(tmp_path / "o"), *bad)
        assert p.returncode == 2 and "not a number of 0 or more" in p.stderr, bad
