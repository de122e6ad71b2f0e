"""The document is the unit: AI texts against control texts with intervals that allow for differences between documents.

Occurrences of a word inside one document are not independent draws: a text that uses 安全 in its purpose clause
uses it again, and one drafting office writes alike. Between documents, counts vary far more than a Poisson model
allows. Every comparison here therefore treats the **document** as the unit:

``pearson_dispersion`` / ``dispersion``
    the Pearson χ² of a Poisson fit divided by its residual degrees of freedom (1 when counts are Poisson). Per
    side (:func:`pearson_dispersion`: the AI texts alone, the controls alone) and for the two-group model.
:func:`quasi_poisson`
    a Poisson GLM of the counts with ``offset = log(characters)`` and an AI indicator, with the Pearson scale
    (statsmodels' ``scale="X2"``, given as the fixed value it estimates):
    the rate ratio is ``exp(coef)``, its standard error is scaled by the square root of the dispersion, and the
    interval uses Student's *t* with the residual degrees of freedom (the scale is estimated from a handful of
    documents; a normal interval would ignore that). A dispersion below 1 is not allowed to narrow the interval:
    the Poisson scale 1 (and a normal interval) is used instead. This interval decides the verdict.
:func:`negative_binomial`
    the NB2 model (statsmodels' ``NegativeBinomial`` with ``exposure = characters``), which estimates the extra
    variance as a parameter: a second model, shown beside the first, never deciding.
:func:`permutation_test`
    the AI label moved over the documents of the comparison, every way it can be (exact enumeration up to
    :data:`EXACT_LIMIT` ways, else a seeded Monte Carlo sample); the p-value is one-sided, in the direction
    observed. With 4 AI texts and 1 control there are 5 ways, so no p can go below 0.2.
:func:`leave_one_out`
    the quasi-Poisson ratio with each document dropped in turn: does one text carry the result?
:func:`verdict`
    "AI higher" or "AI lower" only when the quasi-Poisson interval excludes 1 **and** each side has at least
    :data:`MIN_DOCS` documents; otherwise "cannot tell", with the reason in plain words.

statsmodels (BSD) fits the models: a maintained implementation of GLMs, quasi-likelihood scales and the
negative binomial, tested against R, where hand-written iteratively reweighted least squares would be ours to
test.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.stats import norm
from statsmodels.discrete.discrete_model import NegativeBinomial

from analysis.evidence.uncertainty import DEFAULT_SEED

#: The fewest documents a side needs before a verdict word is printed.
MIN_DOCS = 2
#: Enumerate every assignment of the AI label up to this many; above it, a seeded Monte Carlo sample.
EXACT_LIMIT = 20_000
RESAMPLES = 10_000
AI_HIGHER, AI_LOWER, CANNOT_TELL = "AI higher", "AI lower", "cannot tell"
VERDICTS: tuple[str, ...] = (AI_HIGHER, AI_LOWER, CANNOT_TELL)


@dataclass(frozen=True)
class RateRatio:
    """A rate ratio AI / control with its interval, the model's dispersion (or NB α) and a note on the fit."""

    ratio: float
    lo: float
    hi: float
    dispersion: float
    df: int
    note: str = ""


_NAN_RATIO = (math.nan, math.nan, math.nan)  # ratio-less fields: lo, hi, dispersion


def _arrays(counts: Sequence[int], chars: Sequence[int], is_ai: Sequence[bool] | None = None) -> tuple[np.ndarray, ...]:
    y = np.asarray(counts, dtype=float)
    n = np.asarray(chars, dtype=float)
    if y.shape != n.shape or (is_ai is not None and len(is_ai) != len(y)):
        raise ValueError("counts, chars and is_ai must have the same length")
    if (y < 0).any() or (n <= 0).any() or (y != np.round(y)).any():
        raise ValueError("counts must be non-negative integers and characters positive")
    if is_ai is None:
        return y, n
    return y, n, np.asarray(is_ai, dtype=bool)


