"""The planted-defect benchmark (benchmarks/accuracy): where mutations land and how they are scored."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from benchmarks.accuracy.plant import (
    Mutation,
    cell_relations,
    changed_number,
    overlaps,
    plant,
    toc_entries,
    transposed_number,
)
from benchmarks.accuracy.run import (
    BASELINE,
    KNOWN,
    Source,
    baseline_of,
    check_baseline,
    classify_findings,
    evaluate,
    load_sources,
    review_text,
    run_document,
)

from gouji.alignment.findings import Finding

from .conftest import EXAMPLES, example_review

SHILONG = "2023_平顶山市石龙区医疗保障局_部门预算.txt"
QINGSHAN = "2022_青山区医疗保障局_部门预算.txt"
HANDAN = "2022_邯郸市医疗保障局_部门预算.txt"

SMALL_TABLE = (
    "一般公共预算支出表\n单位：万元\n\n"
    "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
    "201\t一般公共服务支出\t30.00\t10.00\t20.00\n"
    "20101\t人大事务\t12.00\t4.00\t8.00\n"
    "20102\t政协事务\t18.00\t6.00\t12.00\n"
    "205\t教育支出\t5.00\t5.00\t\n"
    "合计\t\t35.00\t15.00\t20.00\n"
)


def _mutants(name: str, kind: str) -> dict[str, Mutation]:
    return {m.id.split("#")[1]: m for m in plant(example_review(name), name, max_per_kind=0, kinds=[kind])}


def _finding(check: str, span: tuple[int, int], severity: str = "error", evidence: list | None = None) -> Finding:
    return Finding(check=check, severity=severity, message="", span=span, quote="", evidence=evidence or [])


def test_unit_mutation_lands_on_the_amount():
    """石龙 line 98 “基本支出 165.42 万元”: 万元 at 1643–1645 becomes 元, the amount spans 1636–1644."""
    m = _mutants(SHILONG, "unit")["unit6"]
    text = example_review(SHILONG).document.text
    assert (m.start, m.end, m.old, m.new) == (1643, 1645, "万元", "元")
    assert m.spans == [(1636, 1644)]
    mutated = m.apply(text)
    assert mutated[1636:1644] == "165.42 元"
    assert len(mutated) == len(text) - 1


def test_unit_mutation_is_caught_by_the_unit_check():
    m = _mutants(SHILONG, "unit")["unit6"]
    review = example_review(SHILONG)
    outcome = evaluate(m, review.findings, review_text(m.apply(review.document.text), "<mutant>").findings)
    assert outcome.caught and outcome.caught_by == ["narrative.unit"]


def test_direction_mutation_swaps_the_cue_word():
    """石龙 “较上年增长 162.36 万元，增长 515.43%”: the first 增长 (1394–1396) becomes 下降."""
    m = _mutants(SHILONG, "direction")["direction1"]
    assert (m.start, m.end, m.old, m.new) == (1394, 1396, "增长", "下降")
    assert m.spans == [(1394, 1406)]
    assert m.apply(example_review(SHILONG).document.text)[1394:1406] == "下降 162.36 万元"


def test_percent_and_parts_mutations():
    p = _mutants(SHILONG, "percent")["percent3"]
    assert (p.start, p.end, p.old, p.new, p.spans) == (1648, 1653, "85.33", "82.33", [(1648, 1654)])
    assert p.expected_checks == ["narrative.share"]
    q = _mutants(SHILONG, "parts")["parts1"]
    assert (q.start, q.end, q.old, q.new, q.spans) == (1636, 1642, "165.42", "181.96", [(1636, 1645)])


def test_amount_sites_leave_out_approximate_figures():
    """邯郸 机关运行经费 191.80万元 matches 公用经费 only approximately: no amount mutant there."""
    details = [m.detail for m in _mutants(HANDAN, "amount").values()]
    assert len(details) == 6
    assert not any("机关运行经费" in d for d in details)


def test_missing_table_removes_table_and_points_at_toc():
    m = _mutants(QINGSHAN, "missing_table")["missing_table2"]
    text = example_review(QINGSHAN).document.text
    assert (m.start, m.end) == (1988, 2499)
    assert m.spans == [(117, 125)] and text[117:125] == "- 二、收入总表"
    mutated = m.apply(text)
    assert "表 2. 青山区医疗保障局 2022 年收入总表" not in mutated
    assert "表 3. 青山区医疗保障局 2022 年支出总表" in mutated
    titles = [t.title for t in review_text(mutated, "<mutant>").tables]
    assert not any(t and "收入总表" in t for t in titles)


def test_toc_entries_of_handan():
    """Leader dots and page numbers are stripped from the key; the span keeps the written entry."""
    entries = toc_entries(example_review(HANDAN).document)
    assert len(entries) == 11
    assert entries[:2] == [("部门预算公开表", (20, 27)), ("部门预算收支总表", (29, 42))]
    assert example_review(HANDAN).document.text[29:42] == "部门预算收支总表....."


def test_cell_relations_of_a_small_table():
    review = review_text(SMALL_TABLE, "<t>")
    rel = cell_relations(review.tables)
    assert rel[("T1", 0, 2)] == ["hierarchy", "column_total", "row_total"]
    assert rel[("T1", 1, 3)] == ["hierarchy", "row_total"]
    assert rel[("T1", 3, 2)] == ["column_total"]
    assert ("T1", 3, 4) not in rel  # blank cell
    mutants = {x.id: x for x in plant(review, "t", max_per_kind=0, kinds=["table_cell"])}
    # 20101 人大事务 合计 12.00: its parent 201's 合计 30.00 (53–58) is the other side
    m = mutants["t#table_cell4"]
    assert (m.start, m.end, m.old, m.new) == (82, 87, "12.00", "13.20")
    assert m.spans == [(82, 87), (53, 58)]
    assert m.expected_checks == ["table.hierarchy_sum", "table.row_sum"]
    # 20101 基本支出 4.00 → 5.00: parent 201 基本支出 10.00 and its row's 合计 12.00
    m = mutants["t#table_cell5"]
    assert (m.start, m.end, m.old, m.new) == (88, 92, "4.00", "5.00")
    assert m.spans == [(88, 92), (59, 64), (82, 87)]
    assert SMALL_TABLE[59:64] == "10.00" and SMALL_TABLE[82:87] == "12.00"


def test_map_offset_and_overlap():
    m = Mutation("x", "d", "unit", 10, 12, "万元", "元", [(5, 11)], "")
    assert [m.map_offset(o) for o in (3, 10, 11, 12, 20)] == [3, 10, 11, 11, 19]
    assert overlaps((5, 11), (10, 11)) and not overlaps((5, 10), (10, 12))
    assert overlaps((7, 7), (5, 10)) and not overlaps((10, 10), (5, 10))


def test_evaluate_needs_a_new_finding_at_the_planted_place():
    m = Mutation("x", "d", "amount", 100, 104, "1.00", "1.10", [(100, 106)], "")
    old = [_finding("narrative.share", (50, 55))]
    # a finding already in the original (same check, same mapped place) does not count
    assert not evaluate(m, old, [_finding("narrative.share", (50, 55))]).caught
    # a new finding elsewhere does not count either
    out = evaluate(m, old, [_finding("narrative.delta", (300, 310))])
    assert not out.caught and out.elsewhere == 1
    # an info does not count; a warning whose evidence cell is the planted place does
    assert not evaluate(m, old, [_finding("narrative.delta", (100, 104), "info")]).caught
    ev = [{"location": {"line": 9, "start": 103, "end": 105}}]
    out = evaluate(m, old, [_finding("table.cross", (900, 905), "warning", ev)])
    assert out.caught and out.caught_by == ["table.cross"]


def test_plant_is_deterministic():
    a = [x.to_dict() for x in plant(example_review(HANDAN), HANDAN)]
    b = [x.to_dict() for x in plant(example_review(HANDAN), HANDAN)]
    assert a == b


def test_narrative_kinds_on_handan():
    src = Source(HANDAN, str(EXAMPLES / HANDAN), (EXAMPLES / HANDAN).read_text(encoding="utf-8"))
    res = run_document(src, max_per_kind=2)
    got = {o.mutation.id.split("#")[1]: o.caught_by for o in res.outcomes if o.mutation.kind in ("unit", "direction", "percent")}
    assert got == {
        "unit1": ["narrative.unit"],
        "unit2": ["narrative.unit"],
        "direction1": ["narrative.direction"],
        "direction2": ["narrative.direction"],
        "percent1": ["narrative.percentage"],
        "percent2": ["narrative.percentage"],
    }


def test_known_findings_are_reviewed_and_still_reported():
    data = yaml.safe_load(KNOWN.read_text(encoding="utf-8"))["documents"]
    assert set(data) == {p.name for p in EXAMPLES.glob("*.txt")}
    for name, known in data.items():
        for k in known:
            assert k["verdict"] in ("true_defect", "false_alarm") and k["arithmetic"]
        review = example_review(name)
        res = type("R", (), {"findings": review.findings, "review": review})()
        verdicts = {(f["check"], f["span"]): f["verdict"] for f in classify_findings(res, known)}
        for k in known:
            assert verdicts.get((k["check"], k["span"])) == k["verdict"], (name, k["span"])


def test_baseline_guard():
    base = json.loads(Path(BASELINE).read_text(encoding="utf-8"))
    summary = {
        "recall": base["recall"],
        "per_kind": {k: dict(v) for k, v in base["per_kind"].items()},
        "documents": {"d": {"error_false_alarms": 0}},
    }
    assert check_baseline(summary, base) == []
    assert baseline_of(summary)["per_kind"] == base["per_kind"]
    summary["per_kind"]["unit"] = {"planted": 39, "caught": 30, "recall": 0.7692}
    summary["documents"]["d"]["error_false_alarms"] = 1
    problems = check_baseline(summary, base)
    assert len(problems) == 2 and problems[0].startswith("unit: recall 76.92%")


@pytest.mark.parametrize("kind", ["amount", "unit", "direction", "percent", "parts"])
def test_every_narrative_mutant_edits_only_its_site(kind):
    text = example_review(QINGSHAN).document.text
    for m in _mutants(QINGSHAN, kind).values():
        mutated = m.apply(text)
        assert mutated[: m.start] == text[: m.start]
        assert mutated[m.start + len(m.new) :] == text[m.end :]
        assert all(m.start <= s[1] and s[0] <= m.start + len(m.new) for s in m.spans)


def test_number_changes():
    """Transpositions keep the written form and change the value by more than two roundings."""
    assert transposed_number("165.42 万元", random.Random(1), Decimal("0.02")) == "156.42"
    assert transposed_number("5.56 万元", random.Random(1), Decimal("0.02")) == "5.65"
    assert transposed_number("1.1", random.Random(1), Decimal("0.02")) is None  # no two different digits
    assert transposed_number("10 万元", random.Random(1), Decimal("0.02")) is None  # 01 is not a number
    assert changed_number("1,234.5", 0.1, Decimal(1)) == "1,358.0"
    assert changed_number("0.33", -0.1, Decimal(1)) == "1.33"  # would go negative: changed upwards


def test_unreadable_corpus_documents_are_skipped(tmp_path):
    """A PDF the ingest cannot read (today: every PDF) is reported as skipped, not fatal."""
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4 not really")
    sources, skipped = load_sources(corpus=tmp_path)
    assert [s.name for s in sources] == sorted(p.name for p in EXAMPLES.glob("*.txt"))
    assert len(skipped) == 1 and skipped[0].startswith("a.pdf: ")
