"""Keyword counting: the one place that decides what "the document mentions 安全 48 times" means.

Every count in the book is a number of *matches* (spans ``(start, end)`` of character offsets in the
normalised text, see :func:`analysis.text.normalize_text`), so that each count can be traced to
keyword-in-context lines (:func:`kwic`) and a count always equals its number of KWIC lines.

Counting modes
--------------
``inclusive``
    Every literal occurrence of the term, scanning left to right and **not overlapping**: after a
    match the scan resumes at the end of that match, exactly like Python's ``str.count``. Nested
    occurrences are included: 安全 inside 国家安全 counts as an occurrence of 安全. Overlap only
    matters for a term whose end can begin a new occurrence of itself (安安 in 安安安: one match,
    not two); none of the Chinese policy terms in ``data/terms.csv`` has that property, so the
    choice never changes their counts, but it is explicit and tested. ``overlapping=True`` switches
    to counting every start position.
``net``
    The inclusive matches that do not lie inside a match of any *longer listed term* containing the
    term (by default every term of ``data/terms.csv``): 安全 net of 国家安全, 网络安全, 安全生产 … is
    the number of 安全 that stand outside those compounds. Matches of the longer terms are searched
    with overlaps allowed, so that every covered position is found.
``token``
    The number of jieba tokens equal to the term, from :func:`analysis.text.tokenize` (the book's
    tokenizer: user dictionary, HMM off). It depends on segmentation: 国家安全 is one token, so it does
    not add to the token count of 安全.

Densities are per 10,000 non-whitespace characters (:func:`analysis.text.count_characters`).

Terms and their rules
---------------------
Terms are data (``data/terms.csv``, documented in ``data/terms.md``): ``term, pinyin, gloss_en,
category, rule, note``. ``rule`` says how a term is found: ``substring`` (a literal, case-sensitive
character sequence; its headline count is the inclusive count) or ``token`` (its headline count is
the jieba-token count). Matching is dispatched through :data:`MATCHERS`, a table from rule name to a
span finder, so that English terms (case-insensitive, word boundaries, plurals) can be added later as
one more rule without changing any counting, matrix or KWIC function.

English terms (issue 8)
-----------------------
The US federal documents are counted with the same functions. English terms are data too
(``data/terms_en.csv``: ``term, definition, category, rule, note``; :func:`load_terms_en`) and
are found by one of two rules registered in :data:`MATCHERS` (:func:`english_spans`):

``english``
    the term as a whole word or phrase, **case-insensitive** (``China``, ``CHINA`` and ``china``
    match ``China``), on **word boundaries**: a match may be neither preceded nor followed by a
    letter or digit, so ``security`` matches in ``security-related``, ``"security"`` and
    ``security's`` but not in ``insecurity``, ``securityless``, ``cybersecurity`` or
    ``securities``. A possessive ``'s`` / ``’s`` stays outside the match and does not block it
    (``China's`` counts as ``China``). In a **multi-word** term the words may be separated by any run
    of whitespace, line breaks included, or by one hyphen: ``national security``,
    ``national\\nsecurity`` and ``national-security`` all count as ``national security``; a hyphen
    written in a term means the same (``dual-use`` also matches ``dual use``). An apostrophe in a
    term matches ``'`` or ``’``. No other inflection is recognised: ``compete`` does not match
    ``competes`` or ``competing``; list a form as its own term when it should count.
``english_plural``
    as ``english``, and the **regular plural** of the term's last word also matches: ``+es`` after
    *s, x, z, ch, sh*; *consonant + y* → ``ies`` (``adversary`` → ``adversaries``); else ``+s``
    (``competitor`` → ``competitors``). Irregular plurals are not generated. The rule is used only
    where a plural cannot mean something else (``security`` keeps ``english``: ``securities`` are
    financial assets).

Nesting works as for Chinese: the inclusive count of ``security`` includes the ``security`` of
``national security``; the net count leaves out matches inside a longer listed term (names of
offices such as ``secretary of homeland security`` are listed so that the net counts can leave
them out). English net counts use :func:`english_net_spans`, which searches each longer term with
its own rule and finds nesting word by word, case-insensitively.

Densities of English texts are per 10,000 **words** (:func:`count_words`): a word is a maximal run of
letters or digits, which may be joined by single internal hyphens, apostrophes or full stops, so
``AI-enabled``, ``China's``, ``U.S.`` and ``1.5`` are one word each and ``10^26`` is two. Chinese
densities stay per 10,000 characters; the two units are not interchangeable, which is why the US–China
chapter never puts a Chinese and an English density on one scale.

Concepts compared across the two lists are data as well (``data/concept_map.csv``,
:func:`load_concept_map`): an analytical choice of comparable terms, not a translation.

Ordering
--------
Every table is sorted by explicit keys: documents by ``doc_id``, terms in the order given by the
caller (or by file order of ``data/terms.csv``), KWIC lines by ``doc_id`` then position. Nothing
relies on dict, set or ``Counter`` ordering.

The security/safety reading of 安全
----------------------------------
安全 means both "security" and "safety". :func:`classify_occurrences` gives every occurrence of 安全
a sense (``security``, ``safety`` or ``ambiguous``) from collocation rules in
``data/anquan_senses.csv`` (``pattern, sense, priority, gloss_en, rationale``): an occurrence takes
the sense of the rule whose pattern covers it with the smallest ``priority`` number, ties broken by
the longer pattern and then the pattern text; an occurrence that no rule covers is ``ambiguous``
with the rule ``(no rule)``. :func:`sense_summary` shows how a "security" count changes with the
choice (all occurrences, security only, security plus ambiguous).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal, Union

import pandas as pd

from analysis.facts import read_table
from analysis.paths import DATA_DIR
from analysis.text import count_characters, tokenize

Span = tuple[int, int]
Mode = Literal["inclusive", "net", "token"]
Corpus = Union[pd.DataFrame, Mapping[str, str]]

TERMS_PATH: Path = DATA_DIR / "terms.csv"
SENSE_RULES_PATH: Path = DATA_DIR / "anquan_senses.csv"
TERM_COLUMNS: tuple[str, ...] = ("term", "pinyin", "gloss_en", "category", "rule", "note")
SENSE_COLUMNS: tuple[str, ...] = ("pattern", "sense", "priority", "gloss_en", "rationale")
MODES: tuple[str, ...] = ("inclusive", "net", "token")
SENSES: tuple[str, ...] = ("security", "safety", "ambiguous")
PER_CHARACTERS = 10_000
NO_RULE = "(no rule)"

#: The term categories of ``data/terms.csv``, with what each collects. Names are stable: other
#: chapters select terms by them. Documented for readers in ``data/terms.md``.
CATEGORIES: dict[str, str] = {
    "security": "安全 itself (security or safety), the word the article counts",
    "national_security": "national security (国家安全) and the holistic national security concept",
    "cyber_security": "cyber / network security (网络安全, 网络空间安全)",
    "data_security": "data security (数据安全)",
    "information_security": "information security (信息安全)",
    "political_security": "political, institutional and regime security (政治安全, 制度安全, 政权安全)",
    "economic_security": "economic security (经济安全)",
    "ideological_security": "ideological security (意识形态安全)",
    "cultural_security": "cultural security (文化安全)",
    "public_security": "social and public security (社会安全, 公共安全)",
    "homeland_security": "homeland / territorial security (国土安全)",
    "technology_security": "science and technology security (科技安全)",
    "environmental_security": "ecological / environmental security (生态安全)",
    "resource_security": "resource security (资源安全)",
    "energy_security": "energy security (能源安全)",
    "nuclear_security": "nuclear safety or security (核安全)",
    "safe_controllable": "safe-and-controllable and self-controllable technology (安全可控, 自主可控)",
    "safety": "safety collocations of 安全 (安全生产, 食品安全, 交通安全)",
    "national_defence": "national defence (国防, 国防科技)",
    "military": "the military (军事, 军队, 军事安全)",
    "military_civil_fusion": "military-civil fusion and dual use (军民融合, 军民两用)",
    "development_economy": "development and the economy (发展, 经济, 产业 …)",
    "technological_revolution": "industrial and technological revolution (工业革命, 科技革命, 产业变革 …)",
    "risk": "risk (风险)",
    "competition": "competition (竞争, 国际竞争)",
    "artificial_intelligence": "artificial intelligence itself (人工智能 …)",
}

#: Categories whose terms make up the "security vocabulary" of the density extension.
SECURITY_VOCABULARY_CATEGORIES: tuple[str, ...] = (
    "security",
    "national_security",
    "cyber_security",
    "data_security",
    "information_security",
    "political_security",
    "economic_security",
    "ideological_security",
    "cultural_security",
    "public_security",
    "homeland_security",
    "technology_security",
    "environmental_security",
    "resource_security",
    "energy_security",
    "nuclear_security",
    "safe_controllable",
    "national_defence",
    "military",
    "military_civil_fusion",
)

_CATEGORY_NAME = re.compile(r"^[a-z][a-z_]*$")


class TermListError(ValueError):
    """``data/terms.csv`` or ``data/anquan_senses.csv`` is malformed."""


# ---------------------------------------------------------------------------------------------
# Span finders
# ---------------------------------------------------------------------------------------------


def substring_spans(text: str, term: str, *, overlapping: bool = False) -> list[Span]:
    """Spans of the literal ``term`` in ``text``, left to right.

    Non-overlapping by default (``str.count`` semantics: the scan resumes after each match);
    with ``overlapping=True`` every start position is reported. An empty term is an error.
    """
    if not term:
        raise ValueError("cannot count an empty term")
    spans: list[Span] = []
    step = 1 if overlapping else len(term)
    start = text.find(term)
    while start != -1:
        spans.append((start, start + len(term)))
        start = text.find(term, start + step)
    return spans


# --- English words (issue 8) --------------------------------------------------------------------

#: A letter or digit (any script); the word-boundary test of the English rules.
_EN_LETTER = r"[^\W_]"
#: What may separate the words of a multi-word English term: whitespace (line breaks included) or one hyphen.
_EN_GAP = r"(?:\s+|[-\u2010\u2011])"
_EN_APOSTROPHES = "'\u2019"
_EN_TERM_WORD = re.compile(rf"^{_EN_LETTER}+(?:[{_EN_APOSTROPHES}]{_EN_LETTER}+)*$")
_EN_SPLIT = re.compile(r"[\s\-\u2010\u2011]+")
#: A word of an English text for densities: letters/digits joined by single internal hyphens, apostrophes or full stops.
_EN_WORD = re.compile(rf"{_EN_LETTER}+(?:[-\u2010\u2011{_EN_APOSTROPHES}.]{_EN_LETTER}+)*")
PER_WORDS = 10_000


def english_term_words(term: str) -> list[str]:
    """The words of an English term (split at whitespace and hyphens); each must be letters/digits with
    optional internal apostrophes. Raises ``ValueError`` for an empty or malformed term."""
    words = [w for w in _EN_SPLIT.split(term.strip()) if w]
    if not words:
        raise ValueError("cannot count an empty term")
    bad = [w for w in words if not _EN_TERM_WORD.match(w)]
    if bad:
        raise ValueError(f"English term {term!r}: {', '.join(map(repr, bad))} is not a word (letters or digits, internal apostrophes only)")
    return words


def english_plural(word: str) -> str:
    """The regular plural of ``word``: *consonant + y* → ``ies``; ``+es`` after s, x, z, ch, sh; else ``+s``."""
    low = word.lower()
    if len(low) > 1 and low.endswith("y") and low[-2] not in "aeiou":
        return word[:-1] + "ies"
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def _en_word_regex(word: str) -> str:
    return "".join(f"[{_EN_APOSTROPHES}]" if ch in _EN_APOSTROPHES else re.escape(ch) for ch in word)


@functools.lru_cache(maxsize=1024)
def english_regex(term: str, plural: bool = False) -> re.Pattern[str]:
    """The compiled pattern of an English term under the ``english`` (or, with ``plural``, ``english_plural``) rule."""
    words = english_term_words(term)
    parts = [_en_word_regex(w) for w in words]
    if plural:
        parts[-1] = f"(?:{_en_word_regex(english_plural(words[-1]))}|{parts[-1]})"
    body = _EN_GAP.join(parts)
    return re.compile(rf"(?<!{_EN_LETTER}){body}(?!{_EN_LETTER})", re.IGNORECASE)


def _regex_spans(pattern: re.Pattern[str], text: str, overlapping: bool) -> list[Span]:
    if not overlapping:
        return [m.span() for m in pattern.finditer(text)]
    spans: list[Span] = []
    m = pattern.search(text)
    while m is not None:
        spans.append(m.span())
        m = pattern.search(text, m.start() + 1)
    return spans


def english_spans(text: str, term: str, *, overlapping: bool = False) -> list[Span]:
    """Spans of the English ``term`` in ``text`` under the ``english`` rule (module docstring):
    case-insensitive, on word boundaries, words separated by whitespace runs or one hyphen.
    Non-overlapping left to right by default; ``overlapping=True`` reports every start position."""
    return _regex_spans(english_regex(term), text, overlapping)


def english_plural_spans(text: str, term: str, *, overlapping: bool = False) -> list[Span]:
    """As :func:`english_spans`, and the regular plural of the term's last word matches too (``english_plural``)."""
    return _regex_spans(english_regex(term, True), text, overlapping)


