"""Plant one defect at a time into a clean disclosure, recording exactly what and where.

A mutation is one text edit (``start``/``end`` in the original text, replaced by ``new``)
plus the places it should be reported at (``spans``, offsets in the *mutated* text).
Sites are chosen from the unmodified document's own review, so only defects the document
gives a way to detect are planted: a prose amount is only changed when the review verified
it against a table figure, a direction word only where the base or the percentage is stated,
a table cell only where a sum of the table (or another table) constrains it, and so on.
Sampling uses a seeded RNG, so the mutant set is deterministic.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

import regex
import yaml

from gouji.alignment.figures import lookup
from gouji.alignment.findings import Finding
from gouji.alignment.review import Review
from gouji.ingest.document import Document, Heading, Paragraph, RawTable
from gouji.narrative.claims import Claim, Quantity
from gouji.quantities.intervals import total
from gouji.quantities.units import factor
from gouji.tables.model import Cell, Table

HERE = Path(__file__).resolve().parent
NUMBER_RE = regex.compile(r"[-−]?\d[\d,]*(?:\.\d+)?")


@cache
def rules() -> dict[str, Any]:
    """The mutation rules of ``rules.yaml``."""
    return yaml.safe_load((HERE / "rules.yaml").read_text(encoding="utf-8"))


@dataclass
class Mutation:
    """One planted defect: a single edit of the original text and where it must be reported."""

    id: str
    doc: str
    kind: str
    start: int  # edit, in original offsets
    end: int
    old: str
    new: str
    spans: list[tuple[int, int]]  # where a finding may point (the edited place first), mutated offsets
    detail: str
    site: dict[str, Any] = field(default_factory=dict)

    def apply(self, text: str) -> str:
        """The mutated text."""
        assert text[self.start : self.end] == self.old, (self.id, text[self.start : self.end], self.old)
        return text[: self.start] + self.new + text[self.end :]

    def map_offset(self, offset: int) -> int:
        """An original offset in mutated coordinates (offsets inside the edit clamp to it)."""
        if offset <= self.start:
            return offset
        if offset >= self.end:
            return offset + len(self.new) - len(self.old)
        return min(self.start + len(self.new), offset)

    def map_span(self, span: tuple[int, int]) -> tuple[int, int]:
        return self.map_offset(span[0]), self.map_offset(span[1])

    @property
    def expected_checks(self) -> list[str]:
        """The checks meant to catch this defect (``rules.yaml: expected_checks``)."""
        table = rules()["expected_checks"]
        if self.kind == "percent":
            keys = [f"percent.{self.site.get('what', 'change')}"]
        elif self.kind == "table_cell":
            keys = [f"table_cell.{r}" for r in self.site.get("relations", [])]
        else:
            keys = [self.kind]
        return sorted({c for k in keys for c in table.get(k, [])})

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc": self.doc,
            "kind": self.kind,
            "edit": [self.start, self.end],
            "old": self.old,
            "new": self.new,
            "spans": [list(s) for s in self.spans],
            "detail": self.detail,
            "site": self.site,
            "expected_checks": self.expected_checks,
        }


# ---------------------------------------------------------------- helpers


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Half-open spans overlap (a zero-width span overlaps a span that contains it)."""
    if a[0] == a[1]:
        return b[0] <= a[0] < b[1] or a == b
    if b[0] == b[1]:
        return a[0] <= b[0] < a[1]
    return a[0] < b[1] and b[0] < a[1]


def finding_spans(f: Finding) -> list[tuple[int, int]]:
    """Every place a finding points at: its span and its evidence cells."""
    out = [tuple(f.span)]
    for ev in f.evidence or []:
        loc = ev.get("location") if isinstance(ev, dict) else None
        if loc and "start" in loc and "end" in loc:
            out.append((int(loc["start"]), int(loc["end"])))
    return out  # type: ignore[return-value]


def flagged(review: Review, span: tuple[int, int]) -> bool:
    """Whether the unmodified review already has a warning or error pointing at ``span``."""
    return any(
        f.severity in ("error", "warning") and any(overlaps(s, span) for s in finding_spans(f))
        for f in review.findings
    )


