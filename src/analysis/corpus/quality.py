"""Is the text layer language, and is the page prose? Measures behind two acceptance checks.

**Garbled text layers** (a PDF whose glyphs map to the wrong characters, text decoded with the wrong
encoding and stored again, random characters under a correct title line) keep their length and often
their share of Han characters, but not their words:

* ``zh``: :func:`han_word_share`, the share of the text's Han bigrams (two Han characters side by side)
  that are words of jieba's dictionary (the book's tokenizer, :func:`analysis.io.text.get_tokenizer`, so
  jieba is configured in one place and stays silent). Measured on the 21 Chinese texts of the shared
  mirror: 0.500 to 0.572. On garbage made from the same texts: UTF-8 read as GBK 0.000, GBK read as Big5
  at most 0.004, code points shifted by one (a wrong glyph mapping) at most 0.004, the text's own Han
  characters permuted (a consistent wrong mapping) at most 0.109, the characters shuffled at most 0.125,
  characters drawn at random from the text at most 0.129, random Han characters at most 0.001. Floor
  :data:`MIN_HAN_WORD_SHARE` = 0.30, between the two with a margin on both sides.
* ``en``: :func:`function_word_share`, the share of words that are among :data:`FUNCTION_WORDS`. The
  three English mirror texts: 0.275 (the 2016 R&D plan, with its tables and lists) to 0.380; letters
  shifted by three 0.003, random letters 0.009, letters shuffled inside each word 0.114. Floor
  :data:`MIN_FUNCTION_WORD_SHARE` = 0.15.

Both are judged only on texts with at least :data:`MIN_SAMPLE` bigrams or words (a shorter text says too
little; the length floors refuse most of them anyway).

**Lists of links or titles** (an index page, search results, a "热门文件" box): :func:`bare_line_share`,
the share of letters (Han and Latin) that stand in lines without any sentence punctuation (。！？；, or
``. ; ? ! : ：`` before a space or the line end). Real documents keep their letters in sentences: the
24 mirror texts 0.000 to 0.320 (an MIIT notice whose tables keep the page's line breaks); a list of
titles is close to 1 (0.9 and more). Ceiling :data:`MAX_BARE_LINE_SHARE` = 0.75, leaving room for plans whose
annexes are long tables of tasks; judged on texts with at least
:data:`MIN_SAMPLE` letters.
"""

from __future__ import annotations

import functools
import re

MIN_HAN_WORD_SHARE = 0.30
MIN_FUNCTION_WORD_SHARE = 0.15
MAX_BARE_LINE_SHARE = 0.75
#: Fewest bigrams, words or letters a measure is judged on.
MIN_SAMPLE = 200
#: The commonest English function words (a text layer of English prose is made of them in good part).
FUNCTION_WORDS: frozenset[str] = frozenset(
    "the of and to in a is that for on with as by be are or this it from at an which will shall not have".split()
)
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
_WORD = re.compile(r"[a-z]+")
_LETTER = re.compile(r"[A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SENTENCE = re.compile(r"[。！？；]|[.;?!:：](?:\s|$)")


@functools.lru_cache(maxsize=1)
def _dictionary() -> dict[str, int]:
    from analysis.io.text import get_tokenizer

    return get_tokenizer().FREQ  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=256)
def han_word_share(text: str) -> tuple[float, int]:
    """``(share, bigrams)``: the share of Han bigrams of ``text`` that are jieba dictionary words, and their number."""
    words = _dictionary()
    total = hits = 0
    for run in _HAN_RUN.findall(text):
        for i in range(len(run) - 1):
            total += 1
            if words.get(run[i : i + 2], 0) > 0:  # jieba keeps every prefix of a word with frequency 0
                hits += 1
    return (hits / total if total else 0.0), total


@functools.lru_cache(maxsize=256)
def function_word_share(text: str) -> tuple[float, int]:
    """``(share, words)``: the share of English words of ``text`` that are :data:`FUNCTION_WORDS`, and their number."""
    words = _WORD.findall(text.lower())
    return (sum(w in FUNCTION_WORDS for w in words) / len(words) if words else 0.0), len(words)


@functools.lru_cache(maxsize=256)
def bare_line_share(text: str) -> tuple[float, int]:
    """``(share, letters)``: the share of letters in lines without sentence punctuation, and the number of letters."""
    total = bare = 0
    for line in text.split("\n"):
        n = len(_LETTER.findall(line))
        total += n
        if n and not _SENTENCE.search(line):
            bare += n
    return (bare / total if total else 0.0), total


def garbled(text: str, language: str) -> str | None:
    """Why ``text`` looks like a garbled text layer (one clause), or ``None``."""
    if language == "zh":
        share, n = han_word_share(text)
        if n >= MIN_SAMPLE and share < MIN_HAN_WORD_SHARE:
            return (
                f"only {share:.0%} of its {n} Han character pairs are dictionary words (real texts: 50% or more, "
                f"floor {MIN_HAN_WORD_SHARE:.0%}): a garbled text layer (wrong encoding or glyph mapping?)"
            )
    elif language == "en":
        share, n = function_word_share(text)
        if n >= MIN_SAMPLE and share < MIN_FUNCTION_WORD_SHARE:
            return (
                f"only {share:.0%} of its {n} words are common English words such as 'the' or 'of' (real texts: "
                f"27% or more, floor {MIN_FUNCTION_WORD_SHARE:.0%}): a garbled text layer (wrong glyph mapping?)"
            )
    return None


def link_list(text: str) -> str | None:
    """Why ``text`` looks like a list of links or titles rather than a document (one clause), or ``None``."""
    share, n = bare_line_share(text)
    if n >= MIN_SAMPLE and share > MAX_BARE_LINE_SHARE:
        return (
            f"{share:.0%} of its letters stand in lines without any sentence punctuation (real texts: at most 32%, "
            f"ceiling {MAX_BARE_LINE_SHARE:.0%}): a list of links or titles (an index or search-results page?), "
            "not the document"
        )
    return None
