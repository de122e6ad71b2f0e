"""Measures: counts, densities, document-term matrices and keyword-in-context lines.

This module decides what "the document mentions 安全 48 times" means. Every count is a number of
matches (:mod:`analysis.counting.matching`), so that each count can be traced to keyword-in-context
lines (:func:`kwic`) and a count always equals its number of KWIC lines.

Counting modes
--------------
``inclusive``
    Every occurrence of the term under its rule, scanning left to right and **not overlapping**: after a
    match the scan resumes at the end of that match, exactly like Python's ``str.count``. Nested
    occurrences are included: 安全 inside 国家安全 counts as an occurrence of 安全. Overlap only
    matters for a term whose end can begin a new occurrence of itself (安安 in 安安安: one match,
    not two); none of the Chinese policy terms in ``data/terms.csv`` has that property, so the
    choice never changes their counts, but it is explicit and tested. ``overlapping=True`` switches
    to counting every start position.
``net``
    The inclusive matches that do not lie inside a match of any *longer listed term* containing the
    term (by default every term of ``data/terms.csv``): 安全 net of 国家安全, 网络安全, 安全生产 … is
    the number of 安全 that stand outside those compounds; ``security`` net of ``national security``
    likewise for English terms (nesting word by word, :func:`analysis.counting.matching.net_spans`).
``token``
    The number of jieba tokens equal to the term, from :func:`analysis.io.text.tokenize` (the book's
    tokenizer: user dictionary, HMM off). It depends on segmentation: 国家安全 is one token, so it does
    not add to the token count of 安全.

Densities of Chinese texts are per 10,000 non-whitespace characters
(:func:`analysis.io.text.count_characters`), of English texts per 10,000 **words**
(:func:`analysis.counting.matching.count_words`). The two units are not interchangeable, which is why
the US–China chapter never puts a Chinese and an English density on one scale.

Ordering
--------
Every table is sorted by explicit keys: documents by ``doc_id``, terms in the order given by the
caller (or by file order of ``data/terms.csv``), KWIC lines by ``doc_id`` then position. Nothing
relies on dict, set or ``Counter`` ordering. Every function accepts a corpus with no document and
returns an empty table with its columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal

import pandas as pd

from analysis.counting.matching import Span, count_words, find_spans, net_spans, substring_spans, token_spans
from analysis.counting.terms import load_terms, matching_rule
from analysis.io.text import count_characters, tokenize

Mode = Literal["inclusive", "net", "token"]
Corpus = pd.DataFrame | Mapping[str, str]

MODES: tuple[str, ...] = ("inclusive", "net", "token")
PER_CHARACTERS = 10_000
PER_WORDS = 10_000


def count_substring(text: str, term: str, *, overlapping: bool = False) -> int:
    """Number of literal occurrences of ``term`` (non-overlapping unless ``overlapping=True``)."""
    return len(substring_spans(text, term, overlapping=overlapping))


def term_spans(
    text: str,
    term: str,
    mode: Mode = "inclusive",
    *,
    longer: Iterable[str] | None = None,
    rule: str = "substring",
    tokens: Sequence[str] | None = None,
) -> list[Span]:
    """The matches that :func:`count_term` counts (``mode`` is ``inclusive``, ``net`` or ``token``)."""
    if mode == "inclusive":
        return find_spans(text, term, rule=rule)
    if mode == "net":
        return net_spans(text, term, _vocabulary(longer), rule=rule)
    if mode == "token":
        return token_spans(text, term, tokens)
    raise ValueError(f"unknown counting mode {mode!r}; use one of {', '.join(MODES)}")


def count_term(text: str, term: str, mode: Mode = "inclusive", **options: Any) -> int:
    """Count ``term`` in ``text`` under ``mode`` (see the module docstring): the number of :func:`term_spans`
    with the same ``longer``, ``rule`` and ``tokens`` options."""
    return len(term_spans(text, term, mode, **options))


def density(count: int | float, chars: int) -> float:
    """``count`` per 10,000 non-whitespace characters (0.0 for an empty text)."""
    return 0.0 if chars <= 0 else float(count) * PER_CHARACTERS / chars


def word_density(count: int | float, words: int) -> float:
    """``count`` per 10,000 words (0.0 for an empty text)."""
    return 0.0 if words <= 0 else float(count) * PER_WORDS / words


def _vocabulary(longer: Iterable[str] | None, language: str = "zh") -> list[str]:
    return list(longer) if longer is not None else load_terms(language=language)["term"].tolist()


def vocabulary_count(
    text: str, vocabulary: Sequence[str], *, longer: Iterable[str] | None = None, language: str = "zh"
) -> int:
    """Matches of a set of terms of ``language``, each counted once: the sum of their **net** counts.

    A compound such as 国家安全 counts once (as 国家安全), not again as 安全; a term inside a longer
    listed term outside the set (安全 in 安全生产, ``defense`` in ``department of defense``) is not
    counted. ``longer`` defaults to all listed terms of the language; ``vocabulary`` is added to it.
    English terms are matched by their own rules (``data/terms_en.csv``).
    """
    pool = sorted(set(_vocabulary(longer, language)) | set(vocabulary))
    if language == "zh":
        return sum(len(net_spans(text, term, pool)) for term in dict.fromkeys(vocabulary))
    table = load_terms(language=language)
    rules = dict(zip(table["term"], table["rule"], strict=False))
    return sum(
        len(net_spans(text, t, pool, rule=rules.get(t) or matching_rule(t), rules=rules))
        for t in dict.fromkeys(vocabulary)
    )


def corpus_documents(corpus: Corpus) -> list[tuple[str, str]]:
    """``(doc_id, text)`` pairs sorted by ``doc_id``; ``corpus`` is a DataFrame or ``{doc_id: text}``."""
    if isinstance(corpus, pd.DataFrame):
        missing = [c for c in ("doc_id", "text") if c not in corpus.columns]
        if missing:
            raise ValueError(
                f"the corpus table needs the column(s) {', '.join(missing)}; it has {', '.join(map(str, corpus.columns))}"
            )
        pairs = list(zip(corpus["doc_id"].astype(str), corpus["text"].astype(str), strict=False))
    else:
        pairs = [(str(k), str(v)) for k, v in corpus.items()]
    ids = [d for d, _ in pairs]
    dupes = sorted({d for d in ids if ids.count(d) > 1})
    if dupes:
        raise ValueError(f"duplicate doc_id in the corpus: {', '.join(dupes)}")
    return sorted(pairs, key=lambda p: p[0])


def _unique(terms: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(terms))  # keeps the caller's order, drops repeats


def document_term_matrix(
    corpus: Corpus,
    terms: Sequence[str] | None = None,
    *,
    mode: Mode = "inclusive",
    longer: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Counts of each term (columns, in the given order) in each document (rows, sorted by ``doc_id``)."""
    table = load_terms()
    terms = _unique(terms if terms is not None else table["term"])
    pool = _vocabulary(longer) if mode == "net" else None
    rules = {t: matching_rule(t) for t in terms}  # data/terms.csv first, then data/terms_en.csv
    rows = {}
    for doc_id, text in corpus_documents(corpus):
        tokens = (tokenize(text) if text else []) if mode == "token" else None
        rows[doc_id] = [count_term(text, t, mode, longer=pool, rule=rules[t], tokens=tokens) for t in terms]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=terms, dtype="int64")
    out = out.reindex(sorted(out.index))
    out.index.name = "doc_id"
    out.columns.name = "term"
    return out


