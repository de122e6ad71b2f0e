"""Uncertainty for counts in short texts: exact Poisson intervals and a bootstrap over units.

The texts run from about 1,200 to 12,000 characters, so a count of 7 and a count of 11 may not differ
by more than chance. Two kinds of interval are used:

* :func:`poisson_interval`: the exact (Garwood) interval for a Poisson count, the central interval
  whose tails each hold at most (1 − level)/2. It treats every occurrence as independent, which
  words in a legal text are not (one article can repeat 安全 four times); it is a lower bound on the
  real uncertainty.
* :func:`bootstrap_units`: resample the document's units (articles 条, paragraphs or sentences;
  :mod:`analysis.counting.passages`) with replacement and recompute the density and the share of units that
  mention the term. Because whole units are resampled, clustering within a unit is kept. The
  random generator is NumPy's ``default_rng`` with a fixed seed, so the same inputs give the same
  interval.

The quantiles of the Poisson interval are found by bisection on the Poisson distribution function
(summed in log space with :func:`math.lgamma`). SciPy, which has them as ``chi2.ppf``, is not in the
project's lock; these thirty lines avoid adding a 40 MB dependency for one function, and the tests
check them against known values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

DEFAULT_SEED = 20210328  # the article's date: any fixed number would do
DEFAULT_RESAMPLES = 2000
PER = 10_000


def poisson_cdf(k: int, mu: float) -> float:
    """P(X ≤ k) for X ~ Poisson(mu); 0 for k < 0."""
    if k < 0:
        return 0.0
    if mu <= 0:
        return 1.0
    log_mu = math.log(mu)
    terms = [math.exp(i * log_mu - mu - math.lgamma(i + 1)) for i in range(k + 1)]
    return min(1.0, math.fsum(terms))


def _bisect(f: Callable[[float], float], lo: float, hi: float, iterations: int = 200) -> float:
    """Root of an increasing-or-decreasing ``f`` that changes sign between ``lo`` and ``hi``."""
    f_lo = f(lo)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        f_mid = f(mid)
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return (lo + hi) / 2


def poisson_interval(k: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) two-sided interval for the mean of a Poisson variable observed as ``k``.

    Lower bound: the mean at which P(X ≥ k) = α/2 (0 when k = 0); upper bound: the mean at which
    P(X ≤ k) = α/2, with α = 1 − ``level``.
    """
    if k < 0 or int(k) != k:
        raise ValueError(f"k must be a non-negative integer, got {k!r}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    k = int(k)
    alpha = 1 - level
    hi_bound = k + 20 * math.sqrt(k + 1) + 20
    upper = _bisect(lambda mu: poisson_cdf(k, mu) - alpha / 2, 0.0, hi_bound)
    lower = 0.0 if k == 0 else _bisect(lambda mu: (1 - poisson_cdf(k - 1, mu)) - alpha / 2, 0.0, hi_bound)
    return lower, upper


def density_interval(k: int, chars: int, level: float = 0.95, per: int = PER) -> tuple[float, float]:
    """:func:`poisson_interval` of ``k`` scaled to occurrences per ``per`` characters (NaN for no characters)."""
    if chars <= 0:
        return math.nan, math.nan
    lo, hi = poisson_interval(k, level)
    return lo * per / chars, hi * per / chars


def bootstrap_units(
    counts: Sequence[int],
    chars: Sequence[int],
    *,
    level: float = 0.95,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    per: int = PER,
) -> dict[str, float]:
    """Percentile bootstrap over units: density per ``per`` characters and share of units with a mention.

    ``counts[i]`` is the number of occurrences in unit ``i`` and ``chars[i]`` its characters.
    Returns ``density, density_lo, density_hi, share, share_lo, share_hi`` (NaN when there are no
    units or no characters).
    """
    if len(counts) != len(chars):
        raise ValueError(f"counts ({len(counts)}) and chars ({len(chars)}) differ in length")
    nan = {k: math.nan for k in ("density", "density_lo", "density_hi", "share", "share_lo", "share_hi")}
    n = len(counts)
    c = np.asarray(counts, dtype=float)
    w = np.asarray(chars, dtype=float)
    if n == 0 or w.sum() <= 0:
        return nan
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(resamples, n))
    sums_c = c[idx].sum(axis=1)
    sums_w = w[idx].sum(axis=1)
    dens = np.where(sums_w > 0, sums_c * per / np.where(sums_w > 0, sums_w, 1), 0.0)
    shares = (c[idx] > 0).mean(axis=1)
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    d_lo, d_hi = np.percentile(dens, q)
    s_lo, s_hi = np.percentile(shares, q)
    return {
        "density": float(c.sum() * per / w.sum()),
        "density_lo": float(d_lo),
        "density_hi": float(d_hi),
        "share": float((c > 0).mean()),
        "share_lo": float(s_lo),
        "share_hi": float(s_hi),
    }


def rate_ratio_interval(k1: int, n1: int, k2: int, n2: int, level: float = 0.95) -> tuple[float, float, float]:
    """Ratio of two Poisson rates (k1/n1 over k2/n2) with an exact conditional interval.

    Given k1 + k2, k1 is binomial with p = r·n1 / (r·n1 + n2) where r is the rate ratio; the
    Clopper–Pearson interval for p is mapped back to r. Returns ``(ratio, lo, hi)``; ``inf`` where a
    bound is unbounded, NaN when k1 + k2 = 0.
    """
    if min(k1, k2) < 0 or min(n1, n2) <= 0:
        raise ValueError("counts must be non-negative and exposures positive")
    total = k1 + k2
    if total == 0:
        return math.nan, math.nan, math.nan
    alpha = 1 - level
    p_lo = 0.0 if k1 == 0 else _bisect(lambda p: (1 - _binom_cdf(k1 - 1, total, p)) - alpha / 2, 0.0, 1.0)
    p_hi = 1.0 if k1 == total else _bisect(lambda p: _binom_cdf(k1, total, p) - alpha / 2, 0.0, 1.0)

    def to_ratio(p: float) -> float:
        return math.inf if p >= 1 else (p / (1 - p)) * (n2 / n1)

    ratio = math.inf if k2 == 0 else (k1 / n1) / (k2 / n2)
    return ratio, to_ratio(p_lo), to_ratio(p_hi)


def _binom_cdf(k: int, n: int, p: float) -> float:
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    if p <= 0:
        return 1.0
    if p >= 1:
        return 0.0
    lp, lq = math.log(p), math.log1p(-p)
    base = math.lgamma(n + 1)
    terms = [math.exp(base - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * lp + (n - i) * lq) for i in range(k + 1)]
    return min(1.0, math.fsum(terms))


def format_interval(value: float, lo: float, hi: float, digits: int = 1) -> str:
    """``value [lo–hi]`` with ``digits`` decimals (``–`` for NaN), for tables read by people."""
    if any(math.isnan(x) for x in (value, lo, hi)):
        return "–"
    return f"{value:.{digits}f} [{lo:.{digits}f}–{hi:.{digits}f}]"
