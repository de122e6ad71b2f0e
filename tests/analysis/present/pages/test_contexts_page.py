"""The historical and geopolitical context chapters (:mod:`analysis.present.pages.contexts`) on whatever corpus the build
has: the curated facts they show hold together, every count is traced to its keyword-in-context lines, the sentence
co-occurrence counts what it says, and every output exists in a build without texts. No value is compared with the
article's: a count that differs is a result."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import counting
from analysis.corpus import CORPUS_COLUMNS
from analysis.datastate import chapter_corpus, chapter_coverage
from analysis.evidence.facts import load_facts
from analysis.io.dates import decimal_year
from analysis.present.pages import contexts as page
from analysis.present.plotting import figure_alt
from analysis.present.tables import NO_ROWS
from analysis.sections import vocabularies

EMPTY = pd.DataFrame(columns=list(CORPUS_COLUMNS))


@pytest.fixture(scope="module")
def texts() -> pd.DataFrame:
    return chapter_corpus(topic=("ai", "control"))


def _doc(doc_id: str, text: str, topic: str = "ai", **kw: str) -> dict[str, str]:
    row = dict.fromkeys(CORPUS_COLUMNS, "")
    row.update(doc_id=doc_id, text=text, topic=topic, language="zh", level="central", date="2024-01-01", year="2024")
    row.update(genre="measures", issuer="国家互联网信息办公室", title_en=doc_id, chars=str(len(text)), **kw)
    return row


# ------------------------------------------------------------------------------------------------ curated facts
def test_the_timeline_shows_every_event_and_every_link_points_forward() -> None:
    events = load_facts("geopolitical_events")
    when = {
        e: decimal_year(d, p)
        for e, d, p in zip(events["event_id"], events["date"], events["date_precision"], strict=True)
    }
    assert all(2014.5 <= v <= 2020.5 for v in when.values())
    for answering, answers in zip(events["event_id"], events["answers"], strict=True):
        assert all(when[a] < when[answering] for a in answers.split(";") if a)
    assert (events["group_key"] == "obama_ai_reports_2016").sum() == 3  # "three AI reports in late 2016"


def test_eight_companies_were_listed_on_7_october_2019() -> None:
    firms = load_facts("entity_list_ai_companies")
    assert (firms["announced"] == "2019-10-07").sum() == 8  # Mondaq and Hughes Hubbard name eight among the 28
    assert page.entity_sentence().data.startswith("8 companies were announced on 2019-10-07")


def test_the_events_table_names_the_answered_moves_not_their_ids() -> None:
    shown = page.events_table()
    answers = " ".join(shown.frame["answers"])
    assert "us_zte_denial_2018" not in answers and "ZTE denial order" in answers
    assert "event_id" in shown.data.columns and "event_id" not in shown.frame.columns


# ------------------------------------------------------------------------------------------- counts on the texts
def test_nested_revolution_terms_never_outnumber_the_terms_that_contain_them(texts: pd.DataFrame) -> None:
    docs = page.chinese(texts)
    matrix = counting.document_term_matrix(docs, counting.terms_in(page.REVOLUTION_CATEGORY))
    assert (matrix["工业革命"] >= matrix["第四次工业革命"]).all()
    assert (matrix["科技革命"] >= matrix["新一轮科技革命"]).all()
    assert len(page.revolution_kwic_table(texts).frame) == int(matrix.to_numpy().sum())  # one line per match


def test_every_rival_match_has_its_line(texts: pd.DataFrame) -> None:
    table = page.pressure_table(texts).data
    lines = page.pressure_kwic_table(texts).data
    matches = [c for c in table.columns if c.endswith("matches")]
    assert int(table[matches].to_numpy().sum()) == len(lines)


def test_competition_adds_up(texts: pd.DataFrame) -> None:
    ai = page.chinese(texts)
    for text in ai["text"]:  # 不正当竞争 and 国际竞争 never overlap, and each holds one 竞争
        parts = counting.count_substring(text, "不正当竞争") + counting.count_substring(text, "国际竞争")
        assert counting.count_substring(text, "竞争") >= parts
    said = page.competition_sentence(pd.DataFrame([_doc("a", "禁止不正当竞争。提升国际竞争力。竞争")])).data
    assert said.startswith("竞争 (jìngzhēng, competition) occurs 3 times in the 1 Chinese AI text")
    assert "1 of them in 不正当竞争" in said and "1 in 国际竞争" in said


def test_the_pressure_sentence_follows_the_texts() -> None:
    corpus = pd.DataFrame(
        [
            _doc("a", "美国对我国打压。必须掌握关键核心技术，保障安全。"),
            _doc("b", "用户可以选择算法自主可控。"),
            _doc("c", "加强关键核心技术攻关。", topic="control"),
        ]
    )
    said = page.pressure_sentence(corpus).data
    assert "occurs 1 time in the 2 Chinese AI texts" in said and "0 times in the 1 control text" in said
    assert "自主可控 (self-reliant and controllable) occurs 1 time in the AI texts" in said and "**自主可控**" in said


def test_cooccurrence_counts_sentences_holding_both_terms() -> None:
    corpus = pd.DataFrame(
        [
            _doc("a", "突破关键核心技术，保障国家安全。关键核心技术攻关。自主可控"),
            _doc("b", "关键核心技术；安全。", topic="control"),
        ]
    )
    co = vocabularies.cooccurrence(corpus, ["关键核心技术", "自主可控"], "安全", ["ai", "control"]).set_index(
        ["term", "topic"]
    )
    assert co.loc[("关键核心技术", "ai")].tolist() == [1, 2, 1]  # a comma does not end a sentence
    assert co.loc[("关键核心技术", "control")].tolist() == [1, 1, 0]  # a semicolon does
    assert co.loc[("自主可控", "ai")].tolist() == [1, 1, 0]
    assert co.loc[("自主可控", "control")].tolist() == [0, 0, 0]
    partner = vocabularies.cooccurrence(corpus.iloc[:1], ["国家安全"], "安全", ["ai"])
    assert partner["with_partner"].tolist() == [0]  # the partner inside the term itself does not count


def test_counts_are_worded_in_the_singular_and_the_plural() -> None:
    assert [page.count_of(1, "match"), page.count_of(2, "match"), page.count_of(0, "text")] == [
        "1 match",
        "2 matches",
        "0 texts",
    ]
    assert [page.count_of(3, "category"), page.count_of(2, "day")] == ["3 categories", "2 days"]
    assert (
        page.spread(pd.Series({"a": 3})) == "in a"
        and page.spread(pd.Series({"a": 3, "b": 0, "c": 1})) == "3 in a and 1 in c"
    )


def test_first_clause_keeps_parentheses_whole() -> None:
    assert page.first_clause("the dating is the discourse's own (Jin 2019; Wang 2016), reported; more") == (
        "the dating is the discourse's own (Jin 2019; Wang 2016), reported"
    )


# ------------------------------------------------------------------------------------------------- no texts at all
def test_every_output_of_both_chapters_in_a_build_without_texts(plotting) -> None:
    tables = [
        page.revolutions_table(),
        page.periods_table(),
        page.history_sources_table(),
        page.ledger_table(EMPTY, "3.1", "historical"),
        page.revolution_terms_table(),
        page.revolution_kwic_table(EMPTY),
        page.history_table(EMPTY),
        page.events_table(),
        page.event_sources_table(),
        page.entity_list_table(),
        page.entity_sources_table(),
        page.ledger_table(EMPTY, "3.2", "geopolitical"),
        page.pressure_table(EMPTY),
        page.pressure_kwic_table(EMPTY),
        page.cooccurrence_table(EMPTY),
    ]
    assert len({t.name for t in tables}) == len(tables) and all(t.caption for t in tables)
    assert NO_ROWS in page.revolution_kwic_table(EMPTY).markdown()
    for sentence in (
        page.revolution_sentence(EMPTY),
        page.pressure_sentence(EMPTY),
        page.competition_sentence(EMPTY),
        page.cooccurrence_sentence(EMPTY),
    ):
        assert "not reproducible here" in sentence.data.lower()  # never a row of zeros read as a finding
    assert page.english_sentence(EMPTY).data.startswith("No US text is available")
    cover = chapter_coverage(topic="ai").assign(status="missing")
    listed = page.availability(cover, page.HISTORY_DOCUMENTS).data
    assert listed.count("not reproducible here") == len(page.HISTORY_DOCUMENTS) and "ngaidp_2017" not in listed
    assert "not reproducible here" in page.unshown_claims(EMPTY, "3.2").data
    for fig, n in ((page.revolutions_figure(), "n = 4 revolutions"), (page.mirror_figure(), "events")):
        assert n in fig.axes[0].get_title() and figure_alt(fig).startswith("Timeline of")
        plt.close(fig)
