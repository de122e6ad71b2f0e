"""The fact tables of the contexts chapters (sections 3.1-3.3), the typology logic and their ledger rows."""

from __future__ import annotations

import calendar
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.counting import load_terms
from analysis.evidence import facts
from analysis.evidence.ledger import (
    CORROBORATED,
    DIFFERS,
    LEDGER_DIR,
    NOT_REPRODUCIBLE,
    evaluate_claim,
    read_ledger_file,
)
from analysis.io.dates import DateError, parse_partial_date
from analysis.present.plotting.timelines import KIND_MARKERS, OUTCOMES
from analysis.present.plotting.typology import typology_heatmap
from analysis.sections import typology

REQUIRED: dict[str, tuple[str, ...]] = {
    "industrial_revolutions": (
        "revolution",
        "name_zh",
        "pinyin",
        "gloss_en",
        "reported_as",
        "period_as_reported",
        "start_year",
        "start_precision",
        "defining_technologies_en",
        "leading_power_en",
        "china_period_key",
        "china_situation_en",
        "china_outcome",
        "goal_year",
        "note",
    ),
    "china_political_periods": (
        "period_key",
        "name_zh",
        "pinyin",
        "gloss_en",
        "start",
        "start_precision",
        "end",
        "end_precision",
        "note",
    ),
    "geopolitical_events": (
        "event_id",
        "date",
        "date_precision",
        "date_end",
        "year",
        "month_en",
        "actor",
        "kind",
        "event_en",
        "label_en",
        "name_zh",
        "pinyin",
        "gloss_en",
        "group_key",
        "answers",
        "answers_ref",
        "article_ref",
        "note",
    ),
    "entity_list_ai_companies": (
        "company_key",
        "name_en",
        "name_zh",
        "pinyin",
        "announced",
        "effective",
        "rule",
        "fr_citation",
        "fr_document",
        "note",
    ),
    "security_typology": typology.COLUMNS,
    "domestic_figures": (
        "figure_id",
        "claim_en",
        "value",
        "unit",
        "qualifier",
        "date",
        "date_precision",
        "year",
        "article_value",
        "article_ref",
        "note",
    ),
}
#: (date column, precision column or a fixed precision) of each table.
DATES: dict[str, list[tuple[str, str]]] = {
    "industrial_revolutions": [("start_year", "start_precision")],
    "china_political_periods": [("start", "start_precision"), ("end", "end_precision")],
    "geopolitical_events": [("date", "date_precision"), ("date_end", "=day")],
    "entity_list_ai_companies": [("announced", "=day"), ("effective", "=day")],
    "domestic_figures": [("date", "date_precision")],
}


def _precision(row: pd.Series, spec: str) -> str:
    return spec[1:] if spec.startswith("=") else row[spec]


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: facts.load_facts(name, required=cols) for name, cols in REQUIRED.items()}


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_table_loads_with_sources_and_required_columns(name, tables):
    df = tables[name]
    assert len(df) > 0
    assert (df["source"].str.strip() != "").all()


@pytest.mark.parametrize("name", sorted(DATES))
def test_dates_are_iso_and_match_their_precision(name, tables):
    for _, row in tables[name].iterrows():
        for column, spec in DATES[name]:
            if row[column]:
                parse_partial_date(row[column], _precision(row, spec))


def test_a_date_that_disagrees_with_its_precision_is_refused():
    with pytest.raises(DateError, match="precision 'day'"):
        parse_partial_date("2019-10", "day")


@pytest.mark.parametrize(
    "name", ["industrial_revolutions", "china_political_periods", "geopolitical_events", "entity_list_ai_companies"]
)
def test_chinese_names_carry_pinyin_and_gloss(name, tables):
    df = tables[name]
    gloss = "gloss_en" if "gloss_en" in df.columns else "name_en"
    with_zh = df[df["name_zh"] != ""]
    assert len(with_zh) > 0
    assert (with_zh["pinyin"] != "").all() and (with_zh[gloss] != "").all()
    assert all(re.search(r"[\u4e00-\u9fff]", v) for v in with_zh["name_zh"])


def test_industrial_revolutions_are_the_discourse_as_reported(tables):
    df = tables["industrial_revolutions"]
    assert df["revolution"].tolist() == ["1", "2", "3", "4"]
    assert df["reported_as"].str.contains("discourse as reported by Zeng 2021").all()
    assert set(df["china_outcome"]) <= set(OUTCOMES)
    assert (df["china_outcome"] == "missed").sum() == 3 and df.loc[3, "china_outcome"] == "aims to lead"
    assert df["source"].str.startswith("zeng2021securitization, section 3.1, footnote").all()
    starts = [int(y) for y in df["start_year"]]
    assert starts == sorted(starts)
    periods = set(tables["china_political_periods"]["period_key"])
    assert all(set(k.split(";")) <= periods for k in df["china_period_key"])
    # no technology was invented for the second revolution: the article names none
    assert df.loc[1, "defining_technologies_en"] == "" and "names no defining technology" in df.loc[1, "note"]


