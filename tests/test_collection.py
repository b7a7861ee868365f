"""Fewer garbage collections inside a review, and the settings as they were afterwards."""

from __future__ import annotations

import gc

import pytest

from gouji.collection import THRESHOLD, fewer_collections


class _Node:
    """An object the collector tracks."""


@pytest.fixture
def collector():
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)
    gc.unfreeze()


def _generation(obj: object) -> int | None:
    return next((g for g in range(3) if any(o is obj for o in gc.get_objects(generation=g))), None)


def test_the_threshold_is_raised_inside_and_restored_after(collector) -> None:
    gc.set_threshold(700, 10, 10)
    with fewer_collections():
        assert gc.get_threshold() == THRESHOLD
    assert gc.get_threshold() == (700, 10, 10)


def test_what_the_block_made_joins_the_oldest_generation_unfrozen(collector) -> None:
    gc.collect()
    with fewer_collections():
        kept = _Node()
        assert _generation(kept) == 0
    assert _generation(kept) == 2
    assert gc.get_freeze_count() == 0


def test_objects_frozen_by_someone_else_stay_frozen(collector) -> None:
    theirs = _Node()
    gc.freeze()
    frozen = gc.get_freeze_count()
    with fewer_collections():
        ours = _Node()
    assert gc.get_freeze_count() == frozen
    assert _generation(theirs) is None  # still in the permanent generation
    assert _generation(ours) == 0  # left where it was: nothing was moved


def test_freezing_inside_the_block_is_undone_after(collector) -> None:
    loaded = _Node()
    with fewer_collections(freeze=True):
        assert gc.get_freeze_count() > 0
        assert _generation(loaded) is None
    assert gc.get_freeze_count() == 0
    assert _generation(loaded) == 2