def format_like(value: Decimal, template: str) -> str:
    """``value`` written like ``template``: same decimals, thousands separators if it had them."""
    m = NUMBER_RE.search(template)
    body = m.group() if m else template
    decimals = len(body.split(".")[1]) if "." in body else 0
    q = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{q:,.{decimals}f}" if "," in body else f"{q:.{decimals}f}"
    return text


def changed_number(old_text: str, relative: float, min_abs: Decimal) -> str:
    """A number written like ``old_text`` that differs from it by ``relative`` (at least ``min_abs``)."""
    m = NUMBER_RE.search(old_text)
    assert m is not None, old_text
    value = Decimal(m.group().replace(",", "").replace("−", "-"))
    step = max(abs(value) * Decimal(str(relative)).copy_abs(), min_abs)
    new = value + step if relative >= 0 or value - step < 0 else value - step
    return format_like(new, m.group())


def _number_edit(doc_text: str, span: tuple[int, int]) -> tuple[int, int, str]:
    """Offsets and text of the number inside the written quantity at ``span``."""
    written = doc_text[span[0] : span[1]]
    m = NUMBER_RE.search(written)
    assert m is not None, written
    return span[0] + m.start(), span[0] + m.end(), m.group()


def _quantity_mutation(
    mid: str, doc: str, kind: str, text: str, q: Quantity, new_number: str, detail: str, site: dict
) -> Mutation:
    s, e, old = _number_edit(text, q.span)
    delta = len(new_number) - len(old)
    return Mutation(mid, doc, kind, s, e, old, new_number, [(q.span[0], q.span[1] + delta)], detail, site)


def transposed_number(old_text: str, rng: random.Random, min_abs: Decimal) -> str | None:
    """Two adjacent different digits of ``old_text`` swapped (a typing slip), changing it by ≥ ``min_abs``."""
    m = NUMBER_RE.search(old_text)
    assert m is not None, old_text
    body = m.group()
    value = Decimal(body.replace(",", "").replace("−", "-"))
    pairs = [i for i in range(len(body) - 1) if body[i].isdigit() and body[i + 1].isdigit() and body[i] != body[i + 1]]
    rng.shuffle(pairs)
    for i in pairs:
        new = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
        if new[0] == "0" and len(new.split(".")[0]) > 1:
            continue  # no leading zero
        if abs(Decimal(new.replace(",", "").replace("−", "-")) - value) >= min_abs:
            return new
    return None


def changed_amount(old_text: str, rng: random.Random, cfg: dict[str, Any], unit: str) -> tuple[str, str]:
    """A changed amount and the style of change (``rules.yaml: amount``)."""
    style = _choice(rng, cfg["styles"])
    if style == "transpose":
        new = transposed_number(old_text, rng, Decimal(str(cfg["min_transpose_wan"])) / factor(unit))
        if new is not None:
            return new, "transpose"
    rel = _choice(rng, cfg["relative"])
    return changed_number(old_text, rel, Decimal(str(cfg["min_wan"])) / factor(unit)), "relative"


def _choice(rng: random.Random, options: list) -> Any:
    return options[rng.randrange(len(options))]


# ---------------------------------------------------------------- site pickers


def _table_verified(c: Claim) -> bool:
    return bool(c.evidence) and c.amount is not None and not c.malformed and c.status == "consistent"


def amount_sites(review: Review, doc: str, rng: random.Random) -> Iterator[Mutation]:
    """Prose amounts the review verified against a table figure, changed by ~10 %.

    Left out: amounts whose table figure is only approximately the same quantity
    (``subjects.yaml: relation: approximate``, e.g. 机关运行经费 vs 公用经费) — a 10 % change
    of those contradicts nothing the document states.
    """
    r = rules()["amount"]
    text = review.document.text
    for c in review.claims.claims:
        if not _table_verified(c) or c.amount.value == 0 or flagged(review, c.amount.span):
            continue
        if lookup(c, review.tables).approximate:
            continue
        new, style = changed_amount(c.amount.text, rng, r, c.amount.unit)
        yield _quantity_mutation(
            "", doc, "amount", text, c.amount, new, f"{c.subject} {c.amount.text} → {new} ({style})",
            {"claim": c.id, "style": style},
        )


