"""The corpus's tables: the manifest, the routes to its texts, the genres' length floors, and a mirror's manifest."""

from __future__ import annotations

import pandas as pd

from analysis.io import vocabulary as v
from analysis.io.dates import is_partial_date
from analysis.io.schemas import INTEGER, SHA256, URL, Column, Rule, Schema

DOC_ID = r"[a-z0-9][a-z0-9_]*"


def date_problem(value: str) -> str | None:
    """``None`` for a date ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` that exists, else what is wrong."""
    return None if is_partial_date(value) else "is not a date that exists (YYYY-MM-DD, YYYY-MM or YYYY)"


def _genres_once(df: pd.DataFrame) -> pd.Series:
    items = df["genres"].str.split("|").explode().str.strip()
    return pd.Series(~df.index.isin(items[items.duplicated(keep=False)].index), index=df.index)


MANIFEST = Schema(
    (
        Column("doc_id", filled=True, pattern=DOC_ID, unique=True, fix="lower-case letters, digits and _, once each"),
        Column("title_zh"),
        Column("title_en"),
        Column("issuer"),
        Column("level", filled=True, allowed=v.LEVELS),
        Column("region"),
        Column("doc_number"),
        Column("date_issued"),
        Column("date", check=date_problem, fix="or leave it empty"),
        Column("genre", filled=True, allowed=v.GENRES, fix="or add the genre to analysis.io.vocabulary.GENRE_GROUPS"),
        Column("language", filled=True, allowed=v.LANGUAGES),
        Column("topic", filled=True, allowed=v.TOPICS),
        Column("official_url", split=" ", pattern=URL, fix="URLs separated by spaces"),
        Column(
            "expected_sha256",
            pattern=SHA256,
            unique=True,
            fix="one text is one document's: correct the hashes, or leave it empty",
        ),
        Column("completeness"),
        Column("copy_source"),
        Column("notes"),
        # optional: read when present, else empty (manifests written before they existed stay valid)
        Column("short_titles", required=False),
        Column("min_chars", required=False, pattern=INTEGER, fix="a number of characters, or empty"),
        Column("chars_expected", required=False, pattern=INTEGER, fix="a number of characters, or empty"),
        Column("opening_sha256", required=False, pattern=SHA256, fix="or leave it empty"),
        Column("date_source", required=False),
    ),
    rules=(
        Rule(
            ("title_zh", "title_en"),
            lambda df: (df["title_zh"] != "") | (df["title_en"] != ""),
            "give at least one title",
        ),
    ),
    strip=True,
    strict=True,
    about="the manifest's columns are listed in data/corpus/README.md",
)

ROUTES = Schema(
    (
        Column("doc_id", filled=True, pattern=DOC_ID),
        Column("url", pattern=URL, fix="or kind 'none' without url"),
        Column("kind", filled=True, allowed=v.ROUTE_KINDS),
        Column("found_by", filled=True, fix="say how the URL was found (or, for kind 'none', what was searched)"),
    ),
    unique=(("doc_id", "url"),),
    rules=(
        Rule(
            ("kind", "url"),
            lambda df: (df["kind"] == "none") == (df["url"] == ""),
            "a route of kind 'none' has no url, every other route has one; give the url a kind, or empty it",
        ),
    ),
    strip=True,
    strict=True,
)

LENGTH_FLOORS = Schema(
    (
        Column("group", filled=True, unique=True),
        Column("genres", filled=True, split="|", allowed=v.GENRES, fix="manifest genres separated by |"),
        Column("floor", filled=True, pattern=INTEGER, fix="non-whitespace characters"),
        Column("basis", filled=True, fix="say which text the floor comes from"),
    ),
    rules=(Rule(("genres",), lambda df: _genres_once(df), "a genre has one floor; another row lists it too"),),
    strict=True,
)

#: The longest short title (``data/corpus/short_titles.csv``): a short title fits an axis label and a table cell.
MAX_SHORT_TITLE = 52

SHORT_TITLES = Schema(
    (
        Column("doc_id", filled=True, pattern=DOC_ID, unique=True, fix="give each document one row"),
        Column(
            "short_en",
            filled=True,
            pattern=rf"[^\n]{{1,{MAX_SHORT_TITLE}}}",
            fix=f"at most {MAX_SHORT_TITLE} characters",
        ),
    ),
    strip=True,
    strict=True,
)

#: A mirror's ``manifest.csv`` (``CORPUS_MIRROR``, outside ``data/``): the book's columns, all optional but
#: ``doc_id``, plus the text's ``file``, ``chars`` and ``sha256``.
MIRROR_MANIFEST = Schema(
    (
        Column("doc_id", filled=True, unique=True, fix="every document appears once"),
        *(Column(c.name, required=False) for c in MANIFEST.columns if c.name != "doc_id"),
        Column("file", required=False),
        Column("chars", required=False),
        Column("sha256", required=False, unique=True, fix="two documents cannot share one text"),
    ),
    strip=True,
    strict=True,
    about="a mirror manifest has the book's columns (data/corpus/README.md) plus file, chars and sha256",
)

TABLES: dict[str, Schema] = {
    "corpus/manifest.csv": MANIFEST,
    "corpus/routes.csv": ROUTES,
    "corpus/length_floors.csv": LENGTH_FLOORS,
    "corpus/short_titles.csv": SHORT_TITLES,
}
OUTSIDE: dict[str, Schema] = {"<mirror>/manifest.csv": MIRROR_MANIFEST}
