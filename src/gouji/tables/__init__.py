"""Tables: each ``RawTable`` of a ``Document`` understood as a ``Table`` (``build.build_tables``)."""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without importing typing at every start
if TYPE_CHECKING:
    import pandas as pd

    from gouji.ingest.document import Document


def frames(doc: Document) -> list[pd.DataFrame]:
    """Every table of ``doc`` as a pandas DataFrame (see ``Table.to_frame``), built once per document."""
    from gouji.tables.build import build_tables

    if "_frames" not in doc.__dict__:
        doc.__dict__["_frames"] = [t.to_frame() for t in build_tables(doc)]
    return doc.__dict__["_frames"]
