"""Checks are declared objects: a stable id, a severity and a catalogue description.

Each check function receives the review context and returns findings; all findings of
a run are collected (none stops the others), like pandera's failure cases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from gouji.data import load_yaml

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class CheckSpec:
    id: str
    severity: str
    description: str
    # the check records for each document whether it evaluated its subject or found
    # nothing to evaluate (Context.record_coverage), so a checklist can tell a pass
    # from a check that could not run (checks.yaml: `coverage: true`)
    coverage: bool = False


@cache
def catalogue() -> dict[str, CheckSpec]:
    """The check catalogue from ``data/checks.yaml``."""
    out = {}
    for c in load_yaml("checks.yaml")["checks"]:
        if c["severity"] not in SEVERITIES:
            raise ValueError(f"checks.yaml: {c['id']}: unknown severity {c['severity']}")
        out[c["id"]] = CheckSpec(c["id"], c["severity"], c["description"], bool(c.get("coverage", False)))
    return out


REGISTRY: dict[str, Callable] = {}


def check(check_id: str) -> Callable[[Callable], Callable]:
    """Register a check function under a catalogue id."""

    def deco(fn: Callable) -> Callable:
        if check_id not in catalogue():
            raise KeyError(f"check {check_id} is missing from data/checks.yaml")
        REGISTRY[check_id] = fn
        return fn

    return deco


def severity_rank(sev: str) -> int:
    return SEVERITIES.index(sev)
