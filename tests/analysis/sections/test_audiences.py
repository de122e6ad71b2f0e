"""Tests of analysis.sections.audiences, the audience/consequence fact tables and their figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.evidence.facts import load_facts
from analysis.io.dates import date_window
from analysis.io.paths import NOTEBOOKS_DIR
from analysis.present.markdown import markdown_table
from analysis.sections import audiences as A
from analysis.sections import consequences as E
from analysis.sections.framework import framework_view

D = dt.date


# --------------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize("text", ["", "unknown", "   ", "circa 2017"])
def test_date_window_without_a_date(text: str) -> None:
    window = date_window(text)
    assert window.earliest is None and window.latest is None and window.precision == "none"
    assert A.timing_relative(window) == "no date"


@pytest.mark.parametrize(
    ("text", "timing"),
    [
        ("2017-07-07", "before"),
        ("2017-06", "before"),
        ("2017-07-08", "between signing and publication"),
        ("2017-07-20", "between signing and publication"),
        ("2017-07-21", "after"),
        ("2017-07", "undetermined"),
        ("2017", "undetermined"),
        ("2017 (repost dated 2017-05-01)", "before"),
        ("2016", "before"),
        ("2018-2019", "after"),
    ],
)
def test_timing_relative_to_the_state_council_plan(text: str, timing: str) -> None:
    assert A.timing_relative(date_window(text)) == timing


def _synthetic_manifest() -> pd.DataFrame:
    rows = [
        ("synthetic_central", "central", "national", "2017-07-08"),
        ("synthetic_local_b", "province", "Synthetic Province B", "2018"),
        ("synthetic_local_a", "city", "Synthetic Province A/City", "2016-03-01"),
        ("synthetic_local_c", "municipality", "Synthetic City C", "2017 (day not seen)"),
        ("synthetic_us", "federal", "United States", "2016-10"),
    ]
    return pd.DataFrame(
        [
            {
                "doc_id": d,
                "level": lvl,
                "region": reg,
                "title_en": f"Synthetic plan {d}",
                "genre": "plan",
                "topic": "ai",
                "date_issued": date,
            }
            for d, lvl, reg, date in rows
        ]
    )


def test_local_plans_timeline_on_a_synthetic_manifest() -> None:
    timeline = A.local_plans_timeline(_synthetic_manifest())
    assert timeline["doc_id"].tolist() == ["synthetic_local_a", "synthetic_local_c", "synthetic_local_b"]
    assert timeline["timing"].tolist() == ["before", "undetermined", "after"]
    summary = A.timing_summary(timeline)
    assert summary["timing"].tolist() == list(A.TIMINGS)
    assert dict(zip(summary["timing"], summary["documents"], strict=False)) == {
        "before": 1,
        "between signing and publication": 0,
        "after": 1,
        "undetermined": 1,
        "no date": 0,
    }
    with pytest.raises(ValueError, match="lacks column"):
        A.local_plans_timeline(_synthetic_manifest().drop(columns="date_issued"))


def test_local_plans_timeline_on_the_manifest() -> None:
    from analysis.corpus import load_manifest

    manifest = load_manifest()
    timeline = A.local_plans_timeline(manifest)
    local_level = manifest["level"].isin(("province", "municipality", "city"))
    plan_genre = manifest["genre"].isin(("plan", "action plan", "opinions"))
    local = manifest[local_level & plan_genre & (manifest["topic"] == "ai")]
    assert sorted(timeline["doc_id"]) == sorted(local["doc_id"])
    assert "shenzhen_ai_industry_regulation_2022" not in set(timeline["doc_id"])  # a 2022 regulation, not a plan
    assert set(timeline["timing"]) <= set(A.TIMINGS)
    assert timeline["earliest"].tolist() == sorted(timeline["earliest"])
    # Guangdong's plan (footnote 109) is dated 23 July 2018 in the manifest, a year after the central plan.
    gd = timeline.set_index("doc_id").loc[A.GUANGDONG_2018]
    assert (gd["earliest"], gd["precision"], gd["timing"]) == ("2018-07-23", "day", "after")


# ------------------------------------------------------------------------------ vocabulary comparison


def test_security_vocabulary_table_on_synthetic_texts() -> None:
    manifest = _synthetic_manifest()
    manifest.loc[manifest["doc_id"] == "synthetic_central", "doc_id"] = "ngaidp_2017"
    texts = {
        "ngaidp_2017": "合成测试文本。维护国家安全，保障网络安全。安全可控。",
        "synthetic_local_b": "合成测试文本。发展人工智能产业，促进经济发展。",
        "synthetic_us": "synthetic test text on national security",
    }
    corpus = pd.DataFrame(
        {
            "doc_id": list(texts),
            "text": list(texts.values()),
            "chars": [len(t.replace(" ", "")) for t in texts.values()],
            "region": ["national", "Synthetic Province B", "United States"],
        }
    )
    table = A.security_vocabulary_table(corpus, manifest)
    assert table["doc_id"].tolist() == ["ngaidp_2017", "synthetic_local_b"]  # the US text is neither central nor local
    assert table["group"].tolist() == ["central", "local"]
    central = table.iloc[0]
    assert central["anquan"] == 3 and central["guojia_anquan"] == 1
    assert central["security_vocabulary"] >= 3 and central["per_10k"] > 0
    assert table.iloc[1]["security_vocabulary"] == 0
    assert A.local_texts_status(corpus, manifest) == (1, 3)
    with pytest.raises(LookupError, match="not reproducible here"):
        A.guangdong_exception(table)


def test_security_vocabulary_table_without_texts() -> None:
    manifest = _synthetic_manifest()
    empty = pd.DataFrame(columns=["doc_id", "text", "chars", "region"])
    table = A.security_vocabulary_table(empty, manifest)
    assert table.empty and "per_10k" in table.columns
    assert A.local_texts_status(empty, manifest) == (0, 3)


# ------------------------------------------------------------------------------ national AI team


NOT_SEEN_IN_CHINESE = {"qihoo360", "hikvision", "pingan", "mininglamp", "tal"}


def test_national_ai_team_table() -> None:
    team = A.load_national_ai_team()
    assert len(team) == 15 and team["company_key"].is_unique
    assert team["batch"].value_counts().to_dict() == {
        "second batch": 10,
        "first batch": 4,
        "added singly (fifth platform)": 1,
    }
    assert set(team.loc[team["batch"] == "first batch", "company_key"]) == {
        "baidu",
        "alibaba_cloud",
        "tencent",
        "iflytek",
    }
    for col in ("company_zh", "field_zh", "field_pinyin", "field_en", "date_announced", "source"):
        assert (team[col].str.strip() != "").all(), col
    assert team["date_announced"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()
    # The Chinese field names not seen in a Chinese excerpt (sourced-facts, Task 2) are marked so.
    unseen = team[team["field_zh_checked"] == "no"]
    assert set(unseen["company_key"]) == NOT_SEEN_IN_CHINESE
    assert unseen["note"].str.contains("not seen in a Chinese-language excerpt").all()
    assert set(team["field_zh_checked"]) == {"yes", "no"}
    # The article's three examples (section 4): Baidu autopilot, Alibaba smart cities, iFlytek intelligent voice.
    fields = team.set_index("company_key")["field_en"]
    assert "autonomous driving" in fields["baidu"] and "smart city" in fields["alibaba_cloud"]
    assert fields["iflytek"] == "intelligent voice"


def test_team_on_entity_list_with_synthetic_listings() -> None:
    team = A.load_national_ai_team()
    listings = pd.DataFrame(
        {
            "company_key": ["synthetic_not_in_team", "iflytek", "huawei"],
            "effective": ["2019-10-09", "2019-10-09", "2019-05-16"],
            "source": ["synthetic", "synthetic", "synthetic"],
        }
    )
    joined = E.team_on_entity_list(team, listings)
    assert joined["company_key"].tolist() == ["huawei", "iflytek"]  # sorted by listing date
    # Huawei joined the team in August 2019, after its listing in May 2019; iFlytek joined in 2017.
    assert joined["listed_after_joining"].tolist() == ["no", "yes"]
    assert "listing_source" in joined.columns and "company_en" in joined.columns
    assert E.count_team_on_entity_list(team, listings) == 2
    assert E.listing_date_column(listings) == "effective"
    with pytest.raises(ValueError, match="company_key"):
        E.team_on_entity_list(team, listings.drop(columns="company_key"))


def test_team_on_the_entity_list_fact_table() -> None:
    from analysis.evidence.facts import fact_table_path

    if not fact_table_path(E.ENTITY_LIST_TABLE).is_file():
        pytest.skip("data/facts/entity_list_ai_companies.csv is not in this checkout yet")
    team = A.load_national_ai_team()
    listings = load_facts(E.ENTITY_LIST_TABLE)
    joined = E.team_on_entity_list(team, listings)
    # The October 2019 listing named five team members (sourced-facts, Task 3).
    assert {"hikvision", "iflytek", "megvii", "sensetime", "yitu"} <= set(joined["company_key"])
    assert set(joined["company_key"]) <= set(team["company_key"])
    assert (joined["listing_source"].str.strip() != "").all()
    assert E.count_team_on_entity_list(team, listings) == joined["company_key"].nunique()


# ------------------------------------------------------------------------------ other fact tables


def test_table1_framework_rows_link_to_existing_chapters() -> None:
    table = load_facts("table1_framework")
    assert table["element"].tolist() == [
        "Securitizing actor",
        "Securitizing move",
        "Referent object",
        "Audience",
        "Facilitating conditions",
    ]
    for chapters in table["chapters"]:
        for doc in chapters.split(";"):
            assert (NOTEBOOKS_DIR / f"{doc}.ipynb").is_file(), doc
    assert table["glossary_term"].tolist() == [e.lower() for e in table["element"]]


def test_consequences_table() -> None:
    from analysis.present.plotting.argument_map import OBJECTIVES

    table = load_facts("consequences")
    assert table["consequence_id"].tolist() == ["a", "b", "c", "d", "e"]
    for value in table["objective_undermined"]:
        assert {o.strip() for o in value.split(";")} <= set(OBJECTIVES)
    assert table["objective_basis"].str.match(r"^(stated|our reading):").all()
    assert table.loc[table["computed_here"] == "yes", "consequence_id"].tolist() == ["e"]
    for col in ("mechanism", "article_evidence", "indicator_proposed", "article_ref"):
        assert (table[col].str.strip() != "").all(), col


def test_public_figures_and_cnki_query() -> None:
    figures = load_facts("public_figures").set_index("figure_id")
    assert float(figures.loc["cn_internet_users_2019", "value"]) == 854
    assert float(figures.loc["cn_ai_talent_gap", "value"]) == 5
    assert float(figures.loc["cn_workers_changing_occupation_2030", "value"]) == 100
    assert "NOT FOUND" in figures.loc["us_internet_users_2019_statista_secondary", "note"]
    query = load_facts("cnki_query").set_index("parameter")
    assert query.loc["terms", "basis"] == "our reading"
    assert query.loc["years", "basis"] == "stated by the article"
    related = load_facts("cnki_related_counts")
    assert related["what_it_counts"].str.contains("NOT AI and security").all()


# ------------------------------------------------------------------------------ figures


def test_argument_map_is_deterministic_and_complete(plotting) -> None:
    import matplotlib.pyplot as plt

    from analysis.present.plotting import figure_bytes
    from analysis.present.plotting.argument_map import consequences_argument_map

    table = load_facts("consequences")
    fig = consequences_argument_map(table, notes={"e": "synthetic note"})
    texts = [t.get_text() for t in fig.axes[0].texts]
    for cid in "abcde":
        assert any(t.startswith(f"({cid})") for t in texts), cid
    assert any("synthetic note" in t for t in texts)
    assert figure_bytes(fig) == figure_bytes(consequences_argument_map(table, notes={"e": "synthetic note"}))
    bad = table.copy()
    bad.loc[0, "objective_undermined"] = "world peace"
    with pytest.raises(ValueError, match="unknown objective"):
        consequences_argument_map(bad)
    plt.close("all")


def test_timeline_figure_draws_every_plan(plotting) -> None:
    import matplotlib.pyplot as plt

    from analysis.present.plotting.audiences import local_plans_timeline_figure

    timeline = A.local_plans_timeline(_synthetic_manifest())
    fig = local_plans_timeline_figure(timeline)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 3 and labels[0].startswith("City: ")
    plt.close("all")


def test_internet_user_ratios() -> None:
    ratios = A.internet_user_ratios(load_facts("public_figures"))
    assert ratios["ratio"].tolist() == [round(854 / 293, 2), round(854 / 312.3, 2)]
    assert (ratios["ratio"] > 2).all()  # "twice more than in the US" holds with either US figure
    with pytest.raises(Exception, match="missing row"):
        A.internet_user_ratios(load_facts("public_figures").iloc[1:])


def test_markdown_table_escapes_and_links() -> None:
    frame = pd.DataFrame({"name": ["a|b"], "source": ["see https://www.example.org/x_y.html (synthetic)"]})
    md = markdown_table(frame, {"name": "Name", "source": "Source"})
    assert md.splitlines()[2] == r"| a\|b | see [example.org](https://www.example.org/x_y.html) (synthetic) |"
    with pytest.raises(ValueError, match="lacks column"):
        markdown_table(frame, {"nope": "Nope"})


def test_framework_table_links_glossary_and_chapters() -> None:
    table = pd.DataFrame(
        [
            {
                "element": "referent object",
                "glossary_term": "Referent object",
                "content": "the state | the party",
                "chapters": "labelling; audiences",
                "article_ref": "p. 420",
            }
        ]
    )
    md = markdown_table(*framework_view(table), link_columns=())
    lines = md.splitlines()
    assert lines[0] == "| Element | In the article (our words) | Evidence in chapter | Article |"
    assert "{term}`referent object <Referent object>`" in lines[2] and "| the state \\| the party |" in lines[2]
    assert "{doc}`labelling`, {doc}`audiences`" in lines[2]
