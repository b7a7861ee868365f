"""Pages cut from real PDFs (``tests/data/pages/``, made by ``benchmarks.tables_gold.cut_page``)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

PAGES = Path(__file__).parent / "data" / "pages"


def load_page(name: str) -> tuple[SimpleNamespace, int]:
    """The page fixture ``name`` as the PDF reader's page (width, height, bbox, chars, edges),
    and its page number."""
    data = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    for c in data["chars"]:
        c["matrix"] = tuple(c["matrix"])
    page = SimpleNamespace(
        width=data["width"], height=data["height"], bbox=(0, 0, data["width"], data["height"]),
        chars=data["chars"], edges=data["edges"],
    )
    return page, data["page"]
