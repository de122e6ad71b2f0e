"""The keyword chapter (:mod:`analysis.present.pages.labelling`) on the corpus this build has, whatever it is: every
count traced to its keyword-in-context lines, the senses of 安全 adding up, every ledger claim of section 3 with a
status (never compared with the article's value: a difference is a result), and every output in the empty state."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import counting
from analysis.corpus import CORPUS_COLUMNS
from analysis.datastate import chapter_corpus, chapter_coverage
from analysis.evidence import ledger
from analysis.present.pages import labelling as page
from analysis.present.plotting import figure_alt
from analysis.present.tables import NO_ROWS


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return chapter_corpus(topic="ai")


@pytest.fixture(scope="module")
def central(corpus: pd.DataFrame) -> pd.DataFrame:
    return page.central_documents(corpus)


@pytest.mark.parametrize("mode", ["inclusive", "net", "token"])
def test_every_count_has_its_kwic_lines(central: pd.DataFrame, mode: str) -> None:
    for term in page.CHAPTER_TERMS:
        lines = counting.kwic(central, term, mode=mode)
        total = int(counting.document_term_matrix(central, [term], mode=mode)[term].sum()) if len(central) else 0
        assert len(lines) == total, (term, mode)


def test_the_senses_of_anquan_add_up(central: pd.DataFrame) -> None:
    senses = page.senses(central).set_index("doc_id")
    for doc_id, text in counting.corpus_documents(central):
        assert senses.at[doc_id, "all"] == text.count("安全")
    assert (senses["security"] + senses["safety"] + senses["ambiguous"] == senses["all"]).all()


def test_the_senses_by_names_add_up_to_every_anquan(central: pd.DataFrame) -> None:
    shown = page.senses_by_names_table(central).data.set_index("sense of 安全")
    total = sum(text.count("安全") for _, text in counting.corpus_documents(central))
    assert shown.loc["all senses", "all"] == total
    assert (shown.drop(index="all senses").sum() == shown.loc["all senses"]).all()
    senses = page.senses(central)
    for sense, name in page.SENSE_NAMES.items():
        assert shown.at[name, "all"] == int(senses[sense].sum())


def test_no_trend_statistic_is_printed(central: pd.DataFrame) -> None:
    cover = chapter_coverage(topic="ai")
    words = page.density_summary(page.profile(central), cover).data.lower()
    assert "correlation" not in words and "spearman" not in words


def test_every_section_3_claim_has_a_status(corpus: pd.DataFrame) -> None:
    evaluated = ledger.evaluate_ledger(corpus)
    claims = evaluated[evaluated["file"] == page.LEDGER_FILE]
    assert len(claims) and claims["status"].isin(ledger.STATUSES).all()
    available = set(corpus["doc_id"])
    for _, claim in claims[claims["method"] == "term_count"].iterrows():
        doc = ledger.parse_params(claim["params"])["doc"]
        if doc in available:
            assert claim["status"] in (ledger.REPRODUCED, ledger.DIFFERS)  # agreeing or not is the reader's result
        else:
            assert claim["status"] == ledger.NOT_REPRODUCIBLE and doc in claim["explanation"]
    shown = page.article_counts_table(evaluated)
    assert "claim_id" not in shown.frame.columns and "claim_id" in shown.data.columns


def test_every_output_of_the_chapter_in_a_build_without_texts(plotting) -> None:
    empty = pd.DataFrame(columns=list(CORPUS_COLUMNS))
    central = page.central_documents(empty)
    tables = [
        page.terms_table(),
        page.translation_table(empty),
        page.counting_methods_table(central),
        page.names_table(central),
        page.sense_rules_table(),
        page.senses_table(page.senses(central)),
        page.senses_by_names_table(central),
        page.rule_usage_table(central),
        *page.kwic_tables(central),
        page.three_steps_table(),
        page.profile_table(page.profile(central)),
    ]
    assert len({t.name for t in tables}) == len(tables) and all(t.caption for t in tables)
    assert NO_ROWS in page.counting_methods_table(central).markdown()
    assert "none is available in this build" in page.counting_methods_table(central).caption
    for fig in (page.senses_figure(page.senses(central)), page.density_figure(page.profile(central))):
        assert "no document is available in this build" in figure_alt(fig).lower()
        plt.close(fig)
    cover = chapter_coverage(topic="ai").assign(status="missing")
    assert page.plan_availability(empty, cover).data.count("not reproducible here") == len(page.PLANS)
    assert "not available here: " in page.density_summary(page.profile(central), cover).data
