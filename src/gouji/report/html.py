"""The HTML review report: one self-contained file, prose and tables with every finding marked.

``report_model`` builds the JSON-serialisable data the template renders (tested as a golden
file); ``to_html`` renders it with Jinja2 (autoescaping on) and inlines the package's CSS and JS.
Everything is driven by offsets into ``Document.text``: claim spans, finding spans and evidence
locations become marks, and each block (paragraph, heading, table cell) is cut into segments at
the marks' boundaries, so any finding whose span or evidence points anywhere in the document is
rendered without knowing which check produced it.
"""

from __future__ import annotations

import base64
import hashlib
from bisect import bisect_left
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from gouji import __version__
from gouji.alignment.registry import SEVERITIES, catalogue, check_name, severity_rank
from gouji.alignment.review import Review
from gouji.ingest.document import Document, Location, RawRow, RawTable
from gouji.labels import (
    claim_status_of,
    severity_labels,
    status_labels,
    statuses,
    unverifiable_reasons,
    verified_bases,
)
from gouji.patterns import re_
from gouji.quantities.fixed import quantized
from gouji.quantities.intervals import Interval
from gouji.quantities.units import factor
from gouji.report.checklist import evaluate as evaluate_checklist
from gouji.report.json_report import report_dict
from gouji.report.problems import problems
from gouji.tables.model import Table
from gouji.tables.toc import toc_lines

SCHEMA = "gouji.html/1"
STATUS_RANK = {s: i for i, s in enumerate(statuses())}
STATUS_LABEL = status_labels()
BASIS_LABEL = {**verified_bases(), **unverifiable_reasons()}  # why a claim has its status
SEVERITY_LABEL = severity_labels()


def evidence_key(ev: dict) -> str:
    """Stable key of an evidence item: its document offsets."""
    loc = ev.get("location") or {}
    return f"e{loc.get('start')}-{loc.get('end')}"


def place(loc: dict | Location) -> str:
    """Where a reviewer finds it in the original: page for PDF, line for text."""
    d = loc.to_dict() if isinstance(loc, Location) else loc
    return f"第{d['page']}页" if d.get("page") is not None else f"第{d['line']}行"


PERCENT_PLACES = Decimal("0.01")


def _value(d: dict) -> Decimal:
    return Decimal(d["value"])


def _interval(d: dict) -> Interval:
    lo, hi = d["interval"]
    return Interval(Decimal(lo), Decimal(hi))


