from __future__ import annotations

from pathlib import Path

import pytest

from gouji.alignment.review import Review, review_document
from gouji.ingest import read_document
from gouji.ingest.text import parse_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared" / "corpus"

_cache: dict[str, Review] = {}


def example_review(name: str) -> Review:
    if name not in _cache:
        _cache[name] = review_document(read_document(EXAMPLES / name))
    return _cache[name]


def review_text(text: str) -> Review:
    """Review a small document given as text (tables as tab-separated rows)."""
    return review_document(parse_text(text, "<test>"))


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES
