"""Compiled patterns, built once per process and kept between runs.

Compiling a pattern (parsing it, optimising it, generating its code) costs far more than most
searches it serves: the two hundred patterns of one ``gouji check`` take about 55 ms of CPU to
compile, more than the check itself. The ``regex`` module's compiler ends in a flat code list
that its C engine turns into a pattern object; a :class:`PatternStore` keeps those code lists
(``gouji/data/__pycache__/patterns.<tag>.marshal``, written when a run compiled a pattern it
did not hold) and a later run builds each pattern from its list in a few microseconds.

The kept form belongs to one version of ``regex`` and one interpreter, and is named after
both. Where the folder cannot be written, or Python is told not to write bytecode, nothing is
kept; where ``regex``'s compiler is not of the shape this module knows, patterns are compiled
as usual and nothing is kept either.
"""

from __future__ import annotations

import atexit
import marshal
import sys
import threading
import types
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import regex
import regex._main as _regex_main

from gouji import kept as kept_files

TYPE_CHECKING = False  # typing's constant, without importing typing at every start
if TYPE_CHECKING:
    from typing import Any

    Key = tuple[str, int]
    # the arguments of the C engine's compile, as regex's compiler passes them
    CodeArgs = tuple[Any, ...]

_TAG = f"regex{regex.__version__}-{kept_files.TAG}"
# a kept file past this many patterns holds patterns of data long since edited: it is
# rewritten with this run's patterns alone
MAX_KEPT = 1000
_COMPILE_PARAMS = ("pattern", "flags", "ignore_unused", "kwargs", "cache_it")


class _Recorder:
    """Stands in for the C engine in one call of regex's compiler and keeps what it was given."""

    def __init__(self, engine: types.ModuleType) -> None:
        self._engine = engine
        self.args: CodeArgs | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    def compile(self, *args: Any) -> regex.Pattern:
        self.args = tuple(int(a) if isinstance(a, int) else a for a in args)  # flags: plain ints
        return self._engine.compile(*args)


@cache
def _compiler_known() -> bool:
    code = getattr(_regex_main._compile, "__code__", None)
    return (
        code is not None
        and code.co_varnames[: len(_COMPILE_PARAMS)] == _COMPILE_PARAMS
        and "_regex" in code.co_names
        and hasattr(_regex_main, "_regex")
    )


def compile_recorded(pattern: str, flags: int = 0) -> tuple[regex.Pattern, CodeArgs | None]:
    """``pattern`` compiled by regex's own compiler, and the code list it handed the C engine.

    The compiler runs as a copy whose module globals see a recorder in place of the engine, so
    nothing of ``regex`` is changed for any other caller or thread.
    """
    if not _compiler_known():
        return regex.compile(pattern, flags), None
    recorder = _Recorder(_regex_main._regex)
    compiler = types.FunctionType(
        _regex_main._compile.__code__,
        {**vars(_regex_main), "_regex": recorder},
        "_compile",
        _regex_main._compile.__defaults__,
        _regex_main._compile.__closure__,
    )
    compiled = compiler(pattern, flags, False, {}, False)
    args = recorder.args
    try:
        marshal.dumps(args)
    except ValueError:
        args = None
    return compiled, args


class PatternStore:
    """Patterns by their text and flags: compiled once, their code kept in ``path``."""

    def __init__(self, path: Path | None, write: bool = True, max_kept: int = MAX_KEPT) -> None:
        self.path = path
        self.write = write and path is not None
        self.max_kept = max_kept
        self._compiled: dict[Key, regex.Pattern] = {}
        self._kept: dict[Key, CodeArgs] | None = None
        self._new: dict[Key, CodeArgs] = {}
        self._used: set[Key] = set()
        self._lock = threading.Lock()
        self._keep_registered = False

    def compile(self, pattern: str, flags: int = 0) -> regex.Pattern:
        """``pattern`` compiled with ``flags`` (built from the kept code when it is held)."""
        key = (pattern, int(flags))
        compiled = self._compiled.get(key)
        if compiled is not None:
            return compiled
        with self._lock:
            compiled = self._compiled.get(key)
            if compiled is None:
                compiled = self._build(key)
                self._compiled[key] = compiled
        return compiled

    def _build(self, key: Key) -> regex.Pattern:
        args = self._kept_code().get(key)
        if args is not None:
            try:
                compiled = _regex_main._regex.compile(*args)
            except Exception:  # noqa: BLE001 - a kept list the engine refuses: compile afresh
                pass
            else:
                self._used.add(key)
                return compiled
        compiled, args = compile_recorded(*key)
        if args is not None and self.write:
            self._new[key] = args
            self._used.add(key)
            if not self._keep_registered:
                atexit.register(self.keep)
                self._keep_registered = True
        return compiled

    def _kept_code(self) -> dict[Key, CodeArgs]:
        if self._kept is None:
            self._kept = kept_files.read(self.path)
        return self._kept

    def keep(self) -> None:
        """Write the patterns compiled in this run beside those already kept."""
        if not self._new or self.path is None:
            return
        with self._lock:
            self._kept = kept_files.add(self.path, self._new, self._used, self.max_kept)
            self._new = {}


STORE = PatternStore(kept_files.KEPT_DIR / f"patterns.{_TAG}.marshal", write=not sys.dont_write_bytecode)


def re_(pattern: str, flags: int = 0) -> regex.Pattern:
    """``pattern`` compiled with ``flags`` (once per process; see the module's docstring)."""
    return STORE.compile(pattern, flags)


def alternation(words: Iterable[str]) -> str:
    """``words`` as one alternation of literals, longest first (so a longer word wins where a
    shorter one is its start), and in one order from run to run: the kept code is found by the
    pattern's text."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
