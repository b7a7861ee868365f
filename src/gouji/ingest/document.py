"""The ``Document``: ordered blocks that keep their place in the source text."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import field, replace

from gouji.records import dataclass

TYPE_CHECKING = False  # typing's constant, without importing typing at every start
if TYPE_CHECKING:  # where a PDF's text is drawn; a text document has none to import
    from gouji.ingest.geometry import Box, Geometry


@dataclass(frozen=True, slots=True)
class Location:
    """Where something is in the source: 1-based lines, character offsets into ``Document.text``."""

    line: int
    start: int
    end: int
    end_line: int | None = None
    page: int | None = None

    def to_dict(self) -> dict:
        d = {"line": self.line, "start": self.start, "end": self.end}
        if self.end_line is not None and self.end_line != self.line:
            d["end_line"] = self.end_line
        if self.page is not None:
            d["page"] = self.page
        return d


@dataclass
class Heading:
    """A heading line of the document, with its level (1 outermost)."""

    text: str
    level: int
    location: Location
    kind: str = "heading"


@dataclass
class Paragraph:
    """Prose. ``text`` is the exact source slice ``Document.text[start:end]``."""

    text: str
    location: Location
    kind: str = "paragraph"


@dataclass
class RawRow:
    """One row of a table as read, its cells' texts and where they are."""

    cells: list[str]
    location: Location
    # character offset of each cell inside the document text
    cell_starts: list[int] = field(default_factory=list)


@dataclass
class RawTable:
    """Consecutive tab-separated rows, as found; understanding them is ``gouji.tables``' job."""

    rows: list[RawRow]
    location: Location
    kind: str = "table"


Block = Heading | Paragraph | RawTable


@dataclass
class DocumentMeta:
    """What the document says about itself: unit, year, 预算 or 决算, and how it was read."""

    unit_name: str | None = None
    year: int | None = None
    doc_kind: str | None = None  # 预算 or 决算
    encoding: str = "utf-8"
    source_format: str = "text"
    pages: int | None = None  # page count, for paged formats (PDF)


@dataclass
class Document:
    """A read document: its text, its blocks with their places, and its metadata."""

    path: str
    text: str
    blocks: list[Block]
    meta: DocumentMeta
    # page of each 1-based line (index 0 unused), for paged formats; None for text
    line_pages: list[int] | None = None
    # where the text is drawn (PDF): pieces of ``text`` with page and boxes; None when unknown
    geometry: Geometry | None = None

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset (a binary search: linear cost per document)."""
        cached = self.__dict__.get("_line_starts")
        if cached is None or cached[0] is not self.text:
            starts = [0]
            find, i = self.text.find, self.text.find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
            cached = self.__dict__["_line_starts"] = (self.text, starts)
        return bisect_right(cached[1], offset)

    def page_of_line(self, line: int) -> int | None:
        if self.line_pages is None or not 0 < line < len(self.line_pages):
            return None
        return self.line_pages[line]

    def location(self, start: int, end: int) -> Location:
        line = self.line_of(start)
        return Location(
            line=line,
            start=start,
            end=end,
            end_line=self.line_of(max(start, end - 1)),
            page=self.page_of_line(line),
        )

    def boxes(self, start: int, end: int) -> list[tuple[int, Box]]:
        """Where ``text[start:end]`` is drawn: (page, (x0, top, x1, bottom)) per visual line, in
        PDF points from the top-left of the page as shown; [] when the source has no geometry."""
        return [] if self.geometry is None else self.geometry.boxes(start, end)

    def confidence(self, start: int, end: int) -> float | None:
        """The lowest recognition confidence (0–1) of the text ``text[start:end]`` overlaps; None
        for a text layer (or no geometry)."""
        return None if self.geometry is None else self.geometry.confidence(start, end)

    def set_pages(self, line_pages: list[int]) -> None:
        """Record the page of every line and stamp it on every block's location."""
        self.line_pages = line_pages
        for block in self.blocks:
            block.location = replace(block.location, page=self.page_of_line(block.location.line))
            if isinstance(block, RawTable):
                for row in block.rows:
                    row.location = replace(row.location, page=self.page_of_line(row.location.line))
