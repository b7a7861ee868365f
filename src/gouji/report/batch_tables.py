"""Tabular batch outputs: summary (one row per finding), documents, reasons, checklist; CSV and XLSX.

Rows are dicts keyed by English column names, the names of the pandas API (``gouji.review``);
the CSV and XLSX files show them under Chinese headers (``HEADERS``, the one mapping) and some
values in Chinese (``VALUE_LABELS``). A missing value is ``""``; numbers stay numbers.

Writers return bytes (the caller writes them atomically). Parquet mirrors a CSV with typed columns;
a workbook's sheet past ``XLSX_MAX_ROWS`` rows goes on in further sheets. CSV is UTF-8 with a BOM so that Excel
opens the Chinese text correctly. No text cell can run as a formula (OWASP "CSV injection"): in a
CSV a text cell starting with ``= + - @``, tab or carriage return gets a leading ``'``; in an XLSX
it is a string cell with Excel's quote prefix, so it shows its text unchanged. Hyperlinks are
cell links (never ``HYPERLINK`` formulas).
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import field, replace
from functools import cache
from pathlib import Path

from gouji.data import load_yaml
from gouji.records import dataclass
from gouji.report.checklist import FAIL, PASS, UNKNOWN, checklist_items

# English column name -> the Chinese header of the CSV and XLSX files (data/columns.yaml; the
# JSON report and the pandas API keep the English names). One name means one thing in every table.
HEADERS: dict[str, str] = dict(load_yaml("columns.yaml")["headers"])

FINDING_COLUMNS = [
    "document", "unit", "year", "problem", "finding", "severity", "severity_label", "check", "check_name",
    "message", "span", "page", "line", "expected", "actual", "stated_amount", "computed_amount",
    "difference_amount", "report_link", "page_link", "source",
]  # fmt: skip
SUMMARY_CSV_COLUMNS = [c for c in FINDING_COLUMNS if c != "severity"]
# in summary.xlsx the links are on the cells: 文件 opens the HTML report, 发现编号 the finding in
# it, 原文 the PDF page
SUMMARY_XLSX_COLUMNS = [c for c in SUMMARY_CSV_COLUMNS if c not in ("report_link", "page_link")]
DOCUMENT_COLUMNS = [
    "document", "status", "unit", "year", "kind", "problems", "errors", "warnings", "infos", "findings",
    "tables", "claims", "pages", "seconds", "error", "duplicate_of", "html", "json", "reused", "source",
]  # fmt: skip
REASON_COLUMNS = [
    "document", "unit", "year", "claim", "subject", "change", "reason", "direction", "category",
    "category_by", "line", "source",
]  # fmt: skip
CHECKLIST_COLUMNS = [
    "n", "document", "unit", "year", "code", "item", "item_id", "verdict", "problems", "description",
    "basis", "url", "page_link", "source",
]  # fmt: skip
CHECKLIST_CSV_COLUMNS = [*(c for c in CHECKLIST_COLUMNS if c != "source"), "inspector", "note"]
# the inspection form (检查表) of checklist.xlsx
CHECKLIST_SHEET_COLUMNS = ["n", "unit", "year", "label", "verdict", "description", "basis", "url", "inspector", "note"]
TOTALS_COLUMNS = ["label", PASS, FAIL, UNKNOWN, "total", "pass_rate", "failed_problems"]

# column kinds: the pandas dtypes (gouji.batch) and the XLSX number formats follow them
INTEGER_COLUMNS = frozenset(
    {"n", "page", "pages", "line", "problems", "errors", "warnings", "infos", "findings", "tables", "claims", PASS, FAIL, UNKNOWN, "total", "failed_problems"}
)
NULLABLE_INTEGER_COLUMNS = frozenset({"year", "page", "pages", "line"})  # "" when unknown: Int64 in pandas
AMOUNT_COLUMNS = frozenset({"stated_amount", "computed_amount", "difference_amount"})  # 万元
NUMBER_FORMATS = {**dict.fromkeys(AMOUNT_COLUMNS, "0.00"), **dict.fromkeys(INTEGER_COLUMNS | {"year"}, "0"), "pass_rate": "0.0%", "seconds": "0.00"}

XLSX_MAX_TEXT = 32767
XLSX_MAX_ROWS = 1_048_576  # rows of a worksheet, its header included; past them a sheet goes on in another
XLSX_MAX_LINKS = 65530  # per worksheet; beyond it a cell is written without its link
XLSX_MAX_URL = 2079
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0
STATUS_FILL = {PASS: "E8F5E9", FAIL: "FFEBEE", UNKNOWN: "FFF4CC"}
SEVERITY_FILL = {"error": "FFEBEE", "warning": "FFF4CC", "info": "ECEFF1"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what Excel and LibreOffice read as a formula
LINK_COLOUR = "#0563C1"
LINE_POINTS = 15.0  # height of a line of 11-point text (Excel's default row)
MAX_ROW_POINTS = 409.0  # Excel's highest row
A4 = 9  # Excel's paper code

_TAG_RE = re.compile(r"</?(?:b|strong|i|em|u|br)\s*/?>", re.IGNORECASE)
_SPACE_RE = re.compile(r"\s+")


@cache
def _fills() -> dict[str, str]:
    from gouji.labels import severity_label

    return {**STATUS_FILL, **SEVERITY_FILL, **{severity_label(s): c for s, c in SEVERITY_FILL.items()}}


@cache
def value_labels() -> dict[str, dict]:
    """Per column, the Chinese a value is shown as in the CSV and XLSX files."""
    words = load_yaml("cues.yaml")["direction_words"]  # increase: 增加, decrease: 减少, flat: 持平
    return {**load_yaml("columns.yaml")["values"], "change": words, "direction": words}


def header(column: str) -> str:
    return HEADERS.get(column, column)


def shown(column: str, value: object) -> object:
    """``value`` as the CSV and XLSX files show it in ``column``."""
    labels = value_labels().get(column)
    if labels is None or isinstance(value, float):
        return value
    try:
        return labels.get(value, value)
    except TypeError:  # unhashable
        return value


def clean_text(text: object) -> str:
    """One line of text: no tabs, newlines or ``<b>`` marks, runs of spaces made one."""
    if not isinstance(text, str):
        return "" if text is None else str(text)
    return _SPACE_RE.sub(" ", _TAG_RE.sub("", text)).strip()


def _amount(unit: str, value: object) -> float | str:
    """A figure of a finding's arithmetic as a number of 万元 ("" when it is a percentage or none)."""
    if unit != "万元" or value in ("", None):
        return ""
    try:
        return float(value)
    except (TypeError, ValueError):
        return ""


