"""``index.html`` of a batch: every document with its counts and report links, sortable, totals
per check and per checklist item, and three charts. Self-contained like the per-document report.

Counts are problems (``report/problems.py``: findings that share a root are one problem), each
under the severity its findings were actually emitted with; the findings stay countable beside
them. Info findings whose difference lies within the rounding of the published figures
(“差额在已公布数字的舍入范围内”) are counted apart and hidden until asked for. A byte-identical copy of
an earlier input (status ``duplicate``, see ``batch/runner.py``) is listed with ``duplicate_of``
and counted once, as its first copy.

The charts are inline SVG written here (no script draws them, so the page's CSP stays as it is):
problems per check and per document as horizontal bars stacked by severity, and documents by
verdict. Every text in them is escaped; each has ``role="img"``, a ``<title>`` and a ``<desc>``.
"""

from __future__ import annotations

import base64
import hashlib
import unicodedata
from collections import Counter

from markupsafe import Markup, escape

from gouji import __version__
from gouji.alignment.messages import shared
from gouji.alignment.registry import catalogue, check_name, severity_rank
from gouji.labels import severities, severity_labels
from gouji.report.batch_tables import category_totals, checklist_totals, document_rows
from gouji.report.checklist import FAIL, PASS, UNKNOWN
from gouji.report.html import environment, static_file

DUPLICATE = "duplicate"  # batch/runner.py DUPLICATE: the status of a copy's record
TOP_DOCUMENTS = 15  # documents in the problems-per-document chart
# documents listed in the page; past them it lists the first (most errors first) and says where
# the others are: each row is about 1.4 kB, and a browser sorts a table of thousands slowly
DASHBOARD_MAX_DOCUMENTS = 2000
# a document's verdict, worst first: (key, label, bar colour)
VERDICTS = (
    ("error", "有错误", "#c62828"),
    ("warning", "仅有警告", "#e8a317"),
    ("clean", "无问题", "#2e7d32"),
    ("failed", "未能审阅", "#757575"),
)
SEVERITY_COLOUR = {"error": "#c62828", "warning": "#e8a317", "info": "#90a4ae"}


def rounding_tail() -> str:
    """The words that end a sum's message when its difference is within rounding (messages.yaml),
    shown as the tooltip of the rounding counts."""
    return shared()["rounding"]["within"]


def is_rounding(finding: dict) -> bool:
    """An info finding whose difference lies within the rounding of the published figures
    (its arithmetic says so: the record's ``within_rounding``)."""
    return finding["severity"] == "info" and bool(finding.get("within_rounding"))


def _worse(a: str | None, b: str) -> str:
    return b if a is None or severity_rank(b) < severity_rank(a) else a


def record_problems(record: dict) -> tuple[list[dict], bool]:
    """The problems of one batch record and whether they are grouped.

    Each: ``severity`` (its worst finding's), ``check``, ``checks``, ``findings`` (ids),
    ``count``, ``by_check`` (check → the worst severity its findings in the problem were
    emitted with) and ``rounding`` (info whose findings are all within rounding). A record
    without ``problems`` (only an HTML report was written, or an older record) counts each
    finding as a problem of its own.
    """
    findings = {f["finding"]: f for f in record["findings"]}
    grouped = "problems" in record
    raw = record.get("problems")
    if raw is None:
        raw = [
            {"id": f["finding"], "severity": f["severity"], "check": f["check"], "checks": [f["check"]], "findings": [f["finding"]], "count": 1}
            for f in record["findings"]
        ]
    out = []
    for p in raw:
        members = [findings[i] for i in p["findings"] if i in findings]
        by_check: dict[str, str] = {}
        for f in members:
            by_check[f["check"]] = _worse(by_check.get(f["check"]), f["severity"])
        if not by_check:  # its findings are not in the record: the problem's own severity
            by_check = {c: p["severity"] for c in p["checks"]}
        rounding = p["severity"] == "info" and bool(members) and all(is_rounding(f) for f in members)
        out.append({**p, "by_check": by_check, "rounding": rounding})
    return out, grouped


