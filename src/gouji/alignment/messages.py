"""Finding messages rendered from the catalogue ``data/messages.yaml``, by check id and variant.

A check gives the fields of its message (the figures as written, the table's name…); the
wording is data. ``render`` fails loudly on an unknown check, variant or field, so a template
and its check cannot drift apart unnoticed.
"""

from __future__ import annotations

import string
from functools import cache

from gouji.alignment.findings import Finding
from gouji.alignment.registry import catalogue as checks_catalogue
from gouji.data import load_yaml

SHARED = "shared"  # the catalogue's section of wordings several checks use


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Check id → variant → template (the ``shared`` section left out)."""
    return {k: v for k, v in load_yaml("messages.yaml").items() if k != SHARED}


@cache
def shared() -> dict:
    """The catalogue's shared wordings (the rounding tails of sums)."""
    return load_yaml("messages.yaml")[SHARED]


def template(check_id: str, variant: str = "default") -> str:
    """The template of ``check_id``'s ``variant``."""
    try:
        variants = catalogue()[check_id]
    except KeyError:
        raise KeyError(f"messages.yaml has no entry for check {check_id!r}") from None
    try:
        return variants[variant]
    except KeyError:
        raise KeyError(f"messages.yaml: check {check_id!r} has no variant {variant!r} (has: {', '.join(variants)})") from None


def field_names(text: str) -> set[str]:
    """The fields a template names."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def render(check_id: str, variant: str = "default", **fields: object) -> str:
    """The message of ``check_id``'s ``variant`` with ``fields`` filled in.

    Every field the template names must be given; fields it does not name are allowed (a
    finding keeps them for the reports)."""
    text = template(check_id, variant)
    missing = field_names(text) - fields.keys()
    if missing:
        raise KeyError(f"messages.yaml {check_id}/{variant}: no value for {', '.join(sorted(missing))}")
    return text.format(**fields)


def finding(
    check_id: str,
    span: tuple[int, int],
    variant: str = "default",
    fields: dict[str, object] | None = None,
    *,
    severity: str | None = None,
    quote: str = "",
    claim: str | None = None,
    **kw,
) -> Finding:
    """A finding of ``check_id`` whose message is its catalogue ``variant`` with ``fields``;
    the severity is the check's (checks.yaml) unless given."""
    values = {k: str(v) for k, v in (fields or {}).items()}
    return Finding(
        check=check_id,
        severity=severity or checks_catalogue()[check_id].severity,
        message=render(check_id, variant, **values),
        span=span,
        quote=quote,
        claim=claim,
        variant=variant,
        fields=values,
        **kw,
    )