def english_words(text: str) -> list[str]:
    """The words of an English text (see the module docstring: ``AI-enabled``, ``China's``, ``U.S.`` are one word each)."""
    return _EN_WORD.findall(text)


def count_words(text: str) -> int:
    """Number of words of an English text (:func:`english_words`), the denominator of English densities."""
    return sum(1 for _ in _EN_WORD.finditer(text))


def word_density(count: int | float, words: int) -> float:
    """``count`` per 10,000 words (0.0 for an empty text)."""
    return 0.0 if words <= 0 else float(count) * PER_WORDS / words


#: Rule name → span finder ``(text, term, overlapping) -> spans``. ``english`` and ``english_plural``
#: are the English rules of issue 8 (case-insensitive, word boundaries, plurals; module docstring).
MATCHERS: dict[str, Callable[..., list[Span]]] = {
    "substring": substring_spans,
    "english": english_spans,
    "english_plural": english_plural_spans,
}
#: Rules that ``data/terms_en.csv`` may use.
ENGLISH_RULES: tuple[str, ...] = ("english", "english_plural")
#: Rules that ``data/terms.csv`` may use: the matchers plus ``token`` (jieba-token counting).
TERM_RULES: tuple[str, ...] = ("substring", "token")


def find_spans(text: str, term: str, *, rule: str = "substring", overlapping: bool = False) -> list[Span]:
    """Spans of ``term`` under the matching ``rule`` (``substring``; a ``token`` term is matched as substring)."""
    matcher = MATCHERS.get("substring" if rule == "token" else rule)
    if matcher is None:
        raise ValueError(f"unknown matching rule {rule!r}; known: {', '.join(sorted(MATCHERS))}")
    return matcher(text, term, overlapping=overlapping)


