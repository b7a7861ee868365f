"""Record classes: the standard library's dataclasses, their generated methods' code kept."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gouji import records
from gouji.records import CodeStore

ROOT = Path(__file__).resolve().parent.parent
QINGSHAN = ROOT / "examples" / "2022_青山区医疗保障局_部门预算.txt"


def _define(decorator, **options):
    @decorator(**options)
    class Amount:
        """A figure of a table."""

        value: int
        unit: str = "万元"
        notes: list[str] = dataclasses.field(default_factory=list)

    return Amount


@pytest.mark.parametrize("options", [{}, {"frozen": True}, {"slots": True}, {"frozen": True, "slots": True}])
def test_a_record_behaves_as_the_standard_dataclass(options: dict) -> None:
    ours, std = _define(records.dataclass, **options), _define(dataclasses.dataclass, **options)
    a, b = ours(3, notes=["x"]), std(3, notes=["x"])
    assert [f.name for f in dataclasses.fields(a)] == [f.name for f in dataclasses.fields(b)] == ["value", "unit", "notes"]
    assert repr(a).split("Amount")[-1] == repr(b).split("Amount")[-1] == "(value=3, unit='万元', notes=['x'])"
    assert a == ours(3, notes=["x"]) and a != ours(4)
    assert dataclasses.replace(a, unit="元").unit == "元"
    assert dataclasses.asdict(a) == dataclasses.asdict(b) == {"value": 3, "unit": "万元", "notes": ["x"]}
    assert ours(1).notes is not ours(1).notes  # a fresh list each time
    if options.get("frozen"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.value = 5
        assert hash(a.__class__(3, notes=())) == hash(a.__class__(3, notes=()))
    if options.get("slots"):
        assert not hasattr(a, "__dict__")


def test_the_decorator_leaves_dataclasses_as_it_was() -> None:
    _define(records.dataclass)
    assert "exec" not in vars(dataclasses)


def test_kept_code_defines_the_class_without_compiling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "records.marshal"
    cold = CodeStore(path)
    monkeypatch.setattr(records, "STORE", cold)
    _define(records.dataclass, frozen=True)
    assert len(cold._new) == 6  # __init__, __repr__, __eq__, __setattr__, __delattr__, __hash__
    cold.keep()

    warm = CodeStore(path)
    monkeypatch.setattr(records, "STORE", warm)
    Amount = _define(records.dataclass, frozen=True)
    assert warm._new == {}
    assert Amount(2) == Amount(2, "万元", [])


def test_a_damaged_file_is_compiled_afresh(tmp_path: Path) -> None:
    path = tmp_path / "records.marshal"
    path.write_bytes(b"\x00not marshal")
    store = CodeStore(path)
    namespace: dict = {}
    store.exec("def f():\n return 7\n", {}, namespace)
    assert namespace["f"]() == 7
    store.keep()
    reread = CodeStore(path)
    reread.code("def f():\n return 7\n")
    assert reread._new == {}


def test_nothing_is_written_when_writing_is_off(tmp_path: Path) -> None:
    path = tmp_path / "records.marshal"
    store = CodeStore(path, write=False)
    store.exec("x = 1\n", {}, {})
    store.keep()
    assert not path.exists()


def test_a_full_file_keeps_only_this_runs_code(tmp_path: Path) -> None:
    path = tmp_path / "records.marshal"
    first = CodeStore(path, max_kept=2)
    for source in ("a = 1\n", "b = 2\n"):
        first.code(source)
    first.keep()
    second = CodeStore(path, max_kept=2)
    second.code("c = 3\n")
    second.code("a = 1\n")
    second.keep()
    reread = CodeStore(path)
    reread.code("a = 1\n")
    assert set(reread._kept) == {"c = 3\n", "a = 1\n"}


def test_a_checks_records_are_the_same_source_in_every_process(tmp_path: Path) -> None:
    """A generated method whose source changed from process to process would be compiled and
    kept again at every start."""
    path = tmp_path / "records.marshal"
    script = (
        "import sys; from pathlib import Path; import gouji.records as r;"
        " r.STORE = r.CodeStore(Path(sys.argv[1]));"
        " from gouji.alignment.review import review_document; from gouji.ingest import read_document;"
        " review_document(read_document(sys.argv[2])); print(len(r.STORE._new), len(r.STORE._used)); r.STORE.keep()"
    )
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        p = subprocess.run([sys.executable, "-c", script, str(path), str(QINGSHAN)], capture_output=True, text=True, env=env, check=True)
        runs.append([int(x) for x in p.stdout.split()])
    (new_first, used_first), (new_second, used_second) = runs
    assert used_first > 100 and new_first == used_first == used_second
    assert new_second == 0
