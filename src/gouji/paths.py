"""File names as people read them. A name made of bytes that are not UTF-8 (a GBK name from a
Chinese Windows archive) reaches Python with surrogate escapes, which no UTF-8 report can hold."""

from __future__ import annotations

import os


def display_path(path: str | os.PathLike) -> str:
    """``path`` as text fit for a report: a component of undecodable bytes read as GB18030 when it
    is that, else shown with U+FFFD. Opening the file still needs the original ``path``."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        raw = text
    else:
        try:
            text.encode("utf-8")
            return text
        except UnicodeEncodeError:
            raw = text.encode("utf-8", "surrogateescape")
    return "/".join(_part(p) for p in raw.split(b"/"))


def _part(raw: bytes) -> str:
    """One component: each folder name of a path may have come from another system."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")
