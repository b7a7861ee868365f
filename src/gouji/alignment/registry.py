"""Checks are declared objects: a stable id, a severity and a catalogue description
(``data/checks.yaml``), and in code the function with what it ``requires`` and ``sets``.

Each check function receives the review context and returns findings; all findings of a run
are collected (none stops the others), like pandera's failure cases. The run order is derived
from what checks require and set (spaCy's components declare what they assign the same way):
a check that requires a fact runs after every check that sets it; otherwise checks run in
catalogue order. Nothing else passes between checks.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import field
from functools import cache

from gouji.data import load_yaml
from gouji.labels import severities
from gouji.records import dataclass

SEVERITIES = severities()

# Facts every check may read: the review gives them to the context before any check runs.
PROVIDED = frozenset({"document", "tables", "claims"})
# Facts a check may require or set besides ``findings:<check id>`` (set by every check).
FACTS = {
    "amounts": "claims' amounts in 万元 after a unit written wrong is corrected (Context.amount)",
    "verified": "claims borne out by the tables or by their own arithmetic (Context.mark_verified)",
    "coverage": "whether a coverage check could evaluate its subject (Context.record_coverage)",
}
# Modules whose import registers the checks.
CHECK_MODULES = (
    "gouji.alignment.checks",
    "gouji.alignment.final_accounts",
    "gouji.alignment.table_sums",
    "gouji.alignment.cross_tables",
    "gouji.alignment.toc_checks",
    "gouji.alignment.coverage.sangong",
    "gouji.alignment.coverage.jiguan",
    "gouji.alignment.coverage.procurement",
    "gouji.alignment.coverage.performance",
    "gouji.alignment.document_checks",
)


@dataclass(frozen=True)
class CheckSpec:
    """A check's catalogue entry (checks.yaml): id, severity, description and data."""

    id: str
    severity: str
    description: str
    # the check records for each document whether it evaluated its subject or found
    # nothing to evaluate (Context.record_coverage), so a checklist can tell a pass
    # from a check that could not run (checks.yaml: `coverage: true`)
    coverage: bool = False
    # the check's own data, from its catalogue entry (``params:``), so that a check and what it
    # knows are declared in one place
    params: dict = field(default_factory=dict, compare=False)
    name: str = ""  # short Chinese name for reports (checks.yaml ``name``)


@dataclass(frozen=True)
class Check:
    """A registered check: its catalogue entry, its function and the facts it reads and writes."""

    spec: CheckSpec
    run: Callable
    requires: frozenset[str]
    sets: frozenset[str]

    @property
    def id(self) -> str:
        return self.spec.id


@cache
def catalogue() -> dict[str, CheckSpec]:
    """The check catalogue from ``data/checks.yaml``."""
    out = {}
    for c in load_yaml("checks.yaml")["checks"]:
        if c["severity"] not in SEVERITIES:
            raise ValueError(f"checks.yaml: {c['id']}: unknown severity {c['severity']}")
        if not c.get("name"):
            raise ValueError(f"checks.yaml: {c['id']}: no name (the short Chinese name reports show)")
        out[c["id"]] = CheckSpec(
            c["id"], c["severity"], c["description"], bool(c.get("coverage", False)), c.get("params") or {}, c["name"]
        )
    return out


REGISTRY: dict[str, Check] = {}


def check(check_id: str, *, requires: tuple[str, ...] = (), sets: tuple[str, ...] = ()) -> Callable[[Callable], Callable]:
    """Register a check function under a catalogue id, with the facts it requires and sets."""

    def deco(fn: Callable) -> Callable:
        spec = catalogue().get(check_id)
        if spec is None:
            raise KeyError(f"check {check_id} is missing from data/checks.yaml")
        for fact in (*requires, *sets):
            if fact not in PROVIDED and fact not in FACTS and not fact.startswith("findings:"):
                raise KeyError(f"check {check_id}: unknown fact {fact!r} (known: {', '.join(sorted(PROVIDED | FACTS.keys()))})")
        own = {"findings:" + check_id} | ({"coverage"} if spec.coverage else set())
        REGISTRY[check_id] = Check(spec, fn, frozenset(requires), frozenset(sets) | own)
        return fn

    return deco


@cache
def run_order() -> tuple[Check, ...]:
    """Every check of the catalogue in the order they run (see ``derive_order``)."""
    for name in CHECK_MODULES:
        importlib.import_module(name)
    return tuple(derive_order(catalogue(), REGISTRY))


def derive_order(cat: dict[str, CheckSpec], checks: dict[str, Check]) -> list[Check]:
    """The checks of ``cat``, each after the setters of what it requires, else in ``cat``'s order.

    Raises ``LookupError`` when a catalogue entry has no function (or a function no entry), a
    fact is required that no check sets, or requirements go round in a circle."""
    missing = [cid for cid in cat if cid not in checks]
    if missing:
        raise LookupError(f"checks.yaml lists checks no module registers: {', '.join(missing)}")
    extra = [cid for cid in checks if cid not in cat]
    if extra:
        raise LookupError(f"checks registered but not in checks.yaml: {', '.join(extra)}")
    setters: dict[str, set[str]] = {}
    for chk in checks.values():
        for fact in chk.sets:
            setters.setdefault(fact, set()).add(chk.id)
    after: dict[str, set[str]] = {}
    for chk in checks.values():
        before: set[str] = set()
        for fact in chk.requires - PROVIDED:
            if fact not in setters:
                raise LookupError(f"check {chk.id} requires {fact!r}, which no check sets")
            before |= setters[fact] - {chk.id}
        after[chk.id] = before
    order: list[Check] = []
    done: set[str] = set()
    while len(order) < len(cat):
        ready = next((cid for cid in cat if cid not in done and after[cid] <= done), None)
        if ready is None:
            left = [cid for cid in cat if cid not in done]
            raise LookupError(f"checks require each other in a circle: {', '.join(left)}")
        order.append(checks[ready])
        done.add(ready)
    return order


def check_name(check_id: str) -> str:
    """The check's short Chinese name (checks.yaml ``name``), or its id when it has none."""
    spec = catalogue().get(check_id)
    return spec.name if spec is not None and spec.name else check_id


def severity_rank(sev: str) -> int:
    return SEVERITIES.index(sev)