def test_political_periods_follow_each_other(tables):
    df = tables["china_political_periods"].set_index("period_key")
    assert list(df.index) == ["qing", "republic", "prc"]
    assert df.loc["qing", "end"][:4] == df.loc["republic", "start"][:4] == "1912"
    assert df.loc["republic", "end"][:4] == df.loc["prc", "start"][:4] == "1949"
    assert df.loc["prc", "start"] == "1949-10-01" and df.loc["prc", "end"] == ""


def test_events_are_consistent(tables):
    df = tables["geopolitical_events"]
    assert df["event_id"].is_unique
    assert set(df["actor"]) <= {"US", "China", "other"}
    assert set(df["kind"]) <= set(KIND_MARKERS)
    assert (df["year"] == df["date"].str[:4]).all()
    for date, month in zip(df["date"], df["month_en"], strict=False):
        expected = f"{calendar.month_name[int(date[5:7])]} {date[:4]}" if len(date) >= 7 else ""
        assert month == expected
    dates = dict(zip(df["event_id"], df["date"], strict=False))
    for event, answers, ref in zip(df["event_id"], df["answers"], df["answers_ref"], strict=False):
        for answered in filter(None, answers.split(";")):
            assert answered in dates, f"{event} answers unknown {answered}"
            assert dates[answered] < dates[event], f"{event} answers a later event {answered}"
            assert ref.startswith("Zeng 2021, section"), f"{event}: the link needs the article's reference"


def test_events_named_by_the_issue_are_present(tables):
    df = tables["geopolitical_events"].set_index("event_id")
    expected = {
        "us_third_offset_2014": "2014-11-15",
        "other_alphago_2016": "2016-03-09",
        "us_preparing_future_ai_2016": "2016-10-12",
        "us_ai_automation_economy_2016": "2016-12-20",
        "cn_ngaidp_2017": "2017-07-20",
        "cn_ai_standardization_whitepaper_2018": "2018-01-18",
        "cn_sc42_beijing_2018": "2018-04-18",
        "us_eo13859_2019": "2019-02-11",
        "us_entity_list_ai_2019": "2019-10-07",
        "us_nscai_interim_2019": "2019-11-04",
        "us_asml_pressure_2020": "2020-01-06",
    }
    assert {k: df.loc[k, "date"] for k in expected} == expected
    obama = df[df["group_key"] == "obama_ai_reports_2016"]
    assert len(obama) == 3 and set(obama["actor"]) == {"US"} and set(obama["year"]) == {"2016"}
    assert (
        "NOT FOUND" in df.loc["us_ai_rd_plan_2016", "note"]
        and df.loc["us_ai_rd_plan_2016", "date_precision"] == "month"
    )


def test_entity_list_companies_are_joinable(tables):
    df = tables["entity_list_ai_companies"]
    assert df["company_key"].is_unique
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in df["company_key"])
    oct2019 = df[df["announced"] == "2019-10-07"]
    assert sorted(oct2019["company_key"]) == [
        "dahua",
        "hikvision",
        "iflytek",
        "megvii",
        "meiya_pico",
        "sensetime",
        "yitu",
        "yixin",
    ]
    assert set(oct2019["effective"]) == {"2019-10-09"} and set(oct2019["fr_document"]) == {"2019-22210"}
    huawei = df.set_index("company_key").loc["huawei"]
    assert (huawei["announced"], huawei["effective"]) == ("2019-05-15", "2019-05-16")


def test_domestic_figures_record_what_the_sources_say(tables):
    df = tables["domestic_figures"].set_index("figure_id")
    assert all(re.fullmatch(r"\d+(\.\d+)?", v) for v in df["value"])
    assert (df["year"] == df["date"].str[:4]).all()
    people = df[df.index.str.startswith("leak_people_")]
    assert set(people["value"]) == {"2500000", "2600000"}  # never the article's 2.56 million
    assert (
        "2,565,724" in df.loc["leak_people_ap", "note"]
        and "was not found in the sources stored" in df.loc["leak_people_ap", "note"]
    )
    assert df.loc["leak_people_ap", "qualifier"] == "more than"
    assert df.loc["capgemini_61", "value"] == "61" and df.loc["capgemini_61", "unit"] == "percent"


# ---------------------------------------------------------------------------------------------
# Typology logic
# ---------------------------------------------------------------------------------------------


def test_typology_loads_in_type_order_with_the_articles_terms():
    df = typology.load_typology()
    types = typology.typology_types(df)
    assert types["type_key"].iloc[0] == "military" and types["category"].iloc[0] == "traditional"
    terms = typology.typology_terms(df)
    assert terms["political"] == ["政治安全", "制度安全"]  # the two Chinese terms the article gives
    assert list(terms) == types["type_key"].tolist()
    assert set(types.loc[types["in_article"] == "yes", "type_key"]) >= {
        "military",
        "political",
        "economic",
        "ideological",
        "cyber",
    }


def test_typology_terms_are_in_the_shared_term_list():
    listed = set(load_terms()["term"])
    missing = sorted(set(typology.load_typology()["term_zh"]) - listed)
    assert missing == [], f"add to data/terms.csv: {missing}"


