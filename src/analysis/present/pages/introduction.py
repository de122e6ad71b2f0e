"""The introduction (``notebooks/introduction.ipynb``): the article's Table 1 as data, and the texts this build holds
for each criterion the later chapters test (a move, an extraordinary measure, acceptance), each from one call.

The criteria themselves are the chapter's prose (a MyST admonition); :data:`CRITERIA` gives, for each, the chapters
that test it and the texts it needs, as a selection of the manifest (:mod:`analysis.corpus.select`), so that the
table says how many of those texts the build has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analysis.corpus import select
from analysis.evidence.facts import load_facts
from analysis.present.tables import BookTable, table
from analysis.sections.framework import framework_view


def framework_table() -> BookTable:
    """The article's Table 1 in our words (``data/facts/table1_framework.csv``), each element linked to its
    glossary entry and each row to the chapters that hold its evidence."""
    frame, headers = framework_view(load_facts("table1_framework"))
    return table(
        frame.rename(columns=headers),
        "The article's analytical framework (its Table 1), in our words, with the chapters that hold the evidence "
        "for each element.",
        name="tbl-intro-framework",
        markup=(headers["element"], headers["evidence"]),
        csv="table1_framework.csv",
    )


@dataclass(frozen=True)
class Criterion:
    """One criterion of the introduction's box: its name, the chapters that test it, and the texts it needs
    (``texts``: a description; ``select``: the mask of the coverage rows that are those texts)."""

    name: str
    chapters: tuple[str, ...]
    texts: str
    select: Callable[[pd.DataFrame], pd.Series]


def _central_ai(frame: pd.DataFrame) -> pd.Series:
    return select.is_central(frame) & select.is_chinese(frame) & select.is_topic(frame, select.AI)


def _rules(frame: pd.DataFrame) -> pd.Series:
    genres = frame["genre"].astype(str).isin(select.RULE_GENRES)
    return select.is_chinese(frame) & select.is_topic(frame, (select.AI, select.CONTROL)) & genres


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "a securitizing move",
        ("labelling", "securitizing_move"),
        "central Chinese AI documents (the 2016 and 2017 plans among them)",
        _central_ai,
    ),
    Criterion(
        "an extraordinary measure",
        ("success_and_consequences", "beyond_the_count"),
        "Chinese binding rules on AI and their non-AI controls (regulations, provisions, measures)",
        _rules,
    ),
    Criterion(
        "acceptance by an audience", ("audiences", "beyond_the_count"), "local AI plans", select.is_local_ai_plan
    ),
)


def criteria_table(cover: pd.DataFrame) -> BookTable:
    """Per criterion: the chapters that test it, the texts it needs, and how many of them this build has.
    ``cover`` is the coverage of every topic (:func:`analysis.corpus.coverage`)."""
    available = cover["status"] == "available" if "status" in cover.columns else pd.Series(True, index=cover.index)
    rows = []
    for c in CRITERIA:
        mask = c.select(cover)
        rows.append({
            "criterion": c.name, "tested in": ", ".join(f"{{doc}}`{d}`" for d in c.chapters), "texts it needs": c.texts,
            "listed in the manifest": int(mask.sum()), "available in this build": int((mask & available).sum()),
        })  # fmt: skip
    return table(
        pd.DataFrame(rows),
        "The three criteria of the box above: the chapters that test each, the texts each needs, and how many of "
        "those texts the manifest lists and this build holds.",
        name="tbl-intro-criteria",
        markup=("tested in",),
    )
