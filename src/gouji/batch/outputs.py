"""The batch-wide outputs of an output folder, each written atomically."""

from __future__ import annotations

from pathlib import Path

from gouji.batch.files import atomic_write

SUMMARY_FILES = (
    "summary.csv", "summary.parquet", "summary.xlsx", "documents.csv", "documents.parquet", "reasons.csv",
    "checklist.csv", "checklist.xlsx", "index.html",
)  # fmt: skip


def write_outputs(
    out: Path,
    records: list[dict],
    *,
    interrupted: bool = False,
    total: int | None = None,
    max_sheet_rows: int | None = None,
    max_dashboard_documents: int | None = None,
) -> dict[str, Path]:
    """Write summary.csv/.parquet/.xlsx, documents.csv/.parquet, reasons.csv, checklist.csv/.xlsx
    and index.html into ``out``.

    The CSV, Parquet and XLSX files have Chinese headers (``report.batch_tables.HEADERS``); their
    rows are those of the pandas API (``gouji.batch.frames``). ``max_sheet_rows``: rows of an XLSX
    sheet before the next (None: ``batch_tables.XLSX_MAX_ROWS``); ``max_dashboard_documents``:
    documents listed in index.html (None: ``dashboard.DASHBOARD_MAX_DOCUMENTS``).
    """
    from gouji.report.batch_tables import (
        CHECKLIST_CSV_COLUMNS,
        DOCUMENT_COLUMNS,
        REASON_COLUMNS,
        SUMMARY_CSV_COLUMNS,
        XLSX_MAX_ROWS,
        checklist_rows,
        checklist_xlsx,
        document_rows,
        finding_rows,
        reason_rows,
        summary_xlsx,
        to_csv,
        to_parquet,
    )
    from gouji.report.dashboard import DASHBOARD_MAX_DOCUMENTS, to_index_html

    sheet_rows = max_sheet_rows or XLSX_MAX_ROWS
    listed = max_dashboard_documents or DASHBOARD_MAX_DOCUMENTS
    findings = finding_rows(records)  # made once: the CSV and the Parquet file hold the same rows
    documents = document_rows(records)
    content = {
        "summary.csv": lambda: to_csv(findings, SUMMARY_CSV_COLUMNS),
        "summary.parquet": lambda: to_parquet(findings, SUMMARY_CSV_COLUMNS),
        "summary.xlsx": lambda: summary_xlsx(records, max_rows=sheet_rows),
        "documents.csv": lambda: to_csv(documents, DOCUMENT_COLUMNS),
        "documents.parquet": lambda: to_parquet(documents, DOCUMENT_COLUMNS),
        "reasons.csv": lambda: to_csv(reason_rows(records), REASON_COLUMNS),
        "checklist.csv": lambda: to_csv(checklist_rows(records), CHECKLIST_CSV_COLUMNS),
        "checklist.xlsx": lambda: checklist_xlsx(records, max_rows=sheet_rows),
        "index.html": lambda: to_index_html(records, interrupted=interrupted, total=total, max_documents=listed),
    }
    written = {}
    for name in SUMMARY_FILES:
        atomic_write(out / name, content[name]())
        written[name] = out / name
    return written
