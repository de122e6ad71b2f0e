"""The tables of ``data/argument/``: coding rules, the codebook, the blind validation sample, the thematic
vocabularies, the baseline's strata and the rule files of the book's own findings."""

from __future__ import annotations

import re

import pandas as pd

from analysis.io import vocabulary as v
from analysis.io.schemas import DECIMAL, INTEGER, TRIMMED, Column, Rule, Schema, regex_problem

CODE_NAME = r"[a-z][a-z_]*"
PASSAGE_ID = r"p[0-9a-f]{8}"
#: Hex digits of a passage's fingerprint in the sample (:func:`analysis.sections.move.sample.fingerprint`).
FINGERPRINT_HEX = 16
#: Items of a codebook's ``examples`` / ``non_examples`` cell (``doc_id: snippet``) are separated by this.
EXAMPLE_SEPARATOR = " ; "
#: The longest snippet an example may cite: a citation, never a quotation.
MAX_EXAMPLE_CHARS = 12


def _matches_example(df: pd.DataFrame) -> pd.Series:
    found = [bool((m := re.search(p, e)) and m.group()) for p, e in zip(df["pattern"], df["example"], strict=True)]
    return pd.Series(found, index=df.index)


MATCHES_EXAMPLE = Rule(("pattern", "example"), _matches_example, "the pattern does not match its example")
REGEX = {"check": regex_problem}


def _rule_file(key: Column, *more: Column) -> Schema:
    """A file of rules for :func:`analysis.evidence.beyond.common.rule_spans`: every pattern matches its example."""
    return Schema(
        (
            key,
            *more,
            Column("pattern", filled=True, unique=True, **REGEX),
            Column("example", filled=True),
            Column("pinyin", filled=True),
            Column("gloss_en", filled=True),
            Column("rationale", filled=True),
        ),
        rules=(MATCHES_EXAMPLE,),
        strict=True,
    )


ADDRESSEES = _rule_file(Column("addressee", filled=True, allowed=tuple(v.ADDRESSEES)))
EXCEPTIONALITY = _rule_file(
    Column("kind", filled=True, allowed=tuple(v.MARKER_KINDS)),
    Column("marker", filled=True, unique=True, fix="one row per marker"),
)
INSTRUMENTS = _rule_file(
    Column("kind", filled=True, allowed=tuple(v.INSTRUMENT_KINDS)),
    Column("instrument", filled=True, unique=True, fix="one row per instrument"),
)

NAMES = Schema(
    (
        Column("pattern", filled=True, unique=True, **REGEX),
        Column("kind", filled=True, allowed=tuple(v.NAME_KINDS)),
        Column("gloss_en", filled=True),
        Column("rationale"),
    ),
    strict=True,
)
FUNCTIONS = Schema(
    (
        Column("function", filled=True, allowed=v.FUNCTIONS),
        Column("pattern", filled=True, unique=True, **REGEX),
        Column("gloss_en"),
        Column("rationale"),
    ),
    strict=True,
)
OBJECTS = Schema(
    (
        Column("object", filled=True, allowed=v.RULE_OBJECTS),
        Column("priority", filled=True, pattern=INTEGER),
        Column("pattern", filled=True, unique=True, **REGEX),
        Column("gloss_en"),
        Column("rationale"),
    ),
    strict=True,
)

#: ``history_vocabulary``, ``rival_vocabulary``, ``regime_content_vocabulary`` (:mod:`analysis.sections.vocabularies`).
VOCABULARY = Schema(
    (
        Column("term", filled=True, unique=True, pattern=TRIMMED),
        Column("pinyin"),
        Column("gloss_en", filled=True),
        Column("note"),
    ),
    strict=True,
)


def _match_problem(rule: str) -> str | None:
    if rule == "same_issuer":
        return None
    if rule.startswith("title:") and rule.removeprefix("title:"):
        return regex_problem(rule.removeprefix("title:"))
    return "is not same_issuer or title:<regular expression>"


def _pairs_in_strata(df: pd.DataFrame) -> pd.Series:
    strata = df["kind"] == "stratum"
    return strata | df["parent"].isin(df.loc[strata, "stratum"])


STRATA = Schema(
    (
        Column("stratum", filled=True, unique=True, pattern=CODE_NAME),
        Column("kind", filled=True, allowed=v.STRATUM_KINDS),
        Column("parent"),
        Column("label", filled=True),
        Column("level_group", allowed=v.CHINESE_LEVEL_GROUPS),
        Column("genres", split=";", allowed=v.GENRES, fix="manifest genres separated by ;"),
        Column("issuer_ranks", split=";", allowed=v.ISSUER_RANKS, fix="issuer ranks separated by ;"),
        Column("match", check=_match_problem, fix="or empty"),
        Column("rationale", filled=True),
    ),
    rules=(
        Rule(
            ("kind", "level_group", "genres", "parent"),
            lambda df: (
                (df["kind"] != "stratum") | ((df["level_group"] != "") & (df["genres"] != "") & (df["parent"] == ""))
            ),
            "a stratum has a level_group (central or local) and genres, and no parent",
        ),
        Rule(("kind", "parent"), _pairs_in_strata, "a pair's parent must be a stratum of the file"),
    ),
    strict=True,
)


