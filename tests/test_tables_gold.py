"""The table gold (``tests/data/tables_gold/``): well-formed transcriptions, and the scorer.

The gold files are printed tables transcribed by hand from page images; the benchmark
(``python -m benchmarks.tables_gold``) scores gouji's tables against them. Here: every file is
well-formed, the set covers what it must (two-sided tables, tables over a page break, tables
in 元, every city), the scorer counts what it says, and, where the corpus is present, the
tables as built get every cell and row right.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from benchmarks.precision.corpus import CORPUS
from benchmarks.tables_gold.__main__ import GOLD, best_match, load_gold
from benchmarks.tables_gold.score import norm, score

from gouji.ingest.text import parse_text
from gouji.tables.build import build_tables

GOLDS = load_gold(GOLD)


def test_every_gold_file_is_well_formed():
    assert len(GOLDS) == 40
    for path, g in GOLDS:
        assert set(g) >= {"file", "sha256", "pages", "title", "unit", "layout", "continued", "columns", "rows"}, path.name
        assert re.fullmatch(r"[0-9a-f]{64}", g["sha256"]), path.name
        assert g["pages"] == sorted(g["pages"]) and all(isinstance(p, int) and p > 0 for p in g["pages"]), path.name
        assert g["continued"] == (len(g["pages"]) > 1), path.name
        assert g["layout"] in ("plain", "two_sided", "two_panel") and g["unit"] in ("万元", "元", None), path.name
        assert all(isinstance(p, list) and p and all(isinstance(x, str) and x for x in p) for p in g["columns"]), path.name
        assert all(len(r) == len(g["columns"]) and all(isinstance(c, str) for c in r) for r in g["rows"]), path.name


def test_the_gold_covers_what_it_must():
    files = {g["sha256"] for _, g in GOLDS}
    layouts = Counter(g["layout"] for _, g in GOLDS)
    assert len(files) == 32  # distinct PDFs (byte-identical copies count once)
    assert max(Counter(g["sha256"] for _, g in GOLDS).values()) <= 2
    assert layouts["two_sided"] == 15 and sum(g["continued"] for _, g in GOLDS) == 16
    assert sum(g["unit"] == "元" for _, g in GOLDS) == 7
    assert len({g["file"].split("_")[0] for _, g in GOLDS}) == 17


def _built(text: str):
    (table,) = build_tables(parse_text(text, "t.txt"))
    return table


GOLD_TABLE = {
    "title": "收支总表",
    "unit": "万元",
    "columns": [["收入", "项目"], ["收入", "预算数"], ["支出", "项目"], ["支出", "预算数"]],
    "rows": [
        ["一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "80.00"],
        ["", "", "", ""],  # a ruled blank line: not scored
        ["二、事业收入", "", "二、教育支出", "20.00"],
        ["收入总计", "100.00", "支出总计", "100.00"],
    ],
}
HEADER = "## 收支总表\n单位：万元\n收入\t\t支出\t\n项目\t预算数\t项目\t预算数\n"


def test_a_table_read_right_scores_every_cell():
    t = _built(HEADER + "一、一般公共预算拨款收入\t100.00\t一、一般公共服务支出\t80.00\n二、事业收入\t\t二、教育支出\t20.00\n收入总计\t100.00\t支出总计\t100.00\n")
    s = score(GOLD_TABLE, t)
    assert (s.cells, s.cells_right, s.filled, s.filled_right) == (12, 12, 11, 11)
    assert (s.rows_expected, s.rows_found, s.rows_extra, s.rows_blank) == (3, 3, 0, 1)
    assert (s.columns, s.paths_right, s.title_right, s.unit_right, s.perfect) == (4, 4, True, True, True)


def test_a_figure_on_the_wrong_side_and_a_lost_row_are_counted():
    # 80.00 read on the income side of row 1, and the 二、 row lost
    t = _built(HEADER + "一、一般公共预算拨款收入\t80.00\t一、一般公共服务支出\t100.00\n收入总计\t100.00\t支出总计\t100.00\n")
    s = score(GOLD_TABLE, t)
    assert (s.rows_found, s.rows_missed) == (2, [1])
    assert (s.cells, s.cells_right) == (12, 6)
    assert sorted(s.wrong) == [(0, 1, "100.00", "80.00"), (0, 3, "80.00", "100.00")]
    assert not s.perfect


def test_cells_compare_without_white_space_and_in_nfkc():
    assert norm("合　计") == "合计" and norm("（一）") == "(一)" and norm(None) == ""


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here (../shared/corpus/pdf)")
def test_the_tables_as_built_get_the_gold_right():
    from gouji.ingest import read_document

    by_file: dict[str, list] = {}
    cells = right = rows = found = 0
    for _, g in GOLDS:
        if g["file"] not in by_file:
            by_file[g["file"]] = build_tables(read_document(CORPUS / g["file"]))
        _, s = best_match(g, by_file[g["file"]])
        assert s is not None, g["file"]
        cells, right, rows, found = cells + s.cells, right + s.cells_right, rows + s.rows_expected, found + s.rows_found
    assert (right, cells, found, rows) == (4595, 4595, 784, 784)