def count_substring(text: str, term: str, *, overlapping: bool = False) -> int:
    """Number of literal occurrences of ``term`` (non-overlapping unless ``overlapping=True``)."""
    return len(substring_spans(text, term, overlapping=overlapping))


def longer_terms(term: str, vocabulary: Iterable[str]) -> list[str]:
    """The terms of ``vocabulary`` that contain ``term`` and are longer, longest first, then by text."""
    found = {t for t in vocabulary if len(t) > len(term) and term in t}
    return sorted(found, key=lambda t: (-len(t), t))


def _covered(span: Span, covers: Sequence[Span]) -> bool:
    s, e = span
    return any(cs <= s and e <= ce for cs, ce in covers)


def net_spans(text: str, term: str, longer: Iterable[str], *, rule: str = "substring") -> list[Span]:
    """Inclusive spans of ``term`` that lie inside no match of a longer term of ``longer``."""
    longer = longer_terms(term, longer)
    covers = sorted({sp for t in longer for sp in find_spans(text, t, rule=rule, overlapping=True)})
    return [sp for sp in find_spans(text, term, rule=rule) if not _covered(sp, covers)]


def count_net(text: str, term: str, longer: Iterable[str] | None = None) -> int:
    """Occurrences of ``term`` outside every longer listed term (default: all terms of ``data/terms.csv``)."""
    return len(net_spans(text, term, _vocabulary(longer)))


def token_spans(text: str, term: str, tokens: Sequence[str] | None = None) -> list[Span]:
    """Spans of the jieba tokens of ``text`` that equal ``term``.

    ``tokens`` defaults to :func:`analysis.text.tokenize` of ``text`` (cached). Token offsets are
    recovered by locating each token in ``text`` from the end of the previous one.
    """
    if not term:
        raise ValueError("cannot count an empty term")
    if tokens is None:
        tokens = tokenize(text) if text else []
    spans: list[Span] = []
    cursor = 0
    for tok in tokens:
        start = text.find(tok, cursor)
        if start == -1:
            raise ValueError(f"token {tok!r} not found in the text after offset {cursor}: tokens do not belong to this text")
        cursor = start + len(tok)
        if tok == term:
            spans.append((start, cursor))
    return spans


def count_tokens(text: str, term: str, tokens: Sequence[str] | None = None) -> int:
    """Number of jieba tokens of ``text`` equal to ``term``."""
    return len(token_spans(text, term, tokens))


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


def count_term(
    text: str,
    term: str,
    mode: Mode = "inclusive",
    *,
    longer: Iterable[str] | None = None,
    rule: str = "substring",
    tokens: Sequence[str] | None = None,
) -> int:
    """Count ``term`` in ``text`` under ``mode`` (see the module docstring)."""
    return len(term_spans(text, term, mode, longer=longer, rule=rule, tokens=tokens))


def density(count: int | float, chars: int) -> float:
    """``count`` per 10,000 non-whitespace characters (0.0 for an empty text)."""
    return 0.0 if chars <= 0 else float(count) * PER_CHARACTERS / chars


# ---------------------------------------------------------------------------------------------
# Term list
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _load_terms_cached(path: str, mtime_ns: int) -> pd.DataFrame:
    return _read_terms(Path(path))