def _report(r: dict, fmt: str, reports: str = "reports") -> str:
    """The relative path of a record's report of ``fmt`` ("" when not written)."""
    out = r.get("outputs") or {}
    return f"{reports}/{out[fmt]}" if fmt in out else ""


def pdf_link(r: dict, page: object = "") -> str:
    """``file:///abs/path.pdf#page=N`` of a PDF record (its file without a page); "" for other sources."""
    if r.get("format") != "pdf" or not r.get("source"):
        return ""
    uri = _file_uri(r["source"])
    return f"{uri}#page={page}" if uri and page not in ("", None) else uri


def _file_uri(path: str) -> str:
    try:
        return Path(path).absolute().as_uri()
    except ValueError:  # not a path a URI can name
        return ""


def finding_rows(records: list[dict]) -> list[dict]:
    """One row per finding of every document, with its problem, the check's name, its place and
    links, and the figures of its arithmetic in 万元. A document's findings come by problem (in
    document order), the problem's lead first."""
    from gouji.alignment.registry import catalogue
    from gouji.labels import severity_label

    cat = catalogue()
    rows = []
    for r in records:
        html = _report(r, "html")
        problem_of = {fid: p["id"] for p in r.get("problems") or [] for fid in p["findings"]}
        order = {fid: i for i, fid in enumerate(problem_of)}
        for f in sorted(r["findings"], key=lambda f: order.get(f["finding"], len(order))):
            unit = f.get("figure_unit", "")
            rows.append(
                {
                    "document": f["document"],
                    "unit": f["unit"],
                    "year": f["year"],
                    "problem": f.get("problem") or problem_of.get(f["finding"], ""),
                    "finding": f["finding"],
                    "severity": f["severity"],
                    "severity_label": severity_label(f["severity"]),
                    "check": f["check"],
                    "check_name": cat[f["check"]].name if f["check"] in cat else "",
                    "message": clean_text(f["message"]),
                    "span": clean_text(f["span"]),
                    "page": f["page"],
                    "line": f["line"],
                    "expected": clean_text(f["expected"]),
                    "actual": clean_text(f["actual"]),
                    "stated_amount": _amount(unit, f.get("stated_value")),
                    "computed_amount": _amount(unit, f.get("computed_value")),
                    "difference_amount": _amount(unit, f.get("difference_value")),
                    "report_link": f"{html}#{f['finding']}" if html else "",
                    "page_link": pdf_link(r, f["page"]) if f["page"] != "" else "",
                    "source": f["source"],
                }
            )
    return rows