def unit_sites(review: Review, doc: str, rng: random.Random) -> Iterator[Mutation]:
    """万元 ↔ 元 for non-zero amounts the review verified against a table figure."""
    swap: dict[str, str] = rules()["unit"]["swap"]
    text = review.document.text
    for c in review.claims.claims:
        if not _table_verified(c) or c.amount.value == 0 or flagged(review, c.amount.span):
            continue
        s, e = c.amount.span
        written = text[s:e]
        m = regex.search(r"(万元|万|元)\s*$", written)
        if m is None or m.group(1) not in swap:
            continue
        new_unit = swap[m.group(1)]
        us, ue = s + m.start(1), s + m.end(1)
        delta = len(new_unit) - (ue - us)
        yield Mutation(
            "", doc, "unit", us, ue, m.group(1), new_unit, [(s, e + delta)],
            f"{c.subject} {written} → {written[: m.start(1)]}{new_unit}", {"claim": c.id},
        )


def direction_sites(review: Review, doc: str, rng: random.Random) -> Iterator[Mutation]:
    """The direction word of a verified comparison that states its base or its percentage."""
    swap: dict[str, str] = rules()["direction"]["swap"]
    words = sorted(swap, key=len, reverse=True)
    text = review.document.text
    for c in review.claims.claims:
        cmp = c.comparison
        if cmp is None or cmp.direction not in ("increase", "decrease") or cmp.cue_span is None:
            continue
        if c.amount is None or c.malformed or c.status != "consistent":
            continue
        if not (cmp.base is not None or (cmp.percent is not None and cmp.delta is not None)):
            continue
        cue = text[cmp.cue_span[0] : cmp.cue_span[1]]
        hit = next(((cue.find(w), w) for w in words if w in cue), None)
        if hit is None:
            continue
        i, w = hit
        s = cmp.cue_span[0] + i
        place = (s, s + len(w))
        if flagged(review, place):
            continue
        new = swap[w]
        end = cmp.delta.span[1] if cmp.delta else place[1]
        spans = [(s, s + len(new)), (s, end + len(new) - len(w))]
        yield Mutation(
            "", doc, "direction", s, s + len(w), w, new, spans[1:] if cmp.delta else spans[:1],
            f"{c.subject}: {w} → {new}", {"claim": c.id, "stated": "base" if cmp.base else "percent"},
        )


def percent_sites(review: Review, doc: str, rng: random.Random) -> Iterator[Mutation]:
    """A verified change percentage or share moved by a few percentage points."""
    points: list[int] = list(rules()["percent"]["shift_points"])
    text = review.document.text
    by_id = review.claims.by_id()
    for c in review.claims.claims:
        if c.amount is None or c.malformed or c.status != "consistent":
            continue
        candidates: list[tuple[Quantity, str]] = []
        cmp = c.comparison
        if cmp is not None and cmp.percent is not None and (
            cmp.base is not None or (cmp.delta is not None and cmp.direction in ("increase", "decrease"))
        ):
            candidates.append((cmp.percent, "change"))
        whole = by_id.get(c.part_of) if c.part_of else None
        if c.share is not None and whole is not None and whole.amount is not None and not whole.malformed:
            candidates.append((c.share, "share"))
        for q, what in candidates:
            if flagged(review, q.span):
                continue
            order = points[:]
            rng.shuffle(order)
            for p in order:
                new_val = q.value + p
                if new_val < 0 or (what == "share" and new_val > 100):
                    continue
                new = format_like(new_val, text[q.span[0] : q.span[1]])
                yield _quantity_mutation(
                    "", doc, "percent", text, q, new, f"{c.subject} {what} {q.text} → {new}%",
                    {"claim": c.id, "what": what},
                )
                break


