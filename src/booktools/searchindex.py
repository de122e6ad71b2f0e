"""Sphinx's Chinese search index, the same bytes, built faster: in linear time, and without jieba's dictionary
when no page of the build needs it.

Sphinx's ``SearchChinese`` cuts the text of every page it writes with jieba's global tokenizer, whose dictionary
(about 500,000 entries) takes 0.6 s to load in every build, a prose edit's included. :class:`FastSearchChinese`
gives Sphinx the same words:

* **Cuts are kept** (:class:`SearchCuts`): ``jieba.cut_for_search`` of each text node, in ``.cache/jieba``, under a
  key of jieba's version, both dictionaries and this module's code. A page written again cuts only its new text.
* **Text without a dictionary word needs no dictionary.** jieba's cut of a text depends on its dictionary only
  through the dictionary words that occur in the text. A text with no character of jieba's Han range
  (U+4E00–U+9FD5) can hold only the dictionaries' few words without such characters (``C++``, ``AT&T`` …); when it
  holds none of them either, jieba cuts it exactly as a tokenizer with an empty dictionary does, and so it is cut.
  ``tests/booktools/test_searchindex.py`` checks this against jieba on generated texts.
* The dictionary is loaded at the first text that needs it, so a build that writes only new English prose (an edit
  of a paragraph) never loads it.

Sphinx 7.4's ``SearchChinese`` also appends every Latin word of every page to a list and tests membership in that
list for every word it stems (quadratic), and runs the pure-Python Snowball stemmer once or twice per word
occurrence. Here membership is a set lookup and stems are memoized on (word, membership), which gives the same
answers. ``make repro`` and ``make stale-test`` compare ``searchindex.js`` byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import unicodedata
from pathlib import Path
from typing import Any

import snowballstemmer
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.search.zh import SearchChinese

from analysis.io.fileio import atomic_write_bytes
from analysis.io.paths import cache_path
from analysis.io.text import dictionary_words

#: jieba's Han range (``jieba.re_han_default``): the characters its dictionary is consulted for.
_JIEBA_HAN = re.compile("[\u4e00-\u9fd5]")
#: A Latin word that carries at least one tone mark or diacritic (pinyin as the book prints it).
_TONED = re.compile(r"\b[A-Za-z]*[À-ɏ][A-Za-zÀ-ɏ]*\b")
#: User dictionaries loaded into jieba's global tokenizer in this process.
_USER_DICTS_LOADED: set[str] = set()
#: Above this many kept cuts, a build keeps only the cuts it used (the book has about ten times fewer).
MAX_KEPT = 200_000


def fold_pinyin(word: str) -> str:
    """``ānquán`` → ``anquan``: the word without tone marks (NFD, combining marks dropped), lower case."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def configure_jieba(app: Sphinx, config: Config) -> None:
    """Sphinx's Chinese search splitter uses jieba's *global* tokenizer: make it silent, give it the book's user
    dictionary (so 国家安全 is indexed as a word) and keep its cache out of the shared /tmp. The dictionary itself
    is loaded only when a text needs it (:class:`SearchCuts`)."""
    import jieba

    from analysis.io.text import USER_DICT, prepare_tokenizer

    prepare_tokenizer(jieba.dt)
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(USER_DICT.resolve())}


