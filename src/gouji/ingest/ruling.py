"""Tables drawn with ruling lines: edges → intersections → cells → tables.

The steps and their results are pdfplumber's "lines" strategy (``pdfplumber.table``, MIT
licence) with gouji's settings (``SETTINGS``), computed without importing pdfplumber or
pdfminer, so that a page read with PDFium needs neither. Each step is a small pure function
whose result is kept by ``find``'s ``Ruling``, so that a table read wrong can be explained:
which edges were snapped and joined, where they cross, which cells and groups they made.

Edges are pdfplumber's dicts (``x0``, ``x1``, ``top``, ``bottom``, ``width``, ``height``,
``orientation`` "h" or "v", and optionally ``doctop``, ``y0``, ``y1``); coordinates are points
from the page's top-left corner.
"""

from __future__ import annotations

from dataclasses import field
from itertools import groupby
from operator import itemgetter

from gouji.records import dataclass

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, top, x1, bottom

# pdfplumber's table settings as gouji uses them: lines in both directions, 3 pt tolerances
SETTINGS = {"snap": 3.0, "join": 3.0, "intersection": 3.0, "edge_min_length": 3.0, "edge_min_length_prefilter": 1.0}
# the same in pdfplumber's terms (``page.find_tables(PDFPLUMBER_SETTINGS)``), for comparisons
PDFPLUMBER_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3, "join_tolerance": 3, "intersection_tolerance": 3}


@dataclass
class Row:
    """One row of a ruled table: a cell box (or None where no cell starts) per column start."""

    cells: list[Box | None]
    bbox: Box


@dataclass
class Grid:
    """One ruled table: its cells (boxes); ``rows`` and ``bbox`` as pdfplumber's ``Table`` has them."""

    cells: list[Box]

    @property
    def bbox(self) -> Box:
        c = self.cells
        return (min(b[0] for b in c), min(b[1] for b in c), max(b[2] for b in c), max(b[3] for b in c))

    @property
    def rows(self) -> list[Row]:
        xs = sorted({b[0] for b in self.cells})
        out: list[Row] = []
        for _top, group in groupby(sorted(self.cells, key=itemgetter(1, 0)), itemgetter(1)):
            at = {b[0]: b for b in group}
            cells = [at.get(x) for x in xs]
            present = [b for b in cells if b is not None]
            bbox = (
                min(b[0] for b in present),
                min(b[1] for b in present),
                max(b[2] for b in present),
                max(b[3] for b in present),
            )
            out.append(Row(cells, bbox))
        return out


@dataclass
class Ruling:
    """The intermediates of one page's table finding, kept to explain its result."""

    edges: list[dict] = field(default_factory=list)  # snapped, joined, long enough, and the closing ones
    closing: list[dict] = field(default_factory=list)  # drawn where a page break left a row open
    intersections: dict[Point, dict[str, list[dict]]] = field(default_factory=dict)
    cells: list[Box] = field(default_factory=list)
    tables: list[Grid] = field(default_factory=list)


def find(page_edges: list[dict], settings: dict | None = None) -> Ruling:
    """Every ruled table among ``page_edges``, with the steps that found them."""
    s = {**SETTINGS, **(settings or {})}
    out = Ruling()
    edges = merged_edges(page_edges, s["snap"], s["join"], s["edge_min_length_prefilter"], s["edge_min_length"])
    out.closing = closing_edges(edges, s["intersection"])
    out.edges = edges + out.closing
    out.intersections = intersections(out.edges, s["intersection"], s["intersection"])
    out.cells = cells(out.intersections)
    out.tables = [Grid(group) for group in tables(out.cells)]
    return out


def _long_enough(edge: dict, min_length: float) -> bool:
    return edge["height" if edge["orientation"] == "v" else "width"] >= min_length


