"""What a stated reason is about, by the cue words of ``data/reasons.yaml``: its category
(人员变动, 机构改革/合并, …) and the budget items it names.

Both are rules a reviewer can extend without touching Python; ``gouji.models.reason_heads``
holds the learned alternatives and says where they are used instead.
"""

from __future__ import annotations

from functools import cache

import regex

from gouji.data import load_yaml
from gouji.patterns import alternation, re_
from gouji.records import dataclass

OTHER = "其他"
# the reason categories in the order the annotations, reports and trained heads use
# (``data/reasons.yaml`` tries its cue words in its own order and may add categories)
CATEGORIES: tuple[str, ...] = tuple(load_yaml("reasons.yaml")["category_order"])
IGNORED = re_(r"[“”\"'‘’「」《》\s]")



def squeeze(text: str) -> tuple[str, list[int]]:
    """``text`` without quotes and spaces, and the offset in ``text`` of each kept character."""
    keep: list[int] = []
    at = 0
    for m in IGNORED.finditer(text):
        keep.extend(range(at, m.start()))
        at = m.end()
    keep.extend(range(at, len(text)))
    return IGNORED.sub("", text), keep


@dataclass(frozen=True)
class _Rules:
    """The reason categories and items of reasons.yaml, with their patterns."""

    categories: list[tuple[str, regex.Pattern]]
    items: dict[str, dict]  # id -> {parent, aliases, mentions}
    alias: regex.Pattern
    alias_item: dict[str, str]
    mention: dict[str, regex.Pattern]  # item id -> aliases and mentions


@cache
def _rules() -> _Rules:
    data = load_yaml("reasons.yaml")
    cats = [(c["id"], re_(alternation(c["cues"]))) for c in data["categories"]]
    items = {it["id"]: it for it in data["items"]}
    alias_item = {a: it["id"] for it in data["items"] for a in it["aliases"]}
    mention = {i: re_(alternation(it["aliases"] + it.get("mentions", []))) for i, it in items.items()}
    return _Rules(cats, items, re_(alternation(alias_item)), alias_item, mention)


def categories() -> list[str]:
    """The categories in the order they are tried, then 其他."""
    return list(dict.fromkeys([c for c, _ in _rules().categories] + [OTHER]))


def reason_category(text: str) -> str:
    """The first category one of whose cue words the reason contains; 其他 when none."""
    s = IGNORED.sub("", text)
    for cat, pat in _rules().categories:
        if pat.search(s):
            return cat
    return OTHER


@dataclass(frozen=True)
class ItemMention:
    """An item of reasons.yaml named in a text, and where."""

    item: str
    span: tuple[int, int]  # offsets in the text searched
    text: str


def named_items(text: str) -> list[ItemMention]:
    """The items of ``reasons.yaml`` the text names by an alias (longest names first)."""
    s, keep = squeeze(text)
    r = _rules()
    out = []
    for m in r.alias.finditer(s):
        a, b = keep[m.start()], keep[m.end() - 1] + 1
        out.append(ItemMention(r.alias_item[m.group()], (a, b), text[a:b]))
    return out


def item_of(subject: str | None) -> str | None:
    """The item a claim's subject is (the last item named in it), None when it names none."""
    found = named_items(subject or "")
    return found[-1].item if found else None


def ancestors(item: str) -> list[str]:
    items = _rules().items
    out = []
    p = items[item].get("parent")
    while p and p not in out:
        out.append(p)
        p = items.get(p, {}).get("parent")
    return out


def related(a: str, b: str) -> bool:
    """The same item, or one is a part of the other."""
    return a == b or a in ancestors(b) or b in ancestors(a)


def mentions_item(text: str, item: str) -> bool:
    """The text names ``item`` by an alias or a shorter mention (会议 for 会议费)."""
    s, _ = squeeze(text)
    return bool(_rules().mention[item].search(s))


def foreign_items(subject: str | None, reason: str) -> tuple[str | None, list[ItemMention]]:
    """(claim's item, items the reason names that are unrelated to it).

    Empty when the claim's item is not a known item (a whole such as 支出总计 may be explained
    by anything), when the reason names the item itself, a part or a whole of it, or mentions
    it by a shorter word; so a list such as "压减会议、培训、公务接待等一般性支出" explaining 会议费
    is not reported.
    """
    own = item_of(subject)
    if own is None:
        return None, []
    named = named_items(reason)
    if not named or any(related(own, m.item) for m in named):
        return own, []
    # the words of the other items' names do not mention the claim's (公务用车 in 公务用车运行费)
    rest = list(reason)
    for m in named:
        rest[m.span[0] : m.span[1]] = "■" * (m.span[1] - m.span[0])
    rest = "".join(rest)
    if mentions_item(rest, own) or any(mentions_item(rest, p) for p in ancestors(own)):
        return own, []
    return own, named
