"""What a finding rests on, and the rule that an error must be earned by it.

Each finding carries a chain of links: the tables whose cells it reads (with the table's read
verdict), the link between a claim and a table figure, the claim's own parse. A check states
the links it knows of; ``grade`` adds the table reads and lets an ``error`` stand only when
every link is confirmed. Otherwise the finding becomes a ``warning`` that names the doubt
(读取存疑), so a misreading of the tool is never presented as a contradiction of the document.
A doubt that is itself a reading under which the figures agree exactly (``explaining_doubts``
of ``data/evidence.yaml``: the list's first amount is the sum of the rest, the difference is a
published column of the other table) makes the finding ``info``: the likelier account of the
mismatch is the tool's reading, not the document.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from gouji.alignment.findings import Finding
from gouji.data import load_yaml
from gouji.records import dataclass

# the kinds of link a finding can rest on
TABLE_READ = "table_read"  # the table's cells were read as published
SUBJECT_LINK = "subject_link"  # the claim names the quantity of the table figure (subject, scope, side, period, column)
CLAIM_PARSE = "claim_parse"  # the claim's amounts, base, whole or parts were read from its sentence unambiguously
STRUCTURE = "structure"  # the relation of a table's own figures (which rows or columns add up)


@dataclass(frozen=True)
class Link:
    """One step of a finding's evidence, and whether it is confirmed."""

    kind: str
    confirmed: bool
    note: str = ""  # why it is not confirmed (Chinese, shown in the message); or what confirms it
    ref: str | None = None  # the table or claim it is about
    name: str | None = None  # the doubt's name in data/evidence.yaml ``doubts``, when it has one

    def to_dict(self) -> dict:
        return {"kind": self.kind, "confirmed": self.confirmed, "note": self.note, "ref": self.ref, "name": self.name}


def doubt(kind: str, note: str, ref: str | None = None) -> Link:
    """An unconfirmed link, with the doubt in words."""
    return Link(kind, False, note, ref)


def named_doubt(kind: str, name: str, ref: str | None = None, **fields: object) -> Link:
    """The doubt ``name`` of ``data/evidence.yaml`` (its words filled in with ``fields``)."""
    return Link(kind, False, words()["doubts"][name].format(**fields), ref, name)


def confirmed(kind: str, note: str = "", ref: str | None = None) -> Link:
    return Link(kind, True, note, ref)


@cache
def words() -> dict:
    """The words of ``data/evidence.yaml``: messages of held-back findings and named doubts."""
    return load_yaml("evidence.yaml")




def _own_table(f: Finding) -> str | None:
    """The table whose own arithmetic a table-sum finding reports (that of its total)."""
    if f.check not in words()["own_arithmetic_checks"]:
        return None
    return next((ev.get("table") for ev in f.evidence if ev.get("role") == "total"), None)


@dataclass
class TableReads:
    """The read verdict of every table, and of every cell used as evidence.

    A table is doubtful when its own arithmetic fails somewhere beyond rounding or the reader
    left a doubt about its structure (``Table.doubts``). A cell is unconfirmed when its table
    has such a structural doubt, or the cell is a term of a failed sum of its table that is
    itself held back (a misread cell breaks the sums it is in). A failed sum that stands as an
    error is the document's own mistake, established on confirmed links: the cells are read
    as printed, and a published mistake does not make their reading doubtful.
    """

    tables: dict[str, Link]
    failed_cells: dict[tuple[str, int], int]  # (table id, cell start offset) -> held-back failed sums it is in
    structural: dict[str, str]  # table id -> the reader's doubts
    method: str = ""  # how the document's tables were read (ruled grid, tab-separated text…)
    # the recognition confidence of a span of the text (``Document.confidence``: a scan read by
    # OCR); None for a text layer
    confidence: Callable[[int, int], float | None] | None = None

    def recognised_doubt(self, start: int | None, end: int | None, kind: str, ref: str | None = None) -> Link | None:
        """A doubt when the text ``[start, end)`` was recognised on a page image with a
        confidence below ``evidence.yaml``'s ``ocr_confident``; None otherwise."""
        if self.confidence is None or start is None or end is None:
            return None
        c = self.confidence(start, end)
        if c is None or c >= words()["ocr_confident"]:
            return None
        return doubt(kind, words()["ocr_unconfirmed"].format(confidence=f"{c:.2f}", minimum=words()["ocr_confident"]), ref)

    def for_cell(self, ev: dict, own: bool = False) -> Link | None:
        """The read link of an evidence cell; ``own``: the finding is a sum of this very table,
        so only the reader's structural doubts apply (the sum's failure is its finding). A
        figure recognised with low confidence is never confirmed, own sum or not."""
        tid = ev.get("table")
        if tid not in self.tables:
            return None
        if tid in self.structural:
            return doubt(TABLE_READ, self.structural[tid], tid)
        loc = ev.get("location") or {}
        low = self.recognised_doubt(loc.get("start"), loc.get("end"), TABLE_READ, tid)
        if low is not None:
            return low
        if own:
            return confirmed(TABLE_READ, f"{self.method}；{words()['own_confirmed']}", tid)
        start = (ev.get("location") or {}).get("start")
        if (tid, start) in self.failed_cells:
            return doubt(TABLE_READ, words()["cell_unbalanced"].format(table=tid), tid)
        return confirmed(TABLE_READ, f"{self.method}；{words()['cell_confirmed']}" if self.method else words()["cell_confirmed"], tid)


