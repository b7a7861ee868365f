"""Tabular batch outputs: summary (one row per finding), documents, checklist; CSV and XLSX.

Writers return bytes (the caller writes them atomically). CSV is UTF-8 with a BOM so that Excel
opens the Chinese text correctly. No text cell can run as a formula (OWASP "CSV injection"): in a
CSV a text cell starting with ``= + - @``, tab or carriage return gets a leading ``'``; in an XLSX
it is a string cell with Excel's quote prefix, so it shows its text unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from gouji.report.checklist import CHECKLIST_COLUMNS, FAIL, PASS, UNKNOWN, checklist_items

FINDING_COLUMNS = [
    "document", "source", "unit", "year", "finding", "check", "severity", "message",
    "span", "page", "line", "expected", "actual",
]  # fmt: skip
DOCUMENT_COLUMNS = [
    "document", "source", "status", "unit", "year", "kind", "errors", "warnings", "infos",
    "findings", "tables", "claims", "seconds", "error", "json", "html", "reused",
]  # fmt: skip
REASON_COLUMNS = [
    "document", "source", "unit", "year", "claim", "subject", "change", "reason",
    "direction", "category", "category_by", "line",
]  # fmt: skip
XLSX_MAX_TEXT = 32767
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0
STATUS_FILL = {PASS: "E8F5E9", FAIL: "FFEBEE", UNKNOWN: "FFF4CC"}
SEVERITY_FILL = {"error": "FFEBEE", "warning": "FFF4CC", "info": "ECEFF1"}
FILLS = {**STATUS_FILL, **SEVERITY_FILL}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what Excel and LibreOffice read as a formula


def finding_rows(records: list[dict]) -> list[dict]:
    return [f for r in records for f in r["findings"]]


def document_rows(records: list[dict], reports: str = "reports") -> list[dict]:
    rows = []
    for r in records:
        c = r["counts"]
        out = r.get("outputs") or {}
        rows.append(
            {
                "document": r["document"],
                "source": r["source"],
                "status": r["status"],
                "unit": r["unit"],
                "year": r["year"],
                "kind": r["kind"],
                "errors": c["error"],
                "warnings": c["warning"],
                "infos": c["info"],
                "findings": len(r["findings"]),
                "tables": r["tables"],
                "claims": r["claims"],
                "seconds": r["seconds"],
                "error": r["error"],
                "json": f"{reports}/{out['json']}" if "json" in out else "",
                "html": f"{reports}/{out['html']}" if "html" in out else "",
                "reused": "yes" if r.get("reused") else "no",
            }
        )
    return rows


def reason_rows(records: list[dict]) -> list[dict]:
    """One row per stated reason of every document (records of older versions have none)."""
    return [x for r in records for x in r.get("reasons", [])]


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
    rows = []
    n = 0
    for r in records:
        for c in r["checklist"]:
            n += 1
            rows.append(
                {
                    "序号": n,
                    "文件": r["document"],
                    "单位": r["unit"],
                    "年度": r["year"],
                    "检查项目": c["item"],
                    "项目编号": c["id"],
                    "是否合格": c["status"],
                    "问题描述": c["problem"],
                    "依据": c["basis"],
                }
            )
    return rows


def to_csv(rows: Iterable[dict], columns: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n", extrasaction="ignore")
    w.writeheader()
    w.writerows({k: safe_csv_cell(v) for k, v in row.items()} for row in rows)
    return buf.getvalue().encode("utf-8-sig")


def is_formula_like(value: object) -> bool:
    """Whether ``value`` is text a spreadsheet would take for a formula (numbers never are)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_csv_cell(value: object) -> object:
    """``value`` as a CSV cell that cannot run: formula-like text gets a leading ``'`` (OWASP)."""
    return "'" + value if is_formula_like(value) else value