def pooled_ratio(counts: Sequence[int], chars: Sequence[int], is_ai: Sequence[bool]) -> float:
    """(Σ AI counts / Σ AI characters) over (Σ control counts / Σ control characters); inf or NaN at zero."""
    y, n, a = _arrays(counts, chars, is_ai)
    k1, n1, k2, n2 = y[a].sum(), n[a].sum(), y[~a].sum(), n[~a].sum()
    if n1 == 0 or n2 == 0 or k1 + k2 == 0:
        return math.nan
    return math.inf if k2 == 0 else float((k1 / n1) / (k2 / n2))


def pearson_dispersion(counts: Sequence[int], chars: Sequence[int]) -> float:
    """Pearson χ² / df of one group's counts under a common Poisson rate (NaN for fewer than 2 documents).

    The rate is Σ counts / Σ characters; each document's expected count is that rate times its characters.
    """
    y, n = _arrays(counts, chars)
    if len(y) < 2:
        return math.nan
    if y.sum() == 0:
        return 0.0
    mu = n * y.sum() / n.sum()
    return float(((y - mu) ** 2 / mu).sum() / (len(y) - 1))


def _design(a: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones(len(a)), a.astype(float)])


def _one_side_empty(y: np.ndarray, a: np.ndarray) -> str:
    if not a.any() or a.all():
        return "one side has no document"
    if y[a].sum() == 0 or y[~a].sum() == 0:
        return "no occurrence on one side: no ratio model can be fitted"
    return ""


def quasi_poisson(counts: Sequence[int], chars: Sequence[int], is_ai: Sequence[bool], level: float = 0.95) -> RateRatio:
    """Quasi-Poisson rate ratio AI / control with a *t* interval (see the module's docstring)."""
    return _quasi_poisson(counts, chars, is_ai, level)[0]


def _quasi_poisson(
    counts: Sequence[int], chars: Sequence[int], is_ai: Sequence[bool], level: float
) -> tuple[RateRatio, tuple[float, float]]:
    """The quasi-Poisson ratio and, beside it, the normal (z) interval that ignores that the scale is estimated."""
    y, n, a = _arrays(counts, chars, is_ai)
    df = len(y) - 2
    both = bool(a.any() and (~a).any())
    empty = _one_side_empty(y, a)
    if empty or df < 1:
        note = empty or "one document per side: no residual degrees of freedom"
        return RateRatio(pooled_ratio(y, n, a) if both else math.nan, *_NAN_RATIO, max(df, 0), note), (math.nan,) * 2
    model = sm.GLM(y, _design(a), family=sm.families.Poisson(), offset=np.log(n))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a saturated side warns of "perfect prediction"; the fit is still exact
        # The coefficients do not depend on the scale: fit the Poisson model, then use its Pearson χ²/df as a fixed
        # scale (statsmodels' scale="X2" is the same estimate, but fails when the first guess fits exactly).
        fit = model.fit(tol=1e-12)
        dispersion = float(fit.pearson_chi2 / fit.df_resid)
        note = ""
        if dispersion >= 1:
            fit = model.fit(scale=dispersion, use_t=True, tol=1e-12)
        else:  # scale 1: a dispersion below 1 must not narrow the interval
            note = "dispersion below 1: the Poisson interval is used"
    lo, hi = np.exp(np.asarray(fit.conf_int(alpha=1 - level))[1])
    z = float(norm.ppf(1 - (1 - level) / 2)) * float(fit.bse[1])
    z_interval = (float(np.exp(fit.params[1] - z)), float(np.exp(fit.params[1] + z)))
    return RateRatio(
        float(np.exp(fit.params[1])), float(lo), float(hi), dispersion, int(fit.df_resid), note
    ), z_interval


