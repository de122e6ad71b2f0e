"""The audiences of the securitizing move (article section 4): local governments, market actors, the public.

* **Local governments.** :func:`local_plans_timeline` dates every provincial and municipal AI plan of
  the corpus manifest against the State Council's *New Generation AI Development Plan* (signed
  2017-07-08, published 2017-07-20). Manifest dates are often approximate ("2018 (day not seen)",
  "2018 (repost dated 2018-04-03)"), so each date is read as a *window* of possible issue dates
  (:func:`analysis.io.dates.date_window`) and a plan is "before" or "after" only when its whole window is
  (:func:`timing_relative`); otherwise the timing is "undetermined". :func:`security_vocabulary_table`
  compares the security vocabulary of the central plans with that of every local plan whose text is
  available (using :mod:`analysis.counting`); :func:`guangdong_exception` checks the article's
  footnote 109, which names Guangdong's 2018 plan as an exception to local plans' silence on
  national security. :func:`like_genre_regulations` reads Shenzhen's AI regulation (2022), a local law, against the
  local regulations of its own genre (the same issuer; promotion regulations), never against a mixed-genre median.
* **Market actors.** :func:`load_national_ai_team` reads the sourced table of the "national AI team"
  (国家新一代人工智能开放创新平台, the national new-generation AI open innovation platforms).
* **The public.** :func:`internet_user_ratios` compares China's internet users with the US figures.

The team's place on the US Entity List (section 6) is in :mod:`analysis.sections.consequences`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.corpus import select
from analysis.evidence.facts import FactTableError, load_facts
from analysis.io.dates import STATE_COUNCIL_PLAN, ReferenceEvent, date_window, timing_relative

#: Central documents the local plans are compared with (doc ids of the manifest).
CENTRAL_PLANS: tuple[str, ...] = ("ngaidp_2017", "internet_plus_ai_2016")
GUANGDONG_2018 = "guangdong_2018_ai_plan"

#: Timing classes, in display order.
TIMINGS: tuple[str, ...] = ("before", "between signing and publication", "after", "undetermined", "no date")


def local_plans_timeline(manifest: pd.DataFrame, event: ReferenceEvent = STATE_COUNCIL_PLAN) -> pd.DataFrame:
    """Every local-government document of the manifest, dated and placed before or after ``event``.

    Columns: ``doc_id, region, level, title_en, genre, date_issued`` (as in the manifest),
    ``earliest, latest`` (ISO dates of the window), ``precision``, ``caveats``, ``timing``.
    Sorted by ``earliest``, ``latest`` then ``doc_id``.
    """
    needed = ["doc_id", "region", "level", "title_en", "genre", "date_issued"]
    missing = [c for c in needed if c not in manifest.columns]
    if missing:
        raise ValueError(f"the manifest table lacks column(s) {', '.join(missing)}")
    local = manifest[manifest["doc_id"].isin(local_plan_ids(manifest))].loc[:, needed].copy()
    windows = [date_window(str(text)) for text in local["date_issued"]]
    local["earliest"] = [w.earliest.isoformat() if w.earliest else "" for w in windows]
    local["latest"] = [w.latest.isoformat() if w.latest else "" for w in windows]
    local["precision"] = [w.precision for w in windows]
    local["caveats"] = ["; ".join(w.caveats) for w in windows]
    local["timing"] = [timing_relative(w, event) for w in windows]
    local = local.sort_values(["earliest", "latest", "doc_id"], kind="mergesort")
    return local.reset_index(drop=True)


def local_plan_ids(manifest: pd.DataFrame) -> set[str]:
    """Ids of the local AI plans of ``manifest`` (the one definition: :func:`analysis.corpus.select.is_local_ai_plan`).

    The first local text of the corpus, Shenzhen's AI industry regulation (2022), is a law, years after the
    2017–2019 plans the article discusses: it is read against the local regulations of its own genre
    (:func:`like_genre_regulations`), never counted as a local plan.
    """
    return set(select.local_ai_plan_ids(manifest))


def timing_summary(timeline: pd.DataFrame) -> pd.DataFrame:
    """Number of local documents in each timing class (all classes listed, in :data:`TIMINGS` order)."""
    counts = timeline["timing"].value_counts()
    unknown = sorted(set(counts.index) - set(TIMINGS))
    if unknown:
        raise ValueError(f"unknown timing classes: {', '.join(unknown)}")
    return pd.DataFrame({"timing": list(TIMINGS), "documents": [int(counts.get(t, 0)) for t in TIMINGS]})


# ---------------------------------------------------------------------------------------------
# Central vs local security vocabulary
# ---------------------------------------------------------------------------------------------


def security_vocabulary_table(corpus: pd.DataFrame, manifest: pd.DataFrame) -> pd.DataFrame:
    """Security vocabulary of the central plans and of every *available* local plan.

    ``corpus`` is :func:`analysis.corpus.load_corpus` (available documents only). Rows: the
    documents of :data:`CENTRAL_PLANS` and the local AI plans (:func:`local_plan_ids`) present in ``corpus``, sorted by
    group (central first) then ``doc_id``. Columns: ``doc_id, group, region, chars``,
    ``security_vocabulary`` (each listed security term counted once, net of longer terms, see
    :func:`analysis.counting.vocabulary_count`), ``per_10k`` (per 10,000 characters),
    ``anquan`` (安全, inclusive) and ``guojia_anquan`` (国家安全, inclusive). Empty (with these
    columns) when no such text is available.
    """
    from analysis import counting

    columns = ["doc_id", "group", "region", "chars", "security_vocabulary", "per_10k", "anquan", "guojia_anquan"]
    plans = local_plan_ids(manifest)
    wanted = corpus[corpus["doc_id"].isin(CENTRAL_PLANS) | corpus["doc_id"].isin(plans)]
    if wanted.empty:
        return pd.DataFrame(columns=columns).astype(
            {
                "doc_id": object,
                "group": object,
                "region": object,
                "chars": "int64",
                "security_vocabulary": "int64",
                "per_10k": "float64",
                "anquan": "int64",
                "guojia_anquan": "int64",
            }
        )
    vocabulary = counting.security_vocabulary()
    rows = []
    for row in wanted.itertuples(index=False):
        text = str(row.text)
        chars = int(row.chars)
        vocab = counting.vocabulary_count(text, vocabulary)
        rows.append(
            {
                "doc_id": row.doc_id,
                "group": "central" if row.doc_id in CENTRAL_PLANS else "local",
                "region": row.region,
                "chars": chars,
                "security_vocabulary": vocab,
                "per_10k": round(counting.density(vocab, chars), 2),
                "anquan": counting.count_term(text, "安全"),
                "guojia_anquan": counting.count_term(text, "国家安全"),
            }
        )
    table = pd.DataFrame(rows, columns=columns)
    table["_order"] = (table["group"] != "central").astype(int)
    table = table.sort_values(["_order", "doc_id"], kind="mergesort").drop(columns="_order")
    return table.reset_index(drop=True)


def local_texts_status(corpus: pd.DataFrame, manifest: pd.DataFrame) -> tuple[int, int]:
    """(number of local documents whose text is available, number listed in the manifest)."""
    local_ids = local_plan_ids(manifest)
    return len(local_ids & set(corpus["doc_id"])), len(local_ids)


#: Shenzhen's AI industry regulation (2022): the first local AI *law* of the manifest, read against its own genre.
SHENZHEN_2022 = "shenzhen_ai_industry_regulation_2022"
#: Its like-genre texts: the comparison of ``data/argument/baseline_strata.csv`` that holds the local regulations of
#: people's congress standing committees (:mod:`analysis.sections.move.baseline`), and the pairs inside it.
LIKE_GENRE = "local_congress_regulations"
LIKE_PAIRS: dict[str, str] = {"local_same_issuer": "same issuer", "local_promotion": "promotion regulation"}
LIKE_COLUMNS: tuple[str, ...] = (
    "doc_id", "topic", "date", "comparisons", "chars", "all_per_10k", "without_names", "without_names_per_10k",
    "without_names_lo", "without_names_hi", "security_without_names_per_10k",
)  # fmt: skip


def like_genre_regulations(corpus: pd.DataFrame) -> pd.DataFrame:
    """Every AI and control text of ``corpus`` in the like-genre comparison :data:`LIKE_GENRE` (local regulations
    passed by a people's congress standing committee: the genre of Shenzhen's AI regulation), with 安全 per 10,000
    characters under the three measures of :mod:`analysis.sections.move.baseline` (every occurrence; outside names
    and citations, with its exact 95 % interval; in the security sense outside names).

    ``comparisons`` names the narrower pairs a text belongs to (:data:`LIKE_PAIRS`: the same issuer, promotion
    regulations on both sides). ``corpus`` must hold the control texts (``chapter_corpus(topic=None)``). AI texts
    first, then by date. Empty, with :data:`LIKE_COLUMNS`, when no text of the genre is available.
    """
    from analysis.sections.move import baseline

    members = baseline.membership(corpus)
    inside = members.loc[members["comparison"] == LIKE_GENRE, "doc_id"].tolist()
    if not inside:
        return pd.DataFrame(columns=list(LIKE_COLUMNS)).astype({"chars": "int64", "without_names": "int64"})
    docs = corpus[corpus["doc_id"].isin(inside)]
    measures = {m: baseline.document_measures(docs, m).set_index("doc_id") for m in baseline.MEASURES}
    pairs = members[members["comparison"].isin(list(LIKE_PAIRS))]
    named = measures["without_names"]
    rows = []
    for doc_id in named.index:
        comparisons = [LIKE_PAIRS[c] for c in pairs.loc[pairs["doc_id"] == doc_id, "comparison"]]
        rows.append(
            {
                "doc_id": doc_id, "topic": named.at[doc_id, "topic"], "date": named.at[doc_id, "date"],
                "comparisons": "; ".join(comparisons), "chars": int(named.at[doc_id, "chars"]),
                "all_per_10k": measures["all"].at[doc_id, "per_10k"], "without_names": int(named.at[doc_id, "count"]),
                "without_names_per_10k": named.at[doc_id, "per_10k"], "without_names_lo": named.at[doc_id, "per_10k_lo"],
                "without_names_hi": named.at[doc_id, "per_10k_hi"],
                "security_without_names_per_10k": measures["security_without_names"].at[doc_id, "per_10k"],
            }
        )  # fmt: skip
    out = pd.DataFrame(rows, columns=list(LIKE_COLUMNS))
    out = out.assign(_ai=(~select.is_topic(out, select.AI)).astype(int))
    return out.sort_values(["_ai", "date", "doc_id"], kind="mergesort").drop(columns="_ai").reset_index(drop=True)


@dataclass(frozen=True)
class GuangdongCheck:
    """What the texts say about footnote 109 (Guangdong 2018 as an exception)."""

    guangdong_guojia_anquan: int
    guangdong_per_10k: float
    other_local_per_10k_median: float | None
    other_local_plans: int


def guangdong_exception(table: pd.DataFrame) -> GuangdongCheck:
    """Guangdong's 国家安全 count and security-vocabulary density beside the other available local plans.

    ``table`` is :func:`security_vocabulary_table`; raises ``LookupError`` when Guangdong's 2018 plan
    is not in it (its text is not available).
    """
    gd = table[table["doc_id"] == GUANGDONG_2018]
    if gd.empty:
        raise LookupError(f"not reproducible here: {GUANGDONG_2018} is not available")
    others = table[(table["group"] == "local") & (table["doc_id"] != GUANGDONG_2018)]
    return GuangdongCheck(
        guangdong_guojia_anquan=int(gd["guojia_anquan"].iloc[0]),
        guangdong_per_10k=float(gd["per_10k"].iloc[0]),
        other_local_per_10k_median=float(others["per_10k"].median()) if not others.empty else None,
        other_local_plans=len(others),
    )


# ---------------------------------------------------------------------------------------------
# Market actors: the national AI team
# ---------------------------------------------------------------------------------------------


def load_national_ai_team() -> pd.DataFrame:
    """The sourced table of the national AI team (its schema: :mod:`analysis.io.registry`), sorted by announcement
    date then company key."""
    team = load_facts("national_ai_team")
    return team.sort_values(["date_announced", "company_key"], kind="mergesort").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# The public
# ---------------------------------------------------------------------------------------------

CHINA_INTERNET_USERS = "cn_internet_users_2019"
US_INTERNET_USERS: tuple[str, ...] = (
    "us_internet_users_2019_statista_secondary",
    "us_internet_users_2019_datareportal",
)


def internet_user_ratios(figures: pd.DataFrame) -> pd.DataFrame:
    """China's internet users divided by each US figure of ``public_figures`` (the article: "twice more").

    Columns: ``us_figure`` (the row's ``quantity``), ``us_users_million``, ``cn_users_million``, ``ratio``
    (rounded to 2 decimals), in the order of :data:`US_INTERNET_USERS`.
    """
    table = figures.set_index("figure_id")
    missing = [f for f in (CHINA_INTERNET_USERS, *US_INTERNET_USERS) if f not in table.index]
    if missing:
        raise FactTableError(f"public_figures.csv: missing row(s) {', '.join(missing)}")
    cn = float(table.loc[CHINA_INTERNET_USERS, "value"])
    rows = []
    for fid in US_INTERNET_USERS:
        us = float(table.loc[fid, "value"])
        rows.append(
            {
                "us_figure": table.loc[fid, "quantity"],
                "us_users_million": us,
                "cn_users_million": cn,
                "ratio": round(cn / us, 2),
            }
        )
    return pd.DataFrame(rows, columns=["us_figure", "us_users_million", "cn_users_million", "ratio"])
