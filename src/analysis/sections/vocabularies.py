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
10,000 characters, and KWIC lines through :func:`analysis.counting.kwic`. :func:`vocabulary_totals` adds a
vocabulary up per document, :func:`vocabulary_by_topic` per topic (AI against control texts), and
:func:`cooccurrence` counts the sentences where a term meets another (关键核心技术 with 安全).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.corpus import select
from analysis.counting import Corpus, corpus_documents, count_substring, density, kwic
from analysis.counting.passages import sentences
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


TOTAL_COLUMNS: tuple[str, ...] = ("doc_id", "topic", "count", "chars")


def vocabulary_totals(corpus: pd.DataFrame, name: str, *, exclude: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per document of ``corpus`` (a frame with ``doc_id``, ``topic`` and ``text``), in its order: the matches of
    every term of the vocabulary but ``exclude`` added up (inclusive counts), and the document's characters."""
    counts = vocabulary_counts(corpus, name)
    counts = counts[~counts["term"].isin(exclude)]
    total = counts.groupby("doc_id", sort=False)["count"].sum()
    out = pd.DataFrame({"doc_id": corpus["doc_id"], "topic": corpus["topic"]}).reset_index(drop=True)
    out["count"] = out["doc_id"].map(total).fillna(0).astype("int64")
    out["chars"] = [count_characters(t) for t in corpus["text"]]
    return out.astype({"chars": "int64"}).loc[:, list(TOTAL_COLUMNS)]


COOCCURRENCE_COLUMNS: tuple[str, ...] = ("term", "topic", "documents", "sentences", "with_partner")


def cooccurrence(corpus: pd.DataFrame, terms: Sequence[str], partner: str, topics: Sequence[str]) -> pd.DataFrame:
    """Sentence-level co-occurrence: for each term and topic (in the given orders), the documents of that topic whose
    text holds the term, the sentences (:func:`analysis.counting.passages.sentences`) that hold it, and those of
    them that also hold ``partner`` (outside the term itself: a sentence counts when ``partner`` occurs anywhere in it
    once the term's matches are blanked out)."""
    rows = []
    for term in terms:
        for topic in topics:
            part = corpus[select.is_topic(corpus, topic)]
            docs = sentences_with = sentences_both = 0
            for text in part["text"]:
                held = [u.text(text) for u in sentences(text) if term in u.text(text)]
                docs += bool(held)
                sentences_with += len(held)
                sentences_both += sum(partner in s.replace(term, "　") for s in held)
            rows.append((term, topic, docs, sentences_with, sentences_both))
    return pd.DataFrame(rows, columns=list(COOCCURRENCE_COLUMNS))


def vocabulary_by_topic(corpus: pd.DataFrame, name: str, topics: Sequence[str]) -> pd.DataFrame:
    """The vocabulary (:data:`VOCAB_COLUMNS`, file order) with, per topic of ``topics``, the matches of each term in
    the texts of that topic (``<topic>_matches``) and the texts that hold it (``<topic>_documents``)."""
    vocab = load_vocabulary(name)
    counts = vocabulary_counts(corpus, name)
    topic = dict(zip(corpus["doc_id"], corpus["topic"], strict=True))
    counts = counts.assign(topic=counts["doc_id"].map(topic).fillna(""))
    for t in topics:
        part = counts[select.is_topic(counts, t)]
        vocab[f"{t}_matches"] = vocab["term"].map(part.groupby("term")["count"].sum()).fillna(0).astype("int64")
        held = part[part["count"] > 0].groupby("term").size()
        vocab[f"{t}_documents"] = vocab["term"].map(held).fillna(0).astype("int64")
    return vocab
