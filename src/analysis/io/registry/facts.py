"""The sourced fact tables of ``data/facts/``: every row names its ``source`` and says whether the fact was
``checked`` there (:mod:`analysis.evidence.facts`)."""

from __future__ import annotations

import pandas as pd

from analysis.io import vocabulary as v
from analysis.io.dates import PRECISIONS, DateError, parse_partial_date
from analysis.io.registry.corpus import date_problem
from analysis.io.schemas import DECIMAL, INTEGER, Column, Rule, Schema

KEY = r"[a-z0-9][a-z0-9_]*"
DAY = r"\d{4}-\d{2}-\d{2}"
#: The two columns every fact table ends with.
SOURCED: tuple[Column, ...] = (
    Column("source", filled=True, fix="add the URL or reference in the 'source' column"),
    Column("checked", filled=True, allowed=v.YES_NO, fix="was the fact confirmed in its source?"),
)


def filled(*names: str) -> tuple[Column, ...]:
    """Text columns that must be filled."""
    return tuple(Column(n, filled=True) for n in names)


def text(*names: str) -> tuple[Column, ...]:
    """Text columns that may be empty."""
    return tuple(Column(n) for n in names)


def key(name: str) -> Column:
    """The table's key: lower-case letters, digits and _, filled, once each."""
    return Column(name, filled=True, pattern=KEY, unique=True, fix="lower-case letters, digits and _, once each")


def date(name: str, *, filled: bool = True) -> Column:
    return Column(name, filled=filled, check=date_problem)


def precision(name: str, *, filled: bool = True) -> Column:
    return Column(name, filled=filled, allowed=tuple(PRECISIONS))


def _fits(value: str, prec: str) -> bool:
    try:
        parse_partial_date(value, prec)
    except DateError:
        return False
    return True


def fits_precision(date_column: str, precision_column: str) -> Rule:
    """The date has the form its precision gives (``day`` YYYY-MM-DD, ``month`` YYYY-MM, else YYYY)."""
    return Rule(
        (date_column, precision_column),
        lambda df: pd.Series(
            [d == "" or _fits(d, p) for d, p in zip(df[date_column], df[precision_column], strict=True)],
            index=df.index,
        ),
        "the date does not have the form of its precision (day YYYY-MM-DD, month YYYY-MM, year, decade or "
        "century YYYY)",
    )


def same_year(date_column: str = "date", year_column: str = "year") -> Rule:
    return Rule(
        (date_column, year_column),
        lambda df: df[year_column] == df[date_column].str.slice(0, 4),
        f"{year_column} is the year of {date_column}",
    )


def _type_rows_agree(df: pd.DataFrame) -> pd.Series:
    columns = ["type_order", "category", "type_zh", "type_pinyin", "type_en"]
    return (df.groupby("type_key")[columns].transform("nunique") == 1).all(axis=1)


def _answers_known(df: pd.DataFrame) -> pd.Series:
    ids = set(df["event_id"])
    return df["answers"].map(lambda cell: all(a.strip() in ids for a in cell.split(";") if a.strip()))


