"""The Chinese search index's splitter gives Sphinx's words, and loads jieba's dictionary only when a text needs it."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.io.text import USER_DICT
from booktools import searchindex
from booktools.searchindex import FastSearchChinese, SearchCuts


@pytest.fixture(scope="module")
def dictionary_tokenizer(tmp_path_factory: pytest.TempPathFactory):
    """jieba's tokenizer with the main dictionary and the book's user dictionary (what Sphinx's index cuts with)."""
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(tmp_path_factory.mktemp("jieba"))
    tokenizer.initialize()
    tokenizer.load_userdict(str(USER_DICT.resolve()))
    return tokenizer


def _cuts(folder: Path) -> SearchCuts:
    return SearchCuts(USER_DICT.resolve(), folder)


@pytest.fixture(scope="module")
def shared_cuts(tmp_path_factory: pytest.TempPathFactory) -> SearchCuts:
    return _cuts(tmp_path_factory.mktemp("cuts"))


# Latin letters (the ones of jieba's few non-Han words among them), digits, the symbols jieba keeps inside a word,
# pinyin with tone marks, full-width forms, punctuation of both scripts, other scripts, and spaces.
_ALPHABET = st.sampled_from(list("abcdeACT+#&._%-T 0129\t\nāáǎàüǜ,;:()[]“”—…ＡＩ２，。、（）《》éßжΩ·'\"/"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_ALPHABET, st.sampled_from(["C++", "c#", "AT&T", "AT", "T&", "C+", "AI"])), max_size=40))
def test_text_without_a_dictionary_word_is_cut_as_jieba_cuts_it(shared_cuts, dictionary_tokenizer, parts):
    text = "".join(parts)
    expected = list(dictionary_tokenizer.cut_for_search(text))
    assert shared_cuts(text) == expected
    special = any(w in text for w in ("C++", "c++", "c#", "C#", "AT&T"))
    assert shared_cuts.needs_dictionary(text) == special
    if not special:  # the claim itself: an empty dictionary cuts it the same
        assert list(shared_cuts._empty_tokenizer().cut_for_search(text)) == expected, text


def test_the_dictionaries_words_without_han_are_few_and_found(tmp_path):
    words = _cuts(tmp_path)._special_words()
    assert {"C++", "c++", "C#", "c#", "AT&T"} <= set(words) and len(words) < 50
    assert not any(re.search("[\u4e00-\u9fd5]", w) for w in words)


def test_chinese_text_is_cut_with_the_dictionary(tmp_path, dictionary_tokenizer):
    cuts = _cuts(tmp_path)
    text = "新一代人工智能发展规划强调国家安全 (guójiā ānquán) 与 C++"
    assert cuts.needs_dictionary(text)
    assert cuts(text) == list(dictionary_tokenizer.cut_for_search(text))
    assert cuts.loaded_dictionary and "国家安全" in cuts(text)


def test_kept_cuts_spare_the_dictionary_in_the_next_build(tmp_path):
    first = _cuts(tmp_path)
    chinese = "人工智能安全风险"
    tokens = first(chinese)
    first.save()
    assert first.path.is_file() and first.path.parent == tmp_path

    again = _cuts(tmp_path)
    assert again(chinese) == tokens and not again.loaded_dictionary and again.added == 0
    assert again("An English sentence, edited (Benchmark edit 1).") and not again.loaded_dictionary
    again.save()
    assert set(pickle.loads(again.path.read_bytes())["cuts"]) == {
        chinese,
        "An English sentence, edited (Benchmark edit 1).",
    }


def test_a_changed_user_dictionary_or_an_unreadable_file_starts_afresh(tmp_path):
    cuts = _cuts(tmp_path)
    cuts("安全")
    cuts.save()
    own = tmp_path / "userdict.txt"
    own.write_text("国家安全 30000\n", encoding="utf-8")
    other = SearchCuts(own, tmp_path)
    assert other.key != cuts.key and other.cuts == {}
    other("安全")
    other.save()
    assert [p.name for p in tmp_path.glob("search-cuts-*.pickle")] == [other.path.name]  # one dictionary's cuts kept

    other.path.write_bytes(b"not a pickle")
    assert SearchCuts(own, tmp_path).cuts == {}


def test_the_splitter_gives_sphinx_words_and_folded_pinyin(tmp_path, monkeypatch):
    from sphinx.search.zh import SearchChinese

    monkeypatch.setattr(searchindex, "cache_path", lambda *parts: tmp_path.joinpath(*parts))
    monkeypatch.setattr(searchindex, "_CUTS", {})
    options = {"dict": str(USER_DICT.resolve())}
    ours, sphinx = FastSearchChinese(options), SearchChinese(options)
    sphinx.latin_terms = []  # a class attribute in Sphinx 7.4, shared by every instance
    all_folded = []
    for text in [
        "安全 (ānquán, security), 国家安全 (guójiā ānquán)",
        "The 2017 plan uses 安全 48 times.",
        "C++ and AT&T",
    ]:
        folded = [searchindex.fold_pinyin(w) for w in searchindex._TONED.findall(text)]
        assert ours.split(text) == [*sphinx.split(text), *folded]
        all_folded += folded
    assert all_folded == ["anquan", "guojia", "anquan"]
    assert sorted(ours.latin_terms) == sorted([*sphinx.latin_terms, *all_folded])
    assert all(ours.stem(w) == sphinx.stem(w) for w in ["security", "plan", "uses", "times", "AT", "anquan"])


def test_the_extension_imports_no_data_stack_and_loads_no_dictionary():
    """Every build pays what the extension imports: it finds the font without matplotlib, writes HTML pages without
    pandas, and leaves jieba's dictionary unloaded until a text needs it."""
    import subprocess
    import sys

    code = (
        "import sys, booktools.sphinxext as x, booktools.searchindex as s, jieba\n"
        "from types import SimpleNamespace as NS\n"
        "from docutils.utils import new_document\n"
        "s.configure_jieba(None, NS(html_search_options=None))\n"
        "x._reader_facing_outputs(NS(builder=NS(format='html'), srcdir='.'), new_document('page'), 'page')\n"
        "print('matplotlib' in sys.modules, 'pandas' in sys.modules, jieba.dt.initialized)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "False"]
