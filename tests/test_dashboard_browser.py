"""The dashboard's charts in Debian's chromium: the inline SVG renders under the page's CSP, with
bars of non-zero size, and the rounding info shows only when asked for."""

from __future__ import annotations

import shutil

import pytest

from gouji.batch import run
from tests.browser import ARGS, CHROMIUM, SHOTS, sync_api
from tests.conftest import EXAMPLES


def test_charts_render_and_rounding_toggles(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(EXAMPLES, docs)
    shutil.copy(EXAMPLES / "2022_邯郸市医疗保障局_部门预算.txt", docs / "邯郸副本.txt")
    (docs / "empty.txt").write_bytes(b"")
    run([docs], tmp_path / "out", jobs=1)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # a CSP refusal is one
        page.goto((tmp_path / "out" / "index.html").as_uri())
        for chart, rows in (("checks", 13), ("documents", 5), ("verdicts", 4)):
            svg = page.locator(f"svg#chart-{chart}")
            assert svg.is_visible(), chart
            box = svg.bounding_box()
            assert box and box["width"] > 300 and box["height"] > 50, (chart, box)
            assert svg.locator("g.bar-row").count() == rows, chart
            bar = svg.locator("rect.bar").first.bounding_box()
            assert bar and bar["width"] > 1 and bar["height"] > 5, (chart, bar)
            label = svg.locator("g.bar-row text").first.bounding_box()
            assert label and label["width"] > 10, (chart, label)  # text is drawn
        # the longest bar of the checks chart is document.missing_table (8), table.cross (4) half of it
        widths = page.eval_on_selector_all(
            "#chart-checks g.bar-row", "gs => Object.fromEntries(gs.map(g => [g.dataset.key, [...g.querySelectorAll('rect.bar')].reduce((s, r) => s + r.getBoundingClientRect().width, 0)]))"
        )
        assert widths["table.cross"] == pytest.approx(widths["document.missing_table"] / 2, rel=0.02)
        assert page.get_attribute("svg#chart-checks", "role") == "img"
        assert page.text_content("#chart-checks > title") == "各检查的问题数（按级别）"
        # rounding info is hidden until the box is ticked
        assert not page.locator("#docs th.rounding").is_visible()
        assert page.locator("#n-rounding").text_content() == "14"
        page.check("#show-rounding")
        assert page.locator("#docs th.rounding").is_visible()
        assert page.locator("#checks td.rounding").first.is_visible()
        page.uncheck("#show-rounding")
        assert not page.locator("#docs th.rounding").is_visible()
        # the copy: listed, pointing at its first file, counted once
        dup = page.locator('#docs tr[data-document="邯郸副本"]')
        assert dup.is_visible() and "内容相同" in dup.text_content()
        assert page.locator("#n-duplicates").text_content() == "1" and page.locator("#n-error").text_content() == "12"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "batch_dashboard.png"), full_page=True)
        browser.close()
    assert errors == [] and [u for u in requests if not u.startswith("file://")] == []