def document_rows(records: list[dict], reports: str = "reports") -> list[dict]:
    rows = []
    for r in records:
        c = r["counts"]
        rows.append(
            {
                "document": r["document"],
                "status": r["status"],
                "unit": r["unit"],
                "year": r["year"],
                "kind": r["kind"],
                "problems": _problem_count(r),
                "errors": c["error"],
                "warnings": c["warning"],
                "infos": c["info"],
                "findings": len(r["findings"]),
                "tables": r["tables"],
                "claims": r["claims"],
                "pages": r.get("pages", ""),  # records of older versions have none
                "seconds": r["seconds"],
                "error": r["error"],
                "duplicate_of": r.get("duplicate_of", ""),
                "html": _report(r, "html", reports),
                "json": _report(r, "json", reports),
                "reused": bool(r.get("reused")),
                "source": r["source"],
            }
        )
    return rows


def _problem_count(r: dict) -> int:
    """A record's problems; one per finding for a record made before problems were grouped."""
    problems = r.get("problems")
    return len(problems) if isinstance(problems, list) else len(r["findings"])


def reason_rows(records: list[dict]) -> list[dict]:
    """One row per stated reason of every document (records of older versions have none)."""
    return [{**x, "reason": clean_text(x["reason"]), "subject": clean_text(x["subject"])} for r in records for x in r.get("reasons", [])]


def category_totals(records: list[dict]) -> list[dict]:
    """Per reason category (the issue's seven, then any a reviewer added): reasons and documents."""
    from gouji.narrative.reason_kinds import CATEGORIES, categories

    rows = reason_rows(records)
    order = [*CATEGORIES, *(c for c in categories() if c not in CATEGORIES)]
    return [
        {
            "category": cat,
            "reasons": sum(1 for x in rows if x["category"] == cat),
            "documents": len({x["source"] for x in rows if x["category"] == cat}),
        }
        for cat in order
    ]


def checklist_rows(records: list[dict]) -> list[dict]:
    """The inspection form: one row per document × checklist item; its counts are problems."""
    items = {it.id: it for it in checklist_items()}
    rows = []
    n = 0
    for r in records:
        html = _report(r, "html")
        for c in r["checklist"]:
            n += 1
            it = items.get(c["id"])
            code = c.get("code") or (it.code if it else "")
            finding = c.get("finding", "")
            page_link = pdf_link(r, c.get("page", ""))
            place = f"{html}#{finding}" if html and finding else html
            rows.append(
                {
                    "n": n,
                    "document": r["document"],
                    "unit": r["unit"],
                    "year": r["year"],
                    "code": code,
                    "item": c["item"],
                    "label": it.label if it else c["item"],
                    "item_id": c["id"],
                    "verdict": c["status"],
                    "problems": c.get("problems", 0),
                    "description": clean_text(c["problem"]),
                    "basis": clean_text(c["basis"]),
                    # the finding's place in the HTML report; without a report, the source file
                    "url": place or r["source"],
                    "url_target": place or page_link or _file_uri(r["source"]),
                    "page_link": page_link,
                    "inspector": "",
                    "note": "",
                    "source": r["source"],
                }
            )
    return rows