def to_xlsx(sheets: list[tuple[str, list[dict], list[str], str | None]], widths: dict[str, int] | None = None) -> bytes:
    """An XLSX workbook: per sheet (title, rows, columns, column to colour by value or None).

    Written with XlsxWriter, three times faster than openpyxl's write-only mode; text is
    always written as text (no number, formula or link guessing).
    """
    import xlsxwriter

    widths = widths or {}
    buf = io.BytesIO()
    options = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    wb = xlsxwriter.Workbook(buf, options)
    bold = wb.add_format({"bold": True})
    formats = _Formats(wb)
    for title, rows, columns, colour_by in sheets:
        ws = wb.add_worksheet(title)
        wrapped = [widths.get(col, 14) >= 40 for col in columns]
        for i, col in enumerate(columns):
            ws.set_column(i, i, widths.get(col, 14), formats.column(wrapped[i]))
        ws.freeze_panes(1, 0)
        if rows:
            ws.autofilter(0, 0, len(rows), len(columns) - 1)
        for i, col in enumerate(columns):
            ws.write_string(0, i, col, bold)
        colour_col = columns.index(colour_by) if colour_by else None
        for r, row in enumerate(rows, start=1):
            for i, col in enumerate(columns):
                value = _cell_value(row.get(col))
                fmt = formats.cell(wrapped[i], value, row.get(colour_by) if i == colour_col else None)
                if value is None or value == "":
                    if fmt is not None:
                        ws.write_blank(r, i, None, fmt)
                elif isinstance(value, str):
                    ws.write_string(r, i, value, fmt)
                else:
                    ws.write(r, i, value, fmt)
    wb.close()
    return buf.getvalue()


class _Formats:
    """The workbook's formats, one per (wrapped column, fill colour, quote prefix), made on first use."""

    def __init__(self, wb) -> None:
        self.wb = wb
        self.made: dict[tuple[bool, str | None, bool], object] = {}

    def column(self, wrap: bool):
        return self._get(wrap, None, False)

    def cell(self, wrap: bool, value: object, fill: object = None):
        """None when the column's format will do: a cell's own format replaces it, so it repeats the wrapping."""
        colour = FILLS.get(fill) if isinstance(fill, str) else None
        quote = is_formula_like(value)
        return self._get(wrap, colour, quote) if colour or quote else None

    def _get(self, wrap: bool, colour: str | None, quote: bool):
        if not (wrap or colour or quote):
            return None
        key = (wrap, colour, quote)
        if key not in self.made:
            props: dict[str, object] = {"text_wrap": True, "valign": "top"} if wrap else {}
            if colour:
                props["bg_color"] = f"#{colour}"
            if quote:  # Excel's leading-apostrophe flag: stays text when edited, shown without the '
                props["quote_prefix"] = True
            self.made[key] = self.wb.add_format(props)
        return self.made[key]


def _cell_value(value: object) -> object:
    """A value Excel accepts: no control characters, at most 32767 characters of text."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value if len(value) <= XLSX_MAX_TEXT else value[: XLSX_MAX_TEXT - 1] + "…"


def summary_xlsx(records: list[dict]) -> bytes:
    widths = {"message": 60, "span": 24, "document": 30, "source": 30, "unit": 24, "expected": 20, "actual": 20}
    return to_xlsx([("findings", finding_rows(records), FINDING_COLUMNS, "severity")], widths)


def checklist_totals(records: list[dict]) -> list[dict]:
    """Per checklist item: how many documents are 合格, 不合格, 无法判断."""
    out = []
    for it in checklist_items():
        statuses = [c["status"] for r in records for c in r["checklist"] if c["id"] == it.id]
        out.append({"项目编号": it.id, "检查项目": it.item, **{s: statuses.count(s) for s in (PASS, FAIL, UNKNOWN)}})
    return out


def checklist_xlsx(records: list[dict]) -> bytes:
    widths = {"文件": 30, "单位": 24, "检查项目": 30, "项目编号": 18, "问题描述": 60, "依据": 40, "序号": 6, "年度": 6, "是否合格": 10}
    totals_cols = ["项目编号", "检查项目", PASS, FAIL, UNKNOWN]
    return to_xlsx(
        [
            ("检查表", checklist_rows(records), CHECKLIST_COLUMNS, "是否合格"),
            ("汇总", checklist_totals(records), totals_cols, None),
        ],
        widths,
    )