def _synthetic_typology(rows: list[dict[str, str]]) -> pd.DataFrame:
    base = {c: "" for c in typology.COLUMNS}
    return pd.DataFrame(
        [
            {**base, "type_pinyin": "t", "pinyin": "p", "gloss_en": "g", "in_article": "no", "source": "synthetic"}
            | {"checked": "yes", **r}
            for r in rows
        ]
    )


SYN_TYPES = [
    {
        "type_order": "1",
        "type_key": "military",
        "category": "traditional",
        "type_zh": "军事安全",
        "type_en": "military",
        "term_zh": "国防",
    },
    {
        "type_order": "1",
        "type_key": "military",
        "category": "traditional",
        "type_zh": "军事安全",
        "type_en": "military",
        "term_zh": "国防科技",
    },
    {
        "type_order": "2",
        "type_key": "political",
        "category": "non-traditional",
        "type_zh": "政治安全",
        "type_en": "political",
        "term_zh": "政治安全",
    },
    {
        "type_order": "2",
        "type_key": "political",
        "category": "non-traditional",
        "type_zh": "政治安全",
        "type_en": "political",
        "term_zh": "制度安全",
    },
]


def test_type_counts_count_each_match_once_on_a_synthetic_corpus():
    df = typology.check_typology(_synthetic_typology(SYN_TYPES))
    corpus = {"synthetic_b": "没有相关词语。", "synthetic_a": "国防科技与国防；政治安全、制度安全和政治安全。"}
    counts = typology.type_counts(corpus, df)
    assert counts.index.tolist() == ["synthetic_a", "synthetic_b"]
    assert counts.columns.tolist() == ["military", "political"]
    assert counts.loc["synthetic_a"].tolist() == [2, 3]  # 国防 inside 国防科技 counted once
    assert counts.loc["synthetic_b"].tolist() == [0, 0]
    dens = typology.type_counts(corpus, df, per_10k=True)
    assert dens.loc["synthetic_a", "political"] == pytest.approx(
        3 * 10_000 / len("国防科技与国防；政治安全、制度安全和政治安全。")
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"term_zh": "国防"}, r"term_zh='国防': appears more than once \(lines 2, 5; a term belongs to one type\)"),
        ({"category": "soft"}, r"line 5, category='soft': is not one of traditional, non-traditional"),
        ({"type_zh": "别的"}, "disagree"),
    ],
)
def test_a_bad_typology_is_refused(change, message):
    rows = [dict(r) for r in SYN_TYPES]
    rows[3].update(change)
    with pytest.raises(facts.FactTableError, match=message):
        typology.check_typology(_synthetic_typology(rows))


# ---------------------------------------------------------------------------------------------
# Ledger rows of sections 3.1-3.3
# ---------------------------------------------------------------------------------------------

LEDGER = LEDGER_DIR / "section3_contexts.csv"


def test_ledger_rows_evaluate_from_the_fact_tables():
    df = read_ledger_file(Path(LEDGER))
    assert set(df["section"]) == {"3.1", "3.2", "3.3"}
    results = {row["claim_id"]: evaluate_claim(row, {}) for _, row in df.iterrows()}
    # "up to 2.56 million" against AP's "more than 2.5 million": the intervals overlap (one rule for bounds).
    assert results["s33-data-breach-2-56-million"][1] == CORROBORATED
    assert results["s33-data-breach-2-56-million"][0] == "2500000"
    assert results["s33-capgemini-61-percent"][1] == CORROBORATED
    assert results["s32-obama-three-reports"][:2] == ("3", CORROBORATED)
    assert results["s32-huawei-zte-cut-off"][:2] == ("2", CORROBORATED)
    assert results["s31-first-revolution-18th-century"][1] == NOT_REPRODUCIBLE
    # Claims on texts are not reproducible without them (the texts dict is empty here).
    assert results["s31-fourth-revolution-technologies"][1] == NOT_REPRODUCIBLE
    assert results["s32-standards-by-2020"][1] == NOT_REPRODUCIBLE
    computed = df.loc[~df["method"].isin(["not_computable", "terms_present"]), "claim_id"]
    assert all(results[c][1] in (CORROBORATED, DIFFERS) for c in computed)


def test_typology_heatmap_labels_and_empty_corpus(plotting):
    import warnings

    import matplotlib.pyplot as plt

    from analysis.present.plotting import figure_bytes

    df = typology.check_typology(_synthetic_typology(SYN_TYPES))
    counts = typology.type_counts({"synthetic_a": "国防与政治安全"}, df)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = typology_heatmap(counts, df)
        first = figure_bytes(fig)
        empty = typology_heatmap(counts.iloc[0:0], df)
        figure_bytes(empty)
    assert [w for w in caught if "missing from font" in str(w.message) or "ylims" in str(w.message)] == []
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["军事安全\nmilitary", "政治安全\npolitical"]
    assert first == figure_bytes(typology_heatmap(counts, df))
    assert any("no Chinese document" in t.get_text() for t in empty.axes[0].texts)
    plt.close("all")
