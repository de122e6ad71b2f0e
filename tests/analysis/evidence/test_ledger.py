"""Tests of analysis.evidence.ledger: parsing, validation, evaluation (synthetic ledgers and fact tables) and the real ledger."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.evidence import bounds, facts, ledger
from analysis.evidence.ledger import LedgerError
from analysis.io import dates
from analysis.io.text import text_sha256

HEADER = (
    "claim_id,section,claim,article_value,method,params,article_ref,tier,from_footnote,explanation,"
    "difference_explanation,difference_sha256\n"
)


def write(folder, name, body):
    path = folder / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_parse_params():
    assert ledger.parse_params("doc=ngaidp_2017;term=安全;rule=inclusive") == {
        "doc": "ngaidp_2017",
        "term": "安全",
        "rule": "inclusive",
    }
    assert ledger.parse_params("table=t;where=step=1;column=year")["where"] == "step=1"
    assert ledger.parse_params("") == {}
    assert ledger.parse_params(" table = t ; ") == {"table": "t"}
    with pytest.raises(ValueError, match="not key=value"):
        ledger.parse_params("table")
    with pytest.raises(ValueError, match="twice"):
        ledger.parse_params("a=1;a=2")


def test_values_equal():
    assert bounds.values_equal("16", "16")
    assert bounds.values_equal("1,000", "1000")
    assert not bounds.values_equal("48", "47")
    assert bounds.values_equal("2017", "2017-01-22")
    assert bounds.values_equal("July 2017", "2017-07-20")
    assert bounds.values_equal("May 2016", "2016-05")
    assert not bounds.values_equal("May 2016", "2016-06-01")
    assert not bounds.values_equal("2017", "2018-01-01")
    assert not bounds.values_equal("2017-07", "2017")  # a coarser reproduced date does not confirm a finer claim
    assert bounds.values_equal("Xi Jinping", " xi jinping ")
    assert dates.as_iso_date("20 July 2017") == "2017-07-20"
    assert dates.as_iso_date("Julember 2017") is None


def test_load_ledger_orders_files_and_rows(tmp_path):
    write(tmp_path, "b.csv", "b-1,4,c,1,not_computable,,ref,core,no,why,,\n")
    write(
        tmp_path, "a.csv", "a-2,3,c,1,not_computable,,ref,core,no,why,,\na-1,3,c,1,not_computable,,ref,core,no,why,,\n"
    )
    df = ledger.load_ledger(tmp_path)
    assert df["claim_id"].tolist() == ["a-2", "a-1", "b-1"]
    assert df["file"].tolist() == ["a.csv", "a.csv", "b.csv"]
    assert df["line"].tolist() == [2, 3, 2]
    assert df["params_parsed"].tolist() == [{}, {}, {}]


def test_duplicate_claim_ids_name_both_places(tmp_path):
    write(tmp_path, "a.csv", "x-1,3,c,1,not_computable,,ref,core,no,why,,\n")
    write(
        tmp_path, "b.csv", "y-1,3,c,1,not_computable,,ref,core,no,why,,\nx-1,3,c,1,not_computable,,ref,core,no,why,,\n"
    )
    with pytest.raises(LedgerError) as err:
        ledger.load_ledger(tmp_path)
    msg = str(err.value)
    assert "b.csv, line 3, claim_id='x-1': already used at" in msg and "a.csv, line 2" in msg


def test_bad_header(tmp_path):
    (tmp_path / "a.csv").write_text("claim_id,section,claim\nx,3,c\n", encoding="utf-8")
    with pytest.raises(LedgerError, match=r"a\.csv, line 1: the header must be"):
        ledger.load_ledger(tmp_path)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,3,c,1,guess,,ref,core,no,,,\n", "method='guess': is not one of term_count"),
        ("x,3,c,1,term_count,doc=d;term=安全,ref,core,no,,,\n", "needs params rule"),
        ("x,3,c,1,term_count,doc=d;term=安全;rule=fuzzy,ref,core,no,,,\n", "rule 'fuzzy'"),
        ("x,3,c,1,fact_count,table=t;colour=red,ref,core,no,,,\n", "does not take params colour"),
        ("x,3,c,1,fact_value,table=t;where=step;column=year,ref,core,no,,,\n", "must be <column>=<value>"),
        ("x,3,c,1,not_computable,,ref,core,no,,,\n", "needs an explanation"),
        ("x,3,c,,term_count,doc=d;term=安全;rule=net,ref,core,no,,,\n", "article_value is empty"),
        ("x y,3,c,1,not_computable,,ref,core,no,why,,\n", "claim_id"),
        ("x,3,c,1,term_count,doc,ref,core,no,,,\n", "not key=value"),
    ],
)
def test_row_errors_name_file_and_line(tmp_path, row, message):
    path = write(tmp_path, "s.csv", "ok-1,3,c,1,not_computable,,ref,core,no,why,,\n" + row)
    with pytest.raises(LedgerError) as err:
        ledger.load_ledger(tmp_path)
    assert f"{path}: line 3" in str(err.value)
    assert message in str(err.value)


def test_empty_folder(tmp_path):
    with pytest.raises(LedgerError, match="no ledger files"):
        ledger.load_ledger(tmp_path)


@pytest.fixture
def synthetic_facts(tmp_path, monkeypatch, declare_fact_table):
    """A synthetic fact table in a temporary facts folder, declared in the schema registry."""
    folder = tmp_path / "facts"
    folder.mkdir()
    (folder / "synthetic_steps.csv").write_text(
        "step,year,kind,source,checked\n1,2020,a,synthetic,yes\n2,2025,a,synthetic,yes\n3,2030,b,synthetic,yes\n"
        "4,2035,c,synthetic,no\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(facts, "FACTS_DIR", folder)
    declare_fact_table("synthetic_steps")
    return folder


def test_evaluate_ledger_statuses(tmp_path, synthetic_facts):
    folder = tmp_path / "ledger"
    folder.mkdir()
    write(
        folder,
        "s.csv",
        "t-ok,3,c,2,term_count,doc=synthetic_doc;term=安全;rule=inclusive,ref,core,no,,,\n"
        "t-net,3,c,1,term_count,doc=synthetic_doc;term=安全;rule=net,ref,core,no,,,\n"
        "t-diff,3,c,5,term_count,doc=synthetic_doc;term=国防;rule=inclusive,ref,core,no,,,\n"
        "t-diff-explained,3,c,5,term_count,doc=synthetic_doc;term=国防;rule=token,ref,core,no,the article counts differently,,\n"
        "t-missing,3,c,5,term_count,doc=absent_doc;term=国防;rule=inclusive,ref,core,no,,,\n"
        "f-count,3,c,3,fact_count,table=synthetic_steps;where=kind=a,ref,core,no,,,\n"
        "f-unchecked,3,c,4,fact_count,table=synthetic_steps,ref,core,no,,,\n"
        "f-count-where,3,c,2,fact_count,table=synthetic_steps;where=kind=a,ref,core,no,,,\n"
        "f-unchecked-value,3,c,2035,fact_value,table=synthetic_steps;where=step=4;column=year,ref,core,no,,,\n"
        "f-value,3,c,2025,fact_value,table=synthetic_steps;where=step=2;column=year,ref,core,no,,,\n"
        "f-no-table,3,c,1,fact_count,table=not_there,ref,core,no,,,\n"
        "n-1,3.1,c,9,not_computable,,ref,core,no,the data are not published,,\n",
    )
    corpus = {"synthetic_doc": "国家安全与安全，国防"}
    out = ledger.evaluate_ledger(corpus, ledger=ledger.load_ledger(folder)).set_index("claim_id")
    assert out.loc["t-ok", ["reproduced_value", "status"]].tolist() == ["2", "reproduced"]
    assert out.loc["t-net", ["reproduced_value", "status"]].tolist() == ["1", "reproduced"]
    assert out.loc["t-diff", "status"] == "differs"
    sha = text_sha256(corpus["synthetic_doc"])[:12]
    assert out.loc["t-diff", "explanation"].endswith(
        f"1, the article reports 5; no explanation of the difference was written for this text (SHA-256 {sha})"
    )
    assert out.loc["t-diff-explained", "status"] == "differs"
    assert (
        "; the article counts differently; no explanation of the difference"
        in out.loc["t-diff-explained", "explanation"]
    )
    assert out.loc["t-missing", "status"] == "not reproducible here"
    assert (
        out.loc["t-missing", "explanation"]
        == "not reproducible here: document absent_doc is not available in this build"
    )
    # Values read from a sourced fact table corroborate; only a primary text reproduces.
    assert out.loc["f-count", ["reproduced_value", "status"]].tolist() == ["2", "differs"]
    # A value resting on a row not checked in its source is never corroborated; the rows are named.
    for claim in ("f-unchecked", "f-unchecked-value"):
        assert out.loc[claim, ["reproduced_value", "status"]].tolist() == ["", "not reproducible here"]
        assert "not checked in their source (synthetic_steps:4)" in out.loc[claim, "explanation"]
        assert "which would agree with the article's" in out.loc[claim, "explanation"]
    assert out.loc["f-count-where", ["reproduced_value", "status"]].tolist() == ["2", "corroborated"]
    assert out.loc["f-value", ["reproduced_value", "status"]].tolist() == ["2025", "corroborated"]
    assert out.loc["f-value", "source"] == "synthetic"
    assert (
        out.loc["f-count", "source"].endswith("synthetic_steps.csv")
        and out.loc["t-ok", "source"] == "corpus document synthetic_doc"
    )
    assert out.loc["t-missing", "source"] == ""
    assert out.loc["f-no-table", "status"] == "not reproducible here"
    assert out.loc["n-1", "explanation"] == "not reproducible here: the data are not published"
    assert set(out["status"]) <= set(ledger.STATUSES)

    summary = ledger.status_summary(out.reset_index())
    assert summary.index.tolist() == ["3", "3.1"]
    assert summary.columns.tolist() == [*ledger.STATUSES, "total"]
    assert summary.loc["3"].tolist() == [2, 2, 3, 4, 11]  # reproduced, corroborated, differs, not reproducible, total
    assert summary["total"].sum() == len(out)


def test_an_explanation_of_a_difference_is_shown_only_for_the_text_it_was_written_for(tmp_path):
    """Dissent is a result: a reader's text that differs builds, and our explanation appears only for the exact text
    (by its SHA-256) it was written for; any other text gets the sentence saying no explanation was written for it."""
    written_for = "合成测试：国防。"  # synthetic
    sha = text_sha256(written_for)
    folder = tmp_path / "ledger"
    folder.mkdir()
    write(
        folder,
        "s.csv",
        f"t,3,c,5,term_count,doc=synthetic_doc;term=国防;rule=inclusive,ref,core,no,,the edition counts headings,{sha[:16]}\n",
    )
    table = ledger.load_ledger(folder)
    same = ledger.evaluate_ledger({"synthetic_doc": written_for}, ledger=table).iloc[0]
    assert same["status"] == "differs" and same["explanation"].endswith(
        "1, the article reports 5; the edition counts headings"
    )
    other = ledger.evaluate_ledger({"synthetic_doc": "合成测试：国防，国防。"}, ledger=table).iloc[0]
    assert other["status"] == "differs" and "the edition counts headings" not in other["explanation"]
    assert other["explanation"].endswith(
        f"2, the article reports 5; no explanation of the difference was written for this text "
        f"(SHA-256 {text_sha256('合成测试：国防，国防。')[:12]})"
    )
    agreeing = ledger.evaluate_ledger({"synthetic_doc": "国防" * 5}, ledger=table).iloc[0]
    assert agreeing["status"] == "reproduced" and "headings" not in agreeing["explanation"]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("the reason,abc", r"difference_sha256='abc': does not have the form .* \(12 to 64 lower-case hex digits"),
        ("the reason,", "give both or neither"),
        (",0123456789ab", "give both or neither"),
    ],
)
def test_difference_explanations_are_checked(tmp_path, cells, message):
    path = write(tmp_path, "s.csv", f"t,3,c,5,term_count,doc=d;term=国防;rule=inclusive,ref,core,no,,{cells}\n")
    with pytest.raises(LedgerError, match=message) as err:
        ledger.load_ledger(tmp_path)
    assert f"{path}: line 2" in str(err.value)


def test_a_difference_explanation_needs_a_text_claim(tmp_path):
    write(tmp_path, "s.csv", "f,3,c,5,fact_count,table=t,ref,core,no,,why,0123456789ab\n")
    with pytest.raises(LedgerError, match="reads none"):
        ledger.load_ledger(tmp_path)


def test_fact_value_must_match_exactly_one_row(tmp_path, synthetic_facts):
    folder = tmp_path / "ledger"
    folder.mkdir()
    write(folder, "s.csv", "f,3,c,2020,fact_value,table=synthetic_steps;where=kind=a;column=year,ref,core,no,,,\n")
    with pytest.raises(facts.FactTableError, match="matches 2 rows"):
        ledger.evaluate_ledger({}, ledger=ledger.load_ledger(folder))
    write(folder, "s.csv", "f,3,c,2020,fact_value,table=synthetic_steps;where=colour=a;column=year,ref,core,no,,,\n")
    with pytest.raises(facts.FactTableError, match="no column 'colour'"):
        ledger.evaluate_ledger({}, ledger=ledger.load_ledger(folder))


def test_section_order():
    df = pd.DataFrame({"section": ["10", "3.2", "3", "4", "3.10"], "status": ["reproduced"] * 5})
    assert ledger.status_summary(df).index.tolist() == ["3", "3.2", "3.10", "4", "10"]


# --- the real ledger --------------------------------------------------------------------------


def test_real_ledger_loads_and_section3_is_complete():
    df = ledger.load_ledger()
    assert df["claim_id"].is_unique
    s3 = df[df["file"] == "section3_labelling.csv"].set_index("claim_id")
    expected = {
        ("internet_plus_ai_2016", "安全"): "16",
        ("internet_plus_ai_2016", "网络安全"): "5",
        ("internet_plus_ai_2016", "国家安全"): "0",
        ("ngaidp_2017", "安全"): "48",
        ("ngaidp_2017", "国家安全"): "8",
        ("ngaidp_2017", "国防"): "11",
    }
    counts = s3[s3["method"] == "term_count"]
    found = {(p["doc"], p["term"]): v for p, v in zip(counts["params_parsed"], counts["article_value"], strict=False)}
    assert found == expected
    years = s3[s3["params"].str.startswith("table=ngaidp_three_steps;")]["article_value"].tolist()
    assert years == ["2020", "2025", "2030"]


def test_real_ledger_evaluates_every_claim():
    out = ledger.evaluate_ledger({})  # no documents: every count is "not reproducible here"
    assert out["status"].isin(ledger.STATUSES).all()
    assert (out["explanation"].str.strip() != "").all()
    counts = out[out["method"] == "term_count"]
    assert (counts["status"] == "not reproducible here").all()
    s3_facts = out[(out["file"] == "section3_labelling.csv") & out["method"].isin(["fact_value", "fact_count"])]
    assert (s3_facts["status"] == "corroborated").all(), s3_facts[["claim_id", "status", "explanation"]].to_string()


def test_term_count_claims_table_labels_article_values_and_missing_documents():
    evaluated = ledger.evaluate_ledger({})  # an empty corpus: every term_count claim is not reproducible
    table = ledger.term_count_claims(evaluated, {"ngaidp_2017": "2017 plan"}, file="section3_labelling.csv")
    assert len(table) >= 6 and "2017 plan" in table.index
    assert set(table["computed in this build"]) == {"—"}
    assert set(table["status"]) == {"not reproducible here"}
    plan = table.loc["2017 plan"].set_index("term_zh")
    assert plan.loc["安全", "as reported by the article"] == "48"
    assert plan.loc["安全", "gloss_en"] != ""


def test_english_term_count_claims_use_the_english_matching_rule():
    row = pd.Series(
        {
            "claim_id": "synthetic-en",
            "method": "term_count",
            "article_value": "2",
            "params": "doc=synthetic_us;term=national security;rule=inclusive",
            "explanation": "",
        }
    )
    text = "National security matters. NATIONAL-SECURITY again; nationalsecurity is not a match."  # synthetic
    value, status, _, _ = ledger.evaluate_claim(row, {"synthetic_us": text})
    assert (value, status) == ("2", "reproduced")


# ---------------------------------------------------------------------------------------------
# The new methods, on synthetic texts (a finding against the article is a status, never a failure)
# ---------------------------------------------------------------------------------------------

SYNTHETIC_LOCAL = {  # synthetic texts for manifest doc_ids; invented, not the documents
    "guangdong_2018_ai_plan": "合成测试文本：维护国家安全，发展智能产业。",
    "zhejiang_2017_ai_plan": "合成测试文本：发展智能经济。",
    "anhui_2018_ai_plan": "合成测试文本：发展智能产业。",
    "shenzhen_data_regulation_2021": "合成测试文本（对照文本）：国家安全。",  # topic control: never counted
}


def _claim(cid: str) -> pd.Series:
    df = ledger.load_ledger()
    return df.set_index("claim_id").loc[cid].rename(cid).to_frame().T.reset_index(names="claim_id").iloc[0]


def test_local_plan_mentions_use_only_ai_documents() -> None:
    from analysis.corpus import load_manifest

    table = ledger.local_plan_mentions(SYNTHETIC_LOCAL, load_manifest())
    assert table["doc_id"].tolist() == ["anhui_2018_ai_plan", "guangdong_2018_ai_plan", "zhejiang_2017_ai_plan"]
    assert table["count"].tolist() == [0, 1, 0]


def test_local_claims_compute_on_whatever_texts_are_present() -> None:
    value, status, explanation, _ = ledger.evaluate_claim(
        _claim("s4-local-plans-rarely-national-security"), SYNTHETIC_LOCAL
    )
    assert (value, status) == ("0.33", ledger.REPRODUCED) and "1 of 3 local AI plans" in explanation
    assert ledger.evaluate_claim(_claim("s4-guangdong-exception"), SYNTHETIC_LOCAL)[:2] == ("1", ledger.REPRODUCED)
    # Against the article: every local plan names national security, Guangdong none. A status, not an error.
    against = {k: ("国家安全" if k != "guangdong_2018_ai_plan" else "合成测试") for k in SYNTHETIC_LOCAL}
    assert ledger.evaluate_claim(_claim("s4-local-plans-rarely-national-security"), against)[1] == ledger.DIFFERS
    assert ledger.evaluate_claim(_claim("s4-guangdong-exception"), against)[1] == ledger.DIFFERS
    # No local text at all: not reproducible here, saying which texts would decide it.
    value, status, explanation, _ = ledger.evaluate_claim(_claim("s4-local-plans-rarely-national-security"), {})
    assert (value, status) == ("", ledger.NOT_REPRODUCIBLE)
    assert "none of the 35 local AI plans of the manifest is available" in explanation


def test_a_local_regulation_is_not_a_local_plan() -> None:
    """Shenzhen's 2022 AI regulation is a law, not one of the plans the article's section 4 speaks of (P1)."""
    regulation = {"shenzhen_ai_industry_regulation_2022": "合成测试：除涉及国家安全外，国家安全，国家安全。"}
    value, status, _, _ = ledger.evaluate_claim(_claim("s4-local-plans-rarely-national-security"), regulation)
    assert (value, status) == ("", ledger.NOT_REPRODUCIBLE)


def test_terms_present_and_near() -> None:
    claim = _claim("s32-standards-by-2020")
    assert ledger.evaluate_claim(claim, {"ngaidp_2017": "到2020年，初步建立技术标准。"})[:2] == ("1", ledger.REPRODUCED)
    assert ledger.evaluate_claim(claim, {"ngaidp_2017": "到2020年。\n另一行：标准。"})[:2] == ("0", ledger.DIFFERS)
    tech = _claim("s31-fourth-revolution-technologies")
    text = "合成测试：人工智能、物联网、云计算、大数据、新能源、3D打印。"
    assert ledger.evaluate_claim(tech, {"xi_2016_tech_power_speech": text})[:2] == ("6", ledger.REPRODUCED)
    assert ledger.evaluate_claim(tech, {"xi_2016_tech_power_speech": "合成测试：人工智能。"})[:2] == (
        "1",
        ledger.DIFFERS,
    )


def test_join_ratio_and_timing_are_corroborated_from_sourced_tables() -> None:
    assert ledger.evaluate_claim(_claim("s6-team-sanctioned"), {})[:2] == ("7", ledger.CORROBORATED)
    value, status, _, source = ledger.evaluate_claim(_claim("s4-internet-users-ratio"), {})
    assert (value, status) == ("2.91", ledger.CORROBORATED) and "cnnic" in source.lower()
    # "Right after" rests on the manifest's issue dates, none checked in its source yet: not reproducible here.
    value, status, explanation, _ = ledger.evaluate_claim(_claim("s5-local-plans-right-after"), {})
    assert (value, status) == ("", ledger.NOT_REPRODUCIBLE)
    assert "not checked in their source (manifest:" in explanation and "within 12 months" in explanation
    # The bound rule: "over 15" is not confirmed by a count of exactly 15.
    assert ledger.evaluate_claim(_claim("s4-team-size"), {})[:2] == ("15", ledger.DIFFERS)


def test_every_claim_has_a_tier_and_the_core_tier_is_the_argument() -> None:
    df = ledger.load_ledger()
    assert set(df["tier"]) == set(ledger.TIERS)
    core = set(df.loc[df["tier"] == "core", "claim_id"])
    assert {"s3-ngaidp2017-anquan", "s3-ipai2016-anquan", "s4-local-plans-rarely-national-security"} <= core
    assert set(df["from_footnote"]) == {"yes", "no"}
    claims = df.set_index("claim_id")
    # the audit's corrections (issue 25): a footnote's exception is supporting; a definition is context
    assert claims.at["s4-guangdong-exception", "from_footnote"] == "yes"
    assert claims.at["s4-guangdong-exception", "tier"] == "supporting"
    assert claims.at["s3-speech-acts", "tier"] == "context"
    assert claims.loc[["s4-guangdong-exception", "s4-local-plans-rarely-national-security"], "section"].tolist() == [
        "4",
        "4",
    ]
    assert claims.loc[["s33-american-ai-initiative-2019", "s33-gdpr-2016"], "from_footnote"].tolist() == ["yes", "yes"]
    assert {"s4-team-field-baidu", "s4-team-field-alibaba", "s4-team-field-iflytek"} <= set(claims.index)
    assert {"s31-13fyp-ai-with-5g-bigdata-cloud", "s2-hansen-nissenbaum-estonia-2007"} <= set(claims.index)


def test_local_timing_reads_dates_at_their_precision_and_needs_them_checked(monkeypatch) -> None:
    from analysis.corpus import load_manifest
    from analysis.evidence.methods import Context

    manifest = load_manifest()
    plans = manifest["doc_id"].isin(["guangdong_2018_ai_plan", "shanghai_2017_ai_opinions", "yunnan_2019_ai_plan"])
    manifest = manifest[plans | (manifest["level"] == "central")].reset_index(drop=True)
    claim = _claim("s5-local-plans-right-after")
    ctx = Context({}, _manifest=manifest)
    value, status, explanation, _ = ledger.evaluate_claim(claim, {}, ctx=ctx)
    assert status == ledger.NOT_REPRODUCIBLE and "3 of the rows it rests on are not checked" in explanation
    checked = manifest.copy()
    checked["date_source"] = "synthetic: seen on the issuer's page"
    value, status, explanation, _ = ledger.evaluate_claim(claim, {}, ctx=Context({}, _manifest=checked))
    # Shanghai (2017-10-26) falls within 12 months of 2017-07-20; Guangdong (2018-07-23, three days late) and
    # Yunnan (2019-11-18) do not: with checked dates the claim is computed, and here it differs.
    assert (value, status) == ("0.33", ledger.DIFFERS) and "1 of 3 local AI plans" in explanation
    shanghai_only = checked[~checked["doc_id"].isin(["guangdong_2018_ai_plan", "yunnan_2019_ai_plan"])]
    value, status, _, _ = ledger.evaluate_claim(claim, {}, ctx=Context({}, _manifest=shanghai_only))
    assert (value, status) == ("1.00", ledger.CORROBORATED)


def test_claim_sentence_gives_the_status_and_the_reason_once() -> None:
    text = ledger.claim_sentence("s5-local-plans-right-after")
    assert text.startswith("*not reproducible here*: ") and text.count("not reproducible here") == 1
    assert text.endswith(".") and "within 12 months" in text
    with pytest.raises(KeyError, match="no claim"):
        ledger.claim_sentence("no-such-claim")
