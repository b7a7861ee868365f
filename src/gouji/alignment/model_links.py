"""Model-assisted subject linking, run after the rule checks.

When a claim's subject resolves to no table figure through codes, aliases and row names
(``figures.lookup`` finds nothing), the table rows are ranked by the similarity of their
labels to the claim's subject (multilingual-e5-small embeddings). A link is accepted only
when the row's amount also agrees with the claim's within rounding (interval overlap), so
the model proposes and the arithmetic decides. An accepted link verifies the claim
(status consistent) and records the row as evidence with its similarity. A ranked row whose
amount disagrees produces nothing: only rule-linked comparisons produce findings.
"""

from __future__ import annotations

from dataclasses import dataclass

from gouji.alignment.checks import Context, _lookup, _matches, _usable_for_tables
from gouji.alignment.figures import NAME_SKIP_KINDS, Figure, _row_amounts_for_label, norm_label
from gouji.narrative.claims import Claim
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
            figs, _ = _row_amounts_for_label(t, row, name)
            if figs:
                out.append(Candidate(t, label, figs))
    return out


def eligible(ctx: Context, c: Claim) -> bool:
    """Claims the rules could not place: usable for tables, unverified, no figure found."""
    if not _usable_for_tables(ctx, c) or c.id in ctx.verified or c.id in ctx.unit_errors:
        return False
    if len(norm_label(c.subject or "")) < 2:
        return False
    if c.amount is not None and c.amount.value == 0:
        return False  # a zero agrees with every empty line: a link would prove nothing
    return not _lookup(ctx, c).figures


def link_claims(ctx: Context, encoder) -> list[ModelLink]:
    """Rank rows for every eligible claim; verify the claims whose amount a close row confirms."""
    claims = [c for c in ctx.claims.claims if eligible(ctx, c)]
    if not claims:
        return []
    cands = candidates(ctx.tables)
    # a link needs a row whose amount agrees: claims with none cannot link, so they are not
    # encoded (and a document without such claims never loads the model)
    claims = [c for c in claims if any(_matches(f, c.amount.interval(), c) for x in cands for f in x.figures)]
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
    for c, label_sims in zip(claims, sims, strict=True):
        link = _best(c, labels, by_label, label_sims)
        if link is None:
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
                if _matches(f, stated, c):
                    return ModelLink(c.id, c.subject, f, sim, rank)
    return None


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
