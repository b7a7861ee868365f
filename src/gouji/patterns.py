"""Compiled patterns by their text.

``regex.search(pattern, text)`` looks its compiled pattern up on every call, which costs more
than the search itself on short texts; patterns written inline or read from data files are
compiled here once.
"""

from __future__ import annotations

from functools import lru_cache

import regex


@lru_cache(maxsize=2048)
def re_(pattern: str) -> regex.Pattern:
    """``pattern`` compiled (once per process)."""
    return regex.compile(pattern)
