"""Figures of the reason heads against the cue-word rules on the annotated reasons.

The rules as they read an annotation (``rule_direction``), the direction decisions of rules
and model combined, the subject pairs (natural records and planted mismatches) and the
subject model's margins, and the figures of a split: ``direction_figures``,
``category_figures``, ``subject_figures``, all three of stored heads by ``evaluate``.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING

import regex

from gouji.models.annotations import DIRECTIONS, ReasonAnnotation
from gouji.models.logistic import predict_proba
from gouji.models.reason_heads import model_text, names_prior_year
from gouji.narrative.reason_kinds import CATEGORIES, foreign_items, item_of, reason_category
from gouji.narrative.reasons import reason_direction

if TYPE_CHECKING:
    import numpy as np

    from gouji.models.encoder import Encoder


# --- rules on annotations -----------------------------------------------------------


def year_of(a: ReasonAnnotation, years: dict | None = None) -> int | None:
    """The document's year: from the file name (2022_…), else ``years`` (recorded in the heads at
    training), else the corpus manifest's year_in_text (``../shared/corpus/pdf/MANIFEST.json``)."""
    doc = a.source.get("document", "")
    m = regex.search(r"(20\d\d)", doc.rsplit("/", 1)[-1])
    if m:
        return int(m.group(1))
    if years and doc in years:
        return years[doc]
    y = _manifest_years().get(doc.rsplit("/", 1)[-1])
    return int(y) if y else None


@cache
def _manifest_years() -> dict[str, str]:
    from pathlib import Path

    # parents[4]: the project folder (src/gouji/models/training/ above this file)
    for p in (Path(__file__).resolve().parents[4].parent / "shared" / "corpus" / "pdf" / "MANIFEST.json",):
        if p.exists():
            return {e["file"]: e.get("year_in_text") for e in json.loads(p.read_text(encoding="utf-8"))}
    return {}


def rule_direction(a: ReasonAnnotation, years: dict | None = None) -> str:
    d, _ = reason_direction(model_text(a.reason), year_of(a, years))
    return d or "neither"


# --- direction ----------------------------------------------------------------------


def direction_decisions(rule: list[str], P: np.ndarray, threshold: float | None, blocked: list[bool] | None = None) -> list[str]:
    """Rules first; where they abstain (and the reason names no prior year), the model's
    increase/decrease at ``p >= threshold``."""
    out = []
    blocked = blocked or [False] * len(rule)
    for r, p, b in zip(rule, P, blocked, strict=True):
        j = int(p.argmax())
        if r == "neither" and not b and threshold is not None and DIRECTIONS[j] != "neither" and p[j] >= threshold:
            out.append(DIRECTIONS[j])
        else:
            out.append(r)
    return out


def added(rule: list[str], combined: list[str], gold: list[str]) -> tuple[int, int]:
    """(correct, wrong): the decisions ``combined`` changed from the rules', against ``gold``."""
    changed = [(c, g) for r, c, g in zip(rule, combined, gold, strict=True) if c != r]
    return sum(c == g for c, g in changed), sum(c != g for c, g in changed)


# --- subject ------------------------------------------------------------------------


def _norm_subject(s: str) -> str:
    return regex.sub(r"[\s“”\"'‘’（）()]", "", s or "")


def subject_pairs(rows: list[ReasonAnnotation]) -> list[dict]:
    """Natural records and planted mismatches for the subject evaluation.

    Natural: every record (mismatch when ``about_subject`` is false). Planted: for each record
    about its own subject, the reason of the next record (by id, cyclically) of the same
    document and split whose subject differs and is neither a part nor a whole of it (by
    the items of ``reasons.yaml``, or one name containing the other), also about its own
    subject; deterministic. Each pair carries the subjects of the document for the model.
    """
    by_doc: dict[str, list[ReasonAnnotation]] = {}
    for a in sorted(rows, key=lambda a: a.id):
        by_doc.setdefault(a.source["document"], []).append(a)
    out = []
    for items in by_doc.values():
        subjects = list(dict.fromkeys(_norm_subject(a.claim_subject) for a in items if _norm_subject(a.claim_subject)))
        for i, a in enumerate(items):
            out.append({"id": a.id, "split": a.split, "subject": a.claim_subject, "reason": a.reason, "mismatch": not a.about_subject, "planted": False, "subjects": subjects})
            if not a.about_subject:
                continue
            for b in items[i + 1 :] + items[:i]:
                if b.about_subject and b.split == a.split and _unrelated(a.claim_subject, b.claim_subject) and model_text(b.reason) != model_text(a.reason):
                    out.append({"id": f"{a.id}<-{b.id}", "split": a.split, "subject": a.claim_subject, "reason": b.reason, "mismatch": True, "planted": True, "subjects": subjects})
                    break
    return out


