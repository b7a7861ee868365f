"""The bundled examples are the seed documents of the shared corpus, unchanged."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLES, SHARED


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/corpus is not present in this checkout")
def test_examples_are_the_seeds():
    seeds = sorted(p.read_bytes() for p in (SHARED / "seeds").glob("*.txt"))
    examples = sorted(p.read_bytes() for p in EXAMPLES.glob("*.txt"))
    assert seeds == examples
