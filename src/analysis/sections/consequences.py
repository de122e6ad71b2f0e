"""Consequence (e) of article section 6: members of the national AI team on the US Entity List.

:func:`team_on_entity_list` joins the national AI team (:func:`analysis.sections.audiences.load_national_ai_team`)
with the US Entity List listings of Chinese AI companies (``data/facts/entity_list_ai_companies.csv``,
:data:`ENTITY_LIST_TABLE`) on ``company_key``.
"""

from __future__ import annotations

import pandas as pd

#: The fact table of Entity List listings of Chinese AI companies.
ENTITY_LIST_TABLE = "entity_list_ai_companies"


def team_on_entity_list(team: pd.DataFrame, listings: pd.DataFrame) -> pd.DataFrame:
    """National AI team members that appear in ``listings`` (one row per member and listing).

    ``listings`` is the Entity List fact table; it needs ``company_key`` and ``source`` and should
    carry the listing date. Output columns: ``company_key, company_en, company_zh, field_en,
    date_announced`` (from the team) followed by every other column of ``listings`` (its ``source``
    renamed ``listing_source``; its own name columns dropped) and, when the listing date is known,
    ``listed_after_joining`` (``yes`` when the listing date, ISO text, is later than the date the
    company joined the team); sorted by listing date (see :func:`listing_date_column`) and company key.
    """
    for name, frame in (("team", team), ("listings", listings)):
        if "company_key" not in frame.columns:
            raise ValueError(f"the {name} table needs a company_key column")
    left = team.loc[:, ["company_key", "company_en", "company_zh", "field_en", "date_announced"]]
    right = listings.rename(columns={"source": "listing_source"})
    right = right.drop(
        columns=[c for c in ("company_en", "company_zh", "field_en", "date_announced") if c in right.columns]
    )
    joined = left.merge(right, on="company_key", how="inner", validate="one_to_many")
    date_column = listing_date_column(listings)
    if date_column:
        joined["listed_after_joining"] = [
            "yes" if str(listed) > str(joined_team) else "no"
            for listed, joined_team in zip(joined[date_column], joined["date_announced"], strict=False)
        ]
    keys = ([date_column] if date_column else []) + ["company_key"]
    return joined.sort_values(keys, kind="mergesort").reset_index(drop=True)


#: Column names that hold the listing date in an Entity List table, in order of preference.
LISTING_DATE_COLUMNS: tuple[str, ...] = ("effective", "date_effective", "listed", "date_listed", "announced", "date")


def listing_date_column(listings: pd.DataFrame) -> str | None:
    """The column of ``listings`` that holds the listing date (see :data:`LISTING_DATE_COLUMNS`), if any."""
    return next((c for c in LISTING_DATE_COLUMNS if c in listings.columns), None)


def count_team_on_entity_list(team: pd.DataFrame, listings: pd.DataFrame) -> int:
    """How many distinct national AI team members are on the Entity List."""
    return int(team_on_entity_list(team, listings)["company_key"].nunique())
