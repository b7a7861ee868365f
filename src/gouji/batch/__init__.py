"""Batch review: many documents in worker processes, with summaries and a checklist.

``run(paths, out, jobs=…, resume=…)`` is what ``gouji review`` does; ``review(paths, jobs=…)``
is the Python API (``gouji.review``), returning pandas DataFrames.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from gouji.batch.runner import FORMATS, BatchResult, default_jobs, run

if TYPE_CHECKING:  # pandas is imported when frames are made: worker processes never need it
    import pandas as pd

__all__ = ["BatchResult", "ReviewResult", "default_jobs", "review", "run"]


class ReviewResult(NamedTuple):
    """Findings (one row per finding), documents (one per document), checklist (document × item)."""

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
) -> ReviewResult:
    """Review documents (files, folders, globs) in ``jobs`` processes (default: one per core).

    With ``out``, also writes what ``gouji review --out`` writes. Documents that fail are rows
    of ``documents`` with ``status == "failed"`` and their ``error``. ``models``: a model
    directory or id for the model stages (see ``gouji models``); None: rules only.
    """
    import pandas as pd

    from gouji.report.batch_tables import (
        CHECKLIST_COLUMNS,
        DOCUMENT_COLUMNS,
        FINDING_COLUMNS,
        checklist_rows,
        document_rows,
        finding_rows,
    )

    if isinstance(paths, str | Path):
        paths = [paths]
    result = run(list(paths), out, jobs=jobs, resume=resume, formats=formats, progress=progress, models=models)
    return ReviewResult(
        findings=pd.DataFrame(finding_rows(result.records), columns=FINDING_COLUMNS),
        documents=pd.DataFrame(document_rows(result.records), columns=DOCUMENT_COLUMNS),
        checklist=pd.DataFrame(checklist_rows(result.records), columns=CHECKLIST_COLUMNS),
    )
