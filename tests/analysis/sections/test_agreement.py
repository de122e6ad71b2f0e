"""Agreement of the rules with the blind hand codes: κ, the bootstrap and precision/recall on textbook examples
(analysis.evidence.reliability), the join on a synthetic fixture and the reliability rule
(analysis.sections.move.agreement), and what readers see (analysis.present.pages.move.validation).

The last test joins the committed codes with the texts they were coded from; it skips where those texts are absent.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.inter_rater import cohens_kappa
from statsmodels.stats.proportion import proportion_confint

from analysis.evidence import reliability
from analysis.present.pages.move import validation
from analysis.sections.move import agreement, speech_acts
from analysis.sections.move import sample as coding_sample
from analysis.sections.move.agreement import COMPARISONS, JOINED

# --- κ, precision and recall ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ([[20, 5], [10, 15]], 0.4),  # Wikipedia, "Cohen's kappa", simple example: p_o 0.7, p_e 0.5
        ([[45, 15], [25, 15]], 0.1304),  # the same article: same agreement (0.60), different margins
        ([[25, 35], [5, 35]], 0.2593),
        ([[10, 0, 0], [0, 5, 0], [0, 0, 5]], 1.0),  # perfect agreement
        ([[0, 5], [5, 0]], -1.0),  # perfect disagreement with balanced margins
    ],
)
def test_kappa_textbook_examples(table, expected):
    assert reliability.kappa(np.array(table)) == pytest.approx(expected, abs=5e-5)


def test_kappa_agrees_with_statsmodels_and_works_on_stacks():
    rng = np.random.default_rng(1)
    tables = rng.integers(0, 20, size=(25, 4, 4)).astype(float)
    ours = reliability.kappa(tables)
    theirs = [cohens_kappa(t, return_results=False) for t in tables]
    assert ours.shape == (25,)
    assert np.allclose(ours, theirs)


def test_kappa_is_undefined_when_both_coders_use_one_class_and_zero_for_a_constant_coder():
    assert math.isnan(reliability.kappa(np.array([[7.0, 0.0], [0.0, 0.0]])))
    assert math.isnan(reliability.kappa(np.zeros((3, 3))))
    constant = np.array([[30.0, 0.0], [10.0, 0.0]])  # the second coder always says class 0
    assert reliability.kappa(constant) == 0.0
    assert reliability.observed_agreement(constant) == 0.75  # raw agreement looks good; κ shows it is chance
    with pytest.raises(ValueError, match="square"):
        reliability.kappa(np.ones((2, 3)))


def test_weights_act_as_repeated_units():
    first, second = [0, 0, 1, 2, 1], [0, 1, 1, 2, 2]
    weighted = reliability.confusion_matrix(first, second, 3, [2, 1, 1, 3, 1])
    repeated = reliability.confusion_matrix([0, 0, 0, 1, 2, 2, 2, 1], [0, 0, 1, 1, 2, 2, 2, 2], 3)
    assert np.array_equal(weighted, repeated)
    with pytest.raises(ValueError, match="outside"):
        reliability.confusion_matrix([0, 3], [0, 0], 3)


def test_one_vs_rest_and_precision_recall_known_values():
    hand, rules = [0, 0, 1, 1, 1], [0, 1, 1, 1, 0]
    m = reliability.confusion_matrix(hand, rules, 2)
    precision, recall = reliability.precision_recall(m)
    assert precision.tolist() == pytest.approx([1 / 2, 2 / 3])
    assert recall.tolist() == pytest.approx([1 / 2, 2 / 3])
    three = reliability.confusion_matrix([0, 1, 2, 2, 1], [0, 2, 2, 1, 1], 3)
    assert reliability.one_vs_rest(three, 2).tolist() == [[1, 1], [1, 2]]
    assert reliability.kappa(reliability.one_vs_rest(m, 0)) == pytest.approx(reliability.kappa(m))
    p, r = reliability.precision_recall(reliability.confusion_matrix([0, 0], [0, 0], 2))
    assert math.isnan(p[1]) and math.isnan(r[1])  # no unit in class 1: undefined, not 0


def test_confusion_stack_matches_one_matrix_per_replicate():
    first, second = [0, 1, 1, 0], [0, 1, 0, 0]
    weights = np.array([[1, 1, 1, 1], [2, 0, 1, 0]], dtype=float)
    stack = reliability.confusion_stack(first, second, 2, weights)
    for row, m in zip(weights, stack, strict=True):
        assert np.array_equal(m, reliability.confusion_matrix(first, second, 2, row))


def test_rescaled_bootstrap_is_seeded_keeps_singletons_and_is_unbiased():
    strata = ["a"] * 4 + ["b"] * 3 + ["c"]
    weights = [2.0] * 4 + [1.0] * 3 + [5.0]
    reps = reliability.rescaled_bootstrap_weights(strata, weights, 4000, seed=7)
    assert np.array_equal(reps, reliability.rescaled_bootstrap_weights(strata, weights, 4000, seed=7))
    assert (reps[:, 7] == 5.0).all()  # a stratum of one passage keeps its weight
    assert np.allclose(reps[:, :4].sum(axis=1), 8.0)  # equal weights in a stratum: its total is kept
    assert np.allclose(reps.mean(axis=0), weights, rtol=0.05)  # E[draws] · n/(n−1) = 1
    assert set(np.unique(reps[:, 4:7])) <= {0.0, 1.5, 3.0}  # 2 draws of 3, rescaled by 3/2
    with pytest.raises(ValueError, match="one stratum per unit"):
        reliability.rescaled_bootstrap_weights(["a"], [1.0, 2.0], 10, seed=1)


def test_percentile_interval_leaves_out_undefined_replicates_up_to_a_point():
    values = np.r_[np.arange(100.0), np.nan]
    assert reliability.percentile_interval(values, 0.9) == pytest.approx((4.95, 94.05))
    assert all(math.isnan(x) for x in reliability.percentile_interval(np.r_[np.ones(5), [np.nan] * 5]))


def test_weighted_share_equal_weights_is_clopper_pearson_and_zero_gets_an_upper_bound():
    share, lo, hi = reliability.weighted_share([1, 1, 0, 0, 0], [3.0] * 5)
    assert share == pytest.approx(0.4)
    assert (lo, hi) == pytest.approx(proportion_confint(2, 5, method="beta"))
    share, lo, hi = reliability.weighted_share([0, 0, 0], [1.0, 2.0, 3.0])
    assert share == 0 and lo == 0 and hi > 0
    uneven = reliability.weighted_share([1, 0, 0, 0], [9.0, 1.0, 1.0, 1.0])
    assert uneven[0] == pytest.approx(0.75) and uneven[2] - uneven[1] > hi - lo  # fewer effective units: wider


# --- the join on a synthetic fixture --------------------------------------------------------------------------

# Synthetic regulation-like text, invented for the tests.
TEXT_A = "第一条 为了维护国家安全，制定本办法。第二条 提供者应当开展安全评估。第三条 防范安全风险，应当建立制度。"
TEXT_B = "第一条 数据安全事件发生时，应当报告。"


def _passage(coded: pd.DataFrame, doc: str, i: int) -> tuple[str, str, int, int]:
    row = coded[coded["doc_id"] == doc].iloc[i]
    return coding_sample.passage_id(doc, row["start"], row["end"]), doc, int(row["start"]), int(row["end"])


def _fixture():
    texts = {"doc_a": TEXT_A, "doc_b": TEXT_B}
    coded = speech_acts.code_passages(texts)
    rows = [_passage(coded, "doc_a", i) for i in range(3)] + [_passage(coded, "doc_b", 0)]
    smp = pd.DataFrame(rows, columns=["passage_id", "doc_id", "start", "end"])
    smp["keywords"] = "安全"
    spans = zip(smp["doc_id"], smp["start"], smp["end"], strict=True)
    smp["passage_sha256"] = [coding_sample.fingerprint(texts[d][s:e]) for d, s, e in spans]
    token = coding_sample.stratum_token("ai|object:goal")
    design = pd.DataFrame({"passage_id": smp["passage_id"], "stratum": token})
    design = design.assign(stratum_passages=8, stratum_sampled=4, weight=2.0)
    codes = pd.DataFrame({
        "passage_id": smp["passage_id"],
        "acts_hand": ["claim", "request", "warn+request", "request"],
        "object_hand": ["goal", "compliance", "threat", "threat"],
        "strand_hand": ["legitimation_future", "routine_practice", "routine_practice", "routine_practice"],
        "threat_direction_hand": ["none", "none", "other_threat", "other_threat"],
        "note": "",
    })  # fmt: skip
    return smp, design, codes, coded, texts


def test_the_join_derives_hand_codes_in_the_rules_classes_and_attaches_the_rules():
    smp, design, codes, coded, texts = _fixture()
    joined = agreement.join_codes(smp, design, codes, coded, texts)
    assert (joined["status"] == JOINED).all() and (joined["group"] == "ai").all()
    row = joined.set_index("passage_id").loc[smp["passage_id"][2]]
    assert (row["function_hand"], row["warn_hand"], row["request_hand"], row["claim_hand"]) == (
        "request", "warn", "request", "no claim",
    )  # fmt: skip
    rules = coded[coded["doc_id"] == "doc_a"].iloc[2]
    assert row["function_rules"] == rules["function"] and row["object_rules"] == rules["object"]
    assert row["warn_rules"] == ("warn" if rules["warn"] else "no warn")
    first = joined.set_index("passage_id").loc[smp["passage_id"][0]]
    assert first["function_hand"] == "claim" and first["object_hand"] == "goal"


def test_passages_that_cannot_be_joined_are_named_and_left_out():
    smp, design, codes, coded, texts = _fixture()
    changed = {"doc_a": TEXT_A.replace("安全评估", "安全审查")}  # doc_b missing, doc_a's second passage changed
    joined = agreement.join_codes(smp, design, codes, speech_acts.code_passages(changed), changed)
    status = dict(zip(joined["passage_id"], joined["status"], strict=True))
    assert status[smp["passage_id"][3]] == "document missing"
    assert status[smp["passage_id"][1]] == "text changed"
    assert status[smp["passage_id"][0]] == JOINED
    assert (joined.loc[joined["status"] != JOINED, "object_rules"] == "").all()
    table = agreement.confusion_table(joined, "object")
    assert table.loc["all (rules)", "all (hand)"] == 2 and table.shape == (7, 7)  # passages 0 and 2
    nothing = agreement.join_codes(smp, design, codes, speech_acts.code_passages({}), {})
    assert (agreement.confusion_table(nothing, "function").to_numpy() == 0).all()
    result = agreement.agreement(nothing)
    assert result.dimensions.empty and result.categories.empty
    assert agreement.reliable_categories(result.categories) == frozenset()
    assert validation.reading(result, {}, []).startswith("**Not reproducible here:**")
    assert validation.move_reading(result).endswith("The object coding does not hold for threat, goal, compliance, "
                                                    "system property, other, name citation: those shares are the "
                                                    "rules' output only.")  # fmt: skip
    assert agreement.hand_shares(nothing, "strand")["n"].sum() == 4  # one coder's reading needs no text


# --- the figures and the reliability rule ---------------------------------------------------------------------


def _joined(hand: list[str], rules: list[str], name: str = "claim", weights: list[float] | None = None) -> pd.DataFrame:
    """A joined frame whose comparison ``name`` has the given codes; the others agree on one class."""
    n = len(hand)
    frame = pd.DataFrame({
        "passage_id": [f"p{i:08x}" for i in range(n)], "doc_id": "d", "group": "ai", "stratum": "s000000",
        "weight": weights or [1.0] * n, "status": JOINED,
    })  # fmt: skip
    for c in COMPARISONS:
        frame[f"{c.name}_hand"] = frame[f"{c.name}_rules"] = c.classes[0]
    frame[f"{name}_hand"], frame[f"{name}_rules"] = hand, rules
    return frame


def test_the_figures_of_a_textbook_table():
    # claim flag: 20 both, 5 hand only, 10 rules only, 15 neither: κ 0.4 (Wikipedia's example)
    hand = ["claim"] * 25 + ["no claim"] * 25
    rules = ["claim"] * 20 + ["no claim"] * 5 + ["claim"] * 10 + ["no claim"] * 15
    result = agreement.agreement(_joined(hand, rules), replicates=200)
    row = result.dimensions.set_index("comparison").loc["claim"]
    assert row["kappa"] == pytest.approx(0.4) and row["kappa_sample"] == pytest.approx(0.4)
    assert row["agreement"] == pytest.approx(0.7) and row["majority_agreement"] == pytest.approx(0.5)
    assert row["kappa_lo"] < 0.4 < row["kappa_hi"]
    cat = result.categories.set_index(["comparison", "category"]).loc[("claim", "claim")]
    assert (cat["hand"], cat["rules"], cat["both"]) == (25, 30, 20)
    assert cat["precision"] == pytest.approx(20 / 30) and cat["recall"] == pytest.approx(20 / 25)
    assert cat["status"] == agreement.UNRELIABLE
    again = agreement.agreement(_joined(hand, rules), replicates=200)
    assert again.categories.equals(result.categories)  # seeded


def test_weights_change_the_estimate_not_the_counts():
    hand, rules = ["claim", "claim", "no claim", "no claim"], ["claim", "no claim", "no claim", "no claim"]
    result = agreement.agreement(_joined(hand, rules, weights=[1.0, 3.0, 1.0, 1.0]), replicates=50)
    cat = result.categories.set_index(["comparison", "category"]).loc[("claim", "claim")]
    assert (cat["hand"], cat["both"]) == (2, 1)
    assert cat["recall"] == pytest.approx(1 / 4)  # weighted: 1 of the coder's 4 weighted claims found
    row = result.dimensions.set_index("comparison").loc["claim"]
    assert row["kappa_sample"] == pytest.approx(reliability.kappa(np.array([[1, 1], [0, 2]])))
    assert row["kappa"] == pytest.approx(reliability.kappa(np.array([[1, 3], [0, 2]])))


@pytest.mark.parametrize(
    ("cases", "kappa", "status"),
    [
        (4, 0.95, agreement.TOO_FEW),
        (5, 0.6, agreement.RELIABLE),
        (5, 0.5999, agreement.UNRELIABLE),
        (40, math.nan, agreement.UNRELIABLE),
        (0, math.nan, agreement.TOO_FEW),
    ],
)
def test_the_reliability_rule(cases, kappa, status):
    assert agreement.category_status(cases, kappa) == status


def test_reliable_categories_are_the_only_ones_a_statement_may_use():
    hand = ["goal"] * 6 + ["threat"] * 6 + ["other"] * 3
    rules = ["goal"] * 6 + ["threat"] * 3 + ["compliance"] * 3 + ["other"] * 3
    result = agreement.agreement(_joined(hand, rules, name="object"), replicates=100)
    status = result.categories.set_index(["comparison", "category"])["status"]
    assert status[("object", "goal")] == agreement.RELIABLE
    assert status[("object", "threat")] == agreement.UNRELIABLE  # half of the coder's threats missed
    assert status[("object", "other")] == agreement.TOO_FEW  # 3 passages by either coder
    ok = agreement.reliable_categories(result.categories)
    assert ("object", "goal") in ok and ("object", "threat") not in ok and ("object", "other") not in ok
    words = validation.move_reading(result)
    assert "It does not hold for threat" in words and "cannot be read" not in words.split("The object")[1]


# --- what readers see -------------------------------------------------------------------------------------------


def test_kappa_text_and_the_summary_without_decoration():
    assert validation.kappa_text(0.8, 0.671, 0.905) == "0.80 [0.67–0.91]"
    assert validation.kappa_text(0.04, -0.03, 0.29) == "0.04 [−0.03 to 0.29]"
    assert validation.kappa_text(math.nan, 0, 1) == "–"
    coded = speech_acts.code_passages({"d": TEXT_A})
    summary = speech_acts.coding_summary(coded)
    view = validation.summary_view(summary, frozenset({("object", "goal")}))
    assert "claim_warn_request" not in view.columns and not any(c.startswith("function_") for c in view.columns)
    assert "object: goal" in view.columns and "perform a warning †" in view.columns
    shown, objects = validation.marked_objects(summary, frozenset({("object", "goal")}))
    assert objects[:2] == ["threat †", "goal"] and "object_threat †" in shown.columns and "object_goal" in shown.columns


@pytest.mark.corpus
def test_the_committed_codes_join_the_texts_they_were_coded_from():
    from analysis.corpus import load_corpus, select_topic

    corpus = select_topic(load_corpus(), coding_sample.GROUPS)
    texts = dict(zip(corpus["doc_id"], corpus["text"], strict=True))
    smp, design, codes = agreement.read_validation()
    joined = agreement.join_codes(smp, design, codes, speech_acts.code_passages(corpus), texts)
    if not (joined["status"] == JOINED).all():
        pytest.skip("the texts the sample was coded from are not all available here")
    assert abs(joined["weight"].sum() - design.drop_duplicates("stratum")["stratum_passages"].sum()) < 1e-3
    assert set(joined["group"]) == set(coding_sample.GROUPS)


def test_the_methods_page_names_every_code_and_the_rule_as_the_code_has_them():
    from analysis.io.paths import PROJECT_ROOT
    from analysis.sections.move.coding import load_codebook

    page = (PROJECT_ROOT / "book" / "methods.md").read_text(encoding="utf-8")
    section = page.split("## Coding passages", 1)[1]
    book = load_codebook()
    missing = [f"{d}/{c}" for d in book.names for c in book.codes_of(d) if f"`{c}`" not in section]
    assert missing == [], "the methods page's summary of the codebook lacks these codes"
    assert f"κ is below {agreement.RELIABLE_KAPPA}" in section
    assert f"fewer than {agreement.MIN_CASES} sampled passages" in section
