"""Package-level import graph of gouji, and the cycles in it.

Static: every ``import gouji.…`` and ``from gouji.… import`` statement counts, at the top of a
module or inside a function (a lazy import is still a dependency). A node is a subpackage of
``gouji`` (``alignment``, ``tables``, …) or, in parentheses, a top-level module (``(limits)``,
``(cli)``); ``gouji`` is the root package's ``__init__``. ``from gouji import name`` counts only
when ``name`` is a module of gouji (the root package's ``__version__`` is no layer).

Prints one line per package with what it imports, then the package cycles: the pairs
``(a, b)`` where ``a`` imports ``b`` and ``b`` reaches ``a`` back.

Usage: python -m benchmarks.import_graph [SRC_DIR] [--check]
(``--check`` exits 1 when there is any package cycle.)
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "gouji"


@dataclass(frozen=True)
class Import:
    """One import statement of one package's file that names another package."""

    source: str  # importing package
    target: str  # imported package
    file: Path
    line: int
    name: str  # the module imported, e.g. gouji.tables.build

    def __str__(self) -> str:
        return f"{self.file}:{self.line} imports {self.name}"


def node_of(root: Path, parts: list[str]) -> str:
    """The graph node of a module given by its dotted parts below gouji (``[]``: the root package)."""
    if not parts:
        return root.name
    return parts[0] if (root / parts[0]).is_dir() else f"({parts[0]})"


def _module_parts(root: Path, f: Path) -> list[str]:
    rel = f.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported(root: Path, node: ast.AST, parts: list[str], is_init: bool) -> list[str]:
    """The gouji modules a statement imports, dotted (``gouji.tables.build``)."""
    top = root.name
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name == top or a.name.startswith(top + ".")]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:  # relative: resolved against the importing module's package
        base = [top, *parts] if is_init else [top, *parts[:-1]]
        base = base[: len(base) - (node.level - 1)]
        name = ".".join([*base, node.module] if node.module else base)
    else:
        name = node.module or ""
    if name == top:
        return [
            f"{top}.{a.name}"
            for a in node.names
            if (root / a.name).is_dir() or (root / f"{a.name}.py").is_file()
        ]
    return [name] if name.startswith(top + ".") else []


def imports(root: Path = SRC) -> list[Import]:
    """Every import of one gouji package by another, in file and line order."""
    out: list[Import] = []
    for f in sorted(root.rglob("*.py")):
        parts = _module_parts(root, f)
        source = node_of(root, parts)
        tree = ast.parse(f.read_text(encoding="utf-8"), filename=str(f))
        for node in ast.walk(tree):
            for name in _imported(root, node, parts, f.name == "__init__.py"):
                below = name.split(".")[1:]
                if not below:
                    continue
                target = node_of(root, below)
                if target != source:
                    out.append(
                        Import(source, target, f.relative_to(root.parent), node.lineno, name)
                    )
    return sorted(out, key=lambda i: (str(i.file), i.line))


def graph(root: Path = SRC) -> dict[str, set[str]]:
    """Package -> the packages it imports."""
    edges: dict[str, set[str]] = {}
    for i in imports(root):
        edges.setdefault(i.source, set()).add(i.target)
    return edges


def reach(edges: dict[str, set[str]], start: str) -> set[str]:
    """Every package ``start`` imports, directly or through others."""
    seen: set[str] = set()
    stack = [start]
    while stack:
        for y in edges.get(stack.pop(), ()):
            if y not in seen:
                seen.add(y)
                stack.append(y)
    return seen


def cycles(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Pairs (sorted) of packages where one imports the other and is reached back from it."""
    return sorted({tuple(sorted((a, b))) for a in edges for b in edges[a] if a in reach(edges, b)})


def render(edges: dict[str, set[str]]) -> str:
    lines = [f"{k:14} -> {', '.join(sorted(edges[k]))}" for k in sorted(edges)]
    lines.append(f"package cycles: {cycles(edges)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    ap.add_argument(
        "src",
        nargs="?",
        type=Path,
        default=SRC,
        help="the gouji package folder (default: src/gouji)",
    )
    ap.add_argument("--check", action="store_true", help="exit 1 when there is any package cycle")
    args = ap.parse_args(argv)
    edges = graph(args.src.resolve())
    print(render(edges))
    return 1 if args.check and cycles(edges) else 0


if __name__ == "__main__":
    sys.exit(main())
