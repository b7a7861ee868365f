"""Placing a claim against the tables: which claims may be compared, their figures, agreement.

The public helpers the prose checks (``alignment.checks``) and the model stage
(``models.model_links``) share: whether a claim's amount may be compared with the tables at
all, the table figures its subject resolves to (looked up once per claim), and whether a
figure agrees with a stated amount.
"""

from __future__ import annotations

from functools import cache

from gouji.alignment.figures import Figure, Lookup, lookup
from gouji.data import load_yaml
from gouji.narrative.claims import Claim
from gouji.quantities.intervals import Interval
from gouji.quantities.units import factor, min_decimals

TYPE_CHECKING = False  # typing's constant, without importing typing at every start
if TYPE_CHECKING:  # checks imports this module: the context is a type here only
    from gouji.alignment.checks import Context


def matches(f: Figure, stated: Interval, c: Claim) -> bool:
    """A published zero means "none": it never confirms a non-zero amount."""
    if f.cell.value == 0 and c.amount is not None and c.amount.value != 0:
        return False
    if f.interval.overlaps(stated):
        return True
    # prose that restates a 元 table in 万元 rounds where its writer chose ("3,855万元" for
    # 38,549,381 元): its precision is the one written, not the 0.01 of 万元 tables
    q = c.amount
    if q is not None and q.unit != "%" and f.unit != q.unit and q.decimals < min_decimals(q.unit):
        return f.interval.overlaps(Interval.rounded(q.value, q.decimals).scale(factor(q.unit)))
    return False


@cache
def project_kinds() -> frozenset[str]:
    """Kinds of table whose rows are single projects (table_kinds.yaml ``project_kinds``)."""
    return frozenset(load_yaml("table_kinds.yaml")["project_kinds"])


def usable_for_tables(ctx: Context, c: Claim) -> bool:
    parent = ctx.by_id.get(c.part_of) if c.part_of else None
    return (
        c.amount is not None
        and not c.blocked
        and not (parent is not None and parent.blocked)  # a part of a project's funds is the project's
        and not c.approximate
        and not c.malformed
        and (c.year is None or ctx.doc.meta.year is None or c.year == ctx.doc.meta.year)
        and not (parent is not None and item_detail(ctx, c, parent))
    )


def item_detail(ctx: Context, c: Claim, parent: Claim) -> bool:
    """Whether the claim is a component of a project or a 科目 that no subject names
    ("生态环境管理项目 22,346.88万元，主要包括：环境执法监督工作 4,629.93万元…"): the tables do
    not itemise a project's or a 科目's components, and a row of the same name elsewhere is
    another unit's project or the department's total of a kind."""
    if c.subject_id or c.code or parent.subject_id:
        return False
    if parent.code:
        return True
    return any(f.table.kind in project_kinds() for f in lookup_for(ctx, parent).figures)


def lookup_for(ctx: Context, c: Claim) -> Lookup:
    if c.id not in ctx.lookups:
        ctx.lookups[c.id] = lookup(c, ctx.comparable(), ctx.by_id.get(c.part_of) if c.part_of else None)
    return ctx.lookups[c.id]
