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


#: Rule name → span finder ``(text, term, overlapping) -> spans``. A new matching rule (for example
#: English words, case-insensitive, with word boundaries and plurals) is added here.
MATCHERS: dict[str, Callable[..., list[Span]]] = {"substring": substring_spans}
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
    try:
        df = read_table(path, required=TERM_COLUMNS)
    except ValueError as exc:
        raise TermListError(str(exc)) from exc
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


def terms_in(*categories: str, terms: pd.DataFrame | None = None) -> list[str]:
    """Terms of the given categories, in file order (all terms when no category is given)."""
    df = load_terms() if terms is None else terms
    unknown = sorted(set(categories) - set(CATEGORIES))
    if unknown:
        raise KeyError(f"unknown term categories: {', '.join(unknown)}; known: {', '.join(CATEGORIES)}")
    if categories:
        df = df[df["category"].isin(categories)]
    return df.sort_values("order")["term"].tolist()


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
    of :data:`MATCHERS`, else ``substring`` (also for unlisted terms and ``token``-rule terms)."""
    df = load_terms() if terms is None else terms
    rule = df.loc[df["term"] == term, "rule"]
    return rule.iloc[0] if not rule.empty and rule.iloc[0] in MATCHERS else "substring"


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
    rules = {t: matching_rule(t, table) for t in terms}
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
    return pd.DataFrame(rows, columns=cols)


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
