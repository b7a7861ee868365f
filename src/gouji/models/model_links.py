"""Model-assisted subject linking, run after the rule checks.

When a claim's subject resolves to no table figure through codes, aliases and row names
(``figures.lookup`` finds nothing), the table rows are ranked by the similarity of their
labels to the claim's subject (multilingual-e5-small embeddings). A link is accepted only
when the row's amount also agrees with the claim's within rounding (interval overlap), so
the model proposes and the arithmetic decides. An accepted link verifies the claim
(status consistent) and records the row as evidence with its similarity. A ranked row whose
amount disagrees produces nothing: only rule-linked comparisons produce findings.

Guards (words in ``data/model_links.yaml``) keep a link off a neighbouring quantity that
equals the claim only by the budget's structure: the other side (a spending subject on an
income row, column or table, or the reverse), the other classification (a 功能分类 path on an
economic row, or the reverse), a table outside the kinds that define a known quantity
(``subjects.yaml``), and a broader or narrower row when another cell with the same amount is
labelled as the subject. Of a row's agreeing cells, the column whose header shares most with
the subject is taken. A claim another check has already judged (a finding) is never linked.
"""

from __future__ import annotations

from functools import cache

import regex

from gouji.alignment.checks import Context
from gouji.alignment.figures import (
    NAME_SKIP_KINDS,
    Figure,
    norm_label,
    norm_name,
    row_amounts_for_label,
    subject_specs,
)
from gouji.alignment.lookups import lookup_for, matches, usable_for_tables
from gouji.data import load_yaml
from gouji.narrative.claims import Claim
from gouji.patterns import re_
from gouji.records import dataclass
from gouji.tables.codes import code_kind, parse_code
from gouji.tables.model import Table

# accept only rows at least this similar to the subject (e5 cosines run high: unrelated
# budget labels score about 0.80-0.90, the same item written differently 0.92 and up)
MIN_SIMILARITY = 0.88
# the best-ranked row labels that may confirm an amount of 3 or more significant digits
TOP_K = 3
# an amount of few digits (0, 1, 20, 1.2) agrees with many rows by coincidence (0 with every
# empty line): only the single best row may confirm it, and only a close one
WEAK_DIGITS = 3
WEAK_MIN_SIMILARITY = 0.93


@dataclass
class Candidate:
    table: Table
    label: str
    figures: list[Figure]


@dataclass
class ModelLink:
    claim: str
    subject: str
    figure: Figure
    similarity: float
    rank: int

    def to_evidence(self) -> dict:
        ev = self.figure.to_evidence()
        ev["link"] = "model"
        ev["similarity"] = round(self.similarity, 4)
        ev["rank"] = self.rank
        return ev


def candidates(tables: list[Table]) -> list[Candidate]:
    """One candidate per labelled row of every budget table, with the row's amount figures.

    Tables whose rows name purchases or assets (政府采购表, 资产表, …) are left out, as the
    rules leave them out of name matching.
    """
    out: list[Candidate] = []
    for t in tables:
        if t.kind in NAME_SKIP_KINDS:
            continue
        seen: set[tuple[int, str]] = set()
        for row, cell in t.money_cells():
            label = t.label_of(cell)
            name = norm_label(label or "")
            if len(name) < 2 or (row.index, name) in seen:
                continue
            seen.add((row.index, name))
            figs, _ = row_amounts_for_label(t, row, name)
            if figs:
                out.append(Candidate(t, label, figs))
    return out


def eligible(ctx: Context, c: Claim, judged: set[str] | None = None) -> bool:
    """Claims the rules could not place: usable for tables, unverified, no finding, no figure found.

    ``judged``: ids of claims with a finding (computed from ``ctx.findings`` when not given).
    """
    if not usable_for_tables(ctx, c) or c.id in ctx.verified or c.id in ctx.unit_errors:
        return False
    if judged is None:
        judged = {f.claim for f in ctx.findings if f.claim}
    if c.id in judged:
        return False  # contradicted or doubtful: its evidence and status stand
    if len(norm_label(c.subject or "")) < 2:
        return False
    if c.amount is not None and c.amount.value == 0:
        return False  # a zero agrees with every empty line: a link would prove nothing
    return not lookup_for(ctx, c).figures


