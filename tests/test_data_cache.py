"""Parsed data files kept beside them (``gouji.data``): the same data, and parsed again once edited."""

from __future__ import annotations

import datetime

import yaml

from gouji import data


def test_a_kept_file_is_the_parsed_file():
    parsed = yaml.safe_load((data.DATA / "checks.yaml").read_text(encoding="utf-8"))
    assert data.load_yaml("checks.yaml") == parsed


def test_a_kept_form_is_read_only_for_the_stamp_it_was_made_from(tmp_path):
    kept = tmp_path / "__pycache__" / "x.yaml.marshal"
    data._write_cache(kept, (10, 123), {"a": [1, "二"]})
    assert data._read_cache(kept, (10, 123)) == (True, {"a": [1, "二"]})
    assert data._read_cache(kept, (11, 123))[0] is False  # the file was edited: parse it again
    assert data._read_cache(tmp_path / "none.marshal", (10, 123)) == (False, None)


def test_a_value_marshal_cannot_keep_is_parsed_each_time(tmp_path):
    kept = tmp_path / "__pycache__" / "d.yaml.marshal"
    data._write_cache(kept, (1, 1), {"when": datetime.date(2026, 1, 1)})
    assert not kept.exists()


def test_a_damaged_kept_form_is_ignored(tmp_path):
    kept = tmp_path / "k.marshal"
    kept.write_bytes(b"\x00garbage")
    assert data._read_cache(kept, (1, 1)) == (False, None)
