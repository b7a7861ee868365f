"""Model selection for the reason heads on the train split.

Cross-validation folds by document (``FOLDS``), the L2 strength of the best cross-validated
accuracy (``choose_l2``), the direction threshold at which the out-of-fold model adds
decisions and no wrong one (``choose_threshold``), and the subject model's margin
(``choose_margin``). Thresholds are stored rounded down.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from gouji.models.annotations import DIRECTIONS, ReasonAnnotation
from gouji.models.logistic import fit, predict_proba
from gouji.models.training.evaluation import added, direction_decisions

if TYPE_CHECKING:
    import numpy as np

FOLDS = 5
L2_GRID = (0.01, 0.1, 1.0, 10.0)


def _fold(a: ReasonAnnotation) -> int:
    """Cross-validation fold by document, so that a reason repeated in a document stays in one."""
    return int(hashlib.sha1(a.source["document"].encode("utf-8")).hexdigest(), 16) % FOLDS


def out_of_fold(rows: list[ReasonAnnotation], X: np.ndarray, y: np.ndarray, k: int, l2: float) -> np.ndarray:
    """Probabilities for every row from a head trained on the other folds."""
    import numpy as np

    P = np.zeros((len(rows), k))
    folds = np.array([_fold(a) for a in rows])
    for f in range(FOLDS):
        test = folds == f
        if not test.any() or test.all():
            continue
        head = fit(X[~test], y[~test], k, l2)
        P[test] = predict_proba(head, X[test])
    return P


def choose_l2(rows: list[ReasonAnnotation], X: np.ndarray, y: np.ndarray, k: int) -> tuple[float, float]:
    """The L2 strength of the best cross-validated accuracy on the train split (ties: stronger)."""
    best = None
    for l2 in L2_GRID:
        acc = float((out_of_fold(rows, X, y, k, l2).argmax(1) == y).mean())
        if best is None or acc >= best[1]:
            best = (l2, acc)
    return best


def choose_threshold(rule: list[str], P: np.ndarray, gold: list[str], blocked: list[bool]) -> float | None:
    """The lowest threshold at which the out-of-fold model adds decisions and no wrong one."""
    cands = sorted({float(p.max()) for r, p, b in zip(rule, P, blocked, strict=True) if r == "neither" and not b and DIRECTIONS[int(p.argmax())] != "neither"})
    best = None
    for t in reversed(cands):
        good, bad = added(rule, direction_decisions(rule, P, t, blocked), gold)
        if bad:
            break
        if good:
            best = t
    return _floor(best)


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


def _floor(x: float | None, places: int = 4) -> float | None:
    """A threshold as stored: rounded down, so that the value it was chosen at still passes."""
    import math

    return None if x is None else math.floor(x * 10**places) / 10**places
