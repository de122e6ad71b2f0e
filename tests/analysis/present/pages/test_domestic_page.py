"""The domestic context chapter (:mod:`analysis.present.pages.domestic`, :mod:`analysis.sections.typology`) on whatever
corpus the build has: the curated figures hold together, typed matches never exceed the 安全 they contain, regime content
leaves out what it excludes, the comparison by stratum gives no verdict on a category the validation does not find
reliable, the goal default is counted for what it is, and every output exists in a build without texts."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import counting
from analysis.corpus import CORPUS_COLUMNS
from analysis.datastate import chapter_corpus, chapter_coverage
from analysis.evidence.facts import load_facts
from analysis.present.pages import domestic as page
from analysis.present.plotting import figure_alt
from analysis.sections import typology, vocabularies
from analysis.sections.move import baseline, inference, speech_acts

EMPTY = pd.DataFrame(columns=list(CORPUS_COLUMNS))


@pytest.fixture(scope="module")
def texts() -> pd.DataFrame:
    return chapter_corpus(topic=("ai", "control"))


def _doc(doc_id: str, text: str, topic: str = "ai") -> dict[str, str]:
    row = dict.fromkeys(CORPUS_COLUMNS, "")
    row.update(doc_id=doc_id, text=text, topic=topic, language="zh", level="central", date="2024-01-01", year="2024")
    row.update(genre="measures", issuer="国家互联网信息办公室", title_en=doc_id, title_zh=doc_id, chars=str(len(text)))
    return row


# ------------------------------------------------------------------------------------------------ curated facts
def test_the_articles_breach_figure_lies_between_the_sources_and_equals_none() -> None:
    figures = load_facts("domestic_figures")
    people = figures[figures["figure_id"].str.startswith("leak_people_")]["value"].astype(int)
    assert people.min() < 2_560_000 < people.max()
    assert 2_560_000 not in set(people)


def test_false_information_is_left_out_of_the_regime_content_vocabulary() -> None:
    vocab = set(vocabularies.load_vocabulary(typology.REGIME_VOCABULARY)["term"])
    assert "虚假信息" not in vocab and "虚假信息" in typology.EXCLUDED_CONTENT
    corpus = pd.DataFrame([_doc("qa", "通过标识提醒用户辨别虚假信息。")])
    assert vocabularies.vocabulary_totals(corpus, typology.REGIME_VOCABULARY)["count"].tolist() == [0]
    assert "occurs 1 time" in page.excluded_sentence(corpus).data


# ------------------------------------------------------------------------------------------- counts on the texts
def test_typed_matches_never_exceed_the_anquan_they_contain(texts: pd.DataFrame) -> None:
    counts = page.type_counts(texts)
    anquan = counting.document_term_matrix(page.chinese(texts), ["安全"])["安全"].reindex(counts.index)
    assert (counts.drop(columns="military").sum(axis=1) <= anquan).all()  # every non-military term holds 安全


def test_the_heat_map_names_documents_by_title_and_shows_n(texts: pd.DataFrame, plotting) -> None:
    counts = page.type_counts(texts)
    fig = page.typology_figure(counts)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert not set(labels) & set(counts.index)
    assert f"n = {len(counts)}" in fig.axes[0].get_title() or counts.empty
    plt.close(fig)


# ------------------------------------------------------------------------------------- the comparison by stratum
STRATUM = [
    _doc("ai1", "为了维护国家安全，制定本办法。提供者应当开展安全评估。"),
    _doc("ai2", "提供者应当建立安全管理制度。不得煽动颠覆国家政权。"),
    _doc("c1", "为了保障数据安全，制定本规定。", topic="control"),
    _doc("c2", "坚持社会主义核心价值观。", topic="control"),
]


def test_count_comparisons_compares_any_count_by_stratum() -> None:
    corpus = pd.DataFrame(STRATUM)
    table = baseline.count_comparisons(corpus, {"m": {"ai1": 3, "c1": 1}})  # unlisted documents count 0
    row = table.set_index("comparison").loc["central_rules"]
    assert (row["ai_docs"], row["control_docs"], row["ai_count"], row["control_count"]) == (2, 2, 3, 1)
    assert row["measure"] == "m" and row["verdict"] in inference.VERDICTS


def test_no_verdict_on_a_category_the_validation_does_not_find_reliable() -> None:
    corpus = pd.DataFrame(STRATUM)
    passages = speech_acts.code_passages(corpus)
    none = page.stratum_table(corpus, passages, frozenset()).frame
    objects = none[none["measure"].str.startswith("passages coded")]
    assert len(objects) and (objects["verdict"] == page.NO_VERDICT).all()
    assert objects["measure"].str.endswith("†").all()
    regime = none[none["measure"] == "regime-content matches"]
    assert len(regime) and (regime["verdict"] != page.NO_VERDICT).all()  # a count, not a coded category
    trusted = frozenset({("object", "goal")})
    goal = page.stratum_table(corpus, passages, trusted).frame
    assert (goal.loc[goal["measure"] == "passages coded goal", "verdict"] != page.NO_VERDICT).all()


def test_the_goal_default_is_counted_for_what_it_is() -> None:
    corpus = pd.DataFrame([_doc("a", "本办法涉及国家安全。为了维护国家安全，制定本办法。")])
    resting = typology.default_goal(corpus)
    assert len(resting) == 1 and resting["without_default"].tolist() == ["other"]  # 维护… is a goal by its verb
    rules = typology.default_goal_rules(speech_acts.load_object_rules())
    assert len(rules) and set(rules["object"]) == {"goal"} and "国家安全" in "".join(rules["pattern"])


def test_technification_groups_passages_by_their_security_words() -> None:
    assert typology.passage_group("网络安全+数据安全") == typology.CYBER_GROUP
    assert typology.passage_group("国家安全") == typology.STATE_GROUP
    assert typology.passage_group("网络安全+国家安全") == typology.passage_group("安全") == ""
    coded = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b", "b"],
            "keywords": ["网络安全", "数据安全", "国家安全", "国家安全"],
            "object": ["compliance", "goal", "goal", "name_citation"],
        }
    )
    objects, shares = typology.technification(coded)
    s = shares.set_index("group")
    assert s.loc[typology.CYBER_GROUP, ["passages", "technical", "share"]].tolist() == [2, 1, 0.5]
    assert s.loc[typology.STATE_GROUP, "passages"] == 1  # names and citations left out
    assert int(objects.to_numpy().sum()) == 3


# ------------------------------------------------------------------------------------------------- no texts at all
def test_every_output_of_the_chapter_in_a_build_without_texts(plotting) -> None:
    counts = page.type_counts(EMPTY)
    passages = page.coded(EMPTY)
    val = page.validation(EMPTY, passages)
    reliable = page.reliable(val)
    assert reliable == frozenset()
    tables = [
        page.types_table(),
        page.terms_table(),
        page.figures_table(),
        page.figures_sources_table(),
        page.type_counts_table(counts),
        page.names_table(EMPTY),
        page.typology_kwic_table(EMPTY),
        page.regime_table(EMPTY),
        page.excluded_kwic_table(EMPTY),
        page.stratum_table(EMPTY, passages, reliable),
        page.technification_table(passages, reliable),
    ]
    assert len({t.name for t in tables}) == len(tables) and all(t.caption for t in tables)
    for sentence in (
        page.typology_sentence(counts),
        page.regime_sentence(EMPTY),
        page.excluded_sentence(EMPTY),
        page.default_goal_sentence(EMPTY, passages, val),
        page.technification_sentence(passages, reliable),
        page.unreliable_sentence(val),
        page.stratum_paragraph(EMPTY, passages, reliable, chapter_coverage(topic=("ai", "control"))),
    ):
        assert "not reproducible here" in sentence.data.lower()
    assert "An assumption, not a finding" in page.default_goal_sentence(EMPTY, passages, val).data
    fig = page.typology_figure(counts)
    assert "no Chinese AI text is available" in figure_alt(fig)
    plt.close(fig)
