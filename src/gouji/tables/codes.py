"""科目 codes: function classification (2xx, 5 or 7 digits) and economic (301/30101, 501/50101)."""

from __future__ import annotations

from functools import lru_cache

from gouji.patterns import re_

# "[2101501]行政运行", "2101501", "30101", "2101501 行政运行"
CODE_RE = re_(r"^\[?(?P<code>[2-5]\d{2}(?:\d{2}){0,2})\]?\s*(?P<name>\P{N}.*)?$")


@lru_cache(maxsize=16384)
def parse_code(text: str) -> tuple[str, str] | None:
    """Split ``[2101501]行政运行`` into (code, name); None when the text has no 科目 code."""
    m = CODE_RE.match(text.strip())
    if not m:
        return None
    return m.group("code"), (m.group("name") or "").strip()


def code_kind(code: str) -> str:
    """``function`` (功能分类), ``economic_dept`` (部门经济 30x) or ``economic_gov`` (政府经济 50x)."""
    if code.startswith("2"):
        return "function"
    if code.startswith("3"):
        return "economic_dept"
    return "economic_gov"


def parent_code(code: str) -> str | None:
    """Parent in the hierarchy: 2101501 -> 21015 -> 210; 30101 -> 301."""
    if len(code) > 3:
        return code[:-2]
    return None


def join_split_code(parts: list[str]) -> str | None:
    """Join a code split over 类 | 款 | 项 columns: ``210 | 15 | 01`` -> ``2101501``."""
    digits = [p.strip() for p in parts if p.strip()]
    if not digits or not all(d.isascii() and d.isdigit() for d in digits):
        return None
    first = digits[0]
    if len(first) != 3:
        return None
    rest = digits[1:]
    if not all(len(d) == 2 for d in rest):
        return None
    return first + "".join(rest)
