"""The counting functions against independent checks on whatever texts this build has (real or synthetic).

These tests check our computation (a count equals its KWIC lines; net counts equal an independent masking; senses
partition every occurrence), never the article's numbers: those are expected values in the ledger, and a text
that disagrees with them is a result (*differs*), not a failure.
"""

from __future__ import annotations

import re

import pytest

from analysis import counting
from analysis.corpus import load_corpus

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def chinese_texts(corpus):
    zh = corpus[corpus["language"] == "zh"]
    if zh.empty:
        pytest.skip("not reproducible here: no Chinese document of the corpus is available")
    return dict(counting.corpus_documents(zh))


def _masked_count(text: str, term: str, longer: list[str]) -> int:
    """Independent net count: blank out every longer term (longest first), then ``str.count``."""
    for other in sorted(longer, key=lambda t: (-len(t), t)):
        text = text.replace(other, "\0" * len(other))
    return text.count(term)


def _substring_terms() -> list[str]:
    table = counting.load_terms()
    return table.loc[table["rule"] == "substring", "term"].tolist()


def test_substring_counts_equal_str_count_and_kwic_lines(chinese_texts):
    terms = _substring_terms()
    corpus = chinese_texts
    matrix = counting.document_term_matrix(corpus, terms)
    for doc, text in corpus.items():
        for term in terms:
            assert matrix.at[doc, term] == text.count(term), (doc, term)
    for term in ["安全", "国家安全", "网络安全", "国防", "发展"]:
        lines = counting.kwic(corpus, term)
        per_doc = lines.groupby("doc_id").size().reindex(matrix.index, fill_value=0)
        assert per_doc.tolist() == matrix[term].tolist(), term
        assert (lines["keyword"] == term).all()
        for doc, pos in zip(lines["doc_id"], lines["position"], strict=False):
            assert corpus[doc][pos : pos + len(term)] == term


def test_net_counts_equal_an_independent_masking_check(chinese_texts):
    terms = _substring_terms()
    net = counting.document_term_matrix(chinese_texts, terms, mode="net")
    for doc, text in chinese_texts.items():
        for term in terms:
            longer = counting.longer_terms(term, terms)
            assert net.at[doc, term] == _masked_count(text, term, longer), (doc, term)
    kwic_net = counting.kwic(chinese_texts, "安全", mode="net")
    assert len(kwic_net) == int(net["安全"].sum())


def test_token_counts_equal_kwic_lines(chinese_texts):
    tok = counting.document_term_matrix(chinese_texts, ["安全", "国家安全"], mode="token")
    lines = counting.kwic(chinese_texts, "安全", mode="token")
    assert len(lines) == int(tok["安全"].sum())
    inclusive = counting.document_term_matrix(chinese_texts, ["安全"])
    assert (tok["安全"] <= inclusive["安全"]).all()


def test_senses_partition_every_occurrence(chinese_texts):
    summary = counting.sense_summary(chinese_texts).set_index("doc_id")
    for doc, text in chinese_texts.items():
        assert summary.at[doc, "all"] == len(re.findall("安全", text))
    assert (summary["security"] + summary["safety"] + summary["ambiguous"] == summary["all"]).all()
    lines = counting.sense_kwic(chinese_texts)
    assert len(lines) == int(summary["all"].sum()) and lines["sense"].notna().all()
