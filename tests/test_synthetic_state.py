"""Checks that run only in the synthetic data state (``.ci/run``, tests/synthetic_corpus.py as the mirror):
the build's own ledger shows the article's six counts reproduced, and the local-versus-central paths run."""

from __future__ import annotations

import pytest

from analysis import audiences, ledger
from analysis.datastate import chapter_corpus, chapter_manifest, synthetic_documents

pytestmark = pytest.mark.skipif(not synthetic_documents(), reason="only in the synthetic data state (.ci/run)")

SIX = {
    "s3-ipai2016-anquan",
    "s3-ipai2016-wangluoanquan",
    "s3-ipai2016-guojiaanquan",
    "s3-ngaidp2017-anquan",
    "s3-ngaidp2017-guojiaanquan",
    "s3-ngaidp2017-guofang",
}


def test_the_ledger_shows_the_six_article_counts_reproduced() -> None:
    evaluated = ledger.evaluate_ledger(chapter_corpus(topic="ai")).set_index("claim_id")
    assert SIX <= set(evaluated.index)
    statuses = evaluated.loc[sorted(SIX), "status"]
    assert (statuses == "reproduced").all(), statuses.to_dict()


def test_every_document_is_available_and_marked_synthetic() -> None:
    corpus = chapter_corpus(topic=None)
    assert len(corpus) == len(chapter_manifest(topic=None))
    assert set(synthetic_documents()) == set(corpus["doc_id"])


def test_local_plans_against_central_plans_and_the_guangdong_exception() -> None:
    table = audiences.security_vocabulary_table(chapter_corpus(topic="ai"), chapter_manifest(topic="ai"))
    assert set(audiences.CENTRAL_PLANS) <= set(table["doc_id"])
    check = audiences.guangdong_exception(table)
    assert check.guangdong_guojia_anquan >= 1 and check.other_local_plans >= 10
    assert check.guangdong_per_10k > check.other_local_per_10k_median
