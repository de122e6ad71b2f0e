"""The mirror chapter (:mod:`analysis.present.pages.mirror`) on the corpus this build has, whatever it is: every
English count traced to its keyword-in-context lines, the measures consistent with each other, every plotted document
with a type, every section 2 claim with a status (never compared with the article's value), the concordance through
the one table renderer, and every output in a build without texts."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import counting
from analysis.corpus import CORPUS_COLUMNS
from analysis.datastate import chapter_corpus, chapter_coverage
from analysis.evidence import ledger
from analysis.present.pages import mirror as page
from analysis.present.plotting import figure_alt
from analysis.present.tables import NO_ROWS, BookTable

EMPTY = pd.DataFrame({c: pd.Series(dtype=object) for c in CORPUS_COLUMNS})


@pytest.fixture(scope="module")
def docs() -> pd.DataFrame:
    return page.documents(chapter_corpus(topic="ai"))


def test_every_english_count_has_its_kwic_lines(docs: pd.DataFrame) -> None:
    us = docs[docs["language"] == "en"]
    terms = counting.load_terms(language="en")["term"].tolist()
    inclusive = counting.document_term_matrix(us, terms).T
    net = counting.document_term_matrix(us, terms, mode="net", longer=terms).T
    for term in terms:
        assert len(counting.kwic(us, term)) == int(inclusive.loc[term].sum()), term
    for doc_id, _ in counting.corpus_documents(us):
        assert inclusive.at["national security", doc_id] >= net.at["national security", doc_id]
        both = inclusive.at["national security", doc_id] + inclusive.at["homeland security", doc_id]
        assert inclusive.at["security", doc_id] >= both


def test_the_measures_agree_and_every_document_has_a_type(docs: pd.DataFrame) -> None:
    profile = page.profile(docs)
    assert (profile["security_vocabulary"] <= profile["security_vocabulary_with_offices"]).all()
    zh = profile[profile["language"] == "zh"]
    assert (zh["security_vocabulary"] == zh["security_vocabulary_with_offices"]).all()
    assert profile["genre"].astype(str).str.strip().ne("").all()
    assert (profile["unit"] == profile["language"].map({"zh": "characters", "en": "words"})).all()
    assert "translation" not in set(profile["genre"])


def test_every_section_2_claim_has_a_status() -> None:
    shown = page.claims_table(ledger.evaluate_ledger(chapter_corpus(topic="ai")))
    claims = shown.data
    assert len(claims) and claims["status"].isin(ledger.STATUSES).all()
    assert (claims["explanation"].str.strip() != "").all() and "claim_id" not in shown.frame.columns
    cmap = counting.load_concept_map()
    assert (cmap.loc[cmap["language"] == "zh", "gloss_en"].str.strip() != "").all()


def test_the_concordance_is_numbered_tables_with_unique_names(docs: pd.DataFrame) -> None:
    """Issue 24: concept_kwic used to return bare frames that a second renderer showed unnumbered."""
    blocks = page.kwic_blocks(docs)
    tables = [b for b in blocks if isinstance(b, BookTable)]
    assert all(isinstance(b, (str, BookTable)) for b in blocks)
    assert len({t.name for t in tables}) == len(tables)
    assert all(t.name.startswith("tbl-mirror-kwic-") and t.caption for t in tables)
    assert all(":name: " in t.markdown() for t in tables)


def test_the_figures_show_n_and_say_what_they_show(plotting, docs: pd.DataFrame) -> None:
    cover = chapter_coverage(topic="ai")
    fig = page.coverage_figure(cover)
    us = cover[cover["level"] == "federal"]
    assert f"US federal: {int((us['status'] == 'available').sum())} of {len(us)} available" in figure_alt(fig)
    plt.close(fig)
    profile = page.profile(docs)
    fig = page.density_figure(profile)
    n_zh = int((profile["language"] == "zh").sum())
    assert f"{n_zh} Chinese central documents" in figure_alt(fig)
    plt.close(fig)


def test_every_output_of_the_chapter_in_a_build_without_texts(plotting) -> None:
    cover = chapter_coverage(topic="ai").assign(status="missing")
    docs = page.documents(EMPTY)
    profile = page.profile(docs)
    named = page.naming(docs)
    tables = [
        page.claims_table(ledger.evaluate_ledger(EMPTY)),
        page.us_documents_table(cover, EMPTY),
        page.terms_table(),
        page.concepts_table(),
        page.density_table(profile),
        page.genres_table(profile),
        page.us_terms_table(docs),
        page.naming_table(docs, named),
        page.naming_by_type_table(docs, named),
    ]
    assert len({t.name for t in tables}) == len(tables) and all(t.caption for t in tables)
    assert NO_ROWS in page.density_table(profile).markdown()
    assert "Not reproducible here" in page.holdings(cover).data
    assert "no US document in this build" in page.words_sentence(docs).data
    assert "No US document in this build" in page.naming_sides(named).data
    assert "Not reproducible here" in page.naming_summary(named).data
    assert all(isinstance(b, str) for b in page.kwic_blocks(docs))
    assert "no document is compared in this build" in page.cannot_show(cover, profile).data
    assert "Not reproducible here" in page.genres_sentence(profile).data
    for fig in (page.coverage_figure(cover), page.density_figure(profile)):
        assert figure_alt(fig)
        plt.close(fig)
