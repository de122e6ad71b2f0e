"""The chapter on success and consequences (:mod:`analysis.present.pages.reception.consequences`): the curated facts its prose
states (the team on the US Entity List, the dates of the candidate measures), the instruments counted in the rules
and called extraordinary only against the same issuer's non-AI rules that are present, and every output in a build
without texts."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.corpus import CORPUS_COLUMNS, load_manifest
from analysis.evidence import ledger
from analysis.evidence.facts import load_facts
from analysis.present.pages.reception import consequences as page
from analysis.present.plotting import figure_alt
from analysis.present.tables import NO_ROWS
from analysis.sections import audiences, consequences

EMPTY = pd.DataFrame({c: pd.Series(dtype=object) for c in CORPUS_COLUMNS})
OCTOBER_2019 = ["hikvision", "iflytek", "megvii", "sensetime", "yitu"]


@pytest.fixture(scope="module")
def listed() -> pd.DataFrame:
    team = audiences.load_national_ai_team()
    return consequences.team_on_entity_list(team, load_facts(consequences.ENTITY_LIST_TABLE))


# ----------------------------------------------------------------------------------- consequence (e), as stated


def test_the_team_members_on_the_entity_list_as_the_prose_states_them(listed: pd.DataFrame) -> None:
    team = audiences.load_national_ai_team()
    assert set(listed["company_key"]) <= set(team["company_key"]) and len(listed) >= 1
    assert (listed["listing_source"].str.strip() != "").all()
    rows = listed.set_index("company_key")
    assert set(OCTOBER_2019) <= set(rows.index)
    assert (rows.loc[OCTOBER_2019, "listed_after_joining"] == "yes").all()
    assert (rows.loc[OCTOBER_2019, "effective"] == "2019-10-09").all()
    assert rows.loc[["hikvision", "megvii", "yitu"], "date_announced"].eq("2019-08-29").all()
    assert rows.loc[OCTOBER_2019, "national_context"].str.contains("Xinjiang").all()
    assert (
        rows.at["huawei", "listed_after_joining"] == "no"
        and "national security" in rows.at["huawei", "national_context"]
    )
    assert (
        rows.at["qihoo360", "listed_after_joining"] == "yes"
        and "military end-use" in rows.at["qihoo360", "national_context"]
    )
    text = page.entity_list_sentence().data
    assert f"{listed['company_key'].nunique()} of the {len(team)} members" in text and "Xinjiang" in text


def test_box_e_of_the_map_says_what_the_count_does_not_show(plotting, listed: pd.DataFrame) -> None:
    """Issue 22: box (e) no longer presents the count as the mechanism "computed here"; it gives the count as sourced
    and how many listings cite Xinjiang, a reason other than ties to the state."""
    fig = page.argument_map()
    alt = figure_alt(fig)
    xinjiang = int(listed["national_context"].str.contains("Xinjiang").sum())
    assert f"{xinjiang} of them listed over Xinjiang" in alt and "computed here" not in alt
    assert "(e) sourced:" in alt
    plt.close(fig)


# ------------------------------------------------------------------------- candidate measures against the plan


def test_the_military_civil_fusion_commission_predates_the_plan_and_cannot_be_its_effect() -> None:
    measures = consequences.measures_against_plan(load_facts("extraordinary_measures")).set_index("measure_key")
    assert measures.at["mcf_commission", "date"] == "2017-01-22"
    assert measures.at["mcf_commission", "against_plan"] == "before"
    assert set(measures.loc[["new_whole_nation_system", "export_control_law"], "against_plan"]) == {"after"}
    text = page.before_the_plan_sentence().data
    assert (
        "Central Commission for Integrated Military and Civilian Development" in text and "cannot be its effect" in text
    )


def test_the_measures_table_is_whole() -> None:
    """Issue 22: the measures table is not truncated: every row, the Chinese name, the reasons and the sources."""
    shown = page.measures_table()
    facts = load_facts("extraordinary_measures")
    assert len(shown.frame) == len(facts)
    for column in ("measure (Chinese)", "why it would count (our reading)", "source", "against the 2017 plan"):
        assert column in shown.frame.columns
    assert "…" not in shown.markdown()


# ------------------------------------------------------------------------------------- instruments (Balzacq)


def _rule(doc_id: str, topic: str, issuer: str, text: str, *, level: str = "central") -> dict[str, object]:
    return {
        "doc_id": doc_id, "topic": topic, "issuer": issuer, "text": text, "chars": len(text), "level": level,
        "genre": "provisions", "language": "zh", "date": "2022-01-01", "title_en": doc_id, "title_zh": doc_id,
        "region": "national",
    }  # fmt: skip


CAC = "国家互联网信息办公室 (CAC)"


def test_instruments_are_counted_outside_citations_and_once_each() -> None:
    text = "提供者应当履行算法备案手续，并依照《具有舆论属性或者社会动员能力的互联网信息服务安全评估规定》办理。"
    counts = consequences.instrument_counts(pd.DataFrame([_rule("synthetic_ai", "ai", CAC, text)]))
    row = counts.iloc[0]
    assert row["算法备案"] == 1 and row["备案"] == 0  # 算法备案 is not counted again as 备案
    assert row["安全评估"] == 0 and row["具有舆论属性或者社会动员能力"] == 0  # inside a cited title: not set up here
    assert row["lead_issuer"] == "国家互联网信息办公室"


def test_an_instrument_is_extraordinary_only_against_the_same_issuers_rules_that_are_present() -> None:
    ai = _rule(
        "synthetic_ai", "ai", "国家互联网信息办公室、公安部 (CAC, MPS)", "应当履行算法备案手续。开展安全评估。约谈。"
    )
    control = _rule("synthetic_control", "control", CAC, "办理备案手续。开展安全评估。")
    other = _rule("synthetic_other_ai", "ai", "某部 (a ministry)", "处以罚款。")
    manifest = pd.DataFrame([ai, control, _rule("synthetic_missing", "control", CAC, "")]).drop(columns="text")
    counts = consequences.instrument_counts(pd.DataFrame([ai, control, other]))
    test = consequences.same_issuer_test(counts, manifest).set_index(["lead_issuer", "instrument"])
    cac = "国家互联网信息办公室"
    assert test.at[(cac, "安全评估"), "reading"] == consequences.READINGS["ordinary"]
    assert test.at[(cac, "算法备案"), "reading"] == consequences.READINGS["absent"]
    assert test.at[(cac, "约谈"), "controls_missing"] == "synthetic_missing"
    assert test.at[("某部", "罚款"), "reading"] == consequences.READINGS["unlisted"]
    # without the control text in the build, nothing is called extraordinary
    alone = consequences.same_issuer_test(consequences.instrument_counts(pd.DataFrame([ai])), manifest)
    assert set(alone["reading"]) == {consequences.READINGS["missing"]}


def test_the_cac_controls_of_the_manifest_are_the_same_issuer_test(plotting) -> None:
    manifest = load_manifest()
    ai = manifest[manifest["doc_id"] == "algorithm_recommendation_provisions_2021"].assign(
        text="应当履行算法备案手续。"
    )
    counts = consequences.instrument_counts(ai)
    test = consequences.same_issuer_test(counts, manifest)
    assert test["controls_listed"].tolist() == [8]
    assert "blockchain_information_services_provisions_2019" in test["controls_missing"].iloc[0]
    assert "CAC rules on blockchain information services" in page.same_issuer_sentence(counts, test, manifest).data
    # an AI rule that names no coded instrument: nothing to test, and the sentence says so (not "no AI rule")
    plain = consequences.instrument_counts(ai.assign(text="第一条 为了促进发展，制定本规定。"))
    none = page.same_issuer_sentence(plain, consequences.same_issuer_test(plain, manifest), manifest).data
    assert "No coded instrument occurs" in none
    assert "No coded instrument occurs" in page.cannot_show(plain, consequences.same_issuer_test(plain, manifest)).data


# ----------------------------------------------------------------------------------- a build without texts


def test_every_output_of_the_chapter_in_a_build_without_texts(plotting) -> None:
    manifest = load_manifest()
    counts = page.instrument_counts(EMPTY)
    test = page.same_issuer(counts, manifest)
    assert counts.empty and test.empty
    tables = [
        page.article_claims_table(ledger.evaluate_ledger(EMPTY)),
        page.mechanisms_table(),
        page.evidence_table(),
        page.entity_list_table(),
        page.reasons_table(),
        page.instrument_rules_table(),
        page.instrument_summary_table(counts),
        page.instrument_counts_table(counts),
        page.same_issuer_table(test, manifest),
        page.measures_table(),
    ]
    assert len({t.name for t in tables}) == len(tables) and all(t.caption for t in tables)
    assert NO_ROWS in page.instrument_counts_table(counts).markdown()
    assert NO_ROWS in page.same_issuer_table(test, manifest).markdown()
    assert "Not reproducible here" in page.instrument_summary_sentence(counts, manifest).data
    assert "Not reproducible here" in page.same_issuer_sentence(counts, test, manifest).data
    assert "no AI rule is available" in page.cannot_show(counts, test).data