def checklist_totals(records: list[dict]) -> list[dict]:
    """Per checklist item: documents 合格, 不合格, 无法判断, in all (合计), 合格率 (合格 of 合计)
    and the problems of the 不合格 rows. ``检查项目`` and the three statuses are what index.html shows."""
    out = []
    for it in checklist_items():
        rows = [c for r in records for c in r["checklist"] if c["id"] == it.id]
        statuses = [c["status"] for c in rows]
        total = len(statuses)
        out.append(
            {
                "item_id": it.id,
                "code": it.code,
                "item": it.item,
                "label": it.label,
                "检查项目": it.item,
                **{s: statuses.count(s) for s in (PASS, FAIL, UNKNOWN)},
                "total": total,
                "pass_rate": statuses.count(PASS) / total if total else "",
                "failed_problems": sum(c.get("problems", 0) for c in rows if c["status"] == FAIL),
            }
        )
    return out


def _grand_total(totals: list[dict]) -> dict:
    """The 合计 row under the 汇总 sheet: every item of every document."""
    sums = {k: sum(t[k] for t in totals) for k in (PASS, FAIL, UNKNOWN, "total", "failed_problems")}
    return {"label": "合计", **sums, "pass_rate": sums[PASS] / sums["total"] if sums["total"] else ""}


# ---------------------------------------------------------------------------------------- CSV


def to_csv(rows: Iterable[dict], columns: list[str]) -> bytes:
    """CSV of ``rows``: Chinese headers, shown values, formula-like text quoted."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([header(c) for c in columns])
    for row in rows:
        w.writerow([safe_csv_cell(shown(c, row.get(c, ""))) for c in columns])
    return buf.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------------------------------- Parquet


def to_parquet(rows: Iterable[dict], columns: list[str]) -> bytes:
    """Parquet of ``rows``: the rows and headers of ``to_csv`` with typed columns.

    Counts, 年度, 页码 and 行号 are int64, amounts and 用时 float64, 沿用上次结果 bool, the rest
    text as the CSV shows it (Chinese values, but never the CSV's leading ``'``: no spreadsheet
    runs a Parquet cell); a missing number is null. Each field's metadata keeps its English name.
    """
    import pyarrow as pa
    import pyarrow.json as pa_json
    import pyarrow.parquet as pq
    from orjson import dumps

    kinds = {c: _arrow_type(c) for c in columns}
    types = {c: pa.bool_() if k == "bool" else pa.string() if k == "string" else getattr(pa, k)() for c, k in kinds.items()}
    schema = pa.schema([pa.field(header(c), types[c], metadata={"column": c}) for c in columns])
    # the rows go to Arrow as JSON lines read against the schema: ``pyarrow.array`` of Python lists
    # would import pandas (half a second, 60 MB) to ask whether a list is one of its arrays
    lines = bytearray()
    for row in rows:
        values = {}
        for c in columns:
            v = row.get(c, "")
            kind = kinds[c]
            if kind == "bool":
                values[c] = bool(v)
            elif kind in ("int64", "float64"):
                values[c] = None if v in ("", None) else int(v) if kind == "int64" else float(v)
            else:
                values[c] = _text(shown(c, v))
        lines += dumps(values)
        lines += b"\n"
    if lines:
        by_name = pa.schema([pa.field(c, types[c]) for c in columns])  # the JSON keys: English names, unique
        options = pa_json.ParseOptions(explicit_schema=by_name, unexpected_field_behavior="error", newlines_in_values=False)
        read = pa_json.read_json(pa.BufferReader(bytes(lines)), read_options=pa_json.ReadOptions(use_threads=False), parse_options=options)
        table = pa.Table.from_arrays(read.columns, schema=schema)
    else:
        table = schema.empty_table()
    buf = pa.BufferOutputStream()
    pq.write_table(table, buf)
    return buf.getvalue().to_pybytes()


def _arrow_type(column: str) -> str:
    if column in INTEGER_COLUMNS or column == "year":
        return "int64"
    if column in AMOUNT_COLUMNS or column == "seconds":
        return "float64"
    return "bool" if column == "reused" else "string"


def _text(value: object) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)


def is_formula_like(value: object) -> bool:
    """Whether ``value`` is text a spreadsheet would take for a formula (numbers never are)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_csv_cell(value: object) -> object:
    """``value`` as a CSV cell that cannot run: formula-like text gets a leading ``'`` (OWASP)."""
    return "'" + value if is_formula_like(value) else value


