"""The packages of gouji are layers: each imports only layers below it, and no import goes round.

From the bottom: the primitives (``quantities``: written numbers, units, rounding intervals;
the top-level modules and ``data``), then ``ingest`` (file -> Document), then ``tables`` and
``narrative`` (the two independent readers of a Document), then ``alignment`` (the checks),
then ``models`` (optional stages that ``alignment.review`` runs through the ``ModelStages``
interface its caller passes in), then ``report``, ``batch`` and the command line. Neither
alignment nor report imports the models. The graph is ``benchmarks/import_graph.py``'s.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.import_graph import cycles, graph, imports, main

ROOT = Path(__file__).resolve().parent.parent

# bottom first; a package may import any package of a lower layer, none of its own or above
LAYERS = [
    {"(kept)", "(terminal)"},
    {"data", "(paths)", "(patterns)", "(records)", "(collection)"},
    {"(errors)", "(limits)", "(labels)"},
    {"quantities"},
    {"ingest"},
    {"tables", "narrative"},
    {"alignment"},
    {"models"},
    {"report"},
    {"batch"},
    {"(cli)"},
    {"(__main__)", "gouji"},
]
# imports the order would allow but the design does not: the models sit behind an interface
NOT_IMPORTED = {("report", "models")}


def _rank() -> dict[str, int]:
    return {pkg: i for i, layer in enumerate(LAYERS) for pkg in layer}


def test_no_package_cycles():
    edges = graph()
    assert cycles(edges) == []
    r = subprocess.run(
        [sys.executable, "-m", "benchmarks.import_graph", "--check"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.rstrip().endswith("package cycles: []")


def test_every_package_has_a_layer():
    edges = graph()
    found = set(edges) | {t for ts in edges.values() for t in ts}
    assert found <= set(_rank()), f"place these in LAYERS: {sorted(found - set(_rank()))}"


def test_packages_import_only_lower_layers():
    rank = _rank()
    wrong = [
        str(i)
        for i in imports()
        if rank[i.target] >= rank[i.source] or (i.source, i.target) in NOT_IMPORTED
    ]
    assert not wrong, "imports against the layer order:\n" + "\n".join(wrong)


def test_readers_do_not_import_each_other():
    edges = graph()
    assert "narrative" not in edges.get("tables", set())
    assert "tables" not in edges.get("narrative", set())
    assert "models" not in edges.get("alignment", set()) | edges.get("report", set())


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        p = root / "gouji" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root / "gouji"


def test_check_fails_on_a_cycle_even_through_a_lazy_import(tmp_path, capsys):
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "limits.py": "",
            "a/__init__.py": "from gouji.b.x import y\n",
            "b/__init__.py": "",
            "b/x.py": "from gouji import limits\n\ndef f():\n    from gouji.a import z\n",
            "c/m.py": "import gouji.a.q\nfrom ..b import x\n",
        },
    )
    assert main([str(src), "--check"]) == 1
    out = capsys.readouterr().out
    assert "a              -> b" in out
    assert "b              -> (limits), a" in out
    assert "c              -> a, b" in out
    assert out.rstrip().endswith("package cycles: [('a', 'b')]")
    assert main([str(src)]) == 0
