"""README.md stays short, its check catalogue is the data's, and every relative link resolves.

The catalogue between ``<!-- checks:begin -->`` and ``<!-- checks:end -->`` is the output of
``gouji checks --markdown``; regenerate it with ``python tests/test_readme.py``.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BEGIN, END = "<!-- checks:begin -->", "<!-- checks:end -->"
REGENERATE = "python tests/test_readme.py"
PAGES = sorted([README, ROOT / "CONTRIBUTING.md", *(ROOT / "docs").glob("*.md")])


def checks_markdown() -> str:
    """What ``gouji checks --markdown`` prints."""
    from gouji.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["checks", "--markdown"]) == 0
    return out.getvalue()


def catalogue_block(text: str) -> str:
    assert text.count(BEGIN) == 1 and text.count(END) == 1, f"README.md needs one {BEGIN} … {END} block"
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def test_readme_is_short():
    assert len(README.read_bytes()) <= 25_000, "README.md is for users: move depth to docs/"


def test_readme_catalogue_is_generated_from_the_data():
    assert catalogue_block(README.read_text(encoding="utf-8")) == checks_markdown(), (
        f"README.md's check catalogue differs from `gouji checks --markdown`: run `{REGENERATE}` "
        f"(it writes that output between {BEGIN} and {END})"
    )


def test_markdown_catalogue_lists_every_check():
    from gouji.alignment.registry import catalogue

    lines = checks_markdown().splitlines()
    assert lines[:2] == ["| id | severity | description |", "|---|---|---|"]
    rows = [line.split(" | ") for line in lines[2:]]
    assert [r[0].strip("| `") for r in rows] == list(catalogue())
    assert [r[1] for r in rows] == [s.severity for s in catalogue().values()]
    assert all(line.startswith("| ") and line.endswith(" |") and line.count(" | ") == 2 for line in lines[2:])


def test_readme_setup_commands_are_make_targets_ci_runs():
    """The set-up block keeps `make demo` and `make test`; every target the CI script runs is there."""
    text = README.read_text(encoding="utf-8")
    setup = text.split("## Set up and run", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in setup.splitlines() if line.strip()]
    assert "make demo" in commands and "make test" in commands
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z]+):", makefile, re.M))
    named = {c.split()[1] for c in commands if c.startswith("make ")}
    assert named <= targets
    ci = re.search(r"^make ([a-z ]+)$", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M)
    assert ci, ".ci/run runs make"
    assert set(ci.group(1).split()) <= named
    assert f"`make {ci.group(1)}`" in text  # the whole CI command, as one line a user can run


LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*?", "", heading.strip()).lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return {_slug(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", text, re.M)}


def _links(page: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return [m.group(1) for m in LINK.finditer(text)]


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_relative_links_resolve(page):
    broken = []
    for target in _links(page):
        if re.match(r"^[a-z]+:", target):  # http:, https:, mailto:
            continue
        path, _, anchor = unquote(target).partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            broken.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
            broken.append(f"{target}: no heading #{anchor} in {dest.relative_to(ROOT)}")
    assert not broken, f"{page.relative_to(ROOT)}: {broken}"


if __name__ == "__main__":  # regenerate README.md's catalogue: python tests/test_readme.py
    sys.path.insert(0, str(ROOT / "src"))
    text = README.read_text(encoding="utf-8")
    catalogue_block(text)  # exactly one block
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    README.write_text(f"{head}{BEGIN}\n{checks_markdown()}{END}{tail}", encoding="utf-8")
    print(f"wrote the check catalogue into {README}", file=sys.stderr)
