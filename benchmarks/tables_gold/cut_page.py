"""Cut a fixture from a real PDF page: its characters and ruling edges within a band.

Usage: python -m benchmarks.tables_gold.cut_page FILE PAGE TOP BOTTOM OUT.json

The JSON holds what ``gouji.ingest.pdf`` reads of a page (PDFium's reader): width, height and
the characters and edges whose tops lie in [TOP, BOTTOM] (points from the page's top), with
vertical edges clipped to the band. Tests rebuild a page from it (``tests/pages.py``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gouji.ingest.pdfium import PdfiumDocument

CHAR_KEYS = ("text", "x0", "x1", "top", "bottom", "size", "upright", "matrix")
EDGE_KEYS = ("x0", "x1", "top", "bottom", "width", "height", "orientation", "object_type")


def cut(path: Path, number: int, top: float, bottom: float) -> dict:
    with PdfiumDocument(str(path)) as doc:
        for page in doc.pages:
            if page.page_number != number:
                continue
            chars = [{k: c[k] for k in CHAR_KEYS} for c in page.chars if top <= c["top"] <= bottom]
            edges = []
            for e in page.edges:
                if e["orientation"] == "h" and top <= e["top"] <= bottom:
                    edges.append({k: e[k] for k in EDGE_KEYS})
                elif e["orientation"] == "v" and e["bottom"] >= top and e["top"] <= bottom:
                    clipped = {k: e[k] for k in EDGE_KEYS}
                    clipped["top"], clipped["bottom"] = max(e["top"], top), min(e["bottom"], bottom)
                    clipped["height"] = clipped["bottom"] - clipped["top"]
                    edges.append(clipped)
            return {"file": path.name, "page": number, "band": [top, bottom],
                    "width": page.width, "height": page.height, "chars": chars, "edges": edges}
    raise SystemExit(f"{path}: no page {number}")


def main() -> None:
    path, number, top, bottom, out = sys.argv[1:6]
    data = cut(Path(path), int(number), float(top), float(bottom))
    Path(out).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{out}: {len(data['chars'])} characters, {len(data['edges'])} edges")


if __name__ == "__main__":
    main()
