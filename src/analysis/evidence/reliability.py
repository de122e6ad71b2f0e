"""Agreement between two codings of the same units: Cohen's κ, per-category figures and a design-based bootstrap.

Everything works on a **confusion matrix** ``M`` (rows: the reference coder, columns: the coder checked against it;
``M[i, j]`` the weight of the units the first put in class ``i`` and the second in class ``j``). With every
unit of weight 1 the matrix holds counts and the figures are the textbook ones; with survey weights (units drawn
with unequal probabilities) they estimate the figures of the population the units were drawn from.

* :func:`kappa`: Cohen's κ = (p_o − p_e) / (1 − p_e), p_o the share on the diagonal, p_e the agreement
  expected from the two margins alone (Cohen 1960). Undefined (NaN) when p_e = 1: both coders used one
  and the same class for every unit, and no agreement beyond chance can be measured.
* :func:`one_vs_rest`: the 2 × 2 matrix of one class against all others, whose κ is the *category κ*.
* :func:`precision_recall`: per class, the share of the units the second coder put in it that the reference
  coder put there too (precision), and the share of the reference coder's units of that class that the
  second coder found (recall).
* :func:`rescaled_bootstrap_weights`: replicate weights of the Rao–Wu rescaling bootstrap for a stratified
  sample: in each stratum of ``n_h`` units, ``n_h − 1`` draws with replacement, each unit's weight multiplied
  by its number of draws and by ``n_h / (n_h − 1)`` (Rao and Wu 1988). Drawing ``n_h − 1`` instead of ``n_h``
  corrects the naive bootstrap's underestimate of the variance in small strata; the finite-population
  correction is left out, so the intervals err on the wide side. A stratum of one unit keeps its weight in every
  replicate, so it adds nothing to the variance.
* :func:`weighted_share`: a share estimated from weighted units, with the Clopper–Pearson interval on Kish's
  effective sample size (Σw)² / Σw² (the weights' design effect; Korn and Graubard 1998 use the same exact
  interval). A share of 0 gets an upper bound, never a zero-width interval.

κ is computed here rather than with ``statsmodels.stats.inter_rater.cohens_kappa`` because the bootstrap needs
it for thousands of matrices at once (:func:`kappa` takes a stack); the tests check it against statsmodels and
against textbook examples.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.evidence.uncertainty import clopper_pearson

#: Below this share of replicates with a defined value, a bootstrap interval is not given (NaN).
MIN_DEFINED_SHARE = 0.9


def confusion_matrix(
    first: Sequence[int], second: Sequence[int], k: int, weights: Sequence[float] | None = None
) -> np.ndarray:
    """``k × k`` matrix of the (weighted) units by the class indices of the first (rows) and second coder."""
    a, b = np.asarray(first, dtype=int), np.asarray(second, dtype=int)
    if a.shape != b.shape:
        raise ValueError(f"the two codings have {a.size} and {b.size} units; they must code the same units")
    if a.size and (min(a.min(), b.min()) < 0 or max(a.max(), b.max()) >= k):
        raise ValueError(f"a class index is outside 0..{k - 1}")
    w = np.ones(a.size) if weights is None else np.asarray(weights, dtype=float)
    return np.bincount(a * k + b, weights=w, minlength=k * k).reshape(k, k).astype(float)


def confusion_stack(first: Sequence[int], second: Sequence[int], k: int, weights: np.ndarray) -> np.ndarray:
    """One confusion matrix per row of ``weights`` (``replicates × units``): an array ``replicates × k × k``."""
    a, b = np.asarray(first, dtype=int), np.asarray(second, dtype=int)
    cell = np.zeros((a.size, k * k))
    cell[np.arange(a.size), a * k + b] = 1.0
    return (np.asarray(weights, dtype=float) @ cell).reshape(-1, k, k)


def _kappa(m: np.ndarray) -> np.ndarray:
    total = m.sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = m / total[..., None, None]
        observed = np.trace(p, axis1=-2, axis2=-1)
        expected = (p.sum(axis=-1) * p.sum(axis=-2)).sum(axis=-1)
        out = (observed - expected) / (1.0 - expected)
    return np.where(np.isclose(expected, 1.0) | (total <= 0), np.nan, out)


def kappa(matrix: np.ndarray) -> float | np.ndarray:
    """Cohen's κ of a confusion matrix (``k × k``), or of each matrix of a stack (``… × k × k``); NaN when p_e = 1."""
    m = np.asarray(matrix, dtype=float)
    if m.ndim < 2 or m.shape[-1] != m.shape[-2]:
        raise ValueError(f"a confusion matrix is square; got shape {m.shape}")
    out = _kappa(m)
    return float(out) if out.ndim == 0 else out


