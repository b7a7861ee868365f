"""Severities and claim statuses, in order (worst first) and with their Chinese labels, from
``data/labels.yaml``: one place for every report and for the review that sets the statuses."""

from __future__ import annotations

from functools import cache

from gouji.data import load_yaml


@cache
def _data() -> dict:
    return load_yaml("labels.yaml")


def severities() -> tuple[str, ...]:
    """The severities, worst first."""
    return tuple(_data()["severities"])


def severity_label(severity: str) -> str:
    """错误 / 警告 / 提示."""
    return _data()["severities"][severity]["label"]


def severity_labels() -> dict[str, str]:
    return {s: severity_label(s) for s in severities()}


def claim_status_of(severity: str) -> str:
    """The status a finding of ``severity`` gives the claim it is about."""
    return _data()["severities"][severity]["claim_status"]


def statuses() -> tuple[str, ...]:
    """Claim statuses, worst first."""
    return tuple(_data()["statuses"])


def status_labels() -> dict[str, str]:
    """矛盾 / 存疑 / 无法核对 / 相符 by status."""
    return dict(_data()["statuses"])


def unverifiable_reasons() -> dict[str, str]:
    """Why a claim is unverifiable: code → Chinese label, in the order they are tested."""
    return dict(_data()["unverifiable_reasons"])


def verified_bases() -> dict[str, str]:
    """What may bear a claim out (its ``verified_by``), strongest first, with Chinese labels."""
    return dict(_data()["verified_bases"])