def negative_binomial(
    counts: Sequence[int], chars: Sequence[int], is_ai: Sequence[bool], level: float = 0.95
) -> RateRatio:
    """NB2 rate ratio AI / control with a Wald interval; ``dispersion`` holds α. NaN with a note when the fit fails."""
    y, n, a = _arrays(counts, chars, is_ai)
    df = len(y) - 2
    empty = _one_side_empty(y, a)
    if empty or df < 1:
        return RateRatio(math.nan, math.nan, math.nan, math.nan, max(df, 0),
                         empty or "one document per side: no residual degrees of freedom")  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence and Hessian warnings are read from the result instead
        try:
            fit = NegativeBinomial(y, _design(a), exposure=n).fit(disp=0, maxiter=500)
            ci = np.asarray(fit.conf_int(alpha=1 - level))[1]
        except (np.linalg.LinAlgError, ValueError) as exc:
            return RateRatio(math.nan, math.nan, math.nan, math.nan, df, f"did not fit ({type(exc).__name__})")
    converged = bool(fit.mle_retvals.get("converged", False))
    if not converged or not np.all(np.isfinite(ci)):
        return RateRatio(math.nan, math.nan, math.nan, math.nan, df, "did not converge")
    return RateRatio(float(np.exp(fit.params[1])), float(np.exp(ci[0])), float(np.exp(ci[1])),
                     float(fit.params[-1]), df)  # fmt: skip


def _at_least_as_extreme(k1: int, n1: int, k2: int, n2: int, obs: tuple[int, int, int, int], upper: bool) -> bool:
    """Is the ratio (k1/n1)/(k2/n2) ≥ (upper) or ≤ the observed one? Exact integer arithmetic, zeros included."""
    ok1, on1, ok2, on2 = obs
    left, right = k1 * n2 * on1 * ok2, ok1 * on2 * n1 * k2  # ratio ≥ observed ⟺ left ≥ right (all terms ≥ 0)
    return left >= right if upper else left <= right