def parts_sites(review: Review, doc: str, rng: random.Random) -> Iterator[Mutation]:
    """One part of a complete list whose parts sum to the total, changed by ~10 %."""
    r = rules()["amount"]
    text = review.document.text
    by_id = review.claims.by_id()
    for g in review.claims.groups:
        parent = by_id[g.parent]
        parts = [by_id[p] for p in g.parts]
        if g.incomplete or len(parts) < 2:
            continue
        if g.kind == "delta":
            if parent.comparison is None or parent.comparison.delta is None:
                continue
            if not all(p.comparison and p.comparison.delta for p in parts):
                continue
            if any(p.comparison.direction != parent.comparison.direction for p in parts):
                continue
            qs = [p.comparison.delta for p in parts]
            whole = parent.comparison.delta
        else:
            if parent.amount is None or parent.malformed or any(p.amount is None or p.malformed for p in parts):
                continue
            qs = [p.amount for p in parts]
            whole = parent.amount
        if not total([q.interval() for q in qs]).overlaps(whole.interval()):
            continue  # the list does not add up already: nothing to plant
        # prefer parts the tables do not also confirm (that is what `amount` measures), non-zero
        order = sorted(range(len(parts)), key=lambda i: (bool(parts[i].evidence), qs[i].value == 0, i))
        i = order[0]
        q = qs[i]
        if flagged(review, q.span):
            continue
        new, style = changed_amount(q.text, rng, r, q.unit)
        yield _quantity_mutation(
            "", doc, "parts", text, q, new, f"part {parts[i].subject} {q.text} → {new} (of {whole.text}, {style})",
            {"parent": parent.id, "part": parts[i].id, "group_kind": g.kind, "style": style},
        )


# ---- table cells


def _tol(cells: Iterable[Cell]) -> Decimal:
    return sum((Decimal(5).scaleb(-(c.decimals + 1)) for c in cells), Decimal(0))


def _val(c: Cell | None) -> Decimal:
    return c.value if c is not None and c.value is not None and c.is_money else Decimal(0)


def _cell_at(row, col: int) -> Cell | None:
    return row.cells[col] if col < len(row.cells) else None


CellKey = tuple[str, int, int]  # table id, row, column


def cell_relations(tables: list[Table]) -> dict[CellKey, list[str]]:
    """Money cells that a sum of their table (or an equal figure of another table) constrains.

    Relations, each taken only when it holds in the document within rounding:
    ``hierarchy`` (科目 children sum to their parent row), ``column_total`` (top-level rows
    sum to the 合计 row), ``row_total`` (cells right of a 合计 column sum to it), ``cross``
    (the same 科目 code shows the same figure in another table).
    """
    return _relations(tables)[0]


