"""summary.xlsx and checklist.xlsx as a reviewer opens and prints them: Chinese headers, numbers
with their formats, links to the HTML report and to the PDF page, frozen and filtered headers,
rows as high as their text, landscape A4 with the header on every page. One small batch: 邯郸
as a PDF, 安泽 as text, a document named like a formula, and an empty file."""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import gouji
from gouji.report.batch_tables import FORMULA_STARTS
from tests.conftest import EXAMPLES
from tests.formats import write_pdf

ANZE = "2022_安泽县医疗保障局_部门预算"
SMALL = "# 某某局2022年部门预算\n\n2022年支出预算110万元，较2021年预算100万元减少10万元，主要原因为增加了办公设备购置经费。\n"
HANDAN_MESSAGE = "增减方向错误：5873.35 − 2696.69 = +3176.66，应为增加，文字却写“减少3176.66万元”。"
SUMMARY_HEADERS = [
    "文件", "单位", "年度", "问题编号", "发现编号", "级别", "检查代码", "检查名称", "问题说明", "原文", "页码", "行号",
    "应为", "实为", "公布数（万元）", "核算数（万元）", "差额（万元）", "文件路径",
]  # fmt: skip
FORM_HEADERS = ["序号", "单位", "年度", "检查项目", "是否合格", "问题描述", "依据", "网址/截图", "检查人", "备注"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("layout")
    docs = root / "docs"
    docs.mkdir()
    write_pdf((EXAMPLES / "2022_邯郸市医疗保障局_部门预算.txt").read_text(encoding="utf-8"), docs / "handan.pdf")
    shutil.copy(EXAMPLES / f"{ANZE}.txt", docs)
    (docs / "-1-1.txt").write_text(SMALL, encoding="utf-8")
    (docs / "empty.txt").write_bytes(b"")
    res = gouji.review(docs, jobs=1, out=root / "out")
    return res, root / "out", docs


def width(ws, letter: str) -> float:
    """The width set, in characters (XlsxWriter stores it with Excel's padding of 0.71); openpyxl
    keeps one dimension for neighbouring columns alike."""
    col = ord(letter) - ord("A") + 1
    (dim,) = [d for d in ws.column_dimensions.values() if d.min <= col <= d.max]
    return round(dim.width - 0.7109375, 2)


def assert_printed_for_reviewers(ws, title: str, last_row: int, last_col: str) -> None:
    assert ws.freeze_panes == "A2"
    ps = ws.page_setup
    assert (ps.orientation, ps.paperSize, ps.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == ("landscape", 9, 0, True)
    assert ws.print_title_rows == "$1:$1"
    assert ws.print_options.horizontalCentered
    assert (ws.page_margins.left, ws.page_margins.right, ws.page_margins.top, ws.page_margins.bottom) == (0.4, 0.4, 0.6, 0.6)
    assert (ws.oddHeader.center.text, ws.oddHeader.center.font, ws.oddHeader.center.size) == (title, "-,Bold", 12)
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert ws.max_row == last_row and ws.max_column == ord(last_col) - ord("A") + 1


def assert_no_formula(path: Path) -> None:
    """No formula anywhere; every text a spreadsheet would run is stored with Excel's quote prefix."""
    with zipfile.ZipFile(path) as z:
        assert not any(re.search(rb"<f[ >]", z.read(n)) for n in z.namelist() if n.startswith("xl/worksheets/"))
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS):
                    assert c.data_type == "s" and c.quotePrefix, (ws.title, c.coordinate)


def test_summary_xlsx(batch):
    _, out, docs = batch
    wb = load_workbook(out / "summary.xlsx")
    assert wb.sheetnames == ["检查发现"]
    ws = wb["检查发现"]
    assert [c.value for c in ws[1]] == SUMMARY_HEADERS
    assert ws.auto_filter.ref == "A1:R18"
    assert_printed_for_reviewers(ws, "部门预决算公开检查发现明细", 18, "R")
    assert ws.print_area == "'检查发现'!$A$1:$Q$18"  # the path column is left off paper
    assert ws.print_options.gridLines
    assert [width(ws, c) for c in "ABCDEFGHIJKLMNOPQR"] == [20, 14, 6, 6, 6, 6, 18, 12, 46, 18, 5, 6, 13, 13, 11, 11, 10, 36]
    head = ws["O1"]
    assert head.font.b and head.alignment.wrap_text and head.border.bottom.style == "thin"
    assert ws.row_dimensions[1].height == 30  # “公布数（万元）” wraps in its 11 wide column

    # 邯郸 (PDF): its two findings are one problem; their place in the report and in the PDF are links
    pdf = (docs / "handan.pdf").as_uri()
    assert [c.value for c in ws[17]] == [
        "handan", "邯郸市医疗保障局", 2022, "P1", "F1", "错误", "narrative.direction", "增减方向错误", HANDAN_MESSAGE,
        "减少3176.66万元", 10, 298, "增加3176.66万元", "减少3176.66万元", -3176.66, 3176.66, 6353.32, str(docs / "handan.pdf"),
    ]  # fmt: skip
    assert [c.value for c in ws[18]][3:17] == [
        "P1", "F2", "错误", "narrative.reason_direction", "增减原因方向相反", ws["I18"].value, "增加了", 10, 298, "增加", "减少", None, 3176.66, None,
    ]  # fmt: skip
    links = {c.coordinate: (c.hyperlink.target, c.hyperlink.location) for row in ws.iter_rows(min_row=17) for c in row if c.hyperlink}
    assert links == {
        "A17": ("reports/handan.html", None), "E17": ("reports/handan.html#F1", None), "J17": (f"{pdf}#page=10", None),
        "A18": ("reports/handan.html", None), "E18": ("reports/handan.html#F2", None), "J18": (f"{pdf}#page=10", None),
    }  # fmt: skip
    assert ws["E17"].font.u == "single" and ws["E17"].font.color.rgb.endswith("0563C1")
    assert [ws[f"{c}17"].number_format for c in "CKLOPQ"] == ["0", "0", "0", "0.00", "0.00", "0.00"]
    assert all(ws[f"{c}17"].data_type == "n" for c in "CKLOPQ")
    assert ws["F17"].fill.fgColor.rgb.endswith("FFEBEE") and ws["F2"].fill.fgColor.rgb.endswith("FFF4CC")  # 错误, 警告
    assert ws["I17"].alignment.wrap_text and ws["I17"].alignment.vertical == "top"
    # rows as high as their longest wrapped text: 15 points a line
    assert [ws.row_dimensions[r].height for r in range(2, 19)] == [30, 45, 30, 60, 90, 90, 75, 90, 90, 75, 90, 90, 45, 45, 60, 30, 60]

    # a text document: no PDF link; a name like a formula is text, quoted, and still a link
    assert (ws["A2"].value, ws["A2"].data_type, ws["A2"].quotePrefix, ws["A2"].hyperlink.target) == ("-1-1", "s", True, "reports/-1-1.html")
    assert ws["J2"].hyperlink is None and ws["K2"].value is None and ws["L2"].value == 1
    assert [ws[f"{c}4"].value for c in "OPQ"] == [-10, 10, 20]  # 减少10万元: stated −10, computed 10, 差 20
    # 安泽: findings by problem; a span in bold and a table row cleaned
    assert [ws[f"D{r}"].value for r in range(6, 17)] == ["P1", "P1", "P2", "P3", "P4", "P5", "P6", "P6", "P7", "P8", "P9"]
    assert (ws["J6"].value, ws["J14"].value) == ("280.84", "项目 政府性基金收入预算 科目编码 科目名称")
    assert (ws["M9"].value, ws["P9"].value, ws["Q9"].value, ws["P9"].number_format) == ("232.2276", 232.2276, -0.0024, "0.00")
    assert_no_formula(out / "summary.xlsx")


def test_checklist_xlsx(batch):
    _, out, docs = batch
    wb = load_workbook(out / "checklist.xlsx")
    assert wb.sheetnames == ["检查表", "汇总"]
    ws = wb["检查表"]
    assert [c.value for c in ws[1]] == FORM_HEADERS
    assert ws.auto_filter.ref == "A1:J45"
    assert_printed_for_reviewers(ws, "部门预决算公开检查表", 45, "J")
    assert not ws.print_area and not ws.print_options.gridLines  # all of it, with borders instead
    assert [width(ws, c) for c in "ABCDEFGHIJ"] == [5, 16, 6, 24, 8, 42, 22, 22, 8, 10]
    assert sum(width(ws, c) for c in "ABCDEFGHIJ") == 163  # about 94 % on one A4 landscape page

    pdf = (docs / "handan.pdf").as_uri()
    row = [c.value for c in ws[39]]
    assert row == [38, "邯郸市医疗保障局", 2022, "五、增减方向与金额计算一致", "不合格", HANDAN_MESSAGE.rstrip("。"), "F1 第10页", "reports/handan.html#F1", None, None]
    assert (ws["H39"].hyperlink.target, ws["G39"].hyperlink.target) == ("reports/handan.html#F1", f"{pdf}#page=10")
    assert ws["E39"].fill.fgColor.rgb.endswith("FFEBEE") and ws["E39"].alignment.horizontal == "center"
    assert ws["F39"].alignment.wrap_text and ws["A39"].number_format == "0" and ws["C39"].number_format == "0"
    for c in "ABCDEFGHIJ":  # a form: every cell framed, the blank ones for the reviewer too
        assert ws[f"{c}39"].border.left.style == ws[f"{c}39"].border.bottom.style == "thin"
    # a pass: the report without a finding to point at, the PDF without a page
    assert [c.value for c in ws[35]][4:8] == ["合格", None, "已核对（document.missing_table、document.empty_table），未发现问题", "reports/handan.html"]
    assert (ws["H35"].hyperlink.target, ws["G35"].hyperlink.target) == ("reports/handan.html", pdf)
    # 安泽's three problems, numbered
    assert ws["F13"].value == "；".join(
        f"（{i}）T{i + 6}“{t}”为空表，目录、表注和文字说明均未说明理由"
        for i, t in enumerate(("安泽县医疗保障局2022年政府性基金预算收入表", "安泽县医疗保障局2022年政府性基金预算支出表", "2022年一般公共预算“三公”经费支出情况统计表"), 1)
    )
    assert ws["G13"].value == "（1）F1 第175行；（2）F2 第182行；（3）F3 第192行" and ws["G13"].hyperlink is None
    # a document that could not be reviewed: named by its file, linked
    empty = docs / "empty.txt"
    assert [c.value for c in ws[24]][:5] == [23, None, None, "一、目录所列报表齐全", "无法判断"]
    assert (ws["H24"].value, ws["H24"].hyperlink.target) == (str(empty), empty.as_uri())
    assert [ws.row_dimensions[r].height for r in (1, 2, 13, 35, 39)] == [30, 30, 105, 60, 30]
    assert ws.row_dimensions[24].height >= 45  # the temporary folder's path is in it

    ws = wb["汇总"]
    assert [c.value for c in ws[1]] == ["检查项目", "合格", "不合格", "无法判断", "合计", "合格率", "不合格问题数"]
    assert ws.auto_filter.ref == "A1:G12"  # the 合计 row stays under the filter
    assert_printed_for_reviewers(ws, "部门预决算公开检查表汇总", 13, "G")
    assert [[c.value for c in r] for r in ws.iter_rows(min_row=2)] == [
        ["一、目录所列报表齐全", 1, 1, 2, 4, 0.25, 3],
        ["二、收支总表、收入总表、支出总表总额一致", 2, 0, 2, 4, 0.5, 0],
        ["三、报表内各级科目、合计行与合计列加总正确", 2, 0, 2, 4, 0.5, 0],
        ["四、文字说明金额与报表一致", 1, 0, 3, 4, 0.25, 0],
        ["五、增减方向与金额计算一致", 0, 2, 2, 4, 0, 2],
        ["六、百分比与占比计算正确", 2, 0, 2, 4, 0.5, 0],
        ["七、金额单位正确", 1, 0, 3, 4, 0.25, 0],
        ["八、“三公”经费分项及增减原因已说明", 1, 0, 3, 4, 0.25, 0],
        ["九、机关运行经费已说明", 1, 1, 2, 4, 0.25, 1],
        ["十、政府采购总额等于货物、工程、服务之和", 1, 0, 3, 4, 0.25, 0],
        ["十一、绩效目标覆盖金额不超过项目支出", 1, 0, 3, 4, 0.25, 0],
        ["合计", 13, 4, 27, 44, pytest.approx(13 / 44), 6],
    ]
    assert [ws[f"{c}2"].number_format for c in "BCDEFG"] == ["0", "0", "0", "0", "0.0%", "0"]
    assert ws["A13"].font.b and ws["F13"].font.b and ws["F13"].number_format == "0.0%"
    assert_no_formula(out / "checklist.xlsx")


def test_csv_links_and_numbers(batch):
    _, out, docs = batch
    pdf = (docs / "handan.pdf").as_uri()
    with open(out / "summary.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    handan = [r for r in rows if r["文件"] == "handan"]
    assert [(r["页码"], r["行号"], r["报告链接"], r["原文页面"]) for r in handan] == [
        ("10", "298", "reports/handan.html#F1", f"{pdf}#page=10"),
        ("10", "298", "reports/handan.html#F2", f"{pdf}#page=10"),
    ]
    assert [(r["公布数（万元）"], r["核算数（万元）"], r["差额（万元）"]) for r in handan] == [("-3176.66", "3176.66", "6353.32"), ("", "3176.66", "")]
    assert next(r for r in rows if r["文件"] == "'-1-1")["原文页面"] == ""  # a text source has no page
    with open(out / "checklist.csv", encoding="utf-8-sig", newline="") as fh:
        form = {(r["文件"], r["编号"]): r for r in csv.DictReader(fh)}
    r = form["handan", "五"]
    assert (r["网址/截图"], r["原文页面"], r["问题数"], r["检查人"], r["备注"]) == ("reports/handan.html#F1", f"{pdf}#page=10", "1", "", "")
    assert (form["empty", "一"]["网址/截图"], form["empty", "一"]["原文页面"]) == (str(docs / "empty.txt"), "")


def test_frames_of_the_batch(batch):
    res, _, docs = batch
    docs_frame = res.documents.set_index("document")
    assert list(docs_frame.index) == ["-1-1", ANZE, "empty", "handan"]
    assert docs_frame["year"].tolist() == [2022, 2022, pd.NA, 2022] and str(docs_frame["year"].dtype) == "Int64"
    assert docs_frame["problems"].tolist() == [3, 9, 0, 1] and docs_frame["reused"].tolist() == [False] * 4
    handan = res.findings[res.findings["document"] == "handan"]
    assert handan["page"].tolist() == [10, 10] and str(handan["page"].dtype) == "Int64"
    assert handan["page_link"].tolist() == [f"{(docs / 'handan.pdf').as_uri()}#page=10"] * 2
    assert res.findings["page"].isna().sum() == 15  # the text documents have lines, not pages
    row = res.checklist[(res.checklist["document"] == "handan") & (res.checklist["code"] == "五")].iloc[0]
    assert (row["url"], row["verdict"], row["problems"]) == ("reports/handan.html#F1", "不合格", 1)
