"""Multinomial logistic regression (numpy, L2): the model of the reason heads.

``fit`` trains one by full-batch gradient descent and returns it as a plain dict (training mean,
scale, weights, biases, L2 strength; rounded as stored in the heads file); ``predict_proba``
applies one. numpy is imported only when either runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike

ITERATIONS = 400  # full-batch gradient steps (deterministic: no sampling)


def _np() -> Any:
    import numpy as np

    return np


def fit(X: ArrayLike, y: ArrayLike, k: int, l2: float, iters: int = ITERATIONS) -> dict:
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
        P = softmax(Z @ Wl + bl)
        G = Z.T @ (P - Y) / n + l2 * Wl / n
        gb = (P - Y).mean(0)
        vW = mom * vW - lr * G
        vb = mom * vb - lr * gb
        W, b = W + vW, b + vb
    # rounded as stored, so that the figures computed at training are those of the file
    r = lambda a: np.round(a, 6).tolist()  # noqa: E731
    return {"mean": r(mean), "scale": round(scale, 6), "W": r(W), "b": r(b), "l2": l2}


def softmax(S: np.ndarray) -> np.ndarray:
    """Row-wise softmax of a score matrix."""
    np = _np()
    S = S - S.max(1, keepdims=True)
    E = np.exp(S)
    return E / E.sum(1, keepdims=True)


def predict_proba(head: dict, X: ArrayLike) -> np.ndarray:
    """Class probabilities (one row per row of ``X``) of a head ``fit`` returned."""
    np = _np()
    X = np.asarray(X, dtype=np.float64)
    Z = (X - np.asarray(head["mean"])) / head["scale"]
    return softmax(Z @ np.asarray(head["W"]) + np.asarray(head["b"]))