def verdict(status: str, problems: dict[str, int]) -> str:
    if status == "failed":
        return "failed"
    if status == DUPLICATE:
        return DUPLICATE
    if problems["error"]:
        return "error"
    return "warning" if problems["warning"] else "clean"


def dashboard_model(records: list[dict], *, interrupted: bool = False, total: int | None = None, max_documents: int = DASHBOARD_MAX_DOCUMENTS) -> dict:
    """The data ``index.html`` renders: totals and charts of every record, and the rows of the
    first ``max_documents`` documents and duplicates (``unlisted`` says how many are left out)."""
    cat = catalogue()
    sevs = severities()
    labels = severity_labels()
    per_check: dict[str, dict] = {}
    docs = document_rows(records)
    grouped_all = True
    totals = Counter()
    finding_totals = Counter()
    for d, r in zip(docs, records, strict=True):
        problems, grouped = record_problems(r)
        grouped_all = grouped_all and (grouped or r["status"] != "ok" or not r["findings"])
        counted = Counter(p["severity"] for p in problems if not p["rounding"])
        d["problems"] = {s: counted[s] for s in sevs}
        d["rounding"] = sum(1 for p in problems if p["rounding"])
        d["problem_findings"] = {s: sum(p["count"] for p in problems if not p["rounding"] and p["severity"] == s) for s in sevs}
        d["failed_items"] = sum(1 for c in r["checklist"] if c["status"] == FAIL)
        d["duplicate_of"] = r.get("duplicate_of", "")
        d["verdict"] = verdict(r["status"], d["problems"])
        totals.update(counted)
        totals["rounding"] += d["rounding"]
        finding_totals.update(f["severity"] for f in r["findings"])
        seen: set[str] = set()
        for p in problems:
            for c, sev in p["by_check"].items():
                row = per_check.setdefault(c, {"problems": Counter(), "findings": Counter(), "rounding": 0, "documents": set()})
                if p["rounding"]:
                    row["rounding"] += 1
                else:
                    row["problems"][sev] += 1
                seen.add(c)
        for f in r["findings"]:
            per_check.setdefault(f["check"], {"problems": Counter(), "findings": Counter(), "rounding": 0, "documents": set()})
            per_check[f["check"]]["findings"][f["severity"]] += 1
        for c in seen:
            per_check[c]["documents"].add(r["source"])
    checks = []
    for cid, row in per_check.items():
        spec = cat.get(cid)
        shown = {s: row["problems"][s] for s in sevs}
        worst = next((s for s in sevs if shown[s]), None)
        checks.append(
            {
                "id": cid,
                "name": check_name(cid),
                "severity": spec.severity if spec else worst or "info",  # the catalogue's: what a failure is
                "worst": worst,  # the worst severity emitted (None: only rounding)
                "description": spec.description if spec else "",
                "problems": shown,
                "total": sum(shown.values()),
                "rounding": row["rounding"],
                "findings": sum(row["findings"].values()),
                "finding_counts": {s: row["findings"][s] for s in sevs},
                "documents": len(row["documents"]),
            }
        )
    checks.sort(key=lambda c: (severity_rank(c["worst"]) if c["worst"] else len(sevs), -c["total"], -c["rounding"], c["id"]))
    order = {id(d): i for i, d in enumerate(docs)}
    docs.sort(key=lambda d: (d["verdict"] == DUPLICATE, -d["problems"]["error"], order[id(d)]))  # most errors first
    listed = len(records)
    duplicates = sum(1 for r in records if r["status"] == DUPLICATE)
    verdicts = Counter(d["verdict"] for d in docs)
    model = {
        "version": __version__,
        "documents": docs,
        "listed": listed,
        "distinct": listed - duplicates,
        "duplicates": duplicates,
        "duplicate_rows": [d for d in docs if d["verdict"] == DUPLICATE],
        "total": total if total is not None else listed,
        "ok": sum(1 for r in records if r["status"] == "ok"),
        "failed": sum(1 for r in records if r["status"] == "failed"),
        "totals": {s: totals[s] for s in sevs},
        "rounding": totals["rounding"],
        "findings": sum(finding_totals.values()),
        "finding_totals": {s: finding_totals[s] for s in sevs},
        "grouped": grouped_all,
        "checks": checks,
        "verdicts": {k: verdicts[k] for k, _, _ in VERDICTS},
        "verdict_labels": {k: label for k, label, _ in VERDICTS},
        "severity_labels": labels,
        "checklist": checklist_totals(records),
        "categories": category_totals(records),
        "labels": {"pass": PASS, "fail": FAIL, "unknown": UNKNOWN},
        "interrupted": interrupted,
        "top_documents": TOP_DOCUMENTS,
    }
    model["charts"] = charts(model)
    model["unlisted"] = max(0, len(docs) - max_documents)
    model["documents"] = docs[:max_documents]
    model["duplicate_rows"] = model["duplicate_rows"][:max_documents]
    return model


