"""The jieba tokenizer: silent, configured in one place, cached by text hash."""

from __future__ import annotations

import subprocess
import sys

from analysis.io import text


def test_tokenizing_in_a_fresh_process_writes_nothing_to_stderr(tmp_path):
    code = (
        "from analysis.io.text import tokenize\n"
        "print('|'.join(tokenize('新一代人工智能发展规划要求维护国家安全。', use_cache=False)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr == ""
    assert result.stdout.strip() == "新一代人工智能|发展|规划|要求|维护|国家安全|。"


def test_user_dictionary_keeps_policy_terms_whole():
    tokens = text.tokenize("推动军民融合，保障网络安全和数据安全，把握第四次工业革命。", use_cache=False)
    for term in ("军民融合", "网络安全", "数据安全", "第四次工业革命"):
        assert term in tokens


def test_tokenizer_is_a_dedicated_instance_not_jiebas_global():
    import jieba

    assert text.get_tokenizer() is not jieba.dt
    assert text.get_tokenizer() is text.get_tokenizer()


def test_jieba_dictionary_cache_is_project_local():
    tok = text.get_tokenizer()
    assert str(text.cache_path("jieba", "x").parent) == tok.tmp_dir
    assert (text.cache_path("jieba", "jieba.cache")).is_file()


def test_token_cache_hit_on_second_call():
    sample = "合成测试句子：人工智能与国家安全。"  # synthetic
    text.tokenize(sample)
    before = text.TokenCacheStats.tokenized
    hits = text.TokenCacheStats.cache_hits
    assert text.tokenize(sample) == text.tokenize(sample, use_cache=False)
    assert text.TokenCacheStats.cache_hits == hits + 1
    assert text.TokenCacheStats.tokenized == before + 1  # only the use_cache=False call segmented


def test_hmm_is_off_so_unknown_words_are_not_merged():
    # jieba's README example: with HMM new-word discovery, 杭研 becomes one (invented) word; without it, it does not.
    sentence = "他来到了网易杭研大厦"
    assert text.HMM is False
    assert "杭研" in text.get_tokenizer().lcut(sentence, HMM=True)
    assert text.tokenize(sentence, use_cache=False) == ["他", "来到", "了", "网易", "杭", "研", "大厦"]
