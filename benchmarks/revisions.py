"""gouji as it was at an earlier git revision, to measure this version against it in one run."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the revision the speed targets were set on: a text check took 0.19 s of CPU, a review of 20
# corpus PDFs read 24 pages/s at --jobs 2, on the machine the targets were measured on
BASELINE = "e420aff"
# the environment of a user's shell: compiled modules cached as on any installed package
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@contextmanager
def worktree(rev: str) -> Iterator[Path]:
    """A checkout of ``rev`` in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="gouji-baseline-") as tmp:
        path = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(path), rev], check=True)
        try:
            yield path
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], check=False)


def tree_env(tree: Path) -> dict[str, str]:
    """The environment in which ``python -m gouji`` runs the checkout at ``tree``; exits when gouji
    would be imported from elsewhere (an installed copy shadowing it)."""
    env = {**ENV, "PYTHONPATH": str(tree / "src")}
    p = subprocess.run(
        [sys.executable, "-c", "import gouji; print(gouji.__file__)"], capture_output=True, text=True, env=env, cwd=tree
    )
    where = p.stdout.strip()
    if not where.startswith(str(tree)):
        raise SystemExit(f"the baseline imported gouji from {where or p.stderr.strip()}, not from {tree}")
    return env
