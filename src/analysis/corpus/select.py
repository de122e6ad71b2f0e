"""What a document *is*, once: the book's one definition of each domain concept over the manifest's columns.

Every module and chapter that asks "is this a local AI plan?", "which texts are controls?" or "is this
central?" asks here, so that a concept cannot be written twice and disagree with itself (a local AI plan
counted in one table and excluded from another gives a wrong verdict). The functions take any table with
the manifest's columns (the manifest, :func:`~analysis.corpus.coverage`, :func:`~analysis.corpus.load_corpus`)
and return a boolean mask, the selected rows, or ids.

Concepts:

* **topic** (the manifest's ``topic``): ``ai`` (about AI, the book's subject), ``control`` (a non-AI
  digital-governance text by the same kinds of issuer in the same years: a baseline), ``reference`` (a law the
  AI texts cite, read only to trace where their security clauses come from);
* **level group**: ``central`` (national organs), ``local`` (:data:`LOCAL_LEVELS`: provinces, province-level
  municipalities, cities), ``federal`` (the US federal government);
* **genre group** (:data:`GENRE_GROUPS`): ``programme`` (plans, action plans, opinions: what a government intends
  to do), ``rules`` (regulations, provisions, measures, laws: binding rules), ``notice``, ``guidance``
  (guidelines, principles, norms, Q&A), ``other`` (speeches, white papers, initiatives, US strategies, reports,
  executive orders, translations);
* **local AI plan**: local, about AI, and a programme (a plan, an action plan or opinions). Local *regulations*
  about AI (Shenzhen's 2022 AI industry regulation) are laws, years after the 2017–2019 plans the article's
  section 5 discusses, and never count as local AI plans;
* **language**: ``zh`` or ``en`` (the manifest's ``language``);
* **issuer rank** (:func:`issuer_rank`, from ``level`` and the Chinese name in ``issuer``): ``legislature`` (the
  National People's Congress and its Standing Committee: laws), ``state_council`` (the State Council itself:
  administrative regulations, 行政法规), ``department`` (any other central issuer: ministries, commissions, the
  CAC, their offices: departmental rules, 部门规章, and their notices), ``local_congress`` (a local people's
  congress standing committee: local regulations, 地方性法规), ``local_government`` (a local people's government
  or its office), ``other`` (anything else, the US federal government included). A document co-issued by several
  central organs takes the rank of its first issuer (:func:`lead_issuer`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.io import vocabulary

#: The manifest's topics, levels and genres: the words live in :mod:`analysis.io.vocabulary` (the schema registry
#: validates the manifest with them); the concepts built on them live here.
AI, CONTROL, REFERENCE = vocabulary.AI, vocabulary.CONTROL, vocabulary.REFERENCE
TOPICS: tuple[str, ...] = vocabulary.TOPICS
#: Administrative levels of local governments in the manifest (province, province-level municipality, city).
LOCAL_LEVELS: tuple[str, ...] = vocabulary.LOCAL_LEVELS
CENTRAL_LEVEL = vocabulary.CENTRAL_LEVEL
FEDERAL_LEVEL = vocabulary.FEDERAL_LEVEL
#: Level groups, in display order.
LEVEL_GROUPS: tuple[str, ...] = vocabulary.LEVEL_GROUPS
#: Genre groups: each manifest genre belongs to exactly one.
GENRE_GROUPS: dict[str, tuple[str, ...]] = vocabulary.GENRE_GROUPS
#: The genres of a local AI plan (plans, action plans, opinions).
PLAN_GENRES: tuple[str, ...] = GENRE_GROUPS["programme"]
#: The genres of binding rules (regulations, provisions, measures, laws).
RULE_GENRES: tuple[str, ...] = GENRE_GROUPS["rules"]


def _column(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        raise ValueError(f"the table has no {column!r} column (columns: {', '.join(map(str, frame.columns))})")
    return frame[column].astype(str).str.strip()


def genre_group(genre: str) -> str:
    """The group of a manifest genre (:data:`GENRE_GROUPS`); ``other`` for a genre no group lists."""
    return next((group for group, genres in GENRE_GROUPS.items() if genre in genres), "other")


def level_group(level: str) -> str:
    """``central``, ``local`` (:data:`LOCAL_LEVELS`) or ``federal``; ``other`` for anything else."""
    if level == CENTRAL_LEVEL:
        return "central"
    if level in LOCAL_LEVELS:
        return "local"
    return "federal" if level == FEDERAL_LEVEL else "other"


def is_topic(frame: pd.DataFrame, topics: str | Iterable[str]) -> pd.Series:
    """Mask of the rows whose ``topic`` is ``topics`` (one name or several); unknown names raise ``ValueError``."""
    wanted = {topics} if isinstance(topics, str) else set(topics)
    unknown = sorted(wanted - set(TOPICS))
    if unknown:
        raise ValueError(f"unknown topic(s) {', '.join(unknown)}; use {', '.join(TOPICS)}")
    return _column(frame, "topic").isin(wanted)


def select_topic(frame: pd.DataFrame, topic: str | Iterable[str] | None = AI) -> pd.DataFrame:
    """The rows of ``frame`` whose ``topic`` is ``topic`` (one or several), index reset; all rows for ``None``.

    Works on an empty frame; raises ``ValueError`` when a topic is asked for and ``frame`` has no ``topic`` column.
    """
    if topic is None:
        return frame
    return frame[is_topic(frame, topic)].reset_index(drop=True)


def is_local(frame: pd.DataFrame) -> pd.Series:
    """Mask of local documents (:data:`LOCAL_LEVELS`)."""
    return _column(frame, "level").isin(LOCAL_LEVELS)


def is_central(frame: pd.DataFrame) -> pd.Series:
    """Mask of central (national) Chinese documents."""
    return _column(frame, "level") == CENTRAL_LEVEL


def is_chinese(frame: pd.DataFrame) -> pd.Series:
    """Mask of documents whose text is Chinese (``language == "zh"``)."""
    return _column(frame, "language") == "zh"


def is_local_ai_plan(frame: pd.DataFrame) -> pd.Series:
    """Mask of the local AI plans: local, ``topic == "ai"``, genre a plan, action plan or opinions."""
    return is_local(frame) & is_topic(frame, AI) & _column(frame, "genre").isin(PLAN_GENRES)


def local_ai_plans(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``frame`` that are local AI plans (:func:`is_local_ai_plan`), index reset."""
    return frame[is_local_ai_plan(frame)].reset_index(drop=True)


