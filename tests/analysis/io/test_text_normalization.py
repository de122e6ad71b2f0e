"""Tests of analysis.io.text.normalize_text: every count and hash depends on it (all inputs are synthetic)."""

from __future__ import annotations

import hashlib
import random
import unicodedata

import pytest

from analysis.io.text import count_characters, normalize_text, text_sha256


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # line endings
        ("甲\r\n乙\r丙\n丁", "甲\n乙\n丙\n丁"),
        # empty lines and whitespace-only lines are dropped; no leading/trailing newline
        ("\n\n甲\n \n\t\n乙\n\n", "甲\n乙"),
        # lines are stripped (ASCII, ideographic and no-break spaces, tabs)
        ("\u3000\u3000第一条\u3000 ", "第一条"),
        ("\t  Section 1.  \u00a0", "Section 1."),
        # runs of spaces inside a line become one space
        ("Section  1.\t\tPurpose", "Section 1. Purpose"),
        ("a\u00a0\u2002\u2009b", "a b"),
        # a space between two Han characters is removed (layout gap), elsewhere kept
        ("人工 智能", "人工智能"),
        ("第五章 附 则", "第五章附则"),
        ("人 工 智 能", "人工智能"),
        ("人工智能 AI 发展", "人工智能 AI 发展"),
        ("2030 年", "2030 年"),
        ("通知： 《办法》", "通知： 《办法》"),
        # full-width letters and digits are folded to half-width
        ("ＡＩ２０３０", "AI2030"),
        ("第１条：ａｂｃ", "第1条：abc"),
        # full-width space folded (and then removed between Han characters)
        ("人工\u3000智能", "人工智能"),
        ("ＡＩ\u3000２０３０", "AI 2030"),
        # Chinese punctuation and full-width symbols other than letters/digits are kept
        ("（一）安全、可控；“互联网＋”！？", "（一）安全、可控；“互联网＋”！？"),
        ("2018－2020年", "2018－2020年"),
        # zero-width characters and the byte-order mark are removed
        ("\ufeff人工\u200b智能\u200d", "人工智能"),
        # NFC composition; CJK compatibility ideographs become unified ideographs
        ("e\u0301", "\u00e9"),
        ("\uf900", "\u8c48"),
    ],
)
def test_normalize_text_rules(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_normalize_text_empty_and_blank() -> None:
    assert normalize_text("") == ""
    assert normalize_text(" \n\u3000\r\n\t") == ""


def test_paragraphs_are_separated_by_exactly_one_newline() -> None:
    out = normalize_text("第一段。\n\n\n\u3000\u3000第二段。\r\n\r\n第三段。")
    assert out == "第一段。\n第二段。\n第三段。"
    assert "\n\n" not in out and not out.endswith("\n")


def test_combining_marks_are_composed_in_one_pass() -> None:
    # A full-width letter or a zero-width character before a combining mark: folding/removal must come
    # before NFC, otherwise a second normalisation would compose further (the text would not be stable).
    assert normalize_text("Ａ\u0301") == "\u00c1"
    assert normalize_text("e\u200b\u0301") == "\u00e9"


_ALPHABET = (
    "人工智能安全发展规划国家，。、；：（）《》“”"  # Han and Chinese punctuation
    "abcXYZ019 .-"  # ASCII
    "ＡＺａｚ０９＋－（）"  # full-width forms
    "\u3000\u00a0\u2002\u2009\t\n\r\u200b\ufeff"  # spaces, line breaks, zero-width, BOM
    "\u0301\u0308\uf900"  # combining marks, a compatibility ideograph
)


def test_normalize_text_is_idempotent_on_random_strings() -> None:
    rng = random.Random(20210101)
    for _ in range(3000):
        raw = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 40)))
        once = normalize_text(raw)
        assert normalize_text(once) == once, repr(raw)


def test_normalized_text_invariants_on_random_strings() -> None:
    rng = random.Random(7)
    for _ in range(1000):
        raw = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 40)))
        out = normalize_text(raw)
        assert "\r" not in out and "\t" not in out and "  " not in out
        assert "\u3000" not in out and "\u200b" not in out and "\ufeff" not in out
        assert not any(
            0xFF10 <= ord(c) <= 0xFF19 or 0xFF21 <= ord(c) <= 0xFF3A or 0xFF41 <= ord(c) <= 0xFF5A for c in out
        )
        assert all(line == line.strip() and line for line in out.split("\n")) or out == ""
        assert unicodedata.is_normalized("NFC", out)


def test_hash_and_characters_are_taken_on_normalized_text() -> None:
    a = normalize_text("人工\u3000智能\r\n\r\nＡＩ")
    b = normalize_text("人工智能\nAI\n")
    assert a == b and text_sha256(a) == text_sha256(b)
    assert text_sha256("人工智能") == hashlib.sha256("人工智能".encode()).hexdigest()
    assert count_characters(a) == 6  # 人工智能AI: the newline is not counted


def test_count_characters_leaves_out_exactly_what_str_isspace_calls_whitespace() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert count_characters(every) == sum(1 for ch in every if not ch.isspace())
    assert count_characters("人工智能 安全\u3000\n\t国家安全\u00a0") == 10
    assert count_characters("") == 0