def _fmt(x: Decimal) -> str:
    s = format(quantized(x, Decimal("0.000001")).normalize(), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def diff(finding: dict) -> dict | None:
    """Stated vs expected (table or computed) value, their difference and what explains it,
    read from the finding's ``arithmetic`` (None when it states no figure to compare).

    The explanations test the rounding intervals of the published figures: the stated figure
    read in the other money unit, or with its sign reversed, agrees with the expected one.
    """
    a = finding.get("arithmetic")
    if not a or not a.get("stated"):
        return None
    st, res = a["stated"], a["result"]
    s, e = _value(st), _value(res)
    if a["unit"] == "%":  # a computed percentage shown as the prose writes one
        e = quantized(e, PERCENT_PLACES)
    stated_iv, expected_iv = _interval(st), _interval(res)
    reasons: list[str] = []
    unit = st["unit"]
    if a["unit"] != "%" and unit in ("元", "万元") and e != 0:
        other = "万元" if unit == "元" else "元"
        k = factor(other) / factor(unit)
        if stated_iv.scale(k).overlaps(expected_iv):
            sign = "×" if other == "万元" else "÷"
            reasons.append(f"单位：写作“{unit}”，按“{other}”计相符（{sign}10⁴）")
            if s * k != e:
                reasons.append(f"换算后相差 {_fmt(abs(e - s * k))}，属舍入")
    if s != 0 and (-stated_iv).overlaps(expected_iv) and not a["within_rounding"]:
        reasons.append("正负号相反：增减方向写反")
    delta = s - e
    if delta != 0 and not reasons and a["within_rounding"]:
        reasons.append("舍入差异")
    return {
        "stated": finding.get("actual"),
        "stated_value": _fmt(s),
        "expected": finding.get("expected"),
        "expected_value": _fmt(e),
        "expected_values": [_fmt(e)] + [_fmt(_value(x)) for x in a["alternatives"]],
        "difference": ("+" if delta > 0 else "") + _fmt(delta),
        "unit": "%" if a["unit"] == "%" else "万元",
        "explanation": reasons,
    }


# ---------------------------------------------------------------- marks and segments


# a cell holding one figure ("1,234.56", "-3.00", "(3.00)", "12.5%"): kept on one line, right-aligned
NUMBER_CELL = re_(r"[(（]?[-−+]?\d[\d,，]*(?:\.\d+)?[)）]?%?")
SHORT_MARK = 512  # characters: a claim's sentence or a cell is shorter; a finding over a table may not be


class _Marks:
    """Offset ranges that carry claim, finding and evidence ids, cut into render segments."""

    def __init__(self) -> None:
        self.items: list[tuple[int, int, str, str]] = []  # start, end, kind (c/f/e), id
        self._short: list[tuple[int, int, str, str]] = []
        self._starts: list[int] = []
        self._long: list[tuple[int, int, str, str]] = []

    def add(self, start: int | None, end: int | None, kind: str, ident: str) -> None:
        if start is None or end is None:
            return
        self.items.append((start, max(end, start + 1), kind, ident))

    def finish(self) -> None:
        self.items.sort()
        # the few long marks are looked at on every query; the short ones by binary search in a
        # window of SHORT_MARK, so that one long mark does not widen every query's window
        self._short = [m for m in self.items if m[1] - m[0] <= SHORT_MARK]
        self._starts = [m[0] for m in self._short]
        self._long = [m for m in self.items if m[1] - m[0] > SHORT_MARK]

    def _overlapping(self, start: int, end: int) -> list[tuple[int, int, str, str]]:
        """The marks overlapping [start, end), in the order of ``items``."""
        lo = bisect_left(self._starts, start - SHORT_MARK)
        hi = bisect_left(self._starts, end)
        found = [m for m in self._short[lo:hi] if m[1] > start]
        if self._long:
            found = sorted(found + [m for m in self._long if m[0] < end and m[1] > start])
        return found

    def any_within(self, start: int, end: int) -> bool:
        """Whether some mark overlaps [start, end)."""
        return bool(self._overlapping(start, end))

    def segments(self, text: str, start: int) -> list[dict]:
        """``text`` (at document offset ``start``) cut at mark boundaries."""
        end = start + len(text)
        inside = self._overlapping(start, end)
        if not inside:
            return [{"text": text}]
        cuts = sorted({start, end} | {max(start, min(end, p)) for m in inside for p in m[:2]})
        out = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            if a == b:
                continue
            seg: dict = {"text": text[a - start : b - start]}
            for m in inside:
                if m[0] <= a and m[1] >= b:
                    seg.setdefault({"c": "claims", "f": "findings", "e": "evidence"}[m[2]], []).append(m[3])
            out.append(seg)
        return out


def _tables_at(tables: list[Table], starts: list[int]) -> dict[int, Table]:
    """For each offset of ``starts``, the first table of ``tables`` whose span holds it: one
    binary search per table, not a pass over the tables per block."""
    points = sorted(set(starts))
    found: dict[int, Table] = {}
    for t in tables:
        lo, hi = t.location.start, max(t.location.end, t.location.start + 1)
        for p in points[bisect_left(points, lo) : bisect_left(points, hi)]:
            found.setdefault(p, t)
    return found


def _classify(seg: dict, claim_status: dict, finding_sev: dict, ev_status: dict) -> dict:
    """CSS classes of a segment: worst claim status, worst finding severity, evidence status."""
    if len(seg) == 1:
        return seg  # plain text
    cls = []
    if seg.get("claims"):
        cls.append("claim st-" + _worst_status([claim_status[c] for c in seg["claims"]]))
    if seg.get("findings"):
        cls.append("fspan sev-" + min((finding_sev[f] for f in seg["findings"]), key=severity_rank))
    if seg.get("evidence"):
        cls.append("ev ev-" + (_worst_status([ev_status[k] for k in seg["evidence"] if k in ev_status]) or "consistent"))
    if cls:
        seg["cls"] = " ".join(cls)
    return seg


def _blocks(review: Review, marks: _Marks, classify) -> list[dict]:
    doc: Document = review.document
    data_rows = {r.location.start for t in review.tables for r in t.rows}
    at = _tables_at(review.tables, [b.location.start for b in doc.blocks if isinstance(b, RawTable)])
    toc = {line.block: line for line in toc_lines(doc, count_leaders=False)}
    out: list[dict] = []
    for i, b in enumerate(doc.blocks, start=1):
        base = {"id": f"B{i}", "kind": b.kind, "place": place(b.location), "line": b.location.line}
        if b.location.page is not None:
            base["page"] = b.location.page
        if isinstance(b, RawTable):
            t = at.get(b.location.start)
            read = review.reads.tables.get(t.id) if t is not None and review.reads is not None else None
            base["table"] = None if t is None else {
                "id": t.id, "title": t.title, "unit": t.unit, "kind": t.kind,
                "read": None if read is None else {"confirmed": read.confirmed, "note": read.note},
                "sums": review.sums.of(t.id),
            }
            base["rows"] = [_row(r, r.location.start not in data_rows, marks, classify) for r in b.rows]
        else:
            if b.kind == "heading":
                base["level"] = b.level
            base["segments"] = [classify(x) for x in marks.segments(b.text, b.location.start)]
            line = toc.get(i - 1)
            if line is not None:  # a 目录 line: its title and page, the leader dots dropped
                base["toc"] = {"title": line.title, "page": line.page or ""}
        out.append(base)
    return out


def _row(row: RawRow, header: bool, marks: _Marks, classify) -> dict:
    """A table row: ``cells`` are texts when ``plain`` (nothing marked), else segment lists."""
    numeric = [bool(NUMBER_CELL.fullmatch(c.strip())) for c in row.cells]
    if not row.cells or not marks.any_within(row.location.start, max(row.location.end, row.location.start + 1)):
        return {"place": place(row.location), "header": header, "plain": True, "cells": list(row.cells), "numeric": numeric}
    cells = [[classify(x) for x in marks.segments(c, s)] for c, s in zip(row.cells, row.cell_starts, strict=False)]
    plain = all(len(c) == 1 and "cls" not in c[0] for c in cells)
    return {
        "place": place(row.location),
        "header": header,
        "plain": plain,
        "cells": [c[0]["text"] for c in cells] if plain else cells,
        "numeric": numeric,
    }



def page_href(path: str, loc: dict | None) -> str | None:
    """A link that opens a PDF at the page of ``loc`` (``file:///…/x.pdf#page=N``)."""
    if not loc or loc.get("page") is None or not str(path).lower().endswith(".pdf"):
        return None
    try:
        return f"{Path(path).resolve().as_uri()}#page={loc['page']}"
    except ValueError:
        return None


def _problems(grouped: list[dict], findings: list[dict]) -> list[dict]:
    """The report's problems with their findings' card data, worst first, then by place: the
    lead finding's card stands for the problem, the others are listed beneath it."""
    by_id = {f["id"]: f for f in findings}
    out = []
    for p in grouped:
        members = [by_id[i] for i in p["findings"] if i in by_id]
        if not members:
            continue
        out.append({**p, "lead": members[0], "members": members[1:], "check_names": [check_name(c) for c in p["checks"]]})
    out.sort(key=lambda p: (severity_rank(p["severity"]), p["lead"]["location"].get("start") or 0))
    return out


def _checklist(data: dict) -> list[dict]:
    """The document's checklist verdicts (data/checklist.yaml), as the batch checklist gives them."""
    return [{"item": r["item"], "status": r["status"], "problem": r.get("problem") or ""} for r in evaluate_checklist(data)]


def _worst_status(statuses: list[str]) -> str | None:
    return min(statuses, key=STATUS_RANK.__getitem__) if statuses else None


def report_model(review: Review, data: dict | None = None) -> dict:
    """The JSON-serialisable data the HTML template renders.

    ``data`` is the review's ``report_dict`` when the caller has made it already.
    """
    data = data if data is not None else report_dict(review)
    doc = review.document
    claims_by_id = {c["id"]: c for c in data["claims"]}
    marks = _Marks()
    ev_status: dict[str, list[str]] = {}

    findings = []
    order = sorted(range(len(review.findings)), key=lambda i: (severity_rank(review.findings[i].severity), review.findings[i].span[0]))
    for i in order:
        f, fd = review.findings[i], data["findings"][i]
        claim = claims_by_id.get(fd["claim"]) if fd["claim"] else None
        evidence = [{**ev, "key": evidence_key(ev), "place": place(ev["location"])} for ev in fd["evidence"]]
        related = [
            {**ev, "key": evidence_key(ev), "place": place(ev["location"])}
            for ev in (claim["checked_against"] if claim else [])
            if evidence_key(ev) not in {e["key"] for e in evidence}
        ]
        for ev in evidence:
            ev_status.setdefault(ev["key"], []).append(claim_status_of(f.severity))
        for ev in evidence + related:
            marks.add(ev["location"]["start"], ev["location"]["end"], "e", ev["key"])
        marks.add(f.span[0], f.span[1], "f", fd["id"])
        findings.append(
            {
                "id": fd["id"],
                "check": fd["check"],
                "check_name": check_name(fd["check"]),
                "severity": fd["severity"],
                "message": fd["message"],
                "span": fd["span"],
                "place": place(fd["location"]),
                "page_href": page_href(doc.path, fd["location"]),
                "location": fd["location"],
                "claim": fd["claim"],
                "arithmetic": (fd.get("arithmetic") or {}).get("formula"),
                "expected": fd["expected"],
                "actual": fd["actual"],
                "tolerance": fd["tolerance"],
                "diff": diff(fd),
                "evidence": evidence,
                "related": related,
                "quote": fd["quote"],
            }
        )

    claims = []
    for c in data["claims"]:
        loc = c["location"]
        marks.add(loc["start"], loc["end"], "c", c["id"])
        checked = [{**ev, "key": evidence_key(ev), "place": place(ev["location"])} for ev in c["checked_against"]]
        for ev in checked:
            ev_status.setdefault(ev["key"], []).append("consistent")  # it agreed with the claim's amount
            marks.add(ev["location"]["start"], ev["location"]["end"], "e", ev["key"])
        claims.append(
            {
                "id": c["id"],
                "status": c["status"],
                "status_label": STATUS_LABEL.get(c["status"], c["status"]),
                # what bore it out, or why it could not be checked
                "basis": "；".join(BASIS_LABEL[k] for k in (c["verified_by"] or [c["unverifiable_reason"]]) if k in BASIS_LABEL),
                "span": c["span"],
                "sentence": c["text"],
                "subject": c["subject"],
                "amount": c["amount"],
                "unit": c["unit"],
                "place": place(loc),
                "findings": [f["id"] for f in findings if f["claim"] == c["id"]],
                "evidence": checked,
            }
        )
    marks.finish()

    evidence_status = {k: _worst_status(v) for k, v in sorted(ev_status.items())}
    claim_status = {c["id"]: c["status"] for c in claims}
    finding_sev = {f["id"]: f["severity"] for f in findings}

    def classify(seg: dict) -> dict:
        return _classify(seg, claim_status, finding_sev, evidence_status)

    counts = data["document"]["counts"]
    grouped = _problems(data.get("problems") or problems(data["findings"]), findings)
    problem_counts = {s: sum(1 for p in grouped if p["severity"] == s) for s in SEVERITIES}
    used = {f["check"] for f in findings}
    cat = catalogue()
    checks = [
        {"id": cid, "name": check_name(cid), "severity": cat[cid].severity if cid in cat else "info",
         "description": cat[cid].description if cid in cat else "",
         "count": sum(1 for p in grouped if cid in p["checks"]),
         "by_severity": {s: n for s in SEVERITIES if (n := sum(1 for f in findings if f["check"] == cid and f["severity"] == s))}}
        for cid in sorted(used, key=lambda x: (severity_rank(cat[x].severity) if x in cat else 9, x))
    ]
    return {
        "schema": SCHEMA,
        "tool": {"name": "gouji", "version": __version__},
        "document": {
            "path": doc.path,
            "name": Path(doc.path).name,
            "unit_name": data["document"]["unit_name"],
            "year": data["document"]["year"],
            "kind": data["document"]["kind"],
            "format": data["document"]["format"],
            "counts": counts,
            "problem_counts": problem_counts,
            "held_back": data["document"].get("held_back", 0),
            "tables": sum(1 for t in review.tables if t.rows),
            "claims": len(claims),
        },
        "checks": checks,
        "findings": findings,
        "problems": grouped,
        "checklist": _checklist(data),
        "claims": claims,
        "claim_status": {s: sum(1 for c in claims if c["status"] == s) for s in STATUS_RANK},
        "evidence_status": evidence_status,
        "blocks": _blocks(review, marks, classify),
    }


# ---------------------------------------------------------------- rendering


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("gouji.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    from gouji.alignment.evidence import words

    env.globals.update(
        SEVERITIES=SEVERITIES, SEVERITY_LABEL=SEVERITY_LABEL, STATUS_LABEL=STATUS_LABEL, ocr_confident=words()["ocr_confident"]
    )
    return env


@cache
def static_file(name: str) -> Markup:
    """A package-owned static file, inlined verbatim (it is ours, not the document's)."""
    return Markup(resources.files("gouji.report").joinpath("templates", name).read_text(encoding="utf-8"))


def template():
    """The compiled report template (compiled once per process)."""
    return environment().get_template("report.html.j2")


def render(model: dict, min_severity: str = "warning", back: str | None = None) -> str:
    """Render a report model to a self-contained HTML page.

    ``min_severity`` only sets the initial filter: every finding is in the page. ``back``: a
    link to the batch dashboard the report belongs to.
    """
    script_data = {
        "findings": model["findings"],
        "claims": {c["id"]: c for c in model["claims"]},
        "evidenceStatus": model["evidence_status"],
    }
    js = static_file("report.js")
    digest = base64.b64encode(hashlib.sha256(str(js).encode("utf-8")).digest()).decode("ascii")
    return template().render(
        m=model,
        data=script_data,
        css=static_file("report.css"),
        js=js,
        script_hash=f"sha256-{digest}",
        min_rank=SEVERITIES.index(min_severity),
        back=back,
    )


def to_html(review: Review, min_severity: str = "warning", data: dict | None = None, back: str | None = None) -> str:
    """The HTML review report of one document (``data``: its ``report_dict``, if made already;
    ``back``: a link to its batch dashboard)."""
    return render(report_model(review, data), min_severity, back)
