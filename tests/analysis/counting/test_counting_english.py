"""Tests of the English matching rules of analysis.counting (issue 8) on SYNTHETIC fixtures (invented strings)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import counting as c

SYNTHETIC_EN = {
    "synthetic_en_b": "National security and security. The NATIONAL-SECURITY agenda;\nnational\n  security again.",
    "synthetic_en_a": "China's competitors and a competitor; Chinese adversaries, one adversary.",
    "synthetic_en_empty": "",
}


def spans(text: str, term: str, rule: str = "english") -> list[tuple[int, int]]:
    return c.find_spans(text, term, rule=rule)


def words(text: str, term: str, rule: str = "english") -> list[str]:
    return [text[s:e] for s, e in spans(text, term, rule)]


# --- case -----------------------------------------------------------------------------------------


def test_matching_ignores_case():
    text = "China, CHINA, china and ChInA"
    assert c.count_term(text, "China", rule="english") == 4
    assert c.count_term(text, "china", rule="english") == 4
    assert c.count_term(text, "China") == 1  # the substring rule stays case-sensitive


# --- word boundaries --------------------------------------------------------------------------------


def test_word_boundaries():
    assert c.count_term("insecurity, securityless, securities, cybersecurity", "security", rule="english") == 0
    assert c.count_term("security; (security) 'security' security.", "security", rule="english") == 4
    assert c.count_term("securitysecurity", "security", rule="english") == 0
    assert (
        c.count_term("security2 2security security_x", "security", rule="english") == 1
    )  # digits are letters; _ is not
    assert words("leadership and lead and leader", "lead") == ["lead"]
    assert c.count_term("adversarial testing", "adversary", rule="english_plural") == 0


def test_hyphen_is_a_boundary_at_the_edges():
    assert c.count_term("security-related and non-security", "security", rule="english") == 2
    assert c.count_term("AI-enabled, US-China, China-based", "China", rule="english") == 2


def test_possessives_count_and_stay_outside_the_match():
    text = "China's plan, China\u2019s plan, PRC's goals, competitors' products"
    assert words(text, "China") == ["China", "China"]
    assert c.count_term(text, "PRC", rule="english") == 1
    assert words(text, "competitor", "english_plural") == ["competitors"]


def test_apostrophe_in_a_term_matches_straight_and_curly():
    text = "the People's Republic of China and the People\u2019s Republic of China"
    assert c.count_term(text, "People's Republic of China", rule="english") == 2


# --- multi-word terms: whitespace runs, line breaks, hyphens -----------------------------------------


def test_multiword_terms_across_whitespace_line_breaks_and_hyphens():
    text = SYNTHETIC_EN["synthetic_en_b"]
    assert words(text, "national security") == ["National security", "NATIONAL-SECURITY", "national\n  security"]
    assert (
        c.count_term("national--security, national - security, nationalsecurity", "national security", rule="english")
        == 0
    )
    assert c.count_term("dual use and dual-use", "dual-use", rule="english") == 2  # a hyphen in the term means the same


# --- plurals ---------------------------------------------------------------------------------------


def test_plural_rule():
    assert c.english_plural("adversary") == "adversaries"
    assert c.english_plural("economy") == "economies"
    assert c.english_plural("day") == "days"  # vowel + y
    assert c.english_plural("threat") == "threats"
    assert c.english_plural("process") == "processes"
    assert c.english_plural("approach") == "approaches"
    text = SYNTHETIC_EN["synthetic_en_a"]
    assert words(text, "competitor", "english_plural") == ["competitors", "competitor"]
    assert words(text, "adversary", "english_plural") == ["adversaries", "adversary"]
    assert c.count_term(text, "competitor", rule="english") == 1  # the plain rule has no plural
    assert (
        c.count_term("strategic competitors", "strategic competitor", rule="english_plural") == 1
    )  # plural of the last word


def test_malformed_english_terms_raise():
    with pytest.raises(ValueError, match="empty term"):
        c.find_spans("x", "  ", rule="english")
    with pytest.raises(ValueError, match="is not a word"):
        c.find_spans("x", "U.S.", rule="english")


# --- nesting: inclusive and net ---------------------------------------------------------------------


def test_nested_terms_inclusive_and_net():
    text = "national security, security, homeland security; the Secretary of Homeland Security."
    pool = ["security", "national security", "homeland security", "secretary of homeland security"]
    assert c.count_term(text, "security", rule="english") == 4
    assert len(c.net_spans(text, "security", pool, rule="english")) == 1
    assert len(c.net_spans(text, "homeland security", pool, rule="english")) == 1
    assert c.longer_terms("security", pool, rule="english") == [
        "secretary of homeland security",
        "homeland security",
        "national security",
    ]


def test_net_searches_each_longer_term_with_its_own_rule():
    text = "Chief Information Security Officers"
    rules = {"information security": "english", "chief information security officer": "english_plural"}
    assert c.net_spans(text, "information security", list(rules), rule="english", rules=rules) == []
    # without the rules of the longer terms, net_spans searches them with the shorter term's rule and misses the plural cover
    assert len(c.net_spans(text, "information security", list(rules), rule="english")) == 1


def test_vocabulary_count_counts_each_match_once():
    text = "national security and security; the Department of Defense and defense"
    vocab = ["security", "national security", "defense"]
    pool = [*vocab, "department of defense"]
    # national security 1 + bare security 1 + bare defense 1; defense inside the department's name is left out
    assert c.vocabulary_count(text, vocab, longer=pool, language="en") == 3
    assert c.vocabulary_count(text, vocab, longer=vocab, language="en") == 4


def test_overlapping_option():
    assert c.find_spans("security security", "security security", rule="english", overlapping=True) == [(0, 17)]
    assert c.find_spans("a a a", "a a", rule="english") == [(0, 3)]
    assert c.find_spans("a a a", "a a", rule="english", overlapping=True) == [(0, 3), (2, 5)]


# --- words and densities ----------------------------------------------------------------------------


def test_word_definition():
    text = "AI-enabled systems: China's U.S. policy, 1.5 times 10^26 -- e.g. don't."
    assert c.english_words(text) == [
        "AI-enabled",
        "systems",
        "China's",
        "U.S",
        "policy",
        "1.5",
        "times",
        "10",
        "26",
        "e.g",
        "don't",
    ]
    assert c.count_words(text) == 11
    assert c.count_words("") == 0
    assert c.count_words("  \n ") == 0


def test_word_density():
    assert c.word_density(5, 10_000) == 5.0
    assert c.word_density(1, 4) == 2500.0
    assert c.word_density(3, 0) == 0.0


# --- the generic functions dispatch to the English rule for listed English terms ---------------------


def test_matching_rule_looks_up_the_english_list():
    assert c.matching_rule("national security") == "english"
    assert c.matching_rule("competitor") == "english_plural"
    assert c.matching_rule("安全") == "substring"
    assert c.matching_rule("not listed") == "substring"
    assert c.matching_rule("competitor", c.load_terms()) == "substring"  # an explicit table is the only one used


def test_matrix_and_kwic_use_the_english_rule():
    m = c.document_term_matrix(SYNTHETIC_EN, ["national security", "security", "competitor", "China"])
    assert m.loc["synthetic_en_b"].tolist() == [3, 4, 0, 0]
    assert m.loc["synthetic_en_a"].tolist() == [0, 0, 2, 1]
    lines = c.kwic(SYNTHETIC_EN, "national security", width=5)
    assert lines["keyword"].tolist() == ["National security", "NATIONAL-SECURITY", "national\n  security"]
    assert len(lines) == int(m["national security"].sum())
    assert lines.iloc[2]["left"] == "nda; "  # line breaks in the context are shown as spaces


# --- the English term list ----------------------------------------------------------------------------


def test_english_term_list_is_valid():
    terms = c.load_terms(language="en")
    assert terms.columns.tolist() == ["order", *c.TERM_EN_COLUMNS]
    assert set(terms["rule"]) <= set(c.ENGLISH_RULES)
    assert set(terms["category"]) <= set(c.CATEGORIES_EN)
    for term, category in [
        ("national security", "national_security"),
        ("China", "counterpart"),
        ("defense", "national_defence"),
        ("competitor", "competition"),
        ("adversary", "adversary"),
        ("safety", "safety"),
    ]:
        assert terms.loc[terms.term == term, "category"].item() == category
    assert terms.loc[terms.term == "security", "rule"].item() == "english"  # 'securities' must not match
    assert set(c.SECURITY_VOCABULARY_CATEGORIES_EN) <= set(c.SECURITY_VOCABULARY_CATEGORIES)
    vocab = c.security_vocabulary(language="en")
    assert "national security" in vocab and "military" in vocab
    assert "safety" not in vocab and "department of defense" not in vocab and "China" not in vocab


def test_every_nested_english_term_is_found_by_the_generic_longer_terms():
    """A term nested word-wise in another must also be a plain substring of it (same case), so that the
    generic net counts (net_spans, kwic mode='net') see the nesting too."""
    listed = c.load_terms(language="en")["term"].tolist()
    for term in listed:
        assert set(c.longer_terms(term, listed, rule="english")) <= set(c.longer_terms(term, listed)), term


def test_generic_net_counts_agree_with_english_net_for_the_listed_terms():
    table = c.load_terms(language="en")
    listed, rules = table["term"].tolist(), dict(zip(table["term"], table["rule"], strict=False))
    text = (
        "The Secretary of Homeland Security and homeland security; national security, the National Security Council; "
        "defense, the Department of Defense; China and the People's Republic of China; competitors; AI."
    )
    for term in listed:
        generic = c.count_term(text, term, "net", longer=listed, rule=c.matching_rule(term))
        assert generic == len(c.net_spans(text, term, listed, rule=c.matching_rule(term), rules=rules)), term


def test_bad_english_term_list_names_file_and_line(tmp_path):
    bad = tmp_path / "terms_en.csv"
    bad.write_text(
        "term,definition,category,rule,note\n"
        "security,security,security,english,\n"
        "Security,,Security,fuzzy,\n"
        "national  security,x,national_security,english,\n"
        "U.S.,x,counterpart,english,\n"
        "Department of Defense,x,institution,english,\n"
        "defense,x,national_defence,english,\n"
        "threat,x,threat,english_plural,\n"
        "threat actor,x,threat,english,\n",
        encoding="utf-8",
    )
    with pytest.raises(c.TermListError) as err:
        c.load_terms(bad, language="en")
    msg = str(err.value)
    assert str(bad) in msg and "line 3" in msg and "line 4" in msg and "line 5" in msg
    assert (
        "line 3, term='Security': already listed on line 2 (matching ignores case and hyphens)" in msg
        and "line 3, definition='': is empty" in msg
        and "line 3, category='Security': is not one of security" in msg
        and "line 3, rule='fuzzy': is not one of english, english_plural" in msg
    )
    assert "repeated spaces" in msg and "is not a word" in msg
    assert "'defense' lies inside 'Department of Defense'" in msg
    assert "'threat' lies inside 'threat actor' but has another rule" in msg
    with pytest.raises(c.TermListError, match="not found"):
        c.load_terms(tmp_path / "nothing.csv", language="en")


def test_describe_and_select_english_terms():
    d = c.describe_terms(["China", "threat"], language="en")
    assert d.columns.tolist() == ["term_en", "definition", "category", "rule"]
    assert d["rule"].tolist() == ["english", "english_plural"]
    assert c.terms_in("counterpart", language="en")[0] == "China"
    with pytest.raises(KeyError, match="unknown English term categories"):
        c.terms_in("chinese", language="en")
    with pytest.raises(KeyError):
        c.describe_terms(["not listed"], language="en")


def test_independent_reimplementation_agrees_on_synthetic_text():
    """A naive tokeniser-based count (lower-case words, hyphens as spaces) agrees with the regex rule."""
    text = "Security, national security; NATIONAL-security. Insecurity and cybersecurity; security's role.\nNational\nsecurity"
    toks = re.findall(r"[a-z0-9]+", text.lower().replace("'s", " "))
    naive_security = toks.count("security")
    naive_national = sum(1 for a, b in zip(toks, toks[1:], strict=False) if (a, b) == ("national", "security"))
    assert c.count_term(text, "security", rule="english") == naive_security == 5
    assert c.count_term(text, "national security", rule="english") == naive_national == 3


def test_empty_english_corpus():
    empty = pd.DataFrame(columns=["doc_id", "text"])
    assert c.document_term_matrix(empty, ["national security"]).shape == (0, 1)
    assert c.document_words(empty).empty
