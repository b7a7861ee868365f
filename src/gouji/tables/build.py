"""From raw tab-separated rows to understood tables.

Small steps that keep their intermediates: captions -> segments merged across page
breaks -> header rows -> column paths -> typed cells -> row codes and labels.
"""

from __future__ import annotations

from functools import cache, lru_cache

from gouji.data import load_yaml
from gouji.ingest.document import Document, Heading, Location, Paragraph, RawRow, RawTable
from gouji.patterns import re_
from gouji.quantities.numbers import parse_number
from gouji.quantities.units import unit_from_caption
from gouji.tables.codes import join_split_code, parse_code
from gouji.tables.model import Cell, Column, Row, Table
from gouji.tables.totals import is_listed_total, is_total_row

MARKUP_RE = re_(r"</?b>|\*\*|</?p>")
CJK_SPACE_RE = re_(r"(?<=[\p{Han}（）“”])\s+(?=[\p{Han}（）“”])")
LEADER_RE = re_(r"(?:\.{3,}|…{2,}|·{3,})\s*$")
MAX_CAPTION_LINES = 6
MAX_CAPTION_CHARS = 80
WRAP_WIDTH = 16  # a label this long has probably reached its cell's width and wrapped
ITEM_START_RE = re_(
    r"^(?:[（(][一二三四五六七八九十廿\d]+[)）]|[一二三四五六七八九十廿]+[、.．]|\d+[、.．]|[①-⑳]|其中|备注|注[:：]|表\s*\d)"
)


@cache
def _config() -> dict:
    cfg = load_yaml("table_kinds.yaml")
    cfg["_kinds"] = [(k["id"], re_(k["pattern"])) for k in cfg["kinds"]]
    cfg["_furniture"] = [re_(p) for p in cfg["page_furniture"]]
    return cfg


@lru_cache(maxsize=65536)
def clean_cell(text: str) -> str:
    """Remove export markup and the stray spaces PDF export puts between Chinese characters."""
    text = MARKUP_RE.sub("", text).strip()
    return CJK_SPACE_RE.sub("", text)


@lru_cache(maxsize=16384)  # 目录 entries ask for their kind once per table they are matched with
def table_kind(title: str | None) -> str | None:
    if not title:
        return None
    t = title.replace(" ", "")
    for kind, pattern in _config()["_kinds"]:
        if pattern.search(t):
            return kind
    return None


def _kind_from_content(header_rows: list[list[str]], rows: list[Row]) -> str | None:
    """The kind a table's header and first column say, when its title says none."""
    text = "".join("".join(r) for r in header_rows) + "".join(r.cells[0].text for r in rows if r.cells)
    text = text.replace(" ", "")
    for sig in _config()["header_kinds"]:
        if re_(sig["pattern"]).search(text):
            return sig["id"]
    return None


def _is_furniture(line: str) -> bool:
    s = clean_cell(line)
    return any(p.search(s) for p in _config()["_furniture"])


def _captions_before(blocks: list, i: int) -> list[str]:
    """Short non-prose lines just before block i (title, unit, page header)."""
    out: list[str] = []
    j = i - 1
    while j >= 0 and len(out) < MAX_CAPTION_LINES:
        b = blocks[j]
        if isinstance(b, RawTable):
            break
        text = clean_cell(b.text)
        if isinstance(b, Paragraph) and (len(text) > MAX_CAPTION_CHARS or text.endswith("。")):
            break
        out.insert(0, text)
        if isinstance(b, Heading):
            break
        j -= 1
    return out


def _pick_title(captions: list[str]) -> str | None:
    candidates = [c for c in captions if not _is_furniture(c) or re_(r"表$|情况$").search(c)]
    titled = [c for c in candidates if "表" in c and not re_(r"表\s*\d+|预算\s*\d+\s*表").fullmatch(c)]
    if titled:
        return titled[-1]
    return candidates[-1] if candidates else None


def _norm_row(row: RawRow) -> tuple[str, ...]:
    cells = [clean_cell(c).replace(" ", "") for c in row.cells]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def _is_numeric_row(cells: list[str]) -> bool:
    return any(parse_number(c) is not None for c in cells if c)


