"""Tests of the argument modules (passages, names, speech_acts) on synthetic strings (uncertainty and baseline:
test_inference.py and test_baseline.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.counting import names, passages
from analysis.evidence import uncertainty
from analysis.sections.move import speech_acts

# Synthetic text: a regulation-like structure invented for the tests.
SYNTH_REG = (
    "甲市测试条例\n第一章 总则\n第一条 为了维护国家安全，根据《中华人民共和国网络安全法》制定本条例。\n"
    "第二条 依照本条例第一条的规定，处理者应当开展安全评估。\n第三条 不得利用服务从事危害国家安全的活动。\n"
    "第四条 本条例自公布之日起施行。"
)


def test_articles_skip_cross_references_and_keep_preamble():
    units = passages.articles(SYNTH_REG)
    kinds = [u.kind for u in units]
    assert kinds == ["preamble", "article", "article", "article", "article"]
    assert units[2].text(SYNTH_REG).startswith("第二条")
    assert "第一条的规定" in units[2].text(SYNTH_REG)  # the cross-reference stays inside article 2


def test_article_after_chapter_heading_on_one_line():
    text = "第一章总则第一条 甲。第二条 乙。第三条 丙。"
    assert [u.text(text)[:3] for u in passages.articles(text)] == ["第一章", "第一条", "第二条", "第三条"]


def test_document_units_falls_back_to_paragraphs_then_sentences():
    assert passages.document_units(SYNTH_REG)[0] == "article"
    assert passages.document_units("甲。\n乙。\n丙。")[0] == "paragraph"
    kind, units = passages.document_units("甲。乙；丙！")
    assert kind == "sentence" and len(units) == 3
    assert passages.document_units("") == ("sentence", [])


def test_sentences_offsets_and_unit_of():
    text = "甲安全。乙\n丙；"
    units = passages.sentences(text)
    assert [u.text(text) for u in units] == ["甲安全。", "乙", "丙；"]
    assert passages.unit_of(text.index("乙"), units) == 1
    assert passages.unit_of(len(text) + 5, units) is None


def test_name_class_titles_agencies_prohibited_list():
    c = names.classify_names(SYNTH_REG)
    assert c["name_kind"].tolist() == ["", "title", "", "prohibited_content"]
    effect = names.name_effect({"d": SYNTH_REG})
    row = effect.iloc[0]
    assert (row["all"], row["names_total"], row["without_names"]) == (4, 2, 2)
    assert row["title"] == 1 and row["prohibited_content"] == 1


def test_name_class_agency_and_law_name():
    text = "由公安、国家安全机关负责，依照网络安全法处理，网络安全和信息化委员会统筹。"
    kinds = names.classify_names(text)["name_kind"].tolist()
    assert kinds == ["agency", "law_name", "agency"]


def test_mask_keeps_length_and_removes_names():
    masked = names.mask_names(SYNTH_REG)
    assert len(masked) == len(SYNTH_REG)
    assert masked.count("安全") == 2
    assert "《" not in masked


def test_bad_name_rule_names_file(tmp_path):
    p = tmp_path / "rules.csv"
    p.write_text("pattern,kind,gloss_en,rationale\n(unclosed,title,x,y\n", encoding="utf-8")
    with pytest.raises(names.NameRuleError, match="rules.csv.*line 2"):
        names.load_name_rules(p)


def test_speech_act_functions_and_objects():
    text = "人工智能已成为国际竞争的新焦点。我国面临安全风险挑战。要加强安全评估，维护国家安全。"
    coded = speech_acts.code_passages({"d": text})
    assert coded["sentence"].tolist() == [1, 2]  # the first sentence has no security word
    first, second = coded.iloc[0], coded.iloc[1]
    assert first["warn"] and not first["request"] and first["function"] == "warn"
    assert first["object"] == "threat"
    assert second["request"] and second["function"] == "request"
    assert second["objects"] == "compliance+goal" and second["object"] == "goal"


def test_speech_act_claim_and_name_citation():
    text = "人工智能安全是国家安全的重要组成部分。根据《数据安全法》制定。"
    coded = speech_acts.code_passages({"d": text})
    assert coded.iloc[0]["claim"] and coded.iloc[0]["function"] == "claim"
    assert coded.iloc[1]["object"] == "name_citation" and coded.iloc[1]["function"] == "unmarked"


def test_speech_act_compound_object_uses_its_anquan():
    text = "发生数据安全事件的，应当报告。"
    assert speech_acts.code_passages({"d": text}).iloc[0]["object"] == "threat"


def test_no_text_gives_empty_tables():
    empty = speech_acts.code_passages({})
    assert empty.empty and speech_acts.coding_summary(empty).empty


def test_rule_usage_counts_passages():
    usage = speech_acts.rule_usage({"d": "要加强安全评估。安全风险上升。"})
    row = usage[(usage["coding"] == "object") & (usage["code"] == "threat")].iloc[0]
    assert row["passages"] == 1


def test_counts_with_without_and_format_interval():
    table = names.counts_with_without(pd.DataFrame({"doc_id": ["d"], "text": [SYNTH_REG]}), ["安全", "国家安全"])
    assert table["with_names"].tolist() == [4, 2] and table["without_names"].tolist() == [2, 1]
    assert (table["removed"] == table["with_names"] - table["without_names"]).all()
    assert uncertainty.format_interval(27, 17.79, 39.28, 0) == "27 [18–39]"
    assert uncertainty.format_interval(math.nan, 1, 2) == "–"


def test_translation_counts_rule_and_missing_text():
    from analysis.sections import translation

    text = "National security and security; cybersecurity is not counted. National defense, national-defence."
    got = translation.translation_counts(text).set_index("term")
    assert got.at["security", "count"] == 2 and got.at["national security", "count"] == 1
    assert got.at["national defense", "count"] == 1 and got.at["national defence", "count"] == 1
    assert got.at["security", "difference"] == 2 - 48
    missing = translation.translation_counts(None)
    assert missing["count"].isna().all() and missing["article_reports"].notna().sum() == 3


def test_vocabularies_load_and_count():
    from analysis.sections import vocabularies

    for name in vocabularies.VOCABULARIES:
        assert not vocabularies.load_vocabulary(name).empty
    counts = vocabularies.vocabulary_counts({"d": "落后就要挨打。不能与历史机遇失之交臂。"}, "history_vocabulary")
    got = dict(zip(counts["term"], counts["count"], strict=False))
    assert got["落后就要挨打"] == 1 and got["挨打"] == 1 and got["失之交臂"] == 1 and got["百年屈辱"] == 0
    wide = vocabularies.vocabulary_wide(counts, "history_vocabulary")
    assert wide.shape == (1, len(vocabularies.load_vocabulary("history_vocabulary")))
    assert vocabularies.vocabulary_wide(counts.iloc[:0], "history_vocabulary").empty
    with pytest.raises(vocabularies.VocabularyError):
        vocabularies.load_vocabulary("nope")


def test_reuse_separates_security_and_industrial_copies():
    from analysis.counting import reuse

    source = "到二零二零年人工智能核心产业规模超过一千五百亿元。要加强人工智能安全评估和管控能力建设。"
    local = (
        "本省到二零二零年人工智能核心产业规模超过一千五百亿元。"  # copies the industrial target
        "本省着力发展特色农业和文化旅游产业项目。"  # own words
        "加强网络安全保障体系和本地应急管理队伍建设。"  # own words, security vocabulary
    )
    got = reuse.reuse_summary(source, [("local", local)]).iloc[0]
    assert (got["sentences"], got["reused"]) == (3, 1)
    assert (got["other_reused"], got["security_sentences"], got["security_reused"]) == (1, 1, 0)
    assert reuse.containment("短", reuse.shingles(source)) == (0.0, 0)
