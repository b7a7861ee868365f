"""Debian's chromium driven by Playwright, for the browser tests.

Never downloads a browser: uses /usr/bin/chromium (``apt-get install chromium``, or
$GOUJI_CHROMIUM). Importing this module skips the importing test module, with the reason, when
the browser or the ``playwright`` package is missing, unless GOUJI_REQUIRE_BROWSER is set (CI),
where that is a failure. Screenshots go to ``build/screenshots/`` (or $GOUJI_SCREENSHOTS).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = os.environ.get("GOUJI_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(os.environ.get("GOUJI_SCREENSHOTS", ROOT / "build" / "screenshots"))

if os.environ.get("GOUJI_REQUIRE_BROWSER"):  # CI: a missing browser is a failure, not a skip
    from playwright import sync_api

    assert Path(CHROMIUM).exists() or shutil.which(CHROMIUM), f"no chromium at {CHROMIUM}"
else:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
