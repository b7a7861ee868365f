"""Every table of the examples found, typed, merged and parsed as recorded in golden/tables/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gouji.tables import frames
from tests.conftest import EXAMPLES, example_review

GOLDEN = Path(__file__).parent / "golden" / "tables"
NAMES = sorted(p.stem for p in GOLDEN.glob("*.json"))


def _summary(t) -> dict:
    total = t.total()
    return {
        "id": t.id,
        "kind": t.kind,
        "unit": t.unit,
        "title": t.title,
        "line": t.location.line,
        "segments": t.segments,
        "rows": len(t.rows),
        "columns": len(t.columns),
        "total": None if total is None else format(total, "f"),
    }


@pytest.mark.parametrize("name", NAMES)
def test_tables_match_golden(name):
    want = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    got = [_summary(t) for t in example_review(f"{name}.txt").tables]
    assert got == want


def test_every_example_has_a_golden_table_file():
    assert sorted(p.stem for p in EXAMPLES.glob("*.txt")) == NAMES


def test_document_tables_as_frames_with_locations():
    doc = example_review("2022_邯郸市医疗保障局_部门预算.txt").document
    frame = next(f for f in frames(doc) if f.attrs["kind"] == "支出总表")
    assert frame.attrs["unit"] == "万元" and frame.attrs["title"] == "部门预算支出总表"
    assert frame.attrs["lines"] == (134, 154)
    assert str(frame.loc[0, "合计"]) == "5873.35" and str(frame.loc[0, "项目支出"]) == "4628.00"
    loc = frame.attrs["locations"][(0, "合计")]
    assert doc.text[loc.start : loc.end] == "5873.35" and loc.line == 137


def test_page_continuations_are_merged():
    tables = {t.id: t for t in example_review("2022_榆林市横山区医疗保障局_部门预算.txt").tables}
    assert tables["T5"].segments == 2 and len(tables["T5"].rows) == 26
    assert tables["T7"].segments == 2 and len(tables["T7"].rows) == 22


def test_split_codes_and_column_paths():
    t = example_review("2023_平顶山市石龙区医疗保障局_部门预算.txt").tables[2]
    assert [r.code for r in t.rows[2:4]] == ["2080502", "2080505"]
    t = example_review("2022_青山区医疗保障局_部门预算.txt").tables[4]
    assert [c.label for c in t.columns[2:6]] == ["合计", "基本支出/小计", "基本支出/人员经费", "基本支出/公用经费"]


def test_toc_entries_read():
    from gouji.tables.toc import read_toc

    entries = read_toc(example_review("2022_榆林市横山区医疗保障局_部门预算.txt").tables)
    assert len(entries) == 16
    empty = [(e.number, e.reason) for e in entries if e.empty]
    assert empty == [("表9", "本单位无政府基金"), ("表11", "本单位无结余"), ("表12", "本单位无采购"), ("表13", "本单位无“三公”经费")]


def test_toc_written_as_lines():
    from gouji.tables.toc import read_toc

    r = example_review("2022_青山区医疗保障局_部门预算.txt")
    names = [e.name for e in read_toc(r.tables, r.document)]
    assert names[:3] == ["收支总表", "收入总表", "支出总表"] and len(names) == 14
    assert names[-1] == "项目支出绩效目标表"