def _example_problem(item: str) -> str | None:
    doc, sep, snippet = item.partition(": ")
    if not sep or not re.fullmatch(r"[a-z0-9][a-z0-9_]*", doc.strip()):
        return "is not of the form 'doc_id: snippet'"
    n = len(snippet.strip())
    if not 0 < n <= MAX_EXAMPLE_CHARS:
        return f"cites a snippet of {n} characters; cite 1 to {MAX_EXAMPLE_CHARS} (a citation, never a quotation)"
    return None


CODEBOOK_DIMENSIONS = Schema(
    (
        Column("dimension", filled=True, pattern=CODE_NAME, unique=True, fix="one row per dimension"),
        Column("hand_column", filled=True, pattern=r"[a-z][a-z_]*_hand", unique=True, fix="a name ending in _hand"),
        Column("answers", filled=True, allowed=v.ANSWERS),
        Column("rule_column", allowed=tuple(v.RULE_CODES), fix="or empty when the rules do not code the dimension"),
        Column("question", filled=True),
        Column("instruction", filled=True),
    ),
    rules=(
        Rule(
            ("rule_column", "dimension"),
            lambda df: (df["rule_column"] == "") | (df["rule_column"] == df["dimension"]),
            "the rules code this column, so the dimension must have its name",
        ),
    ),
    strict=True,
)
CODEBOOK = Schema(
    (
        Column("dimension", filled=True),
        Column("code", filled=True, pattern=CODE_NAME, fix="lower case letters and _"),
        Column("precedence", filled=True, pattern=INTEGER),
        Column("rule_code"),
        Column("label_en", filled=True),
        Column("definition", filled=True),
        Column("include", filled=True),
        Column("exclude", filled=True),
        Column("decision", filled=True),
        Column("examples", split=EXAMPLE_SEPARATOR, check=_example_problem),
        Column("non_examples", split=EXAMPLE_SEPARATOR, check=_example_problem),
    ),
    unique=(("dimension", "code"), ("dimension", "precedence")),
    rules=(
        Rule(
            ("code", "examples", "non_examples"),
            lambda df: (df["examples"].str.strip() != "") | (df["non_examples"].str.strip() != ""),
            "give at least one example or non-example",
        ),
    ),
    strict=True,
)

SAMPLE = Schema(
    (
        Column("passage_id", filled=True, pattern=PASSAGE_ID, unique=True),
        Column("doc_id", filled=True),
        Column("start", filled=True, pattern=INTEGER),
        Column("end", filled=True, pattern=INTEGER),
        Column("keywords", filled=True),
        Column("passage_sha256", filled=True, pattern=rf"[0-9a-f]{{{FINGERPRINT_HEX}}}"),
    ),
    rules=(
        Rule(("start", "end"), lambda df: df["start"].astype(int) < df["end"].astype(int), "start must be before end"),
    ),
    strict=True,
    about="the sample holds no rule output, only passage_id, doc_id, start, end, keywords, passage_sha256",
)


def _weight_fits(df: pd.DataFrame) -> pd.Series:
    n, k, w = (df[c].astype(float) for c in ("stratum_passages", "stratum_sampled", "weight"))
    return (k > 0) & ((w - n / k.where(k > 0, 1)).abs() <= 1e-6)


def _weight_says(row: pd.Series) -> str:
    n, k = int(row["stratum_passages"]), int(row["stratum_sampled"])
    return (
        f"weight must be stratum_passages / stratum_sampled = {n / k:.6f}" if k else "stratum_sampled must be 1 or more"
    )


DESIGN = Schema(
    (
        Column("passage_id", filled=True, pattern=PASSAGE_ID, unique=True),
        Column("stratum", filled=True, pattern=r"s[0-9a-f]{6}"),
        Column("stratum_passages", filled=True, pattern=INTEGER),
        Column("stratum_sampled", filled=True, pattern=INTEGER),
        Column("weight", filled=True, pattern=DECIMAL),
    ),
    rules=(
        Rule(
            ("stratum_passages", "stratum_sampled", "weight"),
            _weight_fits,
            _weight_says,
        ),
    ),
    strict=True,
)
#: The coder's codes: one column per dimension of the codebook (``codebook_dimensions.csv``'s ``hand_column``),
#: checked against the codebook by their loader (:func:`analysis.sections.move.coding.answer_problems`).
CODES = Schema(
    (Column("passage_id", filled=True, pattern=PASSAGE_ID, unique=True, fix="code every passage once"), Column("note")),
    about="the other columns are the codebook's hand columns (codebook_dimensions.csv)",
)

TABLES: dict[str, Schema] = {
    "argument/addressees.csv": ADDRESSEES,
    "argument/exceptionality_grammar.csv": EXCEPTIONALITY,
    "argument/policy_instruments.csv": INSTRUMENTS,
    "argument/names_citations.csv": NAMES,
    "argument/speech_act_functions.csv": FUNCTIONS,
    "argument/security_objects.csv": OBJECTS,
    "argument/history_vocabulary.csv": VOCABULARY,
    "argument/rival_vocabulary.csv": VOCABULARY,
    "argument/regime_content_vocabulary.csv": VOCABULARY,
    "argument/baseline_strata.csv": STRATA,
    "argument/codebook_dimensions.csv": CODEBOOK_DIMENSIONS,
    "argument/codebook.csv": CODEBOOK,
    "argument/validation_sample.csv": SAMPLE,
    "argument/validation_design.csv": DESIGN,
    "argument/validation_codes.csv": CODES,
}
