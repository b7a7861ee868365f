"""Declared limits (gouji/data/limits.yaml) and the inputs that once crashed or hung a review."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gouji.alignment.figures import Figure
from gouji.alignment.value_index import ValueIndex
from gouji.errors import InputTooLarge, UnreadableInput
from gouji.ingest import read_document
from gouji.ingest.text import parse_text
from gouji.limits import limits
from gouji.quantities.intervals import Interval
from gouji.quantities.numbers import parse_number
from gouji.tables.build import build_tables
from tests.conftest import review_text

MIB = 1 << 20


def test_limits_declared_in_the_data_file():
    lim = limits()
    assert (lim.timeout_seconds, lim.worker_memory_mib, lim.max_zip_uncompressed_mib, lim.max_zip_ratio) == (120, 4096, 256, 200)
    assert (lim.max_docx_grid_span, lim.max_paragraph_chars, lim.max_number_digits) == (256, 20000, 18)


# --- numbers of more digits than any budget figure ---------------------------------------


def test_number_digits_limit():
    assert parse_number("1" * 18).value == Decimal("1" * 18)
    assert parse_number("9" * 16 + ".99").value == Decimal("9" * 16 + ".99")
    assert parse_number("1" * 19) is None
    assert parse_number("9" * 17 + ".99") is None
    assert parse_number("0000" + "1" * 18) is not None  # leading zeros are no digits of the value


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("5元较9元少99999999999999999999999999万，", [("5元", "9元", None, None)]),
        ("9元比999999999999999999999999999万，增长9%", [("9元", None, None, "9%")]),
    ],
)
def test_amounts_past_the_digit_limit_are_not_read(text, read):
    r = review_text("# 某局2022年部门预算\n\n" + text + "\n")
    q = lambda x: x.text if x is not None else None  # noqa: E731
    got = [(q(c.amount), q(c.comparison.base), q(c.comparison.delta), q(c.comparison.percent)) for c in r.claims.claims]
    assert got == read
    assert not [f for f in r.findings if f.severity == "error"]


def test_amounts_at_the_digit_limit_are_checked_exactly():
    r = review_text("# 某局2022年部门预算\n\n支出9元，较上年999999999999999999万元增加1元，增长5%。\n")
    errors = [(f.check, f.message) for f in r.findings if f.severity == "error"]
    assert errors[0] == (
        "narrative.direction",
        "增减方向错误：0.00 − 999999999999999999.00 = -999999999999999999.00，应为减少，文字却写“增加1元”。",
    )
    assert [c for c, _ in errors] == ["narrative.direction", "narrative.delta", "narrative.percentage"]
    r = review_text("# 某局2022年部门预算\n\n收入999999999999999999亿元，占1%。\n")
    assert r.claims.claims[0].amount.value == Decimal("999999999999999999")


def test_huge_figure_in_a_table_row_is_no_amount():
    r = review_text("# 某局2022年部门预算\n\n收支总表\n\n\t\t\t合计\t人\n\t\t\t999999999999999999999999999\t5\n")
    assert [c.value for t in r.tables for row in t.rows for c in row.cells if c.value is not None] == [Decimal(5)]


def test_superscript_digits_are_not_column_numbers():
    r = review_text("# 某局2022年部门预算\n\n项目表\n\n项目\t金额\t占比\n2\t3\t²\n")
    assert [[c.text for c in row.cells] for t in r.tables for row in t.rows] == [["2", "3", "²"]]


# --- .docx tables whose spans are damaged -------------------------------------------------


def _docx(tmp_path: Path, name: str, edit) -> Path:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "合计", "5"
    plain = tmp_path / "plain.docx"
    d.save(plain)
    out = tmp_path / name
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)
    return out


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda x: x.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="2000000000"/>', 1), "a cell spans 2,000,000,000 columns (at most 256)"),
        (lambda x: x.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="abc"/>', 1), "a cell's column span is not a number"),
        (lambda x: x.replace("<w:tr>", '<w:tr><w:trPr><w:gridBefore w:val="2000000000"/></w:trPr>', 1), "a cell spans 2,000,000,000 columns"),
    ],
)
def test_docx_damaged_spans_are_refused(tmp_path, edit, message):
    path = _docx(tmp_path, "damaged.docx", edit)
    with pytest.raises(UnreadableInput) as e:
        read_document(path)
    assert e.value.code == "G002"
    assert message in e.value.one_line()
    assert str(path) in e.value.one_line()


def test_docx_span_within_the_limit_is_read(tmp_path):
    path = _docx(tmp_path, "wide.docx", lambda x: x.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="3"/>', 1))
    doc = read_document(path)
    rows = [r.cells for b in doc.blocks if b.kind == "table" for r in b.rows]
    assert rows[0][:4] == ["合计", "", "", "5"]


# --- zip bombs ------------------------------------------------------------------------------


def _bomb(path: Path, member: str, mib: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open(member, "w", force_zip64=True) as fh:
            chunk = b" " * MIB
            for _ in range(mib):
                fh.write(chunk)
    return path


@pytest.mark.parametrize(("suffix", "member"), [(".docx", "word/document.xml"), (".xlsx", "xl/worksheets/sheet1.xml")])
def test_zip_bomb_refused_before_inflating(tmp_path, suffix, member):
    path = _bomb(tmp_path / f"bomb{suffix}", member, 300)
    assert path.stat().st_size < 2 * MIB
    with pytest.raises(InputTooLarge) as e:
        read_document(path)
    assert e.value.code == "G007"
    assert f"{suffix} inflates to 300 MiB, over the limit of 256 MiB" in e.value.one_line()


def test_zip_member_ratio_refused(tmp_path):
    path = _bomb(tmp_path / "ratio.xlsx", "xl/worksheets/sheet1.xml", 64)  # under the total, 1000x compressed
    with pytest.raises(InputTooLarge) as e:
        read_document(path)
    assert "xl/worksheets/sheet1.xml inflates" in e.value.one_line() and "over the limit of 200" in e.value.one_line()


# --- prose past the paragraph limit --------------------------------------------------------


def test_long_paragraph_is_cut_with_a_warning():
    n = limits().max_paragraph_chars
    sentence = "一般公共预算支出100万元，较上年增加10万元。"
    para = sentence * (n // len(sentence) + 50)
    r = review_text("# 某局2022年部门预算\n\n" + para + "\n")
    cut = [f for f in r.findings if f.check == "document.text_cut"]
    assert len(cut) == 1 and cut[0].severity == "warning"
    left = len(para) - n
    assert cut[0].message == f"段落超过{n:,}字，其后{left:,}字未读取、未核对（上限见 limits.yaml 的 max_paragraph_chars）。"
    start = r.document.text.index(para) + n
    assert cut[0].span == (start, start + 80)
    assert max(c.span[1] for c in r.claims.claims) <= start


def test_paragraph_within_the_limit_is_not_cut():
    r = review_text("# 某局2022年部门预算\n\n" + "一般公共预算支出100万元。" * 100 + "\n")
    assert not [f for f in r.findings if f.check == "document.text_cut"]


# --- the indexes that keep a review linear agree with the passes they replace --------------


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["a", "bb", "", "\n", "表", "\t"]), max_size=30), st.data())
def test_line_of_agrees_with_counting(pieces, data):
    doc = parse_text("标题\n" + "".join(pieces) + "x", "x.txt", "utf-8")
    offset = data.draw(st.integers(0, len(doc.text)))
    assert doc.line_of(offset) == doc.text.count("\n", 0, offset) + 1


TABLES = (
    "# 某局2022年部门预算\n\n支出总表\n\n单位：万元\n\n"
    "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
    "\t合计\t100.00\t60.00\t40.00\n"
    "210\t卫生健康支出\t100.00\t60.00\t40.00\n"
    "2101501\t行政运行\t60.00\t60.00\t\n"
    "2101502\t一般行政管理事务\t40.00\t\t40.00\n\n"
    "收入总表\n\n单位：元\n\n项目\t金额\n合计\t600,000\n财政拨款\t400,000\n其他收入\t200,000\n"
)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 1_200_000), st.integers(0, 3))
def test_value_index_finds_what_a_pass_over_every_cell_finds(hundredths, decimals):
    tables = build_tables(parse_text(TABLES, "x.txt", "utf-8"))
    value = Decimal(hundredths).scaleb(-2)
    iv = Interval.rounded(value, decimals)
    every = []
    for t in tables:
        for row, cell in t.money_cells():
            col = t.column(cell.col)
            every.append(Figure(t, row, cell, "", col.label if col else ""))
    expected = [(id(f.cell)) for f in every if f.interval.overlaps(iv)]
    assert [id(f.cell) for f in ValueIndex(tables).overlapping(iv)] == expected


def test_rows_by_code_holds_each_coded_row_once():
    (t, _) = build_tables(parse_text(TABLES, "x.txt", "utf-8"))
    index = t.rows_by_code()
    assert {k: [r.name for r in v] for k, v in index.items()} == {
        "210": ["卫生健康支出"],
        "2101501": ["行政运行"],
        "2101502": ["一般行政管理事务"],
    }


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_unicode_text_with_a_byte_order_mark_is_read(tmp_path, encoding):
    """Windows Notepad's "Unicode" save (UTF-16 LE with a BOM) was refused as a binary file."""
    path = tmp_path / "u.txt"
    bom = {"utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    path.write_bytes(bom + "# 某局2022年部门预算\n\n支出100万元。\n".encode(encoding))
    doc = read_document(path)
    assert doc.text == "# 某局2022年部门预算\n\n支出100万元。\n"
    assert doc.meta.encoding in ("utf-16", "utf-32")


def test_zip_of_an_unknown_version_is_unreadable(tmp_path):
    """Found by benchmarks.fuzz (seed 1202, document 1754): zipfile raised NotImplementedError."""
    path = tmp_path / "v.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(path.read_bytes())
    at = data.index(b"PK\x01\x02")
    data[at + 6 : at + 8] = (255).to_bytes(2, "little")  # "version needed to extract": 25.5
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableInput) as e:
        read_document(path)
    assert e.value.one_line() == f"gouji: error G002: {path}: not a readable .xlsx (NotImplementedError) (re-save it as .xlsx)"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="12,，. a", max_size=24))
def test_malformed_number_pattern_finds_what_the_plain_one_finds(text):
    """The pattern in evidence.yaml is written to search long digit strings in linear time (a
    fuzzed 150 KB document spent seconds in it); it must find exactly what the plain one finds."""
    import regex

    from gouji.alignment.evidence import words
    from gouji.patterns import re_

    plain = regex.compile(r"\d[\d,，]*\.\d+\.\d+")
    assert bool(re_(words()["malformed_number"]).search(text)) == bool(plain.search(text))