def _unrelated(s: str, t: str) -> bool:
    from gouji.narrative.reason_kinds import related

    a, b = _norm_subject(s), _norm_subject(t)
    if not a or not b or a in b or b in a:
        return False
    ia, ib = item_of(s), item_of(t)
    return not (ia and ib and related(ia, ib))


def subject_rule(pair: dict) -> bool:
    return bool(foreign_items(pair["subject"], pair["reason"])[1])


def subject_margins(pairs: list[dict], encoder: Encoder) -> list[float]:
    """max similarity of the reason to another subject of the document − to the claim's own."""
    import numpy as np
    R = encoder.encode([model_text(p["reason"]) for p in pairs], "query", cache=True)
    out = []
    for p, r in zip(pairs, R, strict=True):
        own = _norm_subject(p["subject"])
        others = [s for s in p["subjects"] if _unrelated(s, own)]
        if not own or not others:
            out.append(float("-inf"))
            continue
        S = encoder.passage([own, *others]) @ r
        out.append(float(np.max(S[1:]) - S[0]))
    return out


# --- figures ------------------------------------------------------------------------


def embed(encoder: Encoder, rows: list[ReasonAnnotation]) -> np.ndarray:
    """The reasons' embeddings, as the heads read them."""
    return encoder.encode([model_text(a.reason) for a in rows], "query", cache=True)


def direction_figures(rows: list[ReasonAnnotation], P: np.ndarray, threshold: float | None, years: dict | None = None) -> dict:
    gold = [a.direction for a in rows]
    rule = [rule_direction(a, years) for a in rows]
    model = [DIRECTIONS[int(p.argmax())] for p in P]
    combined = direction_decisions(rule, P, threshold, [names_prior_year(model_text(a.reason), year_of(a, years)) for a in rows])
    good, bad = added(rule, combined, gold)
    decided = [(r, g) for r, g in zip(rule, gold, strict=True) if r != "neither"]
    return {
        "n": len(rows),
        "gold": {d: gold.count(d) for d in DIRECTIONS},
        "rules_correct": sum(r == g for r, g in zip(rule, gold, strict=True)),
        "rules_decided": len(decided),
        "rules_decided_correct": sum(r == g for r, g in decided),
        "model_correct": sum(m == g for m, g in zip(model, gold, strict=True)),
        "combined_correct": sum(c == g for c, g in zip(combined, gold, strict=True)),
        "added_correct": good,
        "added_wrong": bad,
    }


def category_figures(rows: list[ReasonAnnotation], P: np.ndarray) -> dict:
    gold = [a.category for a in rows]
    rule = [reason_category(a.reason) for a in rows]
    model = [CATEGORIES[int(p.argmax())] for p in P]
    per = {}
    for c in CATEGORIES:
        per[c] = {
            "gold": gold.count(c),
            "rules_tp": sum(r == g == c for r, g in zip(rule, gold, strict=True)),
            "rules_predicted": rule.count(c),
            "model_tp": sum(m == g == c for m, g in zip(model, gold, strict=True)),
            "model_predicted": model.count(c),
        }
    return {
        "n": len(rows),
        "rules_correct": sum(r == g for r, g in zip(rule, gold, strict=True)),
        "model_correct": sum(m == g for m, g in zip(model, gold, strict=True)),
        "per_category": per,
    }


def subject_figures(pairs: list[dict], encoder: Encoder | None, margin: float | None) -> dict:
    """Reports of the rule and the model on natural and planted pairs."""
    margins = subject_margins(pairs, encoder) if encoder is not None else [float("-inf")] * len(pairs)
    out = {"natural": sum(not p["planted"] for p in pairs), "natural_mismatches": sum(p["mismatch"] and not p["planted"] for p in pairs), "planted": sum(p["planted"] for p in pairs)}
    for name, flags in (("rules", [subject_rule(p) for p in pairs]), ("model", [margin is not None and m >= margin for m in margins])):
        out[name] = {
            "true": sum(f and p["mismatch"] for f, p in zip(flags, pairs, strict=True)),
            "true_planted": sum(f and p["planted"] for f, p in zip(flags, pairs, strict=True)),
            "false_natural": sum(f and not p["mismatch"] and not p["planted"] for f, p in zip(flags, pairs, strict=True)),
            "false_planted": sum(f and not p["mismatch"] and p["planted"] for f, p in zip(flags, pairs, strict=True)),
        }
    return out


def evaluate(rows: list[ReasonAnnotation], encoder: Encoder, heads: dict) -> dict:
    """The test-split figures of stored heads (what ``train`` recorded, recomputed)."""
    te = [a for a in rows if a.split == "test"]
    X = embed(encoder, te)
    return {
        "direction": direction_figures(te, predict_proba(heads["direction"], X), heads["direction"]["threshold"], heads["training_data"]["years"]),
        "category": category_figures(te, predict_proba(heads["category"], X)),
        "subject": subject_figures([p for p in subject_pairs(rows) if p["split"] == "test"], encoder, heads["subject"]["margin"]),
    }