def link_claims(ctx: Context, encoder) -> list[ModelLink]:
    """Rank rows for every eligible claim; verify the claims whose amount a close row confirms."""
    judged = {f.claim for f in ctx.findings if f.claim}
    claims = [c for c in ctx.claims.claims if eligible(ctx, c, judged)]
    if not claims:
        return []
    cands = candidates(ctx.tables)
    # a link needs a row whose amount agrees: claims with none cannot link, so they are not
    # encoded (and a document without such claims never loads the model)
    claims = [c for c in claims if any(matches(f, c.amount.interval(), c) for x in cands for f in x.figures)]
    if not claims:
        return []
    labels = list(dict.fromkeys(norm_label(x.label) for x in cands))
    rows = encoder.passage(labels)
    queries = encoder.encode([norm_label(c.subject) for c in claims], "query", cache=True)
    sims = queries @ rows.T
    by_label: dict[str, list[Candidate]] = {}
    for x in cands:
        by_label.setdefault(norm_label(x.label), []).append(x)
    links: list[ModelLink] = []
    labelled: list[tuple[Figure, set[str]]] | None = None  # every money cell, built on first need
    for c, label_sims in zip(claims, sims, strict=True):
        link = _best(c, labels, by_label, label_sims)
        if link is None:
            continue
        if labelled is None:
            labelled = _labelled_cells(ctx.tables)
        if _better_elsewhere(c, link.figure, labelled):
            continue
        links.append(link)
        ctx.mark_verified(c, [f"{link.figure.table.id}:{link.figure.cell.location.line}:{link.figure.cell.col}"])
        c.evidence = [link.to_evidence()]
    return links


def weak_amount(c: Claim) -> bool:
    """Zero, or fewer than ``WEAK_DIGITS`` significant digits (trailing zeros do not count)."""
    v = c.amount.value
    return v == 0 or len(v.normalize().as_tuple().digits) < WEAK_DIGITS


def _best(c: Claim, labels: list[str], by_label: dict[str, list[Candidate]], label_sims) -> ModelLink | None:
    """The best-ranked agreeing row; rows of the same label (in several tables) share a rank."""
    stated = c.amount.interval()
    order = sorted(range(len(labels)), key=lambda i: -float(label_sims[i]))
    limit, floor = (1, WEAK_MIN_SIMILARITY) if weak_amount(c) else (TOP_K, MIN_SIMILARITY)
    for rank, i in enumerate(order[:limit], start=1):
        sim = float(label_sims[i])
        if sim < floor:
            return None
        for x in by_label[labels[i]]:
            for f in x.figures:
                if matches(f, stated, c) and admissible(c, f):
                    return ModelLink(c.id, c.subject, _best_column(c, f, stated), sim, rank)
    return None


# --- guards ------------------------------------------------------------------------


@cache
def _words() -> dict:
    return load_yaml("model_links.yaml")


@cache
def _level_re() -> regex.Pattern:
    levels = "|".join(regex.escape(x) for x in _words()["classification"]["function_levels"])
    return re_(rf"[(（](?:{levels})[)）]")


def side(text: str | None, head: bool) -> str | None:
    """``income``, ``expenditure`` or None (neither, or both) for a text.

    ``head``: a subject or row label, whose last side word decides (收入安排的支出 is
    spending); otherwise (a column header, a table title or kind) naming both is neither.
    """
    t = "".join((text or "").split())
    w = _words()["sides"]
    if not t or any(b in t for b in w["both"]):
        return None
    inc = max((t.rfind(x) for x in w["income"]), default=-1)
    exp = max((t.rfind(x) for x in w["expenditure"]), default=-1)
    if inc < 0 and exp < 0:
        return None
    if not head and inc >= 0 and exp >= 0:
        return None
    return "income" if inc > exp else "expenditure"


def figure_sides(f: Figure) -> list[str]:
    """The sides named by the figure's row label, column header, table title and table kind."""
    out = [side(f.label, True), side(f.column, False), side(f.table.title, False), side(f.table.kind, False)]
    return [x for x in out if x]


def subject_class(c: Claim) -> str | None:
    """``function`` or ``economic`` when the claim's code or wording says which classification it names."""
    if c.code:
        return "function" if code_kind(c.code) == "function" else "economic"
    w = _words()["classification"]
    subject = c.subject or ""
    if _level_re().search(subject) or any(x in subject for x in w["function_words"]):
        return "function"
    if any(x in subject for x in w["economic_words"]):
        return "economic"
    return None


def figure_class(f: Figure) -> str | None:
    """``function`` or ``economic`` by the row's 科目 code, else by the table's title."""
    code = f.table.code_of(f.cell) or f.row.code
    if code:
        return "function" if code_kind(code) == "function" else "economic"
    w = _words()["classification"]
    title = f"{f.table.title or ''}{f.table.kind or ''}"
    if any(x in title for x in w["economic_words"]):
        return "economic"
    if any(x in title for x in w["function_words"]):
        return "function"
    return None


def spec_kinds(c: Claim) -> set[str] | None:
    """Table kinds where a quantity the subject names exactly (subjects.yaml) is defined; None: any."""
    if not c.subject_id or not c.subject_exact:
        return None
    spec = subject_specs().get(c.subject_id) or {}
    kinds: set[str] = set()
    for fs in spec.get("figures", []):
        if fs.get("relation") == "approximate":
            continue
        if not fs.get("kinds"):
            return None
        kinds |= set(fs["kinds"])
    return kinds or None