def merged_edges(edges: list[dict], snap: float, join: float, prefilter: float, min_length: float) -> list[dict]:
    """pdfplumber's ``TableFinder.get_edges`` for lines: edges at least ``prefilter`` long
    (vertical first), snapped to the mean of their cluster (``snap``), joined along one line
    when no more than ``join`` apart, and kept when at least ``min_length`` long."""
    vertical = [e for e in edges if e["orientation"] == "v" and _long_enough(e, prefilter)]
    horizontal = [e for e in edges if e["orientation"] == "h" and _long_enough(e, prefilter)]
    snapped = _snap(vertical, "x0", snap) + _snap(horizontal, "top", snap)

    def line_of(e: dict) -> tuple[str, float]:
        return ("h", e["top"]) if e["orientation"] == "h" else ("v", e["x0"])

    joined: list[dict] = []
    for (orientation, _), group in groupby(sorted(snapped, key=line_of), key=line_of):
        joined.extend(_join(list(group), orientation, join))
    return [e for e in joined if _long_enough(e, min_length)]


# a row cut open by a page break is at least this tall (points): shorter overshoots of the
# vertical rules are a drawing's slack, not a row
OPEN_ROW = 8.0


def closing_edges(edges: list[dict], tolerance: float) -> list[dict]:
    """Horizontal rules a page break left out, drawn across the ends of the vertical ones.

    A table carried over to the next page often has its first row there without a rule above
    it (or its last row before the break without one below): the vertical rules run on past
    the last horizontal one, and the row's text would be read as a line of prose. Where three
    vertical rules or more end together, no horizontal rule through their ends and the
    nearest one crossing them at least ``OPEN_ROW`` away, a horizontal rule closes them."""
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]

    def crossing(v: dict) -> list[float]:
        return [h["top"] for h in horizontal
                if h["x0"] - tolerance <= v["x0"] <= h["x1"] + tolerance and v["top"] - tolerance <= h["top"] <= v["bottom"] + tolerance]

    out: list[dict] = []
    for end in ("top", "bottom"):
        open_ends: list[dict] = []
        for v in vertical:
            tops = crossing(v)
            if tops and min(abs(t - v[end]) for t in tops) >= OPEN_ROW:
                open_ends.append(v)
        cluster = _clusters([v[end] for v in open_ends], tolerance)
        groups: dict[int, list[dict]] = {}
        for v in open_ends:
            groups.setdefault(cluster[v[end]], []).append(v)
        for group in groups.values():
            if len(group) < 3:
                continue
            at = min(v[end] for v in group) if end == "top" else max(v[end] for v in group)
            x0, x1 = min(v["x0"] for v in group), max(v["x0"] for v in group)
            out.append({"x0": x0, "x1": x1, "top": at, "bottom": at, "width": x1 - x0, "height": 0.0,
                        "orientation": "h", "object_type": "closing_edge"})
    return out


def _clusters(values: list[float], tolerance: float) -> dict[float, int]:
    """pdfplumber's ``make_cluster_dict``: each distinct value → its cluster (values within
    ``tolerance`` of the previous one, sorted, are one cluster)."""
    out: dict[float, int] = {}
    n, last = 0, None
    for v in sorted(set(values)):
        if last is not None and v > last + tolerance:
            n += 1
        out[v] = n
        last = v
    return out


def _snap(edges: list[dict], attr: str, tolerance: float) -> list[dict]:
    """pdfplumber's ``snap_objects``: each edge moved to its cluster's mean ``attr``, the
    edges in cluster order (and in their given order within one)."""
    cluster = _clusters([e[attr] for e in edges], tolerance)
    groups: dict[int, list[dict]] = {}
    for e in sorted(edges, key=lambda e: cluster[e[attr]]):
        groups.setdefault(cluster[e[attr]], []).append(e)
    out: list[dict] = []
    for group in groups.values():
        mean = sum(e[attr] for e in group) / len(group)
        out.extend(_move(e, "h" if attr in ("x0", "x1") else "v", mean - e[attr]) for e in group)
    return out


def _move(edge: dict, axis: str, by: float) -> dict:
    """pdfplumber's ``move_object``: the same arithmetic, so the coordinates are the same floats."""
    moved = dict(edge)
    if axis == "h":
        moved["x0"] = edge["x0"] + by
        moved["x1"] = edge["x1"] + by
    else:
        moved["top"] = edge["top"] + by
        moved["bottom"] = edge["bottom"] + by
        if "doctop" in edge:
            moved["doctop"] = edge["doctop"] + by
        if "y0" in edge:
            moved["y0"] = edge["y0"] - by
            moved["y1"] = edge["y1"] - by
    return moved


