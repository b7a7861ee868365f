"""The spaCy claim pipeline: ``spacy.blank("zh")`` with the jieba segmenter, a budget user
dictionary and EntityRuler patterns from data files. No model is downloaded.

It finds the same mentions as the rule backend (money, percentages), token-aware:
jieba keeps "统一" one word, so "统一千元标准" holds no amount. Claim assembly is shared
with the rule backend (``assembly.py``); ``GOUJI_NLP=spacy`` (or ``set_backend("spacy")``)
switches the mention finder (``mentions.py``). The rules stay the default: see the README for the
measurement that decided it.

spaCy and jieba are the optional ``nlp`` extra; without them the rule backend is used.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from gouji.data import load_yaml
from gouji.patterns import re_
from gouji.quantities.vocabulary import build


def available() -> bool:
    try:
        import jieba  # noqa: F401
        import spacy  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def pipeline():
    """The blank Chinese pipeline with jieba, the budget dictionary and the entity ruler."""
    import logging

    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    with resources.as_file(resources.files("gouji.data") / "budget_userdict.txt") as path:
        nlp.tokenizer.jieba_seg.load_userdict(str(path))
    data = load_yaml("nlp_patterns.yaml")
    cues = load_yaml("cues.yaml")
    patterns = [{"label": p["label"], "pattern": p["pattern"]} for p in data["patterns"]]
    for key, label in data["cue_labels"].items():
        for phrase in cues[key]:
            patterns.append({"label": label, "pattern": phrase})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True})
    ruler.add_patterns(patterns)
    return nlp


NUM_IN = re_(r"[-−]?\d[\d,]*(?:\.\d*)?")
UNIT_AT_END = build(r"(<<money_unit_short>>)$")


@cache
def entities(text: str) -> tuple[tuple[str, int, int], ...]:
    """(label, start, end) of the entities of ``text`` (character offsets)."""
    doc = pipeline()(text)
    return tuple((e.label_, e.start_char, e.end_char) for e in doc.ents)