class SearchCuts:
    """``jieba.cut_for_search`` of the global tokenizer with the user dictionary ``user_dict``, kept on disk in
    ``folder``, and the dictionary loaded only when a text needs it (see the module docstring)."""

    def __init__(self, user_dict: Path | None, folder: Path) -> None:
        import jieba

        self._jieba = jieba
        self.user_dict = user_dict
        self.main_dict = Path(jieba.__file__).parent / "dict.txt"
        self.key = self._key()
        self.path = folder / f"search-cuts-{self.key}.pickle"
        self.cuts: dict[str, tuple[str, ...]] = {}
        self.undictionaried: tuple[str, ...] | None = None  # the dictionaries' words without a jieba Han character
        self._load()
        self.used: set[str] = set()
        self.added = 0
        self.loaded_dictionary = False
        self._empty: Any = None

    def _key(self) -> str:
        """jieba's version and dictionaries (:func:`analysis.io.text.tokenizer_fingerprint`), the user dictionary
        given, and this module's code (a change to how texts are cut)."""
        from analysis.io.text import tokenizer_fingerprint

        h = hashlib.sha256(tokenizer_fingerprint().encode())
        h.update(Path(__file__).read_bytes())
        h.update(b"\0" + (self.user_dict.read_bytes() if self.user_dict is not None else b""))
        return h.hexdigest()[:16]

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as fh:
                kept = pickle.load(fh)
            self.cuts, self.undictionaried = dict(kept["cuts"]), tuple(kept["undictionaried"])
        except Exception:  # noqa: BLE001 - no file, or one this version cannot read: cut again
            self.cuts, self.undictionaried = {}, None

    def _special_words(self) -> tuple[str, ...]:
        if self.undictionaried is None:
            files = [self.main_dict, *([self.user_dict] if self.user_dict is not None else [])]
            words = {w for f in files for w in dictionary_words(f) if not _JIEBA_HAN.search(w)}
            self.undictionaried = tuple(sorted(words))
        return self.undictionaried

    def needs_dictionary(self, text: str) -> bool:
        """Whether jieba's dictionary can change the cut of ``text``: it holds a jieba Han character or a word of
        the dictionaries that has none."""
        return bool(_JIEBA_HAN.search(text)) or any(w in text for w in self._special_words())

    def _dictionary_tokenizer(self) -> Any:
        if not self.loaded_dictionary:
            self._jieba.dt.initialize()
            if self.user_dict is not None and str(self.user_dict) not in _USER_DICTS_LOADED:
                self._jieba.load_userdict(str(self.user_dict))  # once per process: each load adds to jieba's total
                _USER_DICTS_LOADED.add(str(self.user_dict))
            self.loaded_dictionary = True
        return self._jieba.dt

    def _empty_tokenizer(self) -> Any:
        if self._empty is None:
            empty = self._jieba.Tokenizer()
            empty.FREQ, empty.total, empty.initialized = {}, 1, True
            self._empty = empty
        return self._empty

    def __call__(self, text: str) -> list[str]:
        self.used.add(text)
        kept = self.cuts.get(text)
        if kept is None:
            tokenizer = self._dictionary_tokenizer() if self.needs_dictionary(text) else self._empty_tokenizer()
            kept = self.cuts[text] = tuple(tokenizer.cut_for_search(text))
            self.added += 1
        return list(kept)

    def save(self) -> None:
        """Keep the cuts on disk (when any was added), atomically; cuts of other dictionaries are removed."""
        if not self.added:
            return
        cuts = self.cuts if len(self.cuts) <= MAX_KEPT else {t: self.cuts[t] for t in self.used}
        data = pickle.dumps({"cuts": cuts, "undictionaried": self._special_words()}, protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write_bytes(self.path, data)
        for other in self.path.parent.glob("search-cuts-*.pickle"):
            if other != self.path:
                other.unlink(missing_ok=True)
        self.added = 0


class _TermList(list):  # type: ignore[type-arg]
    """A list with set-speed membership tests (see :class:`FastSearchChinese`)."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[str] = set()

    def extend(self, items: Any) -> None:
        items = list(items)
        super().extend(items)
        self._members.update(items)

    def __contains__(self, item: object) -> bool:
        return item in self._members


#: The cuts of the build in progress (one per process; saved when the build finishes).
_CUTS: dict[tuple[str, str], SearchCuts] = {}


def search_cuts(user_dict: str | None) -> SearchCuts:
    """The :class:`SearchCuts` of this process for ``user_dict`` (created, and read from disk, on first use)."""
    folder = cache_path("jieba", "placeholder").parent
    key = (str(folder), user_dict or "")
    if key not in _CUTS:
        _CUTS[key] = SearchCuts(Path(user_dict) if user_dict and os.path.isfile(user_dict) else None, folder)
    return _CUTS[key]


class FastSearchChinese(SearchChinese):
    """Sphinx's Chinese search splitter, with the same index, built faster (see the module docstring)."""

    def init(self, options: dict[str, str]) -> None:
        # SearchChinese.init loads the user dictionary into jieba, which loads the whole dictionary: SearchCuts
        # does both when a text first needs them.
        self.stemmer = snowballstemmer.stemmer("english")
        self.latin_terms = _TermList()
        self._stems: dict[tuple[str, bool], str] = {}
        self._cuts = search_cuts(options.get("dict"))

    def split(self, input: str) -> list[str]:
        """Sphinx's words (``SearchChinese.split``: jieba's cut, then the Latin words), and every word of pinyin
        with tone marks (ānquán) also without them (anquan), so that a search for the pinyin as printed or as
        typed finds it (the query is folded the same way by ``static/pinyin-search.js``). jieba alone cuts
        ``ānquán`` into fragments such as ``nqu``."""
        chinese = self._cuts(input)
        latin1 = [term.strip() for term in self.latin1_letters.findall(input)]
        self.latin_terms.extend(latin1)
        folded = [fold_pinyin(w) for w in _TONED.findall(input)]
        self.latin_terms.extend(folded)
        return [*chinese, *latin1, *folded]

    def stem(self, word: str) -> str:
        key = (word, word in self.latin_terms)
        stemmed = self._stems.get(key)
        if stemmed is None:
            stemmed = self._stems[key] = super().stem(word)
        return stemmed


def _save_cuts(app: Sphinx, exception: Exception | None) -> None:
    if exception is None:
        for cuts in _CUTS.values():
            cuts.save()
    _CUTS.clear()


def setup(app: Sphinx) -> dict[str, Any]:
    import sphinx.search

    sphinx.search.languages["zh"] = FastSearchChinese
    app.connect("config-inited", configure_jieba)
    app.connect("build-finished", _save_cuts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