def _join(edges: list[dict], orientation: str, tolerance: float) -> list[dict]:
    """pdfplumber's ``join_edge_group``: edges along one line that overlap or lie within
    ``tolerance`` of each other made one."""
    lo, hi = ("x0", "x1") if orientation == "h" else ("top", "bottom")
    ordered = sorted(edges, key=itemgetter(lo))
    joined = [ordered[0]]
    for e in ordered[1:]:
        last = joined[-1]
        if e[lo] <= last[hi] + tolerance:
            if e[hi] > last[hi]:
                joined[-1] = _extend(last, hi, e[hi])
        else:
            joined.append(e)
    return joined


def _extend(edge: dict, key: str, value: float) -> dict:
    """pdfplumber's ``resize_object`` for the far end (``x1`` or ``bottom``)."""
    out = dict(edge)
    diff = value - edge[key]
    out[key] = value
    if key == "x1":
        out["width"] = value - edge["x0"]
    else:
        out["height"] = edge["height"] + diff
        if "y0" in edge:
            out["y0"] = edge["y0"] - diff
    return out


def intersections(edges: list[dict], x_tolerance: float, y_tolerance: float) -> dict[Point, dict[str, list[dict]]]:
    """pdfplumber's ``edges_to_intersections``: (x, top) → the vertical and horizontal edges through it."""
    out: dict[Point, dict[str, list[dict]]] = {}
    vs = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    hs = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    for v in vs:
        vx, vtop, vbottom = v["x0"], v["top"], v["bottom"]
        for h in hs:
            htop = h["top"]
            if vtop <= htop + y_tolerance and vbottom >= htop - y_tolerance and vx >= h["x0"] - x_tolerance and vx <= h["x1"] + x_tolerance:
                at = out.get((vx, htop))
                if at is None:
                    at = out[(vx, htop)] = {"v": [], "h": []}
                at["v"].append(v)
                at["h"].append(h)
    return out


def cells(crossings: dict[Point, dict[str, list[dict]]]) -> list[Box]:
    """pdfplumber's ``intersections_to_cells``: for each intersection in order, the smallest
    cell whose four corners are intersections joined by common edges."""
    points = sorted(crossings)
    bbox = itemgetter("x0", "top", "x1", "bottom")
    vertical = {p: {bbox(e) for e in crossings[p]["v"]} for p in points}
    horizontal = {p: {bbox(e) for e in crossings[p]["h"]} for p in points}

    def connects(p1: Point, p2: Point) -> bool:
        if p1[0] == p2[0] and not vertical[p1].isdisjoint(vertical[p2]):
            return True
        return p1[1] == p2[1] and not horizontal[p1].isdisjoint(horizontal[p2])

    by_y: dict[float, list[Point]] = {}
    for p in points:
        by_y.setdefault(p[1], []).append(p)
    out: list[Box] = []
    for i, pt in enumerate(points[:-1]):
        j = i + 1  # the points after pt with its x follow it in the sorted order
        while j < len(points) and points[j][0] == pt[0]:
            j += 1
        below = points[i + 1 : j]
        row = by_y[pt[1]]
        right = row[row.index(pt) + 1 :]  # the points after pt with its top: sorted by x
        cell = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in crossings and connects(corner, right_pt) and connects(corner, below_pt):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell is not None:
                break
        if cell is not None:
            out.append(cell)
    return out


def tables(boxes: list[Box]) -> list[list[Box]]:
    """pdfplumber's ``cells_to_tables``: cells grouped by shared corners (each group is what
    its greedy sweep collects: all cells reachable corner to corner), groups of one cell
    dropped, top to bottom then left to right."""
    parent = list(range(len(boxes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[Point, int] = {}
    for i, (x0, top, x1, bottom) in enumerate(boxes):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = owner.setdefault(corner, i)
            a, b = root(i), root(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[Box]] = {}
    for i, box in enumerate(boxes):
        groups.setdefault(root(i), []).append(box)
    found = [g for g in groups.values() if len(g) > 1]
    return sorted(found, key=lambda g: min((b[1], b[0]) for b in g))