def local_ai_plan_ids(frame: pd.DataFrame) -> list[str]:
    """The ids of the local AI plans of ``frame``, in its order."""
    return local_ai_plans(frame)["doc_id"].tolist()


#: Issuer ranks, highest first within each level (:func:`issuer_rank`).
ISSUER_RANKS: tuple[str, ...] = vocabulary.ISSUER_RANKS


def issuer_name(issuer: str) -> str:
    """The Chinese name of an ``issuer`` entry: the text before its English gloss in parentheses, trimmed."""
    return str(issuer).split(" (", 1)[0].split("（", 1)[0].strip()


def lead_issuer(issuer: str) -> str:
    """The first (leading) issuer of a document co-issued by several organs: the Chinese name before the first
    、 or ，  (国家互联网信息办公室 for the rules the CAC issues with other regulators)."""
    return issuer_name(issuer).replace("，", "、").split("、", 1)[0].strip()


def issuer_rank(level: str, issuer: str) -> str:
    """The rank of a document's issuer (:data:`ISSUER_RANKS`), from its ``level`` and ``issuer``."""
    first = lead_issuer(issuer)
    group = level_group(level)
    if group == "central":
        if first.startswith("全国人民代表大会"):
            return "legislature"
        return "state_council" if first == "国务院" else "department"
    if group == "local":
        if "人民代表大会常务委员会" in first:
            return "local_congress"
        return "local_government" if "人民政府" in first else "other"
    return "other"


def issuer_ranks(frame: pd.DataFrame) -> pd.Series:
    """The issuer rank of every row of ``frame`` (needs ``level`` and ``issuer``)."""
    levels, issuers = _column(frame, "level"), _column(frame, "issuer")
    return pd.Series(
        [issuer_rank(lv, i) for lv, i in zip(levels, issuers, strict=True)], index=frame.index, dtype=object
    )
