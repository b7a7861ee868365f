"""Findings that share a root, grouped into one problem: what a reviewer counts and fixes.

Handan's one wrong word is two findings (the direction against the figures, and against the
stated reason); a 科目 tree that fails fails in every column; a template leftover repeated is
the same text each time. Findings are one problem when they

- are about the same claim (the sentence a reviewer corrects once), or the same span;
- are the same equation of one table over several columns (its rows the same), or over
  several rows (its columns the same): ``equation_key``;
- state the same thing where no claim or table figure tells them apart (the same message).

The grouping is the transitive closure of these links. A problem's severity is its worst
finding's; its lead (whose message stands for it) the worst and first in the document.
"""

from __future__ import annotations

from gouji.labels import severities

_RANK = {s: i for i, s in enumerate(severities())}


def _cell_label(ev: dict) -> str:
    return (ev.get("code") or ev.get("row") or "").replace(" ", "")


def equation_key(f: dict) -> tuple | None:
    """The same relation of a table's figures whatever the column (or the row) it is read in.

    The cells a table finding sums (evidence roles ``total`` and ``part``) either share one
    column and differ by row, or share one row and differ by column: the key keeps the
    dimension that tells the equation and drops the other.
    """
    cells = [ev for ev in f.get("evidence") or [] if ev.get("role") in ("total", "part")]
    if len(cells) < 2:
        return None
    tables = tuple(sorted({ev.get("table") or "" for ev in cells}))
    rows = {(ev.get("table"), _cell_label(ev)) for ev in cells}
    columns = {(ev.get("table"), (ev.get("column") or "").replace(" ", "")) for ev in cells}
    if len(columns) == len(tables) and len(rows) > 1:  # one column per table: the rows make it
        return ("rows", f["check"], tables, tuple(sorted(rows)))
    if len(rows) == len(tables) and len(columns) > 1:  # one row per table: the columns make it
        return ("columns", f["check"], tables, tuple(sorted(columns)))
    return None


def _keys(f: dict) -> list[tuple]:
    loc = f.get("location") or {}
    keys: list[tuple] = [("span", loc.get("start"), loc.get("end"))]
    if f.get("claim"):
        keys.append(("claim", f["claim"]))
    eq = equation_key(f)
    if eq is not None:
        keys.append(eq)
    if not f.get("claim") and not f.get("evidence"):
        keys.append(("message", f["check"], f.get("message")))
    return keys


def _position(f: dict) -> tuple:
    loc = f.get("location") or {}
    return (loc.get("start") or 0, loc.get("end") or 0)


def group(findings: list[dict]) -> list[list[int]]:
    """Indexes of ``findings`` (the JSON report's form), grouped into problems, in document
    order of each problem's first finding; within a problem, the lead first."""
    parent = list(range(len(findings)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple, int] = {}
    for i, f in enumerate(findings):
        for k in _keys(f):
            if k in owner:
                a, b = find(owner[k]), find(i)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[k] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(findings)):
        groups.setdefault(find(i), []).append(i)

    def lead_order(i: int) -> tuple:
        return (_RANK.get(findings[i]["severity"], len(_RANK)), _position(findings[i]), i)

    out = [sorted(members, key=lead_order) for members in groups.values()]
    out.sort(key=lambda members: min(_position(findings[i]) + (i,) for i in members))
    return out


def problems(findings: list[dict]) -> list[dict]:
    """The problems of one document: ``id`` (P1…), ``severity``, ``check`` and ``message`` of
    the lead finding, ``checks`` involved, ``findings`` (ids, lead first) and ``count``."""
    out = []
    for n, members in enumerate(group(findings), 1):
        lead = findings[members[0]]
        out.append(
            {
                "id": f"P{n}",
                "severity": lead["severity"],
                "check": lead["check"],
                "message": lead["message"],
                "location": lead.get("location"),
                "checks": list(dict.fromkeys(findings[i]["check"] for i in members)),
                "findings": [findings[i]["id"] for i in members],
                "count": len(members),
            }
        )
    return out


# what a batch record keeps of each problem (the dashboard and the checklist read these)
RECORD_KEYS = ("id", "severity", "check", "checks", "findings", "count")


def brief(problem: dict) -> dict:
    """A problem as a batch record keeps it (``RECORD_KEYS``)."""
    return {k: problem[k] for k in RECORD_KEYS}


def counts(problem_list: list[dict]) -> dict[str, int]:
    """Problems per severity (of their worst finding)."""
    return {s: sum(1 for p in problem_list if p["severity"] == s) for s in severities()}
