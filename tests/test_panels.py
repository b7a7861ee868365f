"""Tables printed as two panels side by side (the 决算 template's 一般公共预算财政拨款基本支出决算表)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gouji.ingest.pdf import _read_page, pages_to_export
from gouji.tables.build import build_tables
from gouji.tables.panels import panel_starts, panel_views
from tests.pages import load_page

FILLED = Path(__file__).parent / "data" / "final_accounts" / "基本支出决算表_两栏.txt"


def _template_table():
    page, number = load_page("决算模板_基本支出决算表_p11")
    doc = pages_to_export([_read_page(page, number)]).to_document("决算模板.pdf", "pdf", page_count=1)
    (table,) = build_tables(doc)
    return table


def test_the_templates_two_panels_are_found_from_the_header():
    t = _template_table()
    assert t.title == "一般公共预算财政拨款基本支出决算表"
    assert [c.label for c in t.columns] == ["经济分类科目编码", "科目名称", "决算数"] * 2
    assert panel_starts(t) == [0, 3]


def test_each_panel_has_its_own_codes_and_foot():
    left, right = panel_views(_template_table())
    left_codes = [r.code for r in left.rows if r.code]
    right_codes = [r.code for r in right.rows if r.code]
    assert len(left_codes) == 27 and {c[:3] for c in left_codes} == {"301", "303"}
    assert len(right_codes) == 38 and {c[:3] for c in right_codes} == {"302", "310"}
    assert (left.rows[-1].name, left.rows[-1].is_total) == ("人员经费合计", True)
    assert (right.rows[-1].name, right.rows[-1].is_total) == ("公用经费合计", True)


def test_a_table_of_one_panel_is_its_own_view():
    table = _template_table()
    one = panel_views(table)[0]
    assert panel_starts(one) == []
    assert panel_views(one) == [one]


def _findings() -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "gouji", "check", str(FILLED), "--format", "json", "--min-severity", "info"],
        capture_output=True, text=True, check=False,
    )
    return json.loads(out.stdout)["findings"]


def test_sums_never_cross_panels():
    findings = _findings()
    sums = {(f["check"], e["code"]) for f in findings for e in f["evidence"] if e["role"] == "total" and f["check"].startswith("table.")}
    assert sums == {("table.hierarchy_sum", "301"), ("table.hierarchy_sum", "302"), ("table.total_row", None)}
    (right,) = [f for f in findings if f["check"] == "table.hierarchy_sum" and "[302]" in f["message"]]
    parts = [(e["code"], e["value"]) for e in right["evidence"] if e["role"] == "part"]
    assert parts == [("30201", "25.00"), ("30202", "16.00"), ("30211", "20.00")]
    assert (right["expected"], right["actual"]) == ("61.00", "60.00")
    (foot,) = [f for f in findings if f["check"] == "table.total_row"]
    assert [e["code"] for e in foot["evidence"] if e["role"] == "part"] == ["302", "310"]


def test_a_claim_by_code_reads_its_own_panels_figure():
    findings = _findings()
    # "商品和服务支出（302）决算数为60.00万元" agrees with 302's own cell, not the 301 row's 300.00
    assert not [f for f in findings if f["check"] == "narrative.amount_vs_table"]
