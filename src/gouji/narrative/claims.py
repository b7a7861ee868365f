"""Claims: what the prose states about money, in a form the checks can verify."""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal

from gouji.quantities.intervals import Interval
from gouji.quantities.units import factor, min_decimals
from gouji.records import dataclass


@dataclass
class Quantity:
    """A written amount or percentage with its exact value and rounding."""

    value: Decimal  # as written, in ``unit``
    decimals: int
    unit: str  # 元 / 万元 / 亿元 / 千元 / %
    span: tuple[int, int]  # document offsets of the written text
    text: str

    def interval(self, unit_override: str | None = None) -> Interval:
        """Rounding interval, converted to 万元 for money (percent stays percent)."""
        unit = unit_override or self.unit
        if unit == "%":
            return Interval.rounded(self.value, self.decimals)
        d = max(self.decimals, min_decimals(unit))
        return Interval.rounded(self.value, d).scale(factor(unit))

    @property
    def wan(self) -> Decimal:
        return self.value if self.unit in ("%",) else self.value * factor(self.unit)


@dataclass
class Comparison:
    """A claim's comparison with another year: direction, change, rate and base."""

    direction: str | None = None  # increase / decrease / flat
    delta: Quantity | None = None
    percent: Quantity | None = None
    percent_direction: str | None = None
    base: Quantity | None = None
    base_year: int | None = None
    cue_span: tuple[int, int] | None = None  # the direction word


@dataclass
class Reason:
    """A stated reason of a change: its text, the change it describes itself, the amounts it cites."""

    text: str
    span: tuple[int, int]
    direction: str | None = None  # increase / decrease: what the reason's own words describe
    direction_span: tuple[int, int] | None = None  # the direction word of the reason
    amounts: list[Quantity] = field(default_factory=list)
    kind: str = "reason"  # reason (原因是…) or purpose (主要用于…)
    direction_by: str = "rules"  # rules, or model (filled by the reason head where the rules abstain)
    category: str | None = None  # 人员变动, 机构改革/合并, … (data/reasons.yaml)
    category_by: str = "rules"  # rules or model


@dataclass
class PartsGroup:
    """A claim stated as the whole of a list of other claims, its parts."""

    parent: str  # claim id
    parts: list[str] = field(default_factory=list)
    incomplete: bool = False  # the list ends with 等
    kind: str = "amount"  # amount: parts' amounts sum to the parent's; delta: their changes do
    cue_span: tuple[int, int] | None = None


@dataclass
class Claim:
    """A monetary statement of the prose: subject, year, amount, comparison and reasons."""

    id: str
    sentence: str
    sentence_span: tuple[int, int]
    subject: str
    subject_id: str | None = None
    subject_exact: bool = False
    code: str | None = None
    amount: Quantity | None = None
    year: int | None = None
    comparison: Comparison | None = None
    share: Quantity | None = None
    share_of: str | None = None  # claim id of the whole
    parts: list[str] = field(default_factory=list)
    part_of: str | None = None
    reason: Reason | None = None
    approximate: bool = False
    blocked: bool = False  # subject is not a budget quantity of the tables
    malformed: bool = False
    zero_by_word: bool = False  # "无…收入"
    section: int = 0  # index of the heading section the claim is in
    paragraph: int = 0  # index of the paragraph the claim is in
    status: str = "unverifiable"
    unverifiable_reason: str | None = None  # when unverifiable: why (data/labels.yaml unverifiable_reasons)
    verified_by: list[str] = field(default_factory=list)  # when consistent: what bore it out (labels.yaml verified_bases)
    evidence: list[str] = field(default_factory=list)

    @property
    def span(self) -> tuple[int, int]:
        for q in (self.amount, self.comparison and self.comparison.delta, self.share):
            if q is not None:
                return q.span
        return self.sentence_span
