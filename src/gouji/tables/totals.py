"""What makes a row or a column of a table a total: the one place that decides it.

The words are data (``data/totals.yaml``). Callers ask slightly different questions, each
named here:

- ``is_total_row`` (``Row.is_total``, set by ``build``): a row whose label marks it a total
  (``is_total_label``: a listed label or one ending with 合计/总计, numbered ones too, as in
  "一、本年收入合计"), or a table's first row when it has figures but neither label nor code;
- ``is_listed_total``: whether a cell's text, exactly as written, is a listed total label (a
  lone "合计" under a label is a row of its own, not the label's wrapped tail);
- ``total_kind``: a trailing total of a label column and its kind, ``grand`` (收入总计…) or
  ``subtotal`` (本年收入合计…); a numbered label heads its items and is none;
- ``total_row``: the table's own total row, a total row with no label or a trailing-total one;
- ``has_subtotal_word``: whether a label carries a subtotal word anywhere (本年收入, 小计…);
- ``is_grand_total_cell``: a 收支总表 cell whose next figure is the table's grand total;
- ``is_total_header``: whether a column header part heads a total column (…合计/小计/总计);
- ``own_amount_column``: the pattern of the leaf headers of a row's own-amount column.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

import regex

from gouji.data import load_yaml
from gouji.patterns import re_
from gouji.tables.numbering import item_style

TYPE_CHECKING = False  # typing's constant, without importing typing at every start
if TYPE_CHECKING:
    from gouji.tables.model import Cell, Row


@cache
def _cfg() -> dict:
    return load_yaml("totals.yaml")


@cache
def _row_labels() -> frozenset[str]:
    return frozenset(_cfg()["rows"]["labels"])


@cache
def _row_endings() -> tuple[tuple[str, str], ...]:
    return tuple(_cfg()["rows"]["endings"].items())


@cache
def _row_ending_words() -> tuple[str, ...]:
    return tuple(e for e, _ in _row_endings())


def _squeeze(text: str) -> str:
    return text.replace(" ", "")


def is_total_label(label: str) -> bool:
    """Whether a row labelled ``label`` is a total row ("合  计", "支出合计", "一、本年收入合计").

    Numbered labels count: ``total_kind`` is the stricter test of a trailing total.
    """
    t = _squeeze(label)
    return t in _row_labels() or t.endswith(_row_ending_words())


def is_total_row(name: str | None, code: str | None, cells: list[Cell], first: bool) -> bool:
    """Whether a row (its name, code and cells; ``first``: the table's first row) is a total
    row: its name is a total label, or it is the first row, with figures but neither name nor
    code."""
    label = _squeeze(name or "")
    return is_total_label(label) or (
        not label and not code and any(c.is_money and c.value is not None for c in cells) and first
    )


def is_listed_total(text: str) -> bool:
    """Whether ``text`` is, exactly as written (spaces kept), one of the listed total labels."""
    return text in _row_labels()


@lru_cache(maxsize=16384)
def total_kind(label: str) -> str | None:
    """``subtotal`` for 合计 rows (本年收入合计…), ``grand`` for 总计 rows (收入总计…), None
    for any other label; "一、本年支出合计" heads its items: a numbered item, not a trailing total."""
    t = _squeeze(label)
    if item_style(t):
        return None
    for ending, kind in _row_endings():
        if t.endswith(ending):
            return kind
    if t in _row_labels():
        return _cfg()["rows"]["listed_kind"]
    return None


def total_row(rows: Iterable[Row]) -> Row | None:
    """The table's own total row: the first total row (``Row.is_total``) that has no name or
    whose name is a trailing total (not a numbered item such as "一、本年收入合计")."""
    for r in rows:
        if r.is_total and (not r.name or total_kind(r.name)):
            return r
    return None


@cache
def _subtotal_words() -> tuple[str, ...]:
    return tuple(_cfg()["subtotal_words"])


def has_subtotal_word(label: str) -> bool:
    """Whether ``label``, as written, contains a word of a subtotal row (本年收入, 合计, 小计…)."""
    return any(w in label for w in _subtotal_words())


@cache
def _grand_total_cells() -> frozenset[str]:
    return frozenset(_cfg()["grand_total_cells"])


def is_grand_total_cell(text: str) -> bool:
    """Whether a cell's text (spaces removed) is a 收支总表's grand total label (收入总计)."""
    return _squeeze(text) in _grand_total_cells()


@cache
def _header_re() -> regex.Pattern:
    words = "|".join(regex.escape(w) for w in _cfg()["columns"]["endings"])
    return re_(f"(?:{words})$")


def is_total_header(part: str) -> bool:
    """Whether a column header part, as written, heads a total column (…合计 / 小计 / 总计)."""
    return _header_re().search(part) is not None


@cache
def own_amount_column() -> regex.Pattern:
    """Leaf headers of the column that holds a row's own amount (合计, 金额, 预算数, 2026年…)."""
    return re_(_cfg()["columns"]["own_amount"])


@cache
def change_column() -> regex.Pattern:
    """Words of a column header naming a change between years (比, 增减…)."""
    return re_(_cfg()["columns"]["change_between_years"])
