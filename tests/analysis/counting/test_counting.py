"""Tests of analysis.counting on small SYNTHETIC fixtures (invented strings, not corpus text)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import counting as c
from analysis.io.text import get_tokenizer, tokenize, user_dictionary_terms
from analysis.sections import profiles

# Synthetic fixtures: short invented strings that exercise nesting, overlap and mixed scripts.
SYNTHETIC_VOCAB = ["安全", "国家安全", "网络安全", "安全生产", "国防"]
SYNTHETIC_CORPUS = {
    "synthetic_b": "维护国家安全，保障安全生产。网络安全与安全。",
    "synthetic_a": "国防和国家安全安全",
    "synthetic_empty": "",
}


# --- substring counting: overlap rule -------------------------------------------------------------


def test_repeated_term_counts_each_occurrence():
    assert c.count_substring("安全安全", "安全") == 2
    assert c.substring_spans("安全安全", "安全") == [(0, 2), (2, 4)]


def test_nested_term_inclusive_and_net():
    text = "国家安全安全"
    assert c.count_substring(text, "安全") == 2
    assert c.count_substring(text, "国家安全") == 1
    assert c.count_term(text, "安全", "net", longer=["安全", "国家安全"]) == 1
    assert c.net_spans(text, "安全", ["国家安全"]) == [(4, 6)]


def test_self_overlapping_term_non_overlapping_by_default():
    # 安安 occurs at offsets 0 and 1 of 安安安; the default rule (str.count) counts one.
    assert c.count_substring("安安安", "安安") == 1
    assert c.count_substring("安安安", "安安", overlapping=True) == 2
    assert c.count_substring("AAAA", "AA") == "AAAA".count("AA") == 2
    assert c.count_substring("AAAA", "AA", overlapping=True) == 3


def test_substring_count_matches_str_count_on_synthetic_text():
    text = SYNTHETIC_CORPUS["synthetic_b"]
    for term in SYNTHETIC_VOCAB:
        assert c.count_substring(text, term) == text.count(term)


def test_empty_text_and_empty_term():
    assert c.count_substring("", "安全") == 0
    assert c.count_term("", "安全", "net", longer=SYNTHETIC_VOCAB) == 0
    assert c.count_term("", "安全", "token") == 0
    with pytest.raises(ValueError, match="empty term"):
        c.count_substring("安全", "")


def test_mixed_scripts_are_counted_literally():
    text = "AI安全与AI safety；安全AI，ai安全"
    assert c.count_substring(text, "安全") == 3
    assert c.count_substring(text, "AI安全") == 1  # case-sensitive: 'ai安全' is not 'AI安全'
    assert c.count_substring(text, "safety") == 1
    assert c.count_term(text, "安全", "net", longer=["AI安全"]) == 2


# --- net of longer terms ------------------------------------------------------------------------


def test_longer_terms_sorted_longest_first_then_text():
    vocab = ["安全", "网络安全", "国家安全", "总体国家安全观", "国防"]
    assert c.longer_terms("安全", vocab) == ["总体国家安全观", "国家安全", "网络安全"]
    assert c.longer_terms("国防", vocab) == []


def test_net_excludes_every_longer_listed_term():
    text = SYNTHETIC_CORPUS["synthetic_b"]
    assert c.count_substring(text, "安全") == 4
    assert c.count_term(text, "安全", "net", longer=SYNTHETIC_VOCAB) == 1  # only the bare 安全 before 。


def test_net_with_overlapping_longer_terms():
    # 国家安全生产: 安全 lies inside both 国家安全 and 安全生产, which overlap each other.
    assert c.count_term("国家安全生产", "安全", "net", longer=["国家安全", "安全生产"]) == 0


def test_net_defaults_to_the_term_list():
    assert c.count_term("国家安全和安全生产和安全", "安全", "net") == 1


# --- token counting -----------------------------------------------------------------------------


def test_token_counts_with_given_tokens():
    text = "国家安全和安全"
    tokens = ["国家安全", "和", "安全"]
    assert c.count_term(text, "安全", "token", tokens=tokens) == 1
    assert c.token_spans(text, "安全", tokens) == [(5, 7)]
    with pytest.raises(ValueError, match="do not belong"):
        c.token_spans(text, "安全", ["网络"])


def test_token_counts_with_the_book_tokenizer():
    text = "维护国家安全和网络安全，安全第一"
    assert c.count_term(text, "国家安全", "token") == 1
    assert c.count_term(text, "网络安全", "token") == 1
    assert c.count_term(text, "安全", "token") == 1  # the compounds are single tokens
    assert c.count_substring(text, "安全") == 3


def test_every_multicharacter_term_is_one_token():
    """The user dictionary keeps each multi-character listed term whole when segmented alone."""
    tok = get_tokenizer()
    split = {t: tok.lcut(t, HMM=False) for t in c.terms_in() if len(t) > 1}
    assert {t: s for t, s in split.items() if s != [t]} == {}


def test_security_compounds_are_in_the_user_dictionary():
    listed = set(user_dictionary_terms())
    compounds = [t for t in c.terms_in() if "安全" in t and t != "安全"]
    assert [t for t in compounds if t not in listed] == []


# --- modes, density -----------------------------------------------------------------------------


def test_count_term_modes_agree_with_specific_functions():
    text = SYNTHETIC_CORPUS["synthetic_b"]
    assert c.count_term(text, "安全", "inclusive") == 4
    assert c.count_term(text, "安全", "net", longer=SYNTHETIC_VOCAB) == 1
    assert c.count_term(text, "安全", "token") == c.count_term(text, "安全", "token")
    with pytest.raises(ValueError, match="unknown counting mode"):
        c.count_term(text, "安全", "fuzzy")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown matching rule"):
        c.find_spans(text, "安全", rule="word")


def test_density_per_10000_characters():
    assert c.density(5, 10_000) == 5.0
    assert c.density(1, 4) == 2500.0
    assert c.density(3, 0) == 0.0


# --- matrices -----------------------------------------------------------------------------------


def test_document_term_matrix_order_and_values():
    m = c.document_term_matrix(SYNTHETIC_CORPUS, ["国防", "安全", "国家安全"])
    assert m.index.tolist() == ["synthetic_a", "synthetic_b", "synthetic_empty"]
    assert m.columns.tolist() == ["国防", "安全", "国家安全"]
    assert m.index.name == "doc_id"
    assert m.loc["synthetic_a"].tolist() == [1, 2, 1]
    assert m.loc["synthetic_b"].tolist() == [0, 4, 1]
    assert m.loc["synthetic_empty"].tolist() == [0, 0, 0]
    net = c.document_term_matrix(SYNTHETIC_CORPUS, ["安全"], mode="net", longer=SYNTHETIC_VOCAB)
    assert net["安全"].tolist() == [1, 1, 0]


def test_matrix_is_independent_of_input_order():
    df = pd.DataFrame({"doc_id": list(SYNTHETIC_CORPUS), "text": list(SYNTHETIC_CORPUS.values())})
    reversed_df = df.iloc[::-1].reset_index(drop=True)
    a = c.document_term_matrix(df, SYNTHETIC_VOCAB)
    b = c.document_term_matrix(reversed_df, SYNTHETIC_VOCAB)
    pd.testing.assert_frame_equal(a, b)
    assert a.to_csv() == b.to_csv()


def test_duplicate_terms_and_duplicate_documents():
    m = c.document_term_matrix(SYNTHETIC_CORPUS, ["安全", "安全"])
    assert m.columns.tolist() == ["安全"]
    df = pd.DataFrame({"doc_id": ["x", "x"], "text": ["安全", "安全"]})
    with pytest.raises(ValueError, match="duplicate doc_id"):
        c.document_term_matrix(df, ["安全"])
    with pytest.raises(ValueError, match="needs the column"):
        c.document_term_matrix(pd.DataFrame({"doc_id": ["x"]}), ["安全"])


def test_count_table_is_long_and_sorted():
    t = c.count_table(SYNTHETIC_CORPUS, ["国家安全", "安全"], longer=SYNTHETIC_VOCAB)
    assert t.columns.tolist() == ["doc_id", "term", "mode", "count", "chars", "per_10k"]
    assert t["doc_id"].tolist() == ["synthetic_a"] * 6 + ["synthetic_b"] * 6 + ["synthetic_empty"] * 6
    assert t["term"].tolist()[:6] == ["国家安全"] * 3 + ["安全"] * 3
    assert t["mode"].tolist()[:3] == ["inclusive", "net", "token"]
    row = t[(t.doc_id == "synthetic_a") & (t.term == "安全") & (t["mode"] == "inclusive")].iloc[0]
    assert row["count"] == 2 and row["chars"] == 9


# --- KWIC ---------------------------------------------------------------------------------------


def test_kwic_lines_equal_counts_and_are_sorted():
    for mode in ("inclusive", "net", "token"):
        lines = c.kwic(SYNTHETIC_CORPUS, "安全", width=3, mode=mode, longer=SYNTHETIC_VOCAB)
        counts = c.document_term_matrix(SYNTHETIC_CORPUS, ["安全"], mode=mode, longer=SYNTHETIC_VOCAB)["安全"]
        per_doc = lines.groupby("doc_id").size().reindex(counts.index, fill_value=0)
        assert per_doc.tolist() == counts.tolist()
        assert lines.equals(lines.sort_values(["doc_id", "position"]).reset_index(drop=True))


def test_kwic_context():
    lines = c.kwic({"synthetic": "甲乙\n国防丙丁戊"}, "国防", width=2)
    assert lines.columns.tolist() == ["doc_id", "position", "left", "keyword", "right"]
    assert lines.iloc[0].tolist() == ["synthetic", 3, "乙 ", "国防", "丙丁"]
    empty = c.kwic({"synthetic_empty": ""}, "国防")
    assert empty.empty and empty.columns.tolist() == ["doc_id", "position", "left", "keyword", "right"]
    with pytest.raises(ValueError):
        c.kwic({"s": "x"}, "x", width=-1)


# --- term list ----------------------------------------------------------------------------------


def test_term_list_is_valid_and_documented():
    terms = c.load_terms()
    assert terms.columns.tolist() == ["order", *c.TERM_COLUMNS]
    assert terms["term"].is_unique
    assert set(terms["category"]) <= set(c.CATEGORIES)
    required = {
        "security",
        "national_security",
        "cyber_security",
        "data_security",
        "information_security",
        "political_security",
        "economic_security",
        "ideological_security",
        "public_security",
        "national_defence",
        "military",
        "military_civil_fusion",
        "safe_controllable",
        "development_economy",
        "technological_revolution",
        "risk",
        "competition",
    }
    assert required <= set(terms["category"])
    doc = (c.TERMS_PATH.parent / "terms.md").read_text(encoding="utf-8")
    assert [k for k in c.CATEGORIES if f"`{k}`" not in doc] == []
    for term, category in [
        ("安全", "security"),
        ("国家安全", "national_security"),
        ("国防", "national_defence"),
        ("军民融合", "military_civil_fusion"),
        ("政治安全", "political_security"),
        ("制度安全", "political_security"),
        ("安全可控", "safe_controllable"),
    ]:
        assert terms.loc[terms.term == term, "category"].item() == category


def test_terms_in_and_describe_terms():
    assert c.terms_in("national_defence") == ["国防", "国防科技"]
    with pytest.raises(KeyError, match="unknown term categories"):
        c.terms_in("defense")
    d = c.describe_terms(["国防", "安全"])
    assert d.columns.tolist() == ["term_zh", "pinyin", "gloss_en", "category", "rule"]
    assert d["term_zh"].tolist() == ["国防", "安全"]
    with pytest.raises(KeyError):
        c.describe_terms(["不存在"])


def test_bad_term_list_names_file_and_line(tmp_path):
    bad = tmp_path / "terms.csv"
    bad.write_text(
        "term,pinyin,gloss_en,category,rule,note\n安全,ānquán,security,security,substring,\n"
        "国防,guófáng,,Defence,fuzzy,\n安全,ānquán,security,security,substring,\n",
        encoding="utf-8",
    )
    with pytest.raises(c.TermListError) as err:
        c.load_terms(bad)
    msg = str(err.value)
    assert str(bad) in msg and "line 3" in msg and "line 4" in msg
    assert (
        "line 3, gloss_en='': is empty" in msg
        and "line 3, category='Defence': is not one of security" in msg
        and "line 3, rule='fuzzy': is not one of substring, token" in msg
        and "line 4, term='安全': appears more than once (lines 2, 4)" in msg
    )
    missing = tmp_path / "nothing.csv"
    with pytest.raises(c.TermListError, match="not found"):
        c.load_terms(missing)


# --- 安全 senses ---------------------------------------------------------------------------------

SYNTHETIC_RULES = pd.DataFrame(
    {
        "pattern": ["国家安全", "安全生产", "安全风险", "安全性"],
        "sense": ["security", "safety", "ambiguous", "safety"],
        "priority": [2, 2, 3, 4],
        "gloss_en": ["national security", "work safety", "risk", "safety property"],
        "rationale": ["r", "r", "r", "r"],
    }
)


def test_classify_occurrences_synthetic():
    text = "国家安全风险与安全生产，安全性，安全"
    out = c.classify_occurrences(text, rules=SYNTHETIC_RULES)
    assert out.columns.tolist() == ["position", "sense", "pattern", "gloss_en"]
    # 国家安全风险: both 国家安全 (priority 2) and 安全风险 (3) cover it; priority 2 wins.
    assert out["pattern"].tolist() == ["国家安全", "安全生产", "安全性", c.NO_RULE]
    assert out["sense"].tolist() == ["security", "safety", "safety", "ambiguous"]
    assert len(out) == c.count_substring(text, "安全")


def test_sense_rules_file_sorted_and_valid():
    rules = c.load_sense_rules()
    assert set(rules["sense"]) == set(c.SENSES)
    key = list(zip(rules["priority"], -rules["pattern"].str.len(), rules["pattern"], strict=False))
    assert key == sorted(key)
    assert rules["pattern"].str.contains("安全").all()
    for pattern, sense in [
        ("国家安全", "security"),
        ("网络安全", "security"),
        ("数据安全", "security"),
        ("安全可控", "security"),
        ("安全生产", "safety"),
        ("食品安全", "safety"),
        ("交通安全", "safety"),
        ("安全性", "safety"),
    ]:
        assert rules.loc[rules.pattern == pattern, "sense"].item() == sense


def test_sense_rules_precedence_from_file(tmp_path):
    path = tmp_path / "senses.csv"
    path.write_text(
        "pattern,sense,priority,gloss_en,rationale\n安全可,safety,1,g,r\n安全可控,security,1,g,r\n安全,ambiguous,9,g,r\n",
        encoding="utf-8",
    )
    rules = c.load_sense_rules(path)
    assert rules["pattern"].tolist() == ["安全可控", "安全可", "安全"]
    assert c.classify_occurrences("安全可控", rules=rules)["sense"].tolist() == ["security"]


def test_bad_sense_rules(tmp_path):
    path = tmp_path / "senses.csv"
    path.write_text("pattern,sense,priority,gloss_en,rationale\n国防,danger,x,,\n", encoding="utf-8")
    with pytest.raises(c.TermListError) as err:
        c.load_sense_rules(path)
    msg = str(err.value)
    assert "line 2" in msg and "does not contain 安全" in msg and "danger" in msg and "priority" in msg


def test_sense_summary_and_kwic_synthetic():
    corpus = {"synthetic_z": "国家安全风险与安全生产，安全", "synthetic_y": ""}
    s = c.sense_summary(corpus, rules=SYNTHETIC_RULES)
    assert s["doc_id"].tolist() == ["synthetic_y", "synthetic_z"]
    z = s.set_index("doc_id").loc["synthetic_z"]
    assert (z["all"], z["security"], z["safety"], z["ambiguous"], z["unmatched"], z["security_or_ambiguous"]) == (
        3,
        1,
        1,
        1,
        1,
        2,
    )
    assert z["security"] + z["safety"] + z["ambiguous"] == z["all"]
    k = c.sense_kwic(corpus, rules=SYNTHETIC_RULES, width=2)
    assert k["sense"].tolist() == ["security", "safety", "ambiguous"]
    assert len(k) == z["all"]
    usage = c.sense_rule_usage(corpus, rules=SYNTHETIC_RULES)
    assert usage.set_index("pattern")["occurrences"].to_dict() == {
        "国家安全": 1,
        "安全生产": 1,
        "安全风险": 0,
        "安全性": 0,
        c.NO_RULE: 1,
    }


# --- vocabulary and profile ---------------------------------------------------------------------


def test_vocabulary_count_counts_each_match_once():
    text = "国家安全、安全、安全生产、国防、国防科技"
    vocab = ["安全", "国家安全", "国防", "国防科技"]
    pool = [*vocab, "安全生产"]
    # 国家安全 1 + bare 安全 1 + 国防 1 + 国防科技 1; 安全生产 is outside the set and not counted.
    assert c.vocabulary_count(text, vocab, longer=pool) == 4


def test_security_vocabulary_excludes_safety_and_development():
    vocab = c.security_vocabulary()
    assert "安全" in vocab and "国防" in vocab and "军民融合" in vocab
    assert "安全生产" not in vocab and "发展" not in vocab


def test_security_profile_synthetic():
    p = profiles.security_profile({"synthetic": "国家安全和安全生产，发展"})
    row = p.iloc[0]
    assert row["anquan_all"] == 2 and row["national_security"] == 1 and row["development"] == 1
    assert row["security_vocabulary"] == 1  # 国家安全 only; 安全生产 is safety
    assert row["chars"] == 12
    assert row["anquan_all_per_10k"] == pytest.approx(2 * 10_000 / 12)


def test_tokenize_is_the_shared_one():
    assert tokenize("国家安全") == ["国家安全"]


def test_a_new_matching_rule_plugs_into_the_same_functions(monkeypatch):
    """English matching (issue 8) will be one more entry of MATCHERS; a synthetic case-folding rule stands in."""

    def casefold_spans(text, term, *, overlapping=False):
        return c.substring_spans(text.casefold(), term.casefold(), overlapping=overlapping)

    monkeypatch.setitem(c.MATCHERS, "casefold", casefold_spans)
    text = "AI policy; ai safety; National AI Plan"
    assert c.count_term(text, "ai", rule="casefold") == 3
    assert c.count_term(text, "ai", "net", longer=["national ai"], rule="casefold") == 2
    assert c.matching_rule("安全") == "substring"
    assert c.matching_rule("not listed") == "substring"


def test_empty_corpus_gives_empty_tables():
    empty = pd.DataFrame(columns=["doc_id", "text"])
    assert c.document_term_matrix(empty, ["安全"]).shape == (0, 1)
    assert c.kwic(empty, "安全").columns.tolist() == ["doc_id", "position", "left", "keyword", "right"]
    assert c.count_table(empty, ["安全"]).empty
    assert c.sense_summary(empty).empty and c.sense_kwic(empty).empty
    assert profiles.security_profile(empty).empty


@pytest.mark.parametrize(
    ("hidden", "name"),
    [
        ("\u200b", "ZERO WIDTH SPACE"),
        ("\u3000", "IDEOGRAPHIC SPACE"),
        ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
        ("\u2060", "WORD JOINER"),
        ("\u00a0", "NO-BREAK SPACE"),
    ],
)
def test_terms_differing_only_by_invisible_characters_are_refused(tmp_path, hidden, name):
    """Issue 11: 安全 and 安\u200b全 look the same, but the second could never match a normalised text."""
    bad = tmp_path / "terms.csv"
    bad.write_text(
        "term,pinyin,gloss_en,category,rule,note\n安全,ānquán,security,security,substring,\n"
        f"安{hidden}全,ānquán,security,security,substring,\n",
        encoding="utf-8",
    )
    with pytest.raises(c.TermListError) as err:
        c.load_terms(bad)
    msg = str(err.value)
    shown = repr(f"安{hidden}全")  # the message shows the character escaped, so the reader can see it
    assert f"line 3, term={shown}: contains the invisible character(s) U+{ord(hidden):04X} ({name}); delete them" in msg
    assert "already listed on line 2 (the two differ only by invisible or full-width characters)" in msg


def test_english_terms_differing_only_by_invisible_characters_are_refused(tmp_path):
    bad = tmp_path / "terms_en.csv"
    bad.write_text(
        "term,definition,category,rule,note\nnational security,x,national_security,english,\n"
        "national\u3000security,x,national_security,english,\nsecurity\u200b,x,security,english,\n",
        encoding="utf-8",
    )
    with pytest.raises(c.TermListError) as err:
        c.load_terms(bad, language="en")
    msg = str(err.value)
    assert (
        "line 3, term='national\\u3000security': contains the invisible character(s) U+3000 (IDEOGRAPHIC SPACE)" in msg
    )
    assert "line 3, term='national\\u3000security': already listed on line 2" in msg
    assert "line 4, term='security\\u200b': contains the invisible character(s) U+200B (ZERO WIDTH SPACE)" in msg


def test_committed_term_lists_have_no_invisible_characters():
    for language in c.LANGUAGES:
        for term in c.load_terms(language=language)["term"]:
            assert not c.terms.invisible_characters(term, spaces=language == "en"), term
