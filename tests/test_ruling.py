"""``gouji.ingest.ruling``: pdfplumber's lines strategy step by step, and the rules a page break left out."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber.table import TableFinder, TableSettings, cells_to_tables

from gouji.ingest import ruling


def _h(x0: float, x1: float, y: float) -> dict:
    return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0, "orientation": "h", "object_type": "line", "doctop": y}


def _v(x: float, top: float, bottom: float) -> dict:
    return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top, "orientation": "v", "object_type": "line", "doctop": top}


def _key(e: dict) -> tuple:
    return (e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"], e["width"], e["height"])


coordinate = st.floats(min_value=0, max_value=60, allow_nan=False).map(lambda x: round(x * 4) / 4)
edge = st.one_of(
    st.tuples(coordinate, coordinate, coordinate).map(lambda t: _h(min(t[0], t[1]), max(t[0], t[1]), t[2])),
    st.tuples(coordinate, coordinate, coordinate).map(lambda t: _v(t[0], min(t[1], t[2]), max(t[1], t[2]))),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(edge, max_size=30))
def test_edges_intersections_cells_and_tables_are_pdfplumbers(edges):
    page = SimpleNamespace(edges=edges, bbox=(0, 0, 100, 100))
    ref = TableFinder(page, TableSettings.resolve(ruling.PDFPLUMBER_SETTINGS))
    s = ruling.SETTINGS
    ours = ruling.merged_edges(edges, s["snap"], s["join"], s["edge_min_length_prefilter"], s["edge_min_length"])
    assert [_key(e) for e in ours] == [_key(e) for e in ref.edges]
    crossings = ruling.intersections(ours, 3, 3)
    assert sorted(crossings) == sorted(ref.intersections)
    assert ruling.cells(crossings) == ref.cells
    assert [sorted(g) for g in ruling.tables(ref.cells)] == [sorted(t.cells) for t in ref.tables]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(1, 3), st.integers(1, 3)), max_size=25, unique=True))
def test_cells_grouped_by_shared_corners_as_pdfplumber_groups_them(boxes):
    cells = [(x, y, x + w, y + h) for x, y, w, h in boxes]
    assert [sorted(g) for g in ruling.tables(cells)] == [sorted(g) for g in cells_to_tables(cells)]


def _grid(top_of_verticals: float) -> list[dict]:
    """A 3-column grid with rules at 96 … 196; its vertical rules start at ``top_of_verticals``."""
    xs = (80.0, 120.0, 270.0, 510.0)
    return [_h(80.0, 510.0, y) for y in (96.0, 121.0, 146.0, 171.0, 196.0)] + [_v(x, top_of_verticals, 196.0) for x in xs]


def test_a_row_open_at_the_top_is_closed_across_the_vertical_rules():
    (closing,) = ruling.closing_edges(_grid(72.0), 3.0)
    assert (closing["x0"], closing["x1"], closing["top"], closing["orientation"]) == (80.0, 510.0, 72.0, "h")
    found = ruling.find(_grid(72.0))
    assert [r.bbox[1] for r in found.tables[0].rows] == [72.0, 96.0, 121.0, 146.0, 171.0]


def test_a_drawings_slack_is_not_a_row():
    # vertical rules overshooting the top rule by 5 points: less than a row
    assert ruling.closing_edges(_grid(91.0), 3.0) == []
    assert ruling.closing_edges(_grid(96.0), 3.0) == []


def test_two_vertical_rules_alone_are_not_closed():
    edges = [_h(80.0, 120.0, y) for y in (96.0, 121.0)] + [_v(x, 72.0, 121.0) for x in (80.0, 120.0)]
    assert ruling.closing_edges(edges, 3.0) == []
