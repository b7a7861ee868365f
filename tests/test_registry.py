"""Checks are declared objects: the catalogue, the registered functions and what runs are one set,
and the run order follows from what each check requires and sets."""

from __future__ import annotations

import pytest

from gouji.alignment.registry import (
    PROVIDED,
    REGISTRY,
    Check,
    CheckSpec,
    catalogue,
    derive_order,
    run_order,
)
from tests.conftest import example_review


def test_catalogue_registry_and_run_are_the_same_checks():
    order = [c.id for c in run_order()]
    assert sorted(order) == sorted(catalogue()) == sorted(REGISTRY)
    assert example_review("2022_邯郸市医疗保障局_部门预算.txt").checks_run == order


def test_every_requirement_is_set_before_it_is_read():
    seen: set[str] = set(PROVIDED)
    for chk in run_order():
        assert chk.requires <= seen, (chk.id, chk.requires - seen)
        seen |= chk.sets


def test_declared_facts_of_the_checks_that_pass_facts():
    got = {c.id: (sorted(c.requires), sorted(x for x in c.sets if not x.startswith("findings:"))) for c in run_order()}
    assert got["narrative.unit"] == ([], ["amounts", "verified"])
    assert got["narrative.direction"] == (["amounts"], ["verified"])
    assert got["table.procurement_sum"] == (["amounts", "findings:table.row_sum", "findings:table.total_row"], ["coverage"])
    assert got["table.performance_within_projects"] == (["findings:table.cross"], ["coverage"])
    assert got["document.no_tables"] == (["tables"], [])


def _spec(cid: str) -> CheckSpec:
    return CheckSpec(cid, "warning", "")


def _check(cid: str, requires=(), sets=()) -> Check:
    return Check(_spec(cid), lambda ctx: [], frozenset(requires), frozenset(sets) | {"findings:" + cid})


def test_order_puts_setters_first_then_keeps_the_catalogue_order():
    cat = {cid: _spec(cid) for cid in ("a", "b", "c", "d")}
    checks = {"a": _check("a", requires=("x",)), "b": _check("b"), "c": _check("c", sets=("x",)), "d": _check("d")}
    assert [c.id for c in derive_order(cat, checks)] == ["b", "c", "a", "d"]


def test_order_refuses_what_cannot_run():
    cat = {cid: _spec(cid) for cid in ("a", "b")}
    with pytest.raises(LookupError, match="checks.yaml lists checks no module registers: b"):
        derive_order(cat, {"a": _check("a")})
    with pytest.raises(LookupError, match="checks registered but not in checks.yaml: z"):
        derive_order(cat, {"a": _check("a"), "b": _check("b"), "z": _check("z")})
    with pytest.raises(LookupError, match="check a requires 'x', which no check sets"):
        derive_order(cat, {"a": _check("a", requires=("x",)), "b": _check("b")})
    with pytest.raises(LookupError, match="circle: a, b"):
        derive_order(cat, {"a": _check("a", requires=("findings:b",)), "b": _check("b", requires=("findings:a",))})