def _per_document(corpus: Corpus, measure: Callable[[str], int], name: str) -> pd.Series:
    docs = corpus_documents(corpus)
    return pd.Series(
        [measure(t) for _, t in docs], index=pd.Index([d for d, _ in docs], name="doc_id"), name=name, dtype="int64"
    )


def document_words(corpus: Corpus) -> pd.Series:
    """Words (:func:`count_words`) of each document, indexed by ``doc_id`` (sorted)."""
    return _per_document(corpus, count_words, "words")


def document_characters(corpus: Corpus) -> pd.Series:
    """Non-whitespace characters of each document, indexed by ``doc_id`` (sorted)."""
    return _per_document(corpus, count_characters, "chars")


def count_table(
    corpus: Corpus,
    terms: Sequence[str],
    *,
    modes: Sequence[Mode] = MODES,  # type: ignore[assignment]
    longer: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Long table ``doc_id, term, mode, count, chars, per_10k`` sorted by doc, term order, mode order."""
    terms = _unique(terms)
    chars = document_characters(corpus)
    frames = []
    for m_i, mode in enumerate(modes):
        mat = document_term_matrix(corpus, terms, mode=mode, longer=longer)
        long = mat.reset_index().melt(id_vars="doc_id", var_name="term", value_name="count")
        long["mode"] = mode
        long["_m"] = m_i
        frames.append(long)
    out = pd.concat(frames, ignore_index=True)
    out["_t"] = out["term"].map({t: i for i, t in enumerate(terms)})
    out = out.sort_values(["doc_id", "_t", "_m"], kind="mergesort").drop(columns=["_t", "_m"])
    out["chars"] = out["doc_id"].map(chars).astype("int64")
    out["per_10k"] = [density(c, n) for c, n in zip(out["count"], out["chars"], strict=False)]
    return out.loc[:, ["doc_id", "term", "mode", "count", "chars", "per_10k"]].reset_index(drop=True)


def _context(text: str) -> str:
    return text.replace("\n", " ")


def kwic(
    corpus: Corpus,
    term: str,
    *,
    width: int = 15,
    mode: Mode = "inclusive",
    longer: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Keyword-in-context lines: ``doc_id, position, left, keyword, right``, sorted by doc and position.

    ``position`` is the 0-based character offset of the match in the normalised text; ``left`` and
    ``right`` hold up to ``width`` characters (line breaks shown as spaces). There is exactly one
    line per match counted by :func:`count_term` under the same ``mode``.
    """
    if width < 0:
        raise ValueError("width must be >= 0")
    pool = _vocabulary(longer) if mode == "net" else None
    rule = matching_rule(term)
    rows = []
    for doc_id, text in corpus_documents(corpus):
        for s, e in term_spans(text, term, mode, longer=pool, rule=rule):
            rows.append((doc_id, s, _context(text[max(0, s - width) : s]), text[s:e], _context(text[e : e + width])))
    out = pd.DataFrame(rows, columns=["doc_id", "position", "left", "keyword", "right"])
    out["position"] = out["position"].astype("int64")
    return out.sort_values(["doc_id", "position"], kind="mergesort").reset_index(drop=True)


def typed_frame(
    rows: Sequence[Mapping[str, object]], columns: Sequence[str], text_columns: Iterable[str]
) -> pd.DataFrame:
    """``rows`` as a frame whose column types hold even with zero rows (a corpus without texts).

    With no rows, ``text_columns`` are ``object``, columns ending in ``_per_10k`` ``float64`` and the
    others (counts, sizes) ``int64``, so that later arithmetic, ``.str`` and plotting code work on them.
    """
    out = pd.DataFrame(list(rows), columns=list(columns))
    if out.empty:
        text = set(text_columns)
        out = out.astype(
            {c: object if c in text else "float64" if c.endswith("_per_10k") else "int64" for c in out.columns}
        )
    return out


def local_plan_mentions(texts: dict[str, str], manifest: pd.DataFrame, term: str = "国家安全") -> pd.DataFrame:
    """Per local AI plan present in ``texts``: ``doc_id, title_en, level, region, count`` of ``term``.

    Only the local AI plans count (the one definition: :func:`analysis.corpus.select.local_ai_plans`): the control
    texts and local regulations never enter. Sorted by doc_id. The data behind the ledger's local-plan claims.
    """
    from analysis.corpus.select import local_ai_plans

    local = local_ai_plans(manifest)
    rows = [
        (d, str(t), str(lv), str(rg), count_substring(texts[d], term))
        for d, t, lv, rg in zip(local["doc_id"], local["title_en"], local["level"], local["region"], strict=False)
        if d in texts
    ]
    table = pd.DataFrame(rows, columns=["doc_id", "title_en", "level", "region", "count"])
    return table.sort_values("doc_id", kind="mergesort").reset_index(drop=True)
