"""Files of compiled things kept between runs (beside the data caches, in marshal form).

Patterns (``gouji.patterns``) and record methods (``gouji.records``) cost more to build than
most runs spend using them; each is kept in one file named after what built it, read whole at
the first need and rewritten whole, atomically, when a run built something the file lacked.
"""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path

TYPE_CHECKING = False  # typing's constant, without importing typing at every start
if TYPE_CHECKING:
    from typing import Any

KEPT_DIR = Path(__file__).resolve().parent / "data" / "__pycache__"
# kept forms belong to one interpreter and one marshal format
TAG = f"{sys.implementation.cache_tag}-m{marshal.version}"


def read(path: Path | None) -> dict[Any, Any]:
    """The dict kept in ``path``; empty where there is none or it cannot be read."""
    if path is None:
        return {}
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def write(path: Path, kept: dict[Any, Any]) -> None:
    """``kept`` written to ``path`` whole (nothing where the folder cannot be written)."""
    try:
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(kept))
        os.replace(tmp, path)
    except OSError:  # a read-only install: build each time
        pass


def add(path: Path, new: dict[Any, Any], used: set[Any], max_kept: int) -> dict[Any, Any]:
    """``new`` written into ``path`` beside what it holds, and what it now holds. A file past
    ``max_kept`` entries holds things of data or code long since edited: only ``used`` stay."""
    kept = {**read(path), **new}
    if len(kept) > max_kept:
        kept = {k: v for k, v in kept.items() if k in used}
    write(path, kept)
    return kept
