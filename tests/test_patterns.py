"""The pattern store: a pattern built from its kept code is the pattern regex compiles."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import regex

from gouji.alignment.review import review_document
from gouji.ingest import read_document
from gouji.patterns import STORE, PatternStore, alternation

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
QINGSHAN = EXAMPLES / "2022_青山区医疗保障局_部门预算.txt"


def _project_patterns() -> list[tuple[str, int]]:
    """Every pattern a check of the examples compiles (the process-wide store holds them)."""
    for f in sorted(EXAMPLES.glob("*.txt")):
        review_document(read_document(f))
    return sorted(STORE._compiled)


def _same(a: regex.Pattern, b: regex.Pattern, text: str) -> bool:
    return (a.pattern, a.flags, a.groups, a.groupindex) == (
        b.pattern,
        b.flags,
        b.groups,
        b.groupindex,
    ) and [(m.span(), m.groups()) for m in a.finditer(text)] == [
        (m.span(), m.groups()) for m in b.finditer(text)
    ]


def test_kept_code_builds_the_patterns_regex_compiles(tmp_path: Path) -> None:
    keys = _project_patterns()
    assert len(keys) > 150
    path = tmp_path / "patterns.marshal"
    cold = PatternStore(path)
    for p, f in keys:
        cold.compile(p, f)
    cold.keep()
    assert len(cold._kept_code()) == len(keys)

    warm = PatternStore(path)
    text = QINGSHAN.read_text(encoding="utf-8")
    differing = [p for p, f in keys if not _same(warm.compile(p, f), regex.compile(p, f), text)]
    assert differing == []
    assert warm._new == {}  # every one was built from the kept code


def test_a_damaged_file_is_compiled_afresh(tmp_path: Path) -> None:
    path = tmp_path / "patterns.marshal"
    path.write_bytes(b"\x00not marshal")
    store = PatternStore(path)
    assert store.compile(r"(?P<n>\d+)万元").search("共12万元")["n"] == "12"
    store.keep()
    assert PatternStore(path)._kept_code().keys() == {(r"(?P<n>\d+)万元", 0)}


def test_nothing_is_written_when_writing_is_off(tmp_path: Path) -> None:
    path = tmp_path / "patterns.marshal"
    store = PatternStore(path, write=False)
    store.compile("增加|减少")
    store.keep()
    assert not path.exists()


def test_a_full_file_keeps_only_this_runs_patterns(tmp_path: Path) -> None:
    path = tmp_path / "patterns.marshal"
    first = PatternStore(path, max_kept=2)
    for p in ("一", "二"):
        first.compile(p)
    first.keep()
    second = PatternStore(path, max_kept=2)
    second.compile("三")
    second.compile("一")
    second.keep()
    assert set(PatternStore(path)._kept_code()) == {("三", 0), ("一", 0)}


def test_flags_are_part_of_the_key(tmp_path: Path) -> None:
    store = PatternStore(tmp_path / "patterns.marshal")
    plain, verbose = store.compile("a b"), store.compile("a b", regex.VERBOSE)
    assert plain.search("a b") and not verbose.search("a b") and verbose.search("ab")


def test_alternation_is_longest_first_and_the_same_from_run_to_run() -> None:
    assert alternation({"元", "亿元", "万元"}) == "万元|亿元|元"
    assert alternation(["因公出国(境)", "出国"]) == r"因公出国\(境\)|出国"


def test_the_patterns_of_a_check_are_the_same_text_in_every_process() -> None:
    """A pattern built from a set in hash order would be new text in every process, compiled
    each time and kept again and again."""
    script = (
        "import sys; from gouji.alignment.review import review_document; from gouji.ingest import read_document;"
        "from gouji.patterns import STORE; review_document(read_document(sys.argv[1]));"
        "print('\\n'.join(sorted(repr(k) for k in STORE._compiled)))"
    )
    texts = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", script, str(QINGSHAN)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        texts.append(out.stdout)
    assert texts[0] == texts[1]
    assert texts[0].count("\n") > 150
