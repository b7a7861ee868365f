"""gouji (勾稽): checks that the figures of a Chinese budget disclosure tie out."""

from __future__ import annotations

__version__ = "0.1.0"

TYPE_CHECKING = False  # typing's constant, without importing typing at every start
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from gouji.batch import ReviewResult


def review(paths: str | Path | list[str | Path], jobs: int | None = None, **kwargs: Any) -> ReviewResult:
    """Review many documents; returns DataFrames of findings, documents and checklist rows.

    See ``gouji.batch.review``; imported on first use so that ``import gouji`` stays light.
    """
    from gouji.batch import review as _review

    return _review(paths, jobs=jobs, **kwargs)
