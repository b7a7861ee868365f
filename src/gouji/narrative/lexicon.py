"""Cue phrases and subject vocabulary, loaded from ``gouji/data`` and compiled into regexes."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

import regex

from gouji.data import load_yaml
from gouji.patterns import alternation, re_
from gouji.records import dataclass


@cache
def direction_words() -> Mapping[str, str]:
    """The word written for each direction of a change: ``increase`` 增加, ``decrease`` 减少,
    ``flat`` 持平 (``direction_words`` of ``cues.yaml``; read-only)."""
    return MappingProxyType(dict(load_yaml("cues.yaml")["direction_words"]))



@dataclass(frozen=True)
class Lexicon:
    """The cue phrases and subjects of the prose, and the patterns built from them."""

    cues: dict
    subjects: list[dict]
    delta_end: regex.Pattern
    base_end: regex.Pattern
    share_end: regex.Pattern
    share_whole: regex.Pattern  # the whole a share names: 占(固定资产总额)的
    change_pct_end: regex.Pattern
    parts_cue: regex.Pattern
    reason_cue: regex.Pattern
    flat_cue: regex.Pattern
    approx: regex.Pattern
    lead: regex.Pattern
    blockers: regex.Pattern

    def direction_of(self, cue: str) -> str:
        for w in sorted(self.cues["increase"], key=len, reverse=True):
            if cue.endswith(w) or cue.startswith(w):
                return "increase"
        return "decrease"


@cache
def lexicon() -> Lexicon:
    cues = load_yaml("cues.yaml")
    subjects = load_yaml("subjects.yaml")["subjects"]
    direction = alternation(cues["increase"] + cues["decrease"])
    return Lexicon(
        cues=cues,
        subjects=subjects,
        delta_end=re_(rf"(?P<cue>{direction})(?:了)?(?:约)?$"),
        base_end=re_(
            r"(?P<lead>较|比|与|同比)(?:上年|去年|上一?年度?|(?P<year>20\d\d)年度?)?(?:同期)?(?:年初)?(?:部门)?(?:预算|决算|执行)?(?:数)?(?:的)?$"
        ),
        share_end=re_(rf"(?:{alternation(cues['share'])})(?:[^，；。]{{0,20}}?的)?(?:比重|比例)?(?:为)?$"),
        share_whole=re_(rf"(?:{alternation(cues['share'])})(?P<whole>\p{{Han}}{{2,12}}?)(?:的)?(?:比重|比例)?(?:为)?$"),
        change_pct_end=re_(rf"(?P<cue>{direction})(?:了)?(?:约)?(?:幅度)?(?:为)?$"),
        parts_cue=re_(alternation(cues["parts"])),
        # "主要一是…，二是…": 主要 opens a reason only before an enumeration
        reason_cue=re_(rf"{alternation(cues['reason'])}|主要(?=一是|1[、.]|\(1\)|第一)"),
        flat_cue=re_(alternation(cues["flat"])),
        approx=re_(alternation(cues["approximate"])),
        lead=re_(r"(?:较|比|与|同比)(?=上年|去年|上一|20\d\d|“|\p{Han})"),
        blockers=re_(alternation(cues["subject_blockers"])),
    )