def _relations(tables: list[Table]) -> tuple[dict[CellKey, list[str]], dict[CellKey, set[tuple[int, int]]]]:
    """Relations of each constrained cell, and the cells on the other side of them.

    The other side of a part is the whole it sums to (parent row, 合计 cell); of a cross-table
    figure, its equal cells in other tables. A finding at either side of a broken equation is
    about the defect.
    """
    total_col_re = regex.compile(rules()["table_cell"]["total_columns"])
    rel: dict[CellKey, list[str]] = {}
    partners: dict[CellKey, set[tuple[int, int]]] = {}

    def add(t: Table, cells: Iterable[Cell | None], name: str, other: Iterable[Cell] = ()) -> None:
        others = {(o.location.start, o.location.end) for o in other}
        for c in cells:
            if c is not None and c.is_money and c.value is not None:
                key = (t.id, c.row, c.col)
                rel.setdefault(key, [])
                if name not in rel[key]:
                    rel[key].append(name)
                partners.setdefault(key, set()).update(others - {(c.location.start, c.location.end)})

    def holds(parts: list[Cell | None], whole: Cell | None) -> bool:
        present = [c for c in parts if c is not None and c.is_money and c.value is not None]
        if whole is None or not whole.is_money or whole.value is None or len(present) < 2:
            return False
        if all(c.value == 0 for c in present):
            return False
        s = sum((_val(c) for c in present), Decimal(0))
        return abs(s - whole.value) <= _tol([*present, whole])

    for t in tables:
        if t.kind == "目录" or not t.rows:
            continue
        money_cols = sorted({c.col for _, c in t.money_cells()})
        coded = {r.code: r for r in t.rows if r.code}
        # hierarchy
        for code, parent in coded.items():
            kids = [r for k, r in coded.items() if len(k) == len(code) + 2 and k.startswith(code)]
            if not kids:
                continue
            for j in money_cols:
                parts = [_cell_at(k, j) for k in kids]
                if holds(parts, _cell_at(parent, j)):
                    add(t, [*parts, _cell_at(parent, j)], "hierarchy", [_cell_at(parent, j)])
        # column totals
        totals = [r for r in t.rows if r.is_total]
        if totals:
            tot = totals[0]
            body = [r for r in t.rows if not r.is_total]
            if coded:
                top = min(len(k) for k in coded)
                body = [r for r in body if r.code and len(r.code) == top]
            for j in money_cols:
                parts = [_cell_at(r, j) for r in body]
                if holds(parts, _cell_at(tot, j)):
                    add(t, [*parts, _cell_at(tot, j)], "column_total", [_cell_at(tot, j)])
        # row totals
        tcols = [c.index for c in t.columns if c.path and total_col_re.match(c.path[-1])]
        for tc in tcols:
            right = [j for j in money_cols if j > tc]
            nxt = next((x for x in tcols if x > tc), None)
            if nxt is not None:
                right = [j for j in right if j < nxt]
            for r in t.rows:
                parts = [_cell_at(r, j) for j in right]
                if holds(parts, _cell_at(r, tc)):
                    add(t, [*parts, _cell_at(r, tc)], "row_total", [_cell_at(r, tc)])
    # cross-table: same code, same figure
    seen: dict[tuple[str, Decimal], list[tuple[Table, Cell]]] = {}
    for t in tables:
        if t.kind == "目录":
            continue
        for _row, c in t.money_cells():
            code = t.code_of(c)
            if code and c.value:
                seen.setdefault((code, c.value), []).append((t, c))
    for hits in seen.values():
        if len({t.id for t, _ in hits}) >= 2:
            for t, c in hits:
                add(t, [c], "cross", [o for u, o in hits if u.id != t.id])
    return rel, partners


def table_cell_sites(review: Review, doc: str, rng: random.Random) -> Iterator[Mutation]:
    """A money cell that a sum constrains, changed by ~10 % (cells no claim cites)."""
    r = rules()["table_cell"]
    text = review.document.text
    cited = {
        (ev["location"]["start"], ev["location"]["end"])
        for c in review.claims.claims
        for ev in c.evidence
        if isinstance(ev, dict) and "location" in ev
    }
    tables = {t.id: t for t in review.tables}
    relations, partners = _relations(review.tables)
    for (tid, row, col), names in sorted(relations.items()):
        t = tables[tid]
        cell = t.rows[row].cells[col]
        span = (cell.location.start, cell.location.end)
        if cell.value == 0 or span in cited or flagged(review, span):
            continue
        raw = text[span[0] : span[1]]
        m = NUMBER_RE.search(raw)
        if m is None:
            continue
        rel = _choice(rng, r["relative"])
        new = changed_number(m.group(), rel, Decimal(str(r["min_units"])))
        s, e = span[0] + m.start(), span[0] + m.end()
        delta = len(new) - (e - s)
        mut = Mutation(
            "", doc, "table_cell", s, e, m.group(), new, [(span[0], span[1] + delta)],
            f"{t.title or t.id} 第{cell.location.line}行 {t.label_of(cell)} {m.group()} → {new} ({', '.join(names)})",
            {"table": tid, "line": cell.location.line, "col": col, "relations": names},
        )
        # the other side of each broken equation (the 合计 / parent cell, the equal cell elsewhere)
        mut.spans += [mut.map_span(p) for p in sorted(partners.get((tid, row, col), ()))]
        yield mut


# ---- missing table


def _toc_key(text: str, unit_name: str | None) -> str:
    t = text
    if unit_name:
        t = t.replace(unit_name, "")
    for p in rules()["missing_table"]["strip_patterns"]:
        t = regex.sub(p, "", t)
    return t


def _strip_parens(key: str) -> str:
    return regex.sub(r"[（(][^（）()]*[)）]", "", key)


