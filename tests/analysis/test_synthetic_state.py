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
    # The article's text claims; the book's own findings (tier extension) are recounted in tests/analysis/evidence/test_beyond.py.
    text_claims = claims[claims["method"].isin(ledger.TEXT_METHODS) & (claims["tier"] != ledger.EXTENSION)]
    assert len(text_claims) >= 10
    local_plans = local_ai_plan_ids(chapter_manifest(topic="ai"))
    for _, row in text_claims.iterrows():
        assert evaluated.at[row["claim_id"], "status"] == _independent_status(row, texts, local_plans), row["claim_id"]


def test_every_available_document_is_marked_synthetic() -> None:
    corpus = chapter_corpus(topic=None)
    assert set(synthetic_documents()) == set(corpus["doc_id"])


def test_the_book_s_own_findings_are_computed_on_synthetic_texts() -> None:
    """The extension claims get a status on synthetic texts, the value the analyses give when called directly."""
    from analysis.evidence.beyond import grammar, provenance

    corpus = chapter_corpus(topic=("ai", "control", "reference"))
    claims = ledger.load_ledger()
    ours = claims[claims["tier"] == ledger.EXTENSION]
    evaluated = ledger.evaluate_ledger(chapter_corpus(topic="ai"), ledger=ours).set_index("claim_id")
    assert set(evaluated["status"]) <= set(ledger.STATUSES)
    counts = grammar.grammar_counts(corpus)
    used, n = grammar.kind_value(counts, "ai", "priority", "texts")
    if n:
        assert evaluated.at["x-grammar-priority-ai", "reproduced_value"] == f"{used / n:.2f}"
    k, judged = provenance.share_value(provenance.provenance_table(corpus), "ai")
    if judged:
        assert evaluated.at["x-provenance-inherited-ai", "reproduced_value"] == f"{k / judged:.2f}"
