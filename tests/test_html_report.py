"""The HTML review report without a browser: model, golden file, escaping, CLI."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from gouji.alignment.arithmetic import Arithmetic, Operand
from gouji.alignment.findings import Finding
from gouji.quantities.intervals import Interval
from gouji.quantities.units import factor
from gouji.report.html import _Marks, diff, place, render, report_model, to_html
from tests.conftest import EXAMPLES, example_review, review_text
from tests.test_cli import run

HANDAN = "2022_邯郸市医疗保障局_部门预算.txt"
GOLDEN = Path(__file__).parent / "golden" / "html_model_handan.json"
INJECTION = (
    "# 某某局<script>window.__pwned=1</script>2022年部门预算\n\n单位：万元\n\n"
    "项目\t金额\n收入合计<img src=x onerror=\"window.__pwned=2\">\t100.00\n"
    "</script><script>window.__pwned=5</script>\t3.00\n\n"
    "2022年预算收入100万元，较2021年预算120万元增加20万元</script><script>window.__pwned=3</script>。"
    "<img src=x onerror=\"window.__pwned=4\">\n"
)


class _Tags(HTMLParser):
    """Collects start tags and the text of elements carrying data-findings."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    p = _Tags()
    p.feed(html)
    return p.tags


def golden_view(model: dict) -> dict:
    """The model with unmarked text left out: every datum, none of the prose bulk."""
    view = {k: v for k, v in model.items() if k != "blocks"}
    view["document"] = {**model["document"], "path": Path(model["document"]["path"]).name}  # checkout-independent
    # a problem's cards are the findings above: kept as their ids
    view["problems"] = [
        {**{k: v for k, v in p.items() if k not in ("lead", "members")}, "lead": p["lead"]["id"], "members": [m["id"] for m in p["members"]]}
        for p in model["problems"]
    ]
    marked = []
    for b in model["blocks"]:
        segs = b.get("segments") or [s for r in b.get("rows", []) if not r["plain"] for c in r["cells"] for s in c]
        hits = [s for s in segs if s.get("cls")]
        if hits:
            marked.append({"id": b["id"], "kind": b["kind"], "place": b["place"], "table": b.get("table"), "marks": hits})
    view["blocks"] = {"count": len(model["blocks"]), "marked": marked}
    return view


