"""Record classes: ``dataclasses.dataclass`` with the generated methods' code kept between runs.

A dataclass writes the source of its ``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` and
(frozen) ``__setattr__`` and hands it to ``exec``; compiling that source is most of what
defining one costs, about half a millisecond a class, and the fifty records a ``gouji check``
defines would spend a sixth of a text check on it. :func:`dataclass` here is the standard
decorator, run with an ``exec`` that compiles each distinct source once and keeps its code
(``gouji/data/__pycache__/records.<tag>.marshal``, written when a run compiled a source the
file did not hold). The classes are the standard library's dataclasses in every respect:
``fields``, ``replace``, ``asdict`` and their generated methods are the same.

Where Python is told not to write bytecode, or the folder cannot be written, nothing is kept.
"""

from __future__ import annotations

import atexit
import dataclasses
import sys
import threading
import types

from gouji import kept as kept_files

TYPE_CHECKING = False  # typing's constant, without importing typing at every start
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

# a kept file past this many sources holds methods of classes long since edited: it is
# rewritten with this run's sources alone
MAX_KEPT = 2000


class CodeStore:
    """Code objects by the source they were compiled from, kept in ``path``."""

    def __init__(self, path: Path | None, write: bool = True, max_kept: int = MAX_KEPT) -> None:
        self.path = path
        self.write = write and path is not None
        self.max_kept = max_kept
        self._kept: dict[str, types.CodeType] | None = None
        self._new: dict[str, types.CodeType] = {}
        self._used: set[str] = set()
        self._keep_registered = False

    def code(self, source: str) -> types.CodeType:
        """``source`` compiled as a module's code, as ``exec`` compiles a string."""
        if self._kept is None:
            self._kept = kept_files.read(self.path)
        code = self._kept.get(source)
        if not isinstance(code, types.CodeType):
            code = compile(source, "<string>", "exec", dont_inherit=True)
            if self.write:
                self._new[source] = code
                if not self._keep_registered:
                    atexit.register(self.keep)
                    self._keep_registered = True
        self._used.add(source)
        return code

    def exec(self, source: Any, globals: Any = None, locals: Any = None) -> None:
        """``exec`` with a string's code taken from the store."""
        if isinstance(source, str):
            source = self.code(source)
        exec(source, globals, locals)  # the standard decorator's own generated code

    def keep(self) -> None:
        """Write the code compiled in this run beside the code already kept."""
        if not self._new or self.path is None:
            return
        self._kept = kept_files.add(self.path, self._new, self._used, self.max_kept)
        self._new = {}


STORE = CodeStore(
    kept_files.KEPT_DIR / f"records.{kept_files.TAG}.marshal", write=not sys.dont_write_bytecode
)
# dataclasses looks ``exec`` up among its module's names before the builtins: the store's is
# put there for one decoration at a time
_LOCK = threading.Lock()  # decorating runs no decoration of its own: never taken twice


if TYPE_CHECKING:  # to a type checker the records are the standard library's dataclasses
    from dataclasses import dataclass
else:

    def dataclass(cls=None, /, **options):
        """``dataclasses.dataclass(cls, **options)``, its methods' code from the store."""

        def wrap(cls):
            with _LOCK:
                dataclasses.exec = STORE.exec
                try:
                    return dataclasses.dataclass(cls, **options)
                finally:
                    del dataclasses.exec

        return wrap if cls is None else wrap(cls)
