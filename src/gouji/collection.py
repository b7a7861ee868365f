"""Fewer garbage collections while documents are reviewed.

A review allocates many small objects and keeps few cycles: collecting the youngest
generation every 50,000 allocations instead of Python's 700 saves about a tenth of a batch's
time, and 3 % of the instructions of one `gouji check` of a text example.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLD = (50_000, 20, 100)


@contextmanager
def fewer_collections(freeze: bool = False) -> Iterator[None]:
    """Collect less often inside the block (``THRESHOLD``); with ``freeze``, what is loaded
    already is left out of every collection (``gc.freeze``). The previous settings come back
    afterwards."""
    before = gc.get_threshold()
    if freeze:
        gc.collect()
        gc.freeze()
    gc.set_threshold(*THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        if freeze:
            gc.unfreeze()
