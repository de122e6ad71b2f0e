"""Tests of the exact intervals (analysis.evidence.uncertainty) and the document-level inference (analysis.sections.move.inference).

Known values come from closed forms worked by hand (the two-group Poisson GLM has a closed-form MLE and standard
error), from the χ² and β quantiles, and from enumerating permutations by hand; the data are synthetic.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm, t

from analysis.evidence import uncertainty
from analysis.sections.move import inference

# Synthetic documents: three "AI" texts and three "control" texts (counts, characters).
AI_COUNTS, AI_CHARS = [12, 30, 8], [1000, 2000, 1500]
CTL_COUNTS, CTL_CHARS = [5, 3, 9], [1200, 1000, 2500]
COUNTS, CHARS = AI_COUNTS + CTL_COUNTS, AI_CHARS + CTL_CHARS
IS_AI = [True] * 3 + [False] * 3


@pytest.mark.parametrize(
    ("k", "lo", "hi"),
    [(0, 0.0, 3.6889), (1, 0.0253, 5.5716), (10, 4.7954, 18.3904), (48, 35.3914, 63.6410)],
)
def test_garwood_interval_known_values(k, lo, hi):
    got = uncertainty.poisson_interval(k)
    assert got[0] == pytest.approx(lo, abs=1e-3) and got[1] == pytest.approx(hi, abs=1e-3)


def test_poisson_interval_rejects_bad_input():
    with pytest.raises(ValueError):
        uncertainty.poisson_interval(-1)
    with pytest.raises(ValueError):
        uncertainty.poisson_interval(3, level=1.5)


def test_density_interval_scales_and_handles_empty():
    lo, hi = uncertainty.density_interval(10, 5000)
    assert lo == pytest.approx(4.7954 * 2, abs=1e-2) and hi == pytest.approx(18.3904 * 2, abs=1e-2)
    assert all(math.isnan(x) for x in uncertainty.density_interval(1, 0))


def test_clopper_pearson_known_values_and_zero_is_never_zero_width():
    share, lo, hi = uncertainty.share_interval(0, 20)
    assert (share, lo) == (0.0, 0.0) and hi == pytest.approx(0.16843, abs=1e-5)  # 1 − 0.025^(1/20)
    share, lo, hi = uncertainty.share_interval(3, 10)
    assert share == 0.3 and lo == pytest.approx(0.066740, abs=1e-5) and hi == pytest.approx(0.652453, abs=1e-5)
    assert uncertainty.share_interval(5, 5)[1] < 1
    assert all(math.isnan(x) for x in uncertainty.share_interval(0, 0))
    with pytest.raises(ValueError):
        uncertainty.share_interval(3, 2)


def test_rate_ratio_interval():
    ratio, lo, hi = uncertainty.rate_ratio_interval(40, 1000, 10, 1000)
    assert ratio == pytest.approx(4.0)
    assert 1 < lo < 4 < hi
    r, lo0, hi0 = uncertainty.rate_ratio_interval(0, 1000, 5, 1000)
    assert r == 0 and lo0 == 0 and hi0 > 0
    assert all(math.isnan(x) for x in uncertainty.rate_ratio_interval(0, 10, 0, 10))


def test_format_interval_names_infinity():
    assert uncertainty.format_interval(2.5, 1.234, 3.451, 1) == "2.5 [1.2–3.5]"
    assert uncertainty.format_interval(math.inf, 1.0, math.inf, 1) == "∞ [1.0–∞]"
    assert uncertainty.format_interval(math.nan, 1, 2) == "–"


def _by_hand(level: float = 0.95) -> dict[str, float]:
    """The two-group Poisson GLM in closed form: the MLE rate per group is Σy / Σn, Var(log RR) = 1/K1 + 1/K2."""
    y, n, a = np.array(COUNTS, float), np.array(CHARS, float), np.array(IS_AI)
    k1, k2 = y[a].sum(), y[~a].sum()
    rate = np.where(a, k1 / n[a].sum(), k2 / n[~a].sum())
    mu = rate * n
    df = len(y) - 2
    dispersion = float(((y - mu) ** 2 / mu).sum() / df)
    log_rr = math.log((k1 / n[a].sum()) / (k2 / n[~a].sum()))
    se = math.sqrt(1 / k1 + 1 / k2)
    q = t.ppf(1 - (1 - level) / 2, df)
    z = norm.ppf(1 - (1 - level) / 2)
    return {
        "ratio": math.exp(log_rr), "dispersion": dispersion, "df": df,
        "lo": math.exp(log_rr - q * se * math.sqrt(dispersion)), "hi": math.exp(log_rr + q * se * math.sqrt(dispersion)),
        "z_lo": math.exp(log_rr - z * se * math.sqrt(dispersion)), "z_hi": math.exp(log_rr + z * se * math.sqrt(dispersion)),
        "pois_lo": math.exp(log_rr - z * se), "pois_hi": math.exp(log_rr + z * se),
    }  # fmt: skip


def test_quasi_poisson_matches_the_closed_form():
    want = _by_hand()
    assert want["dispersion"] > 1  # the synthetic data are over-dispersed
    got = inference.quasi_poisson(COUNTS, CHARS, IS_AI)
    assert got.ratio == pytest.approx(want["ratio"], rel=1e-8)
    assert got.dispersion == pytest.approx(want["dispersion"], rel=1e-6)
    assert got.df == want["df"] and got.note == ""
    assert got.lo == pytest.approx(want["lo"], rel=1e-6) and got.hi == pytest.approx(want["hi"], rel=1e-6)
    full = inference.compare(COUNTS, CHARS, IS_AI, list("abcdef"))
    assert full["qp_z_lo"] == pytest.approx(want["z_lo"], rel=1e-6)
    assert full["qp_z_hi"] == pytest.approx(want["z_hi"], rel=1e-6)
    assert full["qp_lo"] < full["qp_z_lo"]  # t is wider than z


def test_quasi_poisson_never_narrower_than_poisson():
    # counts exactly proportional to length: dispersion 0, so the Poisson (scale 1, normal) interval is used
    counts, chars = [10, 20, 5, 10], [1000, 2000, 1000, 2000]
    got = inference.quasi_poisson(counts, chars, [True, True, False, False])
    se = math.sqrt(1 / 30 + 1 / 15)
    assert got.ratio == pytest.approx(2.0)
    assert got.lo == pytest.approx(2 * math.exp(-1.959964 * se), rel=1e-5)
    assert got.hi == pytest.approx(2 * math.exp(1.959964 * se), rel=1e-5)
    assert "below 1" in got.note


def test_quasi_poisson_degenerate_cases_say_why():
    one_each = inference.quasi_poisson([4, 2], [100, 100], [True, False])
    assert one_each.ratio == pytest.approx(2.0) and math.isnan(one_each.lo) and "no residual" in one_each.note
    zero = inference.quasi_poisson([0, 0, 3, 4], [100, 100, 100, 100], [True, True, False, False])
    assert zero.ratio == 0 and math.isnan(zero.hi) and "no occurrence" in zero.note
    with pytest.raises(ValueError):
        inference.quasi_poisson([1, 2], [100], [True, False])
    with pytest.raises(ValueError):
        inference.quasi_poisson([1, -2], [100, 100], [True, False])


def test_pearson_dispersion_by_hand():
    # common rate 30 / 3000; expected 10, 10, 10; (0 + 25 + 25) / 10 / 2 = 2.5
    assert inference.pearson_dispersion([10, 15, 5], [1000, 1000, 1000]) == pytest.approx(2.5)
    assert math.isnan(inference.pearson_dispersion([3], [100]))


def test_negative_binomial_ratio_is_the_ratio_of_group_means_with_equal_lengths():
    # with equal exposures within each group the NB2 score equations give each group's sample mean
    counts = [10, 30, 20, 4, 12, 8]
    got = inference.negative_binomial(counts, [1000] * 6, [True] * 3 + [False] * 3)
    assert got.ratio == pytest.approx(20 / 8, rel=1e-4)
    assert got.lo < got.ratio < got.hi and got.dispersion > 0 and got.note == ""
    assert "no residual" in inference.negative_binomial([3, 1], [10, 10], [True, False]).note


def test_permutation_exact_enumeration_by_hand():
    # four AI texts and one control: 5 ways to place the control label; the control has the lowest rate, so the
    # observed ratio is the largest of the five: p = 1/5, and no p can go below 0.2
    counts, chars = [10, 12, 9, 11, 2], [1000] * 5
    got = inference.permutation_test(counts, chars, [True] * 4 + [False])
    assert got["assignments"] == 5 and got["exact"] and got["direction"] == "higher"
    assert got["p"] == pytest.approx(0.2) and got["smallest_p"] == pytest.approx(0.2)
    # by hand, the control label on each text in turn: on 12 → (32/4000) / (12/1000) = 0.667; on 11 → 0.75;
    # on 10 → 0.85; on 9 → 0.972; on 2 → 5.25. Observed: the label on 11 (0.75, "lower"); ratios ≤ 0.75: two of five
    got = inference.permutation_test([10, 12, 9, 2, 11], [1000] * 5, [True] * 4 + [False])
    assert got["direction"] == "lower" and got["p"] == pytest.approx(2 / 5)


def test_permutation_two_by_two_and_sampled_path():
    exact = inference.permutation_test([9, 8, 1, 2], [100] * 4, [True, True, False, False])
    assert exact["assignments"] == 6 and exact["p"] == pytest.approx(1 / 6)
    sampled = inference.permutation_test([9, 8, 1, 2], [100] * 4, [True, True, False, False], limit=0, resamples=999)
    assert not sampled["exact"] and sampled["smallest_p"] == pytest.approx(1 / 1000)
    assert sampled == inference.permutation_test(
        [9, 8, 1, 2], [100] * 4, [True, True, False, False], limit=0, resamples=999
    )
    assert 0.1 < sampled["p"] < 0.25  # the exact value is 1/6
    assert inference.permutation_test([0, 0, 0], [10, 10, 10], [True, False, False])["direction"] == ""


@pytest.mark.parametrize(
    ("lo", "hi", "n_ai", "n_ctl", "word", "why"),
    [
        (1.2, 3.0, 2, 2, "AI higher", "above 1"),
        (0.1, 0.8, 3, 2, "AI lower", "below 1"),
        (0.8, 3.0, 4, 2, "cannot tell", "includes 1"),
        (1.2, 3.0, 4, 1, "cannot tell", "only 1 control document"),
        (0.1, 0.5, 1, 4, "cannot tell", "only 1 AI document"),
        (0.1, 0.5, 0, 4, "cannot tell", "no AI documents"),
        (math.nan, math.nan, 3, 3, "cannot tell", "no document-level interval"),
        (1.0, 3.0, 3, 3, "cannot tell", "includes 1"),  # a bound at 1 does not exclude it
    ],
)
def test_verdict_rule(lo, hi, n_ai, n_ctl, word, why):
    got, reason = inference.verdict(lo, hi, n_ai, n_ctl)
    assert got == word and why in reason


def test_leave_one_out_drops_each_document_once():
    loo = inference.leave_one_out(COUNTS, CHARS, IS_AI, list("abcdef"))
    assert loo["dropped"].tolist() == list("abcdef")
    assert loo["side"].tolist() == ["ai"] * 3 + ["control"] * 3
    alone = inference.quasi_poisson(COUNTS[1:], CHARS[1:], IS_AI[1:])
    assert loo.iloc[0]["ratio"] == pytest.approx(alone.ratio) and loo.iloc[0]["hi"] == pytest.approx(alone.hi)
    with pytest.raises(ValueError):
        inference.leave_one_out(COUNTS, CHARS, IS_AI, ["a"])


def test_compare_has_every_key_and_a_verdict():
    got = inference.compare(COUNTS, CHARS, IS_AI, list("abcdef"))
    assert tuple(got) == inference.COMPARE_KEYS
    assert got["verdict"] in inference.VERDICTS
    assert got["perm_assignments"] == 20
    assert got["loo_min"] <= got["loo_max"] and got["reason"]
