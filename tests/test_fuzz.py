"""Fuzzing: no document, however hostile, makes gouji crash or hang.

Whatever a file holds, reading it, reviewing it and rendering every report either works or
raises a ``GoujiError`` (one line for the user). Anything else is a crash; an example taking
more than ``HANG_SECONDS`` of wall-clock time is a hang. The documents come from the grammar
of ``tests/fuzz_strategies.py`` (headings, claim sentences, tab-separated 科目 tables; numbers
of every shape; control, bidi, zero-width characters and lone surrogates), through the text
reader (a ``str``), as file bytes in many encodings, and written as DOCX, XLSX and PDF.

``GOUJI_FUZZ_SCALE=10`` runs ten times the examples (the default, about 470, takes well under
a minute on two cores); ``GOUJI_FUZZ_SURROGATES=0`` leaves lone surrogates out (to look past a
crash they cause); ``python -m benchmarks.fuzz`` runs long campaigns without shrinking.

The regression tests below are crashes fuzzing found, and hostile containers (zip bombs, huge
column spans, far-away cells): they must be refused with a ``GoujiError`` or read normally,
quickly and in little memory (measured in a subprocess).
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gouji.errors import GoujiError
from gouji.ingest import read_document
from tests.fuzz_strategies import (
    Hang,
    document_bytes,
    documents,
    office_documents,
    render,
    run_bytes,
    run_path,
    run_text,
    wall_clock_limit,
)

ROOT = Path(__file__).resolve().parent.parent
HANG_SECONDS = 10
SCALE = float(os.environ.get("GOUJI_FUZZ_SCALE", "1"))


def fuzz_settings(examples: int):
    return settings(
        max_examples=max(1, round(examples * SCALE)),
        deadline=None,  # the hang guard below is per example and on wall-clock time
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


def guarded(fn, *args):
    """``fn(*args)`` under the wall-clock limit: a hang fails (and shrinks) like a crash."""
    try:
        with wall_clock_limit(HANG_SECONDS):
            return fn(*args)
    except Hang as e:
        raise AssertionError(f"hang: {e}") from None


# --- property tests --------------------------------------------------------------------------


@fuzz_settings(300)
@given(documents())
def test_text_never_crashes(text):
    guarded(run_text, text)


@fuzz_settings(80)
@given(document_bytes())
def test_text_file_bytes_never_crash(data):
    guarded(run_bytes, data, ".txt")


@fuzz_settings(30)
@given(st.binary(max_size=4000), st.sampled_from([".txt", ".csv", ".md", ".docx", ".xlsx", ".pdf"]))
def test_random_bytes_never_crash(data, suffix):
    guarded(run_bytes, data, suffix)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@fuzz_settings(15)
@given(text=office_documents())
def test_office_documents_never_crash(tmp_path_factory, kind, text):
    folder = tmp_path_factory.mktemp(kind)
    guarded(run_path, render(kind, text, folder))


@fuzz_settings(6)
@given(text=office_documents())
def test_pdf_documents_never_crash(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("pdf")
    guarded(run_path, render("pdf", text, folder))


# (where, what, bytes): overwrite, cut the rest, cut 1-64 bytes, insert
EDITS = st.lists(st.tuples(st.floats(0, 1), st.integers(0, 3), st.binary(min_size=1, max_size=8)), min_size=1, max_size=6)


def apply_edits(data: bytes, edits) -> bytes:
    b = bytearray(data)
    for where, op, chunk in edits:
        pos = min(len(b) - 1, int(where * len(b))) if b else 0
        if op == 0:
            b[pos : pos + len(chunk)] = chunk
        elif op == 1:
            del b[pos:]
        elif op == 2:
            del b[pos : pos + 1 + chunk[0] % 64]
        else:
            b[pos:pos] = chunk
    return bytes(b)


@fuzz_settings(20)
@given(kind=st.sampled_from(["docx", "xlsx"]), text=office_documents(), edits=EDITS)
def test_damaged_containers_never_crash(tmp_path_factory, kind, text, edits):
    folder = tmp_path_factory.mktemp("damaged")
    data = render(kind, text, folder).read_bytes()
    guarded(run_bytes, apply_edits(data, edits), f".{kind}")


# --- regressions: crashes found by fuzzing -----------------------------------------------------

TEXT_REGRESSIONS = {
    # Decimal overflow formatting the delta's interval (alignment/intervals.py _fmt)
    "interval_fmt_overflow": "5元较9元少99999999999999999999999999万，",
    # Decimal overflow formatting the comparison (alignment/checks.py fmt)
    "checks_fmt_overflow": "9元比999999999999999999999999999万，增长9%",
    # Decimal overflow formatting a column sum (alignment/sums.py _fmt)
    "sums_fmt_overflow": "\t\t\t合计\t人\n\t\t\t999999999999999999999999999\t5\n",
    # int('²') testing for a 栏次 row (tables/build.py _is_ordinal_row): '²'.isdigit() is True
    "ordinal_superscript": "2\t3\t²\n",
    # Decimal overflow formatting a computed percentage of 10^20 % (alignment/checks.py fmt, from
    # narrative.percentage): found by benchmarks.fuzz, seed 2024
    "percent_fmt_overflow": "99999亿元较0.0000001元增加9%",
    # lone surrogates given to parse_text as a str (a PDF's broken ToUnicode map can give them):
    # findings.py fingerprint encodes the quote to UTF-8; orjson refuses them in report dumps
    "surrogate_fingerprint": "\udc80",
    "surrogate_json": "-\n\t\ud83d",
}
NON_FINITE = re.compile(r"Infinity|NaN|\d[eE][+-]?\d")


def _expected(name: str, report: dict | None) -> None:
    """What a sensible reading of each reproducer gives (beyond not crashing)."""
    if name.startswith("surrogate"):
        return  # not crashing is all (refused, or read with the surrogate replaced or dropped)
    assert report is not None, "a plain document was refused"
    figures = json.dumps([f["message"] for f in report["findings"]], ensure_ascii=False)
    assert not NON_FINITE.search(figures), figures  # no figure in exponent notation or infinite
    claims = report["claims"]
    cells = [c for t in report["tables"] for c in t["columns"] + [x for r in t["rows"] for x in r["cells"]]]
    if name == "interval_fmt_overflow":
        assert any(c["unit"] == "元" and c["amount_as_written"] == "5元" for c in claims), claims
    elif name == "checks_fmt_overflow":
        assert any(c["amount_as_written"] == "9元" and (c["comparison"] or {}).get("percent") == "9" for c in claims), claims
    elif name == "sums_fmt_overflow":
        assert "999999999999999999999999999" in cells and "5" in cells, report["tables"]
    elif name == "ordinal_superscript":
        assert {"2", "3", "²"} <= set(cells), report["tables"]
    elif name == "percent_fmt_overflow":
        assert any(c["amount_as_written"] == "99999亿元" for c in claims), claims


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8", "surrogatepass"))  # lone surrogates as their 3 bytes
    return path


@pytest.mark.parametrize("name", TEXT_REGRESSIONS)
def test_text_regression(tmp_path, name):
    text = TEXT_REGRESSIONS[name]
    _expected(name, guarded(run_text, text))
    _expected(name, guarded(run_path, _write(tmp_path / f"{name}.txt", text)))


@pytest.mark.parametrize("name", TEXT_REGRESSIONS)
def test_text_regression_cli(tmp_path, name):
    path = _write(tmp_path / f"{name}.txt", TEXT_REGRESSIONS[name])
    p = subprocess.run(
        [sys.executable, "-m", "gouji", "check", str(path)], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert p.returncode in {0, 1, 2}, p.stderr
    assert "Traceback" not in p.stderr, p.stderr


# --- regressions: hostile containers, measured in a subprocess ----------------------------------

# Reads the file, reviews it and renders the reports; prints the outcome, wall time and peak RSS
# (resource.getrusage, or the kernel's VmHWM of this process where there is one).
PROBE = r"""
import json, resource, sys, time
from gouji.errors import GoujiError
from gouji.ingest import read_document
from tests.fuzz_strategies import run_document
out = {}
t = time.monotonic()
try:
    run_document(read_document(sys.argv[1]))
    out["result"] = "ok"
