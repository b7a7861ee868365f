"""Reading text exports and understanding their tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gouji.errors import EmptyInput, UnreadableInput
from gouji.ingest import read_document
from gouji.ingest.document import Paragraph, RawTable
from gouji.tables.build import build_tables
from gouji.tables.codes import join_split_code, parent_code, parse_code
from tests.conftest import example_review

SAMPLE = "# 某某局2022年部门预算\n\n2022年预算收入100万元。\n\n单位：万元\n\n项目\t金额\n收入合计\t100.00\n"


@pytest.mark.parametrize("encoding,prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("gbk", b"")])
def test_encodings(tmp_path, encoding, prefix):
    p = tmp_path / "doc.txt"
    p.write_bytes(prefix + SAMPLE.encode(encoding))
    doc = read_document(p)
    assert doc.meta.unit_name == "某某局" and doc.meta.year == 2022
    para = next(b for b in doc.blocks if isinstance(b, Paragraph))
    assert doc.text[para.location.start : para.location.end] == "2022年预算收入100万元。"
    assert para.location.line == 3


def test_empty_and_binary(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    with pytest.raises(EmptyInput):
        read_document(tmp_path / "empty.txt")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary\x00" * 20)
    with pytest.raises(UnreadableInput):
        read_document(tmp_path / "bin.txt")


def test_raw_table_cells_keep_offsets(tmp_path):
    p = tmp_path / "doc.txt"
    p.write_text(SAMPLE, encoding="utf-8")
    doc = read_document(p)
    table = next(b for b in doc.blocks if isinstance(b, RawTable))
    row = table.rows[1]
    assert [doc.text[s : s + len(c)] for s, c in zip(row.cell_starts, row.cells, strict=True)] == ["收入合计", "100.00"]


def test_codes():
    assert parse_code("[2101501]行政运行") == ("2101501", "行政运行")
    assert parse_code("30101") == ("30101", "")
    assert parse_code("12") is None
    assert join_split_code(["210", "15", "01"]) == "2101501"
    assert parent_code("2101501") == "21015" and parent_code("21015") == "210" and parent_code("210") is None


def test_handan_tables_merged_across_pages():
    r = example_review("2022_邯郸市医疗保障局_部门预算.txt")
    t = next(t for t in r.tables if t.kind == "收入总表")
    assert t.segments == 2 and len(t.rows) == 18 and t.unit == "万元"
    row = next(x for x in t.rows if x.code == "21015")
    assert row.name == "医疗保障管理事务"  # its wrapped tail "事务" came on the next page
    assert [c.label for c in t.columns][:5] == ["序号", "功能分类科目/科目编码", "功能分类科目/科目名称", "合计", "本年收入/小计"]
    frame = t.to_frame()
    assert frame.loc[frame["code"] == "2101501", "合计"].item() == Decimal("903.22")


def test_bracketed_and_split_codes():
    anze = example_review("2022_安泽县医疗保障局_部门预算.txt")
    t = next(t for t in anze.tables if t.kind == "收入总表")
    assert [r.code for r in t.rows if r.code][:3] == ["208", "20805", "2080505"]
    shilong = example_review("2023_平顶山市石龙区医疗保障局_部门预算.txt")
    t = next(t for t in shilong.tables if t.kind == "支出总表")
    assert "2101501" in {r.code for r in t.rows}


def test_table_kinds_and_contents():
    r = example_review("2022_邯郸市医疗保障局_部门预算.txt")
    kinds = [t.kind for t in r.tables]
    for k in ("目录", "收支总表", "收入总表", "支出总表", "财政拨款收支总表", "一般公共预算支出表", "基本支出表", "三公经费表"):
        assert k in kinds
    toc = next(t for t in r.tables if t.kind == "目录")
    assert not list(toc.money_cells())


def test_build_tables_on_plain_document(tmp_path):
    p = tmp_path / "doc.txt"
    p.write_text(SAMPLE, encoding="utf-8")
    (t,) = build_tables(read_document(p))
    assert t.unit == "万元" and t.rows[0].is_total and t.rows[0].cells[1].value == Decimal("100.00")
