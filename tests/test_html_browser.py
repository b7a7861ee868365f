"""The HTML review report in a real browser: Debian's chromium driven by Playwright.

The browser comes from ``tests.browser`` (skips with the reason when it is missing).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gouji.report.html import to_html
from tests.browser import ARGS, CHROMIUM, SHOTS, sync_api
from tests.conftest import example_review, review_text
from tests.test_html_report import HANDAN, INJECTION

YULIN = "2022_榆林市横山区医疗保障局_部门预算.txt"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A report opened from disk, recording every request and script error."""

    def __init__(self, browser, html: str, path: Path, width: int = 1400, height: int = 900):
        path.write_text(html, encoding="utf-8")
        self.url = path.as_uri()
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.goto(self.url)

    def external_requests(self) -> list[str]:
        return [u for u in self.requests if u != self.url]

    def in_view(self, locator) -> bool:
        """The element's box is inside the viewport and inside its scrolling pane."""
        return locator.evaluate(
            """e => { const r = e.getBoundingClientRect();
                 if (r.width === 0 || r.bottom < 0 || r.top > innerHeight || r.right < 0 || r.left > innerWidth) return false;
                 for (let p = e.parentElement; p; p = p.parentElement) {
                   const s = getComputedStyle(p);
                   if (/(auto|scroll|hidden)/.test(s.overflowY + s.overflowX)) {
                     const q = p.getBoundingClientRect();
                     if (r.bottom < q.top || r.top > q.bottom || r.right < q.left || r.left > q.right) return false; } }
                 return true; }"""
        )

    def selected(self) -> list[str]:
        return self.page.eval_on_selector_all(".finding.selected", "els => els.map(e => e.dataset.id)")


@pytest.fixture
def handan(browser, tmp_path):
    p = Page(browser, to_html(example_review(HANDAN)), tmp_path / "handan.html")
    yield p
    p.page.close()


def test_click_direction_finding_highlights_span_and_evidence(handan):
    page = handan.page
    page.click("#finding-F1 .finding-head")
    span = page.locator(".hl[data-findings~='F1']")
    assert span.count() == 1 and span.inner_text() == "减少3176.66万元"
    assert handan.in_view(span)
    cells = page.locator("#tables .hl[data-evidence]")
    assert cells.all_inner_texts() == ["5873.35", "5873.35", "5873.35"]
    assert handan.in_view(cells.first)
    body = page.locator("#finding-F1 > .finding-body")
    assert body.is_visible()
    assert body.locator(":scope > .arith .formula").inner_text() == "5873.35 − 2696.69 = +3176.66"
    assert body.locator(":scope > .arith .stated").inner_text() == "减少3176.66万元"
    assert body.locator(":scope > .arith .expected").inner_text() == "增加3176.66万元"
    assert body.locator(":scope > .arith .tolerance").inner_text() == "本年 [5873.345, 5873.355]，上年 [2696.685, 2696.695]，差额区间 [3176.65, 3176.67]（万元）"
    assert body.locator(":scope > .diff .d-difference").inner_text() == "-6353.32"
    assert body.locator(":scope > .diff .d-explanation").inner_text() == "正负号相反：增减方向写反"
    assert page.evaluate("location.hash") == "#F1"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "handan_F1.png"))
    assert (SHOTS / "handan_F1.png").stat().st_size > 10_000
    assert handan.external_requests() == [] and handan.errors == []


def test_a_reviewer_sees_one_card_per_problem_with_its_message(handan):
    page = handan.page
    # Handan's one wrong word: one card (F1), the reason's finding F2 beneath it
    assert page.eval_on_selector_all("#findings > .finding", "els => els.map(e => e.dataset.id)") == ["F1"]
    head = page.locator("#finding-F1 > .finding-head")
    assert head.locator(".check-name").inner_text() == "增减方向错误"
    assert head.locator(".check-name").get_attribute("title") == "narrative.direction"
    msg = head.locator(".msg")
    assert msg.is_visible() and msg.inner_text() == "增减方向错误：5873.35 − 2696.69 = +3176.66，应为增加，文字却写“减少3176.66万元”。"
    assert page.locator(".count.sev-error b").inner_text() == "1"  # one problem (of two findings)
    assert page.locator(".count.sev-error").get_attribute("title") == "2 条发现"
    assert not page.locator("#finding-F2").is_visible()
    head.click()
    member = page.locator("#finding-F2")
    assert member.is_visible() and page.locator(".members-title").inner_text() == "同一问题的其他发现（1）"
    member.locator(".finding-head").click()
    assert handan.selected() == ["F2"] and member.locator(":scope > .finding-body").is_visible()
    assert handan.external_requests() == [] and handan.errors == []


