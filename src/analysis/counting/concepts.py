"""Concepts compared across the two term lists (``data/concept_map.csv``).

An analytical choice of comparable terms, not a translation: each concept lists Chinese and English
terms; :func:`concept_counts` counts each document with the terms of its own language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.counting.matching import count_words
from analysis.counting.measures import Corpus, corpus_documents, density, vocabulary_count, word_density
from analysis.counting.terms import LANGUAGES, TERMS_EN_PATH, TERMS_PATH, TermListError, load_terms
from analysis.io import registry
from analysis.io.paths import DATA_DIR
from analysis.io.text import count_characters

CONCEPT_MAP_PATH: Path = DATA_DIR / "concept_map.csv"
CONCEPT_COLUMNS: tuple[str, ...] = registry.schema_of("concept_map.csv").names


def _term_list_problems(df: pd.DataFrame) -> list[str]:
    """Rows of the concept map that disagree with the term lists: a Chinese term's pinyin and gloss are those of
    ``data/terms.csv`` when it is listed there; an English term is in ``data/terms_en.csv``."""
    zh = load_terms().set_index("term")
    en = set(load_terms(language="en")["term"])
    problems = []
    for i, (lang, term, pinyin, gloss) in enumerate(
        df[["language", "term", "pinyin", "gloss_en"]].itertuples(index=False)
    ):
        line = i + 2
        if lang == "zh" and term in zh.index and (pinyin, gloss) != (zh.at[term, "pinyin"], zh.at[term, "gloss_en"]):
            problems.append(
                f"line {line}, term={term!r}: pinyin/gloss differ from {TERMS_PATH.name}; copy them from there"
            )
        if lang == "en" and term not in en:
            problems.append(f"line {line}, term={term!r}: not in {TERMS_EN_PATH.name}; add it there first")
    return problems


def load_concept_map(path: Path | None = None) -> pd.DataFrame:
    """The comparable concepts of the two term lists (``data/concept_map.csv``), validated, in file order.

    Columns ``concept, concept_en, language, term, pinyin, gloss_en, rationale``: one row per term of a
    concept, ``language`` ``zh`` or ``en``. Every concept has terms in both languages and one
    ``concept_en`` label; every row has a rationale; a Chinese row has pinyin and an English gloss
    (equal to those of ``data/terms.csv`` when the term is listed there); an English term must be in
    ``data/terms_en.csv``. The map is an analytical choice of comparable terms, not a translation.
    """
    path = Path(path) if path is not None else CONCEPT_MAP_PATH
    if not path.is_file():
        raise TermListError(f"{path}: file not found")
    # the schema (analysis.io.registry): names, languages, filled cells, both languages and one label per concept;
    # the terms against the two term lists
    df = registry.read_registered("concept_map.csv", path=path, error=TermListError, more=_term_list_problems)
    df = df.loc[:, list(CONCEPT_COLUMNS)].copy()
    df.insert(0, "order", range(len(df)))
    return df.reset_index(drop=True)


def concept_terms(concept: str, language: str, *, concepts: pd.DataFrame | None = None) -> list[str]:
    """The terms of ``concept`` in ``language`` (``zh`` or ``en``), in file order."""
    df = load_concept_map() if concepts is None else concepts
    if concept not in set(df["concept"]):
        raise KeyError(f"unknown concept {concept!r}; known: {', '.join(dict.fromkeys(df['concept']))}")
    if language not in LANGUAGES:
        raise ValueError(f"language must be zh or en, not {language!r}")
    rows = df[(df["concept"] == concept) & (df["language"] == language)]
    return rows.sort_values("order")["term"].tolist()


def concept_table(concepts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per concept (in file order): ``concept, concept_en, terms_zh`` (each term with pinyin and
    gloss), ``terms_en`` and ``rationale`` (each row's ``term: rationale``, joined by ``;``)."""
    df = load_concept_map() if concepts is None else concepts
    rows = []
    for concept in dict.fromkeys(df.sort_values("order")["concept"]):
        g = df[df["concept"] == concept].sort_values("order")
        zh = g[g["language"] == "zh"]
        rows.append(
            {
                "concept": concept,
                "concept_en": g["concept_en"].iloc[0],
                "terms_zh": "; ".join(
                    f"{t} ({p}, {e})" for t, p, e in zip(zh["term"], zh["pinyin"], zh["gloss_en"], strict=False)
                ),
                "terms_en": "; ".join(g.loc[g["language"] == "en", "term"]),
                "rationale": "; ".join(f"{t}: {r}" for t, r in zip(g["term"], g["rationale"], strict=False)),
            }
        )
    return pd.DataFrame(rows, columns=["concept", "concept_en", "terms_zh", "terms_en", "rationale"])


def document_languages(corpus: Corpus) -> dict[str, str]:
    """``{doc_id: zh | en}``: the ``language`` column of a corpus table; for a ``{doc_id: text}`` mapping,
    ``zh`` for a text with Han characters. Any other language raises ``ValueError``."""
    if isinstance(corpus, pd.DataFrame):
        if "language" not in corpus.columns:
            raise ValueError("the corpus table needs a 'language' column (zh or en) to count both term lists")
        langs = dict(zip(corpus["doc_id"].astype(str), corpus["language"].astype(str), strict=False))
    else:
        langs = {str(d): ("zh" if re.search(r"[\u4e00-\u9fff]", str(t)) else "en") for d, t in corpus.items()}
    bad = sorted(d for d, lang in langs.items() if lang not in LANGUAGES)
    if bad:
        raise ValueError(f"documents with a language other than zh or en: {', '.join(bad)}")
    return langs


def concept_counts(
    corpus: Corpus, concepts: Sequence[str] | None = None, *, concept_map: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Long table ``doc_id, language, concept, count, size, unit, per_10k`` (sorted by doc, then concept order).

    Each document is counted with the terms of its own language (``language`` column of a corpus
    DataFrame; for a ``{doc_id: text}`` mapping a text with Han characters is ``zh``). A concept's
    count is the number of matches of its terms **each counted once within the concept** (a match of
    ``People's Republic of China`` is not counted again as ``China``; 安全 inside 国家安全 still counts for
    a concept that lists 安全 but not 国家安全). ``size`` is characters (``zh``) or words (``en``)
    and ``per_10k`` the count per 10,000 of them.
    """
    cmap = load_concept_map() if concept_map is None else concept_map
    names = list(dict.fromkeys(concepts if concepts is not None else cmap.sort_values("order")["concept"]))
    langs = document_languages(corpus)
    rows = []
    for doc_id, text in corpus_documents(corpus):
        lang = langs[doc_id]
        size = count_characters(text) if lang == "zh" else count_words(text)
        for concept in names:
            vocab = concept_terms(concept, lang, concepts=cmap)
            n = vocabulary_count(text, vocab, longer=vocab, language=lang)
            per = density(n, size) if lang == "zh" else word_density(n, size)
            rows.append((doc_id, lang, concept, n, size, "characters" if lang == "zh" else "words", per))
    out = pd.DataFrame(rows, columns=["doc_id", "language", "concept", "count", "size", "unit", "per_10k"])
    return out.astype({"count": "int64", "size": "int64", "per_10k": "float64"})