# ---------------------------------------------------------------------------------------- XLSX


@dataclass
class Sheet:
    """One worksheet: its rows under ``columns`` and how it looks on screen and on paper."""

    title: str
    rows: list[dict]
    columns: list[str]
    colour_by: str | None = None  # the column whose cells are filled by their value (_fills)
    widths: dict[str, float] = field(default_factory=dict)  # in characters; 14 unless given
    wrap: frozenset[str] | None = None  # wrapped columns; None: those 40 or more wide
    links: dict[str, str] = field(default_factory=dict)  # column -> the row's key holding its cell's link
    centre: frozenset[str] = frozenset()
    borders: bool = False  # a form's thin borders around every cell
    print_title: str = ""  # printed at the top of every page
    totals: dict | None = None  # a last row, in bold
    print_columns: int | None = None  # print only the first N columns (None: all)


def to_xlsx(sheets: list[Sheet | tuple], widths: dict[str, float] | None = None, *, max_rows: int = XLSX_MAX_ROWS) -> bytes:
    """An XLSX workbook of ``sheets`` (a ``Sheet``, or (title, rows, columns, colour_by) with ``widths``).

    A sheet of more rows than a worksheet holds (``max_rows``, header and totals row included)
    goes on in sheets titled ``<title> 2``, ``<title> 3``… (``split_sheet``).

    Written with XlsxWriter, three times faster than openpyxl's write-only mode; text is
    always written as text (no number, formula or link guessing). Every sheet has a frozen,
    filtered header, rows as high as their wrapped text, and prints on landscape A4, one page
    wide, the header repeated on every page.
    """
    import xlsxwriter

    buf = io.BytesIO()
    options = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    wb = xlsxwriter.Workbook(buf, options)
    formats = _Formats(wb)
    for spec in sheets:
        sheet = spec if isinstance(spec, Sheet) else Sheet(*spec, widths=dict(widths or {}))
        for part in split_sheet(sheet, max_rows):
            _write_sheet(wb.add_worksheet(part.title), part, formats)
    wb.close()
    return buf.getvalue()


def split_sheet(sheet: Sheet, max_rows: int = XLSX_MAX_ROWS) -> list[Sheet]:
    """``sheet`` as worksheets of at most ``max_rows`` rows each, its header on every one and
    its totals row on the last."""
    room = max_rows - 1  # the header
    if len(sheet.rows) + (sheet.totals is not None) <= room:
        return [sheet]
    if room < 2:
        raise ValueError(f"a worksheet of {max_rows} rows holds no rows beside its header and totals")
    chunks = [sheet.rows[i : i + room] for i in range(0, len(sheet.rows), room)]
    if sheet.totals is not None and len(chunks[-1]) == room:
        chunks.append([])  # the totals row needs a line of its own
    parts = []
    for k, chunk in enumerate(chunks, start=1):
        last = k == len(chunks)
        parts.append(replace(sheet, title=sheet.title if k == 1 else f"{sheet.title} {k}", rows=chunk, totals=sheet.totals if last else None))
    return parts