def table_reads(
    tables: list, findings: list[Finding], source_format: str = "text", confidence: Callable[[int, int], float | None] | None = None
) -> TableReads:
    """The read verdicts from the tables' own sums (call before ``grade``: the failures
    counted are the checks' own verdicts); each says how the table was read. ``confidence``:
    the document's recognition confidence of a span (``Document.confidence``), for a scan."""
    w = words()
    method = w["read_methods"].get(source_format, w["read_methods"]["text"])
    failures: dict[str, int] = {}
    for f in findings:
        tid = _own_table(f)
        if tid is not None and f.severity == "error":
            failures[tid] = failures.get(tid, 0) + 1
    out, structural = {}, {}
    for t in tables:
        notes = list(t.doubts)
        if notes:
            structural[t.id] = "；".join(notes)
        if failures.get(t.id):
            notes.insert(0, w["table_unbalanced"].format(table=t.id, n=failures[t.id]))
        how = method + (w["read_merged"].format(n=t.segments) if t.segments > 1 else "")
        if notes:
            out[t.id] = doubt(TABLE_READ, "；".join(notes), t.id)
        else:
            out[t.id] = confirmed(TABLE_READ, f"{how}；{w['table_confirmed']}", t.id)
    return TableReads(out, {}, structural, method, confidence)


def grade(findings: list[Finding], reads: TableReads) -> int:
    """Add each finding's table reads to its chain; an error with an unconfirmed link becomes
    a warning naming the doubt (``held_back``), or ``info`` where a doubt explains the figures.
    Returns how many errors became warnings.

    A table-sum finding is its table's own arithmetic: the read of its cells, which the very
    sum makes doubtful, is not a link of it; the reader's doubts about the table are. Those
    findings are graded first: the cells of the ones held back are unconfirmed evidence for
    the others.
    """
    own_sums = [f for f in findings if _own_table(f) is not None]
    held = sum(_grade_one(f, reads) for f in own_sums)
    # the cells of a table's failed sums that were held back are unconfirmed evidence
    for f in own_sums:
        if f.held_back:
            tid = _own_table(f)
            for ev in f.evidence:
                if ev.get("table") == tid and ev.get("role") in ("total", "part"):
                    key = (tid, (ev.get("location") or {}).get("start"))
                    reads.failed_cells[key] = reads.failed_cells.get(key, 0) + 1
    return held + sum(_grade_one(f, reads) for f in findings if _own_table(f) is None)


def _grade_one(f: Finding, reads: TableReads) -> int:
    own = _own_table(f)
    for ev in f.evidence:
        if ev.get("role") == "related":
            continue
        link = reads.for_cell(ev, own=ev.get("table") == own)
        if link is not None and link not in f.chain:
            f.chain.append(link)
    # the text the finding is about (a claim's figures), when recognised on a page image
    low = reads.recognised_doubt(*f.span, CLAIM_PARSE if f.claim else TABLE_READ)
    if low is not None and low not in f.chain:
        f.chain.append(low)
    if f.severity != "error":
        return 0
    doubts = [x for x in f.chain if not x.confirmed]
    if not doubts:
        return 0
    w = words()
    explained = any(x.name in w["explaining_doubts"] for x in doubts)
    f.severity = "info" if explained else "warning"
    f.held_back = True
    notes = "；".join(dict.fromkeys(x.note for x in doubts if x.note)) or w["unconfirmed"]
    f.message = w["held_back"].format(message=f.message, doubts=notes)
    f.fields["doubts"] = notes
    return 0 if explained else 1  # the count is of errors reported as warnings