def observed_agreement(matrix: np.ndarray) -> float:
    """The share of the (weighted) units on the diagonal (raw agreement); NaN for an empty matrix."""
    m = np.asarray(matrix, dtype=float)
    total = m.sum()
    return float(np.trace(m) / total) if total > 0 else float("nan")


def one_vs_rest(matrix: np.ndarray, i: int) -> np.ndarray:
    """The 2 × 2 matrix of class ``i`` (first row and column) against every other class; works on a stack too."""
    m = np.asarray(matrix, dtype=float)
    both = m[..., i, i]
    first = m[..., i, :].sum(axis=-1) - both
    second = m[..., :, i].sum(axis=-1) - both
    rest = m.sum(axis=(-2, -1)) - both - first - second
    return np.stack([np.stack([both, first], -1), np.stack([second, rest], -1)], -2)


def precision_recall(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per class: precision (diagonal over the second coder's column total) and recall (over the first coder's row
    total). NaN where a total is 0."""
    m = np.asarray(matrix, dtype=float)
    diag = np.diagonal(m, axis1=-2, axis2=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(m.sum(axis=-2) > 0, diag / m.sum(axis=-2), np.nan)
        recall = np.where(m.sum(axis=-1) > 0, diag / m.sum(axis=-1), np.nan)
    return precision, recall


def rescaled_bootstrap_weights(
    strata: Sequence[str], weights: Sequence[float], replicates: int, seed: int
) -> np.ndarray:
    """Rao–Wu rescaling bootstrap: ``replicates × units`` replicate weights (see the module). Strata are drawn in
    sorted order with NumPy's ``default_rng(seed)``, so the same sample gives the same replicates."""
    if replicates < 1:
        raise ValueError(f"replicates must be at least 1, got {replicates}")
    s = np.asarray(strata, dtype=object)
    w = np.asarray(weights, dtype=float)
    if s.shape != w.shape:
        raise ValueError(f"{s.size} strata for {w.size} weights; give one stratum per unit")
    rng = np.random.default_rng(seed)
    out = np.tile(w, (replicates, 1))
    for stratum in sorted(set(s.tolist())):
        idx = np.flatnonzero(s == stratum)
        n = idx.size
        if n < 2:
            continue
        draws = rng.integers(0, n, size=(replicates, n - 1))
        times = (draws[:, :, None] == np.arange(n)[None, None, :]).sum(axis=1)
        out[:, idx] = w[idx] * times * (n / (n - 1))
    return out


def percentile_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """The percentile interval of bootstrap replicates, NaN replicates left out; ``(nan, nan)`` when fewer than
    :data:`MIN_DEFINED_SHARE` of them are defined."""
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    v = np.asarray(values, dtype=float)
    ok = v[~np.isnan(v)]
    if v.size == 0 or ok.size < MIN_DEFINED_SHARE * v.size:
        return float("nan"), float("nan")
    tail = 100 * (1 - level) / 2
    lo, hi = np.percentile(ok, [tail, 100 - tail])
    return float(lo), float(hi)


def weighted_share(hits: Sequence[bool], weights: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """``(share, lo, hi)``: the weighted share of the units that are hits, with the Clopper–Pearson interval on Kish's
    effective sample size; NaN for no units."""
    h, w = np.asarray(hits, dtype=float), np.asarray(weights, dtype=float)
    if h.shape != w.shape:
        raise ValueError(f"{h.size} hits for {w.size} weights; give one weight per unit")
    if w.size == 0 or w.sum() <= 0:
        return float("nan"), float("nan"), float("nan")
    share = float(w @ h / w.sum())
    n_eff = float(w.sum() ** 2 / (w**2).sum())
    lo, hi = clopper_pearson(share * n_eff, n_eff, level)
    return share, lo, hi
