"""The data files reviewers edit are plain YAML that every loader reads the same way."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

FILES = sorted(p.name for p in resources.files("gouji.data").iterdir() if p.name.endswith(".yaml"))


def test_data_files_are_found():
    assert {"checks.yaml", "checklist.yaml", "cues.yaml", "subjects.yaml", "table_kinds.yaml"} <= set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_libyaml_and_pure_python_loaders_agree(name):
    # gouji loads with libyaml when PyYAML has it, which rejects a few constructs the pure
    # loader lets through (an unquoted "原因:" inside [...]): quote such items
    text = resources.files("gouji.data").joinpath(name).read_text(encoding="utf-8")
    pure = yaml.load(text, Loader=yaml.SafeLoader)
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML without libyaml on this machine")
    assert yaml.load(text, Loader=yaml.CSafeLoader) == pure