def admissible(c: Claim, f: Figure) -> bool:
    """An agreeing figure the guards let the model link: same side, same classification, the
    quantity's own kind of table."""
    s = side(c.subject, True)
    if s and any(x != s for x in figure_sides(f)):
        return False
    sc, fc = subject_class(c), figure_class(f)
    if sc and fc and sc != fc:
        return False
    kinds = spec_kinds(c)
    return kinds is None or f.table.kind in kinds


def _shared(a: str, b: str) -> int:
    """Length of the longest run of characters common to ``a`` and ``b``."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _column_parts(f: Figure) -> list[str]:
    col = f.table.column(f.cell.col)
    return list(col.path) if col is not None and col.path else ([f.column] if f.column else [])


def _best_column(c: Claim, f: Figure, stated) -> Figure:
    """Of the row's agreeing cells under the same label, the one whose column header shares
    the longest run with the subject (parts common to all of them do not count); ``f`` on a tie."""
    t = f.table
    others = [
        Figure(t, f.row, x, t.label_of(x), (t.column(x.col).label if t.column(x.col) else ""))
        for x in f.row.cells
        if x.is_money and x.value is not None and x.col != f.cell.col and norm_label(t.label_of(x)) == norm_label(f.label)
    ]
    skip = load_yaml("table_kinds.yaml")["not_addend_headers"]
    others = [
        g
        for g in others
        if not any(w in part for part in _column_parts(g) for w in skip)
        and matches(g, stated, c)
        and admissible(c, g)
    ]
    if not others:
        return f
    figs = [f, *others]
    parts = [_column_parts(g) for g in figs]
    common = set.intersection(*(set(p) for p in parts))
    subject = norm_label(c.subject or "")
    floor = _words()["column_min_shared"]

    def score(p: list[str]) -> int:
        n = max((_shared(norm_label(x), subject) for x in p if x not in common), default=0)
        return n if n >= floor else 0

    scores = [score(p) for p in parts]
    best = max(range(len(figs)), key=lambda k: (scores[k], k == 0))
    return figs[best]


def _subject_names(c: Claim) -> set[str]:
    """The subject as a table would label it: whole, and the last part of a 类/款/项 path."""
    s = norm_name(c.subject or "")
    for x in _words()["subject_noise"]:
        s = s.replace(x, "")
    generic = set(_words()["generic_labels"])
    parts = [p for p in _level_re().split(s) if p and p not in generic]  # "…(项)支出": the 项
    return {x for x in (_level_re().sub("", s), parts[-1] if parts else "") if len(x) >= 2}


def _texts(f: Figure) -> set[str]:
    """Row label and column header parts of a figure, normalised, codes and generic words dropped."""
    generic = set(_words()["generic_labels"])
    out = set()
    for x in [f.label, *_column_parts(f)]:
        pc = parse_code(x or "")
        n = norm_label(pc[1] if pc and pc[1] else (x or ""))
        if len(n) >= 2 and n not in generic:
            out.add(n)
    return out


def _labelled_cells(tables: list[Table]) -> list[tuple[Figure, set[str]]]:
    """Every money cell of the tables names are matched in, with its row and column texts."""
    out = []
    for t in tables:
        if t.kind in NAME_SKIP_KINDS:
            continue
        for row, cell in t.money_cells():
            g = Figure(t, row, cell, t.label_of(cell), (t.column(cell.col).label if t.column(cell.col) else ""))
            texts = _texts(g)
            if texts:
                out.append((g, texts))
    return out


def _better_elsewhere(c: Claim, f: Figure, labelled: list[tuple[Figure, set[str]]]) -> bool:
    """Another cell with an agreeing amount is labelled (row or column) as the subject, the linked one is not.

    The model then picked a broader or narrower neighbour equal by the budget's structure
    (a 款 row for its only 项, 公务用车运行维护费 for 公务用车购置及运行费 with no purchase).
    """
    names = _subject_names(c)
    if not names or _texts(f) & names:
        return False
    stated = c.amount.interval()
    return any(g.cell is not f.cell and texts & names and matches(g, stated, c) for g, texts in labelled)


def run_models(ctx: Context, encoder) -> tuple[dict, list[ModelLink]]:
    """Model stage of a review: (summary for the report, accepted links).

    When the model cannot be loaded (no ``ml`` extra, no built model) the stage says it
    was skipped and why; the rule results stand unchanged.
    """
    from gouji.models.encoder import ModelUnavailable, model_status

    ok, why = (True, "") if encoder.loaded else model_status(encoder.model_ref)
    if not ok:
        return {"subject_linking": "skipped", "reason": why}, []
    try:
        links = link_claims(ctx, encoder)
    except ModelUnavailable as e:
        return {"subject_linking": "skipped", "reason": str(e)}, []
    return {"subject_linking": "used", "model": str(encoder.model_ref), "links": len(links)}, links
