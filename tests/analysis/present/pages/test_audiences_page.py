"""The audiences chapter (:mod:`analysis.present.pages.reception.audiences`) on the corpus this build has, whatever it is: the
curated facts its prose states (the local plans' dates, the national AI team, the figures on the public), Shenzhen's
AI regulation read only against regulations of its own genre, every ledger claim of sections 4 and 5 with a status
(never compared with the article's value), and every output in a build without texts."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.corpus import CORPUS_COLUMNS, select
from analysis.datastate import chapter_corpus, chapter_manifest
from analysis.evidence import ledger
from analysis.evidence.facts import load_facts
from analysis.present.pages.reception import audiences as page
from analysis.present.plotting import figure_alt
from analysis.present.tables import NO_ROWS
from analysis.sections import audiences

EMPTY = pd.DataFrame({c: pd.Series(dtype=object) for c in CORPUS_COLUMNS})


@pytest.fixture(scope="module")
def manifest() -> pd.DataFrame:
    return chapter_manifest(topic="ai")


@pytest.fixture(scope="module")
def timeline(manifest: pd.DataFrame) -> pd.DataFrame:
    return page.timeline(manifest)


# ------------------------------------------------------------------------- the local plans' dates (the manifest)


def test_every_local_plan_is_dated_and_none_before_the_state_council_plan(
    timeline: pd.DataFrame, manifest: pd.DataFrame
) -> None:
    summary = audiences.timing_summary(timeline)
    assert int(summary["documents"].sum()) == len(timeline) == len(select.local_ai_plan_ids(manifest))
    # the prose: the manifest dates no local plan before the State Council plan
    assert not (timeline["timing"] == "before").any(), timeline[timeline["timing"] == "before"]


def test_plans_whose_title_implements_the_2017_plan_are_dated_after_it(timeline: pd.DataFrame) -> None:
    """Issue 22: Jilin's and Liaoning's plans are known only by year, but their titles implement the State Council
    plan, so their windows start after its publication (20 July 2017) and their timing is "after"."""
    rows = timeline.set_index("doc_id")
    for doc_id in ("jilin_2017_ai_opinions", "liaoning_2017_ai_plan"):
        assert rows.at[doc_id, "earliest"] == "2017-07-21", doc_id
        assert rows.at[doc_id, "timing"] == "after", doc_id
        assert "bounded by an earlier document" in rows.at[doc_id, "caveats"]
    assert "Jilin and Liaoning" in page.timing_sentence(timeline).data
    assert not (timeline["timing"] == "undetermined").any()


def test_the_places_the_prose_names_issued_plans_in_late_2017_and_2018_has_the_most(timeline: pd.DataFrame) -> None:
    late_2017 = timeline[(timeline["timing"] == "after") & (timeline["latest"] <= "2017-12-31")]
    assert {"Guizhou", "Shanghai", "Zhejiang", "Beijing", "Tianjin"} <= set(late_2017["region"])
    per_year = timeline["earliest"].str[:4].value_counts()
    assert per_year.idxmax() == "2018" and (per_year.drop("2018") < per_year["2018"]).all()


def test_the_timing_sentence_and_the_ledger_reading_follow_the_manifest(timeline: pd.DataFrame) -> None:
    text = page.timing_sentence(timeline).data
    assert f"The manifest lists {len(timeline)} local AI plans" in text
    assert "{numref}`fig-audiences-local-plans`" in text
    assert "within 12 months" in page.right_after_sentence().data
    fig = page.timeline_figure(timeline)
    assert f"Timeline of the {len(timeline)} local AI plans" in figure_alt(fig)
    assert f"(n = {len(timeline)})" in fig.axes[0].get_title()
    plt.close(fig)


# ----------------------------------------------------------------------- Shenzhen against its own genre (issue 22)


def test_shenzhen_is_read_only_against_local_regulations_of_its_genre() -> None:
    everything = chapter_corpus(topic=None)
    like = page.like_genre(everything)
    docs = everything.set_index("doc_id")
    if len(like):
        assert set(docs.loc[like["doc_id"], "genre"]) == {"regulation"}
        assert set(docs.loc[like["doc_id"], "level"].map(select.level_group)) == {"local"}
        assert set(like["topic"]) <= {select.AI, select.CONTROL}
        assert (like["without_names_lo"] <= like["without_names_per_10k"]).all()
        assert (like["without_names_per_10k"] <= like["without_names_hi"]).all()
    text = page.like_genre_sentence(like).data
    assert "median" not in text
    if audiences.SHENZHEN_2022 in set(like["doc_id"]):
        assert like["doc_id"].iloc[0] == audiences.SHENZHEN_2022  # the AI text first
        assert "same issuer" in text and "promotion regulation" in text
    else:
        assert "Not reproducible here" in text


def test_the_like_genre_pairs_are_those_of_the_baseline() -> None:
    """The same-issuer pair and the promotion pair come from data/argument/baseline_strata.csv, the definition the
    securitizing-move chapter uses: a synthetic corpus of two Shenzhen regulations and one promotion regulation."""
    text = "第一条 为了促进发展，制定本条例。第二条 保障网络安全。"
    rows = [
        (
            audiences.SHENZHEN_2022,
            "ai",
            "深圳经济特区人工智能产业促进条例",
            "深圳市人民代表大会常务委员会 (Standing Committee)",
        ),
        (
            "synthetic_same_issuer",
            "control",
            "深圳经济特区数据条例",
            "深圳市人民代表大会常务委员会 (Standing Committee)",
        ),
        ("synthetic_promotion", "control", "某省数字经济促进条例", "某省人民代表大会常务委员会 (Standing Committee)"),
        ("synthetic_central", "control", "某条例", "国务院 (State Council)"),
    ]
    corpus = pd.DataFrame(
        [
            {"doc_id": d, "topic": t, "title_zh": title, "issuer": issuer, "text": text, "chars": len(text),
             "level": "central" if d == "synthetic_central" else "city", "genre": "regulation", "language": "zh",
             "date": "2022-01-01", "region": "synthetic"}
            for d, t, title, issuer in rows
        ]
    )  # fmt: skip
    like = audiences.like_genre_regulations(corpus).set_index("doc_id")
    assert "synthetic_central" not in like.index  # a central regulation is not of the genre
    assert like.at["synthetic_same_issuer", "comparisons"] == "same issuer"
    assert like.at["synthetic_promotion", "comparisons"] == "promotion regulation"
    assert like.at[audiences.SHENZHEN_2022, "comparisons"] == "same issuer; promotion regulation"


# -------------------------------------------------------------------------------- the texts of this build


def test_vocabulary_counts_only_available_plans_and_never_the_2022_law(manifest: pd.DataFrame) -> None:
    corpus = chapter_corpus(topic="ai")
    vocabulary = page.vocabulary(corpus, manifest)
    available, _ = audiences.local_texts_status(corpus, manifest)
    assert int((vocabulary["group"] == "local").sum()) == available
    assert set(vocabulary["doc_id"]) <= set(corpus["doc_id"])
    assert audiences.SHENZHEN_2022 not in set(vocabulary["doc_id"])  # a 2022 law is never counted as a 2017–2019 plan
    assert (vocabulary["anquan_without_names"] <= vocabulary["anquan"]).all()


def test_every_section_4_and_5_claim_has_a_status() -> None:
    evaluated = ledger.evaluate_ledger(chapter_corpus(topic="ai"))
    shown = page.article_claims_table(evaluated)
    claims = evaluated[(evaluated["file"] == page.LEDGER_FILE) & evaluated["section"].isin(["4", "5"])]
    assert len(shown.data) == len(claims) > 0 and claims["status"].isin(ledger.STATUSES).all()
    assert "claim_id" not in shown.frame.columns and "claim_id" in shown.data.columns


# ------------------------------------------------------------------------------------- the sourced tables


def test_the_national_ai_team_as_the_prose_states_it() -> None:
    team = audiences.load_national_ai_team()
    assert len(team) == 15 and team["company_key"].is_unique
    assert team["batch"].value_counts().to_dict() == {
        "second batch": 10,
        "first batch": 4,
        "added singly (fifth platform)": 1,
    }
    # five Chinese field names were found only in English reports, and the note says so
    unseen = team[team["field_zh_checked"] == "no"]
    assert set(unseen["company_key"]) == {"qihoo360", "hikvision", "pingan", "mininglamp", "tal"}
    assert unseen["note"].str.contains("not seen in a Chinese-language excerpt").all()
    assert "15 members" in page.team_sentence().data


def test_china_has_two_to_three_times_the_us_internet_users() -> None:
    ratios = audiences.internet_user_ratios(load_facts("public_figures"))
    assert (ratios["ratio"] > 2).all() and (ratios["ratio"] < 3).all()


# ----------------------------------------------------------------------------------- a build without texts


def test_every_output_of_the_chapter_in_a_build_without_texts(manifest: pd.DataFrame, timeline: pd.DataFrame) -> None:
    vocabulary = page.vocabulary(EMPTY, manifest)
    like = page.like_genre(EMPTY)
    reused = page.reused(EMPTY)
    tables = [
        page.article_claims_table(ledger.evaluate_ledger(EMPTY)),
        page.timing_table(timeline),
        page.local_plans_table(timeline),
        page.vocabulary_table(vocabulary, EMPTY, manifest),
        page.like_genre_table(like),
        page.reuse_table(reused),
        page.team_table(),
        page.public_table(),
        page.internet_ratio_table(),
        page.cnki_query_table(),
        page.cnki_context_table(),
    ]
    assert len({t.name for t in tables}) == len(tables) and all(t.caption for t in tables)
    for empty in (
        page.vocabulary_table(vocabulary, EMPTY, manifest),
        page.like_genre_table(like),
        page.reuse_table(reused),
    ):
        assert NO_ROWS in empty.markdown()
    assert "Not reproducible here" in page.guangdong_sentence(vocabulary).data
    assert "Not reproducible here" in page.like_genre_sentence(like).data
    assert "Not reproducible here" in page.reuse_sentence(reused, EMPTY).data
    cannot = page.cannot_show(EMPTY, manifest).data
    assert "0 of the" in cannot and "Not reproducible here" in cannot
