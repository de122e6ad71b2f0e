"""Tests of analysis.evidence.beyond (the book's own findings): addressees, exceptionality grammar, clause provenance.

Every text here is synthetic, written for the test (named "synthetic_…"), with a known answer; no primary text is
used. The analyses must also say plainly what they cannot show when there is no text."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.evidence import ledger
from analysis.evidence.beyond import addressees, common, grammar, provenance


def _doc(doc_id: str, topic: str, text: str, date: str = "2023-01-01", level: str = "central") -> dict[str, str]:
    genre = "law" if topic == "reference" else "measures"
    return {"doc_id": doc_id, "topic": topic, "language": "zh", "level": level, "genre": genre, "date": date,
            "issuer": "合成机关 (synthetic issuer)", "title_en": f"synthetic {doc_id}", "text": text}  # fmt: skip


def _corpus(*docs: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(list(docs))


EMPTY = _corpus().reindex(columns=list(common.DOCUMENT_COLUMNS))

# ------------------------------------------------------------------------------------------------ the texts


def test_chinese_documents_keeps_the_compared_topics_by_date() -> None:
    corpus = _corpus(
        _doc("synthetic_b", "ai", "合成。", "2024-01-01"),
        _doc("synthetic_a", "control", "合成。", "2022-01-01"),
        _doc("synthetic_law", "reference", "合成。", "2016-01-01"),
        {**_doc("synthetic_en", "ai", "synthetic"), "language": "en"},
    )
    docs = common.chinese_documents(corpus)
    assert list(docs["doc_id"]) == ["synthetic_a", "synthetic_b"]  # no reference law, no English text
    assert list(common.chinese_documents(corpus, topics=("reference",))["doc_id"]) == ["synthetic_law"]
    assert common.chinese_documents(EMPTY).empty
    with pytest.raises(ValueError, match="needs the manifest"):
        common.chinese_documents({"synthetic_a": "合成"})
    with pytest.raises(ValueError, match="not in the manifest: synthetic_a"):
        common.chinese_documents({"synthetic_a": "合成"}, pd.DataFrame({"doc_id": ["other"]}))


def test_rule_spans_keep_the_first_listed_of_overlapping_matches() -> None:
    rules = pd.DataFrame({"pattern": ["统筹发展和安全", "发展和安全"], "marker": ["long", "short"]})
    spans = common.rule_spans("统筹发展和安全，发展和安全。", rules, "marker")
    assert list(spans["marker"]) == ["long", "short"] and list(spans["start"]) == [0, 8]


def test_a_bad_rule_file_names_the_file_and_line(tmp_path) -> None:
    bad = tmp_path / "synthetic_markers.csv"
    bad.write_text(
        "kind,marker,pattern,example,pinyin,gloss_en,rationale\n"
        "priority,红线,红线,红线,hóngxiàn,red line,a limit\n"
        "priority,底线,底线(,底线,dǐxiàn,bottom line,a floor\n"
        "balancing,包容审慎,包容审慎,审慎,bāoróng shěnshèn,inclusive and prudent,light touch\n",
        encoding="utf-8",
    )
    with pytest.raises(grammar.GrammarRuleError) as err:
        grammar.load_markers(bad)
    message = str(err.value)
    assert (
        str(bad) in message and "line 3" in message and "line 4" in message and "does not match its example" in message
    )


def test_the_committed_rule_files_load() -> None:
    assert set(grammar.load_markers()["kind"]) == set(grammar.KINDS)
    assert set(addressees.load_addressee_rules()["addressee"]) == set(addressees.ADDRESSEES)


# -------------------------------------------------------------------------------------- exceptionality grammar


def test_markers_are_counted_once_outside_names() -> None:
    text = (
        "合成测试：国家坚持统筹发展和安全。单位负责人为数据安全第一责任人。守住红线。依照《关于包容审慎监管的规定》。"
    )
    spans = grammar.marker_spans(text)
    assert list(spans["marker"]) == ["统筹发展和安全", "红线"]  # not 发展和安全 again; 安全第一责任人 is no marker
    assert list(spans["kind"]) == ["balancing", "priority"]  # 包容审慎 inside a cited title is not counted


def test_grammar_counts_and_summary_compare_ai_with_control() -> None:
    corpus = _corpus(
        _doc("synthetic_ai_1", "ai", "合成：坚持发展和安全并重，实行包容审慎监管。"),
        _doc("synthetic_ai_2", "ai", "合成：守住安全底线，刻不容缓。"),
        _doc("synthetic_control", "control", "合成：推进数据开放。"),
        _doc("synthetic_law", "reference", "合成：统筹发展和安全。"),
    )
    counts = grammar.grammar_counts(corpus).set_index("doc_id")
    assert list(counts.index) == ["synthetic_ai_1", "synthetic_ai_2", "synthetic_control"]
    assert counts.loc["synthetic_ai_1", ["priority", "balancing"]].tolist() == [0, 2]
    assert counts.loc["synthetic_ai_2", "priority_markers"] == "底线 ×1; 刻不容缓 ×1"  # in order of first use
    summary = grammar.grammar_summary(counts.reset_index()).set_index(["topic", "kind"])
    assert summary.loc[("ai", "priority"), ["texts", "texts_using", "occurrences"]].tolist() == [2, 1, 2]
    assert summary.loc[("control", "balancing"), "occurrences"] == 0
    assert grammar.kind_value(counts.reset_index(), "ai", "balancing", "texts") == (1, 2)
    strata = grammar.stratum_summary(counts.reset_index()).set_index(["topic", "level_group", "genre_group"])
    assert strata.loc[("ai", "central", "rules"), ["texts", "priority_texts", "balancing_texts"]].tolist() == [2, 1, 1]
    table = grammar.marker_table(counts.reset_index()).set_index("marker")
    assert table.loc["包容审慎", ["ai_occurrences", "ai_texts", "control_texts"]].tolist() == [1, 1, 0]
    text = grammar.paragraph(counts.reset_index())
    assert "priority markers occur 2 times in 1 of them" in text and "balancing formulas occur 0 times in 0" in text


def test_grammar_with_no_text_says_so() -> None:
    counts = grammar.grammar_counts(EMPTY)
    assert counts.empty and list(counts.columns) == list(grammar.TEXT_COLUMNS)
    assert grammar.grammar_summary(counts)["texts"].eq(0).all() and grammar.reader_strata(counts).empty
    assert grammar.paragraph(counts).startswith("Not reproducible here")


# ------------------------------------------------------------------------------------------------ addressees

SYNTHETIC_NOTICE = (
    "合成测试关于开展测试工作的通知\n"
    "各省、自治区、直辖市工业和信息化主管部门，有关中央企业：\n"
    "现将有关事项通知如下：\n"
    "一、加强安全管理。\n"
    "二、督促企业落实安全责任。\n"
)
SYNTHETIC_RULE = (
    "合成测试办法\n"
    "第一条为了维护国家安全，制定本办法。\n"
    "第二条\n"
    "国家坚持发展和安全并重。\n"
    "提供者应当遵守以下规定：\n"
    "（一）保障数据安全；\n"
    "（二）依照《网络安全法》处理。\n"
    "县级以上人民政府应当维护国家安全。\n"
    "督促企业落实安全责任。\n"
    "任何组织和个人应当保障数据安全。\n"
)


def test_a_notice_is_addressed_to_its_recipients() -> None:
    head = addressees.recipients(SYNTHETIC_NOTICE)
    assert head is not None and head[2] == ["local_government", "enterprise"]
    clauses = addressees.clause_addressees(SYNTHETIC_NOTICE)
    assert clauses["basis"].tolist()[1] == "recipient line"
    body = clauses[clauses["anquan"] > 0]
    assert body["addressee"].tolist() == ["local_government", "local_government"]  # 督促企业: the firms are objects
    assert body["basis"].tolist() == ["recipients", "recipients"]


def test_a_rule_names_its_subjects() -> None:
    clauses = addressees.clause_addressees(SYNTHETIC_RULE)
    assert "第二条" not in [SYNTHETIC_RULE[s:e] for s, e in zip(clauses["start"], clauses["end"], strict=True)]
    got = [(a, b, int(k), int(n)) for a, b, k, n in zip(clauses["addressee"], clauses["basis"], clauses["anquan"],
                                                       clauses["national_security"], strict=True)]  # fmt: skip
    assert got == [
        ("none", "none", 0, 0),  # the title
        ("state", "named", 1, 1),  # a purpose clause
        ("state", "named", 1, 0),  # 国家坚持
        ("provider", "named", 0, 0),  # the lead-in …
        ("provider", "chapeau", 1, 0),  # … gives its items their addressee
        ("provider", "chapeau", 0, 0),  # 《网络安全法》 is a name: no 安全 counted
        ("local_government", "named", 1, 1),
        ("none", "none", 1, 0),  # 督促企业: no subject named
        ("everyone", "named", 1, 0),
    ]
    assert clauses.loc[6, "vocabulary"] == 1  # 国家安全 counted once as security vocabulary


def test_addressee_summary_and_paragraph() -> None:
    corpus = _corpus(
        _doc("synthetic_rule", "ai", SYNTHETIC_RULE), _doc("synthetic_notice", "control", SYNTHETIC_NOTICE)
    )
    clauses = addressees.addressee_table(corpus)
    summary = addressees.addressee_summary(clauses).set_index(["topic", "addressee"])
    assert summary.loc[("ai", "provider"), "anquan"] == 1 and summary.loc[("ai", "local_government"), "anquan"] == 1
    assert summary.loc[("ai", "local_government"), "anquan_share"] == pytest.approx(1 / 6)
    assert summary.loc[("control", "local_government"), "anquan"] == 2
    assert addressees.share_of(clauses, "ai", ["local_government"], "national_security") == (1, 2)
    table = addressees.document_recipients(corpus).set_index("doc_id")
    assert table.loc["synthetic_notice", "recipients"] == "local_government;enterprise"
    assert table.loc["synthetic_rule", "recipients"] == ""
    text = addressees.paragraph(clauses, table.reset_index())
    assert "In the AI texts, 6 occurrences of 安全" in text and "1 of their 2 国家安全" in text


def test_addressees_with_no_text_say_so() -> None:
    clauses = addressees.addressee_table(EMPTY)
    assert clauses.empty and list(clauses.columns) == list(addressees.CLAUSE_COLUMNS)
    assert addressees.addressee_summary(clauses)["clauses"].eq(0).all()
    assert addressees.paragraph(clauses, addressees.document_recipients(EMPTY)).startswith("Not reproducible here")


# ------------------------------------------------------------------------------------------------ provenance

SYNTHETIC_LAW = "第一条为了保障网络运行，维护国家安全和社会公共利益，制定本法。"
SYNTHETIC_AI = "第一条为了维护国家安全和社会公共利益，制定本办法。第二条提供者应当建立人工智能安全评估制度。依照《网络安全法》。安全。"


def _sources(*docs: dict[str, str]) -> list[provenance.Source]:
    return provenance.load_sources(common.chinese_documents(_corpus(*docs), topics=provenance.SOURCE_TOPICS))


def test_each_occurrence_is_traced_to_the_earliest_earlier_source() -> None:
    law = _doc("synthetic_law", "reference", SYNTHETIC_LAW, "2016-01-01")
    table = provenance.occurrence_provenance(SYNTHETIC_AI, "2020-01-01", _sources(law), doc_id="synthetic_ai")
    assert table["status"].tolist() == ["reference", "new", "name", "short"]
    assert table.loc[0, "source"] == "synthetic_law" and "国家安全" in table.loc[0, "phrase"]
    # A text issued before the law cannot inherit from it.
    early = provenance.occurrence_provenance(SYNTHETIC_AI, "2015-06", _sources(law), doc_id="synthetic_ai")
    assert early["status"].tolist()[0] == "new"
    # Two sources share the phrase: the earlier one takes it, whatever its topic.
    control = _doc("synthetic_control", "control", SYNTHETIC_LAW, "2014-01-01")
    both = provenance.occurrence_provenance(SYNTHETIC_AI, "2020-01-01", _sources(law, control))
    assert (both.loc[0, "status"], both.loc[0, "source"]) == ("control", "synthetic_control")
    undated = provenance.occurrence_provenance(SYNTHETIC_AI, "2020-01-01", _sources({**law, "date": ""}))
    assert undated["status"].tolist()[0] == "new"


def test_provenance_summaries_and_ledger_values() -> None:
    corpus = _corpus(
        _doc("synthetic_law", "reference", SYNTHETIC_LAW, "2016-01-01"),
        _doc("synthetic_ai", "ai", SYNTHETIC_AI, "2020-01-01"),
        _doc("synthetic_control", "control", "第三条应当维护国家安全和社会公共利益。", "2018-01-01"),
    )
    table = provenance.provenance_table(corpus)
    assert list(dict.fromkeys(table["doc_id"])) == ["synthetic_control", "synthetic_ai"]  # by date; no law as target
    texts = provenance.text_summary(table).set_index("doc_id")
    assert texts.loc["synthetic_ai", ["reference", "new", "short", "name", "judged"]].tolist() == [1, 1, 1, 1, 2]
    assert texts.loc["synthetic_ai", "inherited_share"] == pytest.approx(0.5)
    assert texts.loc["synthetic_ai", "sources"] == "synthetic_law ×1"
    assert provenance.share_value(table, "ai", "any") == (1, 2)
    assert provenance.share_value(table, "control", "reference") == (1, 1)
    text = provenance.paragraph(table, ["synthetic_law", "synthetic_control"])
    assert "of the 2 others, 1 sit in a phrase shared with an earlier reference law" in text


def test_provenance_with_no_text_says_so() -> None:
    table = provenance.provenance_table(EMPTY)
    assert table.empty and list(table.columns) == list(provenance.OCCURRENCE_COLUMNS)
    assert provenance.topic_summary(table)["judged"].eq(0).all()
    assert provenance.paragraph(table, []).startswith("Not reproducible here")


# ------------------------------------------------------------------------------------ the ledger's extension tier


def _extension() -> pd.DataFrame:
    claims = ledger.load_ledger()
    return claims[claims["tier"] == ledger.EXTENSION]


def test_extension_claims_are_not_reproducible_without_texts() -> None:
    evaluated = ledger.evaluate_ledger({}, ledger=_extension(), baseline={})
    assert len(evaluated) >= 6 and set(evaluated["method"]) == {"addressee_share", "exceptionality", "provenance_share"}
    assert (evaluated["status"] == ledger.NOT_REPRODUCIBLE).all()
    assert evaluated["explanation"].str.contains("no Chinese (?:AI|control) text|no 安全 outside names").all()


def test_a_finding_the_texts_do_not_support_differs() -> None:
    # Synthetic stand-ins under real manifest ids: every AI text uses a priority marker, none a balancing formula.
    texts = {"generative_ai_measures_2023": "合成测试：守住红线。提供者应当履行安全义务。"}
    baseline = {"shanghai_data_regulation_2021": "合成测试：提供者应当履行安全义务。"}
    evaluated = ledger.evaluate_ledger(texts, ledger=_extension(), baseline=baseline).set_index("claim_id")
    assert evaluated.loc["x-grammar-priority-ai", ["reproduced_value", "status"]].tolist() == ["1.00", ledger.DIFFERS]
    assert "the book's finding is < 0.25" in evaluated.loc["x-grammar-priority-ai", "explanation"]
    assert evaluated.loc["x-grammar-balancing-ai", "status"] == ledger.DIFFERS
    assert evaluated.loc["x-grammar-priority-control", "status"] == ledger.REPRODUCED
    # 安全 in the AI text sits in the control text's phrase, issued before it: all inherited.
    assert evaluated.loc["x-provenance-inherited-ai", ["reproduced_value", "status"]].tolist() == [
        "1.00",
        ledger.DIFFERS,
    ]
    # The control text's own 安全 is new (no earlier source): the AI texts inherit a higher share, not a lower one.
    assert evaluated.loc["x-provenance-ai-vs-control", ["reproduced_value", "status"]].tolist() == [
        "higher",
        ledger.DIFFERS,
    ]
    assert evaluated.loc["x-addressees-local-national-security", "status"] == ledger.REPRODUCED


def test_extension_methods_refuse_unknown_parameters() -> None:
    from analysis.evidence.methods import METHODS, Context

    ctx = Context({}, baseline_texts={})
    with pytest.raises(ValueError, match="not classes"):
        METHODS["addressee_share"].compute({"topic": "ai", "addressees": "aliens"}, ctx)
    with pytest.raises(ValueError, match="kind="):
        METHODS["exceptionality"].compute({"topic": "ai", "kind": "urgent"}, ctx)
    assert all(METHODS[m].reads_text for m in ("addressee_share", "exceptionality", "provenance_share"))


# ------------------------------------------------------------------------------------------------ the figures


def test_the_figures_draw_data_and_the_empty_state() -> None:
    import warnings

    import matplotlib.pyplot as plt

    from analysis.present.plotting import beyond as figures
    from analysis.present.plotting import figure_alt, setup_plotting, smallest_text_pt

    setup_plotting()
    corpus = _corpus(
        _doc("synthetic_rule", "ai", SYNTHETIC_RULE, "2020-01-01"),
        _doc("synthetic_notice", "control", SYNTHETIC_NOTICE),
        _doc("synthetic_law", "reference", SYNTHETIC_LAW, "2016-01-01"),
    )
    for data in (corpus, EMPTY):
        clauses = addressees.addressee_table(data)
        texts = provenance.text_summary(provenance.provenance_table(data))
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a missing glyph (安全 in a label) would warn
            made = [
                figures.addressee_figure(addressees.addressee_summary(clauses), addressees.LABELS),
                figures.grammar_figure(grammar.grammar_summary(grammar.grammar_counts(data)), grammar.KINDS),
                figures.provenance_figure(texts, {}, provenance.STATUSES),
            ]
            sizes = [smallest_text_pt(fig) for fig in made]  # draws each figure
        assert min(sizes) >= 10 and all(figure_alt(fig) for fig in made)
        for fig in made:
            plt.close(fig)
        if data is EMPTY:
            assert all("in this build" in figure_alt(f) for f in made)