def _is_ordinal_row(cells: list[str]) -> bool:
    """The 栏次 row: "栏次 | 1 | 2 | 3" or bare column numbers."""
    non_empty = [c for c in cells if c]
    if not non_empty:
        return True
    if non_empty[0] in ("栏次", "行次"):
        return True
    return all(c.isascii() and c.isdigit() and len(c) <= 2 for c in non_empty) and len(non_empty) >= 3 and non_empty == sorted(non_empty, key=int)


DECORATION = frozenset("*-—= ")


def _is_decoration_row(cells: list[str]) -> bool:
    return all(not c or DECORATION.issuperset(c) for c in cells)


def _header_count(rows: list[list[str]]) -> int:
    for k, cells in enumerate(rows):
        if _is_decoration_row(cells) or _is_ordinal_row(cells):
            continue
        if _is_numeric_row(cells):
            return k
    # no figures at all: a listing such as the 目录 ("表1 | 收支总表 | 否"), whose rows
    # start with a table number, still has only its first rows as header
    for k, cells in enumerate(rows):
        first = next((c for c in cells if c), "")
        if k and re_(r"表\s*\d+").fullmatch(first):
            return k
    # nor does a blank form (the 决算 template): its first numbered item or 科目 code starts
    # the rows ("一、一般公共预算财政拨款收入", "205 教育支出")
    for k, cells in enumerate(rows):
        first = next((c for c in cells if c), "")
        if k and (re_(r"[一二三四五六七八九十]+[、.．]\S").match(first) or parse_code(first) is not None):
            return k
    return len(rows)


def _column_paths(header_rows: list[list[str]], width: int) -> list[Column]:
    rows = [r for r in header_rows if not _is_ordinal_row(r) and not _is_decoration_row(r)]
    grid = [[(r[j] if j < len(r) else "") for j in range(width)] for r in rows]
    filled = [row[:] for row in grid]
    for i, row in enumerate(filled):
        if i == len(filled) - 1:
            break  # the last header row names leaf columns; its blanks are not spans
        for j in range(1, width):
            if not grid[i][j] and filled[i][j - 1] and (i == 0 or filled[i - 1][j] == filled[i - 1][j - 1]):
                # a blank right of a group header continues that group, unless a lower
                # row of this column starts a separate column of its own and nothing is above
                below = [grid[k][j] for k in range(i + 1, len(grid))]
                origin = next(k for k in range(j - 1, -1, -1) if grid[i][k] or k == 0)
                # the first column's header with nothing under it spans down over the row
                # labels ("支出项目类别"), not across: the blank beside it heads its own column
                spans_down = origin == 0 and not any(grid[k][0] for k in range(i + 1, len(grid)))
                if any(below) and not spans_down:
                    row[j] = filled[i][j - 1]
    cols = []
    for j in range(width):
        path: list[str] = []
        for i in range(len(filled)):
            t = filled[i][j].replace(" ", "")
            if t and (not path or path[-1] != t):
                path.append(t)
        cols.append(Column(index=j, path=path))
    return cols


def _is_money_column(col: Column | None) -> bool:
    if col is None:
        return True
    words = _config()["non_money_headers"]
    return not any(w in part for part in col.path for w in words)


def is_code_column(col: Column) -> bool:
    """Whether a column holds 科目 codes, by its header."""
    return any(w in p for p in col.path for w in ("编码", "代码")) or (bool(col.path) and col.path[-1] in ("类", "款", "项", "科目"))


def _split_code_columns(cols: list[Column]) -> list[int] | None:
    idx = {}
    for c in cols:
        leaf = c.path[-1] if c.path else ""
        if leaf in ("类", "款", "项") and leaf not in idx:
            idx[leaf] = c.index
    if "类" in idx and "款" in idx:
        return [idx[k] for k in ("类", "款", "项") if k in idx]
    return None