except GoujiError as e:
    out["result"], out["message"] = e.code, e.one_line()
except MemoryError:
    out["result"] = "MemoryError"
out["seconds"] = time.monotonic() - t
out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:  # this process's own high-water mark (ru_maxrss may keep the parent's from before exec)
    with open("/proc/self/status") as f:
        out["peak_mib"] = next(int(x.split()[1]) for x in f if x.startswith("VmHWM:")) / 1024
except (OSError, StopIteration):
    pass
print(json.dumps(out))
"""
ADDRESS_SPACE = 3 << 30  # a runaway allocation is a MemoryError here, not the machine's OOM killer


def probe(path: Path, timeout: float = 30) -> dict:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    try:
        p = subprocess.run(
            [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, timeout=timeout, cwd=ROOT,
            preexec_fn=limit,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"hang: {path.name} still being read after {timeout:g}s")
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr[-3000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def rewrite_zip(src: Path, dst: Path, member: str, edit) -> Path:
    """Copy a zip, passing ``member``'s text through ``edit``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == member:
                data = edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)
    return dst


def small_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("2022年支出预算100万元。")
    t = d.add_table(rows=2, cols=3)
    for r, row in enumerate([["项目", "合计", "基本支出"], ["支出合计", "100", "100"]]):
        for c, value in enumerate(row):
            t.cell(r, c).text = value
    d.save(str(path))
    return path


