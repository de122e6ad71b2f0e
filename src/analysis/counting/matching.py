"""Matching: where a term occurs in a text, as spans ``(start, end)`` of character offsets.

Every count of the book is a number of such spans in the normalised text
(:func:`analysis.io.text.normalize_text`), so that a count always equals its number of KWIC lines.
How a term is found is its **rule**, a property of the term (column ``rule`` of ``data/terms.csv`` and
``data/terms_en.csv``, see :mod:`analysis.counting.terms`); :data:`MATCHERS` maps a rule to its span
finder, so that counting, matrix and KWIC functions never depend on the language.

``substring``
    a literal, case-sensitive character sequence (the Chinese terms). Non-overlapping left to right,
    like ``str.count``; ``overlapping=True`` reports every start position.
``token``
    a Chinese term counted as jieba tokens in the ``token`` mode; matched as ``substring`` otherwise.
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

**Nesting.** A *net* match is one that lies inside no match of a longer listed term containing the
term (:func:`net_spans`): 安全 net of 国家安全, ``security`` net of ``national security``. Chinese
terms contain each other as strings; English terms word by word, ignoring case and hyphens
(:func:`longer_terms`). Longer terms are searched with overlaps allowed, each with its own rule, so
that every covered position is found.

Word counts of English texts (:func:`count_words`, the denominator of English densities): a word is a
maximal run of letters or digits, which may be joined by single internal hyphens, apostrophes or full
stops, so ``AI-enabled``, ``China's``, ``U.S.`` and ``1.5`` are one word each and ``10^26`` is two.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from analysis.io import vocabulary
from analysis.io.text import tokenize

Span = tuple[int, int]

#: A letter or digit (any script); the word-boundary test of the English rules.
_EN_LETTER = r"[^\W_]"
#: What may separate the words of a multi-word English term: whitespace (line breaks included) or one hyphen.
_EN_GAP = r"(?:\s+|[-\u2010\u2011])"
_EN_APOSTROPHES = "'\u2019"
_EN_TERM_WORD = re.compile(rf"^{_EN_LETTER}+(?:[{_EN_APOSTROPHES}]{_EN_LETTER}+)*$")
_EN_SPLIT = re.compile(r"[\s\-\u2010\u2011]+")
#: A word of an English text for densities: letters/digits joined by single internal hyphens, apostrophes or full stops.
_EN_WORD = re.compile(rf"{_EN_LETTER}+(?:[-\u2010\u2011{_EN_APOSTROPHES}.]{_EN_LETTER}+)*")


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


def english_term_words(term: str) -> list[str]:
    """The words of an English term (split at whitespace and hyphens); each must be letters/digits with
    optional internal apostrophes. Raises ``ValueError`` for an empty or malformed term."""
    words = [w for w in _EN_SPLIT.split(term.strip()) if w]
    if not words:
        raise ValueError("cannot count an empty term")
    bad = [w for w in words if not _EN_TERM_WORD.match(w)]
    if bad:
        raise ValueError(
            f"English term {term!r}: {', '.join(map(repr, bad))} is not a word (letters or digits, internal apostrophes only)"
        )
    return words


def english_key(term: str) -> tuple[str, ...]:
    """The words of an English term as matching sees them: case-folded, hyphens as spaces, one apostrophe."""
    return tuple(w.casefold().replace("\u2019", "'") for w in english_term_words(term))


def contains_words(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """True when the word sequence ``longer`` has more words than ``shorter`` and contains it."""
    n = len(shorter)
    return len(longer) > n and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


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


#: Rule name → span finder ``(text, term, overlapping) -> spans``.
MATCHERS: dict[str, Callable[..., list[Span]]] = {
    "substring": substring_spans,
    "english": english_spans,
    "english_plural": english_plural_spans,
}
#: Rules of English terms (``data/terms_en.csv``): word-bounded and case-insensitive (:mod:`analysis.io.vocabulary`).
ENGLISH_RULES: tuple[str, ...] = vocabulary.ENGLISH_RULES
#: Rules of Chinese terms (``data/terms.csv``): the ``substring`` matcher plus ``token`` (jieba-token counting).
TERM_RULES: tuple[str, ...] = vocabulary.TERM_RULES


def find_spans(text: str, term: str, *, rule: str = "substring", overlapping: bool = False) -> list[Span]:
    """Spans of ``term`` under the matching ``rule`` (``substring``; a ``token`` term is matched as substring)."""
    matcher = MATCHERS.get("substring" if rule == "token" else rule)
    if matcher is None:
        raise ValueError(f"unknown matching rule {rule!r}; known: {', '.join(sorted(MATCHERS))}")
    return matcher(text, term, overlapping=overlapping)


def longer_terms(term: str, vocabulary: Iterable[str], *, rule: str = "substring") -> list[str]:
    """The terms of ``vocabulary`` that contain ``term`` and are longer, longest first, then by text.

    Under an English ``rule`` a term contains another word by word, ignoring case and hyphens
    (``national security`` contains ``Security``); otherwise as a string.
    """
    if rule in ENGLISH_RULES:
        key = english_key(term)
        found = {t for t in vocabulary if contains_words(english_key(t), key)}
        return sorted(found, key=lambda t: (-len(english_key(t)), -len(t), t))
    found = {t for t in vocabulary if len(t) > len(term) and term in t}
    return sorted(found, key=lambda t: (-len(t), t))


def _covered(span: Span, covers: Sequence[Span]) -> bool:
    s, e = span
    return any(cs <= s and e <= ce for cs, ce in covers)


def net_spans(
    text: str, term: str, longer: Iterable[str], *, rule: str = "substring", rules: Mapping[str, str] | None = None
) -> list[Span]:
    """Spans of ``term`` (under ``rule``) that lie inside no match of a longer term of ``longer``.

    Each longer term is searched with its own rule from ``rules`` (term → rule; ``rule`` when absent).
    """
    rules = rules or {}
    covers = sorted(
        {
            sp
            for t in longer_terms(term, longer, rule=rule)
            for sp in find_spans(text, t, rule=rules.get(t, rule), overlapping=True)
        }
    )
    return [sp for sp in find_spans(text, term, rule=rule) if not _covered(sp, covers)]


def token_spans(text: str, term: str, tokens: Sequence[str] | None = None) -> list[Span]:
    """Spans of the jieba tokens of ``text`` that equal ``term``.

    ``tokens`` defaults to :func:`analysis.io.text.tokenize` of ``text`` (cached). Token offsets are
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
            raise ValueError(
                f"token {tok!r} not found in the text after offset {cursor}: tokens do not belong to this text"
            )
        cursor = start + len(tok)
        if tok == term:
            spans.append((start, cursor))
    return spans
