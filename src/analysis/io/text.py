"""Text normalisation and tokenisation: the one place that decides what a "character" and a "token" are.

Normalisation (:func:`normalize_text`) is applied to every document before it is hashed,
counted or tokenised. The rules, in order:

1. Line endings: ``\\r\\n`` and ``\\r`` become ``\\n``.
2. Zero-width characters and the byte-order mark are removed; full-width ASCII letters and
   digits are folded to half-width (``ＡＩ２０３０`` → ``AI2030``). Chinese punctuation
   (，。、；：？！（）《》) is kept as it is, because it is the ordinary punctuation of these texts.
3. Unicode NFC composition (after step 2, so that the result is stable: normalising twice gives
   the same text).
4. Every Unicode space separator (ideographic space U+3000, no-break space, thin spaces …)
   and tabs become an ASCII space, so the full-width space is folded too.
5. Each line is stripped; runs of spaces inside a line become one space; a space between two
   Han characters is removed (Chinese does not separate words with spaces, such gaps come
   from page layout).
6. Empty lines are dropped, so paragraphs are separated by exactly one ``\\n``; the text
   ends without a trailing newline.

Tokenisation uses a dedicated :class:`jieba.Tokenizer` (never jieba's global instance),
configured once in :func:`get_tokenizer` (silent logging and a project-local cache folder come from
:func:`prepare_tokenizer`, which Sphinx's search index uses too), the
domain user dictionary shipped in ``analysis/resources/userdict.txt`` by absolute path and
HMM new-word discovery switched off, so that segmentation depends only on the dictionaries.
Token lists are cached on disk by the SHA-256 of the text and a fingerprint of the tokenizer,
so a warm run tokenises nothing.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.io.fileio import atomic_write_text
from analysis.io.paths import RESOURCES_DIR, cache_path

if TYPE_CHECKING:  # pragma: no cover
    import jieba

NORMALIZATION_VERSION = "2"
HMM = False
USER_DICT: Path = RESOURCES_DIR / "userdict.txt"

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN}]) +(?=[{_HAN}])")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_FULLWIDTH_ALNUM = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp - 0xFEE0).isalnum()}
_HAN_CHAR = re.compile(rf"[{_HAN}]")


def normalize_text(text: str) -> str:
    """Return the normalised form of ``text`` (see the module docstring for the rules)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_ZERO_WIDTH).translate(_FULLWIDTH_ALNUM)
    # NFC after removing zero-width characters and folding full-width letters, so that a combining
    # mark they separated from (or left after) a base letter is composed now, not on a second pass.
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if (ch != "\n" and (ch.isspace() or unicodedata.category(ch) == "Zs")) else ch for ch in text)
    lines = []
    for line in text.split("\n"):
        line = re.sub(r" {2,}", " ", line.strip())
        line = _SPACE_BETWEEN_HAN.sub("", line)
        if line:
            lines.append(line)
    return "\n".join(lines)


def text_sha256(text: str) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of ``text``; the corpus hashes normalised text with it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: One whitespace character in the sense of :meth:`str.isspace` (``re``'s ``\s`` on ``str`` uses the same test).
_WHITESPACE = re.compile(r"\s")


def count_characters(text: str) -> int:
    """Number of non-whitespace characters (:meth:`str.isspace`): the denominator of every per-10,000-character
    density. Counted by a regular expression, in C: the character loop in Python was the single costliest line
    of the package tests (21 million calls)."""
    return len(text) - len(_WHITESPACE.findall(text))


def dictionary_words(path: Path) -> list[str]:
    """The words of a jieba dictionary file (one ``word [frequency] [tag]`` a line; ``#`` comments), in file order."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line.split()[0])
    return words


def user_dictionary_terms() -> list[str]:
    """The words of the domain user dictionary, in file order."""
    return dictionary_words(USER_DICT)


def prepare_tokenizer(tokenizer: jieba.Tokenizer) -> jieba.Tokenizer:
    """A jieba tokenizer as the book runs one: silent (jieba's DEBUG lines hold a timing, different on every run)
    and with its dictionary cache in ``.cache/jieba``, not the shared /tmp. The book's own tokenizer
    (:func:`get_tokenizer`) and the global one that Sphinx's search index cuts with (``booktools.searchindex``)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer.tmp_dir = str(cache_path("jieba", "placeholder").parent)
    return tokenizer


@functools.lru_cache(maxsize=1)
def get_tokenizer() -> jieba.Tokenizer:
    """The book's jieba tokenizer: silent, cached locally, with the domain dictionary, HMM off.

    jieba's own logger is set to WARNING before first use, so that loading the dictionary prints
    nothing (its DEBUG lines include a timing and would differ on every run).
    """
    import jieba  # imported here: importing jieba is slow and only tokenising needs it

    tokenizer = prepare_tokenizer(jieba.Tokenizer())
    tokenizer.initialize()
    tokenizer.load_userdict(str(USER_DICT.resolve()))
    return tokenizer


@functools.lru_cache(maxsize=1)
def tokenizer_fingerprint() -> str:
    """Identifies everything that can change segmentation: jieba's version, its dictionary, ours, HMM."""
    import jieba

    h = hashlib.sha256()
    h.update(f"jieba={jieba.__version__};hmm={HMM};norm={NORMALIZATION_VERSION}".encode())
    h.update(USER_DICT.read_bytes())
    h.update((Path(jieba.__file__).parent / "dict.txt").read_bytes())
    return h.hexdigest()[:16]


class TokenCacheStats:
    """How many texts a process tokenised and how many it read from the cache (for the benchmark)."""

    tokenized = 0
    cache_hits = 0


def tokenize(text: str, *, use_cache: bool = True) -> list[str]:
    """Segment ``text`` (already normalised) into jieba tokens, whitespace tokens dropped.

    Results are cached in ``.cache/tokens/`` under the text's SHA-256 and the tokenizer fingerprint.
    """
    path = cache_path("tokens", tokenizer_fingerprint(), f"{text_sha256(text)}.json")
    if use_cache and path.is_file():
        TokenCacheStats.cache_hits += 1
        return json.loads(path.read_text(encoding="utf-8"))
    tokens = [t for t in get_tokenizer().lcut(text, HMM=HMM) if not t.isspace()]
    TokenCacheStats.tokenized += 1
    if use_cache:
        atomic_write_text(path, json.dumps(tokens, ensure_ascii=False))
    return tokens


#: A web address in free text (``http://`` or ``https://`` up to whitespace, a quote or an angle bracket); sources of
#: fact tables and links in Markdown tables are found with it.
URL_PATTERN = re.compile(r"https?://[^\s<>\"']+")


def invisible_characters(term: str, *, spaces: bool) -> list[str]:
    """The invisible characters of ``term`` as ``U+200B (ZERO WIDTH SPACE)``: format and control
    characters, line and paragraph separators, and every space but U+0020 (that one too unless ``spaces``)."""
    found = []
    for ch in term:
        cat = unicodedata.category(ch)
        if (
            cat in ("Cf", "Cc", "Zl", "Zp")
            or (cat == "Zs" and (ch != " " or not spaces))
            or (ch.isspace() and ch != " ")
        ):
            found.append(f"U+{ord(ch):04X} ({unicodedata.name(ch, 'unnamed')})")
    return list(dict.fromkeys(found))