def test_explanation_in_view_at_1024_px_after_a_click(browser, tmp_path):
    p = Page(browser, to_html(example_review(HANDAN), "warning"), tmp_path / "h1024.html", width=1024, height=768)
    page = p.page
    page.click("#finding-F1 > .finding-head")
    assert p.in_view(page.locator("#finding-F1 > .finding-body > .diff .d-explanation"))
    widths = page.evaluate("Array.from(document.querySelectorAll('.table-scroll')).map(e => e.scrollWidth - e.clientWidth)")
    assert len(widths) == 24 and max(widths) == 0  # every table fits its pane: no column cut off
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "handan_1024_F1.png"))
    assert p.errors == []
    p.page.close()


def test_rounding_notes_hidden_by_default(browser, tmp_path):
    review = example_review("2023_平顶山市石龙区医疗保障局_部门预算.txt")
    p = Page(browser, to_html(review, "warning"), tmp_path / "shilong.html")
    page = p.page
    visible = "Array.from(document.querySelectorAll('#findings > .finding')).filter(e => !e.hidden).map(e => e.dataset.severity)"
    assert page.evaluate(visible) == ["error", "error", "warning", "warning"]
    note = page.locator("#info-hidden")
    assert note.is_visible() and note.inner_text() == "另有 3 条舍入提示（勾选“提示”显示）"
    page.check(".f-sev[value=info]")
    assert page.evaluate(visible).count("info") == 3 and not note.is_visible()
    p.page.close()


def test_click_claim_shows_its_findings(handan):
    page = handan.page
    claim = page.locator("[data-claims~='C11']")
    assert claim.get_attribute("class") == "claim st-contradicted"
    claim.click()
    panel = page.locator("#panel")
    assert panel.is_visible()
    assert panel.locator("h2").inner_text() == "C11 · 矛盾 · 第394行"
    assert panel.locator(".claim-basis").count() == 0  # a contradicted claim: its findings say why
    buttons = panel.locator(".claim-findings button")
    assert buttons.all_inner_texts() == [
        "F1 narrative.direction：增减方向错误：5873.35 − 2696.69 = +3176.66，应为增加，文字却写“减少3176.66万元”。",
        "F2 narrative.reason_direction：增减原因与所述方向相反：文字写“减少”，所述原因却是“增加了”（3000万元），"
        "按本年数与上年数计算 5873.35 − 2696.69 = +3176.66，原因所述方向正确，“减少”有误。",
    ]
    buttons.first.click()
    assert handan.selected() == ["F1"]
    consistent = page.locator("[data-claims~='C3']")
    assert consistent.get_attribute("class") == "claim st-consistent"
    consistent.click()
    assert panel.locator(".claim-findings").inner_text() == "无问题"
    assert panel.locator(".claim-basis").inner_text() == "与报表数字相符"
    assert page.locator(".hl[data-evidence]").all_inner_texts() == ["5873.35", "5873.35"]


def test_layout_wide_side_by_side_and_narrow_interleaved(browser, tmp_path):
    html = to_html(example_review(HANDAN))
    wide = Page(browser, html, tmp_path / "wide.html", width=1366, height=768)
    prose_tables = wide.page.evaluate(
        "[document.querySelectorAll('#prose .table-blk').length, document.querySelectorAll('#tables .table-blk').length]"
    )
    assert prose_tables == [0, 24]
    assert wide.page.evaluate("(() => { const p = document.getElementById('prose'); return p.scrollWidth <= p.clientWidth; })()")
    wide.page.close()
    narrow = Page(browser, html, tmp_path / "narrow.html", width=800, height=900)
    assert narrow.page.evaluate("document.querySelectorAll('#prose .table-blk').length") == 24
    assert narrow.page.evaluate("document.getElementById('ref-B10').nextElementSibling.id") == "B10"
    assert narrow.page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    narrow.page.click("#finding-F1 .finding-head")
    assert narrow.in_view(narrow.page.locator(".hl[data-findings~='F1']"))
    narrow.page.screenshot(path=str(SHOTS / "handan_narrow.png"))
    narrow.page.close()


def _ids(review, check: str | None = None, severity: str | None = None) -> list[str]:
    return [f.id for f in review.findings if (check is None or f.check == check) and (severity is None or f.severity == severity)]


