"""Regexes built from named pieces of the data files (Recognizers-Text style).

A pattern is written with placeholders such as ``<<money_unit>>``; ``build`` puts in the
alternation the data files give (``units.yaml``: every unit name, longest first), so adding a
unit to the data adds it to every pattern that names the piece. A placeholder that names no
piece is an error at build time, not a pattern that silently matches nothing.
"""

from __future__ import annotations

from functools import cache

import regex

from gouji.data import load_yaml
from gouji.patterns import alternation, re_

_PLACEHOLDER = re_(r"<<(?P<name>[a-z_]+)>>")


@cache
def pieces() -> dict[str, str]:
    """The named pieces: each an alternation (without a group) ready to put in a pattern.

    - ``money_unit``: the money units' names (元, 千元, 万元, 亿元);
    - ``money_unit_short``: those and their short spellings (万);
    - ``percent_sign``: % and ％;
    - ``money_or_percent``: ``money_unit`` and ``percent_sign``.
    """
    data = load_yaml("units.yaml")
    names = [u["name"] for u in data["units"]]
    short = [s for u in data["units"] for s in u.get("short", [])]
    signs = list(data["percent_signs"])
    return {
        "money_unit": alternation(names),
        "money_unit_short": alternation(names + short),
        "percent_sign": alternation(signs),
        "money_or_percent": alternation(names + signs),
    }


def expand(pattern: str) -> str:
    """``pattern`` with each ``<<name>>`` replaced by its piece (as a non-capturing group)."""

    def piece(m: regex.Match) -> str:
        name = m["name"]
        if name not in pieces():
            raise KeyError(f"no vocabulary piece named {name!r} (known: {', '.join(sorted(pieces()))})")
        return f"(?:{pieces()[name]})"

    return _PLACEHOLDER.sub(piece, pattern)


def build(pattern: str, flags: int = 0) -> regex.Pattern:
    """``pattern`` expanded and compiled."""
    return re_(expand(pattern), flags)


@cache
def short_units() -> dict[str, str]:
    """Each short spelling of a unit and the unit it stands for (万 → 万元)."""
    return {s: u["name"] for u in load_yaml("units.yaml")["units"] for s in u.get("short", [])}
