"""The lists at the top of ``data/``: the Chinese and English term lists, the concept map, the senses of 安全."""

from __future__ import annotations

import pandas as pd

from analysis.io import vocabulary as v
from analysis.io.schemas import INTEGER, SINGLE_SPACED, TRIMMED, Column, Rule, Schema
from analysis.io.text import invisible_characters

CODE_NAME = r"[a-z][a-z_]*"


def _visible(spaces: bool):  # type: ignore[no-untyped-def]
    def problem(term: str) -> str | None:
        hidden = invisible_characters(term, spaces=spaces)
        return f"contains the invisible character(s) {', '.join(hidden)}; delete them" if hidden else None

    return problem


TERMS = Schema(
    (
        Column("term", filled=True, unique=True, check=_visible(False), pattern=TRIMMED),
        Column("pinyin"),
        Column("gloss_en", filled=True, fix="the English gloss"),
        Column(
            "category",
            filled=True,
            allowed=tuple(v.TERM_CATEGORIES),
            fix="or add it to analysis.io.vocabulary and data/terms.md",
        ),
        Column("rule", filled=True, allowed=v.TERM_RULES),
        Column("note"),
    ),
    strict=True,
)

TERMS_EN = Schema(
    (
        Column("term", filled=True, unique=True, check=_visible(True), pattern=SINGLE_SPACED),
        Column("definition", filled=True),
        Column("category", filled=True, allowed=tuple(v.TERM_CATEGORIES_EN), fix="or add it to analysis.io.vocabulary"),
        Column("rule", filled=True, allowed=v.ENGLISH_RULES),
        Column("note"),
    ),
    strict=True,
)


def _per_concept(df: pd.DataFrame, column: str) -> pd.Series:
    return df.groupby("concept")[column].transform("nunique")


CONCEPT_MAP = Schema(
    (
        Column("concept", filled=True, pattern=CODE_NAME, fix="lower-case letters and _"),
        Column("concept_en", filled=True),
        Column("language", filled=True, allowed=v.LANGUAGES),
        Column("term", filled=True),
        Column("pinyin"),
        Column("gloss_en"),
        Column("rationale", filled=True),
    ),
    unique=(("concept", "language", "term"),),
    rules=(
        Rule(
            ("language", "pinyin", "gloss_en"),
            lambda df: (df["language"] != "zh") | ((df["pinyin"] != "") & (df["gloss_en"] != "")),
            "a Chinese term needs pinyin and gloss_en",
        ),
        Rule(
            ("language", "pinyin", "gloss_en"),
            lambda df: (df["language"] != "en") | ((df["pinyin"] == "") & (df["gloss_en"] == "")),
            "leave pinyin and gloss_en empty for an English term",
        ),
        Rule(
            ("concept",),
            lambda df: _per_concept(df, "language") == len(v.LANGUAGES),
            "the concept needs terms in both languages",
        ),
        Rule(
            ("concept", "concept_en"),
            lambda df: _per_concept(df, "concept_en") == 1,
            "the concept has one concept_en label",
        ),
    ),
    strict=True,
)

SENSES = Schema(
    (
        Column("pattern", filled=True, unique=True, check=lambda p: None if "安全" in p else "does not contain 安全"),
        Column("sense", filled=True, allowed=v.SENSES),
        Column("priority", filled=True, pattern=INTEGER, fix="a non-negative integer"),
        Column("gloss_en", filled=True),
        Column("rationale", filled=True),
    ),
    strict=True,
)

TABLES: dict[str, Schema] = {
    "terms.csv": TERMS,
    "terms_en.csv": TERMS_EN,
    "concept_map.csv": CONCEPT_MAP,
    "anquan_senses.csv": SENSES,
}