def test_filters_and_keyboard_navigation(browser, tmp_path):
    review = example_review(YULIN)
    p = Page(browser, to_html(review, "info"), tmp_path / "yulin.html")
    page = p.page
    visible = "Array.from(document.querySelectorAll('#findings .finding')).filter(e => !e.hidden).map(e => e.dataset.id)"
    everything = _ids(review)
    assert len(everything) == 17 and page.evaluate(visible) == everything
    page.keyboard.press("j")
    assert p.selected() == ["F1"]
    page.keyboard.press("j")
    assert p.selected() == ["F2"]
    (malformed,) = _ids(review, "narrative.malformed_number")
    page.click(f"#finding-{malformed} .finding-head")
    assert page.locator(f".hl[data-findings~='{malformed}']").inner_text() == "2321. 万元"
    page.click("#finding-F2 .finding-head")
    page.keyboard.press("k")
    assert p.selected() == ["F1"]
    page.keyboard.press("k")
    assert p.selected() == [everything[-1]]  # wraps around
    page.uncheck(".f-sev[value=warning]")
    assert page.evaluate(visible) == _ids(review, severity="error") + _ids(review, severity="info")
    page.check(".f-sev[value=warning]")
    page.select_option("#f-check", "narrative.amount_vs_table")
    amounts = _ids(review, "narrative.amount_vs_table")
    assert page.evaluate(visible) == amounts and len(amounts) == 3
    page.click(f"#finding-{amounts[0]} .finding-head")
    page.keyboard.press("j")
    assert p.selected() == [amounts[1]]  # the findings between are filtered out
    page.click("#next")
    assert p.selected() == [amounts[2]]
    assert page.locator(f"#finding-{amounts[2]} .d-difference").inner_text() == "-13.25"
    assert page.locator("#tables .hl[data-evidence]").all_inner_texts() == ["71.28", "71.25"]  # document order
    page.keyboard.press("Escape")
    assert p.selected() == [] and page.locator(".hl").count() == 0
    assert p.external_requests() == [] and p.errors == []
    page.close()


def test_injected_markup_does_not_execute(browser, tmp_path):
    p = Page(browser, to_html(review_text(INJECTION)), tmp_path / "inject.html")
    page = p.page
    page.click("#finding-F1 .finding-head")
    page.locator("[data-claims]").first.click()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#doc img, #sidebar img").count() == 0
    assert page.locator("script").count() == 2
    assert page.locator("#prose").inner_text().count("<script>window.__pwned=") == 3  # heading, table link, paragraph
    assert "收入合计<img src=x onerror=\"window.__pwned=2\">" in page.locator("#tables").inner_text()
    assert page.locator("#finding-F1 > .finding-body > .quote").inner_text().endswith("</script><script>window.__pwned=3</script>。")
    page.screenshot(path=str(SHOTS / "injection.png"))
    assert p.external_requests() == [] and p.errors == []
    page.close()


def test_print_keeps_colours_and_arithmetic(handan):
    page = handan.page
    page.emulate_media(media="print")
    span = page.locator("[data-findings~='F1']")
    assert span.evaluate("e => getComputedStyle(e).printColorAdjust") == "exact"
    assert span.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 235, 238)"
    assert page.locator("#finding-F1 > .finding-body > .arith .formula").is_visible()
    assert page.locator("#filters").is_hidden()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")


def test_click_evidence_cell_lists_its_users(handan):
    page = handan.page
    cell = page.locator("[data-evidence~='e1211-1218']")
    assert cell.get_attribute("class") == "ev ev-consistent"
    cell.click()
    assert page.locator("#panel h2").inner_text() == "报表数 5873.35"
    assert page.locator("#panel .cell-users button").all_inner_texts() == [
        "F1 narrative.direction：增减方向错误：5873.35 − 2696.69 = +3176.66，应为增加，文字却写“减少3176.66万元”。",
        "F2 narrative.reason_direction：增减原因与所述方向相反：文字写“减少”，所述原因却是“增加了”（3000万元），"
        "按本年数与上年数计算 5873.35 − 2696.69 = +3176.66，原因所述方向正确，“减少”有误。",
        "C3 相符：预算收入 5873.35万元（第386行）",
        "C11 矛盾：预算收支 5873.35万元（第394行）",
    ]  # claims in document order, C3 before C11
    page.locator("#panel .cell-users button").nth(3).click()
    assert page.locator("#panel h2").inner_text() == "C11 · 矛盾 · 第394行"


def test_min_severity_sets_the_initial_filter(browser, tmp_path):
    p = Page(browser, to_html(example_review(YULIN), "error"), tmp_path / "yulin_errors.html")
    visible = "Array.from(document.querySelectorAll('#findings .finding')).filter(e => !e.hidden).map(e => e.dataset.id)"
    assert p.page.evaluate(visible) == _ids(example_review(YULIN), severity="error") == [f"F{i}" for i in range(1, 8)]
    p.page.check(".f-sev[value=warning]")
    assert p.page.evaluate(visible) == [f"F{i}" for i in range(1, 14)]
    p.page.close()