def permutation_test(
    counts: Sequence[int],
    chars: Sequence[int],
    is_ai: Sequence[bool],
    *,
    limit: int = EXACT_LIMIT,
    resamples: int = RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> dict[str, float | int | bool | str]:
    """The AI label moved over the documents: the share of assignments whose pooled ratio is at least as far from
    the observed direction's null as the observed one (one-sided, in the direction observed).

    Returns ``p``, ``assignments`` (ways the label can be placed), ``exact`` (enumerated or sampled),
    ``smallest_p`` (1 / assignments when exact) and ``direction`` (``higher``, ``lower`` or empty when the ratio is
    1 or undefined, with ``p`` 1 or NaN).
    """
    y, n, a = _arrays(counts, chars, is_ai)
    yi, ni = [int(v) for v in y], [int(v) for v in n]
    k = int(a.sum())
    ways = math.comb(len(y), k)
    out: dict[str, float | int | bool | str] = {
        "p": math.nan, "assignments": ways, "exact": ways <= limit, "smallest_p": 1 / ways if ways else math.nan,
        "direction": "",
    }  # fmt: skip
    ratio = pooled_ratio(y, n, a)
    if k == 0 or k == len(y) or math.isnan(ratio):
        return out
    if ratio == 1:
        return {**out, "p": 1.0}
    upper = ratio > 1
    out["direction"] = "higher" if upper else "lower"

    def sums(members: Sequence[int]) -> tuple[int, int, int, int]:
        inside = set(members)
        k1 = sum(yi[i] for i in inside)
        n1 = sum(ni[i] for i in inside)
        return k1, n1, sum(yi) - k1, sum(ni) - n1

    obs = sums(np.flatnonzero(a).tolist())
    if ways <= limit:
        hits = sum(_at_least_as_extreme(*sums(c), obs, upper) for c in itertools.combinations(range(len(y)), k))
        return {**out, "p": hits / ways}
    rng = np.random.default_rng(seed)
    draws = (rng.permutation(len(y))[:k].tolist() for _ in range(resamples))
    hits = sum(_at_least_as_extreme(*sums(c), obs, upper) for c in draws)
    return {**out, "p": (hits + 1) / (resamples + 1), "smallest_p": 1 / (resamples + 1)}


def verdict(lo: float, hi: float, ai_docs: int, control_docs: int, min_docs: int = MIN_DOCS) -> tuple[str, str]:
    """``(verdict, reason)``: a verdict word only when the interval excludes 1 and each side has ``min_docs``
    documents; "cannot tell" otherwise, with the reason in plain words."""
    thin = [f"{'no' if n == 0 else f'only {n}'} {side} document{'s' if n != 1 else ''}"
            for n, side in ((ai_docs, "AI"), (control_docs, "control")) if n < min_docs]  # fmt: skip
    if thin:
        return CANNOT_TELL, f"{' and '.join(thin)}: a side needs at least {min_docs}"
    if math.isnan(lo) or math.isnan(hi):
        return CANNOT_TELL, "no document-level interval could be computed"
    if lo > 1:
        return AI_HIGHER, "the document-level interval lies above 1"
    if hi < 1:
        return AI_LOWER, "the document-level interval lies below 1"
    return CANNOT_TELL, "the document-level interval includes 1"


LOO_COLUMNS: tuple[str, ...] = ("dropped", "side", "ratio", "lo", "hi", "verdict", "reason")


def leave_one_out(
    counts: Sequence[int], chars: Sequence[int], is_ai: Sequence[bool], ids: Sequence[str], level: float = 0.95
) -> pd.DataFrame:
    """The quasi-Poisson ratio, interval and verdict with each document left out in turn (one row per document)."""
    y, n, a = _arrays(counts, chars, is_ai)
    if len(ids) != len(y):
        raise ValueError("ids must have one entry per document")
    rows = []
    for i, doc in enumerate(ids):
        keep = np.arange(len(y)) != i
        ya, na, aa = y[keep], n[keep], a[keep]
        rr = quasi_poisson(ya, na, aa, level)
        word, why = verdict(rr.lo, rr.hi, int(aa.sum()), int((~aa).sum()))
        rows.append({"dropped": doc, "side": "ai" if a[i] else "control", "ratio": rr.ratio, "lo": rr.lo,
                     "hi": rr.hi, "verdict": word, "reason": why})  # fmt: skip
    return pd.DataFrame(rows, columns=list(LOO_COLUMNS))


def compare(
    counts: Sequence[int],
    chars: Sequence[int],
    is_ai: Sequence[bool],
    ids: Sequence[str],
    *,
    level: float = 0.95,
    seed: int = DEFAULT_SEED,
) -> dict[str, object]:
    """Every document-level measure of one comparison, in one flat dict (see :data:`COMPARE_KEYS`)."""
    y, n, a = _arrays(counts, chars, is_ai)
    qp, (z_lo, z_hi) = _quasi_poisson(y, n, a, level)
    nb = negative_binomial(y, n, a, level)
    perm = permutation_test(y, n, a, seed=seed)
    loo = leave_one_out(y, n, a, ids, level)
    word, why = verdict(qp.lo, qp.hi, int(a.sum()), int((~a).sum()))
    finite = loo["ratio"].replace([np.inf, -np.inf], np.nan).dropna()
    return {
        "ratio": pooled_ratio(y, n, a) if a.any() and (~a).any() else math.nan,
        "qp_ratio": qp.ratio, "qp_lo": qp.lo, "qp_hi": qp.hi, "qp_z_lo": z_lo, "qp_z_hi": z_hi, "dispersion": qp.dispersion, "df": qp.df,
        "qp_note": qp.note,
        "ai_dispersion": pearson_dispersion(y[a], n[a]), "control_dispersion": pearson_dispersion(y[~a], n[~a]),
        "nb_ratio": nb.ratio, "nb_lo": nb.lo, "nb_hi": nb.hi, "nb_alpha": nb.dispersion, "nb_note": nb.note,
        "perm_p": perm["p"], "perm_assignments": perm["assignments"], "perm_exact": perm["exact"],
        "perm_smallest_p": perm["smallest_p"], "perm_direction": perm["direction"],
        "loo_min": float(finite.min()) if len(finite) else math.nan,
        "loo_max": float(finite.max()) if len(finite) else math.nan,
        "loo_verdicts": ";".join(sorted(set(loo["verdict"]))),
        "verdict": word, "reason": why,
    }  # fmt: skip


COMPARE_KEYS: tuple[str, ...] = (
    "ratio", "qp_ratio", "qp_lo", "qp_hi", "qp_z_lo", "qp_z_hi", "dispersion", "df", "qp_note", "ai_dispersion", "control_dispersion",
    "nb_ratio", "nb_lo", "nb_hi", "nb_alpha", "nb_note", "perm_p", "perm_assignments", "perm_exact",
    "perm_smallest_p", "perm_direction", "loo_min", "loo_max", "loo_verdicts", "verdict", "reason",
)  # fmt: skip
