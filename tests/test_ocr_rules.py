"""Ruling lines found on a page image (``gouji.ingest.ocr``): the opening and the edges it gives.

These need numpy only (a dependency of the default install through pandas), not the OCR models.
"""

from __future__ import annotations

import numpy as np
import pytest

from gouji.ingest import ocr, ruling

SCALE = 200 / 72  # pixels per point at 200 dpi


def _grid(width: int = 1200, height: int = 600, thickness: int = 3) -> tuple[np.ndarray, list[int], list[int]]:
    """A white image with a ruled grid of 3 rows and 4 columns, a few text-like strokes in cells."""
    ink = np.zeros((height, width), dtype=bool)
    rows, cols = [100, 200, 300, 400], [100, 400, 700, 1000, 1100]
    for y in rows:
        ink[y : y + thickness, cols[0] : cols[-1] + thickness] = True
    for x in cols:
        ink[rows[0] : rows[-1] + thickness, x : x + thickness] = True
    # strokes of characters: shorter than a rule in both directions
    ink[140:145, 150:180] = True  # a "一" 30 px wide (11 pt at 200 dpi)
    ink[130:165, 450:454] = True  # a "丨" 35 px tall
    return ink, rows, cols


def test_opening_keeps_rules_and_drops_strokes() -> None:
    ink, rows, cols = _grid()
    h, v = ocr.ruling_masks(ink, SCALE)
    assert h[rows[1] + 1, 250] and v[250, cols[2] + 1]
    assert not h[142, 160] and not v[140, 452]  # the strokes
    assert int(h.sum()) == 4 * 3 * (cols[-1] + 3 - cols[0])


def test_edges_are_one_per_rule_at_its_middle() -> None:
    ink, rows, cols = _grid()
    h, v = ocr.ruling_masks(ink, SCALE)
    horizontal = ocr.edges_of(h, "h", SCALE)
    vertical = ocr.edges_of(v, "v", SCALE)
    assert [round(e["top"] * SCALE, 1) for e in horizontal] == [y + 1.5 for y in rows]
    assert [round(e["x0"] * SCALE, 1) for e in vertical] == [x + 1.5 for x in cols]
    assert all(e["orientation"] == "h" and e["top"] == e["bottom"] for e in horizontal)
    assert round(horizontal[0]["x0"] * SCALE) == cols[0] and round(horizontal[0]["x1"] * SCALE) == cols[-1] + 3


def test_the_edges_make_the_grid_of_cells() -> None:
    ink, rows, cols = _grid()
    h, v = ocr.ruling_masks(ink, SCALE)
    found = ruling.find(ocr.edges_of(h, "h", SCALE) + ocr.edges_of(v, "v", SCALE))
    assert len(found.tables) == 1
    table = found.tables[0]
    assert [len(r.cells) for r in table.rows] == [4, 4, 4]


def test_a_filled_block_is_no_rule() -> None:
    ink = np.zeros((400, 800), dtype=bool)
    ink[100:160, 100:700] = True  # a shaded band 60 px (22 pt) thick
    h, _ = ocr.ruling_masks(ink, SCALE)
    assert ocr.edges_of(h, "h", SCALE) == []


def test_a_skewed_rule_is_still_found_in_pieces_that_snap_together() -> None:
    ink = np.zeros((300, 1200), dtype=bool)
    for x in range(100, 1100):  # 1 px drop every 200 px: a scan skewed by 0.3 degrees
        y = 100 + (x - 100) // 200
        ink[y : y + 3, x] = True
    h, _ = ocr.ruling_masks(ink, SCALE)
    edges = ocr.edges_of(h, "h", SCALE)
    assert edges, "the rule is found"
    merged = ruling.merged_edges(edges, 3.0, 3.0, 1.0, 3.0)
    assert len(merged) == 1
    assert merged[0]["x1"] - merged[0]["x0"] == pytest.approx(1000 / SCALE, abs=1.0)