def _read_terms(path: Path) -> pd.DataFrame:
    df = read_table(path, required=TERM_COLUMNS, error=TermListError)
    problems = []
    seen: dict[str, int] = {}
    for i, row in df.iterrows():
        line = int(i) + 2
        term = row["term"]
        if not term.strip() or term != term.strip():
            problems.append(f"line {line}: term {term!r} is empty or has surrounding spaces")
        if not row["gloss_en"].strip():
            problems.append(f"line {line}: term {term!r} has no English gloss (gloss_en)")
        if row["category"] not in CATEGORIES:
            hint = "lower-case letters and _" if not _CATEGORY_NAME.match(row["category"]) else "add it to CATEGORIES and data/terms.md"
            problems.append(f"line {line}: unknown category {row['category']!r} ({hint})")
        if row["rule"] not in TERM_RULES:
            problems.append(f"line {line}: unknown rule {row['rule']!r}; use one of {', '.join(TERM_RULES)}")
        if term in seen:
            problems.append(f"line {line}: term {term!r} already listed on line {seen[term]}")
        seen.setdefault(term, line)
    if problems:
        raise TermListError(f"{path}: " + "; ".join(problems))
    df = df.loc[:, list(TERM_COLUMNS)].copy()
    df.insert(0, "order", range(len(df)))
    return df.reset_index(drop=True)


def load_terms(path: Path | None = None) -> pd.DataFrame:
    """The validated term list (``data/terms.csv``) in file order, with an ``order`` column.

    Raises :class:`TermListError` naming the file and line of every problem (unknown category or
    rule, duplicate term, missing gloss).
    """
    path = Path(path) if path is not None else TERMS_PATH
    if not path.is_file():
        raise TermListError(f"{path}: file not found")
    return _load_terms_cached(str(path.resolve()), path.stat().st_mtime_ns).copy()


def _select_terms(df: pd.DataFrame, categories: Sequence[str], known: Sequence[str], label: str) -> list[str]:
    """Terms of ``df`` in ``categories`` (all when none), in file order; unknown categories raise."""
    unknown = sorted(set(categories) - set(known))
    if unknown:
        raise KeyError(f"unknown {label} categories: {', '.join(unknown)}; known: {', '.join(known)}")
    if categories:
        df = df[df["category"].isin(categories)]
    return df.sort_values("order")["term"].tolist()


def terms_in(*categories: str, terms: pd.DataFrame | None = None) -> list[str]:
    """Terms of the given categories, in file order (all terms when no category is given)."""
    return _select_terms(load_terms() if terms is None else terms, categories, CATEGORIES, "term")