def toc_entries(doc: Document) -> list[tuple[str, tuple[int, int]]]:
    """Lines (or tab cells) of the table of contents with their offsets: (key, span)."""
    r = rules()["missing_table"]
    head = regex.compile(r["toc_heading"])
    out: list[tuple[str, tuple[int, int]]] = []
    pos = 0
    lines = doc.text.splitlines(keepends=True)
    starts = []
    for ln in lines:
        starts.append(pos)
        pos += len(ln)
    for i, ln in enumerate(lines):
        if not head.match(ln.strip()):
            continue
        for k in range(i + 1, min(len(lines), i + 1 + r["toc_max_lines"])):
            off = starts[k]
            for cell in lines[k].rstrip("\r\n").split("\t"):
                key = _toc_key(cell, doc.meta.unit_name)
                if len(key) >= 4 and "表" in key:
                    lead = len(cell) - len(cell.lstrip())
                    out.append((key, (off + lead, off + len(cell.rstrip()))))
                off += len(cell) + 1
    return out


def _caption_start(doc: Document, table: Table) -> int:
    """Start of the caption lines (title, unit line) above the table's first row."""
    r = rules()["missing_table"]
    idx = next(i for i, b in enumerate(doc.blocks) if isinstance(b, RawTable) and b.location.start >= table.location.start)
    start = doc.blocks[idx].location.start
    j, n = idx - 1, 0
    while j >= 0 and n < r["max_caption_lines"]:
        b = doc.blocks[j]
        if not isinstance(b, Paragraph | Heading) or len(b.text) > r["max_caption_chars"] or b.text.rstrip().endswith("。"):
            break
        start = b.location.start
        n += 1
        if isinstance(b, Heading):
            break
        j -= 1
    # from the beginning of that line
    return doc.text.rfind("\n", 0, start) + 1


def missing_table_sites(review: Review, doc: str, rng: random.Random) -> Iterator[Mutation]:
    """A table with rows whose title the 目录 lists, removed with its caption."""
    d = review.document
    entries = toc_entries(d)
    if not entries:
        return
    titled = [t for t in review.tables if t.rows and t.title and t.kind != "目录"]
    keys = {t.id: _toc_key(t.title or "", d.meta.unit_name) for t in titled}
    for t in titled:
        exact = [e for e in entries if e[0] == keys[t.id]]
        if not exact:
            loose = _strip_parens(keys[t.id])
            same_title = [u for u in titled if _strip_parens(keys[u.id]) == loose]
            exact = [e for e in entries if _strip_parens(e[0]) == loose]
            if len(same_title) != 1 or len(exact) != 1:
                continue
        start = _caption_start(d, t)
        end = t.location.end
        entry = next((e for e in exact if not (start <= e[1][0] < end)), None)
        if entry is None or flagged(review, entry[1]):
            continue
        old = d.text[start:end]
        mut = Mutation("", doc, "missing_table", start, end, old, "", [], f"removed {t.title} (目录: {d.text[entry[1][0]:entry[1][1]]})",
                       {"table": t.id, "title": t.title, "toc_line": d.line_of(entry[1][0])})
        mut.spans = [mut.map_span(entry[1])]
        yield mut


PICKERS = {
    "amount": amount_sites,
    "unit": unit_sites,
    "direction": direction_sites,
    "percent": percent_sites,
    "parts": parts_sites,
    "table_cell": table_cell_sites,
    "missing_table": missing_table_sites,
}


def plant(review: Review, doc: str, max_per_kind: int | None = None, kinds: Iterable[str] | None = None) -> list[Mutation]:
    """Every mutant of ``doc`` (sampled to ``max_per_kind`` per kind), deterministic for a document."""
    cfg = rules()
    limit = cfg["max_per_kind"] if max_per_kind is None else max_per_kind
    out: list[Mutation] = []
    for kind in kinds or cfg["kinds"]:
        rng = random.Random(f"{cfg['seed']}:{doc}:{kind}")
        sites = list(PICKERS[kind](review, doc, rng))
        if limit and len(sites) > limit:
            sites = sorted(rng.sample(sites, limit), key=lambda m: m.start)
        for n, m in enumerate(sites, start=1):
            m.id = f"{doc}#{kind}{n}"
            out.append(m)
    return out
