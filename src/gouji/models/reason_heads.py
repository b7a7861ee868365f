"""Reason heads at review time: small classifiers on the e5 embedding of a stated reason
(issue 9, models 2-4), applied by ``apply`` before the checks.

- **direction** (increase / decrease / neither): used only where the cue-word rules
  (``narrative.reasons.reason_direction``) abstain, with a probability at or above a threshold
  chosen by cross-validation on the train split, and only when on the held-back test split it
  adds correct decisions and no wrong one; otherwise the rules decide alone.
- **category** (人员变动, 机构改革/合并, …): the model replaces the cue words of
  ``data/reasons.yaml`` when it was more accurate on the test split.
- **subject** (is the reason about the claim's item?): e5 similarity of the reason to the
  claim's subject against the other subjects of the document; evaluated only, the check
  ``narrative.reason_subject`` stays the rule unless the model met the precision bar.

The heads (``models.logistic``) are read from ``gouji/data/models/reason_heads.json``, written
by ``models.training`` (``python -m benchmarks.reasons_train``), which this module does not
import; they apply only to the encoder they were trained with (its fingerprint). Without numpy,
a model or the heads file, the rules decide and the review says why the models were skipped.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from gouji.models.annotations import DIRECTIONS
from gouji.models.logistic import predict_proba
from gouji.narrative.reason_kinds import CATEGORIES
from gouji.narrative.text import clean_prose
from gouji.patterns import re_

if TYPE_CHECKING:
    from gouji.models.encoder import Encoder
    from gouji.narrative.extract import ClaimSet

HEADS_FILE = "models/reason_heads.json"
SCHEMA = "gouji.reason-heads/1"
# the encoder's answer to this sentence identifies it: heads apply only to the encoder they
# were trained on
PROBE = "2022年部门预算收入比上年减少198.89万元，主要原因是机构改革人员减少。"
PROBE_DIMS = 8
PROBE_TOLERANCE = 2e-3


def model_text(reason: str) -> str:
    """The reason as the model reads it: the cleaned prose (line breaks, export spaces dropped)."""
    return clean_prose(reason, 0).text


def names_prior_year(text: str, year: int | None) -> bool:
    """The reason speaks of the year before by its number ("2025年执行数中含追加的…资金" in a
    2026 budget explains a decrease): the cue-word rules leave such clauses out on purpose, and
    the model, which reads 追加 as a rise, may not overrule them."""
    return year is not None and bool(re_(rf"{year - 1}\s*年").search(text))


def fingerprint(encoder: Encoder) -> list[float]:
    """The encoder's vector for ``PROBE`` (first ``PROBE_DIMS`` dimensions, rounded)."""
    v = encoder.encode(PROBE, "query", cache=False)
    return [round(float(x), 6) for x in v[:PROBE_DIMS]]


@cache
def load_heads() -> dict | None:
    """The heads file of the package, or None when it is missing or of another schema."""
    try:
        text = resources.files("gouji.data").joinpath(HEADS_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    heads = json.loads(text)
    return heads if heads.get("schema") == SCHEMA else None


_MATCHES: dict[tuple[int, str], bool] = {}


def encoder_matches(heads: dict, encoder: Encoder) -> bool:
    """Whether ``encoder`` gives the probe sentence the vector it gave at training (once per encoder)."""
    key = (id(encoder), encoder.model_ref)
    if key not in _MATCHES:
        got = fingerprint(encoder)
        _MATCHES[key] = all(abs(a - b) <= PROBE_TOLERANCE for a, b in zip(got, heads["encoder"]["probe_vector"], strict=True))
    return _MATCHES[key]


def apply(claims: ClaimSet, encoder: Encoder, year: int | None = None) -> dict:
    """Reason models on a document's claims, before the checks. Returns the report's summary.

    Direction: where the rules abstain, the reason names no prior year (``year``: the
    document's) and the head is confident (when it beat the rules on the test split); category: the head's label when it was the more accurate one. Loads the
    model only when a stated reason needs it.
    """
    from gouji.models.encoder import ModelUnavailable, model_status

    heads = load_heads()
    if heads is None:
        return _skipped(f"no reason heads in the package ({HEADS_FILE}): python -m benchmarks.reasons_train")
    use_dir, use_cat = heads["direction"]["use"], heads["category"]["use"]
    summary = {
        "direction": f"model where the rules abstain (p ≥ {heads['direction']['threshold']})" if use_dir else "rules (the model did not beat them on the test split)",
        "category": "model" if use_cat else "rules (the model was not more accurate on the test split)",
        "subject": "rules" + ("" if heads["subject"]["use"] else " (the model was not better on the test split)"),
    }
    reasons = [c.reason for c in claims.claims if c.reason is not None and c.reason.kind == "reason"]
    if not (use_dir or use_cat) or not reasons:
        return {"reasons": {"status": "rules", **summary}}
    ok, why = (True, "") if encoder.loaded else model_status(encoder.model_ref)
    if not ok:
        return _skipped(why)
    try:
        if not encoder_matches(heads, encoder):
            return _skipped(f"the reason heads were trained with another encoder than {encoder.model_ref}")
        X = encoder.encode([model_text(r.text) for r in reasons], "query", cache=True)
    except ModelUnavailable as e:
        return _skipped(str(e))
    directions = 0
    if use_dir:
        P = predict_proba(heads["direction"], X)
        t = heads["direction"]["threshold"]
        for r, p in zip(reasons, P, strict=True):
            j = int(p.argmax())
            if r.direction is None and not names_prior_year(model_text(r.text), year) and DIRECTIONS[j] != "neither" and p[j] >= t:
                r.direction, r.direction_span, r.direction_by = DIRECTIONS[j], r.span, "model"
                directions += 1
    if use_cat:
        for r, p in zip(reasons, predict_proba(heads["category"], X), strict=True):
            r.category, r.category_by = CATEGORIES[int(p.argmax())], "model"
    return {"reasons": {"status": "used", **summary, "encoded": len(reasons), "model_directions": directions}}


def _skipped(why: str) -> dict:
    return {"reasons": {"status": "skipped", "reason": why}}
