"""Checks that run only in a synthetic data state (``.ci/run``: plans article, dissent, partial): whatever the texts
say, every text claim of the ledger gets the status that an independent recount of the same texts gives. The texts
may agree with the article or not (a reader's dissent is a result); the test checks our computation, never the
article's numbers."""

from __future__ import annotations

import pytest

from analysis.corpus import local_ai_plan_ids
from analysis.datastate import chapter_corpus, chapter_manifest, synthetic_documents
from analysis.evidence import ledger
from analysis.evidence.bounds import values_equal

pytestmark = pytest.mark.skipif(not synthetic_documents(), reason="only in a synthetic data state (.ci/run)")


def _independent_status(row, texts: dict[str, str], local_plans: list[str]) -> str:
    params = row["params_parsed"]
    expected = params.get("expect", row["article_value"])
    if row["method"] == "term_count":
        if params["doc"] not in texts:
            return ledger.NOT_REPRODUCIBLE
        value = str(texts[params["doc"]].count(params["term"]))  # inclusive substring count, by str.count
    elif row["method"] == "terms_present":
        if params["doc"] not in texts:
            return ledger.NOT_REPRODUCIBLE
        lines = texts[params["doc"]].split("\n")
        near = params.get("near", "")
        value = str(sum(any(t in ln and near in ln for ln in lines) for t in params["terms"].split("|") if t))
    elif "doc" in params:
        if params["doc"] not in texts:
            return ledger.NOT_REPRODUCIBLE
        value = str(texts[params["doc"]].count(params["term"]))
    else:
        present = [d for d in local_plans if d in texts]
        if not present:
            return ledger.NOT_REPRODUCIBLE
        value = f"{sum(params['term'] in texts[d] for d in present) / len(present):.2f}"
    return ledger.REPRODUCED if values_equal(expected, value) else ledger.DIFFERS


def test_every_text_claim_has_the_status_an_independent_recount_gives() -> None:
    corpus = chapter_corpus(topic="ai")
    texts = dict(zip(corpus["doc_id"], corpus["text"], strict=True))
    evaluated = ledger.evaluate_ledger(corpus).set_index("claim_id")
    claims = ledger.load_ledger()
    text_claims = claims[claims["method"].isin(ledger.TEXT_METHODS)]
    assert len(text_claims) >= 10
    local_plans = local_ai_plan_ids(chapter_manifest(topic="ai"))
    for _, row in text_claims.iterrows():
        assert evaluated.at[row["claim_id"], "status"] == _independent_status(row, texts, local_plans), row["claim_id"]


def test_every_available_document_is_marked_synthetic() -> None:
    corpus = chapter_corpus(topic=None)
    assert set(synthetic_documents()) == set(corpus["doc_id"])
