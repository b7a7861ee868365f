"""The batch dashboard (index.html) in Debian's chromium: script runs under its CSP, sorting works."""

from __future__ import annotations

import shutil
from urllib.parse import unquote

import gouji
from tests.browser import ARGS, CHROMIUM, SHOTS, sync_api
from tests.conftest import EXAMPLES


def test_dashboard_sorts_and_stays_offline(tmp_path):
    (tmp_path / "docs").mkdir()
    for f in EXAMPLES.glob("*.txt"):
        shutil.copy(f, tmp_path / "docs")
    (tmp_path / "docs" / "empty.txt").write_bytes(b"")
    gouji.review(tmp_path / "docs", jobs=1, out=tmp_path / "out")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        url = (tmp_path / "out" / "index.html").as_uri()
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url)

        def first_column() -> list[str]:
            return page.eval_on_selector_all("#docs tbody tr", "rows => rows.map(r => r.dataset.document)")

        assert first_column()[0] == "2022_榆林市横山区医疗保障局_部门预算"  # most errors first
        assert page.get_attribute("#docs th:nth-child(5)", "aria-sort") == "descending"  # set by the script
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "batch_index.png"), full_page=True)
        page.click("#docs th:nth-child(5)")
        assert page.get_attribute("#docs th:nth-child(5)", "aria-sort") == "ascending"
        assert first_column()[0] == "2022_安泽县医疗保障局_部门预算"  # 0 errors, first in input order
        page.click("#docs th:nth-child(1)")
        assert first_column()[-1] == "empty"
        page.click("#docs tbody tr:first-child a")
        assert unquote(page.url).endswith("/reports/2022_安泽县医疗保障局_部门预算.html")
        browser.close()
    assert errors == [] and [u for u in requests if not u.startswith("file://")] == []