def _merge_segments(doc: Document) -> list[tuple[list[RawRow], list[str], Location, int]]:
    """Group raw tables into logical tables, joining page continuations."""
    groups: list[tuple[list[RawRow], list[str], Location, int]] = []
    blocks = doc.blocks
    last_table_idx = -10
    for i, b in enumerate(blocks):
        if not isinstance(b, RawTable):
            continue
        captions = _captions_before(blocks, i)
        between = blocks[last_table_idx + 1 : i] if last_table_idx >= 0 else None
        if groups and between is not None and _continues(groups[-1], b, between):
            rows, caps, loc, nseg = groups[-1]
            header = [_norm_row(r) for r in rows[: _header_count([list(_norm_row(r)) for r in rows])]]
            new_rows = list(b.rows)
            k = 0
            while k < len(new_rows) and (
                _norm_row(new_rows[k]) in header or _is_ordinal_row(list(_norm_row(new_rows[k])))
            ):
                k += 1
            rows.extend(new_rows[k:])
            loc = Location(loc.line, loc.start, b.location.end, end_line=b.location.end_line, page=loc.page)
            groups[-1] = (rows, caps, loc, nseg + 1)
        else:
            groups.append((list(b.rows), captions, b.location, 1))
        last_table_idx = i
    return groups


def _continues(prev, table: RawTable, between: list) -> bool:
    rows, caps, _, _ = prev
    if any(isinstance(b, Heading) for b in between):
        return False
    cap_set = {c.replace(" ", "") for c in caps}
    for b in between:
        t = clean_cell(b.text).replace(" ", "")
        if len(t) > MAX_CAPTION_CHARS:
            return False
        if t not in cap_set and not _is_furniture(t):
            return False
    width_prev = max(len(r.cells) for r in rows)
    width_new = max(len(r.cells) for r in table.rows)
    header = {_norm_row(r) for r in rows[:4]}
    repeats_header = any(_norm_row(r) in header for r in table.rows[:4])
    if not between:
        return width_prev == width_new or repeats_header
    return repeats_header or (width_prev == width_new and all(clean_cell(b.text).replace(" ", "") in cap_set for b in between))


def build_tables(doc: Document) -> list[Table]:
    """Understand every table of a document."""
    tables = []
    for n, (raw_rows, captions, loc, nseg) in enumerate(_merge_segments(doc), start=1):
        tables.append(build_table(f"T{n}", raw_rows, captions, loc, nseg, doc))
    return tables


def build_table(tid: str, raw_rows: list[RawRow], captions: list[str], loc: Location, nseg: int, doc: Document) -> Table:
    cleaned = [[clean_cell(c) for c in r.cells] for r in raw_rows]
    width = max(len(r) for r in cleaned)
    h = _header_count(cleaned)
    header_rows = cleaned[:h]
    columns = _column_paths(header_rows, width)
    title = _pick_title(captions)
    unit = None
    for c in [*captions, *[" ".join(r) for r in header_rows]]:
        unit = unit_from_caption(c) or unit
    if unit is None:
        joined = "".join(c.replace(" ", "") for c in captions)
        unit = unit_from_caption(joined)
    split_code_cols = _split_code_columns(columns)
    money_col = [_is_money_column(c) for c in columns]
    n_cols = len(columns)
    rows: list[Row] = []
    for k in range(h, len(raw_rows)):
        texts = cleaned[k]
        if _is_decoration_row(texts) or _is_ordinal_row(texts):
            continue
        raw = raw_rows[k]
        line, page, starts, n_starts = raw.location.line, raw.location.page, raw.cell_starts, len(raw.cell_starts)
        r = len(rows)
        cells = []
        for j, text in enumerate(texts):
            start = starts[j] if j < n_starts else raw.location.start
            cloc = (line, start, start + len(raw.cells[j]), page)
            num = parse_number(text.replace(" ", "")) if text else None
            if num is None:
                cells.append(Cell(text, None, 0, cloc, r, j, False))
                continue
            col = columns[j] if j < n_cols else None
            is_code_col = split_code_cols is not None and j in split_code_cols
            code_like = num.decimals == 0 and parse_code(text) is not None and (
                col is None or not col.path or is_code_column(col)
            )
            is_money = (money_col[j] if j < n_cols else True) and not is_code_col and not code_like
            cells.append(Cell(text, num.value, num.decimals, cloc, r, j, is_money))
        code, name = row_code_name(cells, split_code_cols, columns)
        is_total = is_total_row(name, code, cells, first=not rows)
        rows.append(Row(index=len(rows), cells=cells, location=raw.location, code=code, name=name, is_total=is_total))
    _join_wrapped_labels(rows)
    kind = table_kind(title) or _kind_from_content(header_rows, rows)
    leaders = sum(1 for r in rows if r.name and LEADER_RE.search(r.name))
    toc_header = any(w in "".join(col.path) for col in columns for w in _config()["toc_headers"])
    if rows and (leaders * 2 >= len(rows) or toc_header):
        kind = "目录"  # a table of contents: its numbers are page numbers
        for r in rows:
            for c in r.cells:
                c.is_money = False
    return Table(
        id=tid,
        title=title,
        unit=unit,
        kind=kind,
        captions=captions,
        header_rows=header_rows,
        columns=columns,
        rows=rows,
        location=loc,
        segments=nseg,
        doubts=_read_doubts(rows),
    )


