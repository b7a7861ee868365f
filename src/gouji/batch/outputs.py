"""The batch-wide outputs of an output folder, each written atomically."""

from __future__ import annotations

from pathlib import Path

from gouji.batch.files import atomic_write

SUMMARY_FILES = ("summary.csv", "summary.xlsx", "documents.csv", "reasons.csv", "checklist.csv", "checklist.xlsx", "index.html")


def write_outputs(out: Path, records: list[dict], *, interrupted: bool = False, total: int | None = None) -> dict[str, Path]:
    """Write summary.csv/.xlsx, documents.csv, reasons.csv, checklist.csv/.xlsx and index.html into ``out``.

    The CSV and XLSX files have Chinese headers (``report.batch_tables.HEADERS``); their rows are
    those of the pandas API (``gouji.batch.frames``).
    """
    from gouji.report.batch_tables import (
        CHECKLIST_CSV_COLUMNS,
        DOCUMENT_COLUMNS,
        REASON_COLUMNS,
        SUMMARY_CSV_COLUMNS,
        checklist_rows,
        checklist_xlsx,
        document_rows,
        finding_rows,
        reason_rows,
        summary_xlsx,
        to_csv,
    )
    from gouji.report.dashboard import to_index_html

    content = {
        "summary.csv": lambda: to_csv(finding_rows(records), SUMMARY_CSV_COLUMNS),
        "summary.xlsx": lambda: summary_xlsx(records),
        "documents.csv": lambda: to_csv(document_rows(records), DOCUMENT_COLUMNS),
        "reasons.csv": lambda: to_csv(reason_rows(records), REASON_COLUMNS),
        "checklist.csv": lambda: to_csv(checklist_rows(records), CHECKLIST_CSV_COLUMNS),
        "checklist.xlsx": lambda: checklist_xlsx(records),
        "index.html": lambda: to_index_html(records, interrupted=interrupted, total=total),
    }
    written = {}
    for name in SUMMARY_FILES:
        atomic_write(out / name, content[name]())
        written[name] = out / name
    return written
