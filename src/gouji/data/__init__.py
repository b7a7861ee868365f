"""Domain knowledge kept as data files that reviewers can read and extend."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load_yaml(name: str) -> Any:
    """Load ``gouji/data/<name>``."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def data_path(name: str) -> str:
    return str(resources.files(__package__).joinpath(name))
