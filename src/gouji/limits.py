"""The declared limits of ``gouji/data/limits.yaml``, as one frozen object."""

from __future__ import annotations

from dataclasses import fields
from functools import cache

from gouji.data import load_yaml
from gouji.records import dataclass


@dataclass(frozen=True)
class Limits:
    """The bounds a run keeps to (limits.yaml): time, memory and input sizes."""

    timeout_seconds: float
    worker_memory_mib: int
    max_zip_uncompressed_mib: int
    max_zip_ratio: int
    max_docx_grid_span: int
    max_sheet_columns: int
    max_paragraph_chars: int
    max_number_digits: int


@cache
def limits() -> Limits:
    """The limits as declared in the data file (every field required)."""
    raw = load_yaml("limits.yaml")
    return Limits(**{f.name: raw[f.name] for f in fields(Limits)})
