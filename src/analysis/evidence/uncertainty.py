"""Exact intervals for small counts in short texts: Poisson counts, shares of units, and a rate ratio.

The texts run from about 1,500 to 12,000 characters, so a count of 7 and a count of 11 may not differ
by more than chance, and a count of 0 says little. Every interval here is *exact* (it never has a width of
zero, and a zero count gets an upper bound, never "0 [0–0]"):

* :func:`poisson_interval`: the exact (Garwood) interval for a Poisson count, the central interval whose
  tails each hold at most (1 − level)/2, from the χ² quantiles (SciPy);
* :func:`share_interval`: the Clopper–Pearson interval for a share ``k`` of ``n`` (statsmodels'
  ``proportion_confint(method="beta")``), used for the share of a text's articles that mention a term;
* :func:`rate_ratio_interval`: the ratio of two Poisson rates with the exact interval conditional on the
  total (Clopper–Pearson on the binomial split, mapped back to the ratio).

All three treat every occurrence (or every unit) as an independent draw, which words in a legal text are
not: one article can repeat 安全 four times, and one document's drafting habits repeat across its articles.
They describe one document, or give the *occurrence-level* interval a naive reading would use. Comparisons of
AI and control texts are made with the document as the unit (:mod:`analysis.sections.move.inference`).

SciPy and statsmodels come with the project's lock for :mod:`analysis.sections.move.inference`; using them here replaces
the bisection code that stood in for them while SciPy was not a dependency.
"""

from __future__ import annotations

import math

DEFAULT_SEED = 20210328  # the article's date: any fixed number would do
PER = 10_000


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")


def poisson_interval(k: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) two-sided interval for the mean of a Poisson variable observed as ``k``.

    Lower bound χ²(α/2; 2k)/2 (0 when k = 0), upper bound χ²(1 − α/2; 2k + 2)/2, with α = 1 − ``level``.
    """
    if k < 0 or int(k) != k:
        raise ValueError(f"k must be a non-negative integer, got {k!r}")
    _check_level(level)
    k = int(k)
    alpha = 1 - level
    from scipy.stats import chi2  # here: SciPy's statistics take 0.5 s to import, and most chapters never use them

    lower = 0.0 if k == 0 else float(chi2.ppf(alpha / 2, 2 * k)) / 2
    return lower, float(chi2.ppf(1 - alpha / 2, 2 * k + 2)) / 2


def density_interval(k: int, chars: int, level: float = 0.95, per: int = PER) -> tuple[float, float]:
    """:func:`poisson_interval` of ``k`` scaled to occurrences per ``per`` characters (NaN for no characters)."""
    if chars <= 0:
        return math.nan, math.nan
    lo, hi = poisson_interval(k, level)
    return lo * per / chars, hi * per / chars


def clopper_pearson(count: float, nobs: float, level: float = 0.95) -> tuple[float, float]:
    """The exact (Clopper–Pearson) interval for a share of ``count`` in ``nobs``: statsmodels'
    ``proportion_confint(method="beta")``, imported here (with SciPy's statistics, 0.5 s) when first needed."""
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(count, nobs, alpha=1 - level, method="beta")
    return float(lo), float(hi)


def share_interval(k: int, n: int, level: float = 0.95) -> tuple[float, float, float]:
    """The share ``k / n`` with its exact Clopper–Pearson interval: ``(share, lo, hi)``; NaN for ``n == 0``.

    A zero share gets a positive upper bound (for 0 of 20 units, 0 [0–0.168]), a full share a lower bound below 1.
    """
    if k < 0 or n < 0 or k > n or int(k) != k or int(n) != n:
        raise ValueError(f"need integers 0 <= k <= n, got k={k!r}, n={n!r}")
    _check_level(level)
    if n == 0:
        return math.nan, math.nan, math.nan
    lo, hi = clopper_pearson(int(k), int(n), level)
    return k / n, lo, hi


def rate_ratio_interval(k1: int, n1: int, k2: int, n2: int, level: float = 0.95) -> tuple[float, float, float]:
    """Ratio of two Poisson rates (k1/n1 over k2/n2) with an exact conditional interval.

    Given k1 + k2, k1 is binomial with p = r·n1 / (r·n1 + n2) where r is the rate ratio; the
    Clopper–Pearson interval for p is mapped back to r. Returns ``(ratio, lo, hi)``; ``inf`` where a
    bound is unbounded, NaN when k1 + k2 = 0. Every occurrence counts as an independent draw: this is the
    occurrence-level interval, too narrow for documents (see :mod:`analysis.sections.move.inference`).
    """
    if min(k1, k2) < 0 or min(n1, n2) <= 0:
        raise ValueError("counts must be non-negative and exposures positive")
    _check_level(level)
    total = k1 + k2
    if total == 0:
        return math.nan, math.nan, math.nan
    p_lo, p_hi = clopper_pearson(int(k1), int(total), level)

    def to_ratio(p: float) -> float:
        return math.inf if p >= 1 else (p / (1 - p)) * (n2 / n1)

    ratio = math.inf if k2 == 0 else (k1 / n1) / (k2 / n2)
    return ratio, to_ratio(float(p_lo)), to_ratio(float(p_hi))


def format_interval(value: float, lo: float, hi: float, digits: int = 1) -> str:
    """``value [lo–hi]`` with ``digits`` decimals (``–`` for NaN, ``∞`` for an unbounded end), for people."""
    if any(math.isnan(x) for x in (value, lo, hi)):
        return "–"

    def show(x: float) -> str:
        return "∞" if math.isinf(x) else f"{x:.{digits}f}"

    return f"{show(value)} [{show(lo)}–{show(hi)}]"
