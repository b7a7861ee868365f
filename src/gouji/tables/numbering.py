"""The numbering style of an item label ("一、" / "（一）" / "1、" / "(1)" / "①")."""

from __future__ import annotations

from functools import cache, lru_cache

import regex

from gouji.data import load_yaml
from gouji.patterns import re_


@cache
def _styles() -> list[tuple[str, regex.Pattern]]:
    return [(s["id"], re_(s["pattern"])) for s in load_yaml("table_kinds.yaml")["item_styles"]]


@lru_cache(maxsize=16384)
def item_style(label: str) -> str | None:
    """The numbering style of an item label ("一、" / "（一）" / "1、" / "(1)" / "①"), if any."""
    t = label.replace(" ", "")
    for sid, pattern in _styles():
        if pattern.match(t):
            return sid
    return None