def _write_sheet(ws, sheet: Sheet, formats: _Formats) -> None:
    columns = sheet.columns
    width = [float(sheet.widths.get(c, 14)) for c in columns]
    wrap = [(c in sheet.wrap) if sheet.wrap is not None else w >= 40 for c, w in zip(columns, width, strict=True)]
    base = [
        {
            **({"text_wrap": True} if wrap[i] else {}),
            **({"num_format": NUMBER_FORMATS[c]} if c in NUMBER_FORMATS else {}),
            **({"align": "center"} if c in sheet.centre else {}),
            **({"border": 1} if sheet.borders else {}),
            "valign": "top",
        }
        for i, c in enumerate(columns)
    ]
    for i in range(len(columns)):
        ws.set_column(i, i, width[i], formats.get({k: v for k, v in base[i].items() if k != "border"}))
    head = {"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "bg_color": "#F2F2F2", "border": 1}
    titles = [header(c) for c in columns]
    for i, t in enumerate(titles):
        ws.write_string(0, i, t, formats.get(head))
    ws.set_row(0, _row_height(titles, width, [True] * len(columns)))
    ws.freeze_panes(1, 0)
    if sheet.rows:
        ws.autofilter(0, 0, len(sheet.rows), len(columns) - 1)
    links = 0
    rows = list(sheet.rows)
    for r, row in enumerate(rows, start=1):
        values = [_cell_value(shown(c, row.get(c))) for c in columns]
        for i, c in enumerate(columns):
            value = values[i]
            props = dict(base[i])
            fill = _fills().get(value) if c == sheet.colour_by and isinstance(value, str) else None
            if fill:
                props["bg_color"] = f"#{fill}"
            if is_formula_like(value):  # Excel's leading-apostrophe flag: stays text when edited, shown without the '
                props["quote_prefix"] = True
            target = row.get(sheet.links[c], "") if c in sheet.links else ""
            if target and isinstance(value, str) and value and links < XLSX_MAX_LINKS and len(target) <= XLSX_MAX_URL:
                links += 1
                props.update(font_color=LINK_COLOUR, underline=1)
                ws.write_url(r, i, _link(target, value), formats.get(props))
            elif value is None or value == "":
                ws.write_blank(r, i, None, formats.get(props))
            elif isinstance(value, str):
                ws.write_string(r, i, value, formats.get(props))
            else:
                ws.write(r, i, value, formats.get(props))
        ws.set_row(r, _row_height(values, width, wrap))
    if sheet.totals is not None:
        r = len(rows) + 1
        for i, c in enumerate(columns):
            value = _cell_value(sheet.totals.get(c))
            fmt = formats.get({**base[i], "bold": True})
            if value is None or value == "":
                ws.write_blank(r, i, None, fmt)
            else:
                ws.write(r, i, value, fmt)
    _print_setup(ws, sheet, len(rows) + (sheet.totals is not None))


def _print_setup(ws, sheet: Sheet, rows: int) -> None:
    """Landscape A4, one page wide, the header row on every page, page numbers in the footer."""
    ws.set_landscape()
    ws.set_paper(A4)
    ws.repeat_rows(0)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.center_horizontally()
    if sheet.print_title:
        ws.set_header(f'&C&"-,Bold"&12{sheet.print_title.replace("&", "&&")}')
    ws.set_footer("&C第 &P 页，共 &N 页")
    if sheet.print_columns is not None:
        ws.print_area(0, 0, max(rows, 1), sheet.print_columns - 1)
    if not sheet.borders:
        ws.hide_gridlines(0)  # printed, so that a long list stays readable on paper


def _link(target: str, text: str):
    """A hyperlink written as given: relative (``reports/x.html#F3``) or a URL with its fragment
    (``file:///…/x.pdf#page=5``). XlsxWriter's own ``file://`` parsing would make a POSIX path
    relative and move the fragment out of the link."""
    url = _link_class()(target)
    url.text = text
    return url


@cache
def _link_class():
    from xlsxwriter.url import Url, UrlTypes

    class Link(Url):
        def _parse_url(self) -> None:
            self._link_type = UrlTypes.URL
            self._relationship_link = self._link

    return Link


class _Formats:
    """The workbook's formats, one per set of properties, made on first use."""

    def __init__(self, wb) -> None:
        self.wb = wb
        self.made: dict[tuple, object] = {}

    def get(self, props: dict):
        if not props:
            return None
        key = tuple(sorted(props.items()))
        if key not in self.made:
            self.made[key] = self.wb.add_format(props)
        return self.made[key]


def _cell_value(value: object) -> object:
    """A value Excel accepts: no control characters, at most 32767 characters of text; no NaN."""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value if len(value) <= XLSX_MAX_TEXT else value[: XLSX_MAX_TEXT - 1] + "…"


def text_width(text: str) -> int:
    """Width of ``text`` in Excel's column units: a Chinese (wide) character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(value: object, width: float) -> int:
    """Lines ``value`` takes wrapped in a column ``width`` characters wide."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    usable = max(width - 1.5, 1.0)  # the cell's padding
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in text.split("\n"))