# --- charts --------------------------------------------------------------------------------

FONT = 12  # px, the charts' text
ROW = 22  # px a bar row takes
BAR = 14  # px a bar is high
WIDTH = 560  # the viewBox width of every chart
LABEL_MAX = 210  # px at most for the labels left of the bars


def text_width(text: str, size: float = FONT) -> float:
    """Estimated width of ``text``: a CJK (wide) character one em, another about 0.6 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def fit(text: str, width: float, size: float = FONT) -> str:
    """``text`` shortened with “…” to about ``width`` px."""
    if text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def bar_chart(
    chart_id: str, title: str, rows: list[dict], legend: list[tuple[str, str, str]], desc: str, *, show_legend: bool = True, empty: str = "没有问题"
) -> Markup:
    """Horizontal bars, each stacked from segments, as an inline SVG element.

    ``rows``: ``label`` (shown, shortened to fit), ``tip`` (the row's tooltip: the whole
    label and its numbers), ``key`` (data-key) and ``segments``, (key, value) in ``legend``'s
    order; ``legend``: (key, label, colour) of each kind of segment, drawn above the bars
    when ``show_legend``. Every text is escaped.
    """
    e = escape
    top = 26 if show_legend else 6
    label_w = min(LABEL_MAX, max([text_width(r["label"]) for r in rows] + [40])) + 8
    value_w = 36
    left = label_w + 4
    span = WIDTH - left - value_w
    biggest = max([sum(v for _, v in r["segments"]) for r in rows] + [1])
    height = top + max(len(rows), 1) * ROW + 6
    colour = {k: c for k, _, c in legend}
    parts = [
        f'<svg id="{e(chart_id)}" class="chart" role="img" aria-labelledby="{e(chart_id)}-title {e(chart_id)}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" font-size="{FONT}">',
        f'<title id="{e(chart_id)}-title">{e(title)}</title>',
        f'<desc id="{e(chart_id)}-desc">{e(desc)}</desc>',
    ]
    if show_legend:
        x = left
        parts.append('<g class="legend">')
        for key, label, col in legend:
            parts.append(f'<rect x="{_num(x)}" y="6" width="10" height="10" fill="{col}" data-key="{e(key)}"/>')
            parts.append(f'<text x="{_num(x + 14)}" y="15">{e(label)}</text>')
            x += 14 + text_width(label) + 16
        parts.append("</g>")
    if not rows:
        parts.append(f'<text x="{_num(left)}" y="{top + 15}" class="empty">{e(empty)}</text>')
    for n, r in enumerate(rows):
        y = top + n * ROW
        total = sum(v for _, v in r["segments"])
        parts.append(f'<g class="bar-row" data-key="{e(r["key"])}" data-total="{total}">')
        parts.append(f"<title>{e(r['tip'])}</title>")
        parts.append(f'<text x="{_num(label_w)}" y="{y + 15}" text-anchor="end">{e(fit(r["label"], label_w - 8))}</text>')
        x = left
        for key, value in r["segments"]:
            if not value:
                continue
            w = max(span * value / biggest, 2)
            parts.append(
                f'<rect class="bar" x="{_num(x)}" y="{y + (ROW - BAR) / 2:g}" width="{_num(w)}" height="{BAR}" '
                f'fill="{colour[key]}" data-key="{e(key)}" data-value="{value}"/>'
            )
            x += w
        parts.append(f'<text x="{_num(x + 4)}" y="{y + 15}" class="value">{total}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _counts_text(counts: dict[str, int], labels: dict[str, str]) -> str:
    return "，".join(f"{labels[s]} {n}" for s, n in counts.items() if n) or "无"


def short_names(docs: list[dict]) -> dict[str, str]:
    """A chart label per document: its unit and year (shorter than the file name), or the
    file name when the document has no unit or shares both with another."""
    label = {d["document"]: f"{d['unit']} {d['year']}".strip() if d["unit"] else d["document"] for d in docs}
    taken = Counter(label.values())
    return {name: text if taken[text] == 1 else name for name, text in label.items()}


def charts(m: dict) -> dict[str, Markup]:
    """The three charts of the dashboard, from its model."""
    labels = m["severity_labels"]
    sev_legend = [(s, labels[s], SEVERITY_COLOUR[s]) for s in severities()]
    rounding_note = f"；另有 {m['rounding']} 条舍入提示未计入" if m["rounding"] else ""

    by_check = [c for c in m["checks"] if c["total"]]
    check_rows = [
        {
            "key": c["id"],
            "label": c["name"],
            "tip": f"{c['name']}（{c['id']}）：{_counts_text(c['problems'], labels)}；{c['findings']} 条发现，{c['documents']} 份文件",
            "segments": [(s, c["problems"][s]) for s in severities()],
        }
        for c in by_check
    ]
    check_desc = "；".join(f"{c['name']} {c['total']}" for c in by_check) or "没有问题"

    with_problems = [d for d in m["documents"] if d["verdict"] != DUPLICATE and sum(d["problems"].values())]
    with_problems.sort(key=lambda d: tuple(-d["problems"][s] for s in severities()))
    top = with_problems[:TOP_DOCUMENTS]
    names = short_names(top)
    doc_rows = [
        {
            "key": d["document"],
            "label": names[d["document"]],
            "tip": f"{d['document']}：{_counts_text(d['problems'], labels)}",
            "segments": [(s, d["problems"][s]) for s in severities()],
        }
        for d in top
    ]
    doc_desc = "；".join(f"{d['document']} {sum(d['problems'].values())}" for d in top) or "没有问题"
    more = len(with_problems) - len(top)

    verdict_rows = [
        {"key": k, "label": label, "tip": f"{label}：{m['verdicts'][k]} 份文件", "segments": [(k, m["verdicts"][k])]}
        for k, label, _ in VERDICTS
    ]
    dup_note = f"；另有 {m['duplicates']} 份重复文件只计一次" if m["duplicates"] else ""
    return {
        "checks": bar_chart(
            "chart-checks", "各检查的问题数（按级别）", check_rows, sev_legend,
            f"各检查的问题数：{check_desc}{rounding_note}。",
        ),
        "documents": bar_chart(
            "chart-documents", f"问题最多的文件（前 {TOP_DOCUMENTS} 份）", doc_rows, sev_legend,
            f"各文件的问题数：{doc_desc}" + (f"；另有 {more} 份文件有问题未列出" if more else "") + "。",
        ),
        "verdicts": bar_chart(
            "chart-verdicts", "文件审阅结论", verdict_rows, list(VERDICTS),
            "文件审阅结论：" + "；".join(f"{label} {m['verdicts'][k]}" for k, label, _ in VERDICTS) + f"{dup_note}。",
            show_legend=False, empty="没有文件",
        ),
    }  # fmt: skip


def to_index_html(records: list[dict], *, interrupted: bool = False, total: int | None = None, max_documents: int = DASHBOARD_MAX_DOCUMENTS) -> str:
    js = static_file("index.js")
    digest = base64.b64encode(hashlib.sha256(str(js).encode("utf-8")).digest()).decode("ascii")
    return environment().get_template("index.html.j2").render(
        m=dashboard_model(records, interrupted=interrupted, total=total, max_documents=max_documents),
        css=static_file("index.css"),
        js=js,
        script_hash=f"sha256-{digest}",
        rounding_tail=rounding_tail(),
    )