TABLES: dict[str, Schema] = {
    "facts/china_political_periods.csv": Schema(
        (
            key("period_key"),
            *filled("name_zh", "pinyin", "gloss_en"),
            date("start"),
            precision("start_precision"),
            date("end", filled=False),
            precision("end_precision", filled=False),
            *SOURCED,
            *text("note"),
        ),
        rules=(
            fits_precision("start", "start_precision"),
            fits_precision("end", "end_precision"),
            Rule(
                ("end", "end_precision"),
                lambda df: (df["end"] == "") == (df["end_precision"] == ""),
                "an end date has a precision, and only an end date has one",
            ),
        ),
        strict=True,
    ),
    "facts/cnki_query.csv": Schema(
        (Column("parameter", filled=True, unique=True), *filled("value", "basis", "article_wording"), *SOURCED),
        strict=True,
    ),
    "facts/cnki_related_counts.csv": Schema(
        (
            *filled("study", "query"),
            Column("year", filled=True, pattern=INTEGER),
            Column("articles", filled=True, pattern=INTEGER),
            *filled("what_it_counts"),
            *SOURCED,
            *text("note"),
        ),
        unique=(("study", "query", "year"),),
        strict=True,
    ),
    "facts/consequences.csv": Schema(
        (
            Column("consequence_id", filled=True, unique=True, pattern=r"[a-z]", fix="one letter, as in the article"),
            *filled("consequence", "driver", "mechanism", "objective_undermined", "objective_basis"),
            *filled("article_evidence", "indicator_proposed"),
            Column("computed_here", filled=True, allowed=v.YES_NO),
            *filled("article_ref"),
            *SOURCED,
        ),
        strict=True,
    ),
    "facts/domestic_figures.csv": Schema(
        (
            key("figure_id"),
            *filled("topic", "claim_en"),
            Column("value", filled=True, pattern=DECIMAL),
            *filled("unit"),
            *text("qualifier"),
            *filled("reported_by"),
            date("date"),
            precision("date_precision"),
            Column("year", filled=True, pattern=INTEGER),
            *text("article_value"),
            *filled("article_ref"),
            *SOURCED,
            *text("note"),
        ),
        rules=(fits_precision("date", "date_precision"), same_year()),
        strict=True,
    ),
    "facts/entity_list_ai_companies.csv": Schema(
        (
            key("company_key"),
            *filled("name_en", "name_zh", "pinyin", "listed_as"),
            Column("announced", filled=True, pattern=DAY, check=date_problem),
            Column("effective", filled=True, pattern=DAY, check=date_problem),
            *filled("rule", "fr_citation"),
            *text("fr_document"),
            *filled("national_context"),
            *SOURCED,
            *text("note"),
        ),
        strict=True,
    ),
    "facts/extraordinary_measures.csv": Schema(
        (
            key("measure_key"),
            *filled("name_zh", "pinyin", "gloss_en", "kind"),
            date("date"),
            precision("date_precision"),
            *filled("what_it_is", "why_it_would_count"),
            *SOURCED,
            *text("note"),
        ),
        rules=(fits_precision("date", "date_precision"),),
        strict=True,
    ),
    "facts/geopolitical_events.csv": Schema(
        (
            key("event_id"),
            date("date"),
            precision("date_precision"),
            Column("date_end", pattern=DAY, check=date_problem, fix="a day, or empty"),
            Column("year", filled=True, pattern=INTEGER),
            *text("month_en"),
            Column("actor", filled=True, allowed=v.EVENT_ACTORS),
            Column("kind", filled=True, allowed=v.EVENT_KINDS),
            *filled("event_en", "label_en"),
            *text("name_zh", "pinyin", "gloss_en", "group_key"),
            Column("answers", split=";", pattern=KEY, fix="event_ids separated by ;"),
            *text("answers_ref"),
            *filled("article_ref"),
            *SOURCED,
            *text("note"),
        ),
        rules=(
            fits_precision("date", "date_precision"),
            same_year(),
            Rule(("event_id", "answers"), _answers_known, "answers an event that is not in the table"),
        ),
        strict=True,
    ),
    "facts/industrial_revolutions.csv": Schema(
        (
            Column("revolution", filled=True, pattern=INTEGER, unique=True),
            *filled("name_zh", "pinyin", "gloss_en", "reported_as", "period_as_reported"),
            Column("start_year", filled=True, pattern=INTEGER),
            precision("start_precision"),
            *filled("start_basis"),
            *text("defining_technologies_en"),
            *filled("leading_power_en"),
            Column("china_period_key", filled=True, split=";", pattern=KEY, fix="period_keys separated by ;"),
            *filled("china_situation_en"),
            Column("china_outcome", filled=True, allowed=v.REVOLUTION_OUTCOMES),
            Column("goal_year", pattern=INTEGER),
            *SOURCED,
            *text("note"),
        ),
        rules=(fits_precision("start_year", "start_precision"),),
        strict=True,
    ),
    "facts/national_ai_team.csv": Schema(
        (
            key("company_key"),
            *filled("company_en", "company_zh", "field_zh", "field_pinyin", "field_en"),
            Column("field_zh_checked", filled=True, allowed=v.YES_NO),
            *filled("batch"),
            Column("date_announced", filled=True, pattern=DAY, check=date_problem),
            *filled("announced_at"),
            *SOURCED,
            *text("note"),
        ),
        strict=True,
    ),
    "facts/ngaidp_key_tasks.csv": Schema(
        (
            Column("task", filled=True, pattern=INTEGER, unique=True),
            *filled("task_zh", "task_en"),
            *SOURCED,
            *text("note"),
        ),
        strict=True,
    ),
    "facts/ngaidp_three_steps.csv": Schema(
        (
            Column("step", filled=True, pattern=INTEGER, unique=True),
            *filled("step_zh", "step_en"),
            Column("year", filled=True, pattern=INTEGER),
            *filled("goal_en"),
            Column("core_ai_industry_target_rmb_bn", filled=True, pattern=INTEGER),
            Column("related_industries_target_rmb_bn", filled=True, pattern=INTEGER),
            *SOURCED,
        ),
        strict=True,
    ),
    "facts/public_figures.csv": Schema(
        (
            key("figure_id"),
            *filled("quantity"),
            Column("value", filled=True, pattern=DECIMAL),
            *text("qualifier"),
            *filled("unit", "as_of", "article_value", "article_ref"),
            *SOURCED,
            *text("note"),
        ),
        strict=True,
    ),
    "facts/security_typology.csv": Schema(
        (
            Column("type_order", filled=True, pattern=INTEGER, fix="a whole number"),
            Column("type_key", filled=True, pattern=KEY),
            Column("category", filled=True, allowed=v.TYPOLOGY_CATEGORIES),
            *filled("type_zh", "type_pinyin", "type_en"),
            Column("term_zh", filled=True, unique=True, fix="a term belongs to one type"),
            *filled("pinyin", "gloss_en"),
            Column("in_article", filled=True, allowed=v.YES_NO),
            *SOURCED,
            *text("note"),
        ),
        rules=(
            Rule(
                ("type_key",),
                _type_rows_agree,
                "the rows of this type disagree on type_order, category, type_zh, type_pinyin, type_en",
            ),
        ),
        strict=True,
    ),
    "facts/table1_framework.csv": Schema(
        (
            Column("element", filled=True, unique=True),
            *filled("glossary_term", "content"),
            *text("from_section_text"),
            Column("chapters", filled=True, split=";", pattern=r"[a-z][a-z_]*", fix="notebook names separated by ;"),
            *filled("article_ref"),
            *SOURCED,
        ),
        strict=True,
    ),
}
