"""Atomic output: a file is written to a temporary name in its folder, then renamed over."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:  # closes fd whatever fails next
            os.fchmod(fh.fileno(), 0o666 & ~_umask())  # mkstemp makes it private; outputs are ordinary files
            fh.write(raw)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_temporaries(folder: Path, names: list[str]) -> None:
    """Remove what ``atomic_write`` left of ``folder/name`` for each name when its writer was killed."""
    prefixes = tuple(f".{n}." for n in names)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for e in entries:
        if e.name.startswith(prefixes) and e.name.endswith(".tmp"):
            Path(e.path).unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