def _row_height(values: list, width: list[float], wrap: list[bool]) -> float:
    """Points a row needs to show its wrapped cells whole (at most Excel's 409)."""
    lines = max([1, *(_lines(v, w) for v, w, x in zip(values, width, wrap, strict=True) if x and v not in (None, ""))])
    return min(lines * LINE_POINTS, MAX_ROW_POINTS)


# ---------------------------------------------------------------------------------------- the two workbooks


def summary_xlsx(records: list[dict], max_rows: int = XLSX_MAX_ROWS) -> bytes:
    """The findings (sheet 检查发现), in several sheets past ``max_rows`` rows a sheet."""
    rows = finding_rows(records)
    html = {r["document"]: _report(r, "html") for r in records}
    for row in rows:
        row["html"] = html.get(row["document"], "")
    widths = {
        "document": 20, "unit": 14, "year": 6, "problem": 6, "finding": 6, "severity_label": 6, "check": 18,
        "check_name": 12, "message": 46, "span": 18, "page": 5, "line": 6, "expected": 13, "actual": 13,
        "stated_amount": 11, "computed_amount": 11, "difference_amount": 10, "source": 36,
    }  # fmt: skip
    sheet = Sheet(
        "检查发现",
        rows,
        SUMMARY_XLSX_COLUMNS,
        colour_by="severity_label",
        widths=widths,
        wrap=frozenset({"document", "unit", "check", "check_name", "message", "span", "expected", "actual", "source"}),
        links={"document": "html", "finding": "report_link", "span": "page_link"},
        centre=frozenset({"year", "problem", "finding", "severity_label", "page", "line"}),
        print_title="部门预决算公开检查发现明细",
        print_columns=len(SUMMARY_XLSX_COLUMNS) - 1,  # the path is left off paper
    )
    return to_xlsx([sheet], max_rows=max_rows)


def checklist_xlsx(records: list[dict], max_rows: int = XLSX_MAX_ROWS) -> bytes:
    """The inspection form (检查表, in several sheets past ``max_rows`` rows) and its 汇总 sheet."""
    widths = {"n": 5, "unit": 16, "year": 6, "label": 24, "verdict": 8, "description": 42, "basis": 22, "url": 22, "inspector": 8, "note": 10}
    form = Sheet(
        "检查表",
        checklist_rows(records),
        CHECKLIST_SHEET_COLUMNS,
        colour_by="verdict",
        widths=widths,
        wrap=frozenset({"unit", "label", "description", "basis", "url", "note"}),
        links={"url": "url_target", "basis": "page_link"},
        centre=frozenset({"n", "year", "verdict", "inspector"}),
        borders=True,
        print_title="部门预决算公开检查表",
    )
    totals = checklist_totals(records)
    summary = Sheet(
        "汇总",
        totals,
        TOTALS_COLUMNS,
        widths={"label": 40, PASS: 8, FAIL: 8, UNKNOWN: 9, "total": 8, "pass_rate": 9, "failed_problems": 10},
        wrap=frozenset({"label"}),
        centre=frozenset({PASS, FAIL, UNKNOWN, "total", "pass_rate", "failed_problems"}),
        borders=True,
        print_title="部门预决算公开检查表汇总",
        totals=_grand_total(totals),
    )
    return to_xlsx([form, summary], max_rows=max_rows)
