"""Keyword counting: the one place that decides what "the document mentions 安全 48 times" means.

The package has one module per concern; every public name is importable from ``analysis.counting``:

* :mod:`~analysis.counting.matching`: where a term occurs (spans) under its rule (``substring``,
  ``token``, ``english``, ``english_plural``), nesting and net spans, English words;
* :mod:`~analysis.counting.terms`: the term lists (:class:`TermList`, one for Chinese and English),
  loaded, checked and selected by category;
* :mod:`~analysis.counting.measures`: counts in the three modes (``inclusive``, ``net``, ``token``),
  densities, document-term matrices, count tables and keyword-in-context lines (KWIC);
* :mod:`~analysis.counting.senses`: the security/safety reading of 安全;
* :mod:`~analysis.counting.concepts`: the concepts compared across the two term lists.

Chapter analyses built on these (the profiles of chapters 2 and 8) live in :mod:`analysis.profiles`.
"""

from analysis.counting.concepts import (
    CONCEPT_COLUMNS,
    CONCEPT_MAP_PATH,
    concept_counts,
    concept_table,
    concept_terms,
    document_languages,
    load_concept_map,
)
from analysis.counting.matching import (
    ENGLISH_RULES,
    MATCHERS,
    TERM_RULES,
    Span,
    count_words,
    english_plural,
    english_regex,
    english_spans,
    english_term_words,
    english_words,
    find_spans,
    longer_terms,
    net_spans,
    substring_spans,
    token_spans,
)
from analysis.counting.measures import (
    MODES,
    PER_CHARACTERS,
    PER_WORDS,
    Corpus,
    Mode,
    corpus_documents,
    count_substring,
    count_table,
    count_term,
    density,
    document_characters,
    document_term_matrix,
    document_words,
    kwic,
    term_spans,
    typed_frame,
    vocabulary_count,
    word_density,
)
from analysis.counting.senses import (
    NO_RULE,
    SENSE_COLUMNS,
    SENSE_RULES_PATH,
    SENSES,
    classify_occurrences,
    load_sense_rules,
    sense_kwic,
    sense_rule_usage,
    sense_summary,
)
from analysis.counting.terms import (
    CATEGORIES,
    CATEGORIES_EN,
    LANGUAGES,
    SECURITY_VOCABULARY_CATEGORIES,
    SECURITY_VOCABULARY_CATEGORIES_EN,
    TERM_COLUMNS,
    TERM_EN_COLUMNS,
    TERM_LISTS,
    TERMS_EN_PATH,
    TERMS_PATH,
    TermList,
    TermListError,
    describe_terms,
    load_terms,
    matching_rule,
    security_vocabulary,
    term_list,
    terms_in,
)

__all__ = [
    "typed_frame",
    "CATEGORIES", "CATEGORIES_EN", "CONCEPT_COLUMNS", "CONCEPT_MAP_PATH", "ENGLISH_RULES", "LANGUAGES", "MATCHERS",
    "MODES", "NO_RULE", "PER_CHARACTERS", "PER_WORDS", "SECURITY_VOCABULARY_CATEGORIES", "SECURITY_VOCABULARY_CATEGORIES_EN",
    "SENSES", "SENSE_COLUMNS", "SENSE_RULES_PATH", "TERMS_EN_PATH", "TERMS_PATH", "TERM_COLUMNS", "TERM_EN_COLUMNS",
    "TERM_LISTS", "TERM_RULES", "Corpus", "Mode", "Span", "TermList", "TermListError", "classify_occurrences",
    "concept_counts", "concept_table", "concept_terms", "corpus_documents", "count_substring", "count_table",
    "count_term", "count_words", "density", "describe_terms", "document_characters",
    "document_languages", "document_term_matrix", "document_words", "english_plural", "english_regex", "english_spans",
    "english_term_words", "english_words", "find_spans", "kwic", "load_concept_map", "load_sense_rules",
    "load_terms", "longer_terms", "matching_rule", "net_spans", "security_vocabulary", "sense_kwic", "sense_rule_usage",
    "sense_summary", "substring_spans", "term_list", "term_spans", "terms_in", "token_spans", "vocabulary_count",
    "word_density",
]