def test_golden_model_handan():
    got = json.loads(json.dumps(golden_view(report_model(example_review(HANDAN))), ensure_ascii=False))
    if os.environ.get("GOUJI_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_handan_model_direction_finding():
    m = report_model(example_review(HANDAN))
    assert m["document"]["counts"] == {"error": 2, "warning": 0, "info": 0}
    f, reason_f = m["findings"]
    assert (reason_f["id"], reason_f["check"], reason_f["span"]) == ("F2", "narrative.reason_direction", "增加了")
    assert (f["id"], f["check"], f["span"], f["place"]) == ("F1", "narrative.direction", "减少3176.66万元", "第394行")
    assert f["arithmetic"] == "5873.35 − 2696.69 = +3176.66"
    assert f["tolerance"] == "本年 [5873.345, 5873.355]，上年 [2696.685, 2696.695]，差额区间 [3176.65, 3176.67]（万元）"
    assert f["diff"]["difference"] == "-6353.32" and f["diff"]["explanation"] == ["正负号相反：增减方向写反"]
    assert [e["key"] for e in f["related"]] == ["e1211-1218", "e1226-1233", "e1261-1268"]
    spans = [s for b in m["blocks"] for s in b.get("segments", []) if "F1" in s.get("findings", [])]
    assert [(s["text"], s["cls"]) for s in spans] == [("减少3176.66万元", "fspan sev-error")]
    claim = next(c for c in m["claims"] if c["id"] == "C11")
    assert (claim["status"], claim["findings"]) == ("contradicted", ["F1", "F2"])


def _arith(stated: tuple[str, str, int, str], *results: tuple[str, int], unit: str = "万元") -> dict:
    """An equality's arithmetic: the stated figure (text, digits, decimals, unit) against results."""
    text, digits, places, written = stated
    value = Decimal(digits)
    st = Operand.of("文字", text, value * factor(written) if unit != "%" else value,
                    Interval.rounded(value, places).scale(factor(written) if unit != "%" else Decimal(1)), written)
    ops = [Operand.of("报表", r, Decimal(r), Interval.rounded(Decimal(r), k)) for r, k in results]
    return {"arithmetic": Arithmetic("equal", ops[:1], ops[0], st, "", unit=unit, alternatives=ops[1:]).to_dict()}


def test_diff_explanations_read_from_the_arithmetic():
    unit = diff(_arith(("5.56元", "5.56", 2, "元"), ("5.57", 2)))
    assert unit["explanation"] == ["单位：写作“元”，按“万元”计相符（×10⁴）", "换算后相差 0.01，属舍入"]
    assert (unit["stated_value"], unit["expected_value"], unit["difference"]) == ("0.000556", "5.57", "-5.569444")
    several = diff(_arith(("550.47万元", "550.47", 2, "万元"), ("562.90", 2), ("534.79", 2), ("12.43", 2)))
    assert (several["expected_values"], several["expected_value"], several["difference"]) == (
        ["562.9", "534.79", "12.43"], "562.9", "-12.43")
    assert diff(_arith(("12.5%", "12.5", 1, "%"), ("12.51", 2), unit="%"))["explanation"] == ["舍入差异"]
    assert diff(_arith(("58万元", "58", 0, "万元"), ("71.25", 2)))["explanation"] == []
    flipped = diff(_arith(("减少3.00万元", "-3.00", 2, "万元"), ("3.00", 2)))
    assert (flipped["difference"], flipped["explanation"]) == ("-6", ["正负号相反：增减方向写反"])
    assert diff({"actual": "2321. 万元", "expected": None, "arithmetic": None}) is None


def test_marks_cut_overlaps():
    marks = _Marks()
    marks.add(10, 20, "c", "C1")
    marks.add(15, 25, "f", "F1")
    marks.finish()
    segs = marks.segments("0123456789abcdefghij", 5)
    assert segs == [
        {"text": "01234"},
        {"text": "56789", "claims": ["C1"]},
        {"text": "abcde", "claims": ["C1"], "findings": ["F1"]},
        {"text": "fghij", "findings": ["F1"]},
    ]


def test_page_is_self_contained():
    html = to_html(example_review(HANDAN))
    tags = _tags(html)
    scripts = [a for t, a in tags if t == "script"]
    assert scripts == [{"type": "application/json", "id": "gouji-data"}, {}]
    assert not [t for t, a in tags if t in ("link", "img", "iframe") or "src" in a]
    assert not re.search(r"https?://", html)
    csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp.startswith("default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-")
    data = json.loads(re.search(r'id="gouji-data">(.*?)</script>', html, re.S).group(1))
    assert [f["id"] for f in data["findings"]] == ["F1", "F2"] and data["claims"]["C11"]["findings"] == ["F1", "F2"]
    assert '<span class="fspan sev-error" data-findings="F1">减少3176.66万元</span>' in html
    assert html.count('class="ev ev-consistent" data-evidence="e') == 13


def test_document_text_is_escaped():
    html = to_html(review_text(INJECTION))
    tags = _tags(html)
    assert [t for t, _ in tags].count("script") == 2
    assert not [t for t, _ in tags if t == "img"]
    assert not [a for _, a in tags if "onerror" in a]
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;window.__pwned=2&#34;&gt;" in html
    data_block = re.search(r'id="gouji-data">(.*?)</script>', html, re.S).group(1)
    assert "</" not in data_block and "<" not in data_block
    assert json.loads(data_block)["findings"][0]["quote"].endswith("</script><script>window.__pwned=3</script>。")


def test_generic_table_and_cross_table_findings():
    """A future table check: span on a table cell, evidence in two tables, no claim."""
    r = review_text(
        "# 某局2022年部门预算\n\n表一 收入表\n单位：万元\n\n项目\t金额\n收入合计\t100.00\n\n"
        "表二 支出表\n单位：万元\n\n项目\t金额\n支出合计\t90.00\n"
    )
    cells = [c for t in r.tables for _, c in t.money_cells()]
    assert [c.text for c in cells] == ["100.00", "90.00"]
    a, b = cells
    ev = [
        {"table": t.id, "row": "合计", "value": c.text, "unit": "万元", "location": c.location.to_dict()}
        for t, c in zip(r.tables, cells, strict=True)
    ]
    two = [Operand.of(t.id, c.text, Decimal(c.text), Interval.rounded(Decimal(c.text), 2)) for t, c in zip(r.tables, cells, strict=True)]
    arithmetic = Arithmetic("difference", two, two[0], None, "100.00 − 90.00 = 10.00")
    span = (a.location.start, a.location.end)
    r.findings.append(Finding("tables.balance", "warning", "收支不平衡", span, "", evidence=ev, id="F9", arithmetic=arithmetic))
    m = report_model(r)
    f = next(x for x in m["findings"] if x["id"] == "F9")
    assert [e["key"] for e in f["evidence"]] == [f"e{a.location.start}-{a.location.end}", f"e{b.location.start}-{b.location.end}"]
    assert f["arithmetic"] == "100.00 − 90.00 = 10.00" and f["diff"] is None
    table_segs = [s for blk in m["blocks"] for row in blk.get("rows", []) if not row["plain"] for cell in row["cells"] for s in cell if s.get("cls")]
    assert [(s["text"], s["cls"]) for s in table_segs] == [
        ("100.00", "fspan sev-warning ev ev-doubtful"),
        ("90.00", "ev ev-doubtful"),
    ]
    assert m["checks"] == [{"id": "tables.balance", "name": "tables.balance", "severity": "info", "description": "", "count": 1, "by_severity": {"warning": 1}}]
    assert [(p["id"], p["lead"]["id"], p["members"]) for p in m["problems"]] == [("P1", "F9", [])]
    html = render(m)
    assert '<span class="fspan sev-warning ev ev-doubtful" data-findings="F9" data-evidence="' in html


def test_cli_html(tmp_path):
    out = tmp_path / "r.html"
    p = run("check", str(EXAMPLES / HANDAN), "--format", "html", "--out", str(out))
    assert p.returncode == 1 and p.stdout == ""
    assert "减少3176.66万元" in out.read_text(encoding="utf-8")
    folder = tmp_path / "reports"
    p = run("check", str(EXAMPLES), "--format", "html", "--out", str(folder))
    assert p.returncode == 1
    assert sorted(x.name for x in folder.iterdir()) == sorted(x.with_suffix(".html").name for x in EXAMPLES.glob("*.txt"))
    p = run("check", str(EXAMPLES), "--format", "html")
    assert p.returncode == 2 and "needs --out FOLDER" in p.stderr


def test_page_numbers_for_pdf_blocks():
    """Blocks from a PDF carry ``Location.page``: the gutter shows the page, not the line."""
    r = review_text("# 某局2022年部门预算\n\n2022年预算收入100万元。\n")
    assert place({"line": 7, "start": 0, "end": 1}) == "第7行"
    for i, b in enumerate(r.document.blocks, start=1):
        b.location = replace(b.location, page=i)
    blocks = report_model(r)["blocks"]
    assert [(b["place"], b.get("page")) for b in blocks] == [("第1页", 1), ("第2页", 2)]
    assert '<span class="gutter">第2页</span>' in render(report_model(r))
