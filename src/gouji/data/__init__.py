"""Domain knowledge kept as data files that reviewers can read and extend.

A YAML file, once parsed, is kept beside it (``__pycache__/<name>.marshal``, as Python keeps
compiled modules) with the size and modification time of the file it came from: a later run
reads that instead of parsing again, and parses again as soon as the file is edited. Where the
folder cannot be written, or Python is told not to write bytecode, nothing is kept.
"""

from __future__ import annotations

import marshal
import os
import sys
from functools import cache
from pathlib import Path

TYPE_CHECKING = False  # typing's constant, without importing typing at every start
if TYPE_CHECKING:
    from typing import Any

DATA = Path(__file__).resolve().parent
# the kept form changes with the interpreter's marshal format
_CACHE_TAG = f"v1-{sys.implementation.cache_tag}-m{marshal.version}"


def _cache_file(name: str) -> Path:
    return DATA / "__pycache__" / f"{name}.{_CACHE_TAG}.marshal"


def _read_cache(cache_file: Path, stamp: tuple[int, int]) -> tuple[bool, Any]:
    try:
        kept_stamp, data = marshal.loads(cache_file.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return False, None
    return tuple(kept_stamp) == stamp, data


def _write_cache(cache_file: Path, stamp: tuple[int, int], data: Any) -> None:
    try:
        blob = marshal.dumps((stamp, data))
    except ValueError:  # a value marshal does not keep (a YAML date): parse each time
        return
    try:
        cache_file.parent.mkdir(exist_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, cache_file)
    except OSError:  # a read-only install: parse each time
        pass


def _parse(text: str) -> Any:
    import yaml

    # libyaml's loader when PyYAML was built with it: the data files load ten times faster
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader either way


@cache
def load_yaml(name: str) -> Any:
    """Load ``gouji/data/<name>`` (parsed once, then kept: see the module's docstring)."""
    path = DATA / name
    st = path.stat()
    stamp = (st.st_size, st.st_mtime_ns)
    cache_file = _cache_file(name)
    fresh, data = _read_cache(cache_file, stamp)
    if fresh:
        return data
    data = _parse(path.read_text(encoding="utf-8"))
    if not sys.dont_write_bytecode:
        _write_cache(cache_file, stamp, data)
    return data


def data_path(name: str) -> str:
    return str(DATA / name)
