"""The 目录: which tables a document says it contains, and which it says are empty and why."""

from __future__ import annotations

from bisect import bisect_right
from functools import cache, lru_cache

import regex

from gouji.data import load_yaml
from gouji.ingest.document import Document, Heading, Location, Paragraph
from gouji.patterns import re_
from gouji.records import dataclass
from gouji.tables.build import LEADER_RE, table_kind
from gouji.tables.model import Table

PAGE_RE = re_(r"\s*\d+\s*$")
DOTS_RE = re_(r"\.{3,}|…{2,}|·{3,}|．{3,}")  # leader dots anywhere in a 目录 line
BRACKETS_RE = re_(r"[（(][^）)]*[）)]")
YEAR_RE = re_(r"20\d\d\s*年度?")


@cache
def _re(name: str) -> regex.Pattern:
    """A pattern of table_kinds.yaml: toc."""
    return re_(load_yaml("table_kinds.yaml")["toc"][name])


@dataclass
class TocEntry:
    name: str
    number: str | None  # "表9"
    empty: bool  # the 目录 says the table is empty (是否空表: 是)
    reason: str | None  # 公开空表理由
    location: Location
    table: str  # id of the 目录 table

    @property
    def kind(self) -> str | None:
        return table_kind(self.name)


def read_toc(tables: list[Table], doc: Document | None = None) -> list[TocEntry]:
    """Entries naming a table ("…表") in every 目录 of the document: 目录 tables, and the
    list of lines that follows a "目 录" line."""
    out = _toc_lines(doc) if doc is not None else []
    for t in tables:
        if t.kind != "目录":
            continue
        empty_col = _col_with(t, "是否空表")
        reason_col = _col_with(t, "理由")
        for row in t.rows:
            texts = [c.text.strip() for c in row.cells]
            number = next((x for x in texts if _re("number").match(x.replace(" ", ""))), None)
            name = next((x for x in texts if "表" in x and not _re("number").match(x.replace(" ", "")) and len(x) >= 4), None)
            if name is None:
                continue
            name = PAGE_RE.sub("", LEADER_RE.sub("", name)).strip()
            if not name.endswith("表") and "表（" not in name and "表(" not in name:
                continue
            empty = empty_col is not None and empty_col < len(texts) and texts[empty_col] == "是"
            reason = texts[reason_col] if reason_col is not None and reason_col < len(texts) else ""
            out.append(TocEntry(name, number, empty, reason or None, row.location, t.id))
    return out


LIST_MARK_RE = re_(r"^(?:[-*•·]\s*)?(?:[一二三四五六七八九十廿]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])?\s*")
MAX_TOC_LINE = 60


@dataclass(frozen=True)
class TocLine:
    """One line of a 目录 written as text: its block, the title without leader dots, its page."""

    block: int  # index in ``Document.blocks``
    title: str
    page: str | None


def toc_lines(doc: Document, *, count_leaders: bool = True) -> list[TocLine]:
    """The lines of a 目录 written as text: the short lines after "目 录", up to the body.

    A line is short by its length with its leader dots (the 目录 entries of a check), or
    without them (``count_leaders=False``: the 目录 as a reader sees it)."""
    out: list[TocLine] = []
    blocks = doc.blocks
    for i, b in enumerate(blocks):
        if not isinstance(b, Heading | Paragraph) or not _re("heading").match(b.text.strip()):
            continue
        seen: set[str] = set()
        for j in range(i + 1, len(blocks)):
            nxt = blocks[j]
            if not isinstance(nxt, Heading | Paragraph):
                break
            line = nxt.text.strip()
            key = line.replace(" ", "")
            plain = DOTS_RE.sub(" ", line)
            length = len(key) if count_leaders else len(plain.replace(" ", ""))
            if length > MAX_TOC_LINE or key.endswith("。") or key in seen:
                break
            seen.add(key)
            page = PAGE_RE.search(plain)
            out.append(TocLine(j, PAGE_RE.sub("", plain).strip(), page.group().strip() if page else None))
        break
    return out


def _toc_lines(doc: Document) -> list[TocEntry]:
    """The 目录 lines that name a table, as entries."""
    out: list[TocEntry] = []
    blocks = doc.blocks
    for line in toc_lines(doc):
        b = blocks[line.block]
        name = PAGE_RE.sub("", LEADER_RE.sub("", LIST_MARK_RE.sub("", b.text.strip()))).strip()
        if _re("part").match(b.text.strip().replace(" ", "")):
            continue  # "第二部分 …部门预算表", "附件：…预算表" name a part, not a table
        if (name.endswith("表") or re_(r"表[（(][^）)]*[）)]$").search(name)) and _names_a_table(name, doc):
            out.append(TocEntry(name, None, False, None, b.location, "目录"))
    return out


def _names_a_table(name: str, doc: Document) -> bool:
    """Whether a 目录 line names one table: a known kind or a specific title, not a part
    ("单位预算表", "部门预算表" head the whole set of tables)."""
    return table_kind(name) is not None or len(title_key(name, doc.meta.unit_name)) >= 4


def _col_with(table: Table, word: str) -> int | None:
    for c in table.columns:
        if any(word in p for p in c.path):
            return c.index
    return None


@lru_cache(maxsize=4096)
def title_key(title: str, unit_name: str | None = None) -> str:
    """A table title reduced to what identifies it across 目录 and table captions."""
    t = title.replace(" ", "")
    if unit_name:
        t = t.replace(unit_name, "")
    t = BRACKETS_RE.sub("", t)
    t = YEAR_RE.sub("", t)
    t = re_(r"^(?:表|预算公开表)?\d+[.、．]?").sub("", t)
    return _re("generic_words").sub("", t)


class TitleLines:
    """The short lines of a document's prose by title key, found once: whether a line outside
    the 目录 carries an entry's title is then a lookup, not a pass over every block."""

    def __init__(self, doc: Document):
        self.unit_name = doc.meta.unit_name
        self._by_key: dict[str, list[Location]] = {}
        for b in doc.blocks:
            if isinstance(b, Heading | Paragraph):
                text = b.text.strip()
                if len(text) <= MAX_TOC_LINE:
                    # numbered as the 目录 lines are read: "四、2026年预算公开表"
                    key = title_key(LIST_MARK_RE.sub("", text), self.unit_name)
                    self._by_key.setdefault(key, []).append(b.location)

    def after(self, entry: TocEntry) -> bool:
        """Whether a line after the entry carries its title: the table is there, in a layout
        (a form, a cover page) that was not read as a grid."""
        places = self._by_key.get(title_key(entry.name, self.unit_name), [])
        k = bisect_right([p.start for p in places], entry.location.end)
        return any(p != entry.location for p in places[k:])



def match_entry(entry: TocEntry, tables: list[Table], unit_name: str | None) -> Table | None:
    """The table a 目录 entry refers to, by title."""
    key = title_key(entry.name, unit_name)
    if not key:
        return None
    for t in tables:
        if t.kind == "目录" or not t.title:
            continue
        if title_key(t.title, unit_name) == key:
            return t
    kind = entry.kind
    for t in tables:
        if t.kind == "目录" or not t.title or t.kind != kind:
            continue
        tk = title_key(t.title, unit_name)
        if tk and (key in tk or tk in key):
            return t
    return None