def describe_terms(terms: Sequence[str], *, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """``term_zh, pinyin, gloss_en, category, rule`` for ``terms`` in the given order (unlisted terms raise)."""
    df = (load_terms() if table is None else table).set_index("term")
    missing = [t for t in terms if t not in df.index]
    if missing:
        raise KeyError(f"terms not in {TERMS_PATH.name}: {', '.join(missing)}")
    out = df.loc[list(terms), ["pinyin", "gloss_en", "category", "rule"]].reset_index()
    return out.rename(columns={"term": "term_zh"})


def _vocabulary(longer: Iterable[str] | None) -> list[str]:
    return list(longer) if longer is not None else load_terms()["term"].tolist()


def security_vocabulary(terms: pd.DataFrame | None = None) -> list[str]:
    """Terms of :data:`SECURITY_VOCABULARY_CATEGORIES`, in file order."""
    return terms_in(*SECURITY_VOCABULARY_CATEGORIES, terms=terms)


def vocabulary_count(text: str, vocabulary: Sequence[str], *, longer: Iterable[str] | None = None) -> int:
    """Matches of a set of terms, each counted once: the sum of their **net** counts.

    A compound such as 国家安全 counts once (as 国家安全), not again as 安全; a term inside a longer
    listed term outside the set (安全 in 安全生产) is not counted. ``longer`` defaults to all
    listed terms plus ``vocabulary``.
    """
    pool = sorted(set(_vocabulary(longer)) | set(vocabulary))
    return sum(len(net_spans(text, term, pool)) for term in dict.fromkeys(vocabulary))


# ---------------------------------------------------------------------------------------------
# Corpus-level tables
# ---------------------------------------------------------------------------------------------


def corpus_documents(corpus: Corpus) -> list[tuple[str, str]]:
    """``(doc_id, text)`` pairs sorted by ``doc_id``; ``corpus`` is a DataFrame or ``{doc_id: text}``."""
    if isinstance(corpus, pd.DataFrame):
        missing = [c for c in ("doc_id", "text") if c not in corpus.columns]
        if missing:
            raise ValueError(f"the corpus table needs the column(s) {', '.join(missing)}; it has {', '.join(map(str, corpus.columns))}")
        pairs = list(zip(corpus["doc_id"].astype(str), corpus["text"].astype(str)))
    else:
        pairs = [(str(k), str(v)) for k, v in corpus.items()]
    ids = [d for d, _ in pairs]
    dupes = sorted({d for d in ids if ids.count(d) > 1})
    if dupes:
        raise ValueError(f"duplicate doc_id in the corpus: {', '.join(dupes)}")
    return sorted(pairs, key=lambda p: p[0])


def matching_rule(term: str, terms: pd.DataFrame | None = None) -> str:
    """The matcher a term is found with: its ``rule`` in ``data/terms.csv`` when that names a matcher
    of :data:`MATCHERS`, else ``substring`` (also for unlisted terms and ``token``-rule terms).

    Without ``terms``, a term not in ``data/terms.csv`` is looked up in ``data/terms_en.csv`` (its
    ``english`` or ``english_plural`` rule), so the matrix and KWIC functions count listed English
    terms by the English rules."""
    tables = [terms] if terms is not None else [load_terms(), load_terms_en()]
    for df in tables:
        rule = df.loc[df["term"] == term, "rule"]
        if not rule.empty:
            return rule.iloc[0] if rule.iloc[0] in MATCHERS else "substring"
    return "substring"


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


def document_characters(corpus: Corpus) -> pd.Series:
    """Non-whitespace characters of each document, indexed by ``doc_id`` (sorted)."""
    docs = corpus_documents(corpus)
    return pd.Series([count_characters(t) for _, t in docs], index=pd.Index([d for d, _ in docs], name="doc_id"), name="chars", dtype="int64")


def density_matrix(
    corpus: Corpus,
    terms: Sequence[str] | None = None,
    *,
    mode: Mode = "inclusive",
    longer: Iterable[str] | None = None,
) -> pd.DataFrame:
    """:func:`document_term_matrix` divided by each document's characters, per 10,000 characters."""
    counts = document_term_matrix(corpus, terms, mode=mode, longer=longer)
    chars = document_characters(corpus).reindex(counts.index)
    out = counts.astype("float64").mul(PER_CHARACTERS).div(chars.where(chars > 0), axis=0).fillna(0.0)
    return out


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
    out["per_10k"] = [density(c, n) for c, n in zip(out["count"], out["chars"])]
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


# ---------------------------------------------------------------------------------------------
# 安全: security or safety?
# ---------------------------------------------------------------------------------------------


def load_sense_rules(path: Path | None = None, *, term: str = "安全") -> pd.DataFrame:
    """The collocation rules (``data/anquan_senses.csv``), validated and sorted by precedence.

    Precedence: ``priority`` ascending, then longer pattern first, then pattern text. Every pattern
    must contain ``term``; ``sense`` is one of security / safety / ambiguous.
    """
    path = Path(path) if path is not None else SENSE_RULES_PATH
    try:
        df = read_table(path, required=SENSE_COLUMNS)
    except ValueError as exc:
        raise TermListError(str(exc)) from exc
    problems = []
    seen: dict[str, int] = {}
    for i, row in df.iterrows():
        line = int(i) + 2
        if term not in row["pattern"]:
            problems.append(f"line {line}: pattern {row['pattern']!r} does not contain {term}")
        if row["sense"] not in SENSES:
            problems.append(f"line {line}: sense {row['sense']!r} is not one of {', '.join(SENSES)}")
        if not row["priority"].strip().isdigit():
            problems.append(f"line {line}: priority {row['priority']!r} is not a non-negative integer")
        if not row["gloss_en"].strip() or not row["rationale"].strip():
            problems.append(f"line {line}: gloss_en and rationale must be filled")
        if row["pattern"] in seen:
            problems.append(f"line {line}: pattern {row['pattern']!r} already on line {seen[row['pattern']]}")
        seen.setdefault(row["pattern"], line)
    if problems:
        raise TermListError(f"{path}: " + "; ".join(problems))
    df = df.loc[:, list(SENSE_COLUMNS)].copy()
    df["priority"] = df["priority"].astype(int)
    df["_len"] = -df["pattern"].str.len()
    df = df.sort_values(["priority", "_len", "pattern"], kind="mergesort").drop(columns="_len")
    return df.reset_index(drop=True)


def classify_occurrences(text: str, term: str = "安全", rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every inclusive occurrence of ``term`` with its sense: ``position, sense, pattern, gloss_en``.

    The rule that applies is the first, in precedence order, whose pattern occurs in ``text`` so
    that it covers the occurrence; occurrences no rule covers are ``ambiguous`` / ``(no rule)``.
    """
    rules = load_sense_rules(term=term) if rules is None else rules
    compiled = []
    for pattern, sense, gloss in zip(rules["pattern"], rules["sense"], rules["gloss_en"]):
        offsets = [s for s, _ in substring_spans(pattern, term, overlapping=True)]
        compiled.append((pattern, sense, gloss, offsets))
    rows = []
    for s, _e in substring_spans(text, term):
        chosen = (NO_RULE, "ambiguous", "no collocation rule covers this occurrence")
        for pattern, sense, gloss, offsets in compiled:
            if any(s - k >= 0 and text.startswith(pattern, s - k) for k in offsets):
                chosen = (pattern, sense, gloss)
                break
        rows.append((s, chosen[1], chosen[0], chosen[2]))
    out = pd.DataFrame(rows, columns=["position", "sense", "pattern", "gloss_en"])
    out["position"] = out["position"].astype("int64")
    return out


def sense_kwic(corpus: Corpus, term: str = "安全", *, width: int = 15, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`kwic` lines of ``term`` with their ``sense`` and the ``pattern`` that decided it."""
    rules = load_sense_rules(term=term) if rules is None else rules
    lines = kwic(corpus, term, width=width)
    senses = []
    for doc_id, text in corpus_documents(corpus):
        c = classify_occurrences(text, term, rules)
        c.insert(0, "doc_id", doc_id)
        senses.append(c)
    cols = ["doc_id", "position", "sense", "pattern"]
    table = pd.concat(senses, ignore_index=True) if senses else pd.DataFrame(columns=[*cols, "gloss_en"])
    table = table.loc[:, cols]
    if not table.empty:
        table["position"] = table["position"].astype("int64")
    return lines.merge(table, on=["doc_id", "position"], how="left", validate="one_to_one")


def sense_summary(corpus: Corpus, term: str = "安全", *, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per document: ``all, security, safety, ambiguous, unmatched, security_or_ambiguous`` counts of ``term``.

    ``all`` is the inclusive count; ``unmatched`` (part of ``ambiguous``) is the number of occurrences
    no rule covers. Sorted by ``doc_id``.
    """
    rules = load_sense_rules(term=term) if rules is None else rules
    rows = []
    for doc_id, text in corpus_documents(corpus):
        c = classify_occurrences(text, term, rules)
        n = {s: int((c["sense"] == s).sum()) for s in SENSES}
        rows.append(
            {
                "doc_id": doc_id,
                "all": len(c),
                "security": n["security"],
                "safety": n["safety"],
                "ambiguous": n["ambiguous"],
                "unmatched": int((c["pattern"] == NO_RULE).sum()),
                "security_or_ambiguous": n["security"] + n["ambiguous"],
            }
        )
    cols = ["doc_id", "all", "security", "safety", "ambiguous", "unmatched", "security_or_ambiguous"]
    return pd.DataFrame(rows, columns=cols).astype({c: "int64" for c in cols[1:]})


def sense_rule_usage(corpus: Corpus, term: str = "安全", *, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """How often each rule decided an occurrence: ``pattern, sense, gloss_en, occurrences`` (rules in precedence order)."""
    rules = load_sense_rules(term=term) if rules is None else rules
    counts: dict[str, int] = {}
    for _doc, text in corpus_documents(corpus):
        for p in classify_occurrences(text, term, rules)["pattern"]:
            counts[p] = counts.get(p, 0) + 1
    out = rules.loc[:, ["pattern", "sense", "gloss_en"]].copy()
    out["occurrences"] = [counts.get(p, 0) for p in out["pattern"]]
    extra = pd.DataFrame([{"pattern": NO_RULE, "sense": "ambiguous", "gloss_en": "no collocation rule covers it", "occurrences": counts.get(NO_RULE, 0)}])
    return pd.concat([out, extra], ignore_index=True).astype({"occurrences": "int64"})


# ---------------------------------------------------------------------------------------------
# Profiles for the chapters
# ---------------------------------------------------------------------------------------------


def headline_mode(term: str, terms: pd.DataFrame | None = None) -> Mode:
    """The counting mode of a listed term's headline count: ``token`` for rule ``token``, else ``inclusive``."""
    df = load_terms() if terms is None else terms
    rule = df.loc[df["term"] == term, "rule"]
    if rule.empty:
        raise KeyError(f"{term!r} is not in {TERMS_PATH.name}")
    return "token" if rule.iloc[0] == "token" else "inclusive"


#: Measures of :func:`security_profile`, with their Chinese and English labels.
PROFILE_MEASURES: dict[str, tuple[str, str]] = {
    "anquan_all": ("安全", "security / safety,\nall occurrences"),
    "anquan_security": ("安全", "security sense only"),
    "anquan_security_or_ambiguous": ("安全", "security or\nambiguous sense"),
    "national_security": ("国家安全", "national security"),
    "security_vocabulary": ("安全类词汇", "security vocabulary\n(net, see text)"),
    "development": ("发展", "development"),
}


def typed_frame(rows: Sequence[Mapping[str, object]], columns: Sequence[str], text_columns: Iterable[str]) -> pd.DataFrame:
    """``rows`` as a frame whose column types hold even with zero rows (a corpus without texts).

    With no rows, ``text_columns`` are ``object``, columns ending in ``_per_10k`` ``float64`` and the
    others (counts, sizes) ``int64``, so that later arithmetic, ``.str`` and plotting code work on them.
    """
    out = pd.DataFrame(list(rows), columns=list(columns))
    if out.empty:
        text = set(text_columns)
        out = out.astype({c: object if c in text else "float64" if c.endswith("_per_10k") else "int64" for c in out.columns})
    return out


def security_profile(corpus: Corpus, *, rules: pd.DataFrame | None = None, terms: pd.DataFrame | None = None) -> pd.DataFrame:
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


def rank_correlation(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation of ``x`` and ``y`` (average ranks for ties); NaN with fewer than 3 pairs
    or a constant input."""
    if len(x) != len(y):
        raise ValueError("x and y must have the same length")
    if len(x) < 3:
        return float("nan")
    rx = pd.Series(list(x), dtype="float64").rank(method="average")
    ry = pd.Series(list(y), dtype="float64").rank(method="average")
    if rx.nunique() < 2 or ry.nunique() < 2:
        return float("nan")
    return float(rx.corr(ry))


# ---------------------------------------------------------------------------------------------
# English terms, the concept map and the US–China mirror (issue 8)
# ---------------------------------------------------------------------------------------------

TERMS_EN_PATH: Path = DATA_DIR / "terms_en.csv"
CONCEPT_MAP_PATH: Path = DATA_DIR / "concept_map.csv"
TERM_EN_COLUMNS: tuple[str, ...] = ("term", "definition", "category", "rule", "note")
CONCEPT_COLUMNS: tuple[str, ...] = ("concept", "concept_en", "language", "term", "pinyin", "gloss_en", "rationale")

#: The categories of ``data/terms_en.csv``. Where a name is also a key of :data:`CATEGORIES` it
#: collects the comparable English words (so :data:`SECURITY_VOCABULARY_CATEGORIES_EN` can name the
#: same families as the Chinese security vocabulary); the others exist only for English.
CATEGORIES_EN: dict[str, str] = {
    "security": "the word security, and the one-word compound biosecurity that a word-bounded 'security' does not match",
    "national_security": "national security",
    "homeland_security": "homeland security (the US notion; compare 国土安全)",
    "cyber_security": "cybersecurity, cyber security, network security",
    "economic_security": "economic security",
    "national_defence": "defense / defence, national defense",
    "military": "military",
    "safety": "safety: English needs a second word where Chinese has one (安全); not part of the security vocabulary",
    "institution": "names of offices and agencies that contain a listed term (Secretary of Homeland Security …); listed so that net counts leave them out",
    "counterpart": "the other side of the pair: China, Chinese, PRC, People's Republic of China, Beijing",
    "foreign": "the foreign in general (foreign), without naming a country",
    "competition": "compete, competition, competitive, competitiveness, competitor(s)",
    "adversary": "adversary / adversaries (not the technical 'adversarial')",
    "threat": "threat(s)",
    "risk": "risk(s)",
    "leadership": "leadership, leader(s), lead (mostly the verb)",
    "development_economy": "economy / economies, economic",
    "artificial_intelligence": "artificial intelligence, AI",
}

#: Categories of ``data/terms_en.csv`` whose terms make up the English security vocabulary: the
#: English counterparts of :data:`SECURITY_VOCABULARY_CATEGORIES` (security, its compounds, defence
#: and the military). ``safety`` and office names (``institution``) are left out.
SECURITY_VOCABULARY_CATEGORIES_EN: tuple[str, ...] = (
    "security",
    "national_security",
    "homeland_security",
    "cyber_security",
    "economic_security",
    "national_defence",
    "military",
)
LANGUAGES: tuple[str, ...] = ("zh", "en")


def _en_key(term: str) -> tuple[str, ...]:
    return tuple(w.casefold().replace("\u2019", "'") for w in english_term_words(term))


def _contains_words(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return len(longer) > n and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


@functools.lru_cache(maxsize=4)
def _load_terms_en_cached(path: str, mtime_ns: int) -> pd.DataFrame:
    return _read_terms_en(Path(path))


def _read_terms_en(path: Path) -> pd.DataFrame:
    df = read_table(path, required=TERM_EN_COLUMNS, error=TermListError)
    problems = []
    seen: dict[tuple[str, ...], int] = {}
    keys: dict[str, tuple[str, ...]] = {}
    rule_of = dict(zip(df["term"], df["rule"]))
    for i, row in df.iterrows():
        line = int(i) + 2
        term = row["term"]
        try:
            key = _en_key(term)
        except ValueError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        if term != " ".join(term.split()):
            problems.append(f"line {line}: term {term!r} has surrounding or repeated spaces")
        if not row["definition"].strip():
            problems.append(f"line {line}: term {term!r} has no definition")
        if row["category"] not in CATEGORIES_EN:
            problems.append(f"line {line}: unknown category {row['category']!r} (add it to CATEGORIES_EN and describe it)")
        if row["rule"] not in ENGLISH_RULES:
            problems.append(f"line {line}: unknown rule {row['rule']!r}; use one of {', '.join(ENGLISH_RULES)}")
        if key in seen:
            problems.append(f"line {line}: term {term!r} already listed on line {seen[key]} (matching ignores case and hyphens)")
        seen.setdefault(key, line)
        keys.setdefault(term, key)
    for a, ka in keys.items():
        for b, kb in keys.items():
            if _contains_words(kb, ka) and a not in b:
                problems.append(f"term {a!r} lies inside {b!r} but is written differently there (use the same capitalisation and spacing)")
            elif _contains_words(kb, ka) and rule_of[a] != rule_of[b]:
                problems.append(f"term {a!r} lies inside {b!r} but has another rule ({rule_of[a]} vs {rule_of[b]}); nested terms share a rule so that net counts agree")
    if problems:
        raise TermListError(f"{path}: " + "; ".join(problems))
    df = df.loc[:, list(TERM_EN_COLUMNS)].copy()
    df.insert(0, "order", range(len(df)))
    return df.reset_index(drop=True)


def load_terms_en(path: Path | None = None) -> pd.DataFrame:
    """The validated English term list (``data/terms_en.csv``) in file order, with an ``order`` column.

    Raises :class:`TermListError` naming the file and line of every problem (unknown category or
    rule, duplicate term ignoring case and hyphens, no definition, a term nested in another but
    written differently there or with another rule: nested terms share capitalisation and rule, so
    that the generic net counts of :func:`net_spans` agree with :func:`english_net_spans`).
    """
    path = Path(path) if path is not None else TERMS_EN_PATH
    if not path.is_file():
        raise TermListError(f"{path}: file not found")
    return _load_terms_en_cached(str(path.resolve()), path.stat().st_mtime_ns).copy()


def terms_in_en(*categories: str, terms: pd.DataFrame | None = None) -> list[str]:
    """English terms of the given categories, in file order (all terms when no category is given)."""
    return _select_terms(load_terms_en() if terms is None else terms, categories, CATEGORIES_EN, "English term")


def describe_terms_en(terms: Sequence[str], *, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """``term_en, definition, category, rule`` for ``terms`` in the given order (unlisted terms raise)."""
    df = (load_terms_en() if table is None else table).set_index("term")
    missing = [t for t in terms if t not in df.index]
    if missing:
        raise KeyError(f"terms not in {TERMS_EN_PATH.name}: {', '.join(missing)}")
    return df.loc[list(terms), ["definition", "category", "rule"]].reset_index().rename(columns={"term": "term_en"})


def security_vocabulary_en(terms: pd.DataFrame | None = None) -> list[str]:
    """English terms of :data:`SECURITY_VOCABULARY_CATEGORIES_EN`, in file order."""
    return terms_in_en(*SECURITY_VOCABULARY_CATEGORIES_EN, terms=terms)


def english_longer_terms(term: str, vocabulary: Iterable[str]) -> list[str]:
    """Terms of ``vocabulary`` whose words contain the words of ``term`` (case-insensitive, hyphens as spaces),
    longest first, then by text."""
    key = _en_key(term)
    found = {t for t in vocabulary if _contains_words(_en_key(t), key)}
    return sorted(found, key=lambda t: (-len(_en_key(t)), -len(t), t))


def english_net_spans(text: str, term: str, longer: Iterable[str], *, rules: Mapping[str, str] | None = None) -> list[Span]:
    """Spans of the English ``term`` that lie inside no match of a longer term of ``longer``.

    Unlike :func:`net_spans`, each term is searched with its own rule (``rules`` maps term → rule;
    default :func:`matching_rule`), and nesting is found word by word, ignoring case.
    """
    def rule_of(t: str) -> str:
        return (rules or {}).get(t) or matching_rule(t)

    covers = sorted({sp for t in english_longer_terms(term, longer) for sp in find_spans(text, t, rule=rule_of(t), overlapping=True)})
    return [sp for sp in find_spans(text, term, rule=rule_of(term)) if not _covered(sp, covers)]


def english_vocabulary_count(text: str, vocabulary: Sequence[str], *, longer: Iterable[str] | None = None) -> int:
    """Matches of a set of English terms, each counted once: the sum of their net counts
    (:func:`english_net_spans`) against ``longer`` (default: every term of ``data/terms_en.csv``) plus
    ``vocabulary``. ``national security`` counts once, not again as ``security``; a term inside a
    longer listed term outside the set (``defense`` in ``department of defense``) is not counted."""
    table = load_terms_en()
    rules = dict(zip(table["term"], table["rule"]))
    pool = sorted(set(table["term"] if longer is None else longer) | set(vocabulary))
    return sum(len(english_net_spans(text, term, pool, rules=rules)) for term in dict.fromkeys(vocabulary))


def document_words(corpus: Corpus) -> pd.Series:
    """Words (:func:`count_words`) of each document, indexed by ``doc_id`` (sorted)."""
    docs = corpus_documents(corpus)
    return pd.Series([count_words(t) for _, t in docs], index=pd.Index([d for d, _ in docs], name="doc_id"), name="words", dtype="int64")


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
    try:
        df = read_table(path, required=CONCEPT_COLUMNS)
    except ValueError as exc:
        raise TermListError(str(exc)) from exc
    zh = load_terms().set_index("term")
    en = set(load_terms_en()["term"])
    problems = []
    seen: dict[tuple[str, str, str], int] = {}
    for i, row in df.iterrows():
        line = int(i) + 2
        concept, lang, term = row["concept"], row["language"], row["term"]
        if not _CATEGORY_NAME.match(concept):
            problems.append(f"line {line}: concept {concept!r} must be lower-case letters and _")
        if lang not in LANGUAGES:
            problems.append(f"line {line}: language {lang!r} is not zh or en")
        if not term.strip() or not row["rationale"].strip() or not row["concept_en"].strip():
            problems.append(f"line {line}: term, concept_en and rationale must be filled")
        if lang == "zh":
            if not row["pinyin"].strip() or not row["gloss_en"].strip():
                problems.append(f"line {line}: Chinese term {term!r} needs pinyin and gloss_en")
            elif term in zh.index and (row["pinyin"], row["gloss_en"]) != (zh.at[term, "pinyin"], zh.at[term, "gloss_en"]):
                problems.append(f"line {line}: pinyin/gloss of {term!r} differ from {TERMS_PATH.name}; copy them from there")
        if lang == "en":
            if term not in en:
                problems.append(f"line {line}: English term {term!r} is not in {TERMS_EN_PATH.name}")
            if row["pinyin"].strip() or row["gloss_en"].strip():
                problems.append(f"line {line}: leave pinyin and gloss_en empty for an English term")
        key = (concept, lang, term)
        if key in seen:
            problems.append(f"line {line}: {term!r} already in concept {concept!r} on line {seen[key]}")
        seen.setdefault(key, line)
    for concept, group in df.groupby("concept", sort=True):
        if set(group["language"]) != set(LANGUAGES):
            problems.append(f"concept {concept!r} needs terms in both languages")
        if group["concept_en"].nunique() != 1:
            problems.append(f"concept {concept!r} has more than one concept_en label")
    if problems:
        raise TermListError(f"{path}: " + "; ".join(problems))
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
                "terms_zh": "; ".join(f"{t} ({p}, {e})" for t, p, e in zip(zh["term"], zh["pinyin"], zh["gloss_en"])),
                "terms_en": "; ".join(g.loc[g["language"] == "en", "term"]),
                "rationale": "; ".join(f"{t}: {r}" for t, r in zip(g["term"], g["rationale"])),
            }
        )
    return pd.DataFrame(rows, columns=["concept", "concept_en", "terms_zh", "terms_en", "rationale"])


def _count_once(text: str, language: str, vocabulary: Sequence[str], pool: Iterable[str]) -> int:
    if language == "en":
        return english_vocabulary_count(text, vocabulary, longer=pool)
    pool = sorted(set(pool) | set(vocabulary))
    return sum(len(net_spans(text, t, pool)) for t in dict.fromkeys(vocabulary))


def _languages(corpus: Corpus) -> dict[str, str]:
    if isinstance(corpus, pd.DataFrame):
        if "language" not in corpus.columns:
            raise ValueError("the corpus table needs a 'language' column (zh or en) to count both term lists")
        langs = dict(zip(corpus["doc_id"].astype(str), corpus["language"].astype(str)))
    else:
        langs = {str(d): ("zh" if re.search(r"[\u4e00-\u9fff]", str(t)) else "en") for d, t in corpus.items()}
    bad = sorted(d for d, lang in langs.items() if lang not in LANGUAGES)
    if bad:
        raise ValueError(f"documents with a language other than zh or en: {', '.join(bad)}")
    return langs


def concept_counts(corpus: Corpus, concepts: Sequence[str] | None = None, *, concept_map: pd.DataFrame | None = None) -> pd.DataFrame:
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
    langs = _languages(corpus)
    rows = []
    for doc_id, text in corpus_documents(corpus):
        lang = langs[doc_id]
        size = count_characters(text) if lang == "zh" else count_words(text)
        for concept in names:
            vocab = concept_terms(concept, lang, concepts=cmap)
            n = _count_once(text, lang, vocab, vocab)
            per = density(n, size) if lang == "zh" else word_density(n, size)
            rows.append((doc_id, lang, concept, n, size, "characters" if lang == "zh" else "words", per))
    out = pd.DataFrame(rows, columns=["doc_id", "language", "concept", "count", "size", "unit", "per_10k"])
    return out.astype({"count": "int64", "size": "int64", "per_10k": "float64"})


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
    langs = _languages(corpus)
    zh_pool = load_terms()["term"].tolist()
    zh_vocab = security_vocabulary()
    en_table = load_terms_en()
    en_pool = en_table["term"].tolist()
    en_pool_no_offices = en_table.loc[en_table["category"] != "institution", "term"].tolist()
    en_vocab = security_vocabulary_en(en_table)
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
            vocab = english_vocabulary_count(text, en_vocab, longer=en_pool)
            with_offices = english_vocabulary_count(text, en_vocab, longer=en_pool_no_offices)
        counts = {
            "security_vocabulary": vocab,
            "security_vocabulary_with_offices": with_offices,
            "national_security": int(concepts.at[(doc_id, "national_security"), "count"]),
            "counterpart": int(concepts.at[(doc_id, "counterpart"), "count"]),
        }
        per = density if lang == "zh" else word_density
        row: dict[str, object] = {"doc_id": doc_id, "language": lang, "unit": "characters" if lang == "zh" else "words", "size": size}
        row.update(counts)
        row.update({f"{k}_per_10k": per(v, size) for k, v in counts.items()})
        rows.append(row)
    cols = ["doc_id", "language", "unit", "size", *MIRROR_MEASURES, *(f"{k}_per_10k" for k in MIRROR_MEASURES)]
    return typed_frame(rows, cols, ["doc_id", "language", "unit"])
