"""The switches of claim extraction, read from the environment when an extraction starts."""

from __future__ import annotations

import os
from collections.abc import Mapping

from gouji.records import dataclass

BACKENDS = ("rules", "spacy")


@dataclass(frozen=True)
class Options:
    """How one extraction reads the prose.

    Joining lists changes which amounts are read as parts of which. On the shared corpus it
    raises narrative.parts_sum by 41 errors, nearly all false: nested lists ("A 2,858.27万元，
    主要包括：甲…；乙…；B…") and numbering that mixes levels (2.…（1）…（2）…3.) are not parsed as
    trees yet, so it is off by default. Joining lines cut mid-sentence is on: without it a
    subject broken by a line end is read from its last line only ("职人员经费" for 在职人员经费).
    """

    join_lists: bool = False  # GOUJI_JOIN_LISTS=1: a paragraph ending in "：" takes in the list after it
    join_lines: bool = True  # GOUJI_JOIN_LINES=0: a paragraph cut mid-sentence is read on its own
    backend: str = "rules"  # GOUJI_NLP: the mention finder, rules or spacy (nlp.py)


_chosen_backend: str | None = None  # set_backend's choice, which wins over GOUJI_NLP


def options_from_env(environ: Mapping[str, str] | None = None) -> Options:
    """The options ``GOUJI_JOIN_LISTS``, ``GOUJI_JOIN_LINES`` and ``GOUJI_NLP`` (or
    ``set_backend``) give; ``environ`` defaults to the process environment."""
    env = os.environ if environ is None else environ
    return Options(
        join_lists=env.get("GOUJI_JOIN_LISTS", "0") == "1",
        join_lines=env.get("GOUJI_JOIN_LINES", "1") == "1",
        backend=_chosen_backend or env.get("GOUJI_NLP", "rules"),
    )


def set_backend(name: str) -> None:
    """Choose the mention finder of later extractions: "rules" (regular expressions) or
    "spacy" (see nlp.py), whatever ``GOUJI_NLP`` says."""
    global _chosen_backend
    if name not in BACKENDS:
        raise ValueError(f"unknown narrative backend {name!r}")
    _chosen_backend = name
