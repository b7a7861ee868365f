"""Batch review: many documents in worker processes, with summaries and a checklist.

``run(paths, out, jobs=…, resume=…)`` is what ``gouji review`` does; ``review(paths, jobs=…)``
is the Python API (``gouji.review``), returning pandas DataFrames. ``scheduler=`` or
``client=`` runs either on a dask cluster (``cluster``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from gouji.batch.runner import FORMATS, BatchResult, default_jobs, run

if TYPE_CHECKING:  # pandas is imported when frames are made: worker processes never need it
    import pandas as pd

__all__ = ["BatchResult", "ReviewResult", "default_jobs", "frames", "review", "run"]


class ReviewResult(NamedTuple):
    """Findings (one row per finding), documents (one per document), checklist (document × item).

    The columns are the English names of ``report.batch_tables`` (``FINDING_COLUMNS``,
    ``DOCUMENT_COLUMNS``, ``CHECKLIST_COLUMNS``), the same name for the same thing in each frame;
    the CSV and XLSX files show them in Chinese. ``year``, ``page`` and ``line`` are nullable
    integers (``Int64``), counts integers, amounts (``stated_amount``, ``computed_amount``,
    ``difference_amount``: 万元, NaN for a percentage or no arithmetic) floats, ``reused`` boolean.
    """

    findings: pd.DataFrame
    documents: pd.DataFrame
    checklist: pd.DataFrame


def review(
    paths: str | Path | list[str | Path],
    jobs: int | None = None,
    *,
    out: str | Path | None = None,
    resume: bool = False,
    formats: tuple[str, ...] = FORMATS,
    progress: bool = False,
    models: str | None = None,
    pdf_reader: str | None = None,
    client: Any = None,
    scheduler: str | None = None,
    send_inputs: bool = False,
) -> ReviewResult:
    """Review documents (files, folders, globs) in ``jobs`` processes (default: one per core).

    With ``out``, also writes what ``gouji review --out`` writes. Documents that fail are rows
    of ``documents`` with ``status == "failed"`` and their ``error``. ``models``: a model
    directory or id for the model stages (see ``gouji models``); None: rules only.
    ``pdf_reader``: how PDFs are read, ``"plumber"`` or ``"pdfium"`` (``gouji.ingest.PDF_READERS``;
    None: ``DEFAULT_PDF_READER``).
    ``client``: a ``distributed.Client`` whose cluster reviews the documents (one task each; left
    open), or ``scheduler``: ``"local:N"`` or ``"tcp://HOST:PORT"`` as ``gouji review --scheduler``;
    ``send_inputs``: send the inputs' bytes to the workers rather than have them read the paths.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    result = run(
        list(paths), out, jobs=jobs, resume=resume, formats=formats, progress=progress, models=models, pdf_reader=pdf_reader,
        client=client, scheduler=scheduler, send_inputs=send_inputs,
    )  # fmt: skip
    return frames(result.records)


def frames(records: list[dict]) -> ReviewResult:
    """The DataFrames of batch records (``BatchResult.records``), with their dtypes."""
    from gouji.report.batch_tables import (
        CHECKLIST_COLUMNS,
        DOCUMENT_COLUMNS,
        FINDING_COLUMNS,
        checklist_rows,
        document_rows,
        finding_rows,
    )

    return ReviewResult(
        findings=_frame(finding_rows(records), FINDING_COLUMNS),
        documents=_frame(document_rows(records), DOCUMENT_COLUMNS),
        checklist=_frame(checklist_rows(records), CHECKLIST_COLUMNS),
    )


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """``rows`` as a DataFrame: "" is missing; integers, amounts and flags get their dtypes."""
    import pandas as pd

    from gouji.report.batch_tables import AMOUNT_COLUMNS, INTEGER_COLUMNS, NULLABLE_INTEGER_COLUMNS

    df = pd.DataFrame(rows, columns=columns)

    def missing(col: str) -> pd.Series:
        return df[col].map(lambda v: pd.NA if v is None or v == "" else v)

    for col in columns:
        if col in NULLABLE_INTEGER_COLUMNS:
            df[col] = pd.array(missing(col).tolist(), dtype="Int64")
        elif col in INTEGER_COLUMNS:
            df[col] = df[col].astype("int64")
        elif col in AMOUNT_COLUMNS:
            df[col] = pd.to_numeric(missing(col), errors="coerce").astype("float64")
        elif col == "seconds":
            df[col] = df[col].astype("float64")
        elif col == "reused":
            df[col] = df[col].astype(bool)
    return df
