"""The message catalogue (data/messages.yaml): one entry per check, every finding worded from it
and carrying the fields it was worded with; numeric findings carry their arithmetic."""

from __future__ import annotations

import string
from decimal import Decimal

import pytest

from gouji.alignment.arithmetic import Arithmetic, Operand
from gouji.alignment.messages import catalogue, field_names, render, shared, template
from gouji.alignment.registry import catalogue as checks
from gouji.alignment.review import review_document
from gouji.data import load_yaml
from gouji.ingest import read_document
from gouji.quantities.intervals import Interval
from tests.conftest import EXAMPLES, example_review

EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if p.suffix == ".txt")


def test_one_entry_per_check():
    assert sorted(catalogue()) == sorted(checks())


def test_templates_name_their_fields_by_name():
    for cid, variants in catalogue().items():
        assert variants, cid
        for variant, text in variants.items():
            assert isinstance(text, str) and text.strip(), (cid, variant)
            fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
            assert all(f.isidentifier() for f in fields), (cid, variant, fields)


def test_rounding_tails_are_shared():
    assert shared()["rounding"] == {"within": "差额在已公布数字的舍入范围内。", "beyond": "超出已公布数字的舍入范围。"}
    # the sums' wordings are one text for every check that reports a sum
    sums = {cid for cid, v in catalogue().items() if "sum" in v}
    assert sums == {"table.hierarchy_sum", "table.row_sum", "table.total_row", "table.cross", "table.procurement_sum", "table.performance_within_projects"}
    assert len({catalogue()[c]["sum"] for c in sums}) == 1


def test_render_fills_fields_and_refuses_a_missing_one():
    assert render("narrative.delta", current="10.00", base="8.00", difference="+2.00", stated="3万元") == (
        "增减额不符：10.00 − 8.00 = +2.00，文字写3万元。"
    )
    assert field_names(template("narrative.delta")) == {"current", "base", "difference", "stated"}
    with pytest.raises(KeyError, match="no value for base"):
        render("narrative.delta", current="10.00", difference="+2.00", stated="3万元")
    with pytest.raises(KeyError, match="no variant 'nope'"):
        template("narrative.delta", "nope")
    with pytest.raises(KeyError, match="no entry for check"):
        template("narrative.no_such_check")


def test_a_reworded_template_rewords_the_findings(monkeypatch):
    reworded = dict(load_yaml("messages.yaml"))
    reworded["narrative.direction"] = {**reworded["narrative.direction"], "with_base": "方向：{current}−{base}={difference}"}
    monkeypatch.setattr("gouji.alignment.messages.load_yaml", lambda name: reworded)
    catalogue.cache_clear()
    try:
        review = review_document(read_document(EXAMPLES / "2022_邯郸市医疗保障局_部门预算.txt"))
    finally:
        catalogue.cache_clear()
    f = next(f for f in review.findings if f.check == "narrative.direction")
    assert f.message == "方向：5873.35−2696.69=+3176.66"


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_finding_is_its_template_filled_with_its_fields(name):
    for f in example_review(name).findings:
        message = render(f.check, f.variant, **f.fields)
        if f.held_back:
            assert f.message.startswith(message) and f.fields["doubts"] in f.message
        elif f.check == "table.performance_within_projects" and "unlisted" in f.fields:
            assert f.message == message + render(f.check, "unlisted", count=f.fields["unlisted"])
        else:
            assert f.message == message, (f.check, f.variant)


def test_numeric_findings_carry_their_arithmetic():
    review = example_review("2022_邯郸市医疗保障局_部门预算.txt")
    f = next(f for f in review.findings if f.check == "narrative.direction")
    a = f.arithmetic
    assert (a.operation, a.formula) == ("difference", "5873.35 − 2696.69 = +3176.66")
    assert [(o.label, o.text, o.value) for o in a.operands] == [("本年", "5873.35万元", Decimal("5873.35")), ("上年", "2696.69万元", Decimal("2696.69"))]
    assert (a.result.value, a.stated.value, a.stated.text) == (Decimal("3176.66"), Decimal("-3176.66"), "3176.66万元")
    assert (a.difference, a.tolerance, a.within_rounding) == (Decimal("6353.32"), Decimal("0.015"), False)
    d = f.to_dict(review.document)
    assert d["message_id"] == "narrative.direction/with_base"
    assert d["arithmetic"]["difference"] == "6353.32" and d["arithmetic"]["result"]["interval"] == ["3176.65", "3176.67"]


def test_arithmetic_difference_and_tolerance_come_from_the_intervals():
    parts = [Operand.of("甲", "1.25", Decimal("1.25"), Interval.rounded(Decimal("1.25"), 2)),
             Operand.of("乙", "2.5", Decimal("2.5"), Interval.rounded(Decimal("2.5"), 1))]
    result = Operand.of("和", "3.75", Decimal("3.75"), Interval(Decimal("3.695"), Decimal("3.805")))
    stated = Operand.of("合计", "3.8", Decimal("3.8"), Interval.rounded(Decimal("3.8"), 1))
    a = Arithmetic("sum", parts, result, stated, "1.25 + 2.5 = 3.75 ≠ 3.8")
    assert (a.difference, a.tolerance, a.within_rounding) == (Decimal("-0.05"), Decimal("0.105"), True)
    with pytest.raises(ValueError, match="unknown operation"):
        Arithmetic("guess", parts, result, stated, "")