def _read_doubts(rows: list[Row]) -> list[str]:
    """What the reading leaves unsettled about the table's rows.

    A 科目 name standing alone on a row (no code, no figure) between coded rows is the trace
    of amounts printed over two lines ("5,293⏎.75"): the names below it then sit one row off
    their codes and figures, and rows may be lost.
    """
    coded = [i for i, r in enumerate(rows) if r.code]
    if len(coded) < 3:
        return []
    first, last = coded[0], coded[-1]
    headers = tuple(_config()["read_doubts"]["header_words"])
    loose = [
        r for r in rows[first + 1 : last]
        if not r.code and r.name and not r.is_total and not any(w in r.name for w in headers)
        and not any(c.is_money and c.value is not None for c in r.cells)
    ]
    if not loose:
        return []
    return [_config()["read_doubts"]["label_without_code"].format(name=loose[0].name.strip(), n=len(loose))]


def row_code_name(cells: list[Cell], split_cols: list[int] | None, columns: list[Column]) -> tuple[str | None, str | None]:
    """A row's 科目 code and name from its cells (``split_cols``: the 类/款/项 columns of a code
    printed in parts)."""
    code = None
    if split_cols:
        code = join_split_code([cells[j].text for j in split_cols if j < len(cells)])
    name = None
    for c in cells:
        t = c.text.strip()
        if not t:
            continue
        if split_cols and c.col in split_cols:
            continue
        parsed = parse_code(t)
        if parsed and c.value is not None and not c.is_money:
            code = code or parsed[0]
            continue
        if parsed and parsed[1] and c.value is None:
            # "[2101501]行政运行"
            code = code or parsed[0]
            name = name or parsed[1]
            continue
        if c.value is None and name is None:
            name = t
        if c.value is not None and c.is_money:
            break
    return code, name


def _label_only(row: Row) -> Cell | None:
    non_empty = [c for c in row.cells if c.text.strip()]
    if len(non_empty) == 1 and non_empty[0].value is None and not row.code:
        return non_empty[0]
    return None


def _is_wrapped_tail(prev: Row, frag: Cell, following: Row | None) -> bool:
    """Whether a lone text fragment continues the label above it rather than being an item.

    Lists of items with no figures ("公共安全支出 / 教育支出 / …") look like wrapped
    labels; a tail is short, starts no item of its own and follows a row of figures or a
    long label that reached the cell's width.
    """
    text = frag.text.strip()
    if ITEM_START_RE.match(text) or is_listed_total(text):
        return False
    if frag.col >= len(prev.cells):
        return False
    above = prev.cells[frag.col].text.strip()
    if not above or prev.cells[frag.col].value is not None:
        return False
    if len(above) >= WRAP_WIDTH:
        return True
    if following is not None and _label_only(following) is not None:
        return False  # a run of label-only rows is a list
    prev_has_figures = any(c.value is not None for c in prev.cells) or prev.code is not None
    return prev_has_figures and len(text) <= 4


def _join_wrapped_labels(rows: list[Row]) -> None:
    """A row holding only a fragment of text under a label is that label's wrapped tail."""
    keep: list[Row] = []
    for i, row in enumerate(rows):
        frag = _label_only(row)
        if keep and frag is not None:
            prev = keep[-1]
            following = rows[i + 1] if i + 1 < len(rows) else None
            if _is_wrapped_tail(prev, frag, following):
                prev.cells[frag.col].text += frag.text
                if prev.name and prev.cells[frag.col].text.startswith(prev.name):
                    prev.name = prev.cells[frag.col].text
                continue
        keep.append(row)
    for i, row in enumerate(keep):
        row.index = i
        for c in row.cells:
            c.row = i
    rows[:] = keep
