"""Small thematic vocabularies for the chapters' claims, kept as data.

Each vocabulary is a CSV under ``data/argument/`` with ``term, pinyin, gloss_en, note``:

``history_vocabulary``
    the historical analogy of section 3.1 (落后就要挨打 the backward get beaten, 百年屈辱 century of
    humiliation, 失之交臂 missing an opportunity, 民族复兴 national rejuvenation …); applied to texts
    that have a reason to speak of history (Xi's 2016 speech, the 2017 plan), not to regulatory notices.
``rival_vocabulary``
    words for an unnamed rival (卡脖子 choke hold, 打压 suppress, 遏制 contain, 受制于人 controlled by
    others …), replacing 竞争, which in the regulations is mostly 不正当竞争 (unfair market competition).
``regime_content_vocabulary``
    regime security as content (颠覆国家政权 subverting state power, 社会主义核心价值观 core socialist
    values …), not only the word 政治安全 (political security).

Counts are inclusive (every occurrence, as :func:`str.count`), per document, with the density per
10,000 characters, and KWIC lines through :func:`analysis.counting.kwic`.
"""

from __future__ import annotations

import pandas as pd

from analysis.counting import Corpus, corpus_documents, count_substring, density, kwic
from analysis.io import registry
from analysis.io.text import count_characters

VOCABULARIES: dict[str, str] = {
    "history_vocabulary": "the historical analogy (section 3.1)",
    "rival_vocabulary": "an unnamed rival (section 3.2)",
    "regime_content_vocabulary": "regime security as content (section 3.3)",
}
VOCAB_COLUMNS: tuple[str, ...] = registry.schema_of("argument/history_vocabulary.csv").names


class VocabularyError(ValueError):
    """A vocabulary file is missing or malformed (message names the file)."""


def load_vocabulary(name: str) -> pd.DataFrame:
    """The vocabulary ``name`` (one of :data:`VOCABULARIES`), validated: terms non-empty, unique, glossed."""
    if name not in VOCABULARIES:
        raise VocabularyError(f"unknown vocabulary {name!r}; known: {', '.join(VOCABULARIES)}")
    # the schema (analysis.io.registry): terms filled and unique, every term glossed
    df = registry.read_registered(f"argument/{name}.csv", error=VocabularyError)
    return df.loc[:, list(VOCAB_COLUMNS)].reset_index(drop=True)


COUNT_COLUMNS: tuple[str, ...] = ("doc_id", "term", "pinyin", "gloss_en", "count", "chars", "per_10k")


def vocabulary_counts(corpus: Corpus, name: str) -> pd.DataFrame:
    """Long table: one row per document and term (documents in corpus order, terms in file order)."""
    vocab = load_vocabulary(name)
    rows = []
    for doc_id, text in corpus_documents(corpus):
        chars = count_characters(text)
        for term, pinyin, gloss in zip(vocab["term"], vocab["pinyin"], vocab["gloss_en"], strict=False):
            k = count_substring(text, term)
            rows.append((doc_id, term, pinyin, gloss, k, chars, density(k, chars)))
    out = pd.DataFrame(rows, columns=list(COUNT_COLUMNS))
    return out.astype({"count": "int64", "chars": "int64"})


def vocabulary_wide(counts: pd.DataFrame, name: str) -> pd.DataFrame:
    """Documents × terms (raw counts), columns labelled ``term pinyin (gloss)``; every term kept, also at zero."""
    vocab = load_vocabulary(name)
    labels = [f"{t} {p} ({g})" for t, p, g in zip(vocab["term"], vocab["pinyin"], vocab["gloss_en"], strict=False)]
    if counts.empty:
        return pd.DataFrame(columns=labels)
    docs = list(dict.fromkeys(counts["doc_id"]))
    wide = counts.pivot(index="doc_id", columns="term", values="count").reindex(
        index=docs, columns=vocab["term"].tolist()
    )
    wide.columns = labels
    return wide.fillna(0).astype("int64")


def vocabulary_kwic(corpus: Corpus, name: str, *, width: int = 15) -> pd.DataFrame:
    """KWIC lines of every term of the vocabulary: ``term, doc_id, position, left, keyword, right``."""
    frames = []
    for term in load_vocabulary(name)["term"]:
        lines = kwic(corpus, term, width=width)
        lines.insert(0, "term", term)
        frames.append(lines)
    cols = ["term", "doc_id", "position", "left", "keyword", "right"]
    return pd.concat(frames, ignore_index=True).loc[:, cols] if frames else pd.DataFrame(columns=cols)
