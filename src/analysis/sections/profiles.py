"""Chapter profiles: the per-document measures that the keyword chapter (2) and the US–China chapter (8) plot.

Built from :mod:`analysis.counting` only (no counting logic here):

* :func:`security_profile` (the labelling chapter): 安全 by sense, 国家安全, the security vocabulary and 发展 per
  Chinese document, as counts and per 10,000 characters;
* :func:`mirror_profile` (the US–China mirror chapter): the security vocabulary, national security and the names of the
  other side per Chinese or US document, per 10,000 characters or words.
"""

from __future__ import annotations

import pandas as pd

from analysis.counting import (
    Corpus,
    concept_counts,
    corpus_documents,
    count_substring,
    count_words,
    density,
    document_languages,
    load_terms,
    security_vocabulary,
    sense_summary,
    typed_frame,
    vocabulary_count,
    word_density,
)
from analysis.io.text import count_characters

#: Measures of :func:`security_profile`, with their Chinese and English labels.
PROFILE_MEASURES: dict[str, tuple[str, str]] = {
    "anquan_all": ("安全", "security / safety,\nall occurrences"),
    "anquan_security": ("安全", "security sense only"),
    "anquan_security_or_ambiguous": ("安全", "security or\nambiguous sense"),
    "national_security": ("国家安全", "national security"),
    "security_vocabulary": ("安全类词汇", "security vocabulary\n(net, see text)"),
    "development": ("发展", "development"),
}


