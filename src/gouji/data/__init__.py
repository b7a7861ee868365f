"""Domain knowledge kept as data files that reviewers can read and extend."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

# libyaml's loader when PyYAML was built with it: the data files load ten times faster
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_yaml(name: str) -> Any:
    """Load ``gouji/data/<name>``."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader either way


def data_path(name: str) -> str:
    return str(resources.files(__package__).joinpath(name))