def small_xlsx(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [["项目", "合计"], ["支出合计", 100]]:
        ws.append(row)
    wb.save(str(path))
    return path


def _grid_span(value: str):
    return lambda xml: xml.replace("<w:tcW ", f'<w:gridSpan w:val="{value}"/><w:tcW ', 1)


def _grid_before(value: str):
    return lambda xml: re.sub(r"<w:tr( [^>]*)?>", lambda m: m.group(0) + f'<w:trPr><w:gridBefore w:val="{value}"/></w:trPr>', xml, count=1)


DOCX_EDITS = {
    "gridSpan=2000000000": _grid_span("2000000000"),
    "gridSpan=abc": _grid_span("abc"),
    "gridSpan=-5": _grid_span("-5"),
    "gridSpan=0": _grid_span("0"),
    "gridBefore=2000000000": _grid_before("2000000000"),
    "gridBefore=abc": _grid_before("abc"),
}


@pytest.mark.parametrize("edit", DOCX_EDITS)
def test_docx_hostile_grid(tmp_path, edit):
    path = rewrite_zip(small_docx(tmp_path / "base.docx"), tmp_path / "hostile.docx", "word/document.xml", DOCX_EDITS[edit])
    assert edit.split("=")[1] in zipfile.ZipFile(path).read("word/document.xml").decode()
    out = probe(path)
    assert out["result"] == "ok" or out["result"].startswith("G"), out
    assert out["peak_mib"] < 500, out


def _bomb(path: Path, base: Path, member: str, head: bytes, unit: bytes, tail: bytes, size: int) -> Path:
    """``base`` with ``member`` replaced by ``size`` bytes of repeated ``unit``: written by
    streaming, so neither this process nor the file on disk ever holds the inflated bytes."""
    chunk = unit * max(1, (1 << 20) // len(unit))
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            if info.filename != member:
                zout.writestr(info, zin.read(info.filename))
        with zout.open(member, "w", force_zip64=True) as f:
            f.write(head)
            for _ in range(size // len(chunk)):
                f.write(chunk)
            f.write(tail)
    return path


BOMB_BYTES = 1 << 30

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
S_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bombs")
    docx = _bomb(
        root / "bomb.docx", small_docx(root / "base.docx"), "word/document.xml",
        f"<?xml version='1.0' encoding='UTF-8'?><w:document {W_NS}><w:body>".encode(),
        "<w:p><w:r><w:t>收入合计100万元</w:t></w:r></w:p>".encode(), b"</w:body></w:document>", BOMB_BYTES,
    )  # fmt: skip
    xlsx = _bomb(
        root / "bomb.xlsx", small_xlsx(root / "base.xlsx"), "xl/worksheets/sheet1.xml",
        f"<?xml version='1.0' encoding='UTF-8'?><worksheet {S_NS}><sheetData>".encode(),
        b'<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>', b"</sheetData></worksheet>", BOMB_BYTES,
    )  # fmt: skip
    return {"docx": docx, "xlsx": xlsx}


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_zip_bomb_refused_before_inflating(bombs, kind):
    path = bombs[kind]
    with zipfile.ZipFile(path) as z:
        assert sum(i.file_size for i in z.infolist()) >= BOMB_BYTES
    assert path.stat().st_size < 20 << 20  # small on disk
    out = probe(path)
    assert out["result"] == "G007", out
    assert out["seconds"] < 10, out
    assert out["peak_mib"] < 500, out


def test_xlsx_far_cell_is_not_padded_out(tmp_path):
    """One cell at XFD1048576 (and the dimension to match) in a file of a few KB: the read-only
    reader pads every row to 16,384 columns and fills 1,048,576 rows. It must be refused or read
    in bounded time and memory, not inflate to billions of empty cells."""

    def far(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
        return xml.replace(
            "</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        )

    path = rewrite_zip(small_xlsx(tmp_path / "base.xlsx"), tmp_path / "far.xlsx", "xl/worksheets/sheet1.xml", far)
    assert path.stat().st_size < 20_000
    out = probe(path, timeout=15)
    assert out["result"] == "ok" or out["result"].startswith("G"), out
    assert out["seconds"] < 10 and out["peak_mib"] < 500, out


def test_guard_catches_a_hang():
    import time

    def spin():
        t = time.monotonic()
        while time.monotonic() - t < 5:
            pass

    with pytest.raises(Hang), wall_clock_limit(0.2):
        spin()


def test_refusals_are_not_crashes():
    """The runners turn a ``GoujiError`` (here: an empty file) into None."""
    assert run_bytes(b"", ".txt") is None
    with pytest.raises(GoujiError):
        read_document(ROOT / "does-not-exist.txt")