def security_profile(
    corpus: Corpus, *, rules: pd.DataFrame | None = None, terms: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per document (sorted by ``doc_id``): ``chars`` and, for each of :data:`PROFILE_MEASURES`, the count
    and the density per 10,000 characters (columns ``<measure>`` and ``<measure>_per_10k``).

    * ``anquan_all``: inclusive count of 安全; ``anquan_security`` / ``anquan_security_or_ambiguous``:
      its occurrences by sense (:func:`sense_summary`);
    * ``national_security``: inclusive count of 国家安全;
    * ``security_vocabulary``: :func:`vocabulary_count` of :func:`security_vocabulary` (each match of
      the security, defence and military terms counted once, net of longer listed terms);
    * ``development``: inclusive count of 发展, the article's other overall goal, for contrast.
    """
    table = load_terms() if terms is None else terms
    pool = table["term"].tolist()
    vocab = security_vocabulary(table)
    senses = sense_summary(corpus, rules=rules).set_index("doc_id")
    rows = []
    for doc_id, text in corpus_documents(corpus):
        chars = count_characters(text)
        counts = {
            "anquan_all": int(senses.at[doc_id, "all"]),
            "anquan_security": int(senses.at[doc_id, "security"]),
            "anquan_security_or_ambiguous": int(senses.at[doc_id, "security_or_ambiguous"]),
            "national_security": count_substring(text, "国家安全"),
            "security_vocabulary": vocabulary_count(text, vocab, longer=pool),
            "development": count_substring(text, "发展"),
        }
        row: dict[str, object] = {"doc_id": doc_id, "chars": chars}
        row.update(counts)
        row.update({f"{k}_per_10k": density(v, chars) for k, v in counts.items()})
        rows.append(row)
    cols = ["doc_id", "chars", *PROFILE_MEASURES, *(f"{k}_per_10k" for k in PROFILE_MEASURES)]
    return typed_frame(rows, cols, ["doc_id"])


#: Measures of :func:`mirror_profile` (column → label).
MIRROR_MEASURES: dict[str, str] = {
    "security_vocabulary": "security vocabulary (each match once, net of longer listed terms)",
    "security_vocabulary_with_offices": "security vocabulary, office names included",
    "national_security": "national security (国家安全 / national security)",
    "counterpart": "names of the other side (美国 … / China …)",
}


def mirror_profile(corpus: Corpus) -> pd.DataFrame:
    """Per document (sorted by ``doc_id``): ``language, unit, size`` and, for each of :data:`MIRROR_MEASURES`,
    the count and the density per 10,000 characters (Chinese) or words (English) (``<measure>_per_10k``).

    * ``security_vocabulary``: Chinese documents as in :func:`security_profile` (the terms of
      :data:`SECURITY_VOCABULARY_CATEGORIES`, each match once, net of every term of ``data/terms.csv``);
      English documents likewise with :data:`SECURITY_VOCABULARY_CATEGORIES_EN`, net of every term of
      ``data/terms_en.csv`` (so ``defense`` in ``department of defense`` is left out);
    * ``security_vocabulary_with_offices``: the English count without leaving out office names
      (category ``institution``); equal to ``security_vocabulary`` for Chinese documents;
    * ``national_security`` and ``counterpart``: :func:`concept_counts` of those concepts.
    """
    langs = document_languages(corpus)
    zh_pool = load_terms()["term"].tolist()
    zh_vocab = security_vocabulary()
    en_table = load_terms(language="en")
    en_pool = en_table["term"].tolist()
    en_pool_no_offices = en_table.loc[en_table["category"] != "institution", "term"].tolist()
    en_vocab = security_vocabulary(en_table, language="en")
    concepts = concept_counts(corpus, ["national_security", "counterpart"]).set_index(["doc_id", "concept"])
    rows = []
    for doc_id, text in corpus_documents(corpus):
        lang = langs[doc_id]
        if lang == "zh":
            size = count_characters(text)
            vocab = vocabulary_count(text, zh_vocab, longer=zh_pool)
            with_offices = vocab
        else:
            size = count_words(text)
            vocab = vocabulary_count(text, en_vocab, longer=en_pool, language="en")
            with_offices = vocabulary_count(text, en_vocab, longer=en_pool_no_offices, language="en")
        counts = {
            "security_vocabulary": vocab,
            "security_vocabulary_with_offices": with_offices,
            "national_security": int(concepts.at[(doc_id, "national_security"), "count"]),
            "counterpart": int(concepts.at[(doc_id, "counterpart"), "count"]),
        }
        per = density if lang == "zh" else word_density
        row: dict[str, object] = {
            "doc_id": doc_id,
            "language": lang,
            "unit": "characters" if lang == "zh" else "words",
            "size": size,
        }
        row.update(counts)
        row.update({f"{k}_per_10k": per(v, size) for k, v in counts.items()})
        rows.append(row)
    cols = ["doc_id", "language", "unit", "size", *MIRROR_MEASURES, *(f"{k}_per_10k" for k in MIRROR_MEASURES)]
    return typed_frame(rows, cols, ["doc_id", "language", "unit"])


def naming_summary(counts: pd.DataFrame) -> str:
    """The finding on "does each side name the other?" in words, from :func:`concept_counts` of ``counterpart``
    (columns ``doc_id, language, concept, count``): how many documents of each side name the other, and what that
    allows one to say. Computed for whatever texts the build holds, so the sentence never outlives its data."""
    named = counts[counts["concept"] == "counterpart"]
    sides = {"en": ("US", "China"), "zh": ("Chinese", "the United States")}
    parts, naming = [], {}
    for lang, (side, other) in sides.items():
        part = named[named["language"] == lang]
        naming[lang] = int((part["count"] > 0).sum())
        if len(part):
            parts.append(f"{naming[lang]} of the {len(part)} {side} documents of this build name {other}")
    if not parts:
        return (
            "Not reproducible here: no Chinese or US document is available in this build, so neither side can be read."
        )
    text = "In this build, " + ", and ".join(parts) + "."
    if len(parts) == 2 and naming["en"] == 0 and naming["zh"] == 0:
        text += (
            " **Neither side names the other** in the documents present: where they speak of others at all, the"
            " neighbouring concepts in the table (the foreign in general, adversaries, threats, competition) carry it,"
            " and the keyword-in-context lines above show where."
        )
    elif len(parts) == 2 and (naming["en"] == 0) != (naming["zh"] == 0):
        text += " Only one side names the other in the documents present."
    return text
