"""Score one table as gouji built it against its hand transcription (``tests/data/tables_gold/``).

Both sides are grids of printed cell texts. Rows are aligned in order (a gold row pairs with at
most one built row, by the printed texts they share), then columns in order (by the cells of the
paired rows that agree). A gold cell is right when its row and column are paired and the built
cell's text equals it after NFKC and with white space removed; blank cells count as cells.

A printed row with no text in any cell (a ruled blank line, left for hand entries) is counted
apart (``rows_blank``) and not scored: a document holds a table row as its text, and a row with
none carries nothing a check could use.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

# a gold row pairs with a built row only when at least this share of their filled cells agree:
# below it the two rows are different rows that happen to share a figure or two
ROW_PAIRING = 0.5


def norm(text: str | None) -> str:
    """A cell text as compared: NFKC, no white space."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


@dataclass
class Score:
    """What one built table got right of one gold table."""

    rows_expected: int  # printed rows with some text
    rows_found: int
    rows_extra: int  # built rows paired with no gold row
    cells: int
    cells_right: int
    filled: int  # gold cells not blank
    filled_right: int
    columns: int
    paths_right: int
    title_right: bool
    unit_right: bool
    rows_blank: int = 0  # printed rows with no text: not scored
    wrong: list[tuple[int, int, str, str]] = field(default_factory=list)  # row, col, gold, built
    rows_missed: list[int] = field(default_factory=list)
    paths_wrong: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def perfect(self) -> bool:
        return (
            self.cells_right == self.cells
            and self.rows_found == self.rows_expected
            and self.paths_right == self.columns
        )


def _similarity(gold: list[str], built: list[str]) -> float:
    g = Counter(t for t in gold if t)
    b = Counter(t for t in built if t)
    if not g or not b:
        return 1.0 if not g and not b else 0.0
    return sum((g & b).values()) / max(sum(g.values()), sum(b.values()))


def _monotone_pairs(score: list[list[float]], accept) -> list[tuple[int, int]]:
    """Pairs (i, j), both increasing, of accepted scores whose sum is largest."""
    n, m = len(score), len(score[0]) if score else 0
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = score[i][j] + best[i + 1][j + 1] if accept(score[i][j]) else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if accept(score[i][j]) and best[i][j] == score[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def align_rows(gold: list[list[str]], built: list[list[str]]) -> list[tuple[int, int]]:
    """Pairs (gold row, built row), in order, maximising the summed similarity of paired rows."""
    sim = [[_similarity(g, b) for b in built] for g in gold]
    return _monotone_pairs(sim, lambda x: x >= ROW_PAIRING)


def align_columns(
    gold: list[list[str]], built: list[list[str]], rows: list[tuple[int, int]], n_gold: int, n_built: int
) -> dict[int, int]:
    """Gold column → built column, in order, maximising the cells of paired rows that agree."""

    def agree(gc: int, bc: int) -> int:
        return sum(
            1 for gi, bi in rows if gold[gi][gc] == (built[bi][bc] if bc < len(built[bi]) else "")
        )

    score = [[agree(gc, bc) for bc in range(n_built)] for gc in range(n_gold)]
    return dict(_monotone_pairs(score, lambda x: x > 0))


def score(gold: dict, table) -> Score:
    """Score ``table`` (a ``gouji.tables.model.Table``) against one loaded gold file."""
    printed = [[norm(c) for c in r] for r in gold["rows"]]
    g_rows = [r for r in printed if any(r)]
    g_paths = ["/".join(norm(p) for p in path) for path in gold["columns"]]
    n_built = len(table.columns)
    b_rows = []
    for row in table.rows:
        cells = [""] * max(n_built, max((c.col + 1 for c in row.cells), default=0))
        for c in row.cells:
            cells[c.col] = norm(c.text)
        b_rows.append(cells)
    n_built = max([n_built, *(len(r) for r in b_rows)])
    b_rows = [r + [""] * (n_built - len(r)) for r in b_rows]
    b_paths = ["/".join(norm(p) for p in c.path) for c in table.columns]
    b_paths += [""] * (n_built - len(b_paths))

    rows = align_rows(g_rows, b_rows)
    cols = align_columns(g_rows, b_rows, rows, len(g_paths), n_built)
    paired = dict(rows)
    s = Score(
        rows_expected=len(g_rows),
        rows_found=len(rows),
        rows_extra=len(b_rows) - len(rows),
        cells=0,
        cells_right=0,
        filled=0,
        filled_right=0,
        columns=len(g_paths),
        paths_right=0,
        title_right=norm(gold.get("title")) in norm(table.title) if gold.get("title") else not table.title,
        unit_right=norm(gold.get("unit")) == norm(table.unit),
        rows_blank=len(printed) - len(g_rows),
    )
    s.rows_missed = [i for i in range(len(g_rows)) if i not in paired]
    for gc, path in enumerate(g_paths):
        bc = cols.get(gc)
        if bc is not None and b_paths[bc] == path:
            s.paths_right += 1
        else:
            s.paths_wrong.append((gc, path, b_paths[bc] if bc is not None else ""))
    for gi, g in enumerate(g_rows):
        bi = paired.get(gi)
        for gc, text in enumerate(g):
            bc = cols.get(gc)
            built = b_rows[bi][bc] if bi is not None and bc is not None else None
            right = built == text
            s.cells += 1
            s.cells_right += right
            if text:
                s.filled += 1
                s.filled_right += right
            if not right and bi is not None:
                s.wrong.append((gi, gc, text, built or ""))
    return s
